/* A port of tests/referee/score.py, the referee that scores predictions against the gold files.
 *
 * The referee is the definition of the scores, so this file follows it statement by statement,
 * Python semantics included: strings are sequences of code points, JSON values compare as Python
 * values do (1 == 1.0 == true), and inputs that would make the script raise make the port fail
 * with a one-line reason. Comments of the form `py: ...` quote the line being ported. */
#include "eval.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------------------------------------
 * Errors and memory */

typedef struct {
    bool failed;
    char message[300];
} eval_error;

/* Records why scoring cannot go on. Only the first reason is kept: later ones are consequences.
 * Callers carry on with empty values and the caller at the top checks `failed`. */
__attribute__((format(printf, 2, 3))) static void fail(eval_error *error, const char *format, ...) {
    if (error->failed)
        return;
    error->failed = true;
    va_list args;
    va_start(args, format);
    vsnprintf(error->message, sizeof error->message, format, args);
    va_end(args);
}

static void *xrealloc(void *block, size_t size) {
    void *grown = realloc(block, size ? size : 1);
    if (!grown) {
        fputs("glaneur eval: out of memory\n", stderr);
        abort();
    }
    return grown;
}

static void *xcalloc(size_t count, size_t size) {
    void *block = calloc(count ? count : 1, size ? size : 1);
    if (!block) {
        fputs("glaneur eval: out of memory\n", stderr);
        abort();
    }
    return block;
}

static void *grow_array(void *items, size_t *capacity, size_t item_size) {
    *capacity = *capacity ? *capacity * 2 : 8;
    return xrealloc(items, *capacity * item_size);
}

/* A NUL-terminated copy of LEN bytes. */
static char *copy_bytes(const char *bytes, size_t len) {
    char *copy = xrealloc(NULL, len + 1);
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    return copy;
}

/* Appends ITEM to VEC, any struct with members items, len and cap. */
#define VEC_PUSH(vec, item)                                                                                  \
    do {                                                                                                     \
        if ((vec).len == (vec).cap)                                                                          \
            (vec).items = grow_array((vec).items, &(vec).cap, sizeof *(vec).items);                          \
        (vec).items[(vec).len++] = (item);                                                                   \
    } while (0)

/* ---------------------------------------------------------------------------------------------
 * Byte buffers and code-point strings */

typedef struct {
    char *items;
    size_t len, cap;
} bytebuf;

/* Empty byte strings may have NULL items, which memcmp must not see. */
static bool bytes_equal(const char *a, size_t a_len, const char *b, size_t b_len) {
    return a_len == b_len && (a_len == 0 || !memcmp(a, b, a_len));
}

static void bytebuf_append(bytebuf *buf, const char *bytes, size_t count) {
    for (size_t i = 0; i < count; i++)
        VEC_PUSH(*buf, bytes[i]);
}

static void bytebuf_append_str(bytebuf *buf, const char *text) {
    bytebuf_append(buf, text, strlen(text));
}

static void bytebuf_append_code_point(bytebuf *buf, uint32_t c) {
    uint8_t bytes[4];
    utf8proc_ssize_t count = utf8proc_encode_char((utf8proc_int32_t)c, bytes);
    bytebuf_append(buf, (const char *)bytes, (size_t)count);
}

/* Growable array of code points, to build strings. */
typedef struct {
    uint32_t *items;
    size_t len, cap;
} cpbuf;

/* A Python str: immutable code points. A NULL `ustr *` stands for None. */
typedef struct {
    size_t len;
    uint32_t cp[];
} ustr;

static ustr *ustr_new(const uint32_t *code_points, size_t len) {
    ustr *s = xrealloc(NULL, sizeof *s + len * sizeof s->cp[0]);
    s->len = len;
    if (len)
        memcpy(s->cp, code_points, len * sizeof s->cp[0]);
    return s;
}

static ustr *ustr_copy(const ustr *s) {
    return s ? ustr_new(s->cp, s->len) : NULL;
}

/* py: a == b, None included. */
static bool ustr_equal(const ustr *a, const ustr *b) {
    if (!a || !b)
        return a == b;
    return a->len == b->len && (a->len == 0 || !memcmp(a->cp, b->cp, a->len * sizeof a->cp[0]));
}

/* Python's str ordering: by code point. */
static int ustr_compare(const ustr *a, const ustr *b) {
    size_t common = a->len < b->len ? a->len : b->len;
    for (size_t i = 0; i < common; i++)
        if (a->cp[i] != b->cp[i])
            return a->cp[i] < b->cp[i] ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

static bool ustr_has_at(const ustr *haystack, size_t position, const ustr *needle) {
    if (position > haystack->len || haystack->len - position < needle->len)
        return false;
    for (size_t i = 0; i < needle->len; i++)
        if (haystack->cp[position + i] != needle->cp[i])
            return false;
    return true;
}

/* py: needle in haystack */
static bool ustr_in(const ustr *needle, const ustr *haystack) {
    if (needle->len > haystack->len)
        return false;
    for (size_t i = 0; i + needle->len <= haystack->len; i++)
        if (ustr_has_at(haystack, i, needle))
            return true;
    return false;
}

/* py: str(s), None included. */
static void bytebuf_append_ustr(bytebuf *buf, const ustr *s) {
    if (!s) {
        bytebuf_append_str(buf, "None");
        return;
    }
    for (size_t i = 0; i < s->len; i++)
        bytebuf_append_code_point(buf, s->cp[i]);
}

/* Decodes UTF-8 as Python does with errors="replace": every maximal ill-formed subsequence becomes
 * one U+FFFD. Returns how many were replaced, so that strict readers can refuse the input. */
static size_t utf8_decode(const unsigned char *bytes, size_t count, cpbuf *out) {
    size_t replaced = 0;
    size_t i = 0;
    while (i < count) {
        unsigned char lead = bytes[i];
        if (lead < 0x80) {
            VEC_PUSH(*out, lead);
            i++;
            continue;
        }
        size_t needed;
        uint32_t c;
        unsigned char low = 0x80, high = 0xBF; /* allowed range of the next byte */
        if (lead >= 0xC2 && lead <= 0xDF) {
            needed = 1;
            c = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            needed = 2;
            c = lead & 0x0F;
            if (lead == 0xE0)
                low = 0xA0; /* overlong */
            else if (lead == 0xED)
                high = 0x9F; /* surrogates */
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            needed = 3;
            c = lead & 0x07;
            if (lead == 0xF0)
                low = 0x90; /* overlong */
            else if (lead == 0xF4)
                high = 0x8F; /* beyond U+10FFFF */
        } else {
            VEC_PUSH(*out, 0xFFFD);
            replaced++;
            i++;
            continue;
        }
        size_t taken = 1;
        while (taken <= needed && i + taken < count && bytes[i + taken] >= low && bytes[i + taken] <= high) {
            c = (c << 6) | (bytes[i + taken] & 0x3F);
            low = 0x80;
            high = 0xBF;
            taken++;
        }
        if (taken > needed) {
            VEC_PUSH(*out, c);
        } else {
            VEC_PUSH(*out, 0xFFFD);
            replaced++;
        }
        i += taken;
    }
    return replaced;
}

static ustr *ustr_from_utf8(const char *bytes, size_t count) {
    cpbuf code_points = {0};
    utf8_decode((const unsigned char *)bytes, count, &code_points);
    ustr *s = ustr_new(code_points.items, code_points.len);
    free(code_points.items);
    return s;
}

/* ---------------------------------------------------------------------------------------------
 * Character classes and the referee's translation tables */

/* str.isspace(), which is also what `\s` and str.split() use on str. */
static bool py_isspace(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

/* py: APOS */
static bool is_apostrophe(uint32_t c) {
    return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x0060 || c == 0x00B4;
}

/* py: DASH */
static bool is_dash(uint32_t c) {
    return (c >= 0x2010 && c <= 0x2014) || c == 0x2212;
}

/* py: SPACE */
static bool is_odd_space(uint32_t c) {
    return c == 0x00A0 || c == 0x202F || c == 0x2007 || c == 0x2009 || c == 0x200A || c == 0x3000;
}

/* py: ZW */
static bool is_zero_width(uint32_t c) {
    return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

/* py: PUNCT = re.compile(r"[.,;:!?\"«»()\[\]]"), also the set stripped from words. */
static bool is_punct(uint32_t c) {
    switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '"':
    case 0xAB:
    case 0xBB:
    case '(':
    case ')':
    case '[':
    case ']': return true;
    default: return false;
    }
}

/* py: s.strip(".,;:!?\"«»()[]"), or with a leading space when WITH_SPACE (norm's set). */
static ustr *strip_punct(const uint32_t *cp, size_t len, bool with_space) {
    size_t start = 0, end = len;
    while (start < end && (is_punct(cp[start]) || (with_space && cp[start] == ' ')))
        start++;
    while (end > start && (is_punct(cp[end - 1]) || (with_space && cp[end - 1] == ' ')))
        end--;
    return end > start ? ustr_new(cp + start, end - start) : ustr_new(NULL, 0);
}

/* py: s.translate(APOS) */
static ustr *translate_apostrophes(const ustr *s) {
    ustr *out = ustr_copy(s);
    for (size_t i = 0; i < out->len; i++)
        if (is_apostrophe(out->cp[i]))
            out->cp[i] = '\'';
    return out;
}

/* Appends the utf8proc mapping of C under OPTIONS (a full NFKD decomposition or case folding). */
static void map_code_point(uint32_t c, utf8proc_option_t options, cpbuf *out) {
    utf8proc_int32_t mapped[32]; /* the longest NFKD is 18 code points, a case folding 3 */
    int boundclass = 0;
    utf8proc_ssize_t count = utf8proc_decompose_char((utf8proc_int32_t)c, mapped, 32, options, &boundclass);
    if (count < 0 || count > 32) {
        VEC_PUSH(*out, c);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < count; i++)
        VEC_PUSH(*out, (uint32_t)mapped[i]);
}

/* py: norm(s). Every step before the whitespace collapse maps one code point at a time, so they
 * run per code point: NFKD's canonical reordering only moves combining marks, which are dropped. */
static ustr *norm(const ustr *s) {
    if (!s)
        return NULL;
    cpbuf decomposed = {0}, folded = {0}, collapsed = {0};
    for (size_t i = 0; i < s->len; i++) {
        uint32_t c = s->cp[i];
        if (is_apostrophe(c))
            c = '\'';
        else if (is_dash(c))
            c = '-';
        else if (is_odd_space(c))
            c = ' ';
        else if (is_zero_width(c))
            continue;
        if (c == 0x0111)
            c = 'd';
        else if (c == 0x0110)
            c = 'D';
        decomposed.len = 0;
        map_code_point(c, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE, &decomposed);
        for (size_t k = 0; k < decomposed.len; k++) {
            /* unicodedata.combining() is the canonical combining class */
            if (utf8proc_get_property((utf8proc_int32_t)decomposed.items[k])->combining_class)
                continue;
            map_code_point(decomposed.items[k], UTF8PROC_CASEFOLD, &folded);
        }
    }
    /* py: re.sub(r"\s+", " ", s) */
    bool in_space = false;
    for (size_t i = 0; i < folded.len; i++) {
        if (py_isspace(folded.items[i])) {
            if (!in_space)
                VEC_PUSH(collapsed, ' ');
            in_space = true;
        } else {
            VEC_PUSH(collapsed, folded.items[i]);
            in_space = false;
        }
    }
    ustr *normalized = strip_punct(collapsed.items, collapsed.len, true);
    free(decomposed.items);
    free(folded.items);
    free(collapsed.items);
    return normalized;
}

/* py: PUNCT.sub("", s) */
static ustr *remove_punct(const ustr *s) {
    cpbuf kept = {0};
    for (size_t i = 0; i < s->len; i++)
        if (!is_punct(s->cp[i]))
            VEC_PUSH(kept, s->cp[i]);
    ustr *out = ustr_new(kept.items, kept.len);
    free(kept.items);
    return out;
}

/* py: bare(s), for a str S */
static ustr *bare(const ustr *s) {
    ustr *normalized = norm(s);
    ustr *out = remove_punct(normalized);
    free(normalized);
    return out;
}

/* py: contains(a, b) */
static bool contains(const ustr *a, const ustr *b) {
    if (!a || !b)
        return false;
    return ustr_equal(a, b) || (b->len >= 3 && ustr_in(b, a)) || (a->len >= 3 && ustr_in(a, b));
}

/* ---------------------------------------------------------------------------------------------
 * Lists, sets and ordered dicts of strings (small: linear search is enough) */

typedef struct {
    ustr **items; /* owned; NULL items are None */
    size_t len, cap;
} ustr_list;

static void ustr_list_free(ustr_list *list) {
    for (size_t i = 0; i < list->len; i++)
        free(list->items[i]);
    free(list->items);
    *list = (ustr_list){0};
}

static bool ustr_list_has(const ustr_list *list, const ustr *s) {
    for (size_t i = 0; i < list->len; i++)
        if (ustr_equal(list->items[i], s))
            return true;
    return false;
}

/* py: set.add(s), taking ownership of S. */
static void ustr_set_add(ustr_list *set, ustr *s) {
    if (ustr_list_has(set, s))
        free(s);
    else
        VEC_PUSH(*set, s);
}

/* py: bool(a & b) */
static bool ustr_sets_meet(const ustr_list *a, const ustr_list *b) {
    for (size_t i = 0; i < a->len; i++)
        if (ustr_list_has(b, a->items[i]))
            return true;
    return false;
}

/* py: a == b for sets (lists without repeats) */
static bool ustr_sets_equal(const ustr_list *a, const ustr_list *b) {
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++)
        if (!ustr_list_has(b, a->items[i]))
            return false;
    return true;
}

/* py: tuple a == tuple b */
static bool ustr_lists_equal(const ustr_list *a, const ustr_list *b) {
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++)
        if (!ustr_equal(a->items[i], b->items[i]))
            return false;
    return true;
}

static int compare_ustr_items(const void *left, const void *right) {
    return ustr_compare(*(ustr *const *)left, *(ustr *const *)right);
}

/* py: sorted(set_of_str) -- None cannot be ordered against anything. */
static void ustr_list_sort(eval_error *error, ustr_list *list) {
    if (list->len < 2)
        return;
    if (ustr_list_has(list, NULL)) {
        fail(error, "cannot sort None among relation agents");
        return;
    }
    qsort(list->items, list->len, sizeof list->items[0], compare_ustr_items);
}

typedef struct {
    ustr *key;   /* owned, may be None */
    ustr *value; /* owned, may be None */
} ustr_pair;

/* A dict from str to str, in insertion order. */
typedef struct {
    ustr_pair *items;
    size_t len, cap;
} ustr_map;

static void ustr_map_free(ustr_map *map) {
    for (size_t i = 0; i < map->len; i++) {
        free(map->items[i].key);
        free(map->items[i].value);
    }
    free(map->items);
    *map = (ustr_map){0};
}

static ustr_pair *ustr_map_find(const ustr_map *map, const ustr *key) {
    for (size_t i = 0; i < map->len; i++)
        if (ustr_equal(map->items[i].key, key))
            return &map->items[i];
    return NULL;
}

/* py: d.setdefault(key, value), taking ownership of both. */
static void ustr_map_setdefault(ustr_map *map, ustr *key, ustr *value) {
    if (ustr_map_find(map, key)) {
        free(key);
        free(value);
        return;
    }
    VEC_PUSH(*map, ((ustr_pair){key, value}));
}

/* py: d[key] = value, taking ownership of both; an existing key keeps its place. */
static void ustr_map_set(ustr_map *map, ustr *key, ustr *value) {
    ustr_pair *pair = ustr_map_find(map, key);
    if (pair) {
        free(key);
        free(pair->value);
        pair->value = value;
        return;
    }
    VEC_PUSH(*map, ((ustr_pair){key, value}));
}

/* py: value in d.values() */
static bool ustr_map_has_value(const ustr_map *map, const ustr *value) {
    for (size_t i = 0; i < map->len; i++)
        if (ustr_equal(map->items[i].value, value))
            return true;
    return false;
}

/* ---------------------------------------------------------------------------------------------
 * JSON values seen as Python values. A NULL json_t * is an absent key; like JSON null, it is
 * None, except where the script's .get has a default. */

static bool is_none(const json_t *value) {
    return !value || json_is_null(value);
}

/* py: bool(value) */
static bool py_truthy(const json_t *value) {
    switch (value ? json_typeof(value) : JSON_NULL) {
    case JSON_TRUE: return true;
    case JSON_INTEGER: return json_integer_value(value) != 0;
    case JSON_REAL: return json_real_value(value) != 0.0;
    case JSON_STRING: return json_string_length(value) > 0;
    case JSON_ARRAY: return json_array_size(value) > 0;
    case JSON_OBJECT: return json_object_size(value) > 0;
    default: return false;
    }
}

/* py: isinstance(value, int) -- bool is an int in Python. */
static bool py_int(const json_t *value, long long *out) {
    if (json_is_integer(value)) {
        *out = (long long)json_integer_value(value);
        return true;
    }
    if (json_is_boolean(value)) {
        *out = json_is_true(value);
        return true;
    }
    return false;
}

/* Python compares an int and a float exactly. */
static bool int_equals_real(long long integer, double real) {
    if (!(real >= -9223372036854775808.0 && real < 9223372036854775808.0))
        return false;
    long long truncated = (long long)real;
    return (double)truncated == real && truncated == integer;
}

/* py: a == b */
static bool py_equal(const json_t *a, const json_t *b) {
    if (is_none(a) || is_none(b))
        return is_none(a) && is_none(b);
    long long int_a, int_b;
    bool a_is_int = py_int(a, &int_a), b_is_int = py_int(b, &int_b);
    if (a_is_int && b_is_int)
        return int_a == int_b;
    if (a_is_int && json_is_real(b))
        return int_equals_real(int_a, json_real_value(b));
    if (json_is_real(a) && b_is_int)
        return int_equals_real(int_b, json_real_value(a));
    if (json_is_real(a) && json_is_real(b))
        return json_real_value(a) == json_real_value(b);
    if (json_is_string(a) && json_is_string(b))
        return bytes_equal(json_string_value(a), json_string_length(a), json_string_value(b),
                           json_string_length(b));
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!py_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    if (json_is_object(a) && json_is_object(b)) {
        if (json_object_size(a) != json_object_size(b))
            return false;
        const char *key;
        size_t key_len;
        json_t *value;
        json_object_keylen_foreach((json_t *)a, key, key_len, value) {
            json_t *other = json_object_getn(b, key, key_len);
            if (!other || !py_equal(value, other))
                return false;
        }
        return true;
    }
    return false;
}

/* py: value == "text" */
static bool py_equal_cstr(const json_t *value, const char *text) {
    return json_is_string(value) && json_string_length(value) == strlen(text) &&
           !memcmp(json_string_value(value), text, json_string_length(value));
}

/* py: obj.get(key). OBJ may be NULL, standing for an empty dict (a `.get(..., {})` default). */
static json_t *py_get(eval_error *error, json_t *obj, const char *key) {
    if (!obj)
        return NULL;
    if (!json_is_object(obj)) {
        fail(error, "cannot look up \"%s\" in a JSON %s", key,
             json_is_null(obj) ? "null" : "value that is not an object");
        return NULL;
    }
    return json_object_get(obj, key);
}

/* py: obj[key] */
static json_t *py_index(eval_error *error, json_t *obj, const char *key) {
    json_t *value = py_get(error, obj, key);
    if (!value && !error->failed)
        fail(error, "missing key \"%s\"", key);
    return value;
}

/* py: list(value), as a new reference: a string gives its characters, an object its keys. */
static json_t *py_items(eval_error *error, json_t *value) {
    if (json_is_array(value))
        return json_incref(value);
    json_t *items = json_array();
    if (json_is_string(value)) {
        ustr *text = ustr_from_utf8(json_string_value(value), json_string_length(value));
        for (size_t i = 0; i < text->len; i++) {
            bytebuf character = {0};
            bytebuf_append_code_point(&character, text->cp[i]);
            json_array_append_new(items, json_stringn(character.items, character.len));
            free(character.items);
        }
        free(text);
    } else if (json_is_object(value)) {
        const char *key;
        size_t key_len;
        json_t *member;
        json_object_keylen_foreach(value, key, key_len, member) {
            (void)member;
            json_array_append_new(items, json_stringn(key, key_len));
        }
    } else {
        fail(error, "expected a JSON array, got %s", is_none(value) ? "null" : "a scalar");
    }
    return items;
}

/* py: list(obj.get(key, [])), as a new reference. */
static json_t *py_get_items(eval_error *error, json_t *obj, const char *key) {
    json_t *value = py_get(error, obj, key);
    return value ? py_items(error, value) : json_array();
}

/* py: as_list(v), as a new reference. */
static json_t *as_list(json_t *value) {
    if (is_none(value))
        return json_array();
    if (json_is_array(value))
        return json_incref(value);
    json_t *list = json_array();
    json_array_append(list, value);
    return list;
}

/* py: arg_strings(a), as a new reference to an array of JSON strings. */
static json_t *arg_strings(eval_error *error, json_t *arg) {
    json_t *strings = json_array();
    if (is_none(arg))
        return strings;
    if (json_is_string(arg)) {
        json_array_append(strings, arg);
        return strings;
    }
    static const char *const keys[] = {"canonical", "text", "value"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *value = py_get(error, arg, keys[i]);
        if (json_is_string(value))
            json_array_append(strings, value);
    }
    return strings;
}

/* A JSON string or null as a ustr (NULL for None); anything else is an error, as `.translate`
 * or `.strip` would raise on it. */
static ustr *ustr_from_json(eval_error *error, const json_t *value) {
    if (is_none(value))
        return NULL;
    if (!json_is_string(value)) {
        fail(error, "expected a JSON string where the referee needs text");
        return NULL;
    }
    return ustr_from_utf8(json_string_value(value), json_string_length(value));
}

/* py: norm(value) */
static ustr *norm_json(eval_error *error, const json_t *value) {
    ustr *text = ustr_from_json(error, value);
    ustr *normalized = norm(text);
    free(text);
    return normalized;
}

/* py: canon(value), with the gold alias table. */
static ustr *canon_json(eval_error *error, const ustr_map *aliases, const json_t *value) {
    ustr *normalized = norm_json(error, value);
    ustr_pair *alias = ustr_map_find(aliases, normalized);
    if (!alias)
        return normalized;
    free(normalized);
    return ustr_copy(alias->value);
}

/* py: repr(float), the shortest string that reads back as VALUE. */
static void append_py_float(bytebuf *out, double value) {
    char scientific[64];
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(scientific, sizeof scientific, "%.*e", precision - 1, value);
        if (strtod(scientific, NULL) == value)
            break;
    }
    char digits[32];
    size_t n_digits = 0;
    const char *p = scientific;
    if (*p == '-') {
        bytebuf_append_str(out, "-");
        p++;
    }
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && n_digits < sizeof digits)
            digits[n_digits++] = *p;
    int exponent = *p == 'e' ? atoi(p + 1) : 0;
    while (n_digits > 1 && digits[n_digits - 1] == '0')
        n_digits--;
    int point = exponent + 1; /* digits before the decimal point */
    if (point > -4 && point <= 16) {
        if (point <= 0) {
            bytebuf_append_str(out, "0.");
            for (int i = 0; i < -point; i++)
                bytebuf_append_str(out, "0");
            bytebuf_append(out, digits, n_digits);
        } else if ((size_t)point >= n_digits) {
            bytebuf_append(out, digits, n_digits);
            for (size_t i = n_digits; i < (size_t)point; i++)
                bytebuf_append_str(out, "0");
            bytebuf_append_str(out, ".0");
        } else {
            bytebuf_append(out, digits, (size_t)point);
            bytebuf_append_str(out, ".");
            bytebuf_append(out, digits + point, n_digits - (size_t)point);
        }
    } else {
        bytebuf_append(out, digits, 1);
        if (n_digits > 1) {
            bytebuf_append_str(out, ".");
            bytebuf_append(out, digits + 1, n_digits - 1);
        }
        char exponent_text[16];
        snprintf(exponent_text, sizeof exponent_text, "e%c%02d", exponent < 0 ? '-' : '+',
                 exponent < 0 ? -exponent : exponent);
        bytebuf_append_str(out, exponent_text);
    }
}

/* str.isprintable() for one code point: what repr() leaves as it is. */
static bool py_isprintable(uint32_t c) {
    utf8proc_category_t category = utf8proc_category((utf8proc_int32_t)c);
    return c == ' ' || (category != UTF8PROC_CATEGORY_CN && category != UTF8PROC_CATEGORY_ZS &&
                        category != UTF8PROC_CATEGORY_ZL && category != UTF8PROC_CATEGORY_ZP &&
                        category != UTF8PROC_CATEGORY_CC && category != UTF8PROC_CATEGORY_CF &&
                        category != UTF8PROC_CATEGORY_CS && category != UTF8PROC_CATEGORY_CO);
}

/* py: repr(s) for a str S, or None: single quotes unless S holds a single quote and no double
 * one, backslash escapes for the quote, the backslash, controls and unprintable characters. */
static void append_ustr_repr(bytebuf *out, const ustr *s) {
    if (!s) {
        bytebuf_append_str(out, "None");
        return;
    }
    bool has_single = false, has_double = false;
    for (size_t i = 0; i < s->len; i++) {
        has_single = has_single || s->cp[i] == '\'';
        has_double = has_double || s->cp[i] == '"';
    }
    char quote = has_single && !has_double ? '"' : '\'';
    VEC_PUSH(*out, quote);
    for (size_t i = 0; i < s->len; i++) {
        uint32_t c = s->cp[i];
        char escape[16];
        if (c == (uint32_t)quote || c == '\\') {
            VEC_PUSH(*out, '\\');
            VEC_PUSH(*out, (char)c);
        } else if (c == '\t' || c == '\n' || c == '\r') {
            bytebuf_append_str(out, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
        } else if (c < ' ' || c == 0x7F || (c > 0x7F && !py_isprintable(c))) {
            snprintf(escape, sizeof escape,
                     c <= 0xFF     ? "\\x%02x"
                     : c <= 0xFFFF ? "\\u%04x"
                                   : "\\U%08x",
                     (unsigned)c);
            bytebuf_append_str(out, escape);
        } else {
            bytebuf_append_code_point(out, c);
        }
    }
    VEC_PUSH(*out, quote);
}

/* py: repr(value) for a JSON value; NULL (an absent key) is None. */
static void append_py_repr(bytebuf *out, const json_t *value) {
    char number[32];
    switch (value ? json_typeof(value) : JSON_NULL) {
    case JSON_STRING: {
        ustr *text = ustr_from_utf8(json_string_value(value), json_string_length(value));
        append_ustr_repr(out, text);
        free(text);
        break;
    }
    case JSON_INTEGER:
        snprintf(number, sizeof number, "%lld", (long long)json_integer_value(value));
        bytebuf_append_str(out, number);
        break;
    case JSON_REAL: append_py_float(out, json_real_value(value)); break;
    case JSON_TRUE: bytebuf_append_str(out, "True"); break;
    case JSON_FALSE: bytebuf_append_str(out, "False"); break;
    case JSON_NULL: bytebuf_append_str(out, "None"); break;
    case JSON_ARRAY:
        bytebuf_append_str(out, "[");
        for (size_t i = 0; i < json_array_size(value); i++) {
            if (i)
                bytebuf_append_str(out, ", ");
            append_py_repr(out, json_array_get(value, i));
        }
        bytebuf_append_str(out, "]");
        break;
    case JSON_OBJECT: {
        const char *key;
        size_t key_len;
        json_t *member;
        bool first = true;
        bytebuf_append_str(out, "{");
        json_object_keylen_foreach((json_t *)value, key, key_len, member) {
            if (!first)
                bytebuf_append_str(out, ", ");
            first = false;
            ustr *key_text = ustr_from_utf8(key, key_len);
            append_ustr_repr(out, key_text);
            free(key_text);
            bytebuf_append_str(out, ": ");
            append_py_repr(out, member);
        }
        bytebuf_append_str(out, "}");
        break;
    }
    }
}

/* py: str(value), also what "%s" makes of it. */
static void append_py_str(bytebuf *out, const json_t *value) {
    if (json_is_string(value))
        bytebuf_append(out, json_string_value(value), json_string_length(value));
    else
        append_py_repr(out, value);
}

/* Sorts an array of JSON strings by code point (the order of their UTF-8 bytes). */
static int compare_json_strings(const void *left, const void *right) {
    const json_t *a = *(json_t *const *)left, *b = *(json_t *const *)right;
    size_t a_len = json_string_length(a), b_len = json_string_length(b);
    int order = memcmp(json_string_value(a), json_string_value(b), a_len < b_len ? a_len : b_len);
    if (order)
        return order;
    return a_len < b_len ? -1 : a_len > b_len;
}

/* Adds TYPE to the set TYPES unless it is falsy (py: `if t`) or SKIPPED; a type Python could
 * neither hash, sort among strings nor append to "entity:" is an error. */
static void collect_type(eval_error *error, json_t *types, json_t *type, const char *skipped) {
    if (json_is_array(type) || json_is_object(type)) {
        fail(error, "a \"type\" is a JSON array or object");
        return;
    }
    if (!py_truthy(type))
        return;
    if (!json_is_string(type)) {
        fail(error, "a \"type\" is not a string");
        return;
    }
    if (skipped && py_equal_cstr(type, skipped))
        return;
    for (size_t i = 0; i < json_array_size(types); i++)
        if (py_equal(json_array_get(types, i), type))
            return;
    json_array_append(types, type);
}

/* py: sorted(types), as a malloc'ed array of borrowed strings. */
static json_t **sorted_types(json_t *types) {
    size_t count = json_array_size(types);
    json_t **sorted = xcalloc(count, sizeof *sorted);
    for (size_t i = 0; i < count; i++)
        sorted[i] = json_array_get(types, i);
    qsort(sorted, count, sizeof *sorted, compare_json_strings);
    return sorted;
}

/* ---------------------------------------------------------------------------------------------
 * Tallies: py `tot` */

typedef struct {
    long long tp_p, n_p, tp_r, n_g;
} counts;

typedef struct {
    bytebuf key; /* UTF-8 */
    counts value;
} counts_entry;

typedef struct {
    counts_entry *items;
    size_t len, cap;
} counts_table;

typedef struct {
    bytebuf *items;
    size_t len, cap;
} line_list;

/* py: the lists of tot that --errors prints, in the order it prints them. */
enum line_kind {
    SPLIT_ERRORS,
    SPLIT_MISSED,
    ENTITY_MISSED,
    ENTITY_SPURIOUS,
    DATE_MISSED,
    DATE_WRONG,
    DATE_SPURIOUS,
    RELATION_MISSED,
    RELATION_SPURIOUS,
    BODY_END_WRONG,
    N_LINE_KINDS
};

/* py: k[1:] for each key k of those lists */
static const char *const line_labels[N_LINE_KINDS] = {
    "split_errors", "split_missed",  "entity_missed",   "entity_spurious",   "date_missed",
    "date_wrong",   "date_spurious", "relation_missed", "relation_spurious", "body_end_wrong"};

typedef struct {
    counts_table counts;
    line_list lines[N_LINE_KINDS];
} tally;

/* py: tot.setdefault(key, Counts()).add(tp_p, n_p, tp_r, n_g), KEY being the concatenation of
 * PREFIX, the JSON string MIDDLE (or nothing) and SUFFIX. */
static void tally_add(tally *tot, const char *prefix, const json_t *middle, const char *suffix,
                      long long tp_p, long long n_p, long long tp_r, long long n_g) {
    bytebuf key = {0};
    bytebuf_append_str(&key, prefix);
    if (middle)
        bytebuf_append(&key, json_string_value(middle), json_string_length(middle));
    bytebuf_append_str(&key, suffix);
    counts_entry *entry = NULL;
    for (size_t i = 0; i < tot->counts.len && !entry; i++)
        if (bytes_equal(tot->counts.items[i].key.items, tot->counts.items[i].key.len, key.items, key.len))
            entry = &tot->counts.items[i];
    if (entry) {
        free(key.items);
    } else {
        VEC_PUSH(tot->counts, ((counts_entry){key, {0, 0, 0, 0}}));
        entry = &tot->counts.items[tot->counts.len - 1];
    }
    entry->value.tp_p += tp_p;
    entry->value.n_p += n_p;
    entry->value.tp_r += tp_r;
    entry->value.n_g += n_g;
}

static void line_list_free(line_list *lines) {
    for (size_t i = 0; i < lines->len; i++)
        free(lines->items[i].items);
    free(lines->items);
    *lines = (line_list){0};
}

static void tally_free(tally *tot) {
    for (size_t i = 0; i < tot->counts.len; i++)
        free(tot->counts.items[i].key.items);
    free(tot->counts.items);
    for (size_t kind = 0; kind < N_LINE_KINDS; kind++)
        line_list_free(&tot->lines[kind]);
}

/* ---------------------------------------------------------------------------------------------
 * difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() on lists of words, after
 * CPython's Lib/difflib.py. Without isjunk and autojunk there is neither junk nor popular
 * element, so b2j holds every element of b and the junk-extension loops never run. */

typedef struct {
    size_t i, j, size;
} match_block;

typedef struct {
    size_t i1, i2, j1, j2;
} replace_block;

typedef struct {
    const size_t *a, *b; /* word ids */
    size_t a_len, b_len;
    size_t *b2j_start; /* b2j[id] is b2j_index[b2j_start[id] .. b2j_start[id + 1]] */
    size_t *b2j_index; /* positions in b, ascending within an id */
    size_t *j2len;     /* py j2len: run length ending at b[j] in the previous row of a */
    size_t *new_j2len; /* py newj2len */
    size_t *set_j;     /* positions set in j2len, to clear it */
    size_t *new_set_j; /* positions set in new_j2len */
} sequence_matcher;

static void matcher_init(sequence_matcher *sm, const size_t *a, size_t a_len, const size_t *b, size_t b_len,
                         size_t n_ids) {
    sm->a = a;
    sm->b = b;
    sm->a_len = a_len;
    sm->b_len = b_len;
    sm->b2j_start = xcalloc(n_ids + 1, sizeof *sm->b2j_start);
    sm->b2j_index = xcalloc(b_len, sizeof *sm->b2j_index);
    for (size_t j = 0; j < b_len; j++)
        sm->b2j_start[b[j] + 1]++;
    for (size_t id = 0; id < n_ids; id++)
        sm->b2j_start[id + 1] += sm->b2j_start[id];
    size_t *filled = xcalloc(n_ids, sizeof *filled);
    for (size_t j = 0; j < b_len; j++)
        sm->b2j_index[sm->b2j_start[b[j]] + filled[b[j]]++] = j;
    free(filled);
    sm->j2len = xcalloc(b_len, sizeof *sm->j2len);
    sm->new_j2len = xcalloc(b_len, sizeof *sm->new_j2len);
    sm->set_j = xcalloc(b_len, sizeof *sm->set_j);
    sm->new_set_j = xcalloc(b_len, sizeof *sm->new_set_j);
}

static void matcher_free(sequence_matcher *sm) {
    free(sm->b2j_start);
    free(sm->b2j_index);
    free(sm->j2len);
    free(sm->new_j2len);
    free(sm->set_j);
    free(sm->new_set_j);
}

/* py: find_longest_match(alo, ahi, blo, bhi). Ties go to the match that ends first in a, then
 * first in b, as the strict `k > bestsize` makes them. */
static match_block find_longest_match(sequence_matcher *sm, size_t alo, size_t ahi, size_t blo, size_t bhi) {
    size_t best_i = alo, best_j = blo, best_size = 0;
    size_t n_set = 0;
    for (size_t i = alo; i < ahi; i++) {
        size_t n_new_set = 0;
        size_t id = sm->a[i];
        for (size_t x = sm->b2j_start[id]; x < sm->b2j_start[id + 1]; x++) {
            size_t j = sm->b2j_index[x];
            if (j < blo)
                continue;
            if (j >= bhi)
                break;
            size_t k = (j > 0 ? sm->j2len[j - 1] : 0) + 1;
            sm->new_j2len[j] = k;
            sm->new_set_j[n_new_set++] = j;
            if (k > best_size) {
                best_i = i + 1 - k;
                best_j = j + 1 - k;
                best_size = k;
            }
        }
        /* py: j2len = newj2len */
        for (size_t x = 0; x < n_set; x++)
            sm->j2len[sm->set_j[x]] = 0;
        size_t *swap = sm->j2len;
        sm->j2len = sm->new_j2len;
        sm->new_j2len = swap;
        swap = sm->set_j;
        sm->set_j = sm->new_set_j;
        sm->new_set_j = swap;
        n_set = n_new_set;
    }
    for (size_t x = 0; x < n_set; x++)
        sm->j2len[sm->set_j[x]] = 0;
    while (best_i > alo && best_j > blo && sm->a[best_i - 1] == sm->b[best_j - 1]) {
        best_i--;
        best_j--;
        best_size++;
    }
    while (best_i + best_size < ahi && best_j + best_size < bhi &&
           sm->a[best_i + best_size] == sm->b[best_j + best_size])
        best_size++;
    return (match_block){best_i, best_j, best_size};
}

static int compare_match_blocks(const void *left, const void *right) {
    const match_block *x = left, *y = right;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    return x->size < y->size ? -1 : x->size > y->size;
}

typedef struct {
    match_block *items;
    size_t len, cap;
} match_blocks;

typedef struct {
    size_t alo, ahi, blo, bhi;
} match_range;

/* py: get_matching_blocks(), sentinel included. */
static match_blocks get_matching_blocks(sequence_matcher *sm) {
    match_blocks found = {0}, merged = {0};
    struct {
        match_range *items;
        size_t len, cap;
    } queue = {0};
    VEC_PUSH(queue, ((match_range){0, sm->a_len, 0, sm->b_len}));
    while (queue.len) {
        match_range r = queue.items[--queue.len];
        match_block m = find_longest_match(sm, r.alo, r.ahi, r.blo, r.bhi);
        if (!m.size)
            continue;
        VEC_PUSH(found, m);
        if (r.alo < m.i && r.blo < m.j)
            VEC_PUSH(queue, ((match_range){r.alo, m.i, r.blo, m.j}));
        if (m.i + m.size < r.ahi && m.j + m.size < r.bhi)
            VEC_PUSH(queue, ((match_range){m.i + m.size, r.ahi, m.j + m.size, r.bhi}));
    }
    free(queue.items);
    if (found.len)
        qsort(found.items, found.len, sizeof found.items[0], compare_match_blocks);
    /* collapse adjacent blocks */
    match_block current = {0, 0, 0};
    for (size_t x = 0; x < found.len; x++) {
        match_block next = found.items[x];
        if (current.i + current.size == next.i && current.j + current.size == next.j) {
            current.size += next.size;
        } else {
            if (current.size)
                VEC_PUSH(merged, current);
            current = next;
        }
    }
    if (current.size)
        VEC_PUSH(merged, current);
    VEC_PUSH(merged, ((match_block){sm->a_len, sm->b_len, 0}));
    free(found.items);
    return merged;
}

typedef struct {
    replace_block *items;
    size_t len, cap;
} replace_blocks;

/* py: [op for op in get_opcodes() if op[0] == "replace"] -- the only tag split_ops reads. */
static replace_blocks get_replace_opcodes(sequence_matcher *sm) {
    replace_blocks replaces = {0};
    match_blocks blocks = get_matching_blocks(sm);
    size_t i = 0, j = 0;
    for (size_t x = 0; x < blocks.len; x++) {
        match_block m = blocks.items[x];
        if (i < m.i && j < m.j)
            VEC_PUSH(replaces, ((replace_block){i, m.i, j, m.j}));
        i = m.i + m.size;
        j = m.j + m.size;
    }
    free(blocks.items);
    return replaces;
}

/* Gives every distinct word of A and B a small integer id, so that the matcher compares ids. */
static size_t intern_words(const ustr_list *a, const ustr_list *b, size_t *a_ids, size_t *b_ids) {
    size_t capacity = 16;
    while (capacity < 2 * (a->len + b->len))
        capacity *= 2;
    const ustr **slot_word = xcalloc(capacity, sizeof *slot_word);
    size_t *slot_id = xcalloc(capacity, sizeof *slot_id);
    size_t n_ids = 0;
    for (size_t side = 0; side < 2; side++) {
        const ustr_list *words = side ? b : a;
        size_t *ids = side ? b_ids : a_ids;
        for (size_t w = 0; w < words->len; w++) {
            const ustr *word = words->items[w];
            uint64_t hash = 1469598103934665603u; /* FNV-1a */
            for (size_t k = 0; k < word->len; k++)
                hash = (hash ^ word->cp[k]) * 1099511628211u;
            size_t slot = (size_t)hash & (capacity - 1);
            while (slot_word[slot] && !ustr_equal(slot_word[slot], word))
                slot = (slot + 1) & (capacity - 1);
            if (!slot_word[slot]) {
                slot_word[slot] = word;
                slot_id[slot] = n_ids++;
            }
            ids[w] = slot_id[slot];
        }
    }
    free(slot_word);
    free(slot_id);
    return n_ids;
}

/* py: [clean(w) for w in text.translate(SPACE).translate(ZW).split()] */
static void split_clean_words(const ustr *text, ustr_list *words) {
    cpbuf word = {0};
    bool in_word = false;
    for (size_t i = 0; i <= text->len; i++) {
        bool at_end = i == text->len;
        uint32_t c = at_end ? ' ' : text->cp[i];
        if (is_zero_width(c))
            continue;
        if (is_odd_space(c) || py_isspace(c)) {
            if (in_word) {
                ustr *stripped = strip_punct(word.items, word.len, false);
                VEC_PUSH(*words, translate_apostrophes(stripped));
                free(stripped);
                word.len = 0;
                in_word = false;
            }
            continue;
        }
        VEC_PUSH(word, c);
        in_word = true;
    }
    free(word.items);
}

/* py: " ".join(words[from:to]) */
static ustr *join_words(const ustr_list *words, size_t from, size_t to) {
    cpbuf joined = {0};
    for (size_t k = from; k < to; k++) {
        if (k > from)
            VEC_PUSH(joined, ' ');
        for (size_t x = 0; x < words->items[k]->len; x++)
            VEC_PUSH(joined, words->items[k]->cp[x]);
    }
    ustr *out = ustr_new(joined.items, joined.len);
    free(joined.items);
    return out;
}

/* py: for w, produced in split_ops(orig, normd): seen.setdefault(w, produced) */
static void split_ops(const ustr *orig, const ustr *normd, ustr_map *seen) {
    ustr_list a = {0}, b = {0};
    split_clean_words(orig, &a);
    split_clean_words(normd, &b);
    size_t *a_ids = xcalloc(a.len, sizeof *a_ids), *b_ids = xcalloc(b.len, sizeof *b_ids);
    size_t n_ids = intern_words(&a, &b, a_ids, b_ids);
    sequence_matcher sm;
    matcher_init(&sm, a_ids, a.len, b_ids, b.len, n_ids);
    replace_blocks replaces = get_replace_opcodes(&sm);
    cpbuf accumulated = {0};
    for (size_t x = 0; x < replaces.len; x++) {
        replace_block op = replaces.items[x];
        /* align inside the block: greedily map each original word to the run of produced words */
        size_t j = op.j1;
        for (size_t i = op.i1; i < op.i2; i++) {
            ustr *w = remove_punct(a.items[i]);
            accumulated.len = 0;
            size_t k = j;
            while (k < op.j2 && accumulated.len < w->len) {
                for (size_t c = 0; c < b.items[k]->len; c++)
                    if (!is_punct(b.items[k]->cp[c]))
                        VEC_PUSH(accumulated, b.items[k]->cp[c]);
                k++;
            }
            bool same = accumulated.len == w->len &&
                        (w->len == 0 || !memcmp(accumulated.items, w->cp, w->len * sizeof w->cp[0]));
            free(w);
            if (!same)
                break;
            if (k - j > 1)
                ustr_map_setdefault(seen, ustr_copy(a.items[i]), join_words(&b, j, k));
            j = k;
        }
    }
    free(accumulated.items);
    free(replaces.items);
    matcher_free(&sm);
    free(a_ids);
    free(b_ids);
    ustr_list_free(&a);
    ustr_list_free(&b);
}

/* ---------------------------------------------------------------------------------------------
 * score_doc */

/* The start of an --errors line: py "%s: " % gold["doc"], or "%s %s: " % (gold["doc"], TYPE)
 * when there is a TYPE (a JSON string). */
static bytebuf error_line(eval_error *error, json_t *gold, const json_t *type) {
    bytebuf line = {0};
    append_py_str(&line, py_index(error, gold, "doc"));
    if (type) {
        bytebuf_append_str(&line, " ");
        append_py_str(&line, type);
    }
    bytebuf_append_str(&line, ": ");
    return line;
}

typedef struct {
    json_t *type;    /* borrowed from the gold document */
    ustr *name;      /* normalized name, owned, may be None */
    ustr_list forms; /* normalized name and aliases */
} gold_entity;

typedef struct {
    gold_entity *items;
    size_t len, cap;
} gold_entities;

static void gold_entities_free(gold_entities *entities) {
    for (size_t i = 0; i < entities->len; i++) {
        free(entities->items[i].name);
        ustr_list_free(&entities->items[i].forms);
    }
    free(entities->items);
}

/* py: the loop that fills `alias` and `by_type`. */
static void read_gold_entities(eval_error *error, json_t *gold, gold_entities *entities, ustr_map *aliases) {
    json_t *items = py_get_items(error, gold, "entities");
    for (size_t n = 0; n < json_array_size(items); n++) {
        json_t *entity = json_array_get(items, n);
        ustr *name = norm_json(error, py_index(error, entity, "name"));
        ustr_list forms = {0};
        ustr_set_add(&forms, ustr_copy(name));
        json_t *alias_items = py_get_items(error, entity, "aliases");
        for (size_t k = 0; k < json_array_size(alias_items); k++)
            ustr_set_add(&forms, norm_json(error, json_array_get(alias_items, k)));
        json_decref(alias_items);
        json_t *type = py_index(error, entity, "type");
        if (json_is_array(type) || json_is_object(type))
            fail(error, "a gold entity \"type\" is a JSON array or object");
        VEC_PUSH(*entities, ((gold_entity){type, name, forms}));
        for (size_t k = 0; k < forms.len; k++)
            ustr_map_setdefault(aliases, ustr_copy(forms.items[k]), ustr_copy(name));
    }
    json_decref(items);
}

typedef struct {
    ustr *key;       /* owned, may be None */
    ustr_list forms; /* py: pforms[key] */
} form_group;

typedef struct {
    form_group *items;
    size_t len, cap;
} form_groups;

static form_group *form_groups_find(const form_groups *groups, const ustr *key) {
    for (size_t g = 0; g < groups->len; g++)
        if (ustr_equal(groups->items[g].key, key))
            return &groups->items[g];
    return NULL;
}

static void form_groups_free(form_groups *groups) {
    for (size_t g = 0; g < groups->len; g++) {
        free(groups->items[g].key);
        ustr_list_free(&groups->items[g].forms);
    }
    free(groups->items);
    *groups = (form_groups){0};
}

/* py: names.get(frozenset(g), sorted(g)[0]) for the gold entity GOLDS[G] of type TYPE: the name
 * of the last entity of that type written in the same forms. */
static const ustr *missed_entity_name(eval_error *error, const gold_entities *golds, size_t g,
                                      const json_t *type) {
    const ustr_list *forms = &golds->items[g].forms;
    /* the default, sorted(g)[0], is evaluated even though it is never used: None cannot be
     * ordered against a str */
    if (forms->len > 1 && ustr_list_has(forms, NULL))
        fail(error, "cannot sort None among the forms of a gold entity");
    const ustr *name = golds->items[g].name;
    for (size_t n = g + 1; n < golds->len; n++)
        if (py_equal(golds->items[n].type, type) && ustr_sets_equal(&golds->items[n].forms, forms))
            name = golds->items[n].name;
    return name;
}

/* py: the "# entities" block. */
static void score_entities(eval_error *error, json_t *gold, json_t *pred, const gold_entities *golds,
                           tally *tot) {
    json_t *pred_entities = py_get_items(error, pred, "entities");
    json_t *ents = json_array();
    for (size_t n = 0; n < json_array_size(pred_entities); n++) {
        json_t *entity = json_array_get(pred_entities, n);
        if (!py_equal_cstr(py_get(error, entity, "type"), "DATE"))
            json_array_append(ents, entity);
    }
    json_t *types = json_array();
    for (size_t n = 0; n < golds->len; n++)
        collect_type(error, types, golds->items[n].type, "DATE");
    for (size_t n = 0; n < json_array_size(ents); n++)
        collect_type(error, types, py_get(error, json_array_get(ents, n), "type"), "DATE");
    json_t **sorted = sorted_types(types);
    for (size_t t = 0; t < json_array_size(types); t++) {
        json_t *type = sorted[t];
        form_groups pforms = {0};
        for (size_t n = 0; n < json_array_size(ents); n++) {
            json_t *entity = json_array_get(ents, n);
            if (!py_equal(py_get(error, entity, "type"), type))
                continue;
            json_t *text = py_get(error, entity, "text");
            json_t *canonical = py_get(error, entity, "canonical");
            ustr_list fs = {0};
            if (py_truthy(text))
                ustr_set_add(&fs, norm_json(error, text));
            if (py_truthy(canonical))
                ustr_set_add(&fs, norm_json(error, canonical));
            ustr *key = norm_json(error, py_truthy(canonical) ? canonical : text);
            form_group *group = form_groups_find(&pforms, key);
            if (group) {
                free(key);
            } else {
                VEC_PUSH(pforms, ((form_group){key, {0}}));
                group = &pforms.items[pforms.len - 1];
            }
            for (size_t f = 0; f < fs.len; f++)
                ustr_set_add(&group->forms, ustr_copy(fs.items[f]));
            ustr_list_free(&fs);
        }
        ustr_list all_gold = {0}, all_pred = {0};
        long long n_gold = 0, tp_p = 0, tp_r = 0;
        for (size_t g = 0; g < golds->len; g++) {
            if (!py_equal(golds->items[g].type, type))
                continue;
            n_gold++;
            for (size_t f = 0; f < golds->items[g].forms.len; f++)
                ustr_set_add(&all_gold, ustr_copy(golds->items[g].forms.items[f]));
        }
        for (size_t p = 0; p < pforms.len; p++) {
            tp_p += ustr_sets_meet(&pforms.items[p].forms, &all_gold);
            for (size_t f = 0; f < pforms.items[p].forms.len; f++)
                ustr_set_add(&all_pred, ustr_copy(pforms.items[p].forms.items[f]));
        }
        for (size_t g = 0; g < golds->len; g++)
            if (py_equal(golds->items[g].type, type))
                tp_r += ustr_sets_meet(&golds->items[g].forms, &all_pred);
        tally_add(tot, "entity:", type, "", tp_p, (long long)pforms.len, tp_r, n_gold);
        for (size_t g = 0; g < golds->len; g++) {
            if (!py_equal(golds->items[g].type, type) || ustr_sets_meet(&golds->items[g].forms, &all_pred))
                continue;
            bytebuf line = error_line(error, gold, type);
            bytebuf_append_ustr(&line, missed_entity_name(error, golds, g, type));
            VEC_PUSH(tot->lines[ENTITY_MISSED], line);
        }
        for (size_t p = 0; p < pforms.len; p++) {
            if (ustr_sets_meet(&pforms.items[p].forms, &all_gold))
                continue;
            bytebuf line = error_line(error, gold, type);
            bytebuf_append_ustr(&line, pforms.items[p].key);
            VEC_PUSH(tot->lines[ENTITY_SPURIOUS], line);
        }
        ustr_list_free(&all_gold);
        ustr_list_free(&all_pred);
        form_groups_free(&pforms);
    }
    free(sorted);
    json_decref(types);
    json_decref(ents);
    json_decref(pred_entities);
}

/* The start of a date_missed or date_wrong line: py "%s: %r" % (doc, TEXT), then SEPARATOR and
 * str(VALUE). */
static bytebuf gold_date_line(eval_error *error, json_t *gold, const json_t *text, const char *separator,
                              const json_t *value) {
    bytebuf line = error_line(error, gold, NULL);
    append_py_repr(&line, text);
    bytebuf_append_str(&line, separator);
    append_py_str(&line, value);
    return line;
}

/* py: the "# dates" block. */
static void score_dates(eval_error *error, json_t *gold, json_t *pred, tally *tot) {
    json_t *gdates = py_get_items(error, gold, "dates");
    json_t *pred_entities = py_get_items(error, pred, "entities");
    /* py: pdates, a dict from normalized text to value */
    ustr_list pdate_texts = {0};
    json_t **pdate_values = xcalloc(json_array_size(pred_entities), sizeof *pdate_values);
    for (size_t n = 0; n < json_array_size(pred_entities); n++) {
        json_t *entity = json_array_get(pred_entities, n);
        if (!py_equal_cstr(py_get(error, entity, "type"), "DATE"))
            continue;
        ustr *text = norm_json(error, py_get(error, entity, "text"));
        if (ustr_list_has(&pdate_texts, text)) {
            free(text);
            continue;
        }
        pdate_values[pdate_texts.len] = py_get(error, entity, "value");
        VEC_PUSH(pdate_texts, text);
    }
    size_t n_gold = json_array_size(gdates);
    ustr_list gold_texts = {0};
    long long found = 0, value_ok = 0;
    for (size_t g = 0; g < n_gold; g++) {
        json_t *date = json_array_get(gdates, g);
        json_t *text = py_index(error, date, "text");
        ustr *gt = norm_json(error, text);
        VEC_PUSH(gold_texts, gt);
        json_t *value = py_get(error, date, "value");
        /* py: hit, the values of the predicted dates the gold one contains or is contained in */
        json_t *hit = json_array();
        bool value_hit = false;
        for (size_t p = 0; p < pdate_texts.len; p++) {
            if (!contains(gt, pdate_texts.items[p]))
                continue;
            json_array_append(hit, pdate_values[p] ? pdate_values[p] : json_null());
            value_hit = value_hit || py_equal(value, pdate_values[p]);
        }
        if (json_array_size(hit)) {
            found++;
            if (is_none(value) || value_hit) {
                value_ok++;
            } else {
                /* py: "%s: %r is %s, predicted %s" % (doc, g["text"], g.get("value"), hit) */
                bytebuf line = gold_date_line(error, gold, text, " is ", value);
                bytebuf_append_str(&line, ", predicted ");
                append_py_repr(&line, hit);
                VEC_PUSH(tot->lines[DATE_WRONG], line);
            }
        } else {
            /* py: "%s: %r (%s)" % (doc, g["text"], g.get("value")) */
            bytebuf line = gold_date_line(error, gold, text, " (", value);
            bytebuf_append_str(&line, ")");
            VEC_PUSH(tot->lines[DATE_MISSED], line);
        }
        json_decref(hit);
    }
    long long tp_p = 0;
    for (size_t p = 0; p < pdate_texts.len; p++) {
        bool matched = false;
        for (size_t g = 0; g < gold_texts.len && !matched; g++)
            matched = contains(gold_texts.items[g], pdate_texts.items[p]);
        tp_p += matched;
        if (!matched) {
            bytebuf line = error_line(error, gold, NULL);
            append_ustr_repr(&line, pdate_texts.items[p]);
            VEC_PUSH(tot->lines[DATE_SPURIOUS], line);
        }
    }
    tally_add(tot, "dates:detect", NULL, "", tp_p, (long long)pdate_texts.len, found, (long long)n_gold);
    tally_add(tot, "dates:value", NULL, "", value_ok, found, value_ok, (long long)n_gold);
    ustr_list_free(&gold_texts);
    ustr_list_free(&pdate_texts);
    free(pdate_values);
    json_decref(pred_entities);
    json_decref(gdates);
}

/* py: gkey(r) */
static ustr_list gold_relation_key(eval_error *error, const ustr_map *aliases, json_t *relation) {
    ustr_list key = {0};
    if (py_equal_cstr(py_index(error, relation, "type"), "holds_position")) {
        VEC_PUSH(key, canon_json(error, aliases, py_get(error, relation, "person")));
        return key;
    }
    json_t *agents = as_list(py_get(error, relation, "agents"));
    for (size_t n = 0; n < json_array_size(agents); n++)
        if (py_truthy(json_array_get(agents, n)))
            ustr_set_add(&key, canon_json(error, aliases, json_array_get(agents, n)));
    json_decref(agents);
    ustr_list_sort(error, &key);
    return key;
}

/* py: pkey(r) */
static ustr_list pred_relation_key(eval_error *error, const ustr_map *aliases, json_t *relation) {
    ustr_list key = {0};
    json_t *args = py_get(error, relation, "args");
    if (py_equal_cstr(py_get(error, relation, "type"), "holds_position")) {
        json_t *strings = arg_strings(error, py_get(error, args, "person"));
        if (json_array_size(strings))
            VEC_PUSH(key, canon_json(error, aliases, json_array_get(strings, 0)));
        json_decref(strings);
        return key;
    }
    json_t *agents = as_list(py_get(error, args, "agents"));
    for (size_t n = 0; n < json_array_size(agents); n++) {
        json_t *strings = arg_strings(error, json_array_get(agents, n));
        ustr_list canons = {0};
        for (size_t s = 0; s < json_array_size(strings); s++)
            VEC_PUSH(canons, canon_json(error, aliases, json_array_get(strings, s)));
        /* prefer the form that resolves to a gold entity */
        ustr *chosen = NULL;
        bool resolved = false;
        for (size_t c = 0; c < canons.len && !resolved; c++) {
            if (ustr_map_has_value(aliases, canons.items[c])) {
                chosen = ustr_copy(canons.items[c]);
                resolved = true;
            }
        }
        if (!resolved)
            chosen = canons.len ? ustr_copy(canons.items[0]) : ustr_new(NULL, 0);
        ustr_set_add(&key, chosen);
        ustr_list_free(&canons);
        json_decref(strings);
    }
    json_decref(agents);
    ustr_list_sort(error, &key);
    return key;
}

/* py: does any x of STRINGS satisfy contains(norm(GOLD_VALUE), norm(x))? GOLD_VALUE is only
 * normalized when there is an x, as the generator in any() does. */
static bool any_contains(eval_error *error, json_t *gold_value, json_t *strings) {
    if (!json_array_size(strings))
        return false;
    ustr *gold_norm = norm_json(error, gold_value);
    bool ok = false;
    for (size_t s = 0; s < json_array_size(strings) && !ok; s++) {
        ustr *pred_norm = norm_json(error, json_array_get(strings, s));
        ok = contains(gold_norm, pred_norm);
        free(pred_norm);
    }
    free(gold_norm);
    return ok;
}

/* py: the attributes of one matched pair (G, P) of relations of type TYPE. */
static void score_relation_attributes(eval_error *error, const ustr_map *aliases, json_t *type, json_t *g,
                                      json_t *p, tally *tot) {
    static const char *const roles[] = {"date", "place", "event", "document", "org", "country", "rank"};
    json_t *args = py_get(error, p, "args");
    for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
        const char *role = roles[r];
        json_t *gold_value = py_get(error, g, role);
        if (is_none(gold_value))
            continue;
        json_t *strings = arg_strings(error, py_get(error, args, role));
        bool ok = false;
        if (!strcmp(role, "date")) {
            for (size_t s = 0; s < json_array_size(strings) && !ok; s++)
                ok = py_equal(gold_value, json_array_get(strings, s));
        } else if (!strcmp(role, "event") || !strcmp(role, "document")) {
            ok = any_contains(error, gold_value, strings);
        } else if (json_array_size(strings)) {
            ustr *gold_canon = canon_json(error, aliases, gold_value);
            ustr *gold_norm = norm_json(error, gold_value);
            for (size_t s = 0; s < json_array_size(strings) && !ok; s++) {
                ustr *pred_canon = canon_json(error, aliases, json_array_get(strings, s));
                ustr *pred_norm = norm_json(error, json_array_get(strings, s));
                ok = ustr_equal(pred_canon, gold_canon) || contains(gold_norm, pred_norm);
                free(pred_canon);
                free(pred_norm);
            }
            free(gold_canon);
            free(gold_norm);
        }
        json_decref(strings);
        char suffix[32];
        snprintf(suffix, sizeof suffix, ".%s", role);
        tally_add(tot, "attr:", type, suffix, ok, 1, ok, 1);
    }
    if (py_equal_cstr(type, "sign") && py_truthy(py_get(error, g, "kind"))) {
        bool ok = py_equal(py_get(error, p, "kind"), py_index(error, g, "kind"));
        tally_add(tot, "attr:sign.kind", NULL, "", ok, 1, ok, 1);
    }
    if (py_equal_cstr(type, "agree_cooperation")) {
        ustr_list gd = {0}, pd = {0};
        json_t *gold_domains = py_get_items(error, g, "domains");
        for (size_t d = 0; d < json_array_size(gold_domains); d++)
            VEC_PUSH(gd, norm_json(error, json_array_get(gold_domains, d)));
        json_t *pred_domains = as_list(py_get(error, args, "domains"));
        for (size_t d = 0; d < json_array_size(pred_domains); d++) {
            json_t *strings = arg_strings(error, json_array_get(pred_domains, d));
            if (json_array_size(strings))
                VEC_PUSH(pd, norm_json(error, json_array_get(strings, 0)));
            json_decref(strings);
        }
        long long tp_p = 0, tp_r = 0;
        for (size_t d = 0; d < pd.len; d++) {
            bool hit = false;
            for (size_t x = 0; x < gd.len && !hit; x++)
                hit = contains(gd.items[x], pd.items[d]);
            tp_p += hit;
        }
        for (size_t d = 0; d < gd.len; d++) {
            bool hit = false;
            for (size_t x = 0; x < pd.len && !hit; x++)
                hit = contains(gd.items[d], pd.items[x]);
            tp_r += hit;
        }
        tally_add(tot, "attr:agree_cooperation.domains", NULL, "", tp_p, (long long)pd.len, tp_r,
                  (long long)gd.len);
        json_decref(pred_domains);
        json_decref(gold_domains);
        ustr_list_free(&gd);
        ustr_list_free(&pd);
    }
}

/* py: title_forms, from each written form of a gold TITLE entity to all the forms of the TITLE
 * entities written so: a group per form. */
static void read_title_forms(const gold_entities *golds, form_groups *title_forms) {
    for (size_t n = 0; n < golds->len; n++) {
        if (!py_equal_cstr(golds->items[n].type, "TITLE"))
            continue;
        const ustr_list *forms = &golds->items[n].forms;
        for (size_t f = 0; f < forms->len; f++) {
            form_group *group = form_groups_find(title_forms, forms->items[f]);
            if (!group) {
                VEC_PUSH(*title_forms, ((form_group){ustr_copy(forms->items[f]), {0}}));
                group = &title_forms->items[title_forms->len - 1];
            }
            for (size_t k = 0; k < forms->len; k++)
                ustr_set_add(&group->forms, ustr_copy(forms->items[k]));
        }
    }
}

/* py: does the predicted holds_position P give a title that one of the written forms of the gold
 * G's title contains (or is contained in)? */
static bool title_matches(eval_error *error, const form_groups *title_forms, json_t *g, json_t *p) {
    json_t *strings = arg_strings(error, py_get(error, py_get(error, p, "args"), "title"));
    /* py: gt = title_forms.get(norm(g.get("title")), {norm(g.get("title"))}) */
    ustr *gold_title = norm_json(error, py_get(error, g, "title"));
    const form_group *group = form_groups_find(title_forms, gold_title);
    ustr_list only_form = {.items = &gold_title, .len = 1, .cap = 1};
    const ustr_list *gt = group ? &group->forms : &only_form;
    bool ok = false;
    for (size_t s = 0; s < json_array_size(strings) && !ok; s++) {
        ustr *pred_title = norm_json(error, json_array_get(strings, s));
        for (size_t f = 0; f < gt->len && !ok; f++)
            ok = contains(gt->items[f], pred_title);
        free(pred_title);
    }
    free(gold_title);
    json_decref(strings);
    return ok;
}

/* Appends py " + ".join(KEY) to LINE; a None in KEY cannot be joined. */
static void append_relation_key(eval_error *error, bytebuf *line, const ustr_list *key) {
    for (size_t k = 0; k < key->len; k++) {
        if (!key->items[k])
            fail(error, "cannot join None among relation agents");
        if (k)
            bytebuf_append_str(line, " + ");
        bytebuf_append_ustr(line, key->items[k]);
    }
}

/* py: pkey(PS[PI]). It is pure, so each is computed once, into PRED_KEYS[PI], when the script
 * first needs it. */
static const ustr_list *pred_key(eval_error *error, const ustr_map *aliases, json_t *ps, size_t pi,
                                 ustr_list *pred_keys, bool *have_key) {
    if (!have_key[pi]) {
        pred_keys[pi] = pred_relation_key(error, aliases, json_array_get(ps, pi));
        have_key[pi] = true;
    }
    return &pred_keys[pi];
}

/* py: the "# relations" block. */
static void score_relations(eval_error *error, json_t *gold, json_t *pred, const gold_entities *golds,
                            const ustr_map *aliases, tally *tot) {
    form_groups title_forms = {0};
    read_title_forms(golds, &title_forms);
    json_t *gr = py_get_items(error, gold, "relations");
    json_t *pr = py_get_items(error, pred, "relations");
    json_t *types = json_array();
    for (size_t n = 0; n < json_array_size(gr); n++)
        collect_type(error, types, py_index(error, json_array_get(gr, n), "type"), NULL);
    for (size_t n = 0; n < json_array_size(pr); n++)
        collect_type(error, types, py_get(error, json_array_get(pr, n), "type"), NULL);
    json_t **sorted = sorted_types(types);
    for (size_t t = 0; t < json_array_size(types) && !error->failed; t++) {
        json_t *type = sorted[t];
        json_t *gs = json_array(), *ps = json_array();
        for (size_t n = 0; n < json_array_size(gr); n++)
            if (py_equal(py_index(error, json_array_get(gr, n), "type"), type))
                json_array_append(gs, json_array_get(gr, n));
        for (size_t n = 0; n < json_array_size(pr); n++)
            if (py_equal(py_get(error, json_array_get(pr, n), "type"), type))
                json_array_append(ps, json_array_get(pr, n));
        size_t n_pred = json_array_size(ps), n_gold = json_array_size(gs);
        bool holds_position = py_equal_cstr(type, "holds_position");
        ustr_list *pred_keys = xcalloc(n_pred, sizeof *pred_keys);
        bool *have_key = xcalloc(n_pred, sizeof *have_key);
        bool *used = xcalloc(n_pred, sizeof *used);
        ustr_list *gold_keys = xcalloc(n_gold, sizeof *gold_keys);
        bool *gold_hit = xcalloc(n_gold, sizeof *gold_hit);
        size_t *matched_gold = xcalloc(n_gold, sizeof *matched_gold);
        size_t *matched_pred = xcalloc(n_gold, sizeof *matched_pred);
        size_t n_matched = 0;
        for (size_t gi = 0; gi < n_gold; gi++) {
            json_t *g = json_array_get(gs, gi);
            gold_keys[gi] = gold_relation_key(error, aliases, g);
            const ustr_list *gk = &gold_keys[gi];
            for (size_t pi = 0; pi < n_pred; pi++) {
                if (used[pi])
                    continue;
                if (!ustr_lists_equal(pred_key(error, aliases, ps, pi, pred_keys, have_key), gk))
                    continue;
                if (holds_position && !title_matches(error, &title_forms, g, json_array_get(ps, pi)))
                    continue;
                used[pi] = true;
                gold_hit[gi] = true;
                matched_gold[n_matched] = gi;
                matched_pred[n_matched] = pi;
                n_matched++;
                break;
            }
        }
        tally_add(tot, "relation:", type, "", (long long)n_matched, (long long)n_pred, (long long)n_matched,
                  (long long)n_gold);
        for (size_t gi = 0; gi < n_gold; gi++) {
            if (gold_hit[gi])
                continue;
            /* py: " + ".join(gkey(g)) + (" as " + g.get("title", "") if holds_position) */
            bytebuf line = error_line(error, gold, type);
            append_relation_key(error, &line, &gold_keys[gi]);
            if (holds_position) {
                json_t *title = py_get(error, json_array_get(gs, gi), "title");
                if (title && !json_is_string(title))
                    fail(error, "a gold holds_position \"title\" is not a string");
                bytebuf_append_str(&line, " as ");
                if (title)
                    append_py_str(&line, title);
            }
            VEC_PUSH(tot->lines[RELATION_MISSED], line);
        }
        for (size_t pi = 0; pi < n_pred; pi++) {
            if (used[pi])
                continue;
            bytebuf line = error_line(error, gold, type);
            const ustr_list *key = pred_key(error, aliases, ps, pi, pred_keys, have_key);
            append_relation_key(error, &line, key);
            VEC_PUSH(tot->lines[RELATION_SPURIOUS], line);
        }
        for (size_t m = 0; m < n_matched; m++)
            score_relation_attributes(error, aliases, type, json_array_get(gs, matched_gold[m]),
                                      json_array_get(ps, matched_pred[m]), tot);
        for (size_t pi = 0; pi < n_pred; pi++)
            ustr_list_free(&pred_keys[pi]);
        for (size_t gi = 0; gi < n_gold; gi++)
            ustr_list_free(&gold_keys[gi]);
        free(pred_keys);
        free(have_key);
        free(used);
        free(gold_keys);
        free(gold_hit);
        free(matched_gold);
        free(matched_pred);
        json_decref(gs);
        json_decref(ps);
    }
    free(sorted);
    json_decref(types);
    json_decref(gr);
    json_decref(pr);
    form_groups_free(&title_forms);
}

/* py: the "# run-together words" block, for a prediction that has a "text". */
static void score_glued(eval_error *error, json_t *gold, const ustr *body, const ustr *pred_text,
                        tally *tot) {
    ustr_map gl = {0};
    json_t *glued = py_get_items(error, gold, "glued");
    for (size_t n = 0; n < json_array_size(glued); n++) {
        json_t *entry = json_array_get(glued, n);
        ustr *raw = ustr_from_json(error, py_index(error, entry, "raw"));
        ustr *fixed = ustr_from_json(error, py_index(error, entry, "fixed"));
        if (raw && fixed) {
            ustr *stripped = strip_punct(raw->cp, raw->len, false);
            ustr_map_set(&gl, translate_apostrophes(stripped), translate_apostrophes(fixed));
            free(stripped);
        } else if (!error->failed) {
            fail(error, "a \"glued\" entry has a null \"raw\" or \"fixed\"");
        }
        free(raw);
        free(fixed);
    }
    json_decref(glued);

    ustr_map seen = {0};
    split_ops(body, pred_text, &seen);
    /* py: w in gl and bare(produced) == bare(gl[w]), for each entry of seen */
    bool *seen_right = xcalloc(seen.len, sizeof *seen_right);
    long long tp = 0;
    for (size_t s = 0; s < seen.len; s++) {
        ustr_pair *expected = ustr_map_find(&gl, seen.items[s].key);
        if (expected) {
            ustr *produced_bare = bare(seen.items[s].value), *expected_bare = bare(expected->value);
            seen_right[s] = ustr_equal(produced_bare, expected_bare);
            free(produced_bare);
            free(expected_bare);
        }
        tp += seen_right[s];
    }
    tally_add(tot, "glued", NULL, "", tp, (long long)seen.len, tp, (long long)gl.len);

    json_t *not_glued = py_get_items(error, gold, "not_glued");
    long long n_not_glued = (long long)json_array_size(not_glued), bad = 0;
    for (size_t n = 0; n < json_array_size(not_glued); n++) {
        json_t *word = json_array_get(not_glued, n);
        if (json_is_array(word) || json_is_object(word)) {
            fail(error, "a \"not_glued\" entry is a JSON array or object");
        } else if (json_is_string(word)) {
            ustr *text = ustr_from_json(error, word);
            bad += ustr_map_find(&seen, text) != NULL;
            free(text);
        }
    }
    json_decref(not_glued);
    tally_add(tot, "not_glued_kept", NULL, "", n_not_glued - bad, n_not_glued, n_not_glued - bad,
              n_not_glued);

    for (size_t s = 0; s < seen.len; s++) {
        if (seen_right[s])
            continue;
        bytebuf line = error_line(error, gold, NULL);
        bytebuf_append_ustr(&line, seen.items[s].key);
        bytebuf_append_str(&line, " -> ");
        bytebuf_append_ustr(&line, seen.items[s].value);
        VEC_PUSH(tot->lines[SPLIT_ERRORS], line);
    }
    for (size_t w = 0; w < gl.len; w++) {
        ustr_pair *produced = ustr_map_find(&seen, gl.items[w].key);
        bool right = false;
        if (produced) {
            ustr *produced_bare = bare(produced->value), *expected_bare = bare(gl.items[w].value);
            right = ustr_equal(produced_bare, expected_bare);
            free(produced_bare);
            free(expected_bare);
        }
        if (right)
            continue;
        bytebuf line = error_line(error, gold, NULL);
        bytebuf_append_ustr(&line, gl.items[w].key);
        VEC_PUSH(tot->lines[SPLIT_MISSED], line);
    }
    free(seen_right);
    ustr_map_free(&seen);
    ustr_map_free(&gl);
}

/* py: body_text(raw, gold)[1] -- where the body ends: the start of the first line that begins,
 * after spaces and tabs, with gold["body_end"]; the whole text when there is none. */
static size_t body_end_of(eval_error *error, json_t *gold, const ustr *raw) {
    json_t *end = py_get(error, gold, "body_end");
    if (!py_truthy(end))
        return raw->len;
    ustr *marker = ustr_from_json(error, end);
    if (!marker)
        return raw->len;
    size_t line = 0;
    for (;;) {
        for (size_t at = line;; at++) {
            if (ustr_has_at(raw, at, marker)) {
                free(marker);
                return line;
            }
            if (at >= raw->len || (raw->cp[at] != ' ' && raw->cp[at] != '\t'))
                break;
        }
        while (line < raw->len && raw->cp[line] != '\n')
            line++;
        if (line == raw->len)
            break;
        line++;
    }
    free(marker);
    return raw->len;
}

/* py: the "# offsets and body boundary" block. */
static void score_offsets(eval_error *error, json_t *gold, json_t *pred, const ustr *raw, size_t body_end,
                          tally *tot) {
    json_t *entities = py_get_items(error, pred, "entities");
    long long ok = 0, n = (long long)json_array_size(entities);
    long long length = (long long)raw->len;
    for (size_t k = 0; k < json_array_size(entities); k++) {
        json_t *entity = json_array_get(entities, k);
        long long start, end;
        if (!py_int(py_get(error, entity, "start"), &start) || !py_int(py_get(error, entity, "end"), &end))
            continue;
        /* py: raw[start:end], with Python's clamping of negative and large indices */
        if (start < 0)
            start = start + length < 0 ? 0 : start + length;
        if (end < 0)
            end = end + length < 0 ? 0 : end + length;
        if (start > length)
            start = length;
        if (end > length)
            end = length;
        if (end < start)
            end = start;
        json_t *text = py_get(error, entity, "text");
        if (!json_is_string(text))
            continue;
        ustr *expected = ustr_from_json(error, text);
        ustr *slice = ustr_new(raw->cp + start, (size_t)(end - start));
        ok += ustr_equal(slice, expected);
        free(slice);
        free(expected);
    }
    json_decref(entities);
    tally_add(tot, "offsets", NULL, "", ok, n, ok, n);

    json_t *body = py_get(error, pred, "body");
    if (!py_truthy(body))
        body = NULL; /* py: pred.get("body") or {} */
    long long predicted_end;
    long long gold_end = (long long)body_end;
    json_t *predicted = py_get(error, body, "end");
    bool body_ok =
        py_int(predicted, &predicted_end) && predicted_end >= gold_end - 2 && predicted_end <= gold_end + 2;
    tally_add(tot, "body_end", NULL, "", body_ok, 1, body_ok, 1);
    if (!body_ok) {
        /* py: "%s: body ends at %d (%r), predicted %s"
         *     % (doc, body_end, raw[body_end:body_end + 40], b.get("end")) */
        bytebuf line = error_line(error, gold, NULL);
        char position[32];
        snprintf(position, sizeof position, "body ends at %zu (", body_end);
        bytebuf_append_str(&line, position);
        size_t shown = raw->len - body_end < 40 ? raw->len - body_end : 40;
        ustr *following = ustr_new(raw->cp + body_end, shown);
        append_ustr_repr(&line, following);
        free(following);
        bytebuf_append_str(&line, "), predicted ");
        append_py_str(&line, predicted);
        VEC_PUSH(tot->lines[BODY_END_WRONG], line);
    }
}

/* py: score_doc(gold, pred, raw, tot). PRED is NULL for a document with no prediction. */
static void score_doc(eval_error *error, json_t *gold, json_t *pred, const ustr *raw, tally *tot) {
    size_t body_end = body_end_of(error, gold, raw);
    ustr *body = ustr_new(raw->cp, body_end);
    gold_entities golds = {0};
    ustr_map aliases = {0};
    read_gold_entities(error, gold, &golds, &aliases);
    score_entities(error, gold, pred, &golds, tot);
    score_dates(error, gold, pred, tot);
    score_relations(error, gold, pred, &golds, &aliases, tot);
    json_t *pred_text = py_get(error, pred, "text");
    if (!is_none(pred_text) && !error->failed) {
        ustr *text = ustr_from_json(error, pred_text);
        if (text)
            score_glued(error, gold, body, text, tot);
        free(text);
    }
    score_offsets(error, gold, pred, raw, body_end, tot);
    gold_entities_free(&golds);
    ustr_map_free(&aliases);
    free(body);
}

/* ---------------------------------------------------------------------------------------------
 * Files */

static bool read_file_bytes(eval_error *error, const char *path, bytebuf *bytes) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        fail(error, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
        bytebuf_append(bytes, chunk, got);
    bool ok = !ferror(file);
    if (!ok)
        fail(error, "cannot read %s: %s", path, strerror(errno));
    fclose(file);
    return ok;
}

/* Python's universal newlines in text mode: "\r\n" and "\r" read as "\n". */
static void translate_newlines(cpbuf *text) {
    size_t kept = 0;
    for (size_t i = 0; i < text->len; i++) {
        uint32_t c = text->items[i];
        if (c == '\r') {
            c = '\n';
            if (i + 1 < text->len && text->items[i + 1] == '\n')
                i++;
        }
        text->items[kept++] = c;
    }
    text->len = kept;
}

/* py: open(path, encoding="utf-8", errors="replace").read() */
static ustr *read_text(eval_error *error, const char *path) {
    bytebuf bytes = {0};
    ustr *text = NULL;
    if (read_file_bytes(error, path, &bytes)) {
        cpbuf code_points = {0};
        utf8_decode((const unsigned char *)bytes.items, bytes.len, &code_points);
        translate_newlines(&code_points);
        text = ustr_new(code_points.items, code_points.len);
        free(code_points.items);
    }
    free(bytes.items);
    return text;
}

typedef struct {
    bytebuf key; /* py: os.path.splitext(os.path.basename(str(id)))[0] */
    json_t *doc; /* owned */
} pred_entry;

typedef struct {
    pred_entry *items;
    size_t len, cap;
} pred_table;

static void pred_table_free(pred_table *preds) {
    for (size_t i = 0; i < preds->len; i++) {
        free(preds->items[i].key.items);
        json_decref(preds->items[i].doc);
    }
    free(preds->items);
}

static json_t *pred_table_find(const pred_table *preds, const char *key, size_t key_len) {
    for (size_t i = 0; i < preds->len; i++)
        if (bytes_equal(preds->items[i].key.items, preds->items[i].key.len, key, key_len))
            return preds->items[i].doc;
    return NULL;
}

/* py: os.path.splitext(os.path.basename(str(d.get("id", ""))))[0] */
static bytebuf prediction_key(json_t *doc) {
    bytebuf id = {0}, key = {0};
    json_t *value = json_object_get(doc, "id");
    if (value)
        append_py_str(&id, value);
    size_t base = id.len;
    while (base > 0 && id.items[base - 1] != '/')
        base--;
    size_t end = id.len;
    size_t dot = id.len;
    while (dot > base && id.items[dot - 1] != '.')
        dot--;
    if (dot > base) {
        /* a dot that only follows dots (".bashrc", "..x") does not start an extension */
        for (size_t k = base; k < dot - 1; k++)
            if (id.items[k] != '.') {
                end = dot - 1;
                break;
            }
    }
    if (end > base)
        bytebuf_append(&key, id.items + base, end - base);
    free(id.items);
    return key;
}

/* py: the reading of PRED.jsonl in main(). */
static void read_predictions(eval_error *error, const char *path, pred_table *preds) {
    bytebuf bytes = {0};
    if (!read_file_bytes(error, path, &bytes)) {
        free(bytes.items);
        return;
    }
    cpbuf check = {0};
    if (utf8_decode((const unsigned char *)bytes.items, bytes.len, &check))
        fail(error, "%s is not valid UTF-8", path);
    free(check.items);
    size_t line_start = 0, line_number = 0;
    while (line_start < bytes.len && !error->failed) {
        size_t line_end = line_start;
        while (line_end < bytes.len && bytes.items[line_end] != '\n' && bytes.items[line_end] != '\r')
            line_end++;
        line_number++;
        /* py: if line.strip() */
        ustr *line = ustr_from_utf8(bytes.items + line_start, line_end - line_start);
        bool blank = true;
        for (size_t i = 0; i < line->len && blank; i++)
            blank = py_isspace(line->cp[i]);
        free(line);
        if (!blank) {
            json_error_t parse_error;
            json_t *doc = json_loadb(bytes.items + line_start, line_end - line_start,
                                     JSON_DECODE_ANY | JSON_ALLOW_NUL, &parse_error);
            if (!doc) {
                fail(error, "%s:%zu: %s", path, line_number, parse_error.text);
            } else if (!json_is_object(doc)) {
                fail(error, "%s:%zu: a prediction is not a JSON object", path, line_number);
                json_decref(doc);
            } else {
                bytebuf key = prediction_key(doc);
                json_t *existing = pred_table_find(preds, key.items, key.len);
                if (existing) { /* py: a later line with the same id replaces the earlier */
                    for (size_t i = 0; i < preds->len; i++)
                        if (preds->items[i].doc == existing)
                            preds->items[i].doc = doc;
                    json_decref(existing);
                    free(key.items);
                } else {
                    VEC_PUSH(*preds, ((pred_entry){key, doc}));
                }
            }
        }
        /* "\r\n" ends one line, as universal newlines read it */
        if (line_end + 1 < bytes.len && bytes.items[line_end] == '\r' && bytes.items[line_end + 1] == '\n')
            line_end++;
        line_start = line_end + 1;
    }
    free(bytes.items);
}

typedef struct {
    char **items;
    size_t len, cap;
} name_list;

static int compare_names(const void *left, const void *right) {
    return strcmp(*(char *const *)left, *(char *const *)right);
}

/* py: [n for n in sorted(os.listdir(dir)) if n.endswith(".json")] */
static void list_gold_files(eval_error *error, const char *dir, name_list *names) {
    DIR *stream = opendir(dir);
    if (!stream) {
        fail(error, "cannot list %s: %s", dir, strerror(errno));
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(stream))) {
        size_t len = strlen(entry->d_name);
        if (len >= 5 && !strcmp(entry->d_name + len - 5, ".json"))
            VEC_PUSH(*names, copy_bytes(entry->d_name, len));
    }
    closedir(stream);
    if (names->len)
        qsort(names->items, names->len, sizeof names->items[0], compare_names);
}

static char *join_path(const char *dir, const char *name, size_t name_len, const char *suffix) {
    bytebuf path = {0};
    bytebuf_append_str(&path, dir);
    bytebuf_append_str(&path, "/");
    bytebuf_append(&path, name, name_len);
    bytebuf_append_str(&path, suffix);
    bytebuf_append(&path, "", 1);
    return path.items;
}

/* ---------------------------------------------------------------------------------------------
 * Output */

/* py: Counts.prf() */
static void prf(const counts *c, double *p, double *r, double *f) {
    *p = c->n_p ? (double)c->tp_p / (double)c->n_p : (c->n_g ? 0.0 : 1.0);
    *r = c->n_g ? (double)c->tp_r / (double)c->n_g : 1.0;
    *f = *p + *r != 0.0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

static int compare_counts_entries(const void *left, const void *right) {
    const bytebuf *a = &((const counts_entry *)left)->key, *b = &((const counts_entry *)right)->key;
    int order = memcmp(a->items, b->items, a->len < b->len ? a->len : b->len);
    if (order)
        return order;
    return a->len < b->len ? -1 : a->len > b->len;
}

/* printf("%6.3f") with a '.' whatever the locale. */
static void print_ratio(FILE *out, double value) {
    char text[64];
    snprintf(text, sizeof text, " %6.3f", value);
    for (char *c = text; *c; c++)
        if (*c == ',')
            *c = '.';
    fputs(text, out);
}

static void print_table(FILE *out, const tally *tot, const name_list *missing, bool list_errors) {
    fprintf(out, "%-38s %6s %6s %6s %6s %6s\n", "measure", "P", "R", "F1", "gold", "pred");
    for (size_t i = 0; i < tot->counts.len; i++) {
        const counts_entry *row = &tot->counts.items[i];
        /* py: "%-38s" pads to 38 characters, not bytes */
        size_t characters = 0;
        for (size_t b = 0; b < row->key.len; b++)
            characters += ((unsigned char)row->key.items[b] & 0xC0) != 0x80;
        fwrite(row->key.items, 1, row->key.len, out);
        for (; characters < 38; characters++)
            fputc(' ', out);
        double p, r, f;
        prf(&row->value, &p, &r, &f);
        print_ratio(out, p);
        print_ratio(out, r);
        print_ratio(out, f);
        fprintf(out, " %6lld %6lld\n", row->value.n_g, row->value.n_p);
    }
    if (missing->len) {
        fputs("documents with no prediction:", out);
        for (size_t i = 0; i < missing->len; i++)
            fprintf(out, " %s", missing->items[i]);
        fputc('\n', out);
    }
    if (list_errors)
        for (size_t kind = 0; kind < N_LINE_KINDS; kind++)
            for (size_t i = 0; i < tot->lines[kind].len; i++) {
                fprintf(out, "%s ", line_labels[kind]);
                fwrite(tot->lines[kind].items[i].items, 1, tot->lines[kind].items[i].len, out);
                fputc('\n', out);
            }
}

/* py: print(json.dumps({"rows": rows, "missing_docs": missing}, ensure_ascii=False, indent=1)) */
static int print_json(FILE *out, FILE *err, const tally *tot, const name_list *missing) {
    json_t *rows = json_object();
    for (size_t i = 0; i < tot->counts.len; i++) {
        const counts_entry *entry = &tot->counts.items[i];
        double p, r, f;
        prf(&entry->value, &p, &r, &f);
        json_t *row = json_object();
        json_object_set_new(row, "p", json_real(p));
        json_object_set_new(row, "r", json_real(r));
        json_object_set_new(row, "f", json_real(f));
        json_object_set_new(row, "n_gold", json_integer(entry->value.n_g));
        json_object_set_new(row, "n_pred", json_integer(entry->value.n_p));
        json_object_setn_new(rows, entry->key.items, entry->key.len, row);
    }
    json_t *missing_docs = json_array();
    for (size_t i = 0; i < missing->len; i++)
        json_array_append_new(missing_docs, json_string(missing->items[i]));
    json_t *document = json_object();
    json_object_set_new(document, "rows", rows);
    json_object_set_new(document, "missing_docs", missing_docs);
    /* 17 significant digits read back as the same doubles as Python's shortest repr */
    int status = json_dumpf(document, out, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(document);
    if (status) {
        fputs("glaneur eval: cannot write the JSON output\n", err);
        return -1;
    }
    fputc('\n', out);
    return 0;
}

int gla_eval_run(const char *gold_dir, const char *texts_dir, const char *pred_path, bool as_json,
                 bool list_errors, FILE *out, FILE *err) {
    eval_error error = {0};
    pred_table preds = {0};
    name_list gold_names = {0}, missing = {0};
    tally tot = {0};
    char *failed_doc = NULL;

    read_predictions(&error, pred_path, &preds);
    if (!error.failed)
        list_gold_files(&error, gold_dir, &gold_names);
    for (size_t i = 0; i < gold_names.len && !error.failed; i++) {
        const char *name = gold_names.items[i];
        size_t doc_len = strlen(name) - 5;
        char *gold_path = join_path(gold_dir, name, strlen(name), "");
        char *text_path = join_path(texts_dir, name, doc_len, ".txt");
        json_error_t parse_error;
        json_t *gold = json_load_file(gold_path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &parse_error);
        ustr *raw = NULL;
        if (!gold)
            fail(&error, "%s: %s", gold_path, parse_error.text);
        else if (!json_is_object(gold))
            fail(&error, "%s: the gold file is not a JSON object", gold_path);
        else
            raw = read_text(&error, text_path);
        if (!error.failed) {
            json_t *pred = pred_table_find(&preds, name, doc_len);
            if (!pred)
                VEC_PUSH(missing, copy_bytes(name, doc_len));
            score_doc(&error, gold, pred, raw, &tot);
            if (error.failed) /* say which document the reason is about */
                failed_doc = copy_bytes(name, doc_len);
        }
        free(raw);
        json_decref(gold);
        free(gold_path);
        free(text_path);
    }

    int status = 0;
    if (error.failed) {
        if (failed_doc)
            fprintf(err, "glaneur eval: %s: %s\n", failed_doc, error.message);
        else
            fprintf(err, "glaneur eval: %s\n", error.message);
        status = -1;
    } else {
        if (tot.counts.len)
            qsort(tot.counts.items, tot.counts.len, sizeof tot.counts.items[0], compare_counts_entries);
        if (as_json)
            status = print_json(out, err, &tot, &missing);
        else
            print_table(out, &tot, &missing, list_errors);
    }

    tally_free(&tot);
    for (size_t i = 0; i < gold_names.len; i++)
        free(gold_names.items[i]);
    free(gold_names.items);
    for (size_t i = 0; i < missing.len; i++)
        free(missing.items[i]);
    free(missing.items);
    pred_table_free(&preds);
    free(failed_doc);
    return status;
}
