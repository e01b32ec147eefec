/* Internal declarations shared by the pipeline stages. Each stage has its own section; the
 * structures that flow between stages (repaired text, tokens, mentions) are defined here. */
#ifndef GLA_INTERNAL_H
#define GLA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "glaneur.h"

#define GLA_UNUSED(x) ((void)(x))

/* ---------------------------------------------------------------- util.c: memory and text */

/* Grows buf so that it can hold `extra` more bytes. Returns false when out of memory. */
bool buf_reserve(gla_buf *buf, size_t extra);
/* Always inline: the output formats append a few bytes at a time, most often a literal whose
 * length the compiler then knows, and a call per piece (and one to memcpy) cost more than the
 * copy. The data stays NUL-terminated. */
__attribute__((always_inline)) static inline bool buf_append(gla_buf *buf, const void *data, size_t len) {
    if (buf->len + len >= buf->cap && !buf_reserve(buf, len))
        return false;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return true;
}
__attribute__((always_inline)) static inline bool buf_puts(gla_buf *buf, const char *s) { return buf_append(buf, s, strlen(s)); }
__attribute__((always_inline)) static inline bool buf_putc(gla_buf *buf, char c) { return buf_append(buf, &c, 1); }
/* v in decimal: what the output formats write most, without printf's parsing of a format */
bool buf_put_uint(gla_buf *buf, size_t v);
bool buf_printf(gla_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s[0..len) as the inside of a JSON string (no quotes). */
bool buf_json_escape(gla_buf *buf, const char *s, size_t len);
/* Appends "s" as a JSON string, or null when s is NULL. */
bool buf_json_string(gla_buf *buf, const char *s);

/* A bump allocator for per-document strings: reset between documents, freed with the worker. */
typedef struct arena_block arena_block;
typedef struct {
    arena_block *head;
} arena;
void *arena_alloc(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t len);
void arena_reset(arena *a);
void arena_free(arena *a);

/* A growable array of fixed-size items, reused across documents without freeing. */
typedef struct {
    void *items;
    size_t count, cap, item_size;
} vec;
void vec_init(vec *v, size_t item_size);
void *vec_push(vec *v); /* zeroed new item, or NULL when out of memory */
bool vec_reserve(vec *v, size_t count);
void vec_free(vec *v);
#define VEC_AT(v, type, i) (((type *)(v)->items)[i])

/* Reads a whole file into a NUL-terminated malloc'd buffer. Returns GLA_OK or GLA_ERR_IO (errno
 * set) or GLA_ERR_NOMEM or GLA_ERR_TOO_LARGE (when the file exceeds max_size, if non-zero). */
int read_file(const char *path, size_t max_size, char **out, size_t *out_len);

/* read_file for model data: on failure, why names the file and the reason. */
int read_data_file(const char *path, char **out, char *why, size_t why_len);
/* Cuts the next line off *cursor (NUL-terminated in place, without its \r\n); NULL at the end. */
char *next_line(char **cursor);
/* next_line for the lexicon's lists: the next line that is not empty once its comment (from '#')
 * is cut and it is trimmed; *line_no (if not NULL) counts every line read. */
char *next_data_line(char **cursor, size_t *line_no);
/* s without leading and trailing spaces and tabs (in place). */
char *trim(char *s);
/* The names of dir's entries ending in suffix, hidden ones skipped, sorted by bytes; the caller
 * frees them with free_names. */
int list_dir(const char *dir, const char *suffix, char ***names, size_t *count, char *why, size_t why_len);
void free_names(char **names, size_t count);

/* utf8_decode beyond its inline cases: three- and four-byte sequences and invalid UTF-8. */
int utf8_decode_slow(const uint8_t *s, size_t len, int32_t *cp);
/* Are the 8 bytes at s all ASCII? The word-at-a-time test of the scans over most of a text. */
static inline bool ascii8(const uint8_t *s) {
    uint64_t w;
    memcpy(&w, s, 8);
    return !(w & 0x8080808080808080u);
}

/* The high bit of each of the 8 bytes of w (s read as in ascii8) that is an ASCII letter
 * (ascii_letters8) or digit (ascii_digits8): the word-at-a-time classes of the tokenizer and
 * the atomizer. A byte beyond ASCII is never flagged, but its sums may carry into the next byte:
 * the flags are exact up to the first byte beyond ASCII, which is as far as a run of letters or
 * digits goes. */
static inline uint64_t ascii_letters8(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t l = w | 0x20 * ones;                              /* lower case, for letters */
    return (l + 0x1F * ones) & ~(l + 0x05 * ones) & ~w & high; /* 'a' <= l <= 'z', and ASCII */
}
static inline uint64_t ascii_digits8(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    return (w + 0x50 * ones) & ~(w + 0x46 * ones) & ~w & high; /* '0' <= w <= '9', and ASCII */
}
/* The high bit of each byte of w that is an ASCII capital, 'A' to 'Z': exact for every byte,
 * those beyond ASCII too (the sums are taken without the high bits, so that none carries). */
static inline uint64_t ascii_capitals8(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t x = w & ~high;
    return (x + 0x3F * ones) & ~(x + 0x25 * ones) & ~w & high; /* 'A' <= x <= 'Z', and ASCII */
}

/* The word-at-a-time scans (SWAR) read 8 bytes into a uint64_t with memcpy and flag bytes with
 * sums whose carries and borrows run towards the more significant bytes: the lowest flag is
 * exact, and it is the first byte in memory only on a little-endian machine. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the word-at-a-time scans read bytes little-endian");

/* The high bit of each byte of w (read as in ascii8) that a JSON string cannot hold as it is:
 * a control character, '"' or '\\'. Exact up to the first flagged byte. */
static inline uint64_t json_special8(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t quote = w ^ 0x2222222222222222u, backslash = w ^ 0x5C5C5C5C5C5C5C5Cu;
    return (((w - 0x20 * ones) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & high;
}

/* Of such flags (at most the high bit of each byte), the position of the first flagged byte,
 * 8 when none is. */
static inline size_t first_flagged_byte(uint64_t flags) { return flags ? (size_t)__builtin_ctzll(flags) / 8 : 8; }

/* Decodes one code point of valid UTF-8 at s (len bytes available). Returns its length in bytes
 * and stores the code point in *cp; returns -1 for invalid UTF-8. Inline for ASCII and two-byte
 * sequences (every accented Latin letter): the tokenizer and the atomizer decode every byte. */
static inline int utf8_decode(const uint8_t *s, size_t len, int32_t *cp) {
    if (len && s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (len >= 2 && s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) { /* never overlong */
        *cp = (int32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    return utf8_decode_slow(s, len, cp);
}
int utf8_encode(int32_t cp, uint8_t out[4]);
/* Byte offset of the first invalid sequence, or len when s is valid UTF-8. */
size_t utf8_validate(const uint8_t *s, size_t len);

/* Writes the lower-case form of s (UTF-8) into out; returns the length or -1 when out_size is
 * too small. Lower-casing, not full case folding: French keys keep their accents; the ligatures
 * œ and æ are spelt oe and ae (same byte length), as the Debian word list spells them. */
int utf8_lower(const char *s, size_t len, char *out, size_t out_size);
/* Writes the matching key of s: lower case, diacritics removed, đ→d, apostrophes unified. */
int utf8_fold(const char *s, size_t len, char *out, size_t out_size);
/* utf8_fold's key of each two-byte code point (U+0080..U+07FF: every accented Latin letter) as
 * bytes, indexed by cp - FOLD_KEY_FIRST. utf8_fold maps code point by code point, so a word's
 * key is its code points' keys end to end: a caller that folds byte runs itself (the gazetteer's
 * atoms) copies them. len is FOLD_KEY_NONE for a key longer than two bytes. NULL until the table
 * of code points is built (by the first caller, or another thread at it): fold the slow way. */
#define FOLD_KEY_FIRST 0x80
#define FOLD_KEY_END 0x800
#define FOLD_KEY_NONE 0xFF
typedef struct {
    uint8_t len; /* 0..2, or FOLD_KEY_NONE */
    char key[2];
    bool word;   /* a letter (cp_is_letter): a word's atom goes on over it */
} fold_key;
const fold_key *utf8_fold_keys(void);

/* 64-bit FNV-1a: hash continues h over the len bytes of p (start with FNV64_INIT). */
#define FNV64_INIT 14695981039346656037u
uint64_t fnv1a64(uint64_t h, const void *p, size_t len);

/* Character classes of code points: inline for ASCII (which needs no table), utf8proc's
 * categories (through a table of the first code points, see util.c) for the others. A negative
 * code point (the decoders' "none") is in no class. */
enum { CP_SPACE = 1, CP_LETTER = 2, CP_UPPER = 4, CP_LOWER = 8 };
unsigned cp_class_nonascii(int32_t cp) __attribute__((pure)); /* CP_* bits of cp >= 0x80 */

static inline bool is_space_cp(int32_t cp) {
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r'); /* \t \n \v \f \r */
    return cp_class_nonascii(cp) & CP_SPACE;
}
/* Letters are the categories L* and M* (Mn, Mc: a combining mark belongs to its letter). */
static inline bool cp_is_letter(int32_t cp) {
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return cp_class_nonascii(cp) & CP_LETTER;
}
static inline bool cp_is_upper(int32_t cp) { /* Lu, Lt */
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    return cp_class_nonascii(cp) & CP_UPPER;
}
static inline bool cp_is_lower(int32_t cp) { /* Ll */
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return cp_class_nonascii(cp) & CP_LOWER;
}
static inline bool cp_is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }
static inline bool cp_is_alnum(int32_t cp) { return cp_is_letter(cp) || cp_is_digit(cp); }

/* Sets why to "path:line: message". */
void set_why(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------------- lexicon.c: word sets */

/* A set of lower-cased UTF-8 words with a flags byte each, as an open-addressing hash table
 * laid out in one block of memory: the compiled lexicon file is that block, mapped as is. */
typedef struct {
    const uint8_t *base;   /* whole block (header, slots, entries) */
    size_t size;
    const uint32_t *slots; /* entry offsets + 1, 0 = empty */
    uint32_t mask;
    void *owned;           /* malloc'd block to free, or NULL */
    bool mapped;           /* base is an mmap to unmap */
    uint64_t len_mask;     /* bit min(length, 63) set when a word of that byte length may be in */
} wordset;

enum { LEX_PROPER = 1, LEX_COMMON = 2 }; /* word flags: written with / without a capital */

/* Builds a wordset from words[n] (any case; stored lower-cased) with flags. */
int wordset_build(wordset *ws, const char *const *words, const uint8_t *flags, size_t n);
int wordset_load(wordset *ws, const char *path, char *why, size_t why_len);
int wordset_save(const wordset *ws, const char *path);
/* Returns the flags + 1 of a lower-cased word, 0 when absent. */
int wordset_find(const wordset *ws, const char *word, size_t len);

/* The hash of the word sets (32-bit FNV-1a), exposed because it is incremental: a caller that
 * probes every substring starting at one position (the segmentation of run-together words)
 * extends one hash byte by byte instead of hashing each substring from its start. */
#define WORDSET_HASH_INIT 2166136261u
static inline uint32_t wordset_hash_byte(uint32_t h, uint8_t byte) { return (h ^ byte) * 16777619u; }
uint32_t wordset_hash(const char *word, size_t len);
/* wordset_find for a word whose wordset_hash the caller has computed: one hash serves the
 * several sets a word is looked up in. */
int wordset_find_hashed(const wordset *ws, const char *word, size_t len, uint32_t hash);
/* model_is_word (model.c) for a word whose wordset_hash the caller has computed. */
bool model_is_word_hashed(const gla_model *m, const char *lower, size_t len, uint32_t hash, int *flags);
/* Starts fetching the lexicon's slot for a word of that hash, which model_is_word_hashed is soon
 * to read: the lexicon is megabytes, and each of its look-ups misses the cache. */
void model_prefetch_word(const gla_model *m, uint32_t hash);
void wordset_free(wordset *ws);
/* Loads a text word list (one entry per line, # comments) into a wordset. A line may give a
 * number after the word (1..255), stored as the word's flags byte: a weight for the caller. */
int wordset_load_list(wordset *ws, const char *path, char *why, size_t why_len);

/* ---------------------------------------------------------------- rules.c: PCRE2 rule files */

typedef struct {
    char *kind;        /* first column: DATE, TEASER, CAPTION, DCT, SPACE, NAMESHAPE ... */
    char *name;        /* second column: the rule's name, for messages and output */
    pcre2_code *code;  /* as compiled, for the interpreter, pattern information and names */
    /* A rule matched by a compile without start optimisations (keep_plain_pattern in rules.c):
     * its pattern, compiled at its first match into plain_code (code when that failed); NULL
     * for the others. Shared by the threads: plain_code is read and set atomically. */
    char *plain_pattern;
    pcre2_code *plain_code;
    /* A JIT-compiled copy of code, made once it is worth its cost (jit_code in rules.c), NULL
     * until then; jit_claimed once a thread is making it. Shared by the threads: read and set atomically. */
    pcre2_code *jit_code;
    bool jit_claimed;
    /* When to compile (jit_code in rules.c): the document of the rule's first match (its serial
     * + 1; 0 before any), and the matches since. */
    uint32_t jit_first_document;
    uint32_t jit_tries;
    char *file;        /* file:line where it was defined, for messages */
    char *anchor;      /* "@title": tried only where such a gazetteer mention starts; or NULL */
    char **literals;   /* "~signé": every match contains one of these; NULL-terminated or NULL */
    uint8_t *literal_bounds; /* per literal, its LITERAL_AT_* marks ("~\b%month\b"); NULL when none has any */
    uint32_t reach;    /* "<40": a match starts at most this many bytes before its literal */
    uint64_t prof_calls, prof_hits, prof_ns; /* GLANEUR_PROFILE: matches tried, found, their time (all threads) */
    uint32_t index;    /* its place in the ruleset */
    bool jit;          /* JIT wanted (GLANEUR_NO_JIT unset) and not found impossible */
    /* What the compiled pattern tells of any match, so that an anchored attempt that cannot
     * match costs no call into PCRE2: the bytes a match may start with (bit b of
     * first_bytes[b / 64]), and the fewest bytes it takes. */
    uint64_t first_bytes[4];
    uint32_t min_bytes;
} rule;

/* The rules of one kind, in file order; built once when the rules are loaded, so that a stage
 * finds its rules without comparing the kind of every rule for every document. */
typedef struct {
    const char *name;
    const rule *const *rules;
    size_t count;
    uint64_t first_bytes[4]; /* the bytes a match of some rule of the kind may start with */
} rule_kind;

/* May a match of a rule with these first_bytes start with byte b? */
static inline bool may_start_with(const uint64_t first_bytes[4], uint8_t b) { return first_bytes[b / 64] >> (b % 64) & 1; }

/* The marks of a ~literal written \bWORD or WORD\b: its occurrence counts for the rule only where
 * no letter or digit (\p{L}, \p{N}) comes just before it (START) or just after it (END). */
#define LITERAL_AT_START 1u
#define LITERAL_AT_END 2u

/* Every ~literal of every rule, indexed by its first two bytes so that one pass over a text
 * finds the occurrences of all of them (a one-byte literal is filed under each second byte). */
/* One literal filed under a pair, with its first bytes inline: most candidates are rejected by
 * one masked 8-byte compare, without reaching for the form or calling memcmp. */
typedef struct {
    uint64_t head;    /* the literal's first min(len, 8) bytes, little-endian, zero-padded */
    uint64_t mask;    /* 0xFF in each byte of head that belongs to the literal */
    uint32_t literal; /* its number in forms */
    uint32_t len;
} literal_probe;

/* log2 of the bits of literal_index.quad_bits: a few hundred literals leave all but ~1% of
 * them clear, and the 4 KB stay in the core's cache */
#define LITERAL_QUAD_LOG 15

typedef struct {
    /* Two filters in front of pair_probe, so that most positions of a text cost two look-ups:
     * key_len: per pair, 0 when no literal is filed under it, else how many of the text's bytes
     * (1 to 4) quad_bits hashes there: those of the shortest literal filed under the pair, at
     * most 4. In news text about one byte in seven starts a pair that some literal starts with;
     * the first four bytes rule most of those out. */
    uint8_t *key_len;                               /* 65536 entries */
    uint64_t quad_bits[(1u << LITERAL_QUAD_LOG) / 64]; /* the hashed keys of the literals */
    uint32_t key_masks[5];          /* per key length: its bytes of a 4-byte word */
    uint32_t *pair_start;           /* 65537 entries: pair -> its span of pair_probe */
    literal_probe *pair_probe;      /* the literals, grouped by pair */
    /* The literals again, grouped by the bit of quad_bits their key sets (each once a bit): where
     * a position's key passes the filter, only the literals of its bit are compared, not all
     * those of its pair (a pair such as "co" files dozens) */
    uint32_t *bit_start;            /* 2^LITERAL_QUAD_LOG + 1 entries: bit -> its span of bit_probe */
    literal_probe *bit_probe;
    char **forms;                   /* the distinct literals */
    uint8_t *lens;
    uint32_t *rule_start;           /* count + 1 entries: literal -> its span of rule_of */
    uint32_t *rule_of;              /* rule numbers */
    uint8_t *bound_of;              /* per entry of rule_of: that rule's LITERAL_AT_* marks on it */
    size_t count;
} literal_index;

typedef struct {
    rule *rules;
    size_t count;
    literal_index literals;
    rule_kind *kinds; /* sorted by name */
    size_t kind_count;
    const rule **by_kind; /* the rules grouped by kind, which kinds[] point into */
    bool from_cache;      /* the compiled rules were read from the cache (rules.c) */
} ruleset;

/* The rules of a kind ("DATE", "SPACE" ...): never NULL, an empty list for a kind without rules. */
const rule_kind *ruleset_kind(const ruleset *rs, const char *kind);

/* Where the literals of every rule occur in text[from, to): one pass for all rules, made once per
 * document by the worker; rule_match reads a rule's list instead of scanning the text. */
typedef struct {
    const char *text;  /* the text indexed, or NULL */
    size_t from, to;
    vec *per_rule;     /* per rule: uint32_t byte offsets, ascending */
    size_t rules;
} literal_hits;

int literal_hits_build(const ruleset *rs, const char *text, size_t from, size_t to, literal_hits *h);
void literal_hits_free(literal_hits *h);

/* Marks the start of a document on this thread (gla_extract), of which rule_exec counts the
 * matches of a rule to decide when it is worth JIT-compiling. */
void rules_begin_document(void);

/* Loads every *.rules file of dir (sorted). Fragments are `%name = regex` lines, usable in later
 * patterns as %name; builtins (e.g. %month from ICU) are given as name/regex pairs. */
int ruleset_load_dir(ruleset *rs, const char *dir, const char *const *builtin_names,
                     const char *const *builtin_values, size_t builtin_count, char *why,
                     size_t why_len);
void ruleset_free(ruleset *rs);
/* Every match of a rule goes through rule_exec: pcre2_match on text[0, len) from start, without
 * the UTF check (the text is valid UTF-8 by then), timed when GLANEUR_PROFILE is set. Give mctx
 * with PCRE2_ANCHORED: the match then stays in JIT code (see exec_anchored). */
int rule_exec(const rule *r, const char *text, size_t len, size_t start, uint32_t options,
              pcre2_match_data *md, pcre2_match_context *mctx);
/* GLANEUR_PROFILE: prints the rules that took the most time on err, slowest first. */
void ruleset_print_profile(const ruleset *rs, FILE *err);
/* The next match of r in text[start, end) (pcre2_match's result; the match in md). A rule with
 * ~literals is run only near their occurrences, which hits gives (see literal_hits_build); where
 * hits does not index this text, or mctx is NULL, the rule runs on all of it. */
int rule_match(const rule *r, const char *text, size_t start, size_t end, pcre2_match_data *md,
               pcre2_match_context *mctx, const literal_hits *hits);

/* ---------------------------------------------------------------- gazetteer.c */

enum { GAZ_DEMONYM = GLA_ENT__COUNT }; /* entry type beyond the entity types */

/* The types as rules name them, in lower case ("title", "demonym"), indexed by type. */
extern const char *const gazetteer_type_names[GAZ_DEMONYM + 1];

/* A category of entries as a rule names it: a type ("title") or a kind ("kind_country"). */
typedef struct {
    const char *kind; /* NULL: a type */
    size_t kind_len;
    int type;         /* the type, -1 if the name is neither */
} gazetteer_category;
gazetteer_category gazetteer_category_of(const char *name);

typedef struct {
    const char *form;      /* as written in the file */
    int type;              /* gla_entity_type, or GAZ_DEMONYM */
    const char *canonical;
    const char *attrs;     /* "key=value;..." or "" */
    /* Read from attrs by gazetteer_build_trie, so that matching parses no attributes: */
    bool exact;            /* case=exact */
    bool portfolio;        /* kind=portfolio */
    bool country;          /* kind=country */
    bool plural;           /* number=p */
    bool relational;       /* kind=relational: a title only with the body it is of (membre, chef) */
    bool feminine;         /* gender=f */
    uint8_t kind_len;      /* of kind, at most 31 bytes (as attr_get copies it into 32) */
    const char *kind;      /* the value of kind= (into attrs, not NUL-terminated), or NULL */
    const char *key;       /* the key of canonical for an entity type (gazetteer_keys), or NULL */
} gazetteer_entry;

/* Is e an entry of category c (of its kind, or of its type)? */
static inline bool gazetteer_entry_in(const gazetteer_entry *e, const gazetteer_category *c) {
    if (c->kind)
        return e->kind && e->kind_len == c->kind_len && !memcmp(e->kind, c->kind, e->kind_len);
    return c->type >= 0 && e->type == c->type;
}

typedef struct gazetteer_trie gazetteer_trie;

typedef struct {
    gazetteer_entry *entries;
    size_t count, cap;
    char **blocks;         /* the files' text, which entries point into */
    size_t block_count;
    gazetteer_trie *trie;
    uint32_t root_words;   /* words 1 .. root_words start forms: word k's first node is node k */
    arena keys;            /* the entries' keys */
} gazetteer;

/* A word atom as the atomizer cuts it: a run of letters and digits or one punctuation mark,
 * with its folded key (lower case, no diacritics: utf8_fold of its bytes) in a side buffer. */
typedef struct {
    uint32_t start, end; /* bytes */
    uint32_t key_off, key_len;
    uint32_t key_hash; /* of the key: its word is looked up by it */
} keyed_atom;

/* A word atom of a document, for the gazetteer: 8 bytes (it was 16, 3 bytes a byte of a dense
 * text: its end, the hash of its key and its first trie node). Its key is not kept but named:
 * `word` is the number of its key among the words of the gazetteer's forms (0: no form has it),
 * which is all a trie lookup asks (gazetteer_atom_node gives its first node).
 *
 * Limits: an atom is at most ATOM_MAX_LEN bytes; atomize cuts a longer run of letters and digits
 * into atoms of at most that many bytes (at code point starts), with word 0: no form's word is
 * that long (gazetteer_build_trie refuses one), so the pieces match nothing, as the whole run
 * would not. The gazetteer's forms hold at most GAZ_MAX_WORDS different words. */
#define ATOM_LEN_BITS 12
#define ATOM_MAX_LEN ((1u << ATOM_LEN_BITS) - 1)
#define GAZ_MAX_WORDS ((1u << (32 - ATOM_LEN_BITS)) - 1)
typedef struct {
    uint32_t start;                 /* bytes */
    uint32_t len : ATOM_LEN_BITS;   /* bytes */
    uint32_t word : 32 - ATOM_LEN_BITS;
} atom;
_Static_assert(sizeof(atom) == 8, "an atom in 8 bytes");

static inline size_t atom_end(const atom *a) { return (size_t)a->start + a->len; }

/* The trie node an atom leads to from the root, 0 if no form starts with its word. */
static inline uint32_t gazetteer_atom_node(const gazetteer *g, const atom *a) {
    return a->word <= g->root_words ? a->word : 0;
}

/* Appends the keyed atoms of s[from, to) to atoms and their keys to keys. */
int atomize_keys(const char *s, size_t from, size_t to, vec *atoms, gla_buf *keys);
/* Appends the atoms of s[from, to) to atoms (vec of atom), each with its word looked up, for the
 * lookups below, which need it. Each key is written in keys, which holds room for one chunk's
 * worth, until its word is found (the atoms keep no key). */
int atomize(const gazetteer *g, const char *s, size_t from, size_t to, vec *atoms, gla_buf *keys);
int gazetteer_build_trie(gazetteer *g);
void gazetteer_trie_free(gazetteer *g);
/* The longest gazetteer form starting at atom i: returns the atom index after it (0 if none)
 * and sets *entry to the first entry of that form in file order. */
size_t gazetteer_match(const gazetteer *g, const char *text, const atom *atoms, size_t count, size_t i,
                       size_t *entry);
/* Is atoms [i, end) exactly a form of the category ("title", "demonym", "kind_country" ...)? */
bool gazetteer_has(const gazetteer *g, const char *text, const atom *atoms, size_t i, size_t end,
                   const char *category);
/* gazetteer_has in two steps, for a caller that walks once and asks many times (the callout
 * memo of entities.c): the node one atom further down from node (0: none, as from node 0), and
 * whether node, reached by atoms [i, end), holds a form of the category. */
uint32_t gazetteer_step(const gazetteer *g, uint32_t node, const char *text, const atom *a);
bool gazetteer_node_has(const gazetteer *g, const char *text, const atom *atoms, size_t i, size_t end, uint32_t node,
                        const char *category);
/* Copies the value of key in "k=v;k=v" attrs into out; false when absent. */
bool attr_get(const char *attrs, const char *key, char *out, size_t out_size);

int gazetteer_load_dir(gazetteer *g, const char *dir, char *why, size_t why_len);
/* The single-word LOC, ORG and demonym forms as a word set (flag LEX_PROPER when capitalised). */
int gazetteer_name_words(const gazetteer *g, wordset *out);
void gazetteer_free(gazetteer *g);

/* ---------------------------------------------------------------- model.c */

typedef struct {
    char name[16];
    int number; /* 1..12 for months, 1..7 (Monday=1) for weekdays */
} calendar_name;

/* A regular inflection (gazetteers/lexicon/inflections.txt): a word ending in `ending` is the
 * inflected form of the word with `base` in its place (onusienne: onusien). */
#define GLA_MAX_INFLECTIONS 32
typedef struct {
    char ending[16], base[16];
    uint8_t ending_len, base_len;
} inflection;

/* A closed class of words that a stage looks for by name (gazetteers/lexicon/word_classes.txt):
 * "de la", "du" ... in lower case, longest first (a form that ends another is tried after it). */
typedef enum {
    WC_COMPLEMENT,           /* de la, du, des, de, d': a function to its organisation */
    WC_BARE_COMPLEMENT,      /* de, d': those that also take a bare noun */
    WC_PLACE_PREPOSITION,    /* au, aux, en, à: a function to its place */
    WC_PLURAL_SPECIFIER,     /* leurs, deux: a plural title that names its holders */
    WC_DETERMINER,           /* le, un, son: a bare rank that names someone */
    WC_ORDINAL_SUFFIX,       /* 1er, 2e, 3èmes: an ordinal token */
    WC_ORDINAL_SUFFIX_GLUED, /* 1er glued to the word after it */
    WC_VENUE_PREPOSITION,    /* à: a place where something happened (relate.c) */
    WC_VISIT,                /* visite: an event whose place is the article's (relate.c) */
    WC_ARTICLE,              /* la, du: after one, a capitalised word is no person's name */
    WC__COUNT
} word_class_id;
#define GLA_MAX_CLASS_FORMS 32
typedef struct {
    char form[GLA_MAX_CLASS_FORMS][16];
    uint8_t len[GLA_MAX_CLASS_FORMS];
    size_t count;
} word_class;
/* Is s[0, len) (lower case) a form of the class? */
bool word_class_has(const word_class *c, const char *s, size_t len);
/* Is the word of the token before token t a form of the word class, in lower case (as_written:
 * as written, where the class lists the capitals that count)? */
bool word_before_token(const gla_worker *w, size_t t, word_class_id class_id, bool as_written);

/* The rule kinds the relations read (relate.c), looked up once when the model is loaded
 * (relate_kinds_resolve): a look-up is a binary search of strcmp over the kinds' names, and a
 * document with triggers reads two dozen. */
typedef struct {
    const rule_kind *triggers, *gap_glue, *gap_join, *venue, *coord, *homologue, *link_line;
    const rule_kind *subject_skip, *witness, *between, *partner, *signdoc, *domains, *domain_end,
        *domain_clause, *domain_join, *domain_lead, *domain_verb, *domain_drop;
    const rule_kind *resolve, *sign_kind, *name_origin, *leader, *party_demonym, *place_named;
} relate_kinds;
void relate_kinds_resolve(const ruleset *rs, relate_kinds *k);

/* The rule kinds people.c asks, looked up once when the model is loaded (people_kinds_resolve),
 * as the relations' are, rather than by eleven binary searches for each document. */
typedef struct {
    const rule_kind *syllable, *nameshape, *personcue, *civility, *particle, *notname, *clausebreak, *before,
        *named_after, *suffix, *viet_middle;
} people_kinds;
void people_kinds_resolve(const ruleset *rs, people_kinds *k);

struct gla_model {
    wordset lexicon;        /* the compiled French lexicon (fr.lex) */
    wordset extra_words;    /* gazetteers/lexicon/words.txt additions */
    gazetteer gazetteer;    /* every gazetteers/NAME.tsv entry */
    wordset name_words;     /* single-word names of the gazetteer, for the text repair */
    wordset function_words; /* articles, prepositions, auxiliaries: cheap segments */
    wordset prefixes;       /* productive prefixes: co-, auto-, cyber- ... */
    wordset elisions;       /* d, l, qu, jusqu ... */
    wordset abbreviations;  /* M, Mme, gén, etc ... (without the final period) */
    inflection inflections[GLA_MAX_INFLECTIONS]; /* onusienne -> onusien, longest ending first */
    size_t inflection_count;
    uint64_t inflection_last_bytes[4];  /* the last bytes of the endings, as a 256-bit set */
    word_class word_classes[WC__COUNT]; /* lexicon/word_classes.txt */
    wordset person_names;   /* folded name parts, flags PN_* (people.c): evidence, not answers */
    ruleset rules;          /* every rule of gazetteers/rules/ */
    relate_kinds relate_kinds; /* the relations' kinds among them */
    people_kinds people_kinds; /* and people.c's */
    int8_t *rule_entity_type; /* per rule: the entity type its kind names, or -1 (entities.c) */
    struct anchor_spec *rule_anchor; /* per rule: its @anchor parsed, or zeros (entities.c) */
    calendar_name months[48];   /* French month names and abbreviations, from ICU */
    size_t month_count;
    calendar_name weekdays[14];
    size_t weekday_count;
    /* The first 0x300 code points map to themselves, to another code point, or to nothing under
     * NFC + lumping when no combining mark follows; precomputed from utf8proc at load. */
    int32_t latin_map[0x300];
};

bool model_is_word(const gla_model *m, const char *lower, size_t len, int *flags);
/* Is the lower-cased word a regular inflection of a common word of the lexicon (inflections.txt)? */
bool model_is_inflected_word(const gla_model *m, const char *lower, size_t len);
/* Does any rule of this kind match s[0, len)? (SYLLABLE, NAMESHAPE: shapes of names) */
bool rules_match_kind(const gla_model *m, pcre2_match_data *md, const char *kind, const char *s, size_t len);

/* ---------------------------------------------------------------- repair.c */

/* The repaired text: UTF-8 bytes, and for each byte the original byte span it comes from.
 * Inserted spaces have an empty span at the split point. */
typedef struct {
    gla_buf text;
    vec src_start; /* uint32_t per byte, while the text is repaired (see compact) */
    vec src_len;   /* uint8_t per byte: end - start, or SRC_LEN_FAR (then see far_ends) */
    vec far_ends;  /* src_far: the bytes whose span is SRC_LEN_FAR bytes or more, by byte */
    /* Once a big document is repaired (repaired_compact, extract.c), the spans are kept by
     * block of SRC_BLOCK bytes, not 5 bytes a byte: the 5 were, after the text itself, the
     * largest thing every later stage carried. Most of a text is copied from the original as it
     * was, each character from a character of the same bytes at a constant distance: such a
     * plain block keeps that distance alone (in src_base; a byte's span is its character's, in
     * the original at the distance). Another block (a space inserted, an apostrophe lumped, a
     * character composed) keeps the start of its first byte (in src_base) and a slot of
     * 2 x SRC_BLOCK bytes in src_slots: each byte its start less that (its delta), then each
     * byte its span's length as src_len has it. A block where some delta does not fit (a run of
     * removed invisible characters, a start before the base) keeps all its starts in full,
     * listed by block. Read with repaired_src_start and repaired_src_end. */
    bool compact;
    vec src_base;        /* uint32_t per block */
    vec src_slot;        /* uint32_t per block: its slot in src_slots, or SRC_PLAIN */
    vec src_slots;       /* uint8_t: SRC_BLOCK deltas (SRC_DELTA_FULL in a block kept in full),
                            then SRC_BLOCK lengths, per slot */
    vec src_full_blocks; /* uint32_t: the blocks kept in full, ascending */
    vec src_full;        /* uint32_t: their starts, SRC_BLOCK per block, in that order */
} repaired;
#define SRC_BLOCK 64
#define SRC_DELTA_FULL 255
#define SRC_PLAIN UINT32_MAX
/* A span is a code point or a cluster of the original (a few bytes) or empty: its length takes
 * one byte, not the 4 of its end. A longer one (a letter under hundreds of marks) is listed. */
#define SRC_LEN_FAR 255
typedef struct {
    uint32_t byte, end;
} src_far;
uint32_t repaired_full_start(const repaired *r, size_t b);
uint32_t repaired_far_end(const repaired *r, size_t b);
/* The first byte of the character of repaired byte b. */
static inline size_t repaired_lead(const repaired *r, size_t b) {
    const uint8_t *t = (const uint8_t *)r->text.data;
    while (b > 0 && (t[b] & 0xC0) == 0x80)
        b--;
    return b;
}
/* The bytes of the UTF-8 character whose lead byte is c. */
static inline uint32_t utf8_lead_len(uint8_t c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }
/* The start of the original span of repaired byte b. */
static inline uint32_t repaired_src_start(const repaired *r, size_t b) {
    if (!r->compact)
        return VEC_AT(&r->src_start, uint32_t, b);
    uint32_t base = VEC_AT(&r->src_base, uint32_t, b / SRC_BLOCK),
             slot = VEC_AT(&r->src_slot, uint32_t, b / SRC_BLOCK);
    if (slot == SRC_PLAIN)
        return base + (uint32_t)repaired_lead(r, b);
    uint8_t d = ((const uint8_t *)r->src_slots.items)[(size_t)slot * 2 * SRC_BLOCK + b % SRC_BLOCK];
    return d != SRC_DELTA_FULL ? base + d : repaired_full_start(r, b);
}
/* The end of the original span of repaired byte b. */
static inline uint32_t repaired_src_end(const repaired *r, size_t b) {
    uint8_t n;
    if (!r->compact) {
        n = ((const uint8_t *)r->src_len.items)[b];
    } else {
        uint32_t slot = VEC_AT(&r->src_slot, uint32_t, b / SRC_BLOCK);
        if (slot == SRC_PLAIN) {
            size_t lead = repaired_lead(r, b);
            return VEC_AT(&r->src_base, uint32_t, b / SRC_BLOCK) + (uint32_t)lead +
                   utf8_lead_len((uint8_t)r->text.data[lead]);
        }
        n = ((const uint8_t *)r->src_slots.items)[(size_t)slot * 2 * SRC_BLOCK + SRC_BLOCK + b % SRC_BLOCK];
    }
    return n != SRC_LEN_FAR ? repaired_src_start(r, b) + n : repaired_far_end(r, b);
}
/* Moves the spans to the compact form; no writer of the text may come after. false when out of
 * memory (the text is then unusable). */
bool repaired_compact(repaired *r);

typedef struct {
    gla_section_kind kind;
    size_t start, end; /* repaired byte offsets */
} section_span;

typedef struct {
    char date[11];          /* document date YYYY[-MM[-DD]] or "" */
    size_t body_start;      /* repaired bytes */
    size_t body_end;
    vec sections;           /* section_span: the body, the captions (disjoint, sorted by start),
                               then the teaser if there is one */
} doc_layout;

/* NFC, lumping of spaces/apostrophes/dashes, removal of ignorables. */
int repair_normalize(const gla_model *m, const char *src, size_t len, repaired *out);
/* Finds the date header, the body, captions and the teaser section (rules DCT, TEASER, CAPTION).
 * Fills hits with the rules' literals in the body (literal_hits_build) on the way: the captions
 * are sought near theirs. */
int repair_layout(const gla_model *m, pcre2_match_data *md, pcre2_match_context *mctx, const repaired *r,
                  doc_layout *lay, literal_hits *hits);
void repaired_init(repaired *r);
void repaired_free(repaired *r);
bool repaired_push(repaired *r, const char *bytes, size_t len, uint32_t src_start, uint32_t src_end);

/* ---------------------------------------------------------------- unglue.c */

/* A worker's memo of the verdicts on words: a table from a whole whitespace-separated chunk of
 * text (or, for chunks it does not hold, a letter run and whether an apostrophe follows) to
 * where it splits, if anywhere. Most chunks are common words that recur from article to
 * article; one probe of this table, small enough to stay in the core's cache, answers them
 * without the lexicon, whose megabytes miss the cache on every look-up. Slots are 32 bytes and
 * go by pairs, one cache line each (2-way associative); UNGLUE_CACHE_SLOTS counts two spare
 * slots so that the pairs can start on a cache line whatever the allocator returns. */
#define UNGLUE_MEMO_PAIRS 8192 /* a power of two */
#define UNGLUE_CACHE_SLOTS (2 * UNGLUE_MEMO_PAIRS + 2)
#define UNGLUE_CACHE_KEY 24
#define UNGLUE_CACHE_CUTS 5
typedef struct {
    uint8_t len;                    /* key bytes; 0: empty slot */
    uint8_t kind;                   /* what the key is (unglue.c: MEMO_CHUNK ...) */
    uint8_t ncuts;                  /* split points, byte offsets into the key */
    uint8_t cuts[UNGLUE_CACHE_CUTS];
    char key[UNGLUE_CACHE_KEY]; /* the bytes of the text, zero-padded */
} unglue_slot;

/* Copies in[from, to) to out, splitting words run together; other bytes are copied as they are.
 * cache may be NULL (no memo). */
int unglue(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, const repaired *in, size_t from,
           size_t to, repaired *out);
/* unglue of the whole of r, in r: no second copy of a text whose every byte carries its source
 * span (9 bytes a byte), which for a big document was the worker's peak. */
int unglue_in_place(const gla_model *m, pcre2_match_data *md, unglue_slot *cache, repaired *r);

/* ---------------------------------------------------------------- tokens.c */

enum { TOK_WORD = 1, TOK_NUMBER, TOK_ORDINAL, TOK_PUNCT, TOK_ELISION, TOK_ABBREV };

/* 8 bytes a token, not 12 (a document of 16 MB has some 2.7 M tokens): the length, not the end,
 * in 24 bits, and the rest in bit-fields beside it. tokenize cuts a longer word (16 M bytes
 * without a space: only pathological input, with --max-doc-size raised) into tokens of at most
 * TOKEN_MAX_LEN bytes. */
typedef struct {
    uint32_t start;              /* repaired bytes [start, start + len) */
    unsigned len : 24;           /* at most TOKEN_MAX_LEN */
    unsigned kind : 3;           /* TOK_* */
    unsigned space_after : 1;    /* a space follows */
    unsigned sentence_start : 1; /* the first token of a sentence */
} token;
_Static_assert(sizeof(token) == 8, "a token takes 8 bytes");
_Static_assert(TOK_ABBREV < 8, "a token's kind takes 3 bits");

#define TOKEN_MAX_LEN ((1u << 24) - 1)

/* The repaired byte after the token. */
static inline uint32_t token_end(const token *t) {
    return t->start + t->len;
}

/* Tokenizes text[from, to) of the repaired text, appending to tokens (vec of token). */
int tokenize(const gla_model *m, const char *text, size_t from, size_t to, vec *tokens);

/* ---------------------------------------------------------------- dates.c */

typedef struct {
    int year, month, day; /* 0 when unknown */
} civil_date;

bool parse_iso_date(const char *s, civil_date *d);
int weekday_of(int year, int month, int day); /* 1 = Monday ... 7 = Sunday */
int month_number(const gla_model *m, const char *s, size_t len);
int weekday_number(const gla_model *m, const char *s, size_t len);

/* ---------------------------------------------------------------- extract.c: results */

/* 40 bytes: the type, the priority and the flags share a word, a date's value and another's
 * country share a pointer (a big document has a mention every 25 bytes or so at its peak, and
 * sort_mentions a copy of half of them; it was 56, and 64 with padding before that). */
typedef struct {
    uint32_t start, end;     /* repaired bytes */
    int entry;               /* gazetteer entry, or -1 (a date's rule while dates.c reads it) */
    signed int type : 8;     /* gla_entity_type, GAZ_DEMONYM (internal), or DROPPED (entities.c) */
    signed int priority : 8; /* higher wins an overlap: 1 to 10 (add_mention's callers) */
    bool inferred : 1;
    bool internal : 1;       /* a building block (portfolio, demonym): not output */
    bool coordinated : 1;    /* one of the entities a coordination names, all on its words */
    const char *canonical;   /* arena, or the gazetteer's */
    const char *key;         /* arena, or NULL */
    union {                  /* read through mention_value and mention_country */
        const char *value;   /* a date's: its ISO 8601 value (arena), or NULL */
        const char *country; /* another's: the canonical country name it is tied to, or NULL */
    } tie;
} mention;
_Static_assert(sizeof(mention) == 40, "a mention in 40 bytes");

/* A date's value; NULL for any other mention. */
static inline const char *mention_value(const mention *m) {
    return m->type == GLA_ENT_DATE ? m->tie.value : NULL;
}
/* The country a mention is tied to; NULL for a date. */
static inline const char *mention_country(const mention *m) {
    return m->type == GLA_ENT_DATE ? NULL : m->tie.country;
}

/* A record sorted to group mentions by key (entities.c, people.c, relate.c, emit_triples.c). */
typedef struct {
    const char *key;
    int type;
    uint32_t index;
} keyed;

/* qsort order of keyed records by key, then index: each key's group, first record first. */
int cmp_keyed_key_index(const void *a, const void *b);
/* The first of sorted[0, n) (sorted by key) whose key is not below key: n if none. */
size_t keyed_lower_bound(const keyed *sorted, size_t n, const char *key);
/* Groups the records of w->order by type and key, in the worker's w->group_scratch: returns
 * `columns` arrays of w->order.count entries, the first holding for each record k the position
 * of the first record with its type and key (k itself for the first), the others the caller's
 * to fill. NULL when out of memory. */
uint32_t *group_order(gla_worker *w, size_t columns);

/* The callout memo of phrase rules (entities.c): the trie walk from one start byte, taken once
 * and read by every callout that asks about a span starting there. The three TITLE rules and
 * the backtracking of %words ask about the same starts over and over. Slots are direct-mapped by
 * start and belong to the document whose generation they carry. */
#define CALLOUT_MEMO_LOG2 8
#define CALLOUT_MEMO_SLOTS (1u << CALLOUT_MEMO_LOG2)
#define CALLOUT_MEMO_ATOMS 12
typedef struct {
    uint32_t gen;                         /* the walk_gen it was filled in; 0: never */
    uint8_t walked;                       /* nodes[0, walked) known, 1 at least */
    size_t start;                         /* the byte the walk starts at */
    size_t first;                         /* atom_at(start) */
    uint32_t nodes[CALLOUT_MEMO_ATOMS];   /* node after atoms [first, first + k]; 0 ends the walk */
} callout_walk;

/* Named groups of a phrase rule, looked up once per worker (the model never changes under it)
 * instead of by name on every match. */
enum { RG_M, RG_HEAD, RG_DROP, RG_DROP2, RG_COUNTRY, RG_COUNTRY2, RG_C1, RG_C2, RG__COUNT };
#define RULE_GROUPS_MAX 256 /* rules beyond are looked up by name */
typedef struct {
    bool known;
    int32_t num[RG__COUNT]; /* group number, or negative when the rule has no such group */
} rule_groups;

/* A memo of the SYLLABLE and NAMESHAPE answers on words (people.c): they depend on the word
 * alone, and names recur from article to article. 16,384 slots (400 KB a worker): with 4,096,
 * a thousand articles missed 9,100 of their 85,000 asks, mostly to collisions, against 3,000
 * (each miss runs the rules of the kind: 5 M instructions of the thousand articles). */
#define WORD_MEMO_SLOTS 16384
#define WORD_MEMO_KEY 22
typedef struct {
    uint8_t len;             /* 0: empty */
    uint8_t answer;          /* 1 + whether a rule matched */
    uint8_t kind;            /* which kind of rules answered */
    char key[WORD_MEMO_KEY];
} word_memo;

/* A run of capitalised words that may be a person's name, and what the evidence says of it
 * (people.c). */
typedef struct {
    uint32_t a, b;   /* tokens [a, b) */
    uint8_t verdict; /* people.c: RUN_NO, RUN_MAYBE, RUN_YES */
    uint8_t score;   /* the weak evidence of a RUN_MAYBE */
} name_run;

struct gla_worker {
    const gla_model *model;
    pcre2_match_data *md;
    pcre2_match_context *mctx; /* with the gazetteer callout of phrase rules (entities.c) */
    literal_hits hits;   /* where the rules' literals occur in the body */
    repaired normalized; /* after repair_normalize */
    repaired text;       /* after unglue: what every later stage reads */
    doc_layout layout;
    vec tokens;          /* token */
    vec atoms;           /* atom of the body, for the gazetteer */
    vec token_flags;     /* uint8_t per token: what the mentions say of it (people.c) */
    vec name_runs;       /* name_run: the candidate names of a document (people.c) */
    vec order;           /* scratch records sorted for grouping (key, type, index) */
    vec ent_mention;     /* uint32_t: the mention behind each public entity */
    vec relations;       /* relation */
    vec rel_args;        /* rel_arg */
    vec rel_keys;        /* uint64_t per relation: its agents as a key (relate.c, merging) */
    vec rel_order;       /* agents_slot: the relations sorted by that key */
    gla_buf atom_keys;   /* room for one chunk's keys while atomize looks their words up */
    vec mentions;        /* mention */
    vec mention_tmp;     /* mention: sort_mentions' room for merging (entities.c) */
    vec group_scratch;   /* uint32_t: group_order's columns and hash slots (entities.c) */
    vec anchor_memo;     /* uint16_t per gazetteer mention: which type anchors it answers (entities.c) */
    vec title_parts;     /* mention: copies of the rules' organisations and places by start, for a TITLE rule (entities.c) */
    size_t title_parts_upto; /* the mentions title_parts was collected from end here; SIZE_MAX: not this document's */
    vec anchor_list;     /* uint32_t: the gazetteer mentions that answer anchor_list_of (entities.c) */
    gazetteer_category anchor_list_of; /* anchor_list_known: this document's list is of this category */
    bool anchor_list_known;
    vec cp_at_byte;      /* uint32_t every 8 original bytes: code points before (extract.c) */
    vec entities;        /* gla_entity, the public view of mentions */
    vec sections;        /* gla_section */
    /* The original text, the caller's (gla_extract), not a copy: a copy was one more byte a
     * byte of a big document; the result reads it, as it reads the caller's id. */
    const char *src;
    size_t src_len;
    unglue_slot *unglue_cache; /* UNGLUE_CACHE_SLOTS entries */
    uint32_t walk_gen;   /* generation of the current document's atoms (entities.c) */
    callout_walk walks[CALLOUT_MEMO_SLOTS];
    rule_groups groups[RULE_GROUPS_MAX];
    word_memo word_memo[WORD_MEMO_SLOTS];
    uint64_t stage_ns[GLA_STAGE__COUNT];
    arena strings;
    gla_result *result;
};

/* Relations (relate.c) */
enum { REL_CO_CHAIR, REL_MEET, REL_SIGN, REL_AGREE, REL_HOLDS, REL__COUNT };
enum { ROLE_AGENTS, ROLE_EVENT, ROLE_DATE, ROLE_PLACE, ROLE_DOCUMENT, ROLE_DOMAINS, ROLE_PERSON,
       ROLE_TITLE, ROLE_ORG, ROLE_COUNTRY, ROLE_RANK, ROLE__COUNT };

typedef struct {
    int role;
    int entity;            /* index into the public entities, or -1 */
    uint32_t start, end;   /* repaired bytes */
    const char *canonical; /* arena or model; NULL: the text */
    const char *value;
    bool weak;             /* a domain guessed from verb objects: dropped if a cued one exists */
} rel_arg;

typedef struct {
    int type;
    const char *kind;      /* sign: MoU, letter_of_intent ...; else NULL */
    uint32_t ev_start, ev_end; /* evidence sentence, repaired bytes */
    size_t first_arg, arg_count;
    bool dropped;
} relation;

/* A relation's place among those sorted by their agents' key (relate.c). */
typedef struct {
    uint64_t key;
    uint32_t index;
} agents_slot;

int relate(gla_worker *w);

struct gla_result {
    gla_worker *worker;
    const char *id;
    const char *source;
    char date[11];
    size_t body_start_cp, body_end_cp;
    size_t body_start, body_end; /* repaired bytes */
};

/* Entities (entities.c): gazetteer mentions, phrase rules, then people (people.c), then
 * overlaps, canonical names and keys. */
int tag_entities(gla_worker *w, size_t from, size_t to);
/* The PCRE2 callout (?C"category") of phrase rules: the group captured last must be a
 * gazetteer form of that category, else the match backtracks. */
int gazetteer_callout(pcre2_callout_block *cb, void *worker);
int tag_people(gla_worker *w, size_t from, size_t to);
/* Frees a big document's atoms (8 bytes a word), which only the callouts of phrase rules read,
 * before what follows them adds to the worker's peak. */
void release_big_atoms(gla_worker *w);
/* Sorts mentions [first, count) by start, longer first; equal ones keep their order. */
void sort_mentions(gla_worker *w, size_t first);
/* Index of the first token ending after byte b (binary search). */
size_t token_at(const gla_worker *w, size_t b);
/* Index of the first atom, of the first mention (sorted by start), starting at or after byte b. */
size_t atom_at(const gla_worker *w, size_t b);
size_t mention_at(const mention *ms, size_t n, size_t b);
/* Appends a mention; NULL when out of memory. */
mention *add_mention(gla_worker *w, int type, size_t start, size_t end, int priority);
/* The slug of s for keys: folded, non-alphanumerics as single dashes (arena; NULL when out of
 * memory). */
char *make_key(gla_worker *w, const char *prefix, const char *s);
/* Makes every entry's key (entries of an entity type), as make_key would. */
int gazetteer_keys(gazetteer *g);
/* Fills m->rule_entity_type and m->rule_anchor once the rules are loaded. */
int entity_rule_types(gla_model *m);

/* Dates: appends DATE mentions found in text[from, to) by the DATE rules. */
int tag_dates(gla_worker *w, const char *doc_date, const char *today, size_t from, size_t to);

/* Code point offset in the original of repaired byte b (start side) and of the end of the
 * repaired byte range ending at b (end side). */
size_t orig_start_cp(const gla_worker *w, size_t b);
size_t orig_end_cp(const gla_worker *w, size_t b);

/* ---------------------------------------------------------------- emit_*.c */

/* Where a renderer may hand over the record made so far: between two items (an entity, a
 * relation, a token), once out holds RENDER_SINK_AT bytes or more, it calls take, which may
 * take out's bytes and empty it (batch.c writes them to a file), so that a big document's
 * record is never whole in memory. A renderer given no sink (NULL) builds the record whole. */
#define RENDER_SINK_AT ((size_t)1 << 20)
typedef struct {
    void (*take)(void *ctx, gla_buf *out);
    void *ctx;
} render_sink;
static inline void render_sink_check(const render_sink *sink, gla_buf *out) {
    if (sink && out->len >= RENDER_SINK_AT)
        sink->take(sink->ctx, out);
}
/* gla_render (base_iri unused) or, for GLA_FORMAT_TRIPLES, gla_render_triples, with a sink. */
int render_to_sink(const gla_result *res, gla_format format, unsigned flags, const char *base_iri,
                   gla_buf *out, const render_sink *sink);
int emit_jsonl(const gla_result *res, unsigned flags, gla_buf *out, const render_sink *sink);
int emit_conll(const gla_result *res, bool conllu, gla_buf *out, const render_sink *sink);
int emit_brat(const gla_result *res, gla_buf *out);
int emit_triples(const gla_result *res, const char *base, gla_buf *out, const render_sink *sink);
/* Whether iri may be the base of emit_triples: a scheme, then no byte that ends or breaks an IRI. */
bool iri_base_valid(const char *iri);

#endif
