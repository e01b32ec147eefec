/* Tokens and sentences. */
#include "testutil.h"

/* Tokenizes s and returns the tokens as "tok|tok|..." with "/" before a sentence start. */
static const char *tokens_of(const char *s) {
    static char out[2048];
    vec toks;
    vec_init(&toks, sizeof(token));
    ck_assert_int_eq(tokenize(test_model, s, 0, strlen(s), &toks), GLA_OK);
    size_t o = 0;
    for (size_t i = 0; i < toks.count; i++) {
        token *t = &VEC_AT(&toks, token, i);
        if (i)
            out[o++] = t->sentence_start ? '/' : '|';
        memcpy(out + o, s + t->start, t->len);
        o += t->len;
    }
    out[o] = '\0';
    vec_free(&toks);
    return out;
}

START_TEST(elisions_and_compounds) {
    ck_assert_str_eq(tokens_of("L'armée d'aujourd'hui qu'il"), "L'|armée|d'|aujourd'hui|qu'|il");
    ck_assert_str_eq(tokens_of("jusqu'à Hanoï"), "jusqu'|à|Hanoï");
    ck_assert_str_eq(tokens_of("le vice-ministre Vietnam-Japon"), "le|vice-ministre|Vietnam-Japon");
}
END_TEST

START_TEST(numbers_and_ordinals) {
    vec toks;
    vec_init(&toks, sizeof(token));
    const char *s = "le 9e dialogue, 1er mai, 3,5 millions et 1.000 hommes";
    ck_assert_int_eq(tokenize(test_model, s, 0, strlen(s), &toks), GLA_OK);
    ck_assert_str_eq(tokens_of(s), "le|9e|dialogue|,|1er|mai|,|3,5|millions|et|1.000|hommes");
    ck_assert_int_eq(VEC_AT(&toks, token, 1).kind, TOK_ORDINAL);
    ck_assert_int_eq(VEC_AT(&toks, token, 4).kind, TOK_ORDINAL);
    ck_assert_int_eq(VEC_AT(&toks, token, 7).kind, TOK_NUMBER);
    vec_free(&toks);
}
END_TEST

START_TEST(abbreviations_do_not_end_sentences) {
    ck_assert_str_eq(tokens_of("M. Dupont et le gén. Martin, etc. sont venus. Ensuite ils"),
                     "M.|Dupont|et|le|gén.|Martin|,|etc.|sont|venus|./Ensuite|ils");
    ck_assert_str_eq(tokens_of("Il a dit... rien\nTitre suivant"), "Il|a|dit|...|rien/Titre|suivant");
    ck_assert_str_eq(tokens_of("Quoi ? Non ! Si."), "Quoi|?/Non|!/Si|.");
}
END_TEST

/* A word longer than a token's length field holds is cut into tokens of at most TOKEN_MAX_LEN
 * bytes, at the start of a code point, with no space between them. */
START_TEST(words_too_long_are_cut) {
    const size_t n = TOKEN_MAX_LEN - 1; /* "é" starts at n: a cut at TOKEN_MAX_LEN would split it */
    const char tail[] = "\xc3\xa9"
                        "bbbb fin";
    size_t len = n + sizeof tail - 1;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    memset(s, 'a', n);
    memcpy(s + n, tail, sizeof tail - 1);
    vec toks;
    vec_init(&toks, sizeof(token));
    ck_assert_int_eq(tokenize(test_model, s, 0, len, &toks), GLA_OK);
    ck_assert_uint_eq(toks.count, 3);
    const token *t = toks.items;
    ck_assert_uint_eq(t[0].start, 0);
    ck_assert_uint_eq(t[0].len, n);
    ck_assert(t[0].kind == TOK_WORD && t[0].sentence_start && !t[0].space_after);
    ck_assert_uint_eq(t[1].start, n);
    ck_assert_uint_eq(token_end(&t[1]), n + 6);
    ck_assert(t[1].kind == TOK_WORD && !t[1].sentence_start && t[1].space_after);
    ck_assert_uint_eq(t[2].start, n + 7);
    ck_assert_uint_eq(t[2].len, 3);
    vec_free(&toks);
    free(s);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("tokens");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, elisions_and_compounds);
    tcase_add_test(tc, numbers_and_ordinals);
    tcase_add_test(tc, abbreviations_do_not_end_sentences);
    tcase_add_test(tc, words_too_long_are_cut);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
