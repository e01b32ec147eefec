/* Helpers shared by the Check suites: one model per test binary, extraction in one call. */
#ifndef GLA_TESTUTIL_H
#define GLA_TESTUTIL_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static gla_model *test_model;
static gla_worker *test_worker;

static void test_setup(void) {
    char why[512];
    int rc = gla_model_load(NULL, &test_model, why, sizeof why);
    ck_assert_msg(rc == GLA_OK, "model: %s", why);
    test_worker = gla_worker_new(test_model);
    ck_assert_ptr_nonnull(test_worker);
}

static void test_teardown(void) {
    gla_worker_free(test_worker);
    gla_model_free(test_model);
    test_worker = NULL;
    test_model = NULL;
}

/* Extracts s with an optional reference date and a fixed "today"; fails the test on error. */
__attribute__((unused)) static const gla_result *extract_text(const char *s, const char *date) {
    gla_doc_opts o = {.id = "t", .date = date, .today = "2026-11-23"};
    const gla_result *res = NULL;
    int rc = gla_extract(test_worker, s, strlen(s), &o, &res);
    ck_assert_msg(rc == GLA_OK, "gla_extract: %s", gla_strerror(rc));
    return res;
}

/* The repaired body of s as a NUL-terminated string (static buffer). */
__attribute__((unused)) static const char *repaired_of(const char *s) {
    static char out[4096];
    size_t len;
    const char *t = gla_result_repaired(extract_text(s, NULL), &len);
    ck_assert_uint_lt(len, sizeof out);
    memcpy(out, t, len);
    out[len] = '\0';
    return out;
}

/* The first entity of a type, or NULL. */
__attribute__((unused)) static const gla_entity *first_of(const gla_result *res, gla_entity_type type) {
    for (size_t i = 0; i < gla_result_entity_count(res); i++)
        if (gla_result_entity(res, i)->type == type)
            return gla_result_entity(res, i);
    return NULL;
}

/* How many entities of a type. */
__attribute__((unused)) static size_t count_of(const gla_result *res, gla_entity_type type) {
    size_t n = 0;
    for (size_t i = 0; i < gla_result_entity_count(res); i++)
        n += gla_result_entity(res, i)->type == type;
    return n;
}

/* How many sections of a kind. */
__attribute__((unused)) static size_t sections_of(const gla_result *res, gla_section_kind kind) {
    size_t n = 0;
    for (size_t i = 0; i < gla_result_section_count(res); i++)
        n += gla_result_section(res, i)->kind == kind;
    return n;
}

/* Code points in the first `bytes` bytes of s. */
__attribute__((unused)) static size_t cps(const char *s, size_t bytes) {
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

#define RUN_SUITE(make_suite)                                                                      \
    int main(void) {                                                                               \
        SRunner *sr = srunner_create(make_suite());                                               \
        srunner_run_all(sr, CK_NORMAL);                                                            \
        int failed = srunner_ntests_failed(sr);                                                    \
        srunner_free(sr);                                                                          \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                               \
    }

#endif
