/* The compiled model: everything language-specific, loaded once from gazetteers/ and the compiled
 * lexicon, immutable afterwards and shared by every worker thread.
 *
 *     gazetteers/lexicon/function_words.txt   articles, prepositions, auxiliaries
 *     gazetteers/lexicon/prefixes.txt         productive prefixes (co-, auto-, cyber-)
 *     gazetteers/lexicon/elisions.txt         elided forms before an apostrophe (d, l, qu)
 *     gazetteers/lexicon/abbreviations.txt    abbreviations whose period ends no sentence
 *     gazetteers/lexicon/inflections.txt      regular inflections (onusienne: onusien)
 *     gazetteers/lexicon/word_classes.txt     closed classes the stages name (de la, au, leurs)
 *     gazetteers/lexicon/words.txt            words the Debian list lacks
 *     gazetteers/lexicon/person_names.txt     name parts by naming tradition (tools/mknames.mjs)
 *     gazetteers/NAME.tsv                     gazetteers (see gazetteer.c)
 *     gazetteers/rules/NAME.rules                PCRE2 rules (see rules.c)
 *     fr.lex                                  compiled by tools/mklexicon from wfrench
 *
 * French month and weekday names come from ICU's locale data, not from a list typed here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/udat.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

#include "internal.h"

#ifndef GLA_DEFAULT_DATA_DIR
#define GLA_DEFAULT_DATA_DIR "gazetteers"
#endif
#ifndef GLA_DEFAULT_LEXICON
#define GLA_DEFAULT_LEXICON "fr.lex"
#endif

static const char *const entity_type_names[GLA_ENT__COUNT] = {
    "PERSON", "ORG", "LOC", "RANK", "TITLE", "EVENT", "AGREEMENT", "DATE"};

const char *gla_entity_type_name(gla_entity_type type) {
    return (unsigned)type < GLA_ENT__COUNT ? entity_type_names[type] : "?";
}

bool model_is_word(const gla_model *m, const char *lower, size_t len, int *flags) {
    /* hashed once for the lexicon, words.txt and the gazetteer's names (lexicon.c) */
    return model_is_word_hashed(m, lower, len, wordset_hash(lower, len), flags);
}

/* Appends name and its accent-free spelling (fevrier, aout) to the table and to the regex. */
static bool add_calendar_name(calendar_name *table, size_t *count, size_t cap, const char *name,
                              int number, gla_buf *alternation) {
    char forms[2][16];
    if (utf8_lower(name, strlen(name), forms[0], sizeof forms[0]) < 0 ||
        utf8_fold(name, strlen(name), forms[1], sizeof forms[1]) < 0)
        return true; /* a name too long for the table is no month we know */
    for (int k = 0; k < 2; k++) {
        if (k == 1 && !strcmp(forms[0], forms[1]))
            break;
        bool seen = false;
        for (size_t i = 0; i < *count; i++)
            seen |= !strcmp(table[i].name, forms[k]);
        if (seen || *count >= cap)
            continue;
        snprintf(table[*count].name, sizeof table[*count].name, "%.15s", forms[k]);
        table[*count].number = number;
        (*count)++;
        if (alternation->len && !buf_putc(alternation, '|'))
            return false;
        for (const char *p = forms[k]; *p; p++) {
            if (*p == '.' && !buf_putc(alternation, '\\'))
                return false;
            if (!buf_putc(alternation, *p))
                return false;
        }
    }
    return true;
}

static int cmp_len_desc(const void *a, const void *b) {
    return (int)strlen(((const calendar_name *)b)->name) - (int)strlen(((const calendar_name *)a)->name);
}

/* Builds the %month and %weekday fragments from ICU's French calendar symbols. */
static int load_calendar(gla_model *m, gla_buf *months_re, gla_buf *weekdays_re, char *why,
                         size_t why_len) {
    UErrorCode status = U_ZERO_ERROR;
    UDateFormat *fmt = udat_open(UDAT_DEFAULT, UDAT_DEFAULT, "fr", NULL, 0, NULL, 0, &status);
    if (U_FAILURE(status)) {
        set_why(why, why_len, "ICU: no French date format data (%s)", u_errorName(status));
        return GLA_ERR_DATA;
    }
    static const UDateFormatSymbolType month_kinds[] = {UDAT_MONTHS, UDAT_SHORT_MONTHS,
                                                        UDAT_STANDALONE_MONTHS, UDAT_STANDALONE_SHORT_MONTHS};
    gla_buf tmp_months = {0};
    for (size_t k = 0; k < sizeof month_kinds / sizeof *month_kinds; k++) {
        for (int i = 0; i < 12; i++) {
            UChar u[32];
            char s[64];
            UErrorCode st = U_ZERO_ERROR;
            int32_t n = udat_getSymbols(fmt, month_kinds[k], i, u, 32, &st);
            if (U_FAILURE(st) || n <= 0)
                continue;
            u_strToUTF8(s, sizeof s, NULL, u, n, &st);
            if (U_FAILURE(st))
                continue;
            add_calendar_name(m->months, &m->month_count, sizeof m->months / sizeof *m->months, s,
                              i + 1, &tmp_months);
        }
    }
    for (int i = 1; i <= 7; i++) { /* ICU: 1 = Sunday; here 1 = Monday */
        UChar u[32];
        char s[64];
        UErrorCode st = U_ZERO_ERROR;
        int32_t n = udat_getSymbols(fmt, UDAT_WEEKDAYS, i, u, 32, &st);
        if (U_FAILURE(st) || n <= 0)
            continue;
        u_strToUTF8(s, sizeof s, NULL, u, n, &st);
        if (U_SUCCESS(st))
            add_calendar_name(m->weekdays, &m->weekday_count, sizeof m->weekdays / sizeof *m->weekdays,
                              s, i == 1 ? 7 : i - 1, weekdays_re);
    }
    udat_close(fmt);
    gla_buf_free(&tmp_months);
    if (m->month_count < 12 || m->weekday_count < 7) {
        set_why(why, why_len, "ICU: incomplete French calendar names");
        return GLA_ERR_DATA;
    }
    /* Longest first, so that "juillet" wins over "juil." and "mars" over "mar". */
    calendar_name sorted[48];
    memcpy(sorted, m->months, m->month_count * sizeof *sorted);
    qsort(sorted, m->month_count, sizeof *sorted, cmp_len_desc);
    for (size_t i = 0; i < m->month_count; i++) {
        if (i && !buf_putc(months_re, '|'))
            return GLA_ERR_NOMEM;
        for (const char *p = sorted[i].name; *p; p++)
            if ((*p == '.' && !buf_putc(months_re, '\\')) || !buf_putc(months_re, *p))
                return GLA_ERR_NOMEM;
    }
    return GLA_OK;
}

static void build_latin_map(gla_model *m) {
    for (int32_t cp = 0; cp < 0x300; cp++) {
        utf8proc_int32_t out[8];
        int last = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(
            cp, out, 8, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_LUMP | UTF8PROC_IGNORE, &last);
        if (n > 1)
            n = utf8proc_normalize_utf32(out, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (n == 0)
            m->latin_map[cp] = -1;
        else if (cp == '\r')
            m->latin_map[cp] = '\n'; /* a line end (repair_normalize drops the CR of a CRLF) */
        else if (cp < 0x20 && cp != '\n' && cp != '\t')
            m->latin_map[cp] = ' '; /* control characters are extraction debris */
        else
            m->latin_map[cp] = n == 1 ? out[0] : cp;
    }
}

/* Regex fragments of the gazetteer: %gaz_<type> (gaz_title, gaz_demonym ...) and
 * %gaz_kind_<kind> (gaz_kind_portfolio, gaz_kind_country ...): every form, escaped, longest
 * first, case=exact forms wrapped in (?-i:...). Rules thus name categories, not word lists.
 * Only the fragments that some rule names are built: the rules name a few small categories,
 * and the large ones (tens of thousands of cities) would cost more to build than the rest of
 * the model to load. */

static int cmp_entry_len_desc(const void *a, const void *b) {
    const gazetteer_entry *x = *(const gazetteer_entry *const *)a, *y = *(const gazetteer_entry *const *)b;
    size_t lx = strlen(x->form), ly = strlen(y->form);
    return lx != ly ? (lx < ly ? 1 : -1) : strcmp(x->form, y->form);
}

/* The names %gaz_... that the rule files of rules_dir use, each once, into names (char *). */
static int named_fragments(const char *rules_dir, vec *names, char *why, size_t why_len) {
    char **files;
    size_t n;
    int rc = list_dir(rules_dir, ".rules", &files, &n, why, why_len);
    for (size_t i = 0; i < n && rc == GLA_OK; i++) {
        char path[8192], *data; /* rules_dir holds at most 4096 bytes, a file name 256 */
        snprintf(path, sizeof path, "%s/%s", rules_dir, files[i]);
        rc = read_data_file(path, &data, why, why_len);
        if (rc != GLA_OK)
            break;
        for (const char *p = strstr(data, "%gaz_"); p && rc == GLA_OK; p = strstr(p, "%gaz_")) {
            const char *q = ++p;
            while (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
                q++;
            bool seen = false;
            for (size_t k = 0; k < names->count && !seen; k++) {
                const char *known = VEC_AT(names, char *, k);
                seen = strlen(known) == (size_t)(q - p) && !memcmp(known, p, (size_t)(q - p));
            }
            char **slot = seen ? NULL : vec_push(names);
            if (!seen && (!slot || !(*slot = strndup(p, (size_t)(q - p)))))
                rc = GLA_ERR_NOMEM;
            p = q;
        }
        free(data);
    }
    free_names(files, n);
    return rc;
}

/* The category of fragment name ("gaz_title", "gaz_kind_portfolio"): a kind (kind_len bytes at
 * kind), or else an entry type (type, -1 if none), read once rather than for each entry. */
static int gazetteer_fragments(const gazetteer *gz, const char *rules_dir, vec *names, vec *values, char *why,
                               size_t why_len) {
    vec wanted, forms;
    vec_init(&wanted, sizeof(char *));
    vec_init(&forms, sizeof(const gazetteer_entry *));
    int rc = named_fragments(rules_dir, &wanted, why, why_len);
    for (size_t i = 0; i < wanted.count && rc == GLA_OK; i++) {
        const char *name = VEC_AT(&wanted, char *, i);
        const gazetteer_category category = gazetteer_category_of(name + 4); /* after gaz_ */
        forms.count = 0;
        for (size_t k = 0; k < gz->count && rc == GLA_OK; k++) {
            if (!gazetteer_entry_in(&gz->entries[k], &category))
                continue;
            const gazetteer_entry **slot = vec_push(&forms);
            if (slot)
                *slot = &gz->entries[k];
            else
                rc = GLA_ERR_NOMEM;
        }
        if (rc != GLA_OK)
            break;
        if (forms.count) /* an empty vec has no items array, which qsort may not take */
            qsort(forms.items, forms.count, sizeof(const gazetteer_entry *), cmp_entry_len_desc);
        gla_buf re = {0};
        bool ok = true;
        const char *prev = NULL;
        for (size_t k = 0; k < forms.count && ok; k++) {
            const gazetteer_entry *e = VEC_AT(&forms, const gazetteer_entry *, k);
            if (prev && !strcmp(prev, e->form))
                continue;
            prev = e->form;
            if (re.len)
                ok = buf_putc(&re, '|');
            if (e->exact)
                ok = ok && buf_puts(&re, "(?-i:");
            for (const char *p = e->form; *p && ok; p++) {
                if (strchr("\\^$.|?*+()[]{}", *p))
                    ok = buf_putc(&re, '\\');
                ok = ok && (*p == ' ' ? buf_puts(&re, "\\s+") : buf_putc(&re, *p));
            }
            if (e->exact)
                ok = ok && buf_putc(&re, ')');
        }
        char **n = vec_push(names), **v = vec_push(values);
        if (!ok || !n || !v || !(*n = strdup(name))) {
            gla_buf_free(&re);
            rc = GLA_ERR_NOMEM;
        } else {
            *v = re.data ? re.data : strdup("(?!)"); /* a category with no form matches nothing */
            if (!*v)
                rc = GLA_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < wanted.count; i++)
        free(VEC_AT(&wanted, char *, i));
    vec_free(&wanted);
    vec_free(&forms);
    return rc;
}

static int load_list(wordset *ws, const char *dir, const char *name, char *why, size_t why_len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/lexicon/%s", dir, name);
    return wordset_load_list(ws, path, why, why_len);
}

/* Reads dir/lexicon/name whole into *data (the caller frees it); path receives its path. */
static int read_lexicon(const char *dir, const char *name, char *path, size_t path_size, char **data, char *why,
                        size_t why_len) {
    snprintf(path, path_size, "%s/lexicon/%s", dir, name);
    return read_data_file(path, data, why, why_len);
}

static int cmp_inflection_longest(const void *a, const void *b) {
    const inflection *x = a, *y = b;
    return (int)y->ending_len - (int)x->ending_len;
}

/* Reads inflections.txt: lines of an ending and, after a tab or spaces, its base (or none). */
static int load_inflections(gla_model *m, const char *dir, char *why, size_t why_len) {
    char path[4096], *data;
    int rc = read_lexicon(dir, "inflections.txt", path, sizeof path, &data, why, why_len);
    if (rc != GLA_OK)
        return rc;
    for (char *cursor = data, *line; rc == GLA_OK && (line = next_data_line(&cursor, NULL));) {
        char *sep = strpbrk(line, " \t");
        if (sep)
            *sep++ = '\0';
        const char *base = sep ? trim(sep) : "";
        size_t el = strlen(line), bl = strlen(base);
        if (m->inflection_count == GLA_MAX_INFLECTIONS || el >= sizeof m->inflections[0].ending ||
            bl >= sizeof m->inflections[0].base) {
            snprintf(why, why_len, "%s: more than %d lines or a line over 15 bytes", path,
                     GLA_MAX_INFLECTIONS);
            rc = GLA_ERR_DATA;
            break;
        }
        inflection *f = &m->inflections[m->inflection_count++];
        memcpy(f->ending, line, el + 1);
        memcpy(f->base, base, bl + 1);
        f->ending_len = (uint8_t)el;
        f->base_len = (uint8_t)bl;
        uint8_t last = el ? (uint8_t)line[el - 1] : 0;
        if (el)
            m->inflection_last_bytes[last / 64] |= 1ull << (last % 64);
        else /* an empty ending: any last byte */
            memset(m->inflection_last_bytes, 0xFF, sizeof m->inflection_last_bytes);
    }
    free(data);
    qsort(m->inflections, m->inflection_count, sizeof *m->inflections, cmp_inflection_longest);
    return rc;
}

bool word_class_has(const word_class *c, const char *s, size_t len) {
    for (size_t k = 0; k < c->count; k++)
        if (c->len[k] == len && !memcmp(c->form[k], s, len))
            return true;
    return false;
}

static int cmp_form_longest(const void *a, const void *b) {
    return (int)strlen(b) - (int)strlen(a);
}

/* Reads word_classes.txt: lines "name = form | form ...", one for each class the stages know
 * (the names below, in the order of word_class_id), and no other. */
static int load_word_classes(gla_model *m, const char *dir, char *why, size_t why_len) {
    static const char *const names[WC__COUNT] = {"complement",          "bare_complement", "place_preposition",
                                                 "plural_specifier",    "determiner",      "ordinal_suffix",
                                                 "ordinal_suffix_glued", "venue_preposition", "visit",
                                                 "article"};
    char path[4096], *data;
    int rc = read_lexicon(dir, "word_classes.txt", path, sizeof path, &data, why, why_len);
    if (rc != GLA_OK)
        return rc;
    bool seen[WC__COUNT] = {false};
    size_t line_no = 0;
    for (char *cursor = data, *line; rc == GLA_OK && (line = next_data_line(&cursor, &line_no));) {
        char *eq = strchr(line, '=');
        int id = -1;
        if (eq) {
            *eq = '\0';
            const char *name = trim(line);
            for (int k = 0; k < WC__COUNT; k++)
                if (!strcmp(name, names[k]))
                    id = k;
        }
        if (id < 0 || seen[id]) {
            snprintf(why, why_len, "%s:%zu: %s", path, line_no,
                     !eq ? "expected \"class = form | form ...\""
                     : id < 0 ? "no stage knows this class" : "a class given twice");
            rc = GLA_ERR_DATA;
            break;
        }
        seen[id] = true;
        word_class *c = &m->word_classes[id];
        for (char *form = eq + 1, *bar; form && rc == GLA_OK; form = bar ? bar + 1 : NULL) {
            if ((bar = strchr(form, '|')))
                *bar = '\0';
            form = trim(form);
            size_t l = strlen(form);
            if (!l)
                continue;
            if (c->count == GLA_MAX_CLASS_FORMS || l >= sizeof c->form[0]) {
                snprintf(why, why_len, "%s:%zu: more than %d forms or a form over 15 bytes", path, line_no,
                         GLA_MAX_CLASS_FORMS);
                rc = GLA_ERR_DATA;
            } else {
                memcpy(c->form[c->count++], form, l + 1);
            }
        }
    }
    for (int k = 0; rc == GLA_OK && k < WC__COUNT; k++)
        if (!seen[k]) {
            snprintf(why, why_len, "%s: the class %s is missing", path, names[k]);
            rc = GLA_ERR_DATA;
        }
    for (int k = 0; rc == GLA_OK && k < WC__COUNT; k++) {
        word_class *c = &m->word_classes[k];
        qsort(c->form, c->count, sizeof c->form[0], cmp_form_longest);
        for (size_t f = 0; f < c->count; f++)
            c->len[f] = (uint8_t)strlen(c->form[f]);
    }
    free(data);
    return rc;
}

bool model_is_inflected_word(const gla_model *m, const char *lower, size_t len) {
    /* the segmentation asks this of every candidate piece of a glued word: most end with a byte
     * that ends no ending, and the others are compared by their last byte before the rest */
    uint8_t last_byte = len ? (uint8_t)lower[len - 1] : 0;
    if (!(m->inflection_last_bytes[last_byte / 64] >> (last_byte % 64) & 1))
        return false;
    char base[128];
    for (size_t k = 0; k < m->inflection_count; k++) {
        const inflection *f = &m->inflections[k];
        /* a stem of four bytes at least: "es" is no inflection of "" */
        if (len < (size_t)f->ending_len + 4 || len - f->ending_len + f->base_len > sizeof base ||
            (f->ending_len && (uint8_t)f->ending[f->ending_len - 1] != last_byte) ||
            memcmp(lower + len - f->ending_len, f->ending, f->ending_len))
            continue;
        size_t stem = len - f->ending_len;
        memcpy(base, lower, stem);
        memcpy(base + stem, f->base, f->base_len);
        /* no inflection follows a plural: estiméses is estimé + ses, ministrese ministre + se */
        char last = base[stem + f->base_len - 1];
        if (last == 's' || last == 'x')
            continue;
        int flags = 0;
        if (model_is_word(m, base, stem + f->base_len, &flags) && (flags & LEX_COMMON))
            return true;
    }
    return false;
}

int gla_model_load(const gla_model_opts *opts, gla_model **out, char *why, size_t why_len) {
    if (!out)
        return GLA_ERR_ARG;
    *out = NULL;
    const char *dir = opts && opts->data_dir ? opts->data_dir : getenv("GLANEUR_DATA");
    if (!dir || !*dir)
        dir = GLA_DEFAULT_DATA_DIR;
    const char *lex = opts && opts->lexicon_path ? opts->lexicon_path : getenv("GLANEUR_LEXICON");
    if (!lex || !*lex)
        lex = GLA_DEFAULT_LEXICON;
    gla_model *m = calloc(1, sizeof *m);
    if (!m)
        return GLA_ERR_NOMEM;
    build_latin_map(m);
    gla_buf months = {0}, weekdays = {0};
    int rc = wordset_load(&m->lexicon, lex, why, why_len);
    if (rc == GLA_OK)
        rc = load_list(&m->extra_words, dir, "words.txt", why, why_len);
    if (rc == GLA_OK)
        rc = load_list(&m->function_words, dir, "function_words.txt", why, why_len);
    if (rc == GLA_OK)
        rc = load_list(&m->prefixes, dir, "prefixes.txt", why, why_len);
    if (rc == GLA_OK)
        rc = load_list(&m->elisions, dir, "elisions.txt", why, why_len);
    if (rc == GLA_OK)
        rc = load_list(&m->abbreviations, dir, "abbreviations.txt", why, why_len);
    if (rc == GLA_OK)
        rc = load_inflections(m, dir, why, why_len);
    if (rc == GLA_OK)
        rc = load_word_classes(m, dir, why, why_len);
    if (rc == GLA_OK)
        rc = load_list(&m->person_names, dir, "person_names.txt", why, why_len);
    if (rc == GLA_OK)
        rc = gazetteer_load_dir(&m->gazetteer, dir, why, why_len);
    if (rc == GLA_OK)
        rc = gazetteer_name_words(&m->gazetteer, &m->name_words);
    if (rc == GLA_OK)
        rc = load_calendar(m, &months, &weekdays, why, why_len);
    if (rc == GLA_OK)
        rc = gazetteer_build_trie(&m->gazetteer);
    if (rc == GLA_OK)
        rc = gazetteer_keys(&m->gazetteer);
    vec frag_names, frag_values;
    vec_init(&frag_names, sizeof(char *));
    vec_init(&frag_values, sizeof(char *));
    if (rc == GLA_OK) {
        char **n = vec_push(&frag_names), **v = vec_push(&frag_values);
        char **n2 = vec_push(&frag_names), **v2 = vec_push(&frag_values);
        if (!n || !v || !n2 || !v2 || !(*n = strdup("month")) || !(*v = strdup(months.data)) ||
            !(*n2 = strdup("weekday")) || !(*v2 = strdup(weekdays.data)))
            rc = GLA_ERR_NOMEM;
    }
    char rules_dir[4096];
    snprintf(rules_dir, sizeof rules_dir, "%s/rules", dir);
    if (rc == GLA_OK)
        rc = gazetteer_fragments(&m->gazetteer, rules_dir, &frag_names, &frag_values, why, why_len);
    if (rc == GLA_OK) {
        rc = ruleset_load_dir(&m->rules, rules_dir, (const char *const *)frag_names.items,
                              (const char *const *)frag_values.items, frag_names.count, why, why_len);
    }
    if (rc == GLA_OK)
        rc = entity_rule_types(m);
    if (rc == GLA_OK) {
        relate_kinds_resolve(&m->rules, &m->relate_kinds);
        people_kinds_resolve(&m->rules, &m->people_kinds);
    }
    for (size_t i = 0; i < frag_names.count; i++) {
        free(VEC_AT(&frag_names, char *, i));
        free(VEC_AT(&frag_values, char *, i));
    }
    vec_free(&frag_names);
    vec_free(&frag_values);
    gla_buf_free(&months);
    gla_buf_free(&weekdays);
    if (rc != GLA_OK) {
        if (rc == GLA_ERR_NOMEM)
            set_why(why, why_len, "out of memory loading the model");
        gla_model_free(m);
        return rc;
    }
    *out = m;
    return GLA_OK;
}

void gla_model_free(gla_model *m) {
    if (!m)
        return;
    wordset_free(&m->lexicon);
    wordset_free(&m->extra_words);
    wordset_free(&m->name_words);
    gazetteer_free(&m->gazetteer);
    wordset_free(&m->function_words);
    wordset_free(&m->prefixes);
    wordset_free(&m->elisions);
    wordset_free(&m->abbreviations);
    wordset_free(&m->person_names);
    ruleset_print_profile(&m->rules, stderr);
    ruleset_free(&m->rules);
    free(m->rule_entity_type);
    free(m->rule_anchor);
    free(m);
}
