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
        memcpy(out + o, s + t->start, t->end - t->start);
        o += t->end - t->start;
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

static Suite *suite(void) {
    Suite *s = suite_create("tokens");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, elisions_and_compounds);
    tcase_add_test(tc, numbers_and_ordinals);
    tcase_add_test(tc, abbreviations_do_not_end_sentences);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
