/* Rule files: gazetteers/rules/NAME.rules, the language of glaneur's PCRE2 rules.
 *
 *     # a comment
 *     %day = (?:1er|[12][0-9]|3[01]|0?[1-9])       a named fragment, used later as %day
 *     DATE  day_month  (?i)\b(?<day>%day)\s+(?<month>%month)\b
 *
 * A rule line is KIND, NAME, optionally @ANCHOR, ~LITERAL and <REACH words, then the pattern (the
 * rest of the line). An anchor (@title, @kind_portfolio) restricts the rule to the places where a
 * gazetteer mention of that type or kind starts, where it is tried anchored. Literals (~signé
 * ~paraphé) promise that every match contains one of them (as written, with a capital first
 * letter, or in capitals): the rule then runs only in a window before their occurrences. ~%month
 * takes every word of a fragment that is a list of words. The window is LITERAL_REACH bytes, or
 * the reach a rule gives (<0: every match starts with its literal; <30: within 30 bytes before
 * it; <line: at the start of the literal's line, for rules written ^[^\n]*... ). A literal
 * written \bWORD or WORD\b (~\b%month\b) counts only where no letter or digit touches it there:
 * for a pattern that itself puts none there, the occurrences inside words ("mai" in "domaines")
 * cost no tries. All of these are far cheaper than trying the pattern at every position of the text. Fragments expand inside
 * later fragments and patterns; builtin fragments (%month, %weekday: French names from ICU) are
 * supplied by the model. Patterns compile with UTF, UCP and MULTILINE, and JIT once used. What a rule's
 * named groups mean is up to the stage that runs rules of its KIND. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "internal.h"

#define LITERAL_REACH 240 /* default bytes of a match that may precede its literal */
#define REACH_LINE UINT32_MAX /* <line: a match starts where its literal's line starts */

typedef struct {
    char *name;
    char *value;
} fragment;

typedef struct {
    fragment *items;
    size_t count, cap;
} fragment_list;

static bool frag_add(fragment_list *fl, const char *name, size_t name_len, const char *value) {
    for (size_t i = 0; i < fl->count; i++) {
        if (strlen(fl->items[i].name) == name_len && !memcmp(fl->items[i].name, name, name_len)) {
            char *v = strdup(value);
            if (!v)
                return false;
            free(fl->items[i].value);
            fl->items[i].value = v;
            return true;
        }
    }
    if (fl->count == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 16;
        fragment *items = realloc(fl->items, cap * sizeof *items);
        if (!items)
            return false;
        fl->items = items;
        fl->cap = cap;
    }
    char *n = strndup(name, name_len), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return false;
    }
    fl->items[fl->count++] = (fragment){n, v};
    return true;
}

static void frag_free(fragment_list *fl) {
    for (size_t i = 0; i < fl->count; i++) {
        free(fl->items[i].name);
        free(fl->items[i].value);
    }
    free(fl->items);
}

/* Expands %name references; returns a malloc'd string, or NULL with why set. */
static char *expand(const fragment_list *fl, const char *pattern, const char *where, char *why,
                    size_t why_len) {
    gla_buf out = {0};
    for (const char *p = pattern; *p;) {
        if (*p == '%' && (p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z'))) {
            const char *q = p + 1;
            while (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
                q++;
            const fragment *f = NULL;
            for (size_t i = 0; i < fl->count; i++)
                if (strlen(fl->items[i].name) == (size_t)(q - p - 1) &&
                    !memcmp(fl->items[i].name, p + 1, (size_t)(q - p - 1)))
                    f = &fl->items[i];
            if (!f) {
                set_why(why, why_len, "%s: unknown fragment %.*s", where, (int)(q - p), p);
                gla_buf_free(&out);
                return NULL;
            }
            if (!buf_puts(&out, "(?:") || !buf_puts(&out, f->value) || !buf_putc(&out, ')'))
                goto nomem;
            p = q;
            continue;
        }
        if (*p == '\\' && p[1]) {
            if (!buf_append(&out, p, 2))
                goto nomem;
            p += 2;
            continue;
        }
        if (!buf_putc(&out, *p++))
            goto nomem;
    }
    if (!out.data && !buf_puts(&out, ""))
        goto nomem;
    return out.data;
nomem:
    gla_buf_free(&out);
    set_why(why, why_len, "%s: out of memory", where);
    return NULL;
}

/* Fills r->first_bytes and r->min_bytes from what PCRE2 learnt of the pattern when compiling it:
 * every byte when it learnt nothing. A first code unit set caselessly may also be matched in its
 * other ASCII case (PCRE2 keeps that flag to itself, so both cases are let through); a letter
 * with other cases beyond ASCII (k, s) never becomes a first code unit. The minimum length counts
 * characters, each at least one byte. */
static void learn_start(rule *r, const pcre2_code *code) {
    uint32_t first_type = 0, first_unit = 0, min_chars = 0;
    const uint8_t *bitmap = NULL;
    memset(r->first_bytes, 0xFF, sizeof r->first_bytes);
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &first_type) == 0 && first_type == 1 &&
        pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &first_unit) == 0 && first_unit < 256) {
        memset(r->first_bytes, 0, sizeof r->first_bytes);
        uint32_t other = first_unit ^ 0x20; /* the other case of an ASCII letter */
        r->first_bytes[first_unit / 64] |= 1ull << (first_unit % 64);
        if ((first_unit | 0x20) >= 'a' && (first_unit | 0x20) <= 'z')
            r->first_bytes[other / 64] |= 1ull << (other % 64);
    } else if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
        memset(r->first_bytes, 0, sizeof r->first_bytes);
        for (uint32_t b = 0; b < 256; b++)
            if (bitmap[b / 8] >> (b % 8) & 1)
                r->first_bytes[b / 64] |= 1ull << (b % 64);
    }
    r->min_bytes = pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &min_chars) == 0 ? min_chars : 0;
}

/* A rule whose matches start at most this many bytes before a literal: few starts to try, which
 * PCRE2's start optimisations hardly shorten. */
#define SHORT_REACH 8

/* The options every rule compiles with: every rule may run with an offset limit, near its
 * ~literals (rule_match) and anchored (rule_exec). */
#define RULE_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | PCRE2_USE_OFFSET_LIMIT)

/* Does a rule run near its literals with so short a reach that it is compiled without start
 * optimisations (when it has a last required code unit; see compile_rule)? */
static bool short_reach(const rule *r) { return r->literals && r->reach <= SHORT_REACH; }

/* Compiles rule r from its expanded pattern: its code, its first bytes and minimum length. */
static int compile_rule(rule *r, const char *pattern, char *why, size_t why_len) {
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, RULE_FLAGS, &errcode, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        set_why(why, why_len, "%s: rule %s: %s at offset %zu of the expanded pattern", r->file, r->name,
                (const char *)msg, (size_t)erroff);
        return GLA_ERR_REGEX;
    }
    r->code = code;
    learn_start(r, code);
    return GLA_OK;
}

/* A rule run near its ~literals (rule_match) tries a few starts before each one. Before each try
 * PCRE2 looks for the pattern's last required code unit, reading on to the text's end when it is
 * absent: every try then costs the rest of the text, quadratic over a long text of literal
 * occurrences without that unit (a list of dates without a '/'). Such a rule, when it tries few
 * starts, is matched by a second compile without start optimisations (match_code); what the
 * first compile learnt (its first bytes, its minimum length, its group names) stays true of it.
 * That compile waits for the rule's first try, from a copy of its pattern kept here: an
 * article tries few of these 41 rules, whose second compiles at load were 5% of the start-up
 * (one article: 158.8 M -> 151.0 M instructions). NOMEM only when the copy cannot be made. */
static int keep_plain_pattern(rule *r, const char *pattern) {
    uint32_t last_type = 0;
    if (!short_reach(r) || pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODETYPE, &last_type) != 0 || !last_type)
        return GLA_OK;
    r->plain_pattern = strdup(pattern);
    return r->plain_pattern ? GLA_OK : GLA_ERR_NOMEM;
}

/* Adds a rule; its pattern (expanded) is kept in patterns, to be compiled once every rule is
 * read (ruleset_load_dir), or taken from the cache of compiled rules. */
static int add_rule(ruleset *rs, vec *patterns, const char *kind, size_t kind_len, const char *name,
                    size_t name_len, const char *anchor, size_t anchor_len, char **literals,
                    uint8_t *bounds, uint32_t reach, const char *pattern, const char *where) {
    /* JIT is an optimisation: a platform without it still matches, only slower. GLANEUR_NO_JIT
     * turns it off for memory checkers: the JIT's vector loads read past a subject's end within
     * its buffer, which valgrind reports as uses of uninitialised bytes though no result
     * depends on them. The JIT compile itself waits until the rule is used enough (jit_code). */
    const char *no_jit = getenv("GLANEUR_NO_JIT");
    bool jit = !no_jit || !*no_jit || !strcmp(no_jit, "0");
    rule *rules = realloc(rs->rules, (rs->count + 1) * sizeof *rules);
    char **slot = vec_push(patterns);
    char *copy = strdup(pattern);
    if (!rules || !slot || !copy) {
        if (rules)
            rs->rules = rules;
        if (slot)
            patterns->count--;
        free(copy);
        for (size_t k = 0; literals && literals[k]; k++)
            free(literals[k]);
        free(literals);
        free(bounds);
        return GLA_ERR_NOMEM;
    }
    *slot = copy;
    rs->rules = rules;
    rule *r = &rs->rules[rs->count];
    memset(r, 0, sizeof *r);
    r->kind = strndup(kind, kind_len);
    r->name = strndup(name, name_len);
    r->file = strdup(where);
    r->anchor = anchor_len ? strndup(anchor, anchor_len) : NULL;
    r->literals = literals;
    r->literal_bounds = bounds;
    r->reach = reach;
    r->jit = jit;
    r->index = (uint32_t)rs->count;
    rs->count++;
    if (!r->kind || !r->name || !r->file || (anchor_len && !r->anchor))
        return GLA_ERR_NOMEM;
    return GLA_OK;
}

/* A ~literal in one of its cases: 0 as written, 1 with its first letter in capitals, 2 all in
 * capitals (a headline). Case-insensitive rules thus find their literals in any of them. Owned
 * by the caller; NULL when out of memory. */
static char *case_form(const char *word, size_t len, int variant) {
    char *out = malloc(len * 4 + 1); /* a code point's capital takes at most 4 bytes */
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)word + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { /* not UTF-8: kept as it is */
            out[o++] = word[i++];
            continue;
        }
        if (variant == 2 || (variant == 1 && i == 0))
            cp = utf8proc_toupper(cp);
        o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
        i += (size_t)n;
    }
    out[o] = '\0';
    return out;
}

/* Adds a word's three case forms to a rule's NULL-terminated literal list (each form once). */
static int add_literal_word(const char *word, size_t len, char ***literals, size_t *nlit) {
    char **bigger = realloc(*literals, (*nlit + 4) * sizeof **literals);
    if (!bigger)
        return GLA_ERR_NOMEM;
    *literals = bigger;
    size_t first = *nlit; /* this word's forms start here */
    for (int v = 0; v < 3; v++) {
        char *form = case_form(word, len, v);
        if (!form) {
            bigger[*nlit] = NULL;
            return GLA_ERR_NOMEM;
        }
        bool seen = false;
        for (size_t k = first; k < *nlit; k++)
            seen |= !strcmp(bigger[k], form);
        if (seen)
            free(form);
        else
            bigger[(*nlit)++] = form;
    }
    bigger[*nlit] = NULL;
    return GLA_OK;
}

/* The marks of a ~ word written \bWORD or WORD\b (LITERAL_AT_START, LITERAL_AT_END): the word's
 * occurrences count only at a word's start, end. [*lit, *end) is narrowed to the word. */
static unsigned literal_marks(const char **lit, const char **end) {
    unsigned marks = 0;
    if (*end - *lit > 2 && (*lit)[0] == '\\' && (*lit)[1] == 'b') {
        marks |= LITERAL_AT_START;
        *lit += 2;
    }
    if (*end - *lit > 2 && (*end)[-2] == '\\' && (*end)[-1] == 'b' && (*end)[-3] != '\\') {
        marks |= LITERAL_AT_END;
        *end -= 2;
    }
    return marks;
}

/* Gives the literals [before, nlit) of a rule these marks in *bounds (one byte per literal, NULL
 * while no literal of the rule has a mark, so that most rules keep none). NOMEM leaves *bounds
 * as it was. */
static int mark_literals(uint8_t **bounds, size_t before, size_t nlit, unsigned marks) {
    if (!marks && !*bounds)
        return GLA_OK;
    uint8_t *bigger = realloc(*bounds, nlit + 1);
    if (!bigger)
        return GLA_ERR_NOMEM;
    if (!*bounds)
        memset(bigger, 0, before); /* the literals before the first mark */
    memset(bigger + before, (int)marks, nlit - before);
    *bounds = bigger;
    return GLA_OK;
}

/* One ~ word of a rule line: a literal, or ~%name for every word of a fragment that is a list
 * of words (a|b|c, possibly inside (?:...), with \. for a dot), such as the builtin %month:
 * the words then live in one place, and a rule on month names runs only near one. On error
 * the list is freed and set to NULL. */
static int add_literals(const fragment_list *fl, const char *word, size_t len, char ***literals,
                        size_t *nlit, const char *where, char *why, size_t why_len) {
    int rc = GLA_OK;
    if (word[0] != '%') {
        rc = add_literal_word(word, len, literals, nlit);
    } else {
        const fragment *f = NULL;
        for (size_t i = 0; i < fl->count; i++)
            if (strlen(fl->items[i].name) == len - 1 && !memcmp(fl->items[i].name, word + 1, len - 1))
                f = &fl->items[i];
        const char *v = f ? f->value : "", *v_end = v + strlen(v);
        if (!strncmp(v, "(?:", 3) && v_end - v > 4 && v_end[-1] == ')') {
            v += 3;
            v_end--;
        }
        char one[256];
        size_t n = 0;
        for (const char *p = v; f && rc == GLA_OK && p <= v_end; p++) {
            if (p == v_end || *p == '|') {
                rc = n ? add_literal_word(one, n, literals, nlit) : GLA_ERR_DATA;
                n = 0;
                continue;
            }
            if (*p == '\\' && p + 1 < v_end && strchr(".-'", p[1]))
                p++;
            else if (strchr("\\()[]{}*+?^$|.", *p))
                rc = GLA_ERR_DATA;
            if (n + 1 >= sizeof one)
                rc = GLA_ERR_DATA;
            one[n++] = *p;
        }
        if (!f || rc == GLA_ERR_DATA) {
            set_why(why, why_len, "%s: ~%.*s: %s", where, (int)len, word,
                    f ? "that fragment is not a list of words (a|b|c)" : "unknown fragment");
            rc = GLA_ERR_DATA;
        }
    }
    if (rc != GLA_OK) {
        for (size_t k = 0; *literals && k < *nlit; k++)
            free((*literals)[k]);
        free(*literals);
        *literals = NULL;
        *nlit = 0;
    }
    return rc;
}

static int load_file(ruleset *rs, vec *patterns, fragment_list *fl, const char *path, char *why, size_t why_len) {
    char *data;
    int rc = read_data_file(path, &data, why, why_len);
    if (rc != GLA_OK)
        return rc;
    int line_no = 0;
    for (char *cursor = data, *line; rc == GLA_OK && (line = next_line(&cursor));) {
        line_no++;
        line = trim(line);
        if (!*line || *line == '#')
            continue;
        char where[4200];
        snprintf(where, sizeof where, "%s:%d", path, line_no);
        if (*line == '%') {
            char *eq = strchr(line, '=');
            char *name = line + 1, *name_end = name;
            while (*name_end == '_' || (*name_end >= 'a' && *name_end <= 'z') ||
                   (*name_end >= '0' && *name_end <= '9'))
                name_end++;
            if (!eq || name_end == name) {
                set_why(why, why_len, "%s: a fragment reads %%name = pattern", where);
                rc = GLA_ERR_DATA;
                break;
            }
            char *value = eq + 1;
            while (*value == ' ' || *value == '\t')
                value++;
            char *expanded = expand(fl, value, where, why, why_len);
            if (!expanded) {
                rc = GLA_ERR_DATA;
                break;
            }
            if (!frag_add(fl, name, (size_t)(name_end - name), expanded))
                rc = GLA_ERR_NOMEM;
            free(expanded);
            continue;
        }
        char *kind = line, *kind_end = kind;
        while (*kind_end && *kind_end != ' ' && *kind_end != '\t')
            kind_end++;
        char *name = kind_end;
        while (*name == ' ' || *name == '\t')
            name++;
        char *name_end = name;
        while (*name_end && *name_end != ' ' && *name_end != '\t')
            name_end++;
        char *pattern = name_end;
        while (*pattern == ' ' || *pattern == '\t')
            pattern++;
        char *anchor = NULL;
        size_t anchor_len = 0;
        char **literals = NULL;
        uint8_t *bounds = NULL; /* per literal its LITERAL_AT_* marks; NULL while none has one */
        size_t nlit = 0;
        uint32_t reach = LITERAL_REACH;
        while (*pattern == '@' || *pattern == '~' || *pattern == '<') {
            char *word = pattern + 1, *end = word;
            while (*end && *end != ' ' && *end != '\t')
                end++;
            if (*pattern == '@') {
                anchor = word;
                anchor_len = (size_t)(end - word);
            } else if (*pattern == '<' && end - word == 4 && !memcmp(word, "line", 4)) {
                reach = REACH_LINE;
            } else if (*pattern == '<') {
                char *digits_end;
                errno = 0;
                unsigned long n = strtoul(word, &digits_end, 10);
                if (digits_end != end || end == word || *word < '0' || *word > '9' || errno || n > 65536) {
                    set_why(why, why_len, "%s: a reach reads <N, N bytes from 0 to 65536, or <line", where);
                    for (size_t k = 0; k < nlit; k++)
                        free(literals[k]);
                    free(literals);
                    free(bounds);
                    rc = GLA_ERR_DATA;
                    break;
                }
                reach = (uint32_t)n;
            } else if (end > word) {
                const char *lit = word, *lit_end = end;
                unsigned marks = literal_marks(&lit, &lit_end);
                size_t before = nlit;
                rc = add_literals(fl, lit, (size_t)(lit_end - lit), &literals, &nlit, where, why, why_len);
                if (rc == GLA_OK && mark_literals(&bounds, before, nlit, marks) != GLA_OK) {
                    for (size_t k = 0; k < nlit; k++)
                        free(literals[k]);
                    free(literals);
                    set_why(why, why_len, "%s: out of memory", where);
                    rc = GLA_ERR_NOMEM;
                }
                if (rc != GLA_OK) {
                    free(bounds);
                    break;
                }
            }
            pattern = end;
            while (*pattern == ' ' || *pattern == '\t')
                pattern++;
        }
        if (rc != GLA_OK)
            break;
        if (name == name_end || !*pattern) {
            set_why(why, why_len, "%s: a rule reads KIND NAME PATTERN", where);
            rc = GLA_ERR_DATA;
            break;
        }
        char *expanded = expand(fl, pattern, where, why, why_len);
        if (!expanded) {
            for (size_t k = 0; literals && literals[k]; k++)
                free(literals[k]);
            free(literals);
            free(bounds);
            rc = GLA_ERR_DATA;
            break;
        }
        rc = add_rule(rs, patterns, kind, (size_t)(kind_end - kind), name, (size_t)(name_end - name), anchor,
                      anchor_len, literals, bounds, reach, expanded, where);
        if (rc == GLA_ERR_NOMEM)
            set_why(why, why_len, "%s: out of memory", where);
        free(expanded);
    }
    free(data);
    return rc;
}

typedef struct {
    uint32_t pair, literal;
} pair_entry;

/* The number of the pair of bytes at s, under which the literals that start with them are
 * filed: one load, which the index and the scan both read the same way, whatever the byte order. */
static inline uint32_t pair_at(const uint8_t *s) {
    uint16_t pair;
    memcpy(&pair, s, 2);
    return pair;
}

static int cmp_pair_entry(const void *a, const void *b) {
    const pair_entry *x = a, *y = b;
    return x->pair != y->pair ? (x->pair < y->pair ? -1 : 1) : (x->literal > y->literal) - (x->literal < y->literal);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t find_str(char **sorted, size_t n, const char *s) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sorted[mid], s);
        if (!c)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return n;
}

static void literal_index_free(literal_index *li) {
    for (size_t i = 0; i < li->count; i++)
        free(li->forms[i]);
    free(li->forms);
    free(li->lens);
    free(li->rule_start);
    free(li->rule_of);
    free(li->bound_of);
    free(li->pair_start);
    free(li->pair_probe);
    free(li->bit_start);
    free(li->bit_probe);
    free(li->key_len);
    memset(li, 0, sizeof *li);
}

/* The bit of literal_index.quad_bits for a key (a Fibonacci hash: the top bits of the product). */
static inline uint32_t quad_hash(uint32_t key) { return (key * 0x9E3779B1u) >> (32 - LITERAL_QUAD_LOG); }

/* The first n bytes (0 to 4) of s as a key, zero-padded: through memcpy, so that it equals a key
 * loaded from the text the same way, whatever the byte order. */
static uint32_t quad_key(const char *s, size_t n) {
    uint32_t key = 0;
    memcpy(&key, s, n);
    return key;
}

/* Fills li->bit_start and li->bit_probe from pe[0, m), the (pair, literal) entries, with
 * li->key_len known: a counting sort by the bit each key sets. A one-byte literal, filed under
 * 256 pairs, sets one bit, and is filed there once: under the pair of its byte and a NUL. */
static int bit_index_build(literal_index *li, const pair_entry *pe, size_t m) {
    size_t bits = (size_t)1 << LITERAL_QUAD_LOG;
    li->bit_start = calloc(bits + 1, sizeof *li->bit_start);
    li->bit_probe = malloc((m + 1) * sizeof *li->bit_probe);
    if (!li->bit_start || !li->bit_probe)
        return GLA_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t e = 0; e < m; e++) {
            uint32_t lit = pe[e].literal;
            const char *form = li->forms[lit];
            if (li->lens[lit] == 1 && pe[e].pair != pair_at((const uint8_t[2]){(uint8_t)form[0], 0}))
                continue;
            uint32_t bit = quad_hash(quad_key(form, li->key_len[pe[e].pair]));
            if (pass == 0) {
                li->bit_start[bit + 1]++;
                continue;
            }
            literal_probe *pr = &li->bit_probe[li->bit_start[bit]++];
            size_t len = li->lens[lit], head = len < 8 ? len : 8;
            static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
            pr->head = pr->mask = 0;
            memcpy(&pr->head, form, head);
            memcpy(&pr->mask, ones, head);
            pr->literal = lit;
            pr->len = (uint32_t)len;
        }
        if (pass == 0)
            for (size_t b = 0; b < bits; b++) /* bit_start[b]: where bit b's probes start */
                li->bit_start[b + 1] += li->bit_start[b];
    }
    /* placing moved each bit's start to its end, the next bit's start: back by one bit */
    memmove(li->bit_start + 1, li->bit_start, bits * sizeof *li->bit_start);
    li->bit_start[0] = 0;
    return GLA_OK;
}

/* Builds rs->literals from the rules' ~literals. */
static int literal_index_build(ruleset *rs) {
    literal_index *li = &rs->literals;
    memset(li, 0, sizeof *li);
    size_t total = 0; /* literal uses, counting repeats */
    for (size_t k = 0; k < rs->count; k++)
        for (size_t j = 0; rs->rules[k].literals && rs->rules[k].literals[j]; j++)
            total++;
    char **all = malloc((total + 1) * sizeof *all);
    li->rule_of = malloc((total + 1) * sizeof *li->rule_of);
    li->bound_of = malloc(total + 1);
    li->pair_start = calloc(65537, sizeof *li->pair_start);
    li->key_len = calloc(65536, 1);
    if (!all || !li->rule_of || !li->bound_of || !li->pair_start || !li->key_len) {
        free(all);
        literal_index_free(li);
        return GLA_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t k = 0; k < rs->count; k++)
        for (size_t j = 0; rs->rules[k].literals && rs->rules[k].literals[j]; j++)
            all[n++] = rs->rules[k].literals[j];
    qsort(all, n, sizeof *all, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (!distinct || strcmp(all[distinct - 1], all[i]))
            all[distinct++] = all[i];
    li->forms = calloc(distinct + 1, sizeof *li->forms);
    li->lens = malloc(distinct + 1);
    li->rule_start = calloc(distinct + 2, sizeof *li->rule_start);
    size_t entries = 0;
    for (size_t i = 0; i < distinct; i++)
        entries += strlen(all[i]) == 1 ? 256 : 1;
    pair_entry *pe = malloc((entries + 1) * sizeof *pe);
    li->pair_probe = malloc((entries + 1) * sizeof *li->pair_probe);
    int rc = li->forms && li->lens && li->rule_start && pe && li->pair_probe ? GLA_OK : GLA_ERR_NOMEM;
    for (size_t i = 0; i < distinct && rc == GLA_OK; i++) {
        size_t len = strlen(all[i]);
        if (len > 255 || !(li->forms[i] = strdup(all[i]))) {
            rc = len > 255 ? GLA_ERR_DATA : GLA_ERR_NOMEM;
            break;
        }
        li->lens[i] = (uint8_t)len;
        li->count = i + 1;
    }
    /* literal -> rules: (literal, rule) pairs sorted, each once; rule numbers ascend. The rule's
     * marks on the literal ride in the low two bits of its number; a literal written twice in one
     * rule keeps the marks both have (an occurrence either use would take counts). */
    size_t used = 0;
    pair_entry *lr = rc == GLA_OK ? malloc((total + 1) * sizeof *lr) : NULL;
    if (rc == GLA_OK && !lr)
        rc = GLA_ERR_NOMEM;
    for (size_t k = 0; k < rs->count && rc == GLA_OK; k++)
        for (size_t j = 0; rs->rules[k].literals && rs->rules[k].literals[j]; j++)
            lr[used++] = (pair_entry){(uint32_t)find_str(li->forms, li->count, rs->rules[k].literals[j]),
                                      (uint32_t)k << 2 | (rs->rules[k].literal_bounds ? rs->rules[k].literal_bounds[j] : 0u)};
    if (rc == GLA_OK) {
        qsort(lr, used, sizeof *lr, cmp_pair_entry);
        size_t out = 0;
        for (size_t e = 0; e < used; e++) {
            if (e && lr[e].pair == lr[e - 1].pair && lr[e].literal >> 2 == lr[e - 1].literal >> 2) {
                li->bound_of[out - 1] &= (uint8_t)(lr[e].literal & 3); /* a literal written twice in one rule */
                continue;
            }
            li->bound_of[out] = (uint8_t)(lr[e].literal & 3);
            li->rule_of[out++] = lr[e].literal >> 2;
            li->rule_start[lr[e].pair + 1]++;
        }
        for (size_t i = 0; i < li->count; i++)
            li->rule_start[i + 1] += li->rule_start[i];
    }
    free(lr);
    /* pairs */
    size_t m = 0;
    for (size_t i = 0; i < li->count && rc == GLA_OK; i++) {
        uint8_t two[2] = {(uint8_t)li->forms[i][0], (uint8_t)li->forms[i][1]};
        if (li->lens[i] == 1)
            for (uint32_t b1 = 0; b1 < 256; b1++) {
                two[1] = (uint8_t)b1;
                pe[m++] = (pair_entry){pair_at(two), (uint32_t)i};
            }
        else
            pe[m++] = (pair_entry){pair_at(two), (uint32_t)i};
    }
    if (rc == GLA_OK) {
        qsort(pe, m, sizeof *pe, cmp_pair_entry);
        for (size_t e = 0; e < m; e++) {
            /* head and mask through memcpy so that they compare equal to a word loaded from the
             * text the same way, whatever the byte order */
            literal_probe *pr = &li->pair_probe[e];
            size_t len = li->lens[pe[e].literal], head = len < 8 ? len : 8;
            static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
            pr->head = pr->mask = 0;
            memcpy(&pr->head, li->forms[pe[e].literal], head);
            memcpy(&pr->mask, ones, head);
            pr->literal = pe[e].literal;
            pr->len = (uint32_t)len;
            li->pair_start[pe[e].pair + 1]++;
            uint8_t *k = &li->key_len[pe[e].pair];
            if (!*k || len < *k)
                *k = (uint8_t)(len < 4 ? len : 4);
        }
        for (size_t p = 0; p < 65536; p++)
            li->pair_start[p + 1] += li->pair_start[p];
        /* each literal's key under its pair: as many bytes as the pair's shortest literal has */
        for (size_t e = 0; e < m; e++) {
            uint32_t h = quad_hash(quad_key(li->forms[pe[e].literal], li->key_len[pe[e].pair]));
            li->quad_bits[h >> 6] |= 1ull << (h & 63);
        }
        rc = bit_index_build(li, pe, m);
        static const uint8_t ones[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        for (size_t bytes = 0; bytes <= 4; bytes++)
            li->key_masks[bytes] = quad_key((const char *)ones, bytes);
    }
    free(pe);
    free(all);
    if (rc != GLA_OK)
        literal_index_free(li);
    return rc;
}

/* The bytes of x, as memcpy loaded them from memory (little-endian, internal.h), as a number
 * whose order is the lexicographic order of the bytes. */
static inline uint64_t memory_order(uint64_t x) {
    return __builtin_bswap64(x);
}

/* Is the character of t that starts at i (i < to) a letter or a digit (\p{L}, \p{N}), as PCRE2's
 * UCP tables say? A byte that starts no valid character is neither. (Not cp_is_alnum: it counts
 * the combining marks as letters, and its digits are ASCII; \b knows no marks and every \p{N}.) */
static bool letter_or_digit(const uint8_t *t, size_t i, size_t to) {
    if (t[i] < 0x80)
        return (unsigned)((t[i] | 0x20) - 'a') < 26u || (unsigned)(t[i] - '0') < 10u;
    int32_t cp;
    if (utf8_decode(t + i, to - i, &cp) < 0)
        return false;
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Does an occurrence t[i, e) within [from, to) have the marks a rule asks of it (LITERAL_AT_*):
 * no letter or digit just before it, just after it? The text's ends, from and to, count as
 * boundaries: the hits know nothing of the text beyond, and keeping a hit never changes a
 * match (it only costs a try). */
static bool at_bounds(const uint8_t *t, size_t from, size_t i, size_t e, size_t to, unsigned marks) {
    if (marks & LITERAL_AT_END && e < to && letter_or_digit(t, e, to))
        return false;
    if (marks & LITERAL_AT_START && i > from) {
        size_t c = i - 1; /* the start of the character before */
        while (c > from && i - c < 4 && (t[c] & 0xC0) == 0x80)
            c--;
        if (letter_or_digit(t, c, i))
            return false;
    }
    return true;
}

/* Records the literals of probes [p, end) that occur at text[i] (i < to) in their rules' lists.
 * Probes in the order of their bytes (a pair's: the sorted forms) let the probe stop once the
 * first bytes of one sort after the text's same bytes: neither it nor any after it starts the
 * text (a pair such as "co" files dozens of literals). */
static inline int literal_hits_in(const literal_index *li, const literal_probe *p, const literal_probe *end,
                                  bool sorted, const uint8_t *t, size_t from, size_t i, size_t to, literal_hits *h) {
    /* the next 8 bytes, zero-padded past to: no literal holds a NUL byte, so a literal that would
     * run past to cannot match the padding (the length test below says so anyway) */
    uint64_t w = 0;
    if (to - i >= 8)
        memcpy(&w, t + i, 8);
    else
        memcpy(&w, t + i, to - i);
    for (; p < end; p++) {
        if ((w & p->mask) != p->head) {
            if (sorted && memory_order(p->head) > memory_order(w & p->mask))
                break;
            continue;
        }
        if (i + p->len > to)
            continue;
        uint32_t lit = p->literal;
        if (p->len > 8 && memcmp(t + i + 8, li->forms[lit] + 8, p->len - 8))
            continue;
        for (uint32_t x = li->rule_start[lit]; x < li->rule_start[lit + 1]; x++) {
            if (li->bound_of[x] && !at_bounds(t, from, i, i + p->len, to, li->bound_of[x]))
                continue; /* inside a word, where this rule's match cannot hold it */
            vec *v = &h->per_rule[li->rule_of[x]];
            if (v->count && VEC_AT(v, uint32_t, v->count - 1) == i)
                continue; /* two literals of one rule at one place */
            uint32_t *slot = vec_push(v);
            if (!slot)
                return GLA_ERR_NOMEM;
            *slot = (uint32_t)i;
        }
    }
    return GLA_OK;
}

/* Records the literals filed under pair that occur at text[i] (i < to). */
static inline int literal_hits_at(const literal_index *li, const uint8_t *t, size_t from, size_t i, size_t to,
                                  uint32_t pair, literal_hits *h) {
    return literal_hits_in(li, li->pair_probe + li->pair_start[pair], li->pair_probe + li->pair_start[pair + 1],
                           true, t, from, i, to, h);
}

static int cmp_rule_kind(const void *a, const void *b) {
    const rule *x = *(const rule *const *)a, *y = *(const rule *const *)b;
    int c = strcmp(x->kind, y->kind);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Builds rs->kinds: the rules grouped by kind (sorted by name), in file order within a kind. */
static int kind_index_build(ruleset *rs) {
    rs->by_kind = malloc((rs->count + 1) * sizeof *rs->by_kind);
    rs->kinds = malloc((rs->count + 1) * sizeof *rs->kinds);
    if (!rs->by_kind || !rs->kinds)
        return GLA_ERR_NOMEM;
    for (size_t k = 0; k < rs->count; k++)
        rs->by_kind[k] = &rs->rules[k];
    qsort(rs->by_kind, rs->count, sizeof *rs->by_kind, cmp_rule_kind);
    rs->kind_count = 0;
    for (size_t k = 0; k < rs->count; k++) {
        const rule *r = rs->by_kind[k];
        rule_kind *last = rs->kind_count ? &rs->kinds[rs->kind_count - 1] : NULL;
        if (!last || strcmp(last->name, r->kind)) {
            last = &rs->kinds[rs->kind_count++];
            *last = (rule_kind){.name = r->kind, .rules = &rs->by_kind[k]};
        }
        last->count++;
        for (int b = 0; b < 4; b++)
            last->first_bytes[b] |= r->first_bytes[b];
    }
    return GLA_OK;
}

int literal_hits_build(const ruleset *rs, const char *text, size_t from, size_t to, literal_hits *h) {
    if (h->rules < rs->count) {
        vec *bigger = realloc(h->per_rule, rs->count * sizeof *bigger);
        if (!bigger)
            return GLA_ERR_NOMEM;
        h->per_rule = bigger;
        for (size_t k = h->rules; k < rs->count; k++)
            vec_init(&h->per_rule[k], sizeof(uint32_t));
        h->rules = rs->count;
    }
    for (size_t k = 0; k < h->rules; k++)
        h->per_rule[k].count = 0;
    h->text = NULL;
    const literal_index *li = &rs->literals;
    if (!li->count)
        return GLA_OK;
    const uint8_t *t = (const uint8_t *)text;
    size_t i = from;
    /* The positions with four bytes to read: the pair is this byte and the next. Most pairs
     * start no literal, and most of the others are ruled out by the key, so the two look-ups are
     * all most bytes cost. */
    const uint8_t *key_lens = li->key_len; /* not reloaded after each write of a hit */
    const uint8_t *quad_end = t + (to - from >= 4 ? to - 3 : from);
    for (const uint8_t *at = t + from; at < quad_end; at++) {
        uint32_t pair = pair_at(at);
        unsigned key_len = key_lens[pair];
        if (!key_len)
            continue;
        uint32_t key;
        memcpy(&key, at, 4);
        uint32_t bit = quad_hash(key & li->key_masks[key_len]);
        /* every literal at this position is filed under this bit (its first key_len bytes are
         * the text's): only the few literals whose keys set the bit need a compare, not every
         * literal of the pair */
        if (li->quad_bits[bit >> 6] >> (bit & 63) & 1 &&
            literal_hits_in(li, li->bit_probe + li->bit_start[bit], li->bit_probe + li->bit_start[bit + 1], false, t,
                            from, (size_t)(at - t), to, h) != GLA_OK)
            return GLA_ERR_NOMEM;
    }
    i = (size_t)(quad_end - t);
    /* the positions too near the end for a key: the pair alone */
    for (; i + 1 < to; i++) {
        uint32_t pair = pair_at(t + i);
        if (li->key_len[pair] && literal_hits_at(li, t, from, i, to, pair, h) != GLA_OK)
            return GLA_ERR_NOMEM;
    }
    /* the last byte: only a one-byte literal fits, filed under (byte, 0) among the others */
    if (i < to) {
        const uint8_t last[2] = {t[i], 0};
        uint32_t pair = pair_at(last);
        if (li->key_len[pair] && literal_hits_at(li, t, from, i, to, pair, h) != GLA_OK)
            return GLA_ERR_NOMEM;
    }
    h->text = text;
    h->from = from;
    h->to = to;
    return GLA_OK;
}

void literal_hits_free(literal_hits *h) {
    for (size_t k = 0; k < h->rules; k++)
        vec_free(&h->per_rule[k]);
    free(h->per_rule);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------------ the cache of compiled rules
 *
 * Compiling the rules is a third of the model's load (the grammars of titles, organisations and
 * events take milliseconds each), and it gives the same code for the same patterns every time.
 * The compiled code (PCRE2's serialized form, without the JIT's, which is redone at each rule's
 * first match) is thus kept in a cache file named by a hash of everything the compile depends on:
 * the patterns, how each is compiled, PCRE2's version and the machine's word size. A cache that
 * is missing, unreadable, of another build or damaged is ignored and written again; a cache that
 * cannot be written (a read-only disk) only costs the compile. The directory is $GLANEUR_CACHE;
 * without it (or empty, or 0) there is no cache. */

#define CACHE_MAGIC "glaneur compiled rules 2"
#define CACHE_MAX ((size_t)256 << 20)

typedef struct {
    uint64_t first_bytes[4];
    uint32_t min_bytes, pad;
} cached_start;

/* The cache's directory into dir (empty when there is none): $GLANEUR_CACHE, created (private)
 * when asked. There is no cache unless the user names one: loading writes nothing anywhere by
 * default, and PCRE2 checks little of a decoded pattern, so its directory must be one that only
 * the user can write. */
static void cache_dir(char *dir, size_t size, bool create) {
    dir[0] = '\0';
    const char *env = getenv("GLANEUR_CACHE");
    if (!env || !*env || !strcmp(env, "0") || strlen(env) >= size)
        return;
    snprintf(dir, size, "%s", env);
    if (create)
        mkdir(dir, 0700);
}

/* The hash that names the cache of these rules. */
static uint64_t cache_hash(const ruleset *rs, const vec *patterns) {
    uint64_t h = fnv1a64(0xcbf29ce484222325ull, CACHE_MAGIC, sizeof CACHE_MAGIC);
    char version[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, version);
    h = fnv1a64(h, version, strlen(version) + 1);
    uint32_t facts[3] = {(uint32_t)sizeof(void *), (uint32_t)RULE_FLAGS, (uint32_t)rs->count};
    h = fnv1a64(h, facts, sizeof facts);
    for (size_t k = 0; k < rs->count; k++) {
        const char *pattern = VEC_AT(patterns, char *, k);
        uint8_t how = short_reach(&rs->rules[k]);
        h = fnv1a64(h, pattern, strlen(pattern) + 1);
        h = fnv1a64(h, &how, 1);
    }
    return h;
}

static void cache_path(char *path, size_t size, const char *dir, uint64_t hash) {
    snprintf(path, size, "%s/rules-%016llx.pcre2", dir, (unsigned long long)hash);
}

/* The file: CACHE_MAGIC, the hash, the number of rules, each rule's cached_start, the size of
 * PCRE2's serialized codes, their checksum and those bytes. PCRE2 checks little of serialized
 * code when it decodes it, and damaged code could crash a match: the checksum refuses a file
 * damaged after it was written. */
static bool cache_read(ruleset *rs, uint64_t hash) {
    char dir[4096], path[4200];
    cache_dir(dir, sizeof dir, false);
    if (!dir[0] || !rs->count)
        return false;
    cache_path(path, sizeof path, dir, hash);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool ok = false;
    char magic[sizeof CACHE_MAGIC];
    uint64_t file_hash = 0, count = 0, blob_size = 0, blob_sum = 0;
    cached_start *starts = malloc(rs->count * sizeof *starts);
    pcre2_code **codes = calloc(rs->count, sizeof *codes);
    uint8_t *blob = NULL;
    if (!starts || !codes || fread(magic, sizeof magic, 1, f) != 1 || memcmp(magic, CACHE_MAGIC, sizeof magic) ||
        fread(&file_hash, sizeof file_hash, 1, f) != 1 || file_hash != hash || fread(&count, sizeof count, 1, f) != 1 ||
        count != rs->count || fread(starts, sizeof *starts, rs->count, f) != rs->count ||
        fread(&blob_size, sizeof blob_size, 1, f) != 1 || blob_size == 0 || blob_size > CACHE_MAX ||
        fread(&blob_sum, sizeof blob_sum, 1, f) != 1)
        goto done;
    blob = malloc((size_t)blob_size + 1);
    if (!blob || fread(blob, 1, (size_t)blob_size, f) != blob_size || fgetc(f) != EOF ||
        fnv1a64(hash, blob, (size_t)blob_size) != blob_sum)
        goto done;
    if (pcre2_serialize_get_number_of_codes(blob) != (int32_t)rs->count ||
        pcre2_serialize_decode(codes, (int32_t)rs->count, blob, NULL) != (int32_t)rs->count)
        goto done;
    for (size_t k = 0; k < rs->count; k++) {
        rule *r = &rs->rules[k];
        r->code = codes[k];
        codes[k] = NULL;
        memcpy(r->first_bytes, starts[k].first_bytes, sizeof r->first_bytes);
        r->min_bytes = starts[k].min_bytes;
    }
    ok = true;
done:
    fclose(f);
    for (size_t k = 0; codes && k < rs->count; k++)
        pcre2_code_free(codes[k]);
    free(codes);
    free(starts);
    free(blob);
    return ok;
}

/* Removes the caches of other rules (rules-*.pcre2) not written for CACHE_DAYS days: every edit
 * of a rule makes a new cache, and the old ones would pile up. */
#define CACHE_DAYS 30
static void cache_prune(const char *dir, const char *keep) {
    DIR *d = opendir(dir);
    if (!d)
        return;
    time_t now = time(NULL);
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "rules-", 6) || len < 12 || strcmp(e->d_name + len - 6, ".pcre2") || !strcmp(e->d_name, keep))
            continue;
        char path[8200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime > (time_t)CACHE_DAYS * 86400)
            unlink(path);
    }
    closedir(d);
}

/* Writes the cache of the compiled rules: to a new temporary file, then renamed, so that a
 * reader sees a whole file or none. Any failure leaves no file and is not an error. */
static void cache_write(const ruleset *rs, uint64_t hash) {
    char dir[4096], path[4200], tmp[4300];
    cache_dir(dir, sizeof dir, true);
    if (!dir[0] || !rs->count)
        return;
    const pcre2_code **codes = malloc(rs->count * sizeof *codes);
    cached_start *starts = calloc(rs->count, sizeof *starts);
    uint8_t *blob = NULL;
    PCRE2_SIZE blob_size = 0;
    if (!codes || !starts)
        goto done;
    for (size_t k = 0; k < rs->count; k++) {
        codes[k] = rs->rules[k].code;
        memcpy(starts[k].first_bytes, rs->rules[k].first_bytes, sizeof starts[k].first_bytes);
        starts[k].min_bytes = rs->rules[k].min_bytes;
    }
    if (pcre2_serialize_encode(codes, (int32_t)rs->count, &blob, &blob_size, NULL) != (int32_t)rs->count)
        goto done;
    cache_path(path, sizeof path, dir, hash);
    snprintf(tmp, sizeof tmp, "%s/.rules-%016llx.%ld.tmp", dir, (unsigned long long)hash, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        goto done;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        goto done;
    }
    uint64_t count = rs->count, size = blob_size, sum = fnv1a64(hash, blob, blob_size);
    bool ok = fwrite(CACHE_MAGIC, sizeof CACHE_MAGIC, 1, f) == 1 && fwrite(&hash, sizeof hash, 1, f) == 1 &&
              fwrite(&count, sizeof count, 1, f) == 1 && fwrite(starts, sizeof *starts, rs->count, f) == rs->count &&
              fwrite(&size, sizeof size, 1, f) == 1 && fwrite(&sum, sizeof sum, 1, f) == 1 &&
              fwrite(blob, 1, blob_size, f) == blob_size;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
    else
        cache_prune(dir, strrchr(path, '/') + 1);
done:
    if (blob)
        pcre2_serialize_free(blob);
    free(codes);
    free(starts);
}

/* Gives every rule its compiled code: from the cache when it holds these rules, else compiled
 * (and the cache written). */
static int compile_rules(ruleset *rs, const vec *patterns, char *why, size_t why_len) {
    uint64_t hash = cache_hash(rs, patterns);
    rs->from_cache = cache_read(rs, hash);
    for (size_t k = 0; k < rs->count && !rs->from_cache; k++) {
        int rc = compile_rule(&rs->rules[k], VEC_AT(patterns, char *, k), why, why_len);
        if (rc != GLA_OK)
            return rc;
    }
    if (!rs->from_cache)
        cache_write(rs, hash);
    for (size_t k = 0; k < rs->count; k++)
        if (keep_plain_pattern(&rs->rules[k], VEC_AT(patterns, char *, k)) != GLA_OK)
            return GLA_ERR_NOMEM;
    return GLA_OK;
}

int ruleset_load_dir(ruleset *rs, const char *dir, const char *const *builtin_names,
                     const char *const *builtin_values, size_t builtin_count, char *why,
                     size_t why_len) {
    memset(rs, 0, sizeof *rs);
    fragment_list fl = {0};
    int rc = GLA_OK;
    for (size_t i = 0; i < builtin_count && rc == GLA_OK; i++)
        if (!frag_add(&fl, builtin_names[i], strlen(builtin_names[i]), builtin_values[i]))
            rc = GLA_ERR_NOMEM;
    char **names = NULL;
    size_t n = 0;
    vec patterns; /* each rule's expanded pattern (char *), compiled once all are read */
    vec_init(&patterns, sizeof(char *));
    if (rc == GLA_OK)
        rc = list_dir(dir, ".rules", &names, &n, why, why_len);
    for (size_t i = 0; i < n && rc == GLA_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = load_file(rs, &patterns, &fl, path, why, why_len);
    }
    free_names(names, n);
    frag_free(&fl);
    if (rc == GLA_OK)
        rc = compile_rules(rs, &patterns, why, why_len);
    for (size_t k = 0; k < patterns.count; k++)
        free(VEC_AT(&patterns, char *, k));
    vec_free(&patterns);
    if (rc == GLA_OK)
        rc = literal_index_build(rs);
    if (rc == GLA_OK)
        rc = kind_index_build(rs);
    if (rc == GLA_ERR_NOMEM)
        set_why(why, why_len, "%s: out of memory", dir);
    if (rc != GLA_OK)
        ruleset_free(rs);
    return rc;
}

void ruleset_free(ruleset *rs) {
    for (size_t i = 0; i < rs->count; i++) {
        free(rs->rules[i].kind);
        free(rs->rules[i].name);
        free(rs->rules[i].file);
        free(rs->rules[i].anchor);
        for (size_t k = 0; rs->rules[i].literals && rs->rules[i].literals[k]; k++)
            free(rs->rules[i].literals[k]);
        free(rs->rules[i].literals);
        free(rs->rules[i].literal_bounds);
        if (rs->rules[i].plain_code != rs->rules[i].code)
            pcre2_code_free(rs->rules[i].plain_code);
        free(rs->rules[i].plain_pattern);
        pcre2_code_free(rs->rules[i].code);
        pcre2_code_free(rs->rules[i].jit_code);
    }
    free(rs->rules);
    literal_index_free(&rs->literals);
    free(rs->kinds);
    free(rs->by_kind);
    memset(rs, 0, sizeof *rs);
}

const rule_kind *ruleset_kind(const ruleset *rs, const char *kind) {
    static const rule_kind none = {.name = "", .rules = NULL, .count = 0};
    size_t lo = 0, hi = rs->kind_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(rs->kinds[mid].name, kind);
        if (!c)
            return &rs->kinds[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return &none;
}

/* GLANEUR_PROFILE, read once: timing every match costs two clock reads, so only on demand. */
static int profile_on = -1;

static bool profiling(void) {
    int on = __atomic_load_n(&profile_on, __ATOMIC_RELAXED);
    if (on < 0) {
        const char *v = getenv("GLANEUR_PROFILE");
        on = v && *v && strcmp(v, "0") != 0;
        __atomic_store_n(&profile_on, on, __ATOMIC_RELAXED);
    }
    return on;
}

/* The JIT compile of a rule costs as much as a hundred interpreted matches or more (the large
 * grammars of titles and organisations, millions of instructions each), and an article tries
 * most rules a few times only: compiling every rule at its second match, as before, made the
 * compiles a quarter of the work on one article (51 M instructions of 202 M, where all its
 * interpreted matches would have cost 3 M). A rule that is tried again in another
 * document, though, will most likely be tried in every document: the compile then pays for
 * itself, as the interpreter is four to ten times slower on the grammars. A rule is thus
 * JIT-compiled at its first match in a document after the one of its first match, or at its
 * JIT_TRIES-th match in that one document (a long text, which its interpreted matches would
 * make several times slower). One article: 202 M -> 151 M instructions; a thousand articles
 * pay the interpreter on their first article only, +3 M out of 1,371 M. The documents are
 * numbered for the process, each thread knowing its current one; the heuristic only chooses
 * between two engines that give the same results, so sharing the numbers between models, or
 * their wrapping around, costs no more than a compile made sooner or later.
 * The code is shared by the threads, which may all be in pcre2_match on it: the JIT compiles
 * a copy, published when complete. The thread that claims the compile makes it; the others
 * meanwhile run the interpreter, with the same results. NULL while the interpreter is to run
 * the rule. */
#define JIT_TRIES 64

static uint32_t documents_begun;
static _Thread_local uint32_t this_document; /* documents_begun when it began; 0 outside */

void rules_begin_document(void) { this_document = __atomic_add_fetch(&documents_begun, 1, __ATOMIC_RELAXED); }

/* The code a rule is matched with: its compile, or for a rule with a plain pattern (see
 * keep_plain_pattern) that pattern compiled without start optimisations, made at the first call.
 * Threads may race to make it: the first published is kept, the others freed. A compile that
 * fails (out of memory) leaves the rule its first compile, as it did at load. */
static pcre2_code *match_code(const rule *r) {
    if (!r->plain_pattern)
        return r->code;
    pcre2_code *plain = __atomic_load_n(&r->plain_code, __ATOMIC_ACQUIRE);
    if (plain)
        return plain;
    int errcode;
    PCRE2_SIZE erroff;
    plain = pcre2_compile((PCRE2_SPTR)r->plain_pattern, PCRE2_ZERO_TERMINATED, RULE_FLAGS | PCRE2_NO_START_OPTIMIZE,
                          &errcode, &erroff, NULL);
    pcre2_code *use = plain ? plain : r->code, *published = NULL;
    rule *shared = (rule *)r; /* like jit_code, a part of a shared model made on first use */
    if (!__atomic_compare_exchange_n(&shared->plain_code, &published, use, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        pcre2_code_free(plain);
        return published;
    }
    return use;
}

static pcre2_code *jit_code(const rule *r) {
    pcre2_code *compiled = __atomic_load_n(&r->jit_code, __ATOMIC_ACQUIRE);
    if (compiled || !__atomic_load_n(&r->jit, __ATOMIC_RELAXED))
        return compiled;
    rule *shared = (rule *)r; /* like the profile's counters, a part of a shared model that changes */
    uint32_t document = this_document + 1;
    uint32_t first = __atomic_load_n(&shared->jit_first_document, __ATOMIC_RELAXED);
    if (!first && __atomic_compare_exchange_n(&shared->jit_first_document, &first, document, false,
                                              __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        return NULL; /* the rule's first match: interpreted */
    if (first == document && __atomic_add_fetch(&shared->jit_tries, 1, __ATOMIC_RELAXED) < JIT_TRIES)
        return NULL; /* more matches in the same document: interpreted, up to JIT_TRIES */
    if (__atomic_exchange_n(&shared->jit_claimed, true, __ATOMIC_RELAXED))
        return NULL; /* another thread compiles it */
    compiled = pcre2_code_copy(match_code(r));
    if (!compiled || pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(compiled); /* out of memory, or no JIT here: the interpreter it is */
        __atomic_store_n(&shared->jit, false, __ATOMIC_RELAXED);
        return NULL;
    }
    __atomic_store_n(&shared->jit_code, compiled, __ATOMIC_RELEASE);
    return compiled;
}

/* A match of JIT-compiled code goes to pcre2_jit_match, the JIT's own entry: pcre2_match
 * checks its arguments first, which costs as much as a short failed match, and rules are tried
 * hundreds of thousands of times. The JIT takes none of the options passed here but
 * PCRE2_ANCHORED, which the interpreter runs. */
static int match_once(const rule *r, const char *text, size_t len, size_t start, uint32_t options,
                      pcre2_match_data *md, pcre2_match_context *mctx) {
    pcre2_code *compiled = options & PCRE2_ANCHORED ? NULL : jit_code(r);
    if (compiled)
        return pcre2_jit_match(compiled, (PCRE2_SPTR)text, len, start, options, md, mctx);
    return pcre2_match(match_code(r), (PCRE2_SPTR)text, len, start, options | PCRE2_NO_UTF_CHECK, md, mctx);
}

/* PCRE2_ANCHORED at match time is not supported by the JIT: PCRE2 runs such a match in its
 * interpreter, several times slower. An offset limit at the start position asks the same (a
 * match that starts there) of the JIT-compiled code. */
static int exec_anchored(const rule *r, const char *text, size_t len, size_t start, uint32_t options,
                         pcre2_match_data *md, pcre2_match_context *mctx) {
    if (!(options & PCRE2_ANCHORED))
        return match_once(r, text, len, start, options, md, mctx);
    /* Anchored attempts come by the thousand at places chosen by the caller (every byte of a
     * list, every mention), many of them where the first byte or the length left rules a match
     * out: PCRE2 would find that too, but only after the cost of a call. A NOMATCH here leaves
     * md as PCRE2's does: not to be read. */
    if (start <= len && len - start < r->min_bytes)
        return PCRE2_ERROR_NOMATCH;
    if (start < len && !may_start_with(r->first_bytes, (uint8_t)text[start]))
        return PCRE2_ERROR_NOMATCH;
    if (!mctx)
        return match_once(r, text, len, start, options, md, mctx);
    pcre2_set_offset_limit(mctx, start);
    int rc = match_once(r, text, len, start, options & ~PCRE2_ANCHORED, md, mctx);
    pcre2_set_offset_limit(mctx, PCRE2_UNSET);
    return rc;
}

int rule_exec(const rule *r, const char *text, size_t len, size_t start, uint32_t options,
              pcre2_match_data *md, pcre2_match_context *mctx) {
    if (!profiling())
        return exec_anchored(r, text, len, start, options, md, mctx);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = exec_anchored(r, text, len, start, options, md, mctx);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    uint64_t ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)(t1.tv_nsec - t0.tv_nsec);
    rule *counted = (rule *)r; /* the counters are the one part of a shared model that changes */
    __atomic_fetch_add(&counted->prof_calls, 1, __ATOMIC_RELAXED);
    if (rc > 0)
        __atomic_fetch_add(&counted->prof_hits, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&counted->prof_ns, ns, __ATOMIC_RELAXED);
    return rc;
}

static int cmp_prof(const void *a, const void *b) {
    const rule *x = *(const rule *const *)a, *y = *(const rule *const *)b;
    return x->prof_ns < y->prof_ns ? 1 : x->prof_ns > y->prof_ns ? -1 : 0;
}

/* The bytes of a rule's compiled code and of its JIT code (0 while it has none). */
static void code_sizes(const rule *r, size_t *code_size, size_t *jit_size) {
    *code_size = *jit_size = 0;
    pcre2_pattern_info(r->code, PCRE2_INFO_SIZE, code_size);
    if (r->jit_code)
        pcre2_pattern_info(r->jit_code, PCRE2_INFO_JITSIZE, jit_size);
}

void ruleset_print_profile(const ruleset *rs, FILE *err) {
    if (!profiling() || !rs->count)
        return;
    const rule **order = malloc(rs->count * sizeof *order);
    if (!order)
        return;
    uint64_t total = 0;
    for (size_t k = 0; k < rs->count; k++) {
        order[k] = &rs->rules[k];
        total += rs->rules[k].prof_ns;
    }
    qsort(order, rs->count, sizeof *order, cmp_prof);
    /* The sizes of the compiled and the JIT-compiled code: the JIT's large patterns run out of
     * the first-level instruction cache, which costs more time than their instructions say. */
    size_t code_total = 0, jit_total = 0, jitted = 0;
    for (size_t k = 0; k < rs->count; k++) {
        size_t code_size, jit_size;
        code_sizes(&rs->rules[k], &code_size, &jit_size);
        code_total += code_size;
        jit_total += jit_size;
        jitted += jit_size > 0;
    }
    fprintf(err, "glaneur: rule profile: %.3f s in pcre2_match, slowest rules first; %zu rules, %zu KB compiled, "
                 "%zu JIT-compiled in %zu KB\n", total / 1e9, rs->count, code_total >> 10, jitted, jit_total >> 10);
    for (size_t k = 0; k < rs->count && k < 25 && order[k]->prof_ns; k++) {
        size_t code_size, jit_size;
        code_sizes(order[k], &code_size, &jit_size);
        fprintf(err, "  %7.3f s %5.1f%% %10llu calls %10llu found %4zu KB %4zu KB JIT  %s %s (%s)\n",
                order[k]->prof_ns / 1e9, total ? 100.0 * order[k]->prof_ns / total : 0.0,
                (unsigned long long)order[k]->prof_calls, (unsigned long long)order[k]->prof_hits, code_size >> 10,
                jit_size >> 10, order[k]->kind, order[k]->name, order[k]->file);
    }
    free(order);
}

bool rules_match_kind(const gla_model *m, pcre2_match_data *md, const char *kind, const char *s, size_t len) {
    const rule_kind *rk = ruleset_kind(&m->rules, kind);
    for (size_t k = 0; k < rk->count; k++)
        if (rule_exec(rk->rules[k], s, len, 0, 0, md, NULL) > 0)
            return true;
    return false;
}

/* The start of the character after the one at `at` (at most end). */
static size_t next_char(const char *text, size_t at, size_t end) {
    at++;
    while (at < end && ((uint8_t)text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* With ~literals, the match is sought occurrence by occurrence: for each, the starts from
 * the rule's reach before it (or from the first start not yet tried) up to the occurrence
 * itself (for a <line rule, the start of its line), which PCRE2's offset limit enforces. No
 * start is tried twice, and text without the literals is never run. Where hits does not index
 * this text, the rule runs on all of it. */

int rule_match(const rule *r, const char *text, size_t start, size_t end, pcre2_match_data *md,
               pcre2_match_context *mctx, const literal_hits *hits) {
    if (!r->literals || !mctx || !hits || hits->text != text || start < hits->from || end > hits->to ||
        r->index >= hits->rules)
        return rule_exec(r, text, end, start, 0, md, mctx);
    const vec *occs = &hits->per_rule[r->index];
    const uint32_t *o = occs->items;
    size_t lo = 0, hi = occs->count; /* the first occurrence at or after start */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (o[mid] < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t untried = start; /* every start before it has failed */
    for (size_t k = lo; k < occs->count && o[k] < end; k++) {
        size_t occ = o[k], from, limit = occ;
        if (r->reach == REACH_LINE) { /* the one start a line-anchored match can have */
            /* the line's start, or untried: lines run to hundreds of bytes, which memrchr reads
             * many at a time */
            const char *newline = occ > untried ? memrchr(text + untried, '\n', occ - untried) : NULL;
            from = newline ? (size_t)(newline - text) + 1 : untried;
            limit = from;
            if (from > 0 && text[from - 1] != '\n') { /* that line's start was tried, or is before start */
                untried = next_char(text, occ, end);
                continue;
            }
        } else {
            from = occ > untried + r->reach ? occ - r->reach : untried;
            while (from > untried && ((uint8_t)text[from] & 0xC0) == 0x80) /* a character boundary */
                from--;
        }
        pcre2_set_offset_limit(mctx, limit);
        int rc = rule_exec(r, text, end, from, 0, md, mctx);
        pcre2_set_offset_limit(mctx, PCRE2_UNSET);
        if (rc != PCRE2_ERROR_NOMATCH)
            return rc;
        untried = next_char(text, occ, end);
    }
    return PCRE2_ERROR_NOMATCH;
}
