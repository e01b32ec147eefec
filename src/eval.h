/* glaneur eval: scores extractor output against the gold annotations (tests/gold/FORMAT.md). */
#ifndef GLANEUR_EVAL_H
#define GLANEUR_EVAL_H

#include <stdbool.h>
#include <stdio.h>

/* Scores PRED_PATH (JSON Lines) against the gold JSON files of GOLD_DIR and the original texts of
 * TEXTS_DIR, as tests/referee/score.py does, and prints the table (or JSON with as_json) to OUT.
 * With list_errors, the table is followed by the split errors and misses, as score.py --errors.
 * Returns 0 on success, or -1 after printing a one-line reason to ERR (where score.py would
 * stop with an exception; nothing is printed to OUT then). */
int gla_eval_run(const char *gold_dir, const char *texts_dir, const char *pred_path,
                 bool as_json, bool list_errors, FILE *out, FILE *err);

#endif
