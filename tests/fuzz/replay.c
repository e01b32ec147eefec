/* A stand-in for libFuzzer's driver where there is none (gcc, CI): runs LLVMFuzzerTestOneInput
 * once on every file given, and on every file under the directories given (sorted, hidden ones
 * skipped), each in a buffer of exactly its size so that AddressSanitizer sees any overread.
 *
 *     fuzz_NAME [FILE|DIR]...
 *
 * The exit status is 0 when every input ran, 1 when one could not be read or none was found. An
 * input that breaks an invariant aborts, as it would under libFuzzer. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replayed;

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    uint8_t *data = NULL;
    size_t size = 0;
    for (;;) {
        uint8_t chunk[65536];
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n == 0)
            break;
        uint8_t *bigger = realloc(data, size + n);
        if (!bigger) {
            fprintf(stderr, "replay: %s: out of memory\n", path);
            free(data);
            fclose(f);
            return 1;
        }
        data = bigger;
        memcpy(data + size, chunk, n);
        size += n;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "replay: %s: read error\n", path);
        free(data);
        return 1;
    }
    LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", size);
    free(data);
    replayed++;
    return 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                rc = 1;
                break;
            }
            names = bigger;
        }
        if (!(names[count] = malloc(strlen(path) + strlen(e->d_name) + 2))) {
            rc = 1;
            break;
        }
        sprintf(names[count++], "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (count > 1)
        qsort(names, count, sizeof *names, by_name);
    for (size_t i = 0; i < count; i++) {
        if (rc == 0)
            rc = replay(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= replay(argv[i]);
    printf("replayed %zu inputs\n", replayed);
    return rc || replayed == 0;
}
