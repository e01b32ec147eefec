/* Entities: the gazetteer matcher and the phrase rules tag a document's body. Then people.c
 * finds persons, overlaps are settled, and each mention gets its canonical name and key.
 *
 * Phrase rules are the rules of gazetteers/rules/ whose KIND is an entity type (TITLE, ORG,
 * EVENT, AGREEMENT, LOC, PERSON, RANK). A callout (?C"demonym") after a group checks that the
 * words it captured are a gazetteer form of that category (a type, or kind_<kind>), and makes
 * the match backtrack if not: a cheap pattern does the work of an alternation of every form. Their named groups shape the mention and its canonical name:
 *   m        the mention is this group, not the whole match (the place of "aéroport de X")
 *   head     replaced by its gazetteer canonical (ministres -> ministre)
 *   drop     left out of the canonical (the demonym of "vice-ministre japonais de la Défense");
 *            drop2 likewise, for a second part
 *   country  (or country2) the country the entity belongs to
 * The canonical name is the match with these edits and its spaces collapsed. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "internal.h"

mention *add_mention(gla_worker *w, int type, size_t start, size_t end, int priority) {
    mention *m = vec_push(&w->mentions);
    if (m) {
        m->type = type;
        m->start = (uint32_t)start;
        m->end = (uint32_t)end;
        m->priority = priority;
        m->entry = -1;
    }
    return m;
}

/* Combining marks kept on one letter of a key, in scripts whose fold keeps marks. */
#define MAX_KEY_MARKS 3

/* The key of name s[0, len) with prefix, in arena a. */
static char *key_in_n(arena *a, const char *prefix, const char *s, size_t len) {
    /* Any length: a 200-byte agreement name has a key too (NULL means out of memory, and the
     * document fails). A code point folds to at most 4 bytes. */
    /* the folded name is scratch: on the stack when it fits, so that the arena keeps only keys
     * (the model makes one for each of tens of thousands of gazetteer entries) */
    char stack[512];
    char *folded = 4 * len + 2 <= sizeof stack ? stack
                   : len < INT_MAX / 4         ? arena_alloc(a, 4 * len + 2)
                                               : NULL;
    int fl = folded ? utf8_fold(s, len, folded, 4 * len + 2) : -1;
    if (fl < 0)
        return NULL;
    size_t plen = strlen(prefix);
    char *key = arena_alloc(a, plen + (size_t)fl + 2);
    if (!key)
        return NULL;
    memcpy(key, prefix, plen);
    size_t o = plen;
    bool dash = true;
    int32_t base = 0; /* the last code point that is not a combining mark, and the marks since */
    int marks = 0;
    for (int i = 0; i < fl; i++) {
        unsigned char c = (unsigned char)folded[i];
        if (c >= 0x80) {
            /* Combining marks the fold left (stacked on a letter it already stripped, or a
             * script's own): dropped after Latin, Greek and Cyrillic, whose fold strips marks, so
             * that Hoà̀ng and Hoàng share a key; elsewhere the first MAX_KEY_MARKS kept. So a
             * name of 10,000 marks has a short key. */
            int32_t cp;
            int n = utf8_decode((const uint8_t *)folded + i, (size_t)(fl - i), &cp);
            if (n <= 0)
                n = 1;
            int cat = utf8proc_category(cp);
            bool mark = cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME;
            marks = mark ? marks + 1 : 0;
            base = mark ? base : cp;
            if (!mark || (base >= 0x0590 && marks <= MAX_KEY_MARKS)) {
                memcpy(key + o, folded + i, (size_t)n);
                o += (size_t)n;
                dash = false;
            }
            i += n - 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            key[o++] = (char)c;
            base = c;
            marks = 0;
            dash = false;
        } else if (!dash) {
            key[o++] = '-';
            dash = true;
        }
    }
    while (o > plen && key[o - 1] == '-')
        o--;
    key[o] = '\0';
    return key;
}

static char *key_in(arena *a, const char *prefix, const char *s) {
    return key_in_n(a, prefix, s, strlen(s));
}

char *make_key(gla_worker *w, const char *prefix, const char *s) { return key_in(&w->strings, prefix, s); }

static const char *const key_prefix[] = {"person:", "org:", "loc:", "rank:", "title:",
                                         "event:", "agreement:", "date:"};

/* A gazetteer mention keeps its entry's canonical and type up to the keys: its key is the
 * entry's, made once here rather than for every mention of every document. */
int gazetteer_keys(gazetteer *g) {
    for (size_t i = 0; i < g->count; i++) {
        gazetteer_entry *e = &g->entries[i];
        e->key = NULL;
        if (e->type < 0 || e->type >= GLA_ENT_DATE)
            continue;
        const gazetteer_entry *prev = i ? &g->entries[i - 1] : NULL;
        if (prev && prev->key && prev->type == e->type && !strcmp(prev->canonical, e->canonical)) {
            e->key = prev->key; /* the variants of a name follow it: one key for them all */
            continue;
        }
        e->key = key_in(&g->keys, key_prefix[e->type], e->canonical);
        if (!e->key)
            return GLA_ERR_NOMEM;
    }
    return GLA_OK;
}

/* The entity type a rule kind names (names[t] is type t's), or -1 (DATE, TEASER ...). The
 * first letters differ for most kinds: comparing a byte spares most string comparisons. */
static int entity_type_of(const char *kind, const char *const names[GLA_ENT_DATE]) {
    for (int t = 0; t < GLA_ENT_DATE; t++)
        if (kind[0] == names[t][0] && !strcmp(kind, names[t]))
            return t;
    return -1;
}

/* ------------------------------------------------------------------ gazetteer */

static bool has_upper(const char *s, size_t len) {
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = utf8_decode((const uint8_t *)s + i, len - i, &cp);
        if (n < 0)
            return false;
        if (cp_is_upper(cp))
            return true;
        i += (size_t)n;
    }
    return false;
}

/* A place or an organisation written with a capital is a proper name: the text must show a
 * capital too ("environnement pacifique" is no ocean), wherever French lower-cases the rest. */
static bool proper_case_fits(const char *text, size_t s, size_t e, const gazetteer_entry *entry) {
    if (entry->type != GLA_ENT_LOC && entry->type != GLA_ENT_ORG)
        return true;
    return !has_upper(entry->form, strlen(entry->form)) || has_upper(text + s, e - s);
}

/* An exact-case name that starts with an article ("La Réunion") is not itself when it opens a
 * sentence, where every article takes a capital ("La Réunion restreinte des ministres"). */
static bool headline_article(const gla_worker *w, const gazetteer_entry *e, size_t start) {
    if (!e->exact)
        return false;
    size_t t = token_at(w, start);
    if (t >= w->tokens.count || VEC_AT(&w->tokens, token, t).start != start ||
        !VEC_AT(&w->tokens, token, t).sentence_start)
        return false;
    return !strncmp(e->form, "La ", 3) || !strncmp(e->form, "Le ", 3) || !strncmp(e->form, "Les ", 4) ||
           !strncmp(e->form, "L'", 2);
}

/* The atoms changed: the callout memo's walks are of other atoms now. Generation 0 marks an empty
 * slot, so a wrap of the counter clears them all. */
static void forget_walks(gla_worker *w) {
    if (++w->walk_gen == 0) {
        memset(w->walks, 0, sizeof w->walks);
        w->walk_gen = 1;
    }
}

static int tag_gazetteer(gla_worker *w, size_t from, size_t to) {
    const gla_model *m = w->model;
    const char *text = w->text.text.data;
    w->atoms.count = 0;
    w->atom_keys.len = 0;
    forget_walks(w); /* even if atomize fails halfway */
    int rc = atomize(&m->gazetteer, text, from, to, &w->atoms, &w->atom_keys);
    if (rc != GLA_OK)
        return rc;
    const atom *atoms = w->atoms.items;
    size_t covered_to = 0; /* atoms before this are inside an earlier, longer match */
    for (size_t i = 0; i < w->atoms.count; i++) {
        /* no form starts with this word: gazetteer_match would find none */
        if (!gazetteer_atom_node(&m->gazetteer, &atoms[i]))
            continue;
        /* inside a longer match only a capitalised name may start another (ASEAN in "réunion
         * élargie ... de l'ASEAN"); settle_overlaps decides which nested ones stay */
        if (i < covered_to) {
            int32_t cp;
            if (utf8_decode((const uint8_t *)text + atoms[i].start, atoms[i].len, &cp) < 0 ||
                !cp_is_upper(cp))
                continue;
        }
        size_t entry;
        size_t end = gazetteer_match(&m->gazetteer, text, atoms, w->atoms.count, i, &entry);
        if (!end || (i < covered_to && end > covered_to))
            continue;
        const gazetteer_entry *e = &m->gazetteer.entries[entry];
        if (!proper_case_fits(text, atoms[i].start, atom_end(&atoms[end - 1]), e) ||
            headline_article(w, e, atoms[i].start))
            continue;
        mention *mt = add_mention(w, e->type, atoms[i].start, atom_end(&atoms[end - 1]), 1);
        if (!mt)
            return GLA_ERR_NOMEM;
        mt->entry = (int)entry;
        mt->canonical = e->canonical;
        mt->internal = e->type == GAZ_DEMONYM || e->portfolio;
        if ((e->type == GAZ_DEMONYM || e->country) && e->type != GLA_ENT_DATE)
            mt->tie.country = e->canonical;
        if (end > covered_to)
            covered_to = end;
    }
    return GLA_OK;
}

/* ------------------------------------------------------------------ phrase rules */

/* The callouts of phrase rules ask for the atom at a byte hundreds of thousands of times: the
 * search starts where the byte would fall if atoms were evenly spread, which they nearly are,
 * and widens from there by doubling steps before the binary search. */
size_t atom_at(const gla_worker *w, size_t b) {
    const atom *atoms = w->atoms.items;
    size_t n = w->atoms.count;
    if (n == 0 || atoms[0].start >= b)
        return 0;
    if (atoms[n - 1].start < b)
        return n;
    /* now atoms[0].start < b <= atoms[n - 1].start: the answer is in [1, n - 1] */
    uint64_t first = atoms[0].start, span = atoms[n - 1].start - first;
    size_t guess = (size_t)((b - first) * (uint64_t)(n - 1) / span), lo, hi;
    if (atoms[guess].start < b) { /* the answer is after guess */
        size_t step = 1;
        lo = guess + 1;
        while (lo + step < n && atoms[lo + step - 1].start < b) {
            lo += step;
            step *= 2;
        }
        hi = lo + step < n ? lo + step : n;
    } else { /* at guess or before */
        size_t step = 1;
        hi = guess;
        while (hi >= step && atoms[hi - step].start >= b) {
            hi -= step;
            step *= 2;
        }
        lo = hi >= step ? hi - step + 1 : 0;
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (atoms[mid].start < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t mention_at(const mention *ms, size_t n, size_t b) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ms[mid].start < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The atoms exactly covering bytes [s, e): *i and *end; false when s or e falls inside one. */
static bool atoms_for(const gla_worker *w, size_t s, size_t e, size_t *i, size_t *end) {
    const atom *atoms = w->atoms.items;
    size_t lo = atom_at(w, s);
    if (lo >= w->atoms.count || atoms[lo].start != s)
        return false;
    size_t j = lo;
    while (j < w->atoms.count && atom_end(&atoms[j]) < e)
        j++;
    if (j >= w->atoms.count || atom_end(&atoms[j]) != e)
        return false;
    *i = lo;
    *end = j + 1;
    return true;
}

/* The memo's walk from byte s, taken now if this document has not taken it yet: the nodes
 * gazetteer_has would reach from the atom starting at s, one atom at a time, up to where the
 * trie has no path or CALLOUT_MEMO_ATOMS atoms. No atom starting at s is a walk of one node 0. */
static const callout_walk *walk_from(gla_worker *w, size_t s) {
    callout_walk *cw = &w->walks[((uint32_t)s * 0x9E3779B1u) >> (32 - CALLOUT_MEMO_LOG2)];
    if (cw->gen == w->walk_gen && cw->start == s)
        return cw;
    const atom *atoms = w->atoms.items;
    size_t n = w->atoms.count, first = atom_at(w, s);
    cw->gen = w->walk_gen;
    cw->start = s;
    cw->first = first;
    uint32_t node =
        first < n && atoms[first].start == s ? gazetteer_atom_node(&w->model->gazetteer, &atoms[first]) : 0;
    cw->nodes[0] = node;
    uint8_t k = 1;
    for (; node && k < CALLOUT_MEMO_ATOMS && first + k < n; k++)
        cw->nodes[k] = node = gazetteer_step(&w->model->gazetteer, node, w->text.text.data, &atoms[first + k]);
    cw->walked = k;
    return cw;
}

/* Called at every candidate span of a %title, %org, %demonym ... as PCRE2 backtracks: the
 * answer is gazetteer_has on the atoms exactly covering the span, which the memo's walk from
 * the span's start gives without a trie lookup; a span longer than the memo holds is looked up
 * in full.
 *
 * The category "prefix" asks instead whether the span from the last group's start to the
 * current position still lies on a path of the trie. Put after each word of a repetition of
 * words, it stops the repetition where no form can go on: a longer span would walk the same
 * dead path, and its callout would reject it anyway, so the matches found are the same, but
 * PCRE2 neither reads the words beyond nor backtracks through them callout by callout. */
int gazetteer_callout(pcre2_callout_block *cb, void *data) {
    gla_worker *w = data;
    if (!cb->callout_string || cb->capture_last == 0)
        return 0;
    const char *category = (const char *)cb->callout_string;
    bool prefix = category[0] == 'p' && !strcmp(category, "prefix");
    size_t s = cb->offset_vector[2 * cb->capture_last];
    size_t e = prefix ? cb->current_position : cb->offset_vector[2 * cb->capture_last + 1];
    if (e <= s)
        return 1;
    const callout_walk *cw = walk_from(w, s);
    const atom *atoms = w->atoms.items;
    size_t n = w->atoms.count;
    /* the atoms of [s, e) one by one: a span that ends inside an atom, or where the walk has
     * already left the trie, is no form (backtrack), as with atoms_for and gazetteer_has. A
     * prefix that ends inside an atom cannot grow either: the repetition goes on only at a
     * space, and a space ends an atom. */
    for (size_t k = 0;; k++) {
        size_t j = cw->first + k;
        if (j >= n)
            return 1;
        if (k >= cw->walked)
            break;
        if (!cw->nodes[k])
            return 1;
        if (atom_end(&atoms[j]) == e) {
            if (prefix)
                return 0;
            return gazetteer_node_has(&w->model->gazetteer, w->text.text.data, atoms, cw->first, j + 1,
                                      cw->nodes[k], category)
                       ? 0
                       : 1;
        }
        if (atom_end(&atoms[j]) > e)
            return 1;
    }
    if (prefix) /* beyond the memo's walk: let the words go on, the span's own callout decides */
        return 0;
    size_t i, end;
    if (!atoms_for(w, s, e, &i, &end))
        return 1;
    return gazetteer_has(&w->model->gazetteer, w->text.text.data, atoms, i, end, category)
               ? 0
               : 1; /* not a form of that category: backtrack */
}

/* The number of the rule's group g (RG_*), negative when it has none: looked up by name once
 * per worker and rule. */
static int group_number(gla_worker *w, const rule *r, int g) {
    static const char *const names[RG__COUNT] = {"m", "head", "drop", "drop2", "country", "country2", "c1", "c2"};
    if (r->index >= RULE_GROUPS_MAX)
        return pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)names[g]);
    rule_groups *rg = &w->groups[r->index];
    if (!rg->known) {
        for (int k = 0; k < RG__COUNT; k++) {
            int num = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)names[k]);
            rg->num[k] = num;
        }
        rg->known = true;
    }
    return rg->num[g];
}

static bool group_span(gla_worker *w, const rule *r, int g, size_t *s, size_t *e) {
    int num = group_number(w, r, g);
    if (num < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
    if ((uint32_t)num >= pcre2_get_ovector_count(w->md) || ov[2 * num] == PCRE2_UNSET)
        return false;
    *s = ov[2 * num];
    *e = ov[2 * num + 1];
    return true;
}

/* The gazetteer entry whose form is exactly text[s, e) (folded), or -1. */
static int entry_for(gla_worker *w, size_t s, size_t e) {
    const atom *atoms = w->atoms.items;
    size_t i = atom_at(w, s);
    if (i >= w->atoms.count || atoms[i].start != s)
        return -1;
    size_t entry;
    size_t end = gazetteer_match(&w->model->gazetteer, w->text.text.data, atoms, w->atoms.count, i, &entry);
    return end && atom_end(&atoms[end - 1]) == e ? (int)entry : -1;
}

/* "ministères" -> "ministère" when the lexicon knows the singular: a plural head's canonical. */
static bool singular_of(const gla_model *m, const char *s, size_t len, char *out, size_t size) {
    if (len < 3 || len >= size || (s[len - 1] != 's' && s[len - 1] != 'x'))
        return false;
    char lw[128];
    int l = len < 60 ? utf8_lower(s, len - 1, lw, sizeof lw) : -1;
    if (l <= 0 || !model_is_word(m, lw, (size_t)l, NULL))
        return false;
    memcpy(out, s, len - 1);
    out[len - 1] = '\0';
    return true;
}

/* The answer of a mention of another type is asked by every rule with that anchor (six title
 * rules ask it of every person and place): it is looked up once per document, in
 * w->anchor_memo (two bits per type: known, answer), which tag_entities clears. */
static bool answers_anchor(gla_worker *w, size_t mi, const mention *m, const gazetteer_category *a) {
    if (m->entry < 0)
        return false;
    const gazetteer *g = &w->model->gazetteer;
    const gazetteer_entry *e = &g->entries[m->entry];
    if (gazetteer_entry_in(e, a))
        return true;
    if (a->kind || a->type < 0 || a->type > GLA_ENT_TITLE) /* the memo has bits for these types */
        return false;
    uint16_t *memo = mi < w->anchor_memo.count ? &VEC_AT(&w->anchor_memo, uint16_t, mi) : NULL;
    uint16_t known = (uint16_t)(1u << (2 * a->type)), yes = (uint16_t)(2u << (2 * a->type));
    if (memo && *memo & known)
        return *memo & yes;
    size_t i, end;
    bool answer = atoms_for(w, m->start, m->end, &i, &end) &&
                  gazetteer_has(g, w->text.text.data, w->atoms.items, i, end, gazetteer_type_names[a->type]);
    if (memo)
        *memo |= answer ? known | yes : known;
    return answer;
}

/* Which form of a word class ends right before byte p of a name that starts at byte from, with
 * a space before it and one after it (none after a form that ends in an apostrophe: "de l'")?
 * Returns where that form starts, or 0. */
static size_t word_before(const char *text, size_t from, size_t p, const word_class *c) {
    for (size_t k = 0; k < c->count; k++) {
        size_t fl = c->len[k], l = fl + (c->form[k][fl - 1] == '\'' ? 1 : 2); /* with its spaces */
        if (p >= from + l && text[p - l] == ' ' && (l == fl + 1 || text[p - 1] == ' ') &&
            !memcmp(text + p - l + 1, c->form[k], fl))
            return p - l + 1;
    }
    return 0;
}

/* Does a complement start at byte p: "de", "du", "des", "d'", "de la" or "de l'" before it
 * ("l'Assemblée nationale" in "Comité permanent de l'Assemblée nationale")? */
static size_t of_before(const gla_model *m, const char *text, size_t from, size_t p) {
    return word_before(text, from, p, &m->word_classes[WC_COMPLEMENT]);
}

/* Does a place's preposition come right before byte p: "au", "aux", "en", "à", "à la", "à l'"
 * ("au Vietnam" of "représentante en chef du FNUAP au Vietnam")? */
static size_t at_before(const gla_model *m, const char *text, size_t from, size_t p) {
    return word_before(text, from, p, &m->word_classes[WC_PLACE_PREPOSITION]);
}

/* Is m a part that a title names after its function: an organisation or a place inside [from,
 * e), or the nationality that ends it ("vice-ministre des Affaires étrangères vietnamien"; inside
 * a portfolio an adjective is the portfolio's: "de l'Intégration européenne")? */
static bool title_part(const mention *m, size_t from, size_t e) {
    return m->start >= from && m->end <= e && m->start < e &&
           ((m->type == GLA_ENT_ORG && !m->internal) || m->type == GLA_ENT_LOC ||
            (m->type == GAZ_DEMONYM && m->end == e));
}

/* Fills w->title_parts with copies of the organisations and places that the rules have found
 * so far (mentions from gazetteer_end on), sorted by start: what function_end looks for. A TITLE
 * rule adds none of them, so the list holds for the whole of its run, and for the next TITLE
 * rule's: it is made again only when a mention added since (w->title_parts_upto on) is one. */
static int cmp_mention_pos(const void *a, const void *b);

static int collect_title_parts(gla_worker *w, size_t gazetteer_end) {
    if (w->title_parts_upto != SIZE_MAX) {
        size_t i = w->title_parts_upto;
        for (; i < w->mentions.count; i++) {
            int type = VEC_AT(&w->mentions, mention, i).type;
            if (type == GLA_ENT_ORG || type == GLA_ENT_LOC)
                break;
        }
        w->title_parts_upto = w->mentions.count;
        if (i == w->mentions.count)
            return GLA_OK;
    }
    w->title_parts_upto = w->mentions.count;
    w->title_parts.count = 0;
    for (size_t i = gazetteer_end; i < w->mentions.count; i++) {
        const mention *m = &VEC_AT(&w->mentions, mention, i);
        if (m->type != GLA_ENT_ORG && m->type != GLA_ENT_LOC)
            continue;
        mention *p = vec_push(&w->title_parts);
        if (!p)
            return GLA_ERR_NOMEM;
        *p = *m;
    }
    if (w->title_parts.count > 1)
        qsort(w->title_parts.items, w->title_parts.count, sizeof(mention), cmp_mention_pos);
    return GLA_OK;
}

/* Where the function that a title's words name ends: before the first organisation, place or
 * nationality found after its head ("président" of "président de l'Assemblée nationale de Côte
 * d'Ivoire", "vice-ministre de la Défense" of "vice-ministre de la Défense du Japon"), and the
 * "de" that joins it. The mentions found so far are the gazetteer's, sorted by start (up to
 * gazetteer_end), then those of the rules before (the organisations' rules come first). */
static size_t function_end(const gla_worker *w, size_t gazetteer_end, size_t from, size_t s, size_t e) {
    const mention *ms = w->mentions.items;
    size_t first = e;
    for (size_t i = mention_at(ms, gazetteer_end, from); i < gazetteer_end && ms[i].start < first; i++)
        if (title_part(&ms[i], from, e))
            first = ms[i].start;
    /* the rules' mentions are in no order: their organisations and places, sorted by start by
     * collect_title_parts, are searched from "from" (a scan of all of them for each title made
     * a long text quadratic) */
    const mention *tp = w->title_parts.items;
    for (size_t k = mention_at(tp, w->title_parts.count, from); k < w->title_parts.count && tp[k].start < first; k++)
        if (title_part(&tp[k], from, e))
            first = tp[k].start;
    if (first == e)
        return e;
    size_t of = of_before(w->model, w->text.text.data, s, first);
    if (!of)
        of = at_before(w->model, w->text.text.data, s, first);
    return of ? of : first;
}

/* A part of a match left out of a canonical name. */
typedef struct {
    size_t start, end;
} skipped;

/* The canonical name of text[s, end): the head [hs, he) written as head (when head is not
 * NULL), the parts in skip left out, spaces collapsed, "Vietnam - Japon" as Vietnam-Japon. In
 * the arena: every byte of [s, end) gives at most one byte, but for the head, given once. */
static char *compose(gla_worker *w, size_t s, size_t end, size_t hs, size_t he, const char *head,
                     const skipped *skip, size_t nskip) {
    const char *text = w->text.text.data;
    size_t head_len = head ? strlen(head) : 0;
    char *canon = arena_alloc(&w->strings, (end - s) + head_len + 1);
    if (!canon)
        return NULL;
    size_t cl = 0;
    for (size_t p = s; p < end;) {
        if (head && p == hs) {
            memcpy(canon + cl, head, head_len);
            cl += head_len;
            p = he;
            continue;
        }
        size_t k = 0;
        while (k < nskip && skip[k].start != p)
            k++;
        if (k < nskip && skip[k].end > p) {
            p = skip[k].end;
        } else if (text[p] == ' ' && p + 2 < end && text[p + 1] == '-' && text[p + 2] == ' ' && cl &&
                   canon[cl - 1] != ' ') {
            canon[cl++] = '-'; /* "Vietnam - Japon" is the compound Vietnam-Japon */
            p += 3;
        } else {
            char c = text[p++];
            bool space = c == ' ' || c == '\n' || c == '\t';
            if (space && (cl == 0 || canon[cl - 1] == ' '))
                continue;
            canon[cl++] = space ? ' ' : c;
        }
    }
    while (cl && canon[cl - 1] == ' ')
        cl--;
    canon[cl] = '\0';
    return canon;
}

/* The head of a canonical name: the gazetteer's canonical (ministres -> ministre), or the
 * singular (ministères -> ministère); a title's feminine head stays feminine (présidente), as the
 * text names the function, and *key_head is then the masculine the key is made of. NULL: as
 * written. */
static const char *canonical_head(gla_worker *w, int type, size_t hs, size_t he, const char **key_head) {
    const char *text = w->text.text.data;
    int entry = entry_for(w, hs, he);
    const gazetteer_entry *e = entry >= 0 ? &w->model->gazetteer.entries[entry] : NULL;
    *key_head = NULL;
    if (e && !(type == GLA_ENT_TITLE && e->feminine))
        return e->canonical;
    char singular[128];
    const char *head = NULL;
    if (singular_of(w->model, text + hs, he - hs, singular, sizeof singular))
        head = arena_strndup(&w->strings, singular, strlen(singular));
    else if (e)
        head = arena_strndup(&w->strings, text + hs, he - hs);
    if (e)
        *key_head = e->canonical;
    return head;
}

/* One mention of a phrase rule's match [s, e), its canonical name and key. */
static int rule_mention(gla_worker *w, int type, size_t s, size_t e, size_t cut, size_t hs, size_t he,
                        const char *head, const char *key_head, const skipped *skip, size_t nskip,
                        const char *country, bool coordinated) {
    char *canon = compose(w, s, cut, hs, he, head, skip, nskip);
    if (!canon)
        return GLA_ERR_NOMEM;
    mention *mt = add_mention(w, type, s, e, 2);
    if (!mt)
        return GLA_ERR_NOMEM;
    mt->canonical = canon;
    mt->tie.country = type == GLA_ENT_DATE ? NULL : country;
    mt->coordinated = coordinated;
    if (key_head) { /* présidente de ...: the key of président de ... */
        const char *masculine = compose(w, s, cut, hs, he, key_head, skip, nskip);
        mt = &VEC_AT(&w->mentions, mention, w->mentions.count - 1);
        mt->key = masculine ? make_key(w, key_prefix[type], masculine) : NULL;
        if (!mt->key)
            return GLA_ERR_NOMEM;
    }
    return GLA_OK;
}

/* An anchor names a category (@title), and may ask more of the form of that category the match
 * starts with: "/sx" that it end in one of these letters, in either case ("ſ" is an s), as a
 * plural head does; ">demonym" that a form of that category start at one of the three words
 * after it (le ministre vietnamien, l'ambassadeur de la France); "+-–" that the first character
 * after it and its spaces be one of these (Nanning - Chongzuo). The rule is then tried only
 * where such a form starts: most title anchors are "président" or "ministre" before a name,
 * where a rule on plural heads or nationalities has nothing to do, but where each try reads the
 * words and calls the gazetteer back (thousands of instructions). Parsed from the rule's
 * anchor, the category's name is NUL-terminated in name. */
typedef struct anchor_spec {
    const char *name, *next; /* the categories, NUL-terminated: in the rule's anchor or in buf */
    const char *letters, *follow;
    size_t letters_len, follow_len;
    gazetteer_category category;
    char buf[96];
} anchor_spec;

#define ANCHOR_NEXT_WORDS 3

/* Read once a rule, at load: most anchors are a bare category, read where they are. */
static void anchor_parse(const char *spec, anchor_spec *a) {
    size_t n = strcspn(spec, "/>+");
    a->name = spec;
    a->next = NULL;
    a->letters = a->follow = NULL;
    a->letters_len = a->follow_len = 0;
    if (spec[n] && n < sizeof a->buf / 2) {
        memcpy(a->buf, spec, n);
        a->buf[n] = '\0';
        a->name = a->buf;
        for (const char *p = spec + n; *p;) {
            size_t len = strcspn(p + 1, "/>+");
            if (*p == '/') {
                a->letters = p + 1;
                a->letters_len = len;
            } else if (*p == '+') {
                a->follow = p + 1;
                a->follow_len = len;
            } else if (len < sizeof a->buf / 2) {
                memcpy(a->buf + sizeof a->buf / 2, p + 1, len);
                a->buf[sizeof a->buf / 2 + len] = '\0';
                a->next = a->buf + sizeof a->buf / 2;
            }
            p += 1 + len;
        }
    }
    a->category = gazetteer_category_of(a->name);
}

/* The entity type and the parsed anchor of every rule (m->rule_entity_type, m->rule_anchor),
 * read once at load rather than for every rule of every document. */
int entity_rule_types(gla_model *m) {
    const char *type_names[GLA_ENT_DATE];
    for (int t = 0; t < GLA_ENT_DATE; t++)
        type_names[t] = gla_entity_type_name((gla_entity_type)t);
    m->rule_entity_type = malloc(m->rules.count + 1);
    m->rule_anchor = calloc(m->rules.count + 1, sizeof *m->rule_anchor);
    if (!m->rule_entity_type || !m->rule_anchor)
        return GLA_ERR_NOMEM; /* (gla_model_free frees what was taken) */
    for (size_t k = 0; k < m->rules.count; k++) {
        m->rule_entity_type[k] = (int8_t)entity_type_of(m->rules.rules[k].kind, type_names);
        if (m->rule_entity_type[k] >= 0 && m->rules.rules[k].anchor)
            anchor_parse(m->rules.rules[k].anchor, &m->rule_anchor[k]);
    }
    return GLA_OK;
}

/* Does the form text[.., e) end in one of the letters of a (either case; "ſ", U+017F, is an s)? */
static bool ends_in_letter(const char *text, size_t e, const anchor_spec *a) {
    uint8_t last = e > 0 ? (uint8_t)text[e - 1] : 0;
    if (last == 0xBF && e > 1 && (uint8_t)text[e - 2] == 0xC5)
        last = 's';
    if (last >= 'A' && last <= 'Z')
        last |= 0x20;
    return last < 0x80 && last && memchr(a->letters, last, a->letters_len);
}

/* Is the first character after text[.., e) and its spaces one of a's follow characters? (true
 * too where it is a character that may be a space to PCRE2 and not to is_space_cp) */
static bool followed_by(const gla_worker *w, size_t e, const anchor_spec *a) {
    const uint8_t *text = (const uint8_t *)w->text.text.data;
    size_t len = w->text.text.len;
    int32_t cp = -1;
    for (int n; e < len && (n = utf8_decode(text + e, len - e, &cp)) > 0 && is_space_cp(cp); e += (size_t)n)
        cp = -1;
    if (cp < 0)
        return false;
    for (size_t i = 0; i < a->follow_len;) {
        int32_t want;
        int n = utf8_decode((const uint8_t *)a->follow + i, a->follow_len - i, &want);
        if (n <= 0)
            break;
        if (want == cp)
            return true;
        i += (size_t)n;
    }
    return cp >= 0x80 && !cp_is_letter(cp);
}

/* Does a form of category name start at one of the ANCHOR_NEXT_WORDS atoms from atom j? A
 * form longer than the memo's walk is taken as found. */
static bool form_starts_near(const gla_worker *w, size_t j, const char *name) {
    const gazetteer *g = &w->model->gazetteer;
    const atom *atoms = w->atoms.items;
    size_t n = w->atoms.count;
    for (size_t i = j; i < n && i < j + ANCHOR_NEXT_WORDS; i++) {
        uint32_t node = gazetteer_atom_node(g, &atoms[i]);
        const char *text = w->text.text.data;
        for (size_t k = i; node; node = ++k < n ? gazetteer_step(g, node, text, &atoms[k]) : 0)
            if (k - i >= CALLOUT_MEMO_ATOMS || gazetteer_node_has(g, text, atoms, i, k + 1, node, name))
                return true;
    }
    return false;
}

/* Does a form that answers a start at byte s, as its letters and what follows it ask? (true
 * where the memo's walk ends before the forms do: the rule decides) */
static bool anchor_fits(gla_worker *w, size_t s, const anchor_spec *a) {
    if (!a->letters && !a->next && !a->follow)
        return true;
    const callout_walk *cw = walk_from(w, s);
    const atom *atoms = w->atoms.items;
    for (size_t k = 0; k < cw->walked; k++) { /* form_starts_near leaves the memo as it is */
        if (!cw->nodes[k])
            return false;
        size_t j = cw->first + k; /* the cheap tests first */
        if (a->letters && !ends_in_letter(w->text.text.data, atom_end(&atoms[j]), a))
            continue;
        if (a->follow && !followed_by(w, atom_end(&atoms[j]), a))
            continue;
        if (!gazetteer_node_has(&w->model->gazetteer, w->text.text.data, atoms, cw->first, j + 1,
                                cw->nodes[k], a->name))
            continue;
        if (a->next && !form_starts_near(w, j + 1, a->next))
            continue;
        return true;
    }
    return cw->walked == CALLOUT_MEMO_ATOMS;
}

static bool same_category(const gazetteer_category *a, const gazetteer_category *b) {
    return a->type == b->type && a->kind_len == b->kind_len && !a->kind == !b->kind &&
           (!a->kind || !memcmp(a->kind, b->kind, a->kind_len));
}

/* w->anchor_list: the mentions of [0, n) that answer category c, in order. The mentions before
 * the rules' are the same for every rule of a document, and the rules of one anchor follow one
 * another (five title rules ask for @title): the list of the last category asked is kept for the
 * document (tag_entities forgets it). */
static int anchor_list(gla_worker *w, const gazetteer_category *c, size_t n) {
    if (w->anchor_list_known && same_category(&w->anchor_list_of, c))
        return GLA_OK;
    w->anchor_list_known = false;
    w->anchor_list.count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!answers_anchor(w, i, &VEC_AT(&w->mentions, mention, i), c))
            continue;
        uint32_t *slot = vec_push(&w->anchor_list);
        if (!slot)
            return GLA_ERR_NOMEM;
        *slot = (uint32_t)i;
    }
    w->anchor_list_of = *c;
    w->anchor_list_known = true;
    return GLA_OK;
}

static int apply_rule(gla_worker *w, const rule *r, const anchor_spec *spec, int type, size_t gazetteer_end,
                      size_t from, size_t to) {
    const char *text = w->text.text.data;
    size_t at = from, anchor_i = 0;
    if (type == GLA_ENT_TITLE) {
        int rc = collect_title_parts(w, gazetteer_end);
        if (rc != GLA_OK)
            return rc;
    }
    const uint32_t *answering = NULL;
    size_t answering_count = 0;
    if (r->anchor) {
        int rc = anchor_list(w, &spec->category, gazetteer_end); /* the rules' have no entry */
        if (rc != GLA_OK)
            return rc;
        answering = w->anchor_list.items;
        answering_count = w->anchor_list.count;
    }
    while (at < to) {
        int rc;
        if (r->anchor) { /* the next mention that answers the anchor, tried anchored */
            while (anchor_i < answering_count && VEC_AT(&w->mentions, mention, answering[anchor_i]).start < at)
                anchor_i++;
            if (anchor_i >= answering_count)
                break;
            size_t start = VEC_AT(&w->mentions, mention, answering[anchor_i++]).start;
            if (!anchor_fits(w, start, spec)) {
                at = start + 1;
                continue;
            }
            rc = rule_exec(r, text, to, start, PCRE2_ANCHORED, w->md, w->mctx);
            if (rc <= 0) {
                at = start + 1;
                continue;
            }
        } else {
            rc = rule_match(r, text, at, to, w->md, w->mctx, &w->hits);
        }
        if (rc <= 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
        size_t s = ov[0], e = ov[1], match_end = ov[1];
        size_t gs, ge; /* group "m": the mention is that part of the match (the place of "aéroport de X") */
        if (group_span(w, r, RG_M, &gs, &ge) && ge > gs) {
            s = gs;
            e = ge;
        }
        if (e <= s) {
            at = ov[0] + 1;
            continue;
        }
        /* canonical: the match, head replaced by its canonical, drop and drop2 ("des Philippines"
         * after the portfolio) left out */
        skipped skip[3];
        size_t nskip = 0, hs = 0, he = 0, cs = 0, ce = 0;
        bool head = group_span(w, r, RG_HEAD, &hs, &he);
        if (group_span(w, r, RG_DROP, &skip[nskip].start, &skip[nskip].end))
            nskip++;
        if (group_span(w, r, RG_DROP2, &skip[nskip].start, &skip[nskip].end))
            nskip++;
        bool country = group_span(w, r, RG_COUNTRY, &cs, &ce) || group_span(w, r, RG_COUNTRY2, &cs, &ce);
        int country_entry = country ? entry_for(w, cs, ce) : -1;
        const char *country_name = country_entry >= 0 ? w->model->gazetteer.entries[country_entry].canonical : NULL;
        const char *key_head = NULL;
        const char *head_text = head ? canonical_head(w, type, hs, he, &key_head) : NULL;
        /* a title's canonical name is its function: its organisation and country are said apart */
        size_t after_head = head ? he : s;
        for (size_t k = 0; k < nskip; k++)
            if (skip[k].start <= after_head + 1 && skip[k].end > after_head) /* the demonym right after it */
                after_head = skip[k].end;
        /* a coordination names one entity per conjunct: "ministères français et vietnamien de la
         * Santé", "vice-ministres des Affaires étrangères et de la Défense"; a conjunct that is a
         * nationality gives its entity's country */
        size_t c1s, c1e, c2s, c2e;
        bool coordination = group_span(w, r, RG_C1, &c1s, &c1e) && group_span(w, r, RG_C2, &c2s, &c2e) && c1e <= c2s;
        if (coordination && c1s <= after_head + 1)
            after_head = c2e; /* "ministres japonais et vietnamien": the nationalities are the conjuncts */
        size_t cut = type == GLA_ENT_TITLE ? function_end(w, gazetteer_end, after_head, s, e) : e;
        if (coordination) {
            int n1 = entry_for(w, c1s, c1e), n2 = entry_for(w, c2s, c2e);
            const gazetteer_entry *es = w->model->gazetteer.entries;
            skip[nskip] = (skipped){c1e, c2e}; /* the first conjunct */
            rc = rule_mention(w, type, s, e, cut, hs, he, head_text, key_head, skip, nskip + 1,
                              n1 >= 0 && es[n1].type == GAZ_DEMONYM ? es[n1].canonical : country_name, true);
            skip[nskip] = (skipped){c1s, c2s}; /* the second */
            if (rc == GLA_OK)
                rc = rule_mention(w, type, s, e, cut, hs, he, head_text, key_head, skip, nskip + 1,
                                  n2 >= 0 && es[n2].type == GAZ_DEMONYM ? es[n2].canonical : country_name, true);
        } else {
            rc = rule_mention(w, type, s, e, cut, hs, he, head_text, key_head, skip, nskip, country_name, false);
        }
        if (rc != GLA_OK)
            return rc;
        /* an organisation may name another in its complements ("Chambre basse du Parlement
         * suisse" in "Commission ... de la Chambre basse du Parlement suisse"): the search goes on
         * inside the match; settle_pair keeps those after "de" */
        at = type == GLA_ENT_ORG ? ov[0] + 1 : match_end;
    }
    return GLA_OK;
}

/* ------------------------------------------------------------------ overlaps */

static int cmp_mention_pos(const void *a, const void *b) {
    const mention *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* The end of the run of mentions in order that starts at a[s]. */
static size_t run_of(const mention *a, size_t s, size_t n) {
    size_t k = s + 1;
    while (k < n && cmp_mention_pos(&a[k - 1], &a[k]) <= 0)
        k++;
    return k;
}

/* The first of the mentions a[l, i), in order, that all go after x (l if all do, i if none):
 * searched from i back by doubling steps, so that it costs little when few go after x. */
static size_t after_in(const mention *a, size_t l, size_t i, const mention *x) {
    size_t good = i, step = 1; /* a[good, i) go after x */
    while (good > l) {
        size_t probe = good - l > step ? good - step : l;
        if (cmp_mention_pos(&a[probe], x) <= 0) { /* the answer is in (probe, good] */
            size_t lo = probe + 1;
            while (lo < good) {
                size_t mid = lo + (good - lo) / 2;
                if (cmp_mention_pos(&a[mid], x) > 0)
                    good = mid;
                else
                    lo = mid + 1;
            }
            break;
        }
        good = probe;
        step *= 2;
    }
    return good;
}

/* Merges the runs a[s, m) and a[m, e), each in order, stably (equal mentions of the left run
 * first). The mentions of either end already in their place stay there: a tail of a few rule
 * mentions merged into the gazetteer's many moves only the mentions after the first of them.
 * Of what is left, the shorter side goes through tmp, which holds at least half of a[s, e). */
static void merge_two(mention *a, size_t s, size_t m, size_t e, mention *tmp) {
    size_t lo = s, hi = m; /* the first left mention after a[m]: those before it are in place */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_mention_pos(&a[mid], &a[m]) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t l = lo;
    lo = m, hi = e; /* the first right mention not before a[m - 1]: it and those after are in place */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_mention_pos(&a[mid], &a[m - 1]) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t r = lo, ln = m - l, rn = r - m;
    if (ln <= rn) { /* the left part to tmp, merged forwards; the right part's rest stays in place */
        memcpy(tmp, a + l, ln * sizeof *tmp);
        size_t i = 0, j = m, o = l;
        while (i < ln && j < r)
            a[o++] = cmp_mention_pos(&a[j], &tmp[i]) < 0 ? a[j++] : tmp[i++];
        memcpy(a + o, tmp + i, (ln - i) * sizeof *tmp);
    } else { /* the right part to tmp, merged backwards; the left part's rest stays in place */
        memcpy(tmp, a + m, rn * sizeof *tmp);
        size_t i = m, j = rn, o = r;
        while (j > 0 && i > l) {
            /* the left mentions after tmp[j - 1] move as one block: the right part is usually a
             * few mentions spread among many */
            size_t p = after_in(a, l, i, &tmp[j - 1]);
            o -= i - p;
            memmove(a + o, a + p, (i - p) * sizeof *a);
            i = p;
            a[--o] = tmp[--j];
        }
        memcpy(a + l, tmp, j * sizeof *tmp);
    }
}

/* A stable merge sort that merges the runs already in order: the mentions arrive as a few of
 * them (the gazetteer's, each rule's, the people found in token order) and the later sorts find
 * them sorted but for a tail. The runs after the first are merged among themselves, pass after
 * pass, and the one they make is merged into the first, usually the longest, once. Equal
 * mentions keep their order, as in glibc's qsort, a merge sort too, that the output was made
 * with. a[0, first) is the first run; tmp holds n / 2 + 1 mentions. */
static void merge_runs(mention *a, size_t n, size_t first, mention *tmp) {
    mention *t = a + first;
    size_t tn = n - first;
    for (bool merged = true; merged;) {
        merged = false;
        for (size_t s = 0; s < tn;) {
            size_t m = run_of(t, s, tn);
            if (m == tn)
                break;
            size_t e = run_of(t, m, tn);
            merge_two(t, s, m, e, tmp);
            s = e;
            merged = true;
        }
    }
    merge_two(a, 0, first, n, tmp);
}

/* From this many mentions on, sort_mentions sorts their indices (4 bytes each, and 4 more
 * while merging) and then moves the mentions in place, instead of merging the mentions through
 * a copy of half of them (28 bytes a mention): for a big document that copy was one of the
 * largest buffers alive at the worker's peak. Any stable sort gives the same order. */
#define SORT_BY_INDEX_FROM ((size_t)1 << 15)

/* The end of the run in order of the mentions ms[idx[k]] that starts at k = s. */
static size_t index_run_of(const mention *ms, const uint32_t *idx, size_t s, size_t n) {
    size_t k = s + 1;
    while (k < n && cmp_mention_pos(&ms[idx[k - 1]], &ms[idx[k]]) <= 0)
        k++;
    return k;
}

/* Sorts ms[0, n) as merge_runs does, stably, through their indices: merges the runs in order,
 * pass after pass, then applies the permutation cycle by cycle. False when out of memory
 * (nothing moved). */
static bool sort_by_index(mention *ms, size_t n) {
    uint32_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
    if (!idx || !tmp) {
        free(idx);
        free(tmp);
        return false;
    }
    for (size_t k = 0; k < n; k++)
        idx[k] = (uint32_t)k;
    for (;;) {
        size_t s = 0, runs = 0;
        while (s < n) {
            size_t m = index_run_of(ms, idx, s, n), e = m < n ? index_run_of(ms, idx, m, n) : n;
            size_t i = s, j = m, o = s;
            while (i < m && j < e) /* the left one first when equal: stable */
                tmp[o++] = cmp_mention_pos(&ms[idx[j]], &ms[idx[i]]) < 0 ? idx[j++] : idx[i++];
            memcpy(tmp + o, idx + i, (m - i) * sizeof *tmp);
            o += m - i;
            memcpy(tmp + o, idx + j, (e - j) * sizeof *tmp);
            s = e;
            runs++;
        }
        uint32_t *t = idx;
        idx = tmp;
        tmp = t;
        if (runs == 1)
            break;
    }
    free(tmp);
    /* position p takes the mention at idx[p]: each cycle is moved through one copy */
    for (size_t p = 0; p < n; p++) {
        if (idx[p] == p)
            continue;
        mention first = ms[p];
        size_t q = p;
        while (idx[q] != p) {
            size_t from = idx[q];
            ms[q] = ms[from];
            idx[q] = (uint32_t)q;
            q = from;
        }
        ms[q] = first;
        idx[q] = (uint32_t)q;
    }
    free(idx);
    return true;
}

void sort_mentions(gla_worker *w, size_t first) {
    size_t n = w->mentions.count > first ? w->mentions.count - first : 0;
    if (n < 2)
        return; /* (and items may be NULL: no pointer arithmetic on it) */
    mention *ms = (mention *)w->mentions.items + first;
    size_t run = run_of(ms, 0, n);
    if (run == n)
        return;
    if (n >= SORT_BY_INDEX_FROM && n <= UINT32_MAX && sort_by_index(ms, n))
        return;
    if (!vec_reserve(&w->mention_tmp, n / 2 + 1)) { /* glibc sorts in place when memory is short */
        qsort(ms, n, sizeof(mention), cmp_mention_pos);
        return;
    }
    merge_runs(ms, n, run, w->mention_tmp.items);
}

size_t token_at(const gla_worker *w, size_t b) {
    const token *t = w->tokens.items;
    size_t lo = 0, hi = w->tokens.count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (token_end(&t[mid]) <= b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#define DROPPED (GLA_ENT__COUNT + 1)

/* Does a phrase rule's mention say no more than its words: its canonical name is its text? */
static bool says_its_words(const char *text, const mention *m) {
    size_t n = m->end - m->start;
    return m->canonical && strlen(m->canonical) == n && !memcmp(m->canonical, text + m->start, n);
}

/* Does a win over b, of the same length and start? A person (priority 3) wins; the gazetteer's
 * mention (1) wins over a phrase rule's (2) of the same words when the types differ ("Fédération
 * de Russie" is the country) or when the rule only repeats the words ("Conseil de sécurité" is
 * the UN's), and for a title, whose bare forms are checked later (drop_unattached): it knows
 * the name; a rule that composed a canonical name ("ministères de la Défense": "ministère de la
 * Défense") wins; the entities of a coordination win over the
 * coordination as one; else the first. */
static bool wins_tie(const char *text, const mention *a, const mention *b) {
    if (a->coordinated != b->coordinated) /* "ministères français et vietnamien": each, not both as one */
        return a->coordinated;
    if (a->priority == 2 && b->priority == 1 && b->entry >= 0)
        return a->type == b->type && a->type != GLA_ENT_TITLE && !says_its_words(text, a);
    if (a->priority == 1 && b->priority == 2 && a->entry >= 0)
        return a->type != b->type || a->type == GLA_ENT_TITLE || says_its_words(text, b);
    return a->priority >= b->priority;
}

/* Settles the overlap of a and b (a starts first or at the same place): the longer wins, then
 * wins_tie; a mention inside a longer one of another type survives when it names a
 * thing on its own (a place in an event's name), not when it is a part of the same kind, but
 * for an organisation that is the complement of another ("Parlement suisse" in "Chambre basse
 * du Parlement suisse"). */
static void settle_pair(const gla_model *m, const char *text, mention *a, mention *b) {
    size_t la = a->end - a->start, lb = b->end - b->start;
    if (a->coordinated && b->coordinated && a->start == b->start && a->end == b->end)
        return; /* two entities a coordination names on the same words */
    bool a_wins = la > lb || (la == lb && (a->start != b->start ? a->priority >= b->priority : wins_tie(text, a, b)));
    mention *win = a_wins ? a : b, *lose = a_wins ? b : a;
    /* inside, not on the same words: "Fédération de Russie" is the country or an organisation,
     * not both */
    bool inside = win->start <= lose->start && lose->end <= win->end && (la != lb || a->start != b->start);
    bool same_org = lose->type == win->type && lose->type == GLA_ENT_ORG;
    bool acronym_in_lower = same_org && cp_is_upper((uint8_t)text[lose->start]) && !cp_is_upper((uint8_t)text[win->start]);
    /* a body after "du", "des" or a capitalised one ("Parlement suisse"), not a noun after a
     * bare complement (word class bare_complement): "administration" of "conseil
     * d'administration" */
    size_t of = same_org && inside ? of_before(m, text, win->start, lose->start) : 0;
    bool bare_de = of && word_before(text, win->start, lose->start, &m->word_classes[WC_BARE_COMPLEMENT]) == of;
    bool complement = of && (!bare_de || cp_is_upper((uint8_t)text[lose->start]));
    bool named_inside =
        inside && !lose->internal && win->type != GLA_ENT_PERSON &&
        ((lose->type != win->type && (lose->type == GLA_ENT_LOC || lose->type == GLA_ENT_PERSON ||
                                      lose->type == GLA_ENT_ORG || win->type == GLA_ENT_EVENT ||
                                      win->type == GLA_ENT_AGREEMENT)) ||
         acronym_in_lower || complement); /* ASEAN in "réunion ... de l'ASEAN", a place in an event */
    bool part = inside && lose->internal && !win->internal && win->type != GLA_ENT_PERSON;
    if (!named_inside && !part)
        lose->type = DROPPED;
}

/* Mentions are sorted by start: an overlapping pair is found by looking ahead only while the
 * next mention starts before the current one ends. */
static void settle_overlaps(gla_worker *w, size_t first) {
    mention *ms = w->mentions.items;
    const char *text = w->text.text.data;
    for (size_t i = first; i < w->mentions.count; i++) {
        for (size_t j = i + 1; j < w->mentions.count && ms[j].start < ms[i].end; j++) {
            if (ms[i].type == DROPPED)
                break;
            if (ms[j].type == DROPPED || ms[j].type == GLA_ENT_DATE || ms[i].type == GLA_ENT_DATE)
                continue;
            settle_pair(w->model, text, &ms[i], &ms[j]);
        }
    }
}

/* A bare title (from the gazetteer, with no complement) is an entity only where it names
 * someone: a person right before or after it ("Obuchi Yuko, présidente", "le ministre Thanh"),
 * possibly through a rank or the title's organisation ("chef d'état-major général de l'armée X,
 * Y"). "Le ministre a déclaré" names nobody the text can tell. Mentions are sorted by start. */
static bool names_someone(const gla_worker *w, size_t i, size_t longest_person) {
    const mention *ms = w->mentions.items;
    const char *text = w->text.text.data;
    size_t edge = ms[i].end;
    for (size_t j = i + 1; j < w->mentions.count && ms[j].start <= edge + 8; j++) {
        if (ms[j].start < edge || ms[j].type == DROPPED || ms[j].internal || ms[j].type == GLA_ENT_DATE)
            continue;
        if (ms[j].type == GLA_ENT_PERSON)
            return true;
        if (ms[j].type == GLA_ENT_ORG || ms[j].type == GLA_ENT_RANK || ms[j].type == GLA_ENT_LOC ||
            ms[j].type == GLA_ENT_TITLE)
            edge = ms[j].end; /* "chef d'état-major général de l'armée X, Y", "vice-Premier ministre et ministre X" */
        else
            break;
    }
    /* a person just before, then a comma. No person is longer than longest_person: once ms[j]
     * starts that far back, every person left ends too far back, and the walk stops there rather
     * than at the start of a document of titles without people */
    for (size_t j = i; j-- > 0 && ms[j].start + longest_person + 3 >= ms[i].start;) {
        if (ms[j].end > ms[i].start || ms[j].type != GLA_ENT_PERSON)
            continue;
        if (ms[i].start - ms[j].end > 3)
            break;
        return memchr(text + ms[j].end, ',', ms[i].start - ms[j].end) != NULL;
    }
    return false;
}

bool word_before_token(const gla_worker *w, size_t t, word_class_id class_id, bool as_written) {
    const token *toks = w->tokens.items;
    if (t == 0 || t >= w->tokens.count || toks[t - 1].len >= 12)
        return false;
    const char *word = w->text.text.data + toks[t - 1].start;
    if (as_written)
        return word_class_has(&w->model->word_classes[class_id], word, toks[t - 1].len);
    char lw[32];
    int l = utf8_lower(word, toks[t - 1].len, lw, sizeof lw);
    return l > 0 && word_class_has(&w->model->word_classes[class_id], lw, (size_t)l);
}

/* Is the word right before the token that starts at byte start, in lower case, a form of the
 * word class? */
static bool word_before_in(const gla_worker *w, size_t start, word_class_id class_id) {
    size_t t = token_at(w, start);
    return t < w->tokens.count && VEC_AT(&w->tokens, token, t).start == start &&
           word_before_token(w, t, class_id, false);
}

/* A bare rank needs a determiner before it or a person after it ("le général Thanh", not "en
 * général"); a bare title in the plural with no complement names nobody ("les chefs de
 * délégation"), nor one that names a relation to a body without the body ("membre", "chef").
 * All come from the gazetteer alone (rule mentions carry their complements). */
static void drop_unattached(gla_worker *w, size_t first) {
    const gla_model *m = w->model;
    mention *ms = w->mentions.items;
    size_t longest_person = 0;
    for (size_t i = 0; i < w->mentions.count; i++)
        if (ms[i].type == GLA_ENT_PERSON && ms[i].end - ms[i].start > longest_person)
            longest_person = ms[i].end - ms[i].start;
    for (size_t i = first; i < w->mentions.count; i++) {
        mention *mt = &ms[i];
        if (mt->entry < 0 || (mt->type != GLA_ENT_RANK && mt->type != GLA_ENT_TITLE))
            continue;
        const gazetteer_entry *e = &m->gazetteer.entries[mt->entry];
        if (mt->type == GLA_ENT_TITLE) {
            /* a plural after a possessive or a number names those who hold it: "leurs Premiers
             * ministres", "les deux chefs d'État" */
            bool named = e->plural ? word_before_in(w, mt->start, WC_PLURAL_SPECIFIER)
                                   : names_someone(w, i, longest_person);
            if (e->relational || !named)
                mt->type = DROPPED;
            continue;
        }
        bool determiner = word_before_in(w, mt->start, WC_DETERMINER);
        bool person_after = false; /* mentions are sorted by start */
        for (size_t j = i + 1; j < w->mentions.count && ms[j].start <= mt->end + 2 && !person_after; j++)
            person_after = ms[j].type == GLA_ENT_PERSON && ms[j].start > mt->end;
        if (!determiner && !person_after)
            mt->type = DROPPED;
    }
}

int cmp_keyed_key_index(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    return d ? d : (x->index > y->index) - (x->index < y->index);
}

size_t keyed_lower_bound(const keyed *sorted, size_t n, const char *key) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(sorted[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t *group_order(gla_worker *w, size_t columns) {
    const keyed *order = w->order.items;
    size_t n = w->order.count, cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    /* the columns, then the hash slots (0: empty, else the leader's position + 1): kept by the
     * worker from document to document */
    if (!vec_reserve(&w->group_scratch, columns * n + cap))
        return NULL;
    uint32_t *leader = w->group_scratch.items, *slots = leader + columns * n;
    memset(slots, 0, cap * sizeof *slots);
    for (size_t k = 0; k < n; k++) {
        uint32_t h = wordset_hash(order[k].key, strlen(order[k].key)); /* then the type mixed in */
        h ^= (uint32_t)order[k].type * 0x9E3779B1u;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
            if (!slots[i]) {
                slots[i] = (uint32_t)k + 1;
                leader[k] = (uint32_t)k;
                break;
            }
            const keyed *l = &order[slots[i] - 1];
            if (l->type == order[k].type && !strcmp(l->key, order[k].key)) {
                leader[k] = slots[i] - 1;
                break;
            }
        }
    }
    return leader;
}

/* Each gazetteer mention takes as canonical the fullest form the document writes for its
 * entity (longest, then most diacritics): FRA and Forum régional de l'ASEAN in one document
 * are both called "Forum régional de l'ASEAN"; the key stays the gazetteer's.
 *
 * The records are in mention order, so a group's records come in mention order, as the stable
 * sort by (type, key) this once was gave them: the first longest of a group is the same. */
static int fullest_forms(gla_worker *w, size_t first) {
    mention *ms = w->mentions.items;
    const char *text = w->text.text.data;
    w->order.count = 0;
    for (size_t i = first; i < w->mentions.count; i++) {
        if (ms[i].entry < 0 || ms[i].internal || ms[i].type >= GLA_ENT_DATE || !ms[i].key)
            continue;
        keyed *o = vec_push(&w->order);
        if (!o)
            return GLA_ERR_NOMEM;
        *o = (keyed){ms[i].key, ms[i].type, (uint32_t)i};
    }
    const keyed *order = w->order.items;
    size_t n = w->order.count;
    if (n == 0)
        return GLA_OK;
    /* leader: each record's group as the position of its first record; best: at a leader's
     * position, the group's longest mention so far */
    uint32_t *leader = group_order(w, 2);
    if (!leader)
        return GLA_ERR_NOMEM;
    uint32_t *best = leader + n;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = order[k].index, *b = &best[leader[k]];
        if (leader[k] == k || ms[i].end - ms[i].start > ms[*b].end - ms[*b].start)
            *b = i;
    }
    for (size_t k = 0; k < n; k++) {
        if (leader[k] != k) { /* the leader, before it, has the group's surface */
            ms[order[k].index].canonical = ms[order[leader[k]].index].canonical;
            continue;
        }
        const mention *b = &ms[best[k]];
        char *surface = arena_strndup(&w->strings, text + b->start, b->end - b->start);
        if (!surface)
            return GLA_ERR_NOMEM;
        for (char *c = surface; *c; c++) /* a name broken across lines reads with a space */
            if (*c == '\n' || *c == '\t')
                *c = ' ';
        ms[order[k].index].canonical = surface;
    }
    return GLA_OK;
}

/* ------------------------------------------------------------------ the stage */

/* Can byte c be part of a word: a letter, a digit or a byte of a multibyte character? */
static bool word_byte(char c) {
    unsigned char u = (unsigned char)c;
    return u >= 0x80 || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') || (u >= '0' && u <= '9');
}

/* An acronym or a short name is at most this long, in its definition and in its uses. */
#define ACRONYM_MAX_LEN 12

/* The length of the short name at text[p] that ends at ")" before to, or 0: an acronym (two to
 * ACRONYM_MAX_LEN capitals and digits, a capital first: FNUAP, G7) or a short name in mixed
 * case (a capital, then ASCII letters and digits: Senelec, PetroVietnam), as companies and
 * agencies are named; *mixed tells which. */
static size_t acronym_in_parentheses(const char *text, size_t p, size_t to, bool *mixed) {
    *mixed = false;
    if (p >= to || text[p] < 'A' || text[p] > 'Z')
        return 0;
    size_t q = p + 1;
    for (; q < to && q - p <= ACRONYM_MAX_LEN; q++) {
        char c = text[q];
        if (c >= 'a' && c <= 'z')
            *mixed = true;
        else if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
            break;
    }
    return q - p >= 2 && q - p <= ACRONYM_MAX_LEN && q < to && text[q] == ')' ? q - p : 0;
}

/* An acronym an organisation's name defines, in the order of the definitions. */
typedef struct {
    const char *text; /* in the document */
    size_t len;
    const char *canonical; /* the name's: borrowed from the mention or the worker's arena */
    size_t order;          /* of its definition: the first one names the acronym */
    bool mixed;            /* a short name in mixed case: no name if a mention holds it ("(Japon)") */
} acronym_def;

static int cmp_acronym(const void *a, const void *b) {
    const acronym_def *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->text, y->text, x->len);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The bytes of [from, to) where an acronym may not be named: bit k of cover is set where byte
 * from + k lies inside a mention, bit k of edge where a title, event or agreement starts or ends
 * at from + k. Such a mention does not keep out an acronym it holds whole ("représentante en chef
 * du FNUAP"), only one it cuts, so an acronym at [s, e) is free when no cover bit is set in
 * [s, e) and no edge bit in (s, e). One pass over the mentions (sorted by start: each byte is
 * marked once) and bits read per use of an acronym, instead of every mention read for each use:
 * a document that defines and uses many acronyms was quadratic. */
typedef struct {
    uint8_t *cover, *edge;
} acronym_room;

static void room_set(uint8_t *bits, size_t k) {
    bits[k >> 3] |= (uint8_t)(1u << (k & 7));
}

static bool room_any(const uint8_t *bits, size_t k, size_t e) {
    for (; k < e; k++)
        if (bits[k >> 3] & (1u << (k & 7)))
            return true;
    return false;
}

/* Marks the mentions [first, count) in room's bits. */
static void room_mark(const gla_worker *w, size_t first, size_t count, acronym_room *room, size_t from,
                      size_t to) {
    /* bytes [start, reach) of a mention after one that started no later are marked already */
    size_t reach = from, last_start = 0;
    for (size_t i = first; i < count; i++) {
        const mention *m = &VEC_AT(&w->mentions, mention, i);
        if (m->type == DROPPED)
            continue;
        if (m->start < last_start) /* out of order: marked whole */
            reach = from;
        last_start = m->start;
        if (m->type == GLA_ENT_TITLE || m->type == GLA_ENT_EVENT || m->type == GLA_ENT_AGREEMENT) {
            if (m->start >= from && m->start < to)
                room_set(room->edge, m->start - from);
            if (m->end >= from && m->end < to)
                room_set(room->edge, m->end - from);
            continue;
        }
        size_t s = m->start > reach ? m->start : reach, e = m->end < to ? m->end : to;
        for (; s < e; s++)
            room_set(room->cover, s - from);
        if (e > reach)
            reach = e;
    }
}

/* An acronym defined in parentheses right after an organisation's name ("Fonds des Nations Unies
 * pour la population (FNUAP)") names that organisation there and wherever the document uses it
 * again, where nothing else was found: each such mention gets the name's canonical, so the same
 * key, and the acronym is one of the organisation's written forms. An acronym defined twice
 * names the first definition's organisation. */
static int define_acronyms(gla_worker *w, size_t first, size_t from, size_t to) {
    const char *text = w->text.text.data;
    size_t count = w->mentions.count;
    acronym_def *defs = NULL;
    size_t ndefs = 0, cap = 0;
    int rc = GLA_OK;
    for (size_t i = first; i < count; i++) {
        const mention *org = &VEC_AT(&w->mentions, mention, i);
        if (org->type != GLA_ENT_ORG || org->internal)
            continue;
        size_t p = org->end + (org->end < to && text[org->end] == ' ');
        bool mixed = false;
        size_t len = p < to && text[p] == '(' ? acronym_in_parentheses(text, p + 1, to, &mixed) : 0;
        if (!len)
            continue;
        const char *canonical = org->canonical
                                    ? org->canonical
                                    : arena_strndup(&w->strings, text + org->start, org->end - org->start);
        if (canonical && ndefs == cap) {
            acronym_def *grown = realloc(defs, (cap ? 2 * cap : 8) * sizeof *defs);
            cap = grown ? (cap ? 2 * cap : 8) : cap;
            defs = grown ? grown : defs;
        }
        if (!canonical || ndefs == cap) {
            rc = GLA_ERR_NOMEM;
            break;
        }
        defs[ndefs] = (acronym_def){text + p + 1, len, canonical, ndefs, mixed};
        ndefs++;
    }
    if (rc != GLA_OK || !ndefs) {
        free(defs);
        return rc;
    }
    size_t bytes = (to - from) / 8 + 1;
    acronym_room room = {calloc(bytes, 1), calloc(bytes, 1)};
    if (!room.cover || !room.edge) {
        rc = GLA_ERR_NOMEM;
        goto done;
    }
    room_mark(w, first, count, &room, from, to);
    /* a short name in mixed case where a mention lies is that mention's (a place, a person) */
    size_t named = 0;
    for (size_t k = 0; k < ndefs; k++) {
        size_t s = (size_t)(defs[k].text - text);
        if (!defs[k].mixed || !room_any(room.cover, s - from, s + defs[k].len - from))
            defs[named++] = defs[k];
    }
    /* one definition an acronym: the first */
    qsort(defs, named, sizeof *defs, cmp_acronym);
    size_t kept = 0;
    for (size_t k = 0; k < named; k++)
        if (!kept || defs[k].len != defs[kept - 1].len ||
            memcmp(defs[k].text, defs[kept - 1].text, defs[k].len))
            defs[kept++] = defs[k];
    /* every word of the body that is a defined acronym, in one pass: two uses of acronyms never
     * overlap (each is a whole word), so the mentions added here keep out no other. Only a word
     * that starts with an ASCII capital can be one: the capitals are found eight bytes at a
     * time, and the words they start read from there (most bytes start no such word). */
    for (size_t q = from; q < to;) {
        if (to - q >= 8) {
            uint64_t v;
            memcpy(&v, text + q, 8);
            uint64_t caps = ascii_capitals8(v);
            if (!caps) {
                q += 8;
                continue;
            }
            q += first_flagged_byte(caps);
        } else if (text[q] < 'A' || text[q] > 'Z') {
            q++;
            continue;
        }
        if (q > from && word_byte(text[q - 1])) { /* a capital inside a word */
            q++;
            continue;
        }
        size_t e = q + 1;
        while (e < to && word_byte(text[e]))
            e++;
        acronym_def word = {text + q, e - q, NULL, 0, false};
        const acronym_def *def = NULL;
        if (e - q >= 2 && e - q <= ACRONYM_MAX_LEN) { /* text[q] is a capital */
            size_t lo = 0, hi = kept; /* the first definition not before the word */
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (cmp_acronym(&defs[mid], &word) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < kept && defs[lo].len == word.len && !memcmp(defs[lo].text, word.text, word.len))
                def = &defs[lo];
        }
        if (def && !room_any(room.cover, q - from, e - from) &&
            !room_any(room.edge, q - from + 1, e - from)) {
            mention *mt = add_mention(w, GLA_ENT_ORG, q, e, 2);
            if (!mt) {
                rc = GLA_ERR_NOMEM;
                goto done;
            }
            mt->canonical = def->canonical;
        }
        q = e;
    }
done:
    free(room.cover);
    free(room.edge);
    free(defs);
    return rc;
}

/* The atoms' room kept after the entities' rules, as extract.c keeps buffers (BIG_KEEP). */
#define ATOMS_KEEP ((size_t)1 << 20)

void release_big_atoms(gla_worker *w) {
    if (w->atoms.cap * sizeof(atom) > ATOMS_KEEP) {
        vec_free(&w->atoms);
        forget_walks(w);
    }
}

#define KEY_SLOTS 4096
#define KEY_SLOTS_FEW 64 /* a smaller document's, on the stack */
#define KEY_SHARE_FROM ((size_t)64 << 10) /* bytes of body: from here the slots are on the heap */
typedef struct {
    const char *name; /* the text or a canonical, alive while the keys are given */
    size_t len;
    int type;
    const char *key;
} key_slot;

/* The key of name[0, len) for type, in arena a, or the one that slots (mask + 1 of them) still
 * holds for the same type and name (slots NULL: always a new one). */
static const char *shared_key(arena *a, key_slot *slots, size_t mask, int type, const char *name, size_t len) {
    if (!slots)
        return key_in_n(a, key_prefix[type], name, len);
    uint64_t h = 0xCBF29CE484222325u ^ (uint64_t)type; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)name[i]) * 0x100000001B3u;
    key_slot *slot = &slots[(h ^ h >> 32) & mask];
    if (slot->key && slot->type == type && slot->len == len && !memcmp(slot->name, name, len))
        return slot->key;
    const char *key = key_in_n(a, key_prefix[type], name, len);
    if (key)
        *slot = (key_slot){name, len, type, key};
    return key;
}

int tag_entities(gla_worker *w, size_t from, size_t to) {
    const gla_model *m = w->model;
    size_t first = w->mentions.count;
    int rc = tag_gazetteer(w, from, to);
    size_t gazetteer_end = w->mentions.count;
    /* the anchors' memo, one slot per mention so far (the gazetteer's): nothing known yet */
    w->anchor_memo.count = 0;
    w->anchor_list_known = false;
    w->title_parts_upto = SIZE_MAX;
    if (rc == GLA_OK && !vec_reserve(&w->anchor_memo, gazetteer_end))
        rc = GLA_ERR_NOMEM;
    if (rc == GLA_OK) {
        if (gazetteer_end)
            memset(w->anchor_memo.items, 0, gazetteer_end * sizeof(uint16_t));
        w->anchor_memo.count = gazetteer_end;
    }
    for (size_t k = 0; k < m->rules.count && rc == GLA_OK; k++)
        if (m->rule_entity_type[k] >= 0)
            rc = apply_rule(w, &m->rules.rules[k], &m->rule_anchor[k], m->rule_entity_type[k], gazetteer_end,
                            from, to);
    sort_mentions(w, 0);
    if (rc == GLA_OK)
        rc = tag_people(w, from, to);
    if (rc != GLA_OK)
        return rc;
    /* (a big document's atoms, read only by the callouts of the rules above and of people.c's,
     * were freed by tag_people once its rules were done) */
    /* from here on dates and entities are sorted together; the steps below skip dates */
    first = 0;
    sort_mentions(w, first);
    settle_overlaps(w, first);
    drop_unattached(w, first);
    size_t before_acronyms = w->mentions.count;
    rc = define_acronyms(w, first, from, to);
    if (rc != GLA_OK)
        return rc;
    if (w->mentions.count > before_acronyms)
        sort_mentions(w, first);
    /* drop what was settled away, then give keys: a big document's names come back again and
     * again, and share a key (a slot per name hash, as extract.c shares the entities' names) */
    key_slot few[KEY_SLOTS_FEW] = {0}; /* an article's: its titles and names come back too */
    bool big = to - from >= KEY_SHARE_FROM;
    key_slot *keys = big ? calloc(KEY_SLOTS, sizeof *keys) : few; /* NULL: no sharing, no harm */
    size_t key_mask = big ? KEY_SLOTS - 1 : KEY_SLOTS_FEW - 1;
    size_t kept = first;
    for (size_t i = first; i < w->mentions.count; i++) {
        mention *mt = &VEC_AT(&w->mentions, mention, i);
        if (mt->type == DROPPED)
            continue;
        if (mt->type < GLA_ENT_DATE && !mt->internal && !mt->key && mt->entry >= 0) {
            const gazetteer_entry *e = &m->gazetteer.entries[mt->entry];
            if (e->key && e->type == mt->type && e->canonical == mt->canonical)
                mt->key = e->key; /* what make_key would make of the same canonical and type */
        }
        if (mt->type < GLA_ENT_DATE && !mt->internal && !mt->key) {
            /* the name as written when it has no canonical: the text holds no NUL */
            const char *name = mt->canonical ? mt->canonical : w->text.text.data + mt->start;
            size_t len = mt->canonical ? strlen(name) : mt->end - mt->start;
            mt->key = shared_key(&w->strings, keys, key_mask, mt->type, name, len);
            if (!mt->key) {
                if (keys != few)
                    free(keys);
                return GLA_ERR_NOMEM;
            }
        }
        VEC_AT(&w->mentions, mention, kept++) = *mt;
    }
    if (keys != few)
        free(keys);
    w->mentions.count = kept;
    return fullest_forms(w, first);
}
