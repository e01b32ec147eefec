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

/* The source spans are kept compact once the text is repaired (a distance per plain block, a
 * base and two bytes a byte per other block, repaired_compact): a block across which the original jumps hundreds of bytes (a run of
 * removed zero-width spaces) keeps its starts in full, and every byte maps back exactly. */
START_TEST(offsets_across_removed_runs) {
    enum { WORDS = 800 }; /* over 64 KB: a big document's map (extract.c, COMPACT_FROM) */
    static char s[WORDS * 400];
    size_t len = 0, cp = 0, word_cp[WORDS], word_byte[WORDS], byte = 0;
    for (int k = 0; k < WORDS; k++) {
        word_cp[k] = cp;
        word_byte[k] = byte;
        memcpy(s + len, "maison ", 7); /* 7 bytes, 7 code points */
        len += 7;
        cp += 7;
        byte += 7;
        for (int z = 0; z < (k % 3 == 1 ? 120 : k % 3 == 2 ? 1 : 0); z++) { /* U+200B, removed */
            memcpy(s + len, "\xE2\x80\x8B", 3);
            len += 3;
            cp++;
        }
    }
    s[len] = '\0';
    const gla_result *res = extract_text(s, NULL);
    size_t rlen;
    const char *t = gla_result_repaired(res, &rlen);
    ck_assert_uint_ge(rlen, byte - 1);
    for (int k = 0; k < WORDS; k++) {
        ck_assert(!strncmp(t + word_byte[k], "maison", 6));
        ck_assert_uint_eq(gla_result_original_offset(res, word_byte[k]), word_cp[k]);
        ck_assert_uint_eq(gla_result_original_offset(res, word_byte[k] + 5), word_cp[k] + 5);
    }
}
END_TEST

/* A big text whose characters of 1 to 4 bytes straddle the blocks of the compact map, and whose
 * lumped apostrophes (3 bytes to 1) and no-break spaces (2 to 1) leave some blocks not plain:
 * every character of the repaired text maps back to its code point in the original. */
START_TEST(offsets_of_plain_and_mapped_blocks) {
    enum { UNITS = 10000 }; /* over 64 KB: a big document's map (extract.c, COMPACT_FROM) */
    static const char *const units[] = {"Hà Nội ", "l\xE2\x80\x99" "été ", "a\xC2\xA0" "b ", "\xF0\x9F\x8C\x8F ", "ministre "};
    static char s[UNITS * 16];
    size_t len = 0;
    for (int k = 0; k < UNITS; k++) {
        /* one run of seven units in three is of plain ones only, so that whole blocks are plain */
        const char *u = units[(k / 7) % 3 ? k % 5 : k % 2 ? 0 : 4];
        memcpy(s + len, u, strlen(u));
        len += strlen(u);
    }
    s[len] = '\0';
    const gla_result *res = extract_text(s, NULL);
    size_t rlen;
    const char *t = gla_result_repaired(res, &rlen);
    ck_assert_uint_gt(rlen, 65536);
    size_t cp = 0;
    for (size_t b = 0; b < rlen; b++) { /* a continuation byte maps where its character does */
        cp += ((unsigned char)t[b] & 0xC0) != 0x80;
        ck_assert_uint_eq(gla_result_original_offset(res, b), cp - 1);
    }
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
        {"il faut quel'Arabie saoudite", "il faut que l'Arabie saoudite"},
        {"d'accessoires.L'organisateur a dit", "d'accessoires. L'organisateur a dit"},
        {"selon M.Qin,les deux pays", "selon M. Qin, les deux pays"},
        {"d'économie...Selon lui", "d'économie... Selon lui"},
        {"les organes législatifs.-VNA", "les organes législatifs. -VNA"},
        {"Hanoï (VNA)-Le ministre", "Hanoï (VNA) - Le ministre"},
        {"une hausse en 2020(+8,3%)", "une hausse en 2020 (+8,3%)"},
        {"le ministrese rend à Paris", "le ministre se rend à Paris"},
        {"du CommerceNguyen Van Binh", "du Commerce Nguyen Van Binh"},
        {"le poste PoChai (Chine)", "le poste Po Chai (Chine)"},
        {"du dévelloppementde la région", "du dévelloppement de la région"},
        {"en 2023.Le ministre, l'ASEAN.Les pays", "en 2023. Le ministre, l'ASEAN. Les pays"},
        {"Selon elle,«le pays», le ministre:«Nous", "Selon elle, «le pays», le ministre: «Nous"},
        {"l'Asie du Sud-Est(ASEAN)", "l'Asie du Sud-Est (ASEAN)"},
        {"deux vidéoconférencesentre eux", "deux vidéoconférences entre eux"},
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

/* forms the word list lacks, apostrophes inside words, punctuation no glue, brands, typos alone */
START_TEST(keeps_inflections_elisions_and_abbreviations) {
    static const char *const kept[] = {
        "la mission onusienne",
        "des vidéoconférences",
        "presqu'île",
        "lorsqu'il",
        "à 18:30, https://vov.vn/Le",
        "fonction(s)",
        "les U.S.Army",
        "les Pays.- VNA",
        "PetroVietnam",
        "le dévelloppement",
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

/* Where the body of text s ends, in code points. */
static size_t body_end_of(const char *s) {
    size_t start, end;
    gla_result_body(extract_text(s, NULL), &start, &end);
    return end;
}

/* The offset in code points of the first occurrence of needle in s. */
static size_t at_of(const char *s, const char *needle) {
    const char *p = strstr(s, needle);
    ck_assert_ptr_nonnull(p);
    return cps(s, (size_t)(p - s));
}

/* The body ends after the agency's sign-off, at the next line that is not blank, whatever
 * follows; a photo credit with the same agency is no sign-off. */
START_TEST(body_ends_after_the_sign_off) {
    static const char *const signed_off[] = {
        "Titre\nLe texte.\nLa fin du texte.-VNA\nUn autre sujet\n",
        "Titre\nLe texte.\nLa fin du texte. – VOV\n\n \nUn autre sujet\n",
        "Titre\nLe texte.\nLa fin du texte. (VNA)\nUn autre sujet\n",
        "Titre\nLe texte.\nLa fin du texte.\n\nVNA/CVN\n\nUn autre sujet\n",
        "Titre\nLe texte.\nLa fin du texte.\nThanh Ha/CVN\nUn autre sujet\n",
        "Titre\nLe texte.\nLa fin du texte.\n(Rédacteurs :Wang Xinran, Gao Jia)\nUn autre sujet\n",
        "Titre\nLe texte.\nLa fin du texte.\nAKS/OID\nUn autre sujet\n",
    };
    for (size_t i = 0; i < sizeof signed_off / sizeof *signed_off; i++)
        ck_assert_uint_eq(body_end_of(signed_off[i]), at_of(signed_off[i], "Un autre"));
    static const char *const not_signed[] = {
        "Titre\nLe texte.\nPhoto : VNA/CVN\nLa suite du texte.\n",
        "Titre\nHanoï (VNA)\nLe texte de la dépêche.\n",
        "Titre\nLe texte.\nLe Vietnam et la VNA\nLa suite du texte.\n",
    };
    for (size_t i = 0; i < sizeof not_signed / sizeof *not_signed; i++)
        ck_assert_uint_eq(body_end_of(not_signed[i]), cps(not_signed[i], strlen(not_signed[i])));
}
END_TEST

/* A footer, a comment prompt, tags or share buttons end the body once the article has begun;
 * above the headline they end nothing. */
START_TEST(body_ends_at_the_site_lines) {
    static const char *const ends[] = {
        "Titre\nLe texte.\n\nRédactrice en chef : Nguyen Thi A\nAdresse : Hanoï\n",
        "Titre\nLe texte.\nCommentaires\nAutres\n",
        "Titre\nLe texte.\nLaisser un commentaire\nVotre adresse e-mail ne sera pas publiée.\n",
        "Titre\nLe texte.\nTAG\nVietnam Chine\n",
        "Titre\nLe texte.\nMots-clés : Vietnam, Chine\n",
        "Titre\nLe texte.\n© 2024 Le Journal. Tous droits réservés.\n",
        "Titre\nLe texte.\nPartager\nFacebook\n",
    };
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        const char *line = strstr(ends[i], ".\n") + 2;
        line += strspn(line, "\n");
        ck_assert_uint_eq(body_end_of(ends[i]), cps(ends[i], (size_t)(line - ends[i])));
    }
    const char *top = "La une\nPartager\nTitre de l'article\nLe texte.\nCommentaires\n";
    ck_assert_uint_eq(body_end_of(top), at_of(top, "Commentaires"));
    /* a "see also" link inside the article is no end */
    const char *link = "Titre\nLe texte.\nLire aussi : Le Vietnam et la Chine renforcent leur coopération\nLa suite.\n";
    ck_assert_uint_eq(body_end_of(link), cps(link, strlen(link)));
}
END_TEST

/* Every alternative of every TEASER shape ends the body, after blanks, in capitals as in lower
 * case (but the shapes matched as written): each shape opens with a class of its alternatives' first letters (layout.rules), and
 * an alternative whose letter the class lacks would never match. One line per alternative. */
START_TEST(every_teaser_shape_ends_the_body) {
    static const char *const lines[] = {
        /* %teaser_voir_plus */
        "Voir plus", "Lire aussi :", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
        "Voir aussi", "À voir aussi", "Sur le même sujet", "Dans la même rubrique", "Articles liés",
        "Autres articles", "Plus d'articles", "Actualités connexes", "Informations connexes",
        "Nouvelles connexes", "Autres actualités", "Les plus lus", "Vous pourriez aussi aimer",
        "Pourriez aussi aimer", "Pourrez aussi aimer", "Devriez aussi aimer", "Vous aimerez aussi",
        "À découvrir aussi", "Découvrez aussi", "Ne manquez pas", "Recommandé pour vous",
        "Nos dernières vidéos", "Dernières infos", "Lire la suite", "En savoir plus", "À la une",
        "À ne pas manquer", "À lire ensuite", "Nos autres articles", "Voir les articles",
        "Tous les articles", "Plus d'actualités", "Toute l'actualité", "Contenus sponsorisés",
        "Article sponsorisé", "Publicité", "Article suivant",
        /* %teaser_footer */
        "Rédacteur en chef : A", "Directrice de la publication : A", "Responsable de la rédaction : A",
        "Adresse : A", "Siège social : A", "Permis de publication : A", "Licence : A", "Tél : A",
        "Fax : A", "E-mail : A", "Email : A",
        /* %teaser_copyright */
        "© 2024 A", "(c) 2024 A", "Copyright A", "Tous droits réservés", "All rights reserved",
        /* %teaser_site_menu */
        "Mentions légales", "Politique de confidentialité", "Conditions générales d'utilisation",
        "Qui sommes-nous", "Contactez-nous", "Nous contacter", "Abonnez-vous à notre newsletter",
        "Inscrivez-vous à la newsletter", "Suivez-nous sur", "Signaler une erreur",
        "Vous avez repéré une erreur", "Tu as vu une faute", "Votre adresse e-mail ne sera pas publiée.",
        "Déjà abonné ?", "Télécharger l'appli", "Téléchargez notre appli",
        /* %teaser_back_to_top */
        "Back to top", "Retour en haut de page", "Haut de page",
        /* %teaser_comments */
        "3 commentaires", "Commentaires", "Laisser un commentaire", "Laissez votre commentaire",
        "Ajouter un commentaire", "Écrire un commentaire", "Poster un commentaire", "Publier un commentaire",
        "Rédiger un commentaire", "Votre commentaire", "Réagir", "Réagissez à cet article", "Vos réactions",
        "Donnez votre avis",
        /* %teaser_feed */
        "Fil d'actualités", "Fil info", "En continu", "Dernières dépêches", "Toute l'actualité :",
        "Pour participer aux discussions, connectez-vous.",
        /* %teaser_share */
        "Partager", "Partagez", "Partager cet article", "Share", "Imprimer", "Envoyer à un ami",
        "Copier le lien",
    };
    /* the shapes matched as written, and the hashtags */
    static const char *const as_written[] = {
        /* %teaser_tags */
        "TAGS", "Tags : A", "Mots-clés : A", "MOTS-CLÉS", "Étiquettes", "Thèmes associés",
        /* %teaser_networks (not Pinterest, which the repair splits before the layout is read:
         * "Pinter est") */
        "Facebook", "Twitter", "LinkedIn", "WhatsApp", "Telegram", "Messenger", "Reddit", "Zalo",
        /* %teaser_hashtags */
        "#Vietnam #Chine",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines + sizeof as_written / sizeof *as_written; i++) {
        bool written = i >= sizeof lines / sizeof *lines;
        const char *shape = written ? as_written[i - sizeof lines / sizeof *lines] : lines[i];
        for (int lower = 0; lower < (written ? 1 : 2); lower++) {
            char line[128], s[256];
            if (lower)
                ck_assert_int_gt(utf8_lower(shape, strlen(shape), line, sizeof line), 0);
            else
                snprintf(line, sizeof line, "%s", shape);
            snprintf(s, sizeof s, "Titre\nLe texte.\n \t%s\nLa suite.\nLa suite encore.\n", line);
            if (body_end_of(s) != at_of(s, " \t"))
                ck_abort_msg("no teaser at \"%s\"", line);
        }
    }
}
END_TEST

/* The headline of another article's teaser, with no "Voir plus" before it: a short line without
 * final punctuation, then a lead, then the end or another headline. A subtitle followed by more
 * of the article ends nothing. */
START_TEST(body_ends_at_a_teaser_headline) {
    const char *lead = "Le ministre a affirmé que les deux pays continueraient à renforcer leur coopération "
                       "dans tous les domaines, notamment l'économie.";
    char s[2048];
    snprintf(s, sizeof s,
             "Titre\nLe texte de l'article.\nLa fin de l'article.\n"
             "Le Vietnam promet son plein soutien aux célébrations de la Fête nationale du Laos\n%s\n"
             "Le Japon et le Vietnam signent trois accords de coopération dans la santé\n%s\n",
             lead, lead);
    ck_assert_uint_eq(body_end_of(s), at_of(s, "Le Vietnam promet"));
    /* the teaser's photo caption before its headline belongs to the teaser */
    snprintf(s, sizeof s,
             "Titre\nLe texte de l'article.\nLa fin de l'article.\nLe ministre à Hanoï. Photo : VNA\n"
             "Le Vietnam promet son plein soutien aux célébrations de la Fête nationale du Laos\n%s",
             lead);
    ck_assert_uint_eq(body_end_of(s), at_of(s, "Le ministre à Hanoï"));
    /* a subtitle: the article goes on after its first paragraph */
    snprintf(s, sizeof s,
             "Titre\nLe texte de l'article.\nDes résultats encourageants dans la coopération entre les deux pays\n"
             "%s\n%s\n",
             lead, lead);
    ck_assert_uint_eq(body_end_of(s), cps(s, strlen(s)));
    /* a subtitle and its paragraph, cut mid-sentence by the crawler at the end of the text */
    snprintf(
        s, sizeof s,
        "Titre\nLe texte de l'article.\nDes résultats encourageants dans la coopération entre les deux pays\n"
        "%.100s",
        lead);
    ck_assert_uint_eq(body_end_of(s), cps(s, strlen(s)));
    /* a short subtitle, and a headline with no lead after it */
    snprintf(s, sizeof s, "Titre\nLe texte.\nUne coordination efficace\n%s\n", lead);
    ck_assert_uint_eq(body_end_of(s), cps(s, strlen(s)));
    snprintf(s, sizeof s, "Titre\nLe texte.\nLe Vietnam promet son plein soutien aux célébrations du Laos\n");
    ck_assert_uint_eq(body_end_of(s), cps(s, strlen(s)));
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("repair");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, nfc_and_lumping_keep_offsets);
    tcase_add_test(tc, invisible_characters_removed);
    tcase_add_test(tc, crlf_and_cr_are_line_ends);
    tcase_add_test(tc, offsets_across_removed_runs);
    tcase_add_test(tc, offsets_of_plain_and_mapped_blocks);
    tcase_add_test(tc, splits_run_together_words);
    tcase_add_test(tc, keeps_real_words_and_names);
    tcase_add_test(tc, keeps_inflections_elisions_and_abbreviations);
    tcase_add_test(tc, entity_inside_a_glued_token_maps_to_the_original);
    tcase_add_test(tc, layout_header_teasers_captions);
    tcase_add_test(tc, caption_is_the_whole_line);
    tcase_add_test(tc, body_ends_after_the_sign_off);
    tcase_add_test(tc, body_ends_at_the_site_lines);
    tcase_add_test(tc, every_teaser_shape_ends_the_body);
    tcase_add_test(tc, body_ends_at_a_teaser_headline);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
