/* Fuzz target: the whole document pipeline, gla_extract on arbitrary bytes with two sets of
 * options (the defaults; the input's first bytes as id, a reference date, every section, no
 * captions), then gla_render in every format and gla_render_triples with another base IRI.
 * Invariants:
 *   - gla_extract accepts exactly what is non-blank valid UTF-8 without NUL (blank: only
 *     Unicode spaces and zero-width characters, as the README defines an empty document);
 *   - offsets are code points of the original, start <= end <= its length, and every entity's
 *     text is original[start:end]; entities come sorted by start; the document's date is valid
 *     and date values are ISO 8601 (a date, or a range of two);
 *   - the repaired text is valid UTF-8 and maps back in order, inside the body;
 *   - JSONL is one line of valid JSON (jansson) that agrees with the result; CoNLL, CoNLL-U and
 *     brat lines have their columns; every N-Triples line is a triple. */
#include <jansson.h>
#include <utf8proc.h>

#include "fuzz.h"

static pcre2_code *triple_re, *date_re;
static pcre2_match_data *fuzz_md;
static vec cp_byte; /* size_t: byte offset of each code point of the input, and of its end */

static pcre2_code *compile(const char *pattern) {
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
    FUZZ_CHECK(re);
    return re;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    GLA_UNUSED(argc);
    GLA_UNUSED(argv);
    fuzz_load_model();
    /* N-Triples: IRIs without what IRIREF forbids; literals with their escapes */
    triple_re = compile(
        "^(<[^\\x00-\\x20<>\"{}|^`\\\\]+> ){2}"
        "(<[^\\x00-\\x20<>\"{}|^`\\\\]+>|\"([^\"\\\\\\n\\r]|\\\\[\"\\\\nr])*\"(@fr|\\^\\^<[^>]+>)?) \\.$");
    date_re = compile("^[0-9]{4}(-[0-9]{2}){0,2}(/[0-9]{4}(-[0-9]{2}){0,2})?$");
    fuzz_md = pcre2_match_data_create(16, NULL);
    FUZZ_CHECK(fuzz_md);
    vec_init(&cp_byte, sizeof(size_t));
    return 0;
}

static bool matches(const pcre2_code *re, const char *s, size_t len) {
    return pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, fuzz_md, NULL) >= 0;
}

/* Calls check(line, len) on each line of out (which must end with a newline, if not empty). */
static void each_line(const gla_buf *out, void (*check)(const char *, size_t)) {
    FUZZ_CHECK(out->len == 0 || out->data[out->len - 1] == '\n');
    for (size_t at = 0; at < out->len;) {
        const char *nl = memchr(out->data + at, '\n', out->len - at);
        check(out->data + at, (size_t)(nl - (out->data + at)));
        at = (size_t)(nl - out->data) + 1;
    }
}

static size_t count_char(const char *s, size_t len, char c) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == c;
    return n;
}

static bool tag_ok_type(const char *type, size_t len) {
    for (int t = 0; t < GLA_ENT__COUNT; t++) {
        const char *name = gla_entity_type_name((gla_entity_type)t);
        if (strlen(name) == len && !memcmp(name, type, len))
            return true;
    }
    return false;
}

/* O, B-TYPE or I-TYPE */
static bool tag_ok(const char *tag, size_t len) {
    if (len == 1 && tag[0] == 'O')
        return true;
    return len >= 3 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-' && tag_ok_type(tag + 2, len - 2);
}

static void conll_line(const char *s, size_t len) {
    if (len == 0 || (len == 20 && !memcmp(s, "-DOCSTART- -X- -X- O", 20)))
        return;
    FUZZ_CHECK(count_char(s, len, '\t') == 3);
    const char *tag = (const char *)memrchr(s, '\t', len) + 1;
    FUZZ_CHECK(tag_ok(tag, len - (size_t)(tag - s)));
}

static void conllu_line(const char *s, size_t len) {
    if (len == 0 || s[0] == '#')
        return;
    FUZZ_CHECK(count_char(s, len, '\t') == 9);
    const char *misc = (const char *)memrchr(s, '\t', len) + 1, *end = s + len;
    FUZZ_CHECK(end - misc > 4 && !memcmp(misc, "NER=", 4));
    const char *bar = memchr(misc, '|', (size_t)(end - misc));
    FUZZ_CHECK(bar && tag_ok(misc + 4, (size_t)(bar - misc - 4)));
}

/* ID <TAB> TYPE START END[;START END]... <TAB> text; N and # lines: ID <TAB> data <TAB> text. The
 * text may hold tabs (brat splits twice), not line breaks: a line that does not start with an ID
 * is the rest of a broken one. */
static void brat_line(const char *s, size_t len) {
    FUZZ_CHECK(len > 1 && (s[0] == 'T' || s[0] == 'N' || s[0] == '#'));
    FUZZ_CHECK(count_char(s, len, '\t') >= 2);
    if (s[0] != 'T')
        return;
    const char *type = (const char *)memchr(s, '\t', len) + 1, *end = s + len;
    const char *space = memchr(type, ' ', (size_t)(end - type));
    FUZZ_CHECK(space && tag_ok_type(type, (size_t)(space - type)));
    size_t a, b;
    int n;
    for (const char *p = space + 1;; p += n + 1) { /* every fragment is a non-empty span */
        FUZZ_CHECK(sscanf(p, "%zu %zu%n", &a, &b, &n) == 2 && a < b && (size_t)b <= cp_byte.count - 1);
        if (p[n] != ';') {
            FUZZ_CHECK(p[n] == '\t');
            break;
        }
    }
}

static void triple_line(const char *s, size_t len) {
    FUZZ_CHECK(matches(triple_re, s, len));
}

/* JSONL: one line of JSON that says what the result says. */
static void check_jsonl(const gla_result *res, const gla_buf *out, bool with_text) {
    FUZZ_CHECK(out->len > 0 && count_char(out->data, out->len, '\n') == 1 && out->data[out->len - 1] == '\n');
    json_error_t err;
    json_t *doc = json_loadb(out->data, out->len, 0, &err);
    if (!doc)
        fprintf(stderr, "invalid JSON: %s at %d\n", err.text, err.position);
    FUZZ_CHECK(doc && json_is_object(doc));
    FUZZ_CHECK(!strcmp(json_string_value(json_object_get(doc, "id")), gla_result_id(res)));
    json_t *ents = json_object_get(doc, "entities");
    FUZZ_CHECK(json_array_size(ents) == gla_result_entity_count(res));
    for (size_t i = 0; i < json_array_size(ents); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        json_t *j = json_array_get(ents, i);
        FUZZ_CHECK((size_t)json_integer_value(json_object_get(j, "start")) == e->start);
        FUZZ_CHECK((size_t)json_integer_value(json_object_get(j, "end")) == e->end);
        FUZZ_CHECK(!strcmp(json_string_value(json_object_get(j, "text")), e->text));
    }
    json_t *rels = json_object_get(doc, "relations");
    FUZZ_CHECK(json_is_array(rels));
    size_t ncp = cp_byte.count - 1;
    for (size_t i = 0; i < json_array_size(rels); i++) {
        json_t *ev = json_object_get(json_array_get(rels, i), "evidence");
        json_int_t s = json_integer_value(json_object_get(ev, "start"));
        json_int_t e = json_integer_value(json_object_get(ev, "end"));
        FUZZ_CHECK(0 <= s && s <= e && (size_t)e <= ncp);
    }
    if (with_text) {
        size_t len;
        const char *text = gla_result_repaired(res, &len);
        json_t *t = json_object_get(doc, "text");
        FUZZ_CHECK(json_string_length(t) == len && !memcmp(json_string_value(t), text, len));
    }
    json_decref(doc);
}

static void check_result(const gla_result *res, const uint8_t *data) {
    const size_t *at = cp_byte.items;
    size_t ncp = cp_byte.count - 1;
    size_t body_start, body_end;
    gla_result_body(res, &body_start, &body_end);
    FUZZ_CHECK(body_start <= body_end && body_end <= ncp);
    for (size_t i = 0; i < gla_result_section_count(res); i++) {
        const gla_section *s = gla_result_section(res, i);
        FUZZ_CHECK((unsigned)s->kind <= GLA_SECTION_TEASER && s->start <= s->end && s->end <= ncp);
    }
    const char *date = gla_result_date(res);
    civil_date d;
    FUZZ_CHECK(!date || parse_iso_date(date, &d));
    size_t prev_start = 0;
    for (size_t i = 0; i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        FUZZ_CHECK((unsigned)e->type < GLA_ENT__COUNT);
        FUZZ_CHECK(e->start <= e->end && e->end <= ncp && e->start >= prev_start);
        prev_start = e->start;
        size_t sb = at[e->start], eb = at[e->end];
        FUZZ_CHECK(e->text && strlen(e->text) == eb - sb && !memcmp(e->text, data + sb, eb - sb));
        FUZZ_CHECK(e->canonical);
        FUZZ_CHECK(!e->key || *e->key);
        FUZZ_CHECK(!e->value || matches(date_re, e->value, strlen(e->value)));
        FUZZ_CHECK(!e->inferred || e->value);
    }
    size_t len;
    const char *text = gla_result_repaired(res, &len);
    FUZZ_CHECK(utf8_validate((const uint8_t *)text, len) == len);
    size_t prev = gla_result_original_offset(res, 0);
    FUZZ_CHECK(prev >= body_start);
    for (size_t b = 1; b <= len; b++) {
        size_t o = gla_result_original_offset(res, b);
        FUZZ_CHECK(prev <= o && o <= ncp);
        prev = o;
    }
}

/* The line formats and the check of each of their lines. */
static const struct {
    gla_format format;
    void (*line)(const char *, size_t);
} line_formats[] = {{GLA_FORMAT_CONLL, conll_line},
                    {GLA_FORMAT_CONLLU, conllu_line},
                    {GLA_FORMAT_BRAT, brat_line},
                    {GLA_FORMAT_TRIPLES, triple_line}};

static void render_all(const gla_result *res) {
    gla_buf out = {0};
    for (int with_text = 0; with_text < 2; with_text++) {
        out.len = 0;
        FUZZ_CHECK(gla_render(res, GLA_FORMAT_JSONL, with_text ? GLA_RENDER_TEXT : 0, &out) == GLA_OK);
        check_jsonl(res, &out, with_text);
    }
    for (size_t k = 0; k < sizeof line_formats / sizeof *line_formats; k++) {
        out.len = 0;
        FUZZ_CHECK(gla_render(res, line_formats[k].format, 0, &out) == GLA_OK);
        each_line(&out, line_formats[k].line);
    }
    out.len = 0;
    FUZZ_CHECK(gla_render_triples(res, "https://kb.example/g", &out) == GLA_OK);
    each_line(&out, triple_line);
    gla_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const gla_doc_opts plain = {.id = "fuzz", .today = "2026-11-23"};
    gla_doc_opts other = {.source = "fuzz:1",
                          .date = "2024-02-29",
                          .today = "2026-11-23",
                          .all_sections = true,
                          .no_captions = true};
    const char *text = (const char *)data;
    const gla_result *res;
    int rc = gla_extract(fuzz_worker, text, size, &plain, &res);
    bool blank = true; /* told by utf8proc's categories, not by the library's own tables */
    for (size_t i = 0; i < size && blank;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(data + i, (utf8proc_ssize_t)(size - i), &cp);
        blank = n > 0 && cp != 0 &&
                ((cp >= '\t' && cp <= '\r') || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == 0x85 ||
                 cp == 0x2028 || cp == 0x2029 || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF);
        i += n > 0 ? (size_t)n : 1;
    }
    FUZZ_CHECK((rc == GLA_OK) == (fuzz_acceptable(data, size) && !blank));
    if (rc != GLA_OK) {
        FUZZ_CHECK(!res);
        return 0;
    }
    /* byte offset of each code point */
    cp_byte.count = 0;
    FUZZ_CHECK(vec_reserve(&cp_byte, size + 1));
    for (size_t i = 0; i < size; i++)
        if ((data[i] & 0xC0) != 0x80)
            VEC_AT(&cp_byte, size_t, cp_byte.count++) = i;
    VEC_AT(&cp_byte, size_t, cp_byte.count++) = size;

    check_result(res, data);
    render_all(res);
    /* an id from a JSON dump can be any text: here the input's first bytes */
    char id[49];
    size_t id_len = size < sizeof id - 1 ? size : sizeof id - 1;
    while (!fuzz_on_boundary(text, size, id_len))
        id_len--;
    memcpy(id, text, id_len);
    id[id_len] = '\0';
    other.id = id;
    FUZZ_CHECK(gla_extract(fuzz_worker, text, size, &other, &res) == GLA_OK);
    check_result(res, data);
    render_all(res);
    return 0;
}
