/* Fuzz target: the JSON Lines reader (read.c), on arbitrary bytes given as a dump, through
 * read_jsonl_stream and an fmemopen stream: the line reader with its --max-line limit, the JSON
 * parsing, the fields and the --max-doc-size limit. Each input is read three times: without
 * limits; with small limits; with other field names and a sink that stops the walk at the second
 * document. Invariants:
 *   - the sink sees exactly the lines over the limit and the non-blank lines, in order, each
 *     with its line number, until it stops the walk, whose status is returned;
 *   - a document read has a NUL-terminated valid UTF-8 text, without NUL, within the limit;
 *   - a document that could not be read has a reason and no text;
 *   - what is read of a line is what jansson reads of it, whole: the id, the text and the date,
 *     or the same error and message (the reader decodes the text field itself, for speed, and
 *     must never differ from jansson on any line).
 */
#include <jansson.h>

#include "fuzz.h"
#include "read.h"

enum { STOP = 42 };

typedef struct {
    const read_opts *opts;
    const uint8_t *data;
    size_t size;
    size_t line_no, line_start; /* the line the reader must report next, and its first byte */
    size_t calls, stop_at;      /* stop_at: the call that stops the walk (0: none) */
} expect;

/* The length of the line at e->line_start, or SIZE_MAX past the last line. */
static size_t line_length(const expect *e) {
    if (e->line_start >= e->size)
        return SIZE_MAX;
    const uint8_t *nl = memchr(e->data + e->line_start, '\n', e->size - e->line_start);
    return nl ? (size_t)(nl - (e->data + e->line_start)) : e->size - e->line_start;
}

static bool too_long(const expect *e, size_t len) {
    return e->opts->max_line && len > e->opts->max_line;
}

static bool blank(const uint8_t *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* The bytes of a UTF-8 byte order mark that the reader skips at the start of the stream's first
 * line (of a line of len bytes at e->line_start): 3 or 0. */
static size_t bom(const expect *e, size_t len) {
    return e->line_start == 0 && len >= 3 && !memcmp(e->data, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* Moves to the next line that the reader must report: one over the limit, or a non-blank one. */
static void skip_silent_lines(expect *e) {
    for (size_t len; (len = line_length(e)) != SIZE_MAX; e->line_start += len + 1, e->line_no++)
        if (too_long(e, len) || !blank(e->data + e->line_start + bom(e, len), len - bom(e, len)))
            return;
}

/* A field as the reader takes it: a string, or an integer written in decimal; NULL otherwise. */
static bool same_field(json_t *obj, const char *name, const char *read) {
    json_t *v = json_object_get(obj, name);
    if (json_is_string(v))
        return read && !strcmp(read, json_string_value(v));
    if (json_is_integer(v)) {
        char num[32];
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return read && !strcmp(read, num);
    }
    return true; /* the id falls back to the line's, the date to none: checked by the caller */
}

/* The line parsed by jansson alone, against what the reader made of it. */
static void check_as_jansson(const expect *e, const uint8_t *line, size_t len, const doc_input *d) {
    json_error_t jerr;
    json_t *obj = json_loadb((const char *)line, len, 0, &jerr);
    if (!obj || !json_is_object(obj)) {
        FUZZ_CHECK(d->error == GLA_ERR_JSON && !strcmp(d->why, obj ? "not a JSON object" : jerr.text));
        json_decref(obj);
        return;
    }
    json_t *text = json_object_get(obj, e->opts->text_field);
    FUZZ_CHECK(same_field(obj, e->opts->id_field, d->id));
    if (!json_is_string(text)) {
        FUZZ_CHECK(d->error == GLA_ERR_JSON);
    } else if (e->opts->max_doc_size && json_string_length(text) > e->opts->max_doc_size) {
        FUZZ_CHECK(d->error == GLA_ERR_TOO_LARGE);
    } else {
        FUZZ_CHECK(!d->error && d->len == json_string_length(text) && !memcmp(d->text, json_string_value(text), d->len));
        FUZZ_CHECK(same_field(obj, e->opts->date_field, d->date));
        json_t *date = json_object_get(obj, e->opts->date_field);
        FUZZ_CHECK(d->date || !(json_is_string(date) || json_is_integer(date)));
    }
    json_decref(obj);
}

static int sink(void *ctx, const doc_input *d) {
    expect *e = ctx;
    skip_silent_lines(e);
    size_t len = line_length(e);
    FUZZ_CHECK(len != SIZE_MAX); /* a document for a line that is not there */
    char where[64];
    snprintf(where, sizeof where, "fuzz:%zu", e->line_no);
    FUZZ_CHECK(d->id && d->source && !strcmp(d->source, where));
    if (too_long(e, len)) {
        FUZZ_CHECK(d->error == GLA_ERR_TOO_LARGE && d->why);
    } else {
        check_as_jansson(e, e->data + e->line_start + bom(e, len), len - bom(e, len), d);
        if (d->error) {
            FUZZ_CHECK(d->error == GLA_ERR_JSON || d->error == GLA_ERR_TOO_LARGE);
            FUZZ_CHECK(d->error == GLA_ERR_TOO_LARGE || d->why);
        }
    }
    if (d->error) {
        FUZZ_CHECK(!d->text);
    } else {
        FUZZ_CHECK(d->text && d->text[d->len] == '\0' && !memchr(d->text, '\0', d->len));
        FUZZ_CHECK(utf8_validate((const uint8_t *)d->text, d->len) == d->len);
        FUZZ_CHECK(!e->opts->max_doc_size || d->len <= e->opts->max_doc_size);
    }
    FUZZ_CHECK(utf8_validate((const uint8_t *)d->id, strlen(d->id)) == strlen(d->id));
    if (d->date) {
        FUZZ_CHECK(!d->error);
        FUZZ_CHECK(utf8_validate((const uint8_t *)d->date, strlen(d->date)) == strlen(d->date));
    }
    e->line_start += len + 1;
    e->line_no++;
    return ++e->calls == e->stop_at ? STOP : 0;
}

static void read_as(const uint8_t *data, size_t size, const read_opts *opts, size_t stop_at) {
    FILE *f = fmemopen((void *)data, size, "r");
    FUZZ_CHECK(f);
    expect e = {.opts = opts, .data = data, .size = size, .line_no = 1, .stop_at = stop_at};
    int rc = read_jsonl_stream(opts, f, "fuzz", sink, &e);
    fclose(f);
    if (stop_at && e.calls == stop_at) {
        FUZZ_CHECK(rc == STOP);
    } else { /* every line was seen */
        FUZZ_CHECK(rc == 0);
        skip_silent_lines(&e);
        FUZZ_CHECK(line_length(&e) == SIZE_MAX);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const read_opts plain = {
        .jsonl = true, .id_field = "id", .text_field = "text", .date_field = "date"};
    static const read_opts small = {.jsonl = true,
                                    .id_field = "id",
                                    .text_field = "text",
                                    .date_field = "date",
                                    .max_doc_size = 16,
                                    .max_line = 64};
    static const read_opts other = {
        .jsonl = true, .id_field = "doc", .text_field = "body", .date_field = "when"};
    read_as(data, size, &plain, 0);
    read_as(data, size, &small, 0);
    read_as(data, size, &other, 2);
    return 0;
}
