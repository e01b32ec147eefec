/* CoNLL output, two flavours sharing one walk over sentences and tokens:
 *   CoNLL-2003 style:  token <TAB> start <TAB> end <TAB> IOB2 tag, "-DOCSTART-" before each
 *                      document, a blank line between sentences;
 *   CoNLL-U:           "# newdoc id", "# sent_id", "# text", ten columns, with the NER tag, the
 *                      original offsets and SpaceAfter=No in MISC, so that the repaired text can
 *                      be rebuilt from the tokens.
 * Offsets are code points of the original text; tokens are those of the repaired text. */
#include <string.h>

#include "internal.h"

/* The IOB2 tag of token [s, e) (original code points), given the entity cursor. */
static const char *tag_of(const gla_result *res, size_t s, size_t e, size_t *cursor, bool *begin) {
    size_t n = gla_result_entity_count(res);
    while (*cursor < n && gla_result_entity(res, *cursor)->end <= s)
        (*cursor)++;
    for (size_t i = *cursor; i < n; i++) {
        const gla_entity *ent = gla_result_entity(res, i);
        if (ent->start >= e)
            break;
        if (ent->start <= s && e <= ent->end) {
            *begin = ent->start == s;
            return gla_entity_type_name(ent->type);
        }
    }
    return NULL;
}

/* Appends the document id to a CoNLL-U comment, which is one line: an id from a JSON dump may hold
 * line breaks, written as spaces. */
static bool put_id(gla_buf *out, const char *id) {
    bool ok = true;
    for (const char *p = id; ok && *p; p++)
        ok = buf_putc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
    return ok;
}

int emit_conll(const gla_result *res, bool conllu, gla_buf *out, const render_sink *sink) {
    const gla_worker *w = res->worker;
    const char *text = w->text.text.data;
    const token *toks = w->tokens.items;
    size_t n = w->tokens.count, cursor = 0, sent = 0, word = 0;
    const char *prev_type = NULL;
    bool ok = conllu ? buf_puts(out, "# newdoc id = ") && put_id(out, res->id) && buf_putc(out, '\n')
                     : buf_puts(out, "-DOCSTART- -X- -X- O\n\n");
    for (size_t i = 0; ok && i < n; i++) {
        const token *t = &toks[i];
        render_sink_check(sink, out);
        if (t->sentence_start || i == 0) {
            if (i > 0)
                ok = buf_putc(out, '\n');
            sent++;
            word = 0;
            prev_type = NULL;
            if (conllu && ok) {
                size_t j = i + 1;
                while (j < n && !toks[j].sentence_start)
                    j++;
                ok = buf_puts(out, "# sent_id = ") && put_id(out, res->id) &&
                     buf_printf(out, "-%zu\n# text = ", sent);
                for (size_t k = i; ok && k < j; k++) {
                    ok = buf_append(out, text + toks[k].start, toks[k].len) &&
                         (k + 1 == j || !toks[k].space_after || buf_putc(out, ' '));
                }
                ok = ok && buf_putc(out, '\n');
            }
        }
        size_t s = orig_start_cp(w, t->start), e = orig_end_cp(w, token_end(t));
        bool begin = false;
        const char *type = tag_of(res, s, e, &cursor, &begin);
        char tag[24];
        if (!type)
            strcpy(tag, "O");
        else
            snprintf(tag, sizeof tag, "%s-%s", begin || type != prev_type ? "B" : "I", type);
        prev_type = type;
        word++;
        if (conllu) {
            ok = ok && buf_printf(out, "%zu\t", word) && buf_append(out, text + t->start, t->len) &&
                 buf_printf(out, "\t_\t_\t_\t_\t_\t_\t_\tNER=%s|Start=%zu|End=%zu%s\n", tag, s, e,
                            t->space_after || i + 1 == n ? "" : "|SpaceAfter=No");
        } else {
            ok = ok && buf_append(out, text + t->start, t->len) &&
                 buf_printf(out, "\t%zu\t%zu\t%s\n", s, e, tag);
        }
    }
    ok = ok && buf_putc(out, '\n');
    return ok ? GLA_OK : GLA_ERR_NOMEM;
}
