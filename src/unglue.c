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

static int shape_of(const cpos *c, int n) {
    bool all_digits = true, all_upper = true, rest_lower = true;
    for (int i = 0; i < n; i++) {
        all_digits &= cp_is_digit(c[i].cp);
        all_upper &= cp_is_upper(c[i].cp);
        if (i > 0)
            rest_lower &= !cp_is_upper(c[i].cp) && !cp_is_digit(c[i].cp);
    }
    if (all_digits)
        return SHAPE_DIGITS;
    if (n >= 2 && all_upper)
        return SHAPE_UPPER;
    if (rest_lower && !cp_is_digit(c[0].cp))
        return cp_is_upper(c[0].cp) ? SHAPE_CAPITAL : SHAPE_LOWER;
    return n == 1 && cp_is_upper(c[0].cp) ? SHAPE_CAPITAL : SHAPE_MIXED;
}

static int lower_of(const char *text, const cpos *c, int n, uint32_t end_off, char *out, size_t size) {
    GLA_UNUSED(n);
    return utf8_lower(text + c[0].off, end_off - c[0].off, out, size);
}

/* 9e, 1er, 10ème: digits then an ordinal suffix. */
static bool ordinal_at_start(const char *text, const cpos *s, int sn, uint32_t s_end) {
    int d = 0;
    while (d < sn && cp_is_digit(s[d].cp))
        d++;
    if (d == 0 || d == sn)
        return false;
    const char *suffix = text + s[d].off;
    size_t len = s_end - s[d].off;
    static const char *const suffixes[] = {"e", "er", "re", "ème", "eme", "è"};
    for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++)
        if (strlen(suffixes[k]) == len && !memcmp(suffixes[k], suffix, len))
            return true;
    return false;
}

static bool known_word(const gla_model *m, const char *lw, size_t len, int *flags) {
    if (model_is_word(m, lw, len, flags))
        return true;
    /* prefix + known content word: coprésidé, cybersécurité */
    for (size_t p = 1; p + 4 <= len && p <= 8; p++) {
        if (((uint8_t)lw[p] & 0xC0) == 0x80)
            continue;
        if (wordset_find(&m->prefixes, lw, p) && !wordset_find(&m->function_words, lw + p, len - p) &&
            model_is_word(m, lw + p, len - p, flags))
            return true;
    }
    return false;
}

/* PhamMinh, ToLam: a capitalised run whose every camel-case part is a syllable of a naming
 * system (SYLLABLE rules, matched on the accent-free lower-case part) is a glued name. */
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
        if (fl <= 0 || !rules_match_kind(m, md, "SYLLABLE", folded, (size_t)fl))
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

static bool only_function_words(const gla_model *m, const char *text, const cpos *c, int n, uint32_t end_off,
                                const int *from);

/* Segments the letter run c[0..n) (ending at byte end_off). before_apostrophe: the run is
 * followed by an apostrophe, so it may end with an elided word. Appends split points. */
static int segment(const gla_model *m, pcre2_match_data *md, const char *text, const cpos *c, int n,
                   uint32_t end_off, bool before_apostrophe, vec *splits) {
    if (n < 2 || n > MAX_PIECE_CPS)
        return GLA_OK;
    char lw[MAX_PIECE_CPS * 4 + 8];
    int lwlen = lower_of(text, c, n, end_off, lw, sizeof lw);
    if (lwlen <= 0)
        return GLA_OK;
    if (known_word(m, lw, (size_t)lwlen, NULL) || wordset_find(&m->function_words, lw, (size_t)lwlen))
        return GLA_OK;
    if (before_apostrophe && wordset_find(&m->elisions, lw, (size_t)lwlen))
        return GLA_OK;

    int shape = shape_of(c, n);
    int letters = 0; /* lower-case letters then digits: le20, en2023 */
    while (letters < n && cp_is_lower(c[letters].cp))
        letters++;
    bool lower_then_digits = letters > 0 && letters < n;
    for (int i = letters; i < n && lower_then_digits; i++)
        lower_then_digits = cp_is_digit(c[i].cp);
    bool camel = false, starts_upper = cp_is_upper(c[0].cp), upper_then_lower = false;
    for (int i = 1; i < n; i++) {
        if (cp_is_upper(c[i].cp) && (cp_is_lower(c[i - 1].cp) || cp_is_digit(c[i - 1].cp)))
            camel = true;
        if (i >= 2 && cp_is_lower(c[i].cp) && cp_is_upper(c[i - 1].cp) && cp_is_upper(c[i - 2].cp))
            upper_then_lower = true;
    }
    double keep;
    if (shape == SHAPE_UPPER || shape == SHAPE_DIGITS)
        return GLA_OK;
    if (cp_is_digit(c[0].cp) && ordinal_at_start(text, c, n, end_off))
        return GLA_OK; /* an ordinal alone (1er, 10e) is a word */
    if (shape == SHAPE_LOWER)
        keep = KEEP_LOWER;
    else if (shape == SHAPE_CAPITAL) {
        if (rules_match_kind(m, md, "NAMESHAPE", text + c[0].off, end_off - c[0].off))
            return GLA_OK;
        keep = KEEP_CAPITAL;
    } else if (cp_is_digit(c[0].cp))
        keep = KEEP_NUMBER_CAPITAL;
    else if (camel && !starts_upper)
        keep = KEEP_CAMEL;
    else if (lower_then_digits)
        keep = KEEP_LOWER;
    else if (upper_then_lower && !camel)
        keep = KEEP_ACRONYM_LOWER;
    else /* VinFast, McDonald, DeepMind: a brand or a name, not a glue — unless a glued name */
        return split_syllables(m, md, text, c, n, end_off, splits);

    double best[MAX_PIECE_CPS + 1];
    int from[MAX_PIECE_CPS + 1];
    bool first_is_fw[MAX_PIECE_CPS + 1];
    best[0] = 0;
    for (int i = 1; i <= n; i++) {
        best[i] = INF;
        from[i] = -1;
        first_is_fw[i] = false;
        for (int j = i - 1; j >= 0 && i - j <= MAX_SEG_CPS; j--) {
            if (best[j] >= INF || (j == 0 && i == n))
                continue;
            const cpos *s = c + j;
            int sn = i - j;
            uint32_t s_end = i < n ? c[i].off : end_off;
            int sshape = shape_of(s, sn);
            double cost = INF;
            bool is_fw = false;
            int fw_weight;
            char sl[MAX_SEG_CPS * 4 + 8];
            int sll = -1;
            if (sshape != SHAPE_DIGITS && sshape != SHAPE_MIXED)
                sll = utf8_lower(text + s->off, s_end - s->off, sl, sizeof sl);
            if (sshape == SHAPE_DIGITS || (j == 0 && i < n && ordinal_at_start(text, s, sn, s_end))) {
                /* 1Le, 4mars, 9edialogue (a number or ordinal, then a word); le20 */
                if ((j == 0 && i < n) || (j > 0 && i == n && lower_then_digits))
                    cost = COST_NUMBER;
            } else if (sshape == SHAPE_MIXED || sll <= 0) {
                cost = INF;
            } else if (j > 0 && sshape != SHAPE_LOWER && !cp_is_lower(c[j - 1].cp) &&
                       !cp_is_digit(c[j - 1].cp) && !(sshape == SHAPE_CAPITAL && cp_is_upper(c[j - 1].cp))) {
                cost = INF; /* a capital inside a word only starts a new word after a lower case */
            } else if (i == n && before_apostrophe && j > 0 && wordset_find(&m->elisions, sl, (size_t)sll)) {
                cost = COST_ELISION;
            } else if ((fw_weight = wordset_find(&m->function_words, sl, (size_t)sll))) {
                /* the list may weigh a rare function word (es, ai) in tenths; default below */
                cost = fw_weight > 1 ? (fw_weight - 1) / 10.0 : sn == 1 ? COST_ONE_LETTER_FW : COST_FUNCTION_WORD;
                is_fw = true;
            } else if (sshape == SHAPE_UPPER &&
                       ((i < n && cp_is_lower(c[i].cp)) || (i == n && j > 0 && cp_is_lower(c[j - 1].cp)))) {
                cost = COST_ACRONYM; /* ASEANélargie, anciensSG */
            } else {
                int flags = 0;
                if (sshape != SHAPE_UPPER && sn >= 2 && known_word(m, sl, (size_t)sll, &flags)) {
                    cost = COST_WORD + (sn <= 2 ? COST_SHORT_2 : sn == 3 ? COST_SHORT_3 : sn == 4 ? COST_SHORT_4 : 0);
                    if (sshape == SHAPE_LOWER && (flags & LEX_PROPER) && !(flags & LEX_COMMON))
                        cost += COST_PROPER_LOWER;
                } else if (sshape == SHAPE_CAPITAL && j > 0 && cp_is_lower(c[j - 1].cp) && sn >= 2) {
                    cost = COST_NAME_AT_CAMEL;
                }
            }
            if (cost >= INF)
                continue;
            if (j > 0) {
                bool case_change = cp_is_upper(c[j].cp) &&
                                   (cp_is_lower(c[j - 1].cp) || cp_is_digit(c[j - 1].cp));
                bool acronym_end = cp_is_lower(c[j].cp) && cp_is_upper(c[j - 1].cp) && j >= 2 &&
                                   cp_is_upper(c[j - 2].cp);
                if (!case_change && !acronym_end)
                    cost += COST_BOUNDARY;
            }
            if (j == 0 && shape == SHAPE_CAPITAL) {
                if (is_fw) {
                    if (n - i < CAP_FW_REST_MIN)
                        cost += COST_CAP_FW_SHORT;
                } else {
                    cost += COST_CAP_CONTENT;
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

static uint32_t word_hash(const char *s, size_t len, bool apostrophe) {
    uint32_t h = apostrophe ? 0x9E3779B9u : 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Segments a letter run through the memo: a word seen before gets its verdict from the cache. */
static int segment_cached(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, const char *text,
                          const cpos *c, int n, uint32_t end_off, bool before_apostrophe, vec *splits) {
    size_t len = end_off - c[0].off;
    if (!cache || len > UNGLUE_CACHE_KEY)
        return segment(m, md, text, c, n, end_off, before_apostrophe, splits);
    const char *word = text + c[0].off;
    unglue_slot *slot = &cache[word_hash(word, len, before_apostrophe) % UNGLUE_CACHE_SLOTS];
    if (slot->len == len && slot->apostrophe == before_apostrophe && !memcmp(slot->key, word, len)) {
        for (int k = 0; k < slot->ncuts; k++) {
            uint32_t *at = vec_push(splits);
            if (!at)
                return GLA_ERR_NOMEM;
            *at = c[0].off + slot->cuts[k];
        }
        return GLA_OK;
    }
    size_t before = splits->count;
    int rc = segment(m, md, text, c, n, end_off, before_apostrophe, splits);
    if (rc != GLA_OK || splits->count - before > UNGLUE_CACHE_CUTS)
        return rc;
    slot->len = (uint8_t)len;
    slot->apostrophe = before_apostrophe;
    memcpy(slot->key, word, len);
    slot->ncuts = (uint8_t)(splits->count - before);
    for (size_t k = 0; k < slot->ncuts && k < UNGLUE_CACHE_CUTS; k++) /* (bound restated for gcc's LTO) */
        slot->cuts[k] = (uint8_t)(VEC_AT(splits, uint32_t, before + k) - c[0].off);
    return GLA_OK;
}

int unglue(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, const repaired *in, size_t from,
           size_t to, repaired *out) {
    const char *text = in->text.data ? in->text.data : "";
    vec splits;
    vec_init(&splits, sizeof(uint32_t));
    int rc = GLA_OK;

    /* SPACE rules: a space where a rule matches (start of the match) */
    for (size_t k = 0; k < m->rules.count && rc == GLA_OK; k++) {
        const rule *r = &m->rules.rules[k];
        if (strcmp(r->kind, "SPACE") != 0)
            continue;
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

    /* letter runs of each whitespace-separated chunk */
    cpos c[MAX_PIECE_CPS + 1];
    size_t i = from;
    while (i < to && rc == GLA_OK) {
        int32_t cp;
        int n = utf8_decode((const uint8_t *)text + i, to - i, &cp);
        if (n < 0) {
            rc = GLA_ERR_UTF8;
            break;
        }
        if (is_space_cp(cp)) {
            i += (size_t)n;
            continue;
        }
        size_t chunk_start = i, chunk_end = i;
        while (chunk_end < to) {
            int32_t c2;
            int n2 = utf8_decode((const uint8_t *)text + chunk_end, to - chunk_end, &c2);
            if (n2 < 0 || is_space_cp(c2))
                break;
            chunk_end += (size_t)n2;
        }
        if (chunk_is_address(text + chunk_start, chunk_end - chunk_start)) {
            i = chunk_end;
            continue;
        }
        /* a chunk the lexicon knows whole (aujourd'hui, vice-ministre) is left alone */
        size_t core_s = chunk_start, core_e = chunk_end;
        while (core_s < core_e && strchr(".,;:!?\"()[]«»", text[core_s]))
            core_s++;
        while (core_e > core_s && strchr(".,;:!?\"()[]«»", text[core_e - 1]))
            core_e--;
        char lw[256];
        int lwlen = core_e - core_s < 200 ? utf8_lower(text + core_s, core_e - core_s, lw, sizeof lw) : -1;
        if (lwlen > 0 && model_is_word(m, lw, (size_t)lwlen, NULL)) {
            i = chunk_end;
            continue;
        }
        size_t j = chunk_start;
        while (j < chunk_end && rc == GLA_OK) {
            int cn = 0;
            size_t run_end = j;
            while (run_end < chunk_end) {
                int32_t c2;
                int n2 = utf8_decode((const uint8_t *)text + run_end, chunk_end - run_end, &c2);
                if (n2 < 0 || !(cp_is_letter(c2) || cp_is_digit(c2)))
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
                int wl = next_end - j < 100 ? utf8_lower(text + j, next_end - j, whole, sizeof whole) : -1;
                if (next_end > run_end + 1 && wl > 0 && model_is_word(m, whole, (size_t)wl, NULL)) {
                    j = next_end;
                    continue;
                }
            }
            if (cn <= MAX_PIECE_CPS)
                rc = segment_cached(m, md, cache, text, c, cn, (uint32_t)run_end, before_apostrophe, &splits);
            j = run_end;
        }
        i = chunk_end;
    }

    /* copy with a space at every split point */
    if (rc == GLA_OK && splits.count > 1)
        qsort(splits.items, splits.count, sizeof(uint32_t), cmp_u32);
    out->text.len = 0;
    out->src_start.count = out->src_end.count = 0;
    const uint32_t *ss = in->src_start.items, *se = in->src_end.items;
    size_t pos = from, k = 0;
    while (rc == GLA_OK && pos <= to) {
        size_t next = k < splits.count ? VEC_AT(&splits, uint32_t, k) : to;
        if (next > to)
            next = to;
        if (next > pos) {
            size_t before = out->text.len;
            if (!buf_append(&out->text, text + pos, next - pos) ||
                !vec_reserve(&out->src_start, out->text.len) || !vec_reserve(&out->src_end, out->text.len)) {
                rc = GLA_ERR_NOMEM;
                break;
            }
            memcpy((uint32_t *)out->src_start.items + before, ss + pos, (next - pos) * sizeof(uint32_t));
            memcpy((uint32_t *)out->src_end.items + before, se + pos, (next - pos) * sizeof(uint32_t));
            out->src_start.count = out->src_end.count = out->text.len;
            pos = next;
        }
        if (k >= splits.count)
            break;
        /* insert one space, unless the text already has one there or it is a duplicate */
        bool dup = k > 0 && VEC_AT(&splits, uint32_t, k - 1) == VEC_AT(&splits, uint32_t, k);
        bool spaced = pos > from && (text[pos - 1] == ' ' || (pos < to && text[pos] == ' '));
        if (!dup && !spaced && pos > from && pos < to) {
            uint32_t at = ss[pos];
            if (!repaired_push(out, " ", 1, at, at)) {
                rc = GLA_ERR_NOMEM;
                break;
            }
        }
        k++;
    }
    vec_free(&splits);
    return rc;
}
