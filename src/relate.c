/* Relations over the tagged sentences of a document's body.
 *
 * holds_position comes from how mentions sit next to each other: a title or rank before a
 * person ("le vice-ministre japonais de la Défense Masami Oka", "le général X"), or a title in
 * apposition after one ("Serizawa Kiyoshi, vice-ministre japonais de la Défense"), titles joined
 * by a GAPJOIN word ("et") counting one each. The other relations start at a trigger, a REL rule of
 * gazetteers/rules/, whose NAME is "type.mode":
 *   type  co_chair, meet, sign, agree_cooperation
 *   mode  all      the persons of the sentence, one relation ("se sont entretenus")
 *         each     the persons before the trigger with each person after it, one relation
 *                  per person after ("A a rencontré B, C et D")
 *         after    the persons after the trigger ("était co-présidée par A, ainsi que par B")
 *         subject  the subject before the trigger: persons, else organisations, else
 *                  countries, else a phrase that RESOLVE rules name ("les deux parties": the
 *                  document's two main countries; "les deux ministres": the persons holding a
 *                  title; "ils": the agents of the previous relation)
 * Dates and places come from the sentence ("à Tokyo", a dated expression), else from the
 * document's first dated day and first "à PLACE"; events from the sentence, else the document's
 * first event. A signature gives one relation per document signed, its kind from SIGNKIND
 * rules. Agreements to cooperate take their domains from the enumeration after a DOMAINS cue
 * ("dans les domaines comme ...") up to a DOMAINEND phrase, else from the objects of the verbs
 * ("de maintenir X et de soutenir Y"). Relations with the same type and agents are merged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_AGENTS 16

typedef struct {
    gla_worker *w;
    const char *text;
    const mention *ms;  /* sorted by start */
    size_t nm;
    int *ent_of;        /* mention -> public entity or -1 */
    size_t body_start, body_end;
    int doc_event, doc_date, doc_place; /* mention indices or -1 */
    int countries[2];
    int prev_agents[MAX_AGENTS];
    size_t prev_count;
    const rule_kind *gap_glue, *gap_join; /* GAPGLUE and GAPJOIN, looked up once */
    uint32_t *starts; /* the first token of each sentence (sentence_starts) */
    size_t nstarts;
} ctx;

static bool visible(const ctx *c, size_t i) { return c->ent_of[i] >= 0; }

/* ------------------------------------------------------------------ building relations */

static relation *new_relation(ctx *c, int type, size_t ev_start, size_t ev_end) {
    relation *r = vec_push(&c->w->relations);
    if (r) {
        r->type = type;
        r->ev_start = (uint32_t)ev_start;
        r->ev_end = (uint32_t)ev_end;
        r->first_arg = c->w->rel_args.count;
    }
    return r;
}

/* Adds an argument to the last relation. */
static bool add_arg(ctx *c, int role, int mention_index, size_t start, size_t end, const char *canonical,
                    const char *value) {
    relation *r = &VEC_AT(&c->w->relations, relation, c->w->relations.count - 1);
    rel_arg *a = vec_push(&c->w->rel_args);
    if (!a)
        return false;
    a->role = role;
    a->entity = mention_index >= 0 ? c->ent_of[mention_index] : -1;
    a->start = (uint32_t)start;
    a->end = (uint32_t)end;
    a->canonical = canonical;
    a->value = value;
    r->arg_count++;
    return true;
}

static bool add_mention_arg(ctx *c, int role, int i) {
    const mention *m = &c->ms[i];
    return add_arg(c, role, i, m->start, m->end, m->canonical, m->value);
}

/* ------------------------------------------------------------------ looking around */

static size_t first_mention_at(const ctx *c, size_t b) { return mention_at(c->ms, c->nm, b); }

/* Where the first rule of kind k that matches at text[at] (within text[0, end)) ends, or 0. */
static size_t match_end_at(const ctx *c, const rule_kind *k, size_t at, size_t end) {
    for (size_t i = 0; i < k->count; i++)
        if (rule_exec(k->rules[i], c->text, end, at, PCRE2_ANCHORED, c->w->md, c->w->mctx) > 0)
            return pcre2_get_ovector_pointer(c->w->md)[1];
    return 0;
}

/* Is text[a, b) only spaces, commas and words that may sit between a title and the person it
 * names: GAPGLUE words (articles), and GAPJOIN words (what joins two titles) when allow_join?
 * A word matches a rule only whole. *joined, unless NULL, tells whether a GAPJOIN word stood
 * between two spaces of the gap: what joins a second title to the first. */
static bool gap_is_glue(const ctx *c, size_t a, size_t b, bool allow_join, bool *joined) {
    const char *text = c->text;
    size_t i = a;
    bool spaced_join = false;
    while (i < b) {
        char ch = text[i];
        if (ch == ' ' || ch == ',' || ch == '\n' || ch == '\t') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < b && text[j] != ' ' && text[j] != ',' && text[j] != '\n')
            j++;
        bool join = allow_join && match_end_at(c, c->gap_join, i, j) == j;
        if (!join && match_end_at(c, c->gap_glue, i, j) != j)
            return false;
        spaced_join |= join && i > a && text[i - 1] == ' ' && j < b && text[j] == ' ';
        i = j;
    }
    if (joined)
        *joined = spaced_join;
    return true;
}

/* The sentence around text[b], in *s and *e: the tokens from the sentence start at or before the
 * token of b up to the next one. Sentence starts are found once per document (sentence_starts),
 * so a sentence is found by binary search, not by walking its tokens, which a text without full
 * stops would make quadratic. A sentence longer than SCOPE bytes on a side of b is cut to SCOPE
 * bytes there (at a token): what a relation names sits near its words, and a text without full
 * stops must not give every mention the whole text to look through. */
#define SCOPE 2000

static int sentence_bounds(const ctx *c, size_t b, size_t *s, size_t *e) {
    const gla_worker *w = c->w;
    const token *t = w->tokens.items;
    size_t n = w->tokens.count, k = token_at(w, b);
    if (k >= n || !c->nstarts)
        return -1;
    size_t lo = 0, hi = c->nstarts; /* the last start at or before k: starts[0] is token 0 */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->starts[mid] <= k)
            lo = mid;
        else
            hi = mid;
    }
    size_t a = c->starts[lo], z = lo + 1 < c->nstarts ? c->starts[lo + 1] : n;
    if (b > SCOPE && t[a].start < b - SCOPE)
        a = token_at(w, b - SCOPE);
    size_t last = b + SCOPE < t[z - 1].end ? token_at(w, b + SCOPE) : z - 1; /* < z */
    *s = t[a].start;
    *e = t[last].end;
    return 0;
}

/* The first token of each sentence, token 0 first, into a malloc'd array. */
static uint32_t *sentence_starts(const gla_worker *w, size_t *count) {
    const token *t = w->tokens.items;
    uint32_t *starts = malloc((w->tokens.count + 1) * sizeof *starts);
    size_t n = 0;
    for (size_t k = 0; starts && k < w->tokens.count; k++)
        if (k == 0 || t[k].sentence_start)
            starts[n++] = (uint32_t)k;
    *count = n;
    return starts;
}

/* ------------------------------------------------------------------ holds_position */

static const char *mention_country(const ctx *c, int i) {
    const mention *m = &c->ms[i];
    if (m->country)
        return m->country;
    /* a place inside (armée populaire du Vietnam) */
    for (size_t j = (size_t)i + 1; j < c->nm && c->ms[j].start < m->end; j++)
        if (c->ms[j].country && c->ms[j].type == GLA_ENT_LOC)
            return c->ms[j].country;
    return NULL;
}

static const char *name_origin(ctx *c, const mention *p) {
    const gla_model *m = c->w->model;
    char folded[256];
    int l = p->end - p->start < 120 ? utf8_fold(c->text + p->start, p->end - p->start, folded, sizeof folded) : -1;
    if (l <= 0)
        return NULL;
    const rule_kind *origins = ruleset_kind(&m->rules, "NAMEORIGIN");
    for (size_t k = 0; k < origins->count; k++)
        if (rule_exec(origins->rules[k], folded, (size_t)l, 0, 0, c->w->md, NULL) > 0)
            return origins->rules[k]->name;
    return NULL;
}

static int holds_one(ctx *c, size_t p, int title, int org, int rank, const char *country) {
    for (size_t k = 0; k < c->w->relations.count; k++) { /* the same person and title: fill in */
        relation *r = &VEC_AT(&c->w->relations, relation, k);
        if (r->type != REL_HOLDS)
            continue;
        rel_arg *args = (rel_arg *)c->w->rel_args.items + r->first_arg;
        if (args[0].canonical && c->ms[p].canonical && !strcmp(args[0].canonical, c->ms[p].canonical) &&
            args[1].canonical && c->ms[title].canonical && !strcmp(args[1].canonical, c->ms[title].canonical))
            return GLA_OK;
    }
    size_t s, e;
    if (sentence_bounds(c, c->ms[p].start, &s, &e) < 0)
        return GLA_OK;
    if (!new_relation(c, REL_HOLDS, s, e) || !add_mention_arg(c, ROLE_PERSON, (int)p) ||
        !add_mention_arg(c, ROLE_TITLE, title))
        return GLA_ERR_NOMEM;
    if (org >= 0 && !add_mention_arg(c, ROLE_ORG, org))
        return GLA_ERR_NOMEM;
    if (country && !add_arg(c, ROLE_COUNTRY, -1, c->ms[title].start, c->ms[title].start, country, NULL))
        return GLA_ERR_NOMEM;
    if (rank >= 0 && !add_mention_arg(c, ROLE_RANK, rank))
        return GLA_ERR_NOMEM;
    return GLA_OK;
}

/* The organisation that follows a title ("chef d'état-major des forces d'autodéfense du Japon"). */
static int org_after(const ctx *c, int title) {
    for (size_t j = (size_t)title + 1; j < c->nm && c->ms[j].start <= c->ms[title].end + 8; j++)
        if (visible(c, j) && c->ms[j].type == GLA_ENT_ORG && c->ms[j].start >= c->ms[title].end &&
            gap_is_glue(c, c->ms[title].end, c->ms[j].start, false, NULL))
            return (int)j;
    return -1;
}

/* Is mention j inside an earlier one (Vietnam in "armée populaire du Vietnam")? Mentions are
 * sorted by start, so the container is among the few before it. */
static bool nested(const ctx *c, size_t j) {
    for (size_t k = j, steps = 0; k-- > 0 && steps < 16; steps++)
        if (visible(c, k) && c->ms[k].start <= c->ms[j].start && c->ms[k].end >= c->ms[j].end &&
            c->ms[k].type != GLA_ENT_DATE)
            return true;
    return false;
}

static int holds_positions(ctx *c) {
    for (size_t p = 0; p < c->nm; p++) {
        const mention *pm = &c->ms[p];
        if (pm->type != GLA_ENT_PERSON || !visible(c, p))
            continue;
        int rank = -1, titles[4], nt = 0;
        /* leftwards: [TITLE (de ORG)? et]* TITLE , (le RANK)? PERSON */
        size_t edge = pm->start;
        for (size_t j = p; j-- > 0 && nt < 4;) {
            const mention *o = &c->ms[j];
            if (!visible(c, j) || o->end > edge || nested(c, j))
                continue;
            bool joined;
            if (!gap_is_glue(c, o->end, edge, nt > 0, &joined) || memchr(c->text + o->end, '\n', edge - o->end))
                break;
            /* a second title joins the first only by a GAPJOIN word: "chef d'état-major ... et
             * vice-ministre" */
            if (nt > 0 && o->type == GLA_ENT_TITLE && !joined)
                break;
            if (o->type == GLA_ENT_RANK && rank < 0 && nt == 0)
                rank = (int)j;
            else if (o->type == GLA_ENT_TITLE)
                titles[nt++] = (int)j;
            else if (o->type != GLA_ENT_ORG) /* a title's organisation: "chef ... de l'armée X, Y" */
                break;
            edge = o->start;
        }
        /* rightwards: PERSON , TITLE (de ORG)? */
        if (nt == 0) {
            for (size_t j = p + 1; j < c->nm; j++) {
                const mention *o = &c->ms[j];
                if (!visible(c, j) || o->start < pm->end)
                    continue;
                if (o->type == GLA_ENT_TITLE && gap_is_glue(c, pm->end, o->start, false, NULL) &&
                    memchr(c->text + pm->end, ',', o->start - pm->end))
                    titles[nt++] = (int)j;
                break;
            }
        }
        const char *origin = NULL;
        for (int k = 0; k < nt; k++) {
            int org = org_after(c, titles[k]);
            const char *country = mention_country(c, titles[k]);
            if (!country && org >= 0)
                country = mention_country(c, org);
            if (!country)
                country = origin ? origin : (origin = name_origin(c, pm));
            int rc = holds_one(c, p, titles[k], org, rank, country);
            if (rc != GLA_OK)
                return rc;
        }
    }
    return GLA_OK;
}

/* ------------------------------------------------------------------ agents */

/* The mentions of a type in text[s, e), one per canonical name. */
static size_t typed_in(const ctx *c, size_t s, size_t e, int type, bool countries_only, int *out, size_t cap) {
    size_t n = 0;
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e && n < cap; i++) {
        if (!visible(c, i) || c->ms[i].type != type || (countries_only && !c->ms[i].country))
            continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= !strcmp(c->ms[out[k]].canonical, c->ms[i].canonical);
        if (!dup)
            out[n++] = (int)i;
    }
    return n;
}

static bool rule_span(ctx *c, const char *kind, size_t s, size_t e, size_t *ms, size_t *me);

static size_t persons_in(const ctx *c, size_t s, size_t e, int *out, size_t cap) {
    return typed_in(c, s, e, GLA_ENT_PERSON, false, out, cap);
}

/* Resolves "les deux parties", "les deux ministres", "ils" before the trigger. */
static size_t resolve_subject(ctx *c, size_t s, size_t e, int *out, size_t cap) {
    const gla_model *m = c->w->model;
    const char *how = NULL;
    size_t best = 0;
    const rule_kind *resolvers = ruleset_kind(&m->rules, "RESOLVE");
    for (size_t k = 0; k < resolvers->count; k++) {
        const rule *r = resolvers->rules[k];
        size_t at = s;
        while (at < e && rule_exec(r, c->text, e, at, 0, c->w->md, NULL) > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->w->md);
            if (ov[0] >= best) {
                best = ov[0];
                how = r->name;
            }
            at = ov[1] > at ? ov[1] : at + 1;
        }
    }
    if (!how)
        return 0;
    size_t n = 0;
    if (!strcmp(how, "countries")) {
        for (int k = 0; k < 2 && c->countries[k] >= 0; k++)
            out[n++] = c->countries[k];
    } else if (!strcmp(how, "title_holders")) { /* persons holding a title, in order */
        for (size_t k = 0; k < c->w->relations.count && n < 2 && n < cap; k++) {
            relation *r = &VEC_AT(&c->w->relations, relation, k);
            if (r->type != REL_HOLDS)
                continue;
            rel_arg *a = (rel_arg *)c->w->rel_args.items + r->first_arg;
            /* the mention of the person: the first PERSON mention with this canonical */
            for (size_t i = 0; i < c->nm; i++)
                if (c->ms[i].type == GLA_ENT_PERSON && visible(c, i) && c->ms[i].start == a->start) {
                    bool dup = false;
                    for (size_t q = 0; q < n; q++)
                        dup |= !strcmp(c->ms[out[q]].canonical, c->ms[i].canonical);
                    if (!dup)
                        out[n++] = (int)i;
                    break;
                }
        }
        /* "A a reçu son homologue B. Les deux ministres ...": the previous relation's persons */
        if (n < 2) {
            n = 0;
            for (size_t k = 0; k < c->prev_count && n < cap; k++)
                if (c->ms[c->prev_agents[k]].type == GLA_ENT_PERSON)
                    out[n++] = c->prev_agents[k];
        }
    } else if (!strcmp(how, "delegation")) { /* the person who leads it: LEADER rules */
        size_t ls, le;
        if (rule_span(c, "LEADER", c->body_start, c->body_end, &ls, &le)) {
            int p[1];
            if (persons_in(c, le, le + 80 < c->body_end ? le + 80 : c->body_end, p, 1))
                out[n++] = p[0];
        }
    } else if (!strcmp(how, "previous")) {
        for (size_t k = 0; k < c->prev_count && n < cap; k++)
            out[n++] = c->prev_agents[k];
    }
    return n;
}

static size_t subject_agents(ctx *c, size_t s, size_t trig, int *out, size_t cap) {
    /* a subject phrase right before the verb ("..., les deux ministres ont convenu") is the
     * subject, whoever the sentence named before it */
    size_t clause = trig;
    while (clause > s && c->text[clause - 1] != ',')
        clause--;
    size_t n = resolve_subject(c, clause, trig, out, cap);
    if (n)
        return n;
    n = persons_in(c, s, trig, out, cap);
    if (!n)
        n = typed_in(c, s, trig, GLA_ENT_ORG, false, out, cap);
    if (!n)
        n = typed_in(c, s, trig, GLA_ENT_LOC, true, out, cap);
    if (!n)
        n = resolve_subject(c, s, trig, out, cap);
    return n;
}

/* ------------------------------------------------------------------ attributes */

static int date_in(const ctx *c, size_t s, size_t e) {
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e; i++)
        if (c->ms[i].type == GLA_ENT_DATE && visible(c, i) && c->ms[i].value && strlen(c->ms[i].value) == 10)
            return (int)i;
    return -1;
}

/* A place introduced by "à" (à Tokyo): not a country, which names a side, not a venue. */
static int place_in(const ctx *c, size_t s, size_t e) {
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e; i++) {
        const mention *m = &c->ms[i];
        if (m->type != GLA_ENT_LOC || !visible(c, i) || m->country || m->start < 2)
            continue;
        size_t b = m->start;
        while (b > 0 && c->text[b - 1] == ' ')
            b--;
        if (b >= 2 && !memcmp(c->text + b - 2, "à", 2))
            return (int)i;
    }
    return -1;
}

static int event_in(const ctx *c, size_t s, size_t e) {
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e; i++)
        if (c->ms[i].type == GLA_ENT_EVENT && visible(c, i))
            return (int)i;
    return -1;
}

static bool add_when_where(ctx *c, size_t s, size_t e, bool with_event) {
    int d = date_in(c, s, e), p = place_in(c, s, e);
    if (d < 0)
        d = c->doc_date;
    if (p < 0)
        p = c->doc_place;
    if (with_event) {
        int ev = event_in(c, s, e);
        if (ev < 0)
            ev = c->doc_event;
        if (ev >= 0 && !add_mention_arg(c, ROLE_EVENT, ev))
            return false;
    }
    if (d >= 0 && !add_mention_arg(c, ROLE_DATE, d))
        return false;
    if (p >= 0 && !add_mention_arg(c, ROLE_PLACE, p))
        return false;
    return true;
}

/* ------------------------------------------------------------------ domains */

static bool rule_span(ctx *c, const char *kind, size_t s, size_t e, size_t *ms, size_t *me) {
    const gla_model *m = c->w->model;
    bool found = false;
    const rule_kind *rk = ruleset_kind(&m->rules, kind);
    for (size_t k = 0; k < rk->count; k++) {
        if (rule_exec(rk->rules[k], c->text, e, s, 0, c->w->md, NULL) <= 0)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->w->md);
        if (!found || ov[0] < *ms) {
            *ms = ov[0];
            *me = ov[1];
            found = true;
        }
    }
    return found;
}

/* Adds one domain item text[s, e) without its leading words (DOMAINLEAD) or verb (DOMAINVERB),
 * and trailing punctuation. */
static bool add_domain(ctx *c, size_t s, size_t e, bool strip_verb) {
    bool weak = strip_verb;
    const ruleset *rs = &c->w->model->rules;
    const rule_kind *leads = ruleset_kind(rs, "DOMAINLEAD"), *verbs = ruleset_kind(rs, "DOMAINVERB");
    for (int again = 0; again < 3; again++) {
        while (s < e && (c->text[s] == ' ' || c->text[s] == ',' || c->text[s] == '\n'))
            s++;
        size_t after;
        if (strip_verb && again == 1 && (after = match_end_at(c, verbs, s, e)) != 0)
            s = after;
        if ((after = match_end_at(c, leads, s, e)) != 0)
            s = after;
    }
    while (e > s && strchr(" ,.;:\n", c->text[e - 1]))
        e--;
    if (e - s < 3)
        return true;
    if (!add_arg(c, ROLE_DOMAINS, -1, s, e, NULL, NULL))
        return false;
    VEC_AT(&c->w->rel_args, rel_arg, c->w->rel_args.count - 1).weak = weak;
    return true;
}

/* Splits text[s, e) into domain items at commas, semicolons and DOMAINJOIN matches. */
static bool add_domain_list(ctx *c, size_t s, size_t e, bool strip_verb) {
    const rule_kind *joins = ruleset_kind(&c->w->model->rules, "DOMAINJOIN");
    size_t item = s;
    for (size_t i = s; i <= e; i++) {
        size_t sep = 0;
        if (i == e)
            sep = 0;
        else if (c->text[i] == ',' || c->text[i] == ';')
            sep = 1;
        else if (may_start_with(joins->first_bytes, (uint8_t)c->text[i])) { /* most bytes start no join */
            size_t after = match_end_at(c, joins, i, e);
            sep = after > i ? after - i : 0;
        }
        if (i == e || sep) {
            if (!add_domain(c, item, i, strip_verb))
                return false;
            if (i == e)
                break;
            item = i + sep;
            i += sep - 1;
        }
    }
    return true;
}

static bool add_domains(ctx *c, size_t trig_end, size_t e) {
    size_t cs, ce, ds, de;
    size_t end = e;
    if (rule_span(c, "DOMAINS", trig_end, e, &cs, &ce)) {
        if (rule_span(c, "DOMAINEND", ce, e, &ds, &de))
            end = ds;
        return add_domain_list(c, ce, end, false);
    }
    /* no cue: the objects of "(de) VERB ... et de VERB ..." */
    size_t s = trig_end;
    while (s < e && c->text[s] == ' ')
        s++;
    if (rule_span(c, "DOMAINEND", s, e, &ds, &de))
        end = ds;
    return add_domain_list(c, s, end, true);
}

/* ------------------------------------------------------------------ triggers */

static const char *sign_kind(ctx *c, const mention *doc) {
    const gla_model *m = c->w->model;
    const rule_kind *kinds = ruleset_kind(&m->rules, "SIGNKIND");
    for (size_t k = 0; k < kinds->count; k++)
        if (rule_exec(kinds->rules[k], c->text, doc->end, doc->start, PCRE2_ANCHORED, c->w->md, c->w->mctx) > 0)
            return kinds->rules[k]->name;
    return "other";
}

/* Appends the persons of text[s, e) to the agents of the last relation of this type. */
static int join_agents(ctx *c, int type, size_t s, size_t e) {
    gla_worker *w = c->w;
    size_t last = w->relations.count;
    while (last-- > 0)
        if (VEC_AT(&w->relations, relation, last).type == type)
            break;
    if (last == (size_t)-1)
        return GLA_OK;
    int persons[MAX_AGENTS];
    size_t n = persons_in(c, s, e, persons, MAX_AGENTS);
    if (!n)
        return GLA_OK;
    relation r = VEC_AT(&w->relations, relation, last);
    size_t first = w->rel_args.count, count = 0;
    for (size_t k = 0; k < r.arg_count; k++) { /* copy the relation's arguments to the tail */
        rel_arg *a = vec_push(&w->rel_args);
        if (!a)
            return GLA_ERR_NOMEM;
        *a = VEC_AT(&w->rel_args, rel_arg, r.first_arg + k);
        count++;
    }
    for (size_t k = 0; k < n; k++) {
        bool dup = false;
        for (size_t q = 0; q < r.arg_count; q++) {
            const rel_arg *a = &VEC_AT(&w->rel_args, rel_arg, r.first_arg + q);
            dup |= a->role == ROLE_AGENTS && a->canonical && !strcmp(a->canonical, c->ms[persons[k]].canonical);
        }
        if (dup)
            continue;
        rel_arg *a = vec_push(&w->rel_args);
        if (!a)
            return GLA_ERR_NOMEM;
        const mention *m = &c->ms[persons[k]];
        *a = (rel_arg){ROLE_AGENTS, c->ent_of[persons[k]], m->start, m->end, m->canonical, NULL, false};
        count++;
    }
    relation *dst = &VEC_AT(&w->relations, relation, last);
    dst->first_arg = first;
    dst->arg_count = count;
    return GLA_OK;
}

static int on_trigger(ctx *c, int type, const char *mode, size_t ts, size_t te) {
    size_t s, e;
    if (sentence_bounds(c, ts, &s, &e) < 0)
        return GLA_OK;
    int agents[MAX_AGENTS], objects[MAX_AGENTS];
    size_t na = 0, no = 0;
    if (!strcmp(mode, "join")) /* "le dialogue était dirigé par X": X co-chairs the last one */
        return join_agents(c, type, te, e);
    if (!strcmp(mode, "all")) {
        na = persons_in(c, s, e, agents, MAX_AGENTS);
        /* "Un entretien a eu lieu ... dirigée par A": the other side is the previous agents' */
        for (size_t k = 0; na < 2 && k < c->prev_count && na < MAX_AGENTS; k++) {
            bool dup = false;
            for (size_t q = 0; q < na; q++)
                dup |= !strcmp(c->ms[agents[q]].canonical, c->ms[c->prev_agents[k]].canonical);
            if (!dup && c->ms[c->prev_agents[k]].type == GLA_ENT_PERSON)
                agents[na++] = c->prev_agents[k];
        }
        if (na < 2)
            return GLA_OK;
    } else if (!strcmp(mode, "after")) {
        na = persons_in(c, te, e, agents, MAX_AGENTS);
    } else if (!strcmp(mode, "each")) {
        na = subject_agents(c, s, ts, agents, MAX_AGENTS);
        no = persons_in(c, te, e, objects, MAX_AGENTS);
    } else {
        na = subject_agents(c, s, ts, agents, MAX_AGENTS);
    }
    if (na == 0)
        return GLA_OK;
    if (type == REL_SIGN) { /* one relation per document signed */
        for (size_t i = first_mention_at(c, te); i < c->nm && c->ms[i].start < e; i++) {
            if (c->ms[i].type != GLA_ENT_AGREEMENT || !visible(c, i))
                continue;
            relation *r = new_relation(c, REL_SIGN, s, e);
            if (!r)
                return GLA_ERR_NOMEM;
            r->kind = sign_kind(c, &c->ms[i]);
            for (size_t k = 0; k < na; k++)
                if (!add_mention_arg(c, ROLE_AGENTS, agents[k]))
                    return GLA_ERR_NOMEM;
            if (!add_mention_arg(c, ROLE_DOCUMENT, (int)i) || !add_when_where(c, s, e, false))
                return GLA_ERR_NOMEM;
        }
        return GLA_OK;
    }
    size_t rounds = no ? no : 1;
    for (size_t o = 0; o < rounds; o++) {
        if (!new_relation(c, type, s, e))
            return GLA_ERR_NOMEM;
        for (size_t k = 0; k < na; k++)
            if (!add_mention_arg(c, ROLE_AGENTS, agents[k]))
                return GLA_ERR_NOMEM;
        if (no && !add_mention_arg(c, ROLE_AGENTS, objects[o]))
            return GLA_ERR_NOMEM;
        bool ok = type == REL_AGREE ? add_domains(c, te, e) : add_when_where(c, s, e, type == REL_CO_CHAIR);
        if (!ok)
            return GLA_ERR_NOMEM;
    }
    c->prev_count = 0; /* those who met, agreed or chaired: the next "ils" or "les deux ..." */
    for (size_t k = 0; k < na && c->prev_count < MAX_AGENTS; k++)
        c->prev_agents[c->prev_count++] = agents[k];
    for (size_t k = 0; k < no && c->prev_count < MAX_AGENTS; k++)
        c->prev_agents[c->prev_count++] = objects[k];
    return GLA_OK;
}

static int type_of(const char *name, const char **mode) {
    static const char *const names[] = {"co_chair", "meet", "sign", "agree_cooperation"};
    const char *dot = strchr(name, '.');
    size_t len = dot ? (size_t)(dot - name) : strlen(name);
    *mode = dot ? dot + 1 : "subject";
    for (int t = 0; t < 4; t++)
        if (strlen(names[t]) == len && !strncmp(names[t], name, len))
            return t;
    return -1;
}

/* ------------------------------------------------------------------ merging */

static bool same_agents(const gla_worker *w, const relation *a, const relation *b) {
    const rel_arg *args = w->rel_args.items;
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < a->arg_count; i++)
        na += args[a->first_arg + i].role == ROLE_AGENTS;
    for (size_t i = 0; i < b->arg_count; i++)
        nb += args[b->first_arg + i].role == ROLE_AGENTS;
    if (na != nb)
        return false;
    for (size_t i = 0; i < a->arg_count; i++) {
        const rel_arg *x = &args[a->first_arg + i];
        if (x->role != ROLE_AGENTS)
            continue;
        bool found = false;
        for (size_t j = 0; j < b->arg_count && !found; j++) {
            const rel_arg *y = &args[b->first_arg + j];
            found = y->role == ROLE_AGENTS && x->canonical && y->canonical && !strcmp(x->canonical, y->canonical);
        }
        if (!found)
            return false;
    }
    return true;
}

/* Relations of one type with the same agents are one relation: the first, with the domains of
 * the later ones (agreements) or its missing attributes. Signatures differ by document. */
/* The name of a signed document, as written (repaired), for comparisons. */
static const rel_arg *document_of(const gla_worker *w, const relation *r) {
    for (size_t k = 0; k < r->arg_count; k++)
        if (VEC_AT(&w->rel_args, rel_arg, r->first_arg + k).role == ROLE_DOCUMENT)
            return &VEC_AT(&w->rel_args, rel_arg, r->first_arg + k);
    return NULL;
}

/* Merging compares relations two by two, which a long document of many relations makes
 * quadratic; so relations are grouped by a key of their type and agents. same_agents(a, b) asks
 * for as many agents in a as in b, each of a's named as one of b's: when neither repeats a name
 * nor has an agent without one, that makes the two sets of names equal, and their keys too.
 * A relation with an agent without a name (KEY_NONE) has the agents of no other, as same_agents
 * wants every name. One that repeats a name or has too many agents (KEY_ANY) is compared with
 * all. A regular one can match neither kind (it would need more distinct names than the other
 * has), so it is compared with its group only, in the same order as before: merging gives the
 * same result. */
#define MAX_KEYED_AGENTS 16
#define KEY_NONE 0
#define KEY_ANY 1

static uint64_t agents_key(const gla_worker *w, const relation *r) {
    const char *names[MAX_KEYED_AGENTS];
    size_t n = 0;
    for (size_t k = 0; k < r->arg_count; k++) {
        const rel_arg *a = &VEC_AT(&w->rel_args, rel_arg, r->first_arg + k);
        if (a->role != ROLE_AGENTS)
            continue;
        if (!a->canonical)
            return KEY_NONE;
        if (n == MAX_KEYED_AGENTS)
            return KEY_ANY;
        names[n++] = a->canonical;
    }
    for (size_t i = 1; i < n; i++) /* a few names: insertion sort */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    uint32_t head[2] = {(uint32_t)r->type, (uint32_t)n};
    uint64_t h = fnv1a64(FNV64_INIT, head, sizeof head); /* type, count, then each name and its NUL */
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(names[i - 1], names[i]))
            return KEY_ANY;
        h = fnv1a64(h, names[i], strlen(names[i]) + 1);
    }
    return h > KEY_ANY ? h : KEY_ANY + 1;
}

static int cmp_agents_slot(const void *a, const void *b) {
    const agents_slot *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Fills rel_keys and rel_order for the relations as they are. */
static int key_relations(gla_worker *w) {
    size_t n = w->relations.count;
    w->rel_keys.count = w->rel_order.count = 0;
    if (!vec_reserve(&w->rel_keys, n) || !vec_reserve(&w->rel_order, n))
        return GLA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = agents_key(w, &VEC_AT(&w->relations, relation, i));
        *(uint64_t *)vec_push(&w->rel_keys) = key;
        *(agents_slot *)vec_push(&w->rel_order) = (agents_slot){key, (uint32_t)i};
    }
    if (n > 1)
        qsort(w->rel_order.items, n, sizeof(agents_slot), cmp_agents_slot);
    return GLA_OK;
}

/* The relations that may have the agents of relation i, in ascending order. */
typedef struct {
    size_t p, end;
    bool all;
} candidates;

static candidates candidates_of(const gla_worker *w, size_t i) {
    uint64_t key = VEC_AT(&w->rel_keys, uint64_t, i);
    if (key == KEY_NONE)
        return (candidates){0, 0, true};
    if (key == KEY_ANY)
        return (candidates){0, w->rel_keys.count, true};
    const agents_slot *o = w->rel_order.items;
    size_t lo = 0, hi = w->rel_order.count;
    while (lo < hi) { /* the first of the group */
        size_t mid = (lo + hi) / 2;
        if (o[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < w->rel_order.count && o[end].key == key)
        end++;
    return (candidates){lo, end, false};
}

static bool next_candidate(const gla_worker *w, candidates *c, size_t *j) {
    if (c->p >= c->end)
        return false;
    *j = c->all ? c->p : VEC_AT(&w->rel_order, agents_slot, c->p).index;
    c->p++;
    return true;
}

/* A signature's document, for sorting the signatures of one group of agents by name. */
typedef struct {
    uint64_t key;     /* the agents' key */
    const char *name; /* the document's name as written (repaired text) */
    uint32_t len, index;
} signed_doc;

static int cmp_signed_doc(const void *a, const void *b) {
    const signed_doc *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    int d = strncasecmp(x->name, y->name, x->len < y->len ? x->len : y->len);
    if (d)
        return d;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* The same signature told twice (a headline's "accord de coopération", the body's full name):
 * one relation, with the longer name; of two with the same name, the later. Comparing the
 * signatures of one group two by two would be quadratic in a text that repeats one signature,
 * so they are sorted by key and name: the names that begin with a name X follow X in that
 * order, and X is dropped when the next one begins with it. A relation compared with all
 * (KEY_ANY) is compared with all. */
static int merge_signatures(gla_worker *w) {
    relation *rs = w->relations.items;
    const char *text = w->text.text.data;
    size_t n = 0;
    signed_doc *docs = malloc((w->relations.count + 1) * sizeof *docs);
    if (!docs)
        return GLA_ERR_NOMEM;
    for (size_t i = 0; i < w->relations.count; i++) {
        uint64_t key = VEC_AT(&w->rel_keys, uint64_t, i);
        const rel_arg *d = rs[i].type == REL_SIGN && !rs[i].dropped ? document_of(w, &rs[i]) : NULL;
        if (d && key != KEY_NONE && key != KEY_ANY)
            docs[n++] = (signed_doc){key, text + d->start, d->end - d->start, (uint32_t)i};
    }
    if (n > 1)
        qsort(docs, n, sizeof *docs, cmp_signed_doc);
    for (size_t k = 0; k + 1 < n; k++) {
        const signed_doc *x = &docs[k], *y = &docs[k + 1];
        if (x->key == y->key && !strncasecmp(x->name, y->name, x->len) &&
            same_agents(w, &rs[x->index], &rs[y->index]))
            rs[x->index].dropped = true;
    }
    free(docs);
    for (size_t i = 0; i < w->relations.count; i++) {
        const rel_arg *di = rs[i].type == REL_SIGN && !rs[i].dropped && VEC_AT(&w->rel_keys, uint64_t, i) == KEY_ANY
                                ? document_of(w, &rs[i])
                                : NULL;
        candidates c = candidates_of(w, i);
        for (size_t j; di && next_candidate(w, &c, &j);) {
            const rel_arg *dj = j != i && rs[j].type == REL_SIGN && !rs[j].dropped ? document_of(w, &rs[j]) : NULL;
            size_t li = di->end - di->start, lj = dj ? dj->end - dj->start : 0;
            if (!dj || lj > li || (lj == li && j > i) || !same_agents(w, &rs[i], &rs[j]) ||
                strncasecmp(text + di->start, text + dj->start, lj))
                continue;
            rs[j].dropped = true; /* j's name begins i's: the same document */
        }
    }
    return GLA_OK;
}

/* Do two arguments have the same words (their repaired text)? */
static bool same_words(const gla_worker *w, const rel_arg *a, const rel_arg *b) {
    const char *text = w->text.text.data;
    return a->end - a->start == b->end - b->start &&
           !strncmp(text + a->start, text + b->start, a->end - a->start);
}

static int merge(gla_worker *w) {
    int rc = key_relations(w);
    if (rc != GLA_OK)
        return rc;
    rc = merge_signatures(w);
    if (rc != GLA_OK)
        return rc;
    relation *rs = w->relations.items;
    for (size_t i = 0; i < w->relations.count; i++) {
        if (rs[i].dropped || rs[i].type == REL_HOLDS || rs[i].type == REL_SIGN)
            continue;
        candidates c = candidates_of(w, i);
        for (size_t j; next_candidate(w, &c, &j);) {
            if (j <= i || rs[j].dropped || rs[j].type != rs[i].type || !same_agents(w, &rs[i], &rs[j]))
                continue;
            rs[j].dropped = true;
            if (rs[i].type != REL_AGREE)
                continue;
            /* move j's domains to the end of i: i's args go to the tail once (later merges append
             * to them there), then j's domains follow, but for those tidy_domains would drop as
             * repeats: the same words as one of i's, unless only i's is a guess. A document that
             * states one agreement a thousand times keeps one list, not a thousand copies. */
            if (rs[i].first_arg + rs[i].arg_count != w->rel_args.count) {
                size_t first = w->rel_args.count;
                for (size_t k = 0; k < rs[i].arg_count; k++) {
                    rel_arg *a = vec_push(&w->rel_args);
                    if (!a)
                        return GLA_ERR_NOMEM;
                    *a = VEC_AT(&w->rel_args, rel_arg, rs[i].first_arg + k);
                }
                rs[i].first_arg = first;
            }
            for (size_t k = 0; k < rs[j].arg_count; k++) {
                rel_arg src = VEC_AT(&w->rel_args, rel_arg, rs[j].first_arg + k);
                if (src.role != ROLE_DOMAINS)
                    continue;
                bool repeat = false;
                for (size_t q = 0; q < rs[i].arg_count && !repeat; q++) {
                    const rel_arg *d = &VEC_AT(&w->rel_args, rel_arg, rs[i].first_arg + q);
                    repeat = d->role == ROLE_DOMAINS && (src.weak || !d->weak) && same_words(w, d, &src);
                }
                if (repeat)
                    continue;
                rel_arg *a = vec_push(&w->rel_args);
                if (!a)
                    return GLA_ERR_NOMEM;
                *a = src;
                rs[i].arg_count++;
            }
        }
    }
    return GLA_OK;
}

/* Domains of an agreement: one each (by their words), and the guessed ones only where no
 * enumeration was found. */
static void tidy_domains(gla_worker *w) {
    for (size_t i = 0; i < w->relations.count; i++) {
        relation *r = &VEC_AT(&w->relations, relation, i);
        if (r->dropped || r->type != REL_AGREE)
            continue;
        rel_arg *a = (rel_arg *)w->rel_args.items + r->first_arg;
        bool strong = false;
        for (size_t k = 0; k < r->arg_count; k++)
            strong |= a[k].role == ROLE_DOMAINS && !a[k].weak;
        size_t kept = 0;
        for (size_t k = 0; k < r->arg_count; k++) {
            bool drop = a[k].role == ROLE_DOMAINS && a[k].weak && strong;
            for (size_t q = 0; !drop && q < kept; q++)
                drop = a[k].role == ROLE_DOMAINS && a[q].role == ROLE_DOMAINS && same_words(w, &a[q], &a[k]);
            if (!drop)
                a[kept++] = a[k];
        }
        r->arg_count = kept;
    }
}

static int cmp_trigger(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    return x->type != y->type ? (x->type < y->type ? -1 : 1) : (x->index > y->index ? -1 : x->index < y->index);
}

/* same[i]: how many visible LOC mentions share the country of LOC mention i. One sort (in
 * w->order, free until the triggers), not a count over the document per mention. */
static int count_countries(ctx *c, uint32_t *same) {
    vec *order = &c->w->order;
    order->count = 0;
    for (size_t i = 0; i < c->nm; i++) {
        if (!visible(c, i) || c->ms[i].type != GLA_ENT_LOC || !c->ms[i].country)
            continue;
        keyed *k = vec_push(order);
        if (!k)
            return GLA_ERR_NOMEM;
        *k = (keyed){c->ms[i].country, 0, (uint32_t)i};
    }
    const keyed *ks = order->items;
    if (order->count > 1)
        qsort(order->items, order->count, sizeof(keyed), cmp_keyed_key_index);
    for (size_t g = 0, h; g < order->count; g = h) {
        for (h = g + 1; h < order->count && !strcmp(ks[g].key, ks[h].key); h++)
            ;
        for (size_t k = g; k < h; k++)
            same[ks[k].index] = (uint32_t)(h - g);
    }
    order->count = 0;
    return GLA_OK;
}

/* ------------------------------------------------------------------ the stage */

int relate(gla_worker *w) {
    const gla_model *m = w->model;
    ctx c = {.w = w, .text = w->text.text.data, .ms = w->mentions.items, .nm = w->mentions.count,
             .body_start = w->result->body_start, .body_end = w->result->body_end,
             .doc_event = -1, .doc_date = -1, .doc_place = -1, .countries = {-1, -1},
             .gap_glue = ruleset_kind(&w->model->rules, "GAPGLUE"),
             .gap_join = ruleset_kind(&w->model->rules, "GAPJOIN")};
    c.ent_of = malloc((c.nm + 1) * sizeof *c.ent_of);
    c.starts = sentence_starts(w, &c.nstarts);
    if (!c.ent_of || !c.starts) {
        free(c.ent_of);
        free(c.starts);
        return GLA_ERR_NOMEM;
    }
    for (size_t i = 0; i < c.nm; i++)
        c.ent_of[i] = -1;
    for (size_t e = 0; e < w->ent_mention.count; e++)
        c.ent_of[VEC_AT(&w->ent_mention, uint32_t, e)] = (int)e;
    uint32_t *same_country = malloc((c.nm + 1) * sizeof *same_country);
    if (!same_country || count_countries(&c, same_country) != GLA_OK) {
        free(same_country);
        free(c.ent_of);
        free(c.starts);
        return GLA_ERR_NOMEM;
    }
    /* the document's event, day and venue, and its two main countries */
    size_t country_count[2] = {0, 0};
    for (size_t i = 0; i < c.nm; i++) {
        const mention *mt = &c.ms[i];
        if (!visible(&c, i))
            continue;
        if (mt->type == GLA_ENT_EVENT && c.doc_event < 0)
            c.doc_event = (int)i;
        if (mt->type == GLA_ENT_DATE && c.doc_date < 0 && mt->value && strlen(mt->value) == 10)
            c.doc_date = (int)i;
        if (mt->type == GLA_ENT_LOC && mt->country) {
            size_t n = same_country[i];
            for (int k = 0; k < 2; k++) {
                if (c.countries[k] >= 0 && !strcmp(c.ms[c.countries[k]].country, mt->country))
                    break;
                if (n > country_count[k]) {
                    if (k == 0) {
                        c.countries[1] = c.countries[0];
                        country_count[1] = country_count[0];
                    }
                    c.countries[k] = (int)i;
                    country_count[k] = n;
                    break;
                }
            }
        }
    }
    free(same_country);
    c.doc_place = place_in(&c, c.body_start, c.body_end);
    int rc = holds_positions(&c);
    /* triggers of every rule, then handled in text order, so that "the previous relation"
     * is the one the text states before */
    w->order.count = 0;
    const rule_kind *triggers = ruleset_kind(&m->rules, "REL");
    for (size_t k = 0; k < triggers->count && rc == GLA_OK; k++) {
        const rule *r = triggers->rules[k];
        const char *mode;
        if (type_of(r->name, &mode) < 0)
            continue;
        size_t at = c.body_start;
        while (at < c.body_end && rule_match(r, c.text, at, c.body_end, w->md, w->mctx, &w->hits) > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
            keyed *t = vec_push(&w->order); /* key: the rule's name; type: start; index: end */
            if (!t) {
                rc = GLA_ERR_NOMEM;
                break;
            }
            *t = (keyed){r->name, (int)ov[0], (uint32_t)ov[1]};
            at = ov[1] > at ? ov[1] : at + 1;
        }
    }
    if (w->order.count > 1)
        qsort(w->order.items, w->order.count, sizeof(keyed), cmp_trigger);
    for (size_t k = 0; k < w->order.count && rc == GLA_OK; k++) {
        const keyed *t = &VEC_AT(&w->order, keyed, k);
        const char *mode;
        int type = type_of(t->key, &mode);
        rc = on_trigger(&c, type, mode, (size_t)t->type, t->index);
    }
    if (rc == GLA_OK)
        rc = merge(w);
    if (rc == GLA_OK)
        tidy_domains(w);
    free(c.ent_of);
    free(c.starts);
    return rc;
}
