/* Batches of hostile input: every bad document is named on the error stream with its reason,
 * the batch goes on, the output holds only whole records, and the status says a document failed. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "testutil.h"

static char dir[64];

static void write_bytes(const char *name, const void *data, size_t len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Writes dump (then freed) to DIR/dump.jsonl and that path into path. */
static void write_dump(gla_buf *dump, char *path, size_t size) {
    write_bytes("dump.jsonl", dump->data, dump->len);
    gla_buf_free(dump);
    snprintf(path, size, "%s/dump.jsonl", dir);
}

typedef struct {
    char *out, *err;
    size_t out_len, err_len;
    int status;
    batch_stats stats;
} run_result;

static int threads = 1;

static batch_opts default_opts(bool jsonl, size_t max_line) {
    batch_opts o = {.input = {.jsonl = jsonl, .id_field = "id", .text_field = "text", .date_field = "date",
                              .max_doc_size = 16u << 20, .max_line = max_line},
                    .doc = {.today = "2026-11-23"}, .format = GLA_FORMAT_JSONL, .threads = threads};
    return o;
}

static run_result run_opts(batch_opts o, char *const *paths, int n) {
    run_result r = {0};
    FILE *out = open_memstream(&r.out, &r.out_len), *err = open_memstream(&r.err, &r.err_len);
    o.out = out;
    o.err = err;
    r.status = batch_run(test_model, &o, paths, n, &r.stats);
    fclose(out);
    fclose(err);
    return r;
}

static run_result run(bool jsonl, size_t max_line, char *const *paths, int n) {
    return run_opts(default_opts(jsonl, max_line), paths, n);
}

static void free_result(run_result *r) {
    free(r->out);
    free(r->err);
}

/* Every output line parses as JSON; returns their number. */
static size_t valid_lines(const char *out) {
    size_t n = 0;
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        ck_assert_ptr_nonnull(nl);
        json_error_t e;
        json_t *j = json_loadb(p, (size_t)(nl - p), 0, &e);
        ck_assert_msg(j != NULL, "bad output line: %s", e.text);
        json_decref(j);
        n++;
        p = nl + 1;
    }
    return n;
}

static void setup(void) {
    test_setup();
    snprintf(dir, sizeof dir, "/tmp/gla_batchXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx %s; rm -rf %s", dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    test_teardown();
}

START_TEST(hostile_files_in_a_directory) {
    write_bytes("a_good.txt", "Le 3 mai 2020 à Hanoï.\n", strlen("Le 3 mai 2020 à Hanoï.\n"));
    write_bytes("b_invalid_utf8.txt", "caf\xC3\x28 au lait", 12);
    write_bytes("c_nul.txt", "texte\0binaire", 13);
    write_bytes("d_empty.txt", "", 0);
    size_t big = 50u << 20; /* 50 MB without a newline */
    char *huge = malloc(big);
    ck_assert_ptr_nonnull(huge);
    memset(huge, 'a', big);
    write_bytes("e_huge.txt", huge, big);
    free(huge);
    char loop[512], target[512];
    snprintf(loop, sizeof loop, "%s/f_loop", dir);
    ck_assert_int_eq(mkdir(loop, 0755), 0);
    snprintf(target, sizeof target, "%s/f_loop/back", dir);
    ck_assert_int_eq(symlink("..", target), 0);
    char unreadable[512];
    snprintf(unreadable, sizeof unreadable, "%s/g_unreadable.txt", dir);
    if (geteuid() == 0) /* root reads any file: a file whose read fails instead */
        ck_assert_int_eq(symlink("/proc/self/mem", unreadable), 0);
    else {
        write_bytes("g_unreadable.txt", "x", 1);
        ck_assert_int_eq(chmod(unreadable, 0), 0);
    }
    write_bytes("h_good.txt", "Le 4 juin 2021.\n", 16);
    char *paths[] = {dir};
    run_result r = run(false, 0, paths, 1);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(valid_lines(r.out), 2);
    ck_assert_ptr_nonnull(strstr(r.out, "\"id\":\"a_good\""));
    ck_assert_ptr_nonnull(strstr(r.out, "\"id\":\"h_good\""));
    ck_assert(strstr(r.err, "b_invalid_utf8 (") && strstr(r.err, "invalid UTF-8"));
    ck_assert(strstr(r.err, "c_nul (") && strstr(r.err, "NUL byte"));
    ck_assert(strstr(r.err, "d_empty (") && strstr(r.err, "empty document"));
    ck_assert(strstr(r.err, "e_huge (") && strstr(r.err, "size limit"));
    ck_assert_ptr_nonnull(strstr(r.err, "directory loop"));
    ck_assert_ptr_nonnull(strstr(r.err, "g_unreadable ("));
    ck_assert_uint_eq(r.stats.failed, 6);
    /* one line per failure, each naming its document */
    size_t lines = 0;
    for (const char *p = r.err; (p = strchr(p, '\n')); p++)
        lines++;
    ck_assert_uint_eq(lines, 6);
    free(r.out);
    free(r.err);
}
END_TEST

START_TEST(hostile_json_lines) {
    gla_buf dump = {0};
    buf_puts(&dump, "{\"id\": \"ok1\", \"text\": \"Le 3 mai 2020.\", \"date\": \"2020-05-04\"}\n");
    buf_puts(&dump, "{\"id\": \"broken\", \"text\": \"Le 3 mai\n");
    buf_puts(&dump, "[1, 2, 3]\n\n");
    buf_puts(&dump, "{\"id\": 7, \"body\": \"no text field\"}\n");
    buf_puts(&dump, "{\"id\": \"baddate\", \"text\": \"Le 3 mai.\", \"date\": \"hier\"}\n");
    /* a 10 MB line: processed */
    buf_puts(&dump, "{\"id\": \"big\", \"text\": \"");
    for (int i = 0; i < 250000; i++) /* 10.5 MB */
        buf_puts(&dump, "Le texte de la dépêche continue encore ");
    buf_puts(&dump, "\"}\n");
    /* a line over the limit given below: reported, skipped, and the next line still read */
    buf_puts(&dump, "{\"id\": \"toolong\", \"text\": \"");
    for (int i = 0; i < 800000; i++)
        buf_puts(&dump, "abcdefghijklmno");
    buf_puts(&dump, "\"}\n");
    buf_puts(&dump, "{\"text\": \"Le 5 mai 2020, sans id.\"}");
    char path[512];
    write_dump(&dump, path, sizeof path);
    char *paths[] = {path};
    run_result r = run(true, 11u << 20, paths, 1);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(valid_lines(r.out), 3);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"ok1\""));
    ck_assert_ptr_nonnull(strstr(r.out, "\"date\":\"2020-05-04\""));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"big\""));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"9\"")); /* no id: the line number */
    ck_assert(strstr(r.err, "dump.jsonl:2") && strstr(r.err, "malformed JSON"));
    ck_assert_ptr_nonnull(strstr(r.err, "dump.jsonl:3): malformed JSON record: not a JSON object"));
    ck_assert(strstr(r.err, "7 (") && strstr(r.err, "no string field \"text\""));
    ck_assert_ptr_nonnull(strstr(r.err, "baddate ("));
    ck_assert(strstr(r.err, "dump.jsonl:8") && strstr(r.err, "--max-line"));
    ck_assert_uint_eq(r.stats.failed, 5);
    /* with threads the workers parse the lines: the same bytes, errors included */
    threads = 2;
    run_result two = run(true, 11u << 20, paths, 1);
    threads = 1;
    ck_assert_int_eq(two.status, 1);
    ck_assert_str_eq(two.out, r.out);
    ck_assert_str_eq(two.err, r.err);
    ck_assert_uint_eq(two.stats.failed, 5);
    free(two.out);
    free(two.err);
    free(r.out);
    free(r.err);
}
END_TEST

START_TEST(missing_path) {
    char *paths[] = {"/nonexistent/article.txt"};
    run_result r = run(false, 0, paths, 1);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_ptr_nonnull(strstr(r.err, "article (/nonexistent/article.txt): input/output error: No such file"));
    free(r.out);
    free(r.err);
}
END_TEST

START_TEST(threads_give_the_same_bytes) {
    /* good and bad documents mixed; with 1 and 2 threads, output and errors are identical */
    for (int i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "doc%02d.txt", i);
        if (i % 4 == 3)
            write_bytes(name, "caf\xC3\x28", 5);
        else
            write_bytes(name, "Le ministre japonais de la Défense, Yasuo Ichikawa, a reçu le 3 mai 2020 son homologue.",
                        strlen("Le ministre japonais de la Défense, Yasuo Ichikawa, a reçu le 3 mai 2020 son homologue."));
    }
    char *paths[] = {dir};
    threads = 1;
    run_result one = run(false, 0, paths, 1);
    threads = 2;
    run_result two = run(false, 0, paths, 1);
    threads = 1;
    ck_assert_int_eq(one.status, 1);
    ck_assert_int_eq(two.status, 1);
    ck_assert_uint_eq(valid_lines(one.out), 9);
    ck_assert_str_eq(one.out, two.out);
    ck_assert_str_eq(one.err, two.err);
    ck_assert_uint_eq(two.stats.failed, 3);
    free(one.out);
    free(one.err);
    free(two.out);
    free(two.err);
}
END_TEST

/* Each limit: a document at the limit goes through, one byte (or entity) past it is rejected
 * with its name and the limit, never cut short; the batch goes on. */
START_TEST(limit_doc_size_at_and_past) {
    const char *sentence = "Le 3 mai 2020 à Hanoï.";
    size_t limit = 1000;
    char *text = malloc(limit + 2);
    ck_assert_ptr_nonnull(text);
    memset(text, ' ', limit + 1);
    memcpy(text, sentence, strlen(sentence));
    text[limit + 1] = '\0';
    write_bytes("a_at.txt", text, limit);
    write_bytes("b_past.txt", text, limit + 1);
    /* the same in a dump: the text field's bytes count */
    gla_buf dump = {0};
    buf_printf(&dump, "{\"id\": \"json_at\", \"text\": \"%.*s\"}\n", (int)limit, text);
    buf_printf(&dump, "{\"id\": \"json_past\", \"text\": \"%.*s\"}\n", (int)limit + 1, text);
    char a[512], b[512], d[512];
    write_dump(&dump, d, sizeof d);
    free(text);
    snprintf(a, sizeof a, "%s/a_at.txt", dir);
    snprintf(b, sizeof b, "%s/b_past.txt", dir);
    char *files[] = {a, b};
    batch_opts o = default_opts(false, 0);
    o.input.max_doc_size = limit;
    run_result r = run_opts(o, files, 2);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(valid_lines(r.out), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"a_at\""));
    ck_assert_ptr_nonnull(strstr(r.err, "glaneur: b_past ("));
    ck_assert_ptr_nonnull(strstr(r.err, "over 1000 bytes (--max-doc-size)"));
    free_result(&r);
    char *dumps[] = {d};
    o.input.jsonl = true;
    r = run_opts(o, dumps, 1);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(valid_lines(r.out), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"json_at\""));
    ck_assert(strstr(r.err, "glaneur: json_past (") && strstr(r.err, "over 1000 bytes (--max-doc-size)"));
    free_result(&r);
}
END_TEST

START_TEST(limit_line_at_and_past) {
    size_t limit = 200; /* bytes of a line, its newline not counted */
    gla_buf dump = {0};
    const char *head = "{\"id\": \"at\", \"text\": \"Le 3 mai 2020.";
    buf_puts(&dump, head);
    for (size_t i = strlen(head); i < limit - 2; i++)
        buf_putc(&dump, ' ');
    buf_puts(&dump, "\"}\n");
    ck_assert_uint_eq(dump.len, limit + 1);
    size_t first = dump.len;
    buf_puts(&dump, "{\"id\": \"past\", \"text\": \"Le 3 mai 2020.");
    while (dump.len - first < limit - 1)
        buf_putc(&dump, ' ');
    buf_puts(&dump, "\"}\n");
    ck_assert_uint_eq(dump.len - first, limit + 2);
    buf_puts(&dump, "{\"id\": \"after\", \"text\": \"Le 4 mai 2020.\"}\n");
    char d[512];
    write_dump(&dump, d, sizeof d);
    char *paths[] = {d};
    run_result r = run(true, limit, paths, 1);
    ck_assert_int_eq(r.status, 1);
    ck_assert_uint_eq(valid_lines(r.out), 2);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"at\""));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"id\":\"after\""));
    ck_assert(strstr(r.err, "dump.jsonl:2)") && strstr(r.err, "limit of 200 bytes (--max-line)"));
    ck_assert_uint_eq(r.stats.failed, 1);
    free_result(&r);
}
END_TEST

START_TEST(limit_entities_at_and_past) {
    const char *text = "Le 3 mai 2020 à Hanoï, le ministre japonais de la Défense Yasuo Ichikawa a reçu "
                       "le général Phan Van Giang à Tokyo.";
    write_bytes("doc.txt", text, strlen(text));
    char p[512];
    snprintf(p, sizeof p, "%s/doc.txt", dir);
    char *paths[] = {p};
    run_result r = run(false, 0, paths, 1);
    ck_assert_int_eq(r.status, 0);
    size_t count = 0;
    for (int t = 0; t < GLA_ENT__COUNT; t++)
        count += r.stats.entities[t];
    ck_assert_uint_ge(count, 4);
    char *full = r.out;
    free(r.err);
    batch_opts o = default_opts(false, 0);
    o.doc.max_entities = count; /* at the limit: the same output */
    r = run_opts(o, paths, 1);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, full);
    free_result(&r);
    o.doc.max_entities = count - 1; /* past it: rejected whole */
    r = run_opts(o, paths, 1);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    char why[800];
    snprintf(why, sizeof why, "glaneur: doc (%s): document exceeds a limit: over %zu entities (--max-entities)\n", p,
             count - 1);
    ck_assert_str_eq(r.err, why);
    free_result(&r);
    free(full);
}
END_TEST

static size_t count_files(const char *path, const char *suffix) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -c -- '%s$'", path, suffix);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = 0;
    ck_assert_int_eq(fscanf(p, "%zu", &n), 1);
    pclose(p);
    return n;
}

/* --output DIR: one whole file per document; --resume skips those already there. */
START_TEST(output_dir_and_resume) {
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/in", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    ck_assert_int_eq(mkdir(in, 0755), 0);
    for (int i = 0; i < 6; i++) {
        char name[64], text[128];
        snprintf(name, sizeof name, "in/d%d.txt", i);
        int n = snprintf(text, sizeof text, "Le %d mai 2020, le ministre s'est rendu à Hanoï.", i + 1);
        write_bytes(name, text, (size_t)n);
    }
    write_bytes("in/e_bad.txt", "caf\xC3\x28", 5);
    for (int f = 0; f < 2; f++) {
        char rm[600];
        snprintf(rm, sizeof rm, "rm -rf %s", out);
        ck_assert_int_eq(system(rm), 0);
        batch_opts o = default_opts(false, 0);
        o.threads = 2;
        o.output_dir = out;
        o.format = f ? GLA_FORMAT_BRAT : GLA_FORMAT_JSONL;
        const char *ext = f ? ".ann" : ".jsonl";
        char *paths[] = {in};
        run_result r = run_opts(o, paths, 1);
        ck_assert_int_eq(r.status, 1); /* e_bad */
        ck_assert_str_eq(r.out, "");   /* everything went to the directory */
        ck_assert_uint_eq(count_files(out, ext), 6);
        ck_assert_uint_eq(count_files(out, "tmp"), 0);
        free_result(&r);
        char path[600], *first = NULL;
        size_t first_len = 0;
        snprintf(path, sizeof path, "%s/d3%s", out, ext);
        ck_assert_int_eq(read_file(path, 0, &first, &first_len), GLA_OK);
        if (!f)
            ck_assert_uint_eq(valid_lines(first), 1);
        ck_assert_int_eq(remove(path), 0);
        o.resume = true;
        r = run_opts(o, paths, 1);
        ck_assert_int_eq(r.status, 1);      /* e_bad is tried again, and fails again */
        ck_assert_uint_eq(r.stats.skipped, 5);
        ck_assert_uint_eq(r.stats.documents, 2);
        char *again = NULL;
        size_t again_len = 0;
        ck_assert_int_eq(read_file(path, 0, &again, &again_len), GLA_OK);
        ck_assert_uint_eq(again_len, first_len);
        ck_assert(!memcmp(again, first, first_len));
        free(first);
        free(again);
        free_result(&r);
    }
}
END_TEST

/* File names from ids: nothing hidden, nothing outside the directory, long ids kept apart. */
START_TEST(output_names_from_awkward_ids) {
    gla_buf dump = {0};
    char long_a[400], long_b[400];
    memset(long_a, 'a', 300);
    long_a[300] = '\0';
    memcpy(long_b, long_a, 301);
    long_b[299] = 'b'; /* differs only past the kept prefix */
    buf_printf(&dump, "{\"id\": \"\", \"text\": \"Le 3 mai 2020.\"}\n");
    buf_printf(&dump, "{\"id\": \"../evil\", \"text\": \"Le 3 mai 2020.\"}\n");
    buf_printf(&dump, "{\"id\": \"%s\", \"text\": \"Le 3 mai 2020.\"}\n", long_a);
    buf_printf(&dump, "{\"id\": \"%s\", \"text\": \"Le 3 mai 2020.\"}\n", long_b);
    char d[512], out[512];
    write_dump(&dump, d, sizeof d);
    snprintf(out, sizeof out, "%s/out", dir);
    batch_opts o = default_opts(true, 0);
    o.output_dir = out;
    char *paths[] = {d};
    run_result r = run_opts(o, paths, 1);
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(count_files(out, ".jsonl"), 4); /* four files: no two ids share one */
    char path[600];
    snprintf(path, sizeof path, "%s/%%.jsonl", out); /* the empty id */
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/%%2E.%%2Fevil.jsonl", out); /* no leading dot, no slash */
    ck_assert_int_eq(access(path, F_OK), 0);
    free_result(&r);
}
END_TEST

/* A stop request (what the command's signal handler sets): nothing more is read, what was
 * begun is written whole, and the batch says it was interrupted. */
START_TEST(interrupted_batch_stops_cleanly) {
    for (int i = 0; i < 4; i++) {
        char name[64];
        snprintf(name, sizeof name, "d%d.txt", i);
        write_bytes(name, "Le 3 mai 2020 à Hanoï.", strlen("Le 3 mai 2020 à Hanoï."));
    }
    volatile sig_atomic_t stop = 1;
    batch_opts o = default_opts(false, 0);
    o.interrupted = &stop;
    char *paths[] = {dir};
    for (int t = 1; t <= 2; t++) {
        o.threads = t;
        run_result r = run_opts(o, paths, 1);
        ck_assert(r.stats.interrupted);
        ck_assert_uint_eq(r.stats.documents, 0);
        ck_assert_str_eq(r.out, "");
        free_result(&r);
    }
}
END_TEST

/* read_json_doc decodes the text field itself rather than through jansson: on every line,
 * valid or not, what it reads (id, date, text, error and its message) is what jansson reads. */
START_TEST(json_text_read_as_jansson_reads_it)
{
    static const char *const lines[] = {
        "{\"id\": \"a\", \"text\": \"Le 3 mai \\u00e0 Hano\\u00EF, \\\"cit\\u00e9\\\" \\/ \\\\ \\b\\f\\n\\r\\t.\"}",
        "{\"text\": \"emoji \\ud83d\\ude00 and \xc3\xa9t\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80 end of a longer text\"}",
        "{\"text\": \"lone high \\ud83d here\"}", "{\"text\": \"lone low \\ude00 here\"}",
        "{\"text\": \"high then high \\ud83d\\ud83d\"}", "{\"text\": \"nul \\u0000 here\"}",
        "{\"text\": \"bad hex \\u00g0\"}", "{\"text\": \"bad escape \\x41\"}", "{\"text\": \"cut \\u00\"}",
        "{\"text\": \"control \x01 char\"}", "{\"text\": \"invalid \xc3\x28 utf8\"}",
        "{\"text\": \"overlong \xc0\xaf\"}", "{\"text\": \"surrogate \xed\xa0\x80\"}",
        "{\"text\": \"unclosed", "{\"text\": \"trailing\"} x", "{\"text\": \"ok\"}   ", "  {\"text\":\"ok\"}",
        "{\"text\": \"first\", \"text\": \"second\"}", "{\"te\\u0078t\": \"escaped key\", \"text\": \"plain\"}",
        "{\"text\": \"plain\", \"te\\u0078t\": \"escaped key\"}",
        "{\"meta\": {\"text\": \"nested\"}, \"list\": [\"text\", {\"text\": 1}], \"text\": \"top\"}",
        "{\"meta\": {\"text\": \"nested\"}}", "{\"text\": 12}", "{\"text\": null}", "{\"text\": \"\"}",
        "[\"text\", \"x\"]", "\"text\"", "{\"id\": 42, \"date\": \"2020-05-03\", \"text\": \"Dat\\u00e9.\"}",
        "{\"text\": \"missing brace\"", "{\"text\" \"no colon\"}", "{\"text\": \"x\",}",
        "{\"a\": \"x\\\"y\", \"text\": \"after an escaped quote\"}", "{\"text\": \"big\", \"z\": \"\xff\"}",
        "{\"text\"  :  \"spaced\\n\"  ,\"id\":\"s\"}", "{\"text\": \"\\\\\"}", "{\"text\": \"x\" \"y\"}",
    };
    read_opts o = {.jsonl = true, .id_field = "id", .text_field = "text", .date_field = "date", .max_doc_size = 100};
    json_doc jd = {0};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        const char *line = lines[i];
        doc_input d;
        read_json_doc(&o, line, strlen(line), "7", "dump:7", &jd, &d);
        json_error_t jerr;
        json_t *obj = json_loadb(line, strlen(line), 0, &jerr);
        json_t *text = json_object_get(obj, "text");
        const char *id = json_string_value(json_object_get(obj, "id"));
        if (!obj || !json_is_object(obj)) {
            ck_assert_int_eq(d.error, GLA_ERR_JSON);
            ck_assert_str_eq(d.why, obj ? "not a JSON object" : jerr.text);
        } else if (!json_is_string(text)) {
            ck_assert_int_eq(d.error, GLA_ERR_JSON);
            ck_assert_str_eq(d.why, "no string field \"text\"");
        } else {
            ck_assert_msg(d.error == GLA_OK, "line %zu", i);
            ck_assert_uint_eq(d.len, json_string_length(text));
            ck_assert_msg(!memcmp(d.text, json_string_value(text), d.len + 1), "line %zu", i);
            ck_assert_str_eq(d.id, id ? id : json_is_integer(json_object_get(obj, "id")) ? "42" : "7");
        }
        json_decref(obj);
        json_doc_release(&jd);
    }
    json_doc_free(&jd);
}
END_TEST

/* The output's writers: buf_put_uint writes what printf writes, at every count of digits and on
 * both sides of each power of ten; buf_json_escape escapes as a byte-at-a-time escaper does,
 * with a byte to escape at every place of strings of every length around its word copies. */
static void escape_bytewise(gla_buf *out, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8] = {(char)c, 0};
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            strcpy(esc, "\\n");
        else if (c == '\r')
            strcpy(esc, "\\r");
        else if (c == '\t')
            strcpy(esc, "\\t");
        else if (c < 0x20)
            snprintf(esc, sizeof esc, "\\u%04x", c);
        ck_assert(buf_puts(out, esc));
    }
}

START_TEST(writers_write_what_printf_writes) {
    gla_buf got = {0}, want = {0};
    char printed[32];
    for (size_t p = 1, digits = 1; digits <= 20; digits++, p *= 10) {
        size_t values[] = {p - 1, p, p + 1, p * 5, digits == 20 ? SIZE_MAX : p * 10 - 1};
        for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
            got.len = 0;
            ck_assert(buf_put_uint(&got, values[k]));
            snprintf(printed, sizeof printed, "%zu", values[k]);
            ck_assert_str_eq(got.data, printed);
        }
        if (p > SIZE_MAX / 10)
            break;
    }
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f'};
    char s[40];
    for (size_t len = 0; len <= 24; len++)
        for (size_t at = 0; at <= len; at++) /* at == len: no byte to escape */
            for (size_t k = 0; k < sizeof specials; k++) {
                for (size_t i = 0; i < len; i++)
                    s[i] = (char)(i % 3 == 2 ? 0xc3 : 'a' + (char)i); /* bytes beyond ASCII too */
                if (at < len)
                    s[at] = specials[k];
                got.len = want.len = 0;
                ck_assert(buf_puts(&got, "x") && buf_json_escape(&got, s, len));
                ck_assert(buf_puts(&want, "x"));
                escape_bytewise(&want, s, len);
                ck_assert_uint_eq(got.len, want.len);
                ck_assert_str_eq(got.data, want.data);
            }
    gla_buf_free(&got);
    gla_buf_free(&want);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, hostile_files_in_a_directory);
    tcase_add_test(tc, hostile_json_lines);
    tcase_add_test(tc, json_text_read_as_jansson_reads_it);
    tcase_add_test(tc, missing_path);
    tcase_add_test(tc, threads_give_the_same_bytes);
    tcase_add_test(tc, limit_doc_size_at_and_past);
    tcase_add_test(tc, limit_line_at_and_past);
    tcase_add_test(tc, limit_entities_at_and_past);
    tcase_add_test(tc, output_dir_and_resume);
    tcase_add_test(tc, interrupted_batch_stops_cleanly);
    tcase_add_test(tc, output_names_from_awkward_ids);
    tcase_add_test(tc, writers_write_what_printf_writes);
    suite_add_tcase(s, tc);
    return s;
}

RUN_SUITE(suite)
