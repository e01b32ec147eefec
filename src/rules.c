/* Rule files: gazetteers/rules/NAME.rules, the language of glaneur's PCRE2 rules.
 *
 *     # a comment
 *     %day = (?:1er|[12][0-9]|3[01]|0?[1-9])       a named fragment, used later as %day
 *     DATE  day_month  (?i)\b(?<day>%day)\s+(?<month>%month)\b
 *
 * A rule line is KIND, NAME, optionally @ANCHOR and ~LITERAL words, then the pattern (the rest
 * of the line). An anchor (@title, @kind_portfolio) restricts the rule to the places where a
 * gazetteer mention of that type or kind starts, where it is tried anchored. Literals (~signé
 * ~paraphé) promise that every match contains one of them (as written, or with a capital first
 * letter): the rule then runs only in a window around their occurrences. Both are far cheaper
 * than trying the pattern at every position of the text. Fragments expand inside
 * later fragments and patterns; builtin fragments (%month, %weekday: French names from ICU) are
 * supplied by the model. Patterns compile with UTF, UCP and MULTILINE, then JIT. What a rule's
 * named groups mean is up to the stage that runs rules of its KIND. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

static int add_rule(ruleset *rs, const char *kind, size_t kind_len, const char *name,
                    size_t name_len, const char *anchor, size_t anchor_len, char **literals,
                    const char *pattern, const char *where, char *why, size_t why_len) {
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE, &errcode, &erroff, NULL);
    if (!code) {
        for (size_t k = 0; literals && literals[k]; k++)
            free(literals[k]);
        free(literals);
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        set_why(why, why_len, "%s: rule %.*s: %s at offset %zu of the expanded pattern", where,
                (int)name_len, name, (const char *)msg, (size_t)erroff);
        return GLA_ERR_REGEX;
    }
    /* JIT is an optimisation: a platform without it still matches, only slower. GLANEUR_NO_JIT
     * turns it off for memory checkers: the JIT's vector loads read past a subject's end within
     * its buffer, which valgrind reports as uses of uninitialised bytes though no result
     * depends on them. */
    const char *no_jit = getenv("GLANEUR_NO_JIT");
    if (!no_jit || !*no_jit || !strcmp(no_jit, "0"))
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    rule *rules = realloc(rs->rules, (rs->count + 1) * sizeof *rules);
    if (!rules) {
        pcre2_code_free(code);
        for (size_t k = 0; literals && literals[k]; k++)
            free(literals[k]);
        free(literals);
        return GLA_ERR_NOMEM;
    }
    rs->rules = rules;
    rule *r = &rs->rules[rs->count];
    r->kind = strndup(kind, kind_len);
    r->name = strndup(name, name_len);
    r->file = strdup(where);
    r->anchor = anchor_len ? strndup(anchor, anchor_len) : NULL;
    r->literals = literals;
    memset(r->literal_first, 0, sizeof r->literal_first);
    for (size_t k = 0; literals && literals[k]; k++)
        r->literal_first[(uint8_t)literals[k][0]] = 1;
    r->code = code;
    rs->count++;
    if (!r->kind || !r->name || !r->file || (anchor_len && !r->anchor))
        return GLA_ERR_NOMEM;
    return GLA_OK;
}

static int load_file(ruleset *rs, fragment_list *fl, const char *path, char *why, size_t why_len) {
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
        size_t nlit = 0;
        while (*pattern == '@' || *pattern == '~') {
            char *word = pattern + 1, *end = word;
            while (*end && *end != ' ' && *end != '\t')
                end++;
            if (*pattern == '@') {
                anchor = word;
                anchor_len = (size_t)(end - word);
            } else if (end > word) { /* the literal, and capitalised if it starts in lower case */
                bool lower = *word >= 'a' && *word <= 'z';
                char **bigger = realloc(literals, (nlit + 3) * sizeof *literals);
                if (bigger)
                    literals = bigger;
                if (!bigger || !(literals[nlit] = strndup(word, (size_t)(end - word)))) {
                    rc = GLA_ERR_NOMEM;
                } else if (lower && !(literals[nlit + 1] = strndup(word, (size_t)(end - word)))) {
                    free(literals[nlit]);
                    rc = GLA_ERR_NOMEM;
                } else {
                    if (lower)
                        literals[nlit + 1][0] = (char)(literals[nlit + 1][0] - 32);
                    nlit += lower ? 2 : 1;
                }
                if (literals)
                    literals[nlit] = NULL;
                if (rc != GLA_OK) {
                    for (size_t k = 0; k < nlit; k++)
                        free(literals[k]);
                    free(literals);
                    literals = NULL;
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
            rc = GLA_ERR_DATA;
            break;
        }
        rc = add_rule(rs, kind, (size_t)(kind_end - kind), name, (size_t)(name_end - name), anchor,
                      anchor_len, literals, expanded, where, why, why_len);
        free(expanded);
    }
    free(data);
    return rc;
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
    if (rc == GLA_OK)
        rc = list_dir(dir, ".rules", &names, &n, why, why_len);
    for (size_t i = 0; i < n && rc == GLA_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = load_file(rs, &fl, path, why, why_len);
    }
    free_names(names, n);
    frag_free(&fl);
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
        pcre2_code_free(rs->rules[i].code);
    }
    free(rs->rules);
    memset(rs, 0, sizeof *rs);
}

bool rules_match_kind(const gla_model *m, pcre2_match_data *md, const char *kind, const char *s, size_t len) {
    for (size_t k = 0; k < m->rules.count; k++) {
        const rule *r = &m->rules.rules[k];
        if (!strcmp(r->kind, kind) && pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) > 0)
            return true;
    }
    return false;
}

/* The first occurrence at or after start of any literal (the list holds each literal as written
 * and capitalised, see load_file). A few literals: memmem each. Many: one forward scan with a
 * table of the bytes that start one, comparing only where such a byte is — linear in the text
 * whatever the number of literals. */
static const char *next_literal(const rule *r, const char *text, size_t start, size_t end, size_t *len) {
    size_t n = 0;
    while (r->literals[n])
        n++;
    if (n <= 8) { /* a few literals: memmem each (vectorised), the search shrinking to the best */
        const char *best = NULL;
        for (size_t k = 0; k < n; k++) {
            size_t l = strlen(r->literals[k]);
            const char *limit = best ? best + l : text + end;
            if (text + start >= limit)
                continue;
            const char *hit = memmem(text + start, (size_t)(limit - (text + start)), r->literals[k], l);
            if (hit && (!best || hit < best)) {
                best = hit;
                *len = l;
            }
        }
        return best;
    }
    for (size_t i = start; i < end; i++) {
        if (!r->literal_first[(uint8_t)text[i]])
            continue;
        for (size_t k = 0; r->literals[k]; k++) {
            size_t l = strlen(r->literals[k]);
            if (r->literals[k][0] == text[i] && i + l <= end && !memcmp(text + i, r->literals[k], l)) {
                *len = l;
                return text + i;
            }
        }
    }
    return NULL;
}

#define LITERAL_BEFORE 240 /* bytes of a match that may precede its literal */

int rule_match(const rule *r, const char *text, size_t start, size_t end, uint32_t options,
               pcre2_match_data *md, pcre2_match_context *mctx) {
    if (!r->literals || (options & PCRE2_ANCHORED))
        return pcre2_match(r->code, (PCRE2_SPTR)text, end, start, options | PCRE2_NO_UTF_CHECK, md, mctx);
    size_t at = start;
    for (;;) {
        size_t len;
        const char *hit = next_literal(r, text, at, end, &len);
        if (!hit)
            return PCRE2_ERROR_NOMATCH;
        size_t occ = (size_t)(hit - text);
        size_t from = occ > at + LITERAL_BEFORE ? occ - LITERAL_BEFORE : at;
        while (from > at && ((uint8_t)text[from] & 0xC0) == 0x80) /* a character boundary */
            from--;
        /* a match near this occurrence: it must begin before the literal ends */
        int rc = pcre2_match(r->code, (PCRE2_SPTR)text, end, from, options | PCRE2_NO_UTF_CHECK, md, mctx);
        if (rc < 0)
            return rc;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[0] <= occ + len)
            return rc;
        at = occ + len; /* the match found lies beyond: look for the next occurrence */
        if (ov[0] < at)
            at = ov[0];
    }
}
