/* People, found without a list of people.
 *
 * A candidate is a run of capitalised words (Hoàng Xuân Chiên, Masami Oka, António Costa). It is
 * a person when one of these holds:
 *   - every word is a syllable of a naming system (SYLLABLE rules: Vietnamese), two words or more;
 *   - every word has the shape of a naming system's names (NAMESHAPE rules: romanised Japanese),
 *     two words or more, at least one of them no known word;
 *   - it follows a title or rank (le vice-ministre japonais de la Défense Masami Oka, l'amiral
 *     Katsutoshi Kawano, le président du Conseil européen António Costa, M. Dupont), stands in
 *     apposition before one (Serizawa Kiyoshi, vice-ministre), or is the subject of a verb that
 *     PERSONCUE rules list (Hun Manet a déclaré).
 * A run loses leading function words and sentence-initial common words (Selon, Le); a word
 * inside a title, an organisation or an event ends a run; a run made only of places is no person.
 * Then a word that is the first or last word of a person found in the document (Giang, Kawano)
 * is that person too, and every mention of a person takes as canonical the spelling of its name
 * with the most diacritics.
 *
 * What the earlier mentions say of each token is computed once into flags, so that the whole
 * stage is linear in the tokens plus a sort of the names found. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_NAME_WORDS 6

enum {
    TF_NOT_NAME = 1,     /* inside a title, rank, organisation, event or agreement */
    TF_PLACE = 2,        /* inside a place */
    TF_ENDS_TITLE = 4,   /* a title or rank ends with this token */
    TF_ENDS_DEMONYM = 8, /* a demonym ends with this token */
    TF_STARTS_TITLE = 16, /* a title or rank starts with this token */
    TF_NAME_LIKE = 32     /* name_like: asked once per token, read by both passes */
};

/* A capitalised word: an upper-case letter then lower case (hyphens allowed: Jean-Yves). */
static bool name_like(const char *text, const token *t) {
    if (t->kind != TOK_WORD)
        return false;
    int32_t cp;
    size_t i = t->start;
    int n = utf8_decode((const uint8_t *)text + i, token_end(t) - i, &cp);
    if (n < 0 || !cp_is_upper(cp))
        return false;
    i += (size_t)n;
    bool lower = false;
    while (i < token_end(t)) {
        n = utf8_decode((const uint8_t *)text + i, token_end(t) - i, &cp);
        if (n < 0 || cp_is_digit(cp))
            return false;
        if (cp_is_lower(cp))
            lower = true;
        else if (cp_is_upper(cp) && !(i > t->start && (text[i - 1] == '-' || text[i - 1] == '\'')))
            return false; /* ASEAN, McCain: an acronym or a brand; not Ramos-Horta, O'Brien */
        i += (size_t)n;
    }
    return lower || t->len <= 4; /* Ba, An, Vu */
}

static int lower_word(const char *text, const token *t, char *out, size_t size) {
    return t->len < size / 2 ? utf8_lower(text + t->start, t->len, out, size) : -1;
}

static int folded_word(const char *text, const token *t, char *out, size_t size) {
    return t->len < size / 2 ? utf8_fold(text + t->start, t->len, out, size) : -1;
}

static int strcmp_keyed(const keyed *a, const keyed *b) { return strcmp(a->key, b->key); }

static size_t diacritics(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((uint8_t)s[i] & 0xC0) == 0xC0;
    return n;
}

static int flag_tokens(gla_worker *w) {
    size_t ntok = w->tokens.count;
    if (!vec_reserve(&w->token_flags, ntok + 1))
        return GLA_ERR_NOMEM;
    uint8_t *f = w->token_flags.items;
    memset(f, 0, ntok + 1);
    w->token_flags.count = ntok;
    const token *toks = w->tokens.items;
    const char *text = w->text.text.data;
    for (size_t t = 0; t < ntok; t++) {
        /* most tokens are words in lower case: their first byte tells, without a decode */
        uint8_t first = (uint8_t)text[toks[t].start];
        if ((first >= 0x80 || (uint8_t)(first - 'A') < 26) && name_like(text, &toks[t]))
            f[t] = TF_NAME_LIKE;
    }
    /* first: token_at(w, m->start) of the last mention covered; mentions are sorted by start, so
     * the next one is found by stepping on from it (token ends grow), not by a binary search */
    size_t first = 0, first_for = 0;
    for (size_t i = 0; i < w->mentions.count; i++) {
        const mention *m = &VEC_AT(&w->mentions, mention, i);
        if (m->type == GLA_ENT_PERSON || m->type == GLA_ENT_DATE)
            continue;
        bool title = m->type == GLA_ENT_TITLE || m->type == GLA_ENT_RANK;
        /* "le président du Conseil européen António Costa": a title's organisation ends the
         * title phrase (mentions are sorted by start, the title is among the few before) */
        for (size_t j = i, steps = 0; m->type == GLA_ENT_ORG && !title && j-- > 0 && steps < 8; steps++) {
            const mention *t = &VEC_AT(&w->mentions, mention, j);
            if (t->type != GLA_ENT_TITLE || t->end > m->start || m->start - t->end > 7)
                continue;
            const char *gap = text + t->end;
            size_t gl = m->start - t->end;
            title = (gl == 4 && !strncmp(gap, " du ", 4)) || (gl == 7 && !strncmp(gap, " de la ", 7)) ||
                    (gl == 6 && !strncmp(gap, " de l'", 6)) || (gl == 5 && !strncmp(gap, " des ", 5));
        }
        uint8_t cover = m->type == GLA_ENT_LOC ? TF_PLACE : m->type == GAZ_DEMONYM ? 0 : TF_NOT_NAME;
        if (m->start < first_for) /* out of order: search afresh */
            first = token_at(w, m->start);
        else
            while (first < ntok && token_end(&toks[first]) <= m->start)
                first++;
        first_for = m->start;
        for (size_t t = first; t < ntok && toks[t].start < m->end; t++) {
            if (toks[t].start >= m->start && token_end(&toks[t]) <= m->end)
                f[t] |= cover;
            if (token_end(&toks[t]) == m->end)
                f[t] |= title ? TF_ENDS_TITLE : m->type == GAZ_DEMONYM ? TF_ENDS_DEMONYM : 0;
            if (toks[t].start == m->start && title)
                f[t] |= TF_STARTS_TITLE;
        }
    }
    return GLA_OK;
}

/* The first token from i on (at most n) flagged TF_NAME_LIKE: a tenth of the tokens are, and
 * both passes that look for names skip the others eight flags at a time. */
static size_t next_name_like(const uint8_t *f, size_t i, size_t n) {
    const uint64_t bits = TF_NAME_LIKE * 0x0101010101010101u;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, f + i, 8);
        if (w & bits) /* little-endian: the first flag is the lowest */
            return i + (size_t)__builtin_ctzll(w & bits) / 8;
    }
    while (i < n && !(f[i] & TF_NAME_LIKE))
        i++;
    return i;
}

/* The kinds of rules this stage asks, the model's. */
void people_kinds_resolve(const ruleset *rs, people_kinds *k) {
    *k = (people_kinds){
        .syllable = ruleset_kind(rs, "SYLLABLE"),
        .nameshape = ruleset_kind(rs, "NAMESHAPE"),
        .personcue = ruleset_kind(rs, "PERSONCUE"),
        .civility = ruleset_kind(rs, "CIVILITY"),
        .particle = ruleset_kind(rs, "PARTICLE"),
        .notname = ruleset_kind(rs, "NOTNAME"),
        .clausebreak = ruleset_kind(rs, "CLAUSEBREAK"),
        .before = ruleset_kind(rs, "PERSONBEFORE"),
        .named_after = ruleset_kind(rs, "NAMEDAFTER"),
        .suffix = ruleset_kind(rs, "SUFFIX"),
        .viet_middle = ruleset_kind(rs, "VIETMIDDLE"),
    };
}

/* Each word kind's tag in the worker's word memo. */
enum {
    MEMO_SYLLABLE = 1,
    MEMO_NAMESHAPE,
    MEMO_CIVILITY,
    MEMO_PARTICLE,
    MEMO_NOTNAME,
    MEMO_BREAK,
    MEMO_SUFFIX,
    MEMO_VIET_MIDDLE
};

/* The flags of lexicon/person_names.txt (tools/mknames.mjs). */
enum { PN_GIVEN = 1, PN_FAMILY = 2, PN_VIET_FAMILY = 4 };

enum { RUN_NO, RUN_MAYBE, RUN_YES };

/* The index in k of the first rule that matches s[0, len) from start (rule_exec's options), or
 * -1. Rules are tried in file order. */
static int kind_match_at(const rule_kind *k, const char *s, size_t len, size_t start, uint32_t options,
                         pcre2_match_data *md, pcre2_match_context *mctx) {
    for (size_t i = 0; i < k->count; i++)
        if (rule_exec(k->rules[i], s, len, start, options, md, mctx) > 0)
            return (int)i;
    return -1;
}

static bool kind_match(const rule_kind *k, const char *s, size_t len, size_t start, uint32_t options,
                       pcre2_match_data *md, pcre2_match_context *mctx) {
    return kind_match_at(k, s, len, start, options, md, mctx) >= 0;
}

/* kind_match_at on a whole word s[0, len), through the worker's memo (under memo_tag): the same
 * names and syllables come back in every article. Without a match context the rules call out
 * to nothing, so that the answer depends on the word alone. */
static int word_rule(gla_worker *w, const rule_kind *k, uint8_t memo_tag, const char *s, size_t len) {
    if (k->count == 0)
        return -1;
    if (len == 0 || len > WORD_MEMO_KEY)
        return kind_match_at(k, s, len, 0, 0, w->md, NULL);
    uint32_t h = wordset_hash_byte(wordset_hash(s, len), memo_tag);
    word_memo *slot = &w->word_memo[(h ^ h >> 16) & (WORD_MEMO_SLOTS - 1)];
    if (slot->len == len && slot->kind == memo_tag && !memcmp(slot->key, s, len))
        return (int)slot->answer - 2;
    int which = kind_match_at(k, s, len, 0, 0, w->md, NULL);
    slot->len = (uint8_t)len;
    slot->kind = memo_tag;
    slot->answer = (uint8_t)(which + 2); /* rules of a kind are few: which < 254 */
    memcpy(slot->key, s, len);
    return which;
}

static bool word_match(gla_worker *w, const rule_kind *k, uint8_t memo_tag, const char *s, size_t len) {
    return word_rule(w, k, memo_tag, s, len) >= 0;
}

static bool cue_after(gla_worker *w, const people_kinds *pr, size_t at) {
    return kind_match(pr->personcue, w->text.text.data, w->text.text.len, at, PCRE2_ANCHORED, w->md, w->mctx);
}

/* Does a rule of the kind match text that ends exactly where byte s is, starting at most reach
 * bytes before? The rules end with \z; their ~literals let them run only near their words. */
static bool window_match(gla_worker *w, const rule_kind *k, size_t s, size_t reach) {
    const char *text = w->text.text.data;
    size_t from = s > reach ? s - reach : 0;
    while (from > 0 && ((uint8_t)text[from] & 0xC0) == 0x80) /* a character boundary */
        from--;
    if (w->hits.text == text && from < w->hits.from)
        from = w->hits.from;
    for (size_t i = 0; i < k->count; i++)
        if (rule_match(k->rules[i], text, from, s, w->md, w->mctx, &w->hits) > 0)
            return true;
    return false;
}

/* The PN_* flags of a name part (folded), 0 when the lists do not hold it. A compound given
 * name not listed whole (Jean-Marc) is its first part. */
static int name_flags(const gla_model *m, const char *folded, size_t len) {
    int f = wordset_find(&m->person_names, folded, len);
    if (!f) {
        const char *dash = memchr(folded, '-', len);
        if (dash && dash > folded)
            f = wordset_find(&m->person_names, folded, (size_t)(dash - folded));
    }
    return f ? f - 1 : 0;
}

/* Is there a mention other than a person spanning exactly [s, e)? (sorted by start) */
static bool exact_mention(const gla_worker *w, size_t s, size_t e) {
    const mention *ms = w->mentions.items;
    for (size_t i = mention_at(ms, w->mentions.count, s); i < w->mentions.count && ms[i].start == s; i++)
        if (ms[i].end == e && ms[i].type != GLA_ENT_PERSON && ms[i].type != GLA_ENT_DATE)
            return true;
    return false;
}

static bool is_punct(const char *text, const token *t, char c) {
    return t->kind == TOK_PUNCT && t->len == 1 && text[t->start] == c;
}

static bool is_word(const char *text, const token *t, const char *word) {
    size_t l = strlen(word);
    return t->kind == TOK_WORD && t->len == l && !memcmp(text + t->start, word, l);
}

/* "le directeur général de la police nationale française, Jean-Marc Falcone": the run at token
 * a follows a comma, and a title starts earlier in the same clause, with no verb nor relative
 * between them (CLAUSEBREAK), however long its portfolios and complements are. */
static bool apposition_after_title(gla_worker *w, const people_kinds *pr, size_t a) {
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    const uint8_t *f = w->token_flags.items;
    if (a < 2 || !is_punct(text, &toks[a - 1], ',') || toks[a].sentence_start)
        return false;
    char word[128];
    for (size_t j = a - 1, steps = 0; j-- > 0 && steps < 40; steps++) {
        if (f[j] & TF_STARTS_TITLE)
            return true;
        if (toks[j].kind == TOK_PUNCT && !is_punct(text, &toks[j], ',') && !is_punct(text, &toks[j], '-'))
            return false; /* a parenthesis, a colon, a quotation mark: another clause */
        if (toks[j].kind == TOK_WORD && !(f[j] & (TF_NOT_NAME | TF_PLACE))) {
            int l = lower_word(text, &toks[j], word, sizeof word);
            if (l > 0 && word_match(w, pr->clausebreak, MEMO_BREAK, word, (size_t)l))
                return false;
        }
        if (toks[j].sentence_start)
            return false;
    }
    return false;
}

/* A title, a rank, an abbreviated civility (M., Dr.) right before the run at a, or a title
 * after it and a comma ("Serizawa Kiyoshi, vice-ministre"), or a PERSONBEFORE rule before it,
 * or a PERSONCUE rule after it. The cheap tests first: the rules cost a regex match. */
static bool context_says_person(gla_worker *w, const people_kinds *pr, size_t a, size_t b) {
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    const uint8_t *f = w->token_flags.items;
    size_t ntok = w->tokens.count;
    if (a > 0) {
        size_t p = a - 1;
        if (is_punct(text, &toks[p], ',') && p > 0)
            p--;
        if ((f[p] & TF_ENDS_TITLE) || toks[p].kind == TOK_ABBREV ||
            ((f[p] & TF_ENDS_DEMONYM) && p > 0 && (f[p - 1] & TF_ENDS_TITLE)))
            return true;
    }
    if (b + 1 < ntok && is_punct(text, &toks[b], ',') && (f[b + 1] & TF_STARTS_TITLE))
        return true;
    if (b < ntok && cue_after(w, pr, toks[b].start)) /* "Hun Manet a déclaré" */
        return true;
    return a > 0 && window_match(w, pr->before, toks[a].start, 120);
}

/* A capital letter elided before a name part, written glued to it: N'Diaye, D'Hose. */
static bool capital_elision(const char *text, const token *t) {
    return t->kind == TOK_ELISION && t->len == 2 && !t->space_after && cp_is_upper((uint8_t)text[t->start]);
}

/* Gathers the runs of capitalised words (with the particles inside names) into w->name_runs,
 * with what the run and its context say (RUN_YES), what they hint (RUN_MAYBE and a score), or
 * that it is no person (RUN_NO). */
static int gather_runs(gla_worker *w, const people_kinds *pr) {
    const gla_model *m = w->model;
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    const uint8_t *f = w->token_flags.items;
    size_t ntok = w->tokens.count;
    char word[128];
    w->name_runs.count = 0;
    for (size_t i = next_name_like(f, 0, ntok); i < ntok; i = next_name_like(f, i, ntok)) {
        if (f[i] & TF_NOT_NAME) {
            i++;
            continue;
        }
        size_t j = i + 1, words = 1;
        while (j < ntok && words < MAX_NAME_WORDS && !toks[j].sentence_start && toks[j - 1].space_after &&
               !(f[j] & TF_NOT_NAME)) {
            if (f[j] & TF_NAME_LIKE) {
                j++;
                words++;
                continue;
            }
            /* an initial ("John F. Kerry"), particles ("Abdullah bin Zayed", "Ursula von der Leyen",
             * "Charles de Gaulle") inside a name: one initial or up to two particles, then a
             * capitalised word */
            size_t q = j;
            bool glued = false;
            if (toks[q].kind == TOK_ABBREV && toks[q].len == 2 && cp_is_upper((uint8_t)text[toks[q].start]) &&
                !word_match(w, pr->civility, MEMO_CIVILITY, text + toks[q].start, 1)) /* M. is no initial */
                q++;
            else if (capital_elision(text, &toks[q])) { /* Youssouf N'Guessan */
                q++;
                glued = true;
            } else if ((j + 1 < ntok && (f[j + 1] & TF_NAME_LIKE)) ||
                       (j + 2 < ntok && (f[j + 2] & TF_NAME_LIKE)))
                /* (only where a capitalised word follows within two: most words after a name
                 * are no particle, and the rule costs a match) */
                while (q < j + 2 && q < ntok && toks[q].kind == TOK_WORD && toks[q].space_after) {
                    int l = lower_word(text, &toks[q], word, sizeof word);
                    if (l <= 0 || memcmp(word, text + toks[q].start, (size_t)l)) /* written in lower case */
                        break;
                    int which = word_rule(w, pr->particle, MEMO_PARTICLE, word, (size_t)l);
                    if (which < 0)
                        break;
                    /* de, da after a given name alone (Dominique de Villepin), or before a family name
                     * of the lists (Marcelo Rebelo de Sousa) */
                    if (!strcmp(pr->particle->rules[which]->name, "after_given")) {
                        int fl = q == i + 1 ? folded_word(text, &toks[i], word, sizeof word) : -1;
                        bool given = fl > 0 && (name_flags(m, word, (size_t)fl) & PN_GIVEN);
                        fl = q + 1 < ntok && !(f[q + 1] & TF_PLACE)
                                 ? folded_word(text, &toks[q + 1], word, sizeof word)
                                 : -1;
                        if (!given && (fl <= 0 || !(name_flags(m, word, (size_t)fl) & PN_FAMILY)))
                            break;
                    }
                    q++;
                }
            if (q == j || q >= ntok || toks[q - 1].space_after == glued || !(f[q] & TF_NAME_LIKE) ||
                (f[q] & (TF_NOT_NAME | TF_PLACE)) || toks[q].sentence_start)
                break;
            j = q + 1;
            words++;
        }
        /* a regnal number or a generation after the name (Felipe VI, Charles III) */
        if (j < ntok && toks[j - 1].space_after && toks[j].kind == TOK_WORD && !toks[j].sentence_start &&
            word_match(w, pr->suffix, MEMO_SUFFIX, text + toks[j].start, toks[j].len))
            j++;
        size_t a = i, b = j;
        i = j;
        bool civility = false;
        while (a < b) { /* civilities, leading function words, sentence-initial common words */
            if (word_match(w, pr->civility, MEMO_CIVILITY, text + toks[a].start, toks[a].len)) {
                civility = true;
                a++;
                continue;
            }
            int l = lower_word(text, &toks[a], word, sizeof word);
            int flags = 0;
            bool fw = l > 0 && wordset_find(&m->function_words, word, (size_t)l);
            /* the lexicon is asked only where a common word would be dropped */
            bool common = !fw && l > 0 && (toks[a].sentence_start || a == 0) && b - a > 1 &&
                          model_is_word(m, word, (size_t)l, &flags) && (flags & LEX_COMMON) && !(flags & LEX_PROPER);
            if (!fw && !common)
                break;
            /* "Le Minh Hung", "Mai Tien Dung": a Vietnamese family name that is also a French word
             * stays, before two or more syllables of a name */
            if (b - a >= 3) {
                int fl = folded_word(text, &toks[a], word, sizeof word);
                bool viet = fl > 0 && (name_flags(m, word, (size_t)fl) & PN_VIET_FAMILY);
                for (size_t k = a + 1; k < b && viet; k++) {
                    fl = folded_word(text, &toks[k], word, sizeof word);
                    viet = fl > 0 && !(f[k] & TF_PLACE) &&
                           word_match(w, pr->syllable, MEMO_SYLLABLE, word, (size_t)fl);
                }
                if (viet)
                    break;
            }
            a++;
        }
        /* a capitalised common word before a given name or a Vietnamese family name ends a
         * portfolio or a thing, not the name ("de la Recherche Johann Schneider Amman", the
         * repaired "CommerceNguyen Van Binh") */
        while (b - a >= 3) {
            int l = lower_word(text, &toks[a], word, sizeof word), flags = 0;
            if (l <= 0 || !model_is_word(m, word, (size_t)l, &flags) || !(flags & LEX_COMMON) ||
                (flags & LEX_PROPER))
                break;
            l = folded_word(text, &toks[a], word, sizeof word);
            if (l <= 0 || name_flags(m, word, (size_t)l))
                break;
            l = folded_word(text, &toks[a + 1], word, sizeof word);
            if (l <= 0 || !(name_flags(m, word, (size_t)l) & (PN_GIVEN | PN_VIET_FAMILY)))
                break;
            a++;
        }
        /* a place that opens the run ends before the name ("province de Quang Tri Vo Van Hung") */
        size_t p = a;
        while (p < b && (f[p] & TF_PLACE))
            p++;
        if (p > a && p < b && b - p >= 2 && (f[p] & TF_NAME_LIKE)) {
            int l = folded_word(text, &toks[a], word, sizeof word); /* Dominique, Victoria: names too */
            if (l <= 0 || !(name_flags(m, word, (size_t)l) & PN_GIVEN))
                a = p;
        }
        if (a >= b)
            continue;
        size_t s = toks[a].start, e = token_end(&toks[b - 1]), n = b - a;
        bool all_places = true, any_place = false;
        for (size_t k = a; k < b; k++) {
            all_places &= (f[k] & TF_PLACE) != 0;
            any_place |= (f[k] & TF_PLACE) != 0;
        }
        if (all_places || exact_mention(w, s, e))
            continue;
        name_run *run = vec_push(&w->name_runs);
        if (!run)
            return GLA_ERR_NOMEM;
        *run = (name_run){(uint32_t)a, (uint32_t)b, RUN_NO, 0};
        bool viet = n >= 2, romaji = n >= 2, unknown = false, notname = false;
        int first_flags = 0, later_flags = 0;
        bool viet_middle = false; /* the second word is a middle name (Van, Thi, Duc) */
        for (size_t k = a; k < b; k++) {
            if (!(f[k] & TF_NAME_LIKE)) { /* a particle */
                viet = romaji = false;
                continue;
            }
            int l = folded_word(text, &toks[k], word, sizeof word);
            if (l <= 0) {
                viet = romaji = false;
                break;
            }
            if (word_match(w, pr->notname, MEMO_NOTNAME, word, (size_t)l)) {
                notname = true; /* no person: the rest of the run need not be asked */
                break;
            }
            if (k == a)
                first_flags = name_flags(m, word, (size_t)l);
            else
                later_flags |= name_flags(m, word, (size_t)l);
            if (k == a + 1)
                viet_middle = word_match(w, pr->viet_middle, MEMO_VIET_MIDDLE, word, (size_t)l);
            viet = viet && word_match(w, pr->syllable, MEMO_SYLLABLE, word, (size_t)l);
            romaji =
                romaji && word_match(w, pr->nameshape, MEMO_NAMESHAPE, text + toks[k].start, toks[k].len);
            if (unknown) /* one unknown word is enough: the rest need no lower-casing nor lookup */
                continue;
            int lw = lower_word(text, &toks[k], word, sizeof word);
            if (lw > 0 && !model_is_word(m, word, (size_t)lw, NULL))
                unknown = true;
        }
        if (notname)
            continue;
        /* a Vietnamese name is a family name and one or two syllables more, or three syllables
         * with a middle name (Vo Van Thuong): other runs of syllables name a place, a feast, a
         * film as often (Tân Thanh, Tet Nguyen Dan, Quoc Tu Giam), and need more evidence */
        bool viet_sure = viet && !any_place && ((first_flags & PN_VIET_FAMILY) || (n >= 3 && viet_middle));
        bool person = viet_sure || (romaji && unknown);
        bool given = (first_flags & PN_GIVEN) && n >= 2;
        if (!person && (civility || unknown || n >= 2))
            person = civility || context_says_person(w, pr, a, b);
        if (!person && !viet && (unknown || n >= 2)) {
            /* weak evidence, weighed: none is enough alone */
            int l = lower_word(text, &toks[a], word, sizeof word), flags = 0;
            bool common = l > 0 && model_is_word(m, word, (size_t)l, &flags) && (flags & LEX_COMMON);
            /* a common noun that opens a run names a thing (Foire Viforest, Palais Blanc) */
            if (!given && common && !(flags & LEX_PROPER) && !first_flags)
                continue;
            int score = apposition_after_title(w, pr, a) ? 2 : 0;
            if (given)
                score += common ? 1 : 2;
            score += (n >= 2 && (later_flags & PN_FAMILY)) + unknown;
            run->score = (uint8_t)score;
            run->verdict = score >= 3 ? RUN_YES : score > 0 ? RUN_MAYBE : RUN_NO;
        } else if (person) {
            run->verdict = RUN_YES;
        } else if (viet && !any_place && n >= 3) {
            run->verdict = RUN_MAYBE; /* a coordination with a person, or the same name elsewhere */
        }
    }
    return GLA_OK;
}

/* Does the gap between two runs, tokens [from, to), join them as a coordination: "et", with
 * commas and demonyms ("vietnamien Nguyên Quôc Dung et indien Riva Ganguly Das")? A comma
 * alone is as often an apposition ("le président de la Foire Viforest, Nguyen Quoc Khanh"). */
static bool coordination(const gla_worker *w, size_t from, size_t to) {
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    const uint8_t *f = w->token_flags.items;
    if (to <= from || to - from > 3)
        return false;
    bool joined = false;
    for (size_t k = from; k < to; k++) {
        if (is_word(text, &toks[k], "et"))
            joined = true;
        else if (!is_punct(text, &toks[k], ',') && !(f[k] & TF_ENDS_DEMONYM))
            return false;
    }
    return joined;
}

/* The words of run r folded into out (the key a name is compared by), its length or -1. */
static int run_folded(const gla_worker *w, const name_run *r, char *out, size_t size) {
    const token *toks = w->tokens.items;
    size_t s = toks[r->a].start, e = token_end(&toks[r->b - 1]);
    return e - s < size / 2 ? utf8_fold(w->text.text.data + s, e - s, out, size) : -1;
}

/* Is the word before run r an article ("la Senelec", "du Mékong")? French writes a person's name
 * without one. Compared as written: the class lists the capitalised articles that count ("Le"
 * is not one: it is a Vietnamese family name too). */
static bool article_before(const gla_worker *w, const name_run *r) {
    return word_before_token(w, r->a, WC_ARTICLE, true);
}

/* The weak runs settled by the document: a run coordinated with a person ("X et Y", "ses
 * homologues Y et Z") is a person, and so is a run that spells a person's name found
 * elsewhere. A vetoed run (NAMEDAFTER, or an article before it) is no person whatever else it
 * shows. */
static int settle_runs(gla_worker *w, const people_kinds *pr) {
    name_run *runs = w->name_runs.items;
    size_t n = w->name_runs.count;
    const token *toks = w->tokens.items;
    for (size_t i = 0; i < n; i++)
        if (runs[i].verdict == RUN_YES &&
            (article_before(w, &runs[i]) || window_match(w, pr->named_after, toks[runs[i].a].start, 80)))
            runs[i].verdict = RUN_NO;
    for (int pass = 0, changed = 1; pass < 3 && changed; pass++) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (runs[i].verdict != RUN_MAYBE || runs[i].b - runs[i].a < 2)
                continue;
            bool joined =
                (i > 0 && runs[i - 1].verdict == RUN_YES && coordination(w, runs[i - 1].b, runs[i].a)) ||
                (i + 1 < n && runs[i + 1].verdict == RUN_YES && coordination(w, runs[i].b, runs[i + 1].a));
            if (joined && !article_before(w, &runs[i]) &&
                !window_match(w, pr->named_after, toks[runs[i].a].start, 80)) {
                runs[i].verdict = RUN_YES;
                changed = 1;
            }
        }
    }
    size_t weak = 0; /* the runs still undecided, of two words or more */
    for (size_t i = 0; i < n; i++)
        weak += runs[i].verdict == RUN_MAYBE && runs[i].b - runs[i].a >= 2;
    if (weak == 0) /* most documents: no name to fold and sort */
        return GLA_OK;
    /* the names found, folded and sorted, for the runs that spell one of them */
    w->order.count = 0;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].verdict != RUN_YES || runs[i].b - runs[i].a < 2)
            continue;
        char folded[512];
        int l = run_folded(w, &runs[i], folded, sizeof folded);
        if (l <= 0)
            continue;
        keyed *k = vec_push(&w->order);
        if (!k)
            return GLA_ERR_NOMEM;
        *k = (keyed){arena_strndup(&w->strings, folded, (size_t)l), GLA_ENT_PERSON, (uint32_t)i};
        if (!k->key)
            return GLA_ERR_NOMEM;
    }
    if (w->order.count == 0)
        return GLA_OK;
    keyed *order = w->order.items;
    qsort(order, w->order.count, sizeof *order, (int (*)(const void *, const void *))strcmp_keyed);
    for (size_t i = 0; i < n; i++) {
        if (runs[i].verdict != RUN_MAYBE || runs[i].b - runs[i].a < 2)
            continue;
        char folded[512];
        int l = run_folded(w, &runs[i], folded, sizeof folded);
        if (l <= 0)
            continue;
        keyed probe = {folded, GLA_ENT_PERSON, 0};
        if (bsearch(&probe, order, w->order.count, sizeof *order,
                    (int (*)(const void *, const void *))strcmp_keyed))
            runs[i].verdict = RUN_YES;
    }
    return GLA_OK;
}

static int find_names(gla_worker *w, const people_kinds *pr) {
    int rc = gather_runs(w, pr);
    if (rc == GLA_OK)
        rc = settle_runs(w, pr);
    if (rc != GLA_OK)
        return rc;
    const token *toks = w->tokens.items;
    const char *text = w->text.text.data;
    for (size_t i = 0; i < w->name_runs.count; i++) {
        const name_run *r = &VEC_AT(&w->name_runs, name_run, i);
        if (r->verdict != RUN_YES)
            continue;
        /* "N'Diaye a déclaré": the elided capital opens the name, but not a sentence (D'Hanoï) */
        size_t a = r->a > 0 && capital_elision(text, &toks[r->a - 1]) && !toks[r->a - 1].sentence_start
                       ? r->a - 1
                       : r->a;
        if (!add_mention(w, GLA_ENT_PERSON, toks[a].start, token_end(&toks[r->b - 1]), 3))
            return GLA_ERR_NOMEM;
    }
    return GLA_OK;
}

/* Canonical names: among the mentions of one folded name, the spelling with most diacritics. */
static int canonical_names(gla_worker *w, size_t first_person) {
    const char *text = w->text.text.data;
    w->order.count = 0;
    for (size_t i = first_person; i < w->mentions.count; i++) {
        mention *mt = &VEC_AT(&w->mentions, mention, i);
        char folded[512];
        int l = mt->end - mt->start < 200 ? utf8_fold(text + mt->start, mt->end - mt->start, folded, sizeof folded) : -1;
        keyed *k = vec_push(&w->order);
        if (!k)
            return GLA_ERR_NOMEM;
        *k = (keyed){l > 0 ? arena_strndup(&w->strings, folded, (size_t)l) : "", GLA_ENT_PERSON, (uint32_t)i};
        if (!k->key)
            return GLA_ERR_NOMEM;
    }
    const keyed *order = w->order.items;
    size_t n = w->order.count;
    if (n == 0)
        return GLA_OK;
    /* the records are in mention order, as the stable sort by folded name this once was left
     * each name's records: grouping them in one pass picks the same first spelling with most
     * diacritics. leader: each record's group as the position of its first record; best and
     * most: at a leader's position, the group's spelling so far and its diacritics */
    uint32_t *leader = group_order(w, 3);
    if (!leader)
        return GLA_ERR_NOMEM;
    uint32_t *best = leader + n, *most = leader + 2 * n;
    mention *ms = w->mentions.items;
    for (size_t k = 0; k < n; k++) {
        const mention *c = &ms[order[k].index];
        uint32_t d = (uint32_t)diacritics(text + c->start, c->end - c->start), g = leader[k];
        if (g == k || d > most[g]) {
            best[g] = order[k].index;
            most[g] = d;
        }
    }
    for (size_t k = 0; k < n; k++) {
        if (leader[k] != k) { /* the leader, before it, has the group's spelling */
            ms[order[k].index].canonical = ms[order[leader[k]].index].canonical;
            continue;
        }
        const mention *b = &ms[best[k]];
        const char *canonical = arena_strndup(&w->strings, text + b->start, b->end - b->start);
        if (!canonical)
            return GLA_ERR_NOMEM;
        ms[order[k].index].canonical = canonical;
    }
    return GLA_OK;
}

/* The type of a name's first word in propagate's records when it stands for the person only
 * after a civility (M. Wang): not an entity type. */
#define PART_AFTER_CIVILITY (-1)

/* The record of propagate's sorted records for a word: one that stands alone, or after a
 * civility one that stands there. */
static const keyed *find_part(const keyed *order, size_t n, const char *word, bool civility) {
    for (size_t k = keyed_lower_bound(order, n, word); k < n && !strcmp(order[k].key, word); k++)
        if (order[k].type == GLA_ENT_PERSON || civility)
            return &order[k];
    return NULL;
}

/* Propagation: a lone capitalised word equal to the first or last word of a person found in
 * the document (Giang, Kawano) is that person. The first and last words are sorted once and
 * each candidate word is looked up by binary search. */
static int propagate(gla_worker *w, const people_kinds *pr, size_t first_person, size_t end_person) {
    const gla_model *m = w->model;
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    const uint8_t *f = w->token_flags.items;
    w->order.count = 0;
    for (size_t i = first_person; i < end_person; i++) {
        const mention *p = &VEC_AT(&w->mentions, mention, i);
        if (p->type != GLA_ENT_PERSON || !p->canonical)
            continue;
        char name[512];
        int nl = strlen(p->canonical) < 200 ? utf8_fold(p->canonical, strlen(p->canonical), name, sizeof name) : -1;
        char *space = nl > 0 ? memchr(name, ' ', (size_t)nl) : NULL;
        if (!space)
            continue;
        /* the last word stands for the person (Giang, Kawano); the first only where it may be
         * the family name written first (Namazu Hiroyuki): a name shaped like romanised Japanese.
         * A Vietnamese family name (Nguyen, Tran) is shared by too many to stand alone. */
        const char *parts[2] = {arena_strndup(&w->strings, strrchr(name, ' ') + 1, strlen(strrchr(name, ' ') + 1)),
                                arena_strndup(&w->strings, name, (size_t)(space - name))};
        bool japanese = true;
        for (const char *word_start = p->canonical; *word_start && japanese;) {
            const char *word_end = strchr(word_start, ' ');
            size_t wl = word_end ? (size_t)(word_end - word_start) : strlen(word_start);
            japanese = word_match(w, pr->nameshape, MEMO_NAMESHAPE, word_start, wl);
            word_start = word_end ? word_end + 1 : word_start + wl;
        }
        /* any first word stands for the person after a civility: "M. Wang" is Wang Yi */
        for (int k = 0; k < 2; k++) {
            keyed *r = vec_push(&w->order);
            if (!r || !parts[k])
                return GLA_ERR_NOMEM;
            *r = (keyed){parts[k], k == 0 || japanese ? GLA_ENT_PERSON : PART_AFTER_CIVILITY, (uint32_t)i};
        }
    }
    keyed *order = w->order.items;
    size_t n = w->order.count;
    if (n == 0)
        return GLA_OK;
    qsort(order, n, sizeof *order, (int (*)(const void *, const void *))strcmp_keyed);
    /* a person of one word found on its own ("Colonna a ajouté", "M. Wang") is the person whose
     * name it ends, or begins after a civility, when the document writes that name in full */
    for (size_t i = 0; i < end_person; i++) {
        mention *p = &VEC_AT(&w->mentions, mention, i);
        if (p->type != GLA_ENT_PERSON || memchr(text + p->start, ' ', p->end - p->start))
            continue;
        char word[128];
        int l =
            p->end - p->start < 60 ? utf8_fold(text + p->start, p->end - p->start, word, sizeof word) : -1;
        size_t t = token_at(w, p->start);
        bool civility =
            t > 0 && t < w->tokens.count &&
            (toks[t - 1].kind == TOK_ABBREV ||
             word_match(w, pr->civility, MEMO_CIVILITY, text + toks[t - 1].start, toks[t - 1].len));
        const keyed *hit = l > 0 ? find_part(order, n, word, civility) : NULL;
        if (hit)
            p->canonical = VEC_AT(&w->mentions, mention, hit->index).canonical;
    }
    /* tokens already inside a mention are not candidates: walk mentions and tokens together;
     * nor are the words of a longer name that is no person (the ship Tran Hung Dao, the
     * mausoleum Ho Chi Minh): walk the runs too */
    const mention *ms = w->mentions.items;
    size_t mcount = end_person, mi = 0;
    uint32_t covered_to = 0;
    const name_run *runs = w->name_runs.items;
    size_t nruns = w->name_runs.count, ri = 0;
    char word[128];
    size_t ntok = w->tokens.count;
    for (size_t t = next_name_like(f, 0, ntok); t < ntok; t = next_name_like(f, t + 1, ntok)) {
        if (f[t] & (TF_NOT_NAME | TF_PLACE))
            continue; /* most tokens: no candidate, whatever the mentions before them */
        while (ri < nruns && runs[ri].b <= t) /* runs are in token order and do not overlap */
            ri++;
        if (ri < nruns && runs[ri].a <= t && runs[ri].b - runs[ri].a >= 2)
            continue;
        /* the mentions that start before the token's end, caught up only for candidates:
         * covered_to only grows with them */
        while (mi < mcount && ms[mi].start < token_end(&toks[t])) { /* mentions are sorted by start */
            if (ms[mi].type != GLA_ENT_DATE && ms[mi].end > covered_to)
                covered_to = ms[mi].end;
            mi++;
        }
        if (toks[t].start < covered_to)
            continue;
        int l = folded_word(text, &toks[t], word, sizeof word);
        if (l <= 0 || wordset_find(&m->function_words, word, (size_t)l))
            continue;
        const keyed *hit = find_part(order, n, word, false);
        if (!hit)
            continue;
        const char *canonical = VEC_AT(&w->mentions, mention, hit->index).canonical;
        mention *mt = add_mention(w, GLA_ENT_PERSON, toks[t].start, token_end(&toks[t]), 3);
        if (!mt)
            return GLA_ERR_NOMEM;
        mt->canonical = canonical;
        ms = w->mentions.items; /* add_mention may move the array */
        order = w->order.items;
    }
    return GLA_OK;
}

int tag_people(gla_worker *w, size_t from, size_t to) {
    GLA_UNUSED(from);
    GLA_UNUSED(to);
    size_t first_person = w->mentions.count;
    const people_kinds *pr = &w->model->people_kinds;
    int rc = flag_tokens(w);
    if (rc == GLA_OK)
        rc = find_names(w, pr);
    /* the rules of what follows run without a match context (word_rule): nothing calls out */
    release_big_atoms(w);
    if (rc == GLA_OK)
        rc = canonical_names(w, first_person);
    if (rc != GLA_OK)
        return rc;
    /* the names found are in token order, after the sorted earlier mentions: sort them all so
     * that propagation can walk mentions and tokens together */
    size_t end_person = w->mentions.count;
    sort_mentions(w, 0);
    return propagate(w, pr, 0, end_person);
}
