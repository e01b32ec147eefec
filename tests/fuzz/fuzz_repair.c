/* Fuzz target: the text repair (repair_normalize, unglue, repair_layout) on arbitrary bytes.
 *
 * Bytes that gla_extract turns away (NUL, invalid UTF-8) stop here too, after checking that
 * repair_normalize refuses invalid UTF-8 rather than reading past it. Invariants:
 *   - the repaired text is valid UTF-8 and its offset map is whole: every byte maps to a span
 *     of the original, in order, within it;
 *   - unglue only inserts spaces: dropping the bytes with an empty span gives its input back;
 *   - unglue's memo never changes a verdict: no memo, a cold one and a warm one agree;
 *   - unglue_in_place (what gla_extract runs) gives what unglue gives;
 *   - the layout's sections lie inside the text, on code point boundaries, in order: the body,
 *     the captions inside it (disjoint, sorted), the teaser; the header's date is a valid date. */
#include "fuzz.h"

static repaired nocache, warm, in_place;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    GLA_UNUSED(argc);
    GLA_UNUSED(argv);
    fuzz_load_model();
    repaired_init(&nocache);
    repaired_init(&warm);
    repaired_init(&in_place);
    return 0;
}

/* The offset map of r covers its text, in order, within the original [0, src_len). */
static void check_map(const repaired *r, size_t src_len) {
    FUZZ_CHECK(r->src_start.count == r->text.len && r->src_len.count == r->text.len);
    FUZZ_CHECK(utf8_validate((const uint8_t *)r->text.data, r->text.len) == r->text.len);
    const uint32_t *s = r->src_start.items;
    for (size_t i = 0; i < r->text.len; i++) {
        uint32_t e = repaired_src_end(r, i);
        FUZZ_CHECK(s[i] <= e && e <= src_len);
        FUZZ_CHECK(i == 0 || (s[i - 1] <= s[i] && repaired_src_end(r, i - 1) <= e));
    }
}

static bool same_repair(const repaired *a, const repaired *b) {
    if (a->text.len != b->text.len)
        return false;
    size_t n = a->text.len;
    return n == 0 ||
           (!memcmp(a->text.data, b->text.data, n) &&
            !memcmp(a->src_start.items, b->src_start.items, n * sizeof(uint32_t)) &&
            !memcmp(a->src_len.items, b->src_len.items, n) && a->far_ends.count == b->far_ends.count &&
            (!a->far_ends.count ||
             !memcmp(a->far_ends.items, b->far_ends.items, a->far_ends.count * sizeof(src_far))));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gla_worker *w = fuzz_worker;
    const gla_model *m = w->model;
    if (!fuzz_acceptable(data, size)) {
        if (!memchr(data, '\0', size))
            FUZZ_CHECK(repair_normalize(m, (const char *)data, size, &w->normalized) == GLA_ERR_UTF8);
        return 0;
    }

    /* NFC and lumping: every byte comes from a non-empty span of the original */
    FUZZ_CHECK(repair_normalize(m, (const char *)data, size, &w->normalized) == GLA_OK);
    const repaired *norm = &w->normalized;
    check_map(norm, size);
    for (size_t i = 0; i < norm->text.len; i++)
        FUZZ_CHECK(VEC_AT(&norm->src_start, uint32_t, i) < repaired_src_end(norm, i));

    /* run-together words, with a cold memo, without one, and with the memo now warm */
    memset(w->unglue_cache, 0, UNGLUE_CACHE_SLOTS * sizeof *w->unglue_cache);
    FUZZ_CHECK(unglue(m, w->md, w->unglue_cache, norm, 0, norm->text.len, &w->text) == GLA_OK);
    FUZZ_CHECK(unglue(m, w->md, NULL, norm, 0, norm->text.len, &nocache) == GLA_OK);
    FUZZ_CHECK(unglue(m, w->md, w->unglue_cache, norm, 0, norm->text.len, &warm) == GLA_OK);
    FUZZ_CHECK(same_repair(&w->text, &nocache));
    FUZZ_CHECK(same_repair(&w->text, &warm));
    FUZZ_CHECK(repair_normalize(m, (const char *)data, size, &in_place) == GLA_OK);
    FUZZ_CHECK(unglue_in_place(m, w->md, w->unglue_cache, &in_place) == GLA_OK);
    FUZZ_CHECK(same_repair(&w->text, &in_place));
    const repaired *t = &w->text;
    check_map(t, size);
    size_t k = 0;
    for (size_t i = 0; i < t->text.len; i++) {
        bool inserted = VEC_AT(&t->src_start, uint32_t, i) == repaired_src_end(t, i);
        if (inserted) { /* one space, between two characters, where there was none */
            FUZZ_CHECK(t->text.data[i] == ' ' && i > 0 && i + 1 < t->text.len);
            FUZZ_CHECK(t->text.data[i - 1] != ' ' && t->text.data[i + 1] != ' ');
        } else {
            FUZZ_CHECK(k < norm->text.len && t->text.data[i] == norm->text.data[k]);
            FUZZ_CHECK(VEC_AT(&t->src_start, uint32_t, i) == VEC_AT(&norm->src_start, uint32_t, k));
            k++;
        }
    }
    FUZZ_CHECK(k == norm->text.len);

    /* layout */
    FUZZ_CHECK(buf_reserve(&w->text.text, 0));
    FUZZ_CHECK(repair_layout(m, w->md, w->mctx, t, &w->layout, &w->hits) == GLA_OK);
    const doc_layout *lay = &w->layout;
    size_t len = t->text.len;
    FUZZ_CHECK(lay->body_start <= lay->body_end && lay->body_end <= len);
    FUZZ_CHECK(fuzz_on_boundary(t->text.data, len, lay->body_start));
    FUZZ_CHECK(fuzz_on_boundary(t->text.data, len, lay->body_end));
    civil_date d;
    FUZZ_CHECK(!lay->date[0] || parse_iso_date(lay->date, &d));
    /* the body, the captions (disjoint, sorted by start), the teaser if any */
    const section_span *secs = lay->sections.items;
    size_t n = lay->sections.count;
    FUZZ_CHECK(n >= 1 && secs[0].kind == GLA_SECTION_BODY);
    FUZZ_CHECK(secs[0].start == lay->body_start && secs[0].end == lay->body_end);
    for (size_t i = 0; i < n; i++) {
        const section_span *s = &secs[i];
        FUZZ_CHECK(s->start <= s->end && s->end <= len);
        FUZZ_CHECK(fuzz_on_boundary(t->text.data, len, s->start) &&
                   fuzz_on_boundary(t->text.data, len, s->end));
        if (s->kind == GLA_SECTION_CAPTION) {
            FUZZ_CHECK(i > 0 && lay->body_start <= s->start && s->start < s->end && s->end <= lay->body_end);
            FUZZ_CHECK(i == 1 || (secs[i - 1].kind == GLA_SECTION_CAPTION && secs[i - 1].end <= s->start));
        } else if (s->kind == GLA_SECTION_TEASER) {
            FUZZ_CHECK(i == n - 1 && s->start == lay->body_end && s->end == len);
        }
    }
    return 0;
}
