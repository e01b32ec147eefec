/* glaneur merge: one entity table from many documents' JSON Lines. */
#ifndef GLA_MERGE_H
#define GLA_MERGE_H

#include <stdio.h>

/* Reads the JSON Lines files (glaneur extract's output; "-" is standard input) and writes one
 * JSON line per entity key, sorted by key: key, type, canonical (the form most documents use,
 * then the longest), variants (every other form), documents (ids), first_date and last_date (of
 * the documents that name it, from their reference dates, else their own dates), mentions.
 * Malformed lines are reported on err and skipped. Returns 0, or 1 when any input failed. */
int gla_merge_run(char *const *paths, int count, FILE *out, FILE *err);

#endif
