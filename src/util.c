/* Small mechanisms every stage uses: growable buffers and arrays, a bump allocator for
 * per-document strings, whole-file reading, and UTF-8 helpers over utf8proc. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <utf8proc.h>

#include "internal.h"

/* ------------------------------------------------------------------ buffers */

bool buf_reserve(gla_buf *buf, size_t extra) {
    if (buf->len + extra + 1 <= buf->cap)
        return true;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < buf->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *data = realloc(buf->data, cap);
    if (!data)
        return false;
    buf->data = data;
    buf->cap = cap;
    return true;
}

bool buf_put_uint(gla_buf *buf, size_t v) {
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    /* its digits, without a division each: floor(log10) from the bit length (1233 / 4096 is
     * just under log10(2)), one too few at most, which the table of powers tells */
    static const unsigned long long pow10[20] = {1ull,
                                                 10ull,
                                                 100ull,
                                                 1000ull,
                                                 10000ull,
                                                 100000ull,
                                                 1000000ull,
                                                 10000000ull,
                                                 100000000ull,
                                                 1000000000ull,
                                                 10000000000ull,
                                                 100000000000ull,
                                                 1000000000000ull,
                                                 10000000000000ull,
                                                 100000000000000ull,
                                                 1000000000000000ull,
                                                 10000000000000000ull,
                                                 100000000000000000ull,
                                                 1000000000000000000ull,
                                                 10000000000000000000ull};
    _Static_assert(sizeof(unsigned long long) == 8 && sizeof(size_t) <= 8, "64 bits: 20 digits at most");
    unsigned t = (unsigned)(64 - __builtin_clzll((unsigned long long)v | 1)) * 1233 >> 12;
    size_t n = t + (v >= pow10[t]) + (v == 0);
    if (buf->len + n + 1 > buf->cap && !buf_reserve(buf, n))
        return false;
    char *end = buf->data + buf->len + n; /* the digits are written in place, last first, two at a time */
    *end = '\0';
    for (; v >= 100; v /= 100)
        memcpy(end -= 2, pairs + v % 100 * 2, 2);
    if (v >= 10)
        memcpy(end - 2, pairs + v * 2, 2);
    else
        end[-1] = (char)('0' + v);
    buf->len += n;
    return true;
}

bool buf_printf(gla_buf *buf, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[128];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    if ((size_t)n < sizeof small)
        return buf_append(buf, small, (size_t)n);
    if (!buf_reserve(buf, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return true;
}

bool buf_json_escape(gla_buf *buf, const char *s, size_t len) {
    size_t i = 0;
    for (;;) {
        /* room for the rest as it is and a word more: the plain bytes are copied eight at a
         * time straight into the buffer, up to the first control character, '"' or '\\' (the
         * lowest flagged byte is exact: a borrow only runs upwards from a flagged byte) */
        if (!buf_reserve(buf, len - i + 8))
            return false;
        char *out = buf->data + buf->len;
        size_t o = 0;
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t special = json_special8(w);
            memcpy(out + o, &w, 8);
            size_t plain = first_flagged_byte(special);
            o += plain;
            i += plain;
            if (special)
                break;
        }
        /* fewer than eight bytes left after eight or more copied this turn: the last eight of
         * the string at once, over the plain bytes just copied (the same bytes again), not a
         * byte at a time; the dropped flags are of plain bytes, so the lowest kept is exact */
        size_t rest = len - i;
        if (rest && rest < 8 && o >= 8 - rest) {
            uint64_t w;
            memcpy(&w, s + len - 8, 8);
            uint64_t special = json_special8(w) >> 8 * (8 - rest);
            memcpy(out + o - (8 - rest), &w, 8);
            size_t plain = first_flagged_byte(special);
            if (plain > rest)
                plain = rest;
            o += plain;
            i += plain;
        }
        while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
            out[o++] = s[i++];
        buf->len += o;
        buf->data[buf->len] = '\0';
        if (i >= len)
            return true;
        unsigned char c = (unsigned char)s[i++];
        char esc[8];
        switch (c) {
        case '"': strcpy(esc, "\\\""); break;
        case '\\': strcpy(esc, "\\\\"); break;
        case '\n': strcpy(esc, "\\n"); break;
        case '\r': strcpy(esc, "\\r"); break;
        case '\t': strcpy(esc, "\\t"); break;
        default: snprintf(esc, sizeof esc, "\\u%04x", c); break;
        }
        if (!buf_puts(buf, esc))
            return false;
    }
}

bool buf_json_string(gla_buf *buf, const char *s) {
    if (!s)
        return buf_puts(buf, "null");
    return buf_putc(buf, '"') && buf_json_escape(buf, s, strlen(s)) && buf_putc(buf, '"');
}

void gla_buf_free(gla_buf *buf) {
    if (!buf)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

/* ------------------------------------------------------------------ arena */

struct arena_block {
    arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) char data[];
};

void *arena_alloc(arena *a, size_t size) {
    size = (size + 15) & ~(size_t)15;
    arena_block *b = a->head;
    if (!b || b->used + size > b->cap) {
        /* Blocks are kept across resets, so find one with room before allocating. */
        size_t cap = size > 65536 ? size : 65536;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len) {
    char *p = arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void arena_reset(arena *a) {
    /* Keep the largest block only: steady state is one block and no malloc per document. */
    arena_block *keep = NULL;
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (!keep || b->cap > keep->cap) {
            free(keep);
            keep = b;
        } else {
            free(b);
        }
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
}

void arena_free(arena *a) {
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

/* ------------------------------------------------------------------ vec */

void vec_init(vec *v, size_t item_size) {
    v->items = NULL;
    v->count = v->cap = 0;
    v->item_size = item_size;
}

bool vec_reserve(vec *v, size_t count) {
    if (count <= v->cap)
        return true;
    size_t cap = v->cap ? v->cap : 64;
    while (cap < count)
        cap *= 2;
    void *items = realloc(v->items, cap * v->item_size);
    if (!items)
        return false;
    v->items = items;
    v->cap = cap;
    return true;
}

void *vec_push(vec *v) {
    if (!vec_reserve(v, v->count + 1))
        return NULL;
    void *item = (char *)v->items + v->count * v->item_size;
    memset(item, 0, v->item_size);
    v->count++;
    return item;
}

void vec_free(vec *v) {
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}

/* ------------------------------------------------------------------ files */

int read_file(const char *path, size_t max_size, char **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return GLA_ERR_IO;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return GLA_ERR_IO;
    }
    size_t cap = (st.st_size > 0 ? (size_t)st.st_size : 4096) + 1, len = 0;
    if (max_size && cap > max_size + 2)
        cap = max_size + 2;
    char *data = malloc(cap);
    if (!data) {
        fclose(f);
        return GLA_ERR_NOMEM;
    }
    for (;;) {
        if (len + 1 >= cap) {
            if (max_size && len > max_size)
                break;
            char *bigger = realloc(data, cap * 2);
            if (!bigger) {
                free(data);
                fclose(f);
                return GLA_ERR_NOMEM;
            }
            data = bigger;
            cap *= 2;
        }
        size_t n = fread(data + len, 1, cap - 1 - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int err = ferror(f);
    int saved = errno;
    fclose(f);
    if (err) {
        free(data);
        errno = saved;
        return GLA_ERR_IO;
    }
    if (max_size && len > max_size) {
        free(data);
        return GLA_ERR_TOO_LARGE;
    }
    data[len] = '\0';
    *out = data;
    *out_len = len;
    return GLA_OK;
}

int read_data_file(const char *path, char **out, char *why, size_t why_len) {
    size_t len;
    int rc = read_file(path, 0, out, &len);
    if (rc != GLA_OK)
        set_why(why, why_len, "%s: %s", path, rc == GLA_ERR_IO ? strerror(errno) : gla_strerror(rc));
    return rc;
}

char *next_line(char **cursor) {
    char *line = *cursor;
    if (!line || !*line)
        return NULL;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *cursor = nl + 1;
    } else {
        *cursor = line + strlen(line);
    }
    size_t l = strlen(line);
    if (l && line[l - 1] == '\r')
        line[l - 1] = '\0';
    return line;
}

char *next_data_line(char **cursor, size_t *line_no) {
    for (char *line; (line = next_line(cursor));) {
        if (line_no)
            ++*line_no;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        line = trim(line);
        if (*line)
            return line;
    }
    return NULL;
}

char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
        s[--l] = '\0';
    return s;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int list_dir(const char *dir, const char *suffix, char ***names, size_t *count, char *why, size_t why_len) {
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        set_why(why, why_len, "%s: %s", dir, strerror(errno));
        return GLA_ERR_IO;
    }
    size_t sl = strlen(suffix), n = 0;
    char **list = NULL;
    int rc = GLA_OK;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= sl || strcmp(e->d_name + l - sl, suffix))
            continue;
        char **bigger = realloc(list, (n + 1) * sizeof *list);
        if (!bigger) {
            rc = GLA_ERR_NOMEM;
            break;
        }
        list = bigger;
        if (!(list[n] = strdup(e->d_name))) {
            rc = GLA_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc != GLA_OK) {
        free_names(list, n);
        set_why(why, why_len, "%s: out of memory", dir);
        return rc;
    }
    if (n > 1)
        qsort(list, n, sizeof *list, cmp_names); /* by bytes: the same order in every locale */
    *names = list;
    *count = n;
    return GLA_OK;
}

void free_names(char **names, size_t count) {
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* ------------------------------------------------------------------ UTF-8 */

int utf8_decode_slow(const uint8_t *s, size_t len, int32_t *cp) {
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)(len > 4 ? 4 : len), &c);
    if (n <= 0 || c < 0)
        return -1;
    *cp = c;
    return (int)n;
}

int utf8_encode(int32_t cp, uint8_t out[4]) { return (int)utf8proc_encode_char(cp, out); }

size_t utf8_validate(const uint8_t *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: most of a French article. */
        while (i + 8 <= len && ascii8(s + i))
            i += 8;
        if (i >= len)
            break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        int n = utf8_decode(s + i, len - i, &cp);
        if (n < 0)
            return i;
        i += (size_t)n;
    }
    return len;
}

/* ------------------------------------------------------------------ code point table
 *
 * The code points below CP_TABLE_END (Latin with its extensions and Vietnamese letters, Greek,
 * Cyrillic, general punctuation) with their class and their lower-case and folded forms: asking
 * utf8proc (category, decomposition, case) costs hundreds of instructions per code point, and
 * the same few dozen accented letters recur in every document. The table is computed once per
 * process from utf8proc itself, so it answers exactly what utf8proc answers. */

#define CP_TABLE_END 0x2070
#define CP_UNMAPPED 0xFFFF /* a form beyond 16 bits (none so far): computed without the table */

typedef struct {
    uint16_t lower, fold; /* code points */
    uint8_t cls;          /* CP_* */
} cp_entry;

static cp_entry cp_table[CP_TABLE_END];
static fold_key fold_keys[FOLD_KEY_END - FOLD_KEY_FIRST]; /* built with cp_table */
/* 0: not built, 1: being built by some thread, 2: ready. Until it is ready a thread computes
 * what it needs without the table instead of waiting. */
static atomic_int cp_table_state;

static unsigned class_of(int32_t cp) {
    utf8proc_category_t c = utf8proc_category(cp);
    unsigned cls = 0;
    if (c == UTF8PROC_CATEGORY_ZS || cp == 0x2028 || cp == 0x2029 || cp == 0x85)
        cls |= CP_SPACE;
    if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_MC)
        cls |= CP_LETTER;
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
        cls |= CP_UPPER;
    if (c == UTF8PROC_CATEGORY_LL)
        cls |= CP_LOWER;
    return cls;
}

/* The matching form of one code point: apostrophes unified, đ→d, marks stripped, lower case. */
static int32_t fold_of(int32_t cp) {
    if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC)
        cp = '\'';
    else if (cp == 0x0111 || cp == 0x0110)
        cp = 'd';
    else if (cp >= 0x80) {
        /* strip marks: decompose and keep the base letter */
        utf8proc_int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &last);
        if (k >= 1)
            cp = dec[0];
    }
    return utf8proc_tolower(cp);
}

static uint16_t narrow(int32_t cp) { return cp >= 0 && cp < CP_UNMAPPED ? (uint16_t)cp : CP_UNMAPPED; }

/* Builds the table unless another thread is at it; returns it, or NULL when not ready. */
static const cp_entry *cp_table_build(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&cp_table_state, &expected, 1))
        return atomic_load_explicit(&cp_table_state, memory_order_acquire) == 2 ? cp_table : NULL;
    for (int32_t cp = 0; cp < CP_TABLE_END; cp++) {
        cp_table[cp].lower = narrow(utf8proc_tolower(cp));
        cp_table[cp].fold = narrow(fold_of(cp));
        cp_table[cp].cls = (uint8_t)(cp < 0x80 ? 0 : class_of(cp)); /* ASCII: inline in internal.h */
    }
    for (int32_t cp = FOLD_KEY_FIRST; cp < FOLD_KEY_END; cp++) { /* utf8_fold's own answers */
        char in[2] = {(char)(0xC0 | cp >> 6), (char)(0x80 | (cp & 0x3F))}, out[16];
        int l = utf8_fold(in, 2, out, sizeof out); /* the table is not ready: the slow way */
        fold_key *f = &fold_keys[cp - FOLD_KEY_FIRST];
        f->len = l >= 0 && l <= 2 ? (uint8_t)l : FOLD_KEY_NONE;
        f->word = (cp_table[cp].cls & CP_LETTER) != 0; /* (no digit is beyond ASCII) */
        if (l > 0 && l <= 2)
            memcpy(f->key, out, (size_t)l);
    }
    atomic_store_explicit(&cp_table_state, 2, memory_order_release);
    return cp_table;
}

/* The table if it is ready, else NULL (and the first caller builds it). */
static inline const cp_entry *cp_table_ready(void) {
    if (atomic_load_explicit(&cp_table_state, memory_order_acquire) == 2)
        return cp_table;
    return cp_table_build();
}

const fold_key *utf8_fold_keys(void) { return cp_table_ready() ? fold_keys : NULL; }

unsigned cp_class_nonascii(int32_t cp) {
    const cp_entry *t = cp < CP_TABLE_END ? cp_table_ready() : NULL;
    return t ? t[cp].cls : class_of(cp);
}

/* ------------------------------------------------------------------ lower case and folding */

/* Appends the UTF-8 of cp to out at *o; false when out_size is too small. */
static bool put_cp(char *out, size_t out_size, size_t *o, int32_t cp) {
    uint8_t enc[4];
    int m = utf8_encode(cp, enc);
    if (*o + (size_t)m >= out_size)
        return false;
    memcpy(out + *o, enc, (size_t)m);
    *o += (size_t)m;
    return true;
}

static int map_cps(const char *s, size_t len, char *out, size_t out_size, bool fold) {
    const cp_entry *table = NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        /* ASCII: most of every French word; the grave accent goes the long way (it lower-cases
         * to itself there too). Eight bytes at a time where they and their output fit: all eight
         * are lower-cased and stored, and the ASCII ones before the first other byte kept. */
        while (i + 8 <= len && o + 8 < out_size) {
            uint64_t w, ones = 0x0101010101010101u, high = 0x8080808080808080u;
            memcpy(&w, s + i, 8);
            uint64_t grave = w ^ 0x6060606060606060u; /* a zero byte where s has '`' */
            uint64_t stop = (w & high) | ((grave - ones) & ~grave & high);
            uint64_t upper = (w + 0x3F * ones) & ~(w + 0x25 * ones) & ~w & high; /* 'A' <= byte <= 'Z' */
            w |= upper >> 2;
            memcpy(out + o, &w, 8);
            /* the bytes before the first flagged one are exact: a borrow only flags later bytes */
            size_t good = first_flagged_byte(stop);
            i += good;
            o += good;
            if (good < 8)
                break;
        }
        for (; i < len; i++) { /* the last bytes, one at a time */
            unsigned char b = (unsigned char)s[i];
            if (b >= 0x80 || b == '`')
                break;
            if (o + 1 >= out_size)
                return -1;
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        if (i >= len)
            break;
        int32_t cp;
        int n = utf8_decode((const uint8_t *)s + i, len - i, &cp);
        if (n < 0)
            return -1;
        i += (size_t)n;
        if (!table && cp < CP_TABLE_END)
            table = cp_table_ready();
        uint16_t mapped = table && cp < CP_TABLE_END ? (fold ? table[cp].fold : table[cp].lower) : CP_UNMAPPED;
        if (mapped != CP_UNMAPPED)
            cp = mapped;
        else
            cp = fold ? fold_of(cp) : utf8proc_tolower(cp);
        if (cp == 0x153 || cp == 0xE6) { /* œ, æ: spelt out, as the Debian word list spells them */
            if (o + 2 >= out_size)
                return -1;
            out[o++] = cp == 0x153 ? 'o' : 'a';
            out[o++] = 'e';
            continue;
        }
        if (!put_cp(out, out_size, &o, cp))
            return -1;
    }
    out[o] = '\0';
    return (int)o;
}

uint64_t fnv1a64(uint64_t h, const void *p, size_t len) {
    const uint8_t *b = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}

int utf8_lower(const char *s, size_t len, char *out, size_t out_size) {
    return map_cps(s, len, out, out_size, false);
}

int utf8_fold(const char *s, size_t len, char *out, size_t out_size) {
    return map_cps(s, len, out, out_size, true);
}

void set_why(char *why, size_t why_len, const char *fmt, ...) {
    if (!why || !why_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

const char *gla_strerror(int status) {
    switch (status) {
    case GLA_OK: return "success";
    case GLA_ERR_NOMEM: return "out of memory";
    case GLA_ERR_IO: return "input/output error";
    case GLA_ERR_UTF8: return "invalid UTF-8";
    case GLA_ERR_NUL: return "NUL byte in text (binary data?)";
    case GLA_ERR_EMPTY: return "empty document";
    case GLA_ERR_TOO_LARGE: return "document exceeds the size limit";
    case GLA_ERR_DATA: return "malformed model data";
    case GLA_ERR_REGEX: return "rule does not compile";
    case GLA_ERR_JSON: return "malformed JSON record";
    case GLA_ERR_ARG: return "invalid argument";
    case GLA_ERR_LIMIT: return "document exceeds a limit";
    default: return "unknown error";
    }
}
