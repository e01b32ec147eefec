/* Dates: what the DATE rules find and the values resolved against the reference date. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static void expect_date(const char *text, const char *date, const char *found, const char *value,
                        bool inferred) {
    const gla_result *res = extract_text(text, date);
    const gla_entity *d = first_of(res, GLA_ENT_DATE);
    ck_assert_msg(d != NULL, "no date in \"%s\"", text);
    ck_assert_str_eq(d->text, found);
    if (value)
        ck_assert_msg(d->value && !strcmp(d->value, value), "\"%s\": value %s, expected %s", text,
                      d->value ? d->value : "null", value);
    else
        ck_assert_msg(d->value == NULL, "\"%s\": value %s, expected null", text, d->value);
    ck_assert_int_eq(d->inferred, inferred);
}

START_TEST(calendar) {
    civil_date d;
    ck_assert(parse_iso_date("2024-02", &d) && d.year == 2024 && d.month == 2 && d.day == 0);
    ck_assert(parse_iso_date("2025-12-04", &d) && d.day == 4);
    ck_assert(!parse_iso_date("2025-13-01", &d));
    ck_assert(!parse_iso_date("hier", &d));
    ck_assert_int_eq(weekday_of(2023, 3, 13), 1); /* a Monday */
    ck_assert_int_eq(weekday_of(2024, 2, 29), 4);
    ck_assert_int_eq(month_number(test_model, "février", strlen("février")), 2);
    ck_assert_int_eq(month_number(test_model, "fevrier", 7), 2);
    ck_assert_int_eq(month_number(test_model, "Août", strlen("Août")), 8);
    ck_assert_int_eq(weekday_number(test_model, "dimanche", 8), 7);
}
END_TEST

START_TEST(values_against_the_reference_date) {
    expect_date("Ils se sont réunis mardi 27 février à Hanoï.", "2024-02", "mardi 27 février", "2024-02-27", false);
    expect_date("La visite s'achèvera le 28 octobre.", "2011-10-24", "28 octobre", "2011-10-28", false);
    expect_date("Les pourparlers du 2 janvier ont abouti.", "2025-12-30", "2 janvier", "2026-01-02", false);
    expect_date("lors de sa visite en novembre 2023 au Japon", NULL, "novembre 2023", "2023-11", false);
    expect_date("Il sera en Russie du 22 au 25 mars 2026.", NULL, "du 22 au 25 mars 2026",
                "2026-03-22/2026-03-25", false);
    expect_date("du 30 décembre 2025 au 2 janvier 2026", NULL, "du 30 décembre 2025 au 2 janvier 2026",
                "2025-12-30/2026-01-02", false);
    expect_date("le traité de 1982 reste en vigueur", NULL, "1982", "1982", false);
    expect_date("signé le 11/03/2011 à Tokyo", NULL, "11/03/2011", "2011-03-11", false);
}
END_TEST

START_TEST(weekday_inference_without_a_reference) {
    /* 13 March fell on a Monday in 2023, the latest such year before 2026-11-23 */
    expect_date("Ils ont coprésidé lundi 13 mars à Tokyo.", NULL, "lundi 13 mars", "2023-03-13", true);
    /* a later day-month takes the inferred year */
    const gla_result *res = extract_text("Réunion lundi 13 mars. Photo du 14 mars.", NULL);
    ck_assert_str_eq(gla_result_entity(res, 1)->value, "2023-03-14");
    ck_assert(!gla_result_entity(res, 1)->inferred);
}
END_TEST

START_TEST(no_year_is_invented) {
    expect_date("Ils se sont entretenus à Tokyo le 4 mars.", NULL, "4 mars", NULL, false);
    expect_date("Ils se sont entretenus lundi à Tokyo.", NULL, "lundi", NULL, false);
    const gla_result *res = extract_text("Il commande 2000 soldats et 1500 véhicules.", NULL);
    ck_assert_ptr_null(first_of(res, GLA_ENT_DATE));
}
END_TEST

START_TEST(relative_days) {
    const gla_result *res = extract_text("Signé le 11 mars 2011 à Tokyo. Le même jour, il a vu Noda.", NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_DATE), 2);
    const gla_entity *same = NULL;
    for (size_t i = 0; i < gla_result_entity_count(res); i++)
        if (gla_result_entity(res, i)->type == GLA_ENT_DATE)
            same = gla_result_entity(res, i);
    ck_assert_str_eq(same->text, "Le même jour");
    ck_assert_str_eq(same->value, "2011-03-11");
    /* counted from the reference date */
    expect_date("Ils s'étaient vus en novembre dernier à Canberra.", "2025-06-12", "novembre dernier", "2024-11", false);
    expect_date("Elle aura lieu en mars prochain.", "2025-06-12", "mars prochain", "2026-03", false);
    expect_date("Comme l'an dernier, les patrouilles continuent.", "2025-08-22", "l'an dernier", "2024", false);
    expect_date("pour la période 2025-2030", NULL, "2025-2030", "2025/2030", false);
    /* a bare weekday before a day-precise document date: the last such day */
    expect_date("Il est arrivé lundi à Paris.", "2025-12-04", "lundi", "2025-12-01", false);
}
END_TEST

/* Years alone in their context, and the numbers that are not years. */
/* aujourd'hui, hier, demain: the document's own day, moved; a week around the reference day. */
START_TEST(today_and_weeks) {
    expect_date("Le sommet se termine aujourd'hui à Johannesbourg.", "2018-07-27", "aujourd'hui", "2018-07-27",
                false);
    expect_date("Il est arrivé hier à Hanoï.", "2024-03-01", "hier", "2024-02-29", false);
    expect_date("Le sommet se termine aujourd'hui à Johannesbourg.", NULL, "aujourd'hui", NULL, false);
    expect_date("Le dialogue se tiendra cette semaine à Ottawa.", "2024-06-18", "cette semaine",
                "2024-06-17/2024-06-23", false);
    expect_date("Il s'y rendra la semaine prochaine.", "2024-06-23", "la semaine prochaine",
                "2024-06-24/2024-06-30", false);
}
END_TEST

START_TEST(years_alone) {
    expect_date("les objectifs fixés pour 2019 entre les deux ministères", NULL, "2019", "2019", false);
    expect_date("le salon HawaExpo 2024 se tiendra à Hô Chi Minh-Ville", NULL, "2024", "2024", false);
    expect_date("depuis les années 1990, les échanges croissent", NULL, "années 1990", "1990/1999", false);
    const gla_result *res = extract_text("Il a 2000 soldats, 1900 MW, 2019 km et 1 950 000 habitants.", NULL);
    ck_assert_ptr_null(first_of(res, GLA_ENT_DATE));
    /* "d'ici 2030 et 2045": both */
    res = extract_text("atteindre les objectifs fixés d'ici 2030 et 2045.", NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_DATE), 2);
}
END_TEST

/* Months and years counted from the reference date, a month alone, two days of a month. */
START_TEST(relative_months_and_years) {
    expect_date("au cours de l’année écoulée, la situation", "2025-05-10", "l’année écoulée", "2024", false);
    expect_date("L'an passé, lors du sommet", "2025-05-10", "L'an passé", "2024", false);
    expect_date("Il a progressé cette année de 8 %.", "2025-05-10", "cette année", "2025", false);
    expect_date("Elle reviendra le mois prochain.", "2025-12-10", "le mois prochain", "2026-01", false);
    expect_date("Les travaux finiront fin novembre.", "2025-09-10", "fin novembre", "2025-11", false);
    expect_date("Ils se sont vus les 19 et 20 février à Abou Dhabi.", "2026-02-21", "les 19 et 20 février",
                "2026-02-19/2026-02-20", false);
    expect_date("ont assisté, le 1 er septembre, à", "2025-09-02", "1 er septembre", "2025-09-01", false);
    expect_date("l'après-midi, dans la même journée, la délégation", NULL, "la même journée", NULL, false);
    /* a day counted back: the last 15 March on or before the reference date */
    expect_date("Le 15 mars dernier, il est venu.", "2025-03-20", "15 mars dernier", "2025-03-15", false);
    expect_date("Le 2 avril dernier, il est venu.", "2025-03-20", "2 avril dernier", "2024-04-02", false);
    expect_date("Entre le 3 et le 5 mars, la foire", "2025-03-20", "Entre le 3 et le 5 mars",
                "2025-03-03/2025-03-05", false);
    expect_date("dans les années 80", NULL, "années 80", "1980/1989", false);
}
END_TEST

/* Numeric forms; with a time the date is the page's stamp, the reference when the article
 * states no date of its own. */
START_TEST(numeric_forms_and_stamps) {
    expect_date("Mis en ligne 2021/3/15", NULL, "2021/3/15", "2021-03-15", false);
    expect_date("le 15.3.2021 à Hanoï", NULL, "15.3.2021", "2021-03-15", false);
    const gla_result *res = extract_text("Le ministre est arrivé le 16 mars.\n15/03/2021 08:30\n", NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_DATE), 2);
    ck_assert_str_eq(first_of(res, GLA_ENT_DATE)->value, "2021-03-16");
    /* a date without a time is no stamp: no year is taken from it */
    res = extract_text("Le ministre est arrivé le 16 mars. Le traité du 15/03/1991 reste en vigueur.", NULL);
    ck_assert_ptr_null(first_of(res, GLA_ENT_DATE)->value);
}
END_TEST

/* Loads one rule file from a fresh directory; returns ruleset_load_dir's code, why filled. */
static int load_rules(const char *content, ruleset *rs, char *why, size_t why_len) {
    char dir[] = "/tmp/gla_rulesXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/t.rules", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
    const char *names[] = {"month"}, *values[] = {"janv\\.|mars"};
    int rc = ruleset_load_dir(rs, dir, names, values, 1, why, why_len);
    unlink(path);
    rmdir(dir);
    return rc;
}

static bool has_literal(const rule *r, const char *form) {
    for (size_t k = 0; r->literals && r->literals[k]; k++)
        if (!strcmp(r->literals[k], form))
            return true;
    return false;
}

/* ~%list takes a fragment's words, in their three cases; <N sets the reach; mistakes are named. */
START_TEST(rule_literals_and_reach) {
    ruleset rs;
    char why[512];
    ck_assert_int_eq(load_rules("%unit = (?:jour|mois)\n"
                                "DATE a ~%month <0 (?i)\\b(?<month>%month)\\b\n"
                                "DATE b ~%unit ~an <12 \\d+\\s+(?:%unit|an)\n"
                                "DATE c ~an \\d+\\s+an\n"
                                "DATE d ~an <line ^[^\\n]*\\ban$\n",
                                &rs, why, sizeof why),
                     GLA_OK);
    ck_assert_uint_eq(rs.count, 4);
    ck_assert(has_literal(&rs.rules[0], "janv.") && has_literal(&rs.rules[0], "Janv.") &&
              has_literal(&rs.rules[0], "JANV.") && has_literal(&rs.rules[0], "MARS"));
    ck_assert_uint_eq(rs.rules[0].reach, 0);
    ck_assert(has_literal(&rs.rules[1], "mois") && has_literal(&rs.rules[1], "Jour") && has_literal(&rs.rules[1], "an"));
    ck_assert_uint_eq(rs.rules[1].reach, 12);
    ck_assert_uint_eq(rs.rules[2].reach, 240);
    ck_assert_uint_eq(rs.rules[3].reach, UINT32_MAX); /* <line */
    const rule_kind *dates = ruleset_kind(&rs, "DATE"); /* the kind index: file order */
    ck_assert_uint_eq(dates->count, 4);
    for (size_t k = 0; k < dates->count; k++)
        ck_assert_ptr_eq(dates->rules[k], &rs.rules[k]);
    ck_assert_uint_eq(ruleset_kind(&rs, "SPACE")->count, 0);
    ruleset_free(&rs);
    static const char *const bad[][2] = {
        {"DATE a ~%nope x\n", "unknown fragment"},
        {"%re = a+b\nDATE a ~%re x\n", "not a list of words"},
        {"%re = (?:a|)\nDATE a ~%re x\n", "not a list of words"},
        {"DATE a ~x <1x x\n", "a reach reads <N"},
        {"DATE a <70000 x\n", "a reach reads <N"},
        {"DATE a <lines x\n", "a reach reads <N"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(load_rules(bad[i][0], &rs, why, sizeof why), GLA_ERR_DATA);
        ck_assert_msg(strstr(why, bad[i][1]) && strstr(why, "t.rules:"), "%s: %s", bad[i][0], why);
    }
}
END_TEST

/* A rule is JIT-compiled by its first unanchored match in a document after the one of its
 * first match, or after many matches in one document; not at load: most rules are never tried,
 * or tried a few times, on a short input, and their JIT compile was most of the start-up. */
START_TEST(rule_jit_at_first_match) {
    const char *no_jit = getenv("GLANEUR_NO_JIT"); /* set for the suites (tests/CMakeLists.txt) */
    char *saved = no_jit ? strdup(no_jit) : NULL;
    setenv("GLANEUR_NO_JIT", "0", 1);
    ruleset rs;
    char why[512];
    const char *rules = "DATE a \\d+\\s+an\nDATE b mois\nDATE c ans\n";
    ck_assert_int_eq(load_rules(rules, &rs, why, sizeof why), GLA_OK);
    if (saved)
        setenv("GLANEUR_NO_JIT", saved, 1);
    else
        unsetenv("GLANEUR_NO_JIT");
    free(saved);
    ck_assert_ptr_null(rs.rules[0].jit_code);
    ck_assert_ptr_null(rs.rules[1].jit_code);
    pcre2_match_data *md = pcre2_match_data_create(8, NULL);
    const char *text = "depuis 12 an, 3 mois";
    rules_begin_document();
    /* an anchored match runs in the interpreter: no compile */
    ck_assert_int_eq(rule_exec(&rs.rules[0], text, strlen(text), 7, PCRE2_ANCHORED, md, NULL), 1);
    ck_assert_ptr_null(rs.rules[0].jit_code);
    for (int round = 0; round < 3; round++) { /* interpreted in the document of the first match */
        ck_assert_int_eq(rule_exec(&rs.rules[0], text, strlen(text), 0, 0, md, NULL), 1);
        ck_assert_uint_eq(pcre2_get_ovector_pointer(md)[0], 7);
        ck_assert_ptr_null(rs.rules[0].jit_code);
    }
    /* many matches in one document: compiled, the same match from both engines */
    for (int round = 0; round < 1000; round++) {
        ck_assert_int_eq(rule_exec(&rs.rules[1], text, strlen(text), 0, 0, md, NULL), 1);
        ck_assert_uint_eq(pcre2_get_ovector_pointer(md)[0], 16);
    }
    if (rs.rules[1].jit) /* where PCRE2 has a JIT */
        ck_assert_ptr_nonnull(rs.rules[1].jit_code);
    rules_begin_document();
    for (int round = 0; round < 3; round++) { /* compiled by its first match in another document */
        ck_assert_int_eq(rule_exec(&rs.rules[0], text, strlen(text), 0, 0, md, NULL), 1);
        ck_assert_uint_eq(pcre2_get_ovector_pointer(md)[0], 7);
        if (rs.rules[0].jit)
            ck_assert_ptr_nonnull(rs.rules[0].jit_code);
    }
    ck_assert_ptr_null(rs.rules[2].jit_code); /* never tried */
    pcre2_match_data_free(md);
    ruleset_free(&rs);
}
END_TEST

/* The compiled rules are cached: a second load of the same rules reads them back (with what the
 * compile learnt of their starts) and they match as compiled ones do; a damaged cache, or another
 * rule set, is compiled again; without GLANEUR_CACHE, or with it empty, there is none. */
START_TEST(rule_cache) {
    const char *old = getenv("GLANEUR_CACHE");
    char *saved = old ? strdup(old) : NULL;
    char dir[] = "/tmp/gla_cacheXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("GLANEUR_CACHE", dir, 1);
    /* b runs near its literal with a short reach: compiled twice, its starts from the first */
    const char *rules = "DATE a (?i)\\b(?<day>\\d+)\\s+(?<month>%month)\\b\nDATE b ~an <2 \\d+\\s+an/x\n";
    ruleset first, second;
    char why[512];
    ck_assert_int_eq(load_rules(rules, &first, why, sizeof why), GLA_OK);
    ck_assert(!first.from_cache);
    ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
    ck_assert(second.from_cache);
    pcre2_match_data *md = pcre2_match_data_create(8, NULL);
    const char *text = "le 12 MARS et 3 an/x";
    for (size_t k = 0; k < 2; k++) {
        ck_assert_mem_eq(first.rules[k].first_bytes, second.rules[k].first_bytes, sizeof first.rules[k].first_bytes);
        ck_assert_uint_eq(first.rules[k].min_bytes, second.rules[k].min_bytes);
        ck_assert_int_eq(rule_exec(&first.rules[k], text, strlen(text), 0, 0, md, NULL), k ? 1 : 3);
        PCRE2_SIZE start = pcre2_get_ovector_pointer(md)[0];
        ck_assert_int_eq(rule_exec(&second.rules[k], text, strlen(text), 0, 0, md, NULL), k ? 1 : 3);
        ck_assert_uint_eq(pcre2_get_ovector_pointer(md)[0], start);
    }
    ck_assert_int_eq(pcre2_substring_number_from_name(second.rules[0].code, (PCRE2_SPTR) "month"), 2);
    ruleset_free(&second);
    /* damaged: one byte of the serialized code changed, then the file cut short */
    char path[512];
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r+b");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fseek(f, -40, SEEK_END), 0);
        int c = fgetc(f);
        ck_assert_int_eq(fseek(f, -40, SEEK_END), 0);
        fputc(c ^ 1, f);
        fclose(f);
    }
    closedir(d);
    ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
    ck_assert(!second.from_cache);
    ruleset_free(&second);
    /* and every cache file of the directory cut short */
    d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_int_eq(truncate(path, 100), 0);
        files++;
    }
    closedir(d);
    ck_assert_int_eq(files, 1);
    ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
    ck_assert(!second.from_cache);
    ck_assert_int_eq(rule_exec(&second.rules[0], text, strlen(text), 0, 0, md, NULL), 3);
    ruleset_free(&second);
    unlink(path); /* the damaged file: a compile writes the cache again */
    /* written again by the compile, which removes the caches of other rules unused for long */
    char stale[512];
    snprintf(stale, sizeof stale, "%s/rules-0000000000000000.pcre2", dir);
    FILE *old_cache = fopen(stale, "w");
    ck_assert_ptr_nonnull(old_cache);
    fclose(old_cache);
    struct timespec long_ago[2] = {{time(NULL) - 40 * 86400, 0}, {time(NULL) - 40 * 86400, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, stale, long_ago, 0), 0);
    ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
    ck_assert(!second.from_cache);
    ruleset_free(&second);
    ck_assert_int_eq(access(stale, F_OK), -1);
    ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
    ck_assert(second.from_cache);
    ruleset_free(&second);
    /* another rule set is not these rules */
    ck_assert_int_eq(load_rules("DATE a \\d+\\s+an\n", &second, why, sizeof why), GLA_OK);
    ck_assert(!second.from_cache);
    ruleset_free(&second);
    /* a pattern that does not compile is named, cache or not */
    ck_assert_int_eq(load_rules("DATE a (x\n", &second, why, sizeof why), GLA_ERR_REGEX);
    ck_assert_msg(strstr(why, "t.rules:1: rule a:"), "%s", why);
    setenv("GLANEUR_CACHE", "", 1);
    ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
    ck_assert(!second.from_cache);
    ruleset_free(&second);
    /* without GLANEUR_CACHE there is no cache: a load writes nothing, the next reads nothing */
    unsetenv("GLANEUR_CACHE");
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(load_rules(rules, &second, why, sizeof why), GLA_OK);
        ck_assert(!second.from_cache);
        ruleset_free(&second);
    }
    ruleset_free(&first);
    pcre2_match_data_free(md);
    d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_msg(e->d_name[0] != '.', "a temporary file is left: %s", e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
    if (saved)
        setenv("GLANEUR_CACHE", saved, 1);
    else
        unsetenv("GLANEUR_CACHE");
    free(saved);
}
END_TEST

/* The hits of rule k in text, as a string of positions ("0 30"). */
static const char *hits_of(const literal_hits *h, size_t k, char *out, size_t size) {
    size_t o = 0;
    out[0] = '\0';
    for (size_t j = 0; j < h->per_rule[k].count && o < size; j++)
        o += (size_t)snprintf(out + o, size - o, "%s%u", j ? " " : "", VEC_AT(&h->per_rule[k], uint32_t, j));
    return out;
}

/* ~\bWORD and WORD\b: an occurrence counts only with no letter or digit (é too) before, after it;
 * the text's own ends are boundaries; a literal also written bare in the same rule counts anywhere. */
START_TEST(rule_literals_at_word_bounds) {
    ruleset rs;
    char why[512], got[128];
    ck_assert_int_eq(load_rules("DATE a ~\\b%month\\b <0 (?i)\\b(?<month>%month)\\b\n"
                                "DATE b ~mars <0 mars\n"
                                "DATE c ~mars\\b <0 mars\n"
                                "DATE d ~\\bmars <0 mars\n"
                                "DATE e ~\\bmars ~mars <0 mars\n",
                                &rs, why, sizeof why),
                     GLA_OK);
    ck_assert(has_literal(&rs.rules[0], "mars") && has_literal(&rs.rules[0], "MARS") && has_literal(&rs.rules[3], "mars"));
    const char *text = "mars xmars marsx \xc3\xa9mars 3mars mars"; /* mars at 0 6 11 19 25 30 */
    literal_hits h = {0};
    ck_assert_int_eq(literal_hits_build(&rs, text, 0, strlen(text), &h), GLA_OK);
    ck_assert_str_eq(hits_of(&h, 0, got, sizeof got), "0 30");
    ck_assert_str_eq(hits_of(&h, 1, got, sizeof got), "0 6 11 19 25 30");
    ck_assert_str_eq(hits_of(&h, 2, got, sizeof got), "0 6 19 25 30");
    ck_assert_str_eq(hits_of(&h, 3, got, sizeof got), "0 11 30");
    ck_assert_str_eq(hits_of(&h, 4, got, sizeof got), "0 6 11 19 25 30");
    /* within [6, 15): "xmars" and "marsx" are cut at the window's ends, which count as boundaries */
    ck_assert_int_eq(literal_hits_build(&rs, text, 6, 15, &h), GLA_OK);
    ck_assert_str_eq(hits_of(&h, 2, got, sizeof got), "6 11");
    ck_assert_str_eq(hits_of(&h, 3, got, sizeof got), "6 11");
    literal_hits_free(&h);
    ruleset_free(&rs);
}
END_TEST

/* Month names found through their literals in any case, and a day far from its month. */
START_TEST(dates_in_capitals) {
    expect_date("LE MINISTRE EST ARRIVÉ LUNDI 13 MARS 2023 À HANOÏ.", NULL, "LUNDI 13 MARS 2023", "2023-03-13", false);
    expect_date("Le 13 Mars 2023, à Hanoï.", NULL, "13 Mars 2023", "2023-03-13", false);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("dates");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, calendar);
    tcase_add_test(tc, rule_literals_and_reach);
    tcase_add_test(tc, rule_literals_at_word_bounds);
    tcase_add_test(tc, rule_jit_at_first_match);
    tcase_add_test(tc, rule_cache);
    tcase_add_test(tc, dates_in_capitals);
    tcase_add_test(tc, values_against_the_reference_date);
    tcase_add_test(tc, weekday_inference_without_a_reference);
    tcase_add_test(tc, no_year_is_invented);
    tcase_add_test(tc, relative_days);
    tcase_add_test(tc, years_alone);
    tcase_add_test(tc, relative_months_and_years);
    tcase_add_test(tc, today_and_weeks);
    tcase_add_test(tc, numeric_forms_and_stamps);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
