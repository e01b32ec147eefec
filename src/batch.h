/* A batch: documents from the inputs through one worker each to the chosen output, with every
 * failure reported on the error stream and counted. */
#ifndef GLA_BATCH_H
#define GLA_BATCH_H

#include <signal.h>
#include <stdio.h>

#include "glaneur.h"
#include "read.h"

typedef enum { BATCH_EXTRACT, BATCH_NORMALIZE } batch_mode;

typedef struct {
    batch_mode mode;
    read_opts input;
    gla_doc_opts doc;      /* id, source and date are set per document */
    gla_format format;
    unsigned render_flags;
    const char *output_dir; /* one file per document here (brat: required); NULL = out */
    bool resume;            /* skip documents whose file is already in output_dir */
    const volatile sig_atomic_t *interrupted; /* set (by a signal handler) to stop reading; or NULL */
    FILE *out, *err;
    int threads;            /* worker threads; 1 = everything on the calling thread */
    bool progress;          /* a progress line on err (meant for a terminal) */
    bool summary;           /* a summary on err at the end */
    const char *base_iri;   /* triples: NULL = GLA_DEFAULT_BASE_IRI */
} batch_opts;

typedef struct {
    size_t documents; /* read, including failed ones */
    size_t failed;
    size_t skipped;   /* --resume: already written by an earlier run */
    bool interrupted; /* the batch stopped early: documents after the last written are left */
    size_t entities[GLA_ENT__COUNT];
    size_t relations;
} batch_stats;

/* Runs the batch. Returns 0 when every document succeeded, 1 otherwise (details on err).
 * When *opts->interrupted becomes non-zero, no further document is read; those in flight are
 * finished and written whole, and stats->interrupted is set. */
int batch_run(const gla_model *model, const batch_opts *opts, char *const *paths, int count,
              batch_stats *stats);

#endif
