/* The public API: errors, limits, and every output format. */
#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static const char article[] = "Hanoï (VNA) - Les ministres se sont vus lundi 13 mars à Tokyo.\n"
                              "Ils ont signé un accord.\nVoir plus\nAutre article le 2 mai.\n";

START_TEST(errors_are_reported_not_crashed) {
    const gla_result *res = (const gla_result *)1;
    ck_assert_int_eq(gla_extract(test_worker, "ab\xC3(cd", 6, NULL, &res), GLA_ERR_UTF8);
    ck_assert_ptr_null(res);
    ck_assert_int_eq(gla_extract(test_worker, "ab\0cd", 5, NULL, &res), GLA_ERR_NUL);
    ck_assert_int_eq(gla_extract(test_worker, "", 0, NULL, &res), GLA_ERR_EMPTY);
    ck_assert_int_eq(gla_extract(test_worker, " \n\t\r\n", 5, NULL, &res), GLA_ERR_EMPTY);
    gla_doc_opts bad = {.date = "13 mars"};
    ck_assert_int_eq(gla_extract(test_worker, "texte", 5, &bad, &res), GLA_ERR_ARG);
    gla_doc_opts few = {.max_entities = 1, .today = "2026-11-23"};
    const char *two = "le 3 mai et le 4 juin 2020";
    ck_assert_int_eq(gla_extract(test_worker, two, strlen(two), &few, &res), GLA_ERR_LIMIT);
    ck_assert_int_eq(gla_extract(NULL, "x", 1, NULL, &res), GLA_ERR_ARG);
    /* the worker is still usable after errors */
    ck_assert_int_eq(gla_extract(test_worker, "le 3 mai 2020", 13, NULL, &res), GLA_OK);
    ck_assert_str_eq(gla_strerror(GLA_ERR_UTF8), "invalid UTF-8");
    ck_assert_str_eq(gla_strerror(12345), "unknown error");
}
END_TEST

START_TEST(jsonl_is_one_valid_line) {
    const gla_result *res = extract_text(article, NULL);
    gla_buf out = {0};
    ck_assert_int_eq(gla_render(res, GLA_FORMAT_JSONL, GLA_RENDER_TEXT, &out), GLA_OK);
    ck_assert_ptr_null(memchr(out.data, '\n', out.len - 1));
    ck_assert_int_eq(out.data[out.len - 1], '\n');
    json_error_t err;
    json_t *doc = json_loadb(out.data, out.len, 0, &err);
    ck_assert_msg(doc != NULL, "%s", err.text);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "id")), "t");
    json_t *ents = json_object_get(doc, "entities");
    ck_assert_uint_eq(json_array_size(ents), 4); /* Hanoï, VNA, the date, Tokyo; not the teaser's */
    json_t *e = json_array_get(ents, 2);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "DATE");
    ck_assert_str_eq(json_string_value(json_object_get(e, "text")), "lundi 13 mars");
    ck_assert_str_eq(json_string_value(json_object_get(e, "value")), "2023-03-13");
    ck_assert(json_is_true(json_object_get(e, "inferred")));
    ck_assert_int_eq(json_integer_value(json_object_get(e, "start")), 40);
    json_t *body = json_object_get(doc, "body");
    ck_assert_int_eq(json_integer_value(json_object_get(body, "end")), (json_int_t)cps(article, (size_t)(strstr(article, "Voir") - article)));
    ck_assert(json_is_array(json_object_get(doc, "relations")));
    json_decref(doc);
    gla_buf_free(&out);
}
END_TEST

START_TEST(conll_tags_dates) {
    const gla_result *res = extract_text(article, NULL);
    gla_buf out = {0};
    ck_assert_int_eq(gla_render(res, GLA_FORMAT_CONLL, 0, &out), GLA_OK);
    ck_assert_ptr_nonnull(strstr(out.data, "-DOCSTART-"));
    ck_assert_ptr_nonnull(strstr(out.data, "lundi\t40\t45\tB-DATE\n13\t46\t48\tI-DATE\nmars\t49\t53\tI-DATE\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "Tokyo\t56\t61\tB-LOC\n.\t61\t62\tO\n\nIls"));
    gla_buf_free(&out);
}
END_TEST

START_TEST(conllu_rebuilds_the_repaired_text) {
    const char *s = "Les deux partiesont signé lundi 13 mars.\nVoir plus\n";
    const gla_result *res = extract_text(s, NULL);
    gla_buf out = {0};
    ck_assert_int_eq(gla_render(res, GLA_FORMAT_CONLLU, 0, &out), GLA_OK);
    ck_assert_ptr_nonnull(strstr(out.data, "# newdoc id = t\n# sent_id = t-1\n# text = Les deux parties ont signé lundi 13 mars.\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "4\tont\t_\t_\t_\t_\t_\t_\t_\tNER=O|Start=16|End=19\n"));
    ck_assert_ptr_nonnull(strstr(out.data, "8\tmars\t_\t_\t_\t_\t_\t_\t_\tNER=I-DATE|Start=35|End=39|SpaceAfter=No\n"));
    /* rebuild: forms joined by a space unless SpaceAfter=No */
    gla_buf text = {0};
    for (char *line = strtok(out.data, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char *form = strchr(line, '\t') + 1;
        char *form_end = strchr(form, '\t');
        buf_append(&text, form, (size_t)(form_end - form));
        if (!strstr(line, "SpaceAfter=No"))
            buf_putc(&text, ' ');
    }
    while (text.len && text.data[text.len - 1] == ' ') /* whitespace after the last token */
        text.data[--text.len] = '\0';
    ck_assert_str_eq(text.data, "Les deux parties ont signé lundi 13 mars.");
    gla_buf_free(&text);
    gla_buf_free(&out);
}
END_TEST

START_TEST(brat_standoff) {
    const gla_result *res = extract_text(article, NULL);
    gla_buf out = {0};
    ck_assert_int_eq(gla_render(res, GLA_FORMAT_BRAT, 0, &out), GLA_OK);
    ck_assert_str_eq(out.data, "T1\tLOC 0 5\tHanoï\n"
                               "N1\tReference T1 glaneur:loc:hanoi\tHanoï\n"
                               "T2\tORG 7 10\tVNA\n"
                               "N2\tReference T2 glaneur:org:agence-vietnamienne-d-information\tVNA\n"
                               "T3\tDATE 40 53\tlundi 13 mars\n"
                               "#1\tAnnotatorNotes T3\tvalue=2023-03-13 (inferred)\n"
                               "T4\tLOC 56 61\tTokyo\n"
                               "N3\tReference T4 glaneur:loc:tokyo\tTokyo\n");
    gla_buf_free(&out);
}
END_TEST

START_TEST(all_sections_and_captions) {
    gla_doc_opts o = {.id = "t", .today = "2026-11-23", .all_sections = true};
    const gla_result *res;
    ck_assert_int_eq(gla_extract(test_worker, article, strlen(article), &o, &res), GLA_OK);
    ck_assert_uint_eq(count_of(res, GLA_ENT_DATE), 2);
    const char *cap = "Titre\nLe ministre ảnh 1Le 3 mai 2020 à Hanoï. Photo: VNA\nLe 4 mai 2020.\n";
    gla_doc_opts nc = {.id = "t", .no_captions = true};
    ck_assert_int_eq(gla_extract(test_worker, cap, strlen(cap), &nc, &res), GLA_OK);
    ck_assert_uint_eq(count_of(res, GLA_ENT_DATE), 1);
    ck_assert_str_eq(first_of(res, GLA_ENT_DATE)->value, "2020-05-04");
}
END_TEST

/* A headline in capitals: a case-insensitive rule finds its ~literal there too. */
START_TEST(literals_in_capitals) {
    const char *text = "Hanoï, 3 mai (VNA) - LA VISITE OFFICIELLE AU JAPON DU PREMIER MINISTRE.\n";
    const gla_result *res = extract_text(text, "2024-05-03");
    const gla_entity *e = first_of(res, GLA_ENT_EVENT);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->text, "VISITE OFFICIELLE AU JAPON");
}
END_TEST

/* The entity of type of res whose text is text, or NULL. */
static const gla_entity *entity_with(const gla_result *res, gla_entity_type type, const char *text) {
    for (size_t i = 0; i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        if (e->type == type && !strcmp(e->text, text))
            return e;
    }
    return NULL;
}

/* The organisations of res written short_name: each must have full's key (the same
 * organisation); returns how many there are. */
static size_t short_forms_of(const gla_result *res, const char *short_name, const gla_entity *full) {
    size_t n = 0;
    for (size_t i = 0; i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        if (e->type == GLA_ENT_ORG && !strcmp(e->text, short_name)) {
            ck_assert_str_eq(e->key, full->key);
            n++;
        }
    }
    return n;
}

/* Organisations by their grammar: one named in another's complements is found too (not a noun
 * after a bare "de"), an acronym defined in parentheses is the same organisation there and
 * later, and a country's name is no organisation beside it. */
START_TEST(organisations_inside_and_acronyms) {
    const char *text = "Hanoï (VNA) - Elle préside la Commission des affaires extérieures de la Chambre basse du "
                       "Parlement suisse. Il a reçu le Fonds des Nations Unies pour la population (FNUAP), puis "
                       "la représentante en chef du FNUAP au Vietnam et la Fédération de Russie. Le conseil "
                       "d'administration de la Banque a siégé.\n";
    const gla_result *res = extract_text(text, "2024-05-03");
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_ORG, "Chambre basse du Parlement suisse"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_ORG, "Parlement suisse"));
    const gla_entity *full = entity_with(res, GLA_ENT_ORG, "Fonds des Nations Unies pour la population");
    ck_assert_ptr_nonnull(full);
    ck_assert_uint_eq(short_forms_of(res, "FNUAP", full), 2);
    ck_assert_ptr_null(entity_with(res, GLA_ENT_ORG, "Fédération de Russie"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_LOC, "Fédération de Russie"));
    ck_assert_ptr_null(entity_with(res, GLA_ENT_ORG, "administration de la Banque"));
}
END_TEST

/* An acronym is found as a whole word anywhere in the body, before its definition too, and an
 * acronym defined twice stays the first organisation's. */
START_TEST(acronyms_as_whole_words_first_definition) {
    const char *text =
        "Hanoï (VNA) - Le CNJ a publié un rapport. Le Comité national de la jeunesse (CNJ) a reçu "
        "les CNJX. L'Office des migrations sociales (OMS) et le Centre national des jeux (CNJ) aussi.\n";
    const gla_result *res = extract_text(text, "2024-05-03");
    const gla_entity *full = entity_with(res, GLA_ENT_ORG, "Comité national de la jeunesse");
    ck_assert_ptr_nonnull(full);
    ck_assert_uint_eq(short_forms_of(res, "CNJ", full), 3);
    for (size_t i = 0; i < gla_result_entity_count(res); i++)
        ck_assert_str_ne(gla_result_entity(res, i)->text, "CNJX");
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_ORG, "OMS"));
}
END_TEST

/* ascii_capitals8 flags exactly the bytes 'A' to 'Z' of a word, whatever its other bytes (those
 * beyond ASCII carry into no neighbour); the acronyms' scan finds the words it starts with it. */
START_TEST(capitals_eight_at_a_time) {
    for (unsigned b = 0; b < 256; b++)
        for (unsigned at = 0; at < 8; at++)
            for (unsigned fill = 0; fill < 4; fill++) {
                static const uint8_t fills[4] = {0x00, 0xFF, 'Z', 0x80};
                uint8_t bytes[8];
                memset(bytes, fills[fill], 8);
                bytes[at] = (uint8_t)b;
                uint64_t w;
                memcpy(&w, bytes, 8);
                uint64_t caps = ascii_capitals8(w);
                for (unsigned k = 0; k < 8; k++)
                    ck_assert_int_eq((int)(caps >> (8 * k + 7) & 1), bytes[k] >= 'A' && bytes[k] <= 'Z');
            }
    /* uses inside a word (xCNJ, éCNJ) are none; at the end of the body, in its last bytes, one */
    const char *text = "Hanoï (VNA) - Le Comité national de la jeunesse (CNJ) a reçu xCNJ et éCNJ. "
                       "Ils saluent le CNJ\n";
    const gla_result *res = extract_text(text, "2024-05-03");
    const gla_entity *full = entity_with(res, GLA_ENT_ORG, "Comité national de la jeunesse");
    ck_assert_ptr_nonnull(full);
    ck_assert_uint_eq(short_forms_of(res, "CNJ", full), 2);
}
END_TEST

/* A company's or agency's short name in mixed case, defined in parentheses, is the
 * organisation there and later; a place in parentheses after an organisation is no short name. */
START_TEST(short_names_in_mixed_case) {
    const char *text = "Dakar (APS) - La Société nationale d'électricité du Sénégal (Senelec) a signé un "
                       "contrat. Le directeur de la Senelec a salué l'accord. L'Agence japonaise de "
                       "coopération internationale (Japon) a aidé.\n";
    const gla_result *res = extract_text(text, "2024-05-03");
    const gla_entity *full = entity_with(res, GLA_ENT_ORG, "Société nationale d'électricité du Sénégal");
    ck_assert_ptr_nonnull(full);
    ck_assert_uint_eq(short_forms_of(res, "Senelec", full), 2);
    ck_assert_ptr_null(entity_with(res, GLA_ENT_PERSON, "Senelec"));
    ck_assert_ptr_null(entity_with(res, GLA_ENT_ORG, "Japon"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_LOC, "Japon"));
}
END_TEST

/* A name with digits (G7, G20) is one word: an event is not cut inside it. */
START_TEST(names_with_digits_whole) {
    const gla_result *res = extract_text("Hanoï (VNA) - Le Vietnam a participé au sommet du G20 à Rio.\n", "2024-05-03");
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_EVENT, "sommet du G20"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_ORG, "G20"));
}
END_TEST

/* A title with modifiers and no complement before its holder's name is whole. */
START_TEST(titles_with_modifiers_before_a_name) {
    const gla_result *res = extract_text(
        "Séoul (VNA) - La délégation était conduite par son maire adjoint Lee Jun-seung et par le "
        "ministre délégué Tran Van Binh.\n",
        "2024-05-03");
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_TITLE, "maire adjoint"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_TITLE, "ministre délégué"));
    /* with no name after it, a modified title is left to the rules that need a complement */
    res = extract_text("Séoul (VNA) - Le maire adjoint a parlé.\n", "2024-05-03");
    ck_assert_ptr_null(entity_with(res, GLA_ENT_TITLE, "maire adjoint"));
}
END_TEST

/* A body's coordinated portfolios are its name ("de la Culture, des Sports et du Tourisme");
 * coordinated places are two bodies. */
START_TEST(coordinated_portfolios_of_a_body) {
    const gla_result *res = extract_text(
        "Hanoï (VNA) - Le directeur du Département de la Culture, des Sports et du Tourisme de Hanoi, "
        "Tran Van Binh, a parlé. Le Service provincial de la Culture et des Sports de Thua Thien-Hue a "
        "organisé la fête. Le Comité populaire de Hanoi et de Hai Phong a signé.\n",
        "2024-05-03");
    ck_assert_ptr_nonnull(
        entity_with(res, GLA_ENT_TITLE, "directeur du Département de la Culture, des Sports et du Tourisme de Hanoi"));
    ck_assert_ptr_nonnull(
        entity_with(res, GLA_ENT_ORG, "Département de la Culture, des Sports et du Tourisme de Hanoi"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_ORG, "Service provincial de la Culture et des Sports de Thua Thien-Hue"));
    ck_assert_ptr_nonnull(entity_with(res, GLA_ENT_ORG, "Comité populaire de Hanoi"));
}
END_TEST

/* Titles by their grammar: a word that is a rank and a title ("commandant") starts the title
 * rules too (with a complement a title, alone before a name a rank); a bare plural title names
 * those who hold it after a number, not after an article; a relation to a body needs the body
 * (named before: "de cette commission"), a nationality is not one. */
START_TEST(titles_by_grammar) {
    const char *text = "Hanoï (VNA) - Il a reçu Hoang Xuan Chien, commandant de la Garde frontalière du ministère "
                       "de la Défense, et le commandant Tran Van Nam. Les deux chefs d'État ont parlé. Les "
                       "ministres sont venus. Le président de cette commission, Nguyen Van An, et les "
                       "représentants vietnamiens ont travaillé.\n";
    static const struct {
        gla_entity_type type;
        const char *text;
        bool found;
    } cases[] = {
        {GLA_ENT_TITLE, "commandant de la Garde frontalière du ministère de la Défense", true},
        {GLA_ENT_RANK, "commandant", true},
        {GLA_ENT_TITLE, "chefs d'État", true},
        {GLA_ENT_TITLE, "ministres", false},
        {GLA_ENT_TITLE, "président de cette commission", true},
        {GLA_ENT_TITLE, "représentants vietnamiens", false},
    };
    const gla_result *res = extract_text(text, "2024-05-03");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg((entity_with(res, cases[i].type, cases[i].text) != NULL) == cases[i].found, "%s",
                      cases[i].text);
}
END_TEST

/* The atomizer folds words of ASCII and two-byte letters itself, by a table of utf8_fold's
 * answers: each key must still be utf8_fold of the atom's bytes, whatever letters it mixes. */
START_TEST(atom_keys_are_folds) {
    static const char text[] = "Préfet ÉTAT élection Hoàng Nguyễn Đà Nẵng cœur Œuvre ĐỨC straße "
                               "Ελλάδα Москва l'Ấn Độ 12ème «x» São-Tomé aéroport_Biên Hòa ŒÆ ǅ";
    vec atoms;
    vec_init(&atoms, sizeof(keyed_atom));
    gla_buf keys = {0};
    ck_assert_int_eq(atomize_keys(text, 0, strlen(text), &atoms, &keys), GLA_OK);
    ck_assert_uint_gt(atoms.count, 20);
    for (size_t i = 0; i < atoms.count; i++) {
        const keyed_atom *a = &VEC_AT(&atoms, keyed_atom, i);
        char want[128];
        int l = utf8_fold(text + a->start, a->end - a->start, want, sizeof want);
        ck_assert_int_ge(l, 0);
        ck_assert_uint_eq(a->key_len, (size_t)l);
        ck_assert_msg(!memcmp(keys.data + a->key_off, want, (size_t)l), "atom %zu: %.*s", i,
                      (int)(a->end - a->start), text + a->start);
    }
    vec_free(&atoms);
    gla_buf_free(&keys);
}
END_TEST

/* The atomizer goes on over a two-byte code point when the fold table says it is a letter:
 * the table must say what cp_is_letter says, for every one of them. */
START_TEST(fold_keys_know_letters) {
    const fold_key *t = utf8_fold_keys();
    ck_assert_ptr_nonnull(t);
    for (int32_t cp = FOLD_KEY_FIRST; cp < FOLD_KEY_END; cp++)
        ck_assert_msg(t[cp - FOLD_KEY_FIRST].word == cp_is_letter(cp), "U+%04X", (unsigned)cp);
}
END_TEST

/* The tokenizer reads runs of ASCII letters eight bytes at a time: wherever the range ends and
 * whatever byte ends a run (punctuation next to the letters in ASCII, a letter beyond ASCII, a
 * digit), a word ends at the first byte that is no ASCII letter, never before nor beyond. */
static bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A document's atoms are cut a chunk at a time and keep no key: the same atoms as atomize_keys
 * cuts from the whole text, across chunks whatever their words, and the same word for the same
 * key. */
START_TEST(chunked_atoms_are_the_whole_texts) {
    static const char part[] = "Le Préfet de Tokyo, l'État et Nguyễn Đà Nẵng -- 12ème «x» ";
    size_t len = 0, size = 300 * 1024;
    char *text = malloc(size);
    ck_assert_ptr_nonnull(text);
    while (len + sizeof part < size) {
        memcpy(text + len, part, sizeof part - 1);
        len += sizeof part - 1;
    }
    vec whole, atoms;
    vec_init(&whole, sizeof(keyed_atom));
    vec_init(&atoms, sizeof(atom));
    gla_buf keys = {0}, chunk_keys = {0};
    ck_assert_int_eq(atomize_keys(text, 0, len, &whole, &keys), GLA_OK);
    ck_assert_int_eq(atomize(&test_worker->model->gazetteer, text, 0, len, &atoms, &chunk_keys), GLA_OK);
    ck_assert_uint_eq(atoms.count, whole.count);
    ck_assert_uint_lt(chunk_keys.cap, keys.cap / 2); /* a chunk's keys, not the text's */
    size_t found = 0, per_part = 0;
    while (VEC_AT(&whole, keyed_atom, per_part).end < sizeof part - 1)
        per_part++; /* the atoms of one part: every part has the same */
    for (size_t i = 0; i < atoms.count; i++) {
        const keyed_atom *k = &VEC_AT(&whole, keyed_atom, i);
        const atom *a = &VEC_AT(&atoms, atom, i);
        ck_assert_uint_eq(a->start, k->start);
        ck_assert_uint_eq(atom_end(a), k->end);
        ck_assert_uint_eq(a->word, VEC_AT(&atoms, atom, i % per_part).word);
        found += gazetteer_atom_node(&test_worker->model->gazetteer, a) != 0;
    }
    ck_assert_uint_gt(found, 0);
    /* and the lookups that fold the atoms again find the forms: "Tokyo" in every chunk */
    size_t tokyo = 0;
    for (size_t i = 0; i < atoms.count; i++) {
        size_t entry;
        const atom *a = &VEC_AT(&atoms, atom, i);
        if (a->len == 5 && !memcmp(text + a->start, "Tokyo", 5) &&
            gazetteer_match(&test_worker->model->gazetteer, text, atoms.items, atoms.count, i, &entry))
            tokyo++;
    }
    ck_assert_uint_eq(tokyo, len / (sizeof part - 1));
    vec_free(&whole);
    vec_free(&atoms);
    gla_buf_free(&keys);
    gla_buf_free(&chunk_keys);
    free(text);
}
END_TEST

/* Many mentions are sorted through their indices: by start, longer first, and equal ones in the
 * order they came, as the merge of fewer does. */
START_TEST(big_sorts_keep_equal_mentions_in_order) {
    gla_worker *w = test_worker;
    size_t n = 40000;
    w->mentions.count = 0;
    uint32_t r = 12345;
    for (size_t i = 0; i < n; i++) {
        r = r * 1103515245u + 12345u;
        size_t start = (r >> 8) % 700;
        mention *m = add_mention(w, GLA_ENT_LOC, start, start + 1 + (r >> 20) % 3, 2);
        ck_assert_ptr_nonnull(m);
        m->entry = (int)i; /* the order they came in */
    }
    sort_mentions(w, 0);
    ck_assert_uint_eq(w->mentions.count, n);
    for (size_t i = 1; i < n; i++) {
        const mention *a = &VEC_AT(&w->mentions, mention, i - 1), *b = &VEC_AT(&w->mentions, mention, i);
        ck_assert(a->start < b->start || (a->start == b->start && a->end > b->end) ||
                  (a->start == b->start && a->end == b->end && a->entry < b->entry));
    }
    w->mentions.count = 0;
}
END_TEST

START_TEST(letter_runs_end_where_they_end) {
    static const char text[] = "abcdefghijklmnopqrstuvwxyz@ABCDEFGHIJ[klmnop`qrstuvw{xyzABCDEFGH "
                               "Zabcdefghijklmnoéabcdefgh9abcdefghijklmnop\x7f" "abcdefghijkl";
    size_t len = strlen(text);
    vec tokens;
    vec_init(&tokens, sizeof(token));
    for (size_t to = 1; to <= len; to++) {
        if (((unsigned char)text[to - 1] & 0xC0) == 0xC0 || (to < len && ((unsigned char)text[to] & 0xC0) == 0x80))
            continue; /* a range ends between whole code points */
        tokens.count = 0;
        ck_assert_int_eq(tokenize(test_worker->model, text, 0, to, &tokens), GLA_OK);
        size_t covered = 0;
        for (size_t i = 0; i < tokens.count; i++) {
            const token *t = &VEC_AT(&tokens, token, i);
            ck_assert_uint_le(token_end(t), to);
            ck_assert_uint_ge(t->start, covered);
            covered = token_end(t);
            if (t->kind == TOK_WORD && token_end(t) < to)
                ck_assert_msg(!ascii_letter(text[token_end(t)]), "to %zu: a word ends inside letters at %u",
                              to, token_end(t));
            for (size_t k = t->start; k < token_end(t) && t->kind == TOK_WORD; k++)
                ck_assert_msg((unsigned char)text[k] >= 0x80 || ascii_letter(text[k]) || (text[k] >= '0' && text[k] <= '9'),
                              "to %zu: a word holds byte %zu", to, k);
        }
        if (text[to - 1] != ' ')
            ck_assert_uint_eq(covered, to); /* the range ends on a token */
    }
    vec_free(&tokens);
}
END_TEST

/* An anchor's conditions (@title/sx: a form ending in s or x; @title>demonym: a demonym within
 * the three words after the form; @loc+-: a dash after the form and its spaces) keep a rule from the mentions
 * where they do not hold, though its pattern would match there: a model whose only rules are two such, on the
 * real gazetteers. */
START_TEST(anchor_conditions) {
    char dir[] = "/tmp/gla_anchorXXXXXX", path[4200], target[4200];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    DIR *d = opendir(GLA_SOURCE_DIR "/gazetteers");
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "rules"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(target, sizeof target, "%s/gazetteers/%s", GLA_SOURCE_DIR, e->d_name);
        ck_assert_int_eq(symlink(target, path), 0);
    }
    closedir(d);
    snprintf(path, sizeof path, "%s/rules", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/rules/t.rules", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("ORG plural @title/sx (?i)\\b([\\p{L}][\\p{L}'-]*+)(?C\"title\")\\h+(?<m>zork)\\b\n"
          "ORG national @title>demonym "
          "(?i)\\b([\\p{L}][\\p{L}'-]*+)(?C\"title\")\\h+\\p{Ll}+\\h+(?<m>zorg)\\b\n"
          "ORG dash @loc+- (?i)\\b([\\p{L}][\\p{L}'-]*+)(?C\"loc\")\\h+\\S+\\h+(?<m>zorq)\\b\n",
          f);
    fclose(f);
    gla_model_opts opts = {.data_dir = dir};
    gla_model *model = NULL;
    char why[512];
    int rc = gla_model_load(&opts, &model, why, sizeof why);
    ck_assert_msg(rc == GLA_OK, "model: %s", why);
    gla_worker *worker = gla_worker_new(model);
    ck_assert_ptr_nonnull(worker);
    const char *text =
        "Les ministres zork sont venus. Le ministre zork est venu. Le ministre vietnamien zorg "
        "et le ministre chargé zorg aussi. Hanoï - zorq, Hanoï et zorq.\n";
    const gla_result *res = NULL;
    ck_assert_int_eq(gla_extract(worker, text, strlen(text), NULL, &res), GLA_OK);
    size_t found[3] = {0, 0, 0}; /* the start of each zork, zorg, zorq found */
    int n = 0;
    for (size_t i = 0; i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        bool ours = !strcmp(e->text, "zork") || !strcmp(e->text, "zorg") || !strcmp(e->text, "zorq");
        if (e->type == GLA_ENT_ORG && ours && n < 3)
            found[n++] = e->start;
        else if (e->type == GLA_ENT_ORG)
            ck_assert_msg(!ours, "a fourth: %zu", e->start);
    }
    ck_assert_int_eq(n, 3);
    ck_assert_uint_eq(found[0], 14); /* Les ministres zork, not le ministre zork */
    ck_assert_uint_eq(found[1], 81); /* le ministre vietnamien zorg, not le ministre chargé zorg */
    ck_assert_uint_eq(found[2], 128); /* Hanoï - zorq, not Hanoï et zorq */
    gla_worker_free(worker);
    gla_model_free(model);
    snprintf(path, sizeof path, "%s/rules/t.rules", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/rules", dir);
    rmdir(path);
    d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}
END_TEST

/* An atom holds at most ATOM_MAX_LEN bytes: a longer run of letters is cut into atoms of at most
 * that many bytes, at code point starts, that match nothing, and the forms around it still match
 * (the document as a whole too). */
START_TEST(long_runs_are_cut_into_atoms) {
    size_t run = 3 * ATOM_MAX_LEN + 100, cap = 2 * run + 64, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)sprintf(text, "Tokyo ");
    for (size_t i = 0; i < run; i++) /* one run: ASCII letters, with two-byte ones among them */
        len += (size_t)sprintf(text + len, i % 7 == 3 ? "é" : "a");
    len += (size_t)sprintf(text + len, " Tokyo.");
    vec atoms;
    vec_init(&atoms, sizeof(atom));
    gla_buf keys = {0};
    const gazetteer *g = &test_worker->model->gazetteer;
    ck_assert_int_eq(atomize(g, text, 0, len, &atoms, &keys), GLA_OK);
    const atom *a = atoms.items;
    ck_assert_uint_ge(atoms.count, 2 + 4 + 1);
    size_t at = 6, i = 1;
    for (; at < len - 7; i++) { /* the run, up to " Tokyo." */
        ck_assert_uint_eq(a[i].start, at);
        ck_assert_uint_le(a[i].len, ATOM_MAX_LEN);
        ck_assert_uint_ne((uint8_t)text[a[i].start] & 0xC0, 0x80);
        ck_assert_uint_eq(a[i].word, 0);
        at = atom_end(&a[i]);
        if (at < len - 7) /* cut where it must, no sooner */
            ck_assert_uint_ge(a[i].len, ATOM_MAX_LEN - 1);
    }
    ck_assert_uint_eq(at, len - 7);
    ck_assert_uint_ge(i - 1, 4);
    ck_assert_uint_eq(atoms.count, i + 2);
    size_t entry, n = atoms.count;
    ck_assert_uint_eq(gazetteer_match(g, text, a, n, 0, &entry), 1);
    ck_assert_uint_eq(gazetteer_match(g, text, a, n, n - 2, &entry), n - 1);
    for (size_t k = 1; k < n - 2; k++)
        ck_assert_uint_eq(gazetteer_match(g, text, a, n, k, &entry), 0);
    vec_free(&atoms);
    gla_buf_free(&keys);
    gla_doc_opts opts = {.max_entities = 0};
    const gla_result *res;
    ck_assert_int_eq(gla_extract(test_worker, text, len, &opts, &res), GLA_OK);
    size_t tokyo = 0;
    for (size_t k = 0; k < gla_result_entity_count(res); k++)
        tokyo += !strcmp(gla_result_entity(res, k)->text, "Tokyo");
    ck_assert_uint_eq(tokyo, 2);
    free(text);
}
END_TEST

/* A gazetteer whose forms hold a word longer than an atom, or more words than an atom can
 * number, is refused (GLA_ERR_LIMIT), not matched wrongly. */
static int build_forms(size_t count, size_t word_len) {
    gazetteer g = {0};
    g.entries = calloc(count, sizeof *g.entries);
    char *forms = calloc(count, word_len + 16);
    ck_assert(g.entries && forms);
    for (size_t i = 0; i < count; i++) {
        char *f = forms + i * (word_len + 16);
        if (word_len) {
            memset(f, 'a', word_len);
        } else { /* a word of its own for each entry: base 26 */
            size_t v = i, k = 0;
            do
                f[k++] = (char)('a' + v % 26);
            while ((v /= 26) != 0);
        }
        g.entries[i] = (gazetteer_entry){.form = f, .type = GLA_ENT_LOC, .canonical = f, .attrs = ""};
    }
    g.count = g.cap = count;
    int rc = gazetteer_build_trie(&g);
    gazetteer_trie_free(&g);
    free(g.entries);
    free(forms);
    return rc;
}

START_TEST(gazetteer_limits) {
    ck_assert_int_eq(build_forms(3, ATOM_MAX_LEN), GLA_OK);
    ck_assert_int_eq(build_forms(3, ATOM_MAX_LEN + 1), GLA_ERR_LIMIT);
    ck_assert_int_eq(build_forms(1000, 0), GLA_OK);
    ck_assert_int_eq(build_forms((size_t)GAZ_MAX_WORDS + 1, 0), GLA_ERR_LIMIT);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("extract");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, errors_are_reported_not_crashed);
    tcase_add_test(tc, jsonl_is_one_valid_line);
    tcase_add_test(tc, conll_tags_dates);
    tcase_add_test(tc, conllu_rebuilds_the_repaired_text);
    tcase_add_test(tc, brat_standoff);
    tcase_add_test(tc, all_sections_and_captions);
    tcase_add_test(tc, literals_in_capitals);
    tcase_add_test(tc, organisations_inside_and_acronyms);
    tcase_add_test(tc, acronyms_as_whole_words_first_definition);
    tcase_add_test(tc, capitals_eight_at_a_time);
    tcase_add_test(tc, short_names_in_mixed_case);
    tcase_add_test(tc, names_with_digits_whole);
    tcase_add_test(tc, titles_with_modifiers_before_a_name);
    tcase_add_test(tc, coordinated_portfolios_of_a_body);
    tcase_add_test(tc, titles_by_grammar);
    tcase_add_test(tc, atom_keys_are_folds);
    tcase_add_test(tc, fold_keys_know_letters);
    tcase_add_test(tc, chunked_atoms_are_the_whole_texts);
    tcase_add_test(tc, big_sorts_keep_equal_mentions_in_order);
    tcase_add_test(tc, letter_runs_end_where_they_end);
    tcase_add_test(tc, anchor_conditions);
    tcase_add_test(tc, long_runs_are_cut_into_atoms);
    tcase_add_test(tc, gazetteer_limits);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
