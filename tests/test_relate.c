/* Relations, on sentences written for the test (not from corpus/): each mechanism once. */
#include <jansson.h>

#include "testutil.h"

/* The relations of s as JSON (owned by the caller). */
static json_t *relations_of(const char *s, const char *date) {
    const gla_result *res = extract_text(s, date);
    gla_buf out = {0};
    ck_assert_int_eq(gla_render(res, GLA_FORMAT_JSONL, 0, &out), GLA_OK);
    json_error_t err;
    json_t *doc = json_loadb(out.data, out.len, 0, &err);
    gla_buf_free(&out);
    ck_assert_msg(doc != NULL, "%s", err.text);
    json_t *rels = json_incref(json_object_get(doc, "relations"));
    json_decref(doc);
    return rels;
}

static json_t *find(json_t *rels, const char *type, size_t nth) {
    size_t i, seen = 0;
    json_t *r;
    json_array_foreach(rels, i, r) {
        if (!strcmp(json_string_value(json_object_get(r, "type")), type) && seen++ == nth)
            return json_object_get(r, "args");
    }
    return NULL;
}

static const char *canon(json_t *arg) { return json_string_value(json_object_get(arg, "canonical")); }

/* Does rels hold a relation of the type whose agents are exactly the n names given? */
static bool has_relation(json_t *rels, const char *type, size_t n, const char *const *names) {
    size_t i;
    json_t *r;
    json_array_foreach(rels, i, r) {
        json_t *agents = json_object_get(json_object_get(r, "args"), "agents");
        if (strcmp(json_string_value(json_object_get(r, "type")), type) || json_array_size(agents) != n)
            continue;
        size_t found = 0;
        for (size_t k = 0; k < n; k++)
            for (size_t q = 0; q < n; q++)
                found += !strcmp(canon(json_array_get(agents, q)), names[k]);
        if (found == n)
            return true;
    }
    return false;
}

/* How many relations of the type rels holds. */
static size_t count_relations(json_t *rels, const char *type) {
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(rels, i, r) n += !strcmp(json_string_value(json_object_get(r, "type")), type);
    return n;
}

START_TEST(holds_position_before_and_after) {
    json_t *rels = relations_of("Le ministre indien de la Défense, Rajnath Singh, a rencontré le général "
                                "Nguyen Tan Cuong, chef d'état-major général de l'armée populaire du Vietnam.",
                                "2024-06-18");
    json_t *a = find(rels, "holds_position", 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(canon(json_object_get(a, "person")), "Rajnath Singh");
    ck_assert_str_eq(canon(json_object_get(a, "title")), "ministre de la Défense");
    ck_assert_str_eq(canon(json_object_get(a, "country")), "Inde");
    json_t *b = find(rels, "holds_position", 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(canon(json_object_get(b, "person")), "Nguyen Tan Cuong");
    ck_assert_str_eq(canon(json_object_get(b, "rank")), "général");
    ck_assert_str_eq(canon(json_object_get(b, "title")), "chef d'état-major général");
    ck_assert_str_eq(canon(json_object_get(b, "org")), "armée populaire du Vietnam");
    /* "a rencontré": one meeting of the subject with the person after */
    json_t *m = find(rels, "meet", 0);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(json_array_size(json_object_get(m, "agents")), 2);
    json_decref(rels);
}
END_TEST

/* The first relation of type in text (dated dct) has place as its place. */
static void check_place(const char *text, const char *dct, const char *type, const char *place) {
    json_t *rels = relations_of(text, dct);
    json_t *a = find(rels, type, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(json_object_get(a, "place"));
    ck_assert_str_eq(canon(json_object_get(a, "place")), place);
    json_decref(rels);
}

/* No sentence says "à PLACE": a signature takes the place of the article's visit. */
START_TEST(place_of_the_visit) {
    check_place("Le président vietnamien est arrivé lundi pour une visite d'État en Mongolie.\n"
                "Le ministère vietnamien des Transports et le ministère mongol des Transports ont "
                "signé un protocole d'accord de coopération.",
                "2024-09-30", "sign", "Mongolie");
}
END_TEST

/* A venue that opens its sentence ("À Pékin, ...") is the venue as "à Pékin" is. */
START_TEST(venue_opening_the_sentence) {
    check_place("À Pékin, le président chinois Xi Jinping a accueilli le Premier ministre sénégalais "
                "Ousmane Sonko. Sonko a ensuite participé au forum de Davos à Tianjin.",
                "2025-06-24", "meet", "Pékin");
}
END_TEST

/* One title told twice in another case ("Premier ministre", later "premier ministre") is one
 * holds_position, not two. */
START_TEST(holds_position_title_case_repeat) {
    json_t *rels = relations_of("Le Premier ministre canadien Justin Trudeau est arrivé à Ottawa. Le soir, le "
                                "premier ministre Trudeau a rencontré la presse.",
                                "2024-06-18");
    size_t n = 0;
    for (size_t k = 0; find(rels, "holds_position", k); k++)
        n += !strcmp(canon(json_object_get(find(rels, "holds_position", k), "person")), "Justin Trudeau");
    ck_assert_uint_eq(n, 1);
    json_decref(rels);
}
END_TEST

/* "Lors de sa rencontre avec X, X ...": no one meets themselves, and such a pair must not stand
 * for (and swallow) a later meeting of X with someone else. */
START_TEST(no_one_meets_themselves) {
    json_t *rels =
        relations_of("Le ministre Lê Hoài Trung est arrivé à Hanoï.\n\nLors de sa rencontre avec le "
                     "ministre Lê Hoài Trung, le vice-ministre a salué les progrès.\n\nLors de sa "
                     "rencontre avec le ministre égyptien Badr Abdelatty, Lê Hoài Trung a salué les "
                     "progrès.",
                     "2024-06-18");
    json_t *m = find(rels, "meet", 0);
    ck_assert_ptr_nonnull(m);
    json_t *agents = json_object_get(m, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Lê Hoài Trung");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Badr Abdelatty");
    ck_assert_ptr_null(find(rels, "meet", 1));
    json_decref(rels);
}
END_TEST

/* The signers of a document are the previous relation's agents: "les deux vice-ministres"
 * after a signature names them, whatever titles were recognised. */
START_TEST(signers_are_the_previous_agents) {
    json_t *rels =
        relations_of("Le vice-ministre vietnamien du Commerce, Do Thang Hai, et Soraya Caro Vargas ont "
                     "signé un protocole d'accord sur le commerce. Les deux vice-ministres ont également "
                     "co-présidé la première réunion du Comité économique conjoint Vietnam-Colombie.",
                     "2023-09-28");
    json_t *a = find(rels, "co_chair", 0);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Do Thang Hai");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Soraya Caro Vargas");
    json_decref(rels);
}
END_TEST

START_TEST(co_chair_with_date_place_event) {
    json_t *rels = relations_of("Le vice-ministre vietnamien de la Défense Nguyen Van Hien et le vice-ministre "
                                "australien de la Défense Peter Jennings ont coprésidé mardi 5 novembre à Canberra "
                                "le 3e dialogue sur la politique de défense Vietnam-Australie.",
                                "2024-11-06");
    json_t *a = find(rels, "co_chair", 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(json_array_size(json_object_get(a, "agents")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "date"), "value")), "2024-11-05");
    ck_assert_str_eq(canon(json_object_get(a, "place")), "Canberra");
    ck_assert_str_eq(canon(json_object_get(a, "event")),
                     "3e dialogue sur la politique de défense Vietnam-Australie");
    json_decref(rels);
}
END_TEST

START_TEST(sign_one_relation_per_document) {
    json_t *rels = relations_of("Le ministre indien de la Défense Rajnath Singh a reçu son homologue vietnamien "
                                "Phan Van Giang. Les deux ministres ont signé un mémorandum d'entente sur la "
                                "formation, ainsi qu'un protocole sur la recherche et le sauvetage en mer.",
                                "2024-11-06");
    json_t *a = find(rels, "sign", 0), *b = find(rels, "sign", 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    size_t i;
    json_t *r;
    const char *kinds[2] = {NULL, NULL};
    size_t n = 0;
    json_array_foreach(rels, i, r) {
        if (!strcmp(json_string_value(json_object_get(r, "type")), "sign") && n < 2)
            kinds[n++] = json_string_value(json_object_get(r, "kind"));
    }
    ck_assert_str_eq(kinds[0], "MoU");
    ck_assert_str_eq(kinds[1], "protocol");
    ck_assert_uint_eq(json_array_size(json_object_get(a, "agents")), 2); /* "les deux ministres" */
    json_decref(rels);
}
END_TEST

START_TEST(agree_cooperation_domains_and_resolution) {
    json_t *rels = relations_of("Le Vietnam et l'Inde ont tenu un dialogue. Les deux parties ont convenu de "
                                "renforcer la coopération dans la construction navale, la cybersécurité, "
                                "l'entraînement des pilotes et la médecine militaire.",
                                "2024-11-06");
    json_t *a = find(rels, "agree_cooperation", 0);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents"), *domains = json_object_get(a, "domains");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Vietnam");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Inde");
    ck_assert_uint_eq(json_array_size(domains), 4);
    ck_assert_str_eq(canon(json_array_get(domains, 0)), "construction navale");
    ck_assert_str_eq(canon(json_array_get(domains, 3)), "médecine militaire");
    json_decref(rels);
}
END_TEST

/* The words of an enumeration come from the rules (DOMAINJOIN, DOMAINLEAD, DOMAINVERB): "ainsi
 * que" joins two items, and with no cue the verb that starts an item is left off. */
START_TEST(domain_items_by_rule) {
    static const char *const cases[][3] = {
        {"renforcer la coopération dans les domaines de la défense ainsi que de la santé militaire.",
         "défense", "santé militaire"},
        {"maintenir une concertation et de développer la formation.", "concertation", "formation"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512];
        snprintf(text, sizeof text, "Le Vietnam et le Japon ont tenu un dialogue. Les deux parties ont convenu de %s",
                 cases[i][0]);
        json_t *rels = relations_of(text, "2024-11-06");
        json_t *a = find(rels, "agree_cooperation", 0);
        ck_assert_ptr_nonnull(a);
        json_t *domains = json_object_get(a, "domains");
        ck_assert_uint_eq(json_array_size(domains), 2);
        ck_assert_str_eq(canon(json_array_get(domains, 0)), cases[i][1]);
        ck_assert_str_eq(canon(json_array_get(domains, 1)), cases[i][2]);
        json_decref(rels);
    }
}
END_TEST

/* What may sit between titles and the person they name comes from the rules (GAPGLUE, GAPJOIN):
 * two titles joined by "et" are both the person's, two joined by another word only the nearer. */
START_TEST(title_gap_words_by_rule) {
    static const char *const joins[] = {"et", "ou"};
    for (size_t i = 0; i < 2; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "Le chef d'état-major général %s vice-ministre de la Défense, le général Nguyen Tan Cuong, a "
                 "reçu le ministre japonais de la Défense Minoru Kihara à Hanoi.",
                 joins[i]);
        json_t *rels = relations_of(text, "2024-11-06");
        size_t titles = 0;
        for (size_t k = 0; find(rels, "holds_position", k); k++) {
            json_t *a = find(rels, "holds_position", k);
            if (!strcmp(canon(json_object_get(a, "person")), "Nguyen Tan Cuong")) {
                ck_assert_str_eq(canon(json_object_get(a, "rank")), "général");
                titles++;
            }
        }
        ck_assert_uint_eq(titles, i == 0 ? 2 : 1);
        json_decref(rels);
    }
}
END_TEST

/* The same parties agreeing twice are one relation with the domains of both; other parties
 * are another (merging groups relations by their agents). */
START_TEST(agreements_merge_by_agents) {
    json_t *rels = relations_of("Le Vietnam et l'Inde ont tenu un dialogue. Les deux parties ont convenu de "
                                "renforcer la coopération dans la construction navale et la cybersécurité. "
                                "Le Vietnam et l'Inde ont également convenu de renforcer la coopération dans "
                                "la médecine militaire. Le Japon et la France ont convenu de renforcer la "
                                "coopération dans la recherche scientifique.",
                                "2024-11-06");
    json_t *a = find(rels, "agree_cooperation", 0), *b = find(rels, "agree_cooperation", 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_null(find(rels, "agree_cooperation", 2));
    json_t *domains = json_object_get(a, "domains");
    ck_assert_uint_eq(json_array_size(domains), 3);
    ck_assert_str_eq(canon(json_array_get(domains, 0)), "construction navale");
    ck_assert_str_eq(canon(json_array_get(domains, 2)), "médecine militaire");
    ck_assert_str_eq(canon(json_array_get(json_object_get(b, "agents"), 0)), "Japon");
    ck_assert_uint_eq(json_array_size(json_object_get(b, "domains")), 1);
    json_decref(rels);
}
END_TEST

/* A link line to another article (">>...") states no relation of this one. */
START_TEST(no_relation_from_a_link_line) {
    json_t *rels = relations_of("Le vice-Premier ministre Vu Duc Dam a reçu le ministre lao de la Santé.\n\n"
                                ">>Vietnam et Laos signent un accord de coopération frontalière\n\n"
                                "Les deux pays ont une longue amitié.",
                                "2024-06-18");
    ck_assert_ptr_null(find(rels, "sign", 0));
    json_decref(rels);
}
END_TEST

/* The parties a document names are not read from a photo caption between the items of a list. */
START_TEST(no_party_from_a_caption) {
    json_t *rels = relations_of("Les deux présidents ont supervisé la signature de ces documents qui comprennent:\n\n"
                                "- Protocole d'accord entre l'administration de la ville de Hanoï et "
                                "l'administration de la ville d'Oulan-Bator.\n\nPhoto : VNA/CVN\n\n"
                                "- Protocole d'accord entre l'Université nationale du Vietnam et l'Académie des "
                                "sciences de Mongolie.",
                                "2024-09-30");
    json_t *a;
    size_t n = 0;
    for (size_t k = 0; (a = find(rels, "sign", k)); k++) {
        json_t *agents = json_object_get(a, "agents");
        for (size_t q = 0; q < json_array_size(agents); q++) {
            ck_assert_str_ne(canon(json_array_get(agents, q)), "VNA");
            ck_assert_str_ne(canon(json_array_get(agents, q)), "CVN");
        }
        n++;
    }
    ck_assert_uint_eq(n, 2);
    json_decref(rels);
}
END_TEST

/* A text cut mid-word: its last, cut item names no field. */
START_TEST(no_domain_cut_by_the_text_end) {
    json_t *rels = relations_of("Le Vietnam et le Japon ont tenu un dialogue. Les deux parties ont convenu de "
                                "renforcer la coopération dans l'agriculture, le commerce et l'échang",
                                "2024-06-18");
    json_t *a = find(rels, "agree_cooperation", 0);
    ck_assert_ptr_nonnull(a);
    json_t *d = json_object_get(a, "domains");
    ck_assert_uint_eq(json_array_size(d), 2);
    ck_assert_str_eq(canon(json_array_get(d, 1)), "commerce");
    json_decref(rels);
}
END_TEST

/* One document told twice: "X a signé un mémorandum avec 10 pays d'une région, a annoncé Y", then
 * "un mémorandum ... a été signé par le gouvernement chinois et Z". The region of a count of
 * countries is no party (VENUE), nor is the subject of the clause after "avec B,"; "le
 * gouvernement chinois" is China (PARTYDEMONYM); the lone signer of a document of the kind it
 * signs with another is that signature told again; the fields of a document named before a
 * passive are those of its name. */
START_TEST(one_signature_per_document_told_twice) {
    json_t *rels = relations_of("La Chine a signé un mémorandum avec 10 pays d'Afrique de l'Est, a annoncé le "
                                "ministère chinois du Commerce.\n\nUn mémorandum dans le domaine de la coopération "
                                "énergétique a été signé par le gouvernement chinois et l'Union africaine.",
                                "2024-06-18");
    json_t *a = find(rels, "sign", 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(find(rels, "sign", 1));
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Chine");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Union africaine");
    json_t *g = find(rels, "agree_cooperation", 0);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(json_array_size(json_object_get(g, "domains")), 1);
    json_decref(rels);
}
END_TEST

/* "Lors de sa rencontre avec B ..., lors de sa rencontre avec C": whoever was last named in
 * between, "sa" is the one who met B. */
START_TEST(possessive_meeting_is_the_last_meeter) {
    json_t *rels = relations_of(
        "Lors de sa rencontre avec le ministre émirati des Affaires étrangères, Abdullah "
        "bin Zayed, le ministre Lê Hoài Trung a salué les progrès accomplis. Abdullah bin "
        "Zayed a salué le projet. Le Vietnam et les Émirats arabes unis se sont engagés à renforcer leur "
        "coopération dans le commerce. Lors de sa rencontre avec le ministre égyptien des "
        "Affaires étrangères, Badr Abdelatty, les deux parties ont discuté.",
        "2024-06-18");
    json_t *a = find(rels, "meet", 1);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Lê Hoài Trung");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Badr Abdelatty");
    json_decref(rels);
}
END_TEST

/* A relation's date may be a span of days ("les 19 et 20 février"), not only one day. */
START_TEST(relation_date_span_of_days) {
    json_t *rels =
        relations_of("Le ministre des Affaires étrangères Lê Hoài Trung a rencontré les 19 et 20 février "
                     "le ministre égyptien des Affaires étrangères, Badr Abdelatty.",
                     "2026-02-21");
    json_t *a = find(rels, "meet", 0);
    ck_assert_ptr_nonnull(a);
    json_t *date = json_object_get(a, "date");
    ck_assert_ptr_nonnull(date);
    ck_assert_str_eq(json_string_value(json_object_get(date, "value")), "2026-02-19/2026-02-20");
    json_decref(rels);
}
END_TEST

/* A shared intent of a plural subject is an agreement: "Les deux pays entendent renforcer leur
 * coopération culturelle et scientifique". */
START_TEST(agree_by_shared_intent) {
    json_t *rels =
        relations_of("Le Japon et la France ont tenu un sommet à Paris. Les deux pays entendent profiter "
                     "de l'année pour renforcer leur coopération culturelle et scientifique.",
                     "2024-06-18");
    json_t *a = find(rels, "agree_cooperation", 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(json_array_size(json_object_get(a, "agents")), 2);
    json_t *d = json_object_get(a, "domains");
    ck_assert_uint_eq(json_array_size(d), 2);
    ck_assert_str_eq(canon(json_array_get(d, 0)), "culturelle");
    json_decref(rels);
}
END_TEST

/* "La cérémonie a réuni la délégation de X conduite par A et la délégation de Y dirigée par B":
 * the two delegations met, each by its leader. */
START_TEST(ceremony_brings_delegations_together) {
    json_t *rels = relations_of("La cérémonie a réuni la délégation de la province de Nghe An conduite par Nguyen "
                                "Van Binh, secrétaire du Comité provincial du Parti, et la délégation de la "
                                "province de Luang Prabang, dirigée par Khamphanh Pheuyavong, gouverneur de la "
                                "province.",
                                "2024-06-18");
    json_t *a = find(rels, "meet", 0);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Nguyen Van Binh");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Khamphanh Pheuyavong");
    json_decref(rels);
}
END_TEST

/* "Cette dernière a signé": the subject is the last party named before it, here the bank of
 * the sentence before, not its first organisation. */
START_TEST(ce_dernier_is_the_last_named) {
    json_t *rels = relations_of("Le groupe Petrovietnam a reçu les dirigeants de la banque Calyon. Cette dernière "
                                "a signé un accord avec le groupe Vinacomin.",
                                "2024-06-18");
    json_t *a = find(rels, "sign", 0);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Calyon");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Vinacomin");
    json_decref(rels);
}
END_TEST

/* A delegation signs for what it is the delegation of, not for its leader; "la ville de Busan"
 * names Busan as a party (PLACENAMED), though "de" makes a venue elsewhere; the fields after
 * "coopération, notamment dans" stop at "etc." (DOMAINEND). */
START_TEST(delegation_signs_for_its_city) {
    json_t *rels =
        relations_of("Une délégation de la ville de Busan, conduite par le maire Park Heong-joon, a signé "
                     "le 3 mai un mémorandum de coopération avec l'Université nationale de Hanoï. Aux "
                     "termes de ce document, les deux parties ont proposé des activités de coopération, "
                     "notamment dans les secteurs culturel, éducatif, etc. Busan enverra des étudiants.",
                     "2024-06-18");
    json_t *a = find(rels, "sign", 0);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Busan");
    json_t *g = find(rels, "agree_cooperation", 0);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(json_array_size(json_object_get(g, "domains")), 2);
    json_decref(rels);
}
END_TEST

/* "Il s'agit d'un protocole ... en matière de santé entre A et B": A and B agree on its field;
 * the signers of documents whose parties are not named agree on the fields listed after, a
 * signer of no stated country standing for the other of the text's two main countries. */
START_TEST(agree_by_documents_listed) {
    json_t *rels =
        relations_of("Le Vietnam et Cuba ont renforcé leurs liens. Il s'agit d'un protocole d'accord en "
                     "matière de santé entre le ministère vietnamien de la Santé et le ministère cubain "
                     "de la Santé.\n\nLa session de coopération Guinée-Mali s'est tenue à Conakry. Dix "
                     "accords ont été signés par le ministre des affaires étrangères Morissanda Kouyaté "
                     "et son homologue malien Abdoulaye Diop. Il s'agit d'accords de coopération dans le "
                     "domaine du commerce et de la pêche. La Guinée et le Mali sont voisins.",
                     "2024-06-18");
    json_t *a = find(rels, "agree_cooperation", 0), *b = find(rels, "agree_cooperation", 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(canon(json_array_get(json_object_get(a, "agents"), 0)),
                     "ministère vietnamien de la Santé");
    json_t *agents = json_object_get(b, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    ck_assert_str_eq(canon(json_array_get(agents, 0)), "Mali");
    ck_assert_str_eq(canon(json_array_get(agents, 1)), "Guinée");
    ck_assert_uint_eq(json_array_size(json_object_get(b, "domains")), 2);
    json_decref(rels);
}
END_TEST

/* A dump's date header before the dateline on the first line: the dateline's place is no signer. */
START_TEST(dateline_after_date_header) {
    json_t *rels = relations_of(" date 2019-10 Washington (VNA) – Le ministère vietnamien de l'Industrie et du "
                                "Commerce et le Département d'Etat américain ont signé lundi 30 septembre à "
                                "Washington un protocole d'accord de coopération en matière d'énergie.",
                                NULL);
    json_t *a = find(rels, "sign", 0);
    ck_assert_ptr_nonnull(a);
    json_t *agents = json_object_get(a, "agents");
    ck_assert_uint_eq(json_array_size(agents), 2);
    for (size_t k = 0; k < json_array_size(agents); k++)
        ck_assert_str_ne(canon(json_array_get(agents, k)), "Washington");
    json_decref(rels);
}
END_TEST
/* A pronoun opening a sentence in the middle of a line ("... Bourita. Elle a ensuite rencontré
 * ..."; "... Bourita. Ils ont ...") stands for the last relation's subject or agents. */
START_TEST(pronoun_opens_a_sentence_mid_line) {
    json_t *rels = relations_of("La ministre Yassine Fall s'est entretenue avec le ministre marocain Nasser "
                                "Bourita. Elle a ensuite rencontré le président de la Commission de l'Union "
                                "africaine, Moussa Faki Mahamat. Ils ont coprésidé la session de la commission.",
                                "2024-06-18");
    ck_assert(has_relation(rels, "meet", 2, (const char *[]){"Yassine Fall", "Nasser Bourita"}));
    ck_assert(has_relation(rels, "meet", 2, (const char *[]){"Yassine Fall", "Moussa Faki Mahamat"}));
    ck_assert(has_relation(rels, "co_chair", 2, (const char *[]){"Yassine Fall", "Moussa Faki Mahamat"}));
    json_decref(rels);
}
END_TEST

/* The forms of each relation (issue 11), each in a sentence of its own: for a meeting, the
 * tenses of each verb (passé composé, présent, plus-que-parfait, passé simple, imparfait), the
 * passive with a date or a place before "par", the nouns (entretien, audience, visite de
 * courtoisie), the participles, the pronoun and the delegation as subject, organisations as
 * agents; for a signature, persons, ministries, provinces, companies, universities and
 * countries as signers, active, passive ("signé par", "signé ... entre"), "ont assisté à la
 * signature de", one relation per document; for a co-chairing, "ont coprésidé",
 * "co-présidée par X et ses homologues Y et Z", "sous la coprésidence de", three co-chairs; for
 * an agreement, "ont convenu de", "sont convenus de", "se sont mis d'accord pour", "se sont
 * engagés à". A planned meeting or signature (future tense) is not one the news states
 * happened. */
static const struct {
    const char *type, *text;
    const char *relations[2][3]; /* the relations of the type, by their agents */
} relation_forms[] = {
    {"meet",
     "La présidente Nguyen Thi Kim Ngan a reçu jeudi à Hanoï le ministre néerlandais Hugo de "
     "Jonge.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "La présidente Nguyen Thi Kim Ngan reçoit jeudi à Hanoï le ministre néerlandais Hugo de "
     "Jonge.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "La veille, la présidente Nguyen Thi Kim Ngan avait reçu le ministre néerlandais Hugo "
     "de Jonge.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "La présidente Nguyen Thi Kim Ngan reçut le ministre néerlandais Hugo de Jonge au "
     "palais.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "Ce matin-là, la présidente Nguyen Thi Kim Ngan recevait le ministre néerlandais Hugo "
     "de Jonge.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "Le ministre néerlandais Hugo de Jonge a été reçu jeudi à Hanoï par la présidente "
     "Nguyen Thi Kim Ngan.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "Le ministre néerlandais Hugo de Jonge a été accueilli à l'aéroport par la présidente "
     "Nguyen Thi Kim Ngan.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "La présidente Nguyen Thi Kim Ngan a accordé une audience au ministre néerlandais Hugo "
     "de Jonge.",
     {{"Nguyen Thi Kim Ngan", "Hugo de Jonge"}}},
    {"meet",
     "Le général Luong Cuong a rencontré vendredi le ministre kényan Aden Duale.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong rencontrait le ministre kényan Aden Duale quand la séance a "
     "commencé.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong s'est entretenu le 4 mai à Nairobi avec le ministre kényan Aden "
     "Duale.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong s'entretient avec le ministre kényan Aden Duale.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong et le ministre kényan Aden Duale se sont entretenus à Nairobi.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong et le ministre kényan Aden Duale s'entretenaient à Nairobi.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong a eu un entretien avec le ministre kényan Aden Duale.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong et le ministre kényan Aden Duale ont eu un entretien à Nairobi.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "Le général Luong Cuong a eu un entretien téléphonique avec le ministre kényan Aden "
     "Duale.",
     {{"Luong Cuong", "Aden Duale"}}},
    {"meet",
     "L'ambassadrice Marie-Claire Dubois a rendu une visite de courtoisie au gouverneur "
     "Ahmed Tidjani.",
     {{"Marie-Claire Dubois", "Ahmed Tidjani"}}},
    {"meet",
     "L'ambassadrice Marie-Claire Dubois est allée saluer le gouverneur Ahmed Tidjani.",
     {{"Marie-Claire Dubois", "Ahmed Tidjani"}}},
    {"meet",
     "L'ambassadrice Marie-Claire Dubois est venue rendre visite au gouverneur Ahmed "
     "Tidjani.",
     {{"Marie-Claire Dubois", "Ahmed Tidjani"}}},
    {"meet",
     "Le vice-ministre Nguyen Minh Vu a travaillé le 9 mars avec le directeur Ahmed Tidjani.",
     {{"Nguyen Minh Vu", "Ahmed Tidjani"}}},
    {"meet",
     "Le vice-ministre Nguyen Minh Vu travaillait avec le directeur Ahmed Tidjani depuis le "
     "matin.",
     {{"Nguyen Minh Vu", "Ahmed Tidjani"}}},
    {"meet",
     "Lors de leur entretien, le vice-ministre Nguyen Minh Vu et le directeur Ahmed Tidjani "
     "ont évoqué la formation.",
     {{"Nguyen Minh Vu", "Ahmed Tidjani"}}},
    {"meet",
     "Lors de la rencontre, le vice-ministre Nguyen Minh Vu et le directeur Ahmed Tidjani "
     "ont évoqué la formation.",
     {{"Nguyen Minh Vu", "Ahmed Tidjani"}}},
    {"meet",
     "Lors de sa rencontre avec le directeur Ahmed Tidjani, le vice-ministre Nguyen Minh Vu "
     "a évoqué la formation.",
     {{"Nguyen Minh Vu", "Ahmed Tidjani"}}},
    {"meet",
     "En accueillant le directeur Ahmed Tidjani, le vice-ministre Nguyen Minh Vu a évoqué la "
     "formation.",
     {{"Nguyen Minh Vu", "Ahmed Tidjani"}}},
    {"meet",
     "La délégation du ministère vietnamien de l'Industrie a travaillé avec le ministère "
     "algérien de l'Énergie.",
     {{"ministère vietnamien de l'Industrie", "ministère algérien de l'Énergie"}}},
    {"meet",
     "Le vice-ministre Nguyen Minh Vu a travaillé avec l'ambassade d'Algérie et la Chambre "
     "de commerce d'Alger.",
     {{"Nguyen Minh Vu", "ambassade d'Algérie"}, {"Nguyen Minh Vu", "Chambre de commerce d'Alger"}}},
    {"meet",
     "Une délégation de la province de Ninh Binh conduite par Dinh Van Dien est arrivée à "
     "Lyon. La délégation a rencontré le maire Grégory Doucet.",
     {{"Dinh Van Dien", "Grégory Doucet"}}},
    {"meet",
     "Le général Luong Cuong s'est entretenu avec le ministre kényan Aden Duale. Il a "
     "ensuite rencontré le député Kimani Ichung'wah.",
     {{"Luong Cuong", "Aden Duale"}, {"Luong Cuong", "Kimani Ichung'wah"}}},
    {"meet",
     "La délégation de l'Assemblée nationale du Vietnam a été reçue par le président du Sénat belge "
     "Stephanie D'Hose.",
     {{"Assemblée nationale du Vietnam", "Stephanie D'Hose"}}},
    {"meet",
     "Le Comité populaire de la province de Lao Cai a reçu le gouverneur du Yunnan Wang Yubo.",
     {{"Comité populaire de la province de Lao Cai", "Wang Yubo"}}},
    {"meet", "Le Vietnam a accueilli le président français Emmanuel Macron.", {{NULL}}},
    {"meet",
     "Lors de leur entretien à Hanoï, le ministre Bui Thanh Son et son homologue Yassine Fall, en "
     "présence de l'ambassadeur Ousmane Diop, ont salué les progrès.",
     {{"Bui Thanh Son", "Yassine Fall"}}},
    {"meet",
     "En présence du président Macky Sall, le ministre Bui Thanh Son et son homologue Yassine Fall se "
     "sont entretenus.",
     {{"Bui Thanh Son", "Yassine Fall"}}},
    {"meet",
     "L'entrevue a eu lieu à Vientiane. La délégation vietnamienne était conduite par la gouverneure Vo "
     "Thi Minh Sinh. La délégation laotienne était dirigée par le gouverneur Bounthong Chitmany.",
     {{"Vo Thi Minh Sinh", "Bounthong Chitmany"}}},
    {"meet", "Le groupe Vingroup travaille avec la Banque mondiale depuis 2010.", {{NULL}}},
    {"sign",
     "Le ministre vietnamien de l'Industrie Nguyen Hong Dien et le ministre algérien de "
     "l'Énergie Mohamed Arkab ont signé un mémorandum d'accord sur l'énergie.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "Le ministre vietnamien de l'Industrie Nguyen Hong Dien a reçu le ministre algérien de "
     "l'Énergie Mohamed Arkab. Les deux ministres ont ensuite signé un mémorandum d'accord "
     "sur l'énergie.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "Un mémorandum d'accord sur l'énergie a été signé entre le ministère vietnamien de "
     "l'Industrie et le ministère algérien de l'Énergie.",
     {{"ministère vietnamien de l'Industrie", "ministère algérien de l'Énergie"}}},
    {"sign",
     "Un mémorandum d'accord sur l'énergie a été signé mardi à Alger entre le ministère "
     "vietnamien de l'Industrie et le ministère algérien de l'Énergie.",
     {{"ministère vietnamien de l'Industrie", "ministère algérien de l'Énergie"}}},
    {"sign",
     "Un mémorandum d'accord sur l'énergie a été signé par le ministre Nguyen Hong Dien et "
     "son homologue Mohamed Arkab.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "Le mémorandum d'accord sur l'énergie, signé par le ministre Nguyen Hong Dien et son "
     "homologue Mohamed Arkab, prévoit des échanges.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "Le ministre Nguyen Hong Dien et son homologue Mohamed Arkab ont assisté à la signature "
     "d'un mémorandum d'accord sur l'énergie.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "La province de Quang Ninh a signé un accord de coopération avec la ville de Busan.",
     {{"Quang Ninh", "Busan"}}},
    {"sign", "Le Vietnam et l'Algérie ont signé trois accords de coopération.", {{"Vietnam", "Algérie"}}},
    {"sign",
     "Le Vietnam et l'Algérie signent un accord de coopération dans l'énergie.",
     {{"Vietnam", "Algérie"}}},
    {"sign",
     "Le Vietnam et l'Algérie avaient signé en 2015 un accord de coopération dans l'énergie.",
     {{"Vietnam", "Algérie"}}},
    {"sign",
     "Le Vietnam et l'Algérie signèrent un accord de coopération dans l'énergie.",
     {{"Vietnam", "Algérie"}}},
    {"sign",
     "Le Vietnam et l'Algérie signaient un accord de coopération dans l'énergie.",
     {{"Vietnam", "Algérie"}}},
    {"sign",
     "Le ministre Nguyen Hong Dien et son homologue Mohamed Arkab ont paraphé un accord sur "
     "l'énergie.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "Le ministère vietnamien de l'Industrie a signé avec le ministère algérien de l'Énergie "
     "un mémorandum d'accord sur l'énergie.",
     {{"ministère vietnamien de l'Industrie", "ministère algérien de l'Énergie"}}},
    {"sign",
     "Le Vietnam a signé avec l'Algérie un mémorandum d'accord sur l'énergie.",
     {{"Vietnam", "Algérie"}}},
    {"sign",
     "La signature du mémorandum d'accord entre le ministère vietnamien de l'Industrie et le "
     "ministère algérien de l'Énergie a eu lieu mardi.",
     {{"ministère vietnamien de l'Industrie", "ministère algérien de l'Énergie"}}},
    {"sign",
     "Les deux ministres ont assisté à la signature d'un accord entre la compagnie Vietnam "
     "Airlines et la compagnie Air Algérie.",
     {{"Vietnam Airlines", "Air Algérie"}}},
    {"sign",
     "Un accord de prêt a été conclu entre la Banque mondiale et le Comité populaire de la "
     "province de Ha Giang.",
     {{"Banque mondiale", "Comité populaire de la province de Ha Giang"}}},
    {"sign",
     "Le Comité populaire de la province de Ha Giang et la Banque mondiale ont signé un "
     "accord de prêt.",
     {{"Banque mondiale", "Comité populaire de la province de Ha Giang"}}},
    {"sign",
     "L'Université de Hanoï et l'Université de Lyon ont signé un protocole d'accord de "
     "coopération.",
     {{"Université de Hanoï", "Université de Lyon"}}},
    {"sign",
     "Le ministre Nguyen Hong Dien et son homologue Mohamed Arkab ont signé un mémorandum "
     "d'accord sur l'énergie et un accord sur les mines.",
     {{"Nguyen Hong Dien", "Mohamed Arkab"}, {"Nguyen Hong Dien", "Mohamed Arkab"}}},
    {"sign",
     "Le Premier ministre Pham Minh Chinh a reçu son homologue laotien Sonexay Siphandone. À cette "
     "occasion, cinq accords de coopération ont été signés.",
     {{"Pham Minh Chinh", "Sonexay Siphandone"}}},
    {"sign",
     "Le Premier ministre Pham Minh Chinh a reçu son homologue laotien Sonexay Siphandone. Ils ont "
     "salué le traité qui a été signé en 1977.",
     {{NULL}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson ont "
     "coprésidé mardi à Oslo la 3e consultation politique Vietnam-Norvège.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson ont "
     "co-présidé la 3e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson "
     "coprésident la 3e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson "
     "avaient coprésidé la 2e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "La 3e consultation politique Vietnam-Norvège a été coprésidée par le vice-ministre "
     "Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "La 3e consultation politique Vietnam-Norvège a été coprésidée mardi à Oslo par le "
     "vice-ministre Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "La 3e consultation politique, co-présidée par le vice-ministre Nguyen Minh Vu et ses "
     "homologues Eivind Vad Petersson et Jan Lipavsky, s'est tenue à Oslo.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson", "Jan Lipavsky"}}},
    {"co_chair",
     "La 3e consultation politique s'est tenue à Oslo sous la coprésidence du vice-ministre "
     "Nguyen Minh Vu et de son homologue norvégien Eivind Vad Petersson.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "La réunion était coprésidée par le ministre Nguyen Hong Dien, le ministre Mohamed "
     "Arkab et le ministre Jan Lipavsky.",
     {{"Nguyen Hong Dien", "Mohamed Arkab", "Jan Lipavsky"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu a coprésidé avec son homologue norvégien Eivind Vad "
     "Petersson la 3e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu coprésidait avec son homologue norvégien Eivind Vad "
     "Petersson la 3e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "La 3e consultation politique était coprésidée par le vice-ministre Nguyen Minh Vu et "
     "son homologue norvégien Eivind Vad Petersson.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu a reçu son homologue norvégien Eivind Vad Petersson. "
     "Les deux vice-ministres ont ensuite coprésidé la 3e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le vice-ministre Nguyen Minh Vu et son homologue norvégien Eivind Vad Petersson ont "
     "présidé conjointement la 3e consultation politique.",
     {{"Nguyen Minh Vu", "Eivind Vad Petersson"}}},
    {"co_chair",
     "Le Vietnam et la Norvège ont coprésidé la 3e consultation politique.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège ont convenu de renforcer leur coopération dans l'agriculture, "
     "le commerce, l'aviation et la sécurité.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège sont convenus de renforcer leur coopération dans "
     "l'agriculture, le commerce et la sécurité.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège se sont mis d'accord pour renforcer leur coopération dans "
     "l'agriculture et le commerce.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège conviennent de renforcer leur coopération dans l'agriculture "
     "et le commerce.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège avaient convenu de renforcer leur coopération dans "
     "l'agriculture et le commerce.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège se sont accordés sur le renforcement de leur coopération dans "
     "l'agriculture et le commerce.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège se sont engagés à renforcer leur coopération dans "
     "l'agriculture et le commerce.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège sont tombés d'accord pour renforcer leur coopération dans "
     "l'agriculture et le commerce.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le ministère vietnamien de la Santé et le ministère norvégien de la Santé ont convenu "
     "de coopérer dans la formation des médecins et la recherche.",
     {{"ministère vietnamien de la Santé", "ministère norvégien de la Santé"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège ont convenu de renforcer leur coopération dans les domaines "
     "de l'agriculture, du commerce et de l'énergie.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "La province de Quang Ninh et la ville de Busan ont convenu de renforcer la coopération "
     "en matière de tourisme et d'éducation.",
     {{"Quang Ninh", "Busan"}}},
    {"agree_cooperation",
     "Les deux pays ont convenu de promouvoir la coopération dans l'économie et le commerce. "
     "Le Vietnam et la Norvège sont liés depuis 1971.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège sont convenus qu'il était nécessaire de renforcer la "
     "coopération dans la pêche.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "À cette occasion, les deux parties se sont entendues sur le renforcement de la "
     "coopération dans la pêche et l'énergie. Le Vietnam et la Norvège sont liés depuis "
     "1971.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège ont décidé de renforcer la coopération dans la pêche et "
     "l'énergie.",
     {{"Vietnam", "Norvège"}}},
    {"agree_cooperation",
     "Le Vietnam et la Norvège ont convenu d'accroître les échanges commerciaux et de "
     "développer la coopération dans la pêche.",
     {{"Vietnam", "Norvège"}}},
};

START_TEST(relation_form) {
    const char *type = relation_forms[_i].type, *text = relation_forms[_i].text;
    json_t *rels = relations_of(text, "2024-06-18");
    size_t n = 0;
    for (; n < 2 && relation_forms[_i].relations[n][0]; n++) {
        const char *const *agents = relation_forms[_i].relations[n];
        size_t count = agents[2] ? 3 : 2;
        ck_assert_msg(has_relation(rels, type, count, agents), "%s: no %s of %s and %s", text, type,
                      agents[0], agents[1]);
    }
    ck_assert_msg(count_relations(rels, type) == n, "%s: %zu %s", text, count_relations(rels, type), type);
    json_decref(rels);
}
END_TEST

/* "De son côté, B ..." is the other side of a meeting whose trigger named one side ("Lors de la
 * rencontre, A ...") or none ("L'entrevue a eu lieu à X. A ..."); not of a conference. */
START_TEST(other_side_of_a_meeting) {
    static const char *const texts[] = {
        "L'entrevue a eu lieu à Vientiane. La gouverneure Vo Thi Minh Sinh a présenté la province. Elle "
        "a souhaité plus d'échanges. De son côté, le gouverneur Bounthong Chitmany a remercié la province.",
        "Au cours de la rencontre, la gouverneure Vo Thi Minh Sinh a présenté la province. Pour sa part, le "
        "gouverneur Bounthong Chitmany a remercié la province.",
        "La gouverneure Vo Thi Minh Sinh a ouvert une conférence sur le tourisme. De son côté, le gouverneur "
        "Bounthong Chitmany a remercié la province.",
    };
    for (size_t i = 0; i < 3; i++) {
        json_t *rels = relations_of(texts[i], "2024-06-18");
        ck_assert_uint_eq(count_relations(rels, "meet"), i < 2);
        if (i < 2)
            ck_assert(
                has_relation(rels, "meet", 2, (const char *[]){"Vo Thi Minh Sinh", "Bounthong Chitmany"}));
        json_decref(rels);
    }
}
END_TEST

/* "ces derniers", "ces dernières" stand for the last named and those joined to it. */
START_TEST(ces_derniers_is_the_last_group) {
    json_t *rels =
        relations_of("La ville de Hué et la ville de Kyoto ont tenu une réunion. Ces dernières ont "
                     "convenu de renforcer la coopération dans le patrimoine.",
                     "2024-06-18");
    ck_assert(has_relation(rels, "agree_cooperation", 2, (const char *[]){"Hué", "Kyoto"}));
    json_decref(rels);
}
END_TEST

/* A civility between a title and the name ("la présidente de la commission, Mme X") is no gap;
 * a title's country may come from an organisation or a demonym inside its organisation. */
START_TEST(holds_position_through_a_civility) {
    json_t *rels =
        relations_of("La présidente de la Commission des finances du Parlement européen, Mme Giulia "
                     "Rossi, a reçu le ministre Bui Thanh Son.",
                     "2024-06-18");
    json_t *a = NULL;
    for (size_t k = 0; find(rels, "holds_position", k); k++)
        if (!strcmp(canon(json_object_get(find(rels, "holds_position", k), "person")), "Giulia Rossi"))
            a = find(rels, "holds_position", k);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(canon(json_object_get(a, "title")), "présidente");
    json_decref(rels);
    rels = relations_of("Le président de la Commission de la défense de l'Assemblée nationale française, M. "
                        "Jean Dupont, a reçu le ministre Bui Thanh Son.",
                        "2024-06-18");
    a = find(rels, "holds_position", 0);
    ck_assert_str_eq(canon(json_object_get(a, "person")), "Jean Dupont");
    ck_assert_str_eq(canon(json_object_get(a, "country")), "France");
    json_decref(rels);
}
END_TEST

/* The adjectives of "coopération" that name fields are the fields ("leur coopération politique,
 * économique et culturelle"), up to the first word that names none. */
START_TEST(domains_by_adjective) {
    json_t *rels =
        relations_of("Le Vietnam et le Chili ont convenu de renforcer leur coopération politique, "
                     "économique et culturelle dans les années à venir, ainsi que la collaboration en "
                     "matière de défense.",
                     "2024-06-18");
    json_t *a = find(rels, "agree_cooperation", 0);
    ck_assert_ptr_nonnull(a);
    json_t *domains = json_object_get(a, "domains");
    ck_assert_uint_eq(json_array_size(domains), 4);
    ck_assert_str_eq(canon(json_array_get(domains, 0)), "politique");
    ck_assert_str_eq(canon(json_array_get(domains, 2)), "culturelle");
    ck_assert_str_eq(canon(json_array_get(domains, 3)), "défense");
    json_decref(rels);
}
END_TEST

/* What a signed document is about ("D'autres accords concernent ...", "Les conventions tournent
 * autour de ...") is a field its signers agree on (DOMAINS about). */
START_TEST(domains_of_what_documents_are_about) {
    json_t *rels = relations_of("Le Vietnam et le Ghana ont signé deux conventions. Les conventions tournent "
                                "autour de l'extradition et de l'entraide judiciaire.",
                                "2024-06-18");
    ck_assert(has_relation(rels, "agree_cooperation", 2, (const char *[]){"Vietnam", "Ghana"}));
    json_t *domains = json_object_get(find(rels, "agree_cooperation", 0), "domains");
    ck_assert_uint_eq(json_array_size(domains), 2);
    ck_assert_str_eq(canon(json_array_get(domains, 0)), "extradition");
    ck_assert_str_eq(canon(json_array_get(domains, 1)), "entraide judiciaire");
    json_decref(rels);
}
END_TEST

/* A document signed pair by pair: each pair agrees on the fields the document names, the first
 * pair's found by the search, the others' copied from it (add_domains' memo), all the same. */
START_TEST(each_pair_agrees_on_the_same_fields) {
    json_t *rels = relations_of("Hanoï, 5 mars 2024 - Le ministre Nguyen Van An a signé un accord de coopération "
                                "entre le Vietnam et ses partenaires, à savoir le Laos, le Cambodge et la "
                                "Thaïlande, dans les domaines du commerce et de l'agriculture.",
                                NULL);
    static const char *const partners[] = {"Laos", "Cambodge", "Thaïlande"};
    ck_assert_uint_eq(count_relations(rels, "agree_cooperation"), 3);
    for (size_t k = 0; k < 3; k++) {
        ck_assert(has_relation(rels, "agree_cooperation", 2, (const char *const[]){"Vietnam", partners[k]}));
        json_t *domains = json_object_get(find(rels, "agree_cooperation", k), "domains");
        ck_assert_uint_eq(json_array_size(domains), 2);
        ck_assert_str_eq(canon(json_array_get(domains, 0)), "commerce");
        ck_assert_str_eq(canon(json_array_get(domains, 1)), "agriculture");
    }
    json_decref(rels);
}
END_TEST

START_TEST(no_relation_without_a_trigger) {
    json_t *rels = relations_of("Le Vietnam et l'Inde entretiennent des relations depuis 1972.", NULL);
    ck_assert_uint_eq(json_array_size(rels), 0);
    json_decref(rels);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("relate");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, holds_position_before_and_after);
    tcase_add_test(tc, holds_position_title_case_repeat);
    tcase_add_test(tc, place_of_the_visit);
    tcase_add_test(tc, venue_opening_the_sentence);
    tcase_add_test(tc, no_one_meets_themselves);
    tcase_add_test(tc, signers_are_the_previous_agents);
    tcase_add_test(tc, co_chair_with_date_place_event);
    tcase_add_test(tc, sign_one_relation_per_document);
    tcase_add_test(tc, agree_cooperation_domains_and_resolution);
    tcase_add_test(tc, domain_items_by_rule);
    tcase_add_test(tc, title_gap_words_by_rule);
    tcase_add_test(tc, agreements_merge_by_agents);
    tcase_add_test(tc, no_relation_without_a_trigger);
    tcase_add_test(tc, dateline_after_date_header);
    tcase_add_test(tc, agree_by_documents_listed);
    tcase_add_test(tc, delegation_signs_for_its_city);
    tcase_add_test(tc, ce_dernier_is_the_last_named);
    tcase_add_test(tc, ceremony_brings_delegations_together);
    tcase_add_test(tc, agree_by_shared_intent);
    tcase_add_test(tc, relation_date_span_of_days);
    tcase_add_test(tc, possessive_meeting_is_the_last_meeter);
    tcase_add_test(tc, one_signature_per_document_told_twice);
    tcase_add_test(tc, no_domain_cut_by_the_text_end);
    tcase_add_test(tc, no_relation_from_a_link_line);
    tcase_add_test(tc, no_party_from_a_caption);
    tcase_add_test(tc, pronoun_opens_a_sentence_mid_line);
    tcase_add_test(tc, other_side_of_a_meeting);
    tcase_add_test(tc, domains_by_adjective);
    tcase_add_test(tc, domains_of_what_documents_are_about);
    tcase_add_test(tc, holds_position_through_a_civility);
    tcase_add_test(tc, ces_derniers_is_the_last_group);
    tcase_add_test(tc, each_pair_agrees_on_the_same_fields);
    tcase_add_loop_test(tc, relation_form, 0, sizeof relation_forms / sizeof *relation_forms);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
