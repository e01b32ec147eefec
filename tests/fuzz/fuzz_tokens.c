/* Fuzz target: the tokenizer, on the repaired text of arbitrary bytes (repaired as gla_extract
 * does; bytes it turns away stop here), over the body and over the whole text. Invariants:
 *   - tokens are non-empty, in order, disjoint, inside the range, on code point boundaries;
 *   - only white space lies between tokens, and space_after says whether some does;
 *   - the first token starts a sentence. */
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    GLA_UNUSED(argc);
    GLA_UNUSED(argv);
    fuzz_load_model();
    return 0;
}

static bool space_at(const char *text, size_t i, size_t to, size_t *next) {
    int32_t cp;
    int n = utf8_decode((const uint8_t *)text + i, to - i, &cp);
    FUZZ_CHECK(n > 0);
    *next = i + (size_t)n;
    return is_space_cp(cp);
}

static void check_tokens(const gla_model *m, const char *text, size_t len, size_t from, size_t to,
                         vec *tokens) {
    tokens->count = 0;
    FUZZ_CHECK(tokenize(m, text, from, to, tokens) == GLA_OK);
    const token *t = tokens->items;
    size_t at = from;
    for (size_t i = 0; i < tokens->count; i++) {
        FUZZ_CHECK(t[i].kind >= TOK_WORD && t[i].kind <= TOK_ABBREV);
        FUZZ_CHECK(at <= t[i].start && t[i].start < token_end(&t[i]) && token_end(&t[i]) <= to);
        FUZZ_CHECK(fuzz_on_boundary(text, len, t[i].start) && fuzz_on_boundary(text, len, token_end(&t[i])));
        for (size_t next; at < t[i].start; at = next)
            FUZZ_CHECK(space_at(text, at, to, &next));
        size_t next;
        FUZZ_CHECK(!space_at(text, t[i].start, to, &next));
        FUZZ_CHECK(t[i].space_after ==
                   (token_end(&t[i]) < to && space_at(text, token_end(&t[i]), to, &next)));
        at = token_end(&t[i]);
    }
    for (size_t next; at < to; at = next)
        FUZZ_CHECK(space_at(text, at, to, &next));
    FUZZ_CHECK(tokens->count == 0 || t[0].sentence_start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gla_worker *w = fuzz_worker;
    const gla_model *m = w->model;
    if (!fuzz_acceptable(data, size))
        return 0;
    FUZZ_CHECK(repair_normalize(m, (const char *)data, size, &w->normalized) == GLA_OK);
    FUZZ_CHECK(unglue(m, w->md, w->unglue_cache, &w->normalized, 0, w->normalized.text.len, &w->text) ==
               GLA_OK);
    FUZZ_CHECK(buf_reserve(&w->text.text, 0));
    FUZZ_CHECK(repair_layout(m, w->md, w->mctx, &w->text, &w->layout, &w->hits) == GLA_OK);
    const char *text = w->text.text.data;
    size_t len = w->text.text.len;
    check_tokens(m, text, len, w->layout.body_start, w->layout.body_end, &w->tokens);
    check_tokens(m, text, len, 0, len, &w->tokens);
    return 0;
}
