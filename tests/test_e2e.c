/* End to end over corpus/ against the gold annotations copied into tests/gold: the body's end,
 * every run-together word repaired and every real word kept, dates and their values, and exact
 * offsets for every entity. (The full referee figures are the eval_matches_referee test's.) */
#include <dirent.h>
#include <jansson.h>

#include "testutil.h"

#ifndef GLA_SOURCE_DIR
#define GLA_SOURCE_DIR "."
#endif

/* s with typographic apostrophes unified, as the repaired text writes them */
static void unify(const char *s, char *out, size_t size) {
    size_t o = 0;
    for (const char *p = s; *p && o + 4 < size; p++) {
        if (!strncmp(p, "\xE2\x80\x99", 3)) {
            out[o++] = '\'';
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static bool has_word(const char *text, const char *w) {
    size_t n = strlen(w);
    for (const char *p = text; (p = strstr(p, w)); p++) {
        bool left = p == text || strchr(" \n\t'(\"-", p[-1]);
        bool right = !p[n] || strchr(" \n\t.,;:!?)\"-'", p[n]);
        if (left && right)
            return true;
    }
    return false;
}

static size_t cp_len(const char *s, size_t bytes) {
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        n += ((uint8_t)s[i] & 0xC0) != 0x80;
    return n;
}

START_TEST(corpus_against_gold) {
    DIR *d = opendir(GLA_SOURCE_DIR "/tests/gold");
    ck_assert_ptr_nonnull(d);
    int docs = 0, glued = 0, dates = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 5, ".json"))
            continue;
        char path[1024], id[256];
        snprintf(id, sizeof id, "%.*s", (int)(nl - 5), e->d_name);
        snprintf(path, sizeof path, "%s/tests/gold/%s", GLA_SOURCE_DIR, e->d_name);
        json_error_t jerr;
        json_t *gold = json_load_file(path, 0, &jerr);
        ck_assert_msg(gold != NULL, "%s: %s", path, jerr.text);
        snprintf(path, sizeof path, "%s/corpus/%s.txt", GLA_SOURCE_DIR, id);
        size_t len;
        char *raw = NULL;
        ck_assert_int_eq(read_file(path, 0, &raw, &len), GLA_OK);
        gla_doc_opts o = {.id = id, .today = "2026-11-23"};
        const gla_result *res;
        ck_assert_int_eq(gla_extract(test_worker, raw, len, &o, &res), GLA_OK);
        docs++;

        /* the body ends where the gold says (the body_end line), within two code points */
        size_t start, end;
        gla_result_body(res, &start, &end);
        const char *body_end = json_string_value(json_object_get(gold, "body_end"));
        size_t expect = cp_len(raw, len);
        if (body_end) {
            const char *at = strstr(raw, body_end);
            ck_assert_ptr_nonnull(at);
            expect = cp_len(raw, (size_t)(at - raw));
        }
        ck_assert_msg(end + 2 >= expect && end <= expect + 2, "%s: body ends at %zu, gold %zu", id, end, expect);

        size_t tlen;
        const char *t = gla_result_repaired(res, &tlen);
        char *text = strndup(t, tlen);
        json_t *item;
        size_t i;
        json_array_foreach(json_object_get(gold, "glued"), i, item) {
            char fixed[256];
            unify(json_string_value(json_object_get(item, "fixed")), fixed, sizeof fixed);
            ck_assert_msg(strstr(text, fixed), "%s: \"%s\" not repaired", id,
                          json_string_value(json_object_get(item, "raw")));
            glued++;
        }
        json_array_foreach(json_object_get(gold, "not_glued"), i, item)
            ck_assert_msg(has_word(text, json_string_value(item)), "%s: \"%s\" was split", id,
                          json_string_value(item));

        /* every gold date is found, with its value */
        json_array_foreach(json_object_get(gold, "dates"), i, item) {
            char gtext[256];
            unify(json_string_value(json_object_get(item, "text")), gtext, sizeof gtext);
            const char *gvalue = json_string_value(json_object_get(item, "value"));
            bool found = false;
            for (size_t k = 0; k < gla_result_entity_count(res) && !found; k++) {
                const gla_entity *ent = gla_result_entity(res, k);
                char etext[256];
                unify(ent->text, etext, sizeof etext);
                if (ent->type != GLA_ENT_DATE || !strcasestr(gtext, etext))
                    continue;
                found = gvalue ? ent->value && !strcmp(ent->value, gvalue) : true;
            }
            ck_assert_msg(found, "%s: date \"%s\" (%s) not found", id, gtext, gvalue ? gvalue : "null");
            dates++;
        }

        /* offsets: original[start:end] == text, in code points */
        for (size_t k = 0; k < gla_result_entity_count(res); k++) {
            const gla_entity *ent = gla_result_entity(res, k);
            size_t b = 0, cp = 0;
            while (cp < ent->start) {
                b++;
                while (((uint8_t)raw[b] & 0xC0) == 0x80)
                    b++;
                cp++;
            }
            ck_assert_int_eq(strncmp(raw + b, ent->text, strlen(ent->text)), 0);
            ck_assert_uint_eq(cp_len(ent->text, strlen(ent->text)), ent->end - ent->start);
        }
        free(text);
        free(raw);
        json_decref(gold);
    }
    closedir(d);
    ck_assert_int_eq(docs, 5);
    ck_assert_int_eq(glued, 81);
    ck_assert_int_eq(dates, 13);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("e2e");
    TCase *tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, corpus_against_gold);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
