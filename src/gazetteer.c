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
        if (type_names[i][0] == s[0] && !strcmp(type_names[i], s))
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
    /* room for every line at once: a generated file holds tens of thousands, and growing the
     * table by doubling would copy it over and over */
    size_t lines = 1;
    for (const char *p = strchr(data, '\n'); p; p = strchr(p + 1, '\n'))
        lines++;
    if (g->count + lines > g->cap) {
        gazetteer_entry *e = realloc(g->entries, (g->count + lines) * sizeof *e);
        if (!e)
            return GLA_ERR_NOMEM;
        g->entries = e;
        g->cap = g->count + lines;
    }
    /* Lines and columns are cut with memchr, which reads many bytes at a time: a generated file
     * holds tens of thousands of lines, read at every start-up. As next_line: a line ends at a
     * newline, less a carriage return before it; the fourth column runs to the line's end. */
    int line_no = 0;
    char *data_end = data + strlen(data);
    for (char *line = data, *next; line < data_end; line = next) {
        char *line_end = memchr(line, '\n', (size_t)(data_end - line));
        next = line_end ? line_end + 1 : data_end;
        if (!line_end)
            line_end = data_end;
        *line_end = '\0';
        if (line_end > line && line_end[-1] == '\r')
            *--line_end = '\0';
        line_no++;
        if (!*line || line[0] == '#')
            continue;
        char *col[4] = {line, NULL, NULL, NULL};
        int n = 1;
        for (char *p = line, *tab; n < 4 && (tab = memchr(p, '\t', (size_t)(line_end - p))); p = tab + 1) {
            *tab = '\0';
            col[n++] = tab + 1;
        }
        size_t form_len = n > 1 ? (size_t)(col[1] - 1 - line) : (size_t)(line_end - line);
        int type = n >= 3 ? type_of(col[1]) : -1;
        if (n < 3 || type < 0 || !*col[0] || !*col[2] || utf8_validate((const uint8_t *)line, form_len) != form_len) {
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

/* (not inlined: it runs once, and inlined into the model's loading, which link-time optimisation
 * chose twice after unrelated changes elsewhere, the load cost 1.6-1.7 M instructions more) */
__attribute__((noinline)) int gazetteer_load_dir(gazetteer *g, const char *dir, char *why, size_t why_len) {
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
    arena_free(&g->keys);
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
 * letters as written).
 *
 * The keys of the forms' atoms are numbered once, as the words of the gazetteer, and an edge is
 * (parent node, word). Every atom of a document has its key looked up among the words as it is
 * cut (atomize), and the phrase rules' callouts look the same atoms up again: each atom carries
 * its word, so that a lookup compares no bytes, and the words that start forms are numbered as
 * the nodes they lead to from the root, so that a walk starts one step down. */

/* A hash slot is 8 bytes, so that the table a failed lookup probes (the usual lookup) is half
 * the size it would be with the edge's parent and word in it, and misses the cache less: the
 * slot holds a tag of (parent, word) and the child, and a tag that matches is confirmed against
 * the child's parent and word, which each node keeps once. */
typedef struct {
    uint32_t tag;   /* edge_tag(parent, word_tag(word)) */
    uint32_t child; /* 0: an empty slot */
} trie_edge;

typedef struct {
    uint32_t parent;
    uint32_t word; /* of the edge into the node */
} trie_node;

/* A slot of the words' hash table. */
typedef struct {
    uint32_t hash; /* key_hash of the word's key */
    uint32_t word; /* 0: an empty slot */
} word_slot;

#define EDGE_FILTER_LOG2 18
#define EDGE_FILTER_BITS (1u << EDGE_FILTER_LOG2)

struct gazetteer_trie {
    trie_edge *edges;   /* hash slots */
    trie_node *nodes;   /* node_count items (node 0, the root, has no edge into it) */
    uint32_t mask;
    uint32_t node_count;
    word_slot *words;   /* hash slots of the words */
    uint32_t word_mask;
    uint32_t word_count;
    uint32_t *word_key; /* word -> its key's offset into keys (word_count + 1 items) */
    gla_buf keys;       /* the words' keys, each zero-padded to a multiple of 8 bytes (see same_key) */
    uint32_t *node_first; /* node -> first index into node_entries (CSR), node_count + 1 items */
    uint32_t *node_entries;
    uint8_t *has_children; /* per node: does any edge leave it? (a walk stops at a leaf) */
    uint32_t byte_word[256]; /* the word of each one-byte key (commas, "l", "d"): a third of a
                                text's atoms, looked up without a probe */
    /* A bit per EDGE_FILTER_BITS-th of the edge tags, set for the tags of the edges there are:
     * most lookups find no edge (most words of a text start no form, and most walks end after
     * a word or two), and a clear bit says so from 8 KB that stay in the first-level cache,
     * where the probe would read a slot of the whole table. */
    uint64_t edge_filter[EDGE_FILTER_BITS / 64];
    uint64_t word_filter[EDGE_FILTER_BITS / 64]; /* the same for the words' hashes: most words of
                                                    a text are no word of a form */
};

/* The hash of a key, eight bytes at a time: each chunk of the key (the last one zero-padded),
 * read as a little-endian number, is mixed in with one multiplication, so that the atomizer
 * hashes an ASCII word straight from the words it reads (the project assumes little-endian: see
 * first_flagged_byte). No key holds a NUL byte: the padding makes no two keys alike. */
#define KEY_HASH_INIT 0u
static inline uint64_t key_hash_step(uint64_t h, uint64_t chunk) {
    return (h ^ chunk) * 0x9E3779B97F4A7C15u;
}
static inline uint32_t key_hash_end(uint64_t h) {
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static uint32_t key_hash(const char *key, size_t len) {
    uint64_t h = KEY_HASH_INIT, chunk = 0;
    for (size_t i = 0; i < len; i++) {
        chunk |= (uint64_t)(uint8_t)key[i] << 8 * (i % 8);
        if (i % 8 == 7) {
            h = key_hash_step(h, chunk);
            chunk = 0;
        }
    }
    if (len % 8)
        h = key_hash_step(h, chunk);
    return key_hash_end(h);
}

/* The first r bytes (1..7) of a word read as in key_hash, the others zero. */
static inline uint64_t first_bytes(uint64_t w, size_t r) {
    return w & (((uint64_t)1 << 8 * r) - 1);
}

/* key_hash a word at a time, for a key that its buffer goes on after for 7 bytes at least. */
static inline uint32_t key_hash_padded(const char *key, size_t len) {
    uint64_t h = KEY_HASH_INIT, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, key + i, 8);
        h = key_hash_step(h, w);
    }
    if (i < len) {
        memcpy(&w, key + i, 8);
        h = key_hash_step(h, first_bytes(w, len - i));
    }
    return key_hash_end(h);
}

/* The tag of edge (parent, key): the key's hash mixed with the parent. */
static uint32_t edge_tag(uint32_t parent, uint32_t hash) { return hash ^ parent * 0x9E3779B1u; }

/* The first slot of edge (parent, key): its tag through murmur3's finalizer, so that the low
 * bits the mask keeps depend on every bit of both. */
static uint32_t edge_slot(const gazetteer_trie *t, uint32_t parent, uint32_t hash) {
    uint32_t h = edge_tag(parent, hash);
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    return h & t->mask;
}

/* Is the stored key k equal to key[0, len)? A stored key is zero-padded to the next multiple of 8
 * bytes past its end, so that it is compared a word at a time, the bytes of key after len masked
 * off (key is followed by 7 readable bytes at least: KEY_PADDING); no key holds a NUL byte, so
 * that a stored key longer than len differs at byte len, and a shorter one before. */
static bool same_key(const char *k, const char *key, size_t len) {
    size_t i = 0;
    uint64_t a, b;
    for (; i + 8 <= len; i += 8) {
        memcpy(&a, k + i, 8);
        memcpy(&b, key + i, 8);
        if (a != b)
            return false;
    }
    memcpy(&a, k + i, 8);
    if (i == len)
        return a == 0;
    memcpy(&b, key + i, 8);
    return a == first_bytes(b, len - i);
}

/* The filter's bit of an edge tag: its high bits, where the parent's are mixed in. */
static uint32_t edge_filter_bit(uint32_t tag) { return tag >> (32 - EDGE_FILTER_LOG2); }

static void edge_filter_set(gazetteer_trie *t, uint32_t tag) {
    uint32_t bit = edge_filter_bit(tag);
    t->edge_filter[bit / 64] |= (uint64_t)1 << bit % 64;
}

/* The tag of a word in an edge: its number spread over the high bits the filter reads. */
static inline uint32_t word_tag(uint32_t word) { return word * 0xCC9E2D51u; }

static uint32_t word_filter_bit(uint32_t hash) { return hash >> (32 - EDGE_FILTER_LOG2); }

static uint32_t word_first_slot(const gazetteer_trie *t, uint32_t hash) {
    uint32_t h = hash;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    return h & t->word_mask;
}

/* The word whose key is key[0, len) (of hash `hash`), 0 if no form has it. Always inlined: the
 * atomizer asks it for most atoms of a text, and the call cost a fifth of a lookup. */
__attribute__((always_inline)) static inline uint32_t word_of(const gazetteer_trie *t, const char *key, size_t len,
                                                              uint32_t hash) {
    uint32_t bit = word_filter_bit(hash);
    if (!(t->word_filter[bit / 64] >> bit % 64 & 1))
        return 0; /* no word has a hash with this bit */
    for (uint32_t i = word_first_slot(t, hash);; i = (i + 1) & t->word_mask) {
        const word_slot *e = &t->words[i];
        if (!e->word)
            return 0;
        if (e->hash == hash && same_key(t->keys.data + t->word_key[e->word], key, len))
            return e->word;
    }
}

/* The child of parent by word, 0 if none. */
static uint32_t trie_child(const gazetteer_trie *t, uint32_t parent, uint32_t word) {
    uint32_t tag = edge_tag(parent, word_tag(word)), bit = edge_filter_bit(tag);
    if (!word || !(t->edge_filter[bit / 64] >> bit % 64 & 1))
        return 0; /* no edge has this tag */
    for (uint32_t i = edge_slot(t, parent, word_tag(word));; i = (i + 1) & t->mask) {
        const trie_edge *e = &t->edges[i];
        if (!e->child)
            return 0;
        if (e->tag == tag) { /* the tag may be another edge's: the child says */
            const trie_node *n = &t->nodes[e->child];
            if (n->parent == parent && n->word == word)
                return e->child;
        }
    }
}

/* Appends the atom [start, end) whose key, keys->data[key_off, keys->len), is written. */
static bool push_atom(vec *atoms, size_t start, size_t end, const gla_buf *keys, size_t key_off, uint32_t hash) {
    if (atoms->count == atoms->cap && !vec_reserve(atoms, atoms->count + 1))
        return false;
    keyed_atom *a = &VEC_AT(atoms, keyed_atom, atoms->count++);
    a->start = (uint32_t)start;
    a->end = (uint32_t)end;
    a->key_off = (uint32_t)key_off;
    a->key_len = (uint32_t)(keys->len - key_off);
    a->key_hash = hash;
    return true;
}

#define KEY_PADDING 8 /* for the word-wide stores of ascii_word8 and loads of key_hash_padded and word_of */

/* Writes the key of s[start, end), folded by utf8_fold (the way of atoms beyond ASCII), at the
 * end of keys, without counting it in keys->len; returns its length (-1: out of memory) and its
 * hash in *h. Room is left after it for word_of's word-wide loads. */
static int fold_key_at(const char *s, size_t start, size_t end, gla_buf *keys, uint32_t *h) {
    if (!buf_reserve(keys, (end - start) * 2 + 8))
        return -1;
    int kl = utf8_fold(s + start, end - start, keys->data + keys->len, keys->cap - keys->len);
    if (kl < 0 || !buf_reserve(keys, (size_t)kl + KEY_PADDING))
        return -1;
    *h = key_hash(keys->data + keys->len, (size_t)kl);
    return kl;
}

/* Appends the atom s[start, end) with its key folded by utf8_fold. */
static int push_folded_atom(const char *s, size_t start, size_t end, vec *atoms, gla_buf *keys) {
    uint32_t h;
    int kl = fold_key_at(s, start, end, keys, &h);
    if (kl < 0)
        return GLA_ERR_NOMEM;
    size_t key_off = keys->len;
    keys->len += (size_t)kl;
    return push_atom(atoms, start, end, keys, key_off, h) ? GLA_OK : GLA_ERR_NOMEM;
}

/* The key byte of each ASCII letter or digit (letters lower-cased, as utf8_fold does), 0 for every
 * other byte, those beyond ASCII included: one load per byte tells whether an ASCII word goes on
 * and what its key gets. */
static const char ascii_key[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6', ['7'] = '7',
    ['8'] = '8', ['9'] = '9', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
    ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
    ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v',
    ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd',
    ['e'] = 'e', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l',
    ['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
    ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* The end of the run of letters and digits that goes on at u[i] (up to invalid UTF-8). */
static size_t run_end(const uint8_t *u, size_t i, size_t to) {
    while (i < to) {
        int32_t cp;
        int n = utf8_decode(u + i, to - i, &cp);
        if (n < 0 || !(cp_is_letter(cp) || cp_is_digit(cp)))
            break;
        i += (size_t)n;
    }
    return i;
}

/* Goes on with the word whose key key[0, *n) is written up to u[*i], a byte beyond ASCII:
 * appends the keys of its letters and digits, ASCII or two-byte, up to its end, as run_end and
 * utf8_fold would. False, with nothing consumed that matters, at a code point the table does not
 * fold (three or four bytes, or a longer key): the caller folds the word whole. The key grows by
 * at most the bytes read, which the caller has room for. */
static bool fold_word_on(const fold_key *t, const uint8_t *u, size_t *i, size_t to, char *key, size_t *n) {
    size_t j = *i, kn = *n;
    while (j < to) {
        uint8_t b = u[j];
        if (b < 0x80) {
            char c = ascii_key[b];
            if (!c)
                break;
            key[kn++] = c;
            j++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF && j + 1 < to && (u[j + 1] & 0xC0) == 0x80) {
            /* two bytes, as utf8_decode reads them: the table says whether the run goes on */
            const fold_key *f = &t[((int32_t)(b & 0x1F) << 6 | (u[j + 1] & 0x3F)) - FOLD_KEY_FIRST];
            if (!f->word)
                break; /* the end of the run, as for run_end */
            if (f->len == FOLD_KEY_NONE)
                return false;
            for (uint8_t k = 0; k < f->len; k++)
                key[kn++] = f->key[k];
            j += 2;
            continue;
        }
        int32_t cp;
        int len = utf8_decode(u + j, to - j, &cp);
        if (len < 0 || !(cp_is_letter(cp) || cp_is_digit(cp)))
            break; /* the end of the run, as for run_end */
        return false; /* three or four bytes: not in the table */
    }
    *i = j;
    *n = kn;
    return true;
}

/* Reads the ASCII letters and digits of a word at u[*i] eight at a time, and writes their key
 * (letters lower-cased; digits have the 0x20 bit already) at key + *n a word at a time. True when
 * the word ends at an ASCII byte within what was read, with *h its hash; false when fewer than
 * eight bytes are left or the word goes on beyond ASCII: the caller goes on and hashes the key. */
static inline bool ascii_word8(const uint8_t *u, size_t *i, size_t to, char *key, size_t *n, uint32_t *h) {
    size_t j = *i, kn = *n;
    uint64_t hh = KEY_HASH_INIT;
    bool ended = false;
    while (j + 8 <= to) {
        uint64_t w;
        memcpy(&w, u + j, 8);
        uint64_t stop = ~(ascii_letters8(w) | ascii_digits8(w)) & 0x8080808080808080u;
        uint64_t lower = w | 0x2020202020202020u;
        memcpy(key + kn, &lower, 8); /* the bytes past the word are overwritten or past the key */
        if (!stop) {
            hh = key_hash_step(hh, lower);
            j += 8;
            kn += 8;
            continue;
        }
        size_t r = first_flagged_byte(stop);
        if (r)
            hh = key_hash_step(hh, first_bytes(lower, r));
        j += r;
        kn += r;
        ended = u[j] < 0x80;
        break;
    }
    *i = j;
    *n = kn;
    *h = key_hash_end(hh);
    return ended;
}

/* Atoms of ASCII bytes (most of a French text) and of two-byte letters are cut and folded here,
 * with the result utf8_fold gives them: letters lower-cased, every other byte as it is. Their keys
 * are no longer than the bytes they are read from, so that room for the rest of the text, and
 * KEY_PADDING bytes more, reserved once, lasts until an atom that utf8_fold folds (its key may
 * be longer) and that reserves it again: no other atom checks room. */

static int push_long_atom(const char *s, size_t start, size_t end, vec *atoms);

/* Appends the atom s[start, end) with its word, whose key is key[0, len) (hash h): the atoms of
 * a document, which keep no key (see atomize_words). */
static inline bool push_word_atom(const gazetteer_trie *t, const char *s, size_t start, size_t end, const char *key,
                                  size_t len, uint32_t h, vec *atoms) {
    if (end - start > ATOM_MAX_LEN)
        return push_long_atom(s, start, end, atoms) == GLA_OK;
    if (atoms->count == atoms->cap && !vec_reserve(atoms, atoms->count + 1))
        return false;
    atom *out = (atom *)atoms->items + atoms->count++;
    out->start = (uint32_t)start;
    out->len = (uint32_t)(end - start);
    out->word = len == 1 && key[0] ? t->byte_word[(uint8_t)key[0]] : word_of(t, key, len, h);
    return true;
}

/* The atomizer, in two ways: with t NULL, it appends keyed atoms (atoms a vec of keyed_atom) and
 * their keys to keys, for the trie's forms (atomize_keys); with t, it appends atoms (a vec of
 * atom) with their words looked up as they are cut, each key written at the end of keys and
 * dropped once its word is found (atomize_words): a document's atoms are not read again, nor
 * their keys stored, and the few bytes of keys that are written stay in the first-level cache.
 * Always inlined into both, so that each is compiled for its own way. */
__attribute__((always_inline)) static inline int atomize_core(const gazetteer_trie *t, const char *s, size_t from,
                                                              size_t to, vec *atoms, gla_buf *keys) {
    const uint8_t *u = (const uint8_t *)s;
    const fold_key *fold = utf8_fold_keys();
    if (!buf_reserve(keys, to - from + KEY_PADDING))
        return GLA_ERR_NOMEM;
    size_t i = from;
    while (i < to) {
        size_t start = i;
        char *key = keys->data + keys->len;
        size_t n = 0;
        uint32_t h = 0;
        bool fold_whole = false; /* the atom [start, i) goes the slow way, through utf8_fold */
        uint8_t b = u[i];
        if (b < 0x80) {
            if (b == ' ' || (b >= '\t' && b <= '\r')) {
                i++;
                continue;
            }
            char c = ascii_key[b];
            if (!c) { /* one punctuation mark, its own key */
                key[n++] = (char)b;
                h = key_hash_end(key_hash_step(KEY_HASH_INIT, b));
                i++;
            } else if (!ascii_word8(u, &i, to, key, &n, &h)) { /* the end of the text, or more than ASCII */
                while (i < to && (c = ascii_key[u[i]]) != 0)   /* 0 beyond ASCII too */
                    key[n++] = c, i++;
                if (i < to && u[i] >= 0x80 && !(fold && fold_word_on(fold, u, &i, to, key, &n))) {
                    /* the word goes on beyond what the table folds */
                    i = run_end(u, i, to);
                    fold_whole = true;
                } else {
                    h = key_hash_padded(key, n);
                }
            }
        } else {
            int32_t cp;
            int len = utf8_decode(u + i, to - i, &cp);
            if (len < 0)
                return GLA_ERR_UTF8;
            i += (size_t)len;
            if (is_space_cp(cp))
                continue;
            bool word = cp_is_letter(cp) || cp_is_digit(cp);
            const fold_key *f = fold && len == 2 && word ? &fold[cp - FOLD_KEY_FIRST] : NULL;
            if (f && f->len != FOLD_KEY_NONE) { /* a word that starts with an accented letter (État) */
                memcpy(key, f->key, f->len);
                n = f->len;
            } else {
                f = NULL;
            }
            if (!f || !fold_word_on(fold, u, &i, to, key, &n)) {
                if (word)
                    i = run_end(u, i, to);
                fold_whole = true;
            } else {
                h = key_hash_padded(key, n);
            }
        }
        if (fold_whole) { /* and room again for the keys of the rest */
            if (t) {
                int kl = fold_key_at(s, start, i, keys, &h);
                if (kl < 0 || !push_word_atom(t, s, start, i, keys->data + keys->len, (size_t)kl, h, atoms))
                    return GLA_ERR_NOMEM;
            } else {
                int rc = push_folded_atom(s, start, i, atoms, keys);
                if (rc != GLA_OK)
                    return rc;
            }
            if (!buf_reserve(keys, to - i + KEY_PADDING))
                return GLA_ERR_NOMEM;
            continue;
        }
        key[n] = '\0';
        if (t) {
            if (!push_word_atom(t, s, start, i, key, n, h, atoms))
                return GLA_ERR_NOMEM;
        } else {
            size_t key_off = keys->len;
            keys->len += n;
            if (!push_atom(atoms, start, i, keys, key_off, h))
                return GLA_ERR_NOMEM;
        }
        if (i < to && u[i] == ' ') /* the usual space after an atom: one turn of the loop fewer */
            i++;
    }
    return GLA_OK;
}

int atomize_keys(const char *s, size_t from, size_t to, vec *atoms, gla_buf *keys) {
    return atomize_core(NULL, s, from, to, atoms, keys);
}

/* atomize_core with words: see atomize. */
static int atomize_words(const gazetteer_trie *t, const char *s, size_t from, size_t to, vec *atoms, gla_buf *keys) {
    return atomize_core(t, s, from, to, atoms, keys);
}

/* The value of key in "k=v;k=v" attrs, its length in *len; NULL when absent. */
static const char *attr_find(const char *attrs, const char *key, size_t *len) {
    size_t kl = strlen(key);
    for (const char *p = attrs; p && *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            *len = l - kl - 1;
            return p + kl + 1;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

bool attr_get(const char *attrs, const char *key, char *out, size_t out_size) {
    size_t vl;
    const char *v = attr_find(attrs, key, &vl);
    if (!v)
        return false;
    if (vl >= out_size)
        vl = out_size - 1;
    memcpy(out, v, vl);
    out[vl] = '\0';
    return true;
}

/* Is the value v[0, len) of an attribute, as attr_get copies it into size bytes, equal to s? */
static bool attr_is(const char *v, size_t len, size_t size, const char *s) {
    if (!v)
        return false;
    if (len >= size)
        len = size - 1;
    return strlen(s) == len && !memcmp(v, s, len);
}

/* What matching asks of an entry's attributes, read once, in one pass over its pairs (the first
 * pair of a key counts, as for attr_find): tens of thousands of entries are read at each load. */
static void read_attrs(gazetteer_entry *e) {
    const char *value[4] = {NULL, NULL, NULL, NULL}; /* case, number, kind, gender */
    size_t len[4] = {0, 0, 0, 0};
    static const char *const keys[4] = {"case", "number", "kind", "gender"};
    for (const char *p = e->attrs; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', l);
        for (int k = 0; eq && k < 4; k++)
            if (!value[k] && (size_t)(eq - p) == strlen(keys[k]) && !memcmp(p, keys[k], (size_t)(eq - p))) {
                value[k] = eq + 1;
                len[k] = l - (size_t)(eq - p) - 1;
            }
        p = end ? end + 1 : p + l;
    }
    e->exact = attr_is(value[0], len[0], 16, "exact");
    e->plural = attr_is(value[1], len[1], 8, "p");
    e->feminine = attr_is(value[3], len[3], 8, "f");
    e->kind = value[2];
    e->kind_len = (uint8_t)(!e->kind      ? 0
                            : len[2] > 31 ? 31
                                          : len[2]); /* as attr_get copies it into 32 bytes */
    e->portfolio = attr_is(e->kind, len[2], 32, "portfolio");
    e->country = attr_is(e->kind, len[2], 32, "country");
    e->relational = attr_is(e->kind, len[2], 32, "relational");
}

int gazetteer_build_trie(gazetteer *g) {
    gazetteer_trie *t = calloc(1, sizeof *t);
    if (!t)
        return GLA_ERR_NOMEM;
    g->trie = t;
    g->root_words = 0;
    /* The forms are cut into atoms once, all kept (form i's are atoms [first_atom[i],
     * first_atom[i + 1])) until the trie is built: their number bounds the number of nodes, which
     * sizes the tables before the atoms are inserted. Cutting each form twice instead, to count
     * and then to insert, spared a few hundred kilobytes for a moment but cost a fifth of the
     * model's start-up. */
    vec atoms;
    vec_init(&atoms, sizeof(keyed_atom));
    gla_buf scratch = {0};
    uint32_t *end_node = malloc((g->count + 1) * sizeof *end_node);
    uint32_t *first_atom = malloc((g->count + 1) * sizeof *first_atom);
    int rc = end_node && first_atom ? GLA_OK : GLA_ERR_NOMEM;
    for (size_t i = 0; i < g->count && rc == GLA_OK; i++) {
        gazetteer_entry *e = &g->entries[i];
        read_attrs(e);
        first_atom[i] = (uint32_t)atoms.count;
        rc = atomize_keys(e->form, 0, strlen(e->form), &atoms, &scratch);
    }
    size_t atom_count = atoms.count;
    if (rc == GLA_OK)
        first_atom[g->count] = (uint32_t)atom_count;
    /* tables at most a quarter full: a lookup that fails, the usual one, ends at the first or
     * second slot */
    size_t cap = 64;
    while (rc == GLA_OK && cap < 4 * (atom_count + 1))
        cap *= 2;
    t->edges = rc == GLA_OK ? calloc(cap, sizeof *t->edges) : NULL;
    /* the words are fewer than the edges (a third, today): half the slots */
    t->words = rc == GLA_OK ? calloc(cap / 2, sizeof *t->words) : NULL;
    /* every atom adds at most one node, and one word */
    t->nodes = rc == GLA_OK ? calloc(atom_count + 1, sizeof *t->nodes) : NULL;
    t->word_key = rc == GLA_OK ? calloc(atom_count + 1, sizeof *t->word_key) : NULL;
    if (!t->edges || !t->words || !t->nodes || !t->word_key)
        rc = GLA_ERR_NOMEM;
    t->mask = (uint32_t)cap - 1;
    t->word_mask = (uint32_t)cap / 2 - 1;
    t->node_count = 1; /* node 0 is the root */
    /* The first atoms of the forms first: each new word among them is a new child of the root,
     * numbered alike (gazetteer_atom_node); then the rest of each form. */
    for (int pass = 0; pass < 2 && rc == GLA_OK; pass++) {
        for (size_t i = 0; i < g->count && rc == GLA_OK; i++) {
            uint32_t node = 0;
            for (size_t k = first_atom[i]; k < first_atom[i + 1] && rc == GLA_OK; k++) {
                if (pass == 0 && k > first_atom[i])
                    break;
                const keyed_atom *a = &VEC_AT(&atoms, keyed_atom, k);
                if (a->end - a->start > ATOM_MAX_LEN) { /* no atom of a text is that long */
                    rc = GLA_ERR_LIMIT;
                    break;
                }
                const char *key = scratch.data + a->key_off;
                uint32_t word = word_of(t, key, a->key_len, a->key_hash);
                if (!word) {
                    if (t->word_count >= GAZ_MAX_WORDS) {
                        rc = GLA_ERR_LIMIT;
                        break;
                    }
                    word = ++t->word_count;
                    uint32_t slot = word_first_slot(t, a->key_hash);
                    while (t->words[slot].word)
                        slot = (slot + 1) & t->word_mask;
                    t->words[slot] = (word_slot){a->key_hash, word};
                    uint32_t bit = word_filter_bit(a->key_hash);
                    t->word_filter[bit / 64] |= (uint64_t)1 << bit % 64;
                    t->word_key[word] = (uint32_t)t->keys.len;
                    static const char zeros[8] = {0}; /* the padding same_key reads */
                    if (!buf_append(&t->keys, key, a->key_len) ||
                        !buf_append(&t->keys, zeros, 8 - a->key_len % 8)) {
                        rc = GLA_ERR_NOMEM;
                        break;
                    }
                }
                uint32_t child = node ? trie_child(t, node, word) : word <= g->root_words ? word : 0;
                if (!child) {
                    if (node) { /* the root's children are found by number, not by edge */
                        uint32_t slot = edge_slot(t, node, word_tag(word));
                        while (t->edges[slot].child)
                            slot = (slot + 1) & t->mask;
                        t->edges[slot] = (trie_edge){edge_tag(node, word_tag(word)), t->node_count};
                        edge_filter_set(t, t->edges[slot].tag);
                    }
                    t->nodes[t->node_count] = (trie_node){node, word};
                    child = t->node_count++;
                }
                if (pass == 0) /* every word so far starts a form: word k leads to node k */
                    g->root_words = t->word_count;
                node = child;
            }
            if (pass == 1)
                end_node[i] = node;
        }
    }
    if (rc == GLA_OK) {
        t->node_first = calloc(t->node_count + 1, sizeof *t->node_first);
        t->node_entries = malloc((g->count + 1) * sizeof *t->node_entries);
        t->has_children = calloc(t->node_count, 1);
        if (!t->node_first || !t->node_entries || !t->has_children)
            rc = GLA_ERR_NOMEM;
    }
    if (rc == GLA_OK) {
        for (uint32_t n = 1; n < t->node_count; n++)
            t->has_children[t->nodes[n].parent] = 1;
        /* counting sort of entries by end node, file order kept */
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
    for (int b = 1; rc == GLA_OK && b < 256; b++) {
        char key[8] = {(char)b}; /* and the bytes same_key reads past it */
        t->byte_word[b] = word_of(t, key, 1, key_hash(key, 1));
    }
    free(end_node);
    free(first_atom);
    vec_free(&atoms);
    gla_buf_free(&scratch);
    return rc;
}

/* Appends the atom s[start, end), longer than ATOM_MAX_LEN, as atoms of at most that many bytes
 * cut at code point starts, with word 0: no form has a word that long (see atom). */
static int push_long_atom(const char *s, size_t start, size_t end, vec *atoms) {
    while (start < end) {
        size_t cut = end - start > ATOM_MAX_LEN ? start + ATOM_MAX_LEN : end;
        while (cut < end && ((uint8_t)s[cut] & 0xC0) == 0x80)
            cut--;
        if (atoms->count == atoms->cap && !vec_reserve(atoms, atoms->count + 1))
            return GLA_ERR_NOMEM;
        atom *a = (atom *)atoms->items + atoms->count++;
        a->start = (uint32_t)start;
        a->len = (uint32_t)(cut - start);
        a->word = 0;
        start = cut;
    }
    return GLA_OK;
}

/* The text is cut into atoms a chunk at a time, at a space (no atom holds one), so that the room
 * the atomizer reserves for keys is a chunk's, not the whole text's. */
#define ATOMIZE_CHUNK ((size_t)64 << 10)

int atomize(const gazetteer *g, const char *s, size_t from, size_t to, vec *atoms, gla_buf *keys) {
    for (size_t at = from; at < to;) {
        size_t end = to;
        if (to - at > ATOMIZE_CHUNK) {
            const char *space = memchr(s + at + ATOMIZE_CHUNK, ' ', to - at - ATOMIZE_CHUNK);
            if (space)
                end = (size_t)(space - s);
        }
        keys->len = 0;
        int rc = atomize_words(g->trie, s, at, end, atoms, keys);
        if (rc != GLA_OK)
            return rc;
        at = end;
    }
    return GLA_OK;
}

/* Does the text of atoms [i, j) spell the form exactly (spaces aside)? */
static bool same_letters(const char *text, const atom *atoms, size_t i, size_t j, const char *form) {
    const char *f = form;
    for (size_t k = i; k < j; k++) {
        while (*f == ' ')
            f++;
        size_t len = atoms[k].len;
        if (strncmp(f, text + atoms[k].start, len) != 0)
            return false;
        f += len;
    }
    while (*f == ' ')
        f++;
    return *f == '\0';
}

size_t gazetteer_match(const gazetteer *g, const char *text, const atom *atoms, size_t count, size_t i,
                       size_t *entry) {
    const gazetteer_trie *t = g->trie;
    size_t best_end = 0;
    uint32_t node = i < count ? gazetteer_atom_node(g, &atoms[i]) : 0;
    for (size_t j = i; node;) {
        for (uint32_t k = t->node_first[node]; k < t->node_first[node + 1]; k++) {
            const gazetteer_entry *e = &g->entries[t->node_entries[k]];
            if (e->exact && !same_letters(text, atoms, i, j + 1, e->form))
                continue;
            best_end = j + 1;
            *entry = t->node_entries[k];
            break;
        }
        if (++j >= count || !t->has_children[node])
            break;
        node = trie_child(t, node, atoms[j].word);
    }
    return best_end;
}

uint32_t gazetteer_step(const gazetteer *g, uint32_t node, const char *text, const atom *a) {
    const gazetteer_trie *t = g->trie;
    GLA_UNUSED(text);
    return node && t->has_children[node] ? trie_child(t, node, a->word) : 0;
}

const char *const gazetteer_type_names[GAZ_DEMONYM + 1] = {"person", "org",       "loc",  "rank",   "title",
                                                           "event",  "agreement", "date", "demonym"};

gazetteer_category gazetteer_category_of(const char *name) {
    gazetteer_category c = {NULL, 0, -1};
    if (!strncmp(name, "kind_", 5)) {
        c.kind = name + 5;
        c.kind_len = strlen(c.kind);
        return c;
    }
    for (int t = 0; t <= GAZ_DEMONYM; t++)
        if (!strcmp(gazetteer_type_names[t], name))
            c.type = t;
    return c;
}

bool gazetteer_node_has(const gazetteer *g, const char *text, const atom *atoms, size_t i, size_t end, uint32_t node,
                        const char *category) {
    const char *const *type_lower = gazetteer_type_names;
    const gazetteer_trie *t = g->trie;
    if (!node)
        return false;
    bool by_kind = category[0] == 'k' && !strncmp(category, "kind_", 5);
    size_t kind_len = by_kind ? strlen(category + 5) : 0;
    for (uint32_t k = t->node_first[node]; k < t->node_first[node + 1]; k++) {
        const gazetteer_entry *e = &g->entries[t->node_entries[k]];
        if (by_kind) {
            if (!e->kind || kind_len != e->kind_len || memcmp(e->kind, category + 5, e->kind_len))
                continue;
        } else if (e->type < 0 || e->type > GAZ_DEMONYM || type_lower[e->type][0] != category[0] ||
                   strcmp(type_lower[e->type], category)) {
            continue;
        }
        /* the category answers: the letters decide, for an exact-case form */
        if (!e->exact || same_letters(text, atoms, i, end, e->form))
            return true;
    }
    return false;
}

/* Does the trie hold the exact form of atoms [i, end) with an entry that answers category
 * (a type in lower case, "demonym", or "kind_<kind>")? */
bool gazetteer_has(const gazetteer *g, const char *text, const atom *atoms, size_t i, size_t end,
                   const char *category) {
    if (i >= end)
        return false;
    uint32_t node = gazetteer_atom_node(g, &atoms[i]);
    for (size_t j = i + 1; j < end && node; j++)
        node = gazetteer_step(g, node, text, &atoms[j]);
    return gazetteer_node_has(g, text, atoms, i, end, node, category);
}

void gazetteer_trie_free(gazetteer *g) {
    gazetteer_trie *t = g->trie;
    if (!t)
        return;
    free(t->edges);
    free(t->nodes);
    free(t->words);
    free(t->word_key);
    gla_buf_free(&t->keys);
    free(t->node_first);
    free(t->node_entries);
    free(t->has_children);
    free(t);
    g->trie = NULL;
}
