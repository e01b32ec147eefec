/* Tokens and sentences over the repaired text.
 *
 * A token is a word (with its inner hyphens: vice-ministre, Vietnam-Japon, a-t-il), an elided
 * form with its apostrophe (l', d', qu', jusqu' — gazetteers/lexicon/elisions.txt), a number
 * (3,5 / 1.000), an ordinal (1er, 9e, 10e), an abbreviation with its period (M., gén., etc. —
 * gazetteers/lexicon/abbreviations.txt, and initials such as J.), or one punctuation mark.
 * A sentence ends at a line break, or at . ! ? … followed by a capital, a digit or a quote. */
#include <string.h>

#include "internal.h"

/* The code point at text[i] and its length: -1 and 0 at the end, -1 and 1 on invalid UTF-8.
 * Inline with its ASCII case first: it runs once per byte of every body. */
static inline int decode_at(const char *text, size_t i, size_t to, int32_t *cp) {
    if (i >= to) {
        *cp = -1;
        return 0;
    }
    if ((uint8_t)text[i] < 0x80) {
        *cp = (uint8_t)text[i];
        return 1;
    }
    int n = utf8_decode((const uint8_t *)text + i, to - i, cp);
    if (n < 0) {
        *cp = -1;
        return 1;
    }
    return n;
}

static inline bool is_word_cp(int32_t cp) { return cp >= 0 && (cp_is_letter(cp) || cp_is_digit(cp)); }

/* The end of the run of ASCII letters that goes on at text[j]. Eight bytes at a time: most
 * words are shorter, so one step usually finds the end. */
static inline size_t ascii_letters_end(const char *text, size_t j, size_t to) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    while (j + 8 <= to) {
        uint64_t w;
        memcpy(&w, text + j, 8);
        uint64_t l = w | 0x20 * ones; /* lower case, for letters */
        /* high bit set where 'a' <= l <= 'z' and the byte is ASCII; a carry out of a byte
         * beyond ASCII only spoils later bytes, after a non-letter already */
        uint64_t letters = (l + 0x1F * ones) & ~(l + 0x05 * ones) & ~w & high;
        if (letters != high)
            return j + (size_t)__builtin_ctzll(~letters & high) / 8; /* little-endian, as in util.c */
        j += 8;
    }
    while (j < to && (unsigned)((uint8_t)text[j] | 0x20) - 'a' < 26u)
        j++;
    return j;
}

static bool is_ordinal_suffix(const char *s, size_t len) {
    static const char *const suffixes[] = {"er", "re", "e", "ème", "eme", "è", "nd", "nde", "es", "ers", "res"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
        if (strlen(suffixes[i]) == len && !memcmp(suffixes[i], s, len))
            return true;
    return false;
}

int tokenize(const gla_model *m, const char *text, size_t from, size_t to, vec *tokens) {
    bool sentence_start = true;
    size_t i = from;
    token *prev = NULL;
    while (i < to) {
        if (text[i] == ' ') { /* most of the spaces, taken without decoding */
            if (prev)
                prev->space_after = true;
            i++;
            continue;
        }
        int32_t cp;
        int n = decode_at(text, i, to, &cp);
        if (is_space_cp(cp)) {
            if (cp == '\n')
                sentence_start = true;
            if (prev)
                prev->space_after = true;
            i += (size_t)n;
            continue;
        }
        size_t start = i;
        uint8_t kind;
        if (is_word_cp(cp)) {
            bool all_digits = true;
            size_t j = i;
            kind = TOK_WORD;
            for (;;) {
                /* the run of letters and digits; c is the code point that ends it, -1 at the end */
                int32_t c;
                for (;;) {
                    if (j < to && (uint8_t)text[j] < 0x80) { /* ASCII: no decoding */
                        unsigned b = (uint8_t)text[j];
                        if ((b | 0x20) - 'a' < 26u) { /* a run of ASCII letters */
                            all_digits = false;
                            j = ascii_letters_end(text, j + 1, to);
                            continue;
                        }
                        if (b - '0' < 10u) {
                            j++;
                            continue;
                        }
                        c = (int32_t)b;
                        break;
                    }
                    int k = decode_at(text, j, to, &c);
                    if (!is_word_cp(c))
                        break;
                    all_digits &= cp_is_digit(c);
                    j += (size_t)k;
                }
                /* only ' - , . join what follows them: the code point after c is decoded for them
                 * alone */
                if (c != '\'' && c != '-' && c != ',' && c != '.')
                    break;
                int32_t after;
                decode_at(text, j + 1, to, &after);
                if (c == '\'' && is_word_cp(after)) {
                    char lw[64];
                    int l = j - start < 40 ? utf8_lower(text + start, j - start, lw, sizeof lw) : -1;
                    if (l > 0 && wordset_find(&m->elisions, lw, (size_t)l)) {
                        j++;
                        kind = TOK_ELISION;
                        break;
                    }
                    j++;
                    all_digits = false;
                    continue;
                }
                if (c == '-' && is_word_cp(after)) {
                    j++;
                    all_digits = false;
                    continue;
                }
                if ((c == ',' || c == '.') && all_digits && cp_is_digit(after)) {
                    j++;
                    continue;
                }
                break;
            }
            if (kind != TOK_ELISION) {
                /* ordinals: 1er, 9e, 10e, XXIe is left as a word */
                size_t d = start;
                while (d < j && text[d] >= '0' && text[d] <= '9')
                    d++;
                if (all_digits)
                    kind = TOK_NUMBER;
                else if (d > start && d < j && is_ordinal_suffix(text + d, j - d))
                    kind = TOK_ORDINAL;
                else if (j < to && text[j] == '.') {
                    char lw[64];
                    int l = j - start < 40 ? utf8_lower(text + start, j - start, lw, sizeof lw) : -1;
                    int32_t first;
                    int fl = decode_at(text, start, to, &first);
                    bool initial = (size_t)fl == j - start && cp_is_upper(first);
                    if ((l > 0 && wordset_find(&m->abbreviations, lw, (size_t)l)) || initial) {
                        j++;
                        kind = TOK_ABBREV;
                    }
                }
            }
            i = j;
        } else {
            kind = TOK_PUNCT;
            i += (size_t)n;
            if (cp == '.') /* an ellipsis written as dots is one token */
                while (i < to && text[i] == '.')
                    i++;
        }
        if (tokens->count == tokens->cap && !vec_reserve(tokens, tokens->count + 1))
            return GLA_ERR_NOMEM;
        token *t = &VEC_AT(tokens, token, tokens->count++);
        *t = (token){.start = (uint32_t)start, .end = (uint32_t)i, .kind = kind, .sentence_start = sentence_start};
        sentence_start = false;
        prev = t;
        if (kind == TOK_PUNCT && (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026)) {
            /* the next token must look like the start of a sentence */
            size_t k = i;
            int32_t c = -1;
            while (k < to) {
                int kn = decode_at(text, k, to, &c);
                if (!is_space_cp(c))
                    break;
                k += (size_t)kn;
            }
            if (k >= to || cp_is_upper(c) || cp_is_digit(c) || c == '"' || c == 0xAB || c == '-')
                sentence_start = true;
        }
    }
    return GLA_OK;
}
