/* Input: files, directories (recursively, in byte order of names), standard input, and JSON
 * Lines dumps, turned into documents handed one at a time to a sink. */
#ifndef GLA_READ_H
#define GLA_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    bool jsonl;             /* one article per line, as JSON objects */
    const char *id_field;   /* "id" */
    const char *text_field; /* "text" */
    const char *date_field; /* "date" */
    size_t max_doc_size;    /* bytes; 0 = no limit */
    size_t max_line;        /* bytes of one JSON line; 0 = no limit */
    bool defer_json;        /* hand each non-blank JSON line to the sink unparsed (doc_input.json),
                               for a sink that parses it on another thread (read_json_doc) */
} read_opts;

typedef struct {
    const char *id;     /* never NULL */
    const char *source; /* path, or path:line for a dump line */
    const char *date;   /* from the dump's date field, or NULL */
    const char *text;   /* NULL when error is set */
    size_t len;
    int error;          /* 0, or a gla_status why the document could not be read */
    const char *why;    /* detail of the error (an OS or JSON message), or NULL */
    const char *json;   /* with defer_json: the line, not yet parsed (text is NULL, id is the
                           line number); the sink's until it returns */
    size_t json_len;
} doc_input;

/* What the doc_input of a parsed JSON line points into, until json_doc_release. Zero-initialise
 * it; one json_doc may serve line after line, keeping its buffer. */
typedef struct {
    struct json_t *obj;
    char num[32], dnum[32], why[256];
    char *scratch; /* the decoded text, then the line without it (read_json_doc) */
    size_t scratch_cap;
} json_doc;

/* Parses one JSON line of a dump as the reader does: fills d with its id (line_id when it has
 * none), source (where), date and text, or with the error and why it could not be read
 * (malformed JSON, no text field, a text over opts->max_doc_size). d points into jd, which the
 * caller releases with json_doc_release before parsing the next line into it, and frees with
 * json_doc_free. Any thread may call it. */
void read_json_doc(const read_opts *opts, const char *line, size_t len, const char *line_id, const char *where,
                   json_doc *jd, doc_input *d);
/* Drops what the last doc_input pointed into; the buffer stays for the next line. */
void json_doc_release(json_doc *jd);
/* json_doc_release, and frees the buffer too. */
void json_doc_free(json_doc *jd);

/* Called for each document in input order; a non-zero return stops the walk and is returned. */
typedef int (*doc_sink)(void *ctx, const doc_input *doc);

/* Walks paths ("-" is standard input). Documents that cannot be read reach the sink with error
 * set; the walk goes on. Returns 0, or what the sink returned to stop it. */
int read_inputs(const read_opts *opts, char *const *paths, int count, doc_sink sink, void *ctx);

/* Reads one JSON Lines stream as read_inputs reads a dump (opts->jsonl aside): each line is a
 * document whose source is "source:LINE", blank lines are skipped, and a line over
 * opts->max_line, malformed JSON and a text over opts->max_doc_size reach the sink with error
 * set. Returns 0, or what the sink returned to stop it. This is the reader read_inputs runs on
 * dump files and standard input; tests/fuzz/fuzz_jsonl.c feeds it an fmemopen stream. */
int read_jsonl_stream(const read_opts *opts, FILE *f, const char *source, doc_sink sink, void *ctx);

#endif
