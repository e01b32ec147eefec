/* Word sets: hashing, flags, weights, the file format and its validation. */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

START_TEST(build_and_find) {
    const char *words[] = {"Japon", "défense", "aujourd'hui", "Défense"};
    uint8_t flags[] = {LEX_PROPER, LEX_COMMON, LEX_COMMON, LEX_PROPER};
    wordset ws;
    ck_assert_int_eq(wordset_build(&ws, words, flags, 4), GLA_OK);
    ck_assert_int_eq(wordset_find(&ws, "japon", 5), LEX_PROPER + 1);
    ck_assert_int_eq(wordset_find(&ws, "défense", strlen("défense")), (LEX_PROPER | LEX_COMMON) + 1);
    ck_assert_int_eq(wordset_find(&ws, "aujourd'hui", 11), LEX_COMMON + 1);
    ck_assert_int_eq(wordset_find(&ws, "Japon", 5), 0); /* keys are lower case */
    ck_assert_int_eq(wordset_find(&ws, "jap", 3), 0);
    ck_assert_int_eq(wordset_find(&ws, "", 0), 0);
    /* a hash grown byte by byte is the same hash; the lengths absent from the set are misses */
    uint32_t h = WORDSET_HASH_INIT;
    for (const char *p = "japon"; *p; p++)
        h = wordset_hash_byte(h, (uint8_t)*p);
    ck_assert_uint_eq(h, wordset_hash("japon", 5));
    ck_assert_int_eq(wordset_find_hashed(&ws, "japon", 5, h), LEX_PROPER + 1);
    ck_assert_int_eq(wordset_find(&ws, "japonaise", 9), 0);
    ck_assert_uint_eq(ws.len_mask, (1u << 5) | (1u << strlen("défense")) | (1u << 11));
    wordset_free(&ws);
}
END_TEST

START_TEST(save_load_roundtrip) {
    const char *words[] = {"mer", "orientale", "œuvre"};
    wordset ws, back;
    ck_assert_int_eq(wordset_build(&ws, words, NULL, 3), GLA_OK);
    char path[] = "/tmp/gla_lexXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(wordset_save(&ws, path), GLA_OK);
    char why[256];
    ck_assert_int_eq(wordset_load(&back, path, why, sizeof why), GLA_OK);
    ck_assert_int_ne(wordset_find(&back, "orientale", 9), 0);
    ck_assert_int_ne(wordset_find(&back, "oeuvre", 6), 0); /* ligature spelt out */
    ck_assert_int_eq(wordset_find(&back, "terre", 5), 0);
    wordset_free(&back);
    wordset_free(&ws);
    /* a corrupt file is refused with a reason */
    FILE *f = fopen(path, "wb");
    fputs("GLALEX01 garbage", f);
    fclose(f);
    ck_assert_int_eq(wordset_load(&back, path, why, sizeof why), GLA_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(why, path));
    unlink(path);
    ck_assert_int_eq(wordset_load(&back, path, why, sizeof why), GLA_ERR_IO);
}
END_TEST

START_TEST(list_with_weights) {
    char path[] = "/tmp/gla_listXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *text = "# comment\nde\nes 25\n\n  la  \n";
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    wordset ws;
    char why[256];
    ck_assert_int_eq(wordset_load_list(&ws, path, why, sizeof why), GLA_OK);
    ck_assert_int_eq(wordset_find(&ws, "de", 2), 1);
    ck_assert_int_eq(wordset_find(&ws, "es", 2), 26);
    ck_assert_int_eq(wordset_find(&ws, "la", 2), 1);
    ck_assert_int_eq(wordset_find(&ws, "# comment", 9), 0);
    wordset_free(&ws);
    unlink(path);
}
END_TEST

START_TEST(compiled_lexicon_is_french) {
    /* the model's lexicon is the Debian list: common forms present, glued forms absent */
    test_setup();
    ck_assert(model_is_word(test_model, "entretenus", 10, NULL));
    ck_assert(model_is_word(test_model, "ladite", 6, NULL));
    ck_assert(!model_is_word(test_model, "surla", 5, NULL));
    int flags;
    ck_assert(model_is_word(test_model, "vietnam", 7, &flags)); /* from the gazetteers */
    ck_assert(flags & LEX_PROPER);
    test_teardown();
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("lexicon");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, build_and_find);
    tcase_add_test(tc, save_load_roundtrip);
    tcase_add_test(tc, list_with_weights);
    tcase_add_test(tc, compiled_lexicon_is_french);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
