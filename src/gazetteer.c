/* Gazetteers: gazetteers/NAME.tsv, one surface form per line:
 *
 *     form <TAB> type <TAB> canonical <TAB> attrs (key=value;key=value, or -)
 *
 * This stage reads every such file (in byte order of names) into one table of entries that
 * the model owns. The text repair uses the single-word forms as known proper nouns, so that a
 * country glued to a word (Vietnammais) is recognised as a word. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const type_names[] = {"PERSON", "ORG",   "LOC",       "RANK",   "TITLE",
                                         "EVENT",  "AGREEMENT", "DATE", "DEMONYM"};

static int type_of(const char *s) {
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (!strcmp(type_names[i], s))
            return (int)i;
    return -1;
}

static int load_tsv(gazetteer *g, const char *path, char *why, size_t why_len) {
    char *data;
    int rc = read_data_file(path, &data, why, why_len);
    if (rc != GLA_OK)
        return rc;
    /* the file's text becomes the model's: entries point into it */
    char **blocks = realloc(g->blocks, (g->block_count + 1) * sizeof *blocks);
    if (!blocks) {
        free(data);
        return GLA_ERR_NOMEM;
    }
    g->blocks = blocks;
    g->blocks[g->block_count++] = data;
    int line_no = 0;
    for (char *cursor = data, *line; (line = next_line(&cursor));) {
        line_no++;
        if (!*line || line[0] == '#')
            continue;
        char *col[4] = {line, NULL, NULL, NULL};
        int n = 1;
        for (char *p = line; *p && n < 4; p++)
            if (*p == '\t') {
                *p = '\0';
                col[n++] = p + 1;
            }
        int type = n >= 3 ? type_of(col[1]) : -1;
        if (n < 3 || type < 0 || !*col[0] || !*col[2] || utf8_validate((const uint8_t *)line, strlen(col[0])) != strlen(col[0])) {
            set_why(why, why_len, "%s:%d: expected form<TAB>type<TAB>canonical<TAB>attrs with a known type",
                    path, line_no);
            return GLA_ERR_DATA;
        }
        if (g->count == g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 1024;
            gazetteer_entry *e = realloc(g->entries, cap * sizeof *e);
            if (!e)
                return GLA_ERR_NOMEM;
            g->entries = e;
            g->cap = cap;
        }
        gazetteer_entry *e = &g->entries[g->count++];
        e->form = col[0];
        e->type = type;
        e->canonical = col[2];
        e->attrs = n >= 4 && strcmp(col[3], "-") ? col[3] : "";
    }
    return GLA_OK;
}

int gazetteer_load_dir(gazetteer *g, const char *dir, char *why, size_t why_len) {
    memset(g, 0, sizeof *g);
    char **names;
    size_t n;
    int rc = list_dir(dir, ".tsv", &names, &n, why, why_len);
    for (size_t i = 0; i < n && rc == GLA_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = load_tsv(g, path, why, why_len);
    }
    free_names(names, n);
    if (rc == GLA_ERR_NOMEM)
        set_why(why, why_len, "%s: out of memory", dir);
    if (rc != GLA_OK)
        gazetteer_free(g);
    return rc;
}

int gazetteer_name_words(const gazetteer *g, wordset *out) {
    const char **words = malloc((g->count + 1) * sizeof *words);
    uint8_t *flags = malloc(g->count + 1);
    if (!words || !flags) {
        free(words);
        free(flags);
        return GLA_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < g->count; i++) {
        const gazetteer_entry *e = &g->entries[i];
        if (strchr(e->form, ' ') || (e->type != GLA_ENT_LOC && e->type != GLA_ENT_ORG && e->type != GAZ_DEMONYM))
            continue;
        int32_t first;
        utf8_decode((const uint8_t *)e->form, strlen(e->form), &first);
        words[n] = e->form;
        flags[n++] = cp_is_upper(first) ? LEX_PROPER : LEX_COMMON;
    }
    int rc = wordset_build(out, words, flags, n);
    free(words);
    free(flags);
    return rc;
}

void gazetteer_free(gazetteer *g) {
    gazetteer_trie_free(g);
    for (size_t i = 0; i < g->block_count; i++)
        free(g->blocks[i]);
    free(g->blocks);
    free(g->entries);
    memset(g, 0, sizeof *g);
}

/* ------------------------------------------------------------------ the matcher
 *
 * Data structure: a trie whose edges are word atoms. A form is cut into atoms — runs of letters
 * and digits, and single punctuation marks — each folded (lower case, no diacritics, đ→d). An
 * edge (parent node, atom) is one slot of an open-addressing hash table; a node lists the
 * entries whose form ends there. Matching walks the trie from each atom of the text and keeps
 * the longest path that ends on a node with an entry (and, for case=exact entries, the same
 * letters as written). */

typedef struct {
    uint32_t parent, child;
    uint32_t key_off;  /* into keys */
    uint32_t key_len;
} trie_edge;

struct gazetteer_trie {
    trie_edge *edges;   /* hash slots; child == 0 marks an empty slot */
    uint32_t mask;
    uint32_t node_count;
    gla_buf keys;
    uint32_t *node_first; /* node -> first index into node_entries (CSR), node_count + 1 items */
    uint32_t *node_entries;
};

static uint32_t edge_hash(uint32_t parent, const char *key, size_t len) {
    uint32_t h = 2166136261u ^ parent * 0x9E3779B1u;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)key[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t trie_child(const gazetteer_trie *t, uint32_t parent, const char *key, size_t len) {
    for (uint32_t i = edge_hash(parent, key, len) & t->mask;; i = (i + 1) & t->mask) {
        const trie_edge *e = &t->edges[i];
        if (!e->child)
            return 0;
        if (e->parent == parent && e->key_len == len && !memcmp(t->keys.data + e->key_off, key, len))
            return e->child;
    }
}

int atomize(const char *s, size_t from, size_t to, vec *atoms, gla_buf *keys) {
    size_t i = from;
    while (i < to) {
        int32_t cp;
        int n = utf8_decode((const uint8_t *)s + i, to - i, &cp);
        if (n < 0)
            return GLA_ERR_UTF8;
        if (is_space_cp(cp)) {
            i += (size_t)n;
            continue;
        }
        size_t start = i;
        if (cp_is_letter(cp) || cp_is_digit(cp)) {
            while (i < to) {
                n = utf8_decode((const uint8_t *)s + i, to - i, &cp);
                if (n < 0 || !(cp_is_letter(cp) || cp_is_digit(cp)))
                    break;
                i += (size_t)n;
            }
        } else {
            i += (size_t)n;
        }
        atom *a = vec_push(atoms);
        if (!a || !buf_reserve(keys, (i - start) * 2 + 8))
            return GLA_ERR_NOMEM;
        int kl = utf8_fold(s + start, i - start, keys->data + keys->len, keys->cap - keys->len);
        if (kl < 0)
            return GLA_ERR_NOMEM;
        a->start = (uint32_t)start;
        a->end = (uint32_t)i;
        a->key_off = (uint32_t)keys->len;
        a->key_len = (uint32_t)kl;
        keys->len += (size_t)kl;
    }
    return GLA_OK;
}

bool attr_get(const char *attrs, const char *key, char *out, size_t out_size) {
    size_t kl = strlen(key);
    for (const char *p = attrs; p && *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            size_t vl = len - kl - 1;
            if (vl >= out_size)
                vl = out_size - 1;
            memcpy(out, p + kl + 1, vl);
            out[vl] = '\0';
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

int gazetteer_build_trie(gazetteer *g) {
    gazetteer_trie *t = calloc(1, sizeof *t);
    if (!t)
        return GLA_ERR_NOMEM;
    g->trie = t;
    vec atoms;
    vec_init(&atoms, sizeof(atom));
    gla_buf scratch = {0};
    size_t cap = 64;
    while (cap < g->count * 8)
        cap *= 2;
    t->edges = calloc(cap, sizeof *t->edges);
    uint32_t *end_node = malloc((g->count + 1) * sizeof *end_node);
    int rc = t->edges && end_node ? GLA_OK : GLA_ERR_NOMEM;
    t->mask = (uint32_t)cap - 1;
    t->node_count = 1; /* node 0 is the root */
    for (size_t i = 0; i < g->count && rc == GLA_OK; i++) {
        gazetteer_entry *e = &g->entries[i];
        char v[16];
        e->exact = attr_get(e->attrs, "case", v, sizeof v) && !strcmp(v, "exact");
        atoms.count = 0;
        scratch.len = 0;
        rc = atomize(e->form, 0, strlen(e->form), &atoms, &scratch);
        uint32_t node = 0;
        for (size_t k = 0; k < atoms.count && rc == GLA_OK; k++) {
            atom *a = &VEC_AT(&atoms, atom, k);
            const char *key = scratch.data + a->key_off;
            uint32_t child = trie_child(t, node, key, a->key_len);
            if (!child) {
                if (t->node_count * 2 > cap) { /* keep the table at most half full */
                    rc = GLA_ERR_LIMIT;
                    break;
                }
                uint32_t slot = edge_hash(node, key, a->key_len) & t->mask;
                while (t->edges[slot].child)
                    slot = (slot + 1) & t->mask;
                t->edges[slot] = (trie_edge){node, t->node_count, (uint32_t)t->keys.len, a->key_len};
                if (!buf_append(&t->keys, key, a->key_len)) {
                    rc = GLA_ERR_NOMEM;
                    break;
                }
                child = t->node_count++;
            }
            node = child;
        }
        end_node[i] = node;
    }
    if (rc == GLA_OK) {
        t->node_first = calloc(t->node_count + 1, sizeof *t->node_first);
        t->node_entries = malloc((g->count + 1) * sizeof *t->node_entries);
        if (!t->node_first || !t->node_entries)
            rc = GLA_ERR_NOMEM;
    }
    if (rc == GLA_OK) { /* counting sort of entries by end node, file order kept */
        for (size_t i = 0; i < g->count; i++)
            t->node_first[end_node[i] + 1]++;
        for (uint32_t n = 0; n < t->node_count; n++)
            t->node_first[n + 1] += t->node_first[n];
        uint32_t *fill = calloc(t->node_count, sizeof *fill);
        if (!fill)
            rc = GLA_ERR_NOMEM;
        for (size_t i = 0; fill && i < g->count; i++) {
            uint32_t n = end_node[i];
            if (n)
                t->node_entries[t->node_first[n] + fill[n]++] = (uint32_t)i;
        }
        free(fill);
    }
    free(end_node);
    vec_free(&atoms);
    gla_buf_free(&scratch);
    return rc;
}

/* Does the text of atoms [i, j) spell the form exactly (spaces aside)? */
static bool same_letters(const char *text, const atom *atoms, size_t i, size_t j, const char *form) {
    const char *f = form;
    for (size_t k = i; k < j; k++) {
        while (*f == ' ')
            f++;
        size_t len = atoms[k].end - atoms[k].start;
        if (strncmp(f, text + atoms[k].start, len) != 0)
            return false;
        f += len;
    }
    while (*f == ' ')
        f++;
    return *f == '\0';
}

size_t gazetteer_match(const gazetteer *g, const char *text, const atom *atoms, size_t count,
                       const char *keys, size_t i, size_t *entry) {
    const gazetteer_trie *t = g->trie;
    uint32_t node = 0;
    size_t best_end = 0;
    for (size_t j = i; j < count; j++) {
        node = trie_child(t, node, keys + atoms[j].key_off, atoms[j].key_len);
        if (!node)
            break;
        for (uint32_t k = t->node_first[node]; k < t->node_first[node + 1]; k++) {
            const gazetteer_entry *e = &g->entries[t->node_entries[k]];
            if (e->exact && !same_letters(text, atoms, i, j + 1, e->form))
                continue;
            best_end = j + 1;
            *entry = t->node_entries[k];
            break;
        }
    }
    return best_end;
}

/* Does the trie hold the exact form of atoms [i, end) with an entry that answers category
 * (a type in lower case, "demonym", or "kind_<kind>")? */
bool gazetteer_has(const gazetteer *g, const char *text, const atom *atoms, size_t i, size_t end,
                   const char *keys, const char *category) {
    static const char *const type_lower[] = {"person", "org", "loc", "rank", "title", "event",
                                             "agreement", "date", "demonym"};
    const gazetteer_trie *t = g->trie;
    uint32_t node = 0;
    for (size_t j = i; j < end && (node || j == i); j++)
        node = trie_child(t, node, keys + atoms[j].key_off, atoms[j].key_len);
    if (!node)
        return false;
    for (uint32_t k = t->node_first[node]; k < t->node_first[node + 1]; k++) {
        const gazetteer_entry *e = &g->entries[t->node_entries[k]];
        if (e->exact && !same_letters(text, atoms, i, end, e->form))
            continue;
        if (!strncmp(category, "kind_", 5)) {
            char kind[32];
            if (attr_get(e->attrs, "kind", kind, sizeof kind) && !strcmp(kind, category + 5))
                return true;
        } else if (e->type >= 0 && e->type <= GAZ_DEMONYM && !strcmp(type_lower[e->type], category)) {
            return true;
        }
    }
    return false;
}

void gazetteer_trie_free(gazetteer *g) {
    gazetteer_trie *t = g->trie;
    if (!t)
        return;
    free(t->edges);
    gla_buf_free(&t->keys);
    free(t->node_first);
    free(t->node_entries);
    free(t);
    g->trie = NULL;
}
