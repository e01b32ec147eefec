/* Input walking. Directories are read recursively with names sorted by bytes (not by locale,
 * so that output order never depends on LC_ALL), hidden entries skipped, and a directory that
 * is its own ancestor (a symlink loop) reported instead of followed. A JSON Lines dump is read
 * line by line with a bounded line buffer: a line over the limit is reported and skipped, so a
 * dump of any size runs in bounded memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "internal.h"
#include "read.h"

typedef struct {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct {
    const read_opts *opts;
    doc_sink sink;
    void *ctx;
    dir_id ancestors[64];
    int depth;
} walker;

static int report(walker *w, const char *id, const char *source, int error, const char *why) {
    doc_input d = {.id = id, .source = source, .error = error, .why = why};
    return w->sink(w->ctx, &d);
}

/* "dir/000_x.txt" -> "000_x" */
static void base_id(const char *path, char *out, size_t size) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, size, "%s", b);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

static int read_jsonl(walker *w, FILE *f, const char *source);

static int read_plain(walker *w, const char *path) {
    char id[512];
    base_id(path, id, sizeof id);
    if (w->opts->jsonl) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return report(w, id, path, GLA_ERR_IO, strerror(errno));
        int rc = read_jsonl(w, f, path);
        fclose(f);
        return rc;
    }
    char *data;
    size_t len;
    int rc = read_file(path, w->opts->max_doc_size, &data, &len);
    if (rc != GLA_OK)
        return report(w, id, path, rc, rc == GLA_ERR_IO ? strerror(errno) : NULL);
    doc_input d = {.id = id, .source = path, .text = data, .len = len};
    rc = w->sink(w->ctx, &d);
    free(data);
    return rc;
}

static int walk(walker *w, const char *path);

static int walk_dir(walker *w, const char *path, const struct stat *st) {
    for (int i = 0; i < w->depth; i++)
        if (w->ancestors[i].dev == st->st_dev && w->ancestors[i].ino == st->st_ino)
            return report(w, path, path, GLA_ERR_IO, "directory loop (a symbolic link to an ancestor)");
    if (w->depth >= (int)(sizeof w->ancestors / sizeof *w->ancestors))
        return report(w, path, path, GLA_ERR_IO, "directories nested too deep");
    char **names;
    size_t n;
    char why[512];
    if (list_dir(path, "", &names, &n, why, sizeof why) != GLA_OK)
        return report(w, path, path, GLA_ERR_IO, strchr(why, ':') ? strchr(why, ':') + 2 : why);
    int rc = 0;
    w->ancestors[w->depth++] = (dir_id){st->st_dev, st->st_ino};
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = malloc(len);
        if (!child) {
            rc = report(w, path, path, GLA_ERR_NOMEM, NULL);
            break;
        }
        snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
        rc = walk(w, child);
        free(child);
    }
    w->depth--;
    free_names(names, n);
    return rc;
}

static int walk(walker *w, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        char id[512];
        base_id(path, id, sizeof id);
        return report(w, id, path, GLA_ERR_IO, strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    /* a pipe named on the command line (a FIFO, or bash's <(zcat dump.gz)) is read as a stream;
     * inside a directory only regular files are, as a FIFO there could block the walk for ever */
    bool named_pipe = S_ISFIFO(st.st_mode) && w->depth == 0;
    if (!S_ISREG(st.st_mode) && !named_pipe) {
        char id[512];
        base_id(path, id, sizeof id);
        return report(w, id, path, GLA_ERR_IO, "not a regular file");
    }
    return read_plain(w, path);
}

static const char *field_string(json_t *obj, const char *name, char *num, size_t num_size) {
    json_t *v = json_object_get(obj, name);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, num_size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return num;
    }
    return NULL;
}

void read_json_doc(const read_opts *opts, const char *line, size_t len, const char *line_id, const char *where,
                   json_doc *jd, doc_input *d) {
    *d = (doc_input){.id = line_id, .source = where};
    jd->why[0] = '\0';
    json_error_t jerr;
    json_t *obj = jd->obj = json_loadb(line, len, 0, &jerr);
    if (!obj || !json_is_object(obj)) {
        snprintf(jd->why, sizeof jd->why, "%s", obj ? "not a JSON object" : jerr.text);
        d->error = GLA_ERR_JSON;
        d->why = jd->why;
        return;
    }
    const char *id = field_string(obj, opts->id_field, jd->num, sizeof jd->num);
    json_t *text = json_object_get(obj, opts->text_field);
    if (id)
        d->id = id;
    if (!json_is_string(text)) {
        snprintf(jd->why, sizeof jd->why, "no string field \"%s\"", opts->text_field);
        d->error = GLA_ERR_JSON;
        d->why = jd->why;
    } else if (opts->max_doc_size && json_string_length(text) > opts->max_doc_size) {
        d->error = GLA_ERR_TOO_LARGE;
    } else {
        d->date = field_string(obj, opts->date_field, jd->dnum, sizeof jd->dnum);
        d->text = json_string_value(text);
        d->len = json_string_length(text);
    }
}

void json_doc_free(json_doc *jd) {
    json_decref(jd->obj);
    jd->obj = NULL;
}

/* Lines from a stream, read in blocks. read(2) on its descriptor returns what a pipe holds
 * without waiting for a whole block, so a streaming filter answers each line as it arrives (a
 * stream without a descriptor, such as fmemopen's, is read with fread); memchr finds the line
 * ends. The buffer holds at most one line under the limit and one block. Nothing else may read
 * the stream meanwhile: its stdio buffer is bypassed. */
#define READ_BLOCK (1 << 16)

typedef struct {
    FILE *f;
    int fd; /* -1: fread on f */
    char *buf;
    size_t cap, start, end; /* the unread bytes are buf[start, end) */
    bool eof;
} line_reader;

/* The next line, without its '\n', in *line (the reader's, until the next call) and *len. A line
 * longer than max_line (0: no limit) is skipped and flagged too long; memory refused makes the
 * line too long as well (what it holds is dropped). 1: a line; 0: the end; -1: a read error. */
static int next_line_of(line_reader *r, size_t max_line, char **line, size_t *len, bool *too_long) {
    *too_long = false;
    size_t scanned = r->start; /* buf[start, scanned) holds no '\n' */
    for (;;) {
        char *nl = r->end > scanned ? memchr(r->buf + scanned, '\n', r->end - scanned) : NULL;
        if (nl || (r->eof && (r->start < r->end || *too_long))) {
            size_t n = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
            *too_long = *too_long || (max_line && n > max_line);
            *line = r->buf + r->start;
            *len = *too_long ? 0 : n;
            r->start = nl ? (size_t)(nl - r->buf) + 1 : r->end;
            return 1;
        }
        if (r->eof)
            return 0;
        size_t pending = r->end - r->start;
        if (*too_long || (max_line && pending > max_line)) { /* drop it: only its end is awaited */
            *too_long = true;
            pending = 0;
        }
        if (pending)
            memmove(r->buf, r->buf + r->start, pending);
        r->start = 0;
        r->end = scanned = pending;
        if (r->cap - r->end < READ_BLOCK) {
            size_t cap = r->cap ? r->cap * 2 : READ_BLOCK * 2;
            char *bigger = realloc(r->buf, cap);
            if (bigger) {
                r->buf = bigger;
                r->cap = cap;
            } else if (r->cap - r->end == 0) { /* no room at all: drop what is held */
                *too_long = true;
                r->end = scanned = 0;
            }
        }
        ssize_t got;
        if (r->fd >= 0) {
            got = read(r->fd, r->buf + r->end, r->cap - r->end);
            if (got < 0 && errno == EINTR)
                continue;
        } else {
            got = (ssize_t)fread(r->buf + r->end, 1, r->cap - r->end, r->f);
            if (got == 0 && ferror(r->f))
                got = -1;
        }
        if (got < 0)
            return -1;
        if (got == 0)
            r->eof = true;
        r->end += (size_t)got;
    }
}

static int read_jsonl(walker *w, FILE *f, const char *source) {
    size_t line_no = 0;
    line_reader reader = {.f = f, .fd = fileno(f)};
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        bool too_long;
        int got = next_line_of(&reader, w->opts->max_line, &line, &len, &too_long);
        if (got < 0) {
            rc = report(w, source, source, GLA_ERR_IO, strerror(errno));
            break;
        }
        if (got == 0)
            break;
        bool eof = reader.eof && reader.start == reader.end;
        line_no++;
        char id_buf[64], where[600];
        snprintf(id_buf, sizeof id_buf, "%zu", line_no);
        snprintf(where, sizeof where, "%s:%zu", source, line_no);
        if (too_long) {
            char why[96];
            snprintf(why, sizeof why, "line longer than the limit of %zu bytes (--max-line)", w->opts->max_line);
            rc = report(w, id_buf, where, GLA_ERR_TOO_LARGE, why);
        } else {
            size_t s = 0;
            while (s < len && (line[s] == ' ' || line[s] == '\t' || line[s] == '\r'))
                s++;
            if (s == len) { /* a blank line holds no document */
                if (eof)
                    break;
                continue;
            }
            if (w->opts->defer_json) {
                doc_input d = {.id = id_buf, .source = where, .json = line, .json_len = len};
                rc = w->sink(w->ctx, &d);
            } else {
                json_doc jd;
                doc_input d;
                read_json_doc(w->opts, line, len, id_buf, where, &jd, &d);
                rc = w->sink(w->ctx, &d);
                json_doc_free(&jd);
            }
        }
        if (rc || eof)
            break;
    }
    free(reader.buf);
    return rc;
}

int read_jsonl_stream(const read_opts *opts, FILE *f, const char *source, doc_sink sink, void *ctx) {
    walker w = {.opts = opts, .sink = sink, .ctx = ctx};
    return read_jsonl(&w, f, source);
}

int read_inputs(const read_opts *opts, char *const *paths, int count, doc_sink sink, void *ctx) {
    walker w = {.opts = opts, .sink = sink, .ctx = ctx};
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++) {
        if (strcmp(paths[i], "-") == 0) {
            if (opts->jsonl) {
                rc = read_jsonl(&w, stdin, "stdin");
            } else {
                gla_buf all = {0};
                char chunk[65536];
                size_t n;
                bool too_large = false;
                while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
                    if (opts->max_doc_size && all.len + n > opts->max_doc_size) {
                        too_large = true;
                        continue;
                    }
                    if (!buf_append(&all, chunk, n)) {
                        too_large = true;
                        break;
                    }
                }
                if (too_large)
                    rc = report(&w, "stdin", "stdin", GLA_ERR_TOO_LARGE, NULL);
                else {
                    doc_input d = {.id = "stdin", .source = "stdin", .text = all.data ? all.data : "", .len = all.len};
                    rc = sink(ctx, &d);
                }
                gla_buf_free(&all);
            }
        } else {
            rc = walk(&w, paths[i]);
        }
    }
    return rc;
}
