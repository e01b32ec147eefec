/* People without lists of people (src/people.c, gazetteers/rules/people.rules): each test is a
 * mechanism, on sentences shaped like those of the news. */
#include "testutil.h"

/* The entity of that type written exactly so, or NULL. */
static const gla_entity *entity(const gla_result *res, gla_entity_type type, const char *text) {
    for (size_t i = 0; i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        if (e->type == type && !strcmp(e->text, text))
            return e;
    }
    return NULL;
}

/* Is text a person of s, with that canonical name (NULL: any)? */
static bool person_in(const char *s, const char *text, const char *canonical) {
    const gla_entity *e = entity(extract_text(s, NULL), GLA_ENT_PERSON, text);
    return e && (!canonical || !strcmp(e->canonical, canonical));
}

START_TEST(apposition_after_a_long_title) {
    /* the title's portfolios and their commas lie between it and the name */
    ck_assert(person_in(
        "Il a reçu le ministre russe de la Protection civile, des Situations d'urgence et des Secours "
        "en cas de catastrophe, Aleksandr Kurenkov, à Hanoï le 5 mars.",
        "Aleksandr Kurenkov", NULL));
    ck_assert(person_in(
        "Elle a rencontré la présidente de la Commission économique et fiscale de la Chambre basse du "
        "Parlement suisse, Susanne Leutenegger Oberholzer, à Berne.",
        "Susanne Leutenegger Oberholzer", NULL));
    /* a verb between the title and the comma: the clause has moved on, and nothing else says
     * "Kurenkov Trading" is anyone */
    ck_assert(
        !person_in("Le ministre a visité les entrepôts de la ville, Kurenkov Trading a ouvert ses portes.",
                   "Kurenkov Trading", NULL));
}
END_TEST

START_TEST(counterpart_and_coordination) {
    ck_assert(person_in(
        "Les accords ont été paraphés par Léon Kacou Adom et son homologue sénégalais, Yassine Fall.",
        "Yassine Fall", NULL));
    const char *s =
        "La consultation a été co-présidée par le vice-ministre Hà Kim Ngoc et ses homologues argentins "
        "Marcia Rosa Levaggi et Gabriel Martínez.";
    ck_assert(person_in(s, "Marcia Rosa Levaggi", NULL));
    ck_assert(person_in(s, "Gabriel Martínez", NULL));
    ck_assert(person_in(
        "Les vice-ministres des Affaires étrangères vietnamien Nguyên Quôc Dung et indien Riva Ganguly "
        "Das ont coprésidé la consultation.",
        "Riva Ganguly Das", NULL));
}
END_TEST

START_TEST(initials_and_particles) {
    ck_assert(person_in("Le secrétaire d'État John F. Kerry est arrivé à Hanoï.", "John F. Kerry", NULL));
    ck_assert(person_in(
        "Il a rencontré le vice-Premier ministre des Émirats arabes unis, Abdullah bin Zayed Al Nahyan, "
        "lundi.",
        "Abdullah bin Zayed Al Nahyan", NULL));
    ck_assert(person_in("La présidente de la Commission européenne Ursula von der Leyen a parlé.",
                        "Ursula von der Leyen", NULL));
    ck_assert(person_in("Le président brésilien Luiz Inácio Lula da Silva a parlé.",
                        "Luiz Inácio Lula da Silva", NULL));
    /* a French particle only after a given name alone, never before a place */
    ck_assert(
        person_in("L'ancien Premier ministre Dominique de Villepin a parlé.", "Dominique de Villepin", NULL));
    ck_assert(!entity(extract_text("Le ministre Nguyen Van Thanh de Hanoï a parlé.", NULL), GLA_ENT_PERSON,
                      "Nguyen Van Thanh de Hanoï"));
}
END_TEST

START_TEST(vietnamese_family_names_that_are_french_words) {
    ck_assert(
        person_in("Le Hoai Trung a affirmé que le Vietnam soutient le processus.", "Le Hoai Trung", NULL));
    const char *s = "Le vice-ministre a reçu Do Van Chien, Mai Tien Dung et Ha Kim Ngoc.";
    ck_assert(person_in(s, "Do Van Chien", NULL));
    ck_assert(person_in(s, "Mai Tien Dung", NULL));
    ck_assert(person_in(s, "Ha Kim Ngoc", NULL));
    /* "Le Vietnam": no syllables of a name after the article */
    ck_assert_uint_eq(count_of(extract_text("Le Vietnam et le Laos coopèrent.", NULL), GLA_ENT_PERSON), 0);
}
END_TEST

START_TEST(places_and_schools_named_after_people) {
    const gla_result *res =
        extract_text("La somme sera destinée à l'école primaire Vu A Dinh et à l'Université Nguyen "
                     "Tat Thanh, près de la rue Trang Tien.",
                     NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_PERSON), 0);
    /* two syllables that no family name opens, with nothing around them that says a person */
    res = extract_text(
        "Ils ont parlé des postes-frontières de Tân Thanh et Côc Nam, et des postes frontaliers Binh Nghi.",
        NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_PERSON), 0);
    /* three syllables with neither a family name nor a middle name first: a feast, a film */
    res = extract_text("La fête du Tet Nguyen Dan approche. Le film Dat Rung Phuong Nam est sorti.", NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_PERSON), 0);
    /* a middle name second: a person, whatever the family name (Vo, Huynh are not listed) */
    ck_assert(person_in("Vo Van Thuong est arrivé à Hanoï.", "Vo Van Thuong", NULL));
    /* a word of a ship's name is not the person whose name it ends */
    res = extract_text("Le général Le Minh Hung est arrivé à bord du navire Tran Hung Dao.", NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_PERSON), 1);
    /* French writes a person's name without an article: after one, a name is a thing's */
    res = extract_text("Il a dit que la Sonatrach et la Senelec ont signé. La Senelec a salué l'accord.", NULL);
    ck_assert_uint_eq(count_of(res, GLA_ENT_PERSON), 0);
    ck_assert(person_in("Le Minh Hung a reçu Nguyen Van Binh.", "Le Minh Hung", NULL));
}
END_TEST

START_TEST(given_names_are_evidence_not_answers) {
    /* a given name of the lists and a word no lexicon knows */
    ck_assert(person_in("La cérémonie s'est tenue en présence de Jim Pillen.", "Jim Pillen", NULL));
    /* a capitalised common word before the given name ends the portfolio, not the name */
    ck_assert(person_in(
        "Il a rencontré le ministre suisse de l'Economie, de la Formation et de la Recherche Johann "
        "Schneider Amman.",
        "Johann Schneider Amman", NULL));
    /* a given name that is also a word, with a known word: nothing */
    ck_assert_uint_eq(
        count_of(extract_text("Les fleurs de la Rose Valley sont belles.", NULL), GLA_ENT_PERSON), 0);
    /* a company or a place, whatever its first word */
    ck_assert_uint_eq(
        count_of(extract_text("Le contrat a été signé avec Lotte Group et Marina Bay Sands.", NULL),
                 GLA_ENT_PERSON),
        0);
}
END_TEST

START_TEST(one_word_is_the_full_name) {
    ck_assert(person_in("Le ministre Catherine Colonna est arrivée. Colonna a ajouté que la France soutient.",
                        "Colonna", "Catherine Colonna"));
    /* the civility is no part of the name, and after it a family name written first stands */
    ck_assert(person_in("Le ministre chinois Wang Yi est arrivé. Selon M. Wang, la coopération progresse.",
                        "Wang", "Wang Yi"));
    ck_assert(
        person_in("Le ministre Catherine Colonna est arrivée. Selon Mme Colonna, la coopération progresse.",
                  "Colonna", "Catherine Colonna"));
    ck_assert(!entity(extract_text("Selon Mme Colonna, la coopération progresse.", NULL), GLA_ENT_PERSON,
                      "Mme Colonna"));
    /* a sovereign's title written capitalised is no part of the name either */
    ck_assert(person_in("Le Grand-Duc Henri a reçu la délégation.", "Henri", NULL));
}
END_TEST

START_TEST(name_parts_kept_whole_by_the_repair) {
    /* a capitalised word of lexicon/person_names.txt is not split into two words the lexicon
     * knows (Char les, Ton y, Rousse l) */
    ck_assert_str_eq(repaired_of("Le président Charles Michel, Tony Blair et Mme Roussel."),
                     "Le président Charles Michel, Tony Blair et Mme Roussel.");
    /* two name parts glued, camel case, are split; a brand whose halves are not both name
     * parts is not */
    ck_assert_str_eq(repaired_of("La députée Mme PatriciaAdam et VinFast."),
                     "La députée Mme Patricia Adam et VinFast.");
}
END_TEST

START_TEST(elided_capitals_regnal_numbers_and_family_particles) {
    /* an elided capital glued to a name part (West African and Belgian names) */
    const char *s = "Le ministre a reçu son homologue Abdoulaye N'Diaye et Youssouf N'Guessan.";
    ck_assert(person_in(s, "Abdoulaye N'Diaye", NULL));
    ck_assert(person_in(s, "Youssouf N'Guessan", NULL));
    ck_assert(person_in("Il a rencontré l'ambassadeur Sean O'Brien.", "Sean O'Brien", NULL));
    /* but not the elision that opens a sentence */
    ck_assert_uint_eq(count_of(extract_text("D'Hanoï, la délégation est partie.", NULL), GLA_ENT_PERSON), 0);
    /* a regnal number ends the name */
    ck_assert(person_in("Le roi d'Espagne Felipe VI a reçu la délégation.", "Felipe VI", NULL));
    /* de before a family name of the lists, after two name parts */
    ck_assert(person_in("Le président portugais Marcelo Rebelo de Sousa a parlé.", "Marcelo Rebelo de Sousa",
                        NULL));
}
END_TEST

/* The kinds the stage asks are the model's, looked up once at load: each is the ruleset's kind
 * of that name, and the data gives every one rules. */
START_TEST(kinds_resolved_with_the_model) {
    const people_kinds *k = &test_model->people_kinds;
    const ruleset *rs = &test_model->rules;
    const rule_kind *got[] = {k->syllable, k->nameshape, k->personcue, k->civility, k->particle, k->notname,
                              k->clausebreak, k->before, k->named_after, k->suffix, k->viet_middle};
    const char *names[] = {"SYLLABLE", "NAMESHAPE", "PERSONCUE", "CIVILITY", "PARTICLE", "NOTNAME",
                           "CLAUSEBREAK", "PERSONBEFORE", "NAMEDAFTER", "SUFFIX", "VIETMIDDLE"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        ck_assert_ptr_eq(got[i], ruleset_kind(rs, names[i]));
        ck_assert_uint_gt(got[i]->count, 0);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("people");
    TCase *tc = tcase_create("people");
    tcase_add_unchecked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, apposition_after_a_long_title);
    tcase_add_test(tc, counterpart_and_coordination);
    tcase_add_test(tc, initials_and_particles);
    tcase_add_test(tc, vietnamese_family_names_that_are_french_words);
    tcase_add_test(tc, places_and_schools_named_after_people);
    tcase_add_test(tc, given_names_are_evidence_not_answers);
    tcase_add_test(tc, one_word_is_the_full_name);
    tcase_add_test(tc, name_parts_kept_whole_by_the_repair);
    tcase_add_test(tc, elided_capitals_regnal_numbers_and_family_particles);
    tcase_add_test(tc, kinds_resolved_with_the_model);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
