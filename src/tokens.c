/* Tokens and sentences over the repaired text.
 *
 * A token is a word (with its inner hyphens: vice-ministre, Vietnam-Japon, a-t-il), an elided
 * form with its apostrophe (l', d', qu', jusqu' — gazetteers/lexicon/elisions.txt), a number
 * (3,5 / 1.000), an ordinal (1er, 9e, 10e), an abbreviation with its period (M., gén., etc. —
 * gazetteers/lexicon/abbreviations.txt, and initials such as J.), or one punctuation mark.
 * A sentence ends at a line break, or at . ! ? … followed by a capital, a digit or a quote. */
#include <string.h>

#include "internal.h"

/* The code point at text[i] and its length: -1 and 0 at the end, -1 and 1 on invalid UTF-8. */
static inline int decode_at(const char *text, size_t i, size_t to, int32_t *cp) {
    if (i >= to) {
        *cp = -1;
        return 0;
    }
    int n = utf8_decode((const uint8_t *)text + i, to - i, cp);
    if (n < 0) {
        *cp = -1;
        return 1;
    }
    return n;
}

/* The end of the run of ASCII letters that goes on at text[j]. Eight bytes at a time: most
 * words are shorter, so one step usually finds the end. */
static inline size_t ascii_letters_end(const char *text, size_t j, size_t to) {
    while (j + 8 <= to) {
        uint64_t w;
        memcpy(&w, text + j, 8);
        uint64_t stop = ~ascii_letters8(w) & 0x8080808080808080u; /* bytes that end the run */
        if (stop)
            return j + first_flagged_byte(stop);
        j += 8;
    }
    while (j < to && (unsigned)((uint8_t)text[j] | 0x20) - 'a' < 26u)
        j++;
    return j;
}

/* What the tokenizer asks of an ASCII byte, in one load: the classes of is_space_cp, cp_is_letter
 * and cp_is_digit; the marks that join what follows them into a word (' -) or a number (, .);
 * the period, which may also end an abbreviation; and the lead bytes beyond ASCII, decoded. */
enum {
    BYTE_SPACE = 1,
    BYTE_LETTER = 2,
    BYTE_DIGIT = 4,
    BYTE_JOIN = 8,
    BYTE_DECIMAL = 16,
    BYTE_PERIOD = 32,
    BYTE_HIGH = 64,
};
#define BYTE_CLASS(b)                                                                                        \
    ((b) >= 0x80                                  ? BYTE_HIGH                                                \
     : (b) == ' ' || ((b) >= '\t' && (b) <= '\r') ? BYTE_SPACE                                               \
     : ((b) | 0x20) >= 'a' && ((b) | 0x20) <= 'z' ? BYTE_LETTER                                              \
     : (b) >= '0' && (b) <= '9'                   ? BYTE_DIGIT                                               \
     : (b) == '\'' || (b) == '-'                  ? BYTE_JOIN                                                \
     : (b) == ','                                 ? BYTE_DECIMAL                                             \
     : (b) == '.'                                 ? BYTE_DECIMAL | BYTE_PERIOD                               \
                                                  : 0)
#define BYTE_CLASS4(b) BYTE_CLASS(b), BYTE_CLASS((b) + 1), BYTE_CLASS((b) + 2), BYTE_CLASS((b) + 3)
#define BYTE_CLASS16(b) BYTE_CLASS4(b), BYTE_CLASS4((b) + 4), BYTE_CLASS4((b) + 8), BYTE_CLASS4((b) + 12)
#define BYTE_CLASS64(b)                                                                                      \
    BYTE_CLASS16(b), BYTE_CLASS16((b) + 16), BYTE_CLASS16((b) + 32), BYTE_CLASS16((b) + 48)
static const uint8_t byte_class[256] = {BYTE_CLASS64(0), BYTE_CLASS64(64), BYTE_CLASS64(128),
                                        BYTE_CLASS64(192)};


/* The end of the word that starts at text[start] and whose run of letters and digits goes on at
 * text[j] (all_digits: so far), and its kind: the general case, which decodes what is beyond
 * ASCII and joins runs across ' - , . */
static size_t word_end(const gla_model *m, const char *text, size_t start, size_t j, size_t to,
                       bool all_digits, uint8_t *kind_out) {
    uint8_t kind = TOK_WORD;
    for (;;) {
        /* the run of letters and digits; c is the code point that ends it, -1 at the end */
        int32_t c;
        for (;;) {
            if (j < to && (uint8_t)text[j] < 0x80) { /* ASCII: no decoding */
                unsigned b = (uint8_t)text[j];
                if (byte_class[b] & BYTE_LETTER) {
                    all_digits = false;
                    j = ascii_letters_end(text, j + 1, to);
                    continue;
                }
                if (byte_class[b] & BYTE_DIGIT) {
                    j++;
                    continue;
                }
                c = (int32_t)b;
                break;
            }
            int k = decode_at(text, j, to, &c);
            if (!cp_is_alnum(c))
                break;
            all_digits &= cp_is_digit(c);
            j += (size_t)k;
        }
        /* only ' - , . join what follows them: the code point after c is decoded for them alone */
        if (c < 0 || c >= 0x80 || !(byte_class[c] & (BYTE_JOIN | BYTE_DECIMAL)))
            break;
        int32_t after;
        decode_at(text, j + 1, to, &after);
        if (c == '\'' && cp_is_alnum(after)) {
            char lw[64];
            int l = j - start < 40 ? utf8_lower(text + start, j - start, lw, sizeof lw) : -1;
            if (l > 0 && wordset_find(&m->elisions, lw, (size_t)l)) {
                *kind_out = TOK_ELISION;
                return j + 1;
            }
            j++;
            all_digits = false;
            continue;
        }
        if (c == '-' && cp_is_alnum(after)) {
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
    /* ordinals: 1er, 9e, 10e, XXIe is left as a word */
    size_t d = start;
    while (d < j && text[d] >= '0' && text[d] <= '9')
        d++;
    if (all_digits)
        kind = TOK_NUMBER;
    else if (d > start && d < j && word_class_has(&m->word_classes[WC_ORDINAL_SUFFIX], text + d, j - d))
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
    *kind_out = kind;
    return j;
}

/* A token holds at most TOKEN_MAX_LEN bytes (its length takes 24 bits, which keeps it at 8
 * bytes): a longer one, which only pathological input makes (a word of 16 M letters, with
 * --max-doc-size raised), is cut into tokens of that many bytes at most, each cut at the start of a
 * code point, with no space between them. Appends all of text[*start, end) but the last piece, and
 * moves *start to it. */
static int cut_long_token(const char *text, size_t *start, size_t end, uint8_t kind, bool sentence_start,
                          vec *tokens) {
    size_t s = *start;
    while (end - s > TOKEN_MAX_LEN) {
        size_t cut = s + TOKEN_MAX_LEN;
        while (cut > s + 1 && ((uint8_t)text[cut] & 0xC0) == 0x80)
            cut--;
        token *t = vec_push(tokens); /* zeroed: no space after */
        if (!t)
            return GLA_ERR_NOMEM;
        t->start = (uint32_t)s;
        t->len = (uint32_t)(cut - s);
        t->kind = kind;
        t->sentence_start = sentence_start;
        sentence_start = false;
        s = cut;
    }
    *start = s;
    return GLA_OK;
}

int tokenize(const gla_model *m, const char *text, size_t from, size_t to, vec *tokens) {
    /* the vector in locals: the stores of tokens would otherwise make the compiler reload it */
    token *items = tokens->items;
    size_t count = tokens->count, cap = tokens->cap;
    const size_t first = count; /* the tokens before are another call's: spaces leave them be */
    bool sentence_start = true;
    size_t i = from;
    while (i < to) {
        unsigned b = (uint8_t)text[i];
        unsigned cls = byte_class[b];
        int32_t cp = (int32_t)b;
        int n = 1;
        if (cls & BYTE_HIGH) {
            n = decode_at(text, i, to, &cp);
            cls = is_space_cp(cp) ? BYTE_SPACE : cp_is_alnum(cp) ? BYTE_LETTER : 0; /* digits are ASCII */
        }
        if (cls & BYTE_SPACE) {
            if (cp == '\n')
                sentence_start = true;
            if (count > first)
                items[count - 1].space_after = true;
            i += (size_t)n;
            continue;
        }
        size_t start = i;
        uint8_t kind;
        if (cls & BYTE_LETTER) {
            /* most words: letters up to a space or a mark that can neither join them to more nor
             * make them an abbreviation (a comma joins only digits): plain words. The others
             * take the general way, from where the letters end. */
            size_t j = i + (size_t)n;
            for (;;) {
                j = ascii_letters_end(text, j, to);
                int32_t c;
                int k = j < to && (uint8_t)text[j] >= 0x80 ? decode_at(text, j, to, &c) : 0;
                if (!k || !cp_is_alnum(c))
                    break;
                j += (size_t)k; /* a letter beyond ASCII (digits are ASCII) */
            }
            if (j < to && (byte_class[(uint8_t)text[j]] & (BYTE_DIGIT | BYTE_JOIN | BYTE_PERIOD))) {
                i = word_end(m, text, start, j, to, false, &kind);
            } else {
                kind = TOK_WORD;
                i = j;
            }
        } else if (cls & BYTE_DIGIT) {
            i = word_end(m, text, start, i, to, true, &kind);
        } else {
            kind = TOK_PUNCT;
            i += (size_t)n;
            if (cp == '.') /* an ellipsis written as dots is one token */
                while (i < to && text[i] == '.')
                    i++;
        }
        if (i - start > TOKEN_MAX_LEN) { /* pathological: see cut_long_token */
            tokens->count = count;
            if (cut_long_token(text, &start, i, kind, sentence_start, tokens) != GLA_OK)
                return GLA_ERR_NOMEM;
            sentence_start = false;
            items = tokens->items;
            count = tokens->count;
            cap = tokens->cap;
        }
        if (count == cap) {
            tokens->count = count;
            if (!vec_reserve(tokens, count + 1))
                return GLA_ERR_NOMEM;
            items = tokens->items;
            cap = tokens->cap;
        }
        /* the space that usually follows is taken here, which saves it a turn of the loop */
        bool space = i < to && text[i] == ' ';
        items[count++] = (token){.start = (uint32_t)start,
                                 .len = (uint32_t)(i - start),
                                 .kind = kind,
                                 .space_after = space,
                                 .sentence_start = sentence_start};
        i += space;
        sentence_start = false;
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
    tokens->count = count;
    return GLA_OK;
}
