/* The batch driver: reads documents, extracts each with a worker, renders into a buffer and
 * writes the whole record at once, so that output never holds half a record. A document that
 * fails is reported on the error stream with its id, source and reason; the batch goes on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "internal.h"

typedef struct {
    const batch_opts *opts;
    gla_worker *worker;
    batch_stats *stats;
    gla_buf out;
} batch_ctx;

static void fail(batch_ctx *b, const doc_input *d, int status, const char *why) {
    b->stats->failed++;
    fprintf(b->opts->err, "glaneur: %s (%s): %s%s%s\n", d->id, d->source ? d->source : "-",
            gla_strerror(status), why ? ": " : "", why ? why : "");
}

/* Writes data to dir/name atomically: a temporary file renamed into place. */
static int write_file_atomic(const char *dir, const char *name, const char *data, size_t len) {
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int saved = errno;
        remove(tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

static void safe_name(const char *id, const char *ext, char *out, size_t size) {
    size_t o = 0;
    for (const char *p = id; *p && o + 1 < size; p++)
        out[o++] = (*p == '/' || (*p == '.' && p == id)) ? '_' : *p;
    out[o] = '\0';
    snprintf(out + o, size - o, "%s", ext);
}

static int on_document(void *ctx, const doc_input *d) {
    batch_ctx *b = ctx;
    const batch_opts *o = b->opts;
    b->stats->documents++;
    if (d->error) {
        fail(b, d, d->error, d->why);
        return 0;
    }
    gla_doc_opts doc = o->doc;
    doc.id = d->id;
    doc.source = d->source;
    if (d->date && *d->date)
        doc.date = d->date;
    const gla_result *res;
    int rc = gla_extract(b->worker, d->text, d->len, &doc, &res);
    if (rc == GLA_ERR_ARG && doc.date != o->doc.date) { /* a malformed date field in the dump */
        fail(b, d, GLA_ERR_JSON, "the date field is not YYYY[-MM[-DD]]");
        return 0;
    }
    if (rc != GLA_OK) {
        fail(b, d, rc, NULL);
        return 0;
    }
    for (size_t i = 0; i < gla_result_entity_count(res); i++)
        b->stats->entities[gla_result_entity(res, i)->type]++;
    b->out.len = 0;
    if (o->mode == BATCH_NORMALIZE) {
        size_t len;
        const char *text = gla_result_repaired(res, &len);
        if (!buf_append(&b->out, text, len) || !buf_putc(&b->out, '\n'))
            rc = GLA_ERR_NOMEM;
    } else {
        rc = gla_render(res, o->format, o->render_flags, &b->out);
    }
    if (rc != GLA_OK) {
        fail(b, d, rc, NULL);
        return 0;
    }
    if (o->format == GLA_FORMAT_BRAT && o->mode == BATCH_EXTRACT) {
        char name[600];
        safe_name(d->id, ".txt", name, sizeof name);
        if (write_file_atomic(o->output_dir, name, d->text, d->len) != 0) {
            fail(b, d, GLA_ERR_IO, strerror(errno));
            return 0;
        }
        safe_name(d->id, ".ann", name, sizeof name);
        if (write_file_atomic(o->output_dir, name, b->out.data ? b->out.data : "", b->out.len) != 0) {
            fail(b, d, GLA_ERR_IO, strerror(errno));
            return 0;
        }
        return 0;
    }
    if (fwrite(b->out.data, 1, b->out.len, o->out) != b->out.len) {
        fail(b, d, GLA_ERR_IO, strerror(errno));
        return 1; /* the output is gone: stop */
    }
    return 0;
}

int batch_run(const gla_model *model, const batch_opts *opts, char *const *paths, int count,
              batch_stats *stats) {
    memset(stats, 0, sizeof *stats);
    if (opts->format == GLA_FORMAT_BRAT && opts->mode == BATCH_EXTRACT) {
        if (!opts->output_dir) {
            fprintf(opts->err, "glaneur: --format brat needs --output DIR\n");
            return 1;
        }
        if (mkdir(opts->output_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(opts->err, "glaneur: %s: %s\n", opts->output_dir, strerror(errno));
            return 1;
        }
    }
    batch_ctx b = {.opts = opts, .stats = stats, .worker = gla_worker_new(model)};
    if (!b.worker) {
        fprintf(opts->err, "glaneur: out of memory\n");
        return 1;
    }
    int rc = read_inputs(&opts->input, paths, count, on_document, &b);
    if (fflush(opts->out) != 0) {
        fprintf(opts->err, "glaneur: writing the output: %s\n", strerror(errno));
        rc = 1;
    }
    gla_worker_free(b.worker);
    gla_buf_free(&b.out);
    return rc || stats->failed ? 1 : 0;
}
