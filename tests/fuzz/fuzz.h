/* Shared by the fuzz targets: the libFuzzer entry points, the model loaded once, one worker
 * reused for every input, and the invariant check.
 *
 * Each target is a libFuzzer binary when configured with -DGLA_FUZZ=ON (clang), and otherwise is
 * linked with replay.c, which runs the committed corpus (tests/fuzz/corpus/NAME/) through the
 * same entry point: see tests/fuzz/CMakeLists.txt. */
#ifndef GLA_FUZZ_H
#define GLA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a failure aborts, which libFuzzer reports as a crash. */
#define FUZZ_CHECK(cond)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond);                   \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static __attribute__((unused)) gla_model *fuzz_model;
static __attribute__((unused)) gla_worker *fuzz_worker;

/* Loads the model ($GLANEUR_DATA / $GLANEUR_LEXICON, else the paths compiled into the library)
 * and makes the worker that every input reuses, as a batch reuses its workers. */
static __attribute__((unused)) void fuzz_load_model(void) {
    char why[512];
    if (gla_model_load(NULL, &fuzz_model, why, sizeof why) != GLA_OK) {
        fprintf(stderr, "fuzz: cannot load the model: %s\n", why);
        exit(1);
    }
    fuzz_worker = gla_worker_new(fuzz_model);
    if (!fuzz_worker) {
        fprintf(stderr, "fuzz: out of memory\n");
        exit(1);
    }
}

/* The document check of gla_extract: what it turns away never reaches the stages. */
static __attribute__((unused)) bool fuzz_acceptable(const uint8_t *data, size_t size) {
    return size <= UINT32_MAX - 16 && !memchr(data, '\0', size) && utf8_validate(data, size) == size;
}

/* Is byte offset at of s[0, len) on a code point boundary (or at the end)? */
static __attribute__((unused)) bool fuzz_on_boundary(const char *s, size_t len, size_t at) {
    return at == len || ((uint8_t)s[at] & 0xC0) != 0x80;
}

#endif
