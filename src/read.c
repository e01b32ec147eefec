/* Input walking. Directories are read recursively with names sorted by bytes (not by locale,
 * so that output order never depends on LC_ALL), hidden entries skipped, a directory that is
 * its own ancestor (a symlink loop) reported instead of followed, and each file or directory
 * (device and inode) read once under one path of the command line, however many links lead to
 * it. A JSON Lines dump is read line by line with a bounded line buffer: a line over the limit
 * is reported and skipped, so a dump of any size runs in bounded memory. */
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
    /* every file and directory reached so far under one path of the command line (an open
     * addressing set, at most half full), so that each is read once however many links lead to
     * it: a tree whose folders each link twice to the next would otherwise give 2^n documents */
    dir_id *seen;
    size_t seen_cap, seen_count;
} walker;

/* Adds the file or directory st to w->seen. False when it was there already (or when memory is
 * refused: then it is read, as before this set). */
static bool first_visit(walker *w, const struct stat *st) {
    if (w->seen_count * 2 >= w->seen_cap) {
        size_t cap = w->seen_cap ? w->seen_cap * 2 : 256;
        dir_id *bigger = calloc(cap, sizeof *bigger);
        if (!bigger)
            return true;
        for (size_t i = 0; i < w->seen_cap; i++) {
            if (!w->seen[i].ino && !w->seen[i].dev)
                continue;
            size_t k = fnv1a64(FNV64_INIT, &w->seen[i], sizeof w->seen[i]) & (cap - 1);
            while (bigger[k].ino || bigger[k].dev)
                k = (k + 1) & (cap - 1);
            bigger[k] = w->seen[i];
        }
        free(w->seen);
        w->seen = bigger;
        w->seen_cap = cap;
    }
    dir_id id;
    memset(&id, 0, sizeof id); /* padding included, as it is hashed */
    id.dev = st->st_dev;
    id.ino = st->st_ino;
    if (!id.dev && !id.ino)
        return true; /* the empty slot's value: no such file on a real system */
    size_t k = fnv1a64(FNV64_INIT, &id, sizeof id) & (w->seen_cap - 1);
    for (; w->seen[k].ino || w->seen[k].dev; k = (k + 1) & (w->seen_cap - 1))
        if (w->seen[k].dev == id.dev && w->seen[k].ino == id.ino)
            return false;
    w->seen[k] = id;
    w->seen_count++;
    return true;
}

static int report(walker *w, const char *id, const char *source, int error, const char *why) {
    doc_input d = {.id = id, .source = source, .error = error, .why = why};
    return w->sink(w->ctx, &d);
}

static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* A file name as it appears in ids and sources, which must be valid UTF-8 in every output
 * (README, "File names"): each byte that is not part of valid UTF-8 becomes %XX (two upper-case
 * hex digits), and a '%' followed by two hex digits becomes %25, so that the escape is reversed
 * by replacing every %XX by its byte. A UTF-8 name without such a '%' is its own escape. Returns
 * name itself when nothing changes, else a copy that *owned holds for the caller to free. */
static const char *utf8_name(const char *name, char **owned) {
    *owned = NULL;
    size_t len = strlen(name), i = 0;
    for (; i < len; i++) {
        int32_t cp;
        if (((uint8_t)name[i] >= 0x80 && utf8_decode((const uint8_t *)name + i, len - i, &cp) < 0) ||
            (name[i] == '%' && i + 2 < len && is_hex(name[i + 1]) && is_hex(name[i + 2])))
            break;
    }
    if (i == len)
        return name;
    char *out = malloc(3 * len + 1);
    if (!out)
        return "?";
    size_t o = 0;
    for (i = 0; i < len;) {
        uint8_t c = (uint8_t)name[i];
        int32_t cp;
        int n = c >= 0x80 ? utf8_decode((const uint8_t *)name + i, len - i, &cp) : 1;
        if (n < 0 || (c == '%' && i + 2 < len && is_hex(name[i + 1]) && is_hex(name[i + 2]))) {
            o += (size_t)sprintf(out + o, "%%%02X", c);
            i++;
        } else {
            memcpy(out + o, name + i, (size_t)n);
            o += (size_t)n;
            i += (size_t)n;
        }
    }
    out[o] = '\0';
    return *owned = out;
}

/* "dir/000_x.txt" -> "000_x", from a name already made UTF-8 (utf8_name) */
static void base_id(const char *path, char *out, size_t size) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, size, "%s", b);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

/* A document that cannot be read, named after its path (raw_path: as the system gives it). */
static int report_path(walker *w, const char *raw_path, bool id_is_path, int error, const char *why) {
    char *owned, id[1024];
    const char *path = utf8_name(raw_path, &owned);
    if (!id_is_path)
        base_id(path, id, sizeof id);
    int rc = report(w, id_is_path ? path : id, path, error, why);
    free(owned);
    return rc;
}

static int read_jsonl(walker *w, FILE *f, const char *source);

static int read_plain(walker *w, const char *raw_path) {
    if (w->opts->jsonl) {
        FILE *f = fopen(raw_path, "rb");
        if (!f)
            return report_path(w, raw_path, false, GLA_ERR_IO, strerror(errno));
        char *owned;
        int rc = read_jsonl(w, f, utf8_name(raw_path, &owned));
        free(owned);
        fclose(f);
        return rc;
    }
    char *data;
    size_t len;
    int rc = read_file(raw_path, w->opts->max_doc_size, &data, &len);
    if (rc != GLA_OK)
        return report_path(w, raw_path, false, rc, rc == GLA_ERR_IO ? strerror(errno) : NULL);
    char *owned, id[1024];
    const char *path = utf8_name(raw_path, &owned);
    base_id(path, id, sizeof id);
    doc_input d = {.id = id, .source = path, .text = data, .len = len};
    rc = w->sink(w->ctx, &d);
    free(owned);
    free(data);
    return rc;
}

static int walk(walker *w, const char *path);

static int walk_dir(walker *w, const char *path, const struct stat *st) {
    for (int i = 0; i < w->depth; i++)
        if (w->ancestors[i].dev == st->st_dev && w->ancestors[i].ino == st->st_ino)
            return report_path(w, path, true, GLA_ERR_IO, "directory loop (a symbolic link to an ancestor)");
    if (w->depth >= (int)(sizeof w->ancestors / sizeof *w->ancestors))
        return report_path(w, path, true, GLA_ERR_IO, "directories nested too deep");
    char **names;
    size_t n;
    char why[512];
    if (list_dir(path, "", &names, &n, why, sizeof why) != GLA_OK)
        return report_path(w, path, true, GLA_ERR_IO, strchr(why, ':') ? strchr(why, ':') + 2 : why);
    int rc = 0;
    w->ancestors[w->depth++] = (dir_id){st->st_dev, st->st_ino};
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = malloc(len);
        if (!child) {
            rc = report_path(w, path, true, GLA_ERR_NOMEM, NULL);
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
    if (stat(path, &st) != 0)
        return report_path(w, path, false, GLA_ERR_IO, strerror(errno));
    bool ancestor = false;
    for (int i = 0; i < w->depth && S_ISDIR(st.st_mode); i++)
        ancestor |= w->ancestors[i].dev == st.st_dev && w->ancestors[i].ino == st.st_ino;
    if (!ancestor && !first_visit(w, &st)) /* read already, through another link */
        return 0;
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    /* a pipe named on the command line (a FIFO, or bash's <(zcat dump.gz)) is read as a stream;
     * inside a directory only regular files are, as a FIFO there could block the walk for ever */
    bool named_pipe = S_ISFIFO(st.st_mode) && w->depth == 0;
    if (!S_ISREG(st.st_mode) && !named_pipe)
        return report_path(w, path, false, GLA_ERR_IO, "not a regular file");
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

/* ------------------------------------------------------------------ a dump line's text
 *
 * jansson reads a line byte by byte through a callback, copying every byte into its token
 * buffer and then decoding it into the string: over a hundred instructions a byte, a fifth of
 * a whole run, for a text field that is nearly all of the line. So the text's string is lifted
 * out: the line's top-level keys are found here, the text's string decoded here, and jansson
 * parses the rest of the line with "" in the string's place (a string token for a string token:
 * the rest is valid JSON exactly when the line is). Whenever the lift could differ from jansson
 * (a key written with escapes, the text key twice, a string jansson would refuse or that is not
 * plain, a line jansson refuses) the whole line goes to jansson as before, so that what is read,
 * and every error message, stays jansson's. */

static size_t skip_space(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* The index after the closing quote of the string token at s[i] == '"', or len when unclosed. */
static size_t string_end(const char *s, size_t len, size_t i) {
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

static int hex4(const char *s) {
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* Decodes the string token at s[i] == '"' into out, which has room for as many bytes as the
 * token (decoding never lengthens). Returns the index after the closing quote and the decoded
 * length in *out_len, or 0 for anything jansson would refuse or might decode otherwise: an
 * unclosed string, a control character, invalid UTF-8, an unknown escape, \u0000 (refused
 * without JSON_ALLOW_NUL), a surrogate not in a pair. */
static size_t decode_string(const char *s, size_t len, size_t i, char *out, size_t *out_len) {
    const uint64_t high = 0x8080808080808080u;
    size_t o = 0;
    i++;
    for (;;) {
        /* Eight bytes at a time up to the first that is a control character, '"', '\\' or
         * beyond ASCII: the lowest byte flagged is exact (a borrow only runs upwards from a
         * flagged byte), and on this little-endian reading it is the first in the text. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t special = json_special8(w) | (w & high);
            memcpy(out + o, &w, 8); /* room: out is never ahead of s */
            size_t plain = first_flagged_byte(special);
            o += plain;
            i += plain;
            if (special)
                break;
        }
        if (i >= len)
            return 0;
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            *out_len = o;
            return i + 1;
        }
        if (c < 0x20)
            return 0;
        if (c >= 0x80) {
            int32_t cp;
            int n = utf8_decode((const uint8_t *)s + i, len - i, &cp);
            if (n < 0)
                return 0;
            if (i + 4 <= len) /* four bytes in one move: out has room for them too */
                memcpy(out + o, s + i, 4);
            else
                for (int k = 0; k < n; k++)
                    out[o + (size_t)k] = s[i + (size_t)k];
            o += (size_t)n;
            i += (size_t)n;
            continue;
        }
        if (c != '\\') {
            out[o++] = (char)c;
            i++;
            continue;
        }
        char escaped = i + 1 < len ? s[i + 1] : '\0';
        switch (escaped) {
        case '"': case '\\': case '/': out[o++] = escaped; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': break;
        default: return 0;
        }
        if (escaped != 'u') {
            i += 2;
            continue;
        }
        if (i + 6 > len)
            return 0;
        int32_t cp = hex4(s + i + 2);
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) { /* a high surrogate, with its low one */
            int low = i + 6 <= len && s[i] == '\\' && s[i + 1] == 'u' ? hex4(s + i + 2) : -1;
            if (low < 0xDC00 || low > 0xDFFF)
                return 0;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
        } else if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
            return 0;
        }
        o += (size_t)utf8_encode(cp, (uint8_t *)out + o);
    }
}

/* Finds the top-level key named key (key_len bytes) of the object on line, and decodes its
 * string value into out (room for len bytes): *value_at and *value_end delimit the value's
 * token, *text_len is its decoded length. False, for jansson to read the whole line, when the
 * line is not an object, a top-level key is written with an escape, the key is missing or
 * there twice, or its value is not a string decode_string takes. Only a valid line needs to be
 * read right: on another the rest would fail in jansson too. */
static bool lift_text(const char *line, size_t len, const char *key, size_t key_len, char *out,
                      size_t *value_at, size_t *value_end, size_t *text_len) {
    size_t i = skip_space(line, len, 0);
    if (i >= len || line[i] != '{')
        return false;
    bool found = false, key_next = true;
    size_t depth = 1;
    for (i++; i < len && depth;) {
        char c = line[i];
        if (c == '"') {
            size_t end = string_end(line, len, i);
            if (depth == 1 && key_next) {
                if (memchr(line + i, '\\', end - i))
                    return false;
                key_next = false;
                if (end - i == key_len + 2 && !memcmp(line + i + 1, key, key_len)) {
                    size_t v = skip_space(line, len, end);
                    v = v < len && line[v] == ':' ? skip_space(line, len, v + 1) : len;
                    if (found || v >= len || line[v] != '"')
                        return false;
                    found = true;
                    *value_at = v;
                    end = *value_end = decode_string(line, len, v, out, text_len);
                    if (!end)
                        return false;
                }
            }
            i = end;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        else if (c == ',' && depth == 1)
            key_next = true;
        i++;
    }
    return found;
}

/* The line parsed with its text lifted out (lift_text), or NULL for jansson to parse it whole.
 * On success jd->scratch holds the text, NUL-terminated, at its start. */
static json_t *parse_lifted(const read_opts *opts, const char *line, size_t len, json_doc *jd, size_t *text_len) {
    const char *key = opts->text_field;
    if (!strcmp(key, opts->id_field) || !strcmp(key, opts->date_field)) /* "" would stand for both */
        return NULL;
    if (jd->scratch_cap < len + 4) { /* the text and its NUL, then the rest with "" for it */
        char *bigger = realloc(jd->scratch, len + 4);
        if (!bigger)
            return NULL;
        jd->scratch = bigger;
        jd->scratch_cap = len + 4;
    }
    size_t at, end;
    if (!lift_text(line, len, key, strlen(key), jd->scratch, &at, &end, text_len))
        return NULL;
    jd->scratch[*text_len] = '\0';
    char *rest = jd->scratch + *text_len + 1;
    memcpy(rest, line, at);
    memcpy(rest + at, "\"\"", 2);
    memcpy(rest + at + 2, line + end, len - end);
    json_t *obj = json_loadb(rest, at + 2 + len - end, 0, NULL);
    json_t *text = json_object_get(obj, key);
    if (!json_is_object(obj) || !json_is_string(text) || json_string_length(text) != 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

void read_json_doc(const read_opts *opts, const char *line, size_t len, const char *line_id, const char *where,
                   json_doc *jd, doc_input *d) {
    *d = (doc_input){.id = line_id, .source = where};
    jd->why[0] = '\0';
    size_t lifted_len = 0;
    json_t *obj = jd->obj = parse_lifted(opts, line, len, jd, &lifted_len);
    bool lifted = obj != NULL;
    json_error_t jerr;
    if (!lifted)
        obj = jd->obj = json_loadb(line, len, 0, &jerr);
    if (!obj || !json_is_object(obj)) {
        snprintf(jd->why, sizeof jd->why, "%s", obj ? "not a JSON object" : jerr.text);
        d->error = GLA_ERR_JSON;
        d->why = jd->why;
        return;
    }
    const char *id = field_string(obj, opts->id_field, jd->num, sizeof jd->num);
    json_t *text = json_object_get(obj, opts->text_field);
    size_t text_len = lifted ? lifted_len : json_string_length(text);
    if (id)
        d->id = id;
    if (!json_is_string(text)) {
        snprintf(jd->why, sizeof jd->why, "no string field \"%s\"", opts->text_field);
        d->error = GLA_ERR_JSON;
        d->why = jd->why;
    } else if (opts->max_doc_size && text_len > opts->max_doc_size) {
        d->error = GLA_ERR_TOO_LARGE;
    } else {
        d->date = field_string(obj, opts->date_field, jd->dnum, sizeof jd->dnum);
        d->text = lifted ? jd->scratch : json_string_value(text);
        d->len = text_len;
    }
}

/* A buffer kept from line to line up to this size: past it, one huge line would hold its memory
 * in every slot of the batch until the end of the dump. */
#define JSON_DOC_KEEP (1u << 20)

void json_doc_release(json_doc *jd) {
    json_decref(jd->obj);
    jd->obj = NULL;
    if (jd->scratch_cap > JSON_DOC_KEEP) {
        free(jd->scratch);
        jd->scratch = NULL;
        jd->scratch_cap = 0;
    }
}

void json_doc_free(json_doc *jd) {
    json_doc_release(jd);
    free(jd->scratch);
    jd->scratch = NULL;
    jd->scratch_cap = 0;
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
            } else if (r->cap == 0) { /* no buffer at all: nothing can be read */
                errno = ENOMEM;
                return -1;
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
    json_doc jd = {0}; /* its buffer serves every line */
    size_t where_size = strlen(source) + 24; /* "source:LINE", never cut inside a character */
    char *where = malloc(where_size);
    if (!where)
        return report(w, source, source, GLA_ERR_NOMEM, NULL);
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
        line_no++;
        if (line_no == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) { /* a UTF-8 byte order mark */
            line += 3;
            len -= 3;
        }
        char id_buf[64];
        snprintf(id_buf, sizeof id_buf, "%zu", line_no);
        snprintf(where, where_size, "%s:%zu", source, line_no);
        if (too_long) {
            char why[96];
            snprintf(why, sizeof why, "line longer than the limit of %zu bytes (--max-line)", w->opts->max_line);
            rc = report(w, id_buf, where, GLA_ERR_TOO_LARGE, why);
        } else {
            size_t s = 0;
            while (s < len && (line[s] == ' ' || line[s] == '\t' || line[s] == '\r'))
                s++;
            if (s == len) /* a blank line holds no document */
                continue;
            if (w->opts->defer_json) {
                doc_input d = {.id = id_buf, .source = where, .json = line, .json_len = len};
                rc = w->sink(w->ctx, &d);
            } else {
                doc_input d;
                read_json_doc(w->opts, line, len, id_buf, where, &jd, &d);
                rc = w->sink(w->ctx, &d);
                json_doc_release(&jd);
            }
        }
        if (rc)
            break;
    }
    free(reader.buf);
    free(where);
    json_doc_free(&jd);
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
            w.seen_count = 0; /* a path named twice on the command line is read twice */
            if (w.seen)
                memset(w.seen, 0, w.seen_cap * sizeof *w.seen);
        }
    }
    free(w.seen);
    return rc;
}
