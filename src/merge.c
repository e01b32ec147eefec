/* glaneur merge: aggregates the entities of many documents by key, so that the same person
 * written "Hoàng Xuân Chiên" in one article and "Hoang Xuan Chiên" in another is one entity.
 * Data structure: a jansson object keyed by entity key (a hash table), each value the entity's
 * accumulating record; forms are counted per document to choose the canonical name. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "merge.h"

/* The document's date: its reference date, else its earliest full date value. */
static const char *document_date(json_t *doc) {
    const char *d = json_string_value(json_object_get(doc, "date"));
    if (d)
        return d;
    const char *best = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "entities"), i, e) {
        const char *v = json_string_value(json_object_get(e, "value"));
        if (v && strlen(v) == 10 && (!best || strcmp(v, best) < 0))
            best = v;
    }
    return best;
}

static void add_document(json_t *table, json_t *doc) {
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *date = document_date(doc);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "entities"), i, e) {
        const char *key = json_string_value(json_object_get(e, "key"));
        const char *type = json_string_value(json_object_get(e, "type"));
        const char *canonical = json_string_value(json_object_get(e, "canonical"));
        if (!key || !type || !canonical)
            continue;
        json_t *rec = json_object_get(table, key);
        if (!rec) {
            rec = json_pack("{s:s, s:s, s:{}, s:[], s:n, s:n, s:i}", "key", key, "type", type, "forms", "documents",
                            "first_date", "last_date", "mentions", 0);
            json_object_set_new(table, key, rec);
        }
        json_object_set_new(rec, "mentions", json_integer(json_integer_value(json_object_get(rec, "mentions")) + 1));
        /* forms: canonical counted once per document, and the text as written */
        json_t *forms = json_object_get(rec, "forms");
        const char *text = json_string_value(json_object_get(e, "text"));
        json_t *docs = json_object_get(rec, "documents");
        json_t *last = json_array_size(docs) ? json_array_get(docs, json_array_size(docs) - 1) : NULL;
        bool new_doc = id && (!last || strcmp(json_string_value(last), id));
        if (new_doc) {
            json_array_append_new(docs, json_string(id));
            json_object_set_new(forms, canonical, json_integer(json_integer_value(json_object_get(forms, canonical)) + 1));
        }
        if (text && !json_object_get(forms, text))
            json_object_set_new(forms, text, json_integer(0));
        if (date) {
            const char *first = json_string_value(json_object_get(rec, "first_date"));
            const char *lastd = json_string_value(json_object_get(rec, "last_date"));
            if (!first || strcmp(date, first) < 0)
                json_object_set_new(rec, "first_date", json_string(date));
            if (!lastd || strcmp(date, lastd) > 0)
                json_object_set_new(rec, "last_date", json_string(date));
        }
    }
}

static int cmp_keys(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static int read_one(json_t *table, FILE *f, const char *name, FILE *err) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t line_no = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        line_no++;
        json_error_t jerr;
        json_t *doc = json_loadb(line, (size_t)n, 0, &jerr);
        if (!json_is_object(doc)) {
            fprintf(err, "glaneur merge: %s:%zu: %s\n", name, line_no, doc ? "not a JSON object" : jerr.text);
            rc = 1;
        } else {
            add_document(table, doc);
        }
        json_decref(doc);
    }
    free(line);
    return rc;
}

int gla_merge_run(char *const *paths, int count, FILE *out, FILE *err) {
    json_t *table = json_object();
    int rc = 0;
    for (int i = 0; i < count; i++) {
        if (!strcmp(paths[i], "-")) {
            rc |= read_one(table, stdin, "stdin", err);
            continue;
        }
        FILE *f = fopen(paths[i], "r");
        if (!f) {
            fprintf(err, "glaneur merge: %s: %s\n", paths[i], strerror(errno));
            rc = 1;
            continue;
        }
        rc |= read_one(table, f, paths[i], err);
        fclose(f);
    }
    size_t n = json_object_size(table), k = 0;
    const char **keys = malloc((n + 1) * sizeof *keys);
    const char *key;
    json_t *rec;
    json_object_foreach(table, key, rec) keys[k++] = key;
    qsort(keys, n, sizeof *keys, cmp_keys);
    for (k = 0; k < n; k++) {
        rec = json_object_get(table, keys[k]);
        json_t *forms = json_object_get(rec, "forms");
        /* canonical: the form most documents use, then the longest */
        const char *best = NULL, *form;
        json_int_t best_count = -1;
        json_t *count_value;
        json_object_foreach(forms, form, count_value) {
            json_int_t c = json_integer_value(count_value);
            if (c > best_count || (c == best_count && strlen(form) > strlen(best))) {
                best = form;
                best_count = c;
            }
        }
        json_t *variants = json_array();
        json_object_foreach(forms, form, count_value) {
            if (strcmp(form, best))
                json_array_append_new(variants, json_string(form));
        }
        json_t *line = json_pack("{s:O, s:O, s:s, s:o, s:O, s:O, s:O, s:O}", "key", json_object_get(rec, "key"),
                                 "type", json_object_get(rec, "type"), "canonical", best, "variants", variants,
                                 "documents", json_object_get(rec, "documents"), "first_date",
                                 json_object_get(rec, "first_date"), "last_date", json_object_get(rec, "last_date"),
                                 "mentions", json_object_get(rec, "mentions"));
        char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII * 0);
        if (s) {
            fputs(s, out);
            fputc('\n', out);
            free(s);
        }
        json_decref(line);
    }
    free(keys);
    json_decref(table);
    return rc;
}
