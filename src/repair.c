/* Text repair, stage one: Unicode NFC, lumping of the many spaces, apostrophes and dashes of
 * scraped HTML into their ASCII forms, removal of invisible characters (zero-width spaces, soft
 * hyphens, BOMs), line ends made '\n' (CRLF and a lone CR alike), and the document's layout
 * (date header, body, captions, teasers).
 *
 * Data structure: the repaired text is UTF-8 and each of its bytes records the span of original
 * bytes it came from, so that any span of the repaired text maps back to the original exactly.
 * Normalisation works cluster by cluster (a starter and its combining marks): a cluster never
 * interacts with its neighbours under NFC except for Hangul jamo sequences, which French news
 * does not carry. Code points below U+0300 followed by another such code point are looked up in
 * a table that the model precomputes from utf8proc, which keeps the common path free of calls. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "internal.h"

#define NORM_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_LUMP | UTF8PROC_IGNORE)
#define MAX_CLUSTER 32

void repaired_init(repaired *r) {
    memset(&r->text, 0, sizeof r->text);
    vec_init(&r->src_start, sizeof(uint32_t));
    vec_init(&r->src_len, sizeof(uint8_t));
    vec_init(&r->far_ends, sizeof(src_far));
    r->compact = false;
    vec_init(&r->src_base, sizeof(uint32_t));
    vec_init(&r->src_slot, sizeof(uint32_t));
    vec_init(&r->src_slots, sizeof(uint8_t));
    vec_init(&r->src_full_blocks, sizeof(uint32_t));
    vec_init(&r->src_full, sizeof(uint32_t));
}

void repaired_free(repaired *r) {
    gla_buf_free(&r->text);
    vec_free(&r->src_start);
    vec_free(&r->src_len);
    vec_free(&r->far_ends);
    vec_free(&r->src_base);
    vec_free(&r->src_slot);
    vec_free(&r->src_slots);
    vec_free(&r->src_full_blocks);
    vec_free(&r->src_full);
}

uint32_t repaired_full_start(const repaired *r, size_t b) {
    const uint32_t *blocks = r->src_full_blocks.items;
    size_t lo = 0, hi = r->src_full_blocks.count, block = b / SRC_BLOCK;
    while (hi - lo > 1) { /* the block is listed: find it */
        size_t mid = lo + (hi - lo) / 2;
        if (blocks[mid] <= block)
            lo = mid;
        else
            hi = mid;
    }
    return VEC_AT(&r->src_full, uint32_t, lo * SRC_BLOCK + b % SRC_BLOCK);
}

/* A block is plain when each of its bytes has its character's span, and that span is at one
 * distance from the character for the whole block: base is then that distance (modulo 2^32). A
 * character that starts in the block before counts with its lead byte there. */
static bool plain_block(const repaired *r, size_t from, size_t to, uint32_t *base) {
    const uint8_t *t = (const uint8_t *)r->text.data, *len = r->src_len.items;
    const uint32_t *start = r->src_start.items;
    size_t lead = repaired_lead(r, from);
    uint32_t n = utf8_lead_len(t[lead]), distance = start[from] - (uint32_t)lead;
    for (size_t i = from; i < to; i++) {
        if ((t[i] & 0xC0) != 0x80) {
            lead = i;
            n = utf8_lead_len(t[i]);
        }
        if (start[i] != distance + (uint32_t)lead || len[i] != n)
            return false;
    }
    *base = distance;
    return true;
}

/* The starts and lengths of every byte become, block by block, a distance (a plain block) or a
 * slot of deltas and lengths; then the per-byte buffers are freed. In place: slot j is written
 * over the starts' bytes [2 SRC_BLOCK j, 2 SRC_BLOCK (j + 1)), those of blocks up to its own
 * (j <= k), whose starts are read by then, so that the compact form costs no second buffer at
 * the moment the text is biggest; the buffer is then shrunk to the slots. */
bool repaired_compact(repaired *r) {
    size_t n = r->text.len, blocks = (n + SRC_BLOCK - 1) / SRC_BLOCK;
    r->src_base.count = r->src_slot.count = 0;
    r->src_full_blocks.count = r->src_full.count = 0;
    if (!vec_reserve(&r->src_base, blocks) || !vec_reserve(&r->src_slot, blocks))
        return false;
    const uint32_t *start = r->src_start.items;
    const uint8_t *len = r->src_len.items;
    uint8_t *slots = r->src_start.items;
    uint32_t *base = r->src_base.items, *slot = r->src_slot.items, used = 0;
    for (size_t k = 0; k < blocks; k++) {
        size_t from = k * SRC_BLOCK, to = from + SRC_BLOCK < n ? from + SRC_BLOCK : n;
        if (plain_block(r, from, to, &base[k])) {
            slot[k] = SRC_PLAIN;
            continue;
        }
        uint32_t block[SRC_BLOCK], b0 = start[from];
        memcpy(block, start + from, (to - from) * sizeof *block);
        bool fits = true;
        for (size_t i = 0; i < to - from; i++)
            fits &= block[i] - b0 < SRC_DELTA_FULL; /* wraps round when below the base: no fit */
        base[k] = b0;
        if (!fits) {
            uint32_t *listed = vec_push(&r->src_full_blocks);
            if (!listed || !vec_reserve(&r->src_full, r->src_full.count + SRC_BLOCK))
                return false; /* the document fails: its text is not read again */
            *listed = (uint32_t)k;
            memcpy((uint32_t *)r->src_full.items + r->src_full.count, block, (to - from) * sizeof *block);
            r->src_full.count += SRC_BLOCK;
        }
        uint8_t *d = slots + (size_t)used * 2 * SRC_BLOCK;
        memset(d, 0, 2 * SRC_BLOCK);
        for (size_t i = 0; i < to - from; i++) {
            d[i] = fits ? (uint8_t)(block[i] - b0) : SRC_DELTA_FULL;
            d[SRC_BLOCK + i] = len[from + i];
        }
        slot[k] = used++;
    }
    size_t kept = (size_t)used * 2 * SRC_BLOCK;
    uint8_t *shrunk = realloc(slots, kept ? kept : 1); /* shrinking: may only fail to move */
    vec_free(&r->src_slots);
    r->src_slots.items = shrunk ? shrunk : slots;
    r->src_slots.count = r->src_slots.cap = kept;
    r->src_start.items = NULL;
    r->src_start.count = r->src_start.cap = 0;
    r->src_base.count = r->src_slot.count = blocks;
    vec_free(&r->src_len);
    r->compact = true;
    return true;
}

uint32_t repaired_far_end(const repaired *r, size_t b) {
    const src_far *f = r->far_ends.items;
    size_t lo = 0, hi = r->far_ends.count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f[mid].byte <= b)
            lo = mid;
        else
            hi = mid;
    }
    return f[lo].end;
}

bool repaired_push(repaired *r, const char *bytes, size_t len, uint32_t src_start, uint32_t src_end) {
    if (!buf_append(&r->text, bytes, len) || !vec_reserve(&r->src_start, r->text.len) ||
        !vec_reserve(&r->src_len, r->text.len))
        return false;
    uint32_t *s = r->src_start.items;
    uint8_t *n = r->src_len.items;
    bool far = src_end - src_start >= SRC_LEN_FAR;
    for (size_t i = r->text.len - len; i < r->text.len; i++) {
        s[i] = src_start;
        n[i] = far ? SRC_LEN_FAR : (uint8_t)(src_end - src_start);
        src_far *f = far ? vec_push(&r->far_ends) : NULL;
        if (far && !f)
            return false;
        if (f)
            *f = (src_far){(uint32_t)i, src_end};
    }
    r->src_start.count = r->src_len.count = r->text.len;
    return true;
}

/* How many of the 8 bytes at s, from the first, are printable ASCII (0x20..0x7E)? */
static inline size_t printable_prefix8(const uint8_t *s) {
    uint64_t w;
    memcpy(&w, s, 8);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    /* a high bit in w, in w - 0x20 (a byte below 0x20) or in w + 1 (0x7F); a borrow or a carry
     * spoils only the bytes after the first such byte */
    uint64_t flags = (w | (w - 0x20 * ones) | (w + ones)) & highs;
    return first_flagged_byte(flags);
}

/* Appends the run from i of code points that the general path of repair_normalize leaves as they
 * are: below U+0300, mapped to themselves by map, and followed by a code point below U+0300 or
 * the end of the text (a combining mark after one makes a cluster of it). Valid two-byte UTF-8 is
 * the code points U+0080..U+02FF. Each code point is the source of its bytes: an ASCII byte its
 * own, the two bytes of a Latin letter (é) both of theirs. The run is found and copied in one
 * pass, most of it eight bytes at a time: printable_same says that map leaves all printable
 * ASCII as it is. Stores the run's end in *end (i when there is none); false when out of memory. */
static bool copy_same_run(repaired *r, const int32_t *map, bool printable_same, const uint8_t *s, size_t i,
                          size_t len, size_t *end) {
    /* the run's output is as long as its input: room for the rest of the text */
    if (!buf_reserve(&r->text, len - i) || !vec_reserve(&r->src_start, r->text.len + len - i) ||
        !vec_reserve(&r->src_len, r->text.len + len - i))
        return false;
    uint8_t *out = (uint8_t *)r->text.data;
    uint32_t *src_start = r->src_start.items;
    uint8_t *src_len = r->src_len.items;
    size_t to_out = r->text.len - i; /* input offset + to_out: its output offset (modulo SIZE_MAX + 1) */
    size_t at = i;
    int last = 0; /* the byte length of the last code point taken */
    for (;;) {
        if (printable_same && at + 8 <= len) {
            /* all eight bytes are stored, and those before the first that is not printable ASCII
             * kept: the output has room for them, as long as the input */
            size_t o = at + to_out, good = printable_prefix8(s + at);
            memcpy(out + o, s + at, 8);
            /* two loops, not one: each becomes a few vector stores, which stores interleaved
             * into two arrays that might overlap could not */
            for (size_t j = 0; j < 8; j++)
                src_start[o + j] = (uint32_t)(at + j);
            memset(src_len + o, 1, 8);
            if (good) {
                at += good;
                last = 1;
            }
            if (good == 8)
                continue;
        }
        if (at >= len)
            break;
        uint8_t b = s[at];
        size_t o = at + to_out;
        if (b < 0x80) {
            if (map[b] != b)
                break; /* a code point below U+0300 follows the run */
            out[o] = b;
            src_start[o] = (uint32_t)at;
            src_len[o] = 1;
            at++;
            last = 1;
            continue;
        }
        if (b >= 0xC2 && b <= 0xCB && at + 1 < len && (s[at + 1] & 0xC0) == 0x80) {
            int32_t cp = (int32_t)(b & 0x1F) << 6 | (s[at + 1] & 0x3F);
            if (map[cp] != cp)
                break;
            out[o] = b;
            out[o + 1] = s[at + 1];
            src_start[o] = src_start[o + 1] = (uint32_t)at;
            src_len[o] = src_len[o + 1] = 2;
            at += 2;
            last = 2;
            continue;
        }
        /* a code point from U+0300 on, or invalid UTF-8: the general path takes the one before */
        at -= (size_t)last;
        break;
    }
    r->text.len = at + to_out;
    r->text.data[r->text.len] = '\0';
    r->src_start.count = r->src_len.count = r->text.len;
    *end = at;
    return true;
}

static bool push_cp(repaired *r, int32_t cp, uint32_t src_start, uint32_t src_end) {
    uint8_t enc[4];
    int n = utf8_encode(cp, enc);
    return repaired_push(r, (const char *)enc, (size_t)n, src_start, src_end);
}

static int combining_class(int32_t cp) {
    return cp < 0x300 ? 0 : utf8proc_get_property(cp)->combining_class;
}

/* The normal form of a cluster of one code point, remembered for the rest of the text: the few
 * code points from U+0300 on that a text carries (the apostrophe ’, the letters of Vietnamese
 * names) recur, and so do the letters before them (d’, l’), each otherwise two calls of
 * utf8proc. A small table, direct-mapped by code point. */
#define LONE_FORMS 16 /* a power of two */
#define LONE_FORM_CPS 3
typedef struct {
    int32_t cp; /* -1: none */
    int count;
    int32_t form[LONE_FORM_CPS];
} lone_form;

int repair_normalize(const gla_model *m, const char *src, size_t len, repaired *out) {
    lone_form lone_forms[LONE_FORMS];
    for (size_t k = 0; k < LONE_FORMS; k++)
        lone_forms[k].cp = -1;
    out->text.len = 0;
    out->src_start.count = out->src_len.count = out->far_ends.count = 0;
    out->compact = false;
    if (!buf_reserve(&out->text, len + len / 8) || !vec_reserve(&out->src_start, len + len / 8) ||
        !vec_reserve(&out->src_len, len + len / 8))
        return GLA_ERR_NOMEM;
    const uint8_t *s = (const uint8_t *)src;
    size_t i = 0;
    int32_t cp = 0, next_cp = -1;
    int n = 0, next_n = 0;
    if (len) {
        n = utf8_decode(s, len, &cp);
        if (n < 0)
            return GLA_ERR_UTF8;
    }
    /* printable ASCII is most of the text: when the map leaves it all alone, it is taken
     * eight bytes at a time */
    bool printable_same = true;
    for (int32_t c = 0x20; c < 0x7F && printable_same; c++)
        printable_same = m->latin_map[c] == c;
    while (i < len) {
        if (cp < 0x300) {
            /* a run of code points that map to themselves, copied in one go */
            size_t run;
            if (!copy_same_run(out, m->latin_map, printable_same, s, i, len, &run))
                return GLA_ERR_NOMEM;
            if (run > i) {
                i = run;
                if (i == len)
                    break;
                n = utf8_decode(s + i, len - i, &cp); /* what follows, for the general path */
                if (n < 0)
                    return GLA_ERR_UTF8;
                continue;
            }
        }
        size_t next_i = i + (size_t)n;
        next_cp = -1;
        if (next_i < len) {
            next_n = utf8_decode(s + next_i, len - next_i, &next_cp);
            if (next_n < 0)
                return GLA_ERR_UTF8;
        }
        if (cp < 0x300 && (next_cp < 0x300)) {
            /* CRLF and a lone CR are line ends: the map makes a CR '\n', and the CR of a CRLF
             * is dropped, its LF being the line end (whose source span is the LF) */
            int32_t mapped = cp == '\r' && next_cp == '\n' ? -1 : m->latin_map[cp];
            if (mapped >= 0) {
                if (mapped < 0x80 && cp < 0x80) { /* ASCII: append one byte */
                    char c = (char)mapped;
                    if (!repaired_push(out, &c, 1, (uint32_t)i, (uint32_t)next_i))
                        return GLA_ERR_NOMEM;
                } else if (!push_cp(out, mapped, (uint32_t)i, (uint32_t)next_i)) {
                    return GLA_ERR_NOMEM;
                }
            }
            i = next_i;
            cp = next_cp;
            n = next_n;
            continue;
        }
        /* a code point with no combining mark after it, a cluster alone: its form may be known */
        bool alone = next_i >= len || combining_class(next_cp) == 0;
        lone_form *lone = alone ? &lone_forms[cp & (LONE_FORMS - 1)] : NULL;
        if (lone && lone->cp == cp) {
            for (int a = 0; a < lone->count; a++)
                if (!push_cp(out, lone->form[a], (uint32_t)i, (uint32_t)next_i))
                    return GLA_ERR_NOMEM;
            i = next_i;
            cp = next_cp;
            n = next_n;
            continue;
        }
        /* A cluster: this code point and the combining marks after it. */
        utf8proc_int32_t buf[MAX_CLUSTER * 4];
        utf8proc_ssize_t count = 0;
        size_t start = i;
        int32_t first_cp = cp;
        int last_boundclass = 0;
        for (;;) {
            utf8proc_ssize_t k = utf8proc_decompose_char(cp, buf + count, MAX_CLUSTER * 4 - count,
                                                         NORM_OPTIONS, &last_boundclass);
            if (k < 0 || count + k > MAX_CLUSTER * 4 - 4)
                break; /* absurdly long cluster: normalise what fits, copy no more into it */
            count += k;
            i = next_i;
            cp = next_cp;
            n = next_n;
            if (i >= len || combining_class(cp) == 0)
                break;
            next_i = i + (size_t)n;
            next_cp = -1;
            if (next_i < len) {
                next_n = utf8_decode(s + next_i, len - next_i, &next_cp);
                if (next_n < 0)
                    return GLA_ERR_UTF8;
            }
        }
        /* canonical ordering of the marks (insertion sort by combining class), then compose */
        for (utf8proc_ssize_t a = 1; a < count; a++) {
            utf8proc_int32_t c = buf[a];
            int cc = combining_class(c);
            utf8proc_ssize_t b = a;
            while (b > 0 && cc && combining_class(buf[b - 1]) > cc) {
                buf[b] = buf[b - 1];
                b--;
            }
            buf[b] = c;
        }
        if (count > 0)
            count = utf8proc_normalize_utf32(buf, count, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (lone && i != start && count >= 0 && count <= LONE_FORM_CPS) { /* i != start: it was taken */
            lone->cp = first_cp;
            lone->count = (int)count;
            for (utf8proc_ssize_t a = 0; a < count; a++)
                lone->form[a] = buf[a];
        }
        for (utf8proc_ssize_t a = 0; a < count; a++)
            if (!push_cp(out, buf[a], (uint32_t)start, (uint32_t)i))
                return GLA_ERR_NOMEM;
        if (i == start) { /* the cluster could not take even its first code point */
            i = next_i;
            cp = next_cp;
            n = next_n;
        }
    }
    return GLA_OK;
}

static int cmp_span_start(const void *a, const void *b) {
    const section_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The end of the line that starts at or contains at: its '\n', or len. */
static size_t line_end_at(const char *text, size_t at, size_t len) {
    const char *nl = at < len ? memchr(text + at, '\n', len - at) : NULL;
    return nl ? (size_t)(nl - text) : len;
}

static bool blank_span(const char *text, size_t s, size_t e) {
    for (size_t i = s; i < e; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
            return false;
    return true;
}

/* The start of the first line from the line start at that is not blank, or len; *end gets
 * that line's end (its '\n', or len), which finding it found. */
static size_t filled_line_from(const char *text, size_t at, size_t len, size_t *end) {
    while (at < len) {
        size_t e = line_end_at(text, at, len);
        if (!blank_span(text, at, e)) {
            *end = e;
            return at;
        }
        at = e + 1;
    }
    *end = len;
    return len;
}

/* The start of the first line from the line start at that is not blank, or len. */
static size_t next_filled_line(const char *text, size_t at, size_t len) {
    size_t end;
    return filled_line_from(text, at, len, &end);
}

/* The line [s, e) trimmed of the spaces at its end. */
static size_t trim_end(const char *text, size_t s, size_t e) {
    while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
        e--;
    return e;
}

/* Does the line [s, e) end a sentence: a period, a question or exclamation mark, an ellipsis, a
 * closing quote or parenthesis? (Typographic quotes and ellipses are lumped before layout, but a
 * text may carry the ellipsis character.) */
static bool ends_sentence(const char *text, size_t s, size_t e) {
    e = trim_end(text, s, e);
    if (e == s)
        return false;
    char c = text[e - 1];
    if (c == '.' || c == '!' || c == '?' || c == '"' || c == ')')
        return true;
    return (e - s >= 2 && !memcmp(text + e - 2, "\xC2\xBB", 2)) ||   /* » */
           (e - s >= 3 && !memcmp(text + e - 3, "\xE2\x80\xA6", 3)); /* … */
}

/* A line long enough to be a paragraph whatever its last character (texts are cut mid-word). */
#define PARAGRAPH_BYTES 200

/* The first match of the rules of a kind that starts a line in [from, to) of the text (of len
 * bytes) after the article has begun there: after a line that ends a sentence or is a paragraph
 * (a site's menu, its "La une" or share buttons above the headline end nothing). Returns the
 * start of that match's line, or to. The rules are sought from the line after the first such
 * line, the first start that can be taken; a match that starts after the best line so far (a
 * line start) cannot give an earlier one: the offset limit stops each rule's search there
 * instead of at the end of the text. */
static size_t first_line_after_article(const rule_kind *rk, const char *text, size_t len, size_t from,
                                       size_t to, pcre2_match_data *md, pcre2_match_context *mctx) {
    size_t begun = to; /* the start of the line after the first that ends a sentence or is long */
    for (size_t s = from; s < to;) {
        size_t e = line_end_at(text, s, len);
        if (ends_sentence(text, s, e) || trim_end(text, s, e) - s >= PARAGRAPH_BYTES) {
            begun = e + 1;
            break;
        }
        s = e + 1;
    }
    size_t best = to;
    for (size_t k = 0; k < rk->count && begun < best; k++) {
        if (mctx)
            pcre2_set_offset_limit(mctx, best);
        int rc = rule_exec(rk->rules[k], text, len, begun, 0, md, mctx);
        if (mctx)
            pcre2_set_offset_limit(mctx, PCRE2_UNSET);
        if (rc <= 0)
            continue;
        size_t start = pcre2_get_ovector_pointer(md)[0];
        while (start > begun && text[start - 1] != '\n')
            start--;
        if (start < best)
            best = start;
    }
    return best;
}

/* Does a CAPTION rule match in the line text[s, e) (s a line start)? Each rule is run near its
 * ~literals (the credit's word, "ảnh"), which hits indexes: a rule without them, or a line
 * hits does not cover, is searched for through the line, as on the line alone (^ and \b at its
 * start, $ at e, hold the same). */
static bool caption_line(const gla_model *m, const char *text, size_t s, size_t e, pcre2_match_data *md,
                         pcre2_match_context *mctx, const literal_hits *hits) {
    const rule_kind *captions = ruleset_kind(&m->rules, "CAPTION");
    for (size_t k = 0; k < captions->count; k++)
        if (rule_match(captions->rules[k], text, s, e, md, mctx, hits) > 0)
            return true;
    return false;
}

/* The headline of another article's teaser with nothing before it that says so: a line of
 * HEADLINE shape (a dozen words, no final punctuation) after a line that ends a sentence (or
 * after that line and a caption, the teaser's photo), followed by a line of LEAD shape, and the
 * lead by the end of the text or by another headline (after its caption, if it has one). A
 * subtitle of the article is followed by more of the article, not by another headline. Returns
 * where the teaser starts, or to. */
static size_t first_teaser_headline(const gla_model *m, const char *text, size_t len, size_t from, size_t to,
                                    pcre2_match_data *md, pcre2_match_context *mctx,
                                    const literal_hits *hits) {
    /* the two filled lines before: the start and end of the last, and whether each ends a
     * sentence (each line's end and ending found once, as the scan passes it) */
    size_t prev = SIZE_MAX, pe = 0;
    bool prev_ends = false, before_prev_ends = false, before_prev_seen = false;
    size_t e; /* the end of line s */
    for (size_t s = filled_line_from(text, from, to, &e); s < to; s = filled_line_from(text, s, to, &e)) {
        size_t te = trim_end(text, s, e);
        bool ends = ends_sentence(text, s, te);
        size_t end_at = SIZE_MAX; /* where the teaser would start, if this line is its headline */
        /* the cheap tests on the lines before first: most lines are no headline's place, and
         * the shape rules scan the whole line */
        bool after_sentence = prev != SIZE_MAX && prev_ends;
        bool after_caption = prev != SIZE_MAX && !after_sentence && before_prev_seen && before_prev_ends;
        if ((after_sentence || after_caption) && !ends &&
            rules_match_kind(m, md, "HEADLINE", text + s, te - s) &&
            !caption_line(m, text, s, te, md, mctx, hits)) {
            if (after_sentence)
                end_at = s;
            else if (caption_line(m, text, prev, trim_end(text, prev, pe), md, mctx, hits))
                end_at = prev;
        }
        if (end_at != SIZE_MAX) {
            size_t lead = next_filled_line(text, e + 1 < len ? e + 1 : len, len);
            size_t lead_e = line_end_at(text, lead, len);
            if (lead < len &&
                rules_match_kind(m, md, "LEAD", text + lead, trim_end(text, lead, lead_e) - lead)) {
                size_t next = next_filled_line(text, lead_e + 1 < len ? lead_e + 1 : len, len);
                /* a last line cut mid-sentence (texts cut by the crawler) may be the article's
                 * paragraph after a subtitle as well as a lead: it proves nothing */
                bool lead_cut = next >= len && !ends_sentence(text, lead, lead_e);
                for (int hop = 0; hop < 2 && next < len; hop++) {
                    size_t ne = trim_end(text, next, line_end_at(text, next, len));
                    if (caption_line(m, text, next, ne, md, mctx, hits)) {
                        next = next_filled_line(text, ne + 1 < len ? ne + 1 : len, len);
                        continue;
                    }
                    if (!ends_sentence(text, next, ne) &&
                        rules_match_kind(m, md, "HEADLINE", text + next, ne - next))
                        next = len;
                    break;
                }
                if (next >= len && !lead_cut)
                    return end_at;
            }
        }
        before_prev_seen = prev != SIZE_MAX;
        before_prev_ends = prev_ends;
        prev = s;
        pe = e;
        prev_ends = ends;
        s = e + 1 < to ? e + 1 : to;
    }
    return to;
}

/* Runs the layout rules over the repaired text:
 *   DCT      the first match at the start of the text gives the date (group "date", kept if it
 *            is a valid date, as opts->date must be) and the body starts after it;
 *   TEASER   the first line after the article: a related-articles section, a site's footer, a
 *            comment prompt, tags or share buttons. The body ends at the start of the line of
 *            the first match after the article has begun; everything from there is the teaser
 *            section;
 *   SIGNOFF  the agency's sign-off (- VNA, VNA/CVN): the body ends after its line, at the next
 *            line that is not blank (a rule with ~literals, the agencies' names, is tried near
 *            them alone: the literals are found before the sign-offs are sought);
 *   HEADLINE, LEAD  the shapes of another article's headline and lead: see first_teaser_headline;
 *   CAPTION  each match inside the body marks its line(s) as a caption, unless they overlap one
 *            found before; captions are listed sorted by start, after the body and before the
 *            teaser. A caption rule need only find what makes a line a caption ("ảnh 2"): with
 *            a ~literal it is then tried near that word alone, never over every line. */
int repair_layout(const gla_model *m, pcre2_match_data *md, pcre2_match_context *mctx, const repaired *r,
                  doc_layout *lay, literal_hits *hits) {
    const char *text = r->text.data ? r->text.data : "";
    size_t len = r->text.len;
    lay->date[0] = '\0';
    lay->body_start = 0;
    lay->body_end = len;
    lay->sections.count = 0;
    const rule_kind *headers = ruleset_kind(&m->rules, "DCT");
    for (size_t k = 0; k < headers->count; k++) {
        const rule *ru = headers->rules[k];
        int rc = rule_exec(ru, text, len, 0, 0, md, NULL);
        if (rc <= 0)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        PCRE2_SIZE dlen = sizeof lay->date;
        civil_date d;
        if (pcre2_substring_copy_byname(md, (PCRE2_SPTR) "date", (PCRE2_UCHAR *)lay->date, &dlen) != 0 ||
            !parse_iso_date(lay->date, &d))
            lay->date[0] = '\0'; /* no month 13: a header that is no date gives none */
        lay->body_start = ov[1];
        break;
    }
    lay->body_end = first_line_after_article(ruleset_kind(&m->rules, "TEASER"), text, len, lay->body_start,
                                             lay->body_end, md, mctx);
    /* the rules' literals, for the sign-off rules (an agency's name) and every later stage: the
     * body may yet end earlier (a sign-off, a teaser's headline), at a line start, which no
     * literal runs across (none holds a line end), and rule_match takes only the occurrences
     * before the end it is given */
    int rc = literal_hits_build(&m->rules, text, lay->body_start, lay->body_end, hits);
    if (rc != GLA_OK)
        return rc;
    const rule_kind *signoffs = ruleset_kind(&m->rules, "SIGNOFF");
    for (size_t k = 0; k < signoffs->count; k++) {
        if (rule_match(signoffs->rules[k], text, lay->body_start, lay->body_end, md, mctx, hits) <= 0)
            continue;
        size_t e = line_end_at(text, pcre2_get_ovector_pointer(md)[1], len);
        size_t after = next_filled_line(text, e < len ? e + 1 : len, len);
        if (after < lay->body_end)
            lay->body_end = after;
    }
    lay->body_end = first_teaser_headline(m, text, len, lay->body_start, lay->body_end, md, mctx, hits);
    section_span *body = vec_push(&lay->sections);
    if (!body)
        return GLA_ERR_NOMEM;
    *body = (section_span){GLA_SECTION_BODY, lay->body_start, lay->body_end};
    const rule_kind *captions = ruleset_kind(&m->rules, "CAPTION");
    for (size_t k = 0; k < captions->count; k++) {
        const rule *ru = captions->rules[k];
        /* The captions of the earlier rules are sorted and disjoint, and this rule's matches come
         * in order: a cursor finds the one caption each match may overlap, and a document of a
         * hundred thousand captions takes no quadratic time. */
        size_t at = lay->body_start, earlier = lay->sections.count, c = 1;
        while (at < lay->body_end) {
            if (rule_match(ru, text, at, lay->body_end, md, mctx, hits) <= 0)
                break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            /* the whole line(s) of the match, within the body */
            size_t start = ov[0], end = ov[1];
            while (start > lay->body_start && text[start - 1] != '\n')
                start--;
            if (start > 0 && text[start - 1] != '\n') { /* the header's line: no line of its own */
                at = end > at ? end : at + 1;
                continue;
            }
            const char *nl = memchr(text + end, '\n', lay->body_end - end);
            end = nl ? (size_t)(nl - text) : lay->body_end;
            const section_span *caps = lay->sections.items;
            while (c < earlier && caps[c].end <= start)
                c++;
            bool seen = c < earlier && caps[c].start < end;
            if (!seen && end > start) {
                section_span *cap = vec_push(&lay->sections);
                if (!cap)
                    return GLA_ERR_NOMEM;
                *cap = (section_span){GLA_SECTION_CAPTION, start, end};
            }
            at = end > at ? end : at + 1;
        }
        if (earlier > 1 && lay->sections.count > earlier)
            qsort((section_span *)lay->sections.items + 1, lay->sections.count - 1, sizeof(section_span),
                  cmp_span_start);
    }
    if (lay->body_end < len) {
        section_span *t = vec_push(&lay->sections);
        if (!t)
            return GLA_ERR_NOMEM;
        *t = (section_span){GLA_SECTION_TEASER, lay->body_end, len};
    }
    return GLA_OK;
}
