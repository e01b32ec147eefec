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

static int read_jsonl(walker *w, FILE *f, const char *source) {
    size_t cap = 1 << 16, line_no = 0;
    char *line = malloc(cap);
    if (!line)
        return report(w, source, source, GLA_ERR_NOMEM, NULL);
    int rc = 0;
    for (;;) {
        size_t len = 0;
        bool too_long = false, eof = false;
        int c;
        while ((c = getc_unlocked(f)) != EOF && c != '\n') {
            if (too_long)
                continue;
            if (w->opts->max_line && len >= w->opts->max_line) {
                too_long = true;
                continue;
            }
            if (len + 1 >= cap) {
                char *bigger = realloc(line, cap * 2);
                if (!bigger) {
                    too_long = true;
                    continue;
                }
                line = bigger;
                cap *= 2;
            }
            line[len++] = (char)c;
        }
        eof = c == EOF;
        if (eof && ferror(f)) {
            rc = report(w, source, source, GLA_ERR_IO, strerror(errno));
            break;
        }
        if (eof && len == 0 && !too_long)
            break;
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
            json_error_t jerr;
            json_t *obj = json_loadb(line, len, 0, &jerr);
            if (!obj || !json_is_object(obj)) {
                char why[256];
                snprintf(why, sizeof why, "%s", obj ? "not a JSON object" : jerr.text);
                rc = report(w, id_buf, where, GLA_ERR_JSON, why);
            } else {
                char num[32], dnum[32];
                const char *id = field_string(obj, w->opts->id_field, num, sizeof num);
                json_t *text = json_object_get(obj, w->opts->text_field);
                const char *date = field_string(obj, w->opts->date_field, dnum, sizeof dnum);
                if (!json_is_string(text)) {
                    char why[160];
                    snprintf(why, sizeof why, "no string field \"%s\"", w->opts->text_field);
                    rc = report(w, id ? id : id_buf, where, GLA_ERR_JSON, why);
                } else if (w->opts->max_doc_size && json_string_length(text) > w->opts->max_doc_size) {
                    rc = report(w, id ? id : id_buf, where, GLA_ERR_TOO_LARGE, NULL);
                } else {
                    doc_input d = {.id = id ? id : id_buf, .source = where, .date = date,
                                   .text = json_string_value(text), .len = json_string_length(text)};
                    rc = w->sink(w->ctx, &d);
                }
            }
            json_decref(obj);
        }
        if (rc || eof)
            break;
    }
    free(line);
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
