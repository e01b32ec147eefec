/* glaneur — structured facts from French news dispatches.
 *
 * The simple interface first:
 *
 *     gla_model *model;
 *     char why[256];
 *     if (gla_model_load(NULL, &model, why, sizeof why) != GLA_OK) { puts(why); exit(1); }
 *     gla_worker *worker = gla_worker_new(model);          // one per thread
 *     const gla_result *res;
 *     if (gla_extract(worker, text, len, NULL, &res) == GLA_OK) {
 *         gla_buf out = {0};
 *         gla_render(res, GLA_FORMAT_JSONL, 0, &out);       // one JSON line
 *         fwrite(out.data, 1, out.len, stdout);
 *         gla_buf_free(&out);
 *     }
 *     gla_worker_free(worker);
 *     gla_model_free(model);
 *
 * Ownership: a gla_model is immutable once loaded and may be shared by any number of threads.
 * A gla_worker is one thread's scratch; the gla_result it returns is BORROWED from it and stays
 * valid until the next gla_extract on that worker or gla_worker_free; it reads the text and the
 * options given to gla_extract, which the caller keeps unchanged that long. Nothing the library returns
 * needs freeing except through the matching *_free function.
 *
 * Offsets: every offset in a result is a Unicode code point index into the ORIGINAL document
 * text, so that original[start:end] is the entity's text even where the repaired text differs. */
#ifndef GLANEUR_H
#define GLANEUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Symbols are hidden unless marked: the library exports exactly what this header declares. */
#if defined(_WIN32)
#define GLA_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define GLA_EXPORT __attribute__((visibility("default")))
#else
#define GLA_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define GLA_VERSION_STRING "0.1.0"

/* ---- Errors: negative codes; gla_strerror gives a static English sentence. ---- */
typedef enum {
    GLA_OK = 0,
    GLA_ERR_NOMEM = -1,     /* an allocation failed */
    GLA_ERR_IO = -2,        /* a file could not be read or written (errno has the cause) */
    GLA_ERR_UTF8 = -3,      /* the document is not valid UTF-8 */
    GLA_ERR_NUL = -4,       /* the document contains a NUL byte (binary data) */
    GLA_ERR_EMPTY = -5,     /* the document holds no text */
    GLA_ERR_TOO_LARGE = -6, /* the document exceeds the configured size limit */
    GLA_ERR_DATA = -7,      /* a model data file is malformed (the message names file and line) */
    GLA_ERR_REGEX = -8,     /* a rule's regular expression does not compile */
    GLA_ERR_JSON = -9,      /* a JSON Lines record is malformed */
    GLA_ERR_ARG = -10,      /* an argument is invalid (NULL where not allowed, bad date...) */
    GLA_ERR_LIMIT = -11     /* a per-document limit other than size was exceeded */
} gla_status;

GLA_EXPORT const char *gla_strerror(int status);

/* ---- The model: gazetteers, lexicon and compiled rules, shared read-only. ---- */
typedef struct gla_model gla_model;

typedef struct {
    const char *data_dir;     /* gazetteers/ directory; NULL: $GLANEUR_DATA, else the built-in path */
    const char *lexicon_path; /* compiled lexicon; NULL: $GLANEUR_LEXICON, else the built-in path */
} gla_model_opts;

/* Loads the model. On failure returns a gla_status, writes a one-line reason into why (if not
 * NULL) and leaves *out NULL. The caller owns *out and releases it with gla_model_free. */
GLA_EXPORT int gla_model_load(const gla_model_opts *opts, gla_model **out, char *why, size_t why_len);
GLA_EXPORT void gla_model_free(gla_model *model);

/* ---- Workers: one per thread; owns all per-document scratch. ---- */
typedef struct gla_worker gla_worker;

/* Returns NULL when out of memory. The model must outlive the worker. */
GLA_EXPORT gla_worker *gla_worker_new(const gla_model *model);
GLA_EXPORT void gla_worker_free(gla_worker *worker);

/* ---- Extraction ---- */
/* Entities one document may hold before gla_extract gives up on it (GLA_ERR_LIMIT). */
#define GLA_DEFAULT_MAX_ENTITIES 100000

typedef struct {
    const char *id;     /* document id for output; NULL: "doc" */
    const char *source; /* where it came from (path, dump:line); may be NULL */
    const char *date;   /* reference date YYYY, YYYY-MM or YYYY-MM-DD used when the text has no
                           leading " date ..." line; NULL: none */
    const char *today;  /* YYYY-MM-DD bounding weekday inference; NULL: the system's date */
    bool all_sections;  /* annotate the teaser section too */
    bool no_captions;   /* leave photo captions unannotated */
    size_t max_entities; /* 0: GLA_DEFAULT_MAX_ENTITIES */
} gla_doc_opts;

typedef enum {
    GLA_ENT_PERSON, GLA_ENT_ORG, GLA_ENT_LOC, GLA_ENT_RANK, GLA_ENT_TITLE,
    GLA_ENT_EVENT, GLA_ENT_AGREEMENT, GLA_ENT_DATE, GLA_ENT__COUNT
} gla_entity_type;

GLA_EXPORT const char *gla_entity_type_name(gla_entity_type type);

typedef struct {
    gla_entity_type type;
    size_t start, end;     /* code points in the original text */
    const char *text;      /* original[start:end], UTF-8 */
    const char *canonical; /* fullest form in the document, with diacritics */
    const char *key;       /* cross-document key such as "loc:japon"; may be NULL */
    const char *value;     /* ISO 8601 value of a date; NULL when unknown */
    bool inferred;         /* the value's year was inferred from the weekday */
} gla_entity;

typedef enum { GLA_SECTION_BODY, GLA_SECTION_CAPTION, GLA_SECTION_TEASER } gla_section_kind;

typedef struct {
    gla_section_kind kind;
    size_t start, end; /* code points in the original text */
} gla_section;

typedef struct gla_result gla_result;

/* Extracts from one document. text need not be NUL-terminated. On success *out points to a
 * result borrowed from the worker, which also reads text: keep text unchanged until you are done
 * with the result (a copy would be one more byte a byte of every document). Errors: GLA_ERR_UTF8, GLA_ERR_NUL, GLA_ERR_EMPTY,
 * GLA_ERR_ARG (bad opts->date), GLA_ERR_LIMIT (more than max_entities entities),
 * GLA_ERR_NOMEM; *out is then NULL. */
GLA_EXPORT int gla_extract(gla_worker *worker, const char *text, size_t len,
                           const gla_doc_opts *opts, const gla_result **out);

GLA_EXPORT const char *gla_result_id(const gla_result *res);
GLA_EXPORT const char *gla_result_date(const gla_result *res); /* reference date or NULL */
GLA_EXPORT size_t gla_result_entity_count(const gla_result *res);
GLA_EXPORT const gla_entity *gla_result_entity(const gla_result *res, size_t i);
GLA_EXPORT size_t gla_result_section_count(const gla_result *res);
GLA_EXPORT const gla_section *gla_result_section(const gla_result *res, size_t i);
/* The annotated span of the original text, in code points. */
GLA_EXPORT void gla_result_body(const gla_result *res, size_t *start, size_t *end);
/* The repaired text of the annotated span (NFC, unified spaces and punctuation, run-together
 * words split). */
GLA_EXPORT const char *gla_result_repaired(const gla_result *res, size_t *len);
/* Maps a byte offset of the repaired text to a code point offset of the original. */
GLA_EXPORT size_t gla_result_original_offset(const gla_result *res, size_t repaired_byte);

/* ---- Stage timings: where a worker's time went, summed over its documents ---- */
typedef enum {
    GLA_STAGE_NORMALIZE, GLA_STAGE_UNGLUE, GLA_STAGE_LAYOUT, GLA_STAGE_TOKENS, GLA_STAGE_DATES,
    GLA_STAGE_ENTITIES, GLA_STAGE_RELATIONS, GLA_STAGE_RESULT, GLA_STAGE__COUNT
} gla_stage;

GLA_EXPORT const char *gla_stage_name(gla_stage stage);
/* Seconds spent in each stage by this worker since it was created. */
GLA_EXPORT double gla_worker_stage_seconds(const gla_worker *worker, gla_stage stage);

/* ---- Output ---- */
typedef struct {
    char *data;
    size_t len, cap;
} gla_buf; /* a growable byte buffer; zero-initialise, release with gla_buf_free */

GLA_EXPORT void gla_buf_free(gla_buf *buf);

typedef enum {
    GLA_FORMAT_JSONL,  /* one JSON object per document, newline-terminated */
    GLA_FORMAT_CONLL,  /* CoNLL-2003 style: token, start, end, IOB2 tag */
    GLA_FORMAT_CONLLU, /* CoNLL-U with NER tags and original offsets in MISC */
    GLA_FORMAT_BRAT,   /* the .ann standoff file of the document */
    GLA_FORMAT_TRIPLES /* N-Triples: entities by key, relations as event nodes (base IRI below) */
} gla_format;

#define GLA_DEFAULT_BASE_IRI "urn:glaneur"

enum { GLA_RENDER_TEXT = 1 }; /* JSONL: include the repaired body as "text" */

/* Appends the rendering of res to out. Returns GLA_OK or GLA_ERR_NOMEM (out keeps what it held).
 * Triples use GLA_DEFAULT_BASE_IRI; gla_render_triples takes another. */
GLA_EXPORT int gla_render(const gla_result *res, gla_format format, unsigned flags, gla_buf *out);
GLA_EXPORT int gla_render_triples(const gla_result *res, const char *base_iri, gla_buf *out);

#ifdef __cplusplus
}
#endif
#endif
