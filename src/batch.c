/* The batch driver: documents from the inputs, through workers, to the output.
 *
 * With one thread a document is extracted and written as soon as it is read. With N threads
 * the reading thread fills a ring of jobs (a copy of the document, bounded in number, so memory
 * stays bounded whatever the input's size); N - 1 worker threads, and the reading thread
 * whenever the ring is full, each with its own gla_worker over the shared model, extract and
 * render into the job's buffer; whichever thread finishes the job at the head writes it and
 * every finished job after it, strictly in input order, error lines included — so a streaming
 * filter answers each line as soon as it is done. Output is therefore the same byte for byte
 * whatever the number of threads. Each record is written whole (one write of a rendered buffer
 * to the descriptor, nothing held back in stdio), and the first write that fails stops the
 * batch, naming that record: every record before it is out whole. With threads, the reading
 * thread only splits a dump into lines (the workers parse the JSON, which would otherwise be the
 * one part of the work done on a single core), and works on queued jobs when the ring is full. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "internal.h"

typedef struct {
    /* input, owned copies */
    char *id, *source, *date;
    const char *text; /* own_text, or in parsed (a dump's line, parsed by the worker) */
    char *own_text;
    size_t len;
    char *json; /* a dump's line not yet parsed, and its length */
    size_t json_len;
    json_doc parsed;
    bool skipped; /* --resume: already written by an earlier run */
    int read_error;
    char *read_why;
    /* output: the record's first spilled bytes in spill_fd (-1: none; see spill_take), the rest
     * in out; spill_off once the spill failed, the rest of the record then staying in memory */
    gla_buf out;
    int spill_fd;
    size_t spilled;
    bool spill_off;
    gla_buf err;      /* error line(s) to print on the error stream, in order */
    bool failed;
    size_t entities[GLA_ENT__COUNT];
    size_t relations;
    /* state: 0 free, 1 queued, 2 taken, 3 done */
    int state;
    size_t seq;
    size_t held; /* the input bytes it counts in the ring's budget (batch_ctx.held) */
} job;

typedef struct {
    uint64_t hash;
    char *name; /* the file name, NUL, the source of its document */
} named_file;

typedef struct {
    const batch_opts *opts;
    batch_stats *stats;
    const gla_model *model;
    /* the ring */
    job *jobs;
    size_t ring, next_seq, next_write;
    pthread_mutex_t lock;
    pthread_cond_t queued, freed; /* a job to take; slots freed (jobs written) */
    /* The free slots that a thread waiting on freed waits for (0: none waits). The reader waits
     * for half the ring, not one slot: woken for each job written, it would fill one slot and
     * sleep again, two context switches a document, which cost more than a fast document. */
    size_t wanted_free;
    /* The bytes of input the ring holds (the texts and lines of its jobs, from read to written),
     * and their budget: a document is queued only when its bytes fit, or when the ring holds
     * nothing (a document over the budget still runs, alone). Slots alone bound the count of
     * documents, not their size: 4 x N documents at --max-doc-size could be waiting at once.
     * wanted_bytes: what the reading thread waits to fit (0: it waits for slots only). */
    size_t held, budget, wanted_bytes;
    bool closing;
    bool writing;  /* a thread is writing finished jobs */
    gla_worker **workers;
    int threads;
    /* progress */
    size_t bytes;
    size_t total_bytes; /* 0 when unknown */
    double started, last_progress;
    int stop; /* the output failed: stop reading */
    /* --output: the file name of every document written or skipped so far, with its source,
     * so that a second document with the same id is an error naming both (the writer's) */
    named_file *names;
    size_t names_cap, names_count;
} batch_ctx;

/* The size of a document in the ring's budget when --max-doc-size sets no limit: the default
 * limit's (16M). */
#define RING_DOC_UNLIMITED ((size_t)16 << 20)

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A job's output buffer is kept for its next document, but not a big document's (over 1 MB):
 * a slot or a thread that met one big document does not hold its output for the rest of the
 * run. */
static void release_big_output(gla_buf *out) {
    if (out->cap > ((size_t)1 << 20))
        gla_buf_free(out);
}

/* A big record is not held whole in memory (issue 12): each time the renderer has made
 * RENDER_SINK_AT bytes of it, spill_take appends them to an unlinked temporary file of the job,
 * and the writer copies that file, then the rest, to the output once the record is complete.
 * Why a file rather than the output itself: nothing of a record reaches the output before the
 * whole record is made, so a render that fails (memory, a limit) leaves no half record, and with
 * threads a worker never writes out of input order; the copy is emit()'s, so a failing output
 * still stops the batch there and names this record, the first not written, as before. The file
 * has no name from its birth (O_TMPFILE, or mkstemp then unlink, in $TMPDIR or /tmp): no run,
 * even killed, leaves it behind. A spill that fails (no room in $TMPDIR) only keeps the rest of
 * the record in memory, as before: it never fails a document. A record under RENDER_SINK_AT,
 * every ordinary article's, never touches a file. */
static int spill_open(void) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    char path[4096];
    if (fd < 0 && (size_t)snprintf(path, sizeof path, "%s/.glaneur-spill-XXXXXX", dir) < sizeof path &&
        (fd = mkostemp(path, O_CLOEXEC)) >= 0)
        unlink(path);
    return fd;
}

/* Writes data[0, len) to fd, through short writes and signals. False on an error (errno). */
static bool write_all(int fd, const char *data, size_t len) {
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n < 0 ? errno : EIO;
            return false;
        }
        done += (size_t)n;
    }
    return true;
}

static void spill_take(void *ctx, gla_buf *out) {
    job *j = ctx;
    if (j->spill_off || (j->spill_fd < 0 && (j->spill_fd = spill_open()) < 0)) {
        j->spill_off = true;
        return;
    }
    if (!write_all(j->spill_fd, out->data, out->len)) { /* the first j->spilled bytes count; these stay in out */
        j->spill_off = true;
        return;
    }
    j->spilled += out->len;
    out->len = 0;
    out->data[0] = '\0';
}

static void spill_close(job *j) {
    if (j->spill_fd >= 0)
        close(j->spill_fd);
    j->spill_fd = -1;
    j->spilled = 0;
    j->spill_off = false;
}

/* Writes a job's record to fd, or to out when fd < 0: the spilled part, then the rest. */
static bool write_job_record(const job *j, int fd, FILE *out) {
    char chunk[1 << 16];
    for (size_t at = 0; at < j->spilled;) {
        size_t want = j->spilled - at < sizeof chunk ? j->spilled - at : sizeof chunk;
        ssize_t n = pread(j->spill_fd, chunk, want, (off_t)at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n < 0 ? errno : EIO;
            return false;
        }
        if (fd >= 0 ? !write_all(fd, chunk, (size_t)n) : fwrite(chunk, 1, (size_t)n, out) != (size_t)n)
            return false;
        at += (size_t)n;
    }
    if (fd >= 0)
        return write_all(fd, j->out.data ? j->out.data : "", j->out.len);
    return fwrite(j->out.data ? j->out.data : "", 1, j->out.len, out) == j->out.len && fflush(out) == 0;
}

static void job_clear(job *j) {
    free(j->id);
    free(j->source);
    free(j->date);
    free(j->own_text);
    free(j->json);
    json_doc_release(&j->parsed); /* its buffer stays for the slot's next line */
    free(j->read_why);
    j->id = j->source = j->date = j->own_text = j->json = j->read_why = NULL;
    j->text = NULL;
    j->len = j->json_len = 0;
    j->out.len = j->err.len = 0;
    release_big_output(&j->out);
    spill_close(j);
    j->failed = j->skipped = false;
    j->read_error = 0;
    memset(j->entities, 0, sizeof j->entities);
    j->relations = 0;
}

static void job_fail(job *j, int status, const char *why) {
    j->failed = true;
    buf_printf(&j->err, "glaneur: %s (%s): %s%s%s\n", j->id, j->source ? j->source : "-", gla_strerror(status),
               why ? ": " : "", why ? why : "");
}

/* Writes data to dir/name atomically: a temporary file renamed into place. The temporary is
 * created new (O_EXCL) and never through a link (O_NOFOLLOW), under a hidden name unique to this
 * process and call, so that a symbolic link or a file planted at that name can neither receive
 * the record nor be clobbered; the walker skips hidden names, so it is never read as input. */
static int write_file_atomic(const char *dir, const char *name, const char *data, size_t len,
                             const job *record) {
    static _Atomic unsigned long serial;
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 100; attempt++) {
        snprintf(tmp, sizeof tmp, "%s/.%s.%lx-%lx.tmp", dir, name, (unsigned long)getpid(), serial++);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            return -1;
    }
    if (fd < 0)
        return -1;
    bool ok = record ? write_job_record(record, fd, NULL) : write_all(fd, data, len);
    int saved = ok ? 0 : errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        errno = saved ? saved : EIO;
        return -1;
    }
    return 0;
}

/* The file name of a document: its id escaped, so that two ids never share a name and no id
 * leaves the directory or hides. '/' and '%' become %2F and %25, a leading '.' %2E, and the
 * empty id is "%" (which no other id gives, '%' being always escaped): replacing every %XX by
 * its byte gives back the id. An escaped id too long for a file name keeps its first bytes and
 * gets "~" and a hash of the whole id: always longer than NAME_MAX_ID, such a name never equals
 * the name of a shorter id. */
#define NAME_MAX_ID 180

static void safe_name(const char *id, const char *ext, char *out, size_t size) {
    char esc[3 * NAME_MAX_ID + 8];
    size_t o = 0, len = strlen(id);
    for (size_t i = 0; i < len && o <= NAME_MAX_ID; i++) {
        char c = id[i];
        if (c == '/' || c == '%' || (c == '.' && i == 0))
            o += (size_t)sprintf(esc + o, "%%%02X", (unsigned char)c);
        else
            esc[o++] = c;
    }
    if (len == 0)
        esc[o++] = '%';
    if (o > NAME_MAX_ID) { /* whole characters and whole escapes */
        o = NAME_MAX_ID;
        while (o > 0 && ((uint8_t)esc[o] & 0xC0) == 0x80)
            o--;
        if (o >= 1 && esc[o - 1] == '%')
            o--;
        else if (o >= 2 && esc[o - 2] == '%')
            o -= 2;
        o += (size_t)sprintf(esc + o, "~%016llx", (unsigned long long)fnv1a64(FNV64_INIT, id, len));
    }
    esc[o] = '\0';
    snprintf(out, size, "%s%s", esc, ext);
}

/* With --output DIR, the extension of a document's file; brat writes ID.txt, then ID.ann, and
 * the file written last is the one whose presence says the document is done. */
static const char *output_ext(const batch_opts *o) {
    if (o->mode == BATCH_NORMALIZE)
        return ".txt";
    switch (o->format) {
    case GLA_FORMAT_CONLL: return ".conll";
    case GLA_FORMAT_CONLLU: return ".conllu";
    case GLA_FORMAT_BRAT: return ".ann";
    case GLA_FORMAT_TRIPLES: return ".nt";
    default: return ".jsonl";
    }
}

/* --resume: the document's last file is in place, so an earlier run finished it. */
static bool already_written(const batch_opts *o, const char *id) {
    char name[600], path[4096];
    safe_name(id, output_ext(o), name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", o->output_dir, name);
    return access(path, F_OK) == 0;
}

/* Parses a job's JSON line (any thread): its id, date and text, or why it cannot be read. */
static void parse_job(const batch_opts *o, job *j) {
    doc_input d;
    read_json_doc(&o->input, j->json, j->json_len, j->id, j->source, &j->parsed, &d);
    free(j->json); /* the parsed object holds what is needed now */
    j->json = NULL;
    if (d.id != j->id) {
        char *id = strdup(d.id);
        if (!id) {
            j->read_error = GLA_ERR_NOMEM;
            return;
        }
        free(j->id);
        j->id = id;
    }
    j->read_error = d.error;
    if ((d.why && !(j->read_why = strdup(d.why))) || (d.date && !(j->date = strdup(d.date)))) {
        j->read_error = GLA_ERR_NOMEM;
        return;
    }
    j->text = d.text;
    j->len = d.text ? d.len : 0;
    j->skipped = o->resume && !d.error && already_written(o, j->id);
}

/* Extracts and renders one job with a worker (any thread). */
static void process(const batch_opts *o, gla_worker *w, job *j) {
    if (j->json)
        parse_job(o, j);
    else
        j->skipped = o->resume && !j->read_error && already_written(o, j->id);
    if (j->skipped)
        return;
    if (j->read_error) {
        char limit[96];
        if (j->read_error == GLA_ERR_TOO_LARGE && !j->read_why) { /* name the limit it broke */
            snprintf(limit, sizeof limit, "over %zu bytes (--max-doc-size)", o->input.max_doc_size);
            job_fail(j, j->read_error, limit);
        } else {
            job_fail(j, j->read_error, j->read_why);
        }
        return;
    }
    gla_doc_opts doc = o->doc;
    doc.id = j->id;
    doc.source = j->source;
    if (j->date && *j->date)
        doc.date = j->date;
    const gla_result *res;
    int rc = gla_extract(w, j->text, j->len, &doc, &res);
    if (rc == GLA_ERR_ARG && doc.date != o->doc.date) { /* a malformed date field in the dump */
        job_fail(j, GLA_ERR_JSON, "the date field is not YYYY[-MM[-DD]]");
        return;
    }
    if (rc == GLA_ERR_LIMIT) {
        char limit[96];
        snprintf(limit, sizeof limit, "over %zu entities (--max-entities)",
                 doc.max_entities ? doc.max_entities : (size_t)GLA_DEFAULT_MAX_ENTITIES);
        job_fail(j, rc, limit);
        return;
    }
    if (rc != GLA_OK) {
        job_fail(j, rc, NULL);
        return;
    }
    for (size_t i = 0; i < gla_result_entity_count(res); i++)
        j->entities[gla_result_entity(res, i)->type]++;
    for (size_t i = 0; i < w->relations.count; i++)
        j->relations += !VEC_AT(&w->relations, relation, i).dropped;
    if (o->mode == BATCH_NORMALIZE) {
        size_t len;
        const char *text = gla_result_repaired(res, &len);
        if (!buf_append(&j->out, text, len) || !buf_putc(&j->out, '\n'))
            rc = GLA_ERR_NOMEM;
    } else {
        render_sink sink = {spill_take, j};
        rc = render_to_sink(res, o->format, o->render_flags,
                            o->format == GLA_FORMAT_TRIPLES ? o->base_iri : NULL, &j->out, &sink);
    }
    if (rc != GLA_OK) {
        j->out.len = 0;
        job_fail(j, rc, NULL);
    }
}

/* Writes one record to the output stream, whole or not at all as far as the system allows: its
 * descriptor is written directly (after whatever stdio held), so that no record is left half
 * in a stdio buffer when a later one fails; a stream without a descriptor goes through stdio,
 * flushed at once. False on an error (errno says which). */
static bool write_record(FILE *out, const job *j) {
    int fd = fileno(out);
    if (fd >= 0 && fflush(out) != 0)
        return false;
    return write_job_record(j, fd, out);
}

/* Why the batch stops at a document: the output failed with err. */
static const char *stop_why(int err) {
    static _Thread_local char why[160];
    snprintf(why, sizeof why, "writing the output: %s; the first document not written, the batch stops",
             strerror(err));
    return why;
}

/* Records that the document named name (its file in --output) comes from source. Returns
 * NULL, or the source of the earlier document of that name, or "" when memory is refused. */
static const char *claim_name(batch_ctx *b, const char *name, const char *source) {
    if (b->names_count * 2 >= b->names_cap) { /* at most half full */
        size_t cap = b->names_cap ? b->names_cap * 2 : 1024;
        named_file *bigger = calloc(cap, sizeof *bigger);
        if (!bigger)
            return "";
        for (size_t i = 0; i < b->names_cap; i++) {
            if (!b->names[i].name)
                continue;
            size_t k = b->names[i].hash & (cap - 1);
            while (bigger[k].name)
                k = (k + 1) & (cap - 1);
            bigger[k] = b->names[i];
        }
        free(b->names);
        b->names = bigger;
        b->names_cap = cap;
    }
    size_t len = strlen(name);
    uint64_t hash = fnv1a64(FNV64_INIT, name, len);
    size_t k = hash & (b->names_cap - 1);
    for (; b->names[k].name; k = (k + 1) & (b->names_cap - 1))
        if (b->names[k].hash == hash && !strcmp(b->names[k].name, name))
            return b->names[k].name + len + 1;
    source = source ? source : "-";
    char *entry = malloc(len + strlen(source) + 2);
    if (!entry)
        return "";
    memcpy(entry, name, len + 1);
    strcpy(entry + len + 1, source);
    b->names[k] = (named_file){hash, entry};
    b->names_count++;
    return NULL;
}

/* Writes a finished job (the thread that writes, see write_ready). Returns false when the
 * output is gone. */
static bool emit(batch_ctx *b, job *j) {
    const batch_opts *o = b->opts;
    batch_stats *st = b->stats;
    if (o->output_dir && !j->read_error) { /* never two documents in one file */
        char name[600], why[700];
        safe_name(j->id, output_ext(o), name, sizeof name);
        const char *first = claim_name(b, name, j->source);
        if (first) {
            snprintf(why, sizeof why, *first ? "duplicate id, the id of %s too; not written" : "out of memory", first);
            j->out.len = 0;
            j->skipped = false;
            job_fail(j, *first ? GLA_ERR_ARG : GLA_ERR_NOMEM, why);
        }
    }
    if (j->skipped) {
        st->skipped++;
        return true;
    }
    st->documents++;
    bool ok = true;
    if (!j->failed && o->output_dir) { /* whole files or none: each is written, then renamed */
        char name[600];
        bool written = true;
        if (o->format == GLA_FORMAT_BRAT && o->mode == BATCH_EXTRACT) {
            safe_name(j->id, ".txt", name, sizeof name);
            written = write_file_atomic(o->output_dir, name, j->text, j->len, NULL) == 0;
        }
        safe_name(j->id, output_ext(o), name, sizeof name);
        written = written && write_file_atomic(o->output_dir, name, NULL, 0, j) == 0;
        /* a full or read-only disk fails every document after this one: the batch stops here
         * rather than report each of them */
        ok = written || !(errno == ENOSPC || errno == EDQUOT || errno == EROFS);
        if (!written)
            job_fail(j, GLA_ERR_IO, ok ? strerror(errno) : stop_why(errno));
    } else if (!j->failed && (j->out.len || j->spilled)) {
        if (!write_record(o->out, j)) {
            job_fail(j, GLA_ERR_IO, stop_why(errno));
            ok = false;
        }
    }
    if (j->failed) {
        st->failed++;
        fwrite(j->err.data, 1, j->err.len, o->err);
    } else {
        for (int t = 0; t < GLA_ENT__COUNT; t++)
            st->entities[t] += j->entities[t];
        st->relations += j->relations;
    }
    b->bytes += j->len;
    return ok;
}

static void progress(batch_ctx *b, bool final) {
    if (!b->opts->progress)
        return;
    double now = now_s();
    if (!final && now - b->last_progress < 0.5)
        return;
    b->last_progress = now;
    double mb = b->bytes / 1e6, rate = mb / (now - b->started > 1e-9 ? now - b->started : 1e-9);
    char eta[32] = "";
    if (b->total_bytes && rate > 0 && b->bytes <= b->total_bytes)
        snprintf(eta, sizeof eta, ", ETA %.0f s", (b->total_bytes - b->bytes) / 1e6 / rate);
    fprintf(b->opts->err, "\r%zu documents, %.1f MB, %.1f MB/s%s%s", b->stats->documents, mb, rate, eta,
            final ? "\n" : "   ");
    fflush(b->opts->err);
}

/* ------------------------------------------------------------------ threads */

/* Writes, in order, every finished job at the head of the ring. Any thread may call it: the
 * one that finds no writer at work becomes the writer, the others leave it to that one. Called
 * with the lock held; returns with it held. */
static void write_ready(batch_ctx *b) {
    if (b->writing)
        return;
    b->writing = true;
    for (;;) {
        job *head = NULL;
        for (size_t k = 0; k < b->ring; k++)
            if (b->jobs[k].state && b->jobs[k].seq == b->next_write)
                head = &b->jobs[k];
        if (!head || head->state != 3)
            break;
        pthread_mutex_unlock(&b->lock);
        if (!b->stop && !emit(b, head)) /* after a failed output, nothing more is written */
            b->stop = 1;
        job_clear(head);
        progress(b, false);
        pthread_mutex_lock(&b->lock);
        head->state = 0;
        b->held -= head->held;
        head->held = 0;
        b->next_write++;
        /* slots are filled in input order and freed in output order */
        size_t free_slots = b->ring - (b->next_seq - b->next_write);
        bool room = !b->wanted_bytes || !b->held || b->held + b->wanted_bytes <= b->budget;
        if (b->wanted_free && ((free_slots >= b->wanted_free && room) || b->stop))
            pthread_cond_broadcast(&b->freed);
    }
    b->writing = false;
}

/* Takes the oldest queued job, processes it with w and writes what is ready. Called with the
 * lock held; returns with it held, false when no job was queued. */
static bool run_queued(batch_ctx *b, gla_worker *w) {
    job *j = NULL;
    for (size_t k = 0; k < b->ring; k++) {
        job *c = &b->jobs[k];
        if (c->state == 1 && (!j || c->seq < j->seq))
            j = c;
    }
    if (!j)
        return false;
    j->state = 2;
    pthread_mutex_unlock(&b->lock);
    process(b->opts, w, j);
    pthread_mutex_lock(&b->lock);
    j->state = 3;
    write_ready(b); /* a streaming filter answers as soon as it can */
    return true;
}

static void *worker_main(void *arg) {
    batch_ctx *b = ((void **)arg)[0];
    gla_worker *w = ((void **)arg)[1];
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (run_queued(b, w))
            continue;
        if (b->closing)
            break;
        pthread_cond_wait(&b->queued, &b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* What on_document returns to stop the walk when a signal asked for it. */
#define STOP_INTERRUPTED 2

static int on_document(void *ctx, const doc_input *d) {
    batch_ctx *b = ctx;
    if (b->opts->interrupted && *b->opts->interrupted) {
        b->stats->interrupted = true;
        return STOP_INTERRUPTED;
    }
    if (b->threads <= 1) { /* inline: no copy of the text */
        job j = {.id = (char *)d->id, .source = (char *)d->source, .date = (char *)d->date,
                 .text = d->text, .len = d->len, .read_error = d->error, .read_why = (char *)d->why,
                 .spill_fd = -1};
        job *own = &b->jobs[0];
        own->out.len = own->err.len = 0;
        j.out = own->out;
        j.err = own->err;
        process(b->opts, b->workers[0], &j);
        bool ok = emit(b, &j);
        spill_close(&j);
        own->out = j.out; /* keep the grown buffers, but a big document's */
        own->err = j.err;
        release_big_output(&own->out);
        progress(b, false);
        return ok ? 0 : 1;
    }
    /* a free slot within the byte budget; when there is none, a queued job to run, or else a
     * wait for half the ring (or, when bytes are short, for them) */
    size_t need = d->text ? d->len : d->json ? d->json_len : 0;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (b->stop) {
            pthread_mutex_unlock(&b->lock);
            return 1;
        }
        bool fits = !b->held || b->held + need <= b->budget;
        job *slot = NULL;
        for (size_t k = 0; k < b->ring && !slot && fits; k++)
            if (!b->jobs[k].state)
                slot = &b->jobs[k];
        if (slot) {
            slot->held = need;
            b->held += need;
            slot->id = dup_or_null(d->id);
            slot->source = dup_or_null(d->source);
            slot->date = dup_or_null(d->date);
            slot->read_error = d->error;
            slot->read_why = dup_or_null(d->why);
            slot->len = d->text ? d->len : 0;
            slot->own_text = d->text ? malloc(d->len + 1) : NULL;
            slot->json = d->json ? malloc(d->json_len + 1) : NULL;
            slot->json_len = d->json ? d->json_len : 0;
            if (slot->own_text) {
                memcpy(slot->own_text, d->text, d->len);
                slot->own_text[d->len] = '\0';
                slot->text = slot->own_text;
            } else if (slot->json) {
                memcpy(slot->json, d->json, d->json_len);
                slot->json[d->json_len] = '\0';
            } else if (d->text || d->json || !slot->id) {
                slot->read_error = GLA_ERR_NOMEM;
            }
            if (!slot->id)
                slot->id = strdup("?");
            slot->seq = b->next_seq++;
            slot->state = 1;
            pthread_cond_signal(&b->queued);
            pthread_mutex_unlock(&b->lock);
            return 0;
        }
        /* The ring is full: the reading thread works on a queued job rather than wait, so
         * that N threads keep N cores busy (it is the N-th worker; reading takes little). */
        if (run_queued(b, b->workers[b->threads - 1]))
            continue;
        b->wanted_free = fits ? (b->ring + 1) / 2 : 1;
        b->wanted_bytes = fits ? 0 : need;
        pthread_cond_wait(&b->freed, &b->lock);
        b->wanted_free = b->wanted_bytes = 0;
    }
}

/* The size of the regular files among the inputs, for the ETA; 0 when any is not one. */
static size_t input_size(char *const *paths, int count) {
    size_t total = 0;
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (!strcmp(paths[i], "-") || stat(paths[i], &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        total += (size_t)st.st_size;
    }
    return total;
}

static void summary(batch_ctx *b) {
    if (!b->opts->summary)
        return;
    const batch_stats *st = b->stats;
    double elapsed = now_s() - b->started;
    FILE *e = b->opts->err;
    fprintf(e, "glaneur: %zu documents (%zu failed), %.1f MB in %.2f s (%.1f MB/s, %.0f documents/s), %d thread%s\n",
            st->documents, st->failed, b->bytes / 1e6, elapsed, b->bytes / 1e6 / (elapsed > 1e-9 ? elapsed : 1e-9),
            st->documents / (elapsed > 1e-9 ? elapsed : 1e-9), b->threads, b->threads > 1 ? "s" : "");
    if (st->skipped)
        fprintf(e, "glaneur: %zu documents skipped, already in %s\n", st->skipped, b->opts->output_dir);
    fprintf(e, "glaneur: entities");
    for (int t = 0; t < GLA_ENT__COUNT; t++)
        fprintf(e, " %s %zu", gla_entity_type_name((gla_entity_type)t), st->entities[t]);
    fprintf(e, "; relations %zu\nglaneur: seconds by stage (all threads)", st->relations);
    for (int s = 0; s < GLA_STAGE__COUNT; s++) {
        double sum = 0;
        for (int k = 0; k < b->threads; k++)
            sum += gla_worker_stage_seconds(b->workers[k], (gla_stage)s);
        fprintf(e, " %s %.3f", gla_stage_name((gla_stage)s), sum);
    }
    fputc('\n', e);
}

int batch_run(const gla_model *model, const batch_opts *opts, char *const *paths, int count,
              batch_stats *stats) {
    memset(stats, 0, sizeof *stats);
    if (opts->format == GLA_FORMAT_BRAT && opts->mode == BATCH_EXTRACT && !opts->output_dir) {
        fprintf(opts->err, "glaneur: --format brat needs --output DIR\n");
        return 1;
    }
    if (opts->resume && !opts->output_dir) {
        fprintf(opts->err, "glaneur: --resume needs --output DIR\n");
        return 1;
    }
    if (opts->output_dir && mkdir(opts->output_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(opts->err, "glaneur: %s: %s\n", opts->output_dir, strerror(errno));
        return 1;
    }
    int threads = opts->threads > 0 ? opts->threads : 1;
    batch_ctx b = {.opts = opts, .stats = stats, .model = model, .threads = threads,
                   .ring = threads > 1 ? (size_t)threads * 4 : 1, .started = now_s(),
                   .total_bytes = input_size(paths, count)};
    /* the documents the N workers are on and one read ahead, each at the limit (see "held") */
    size_t max_doc = opts->input.max_doc_size ? opts->input.max_doc_size : RING_DOC_UNLIMITED;
    b.budget = max_doc > SIZE_MAX / ((size_t)threads + 1) ? SIZE_MAX : max_doc * ((size_t)threads + 1);
    b.jobs = calloc(b.ring, sizeof *b.jobs);
    for (size_t k = 0; b.jobs && k < b.ring; k++)
        b.jobs[k].spill_fd = -1;
    b.workers = calloc((size_t)threads, sizeof *b.workers);
    void **args = calloc((size_t)threads, 2 * sizeof(void *));
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    int started = 0, rc = 0;
    bool ok = b.jobs && b.workers && args && tids;
    for (int k = 0; ok && k < threads; k++)
        ok = (b.workers[k] = gla_worker_new(model)) != NULL;
    if (!ok) {
        fprintf(opts->err, "glaneur: out of memory\n");
        rc = 1;
    } else {
        if (threads > 1) {
            pthread_mutex_init(&b.lock, NULL);
            pthread_cond_init(&b.queued, NULL);
            pthread_cond_init(&b.freed, NULL);
            json_object_seed(0); /* jansson's hash seed, set once before the workers parse */
            for (; started < threads - 1; started++) { /* the reading thread is the last worker */
                args[2 * started] = &b;
                args[2 * started + 1] = b.workers[started];
                if (pthread_create(&tids[started], NULL, worker_main, &args[2 * started]) != 0)
                    break;
            }
            if (started == 0) {
                fprintf(opts->err, "glaneur: cannot start threads\n");
                rc = 1;
            }
        }
        if (rc == 0) {
            read_opts in = opts->input;
            in.defer_json = threads > 1; /* the workers parse the JSON */
            rc = read_inputs(&in, paths, count, on_document, &b);
            if (rc == STOP_INTERRUPTED) /* not a failure of its own: reported below */
                rc = 0;
        }
        if (threads > 1) {
            pthread_mutex_lock(&b.lock); /* wait for every job to be written */
            for (;;) {
                bool pending = false;
                for (size_t k = 0; k < b.ring; k++)
                    pending |= b.jobs[k].state != 0;
                if (!pending || b.stop || started == 0)
                    break;
                if (run_queued(&b, b.workers[threads - 1]))
                    continue;
                b.wanted_free = b.ring;
                pthread_cond_wait(&b.freed, &b.lock);
                b.wanted_free = 0;
            }
            b.closing = true;
            pthread_cond_broadcast(&b.queued);
            pthread_mutex_unlock(&b.lock);
            for (int k = 0; k < started; k++)
                pthread_join(tids[k], NULL);
            pthread_mutex_destroy(&b.lock);
            pthread_cond_destroy(&b.queued);
            pthread_cond_destroy(&b.freed);
        }
        progress(&b, true);
        summary(&b);
    }
    if (fflush(opts->out) != 0) {
        fprintf(opts->err, "glaneur: writing the output: %s\n", strerror(errno));
        rc = 1;
    }
    for (size_t k = 0; b.jobs && k < b.ring; k++) {
        if (threads > 1)
            job_clear(&b.jobs[k]);
        json_doc_free(&b.jobs[k].parsed);
        gla_buf_free(&b.jobs[k].out);
        gla_buf_free(&b.jobs[k].err);
    }
    for (int k = 0; b.workers && k < threads; k++)
        gla_worker_free(b.workers[k]);
    for (size_t i = 0; i < b.names_cap; i++)
        free(b.names[i].name);
    free(b.names);
    free(b.jobs);
    free(b.workers);
    free(args);
    free(tids);
    return rc || stats->failed ? 1 : 0;
}
