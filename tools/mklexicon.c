/* mklexicon — compiles a French word list (one word per line, such as Debian's wfrench
 * /usr/share/dict/french) into the hash-table file that glaneur maps at start-up.
 *
 *     mklexicon /usr/share/dict/french build/fr.lex
 *
 * Each word is stored lower-cased, flagged LEX_PROPER when the list writes it with a capital
 * (Japon) and LEX_COMMON when it writes it in lower case; a word written both ways gets both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mklexicon WORDLIST OUTPUT\n");
        return 2;
    }
    char *data;
    size_t len;
    int rc = read_file(argv[1], 0, &data, &len);
    if (rc != GLA_OK) {
        perror(argv[1]);
        return 1;
    }
    size_t n = 0, cap = 1 << 16;
    const char **words = malloc(cap * sizeof *words);
    uint8_t *flags = malloc(cap);
    if (!words || !flags)
        return 1;
    for (char *line = data, *next; *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = line + strlen(line);
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = '\0';
        if (!l || utf8_validate((const uint8_t *)line, l) != l)
            continue;
        if (n == cap) {
            cap *= 2;
            words = realloc(words, cap * sizeof *words);
            flags = realloc(flags, cap);
            if (!words || !flags)
                return 1;
        }
        int32_t first;
        utf8_decode((const uint8_t *)line, l, &first);
        flags[n] = cp_is_upper(first) ? LEX_PROPER : LEX_COMMON;
        words[n++] = line;
    }
    wordset ws;
    rc = wordset_build(&ws, words, flags, n);
    if (rc == GLA_OK)
        rc = wordset_save(&ws, argv[2]);
    if (rc != GLA_OK) {
        fprintf(stderr, "mklexicon: %s: %s\n", argv[2], gla_strerror(rc));
        return 1;
    }
    fprintf(stderr, "mklexicon: %zu words, %zu bytes\n", n, ws.size);
    wordset_free(&ws);
    free(words);
    free(flags);
    free(data);
    return 0;
}
