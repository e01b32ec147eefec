/* Text repair, stage two: words run together by the HTML extraction (ontcoprésidé,
 * arméeHoàng, laDéfense, programmed'amélioration, et,pour) are split apart.
 *
 * Mechanism: a word that the lexicon knows is never touched. An unknown word is segmented by
 * dynamic programming into lexicon words, and the cheapest segmentation replaces it only when it
 * costs less than keeping the word whole. The costs encode what run-together text looks like:
 * function words (de, la, ont, et) are cheap segments, short content words are dear, a boundary
 * where lower case meets upper case (arméeHoàng) is free, and keeping an unknown capitalised
 * word is cheap because it is most often a name. Capitalised words shaped like a name of a known
 * naming system (NAMESHAPE rules: romanised Japanese) are never split. Splits at punctuation
 * (et,pour / monde.Les) are SPACE rules: a space goes where a rule matches.
 *
 * Only the lists of gazetteers/lexicon/ and the rules carry language; the weights below are the
 * cost model and are documented where they are defined. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define MAX_PIECE_CPS 48 /* longer letter runs are not words run together */
#define MAX_SEG_CPS 30

/* The cost model, in arbitrary units. */
#define COST_FUNCTION_WORD 1.0   /* de, la, les, ont, et ... */
#define COST_ONE_LETTER_FW 1.5   /* a, à, y: real but easily spurious */
#define COST_ELISION 1.0         /* d, l, qu before an apostrophe */
#define COST_WORD 3.0            /* a known content word */
#define COST_SHORT_2 4.0         /* extra for a content word of <= 2 letters */
#define COST_SHORT_3 2.0         /* ... of 3 letters */
#define COST_SHORT_4 0.5         /* ... of 4 letters */
#define COST_PROPER_LOWER 2.0    /* a word the lexicon knows only capitalised, written in lower case */
#define COST_ACRONYM 3.0         /* ASEAN in ASEANélargie */
#define COST_NUMBER 1.0          /* 1 in 1Le (a caption number) */
#define COST_NAME_AT_CAMEL 4.0   /* an unknown capitalised word after a lower-case one: arméeHoàng */
#define COST_BOUNDARY 1.0        /* each split that no change of case supports */
#define COST_CAP_CONTENT 3.0     /* a capitalised word split into content words (Forumrégional) */
#define COST_CAP_FW_SHORT 6.0    /* Le+cornu, Du+pont: a surname, unless the rest is long */
#define CAP_FW_REST_MIN 8        /* ... letters after the function word that make it a glue */
#define COST_CAP_COMMON_SHORT 3.0 /* Case+y, Ange+la, Tri+ne: a name, unless the rest is long
                                    (CAP_FW_REST_MIN) or the first word a name (Vietnam+aux) */
#define CAP_COMMON_SHORT_MAX 4    /* ... and the word that short (Parti+de, Front+de are glues) */
#define COST_TYPO 2.0             /* a word with one letter doubled by mistake (dévelloppement) */
#define TYPO_WORD_MIN 7           /* ... of at least that many letters */
#define COST_INFLECTED 1.0        /* a regular inflection the word list lacks (inflections.txt) */
#define INFLECTED_WORD_MIN 7      /* ... of at least that many letters */
#define KEEP_LOWER 9.0           /* keeping an unknown lower-case word */
#define KEEP_CAPITAL 11.0        /* keeping an unknown capitalised word (a name, most often) */
#define KEEP_CAMEL 20.0          /* keeping lowerUpper: almost always a glue */
#define KEEP_ACRONYM_LOWER 9.0   /* keeping ASEANélargie */
#define KEEP_NUMBER_CAPITAL 8.0  /* keeping 1Le */
#define INF 1e9

typedef struct {
    int32_t cp;
    uint32_t off; /* byte offset in the text */
} cpos;

enum { SHAPE_LOWER, SHAPE_CAPITAL, SHAPE_UPPER, SHAPE_DIGITS, SHAPE_MIXED };

/* The case classes of a code point, computed once per letter of a word: the segmentation asks
 * them of every letter of every candidate segment, and outside ASCII each answer is a Unicode
 * table look-up. */
enum { CL_UPPER = 1, CL_LOWER = 2, CL_DIGIT = 4 };

static inline uint8_t case_class_of(int32_t cp) {
    return (uint8_t)((cp_is_upper(cp) ? CL_UPPER : 0) | (cp_is_lower(cp) ? CL_LOWER : 0) |
                     (cp_is_digit(cp) ? CL_DIGIT : 0));
}

/* The shape of n letters from what is known of them: whether all are digits, all upper case,
 * all but the first neither upper case nor digits, and the classes of the first. */
static int shape_from(bool all_digits, bool all_upper, bool rest_lower, uint8_t first, int n) {
    if (all_digits)
        return SHAPE_DIGITS;
    if (n >= 2 && all_upper)
        return SHAPE_UPPER;
    if (rest_lower && !(first & CL_DIGIT))
        return first & CL_UPPER ? SHAPE_CAPITAL : SHAPE_LOWER;
    return n == 1 && (first & CL_UPPER) ? SHAPE_CAPITAL : SHAPE_MIXED;
}

static int shape_of(const uint8_t *cl, int n) {
    bool all_digits = true, all_upper = true, rest_lower = true;
    for (int i = 0; i < n; i++) {
        all_digits &= (cl[i] & CL_DIGIT) != 0;
        all_upper &= (cl[i] & CL_UPPER) != 0;
        if (i > 0)
            rest_lower &= !(cl[i] & (CL_UPPER | CL_DIGIT));
    }
    return shape_from(all_digits, all_upper, rest_lower, cl[0], n);
}

/* Lower-cases the n code points of c (the last ends at end_off) into out and stores in lo[k]
 * where the lower case of code point k starts (lo[n]: the length). utf8_lower maps each code
 * point on its own, so the lower case of any run of the word is a slice of out: the
 * segmentation slices its candidates instead of lower-casing each. Returns the length, or -1
 * as utf8_lower would over the whole word. */
static int lower_cps(const char *text, const cpos *c, int n, uint32_t end_off, char *out, size_t size,
                     int *lo) {
    size_t o = 0;
    for (int k = 0; k < n; k++) {
        lo[k] = (int)o;
        uint8_t b = (uint8_t)text[c[k].off];
        if (b < 0x80 && b != '`') { /* utf8_lower's own ASCII path */
            if (o + 1 >= size)
                return -1;
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            continue;
        }
        uint32_t e = k + 1 < n ? c[k + 1].off : end_off;
        int l = utf8_lower(text + c[k].off, e - c[k].off, out + o, size - o);
        if (l < 0)
            return -1;
        o += (size_t)l;
    }
    lo[n] = (int)o;
    out[o] = '\0';
    return (int)o;
}

/* 9e, 1er, 10ème: digits then an ordinal suffix (word class ordinal_suffix_glued). */
static bool ordinal_at_start(const gla_model *m, const char *text, const cpos *s, int sn, uint32_t s_end) {
    int d = 0;
    while (d < sn && cp_is_digit(s[d].cp))
        d++;
    if (d == 0 || d == sn)
        return false;
    return word_class_has(&m->word_classes[WC_ORDINAL_SUFFIX_GLUED], text + s[d].off, s_end - s[d].off);
}

/* The productive prefixes (co-, cyber- ...) that lw[0, avail) starts with and that a letter
 * follows, as a bit set of their byte lengths p = 1..8, for a word of avail bytes (so p + 4 <=
 * avail). Bit 0 is set: the set has been computed. */
static unsigned prefix_lengths(const gla_model *m, const char *lw, size_t avail) {
    unsigned bits = 1;
    uint32_t h = WORDSET_HASH_INIT; /* of lw[0, p), extended as p grows */
    for (size_t p = 1; p + 4 <= avail && p <= 8; p++) {
        h = wordset_hash_byte(h, (uint8_t)lw[p - 1]);
        if (((uint8_t)lw[p] & 0xC0) != 0x80 && wordset_find_hashed(&m->prefixes, lw, p, h))
            bits |= 1u << p;
    }
    return bits;
}

/* Is the lower-cased lw[0, len) (of wordset_hash hash) a word, or a prefix and a known content
 * word (coprésidé, cybersécurité)? lw[0, avail) is the rest of the word lw is a part of, and
 * *prefixes caches prefix_lengths of it (0: not yet): the segmentation asks about every
 * segment that starts at one position, and the prefixes there are the same for all. */
static bool known_word(const gla_model *m, const char *lw, size_t len, size_t avail, uint32_t hash,
                       unsigned *prefixes, int *flags) {
    if (model_is_word_hashed(m, lw, len, hash, flags))
        return true;
    if (len < 5)
        return false; /* no room for a prefix and a word of four bytes */
    if (!*prefixes)
        *prefixes = prefix_lengths(m, lw, avail);
    for (size_t p = 1; p + 4 <= len && p <= 8; p++) {
        if (!((*prefixes >> p) & 1))
            continue;
        uint32_t rest_hash = wordset_hash(lw + p, len - p);
        if (!wordset_find_hashed(&m->function_words, lw + p, len - p, rest_hash) &&
            model_is_word_hashed(m, lw + p, len - p, rest_hash, flags))
            return true;
    }
    return false;
}

/* Is lw[0, len) (lower case) a word of the lexicon with one ASCII letter doubled by mistake
 * (dévelloppement, comittee)? The commonest typo of the news, which leaves the word unknown. */
static bool word_with_letter_doubled(const gla_model *m, const char *lw, size_t len) {
    char undoubled[MAX_SEG_CPS * 4];
    if (len >= sizeof undoubled)
        return false;
    for (size_t p = 1; p < len; p++) {
        if (lw[p] != lw[p - 1] || lw[p] < 'a' || lw[p] > 'z')
            continue;
        memcpy(undoubled, lw, p);
        memcpy(undoubled + p, lw + p + 1, len - p - 1);
        int flags = 0;
        if (model_is_word(m, undoubled, len - 1, &flags) && (flags & LEX_COMMON))
            return true;
    }
    return false;
}

/* PhamMinh, ToLam, PatriciaAdam: a capitalised run whose every camel-case part is a syllable of
 * a naming system (SYLLABLE rules, matched on the accent-free lower-case part) or a name part of
 * lexicon/person_names.txt of three letters or more is a glued name. */
static int split_syllables(const gla_model *m, pcre2_match_data *md, const char *text, const cpos *c,
                           int n, uint32_t end_off, vec *splits) {
    int starts[MAX_PIECE_CPS], k = 0;
    starts[k++] = 0;
    for (int i = 1; i < n; i++) {
        if (cp_is_upper(c[i].cp) && cp_is_lower(c[i - 1].cp))
            starts[k++] = i;
        else if (!cp_is_lower(c[i].cp))
            return GLA_OK;
    }
    if (k < 2)
        return GLA_OK;
    for (int p = 0; p < k; p++) {
        uint32_t s = c[starts[p]].off, e = p + 1 < k ? c[starts[p + 1]].off : end_off;
        char folded[64];
        int fl = e - s < 40 ? utf8_fold(text + s, e - s, folded, sizeof folded) : -1;
        if (fl <= 0 || (!rules_match_kind(m, md, "SYLLABLE", folded, (size_t)fl) &&
                        (fl < 3 || !wordset_find(&m->person_names, folded, (size_t)fl))))
            return GLA_OK;
    }
    for (int p = 1; p < k; p++) {
        uint32_t *at = vec_push(splits);
        if (!at)
            return GLA_ERR_NOMEM;
        *at = c[starts[p]].off;
    }
    return GLA_OK;
}

/* CommerceNguyen, ArméeHoàng: a capitalised word of the lexicon of at least WORD_BEFORE_NAME_MIN
 * letters, glued to capitalised words, is split at each capital (brands are not French words:
 * VinFast, DeepMind, PetroVietnam; a brand the gazetteers list is never split). Else a glued name
 * of syllables (split_syllables). lw, lo: the run's lower case and where each letter starts. */
#define WORD_BEFORE_NAME_MIN 5
static int split_word_and_names(const gla_model *m, pcre2_match_data *md, const char *text, const cpos *c,
                                int n, uint32_t end_off, const char *lw, const int *lo, vec *splits) {
    int starts[MAX_PIECE_CPS], k = 1;
    starts[0] = 0;
    for (int i = 1; i < n; i++) {
        if (cp_is_upper(c[i].cp) && cp_is_lower(c[i - 1].cp))
            starts[k++] = i;
        else if (!cp_is_lower(c[i].cp))
            return GLA_OK;
    }
    bool parts_long = k >= 2 && starts[1] >= WORD_BEFORE_NAME_MIN;
    for (int p = 1; p < k && parts_long; p++)
        parts_long = (p + 1 < k ? starts[p + 1] : n) - starts[p] >= 2;
    if (!parts_long || !model_is_word(m, lw, (size_t)lo[starts[1]], NULL))
        return split_syllables(m, md, text, c, n, end_off, splits);
    for (int p = 1; p < k; p++) {
        uint32_t *at = vec_push(splits);
        if (!at)
            return GLA_ERR_NOMEM;
        *at = c[starts[p]].off;
    }
    return GLA_OK;
}

static bool only_function_words(const gla_model *m, const char *text, const cpos *c, int n, uint32_t end_off,
                                const int *from);

/* quel'Arabie, sel'est: a word before an apostrophe that is no elided form is a function word
 * glued to one (que + l', se + l'). lw[0, lo[n]) is the run's lower case, lo[k] where its
 * letter k starts. Splits before the longest elided form that leaves a function word. */
static int split_elided(const gla_model *m, const cpos *c, int n, const char *lw, const int *lo,
                        vec *splits) {
    for (int k = 1; k < n; k++) {
        if (!wordset_find(&m->elisions, lw + lo[k], (size_t)(lo[n] - lo[k])) ||
            !wordset_find(&m->function_words, lw, (size_t)lo[k]))
            continue;
        uint32_t *at = vec_push(splits);
        if (!at)
            return GLA_ERR_NOMEM;
        *at = c[k].off;
        return GLA_OK;
    }
    return GLA_OK;
}

/* The segmentation looks up in the lexicon the segments of two letters or more that end at each
 * letter i, row by row. Their lexicon slots are fetched SEG_PREFETCH_ROWS rows ahead, so that
 * the cache misses of a row overlap each other and the work on the rows before. */
#define SEG_PREFETCH_ROWS 2

static void prefetch_segments_to(const gla_model *m, uint32_t seg_hash[][MAX_SEG_CPS + 1], int i) {
    for (int j = i - 2; j >= 0 && i - j <= MAX_SEG_CPS; j--)
        model_prefetch_word(m, seg_hash[j][i - j]);
}

/* Segments the letter run c[0..n) (ending at byte end_off). before_apostrophe: the run is
 * followed by an apostrophe, so it may end with an elided word. Appends split points. */
static int segment(const gla_model *m, pcre2_match_data *md, const char *text, const cpos *c, int n,
                   uint32_t end_off, bool before_apostrophe, vec *splits) {
    if (n < 2 || n > MAX_PIECE_CPS)
        return GLA_OK;
    char lw[MAX_PIECE_CPS * 4 + 8];
    int lo[MAX_PIECE_CPS + 1];
    int lwlen = lower_cps(text, c, n, end_off, lw, sizeof lw, lo);
    if (lwlen <= 0)
        return GLA_OK;
    uint32_t lw_hash = wordset_hash(lw, (size_t)lwlen);
    unsigned prefixes_at[MAX_PIECE_CPS] = {0}; /* prefix_lengths from each letter, when asked */
    if (before_apostrophe && wordset_find_hashed(&m->elisions, lw, (size_t)lwlen, lw_hash))
        return GLA_OK;
    bool inner_cap = false; /* PoChai: no word of the lexicon (pochai) has a capital inside */
    for (int i = 1; i < n && !inner_cap; i++)
        inner_cap = cp_is_upper(c[i].cp) && cp_is_lower(c[i - 1].cp);
    if (!inner_cap && (known_word(m, lw, (size_t)lwlen, (size_t)lwlen, lw_hash, &prefixes_at[0], NULL) ||
                       wordset_find_hashed(&m->function_words, lw, (size_t)lwlen, lw_hash)))
        return before_apostrophe ? split_elided(m, c, n, lw, lo, splits) : GLA_OK;
    if (!before_apostrophe && model_is_inflected_word(m, lw, (size_t)lwlen))
        return GLA_OK; /* onusienne, vidéoconférences: forms the word list lacks */

    uint8_t cl[MAX_PIECE_CPS];
    for (int i = 0; i < n; i++)
        cl[i] = case_class_of(c[i].cp);
    int shape = shape_of(cl, n);
    int letters = 0; /* lower-case letters then digits: le20, en2023 */
    while (letters < n && (cl[letters] & CL_LOWER))
        letters++;
    bool lower_then_digits = letters > 0 && letters < n;
    for (int i = letters; i < n && lower_then_digits; i++)
        lower_then_digits = cl[i] & CL_DIGIT;
    bool camel = false, starts_upper = cl[0] & CL_UPPER, upper_then_lower = false;
    for (int i = 1; i < n; i++) {
        if ((cl[i] & CL_UPPER) && (cl[i - 1] & (CL_LOWER | CL_DIGIT)))
            camel = true;
        if (i >= 2 && (cl[i] & CL_LOWER) && (cl[i - 1] & CL_UPPER) && (cl[i - 2] & CL_UPPER))
            upper_then_lower = true;
    }
    double keep;
    if (shape == SHAPE_UPPER || shape == SHAPE_DIGITS)
        return GLA_OK;
    if ((cl[0] & CL_DIGIT) && ordinal_at_start(m, text, c, n, end_off))
        return GLA_OK; /* an ordinal alone (1er, 10e) is a word */
    if (shape == SHAPE_LOWER)
        keep = KEEP_LOWER;
    else if (shape == SHAPE_CAPITAL) {
        if (rules_match_kind(m, md, "NAMESHAPE", text + c[0].off, end_off - c[0].off))
            return GLA_OK;
        char folded[4 * MAX_PIECE_CPS + 1]; /* Charles, Tony, Roussel: a name part of the lists */
        int fl = utf8_fold(text + c[0].off, end_off - c[0].off, folded, sizeof folded);
        if (fl > 0 && wordset_find(&m->person_names, folded, (size_t)fl))
            return GLA_OK;
        keep = KEEP_CAPITAL;
    } else if (cl[0] & CL_DIGIT)
        keep = KEEP_NUMBER_CAPITAL;
    else if (camel && !starts_upper)
        keep = KEEP_CAMEL;
    else if (lower_then_digits)
        keep = KEEP_LOWER;
    else if (upper_then_lower && !camel)
        keep = KEEP_ACRONYM_LOWER;
    else /* VinFast, McDonald, DeepMind: a brand or a name, not a glue — unless a glued name */
        return split_word_and_names(m, md, text, c, n, end_off, lw, lo, splits);

    /* seg_hash[j][k]: the wordset_hash of the lower case of the k letters from j, each hash
     * extending the one before it by the bytes of one letter (FNV-1a is incremental) */
    uint32_t seg_hash[MAX_PIECE_CPS][MAX_SEG_CPS + 1];
    for (int j = 0; j < n; j++) {
        uint32_t h = WORDSET_HASH_INIT;
        for (int k = 1; k <= MAX_SEG_CPS && j + k <= n; k++) {
            for (int b = lo[j + k - 1]; b < lo[j + k]; b++)
                h = wordset_hash_byte(h, (uint8_t)lw[b]);
            seg_hash[j][k] = h;
        }
    }

    double best[MAX_PIECE_CPS + 1];
    int from[MAX_PIECE_CPS + 1];
    bool first_is_fw[MAX_PIECE_CPS + 1];
    best[0] = 0;
    for (int i = 2; i <= n && i < 2 + SEG_PREFETCH_ROWS; i++)
        prefetch_segments_to(m, seg_hash, i);
    for (int i = 1; i <= n; i++) {
        if (i + SEG_PREFETCH_ROWS <= n)
            prefetch_segments_to(m, seg_hash, i + SEG_PREFETCH_ROWS);
        best[i] = INF;
        from[i] = -1;
        first_is_fw[i] = false;
        /* the shape of the segment [j, i), kept as j moves left (see shape_of) */
        bool all_digits = true, all_upper = true, rest_lower = true;
        for (int j = i - 1; j >= 0 && i - j <= MAX_SEG_CPS; j--) {
            all_digits &= (cl[j] & CL_DIGIT) != 0;
            all_upper &= (cl[j] & CL_UPPER) != 0;
            if (j < i - 1)
                rest_lower &= !(cl[j + 1] & (CL_UPPER | CL_DIGIT));
            if (best[j] >= INF || (j == 0 && i == n))
                continue;
            const cpos *s = c + j;
            int sn = i - j;
            uint32_t s_end = i < n ? c[i].off : end_off;
            int sshape = shape_from(all_digits, all_upper, rest_lower, cl[j], sn);
            double cost = INF;
            bool is_fw = false;
            int fw_weight, word_flags = 0;
            /* the segment's lower case: a slice of the word's (never empty: sn >= 1) */
            const char *sl = lw + lo[j];
            size_t sll = (size_t)(lo[i] - lo[j]);
            uint32_t sh = seg_hash[j][sn];
            if (sshape == SHAPE_DIGITS || (j == 0 && i < n && ordinal_at_start(m, text, s, sn, s_end))) {
                /* 1Le, 4mars, 9edialogue (a number or ordinal, then a word); le20 */
                if ((j == 0 && i < n) || (j > 0 && i == n && lower_then_digits))
                    cost = COST_NUMBER;
            } else if (sshape == SHAPE_MIXED) {
                cost = INF;
            } else if (j > 0 && sshape != SHAPE_LOWER && !(cl[j - 1] & (CL_LOWER | CL_DIGIT)) &&
                       !(sshape == SHAPE_CAPITAL && (cl[j - 1] & CL_UPPER))) {
                cost = INF; /* a capital inside a word only starts a new word after a lower case */
            } else if (i == n && before_apostrophe && j > 0 &&
                       wordset_find_hashed(&m->elisions, sl, sll, sh)) {
                cost = COST_ELISION;
            } else if ((fw_weight = wordset_find_hashed(&m->function_words, sl, sll, sh))) {
                /* the list may weigh a rare function word (es, ai) in tenths; default below */
                cost = fw_weight > 1 ? (fw_weight - 1) / 10.0 : sn == 1 ? COST_ONE_LETTER_FW : COST_FUNCTION_WORD;
                is_fw = true;
            } else if (sshape == SHAPE_UPPER &&
                       ((i < n && (cl[i] & CL_LOWER)) || (i == n && j > 0 && (cl[j - 1] & CL_LOWER)))) {
                cost = COST_ACRONYM; /* ASEANélargie, anciensSG */
            } else {
                int flags = 0;
                if (sshape != SHAPE_UPPER && sn >= 2 &&
                    known_word(m, sl, sll, (size_t)(lwlen - lo[j]), sh, &prefixes_at[j], &flags)) {
                    word_flags = flags;
                    cost = COST_WORD + (sn <= 2 ? COST_SHORT_2 : sn == 3 ? COST_SHORT_3 : sn == 4 ? COST_SHORT_4 : 0);
                    if (sshape == SHAPE_LOWER && (flags & LEX_PROPER) && !(flags & LEX_COMMON))
                        cost += COST_PROPER_LOWER;
                } else if (sshape == SHAPE_CAPITAL && j > 0 && (cl[j - 1] & CL_LOWER) && sn >= 2) {
                    cost = COST_NAME_AT_CAMEL;
                } else if (shape == SHAPE_LOWER && sn >= TYPO_WORD_MIN &&
                           word_with_letter_doubled(m, sl, sll)) {
                    cost = COST_WORD + COST_TYPO; /* dévelloppement+de */
                } else if (sshape == SHAPE_LOWER && sn >= INFLECTED_WORD_MIN &&
                           model_is_inflected_word(m, sl, sll)) {
                    cost = COST_WORD + COST_INFLECTED; /* les+vidéoconférences */
                }
            }
            if (cost >= INF)
                continue;
            if (j > 0) {
                bool case_change = (cl[j] & CL_UPPER) && (cl[j - 1] & (CL_LOWER | CL_DIGIT));
                bool acronym_end =
                    (cl[j] & CL_LOWER) && (cl[j - 1] & CL_UPPER) && j >= 2 && (cl[j - 2] & CL_UPPER);
                if (!case_change && !acronym_end)
                    cost += COST_BOUNDARY;
            }
            if (j == 0 && shape == SHAPE_CAPITAL) {
                if (is_fw) {
                    if (n - i < CAP_FW_REST_MIN)
                        cost += COST_CAP_FW_SHORT;
                } else {
                    cost += COST_CAP_CONTENT;
                    /* a capitalised common word and a few letters more: a name made of a word */
                    if (i <= CAP_COMMON_SHORT_MAX && n - i < CAP_FW_REST_MIN && (word_flags & LEX_COMMON))
                        cost += COST_CAP_COMMON_SHORT;
                }
            }
            double total = best[j] + cost;
            /* ties go to the longer first word: "parties ont", not "partie sont" */
            if (total < best[i] - 1e-9) {
                best[i] = total;
                from[i] = j;
                first_is_fw[i] = j == 0 ? is_fw : first_is_fw[j];
            }
        }
    }
    if (best[n] >= keep || (shape == SHAPE_CAPITAL && only_function_words(m, text, c, n, end_off, from)))
        return GLA_OK; /* "Dela", "Dupont": a capitalised word of function words is a name */
    int cuts[MAX_PIECE_CPS], k = 0;
    for (int i = n; i > 0 && from[i] > 0; i = from[i])
        cuts[k++] = from[i];
    while (k > 0) {
        uint32_t *at = vec_push(splits);
        if (!at)
            return GLA_ERR_NOMEM;
        *at = c[cuts[--k]].off;
    }
    return GLA_OK;
}

/* Are all segments of the segmentation ending at n (by from[]) function words? */
static bool only_function_words(const gla_model *m, const char *text, const cpos *c, int n, uint32_t end_off,
                                const int *from) {
    for (int i = n; i > 0; i = from[i]) {
        int j = from[i];
        if (j < 0)
            return false;
        uint32_t s = c[j].off, e = i < n ? c[i].off : end_off;
        char lw[64];
        int l = e - s < 30 ? utf8_lower(text + s, e - s, lw, sizeof lw) : -1;
        if (l <= 0 || !wordset_find(&m->function_words, lw, (size_t)l))
            return false;
    }
    return true;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* A URL or an e-mail address is no run-together text (checked on every word: memchr only). */
static bool chunk_is_address(const char *s, size_t len) {
    if (memchr(s, '@', len))
        return true;
    if (len >= 4 && (s[0] == 'w' || s[0] == 'W') && !strncasecmp(s, "www.", 4))
        return true;
    for (const char *p = s, *end = s + len; (p = memchr(p, ':', (size_t)(end - p))); p++)
        if (p + 2 < end && p[1] == '/' && p[2] == '/')
            return true;
    return false;
}

/* The memo (see unglue_slot). Keys are zero-padded to a fixed size, so that hashing and
 * comparing them are a few word-sized operations with no loop over the bytes. */
enum { MEMO_CHUNK = 1, MEMO_RUN, MEMO_RUN_APOSTROPHE };

typedef struct {
    unglue_slot *pair; /* the two slots the key may be in */
    uint8_t len, kind;
    uint64_t key[UNGLUE_CACHE_KEY / 8]; /* the key's bytes, zero-padded, as words */
} memo_key;

_Static_assert(sizeof(unglue_slot) == 32, "two memo slots to a cache line");
_Static_assert(UNGLUE_CACHE_KEY == 24, "memo keys are three words");

/* The first slot of the memo's pairs: the table starts at a cache line (the allocation has two
 * spare slots for it, and calloc's 16-byte alignment leaves at most 48 bytes to skip). */
static unglue_slot *memo_table(unglue_slot *cache) {
    uintptr_t at = ((uintptr_t)cache + 63) & ~(uintptr_t)63;
    return (unglue_slot *)at;
}

/* Completes k, whose key words are set, for a key of len bytes and kind: finds its pair in table. */
static inline void memo_key_hash(memo_key *k, unglue_slot *table, size_t len, uint8_t kind) {
    k->len = (uint8_t)len;
    k->kind = kind;
    uint64_t h = k->key[0] * 0x9E3779B97F4A7C15u ^ k->key[1] * 0xC2B2AE3D27D4EB4Fu ^
                 k->key[2] * 0x165667B19E3779F9u ^ ((uint64_t)len << 8 | kind);
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93u;
    k->pair = table + 2 * (size_t)((h >> 32) & (UNGLUE_MEMO_PAIRS - 1));
}

/* Fills k for the len (<= UNGLUE_CACHE_KEY) bytes of word and finds its pair in table. */
static void memo_key_set(memo_key *k, unglue_slot *table, const char *word, size_t len, uint8_t kind) {
    memset(k->key, 0, sizeof k->key);
    memcpy(k->key, word, len);
    memo_key_hash(k, table, len, kind);
}

static inline bool memo_slot_is(const unglue_slot *slot, const memo_key *k) {
    uint64_t key[UNGLUE_CACHE_KEY / 8];
    memcpy(key, slot->key, sizeof key);
    return slot->len == k->len && slot->kind == k->kind &&
           !((key[0] ^ k->key[0]) | (key[1] ^ k->key[1]) | (key[2] ^ k->key[2]));
}

/* The slot of key k, or NULL. A hit in the second slot of the pair moves it to the first, which
 * is the one that survives the next insertion into the pair. */
static inline const unglue_slot *memo_find(const memo_key *k) {
    unglue_slot *p = k->pair;
    if (memo_slot_is(&p[0], k))
        return &p[0];
    if (!memo_slot_is(&p[1], k))
        return NULL;
    unglue_slot hit = p[1];
    p[1] = p[0];
    p[0] = hit;
    return &p[0];
}

/* The cuts made since index `before` of splits (NULL when none: a vector never pushed to has no
 * items, and NULL + 0 is undefined). */
static const uint32_t *cuts_since(const vec *splits, size_t before) {
    return splits->count > before ? (const uint32_t *)splits->items + before : NULL;
}

/* Remembers that key k splits at cuts[0, ncuts) (ncuts <= UNGLUE_CACHE_CUTS), offsets of the
 * text from which base is the offset of the key, evicting the older slot of the pair. */
static void memo_store(const memo_key *k, const uint32_t *cuts, size_t ncuts, uint32_t base) {
    unglue_slot *p = k->pair;
    p[1] = p[0];
    p[0].len = k->len;
    p[0].kind = k->kind;
    p[0].ncuts = (uint8_t)ncuts;
    for (size_t j = 0; j < ncuts && j < UNGLUE_CACHE_CUTS; j++) /* (bound restated for gcc's LTO) */
        p[0].cuts[j] = (uint8_t)(cuts[j] - base);
    memcpy(p[0].key, k->key, sizeof k->key);
}

/* Appends the split points of a memo slot, for its key at text offset base. */
static int memo_replay(const unglue_slot *slot, uint32_t base, vec *splits) {
    for (int j = 0; j < slot->ncuts; j++) {
        uint32_t *at = vec_push(splits);
        if (!at)
            return GLA_ERR_NOMEM;
        *at = base + slot->cuts[j];
    }
    return GLA_OK;
}

/* Segments a letter run through the memo (table, or NULL for none): a run seen before gets its
 * verdict from the memo. */
static int segment_cached(const gla_model *m, pcre2_match_data *md, unglue_slot *table, const char *text,
                          const cpos *c, int n, uint32_t end_off, bool before_apostrophe, vec *splits) {
    if (n < 2)
        return GLA_OK; /* segment leaves a single letter alone: not worth a memo slot */
    size_t len = end_off - c[0].off;
    if (!table || len > UNGLUE_CACHE_KEY)
        return segment(m, md, text, c, n, end_off, before_apostrophe, splits);
    memo_key k;
    memo_key_set(&k, table, text + c[0].off, len, before_apostrophe ? MEMO_RUN_APOSTROPHE : MEMO_RUN);
    const unglue_slot *hit = memo_find(&k);
    if (hit)
        return memo_replay(hit, c[0].off, splits);
    size_t before = splits->count;
    int rc = segment(m, md, text, c, n, end_off, before_apostrophe, splits);
    if (rc == GLA_OK && splits->count - before <= UNGLUE_CACHE_CUTS)
        memo_store(&k, cuts_since(splits, before), splits->count - before, c[0].off);
    return rc;
}

/* is_space_cp's answers for ASCII: space, \t \n \v \f \r */
static inline bool ascii_space(uint8_t b) { return b == ' ' || (b >= '\t' && b <= '\r'); }


/* Bytes at which the chunk scan stops to look closer: ASCII spaces (is_space_cp's answers for
 * ASCII: space, \t \n \v \f \r) and every non-ASCII byte. One table look-up per byte of
 * the text. */
#define STOP(b) ((b) == ' ' || ((b) >= '\t' && (b) <= '\r') || (b) >= 0x80)
#define STOP4(b) STOP(b), STOP((b) + 1), STOP((b) + 2), STOP((b) + 3)
#define STOP16(b) STOP4(b), STOP4((b) + 4), STOP4((b) + 8), STOP4((b) + 12)
#define STOP64(b) STOP16(b), STOP16((b) + 16), STOP16((b) + 32), STOP16((b) + 48)
static const bool scan_stop[256] = {STOP64(0), STOP64(64), STOP64(128), STOP64(192)};
#undef STOP64
#undef STOP16
#undef STOP4
#undef STOP

/* Does an ASCII capital follow a lower-case letter (or a letter outside ASCII) in s[0, len)?
 * PoChai is two name syllables even though the lexicon knows pochai: a word of the lexicon is
 * never written with a capital inside. */
static bool inner_capital(const char *s, size_t len) {
    for (size_t p = 1; p < len; p++) {
        uint8_t b = (uint8_t)s[p], before = (uint8_t)s[p - 1];
        if (b >= 'A' && b <= 'Z' && ((before >= 'a' && before <= 'z') || before >= 0x80))
            return true;
    }
    return false;
}

/* The end of the chunk that starts at text[at]: the first space or invalid UTF-8 before to. */
static size_t chunk_end_from(const char *text, size_t at, size_t to) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    while (at < to) {
        /* eight bytes at a time to the first byte below 0x21 or from 0x80, which the table then
         * settles: most chunks are a few ASCII letters, found whole by one step */
        if (at + 8 <= to) {
            uint64_t w;
            memcpy(&w, text + at, 8);
            /* a high bit at each such byte; a borrow spoils only bytes after the first */
            uint64_t stops = (w | (w - 0x21 * ones)) & high;
            if (!stops) {
                at += 8;
                continue;
            }
            at += first_flagged_byte(stops);
        }
        uint8_t b = (uint8_t)text[at];
        if (!scan_stop[b]) {
            at++;
            continue;
        }
        if (b < 0x80)
            break; /* an ASCII space */
        int32_t cp;
        int n = utf8_decode((const uint8_t *)text + at, to - at, &cp);
        if (n < 0 || is_space_cp(cp))
            break;
        at += (size_t)n;
    }
    return at;
}

/* The bytes trimmed off a chunk before it is looked up whole: those of the string
 * ".,;:!?\"()[]«»" one by one (so also the bytes of « and » alone), and NUL, which strchr
 * would find in any string. */
static const bool trimmed_byte[256] = {
    [0] = true,   ['.'] = true, [','] = true, [';'] = true,  [':'] = true,  ['!'] = true,
    ['?'] = true, ['"'] = true, ['('] = true, [')'] = true,  ['['] = true,  [']'] = true,
    [0xC2] = true, [0xAB] = true, [0xBB] = true,
};

/* utf8_lower(s, len) into out (size bytes), and the wordset_hash of the result in *hash. Returns
 * the length or -1. */
static int lower_hashed(const char *s, size_t len, char *out, size_t size, uint32_t *hash) {
    int n = utf8_lower(s, len, out, size);
    if (n >= 0)
        *hash = wordset_hash(out, (size_t)n);
    return n;
}

/* Moves *at past the spaces there, to the start of the next chunk (whitespace-separated).
 * Returns 0 when only spaces remain before to, -1 at invalid UTF-8, where the repair stops,
 * else 1. */
static int skip_spaces(const char *text, size_t *at, size_t to) {
    size_t i = *at;
    /* the common case, ASCII spaces then an ASCII byte, without a decode */
    while (i < to && ascii_space((uint8_t)text[i]))
        i++;
    if (i < to && (uint8_t)text[i] < 0x80) {
        *at = i;
        return 1;
    }
    for (;;) {
        if (i >= to) {
            *at = to;
            return 0;
        }
        int32_t cp;
        int n = utf8_decode((const uint8_t *)text + i, to - i, &cp);
        if (n < 0) {
            *at = i;
            return -1;
        }
        if (!is_space_cp(cp))
            break;
        i += (size_t)n;
    }
    *at = i;
    return 1;
}

/* The length of the chunk at text[at] (no space there) when it is what most chunks are, at most
 * UNGLUE_CACHE_KEY - 1 bytes of printable ASCII that an ASCII space ends, with its memo key in
 * key; else 0. The words that find the end are the key: the chunk is read once. */
static inline size_t short_ascii_chunk(const char *text, size_t at, size_t to, uint64_t key[UNGLUE_CACHE_KEY / 8]) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    if (at + UNGLUE_CACHE_KEY > to)
        return 0;
    memcpy(key, text + at, UNGLUE_CACHE_KEY);
    for (size_t q = 0; q < UNGLUE_CACHE_KEY / 8; q++) {
        /* a high bit at each byte below 0x21 or from 0x80; a borrow spoils only later bytes */
        uint64_t stops = (key[q] | (key[q] - 0x21 * ones)) & high;
        if (!stops)
            continue;
        size_t len = 8 * q + first_flagged_byte(stops);
        if (!ascii_space((uint8_t)text[at + len]))
            return 0;
        /* the bytes after the chunk masked off: from key_mask + UNGLUE_CACHE_KEY - len, len bytes
         * 0xFF then zeros */
        static const uint8_t key_mask[2 * UNGLUE_CACHE_KEY] = {
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
        uint64_t mask[UNGLUE_CACHE_KEY / 8];
        memcpy(mask, key_mask + UNGLUE_CACHE_KEY - len, sizeof mask);
        for (size_t z = 0; z < UNGLUE_CACHE_KEY / 8; z++)
            key[z] &= mask[z];
        return len;
    }
    return 0;
}

/* A chunk found and not yet looked up (see unglue): its bytes, and its memo key if it has one. */
#define UNGLUE_LOOKAHEAD 8
typedef struct {
    size_t start, end;
    bool keyed;
    memo_key key;
} pending_chunk;

/* Appends the split points of the chunk text[start, end), asking the memo (table, or NULL)
 * about its letter runs: the work that the memo of whole chunks saves. */
static int unglue_chunk(const gla_model *m, pcre2_match_data *md, unglue_slot *table, const char *text,
                        size_t chunk_start, size_t chunk_end, vec *splits) {
    /* a chunk the lexicon knows whole (aujourd'hui, vice-ministre) is left alone, and so is
     * an address; most chunks are words, so the lexicon is asked first, about the chunk
     * trimmed of punctuation */
    size_t core_s = chunk_start, core_e = chunk_end;
    while (core_s < core_e && trimmed_byte[(uint8_t)text[core_s]])
        core_s++;
    while (core_e > core_s && trimmed_byte[(uint8_t)text[core_e - 1]])
        core_e--;
    char lw[256];
    uint32_t hash = 0;
    int lwlen = core_e - core_s < 200 ? lower_hashed(text + core_s, core_e - core_s, lw, sizeof lw, &hash) : -1;
    if ((lwlen > 0 && model_is_word_hashed(m, lw, (size_t)lwlen, hash, NULL) &&
         !inner_capital(text + core_s, core_e - core_s)) ||
        chunk_is_address(text + chunk_start, chunk_end - chunk_start))
        return GLA_OK;
    cpos c[MAX_PIECE_CPS + 1];
    int rc = GLA_OK;
    size_t j = chunk_start;
    while (j < chunk_end && rc == GLA_OK) {
        int cn = 0;
        size_t run_end = j;
        while (run_end < chunk_end) {
            int32_t c2;
            int n2 = utf8_decode((const uint8_t *)text + run_end, chunk_end - run_end, &c2);
            if (n2 < 0 || !cp_is_alnum(c2))
                break;
            if (cn <= MAX_PIECE_CPS)
                c[cn] = (cpos){c2, (uint32_t)run_end};
            cn++;
            run_end += (size_t)n2;
        }
        if (cn == 0) {
            j++;
            while (j < chunk_end && ((uint8_t)text[j] & 0xC0) == 0x80)
                j++;
            continue;
        }
        bool before_apostrophe = run_end < chunk_end && text[run_end] == '\'';
        if (before_apostrophe) {
            /* aujourd'hui, presqu'île, quelqu'un: a word with its apostrophe inside */
            size_t next_end = run_end + 1;
            while (next_end < chunk_end) {
                int32_t c2;
                int n2 = utf8_decode((const uint8_t *)text + next_end, chunk_end - next_end, &c2);
                if (n2 < 0 || !cp_is_letter(c2))
                    break;
                next_end += (size_t)n2;
            }
            char whole[128];
            uint32_t whole_hash = 0;
            int wl = next_end > run_end + 1 && next_end - j < 100
                         ? lower_hashed(text + j, next_end - j, whole, sizeof whole, &whole_hash)
                         : -1;
            if (wl > 0 && model_is_word_hashed(m, whole, (size_t)wl, whole_hash, NULL)) {
                j = next_end;
                continue;
            }
        }
        if (cn <= MAX_PIECE_CPS)
            rc = segment_cached(m, md, table, text, c, cn, (uint32_t)run_end, before_apostrophe, splits);
        j = run_end;
    }
    return rc;
}

/* The offsets of in[from, to) before which unglue puts a space, increasing, into spaces_at
 * (uint32_t, emptied first). */
static int space_points(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, const repaired *in,
                        size_t from, size_t to, vec *spaces_at) {
    const char *text = in->text.data ? in->text.data : "";
    vec splits;
    vec_init(&splits, sizeof(uint32_t));
    int rc = GLA_OK;
    spaces_at->count = 0;

    /* SPACE rules: a space where a rule matches (start of the match) */
    const rule_kind *spaces = ruleset_kind(&m->rules, "SPACE");
    for (size_t k = 0; k < spaces->count && rc == GLA_OK; k++) {
        const rule *r = spaces->rules[k];
        size_t at = from;
        while (at < to) {
            int mrc = rule_exec(r, text, to, at, 0, md, NULL);
            if (mrc <= 0)
                break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            uint32_t *p = vec_push(&splits);
            if (!p) {
                rc = GLA_ERR_NOMEM;
                break;
            }
            /* the insertion point: the empty group "at" if the rule has one, else the match start
             * (a rule that starts with its punctuation lets PCRE2 skip to it) */
            int at_group = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "at");
            *p = (uint32_t)(at_group > 0 && ov[2 * at_group] != PCRE2_UNSET ? ov[2 * at_group] : ov[0]);
            at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
            while (at < to && ((uint8_t)text[at] & 0xC0) == 0x80)
                at++;
        }
    }

    size_t space_count = splits.count;

    /* each whitespace-separated chunk: from the memo when it holds the chunk whole, the
     * verdict on nearly every word of a text; else from its letter runs, which the memo holds
     * too (a name recurs glued to different words: arméeHoàng, Hoàng,) */
    unglue_slot *table = cache ? memo_table(cache) : NULL;
    /* The chunks go by batches: all of a batch are found and their memo pairs fetched before the
     * first is looked up, so that the cache misses on the memo overlap instead of each stalling
     * the scan in turn. */
    pending_chunk batch[UNGLUE_LOOKAHEAD];
    size_t scan = from;
    int found = 1;
    while (rc == GLA_OK && found > 0) {
        size_t batched = 0;
        while (batched < UNGLUE_LOOKAHEAD && (found = skip_spaces(text, &scan, to)) > 0) {
            pending_chunk *p = &batch[batched++];
            p->start = scan;
            size_t len = table ? short_ascii_chunk(text, scan, to, p->key.key) : 0;
            p->end = scan + len;
            p->keyed = len > 0;
            size_t space = len > 0; /* short_ascii_chunk saw an ASCII space end the chunk */
            if (!len) {
                p->end = chunk_end_from(text, scan, to);
                len = p->end - p->start;
                p->keyed = table && len <= UNGLUE_CACHE_KEY;
                if (p->keyed) {
                    memset(p->key.key, 0, sizeof p->key.key);
                    memcpy(p->key.key, text + p->start, len);
                }
            }
            if (p->keyed) {
                memo_key_hash(&p->key, table, len, MEMO_CHUNK);
                __builtin_prefetch(p->key.pair);
            }
            scan = p->end + space;
        }
        for (size_t b = 0; b < batched && rc == GLA_OK; b++) {
            const pending_chunk *p = &batch[b];
            const unglue_slot *hit = p->keyed ? memo_find(&p->key) : NULL;
            if (hit) { /* most chunks are words, whose verdict is no cut */
                if (hit->ncuts)
                    rc = memo_replay(hit, (uint32_t)p->start, &splits);
                continue;
            }
            size_t before = splits.count;
            rc = unglue_chunk(m, md, table, text, p->start, p->end, &splits);
            if (p->keyed && rc == GLA_OK && splits.count - before <= UNGLUE_CACHE_CUTS)
                memo_store(&p->key, cuts_since(&splits, before), splits.count - before, (uint32_t)p->start);
        }
        if (found < 0 && rc == GLA_OK)
            rc = GLA_ERR_UTF8;
    }

    /* a space at every split point, in order: the SPACE rules' points, sorted, merged with the
     * chunks', which come sorted (chunk by chunk, and in order within each) */
    if (rc == GLA_OK && space_count > 1)
        qsort(splits.items, space_count, sizeof(uint32_t), cmp_u32);
    const uint32_t *points = splits.items;
    size_t pos = from, space_k = 0, chunk_k = space_count;
    bool any_before = false;
    uint32_t point = 0, point_before = 0;
    while (rc == GLA_OK && pos <= to) {
        bool more = space_k < space_count || chunk_k < splits.count;
        if (more) {
            bool space_next = space_k < space_count && (chunk_k >= splits.count || points[space_k] <= points[chunk_k]);
            point = space_next ? points[space_k++] : points[chunk_k++];
        }
        size_t next = more ? point : to;
        if (next > to)
            next = to;
        if (next > pos)
            pos = next;
        if (!more)
            break;
        /* one space, unless the text already has one there or it is a duplicate */
        bool dup = any_before && point_before == point;
        bool spaced = pos > from && (text[pos - 1] == ' ' || (pos < to && text[pos] == ' '));
        if (!dup && !spaced && pos > from && pos < to) {
            uint32_t *at = vec_push(spaces_at);
            if (!at) {
                rc = GLA_ERR_NOMEM;
                break;
            }
            *at = (uint32_t)pos;
        }
        point_before = point;
        any_before = true;
    }
    vec_free(&splits);
    return rc;
}

int unglue(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, const repaired *in, size_t from,
           size_t to, repaired *out) {
    vec spaces_at;
    vec_init(&spaces_at, sizeof(uint32_t));
    int rc = space_points(m, md, cache, in, from, to, &spaces_at);
    const char *text = in->text.data ? in->text.data : "";
    const uint32_t *ss = in->src_start.items, *at = spaces_at.items;
    const uint8_t *sl = in->src_len.items;
    const src_far *far = in->far_ends.items;
    size_t far_k = 0;
    out->text.len = 0;
    out->src_start.count = out->src_len.count = out->far_ends.count = 0;
    out->compact = false;
    for (size_t k = 0, pos = from; rc == GLA_OK && pos <= to; k++) {
        size_t next = k < spaces_at.count ? at[k] : to;
        if (next > pos) {
            size_t before = out->text.len;
            if (!buf_append(&out->text, text + pos, next - pos) ||
                !vec_reserve(&out->src_start, out->text.len) || !vec_reserve(&out->src_len, out->text.len)) {
                rc = GLA_ERR_NOMEM;
                break;
            }
            memcpy((uint32_t *)out->src_start.items + before, ss + pos, (next - pos) * sizeof(uint32_t));
            memcpy((uint8_t *)out->src_len.items + before, sl + pos, next - pos);
            out->src_start.count = out->src_len.count = out->text.len;
            for (; far_k < in->far_ends.count && far[far_k].byte < next; far_k++) {
                src_far *f = far[far_k].byte >= pos ? vec_push(&out->far_ends) : NULL;
                if (f)
                    *f = (src_far){(uint32_t)(before + far[far_k].byte - pos), far[far_k].end};
                else if (far[far_k].byte >= pos)
                    rc = GLA_ERR_NOMEM;
            }
            pos = next;
        }
        if (k >= spaces_at.count)
            break;
        if (!repaired_push(out, " ", 1, ss[pos], ss[pos])) {
            rc = GLA_ERR_NOMEM;
            break;
        }
    }
    vec_free(&spaces_at);
    return rc;
}

int unglue_in_place(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, repaired *r) {
    vec spaces_at;
    vec_init(&spaces_at, sizeof(uint32_t));
    size_t len = r->text.len, count;
    int rc = space_points(m, md, cache, r, 0, len, &spaces_at);
    count = spaces_at.count;
    if (rc == GLA_OK && count &&
        (!buf_reserve(&r->text, count) || !vec_reserve(&r->src_start, len + count) ||
         !vec_reserve(&r->src_len, len + count)))
        rc = GLA_ERR_NOMEM;
    if (rc == GLA_OK && count) {
        /* from the end: each piece moves right by the spaces before it, over bytes already moved */
        char *text = r->text.data;
        uint32_t *ss = r->src_start.items;
        uint8_t *sl = r->src_len.items;
        const uint32_t *at = spaces_at.items;
        /* the listed long spans move with their bytes: by the spaces at or before them */
        src_far *far = r->far_ends.items;
        for (size_t f = 0, k = 0; f < r->far_ends.count; f++) {
            while (k < count && at[k] <= far[f].byte)
                k++;
            far[f].byte += (uint32_t)k;
        }
        size_t piece_end = len, dst = len + count;
        for (size_t k = count; k-- > 0;) {
            size_t pos = at[k], n = piece_end - pos;
            uint32_t src = ss[pos]; /* the inserted space's empty span, before ss[pos] moves */
            dst -= n;
            memmove(text + dst, text + pos, n);
            memmove(ss + dst, ss + pos, n * sizeof *ss);
            memmove(sl + dst, sl + pos, n);
            dst--;
            text[dst] = ' ';
            ss[dst] = src;
            sl[dst] = 0;
            piece_end = pos;
        }
        r->text.len = len + count;
        text[r->text.len] = '\0';
        r->src_start.count = r->src_len.count = r->text.len;
    }
    vec_free(&spaces_at);
    return rc;
}
