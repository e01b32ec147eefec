/* The per-document pipeline: validate, repair, lay out, tokenize, tag, and expose the result
 * with offsets mapped back to code points of the original text.
 *
 * A worker owns every buffer a document needs and keeps them between documents, so that in
 * steady state extracting a document allocates nothing. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Adds the time since *t to stage s and restarts the clock. */
static void lap(gla_worker *w, gla_stage s, uint64_t *t) {
    uint64_t n = now_ns();
    w->stage_ns[s] += n - *t;
    *t = n;
}

const char *gla_stage_name(gla_stage stage) {
    static const char *const names[GLA_STAGE__COUNT] = {"normalize", "unglue", "layout", "tokens",
                                                        "dates", "entities", "relations", "result"};
    return (unsigned)stage < GLA_STAGE__COUNT ? names[stage] : "?";
}

double gla_worker_stage_seconds(const gla_worker *w, gla_stage stage) {
    return w && (unsigned)stage < GLA_STAGE__COUNT ? w->stage_ns[stage] / 1e9 : 0.0;
}

gla_worker *gla_worker_new(const gla_model *model) {
    if (!model)
        return NULL;
    gla_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->model = model;
    w->md = pcre2_match_data_create(64, NULL);
    w->mctx = pcre2_match_context_create(NULL);
    w->unglue_cache = calloc(UNGLUE_CACHE_SLOTS, sizeof *w->unglue_cache);
    if (w->mctx)
        pcre2_set_callout(w->mctx, gazetteer_callout, w);
    w->result = calloc(1, sizeof *w->result);
    repaired_init(&w->normalized);
    repaired_init(&w->text);
    vec_init(&w->layout.sections, sizeof(section_span));
    vec_init(&w->tokens, sizeof(token));
    vec_init(&w->atoms, sizeof(atom));
    vec_init(&w->token_flags, sizeof(uint8_t));
    vec_init(&w->name_runs, sizeof(name_run));
    vec_init(&w->order, sizeof(keyed));
    vec_init(&w->ent_mention, sizeof(uint32_t));
    vec_init(&w->relations, sizeof(relation));
    vec_init(&w->rel_args, sizeof(rel_arg));
    vec_init(&w->rel_keys, sizeof(uint64_t));
    vec_init(&w->rel_order, sizeof(agents_slot));
    vec_init(&w->mentions, sizeof(mention));
    vec_init(&w->mention_tmp, sizeof(mention));
    vec_init(&w->group_scratch, sizeof(uint32_t));
    vec_init(&w->anchor_memo, sizeof(uint16_t));
    vec_init(&w->title_parts, sizeof(mention));
    vec_init(&w->anchor_list, sizeof(uint32_t));
    vec_init(&w->cp_at_byte, sizeof(uint32_t));
    vec_init(&w->entities, sizeof(gla_entity));
    vec_init(&w->sections, sizeof(gla_section));
    if (!w->md || !w->mctx || !w->result || !w->unglue_cache) {
        gla_worker_free(w);
        return NULL;
    }
    w->result->worker = w;
    return w;
}

void gla_worker_free(gla_worker *w) {
    if (!w)
        return;
    pcre2_match_data_free(w->md);
    pcre2_match_context_free(w->mctx);
    literal_hits_free(&w->hits);
    free(w->unglue_cache);
    repaired_free(&w->normalized);
    repaired_free(&w->text);
    vec_free(&w->layout.sections);
    vec_free(&w->tokens);
    vec_free(&w->atoms);
    vec_free(&w->token_flags);
    vec_free(&w->name_runs);
    vec_free(&w->order);
    vec_free(&w->ent_mention);
    vec_free(&w->relations);
    vec_free(&w->rel_args);
    vec_free(&w->rel_keys);
    vec_free(&w->rel_order);
    gla_buf_free(&w->atom_keys);
    vec_free(&w->mentions);
    vec_free(&w->mention_tmp);
    vec_free(&w->group_scratch);
    vec_free(&w->anchor_memo);
    vec_free(&w->title_parts);
    vec_free(&w->anchor_list);
    vec_free(&w->cp_at_byte);
    vec_free(&w->entities);
    vec_free(&w->sections);
    arena_free(&w->strings);
    free(w->result);
    free(w);
}

static inline size_t src_cp(const gla_worker *w, size_t b);

size_t orig_start_cp(const gla_worker *w, size_t b) {
    if (b >= w->text.text.len)
        return src_cp(w, w->src_len);
    return src_cp(w, repaired_src_start(&w->text, b));
}

size_t orig_end_cp(const gla_worker *w, size_t b) {
    if (b == 0)
        return 0;
    return src_cp(w, repaired_src_end(&w->text, b - 1));
}

/* Is [start, end) inside a caption? The captions follow the body section, disjoint and sorted by
 * start (repair_layout): the last one starting at or before start is the only candidate. */
static bool in_caption(const gla_worker *w, size_t start, size_t end) {
    const section_span *s = w->layout.sections.items;
    size_t lo = 1, hi = w->layout.sections.count; /* captions are within [lo, hi) */
    while (hi > lo && s[hi - 1].kind != GLA_SECTION_CAPTION)
        hi--;
    while (hi > lo) { /* the first caption starting after start, at hi */
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].start <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return hi > 1 && s[hi - 1].kind == GLA_SECTION_CAPTION && end <= s[hi - 1].end;
}

/* The code point index of the original text, sampled: cps[k] is the number of code points that
 * start in bytes [0, CP_STEP * k) (a lead byte is any but a continuation byte 10xxxxxx), for k up
 * to len / CP_STEP. A byte's index is its block's sample plus the leads before it in the block
 * (src_cp): 4 bytes every CP_STEP bytes, not 4 bytes a byte. With a step of two words, a look-up
 * counts in at most two words (the callers ask twice for every entity and argument): a quarter
 * of a byte a byte of a big document, where a step of one word took half. */
#define CP_STEP 16

/* One pass over the original text for what used to take three: refuses a NUL byte anywhere
 * (GLA_ERR_NUL, which wins over invalid UTF-8 wherever each is) and invalid UTF-8 (GLA_ERR_UTF8,
 * by the rules of utf8_validate), and fills cps (len / CP_STEP + 1 entries) as said above. */
static int check_and_index(const uint8_t *s, size_t len, uint32_t *cps) {
    uint32_t count = 0;
    size_t i = 0;
    while (i < len) {
        /* Eight bytes at a time while they are ASCII and not NUL (most of a French article): a
         * byte of w - 0x01.. has its high bit set where w's byte is 0, and w's where it is not
         * ASCII; no borrow crosses bytes that are all in 1..0x7F. Eight bytes hold one sample
         * point, b. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (((w - 0x0101010101010101ULL) | w) & 0x8080808080808080ULL)
                break;
            size_t b = (i + CP_STEP - 1) & ~(size_t)(CP_STEP - 1);
            cps[b / CP_STEP] = count + (uint32_t)(b - i);
            count += 8;
            i += 8;
        }
        if (i >= len)
            break;
        if (s[i] < 0x80) {
            if (!s[i])
                return GLA_ERR_NUL;
            if (i % CP_STEP == 0)
                cps[i / CP_STEP] = count;
            i++;
            count++;
            continue;
        }
        int32_t cp;
        int n = utf8_decode(s + i, len - i, &cp);
        if (n < 0) /* no NUL before i: one after it still comes first */
            return memchr(s + i, '\0', len - i) ? GLA_ERR_NUL : GLA_ERR_UTF8;
        /* a sample point on the lead, or on one of its continuation bytes (at most one: n <= 4) */
        size_t b = (i + CP_STEP - 1) & ~(size_t)(CP_STEP - 1);
        if (b < i + (size_t)n)
            cps[b / CP_STEP] = count + (b > i);
        count++;
        i += (size_t)n;
    }
    if (len % CP_STEP == 0)
        cps[len / CP_STEP] = count;
    return GLA_OK;
}

/* The continuation bytes among the 8 bytes of w: the high bit set, the next one clear. Their
 * flags, moved to the low bit of each byte, are summed by one multiplication into the top byte
 * (a popcount instruction is not in the baseline x86-64 set: a call to libgcc's otherwise). */
static inline unsigned continuations8(uint64_t w) {
    uint64_t flags = (w & ~(w << 1) & 0x8080808080808080u) >> 7;
    return (unsigned)((flags * 0x0101010101010101u) >> 56);
}

/* The code point index of original byte b (b <= len): a continuation byte has its lead's. */
static inline size_t src_cp(const gla_worker *w, size_t b) {
    const uint8_t *s = (const uint8_t *)w->src;
    size_t i = b & ~(size_t)(CP_STEP - 1);
    size_t count = VEC_AT(&w->cp_at_byte, uint32_t, b / CP_STEP);
    for (; i + 8 <= b; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        count += 8 - continuations8(v);
    }
    if (i < b && b >= 8) { /* the last b - i bytes, as the top bytes of the word ending at b */
        uint64_t v;
        memcpy(&v, s + b - 8, 8);
        v >>= 8 * (8 - (b - i));
        count += (b - i) - continuations8(v);
    } else {
        for (; i < b; i++)
            count += (s[i] & 0xC0) != 0x80;
    }
    if (b < w->src_len && (s[b] & 0xC0) == 0x80)
        count--;
    return count;
}

/* A worker keeps its buffers from document to document, so that a run of ordinary articles
 * allocates nothing; but a buffer of a big document that a later stage no longer reads is freed
 * as soon as it is dead, when it holds over BIG_KEEP bytes: the peak of a worker is then what
 * the stages need at once, not the sum of all they ever filled. */
#define BIG_KEEP ((size_t)1 << 20)
/* From this size of the original the source starts of the repaired text are compacted. */
#define COMPACT_FROM ((size_t)64 << 10)

/* The names of a big document's entities recur (a person, a country, over and over): the copy of
 * a text is shared by the entities that spell it, found again in a small direct-mapped table of
 * the last copies made, which costs a hash a name and keeps an article's copies as they were. */
#define NAME_SLOTS 4096
typedef struct {
    const char *s;
    size_t len;
} name_slot;

/* arena_strndup of s[0, len), or the copy of the same bytes that slots still holds. */
static const char *shared_strndup(arena *a, name_slot *slots, const char *s, size_t len) {
    if (!slots)
        return arena_strndup(a, s, len);
    uint64_t h = 0xCBF29CE484222325u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)s[i]) * 0x100000001B3u;
    name_slot *slot = &slots[(h ^ h >> 32) & (NAME_SLOTS - 1)];
    if (slot->s && slot->len == len && !memcmp(slot->s, s, len))
        return slot->s;
    char *copy = arena_strndup(a, s, len);
    if (copy)
        *slot = (name_slot){copy, len};
    return copy;
}

static void vec_release_big(vec *v) {
    if (v->cap * v->item_size > BIG_KEEP)
        vec_free(v);
}

/* Gives back the room of v beyond its items, when it holds over BIG_KEEP bytes: the pages of
 * the items it held once stay resident otherwise. */
static void vec_shrink_big(vec *v) {
    if (v->cap * v->item_size <= BIG_KEEP || v->count == v->cap)
        return;
    size_t cap = v->count ? v->count : 1;
    void *items = realloc(v->items, cap * v->item_size);
    if (items) {
        v->items = items;
        v->cap = cap;
    }
}

static void buf_release_big(gla_buf *b) {
    if (b->cap > BIG_KEEP)
        gla_buf_free(b);
}

/* Before a small document, the buffers a big one before it grew: a worker that met one big
 * document does not hold its peak for the rest of the run. */
static void release_big_buffers(gla_worker *w) {
    if (w->text.text.cap > BIG_KEEP) {
        repaired_free(&w->text);
        repaired_init(&w->text);
    }
    buf_release_big(&w->atom_keys);
    vec *vecs[] = {&w->cp_at_byte,  &w->tokens,    &w->mentions,      &w->entities,
                   &w->ent_mention, &w->relations, &w->rel_args,      &w->rel_keys,
                   &w->rel_order,   &w->order,     &w->group_scratch, &w->sections};
    for (size_t k = 0; k < sizeof vecs / sizeof *vecs; k++)
        vec_release_big(vecs[k]);
}

int gla_extract(gla_worker *w, const char *text, size_t len, const gla_doc_opts *opts,
                const gla_result **out) {
    if (out)
        *out = NULL;
    if (!w || !out || (!text && len))
        return GLA_ERR_ARG;
    rules_begin_document();
    gla_doc_opts defaults = {0};
    if (!opts)
        opts = &defaults;
    civil_date given;
    if (opts->date && !parse_iso_date(opts->date, &given))
        return GLA_ERR_ARG;
    if (len > UINT32_MAX - 16)
        return GLA_ERR_TOO_LARGE;
    if (len < BIG_KEEP / 16)
        release_big_buffers(w);
    /* the code point index is filled while the text is checked, in the same pass */
    if (!vec_reserve(&w->cp_at_byte, len / CP_STEP + 1)) {
        /* the text's own faults are still told first, as when the checks came before this */
        if (len && memchr(text, '\0', len))
            return GLA_ERR_NUL;
        if (utf8_validate((const uint8_t *)text, len) != len)
            return GLA_ERR_UTF8;
        return GLA_ERR_NOMEM;
    }
    int checked = check_and_index((const uint8_t *)text, len, w->cp_at_byte.items);
    if (checked != GLA_OK)
        return checked;
    w->cp_at_byte.count = len / CP_STEP + 1;
    /* empty: nothing but spaces, no-break spaces included, and zero-width characters (the text
     * is valid UTF-8 here) */
    bool blank = true;
    for (size_t i = 0; i < len && blank;) {
        int32_t cp;
        int n = utf8_decode((const uint8_t *)text + i, len - i, &cp);
        blank = n > 0 && (is_space_cp(cp) || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF);
        i += n > 0 ? (size_t)n : 1;
    }
    if (blank)
        return GLA_ERR_EMPTY;

    const gla_model *m = w->model;
    arena_reset(&w->strings);
    w->tokens.count = w->mentions.count = w->entities.count = w->sections.count = 0;
    w->ent_mention.count = w->relations.count = w->rel_args.count = 0;
    w->src = text;
    w->src_len = len;

    /* The last document's text is dead: a big one's buffers (9 bytes a byte: the text and two
     * source offsets, see BIG_KEEP) are freed before this one is normalized, not carried to its
     * peak. The text is normalized, then unglued in place, and becomes w->text; the buffers
     * w->text had serve the next document's normalization. */
    if (w->text.text.cap > BIG_KEEP) {
        repaired_free(&w->text);
        repaired_init(&w->text);
    }
    uint64_t t = now_ns();
    int rc = repair_normalize(m, text, len, &w->normalized);
    lap(w, GLA_STAGE_NORMALIZE, &t);
    if (rc == GLA_OK)
        rc = unglue_in_place(m, w->md, w->unglue_cache, &w->normalized);
    repaired unglued = w->normalized;
    w->normalized = w->text;
    w->text = unglued;
    /* the text is final: a big one's source starts take 1 byte a byte from here on, not 4 (an
     * article's few kilobytes are not worth the pass) */
    if (rc == GLA_OK && len >= COMPACT_FROM && !repaired_compact(&w->text))
        rc = GLA_ERR_NOMEM;
    lap(w, GLA_STAGE_UNGLUE, &t);
    if (rc == GLA_OK && !buf_reserve(&w->text.text, 0))
        rc = GLA_ERR_NOMEM;
    if (rc == GLA_OK)
        rc = repair_layout(m, w->md, w->mctx, &w->text, &w->layout, &w->hits);
    lap(w, GLA_STAGE_LAYOUT, &t);
    if (rc != GLA_OK)
        return rc;

    gla_result *res = w->result;
    res->id = opts->id ? opts->id : "doc";
    res->source = opts->source;
    snprintf(res->date, sizeof res->date, "%s", w->layout.date[0] ? w->layout.date : opts->date ? opts->date : "");
    res->body_start = w->layout.body_start;
    res->body_end = opts->all_sections ? w->text.text.len : w->layout.body_end;
    res->body_start_cp = orig_start_cp(w, res->body_start);
    res->body_end_cp = orig_start_cp(w, res->body_end);
    if (res->body_end < res->body_start)
        res->body_end = res->body_start;

    rc = tokenize(m, w->text.text.data, res->body_start, res->body_end, &w->tokens);
    if (rc == GLA_OK && res->body_end != w->layout.body_end) /* all sections: the rules' literals there too */
        rc = literal_hits_build(&m->rules, w->text.text.data, res->body_start, res->body_end, &w->hits);
    lap(w, GLA_STAGE_TOKENS, &t);
    if (rc == GLA_OK)
        rc = tag_dates(w, res->date[0] ? res->date : NULL, opts->today, res->body_start, res->body_end);
    lap(w, GLA_STAGE_DATES, &t);
    if (rc == GLA_OK)
        rc = tag_entities(w, res->body_start, res->body_end);
    lap(w, GLA_STAGE_ENTITIES, &t);
    if (rc != GLA_OK)
        return rc;
    /* what only the entities stage reads (entities.c, people.c; tag_entities frees a big
     * document's atoms itself, before its last steps) */
    vec *entities_only[] = {&w->atoms,       &w->mention_tmp, &w->name_runs,   &w->token_flags,
                            &w->title_parts, &w->anchor_memo, &w->anchor_list};
    for (size_t k = 0; k < sizeof entities_only / sizeof *entities_only; k++)
        vec_release_big(entities_only[k]);
    if (w->atom_keys.cap > BIG_KEEP)
        gla_buf_free(&w->atom_keys);
    /* a big document's mentions were most numerous before its overlaps were settled (a third
     * more on a dense text): the room of those dropped goes back before the relations */
    vec_shrink_big(&w->mentions);

    sort_mentions(w, 0); /* the stages leave them sorted but for a tail: a check, mostly */
    /* which mentions are public entities first: relations name them by these indices; their
     * public view (64 bytes and a copy of the text each) is made after the relations, so that a
     * big document's is not alive at the relations' peak too */
    size_t max_entities = opts->max_entities ? opts->max_entities : GLA_DEFAULT_MAX_ENTITIES;
    for (size_t i = 0; i < w->mentions.count; i++) {
        const mention *mt = &VEC_AT(&w->mentions, mention, i);
        if (mt->internal || mt->type >= GLA_ENT__COUNT)
            continue;
        if (opts->no_captions && in_caption(w, mt->start, mt->end))
            continue;
        if (w->ent_mention.count >= max_entities)
            return GLA_ERR_LIMIT;
        uint32_t *back = vec_push(&w->ent_mention);
        if (!back)
            return GLA_ERR_NOMEM;
        *back = (uint32_t)i;
    }
    lap(w, GLA_STAGE_RESULT, &t);
    rc = relate(w);
    lap(w, GLA_STAGE_RELATIONS, &t);
    if (rc != GLA_OK)
        return rc;
    /* the scratch of the groupings (entities.c, people.c, relate.c), read by no renderer */
    vec *groupings[] = {&w->order, &w->group_scratch, &w->rel_keys, &w->rel_order};
    for (size_t k = 0; k < sizeof groupings / sizeof *groupings; k++)
        vec_release_big(groupings[k]);
    if (!vec_reserve(&w->entities, w->ent_mention.count))
        return GLA_ERR_NOMEM;
    /* NULL (every name copied) for an article, and when there is no room for the table */
    name_slot *names = len >= COMPACT_FROM ? calloc(NAME_SLOTS, sizeof *names) : NULL;
    for (size_t k = 0; k < w->ent_mention.count && rc == GLA_OK; k++) {
        const mention *mt = &VEC_AT(&w->mentions, mention, VEC_AT(&w->ent_mention, uint32_t, k));
        gla_entity *e = vec_push(&w->entities);
        size_t sb = repaired_src_start(&w->text, mt->start);
        size_t eb = repaired_src_end(&w->text, mt->end - 1);
        e->type = mt->type;
        e->start = src_cp(w, sb);
        e->end = src_cp(w, eb);
        e->text = shared_strndup(&w->strings, names, w->src + sb, eb - sb);
        e->canonical = mt->canonical ? mt->canonical
                                     : shared_strndup(&w->strings, names, w->text.text.data + mt->start,
                                                      mt->end - mt->start);
        e->key = mt->key;
        e->value = mention_value(mt);
        e->inferred = mt->inferred;
        if (!e->text || !e->canonical)
            rc = GLA_ERR_NOMEM;
    }
    free(names);
    lap(w, GLA_STAGE_RESULT, &t);
    if (rc != GLA_OK)
        return rc;
    for (size_t i = 0; i < w->layout.sections.count; i++) {
        const section_span *s = &VEC_AT(&w->layout.sections, section_span, i);
        gla_section *p = vec_push(&w->sections);
        if (!p)
            return GLA_ERR_NOMEM;
        p->kind = s->kind;
        p->start = orig_start_cp(w, s->start);
        p->end = orig_start_cp(w, s->end);
    }
    *out = res;
    return GLA_OK;
}

int gla_render_triples(const gla_result *res, const char *base_iri, gla_buf *out) {
    return render_to_sink(res, GLA_FORMAT_TRIPLES, 0, base_iri, out, NULL);
}

const char *gla_result_id(const gla_result *r) { return r->id; }
const char *gla_result_date(const gla_result *r) { return r->date[0] ? r->date : NULL; }
size_t gla_result_entity_count(const gla_result *r) { return r->worker->entities.count; }
const gla_entity *gla_result_entity(const gla_result *r, size_t i) {
    return i < r->worker->entities.count ? &VEC_AT(&r->worker->entities, gla_entity, i) : NULL;
}
size_t gla_result_section_count(const gla_result *r) { return r->worker->sections.count; }
const gla_section *gla_result_section(const gla_result *r, size_t i) {
    return i < r->worker->sections.count ? &VEC_AT(&r->worker->sections, gla_section, i) : NULL;
}
void gla_result_body(const gla_result *r, size_t *start, size_t *end) {
    if (start)
        *start = r->body_start_cp;
    if (end)
        *end = r->body_end_cp;
}
const char *gla_result_repaired(const gla_result *r, size_t *len) {
    if (len)
        *len = r->body_end - r->body_start;
    return r->worker->text.text.data + r->body_start;
}
size_t gla_result_original_offset(const gla_result *r, size_t repaired_byte) {
    return orig_start_cp(r->worker, r->body_start + repaired_byte);
}

int gla_render(const gla_result *res, gla_format format, unsigned flags, gla_buf *out) {
    return render_to_sink(res, format, flags, NULL, out, NULL);
}

int render_to_sink(const gla_result *res, gla_format format, unsigned flags, const char *base_iri,
                   gla_buf *out, const render_sink *sink) {
    if (!res || !out || (base_iri && *base_iri && !iri_base_valid(base_iri)))
        return GLA_ERR_ARG;
    base_iri = base_iri && *base_iri ? base_iri : GLA_DEFAULT_BASE_IRI;
    size_t before = out->len;
    int rc;
    switch (format) {
    case GLA_FORMAT_JSONL: rc = emit_jsonl(res, flags, out, sink); break;
    case GLA_FORMAT_CONLL: rc = emit_conll(res, false, out, sink); break;
    case GLA_FORMAT_CONLLU: rc = emit_conll(res, true, out, sink); break;
    case GLA_FORMAT_BRAT: rc = emit_brat(res, out); break;
    case GLA_FORMAT_TRIPLES: rc = emit_triples(res, base_iri, out, sink); break;
    default: rc = GLA_ERR_ARG; break;
    }
    if (rc != GLA_OK) { /* never half a record (with a sink, what it took is the caller's to drop) */
        out->len = before;
        if (out->data)
            out->data[before] = '\0';
    }
    return rc;
}
