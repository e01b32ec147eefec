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

#define MAX_NAME_WORDS 5

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
    int n = utf8_decode((const uint8_t *)text + i, t->end - i, &cp);
    if (n < 0 || !cp_is_upper(cp))
        return false;
    i += (size_t)n;
    bool lower = false;
    while (i < t->end) {
        n = utf8_decode((const uint8_t *)text + i, t->end - i, &cp);
        if (n < 0 || cp_is_digit(cp))
            return false;
        if (cp_is_lower(cp))
            lower = true;
        else if (cp_is_upper(cp) && !(i > t->start && text[i - 1] == '-'))
            return false; /* ASEAN, McCain: an acronym or a brand */
        i += (size_t)n;
    }
    return lower || t->end - t->start <= 4; /* Ba, An, Vu */
}

static int lower_word(const char *text, const token *t, char *out, size_t size) {
    return t->end - t->start < size / 2 ? utf8_lower(text + t->start, t->end - t->start, out, size) : -1;
}

static int folded_word(const char *text, const token *t, char *out, size_t size) {
    return t->end - t->start < size / 2 ? utf8_fold(text + t->start, t->end - t->start, out, size) : -1;
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
    for (size_t t = 0; t < ntok; t++)
        if (name_like(text, &toks[t]))
            f[t] = TF_NAME_LIKE;
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
            while (first < ntok && toks[first].end <= m->start)
                first++;
        first_for = m->start;
        for (size_t t = first; t < ntok && toks[t].start < m->end; t++) {
            if (toks[t].start >= m->start && toks[t].end <= m->end)
                f[t] |= cover;
            if (toks[t].end == m->end)
                f[t] |= title ? TF_ENDS_TITLE : m->type == GAZ_DEMONYM ? TF_ENDS_DEMONYM : 0;
            if (toks[t].start == m->start && title)
                f[t] |= TF_STARTS_TITLE;
        }
    }
    return GLA_OK;
}

/* The kinds of rules this stage asks (from the ruleset's index), and each word kind's tag in the
 * worker's word memo. */
typedef struct {
    const rule_kind *syllable, *nameshape, *personcue;
} people_rules;

enum { MEMO_SYLLABLE = 1, MEMO_NAMESHAPE = 2 };

/* Does a rule of the kind match s[0, len) from start (rule_exec's options)? Rules are tried in
 * file order. */
static bool kind_match(const rule_kind *k, const char *s, size_t len, size_t start, uint32_t options,
                       pcre2_match_data *md, pcre2_match_context *mctx) {
    for (size_t i = 0; i < k->count; i++)
        if (rule_exec(k->rules[i], s, len, start, options, md, mctx) > 0)
            return true;
    return false;
}

/* kind_match on a whole word s[0, len), through the worker's memo (under memo_tag): the same
 * names and syllables come back in every article. Without a match context the rules call out
 * to nothing, so that the answer depends on the word alone. */
static bool word_match(gla_worker *w, const rule_kind *k, uint8_t memo_tag, const char *s, size_t len) {
    if (len == 0 || len > WORD_MEMO_KEY)
        return kind_match(k, s, len, 0, 0, w->md, NULL);
    uint32_t h = wordset_hash_byte(wordset_hash(s, len), memo_tag);
    word_memo *slot = &w->word_memo[(h ^ h >> 16) & (WORD_MEMO_SLOTS - 1)];
    if (slot->len == len && slot->kind == memo_tag && !memcmp(slot->key, s, len))
        return slot->answer == 2;
    bool yes = kind_match(k, s, len, 0, 0, w->md, NULL);
    slot->len = (uint8_t)len;
    slot->kind = memo_tag;
    slot->answer = yes ? 2 : 1;
    memcpy(slot->key, s, len);
    return yes;
}

static bool cue_after(gla_worker *w, const people_rules *pr, size_t at) {
    return kind_match(pr->personcue, w->text.text.data, w->text.text.len, at, PCRE2_ANCHORED, w->md, w->mctx);
}

/* Is there a mention other than a person spanning exactly [s, e)? (sorted by start) */
static bool exact_mention(const gla_worker *w, size_t s, size_t e) {
    const mention *ms = w->mentions.items;
    for (size_t i = mention_at(ms, w->mentions.count, s); i < w->mentions.count && ms[i].start == s; i++)
        if (ms[i].end == e && ms[i].type != GLA_ENT_PERSON && ms[i].type != GLA_ENT_DATE)
            return true;
    return false;
}

static int find_names(gla_worker *w, const people_rules *pr) {
    const gla_model *m = w->model;
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    const uint8_t *f = w->token_flags.items;
    size_t ntok = w->tokens.count;
    char word[128];
    for (size_t i = 0; i < ntok;) {
        if (!(f[i] & TF_NAME_LIKE) || (f[i] & TF_NOT_NAME)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < ntok && j - i < MAX_NAME_WORDS && (f[j] & TF_NAME_LIKE) && !toks[j].sentence_start &&
               toks[j - 1].space_after && !(f[j] & TF_NOT_NAME))
            j++;
        size_t a = i, b = j;
        i = j;
        while (a < b) { /* leading function words, sentence-initial common words */
            int l = lower_word(text, &toks[a], word, sizeof word);
            int flags = 0;
            bool fw = l > 0 && wordset_find(&m->function_words, word, (size_t)l);
            /* the lexicon is asked only where a common word would be dropped */
            bool common = !fw && l > 0 && (toks[a].sentence_start || a == 0) && b - a > 1 &&
                          model_is_word(m, word, (size_t)l, &flags) && (flags & LEX_COMMON) && !(flags & LEX_PROPER);
            if (fw || common)
                a++;
            else
                break;
        }
        if (a >= b)
            continue;
        size_t s = toks[a].start, e = toks[b - 1].end, n = b - a;
        bool all_places = true;
        for (size_t k = a; k < b; k++)
            all_places &= (f[k] & TF_PLACE) != 0;
        if (all_places || exact_mention(w, s, e))
            continue;
        bool viet = n >= 2, romaji = n >= 2, unknown = false;
        for (size_t k = a; k < b; k++) {
            int l = folded_word(text, &toks[k], word, sizeof word);
            if (l <= 0) {
                viet = romaji = false;
                break;
            }
            viet = viet && word_match(w, pr->syllable, MEMO_SYLLABLE, word, (size_t)l);
            romaji = romaji && word_match(w, pr->nameshape, MEMO_NAMESHAPE, text + toks[k].start, toks[k].end - toks[k].start);
            if (unknown) /* one unknown word is enough: the rest need no lower-casing nor lookup */
                continue;
            int lw = lower_word(text, &toks[k], word, sizeof word);
            if (lw > 0 && !model_is_word(m, word, (size_t)lw, NULL))
                unknown = true;
        }
        bool any_place = false;
        for (size_t k = a; k < b; k++)
            any_place |= (f[k] & TF_PLACE) != 0;
        /* the context is looked at only where it decides: a PERSONCUE rule costs a regex match */
        bool person = (viet && !any_place) || (romaji && unknown);
        if (!person && (unknown || n >= 2)) {
            bool context = false;
            if (a > 0) {
                size_t p = a - 1;
                if (text[toks[p].start] == ',' && p > 0)
                    p--;
                context = (f[p] & TF_ENDS_TITLE) || toks[p].kind == TOK_ABBREV ||
                          ((f[p] & TF_ENDS_DEMONYM) && p > 0 && (f[p - 1] & TF_ENDS_TITLE));
            }
            if (!context && b + 1 < ntok && text[toks[b].start] == ',')
                context = (f[b + 1] & TF_STARTS_TITLE) != 0;
            if (!context && b < ntok) /* "Hun Manet a déclaré": a PERSONCUE rule right after */
                context = cue_after(w, pr, toks[b].start);
            person = context;
        }
        if (!person)
            continue;
        if (!add_mention(w, GLA_ENT_PERSON, s, e, 3))
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

/* Propagation: a lone capitalised word equal to the first or last word of a person found in
 * the document (Giang, Kawano) is that person. The first and last words are sorted once and
 * each candidate word is looked up by binary search. */
static int propagate(gla_worker *w, const people_rules *pr, size_t first_person, size_t end_person) {
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
        int nparts = 2;
        for (const char *word_start = p->canonical; *word_start && nparts == 2;) {
            const char *word_end = strchr(word_start, ' ');
            size_t wl = word_end ? (size_t)(word_end - word_start) : strlen(word_start);
            if (!word_match(w, pr->nameshape, MEMO_NAMESHAPE, word_start, wl))
                nparts = 1;
            word_start = word_end ? word_end + 1 : word_start + wl;
        }
        for (int k = 0; k < nparts; k++) {
            keyed *r = vec_push(&w->order);
            if (!r || !parts[k])
                return GLA_ERR_NOMEM;
            *r = (keyed){parts[k], GLA_ENT_PERSON, (uint32_t)i};
        }
    }
    keyed *order = w->order.items;
    size_t n = w->order.count;
    if (n == 0)
        return GLA_OK;
    qsort(order, n, sizeof *order, (int (*)(const void *, const void *))strcmp_keyed);
    /* tokens already inside a mention are not candidates: walk mentions and tokens together */
    const mention *ms = w->mentions.items;
    size_t mcount = end_person, mi = 0;
    uint32_t covered_to = 0;
    char word[128];
    for (size_t t = 0; t < w->tokens.count; t++) {
        if ((f[t] & (TF_NAME_LIKE | TF_NOT_NAME | TF_PLACE)) != TF_NAME_LIKE)
            continue; /* most tokens: no candidate, whatever the mentions before them */
        /* the mentions that start before the token's end, caught up only for candidates:
         * covered_to only grows with them */
        while (mi < mcount && ms[mi].start < toks[t].end) { /* mentions are sorted by start */
            if (ms[mi].type != GLA_ENT_DATE && ms[mi].end > covered_to)
                covered_to = ms[mi].end;
            mi++;
        }
        if (toks[t].start < covered_to)
            continue;
        int l = folded_word(text, &toks[t], word, sizeof word);
        if (l <= 0 || wordset_find(&m->function_words, word, (size_t)l))
            continue;
        keyed probe = {word, GLA_ENT_PERSON, 0};
        keyed *hit = bsearch(&probe, order, n, sizeof *order, (int (*)(const void *, const void *))strcmp_keyed);
        if (!hit)
            continue;
        const char *canonical = VEC_AT(&w->mentions, mention, hit->index).canonical;
        mention *mt = add_mention(w, GLA_ENT_PERSON, toks[t].start, toks[t].end, 3);
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
    const ruleset *rs = &w->model->rules;
    people_rules pr = {ruleset_kind(rs, "SYLLABLE"), ruleset_kind(rs, "NAMESHAPE"), ruleset_kind(rs, "PERSONCUE")};
    int rc = flag_tokens(w);
    if (rc == GLA_OK)
        rc = find_names(w, &pr);
    if (rc == GLA_OK)
        rc = canonical_names(w, first_person);
    if (rc != GLA_OK)
        return rc;
    /* the names found are in token order, after the sorted earlier mentions: sort them all so
     * that propagation can walk mentions and tokens together */
    size_t end_person = w->mentions.count;
    sort_mentions(w, 0);
    return propagate(w, &pr, 0, end_person);
}
