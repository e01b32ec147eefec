/* Word sets: the compiled French lexicon and the small lists of gazetteers/lexicon/.
 *
 * Data structure: one contiguous block, so that the compiled lexicon file is used exactly as it
 * is stored (mapped, not parsed — loading 350,000 words costs one mmap):
 *
 *     "GLALEX02" | u32 slot_count (power of two) | u32 entries_size
 *     u32 slots[slot_count]        0 for an empty slot, else tag << 24 | (offset of an entry + 1)
 *     entries: u8 length | u8 flags | length bytes of lower-cased UTF-8
 *
 * Lookup is FNV-1a over the bytes and linear probing; the table is at most half full. The tag is
 * the hash's top byte: most lookups (the segmentation of run-together text asks for every
 * substring) are misses, and the tag settles nearly all of them without touching the entries,
 * a second cache miss in a table of megabytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define LEX_MAGIC "GLALEX02"
#define LEX_HEADER 16
#define LEX_MAX_WORD 255
#define LEX_OFFSET_MASK 0xFFFFFFu /* entries up to 16 MB */
#define LEX_TAG(h) ((h) & ~LEX_OFFSET_MASK)

uint32_t wordset_hash(const char *word, size_t len) {
    uint32_t h = WORDSET_HASH_INIT;
    for (size_t i = 0; i < len; i++)
        h = wordset_hash_byte(h, (uint8_t)word[i]);
    return h;
}

int wordset_find(const wordset *ws, const char *word, size_t len) {
    if (!ws->slots || len == 0 || len > LEX_MAX_WORD)
        return 0; /* before hashing: an over-long word is not worth the hash */
    return wordset_find_hashed(ws, word, len, wordset_hash(word, len));
}

/* The look-up proper, for a word of 1..LEX_MAX_WORD bytes; inlined into the callers here, which
 * are on the path of every word of every text. */
static inline int probe(const wordset *ws, const char *word, size_t len, uint32_t hash) {
    /* the length mask settles most probes of the small lists (function words, prefixes) for
     * the long substrings the segmentation asks about, without touching the table */
    if (!ws->slots || !((ws->len_mask >> (len < 63 ? len : 63)) & 1))
        return 0;
    const uint8_t *entries = (const uint8_t *)(ws->slots + ws->mask + 1);
    for (uint32_t i = hash & ws->mask;; i = (i + 1) & ws->mask) {
        uint32_t slot = ws->slots[i];
        if (!slot)
            return 0;
        if (LEX_TAG(slot) != LEX_TAG(hash))
            continue;
        const uint8_t *e = entries + (slot & LEX_OFFSET_MASK) - 1;
        if (e[0] != len)
            continue;
        /* a byte loop, not memcmp: words are a few bytes, shorter than a call costs */
        size_t k = 0;
        while (k < len && e[2 + k] == (uint8_t)word[k])
            k++;
        if (k == len)
            return e[1] + 1;
    }
}

int wordset_find_hashed(const wordset *ws, const char *word, size_t len, uint32_t hash) {
    if (len == 0 || len > LEX_MAX_WORD)
        return 0;
    return probe(ws, word, len, hash);
}

/* Lives here rather than in model.c so that one hash serves the three sets: the text repair
 * looks up every word of every text, and many substrings of the unknown ones. The order of the
 * sets decides the flags of a word in several of them: the lexicon's first. */
bool model_is_word_hashed(const gla_model *m, const char *lower, size_t len, uint32_t hash, int *flags) {
    int f = 0;
    if (len > 0 && len <= LEX_MAX_WORD) {
        f = probe(&m->lexicon, lower, len, hash);
        if (!f)
            f = probe(&m->extra_words, lower, len, hash);
        if (!f)
            f = probe(&m->name_words, lower, len, hash);
    }
    if (flags)
        *flags = f ? f - 1 : 0;
    return f != 0;
}

void model_prefetch_word(const gla_model *m, uint32_t hash) {
    const wordset *ws = &m->lexicon;
    if (ws->slots)
        __builtin_prefetch(&ws->slots[hash & ws->mask]);
}

static int attach(wordset *ws, const uint8_t *base, size_t size, char *why, size_t why_len,
                  const char *path) {
    if (size < LEX_HEADER || memcmp(base, LEX_MAGIC, 8) != 0) {
        set_why(why, why_len, "%s: not a glaneur lexicon (bad magic)", path);
        return GLA_ERR_DATA;
    }
    uint32_t slot_count, entries_size;
    memcpy(&slot_count, base + 8, 4);
    memcpy(&entries_size, base + 12, 4);
    if (slot_count == 0 || (slot_count & (slot_count - 1)) ||
        (size_t)LEX_HEADER + (size_t)slot_count * 4 + entries_size != size) {
        set_why(why, why_len, "%s: corrupt lexicon (sizes do not add up)", path);
        return GLA_ERR_DATA;
    }
    ws->base = base;
    ws->size = size;
    ws->slots = (const uint32_t *)(base + LEX_HEADER);
    ws->mask = slot_count - 1;
    ws->len_mask = ~(uint64_t)0; /* a mapped file does not say which lengths it holds */
    return GLA_OK;
}

int wordset_build(wordset *ws, const char *const *words, const uint8_t *flags, size_t n) {
    memset(ws, 0, sizeof *ws);
    uint32_t slot_count = 16;
    while (slot_count < 2 * n + 1)
        slot_count *= 2;
    size_t entries_cap = 0;
    for (size_t i = 0; i < n; i++)
        entries_cap += 2 + strlen(words[i]) * 2; /* lower-casing may grow a few letters */
    size_t size = LEX_HEADER + (size_t)slot_count * 4 + entries_cap;
    uint8_t *block = calloc(1, size);
    if (!block)
        return GLA_ERR_NOMEM;
    memcpy(block, LEX_MAGIC, 8);
    memcpy(block + 8, &slot_count, 4);
    uint32_t *slots = (uint32_t *)(block + LEX_HEADER);
    uint8_t *entries = block + LEX_HEADER + (size_t)slot_count * 4;
    uint32_t used = 0;
    uint64_t len_mask = 0;
    for (size_t i = 0; i < n; i++) {
        char lower[LEX_MAX_WORD * 2 + 8];
        size_t wlen = strlen(words[i]);
        int len = wlen <= LEX_MAX_WORD ? utf8_lower(words[i], wlen, lower, sizeof lower) : -1;
        if (len <= 0 || len > LEX_MAX_WORD)
            continue; /* over-long or not UTF-8: not a word */
        uint8_t f = flags ? flags[i] : 0;
        if (used + 2 + (uint32_t)len >= LEX_OFFSET_MASK) {
            free(block);
            return GLA_ERR_TOO_LARGE; /* over 16 MB of words: the slots cannot address them */
        }
        uint32_t hash = wordset_hash(lower, (size_t)len);
        len_mask |= (uint64_t)1 << (len < 63 ? len : 63);
        for (uint32_t h = hash & (slot_count - 1);; h = (h + 1) & (slot_count - 1)) {
            if (!slots[h]) {
                slots[h] = LEX_TAG(hash) | (used + 1);
                entries[used] = (uint8_t)len;
                entries[used + 1] = f;
                memcpy(entries + used + 2, lower, (size_t)len);
                used += 2 + (uint32_t)len;
                break;
            }
            uint8_t *e = entries + (slots[h] & LEX_OFFSET_MASK) - 1;
            if (LEX_TAG(slots[h]) == LEX_TAG(hash) && e[0] == len && memcmp(e + 2, lower, (size_t)len) == 0) {
                e[1] |= f; /* the same word written two ways: keep both flags */
                break;
            }
        }
    }
    memcpy(block + 12, &used, 4);
    size = LEX_HEADER + (size_t)slot_count * 4 + used;
    ws->owned = block;
    int rc = attach(ws, block, size, NULL, 0, "(built)");
    ws->len_mask = len_mask; /* built here: the lengths are known */
    return rc;
}

int wordset_save(const wordset *ws, const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return GLA_ERR_IO;
    bool ok = fwrite(ws->base, 1, ws->size, f) == ws->size;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return GLA_ERR_IO;
    }
    return GLA_OK;
}

int wordset_load(wordset *ws, const char *path, char *why, size_t why_len) {
    memset(ws, 0, sizeof *ws);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_why(why, why_len, "%s: %s", path, strerror(errno));
        return GLA_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        set_why(why, why_len, "%s: empty or unreadable lexicon", path);
        close(fd);
        return GLA_ERR_DATA;
    }
    void *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (base == MAP_FAILED) {
        set_why(why, why_len, "%s: %s", path, strerror(errno));
        return GLA_ERR_IO;
    }
    ws->mapped = true;
    int rc = attach(ws, base, (size_t)st.st_size, why, why_len, path);
    if (rc != GLA_OK) {
        munmap(base, (size_t)st.st_size);
        memset(ws, 0, sizeof *ws);
    }
    return rc;
}

void wordset_free(wordset *ws) {
    if (ws->mapped)
        munmap((void *)ws->base, ws->size);
    free(ws->owned);
    memset(ws, 0, sizeof *ws);
}

int wordset_load_list(wordset *ws, const char *path, char *why, size_t why_len) {
    memset(ws, 0, sizeof *ws);
    char *data;
    int rc = read_data_file(path, &data, why, why_len);
    if (rc != GLA_OK)
        return rc;
    size_t n = 0, cap = 64;
    const char **words = malloc(cap * sizeof *words);
    uint8_t *weights = malloc(cap);
    if (!words || !weights) {
        free(words);
        free(weights);
        free(data);
        return GLA_ERR_NOMEM;
    }
    for (char *cursor = data, *line; (line = next_data_line(&cursor, NULL));) {
        uint8_t weight = 0;
        char *sep = strpbrk(line, " \t");
        if (sep) {
            *sep++ = '\0';
            long v = strtol(sep, NULL, 10);
            weight = v > 0 && v < 256 ? (uint8_t)v : 0;
        }
        if (n == cap) {
            const char **bigger = realloc(words, 2 * cap * sizeof *words);
            uint8_t *wbigger = bigger ? realloc(weights, 2 * cap) : NULL;
            if (!bigger || !wbigger) {
                free(bigger ? bigger : words);
                free(weights);
                free(data);
                return GLA_ERR_NOMEM;
            }
            words = bigger;
            weights = wbigger;
            cap *= 2;
        }
        weights[n] = weight;
        words[n++] = line;
    }
    rc = wordset_build(ws, words, weights, n);
    free(words);
    free(weights);
    free(data);
    return rc;
}
