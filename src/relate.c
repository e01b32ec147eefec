/* Relations over the tagged sentences of a document's body.
 *
 * holds_position comes from how mentions sit next to each other: a title or rank before a
 * person ("le vice-ministre japonais de la Défense Masami Oka", "le général X"), or titles in
 * apposition after one ("Serizawa Kiyoshi, vice-ministre japonais de la Défense, également
 * ..."), titles joined by a GAPJOIN word ("et") counting one each. "son homologue X" (HOMOLOGUE
 * rules) gives X the title of the person whose counterpart X is, in the country of the demonym
 * that follows ("son homologue tchèque"). Of two titles of one person where one holds the other's
 * words, the longer stays.
 *
 * The other relations start at a trigger, a REL rule of gazetteers/rules/, whose NAME is
 * "type.mode":
 *   type  co_chair, meet, sign, agree_cooperation
 *   mode  all      the persons of the sentence ("se sont entretenus")
 *         each     the subject with each of the agents named after the trigger, one relation
 *                  per agent after ("A a rencontré B, C et D")
 *         with     "lors de sa rencontre avec B, A ...": B (and those joined to B by COORD)
 *                  with the sentence's subject, or with the one the possessive stands for
 *         after    the agents after the trigger ("était co-présidée par A, ainsi que par B")
 *         subject  the subject before the trigger, and the PARTNER after it ("avec B") when
 *                  the subject is one
 *         cued     as subject, but an agreement on the fields a DOMAINS cue names only ("se
 *                  sont entendus sur la nécessité de ...": no field of cooperation)
 *         between  the parties each document names (BETWEEN: "entre A et B")
 *         passive  a document signed with no signer named ("cinq accords ont été signés"): by
 *                  the agents of the relation told in this sentence or the one before
 *         join     the persons after the trigger join the last relation of the type
 *         content  "Le protocole couvre les domaines de ...": the signers of the last document
 *                  signed agree on the fields named
 *         side     "De son côté, B ...": B meets the one side a meeting named before ("Lors de
 *                  la rencontre, A a ..."), or the first person named after a meeting that named
 *                  none ("L'entretien s'est tenu à X. A a ...")
 *         lead     "La délégation X était conduite par A. La délégation Y était emmenée par B":
 *                  the leaders of the two sides of a meeting that named none
 * A subject is the persons before the trigger, else the organisations and places (not venues,
 * VENUE), else a phrase that RESOLVE rules name ("les deux parties": the last two parties a
 * subject named, else the document's two main countries; "les deux ministres": the persons of
 * the last relation; "il": the subject of the last relation or of the sentence before), leaving
 * out a dateline (SUBJECTSKIP), what stands in parentheses, and persons after a WITNESS phrase
 * ("en présence de"). A signature gives one relation per document signed (its AGREEMENT
 * entities, else the SIGNDOC phrase), its kind from SIGNKIND rules; a sentence ending with a
 * colon carries on over the list that follows. A document named "entre A et B" is signed by A
 * and B, by A with each of "B, C et D" when "A et ses partenaires, à savoir B, C et D".
 * Agreements to cooperate take their domains clause by clause (DOMAINCLAUSE): the enumeration
 * after a DOMAINS cue up to a DOMAINEND phrase, else the objects of the clause's verb; a signed
 * document that names fields of cooperation is an agreement of its signers (their countries,
 * for persons) on them. Dates and places come from the sentence ("à Tokyo", a dated
 * expression), else from the document's first dated day and first "à PLACE"; events from the
 * sentence, else the document's first event. Relations with the same type and agents are
 * merged; a relation with fewer than two agents is none, and a signature by one party of a
 * document of a kind that party signs with another is that signature told again.
 * No relation is read from a link line (LINKLINE: ">>headline"), nor a party from a photo
 * caption the sentence runs over. "le gouvernement russe" is Russia (PARTYDEMONYM); "la ville de
 * Busan" names Busan though "de" makes a venue elsewhere (PLACENAMED); a delegation signs for
 * what it is the delegation of, not for its leader; "Il s'agit d'un protocole ... entre A et B"
 * is an agreement of A and B on the fields its name states. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_AGENTS 16
#define MAX_DOCS 32
/* No agreement names more fields than this; a text that repeats one agreement with ever new
 * words must not make each new field compared with thousands. */
#define MAX_ARGS (MAX_AGENTS + 64)
#define NOWHERE SIZE_MAX
/* How many ranges' fields add_domains remembers (see domain_memo). */
#define DOMAIN_MEMO 8

/* The fields add_domains found in one range: a range is asked again when a document is signed
 * by each of several pairs ("A et ses partenaires, à savoir B, C et D") or told by two triggers,
 * and its clauses, searched by a dozen rules, then give what they gave. */
typedef struct {
    size_t s, e;
    bool cued_only;
    size_t first, count; /* the fields, in w->rel_args */
    size_t base;         /* the arguments of their relation before them */
} domain_memo;

void relate_kinds_resolve(const ruleset *rs, relate_kinds *k) {
    *k = (relate_kinds){
        .triggers = ruleset_kind(rs, "REL"),
        .gap_glue = ruleset_kind(rs, "GAPGLUE"),
        .gap_join = ruleset_kind(rs, "GAPJOIN"),
        .venue = ruleset_kind(rs, "VENUE"),
        .coord = ruleset_kind(rs, "COORD"),
        .homologue = ruleset_kind(rs, "HOMOLOGUE"),
        .link_line = ruleset_kind(rs, "LINKLINE"),
        .subject_skip = ruleset_kind(rs, "SUBJECTSKIP"),
        .witness = ruleset_kind(rs, "WITNESS"),
        .between = ruleset_kind(rs, "BETWEEN"),
        .partner = ruleset_kind(rs, "PARTNER"),
        .signdoc = ruleset_kind(rs, "SIGNDOC"),
        .domains = ruleset_kind(rs, "DOMAINS"),
        .domain_end = ruleset_kind(rs, "DOMAINEND"),
        .domain_clause = ruleset_kind(rs, "DOMAINCLAUSE"),
        .domain_join = ruleset_kind(rs, "DOMAINJOIN"),
        .domain_lead = ruleset_kind(rs, "DOMAINLEAD"),
        .domain_verb = ruleset_kind(rs, "DOMAINVERB"),
        .domain_drop = ruleset_kind(rs, "DOMAINDROP"),
        .resolve = ruleset_kind(rs, "RESOLVE"),
        .sign_kind = ruleset_kind(rs, "SIGNKIND"),
        .name_origin = ruleset_kind(rs, "NAMEORIGIN"),
        .leader = ruleset_kind(rs, "LEADER"),
        .party_demonym = ruleset_kind(rs, "PARTYDEMONYM"),
        .place_named = ruleset_kind(rs, "PLACENAMED"),
    };
}

typedef struct {
    gla_worker *w;
    const relate_kinds *kinds; /* the model's */
    const char *text;
    const mention *ms;  /* sorted by start */
    size_t nm;
    int *ent_of;        /* mention -> public entity or -1 */
    uint32_t *cover;    /* mention -> 1 + the furthest end of those that may hold it, or 0 (nested) */
    size_t body_start, body_end;
    size_t cut_at;                      /* where the last word of a body cut mid-word ends, or NOWHERE */
    int doc_event, doc_date, doc_place; /* mention indices or -1 */
    int countries[2];
    int prev_agents[MAX_AGENTS]; /* the agents of the last relation, its subject first */
    size_t prev_count;
    size_t prev_sentence;    /* where the sentence of the last relation starts */
    int parties[2];          /* the last two organisations or places a subject named, or -1 */
    int signers[MAX_AGENTS]; /* the agents of the last signature */
    size_t signer_count;
    uint32_t *starts; /* the first token of each sentence (sentence_starts) */
    size_t nstarts;
    keyed *holders; /* the holds_position relations by person (index_holders) */
    size_t nholders;
    keyed *places; /* the places tied to a country by name (index_places) */
    size_t nplaces;
    int title_holders[2], ntitle_holders; /* the first two persons holding a title; -1: not yet */
    int leader;                           /* who leads "la délégation"; -2: not yet looked for */
    int meet_subject;                     /* the person who met the last one met, or -1 */
    size_t last_of[REL__COUNT];           /* the last relation of each type + 1, or 0 */
    /* a meeting whose sides the sentence of its trigger does not both name ("L'entretien s'est
     * tenu à X", "Lors de la rencontre, A a ..."): where its sentence is, and its one agent or -1;
     * pending_s is NOWHERE when there is none */
    size_t pending_s, pending_e;
    int pending_agent;
    domain_memo memo[DOMAIN_MEMO]; /* the last ranges add_domains searched, memo_count in all */
    size_t memo_count;
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
        c->last_of[type] = c->w->relations.count;
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
    return add_arg(c, role, i, m->start, m->end, m->canonical, mention_value(m));
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

/* The earliest match of a rule of kind k in text[from, to), in *ms and *me; and, when list is
 * not NULL, the span of that match's group named "list" in list[0, 2) (list[0] == list[1]
 * when it has none). */
static bool kind_span_list(const ctx *c, const rule_kind *k, size_t from, size_t to, size_t *ms, size_t *me,
                           size_t *list) {
    bool found = false;
    *ms = *me = to;
    for (size_t i = 0; i < k->count && from < to; i++) { /* near its ~literals, if it has any */
        if (rule_match(k->rules[i], c->text, from, to, c->w->md, c->w->mctx, &c->w->hits) <= 0)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->w->md);
        if (!found || ov[0] < *ms) {
            *ms = ov[0];
            *me = ov[1];
            found = true;
            if (list) {
                int g = pcre2_substring_number_from_name(k->rules[i]->code, (PCRE2_SPTR) "list");
                bool set = g > 0 && ov[2 * g] != PCRE2_UNSET;
                list[0] = set ? ov[2 * g] : 0;
                list[1] = set ? ov[2 * g + 1] : 0;
            }
        }
    }
    return found;
}

static bool kind_span(const ctx *c, const rule_kind *k, size_t from, size_t to, size_t *ms, size_t *me) {
    return kind_span_list(c, k, from, to, ms, me, NULL);
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
        bool join = allow_join && match_end_at(c, c->kinds->gap_join, i, j) == j;
        if (!join && match_end_at(c, c->kinds->gap_glue, i, j) != j)
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
    size_t last = b + SCOPE < token_end(&t[z - 1]) ? token_at(w, b + SCOPE) : z - 1; /* < z */
    *s = t[a].start;
    *e = token_end(&t[last]);
    /* a dump's date header on the first line of the body (" date 2019-10 Washington (VNA) - Le
     * ministère ...") is no part of the sentence: its first words are the dateline */
    if (*s < c->body_start && b >= c->body_start)
        *s = c->body_start;
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

/* The sentence before the one starting at s, or -1 at the start of the body. */
static int sentence_before(const ctx *c, size_t s, size_t *ps, size_t *pe) {
    while (s > c->body_start && (c->text[s - 1] == ' ' || c->text[s - 1] == '\n' || c->text[s - 1] == '\t'))
        s--;
    if (s <= c->body_start || sentence_bounds(c, s - 1, ps, pe) < 0 || *ps >= s)
        return -1;
    return 0;
}

/* Is mention j inside an earlier one (Vietnam in "armée populaire du Vietnam")? Mentions are
 * sorted by start, so the container is among the few before it: one of the NEST_REACH before
 * it, visible and not a date, that ends where it ends or after (find_covers). */
#define NEST_REACH 16

static bool nested(const ctx *c, size_t j) { return c->cover[j] > c->ms[j].end; }

/* cover[j] for every mention: 1 + the furthest end of the visible mentions but dates among the
 * NEST_REACH before j, or 0 when there are none. One pass with the candidates of the window in a
 * queue of decreasing ends (queue: room for NEST_REACH + 1), not a walk back from each mention:
 * the subjects and parties of every trigger ask for dozens. */
static void find_covers(ctx *c, uint32_t *cover, uint32_t *queue) {
    size_t head = 0, tail = 0; /* queue[head, tail) mod NEST_REACH + 1: at most NEST_REACH */
    for (size_t j = 0; j < c->nm; j++) {
        while (tail != head && queue[head] + NEST_REACH < j) /* out of the window */
            head = (head + 1) % (NEST_REACH + 1);
        size_t k = j - 1;
        if (j > 0 && visible(c, k) && c->ms[k].type != GLA_ENT_DATE) {
            while (tail != head && c->ms[queue[(tail + NEST_REACH) % (NEST_REACH + 1)]].end <= c->ms[k].end)
                tail = (tail + NEST_REACH) % (NEST_REACH + 1); /* covered by k for every later one */
            queue[tail] = (uint32_t)k;
            tail = (tail + 1) % (NEST_REACH + 1);
        }
        cover[j] = tail != head ? c->ms[queue[head]].end + 1 : 0;
    }
}

/* Is place mention i a venue ("à Hanoï", "en Colombie"), by the VENUE rules on the words before
 * it? Not when a PLACENAMED rule matches there: "la ville de Busan", "les provinces vietnamienne
 * de Thanh Hoa" name the place as a party. */
static bool is_venue(const ctx *c, size_t i) {
    size_t b = c->ms[i].start, a = b > 24 ? b - 24 : 0, ms, me;
    while (a > 0 && ((uint8_t)c->text[a] & 0xC0) == 0x80)
        a--;
    if (!kind_span(c, c->kinds->venue, a, b, &ms, &me))
        return false;
    while (ms < me && c->text[ms] == ' ')
        ms++;
    if (me - ms < 2 || (c->text[ms] | 0x20) != 'd' || c->text[ms + 1] != 'e' ||
        !c->kinds->place_named->count)
        return true; /* PLACENAMED follows "de" */
    a = b > 48 ? b - 48 : 0;
    while (a > 0 && ((uint8_t)c->text[a] & 0xC0) == 0x80)
        a--;
    return !kind_span(c, c->kinds->place_named, a, b, &ms, &me);
}

/* Does text[a, b) join two agents of one group (COORD: "et", "ainsi que")? */
static bool coordinated(const ctx *c, size_t a, size_t b) {
    size_t ms, me;
    return a < b && kind_span(c, c->kinds->coord, a, b, &ms, &me);
}

/* Is text[at] in a photo caption? */
static bool in_caption(const ctx *c, size_t at) {
    /* sections: the body, then the captions in order, then the teasers, which start at the
     * body's end; the last one starting at or before `at` is the one that may hold it */
    const vec *sections = &c->w->layout.sections;
    const section_span *sp = sections->items;
    size_t lo = 1, hi = sections->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sp[mid].start <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 1 && sp[lo - 1].kind == GLA_SECTION_CAPTION && at < sp[lo - 1].end;
}

/* Where the scope of a sentence ending at e ends: a sentence ending with a colon carries on over
 * the lines of the list that follows it ("qui comprennent :\n- ...\n- ..."), captions between
 * its items left aside. */
static size_t list_end(const ctx *c, size_t e) {
    if (e == 0 || c->text[e - 1] != ':')
        return e;
    size_t end = e, at = e;
    while (at < c->body_end && at < e + SCOPE) {
        const char *nl = memchr(c->text + at, '\n', c->body_end - at);
        if (!nl)
            break;
        size_t ls = (size_t)(nl - c->text) + 1;
        while (ls < c->body_end && (c->text[ls] == ' ' || c->text[ls] == '\t' || c->text[ls] == '\n'))
            ls++;
        if (ls >= c->body_end)
            break;
        const char *le_p = memchr(c->text + ls, '\n', c->body_end - ls);
        size_t le = le_p ? (size_t)(le_p - c->text) : c->body_end;
        const char *p = c->text + ls;
        bool bullet = *p == '-' || *p == '*' || *p == '+' || !memcmp(p, "\xe2\x80\xa2", 3) ||
                      !memcmp(p, "\xe2\x80\x93", 3) || !memcmp(p, "\xe2\x80\x94", 3);
        if (bullet)
            end = le;
        else if (!in_caption(c, ls))
            break;
        at = le;
    }
    return end;
}

/* ------------------------------------------------------------------ holds_position */

static const char *mention_country_in(const ctx *c, int i) {
    const mention *m = &c->ms[i];
    if (mention_country(m))
        return mention_country(m);
    /* a place inside (armée populaire du Vietnam), else an organisation or a demonym inside
     * ("Commission de la défense de l'Assemblée nationale française") */
    const char *inner = NULL;
    for (size_t j = (size_t)i + 1; j < c->nm && c->ms[j].start < m->end; j++) {
        if (mention_country(&c->ms[j]) && c->ms[j].type == GLA_ENT_LOC)
            return mention_country(&c->ms[j]);
        if (!inner && c->ms[j].end <= m->end)
            inner = mention_country(&c->ms[j]);
    }
    return inner;
}

static const char *name_origin(ctx *c, const mention *p) {
    char folded[256];
    int l = p->end - p->start < 120 ? utf8_fold(c->text + p->start, p->end - p->start, folded, sizeof folded) : -1;
    if (l <= 0)
        return NULL;
    const rule_kind *origins = c->kinds->name_origin;
    for (size_t k = 0; k < origins->count; k++)
        if (rule_exec(origins->rules[k], folded, (size_t)l, 0, 0, c->w->md, NULL) > 0)
            return origins->rules[k]->name;
    return NULL;
}

/* The arguments of relation k. */
static rel_arg *args_of(const ctx *c, size_t k) {
    const relation *r = &VEC_AT(&c->w->relations, relation, k);
    return (rel_arg *)c->w->rel_args.items + r->first_arg;
}

/* The records of sorted[0, n) (by key) whose key is `key`: sorted[*lo, *hi). */
static void records_of(const keyed *sorted, size_t n, const char *key, size_t *lo, size_t *hi) {
    size_t a = keyed_lower_bound(sorted, n, key), b = n;
    *lo = a;
    while (a < b) { /* the first after them: a second search, as a key may have thousands */
        size_t mid = (a + b) / 2;
        if (strcmp(sorted[mid].key, key) <= 0)
            a = mid + 1;
        else
            b = mid;
    }
    *hi = b;
}

/* The holds_position relations of the person named `person`: holders[*lo, *hi) (index_holders). */
static void holders_of(const ctx *c, const char *person, size_t *lo, size_t *hi) {
    records_of(c->holders, c->nholders, person, lo, hi);
}

/* Makes *out a new malloc'd array with room for cap records, none yet. */
static int index_records(keyed **out, size_t *count, size_t cap) {
    free(*out);
    *count = 0;
    *out = malloc((cap + 1) * sizeof **out);
    return *out ? GLA_OK : GLA_ERR_NOMEM;
}

/* Lists the holds_position relations (not dropped) by person's name, so that a person's titles
 * are found by binary search (holders_of), not by a walk over every relation. */
static int index_holders(ctx *c) {
    const gla_worker *w = c->w;
    if (index_records(&c->holders, &c->nholders, w->relations.count) != GLA_OK)
        return GLA_ERR_NOMEM;
    for (size_t k = 0; k < w->relations.count; k++) {
        const relation *r = &VEC_AT(&w->relations, relation, k);
        if (r->type == REL_HOLDS && !r->dropped && args_of(c, k)[0].canonical)
            c->holders[c->nholders++] = (keyed){args_of(c, k)[0].canonical, 0, (uint32_t)k};
    }
    if (c->nholders > 1)
        qsort(c->holders, c->nholders, sizeof(keyed), cmp_keyed_key_index);
    return GLA_OK;
}

/* Lists the visible places tied to a country by their name (place_named). */
static int index_places(ctx *c) {
    if (index_records(&c->places, &c->nplaces, c->nm) != GLA_OK)
        return GLA_ERR_NOMEM;
    for (size_t i = 0; i < c->nm; i++)
        if (c->ms[i].type == GLA_ENT_LOC && visible(c, i) && mention_country(&c->ms[i]) && c->ms[i].canonical)
            c->places[c->nplaces++] = (keyed){c->ms[i].canonical, 0, (uint32_t)i};
    if (c->nplaces > 1)
        qsort(c->places, c->nplaces, sizeof(keyed), cmp_keyed_key_index);
    return GLA_OK;
}

/* The first mention of the place named `name` (a country), or -1. */
static int place_named(const ctx *c, const char *name) {
    size_t lo, hi;
    records_of(c->places, c->nplaces, name, &lo, &hi);
    return hi > lo ? (int)c->places[lo].index : -1;
}

/* Does the person named `person` hold a title already? */
static bool holds_any(const ctx *c, const char *person) {
    size_t lo, hi;
    holders_of(c, person, &lo, &hi);
    return hi > lo;
}

static int holds_one(ctx *c, size_t p, int title, int org, int rank, const char *country) {
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

/* The organisation of a title: the first one inside it, after its function ("président de
 * l'Assemblée nationale de Côte d'Ivoire"; mentions are sorted by start, the longest first), or
 * the one that follows it ("chef d'état-major des forces d'autodéfense du Japon"). */
static int org_after(const ctx *c, int title) {
    for (size_t j = (size_t)title + 1; j < c->nm && c->ms[j].start < c->ms[title].end; j++)
        if (visible(c, j) && c->ms[j].type == GLA_ENT_ORG && c->ms[j].start > c->ms[title].start &&
            c->ms[j].end <= c->ms[title].end)
            return (int)j;
    for (size_t j = (size_t)title + 1; j < c->nm && c->ms[j].start <= c->ms[title].end + 8; j++)
        if (visible(c, j) && c->ms[j].type == GLA_ENT_ORG && c->ms[j].start >= c->ms[title].end &&
            gap_is_glue(c, c->ms[title].end, c->ms[j].start, false, NULL))
            return (int)j;
    return -1;
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
        /* rightwards: PERSON , TITLE (de ORG)? [(, | et | également) TITLE (de ORG)?]* */
        if (nt == 0) {
            edge = pm->end;
            for (size_t j = p + 1; j < c->nm && nt < 4; j++) {
                const mention *o = &c->ms[j];
                if (!visible(c, j) || o->start < edge || nested(c, j))
                    continue;
                if (o->type != GLA_ENT_TITLE || !gap_is_glue(c, edge, o->start, nt > 0, NULL) ||
                    memchr(c->text + edge, '\n', o->start - edge) ||
                    (nt == 0 && !memchr(c->text + edge, ',', o->start - edge)))
                    break;
                titles[nt++] = (int)j;
                int org = org_after(c, (int)j);
                edge = org >= 0 ? c->ms[org].end : o->end;
            }
        }
        const char *origin = NULL;
        for (int k = 0; k < nt; k++) {
            int org = org_after(c, titles[k]);
            const char *country = mention_country_in(c, titles[k]);
            if (!country && org >= 0)
                country = mention_country_in(c, org);
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

enum { CLASS_PERSONS, CLASS_PARTIES };

static bool of_class(const mention *m, int cls) {
    return cls == CLASS_PERSONS ? m->type == GLA_ENT_PERSON
                                : m->type == GLA_ENT_ORG || m->type == GLA_ENT_LOC;
}

static int class_of(const ctx *c, int i) {
    return c->ms[i].type == GLA_ENT_PERSON ? CLASS_PERSONS : CLASS_PARTIES;
}

/* The country a demonym mention i stands for as a party ("le gouvernement russe", "la partie
 * vietnamienne": PARTYDEMONYM rules on the words before it, ending with \z): its first mention
 * in the document, or -1. */
static int party_demonym(const ctx *c, size_t i) {
    const mention *m = &c->ms[i];
    if (m->type != GAZ_DEMONYM || !mention_country(m) ||
        !c->kinds->party_demonym->count || nested(c, i))
        return -1;
    size_t b = m->start, a = b > 32 ? b - 32 : 0, ms, me;
    while (a > 0 && ((uint8_t)c->text[a] & 0xC0) == 0x80)
        a--;
    return kind_span(c, c->kinds->party_demonym, a, b, &ms, &me) ? place_named(c, mention_country(m)) : -1;
}

/* Is one of the agents list[0, n) named canonical (one agent per canonical name)? */
static bool named_in(const ctx *c, const int *list, size_t n, const char *canonical) {
    for (size_t k = 0; k < n; k++)
        if (!strcmp(c->ms[list[k]].canonical, canonical))
            return true;
    return false;
}

/* The agents of a class named in text[s, e), one per canonical name, in order: not inside
 * another mention or in parentheses, no venue, no person after `witness`, none of a photo
 * caption that text[s, e) runs over ("Photo : VNA/CVN" between the items of a list). */
static size_t agents_in(const ctx *c, size_t s, size_t e, int cls, size_t witness, int *out, size_t cap) {
    size_t n = 0, pos = s; /* parentheses are counted once, up to each mention in turn */
    int depth = 0;
    bool from_caption = in_caption(c, s);
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e && n < cap; i++) {
        const mention *m = &c->ms[i];
        while (pos < m->start) { /* from parenthesis to parenthesis: memchr, not byte by byte */
            const char *open = memchr(c->text + pos, '(', m->start - pos),
                       *close = memchr(c->text + pos, ')', m->start - pos);
            const char *p = !open ? close : !close || open < close ? open : close;
            if (!p) {
                pos = m->start;
                break;
            }
            depth += *p == '(' ? 1 : depth > 0 ? -1 : 0;
            pos = (size_t)(p - c->text) + 1;
        }
        int country = cls == CLASS_PARTIES && depth == 0 ? party_demonym(c, i) : -1;
        if (country >= 0) { /* "le gouvernement russe": Russie */
            m = &c->ms[country];
        } else if (!visible(c, i) || !of_class(m, cls) || m->end > e ||
                   (m->type == GLA_ENT_PERSON && m->start >= witness) || nested(c, i) || depth > 0 ||
                   (m->type == GLA_ENT_LOC && is_venue(c, i)) || (!from_caption && in_caption(c, m->start)))
            continue;
        if (!named_in(c, out, n, m->canonical))
            out[n++] = country >= 0 ? country : (int)i;
    }
    return n;
}

/* The first agent named in text[s, e) and the agents of its class joined to it: by COORD, or
 * by commas and articles alone ("A, B et C", "l'ambassade de X, l'Association Y"). */
static size_t group_after(const ctx *c, size_t s, size_t e, int cls, int *out, size_t cap) {
    int cand[MAX_AGENTS];
    size_t nc = agents_in(c, s, e, cls, NOWHERE, cand, MAX_AGENTS), n = 0;
    for (size_t k = 0; k < nc && n < cap; k++) {
        if (k > 0) {
            size_t a = c->ms[cand[k - 1]].end, b = c->ms[cand[k]].start;
            if (!gap_is_glue(c, a, b, false, NULL) && !coordinated(c, a, b))
                break;
        }
        out[n++] = cand[k];
    }
    return n;
}

/* Is text[a, b) only what may stand between a verb and its object: GAPGLUE words, titles and
 * ranks ("par le président du Sénat belge X")? */
static bool governed(const ctx *c, size_t a, size_t b) {
    size_t at = a;
    for (size_t i = first_mention_at(c, a); i < c->nm && c->ms[i].start < b; i++) {
        const mention *m = &c->ms[i];
        if (!visible(c, i) || m->start < at)
            continue;
        if ((m->type != GLA_ENT_TITLE && m->type != GLA_ENT_RANK) ||
            !gap_is_glue(c, at, m->start, false, NULL))
            break;
        at = m->end;
    }
    return at <= b && gap_is_glue(c, at, b, false, NULL);
}

/* Does text[s, e) name a title ("avec le Premier ministre malien, X": X in apposition)? */
static bool titled(const ctx *c, size_t s, size_t e) {
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e; i++)
        if (c->ms[i].type == GLA_ENT_TITLE && visible(c, i))
            return true;
    return false;
}

/* Leaves out of list[0, n) the agents named as one of drop[0, nd); the new count. */
static size_t without(const ctx *c, int *list, size_t n, const int *drop, size_t nd) {
    size_t kept = 0;
    for (size_t k = 0; k < n; k++)
        if (!named_in(c, drop, nd, c->ms[list[k]].canonical))
            list[kept++] = list[k];
    return kept;
}

/* Appends to agents[0, n) those of more[0, m) it lacks; the new count. */
static size_t add_agents(const ctx *c, int *agents, size_t n, const int *more, size_t m) {
    for (size_t k = 0; k < m && n < MAX_AGENTS; k++)
        if (!named_in(c, agents, n, c->ms[more[k]].canonical))
            agents[n++] = more[k];
    return n;
}

/* Who "il" or "sa" stands for in the sentence starting at s: the subject of the last relation
 * when `relation_first` or when that relation is in the nearest sentence before that names a
 * person; else that sentence's first person. -1 if none. */
static int antecedent(const ctx *c, size_t s, bool relation_first) {
    int subject = c->prev_count && c->ms[c->prev_agents[0]].type == GLA_ENT_PERSON ? c->prev_agents[0] : -1;
    if (relation_first && subject >= 0)
        return subject;
    size_t ps, pe;
    for (int k = 0; k < 8 && sentence_before(c, s, &ps, &pe) == 0; k++, s = ps) {
        int p[1];
        if (agents_in(c, ps, pe, CLASS_PERSONS, NOWHERE, p, 1))
            return subject >= 0 && c->prev_sentence >= ps ? subject : p[0];
    }
    return subject;
}

/* Who "ce dernier", "cette dernière" at text[at] stands for: the last person, organisation or
 * place named before it in its sentence or the one before ("... ses partenaires, à savoir EDF
 * et Calyon. Cette dernière a signé"), not a venue nor a name inside another. -1 if none. */
static int last_named(const ctx *c, size_t at) {
    size_t ss, se, ps, pe;
    if (sentence_bounds(c, at, &ss, &se) != 0)
        return -1;
    size_t from = sentence_before(c, ss, &ps, &pe) == 0 ? ps : ss;
    int last = -1;
    for (size_t i = first_mention_at(c, from); i < c->nm && c->ms[i].start < at; i++) {
        const mention *m = &c->ms[i];
        if (m->end <= at && visible(c, i) && (m->type == GLA_ENT_PERSON || of_class(m, CLASS_PARTIES)) &&
            !nested(c, i) && !(m->type == GLA_ENT_LOC && is_venue(c, i)))
            last = (int)i;
    }
    return last;
}

/* Who "ces derniers", "ces dernières" at text[at] stand for: the last one named (last_named)
 * and those of its class joined to it before it by commas, articles or COORD ("A et B. Ces
 * derniers ..."). The count, in out. */
static size_t last_group(const ctx *c, size_t at, int *out, size_t cap) {
    int last = last_named(c, at);
    if (last < 0)
        return 0;
    int group[MAX_AGENTS];
    size_t n = 0;
    group[n++] = last;
    int cls = class_of(c, last);
    for (size_t i = (size_t)last; i-- > 0 && n < MAX_AGENTS && n < cap;) {
        const mention *m = &c->ms[i];
        if (!visible(c, i) || !of_class(m, cls) || nested(c, i) || (m->type == GLA_ENT_LOC && is_venue(c, i)))
            continue;
        size_t next_start = c->ms[group[n - 1]].start;
        if (m->end > next_start || next_start - m->end > 80 ||
            (!gap_is_glue(c, m->end, next_start, false, NULL) && !coordinated(c, m->end, next_start)))
            break;
        group[n++] = (int)i;
    }
    for (size_t k = 0; k < n; k++) /* in text order */
        out[k] = group[n - 1 - k];
    return n;
}

/* Resolves "les deux parties", "les deux ministres", "ils", "il", "ce dernier" in text[s, e):
 * the phrase nearest the end counts. */
static size_t resolve_subject(ctx *c, size_t s, size_t e, int *out, size_t cap) {
    const char *how = NULL;
    size_t best = 0;
    const rule_kind *resolvers = c->kinds->resolve;
    for (size_t k = 0; k < resolvers->count; k++) {
        const rule *r = resolvers->rules[k];
        size_t at = s;
        while (at < e && rule_match(r, c->text, at, e, c->w->md, c->w->mctx, &c->w->hits) > 0) {
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
    if (!strcmp(how, "parties")) {
        const int *from = c->parties[0] >= 0 && c->parties[1] >= 0 ? c->parties : c->countries;
        for (int k = 0; k < 2 && from[k] >= 0; k++)
            out[n++] = from[k];
    } else if (!strcmp(how, "title_holders")) {
        /* "A a reçu son homologue B. Les deux ministres ...": the previous relation's persons */
        for (size_t k = 0; k < c->prev_count && n < cap; k++)
            if (c->ms[c->prev_agents[k]].type == GLA_ENT_PERSON)
                out[n++] = c->prev_agents[k];
        if (n >= 2)
            return n;
        /* else the first two persons holding a title, looked for once: titles are all known
         * before the first trigger */
        for (size_t k = 0; c->ntitle_holders < 0 && k <= c->w->relations.count; k++) {
            if (k == c->w->relations.count || c->title_holders[1] >= 0) {
                c->ntitle_holders = c->title_holders[1] >= 0 ? 2 : c->title_holders[0] >= 0;
                break;
            }
            relation *r = &VEC_AT(&c->w->relations, relation, k);
            if (r->type != REL_HOLDS || r->dropped)
                continue;
            rel_arg *a = args_of(c, k);
            size_t i = first_mention_at(c, a->start);
            if (i < c->nm && c->ms[i].type == GLA_ENT_PERSON && visible(c, i) && c->ms[i].start == a->start &&
                (c->title_holders[0] < 0 || strcmp(c->ms[c->title_holders[0]].canonical, c->ms[i].canonical)))
                c->title_holders[c->title_holders[0] < 0 ? 0 : 1] = (int)i;
        }
        n = 0;
        for (int k = 0; k < c->ntitle_holders && n < cap; k++)
            out[n++] = c->title_holders[k];
    } else if (!strcmp(how, "delegation")) { /* the person who leads it: LEADER rules, once */
        size_t ls, le;
        if (c->leader == -2) {
            int p[1];
            c->leader = -1;
            if (kind_span(c, c->kinds->leader, c->body_start, c->body_end, &ls, &le) &&
                agents_in(c, le, le + 80 < c->body_end ? le + 80 : c->body_end, CLASS_PERSONS, NOWHERE, p, 1))
                c->leader = p[0];
        }
        if (c->leader >= 0)
            out[n++] = c->leader;
    } else if (!strcmp(how, "previous")) {
        for (size_t k = 0; k < c->prev_count && n < cap; k++)
            out[n++] = c->prev_agents[k];
    } else if (!strcmp(how, "last_named")) {
        int a = last_named(c, best);
        if (a >= 0)
            out[n++] = a;
    } else if (!strcmp(how, "last_group")) {
        n = last_group(c, best, out, cap);
    } else if (!strcmp(how, "antecedent")) {
        size_t ss, se;
        int a = sentence_bounds(c, best, &ss, &se) == 0 ? antecedent(c, ss, false) : -1;
        if (a >= 0)
            out[n++] = a;
    }
    return n;
}

/* The subject of a trigger at text[trig] in the sentence starting at s. */
static size_t subject_agents(ctx *c, size_t s, size_t trig, int *out, size_t cap) {
    /* a subject phrase right before the verb ("..., les deux ministres ont convenu") is the
     * subject, whoever the sentence named before it */
    size_t clause = trig;
    while (clause > s && c->text[clause - 1] != ',')
        clause--;
    size_t n = resolve_subject(c, clause, trig, out, cap);
    if (n)
        return n;
    size_t from = match_end_at(c, c->kinds->subject_skip, s, trig), ws, we;
    if (!from)
        from = s;
    size_t witness = kind_span(c, c->kinds->witness, from, trig, &ws, &we) ? ws : NOWHERE;
    n = agents_in(c, from, trig, CLASS_PERSONS, witness, out, cap);
    if (!n)
        n = agents_in(c, from, trig, CLASS_PARTIES, NOWHERE, out, cap);
    if (!n)
        n = resolve_subject(c, from, trig, out, cap);
    return n;
}

/* ------------------------------------------------------------------ attributes */

/* Does a date's value name a day ("2023-03-13") or a span of days ("les 19 et 20 février":
 * "2026-02-19/2026-02-20"), not a month or a year? */
static bool is_day(const char *value) {
    size_t n = value ? strlen(value) : 0;
    return n == 10 || (n == 21 && value[10] == '/');
}

static int date_in(const ctx *c, size_t s, size_t e) {
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e; i++)
        if (c->ms[i].type == GLA_ENT_DATE && visible(c, i) && is_day(mention_value(&c->ms[i])))
            return (int)i;
    return -1;
}

/* Does text[0, b) end with a form of the word class? */
static bool ends_with_form(const char *text, size_t b, const word_class *wc) {
    for (size_t k = 0; k < wc->count; k++)
        if (b >= wc->len[k] && !memcmp(text + b - wc->len[k], wc->form[k], wc->len[k]))
            return true;
    return false;
}

/* Does s[0, len) start with a form of the word class, ignoring ASCII case? */
static bool starts_with_form(const char *s, size_t len, const word_class *wc) {
    for (size_t k = 0; k < wc->count; k++)
        if (len >= wc->len[k] && !strncasecmp(s, wc->form[k], wc->len[k]))
            return true;
    return false;
}

/* A place introduced by a venue preposition, word class venue_preposition ("à Tokyo"): not a country, which names a side, not a venue. */
static int place_in(const ctx *c, size_t s, size_t e) {
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e; i++) {
        const mention *m = &c->ms[i];
        if (m->type != GLA_ENT_LOC || !visible(c, i) || mention_country(m) || m->start < 2)
            continue;
        size_t b = m->start;
        while (b > 0 && c->text[b - 1] == ' ')
            b--;
        if (ends_with_form(c->text, b, &c->w->model->word_classes[WC_VENUE_PREPOSITION]))
            return (int)i;
    }
    return -1;
}

/* The place of the body's first visit that names one ("la visite d'État en Mongolie"): where
 * what an article about a visit reports happened, when no sentence says "à PLACE". */
static int visit_place(const ctx *c) {
    for (size_t i = first_mention_at(c, c->body_start); i < c->nm && c->ms[i].start < c->body_end; i++) {
        const mention *m = &c->ms[i];
        if (m->type != GLA_ENT_EVENT || !visible(c, i) ||
            !starts_with_form(c->text + m->start, m->end - m->start, &c->w->model->word_classes[WC_VISIT]))
            continue;
        int last = -1;
        for (size_t j = i + 1; j < c->nm && c->ms[j].start < m->end; j++)
            if (c->ms[j].type == GLA_ENT_LOC && visible(c, j) && c->ms[j].end <= m->end)
                last = (int)j;
        if (last >= 0)
            return last;
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

/* Adds one domain item text[s, e) without its leading words (DOMAINLEAD) or verb (DOMAINVERB),
 * and trailing punctuation; an item without a letter or one DOMAINDROP names is none. */
static bool add_domain(ctx *c, size_t s, size_t e, bool strip_verb) {
    bool weak = strip_verb;
    if (e >= c->cut_at) /* a text cut mid-word ("... convenus d'intensifier l'échang"): no field */
        return true;
    size_t no_lead = NOWHERE; /* where no DOMAINLEAD word starts: tried there again, none would */
    for (int again = 0; again < 3; again++) {
        while (s < e && (c->text[s] == ' ' || c->text[s] == ',' || c->text[s] == '\n'))
            s++;
        size_t after;
        if (strip_verb && again == 1 && (after = match_end_at(c, c->kinds->domain_verb, s, e)) != 0)
            s = after;
        if (s != no_lead && (after = match_end_at(c, c->kinds->domain_lead, s, e)) != 0)
            s = after;
        else
            no_lead = s;
    }
    for (;;) {
        if (e > s && strchr(" ,.;:\n", c->text[e - 1]))
            e--;
        else if (e >= s + 3 && !memcmp(c->text + e - 3, "\xe2\x80\xa6", 3)) /* … */
            e -= 3;
        else
            break;
    }
    if (e - s < 3 || match_end_at(c, c->kinds->domain_drop, s, e) == e ||
        VEC_AT(&c->w->relations, relation, c->w->relations.count - 1).arg_count >= MAX_ARGS)
        return true;
    bool letter = false;
    for (size_t i = s; i < e && !letter; i++)
        letter = (uint8_t)c->text[i] >= 0x80 || ((c->text[i] | 0x20) >= 'a' && (c->text[i] | 0x20) <= 'z');
    if (!letter)
        return true;
    if (!add_arg(c, ROLE_DOMAINS, -1, s, e, NULL, NULL))
        return false;
    VEC_AT(&c->w->rel_args, rel_arg, c->w->rel_args.count - 1).weak = weak;
    return true;
}

/* Splits text[s, e) into domain items at commas, semicolons and DOMAINJOIN matches. The joins
 * are found by a search for the next one (the earliest match of the kind, that of its first rule
 * where two start together, as a match tried at each byte would find), not by a match tried at
 * each space: a list has dozens of spaces and a join or two. */
static bool add_domain_list(ctx *c, size_t s, size_t e, bool strip_verb) {
    const rule_kind *joins = c->kinds->domain_join;
    size_t item = s, js = s, je = s; /* the next join from i on, text[js, je); js == e: none */
    bool searched = false;
    for (size_t i = s; i <= e; i++) {
        size_t sep = 0;
        if (i == e)
            sep = 0;
        else if (c->text[i] == ',' || c->text[i] == ';')
            sep = 1;
        else {
            if (!searched || i > js) { /* the one found is behind: look again from here */
                kind_span(c, joins, i, e, &js, &je);
                searched = true;
            }
            sep = js == i ? je - i : 0;
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

#define CUE_SPAN 160

/* The fields one clause names: the enumeration after a DOMAINS cue (a cue right after a cue
 * carries it on), or the one its group "list" spans ("coopération politique et diplomatique,
 * ..."), else, unless cued_only, the objects of its verb. */
static bool add_clause_domains(ctx *c, size_t s, size_t e, bool cued_only) {
    size_t cs, ce, ds, de, list[2] = {0, 0};
    bool cued;
    /* "leur coopération politique et économique, ainsi que la collaboration en matière de
     * défense": the adjectives, then what the rest of the clause names after a cue. Not in what
     * a document's name or content says: "protocole sur la coopération touristique" names its
     * subject. */
    while ((cued = kind_span_list(c, c->kinds->domains, s, e, &cs, &ce, list)) && list[1] > list[0]) {
        if (!cued_only && !add_domain_list(c, list[0], list[1], false))
            return false;
        s = list[1];
        cued_only = true;
    }
    if (cued && !cued_only) { /* "poursuivre l'application du protocole sur la coopération dans la
                               * défense": a document's name states no field agreed on */
        size_t i = first_mention_at(c, s);
        for (; i < c->nm && c->ms[i].start <= cs; i++)
            if (c->ms[i].type == GLA_ENT_AGREEMENT && visible(c, i) && c->ms[i].end > cs)
                cued = false;
    }
    if (cued) {
        size_t ns, ne;
        /* a cue that starts within 8 bytes ends within CUE_SPAN: no need to look further */
        while (kind_span(c, c->kinds->domains, ce, ce + CUE_SPAN < e ? ce + CUE_SPAN : e, &ns, &ne) &&
               ns <= ce + 8 && ne > ce)
            ce = ne;
        if (kind_span(c, c->kinds->domain_end, ce, e, &ds, &de))
            e = ds;
        return add_domain_list(c, ce, e, false);
    }
    if (cued_only)
        return true;
    while (s < e && c->text[s] == ' ')
        s++;
    if (kind_span(c, c->kinds->domain_end, s, e, &ds, &de))
        e = ds;
    return add_domain_list(c, s, e, true);
}

/* The fields of cooperation text[s, e) names, clause by clause (DOMAINCLAUSE). With cued_only,
 * a clause names fields only after a DOMAINS cue: where text[s, e) has none, no clause has one
 * (a clause ends at a comma or a space, where a cue cut short would still match), and the
 * search for clauses, through every byte, is spared. */
static bool search_domains(ctx *c, size_t s, size_t e, bool cued_only) {
    size_t cs, ce;
    if (cued_only && !kind_span(c, c->kinds->domains, s, e, &cs, &ce))
        return true;
    while (s < e) {
        size_t bs, be, end = e, next = e;
        if (kind_span(c, c->kinds->domain_clause, s, e, &bs, &be) && be > s) {
            end = bs;
            next = be;
        }
        if (!add_clause_domains(c, s, end, cued_only))
            return false;
        s = next;
    }
    return true;
}

/* search_domains for the last relation, or a copy of what it gave for the same range: the
 * search depends on the range and the document only, and on the relation through its count of
 * arguments alone, which stops it at MAX_ARGS; a copy is made only where neither relation
 * reaches MAX_ARGS with the fields, so that the search would give the same. The copied fields
 * stay where they are: w->rel_args only grows while the triggers are handled, but where
 * agree_on takes back a relation that got no field, which a memo of none does not read. */
static bool add_domains(ctx *c, size_t s, size_t e, bool cued_only) {
    vec *args = &c->w->rel_args;
    relation *r = &VEC_AT(&c->w->relations, relation, c->w->relations.count - 1);
    size_t base = r->arg_count;
    for (size_t k = 0; k < c->memo_count && k < DOMAIN_MEMO; k++) {
        const domain_memo *m = &c->memo[k];
        if (m->s != s || m->e != e || m->cued_only != cued_only || m->base + m->count >= MAX_ARGS ||
            base + m->count >= MAX_ARGS)
            continue;
        for (size_t i = 0; i < m->count; i++) {
            rel_arg *a = vec_push(args);
            if (!a)
                return false;
            *a = VEC_AT(args, rel_arg, m->first + i);
            r->arg_count++;
        }
        return true;
    }
    size_t first = args->count;
    if (!search_domains(c, s, e, cued_only))
        return false;
    c->memo[c->memo_count++ % DOMAIN_MEMO] = (domain_memo){s, e, cued_only, first, args->count - first, base};
    return true;
}

/* The agents as parties of an agreement: a person stands for the country of a title they hold
 * (the mention of that country in the document). 0 when one has none. */
static size_t parties_of(const ctx *c, const int *agents, size_t n, int *out) {
    size_t np = 0, unknown = 0;
    for (size_t k = 0; k < n; k++) {
        int who = agents[k];
        if (c->ms[who].type == GLA_ENT_PERSON) {
            const char *country = NULL;
            size_t lo, hi;
            holders_of(c, c->ms[who].canonical, &lo, &hi);
            for (size_t h = lo; h < hi && !country; h++) {
                const relation *rel = &VEC_AT(&c->w->relations, relation, c->holders[h].index);
                const rel_arg *a = args_of(c, c->holders[h].index);
                for (size_t q = 0; q < rel->arg_count && !country; q++)
                    if (a[q].role == ROLE_COUNTRY)
                        country = a[q].canonical;
            }
            who = country ? place_named(c, country) : -1;
            if (who < 0) {
                unknown++;
                continue;
            }
        }
        np = add_agents(c, out, np, &who, 1);
    }
    /* two signers, one of a country the text names beside them: the other stands for the other
     * of the document's two main countries ("le ministre des affaires étrangères X et son
     * homologue malien Y", in an article on Guinea and Mali) */
    if (unknown == 1 && np == 1 && n == 2 && c->countries[1] >= 0 && mention_country(&c->ms[out[0]])) {
        for (int k = 0; k < 2; k++)
            if (strcmp(mention_country(&c->ms[c->countries[k]]), mention_country(&c->ms[out[0]])) &&
                !strcmp(mention_country(&c->ms[c->countries[1 - k]]), mention_country(&c->ms[out[0]])))
                return add_agents(c, out, np, &c->countries[k], 1);
    }
    return unknown ? 0 : np;
}

/* An agreement of the parties `agents` stand for on the fields text[s, e) names after a cue;
 * none when it names none. */
static int agree_on(ctx *c, const int *agents, size_t n, size_t ev_s, size_t ev_e, size_t s, size_t e) {
    int parties[MAX_AGENTS];
    size_t np = parties_of(c, agents, n, parties);
    if (np < 2)
        return GLA_OK;
    size_t rels = c->w->relations.count, args = c->w->rel_args.count, last = c->last_of[REL_AGREE];
    if (!new_relation(c, REL_AGREE, ev_s, ev_e))
        return GLA_ERR_NOMEM;
    for (size_t k = 0; k < np; k++)
        if (!add_mention_arg(c, ROLE_AGENTS, parties[k]))
            return GLA_ERR_NOMEM;
    size_t before = c->w->rel_args.count;
    if (!add_domains(c, s, e, true))
        return GLA_ERR_NOMEM;
    if (c->w->rel_args.count == before) { /* no field named: no agreement */
        c->w->relations.count = rels;
        c->w->rel_args.count = args;
        c->last_of[REL_AGREE] = last;
    }
    return GLA_OK;
}

/* ------------------------------------------------------------------ signatures */

typedef struct {
    int mention;       /* its AGREEMENT mention, or -1 for a SIGNDOC phrase */
    size_t start, end; /* its name */
    size_t head;       /* where its kind is read */
} document;

/* The AGREEMENT mentions of text[s, e), none inside another. */
static size_t agreements_in(const ctx *c, size_t s, size_t e, document *out, size_t cap) {
    size_t n = 0, edge = s;
    for (size_t i = first_mention_at(c, s); i < c->nm && c->ms[i].start < e && n < cap; i++)
        if (c->ms[i].type == GLA_ENT_AGREEMENT && visible(c, i) && c->ms[i].start >= edge) {
            out[n++] = (document){(int)i, c->ms[i].start, c->ms[i].end, c->ms[i].start};
            edge = c->ms[i].end;
        }
    return n;
}

/* The first SIGNDOC phrase of text[s, e) (near its rule's ~literals, if it has any). */
static bool signdoc_in(ctx *c, size_t s, size_t e, document *d) {
    for (size_t k = 0; k < c->kinds->signdoc->count; k++) {
        const rule *r = c->kinds->signdoc->rules[k];
        if (rule_match(r, c->text, s, e, c->w->md, c->w->mctx, &c->w->hits) <= 0)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->w->md);
        int g = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "doc"),
            h = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "head");
        size_t ds = g > 0 && ov[2 * g] != PCRE2_UNSET ? ov[2 * g] : ov[0];
        size_t de = g > 0 && ov[2 * g] != PCRE2_UNSET ? ov[2 * g + 1] : ov[1];
        size_t hs = h > 0 && ov[2 * h] != PCRE2_UNSET ? ov[2 * h] : ds;
        while (de > ds && c->text[de - 1] == ' ')
            de--;
        *d = (document){-1, ds, de, hs};
        return true;
    }
    return false;
}

static const char *sign_kind(ctx *c, const document *d) {
    const rule_kind *kinds = c->kinds->sign_kind;
    for (size_t k = 0; k < kinds->count; k++)
        if (rule_exec(kinds->rules[k], c->text, d->end, d->head, PCRE2_ANCHORED, c->w->md, c->w->mctx) > 0)
            return kinds->rules[k]->name;
    return "other";
}

/* The parties named from text[s] on, before e: the class of the first, all of it.
 * *pairwise: "A et ses partenaires, à savoir B, C et D": A signs with each. */
static size_t parties_after(const ctx *c, size_t s, size_t e, int *out, bool *pairwise) {
    *pairwise = false;
    int p[1], q[1];
    size_t np = agents_in(c, s, e, CLASS_PERSONS, NOWHERE, p, 1),
           nq = agents_in(c, s, e, CLASS_PARTIES, NOWHERE, q, 1);
    if (!np && !nq)
        return 0;
    int cls = np && (!nq || c->ms[p[0]].start < c->ms[q[0]].start) ? CLASS_PERSONS : CLASS_PARTIES;
    size_t n = agents_in(c, s, e, cls, NOWHERE, out, MAX_AGENTS);
    *pairwise = n >= 3 && coordinated(c, c->ms[out[0]].end, c->ms[out[1]].start);
    return n;
}

/* One signature of document d by who[0, n), and the agreement its name states. */
static int sign_one(ctx *c, size_t s, size_t e, const document *d, size_t d_limit, const int *who, size_t n) {
    relation *r = new_relation(c, REL_SIGN, s, e);
    if (!r)
        return GLA_ERR_NOMEM;
    r->kind = sign_kind(c, d);
    for (size_t k = 0; k < n; k++)
        if (!add_mention_arg(c, ROLE_AGENTS, who[k]))
            return GLA_ERR_NOMEM;
    bool ok = d->mention >= 0 ? add_mention_arg(c, ROLE_DOCUMENT, d->mention)
                              : add_arg(c, ROLE_DOCUMENT, -1, d->start, d->end, NULL, NULL);
    if (!ok || !add_when_where(c, s, e, false))
        return GLA_ERR_NOMEM;
    c->signer_count = 0;
    for (size_t k = 0; k < n && k < MAX_AGENTS; k++)
        c->signers[c->signer_count++] = who[k];
    return agree_on(c, who, n, s, e, d->start, d_limit);
}

/* The signatures a trigger at text[ts, te) states: one per document signed after it (before
 * it, for a passive), by the parties the document names or else by agents[0, na). */
static int sign_documents(ctx *c, bool passive, size_t s, size_t e, size_t ts, size_t te, const int *agents,
                          size_t na) {
    size_t scope = list_end(c, e);
    document docs[MAX_DOCS];
    size_t nd = agreements_in(c, te, scope, docs, MAX_DOCS);
    if (!nd && passive) {
        document before[MAX_DOCS];
        size_t nb = agreements_in(c, s, ts, before, MAX_DOCS);
        if (nb)
            docs[nd++] = before[nb - 1];
    }
    if (!nd && signdoc_in(c, te, e, &docs[0]))
        nd = 1;
    if (!nd && passive && signdoc_in(c, s, ts, &docs[0]))
        nd = 1;
    for (size_t k = 0; k < nd; k++) {
        size_t limit = k + 1 < nd ? docs[k + 1].start : scope, bs, be;
        if (limit < docs[k].end)
            limit = docs[k].end;
        /* the fields of a document named before a passive trigger: those its name states */
        size_t fields = docs[k].end <= ts ? docs[k].end : limit;
        int parties[MAX_AGENTS];
        size_t np = 0;
        bool pairwise = false;
        if (kind_span(c, c->kinds->between, docs[k].start, limit, &bs, &be))
            np = parties_after(c, be, limit, parties, &pairwise);
        int rc = GLA_OK;
        if (pairwise)
            for (size_t o = 1; o < np && rc == GLA_OK; o++)
                rc = sign_one(c, s, e, &docs[k], fields, (int[]){parties[0], parties[o]}, 2);
        else if (np >= 2)
            rc = sign_one(c, s, e, &docs[k], fields, parties, np);
        else if (na)
            rc = sign_one(c, s, e, &docs[k], fields, agents, na);
        if (rc != GLA_OK)
            return rc;
    }
    return GLA_OK;
}

/* ------------------------------------------------------------------ triggers */

/* Appends the persons of text[s, e) to the agents of the last relation of this type. */
static int join_agents(ctx *c, int type, size_t s, size_t e) {
    gla_worker *w = c->w;
    if (!c->last_of[type])
        return GLA_OK;
    size_t last = c->last_of[type] - 1;
    int persons[MAX_AGENTS];
    size_t n = agents_in(c, s, e, CLASS_PERSONS, NOWHERE, persons, MAX_AGENTS);
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

/* "lors de sa rencontre avec B, A a ...": the objects (B and those joined to B) in objects, the
 * subject (A, else the persons before the trigger, else the one "sa" stands for) in agents. */
static size_t with_agents(ctx *c, size_t s, size_t e, size_t ts, size_t te, int *agents, int *objects,
                          size_t *no) {
    int cand[MAX_AGENTS];
    size_t nc = agents_in(c, te, e, CLASS_PERSONS, NOWHERE, cand, MAX_AGENTS), na = 0;
    *no = 0;
    if (!nc)
        return 0;
    objects[(*no)++] = cand[0];
    for (size_t k = 1; k < nc; k++) {
        if (!coordinated(c, c->ms[cand[k - 1]].end, c->ms[cand[k]].start)) {
            agents[na++] = cand[k];
            return na;
        }
        objects[(*no)++] = cand[k];
    }
    na = agents_in(c, s, ts, CLASS_PERSONS, NOWHERE, agents, MAX_AGENTS);
    if (!na) { /* "Lors de sa rencontre avec B ... Lors de sa rencontre avec C": the one who met B */
        int a = c->meet_subject >= 0 ? c->meet_subject : antecedent(c, s, true);
        if (a >= 0)
            agents[na++] = a;
    }
    return na;
}

/* What the documents named from text[te] on provide for ("Le protocole couvre les domaines de
 * ...", "Il s'agit d'un protocole d'accord en matière de santé entre A et B ; du protocole ...
 * entre C et D"): the parties a document names (BETWEEN) agree on the fields its words name;
 * where none names its parties, the signers of the last signature agree on the fields of the
 * sentence. */
static int content_of(ctx *c, size_t s, size_t e, size_t te) {
    size_t scope = list_end(c, e);
    document docs[MAX_DOCS];
    size_t nd = agreements_in(c, te, scope, docs, MAX_DOCS);
    bool named = false;
    for (size_t k = 0; k < nd; k++) {
        size_t limit = k + 1 < nd ? docs[k + 1].start : scope, bs, be;
        int parties[MAX_AGENTS];
        bool pairwise;
        size_t np = kind_span(c, c->kinds->between, docs[k].start, limit, &bs, &be)
                        ? parties_after(c, be, limit, parties, &pairwise)
                        : 0;
        if (np < 2)
            continue;
        named = true;
        int rc = agree_on(c, parties, np, s, e, docs[k].start, limit);
        if (rc != GLA_OK)
            return rc;
    }
    return !named && c->signer_count ? agree_on(c, c->signers, c->signer_count, s, e, te, e) : GLA_OK;
}

/* A delegation signs for what it is the delegation of: "Une délégation de la ville d'Incheon,
 * conduite par X, a signé ...": Incheon, not X, when X is named after the LEADER phrase of
 * text[s, ts) and a party between "délégation" and it. The new count of agents. */
static size_t delegation_party(ctx *c, size_t s, size_t ts, int *agents, size_t na) {
    size_t ls, le;
    if (c->ms[agents[0]].type != GLA_ENT_PERSON ||
        !kind_span(c, c->kinds->leader, s, ts, &ls, &le) ||
        c->ms[agents[0]].start < le)
        return na;
    int party[1];
    if (!agents_in(c, ls, le, CLASS_PARTIES, NOWHERE, party, 1))
        return na;
    agents[0] = party[0];
    return 1;
}

/* "De son côté, B a ...": B speaks for the other side of a meeting whose trigger named one
 * side or none ("L'entretien s'est tenu à X. A a indiqué ... De son côté, B ..."): B meets its
 * one agent, else the first person named after it. B is the first person of text[from, e).
 * `lead`: "La délégation vietnamienne était conduite par B": B is one side; the meeting is
 * told when the other side's leader is. */
static int side_meeting(ctx *c, size_t from, size_t e, bool lead) {
    int b[1];
    size_t ms = c->pending_s, me = c->pending_e;
    if (ms == NOWHERE || ms >= from || !agents_in(c, from, e, CLASS_PERSONS, NOWHERE, b, 1))
        return GLA_OK;
    if (lead && c->pending_agent < 0) {
        c->pending_agent = b[0];
        return GLA_OK;
    }
    c->pending_s = NOWHERE; /* one other side, one look back, however many "De son côté" follow */
    int a = c->pending_agent, first[1];
    if (a < 0) /* the first person named from the trigger's sentence on */
        a = agents_in(c, ms, from, CLASS_PERSONS, NOWHERE, first, 1) ? first[0] : -1;
    if (a < 0 || !strcmp(c->ms[a].canonical, c->ms[b[0]].canonical))
        return GLA_OK;
    if (!new_relation(c, REL_MEET, ms, me) || !add_mention_arg(c, ROLE_AGENTS, a) ||
        !add_mention_arg(c, ROLE_AGENTS, b[0]) || !add_when_where(c, ms, me, false))
        return GLA_ERR_NOMEM;
    c->prev_agents[0] = a;
    c->prev_agents[1] = b[0];
    c->prev_count = 2;
    c->prev_sentence = from;
    return GLA_OK;
}

static int on_trigger(ctx *c, int type, const char *mode, size_t ts, size_t te) {
    size_t s, e, ws, we;
    if (sentence_bounds(c, ts, &s, &e) < 0)
        return GLA_OK;
    int agents[MAX_AGENTS], objects[MAX_AGENTS];
    size_t na = 0, no = 0;
    bool subject = false;
    if (!strcmp(mode, "join")) /* "le dialogue était dirigé par X": X co-chairs the last one */
        return join_agents(c, type, te, e);
    if (!strcmp(mode, "content")) /* "Le protocole couvre ...": its signers agree on the fields */
        return content_of(c, s, e, te);
    if (!strcmp(mode, "side")) /* "De son côté, B ...": the other side of a meeting */
        return side_meeting(c, s, e, false);
    if (!strcmp(mode, "lead")) /* "La délégation X était conduite par B": one side of a meeting */
        return side_meeting(c, te, e, true);
    size_t witness = kind_span(c, c->kinds->witness, te, e, &ws, &we) ? ws : NOWHERE;
    if (!strcmp(mode, "all")) {
        /* those "en présence de" are there, they do not meet */
        int present[MAX_AGENTS];
        size_t np = kind_span(c, c->kinds->witness, s, e, &ws, &we)
                        ? group_after(c, we, e, CLASS_PERSONS, present, MAX_AGENTS)
                        : 0;
        if (np && !governed(c, we, c->ms[present[0]].start))
            np = 0;
        na = agents_in(c, s, e, CLASS_PERSONS, NOWHERE, agents, MAX_AGENTS);
        na = without(c, agents, na, present, np);
        /* "Un entretien a eu lieu ... dirigée par A": the other side is the previous agents' */
        for (size_t k = 0; na < 2 && k < c->prev_count; k++)
            if (c->ms[c->prev_agents[k]].type == GLA_ENT_PERSON)
                na = add_agents(c, agents, na, &c->prev_agents[k], 1);
        if (na < 2) {
            if (type == REL_MEET) { /* its other side may speak later ("De son côté, B ...") */
                c->pending_s = s;
                c->pending_e = e;
                c->pending_agent = na ? agents[0] : -1;
            }
            return GLA_OK;
        }
        if (type == REL_MEET && na > 2) { /* one meeting per pair: the first named with each */
            for (size_t k = 1; k < na; k++)
                objects[no++] = agents[k];
            na = 1;
        }
    } else if (!strcmp(mode, "after")) {
        na = agents_in(c, te, e, CLASS_PERSONS, witness, agents, MAX_AGENTS);
        if (!na)
            na = agents_in(c, te, e, CLASS_PARTIES, NOWHERE, agents, MAX_AGENTS);
        if (!na)
            na = resolve_subject(c, te, e, agents, MAX_AGENTS);
    } else if (!strcmp(mode, "each")) {
        na = subject_agents(c, s, ts, agents, MAX_AGENTS);
        if (na) {
            int found[MAX_AGENTS];
            size_t nf = agents_in(c, te, e, class_of(c, agents[0]), witness, found, MAX_AGENTS);
            /* a person or an organisation who met none of their kind met those of the other the
             * verb governs ("a travaillé avec l'ambassade du Vietnam et l'Association ...", "La
             * délégation de l'Assemblée nationale a été reçue par le président du Sénat X"); a
             * country hosts, it does not meet */
            if (!nf && type == REL_MEET && c->ms[agents[0]].type != GLA_ENT_LOC &&
                (nf = group_after(c, te, e, 1 - class_of(c, agents[0]), found, MAX_AGENTS)) != 0 &&
                (c->ms[found[0]].type == GLA_ENT_LOC || !governed(c, te, c->ms[found[0]].start)))
                nf = 0;
            no = without(c, found, nf, agents, na); /* not the subject again */
            memcpy(objects, found, no * sizeof *found);
        }
        subject = true;
    } else if (!strcmp(mode, "with")) {
        na = with_agents(c, s, e, ts, te, agents, objects, &no);
    } else if (!strcmp(mode, "passive")) { /* "À cette occasion, cinq accords ont été signés" */
        size_t ps, pe;
        if (c->prev_count &&
            (c->prev_sentence >= s || (sentence_before(c, s, &ps, &pe) == 0 && c->prev_sentence >= ps)))
            for (size_t k = 0; k < c->prev_count; k++)
                agents[na++] = c->prev_agents[k];
    } else if (strcmp(mode, "between")) { /* subject */
        na = subject_agents(c, s, ts, agents, MAX_AGENTS);
        subject = true;
        if (type == REL_SIGN && na)
            na = delegation_party(c, s, ts, agents, na);
        size_t ps, pe;
        if (na == 1 && kind_span(c, c->kinds->partner, te, e, &ps, &pe)) { /* "a signé ... avec B" */
            int more[MAX_AGENTS];
            size_t nm = group_after(c, pe, e, class_of(c, agents[0]), more, MAX_AGENTS);
            /* B is the object of "avec", not the subject of a clause after it ("avec 16 pays
             * d'Afrique, a annoncé le Service fédéral ...") */
            if (nm && memchr(c->text + pe, ',', c->ms[more[0]].start - pe) &&
                !titled(c, pe, c->ms[more[0]].start))
                nm = 0;
            na = add_agents(c, agents, na, more, nm);
        }
    }
    if (subject && na == 2 && class_of(c, agents[0]) == CLASS_PARTIES &&
        class_of(c, agents[1]) == CLASS_PARTIES) {
        c->parties[0] = agents[0]; /* what "les deux parties" will stand for */
        c->parties[1] = agents[1];
    }
    if (type == REL_SIGN) { /* one relation per document signed */
        size_t before = c->w->relations.count;
        int rc = sign_documents(c, strcmp(mode, "subject") != 0, s, e, ts, te, agents, na);
        if (c->w->relations.count > before) { /* the signers: "les deux ministres ont aussi ..." */
            memcpy(c->prev_agents, c->signers, c->signer_count * sizeof *c->signers);
            c->prev_count = c->signer_count;
            c->prev_sentence = s;
        }
        return rc;
    }
    if (na == 0)
        return GLA_OK;
    /* "lors de sa rencontre avec A, A a ...": no one meets themselves */
    if (no && !(no = without(c, objects, no, agents, na)))
        return GLA_OK;
    size_t rounds = no ? no : 1;
    for (size_t o = 0; o < rounds; o++) {
        if (!new_relation(c, type, s, e))
            return GLA_ERR_NOMEM;
        for (size_t k = 0; k < na; k++)
            if (!add_mention_arg(c, ROLE_AGENTS, agents[k]))
                return GLA_ERR_NOMEM;
        if (no && !add_mention_arg(c, ROLE_AGENTS, objects[o]))
            return GLA_ERR_NOMEM;
        bool ok = type == REL_AGREE ? add_domains(c, te, e, !strcmp(mode, "cued"))
                                    : add_when_where(c, s, e, type == REL_CO_CHAIR);
        if (!ok)
            return GLA_ERR_NOMEM;
    }
    if (type == REL_MEET && (no || na > 1)) {
        c->meet_subject = c->ms[agents[0]].type == GLA_ENT_PERSON ? agents[0] : -1;
        c->pending_s = NOWHERE; /* a meeting with both sides named ends the one pending */
    }
    c->prev_count = 0; /* those who met, agreed or chaired: the next "ils" or "les deux ..." */
    c->prev_sentence = s;
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

/* ------------------------------------------------------------------ counterparts */

/* "A ... son homologue tchèque B": B holds A's title (the nearest to A), in the country the
 * demonym names. Only for B with no title of their own. */
static int counterparts(ctx *c) {
    const rule_kind *k = c->kinds->homologue;
    for (size_t q = 0; q < k->count; q++) {
        const rule *r = k->rules[q];
        size_t at = c->body_start;
        while (at < c->body_end &&
               rule_match(r, c->text, at, c->body_end, c->w->md, c->w->mctx, &c->w->hits) > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->w->md);
            size_t hs = ov[0], he = ov[1], s, e;
            at = he > at ? he : at + 1;
            if (sentence_bounds(c, hs, &s, &e) < 0)
                continue;
            int who[MAX_AGENTS], owner[1] = {-1};
            size_t n = group_after(c, he, e, CLASS_PERSONS, who, MAX_AGENTS);
            if (!n || c->ms[who[0]].start > he + 48)
                continue;
            /* the country: a demonym between the match and the first person */
            const char *country = NULL;
            for (size_t j = first_mention_at(c, he); j < c->nm && c->ms[j].start < c->ms[who[0]].start; j++)
                if (c->ms[j].type == GAZ_DEMONYM && mention_country(&c->ms[j]))
                    country = mention_country(&c->ms[j]);
            /* the owner: the nearest person before the match who holds a title */
            int title = -1;
            for (size_t j = first_mention_at(c, hs); j-- > 0 && c->ms[j].end > s && title < 0;) {
                if (c->ms[j].type != GLA_ENT_PERSON || !visible(c, j))
                    continue;
                size_t best = 0, lo, hi;
                holders_of(c, c->ms[j].canonical, &lo, &hi);
                for (size_t h = lo; h < hi; h++) {
                    const rel_arg *a = args_of(c, c->holders[h].index);
                    size_t ti = first_mention_at(c, a[1].start); /* the title's mention */
                    if (ti < c->nm && c->ms[ti].start == a[1].start && c->ms[ti].type == GLA_ENT_TITLE &&
                        (title < 0 || (a[1].start <= c->ms[j].start && a[1].start > best))) {
                        title = (int)ti;
                        best = a[1].start;
                    }
                }
                owner[0] = (int)j;
            }
            if (title < 0)
                continue;
            for (size_t p = 0; p < n; p++) {
                if (holds_any(c, c->ms[who[p]].canonical) ||
                    !strcmp(c->ms[who[p]].canonical, c->ms[owner[0]].canonical))
                    continue;
                int rc = holds_one(c, (size_t)who[p], title, -1, -1, country);
                if (rc != GLA_OK)
                    return rc;
            }
        }
    }
    return GLA_OK;
}

/* Is needle in hay, ASCII letters compared without case? */
static bool contains_nocase(const char *hay, const char *needle) {
    size_t ln = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, ln))
            return true;
    return false;
}

/* A holds_position relation, for sorting by person, then title, then order. */
typedef struct {
    const char *person, *title;
    uint32_t index;
} held_title;

static int cmp_held_title(const void *a, const void *b) {
    const held_title *x = a, *y = b;
    int d = strcmp(x->person, y->person);
    if (!d) /* titles that differ only in case ("Premier ministre", "premier ministre") side by side */
        d = strcasecmp(x->title, y->title);
    return d ? d : (x->index > y->index) - (x->index < y->index);
}

/* A person's titles: the same title told twice, in any case, is one (the first); of two titles
 * where one holds the other's words, the shorter is dropped ("ministre" beside "ministre des
 * Affaires étrangères"). Sorted by person and title, so repeats sit side by side; containment is looked
 * for among the CONTAINED_SPAN titles nearest in that order, which holds every title of a
 * person in any real text and keeps a text that gives one person thousands of titles linear. */
#define CONTAINED_SPAN 64

static int drop_contained_titles(ctx *c) {
    gla_worker *w = c->w;
    size_t n = 0;
    held_title *hs = malloc((w->relations.count + 1) * sizeof *hs);
    if (!hs)
        return GLA_ERR_NOMEM;
    for (size_t k = 0; k < w->relations.count; k++) {
        const relation *r = &VEC_AT(&w->relations, relation, k);
        if (r->type == REL_HOLDS && !r->dropped && args_of(c, k)[0].canonical && args_of(c, k)[1].canonical)
            hs[n++] = (held_title){args_of(c, k)[0].canonical, args_of(c, k)[1].canonical, (uint32_t)k};
    }
    if (n > 1)
        qsort(hs, n, sizeof *hs, cmp_held_title);
    for (size_t g = 0, h; g < n; g = h) {
        for (h = g + 1; h < n && !strcmp(hs[g].person, hs[h].person); h++)
            ;
        for (size_t i = g; i < h; i++) {
            relation *ri = &VEC_AT(&w->relations, relation, hs[i].index);
            if (i > g && !strcasecmp(hs[i - 1].title, hs[i].title)) { /* a repeat: the first stays */
                ri->dropped = true;
                continue;
            }
            size_t from = i > g + CONTAINED_SPAN ? i - CONTAINED_SPAN : g;
            size_t to = h - i > CONTAINED_SPAN ? i + CONTAINED_SPAN : h;
            for (size_t j = from; j < to && !ri->dropped; j++)
                ri->dropped =
                    strlen(hs[j].title) > strlen(hs[i].title) && contains_nocase(hs[j].title, hs[i].title);
        }
    }
    free(hs);
    return GLA_OK;
}

/* ------------------------------------------------------------------ storage */

/* From this size of the arguments (bytes), the relations are compacted (compact_relations). */
#define COMPACT_RELATIONS_FROM ((size_t)1 << 20)

/* A big document states the same relation thousands of times, and all but one are dropped (a
 * title told again, a meeting merged): dropped relations are read by nothing but the
 * bookkeeping of the relations around them, so a big document's are removed, with their
 * arguments (and those that joins and merges left behind when they moved a relation's to the
 * tail), and the buffers shrunk, before more are made and before the results: 2 bytes a byte of
 * a dense text, that the worker carried to its peak. Order is kept; last_of (NULL after the
 * last step) keeps the last relation of each type, dropped or not, and follows it. */
static int compact_relations(gla_worker *w, size_t *last_of) {
    if (w->rel_args.cap * sizeof(rel_arg) < COMPACT_RELATIONS_FROM)
        return GLA_OK;
    relation *rs = w->relations.items;
    size_t n = w->relations.count, kept = 0, args = 0;
    for (size_t i = 0; i < n; i++)
        if (!rs[i].dropped || (last_of && last_of[rs[i].type] == i + 1))
            args += rs[i].arg_count;
    vec fresh;
    vec_init(&fresh, sizeof(rel_arg));
    if (!vec_reserve(&fresh, args + 1))
        return GLA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        bool last = last_of && last_of[rs[i].type] == i + 1;
        if (rs[i].dropped && !last)
            continue;
        memcpy((rel_arg *)fresh.items + fresh.count, (rel_arg *)w->rel_args.items + rs[i].first_arg,
               rs[i].arg_count * sizeof(rel_arg));
        rs[kept] = rs[i];
        rs[kept].first_arg = fresh.count;
        fresh.count += rs[i].arg_count;
        if (last)
            last_of[rs[i].type] = kept + 1;
        kept++;
    }
    vec_free(&w->rel_args);
    w->rel_args = fresh;
    w->relations.count = kept;
    relation *shrunk = realloc(rs, (kept + 1) * sizeof *rs); /* shrinking: may only fail to move */
    if (shrunk) {
        w->relations.items = shrunk;
        w->relations.cap = kept + 1;
    }
    return GLA_OK;
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
 * same result. Every agent counts in the key, however many: a capped key would send the long
 * lists of a text without full stops to be compared with all, which is quadratic. */
#define KEY_NONE 0
#define KEY_ANY 1

static int cmp_name_ptr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* names: room for the agents of r (borrowed scratch of key_relations). */
static uint64_t agents_key(const gla_worker *w, const relation *r, const char **names) {
    size_t n = 0;
    for (size_t k = 0; k < r->arg_count; k++) {
        const rel_arg *a = &VEC_AT(&w->rel_args, rel_arg, r->first_arg + k);
        if (a->role != ROLE_AGENTS)
            continue;
        if (!a->canonical)
            return KEY_NONE;
        names[n++] = a->canonical;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_name_ptr);
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
    size_t most = 1;
    for (size_t i = 0; i < n; i++)
        if (VEC_AT(&w->relations, relation, i).arg_count > most)
            most = VEC_AT(&w->relations, relation, i).arg_count;
    const char **names = malloc(most * sizeof *names); /* owned here, freed below */
    if (!names)
        return GLA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = agents_key(w, &VEC_AT(&w->relations, relation, i), names);
        *(uint64_t *)vec_push(&w->rel_keys) = key;
        *(agents_slot *)vec_push(&w->rel_order) = (agents_slot){key, (uint32_t)i};
    }
    free(names);
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

/* A signature by one party alone of a document of a kind that party signs with another ("la
 * Russie a signé un mémorandum ...", then "un mémorandum ... a été signé par le gouvernement russe
 * et la SADC") is that document told again: one relation per document. The signers of two parties
 * or more are sorted by name, so each lone signer is looked up, not compared with every one. */
static int drop_lone_signers(gla_worker *w) {
    relation *rs = w->relations.items;
    size_t n = 0, signatures = 0;
    for (size_t i = 0; i < w->relations.count && signatures < 2; i++)
        signatures += rs[i].type == REL_SIGN && !rs[i].dropped;
    if (signatures < 2) /* most documents: nothing to compare */
        return GLA_OK;
    keyed *pairs = malloc((w->rel_args.count + 1) * sizeof *pairs); /* (signer, relation) */
    if (!pairs)
        return GLA_ERR_NOMEM;
    for (size_t i = 0; i < w->relations.count; i++) {
        if (rs[i].type != REL_SIGN || rs[i].dropped)
            continue;
        const rel_arg *a = (const rel_arg *)w->rel_args.items + rs[i].first_arg;
        size_t agents = 0;
        for (size_t k = 0; k < rs[i].arg_count; k++)
            agents += a[k].role == ROLE_AGENTS && a[k].canonical;
        for (size_t k = 0; k < rs[i].arg_count && agents >= 2; k++)
            if (a[k].role == ROLE_AGENTS && a[k].canonical)
                pairs[n++] = (keyed){a[k].canonical, 0, (uint32_t)i};
    }
    if (n > 1)
        qsort(pairs, n, sizeof *pairs, cmp_keyed_key_index);
    for (size_t i = 0; i < w->relations.count && n; i++) {
        if (rs[i].type != REL_SIGN || rs[i].dropped)
            continue;
        const rel_arg *a = (const rel_arg *)w->rel_args.items + rs[i].first_arg, *lone = NULL;
        size_t agents = 0;
        for (size_t k = 0; k < rs[i].arg_count; k++)
            if (a[k].role == ROLE_AGENTS) {
                agents++;
                lone = a[k].canonical ? &a[k] : NULL;
            }
        if (agents != 1 || !lone)
            continue;
        size_t lo, hi;
        records_of(pairs, n, lone->canonical, &lo, &hi);
        for (size_t h = lo; h < hi && !rs[i].dropped; h++)
            rs[i].dropped =
                rs[pairs[h].index].kind && rs[i].kind && !strcmp(rs[pairs[h].index].kind, rs[i].kind);
    }
    free(pairs);
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
    if (rc == GLA_OK)
        rc = drop_lone_signers(w);
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
            for (size_t k = 0; k < rs[j].arg_count && rs[i].arg_count < MAX_ARGS; k++) {
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

/* A meeting or a co-chairing is between two agents at least: one whose other side the text does
 * not name is none (one organisation may sign for both sides: "les ministères de la Défense des
 * deux pays"). An agreement to cooperate names a field of cooperation. */
static void drop_lonely(gla_worker *w) {
    for (size_t i = 0; i < w->relations.count; i++) {
        relation *r = &VEC_AT(&w->relations, relation, i);
        if (r->dropped || r->type == REL_HOLDS || r->type == REL_SIGN)
            continue;
        if (r->type == REL_AGREE) {
            bool field = false;
            for (size_t k = 0; k < r->arg_count && !field; k++)
                field = VEC_AT(&w->rel_args, rel_arg, r->first_arg + k).role == ROLE_DOMAINS;
            r->dropped = !field;
            continue;
        }
        const rel_arg *a = (const rel_arg *)w->rel_args.items + r->first_arg;
        const char *first = NULL;
        bool two = false;
        for (size_t k = 0; k < r->arg_count && !two; k++) {
            if (a[k].role != ROLE_AGENTS)
                continue;
            if (!first)
                first = a[k].canonical ? a[k].canonical : "";
            else
                two = strcmp(first, a[k].canonical ? a[k].canonical : "") != 0;
        }
        r->dropped = !two;
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
        if (!visible(c, i) || c->ms[i].type != GLA_ENT_LOC || !mention_country(&c->ms[i]))
            continue;
        keyed *k = vec_push(order);
        if (!k)
            return GLA_ERR_NOMEM;
        *k = (keyed){mention_country(&c->ms[i]), 0, (uint32_t)i};
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

/* Is text[at] on a link line (LINKLINE: ">>Vietnam et Laos signent ...", another article's
 * headline inside the page)? What it states is that article's, not this one's. A link is a
 * headline, so its line starts at most LINK_SPAN bytes before a trigger: the walk back is
 * bounded, and a text without line breaks stays linear. */
#define LINK_SPAN 300

static bool on_link_line(const ctx *c, const rule_kind *links, size_t at) {
    size_t floor = at > c->body_start + LINK_SPAN ? at - LINK_SPAN : c->body_start;
    const char *nl = links->count ? memrchr(c->text + floor, '\n', at - floor) : NULL;
    size_t line = nl ? (size_t)(nl - c->text) + 1 : floor;
    return links->count && (nl || line == c->body_start) && match_end_at(c, links, line, at) != 0;
}

/* ------------------------------------------------------------------ the stage */

int relate(gla_worker *w) {
    ctx c = {.w = w,
             .kinds = &w->model->relate_kinds,
             .text = w->text.text.data,
             .ms = w->mentions.items,
             .nm = w->mentions.count,
             .body_start = w->result->body_start,
             .body_end = w->result->body_end,
             .doc_event = -1,
             .doc_date = -1,
             .doc_place = -1,
             .countries = {-1, -1},
             .title_holders = {-1, -1},
             .ntitle_holders = -1,
             .leader = -2,
             .meet_subject = -1,
             .pending_s = NOWHERE,
             .pending_agent = -1,
             .parties = {-1, -1}};
    c.ent_of = malloc((c.nm + 1) * sizeof *c.ent_of + (c.nm + 1) * sizeof *c.cover);
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
    c.cover = (uint32_t *)(c.ent_of + c.nm + 1); /* in ent_of's block: both live as long */
    uint32_t queue[NEST_REACH + 1];
    find_covers(&c, c.cover, queue);
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
        if (mt->type == GLA_ENT_DATE && c.doc_date < 0 && is_day(mention_value(mt)))
            c.doc_date = (int)i;
        if (mt->type == GLA_ENT_LOC && mention_country(mt)) {
            size_t n = same_country[i];
            for (int k = 0; k < 2; k++) {
                if (c.countries[k] >= 0 &&
                    !strcmp(mention_country(&c.ms[c.countries[k]]), mention_country(mt)))
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
    /* a body that ends on a letter, not a full stop, was cut mid-sentence: where its last word ends */
    size_t last = c.body_end;
    while (last > c.body_start &&
           (c.text[last - 1] == ' ' || c.text[last - 1] == '\n' || c.text[last - 1] == '\t'))
        last--;
    c.cut_at = last > c.body_start &&
                       ((unsigned)((c.text[last - 1] | 0x20) - 'a') < 26 || (uint8_t)c.text[last - 1] >= 0x80)
                   ? last
                   : NOWHERE;
    c.doc_place = place_in(&c, c.body_start, c.body_end);
    if (c.doc_place < 0)
        c.doc_place = visit_place(&c);
    int rc = holds_positions(&c);
    if (rc == GLA_OK)
        rc = drop_contained_titles(&c); /* a title told a thousand times is one, before looking */
    if (rc == GLA_OK)
        rc = index_holders(&c);
    if (rc == GLA_OK)
        rc = counterparts(&c);
    if (rc == GLA_OK)
        rc = drop_contained_titles(&c);
    if (rc == GLA_OK)
        rc = compact_relations(w, c.last_of);
    if (rc == GLA_OK)
        rc = index_holders(&c);
    if (rc == GLA_OK)
        rc = index_places(&c);
    /* triggers of every rule, then handled in text order, so that "the previous relation"
     * is the one the text states before */
    w->order.count = 0;
    const rule_kind *triggers = c.kinds->triggers;
    for (size_t k = 0; k < triggers->count && rc == GLA_OK; k++) {
        const rule *r = triggers->rules[k];
        const char *mode;
        size_t at = c.body_start;
        bool typed = false; /* its name is read at its first match: most rules have none in a document */
        while (at < c.body_end && rule_match(r, c.text, at, c.body_end, w->md, w->mctx, &w->hits) > 0) {
            if (!typed && type_of(r->name, &mode) < 0)
                break;
            typed = true;
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
    size_t last_end[4] = {0, 0, 0, 0}; /* two rules matching the same words state one relation */
    for (size_t k = 0; k < w->order.count && rc == GLA_OK; k++) {
        const keyed *t = &VEC_AT(&w->order, keyed, k);
        const char *mode;
        int type = type_of(t->key, &mode);
        if ((size_t)t->type < last_end[type] || in_caption(&c, (size_t)t->type) ||
            on_link_line(&c, c.kinds->link_line, (size_t)t->type))
            continue;
        last_end[type] = t->index;
        rc = on_trigger(&c, type, mode, (size_t)t->type, t->index);
    }
    if (rc == GLA_OK)
        rc = merge(w);
    if (rc == GLA_OK) {
        tidy_domains(w);
        drop_lonely(w);
        rc = compact_relations(w, NULL);
    }
    free(c.ent_of);
    free(c.starts);
    free(c.holders);
    free(c.places);
    return rc;
}
