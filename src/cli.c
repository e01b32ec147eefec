/* The glaneur command: extract, normalize, eval. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "batch.h"
#include "eval.h"
#include "merge.h"
#include "glaneur.h"
#include "internal.h"

#define DEFAULT_MAX_DOC (16u << 20)
#define DEFAULT_MAX_LINE (64u << 20)

static const char usage_text[] =
    "usage: glaneur extract [options] PATH...   annotate articles (files, directories, - for stdin)\n"
    "       glaneur normalize [options] PATH... print the repaired text of each article\n"
    "       glaneur eval --gold DIR --texts DIR [--json] [--errors] PRED.jsonl\n"
    "       glaneur merge FILE.jsonl...           one entity table (by key) over many documents\n"
    "       glaneur --version\n"
    "\n"
    "extract and normalize options:\n"
    "  -f, --format FMT        jsonl (default), conll, conllu, brat, triples (N-Triples)\n"
    "      --base-iri IRI      base of the IRIs of --format triples (default urn:glaneur)\n"
    "  -o, --output DIR        one file per document in DIR (ID.jsonl, ID.conll, ID.conllu, ID.nt;\n"
    "                          brat: ID.txt and ID.ann; normalize: ID.txt), each written whole\n"
    "                          or not at all\n"
    "      --resume            skip the documents whose file is already in --output DIR\n"
    "  -i, --input KIND        text (default: one article per file) or jsonl (one per line)\n"
    "      --id-field NAME     JSON Lines field of the id (default id; else the line number)\n"
    "      --text-field NAME   JSON Lines field of the text (default text)\n"
    "      --date-field NAME   JSON Lines field of the date (default date)\n"
    "      --date YYYY[-MM[-DD]]  reference date of articles that state none\n"
    "      --today YYYY-MM-DD  bound for weekday inference (default: the system date)\n"
    "      --text              include the repaired body as \"text\" in JSON Lines\n"
    "      --all-sections      annotate the teaser section (Voir plus ...) too\n"
    "      --no-captions       leave photo captions unannotated\n"
    "      --max-doc-size N    reject articles over N bytes (default 16M; K, M, G suffixes)\n"
    "      --max-line N        reject JSON lines over N bytes (default 64M)\n"
    "      --max-entities N    reject articles with over N entities (default 100000)\n"
    "  -j, --threads N         worker threads (default: the number of cores); output order and\n"
    "                          bytes do not depend on it\n"
    "  -q, --quiet             no progress line and no summary on standard error\n"
    "      --data DIR          gazetteers directory (default: $GLANEUR_DATA or the built-in)\n"
    "      --lexicon FILE      compiled lexicon (default: $GLANEUR_LEXICON or the built-in)\n"
    "\n"
    "A summary (documents, entities, relations, time by stage) ends every run on standard error.\n"
    "\n"
    "SIGINT or SIGTERM stops reading: the documents in progress are finished and written whole,\n"
    "and the command exits with 128 + the signal's number (a second signal stops at once).\n"
    "\n"
    "Exit status: 0 when every article was processed, 1 when any failed (each failure is named on\n"
    "standard error), 2 for a usage error.\n";

static int usage(FILE *f, int status) {
    fputs(usage_text, f);
    return status;
}

static bool parse_size(const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: break;
    }
    if (*end)
        return false;
    *out = (size_t)v;
    return true;
}

enum {
    OPT_ID_FIELD = 256, OPT_TEXT_FIELD, OPT_DATE_FIELD, OPT_DATE, OPT_TODAY, OPT_TEXT, OPT_ALL,
    OPT_NO_CAPTIONS, OPT_MAX_DOC, OPT_MAX_LINE, OPT_MAX_ENT, OPT_DATA, OPT_LEXICON, OPT_GOLD,
    OPT_TEXTS, OPT_JSON, OPT_ERRORS, OPT_BASE_IRI, OPT_RESUME
};

static const struct option long_opts[] = {
    {"format", required_argument, 0, 'f'},       {"output", required_argument, 0, 'o'},
    {"input", required_argument, 0, 'i'},        {"id-field", required_argument, 0, OPT_ID_FIELD},
    {"text-field", required_argument, 0, OPT_TEXT_FIELD},
    {"date-field", required_argument, 0, OPT_DATE_FIELD},
    {"date", required_argument, 0, OPT_DATE},    {"today", required_argument, 0, OPT_TODAY},
    {"text", no_argument, 0, OPT_TEXT},          {"all-sections", no_argument, 0, OPT_ALL},
    {"no-captions", no_argument, 0, OPT_NO_CAPTIONS},
    {"max-doc-size", required_argument, 0, OPT_MAX_DOC},
    {"max-line", required_argument, 0, OPT_MAX_LINE},
    {"max-entities", required_argument, 0, OPT_MAX_ENT},
    {"data", required_argument, 0, OPT_DATA},    {"lexicon", required_argument, 0, OPT_LEXICON},
    {"gold", required_argument, 0, OPT_GOLD},    {"texts", required_argument, 0, OPT_TEXTS},
    {"json", no_argument, 0, OPT_JSON},          {"errors", no_argument, 0, OPT_ERRORS},
    {"base-iri", required_argument, 0, OPT_BASE_IRI},
    {"resume", no_argument, 0, OPT_RESUME},
    {"threads", required_argument, 0, 'j'},     {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},               {0, 0, 0, 0}};

/* The number of the signal that asked the batch to stop, or 0. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) { stop_signal = sig; }

/* SIGINT and SIGTERM let the batch finish what it has begun (see batch_run); SA_RESETHAND: a
 * second one ends the process at once. SA_RESTART: a read in progress is not cut short. */
static void catch_stop_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int run_eval(int argc, char **argv, const char *gold, const char *texts, bool json, bool errors) {
    if (!gold || !texts || argc != 1) {
        fprintf(stderr, "glaneur eval: needs --gold DIR --texts DIR and one PRED.jsonl\n");
        return 2;
    }
    return gla_eval_run(gold, texts, argv[0], json, errors, stdout, stderr) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
#ifdef __GLIBC__
    /* A big document's buffers (over 1 MB) are mapped one by one: freed, they go back to the
     * system at once, and they grow by remapping, not by copying. glibc's default threshold
     * rises to the size of the biggest block freed, after which such buffers come from the heap,
     * whose freed pieces stay in the process: a 4 MB document peaked 22% higher. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    /* Setting the threshold stops glibc from raising the trim threshold with it: left at 128K,
     * equal to the heap's top pad, every block freed at the heap's top gave its pages back at
     * once, to be mapped again and faulted in by the next allocation. The JIT compiles of the
     * first documents (their scratch is freed block by block) thus made 1,260 brk calls and
     * 950 page faults. At 1 MB, as much as the biggest block the heap serves, freed room is
     * kept for the next such blocks; the peak of a big document is unchanged (158 MB). */
    mallopt(M_TRIM_THRESHOLD, 1 << 20);
#endif
    if (argc < 2)
        return usage(stderr, 2);
    if (!strcmp(argv[1], "--version")) {
        printf("glaneur %s\n", GLA_VERSION_STRING);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout, 0);
    const char *command = argv[1];
    if (!strcmp(command, "merge")) {
        if (argc < 3) {
            fprintf(stderr, "glaneur merge: give the JSON Lines files of glaneur extract (- for stdin)\n");
            return 2;
        }
        return gla_merge_run(argv + 2, argc - 2, stdout, stderr);
    }
    bool is_eval = !strcmp(command, "eval");
    if (!is_eval && strcmp(command, "extract") && strcmp(command, "normalize")) {
        fprintf(stderr, "glaneur: unknown command '%s'\n", command);
        return usage(stderr, 2);
    }
    batch_opts o = {
        .mode = !strcmp(command, "normalize") ? BATCH_NORMALIZE : BATCH_EXTRACT,
        .input = {.id_field = "id", .text_field = "text", .date_field = "date",
                  .max_doc_size = DEFAULT_MAX_DOC, .max_line = DEFAULT_MAX_LINE},
        .format = GLA_FORMAT_JSONL,
        .out = stdout,
        .err = stderr,
    };
    gla_model_opts mo = {0};
    const char *gold = NULL, *texts = NULL;
    bool json = false, errors = false;
    optind = 2;
    int c;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cores > 0 ? (int)cores : 1;
    bool quiet = false;
    while ((c = getopt_long(argc, argv, "f:o:i:j:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "jsonl")) o.format = GLA_FORMAT_JSONL;
            else if (!strcmp(optarg, "conll")) o.format = GLA_FORMAT_CONLL;
            else if (!strcmp(optarg, "conllu")) o.format = GLA_FORMAT_CONLLU;
            else if (!strcmp(optarg, "brat")) o.format = GLA_FORMAT_BRAT;
            else if (!strcmp(optarg, "triples")) o.format = GLA_FORMAT_TRIPLES;
            else {
                fprintf(stderr, "glaneur: unknown format '%s'\n", optarg);
                return 2;
            }
            break;
        case 'o': o.output_dir = optarg; break;
        case 'q': quiet = true; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "glaneur: --threads wants a number from 1 to 256, not '%s'\n", optarg);
                return 2;
            }
            o.threads = (int)n;
            break;
        }
        case 'i':
            if (!strcmp(optarg, "jsonl")) o.input.jsonl = true;
            else if (!strcmp(optarg, "text")) o.input.jsonl = false;
            else {
                fprintf(stderr, "glaneur: unknown input kind '%s' (text or jsonl)\n", optarg);
                return 2;
            }
            break;
        case OPT_ID_FIELD: o.input.id_field = optarg; break;
        case OPT_TEXT_FIELD: o.input.text_field = optarg; break;
        case OPT_DATE_FIELD: o.input.date_field = optarg; break;
        case OPT_DATE: o.doc.date = optarg; break;
        case OPT_TODAY: o.doc.today = optarg; break;
        case OPT_TEXT: o.render_flags |= GLA_RENDER_TEXT; break;
        case OPT_ALL: o.doc.all_sections = true; break;
        case OPT_NO_CAPTIONS: o.doc.no_captions = true; break;
        case OPT_MAX_DOC:
        case OPT_MAX_LINE:
        case OPT_MAX_ENT: {
            size_t v;
            if (!parse_size(optarg, &v) || v == 0) {
                fprintf(stderr, "glaneur: bad number '%s'\n", optarg);
                return 2;
            }
            if (c == OPT_MAX_DOC) o.input.max_doc_size = v;
            else if (c == OPT_MAX_LINE) o.input.max_line = v;
            else o.doc.max_entities = v;
            break;
        }
        case OPT_DATA: mo.data_dir = optarg; break;
        case OPT_LEXICON: mo.lexicon_path = optarg; break;
        case OPT_GOLD: gold = optarg; break;
        case OPT_TEXTS: texts = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_ERRORS: errors = true; break;
        case OPT_BASE_IRI: o.base_iri = optarg; break;
        case OPT_RESUME: o.resume = true; break;
        case 'h': return usage(stdout, 0);
        default: return usage(stderr, 2);
        }
    }
    if (is_eval)
        return run_eval(argc - optind, argv + optind, gold, texts, json, errors);
    if (optind >= argc) {
        fprintf(stderr, "glaneur %s: no input (give files, directories, or - for stdin)\n", command);
        return 2;
    }
    if (o.doc.date) {
        /* validated here once rather than failing every document */
        const char *s = o.doc.date;
        size_t len = strlen(s);
        bool shape = len == 4 || len == 7 || len == 10;
        for (size_t i = 0; i < len && shape; i++)
            shape = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
        int m = len >= 7 ? atoi(s + 5) : 1, d = len == 10 ? atoi(s + 8) : 1;
        if (!shape || m < 1 || m > 12 || d < 1 || d > 31) {
            fprintf(stderr, "glaneur: --date wants YYYY, YYYY-MM or YYYY-MM-DD, not '%s'\n", o.doc.date);
            return 2;
        }
    }
    if (o.base_iri && !iri_base_valid(o.base_iri)) {
        fprintf(stderr,
                "glaneur: --base-iri wants an IRI (a scheme such as urn: or https:, then no space, control "
                "character or <>\"{}|\\^`)\n");
        return 2;
    }
    o.progress = !quiet && isatty(fileno(stderr));
    o.summary = !quiet;
    gla_model *model;
    char why[512];
    int rc = gla_model_load(&mo, &model, why, sizeof why);
    if (rc != GLA_OK) {
        fprintf(stderr, "glaneur: cannot load the model: %s\n", why);
        return 1;
    }
    batch_stats stats;
    o.interrupted = &stop_signal;
    catch_stop_signals();
    int status = batch_run(model, &o, argv + optind, argc - optind, &stats);
    gla_model_free(model);
    if (stats.interrupted) {
        fprintf(stderr, "glaneur: stopped by signal %d after %zu documents%s\n", (int)stop_signal, stats.documents,
                o.output_dir ? "; run again with --resume to go on" : "");
        return 128 + (int)stop_signal;
    }
    return status;
}
