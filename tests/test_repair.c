/* Text repair: normalisation with its offset map, layout, and the splitting of run-together
 * words. The sentences are not from corpus/: they test the mechanism, not the five articles. */
#include "testutil.h"

START_TEST(nfc_and_lumping_keep_offsets) {
    /* e + combining acute; no-break space; soft hyphen; typographic apostrophe and dash */
    const char *s = "Cafe\xCC\x81 \xC2\xA0l\xE2\x80\x99" "arm\xC3\xA9" "e\xC2\xAD" "s \xE2\x80\x93 fin";
    const gla_result *res = extract_text(s, NULL);
    size_t len;
    const char *t = gla_result_repaired(res, &len);
    ck_assert_str_eq(t, "Café  l'armées - fin");
    /* "é" of Café maps back to "e\u0301": code points 3..5 of the original */
    ck_assert_uint_eq(gla_result_original_offset(res, 3), 3);
    ck_assert_uint_eq(gla_result_original_offset(res, 5), 5); /* the space after */
}
END_TEST

START_TEST(invisible_characters_removed) {
    ck_assert_str_eq(repaired_of("mi\xE2\x80\x8Bnistre\xEF\xBB\xBF"), "ministre");
}
END_TEST

/* CRLF and a lone CR are line ends like LF: one '\n' each, mapped back to the original. */
START_TEST(crlf_and_cr_are_line_ends) {
    const gla_result *res = extract_text("Hanoi\r\nTokyo\rParis\n\r\nLima", NULL);
    size_t len;
    ck_assert_str_eq(gla_result_repaired(res, &len), "Hanoi\nTokyo\nParis\n\nLima");
    ck_assert_uint_eq(gla_result_original_offset(res, 6), 7);   /* "Tokyo": after the CRLF */
    ck_assert_uint_eq(gla_result_original_offset(res, 12), 13); /* "Paris": after the CR */
    ck_assert_uint_eq(gla_result_original_offset(res, 19), 21); /* "Lima" */
}
END_TEST

START_TEST(splits_run_together_words) {
    static const char *const cases[][2] = {
        {"Le ministre a rencontréson homologue.", "Le ministre a rencontré son homologue."},
        {"la coopérationmilitaire bilatérale", "la coopération militaire bilatérale"},
        {"le président duSénégal est arrivé", "le président du Sénégal est arrivé"},
        {"un accord commercialet,selon lui", "un accord commercial et, selon lui"},
        {"il est arrivé jusqu'àHanoï hier", "il est arrivé jusqu'à Hanoï hier"},
        {"une missiondes Nations unies", "une mission des Nations unies"},
        {"Lesministres se sont réunis", "Les ministres se sont réunis"},
        {"le chef du gouvernementPhamMinh Chinh", "le chef du gouvernement Pham Minh Chinh"},
        {"prévue le15 mai prochain", "prévue le 15 mai prochain"},
        {"le monde.Les deux pays", "le monde. Les deux pays"},
        {"le programmed'entraînement naval", "le programme d'entraînement naval"},
        {"la réunion del'OTANélargie", "la réunion de l'OTAN élargie"},
        {"les 3ecommission et 4mai", "les 3e commission et 4 mai"},
        {"une visite de deuxjours", "une visite de deux jours"},
        {"il a présenté deses condoléances", "il a présenté de ses condoléances"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_str_eq(repaired_of(cases[i][0]), cases[i][1]);
    /* again, in reverse order and twice in one text: the worker's memo of chunks (keyed by
     * their bytes) gives each the same answer, and a chunk with the same letters in another
     * case or followed by more is not mistaken for one seen */
    for (size_t i = sizeof cases / sizeof *cases; i-- > 0;) {
        char twice[256], expect[256];
        snprintf(twice, sizeof twice, "%s %s", cases[i][0], cases[i][0]);
        snprintf(expect, sizeof expect, "%s %s", cases[i][1], cases[i][1]);
        ck_assert_str_eq(repaired_of(twice), expect);
    }
    ck_assert_str_eq(repaired_of("rencontréson RENCONTRÉSON rencontrésons rencontréson"),
                     "rencontré son RENCONTRÉSON rencontré sons rencontré son");
}
END_TEST

START_TEST(keeps_real_words_and_names) {
    static const char *const kept[] = {
        "ladite convention",  "ils se sont entretenus", "toutefois surtout",
        "Kisarazu et Okinawa", "Hiroyuki Namazu",        "le député Lecornu",
        "la société VinFast",  "le 1er et le 10e",       "une cyberattaque",
        "le coprésident",      "www.vietnamplus.vn",     "d'aujourd'hui",
        "Marseille",           "les U.S.A.",             "le G20 et le F-16",
    };
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        ck_assert_str_eq(repaired_of(kept[i]), kept[i]);
}
END_TEST

START_TEST(entity_inside_a_glued_token_maps_to_the_original) {
    const char *s = "Ils se sont vus lundi13 mars.";
    const gla_result *res = extract_text(s, "2023-03-20");
    const gla_entity *d = first_of(res, GLA_ENT_DATE);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->text, "lundi13 mars");
    ck_assert_uint_eq(d->start, 16);
    ck_assert_uint_eq(d->end, 28);
    ck_assert_str_eq(d->value, "2023-03-13");
}
END_TEST

START_TEST(layout_header_teasers_captions) {
    const char *s = " date 2024-05-02 Titre de l'article\n"
                    "Le texte de l'article.\n"
                    "Une image ảnh 1Le ministre à Hanoï. Photo: VNA\n"
                    "La suite.\n"
                    "Voir plus\n"
                    "Un autre article le 3 mai.\n";
    const gla_result *res = extract_text(s, NULL);
    ck_assert_str_eq(gla_result_date(res), "2024-05-02");
    size_t start, end;
    gla_result_body(res, &start, &end);
    ck_assert_uint_eq(start, 17);
    ck_assert_uint_eq(end, cps(s, (size_t)(strstr(s, "Voir plus") - s)));
    ck_assert(sections_of(res, GLA_SECTION_CAPTION) && sections_of(res, GLA_SECTION_TEASER));
    ck_assert_ptr_null(first_of(res, GLA_ENT_DATE)); /* the teaser's date is not annotated */
    size_t len;
    const char *t = gla_result_repaired(res, &len);
    ck_assert_ptr_nonnull(strstr(t, "ảnh 1 Le ministre"));
}
END_TEST

/* A caption rule finds its marker; the whole line is the caption, however far the marker is from
 * the line's start. The header's own line is no caption. */
START_TEST(caption_is_the_whole_line) {
    gla_buf s = {0};
    ck_assert(buf_puts(&s, " date 2024-05-02 Le titre. Photo: VNA\nLe texte.\n"));
    size_t line = s.len;
    for (int i = 0; i < 60; i++)
        ck_assert(buf_puts(&s, "Le ministre à Hanoï, "));
    ck_assert(buf_puts(&s, "ảnh 2 le 3 mai.\nLa suite le 4 mai.\n"));
    size_t line_end = (size_t)(strstr(s.data + line, "\n") - s.data);
    const gla_result *res = extract_text(s.data, NULL);
    size_t captions = 0;
    for (size_t i = 0; i < gla_result_section_count(res); i++) {
        const gla_section *sec = gla_result_section(res, i);
        if (sec->kind != GLA_SECTION_CAPTION)
            continue;
        captions++;
        ck_assert_uint_eq(sec->start, cps(s.data, line));
        ck_assert_uint_eq(sec->end, cps(s.data, line_end));
    }
    ck_assert_uint_eq(captions, 1);
    /* a credit ends a caption line of up to 600 characters before it, however far its line
     * starts from the word: tried once, from the line's start (<line) */
    for (int chars = 400; chars <= 800; chars += 400) {
        s.len = 0;
        ck_assert(buf_puts(&s, "Le texte.\n"));
        for (int i = 0; i < chars / 20; i++)
            ck_assert(buf_puts(&s, "Une photo du Source "));
        ck_assert(buf_puts(&s, "Photo : VNA\nLa suite.\n"));
        res = extract_text(s.data, NULL);
        ck_assert_uint_eq(sections_of(res, GLA_SECTION_CAPTION), chars < 600);
    }
    gla_buf_free(&s);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("repair");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, nfc_and_lumping_keep_offsets);
    tcase_add_test(tc, invisible_characters_removed);
    tcase_add_test(tc, crlf_and_cr_are_line_ends);
    tcase_add_test(tc, splits_run_together_words);
    tcase_add_test(tc, keeps_real_words_and_names);
    tcase_add_test(tc, entity_inside_a_glued_token_maps_to_the_original);
    tcase_add_test(tc, layout_header_teasers_captions);
    tcase_add_test(tc, caption_is_the_whole_line);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
