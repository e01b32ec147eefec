/* brat standoff: the .ann file of a document, whose .txt is a copy of the original text.
 *   T1 <TAB> TYPE start end[;start end] <TAB> text     (one fragment per line of the entity)
 *   N1 <TAB> Reference T1 glaneur:KEY <TAB> canonical   (entity keys as normalisations)
 *   #1 <TAB> AnnotatorNotes T1 <TAB> value=2023-03-13   (date values) */
#include <string.h>

#include "internal.h"

int emit_brat(const gla_result *res, gla_buf *out) {
    bool ok = true;
    size_t norm = 0, note = 0;
    for (size_t i = 0; ok && i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        ok = buf_printf(out, "T%zu\t%s ", i + 1, gla_entity_type_name(e->type));
        /* fragments: brat forbids line breaks inside a span */
        size_t pos = e->start, frag_start = e->start;
        bool first = true;
        for (const char *q = e->text; ok && *q; pos++) {
            if (*q == '\n') {
                if (pos > frag_start) {
                    ok = buf_printf(out, "%s%zu %zu", first ? "" : ";", frag_start, pos);
                    first = false;
                }
                frag_start = pos + 1;
            }
            q++;
            while (((uint8_t)*q & 0xC0) == 0x80)
                q++;
        }
        if (ok && (e->end > frag_start || first))
            ok = buf_printf(out, "%s%zu %zu", first ? "" : ";", frag_start, e->end);
        ok = ok && buf_putc(out, '\t');
        for (const char *q = e->text; ok && *q; q++)
            ok = buf_putc(out, *q == '\n' ? ' ' : *q);
        ok = ok && buf_putc(out, '\n');
        if (ok && e->key) {
            norm++;
            ok = buf_printf(out, "N%zu\tReference T%zu glaneur:%s\t", norm, i + 1, e->key) &&
                 buf_puts(out, e->canonical ? e->canonical : "") && buf_putc(out, '\n');
        }
        if (ok && e->value) {
            note++;
            ok = buf_printf(out, "#%zu\tAnnotatorNotes T%zu\tvalue=%s%s\n", note, i + 1, e->value,
                            e->inferred ? " (inferred)" : "");
        }
    }
    return ok ? GLA_OK : GLA_ERR_NOMEM;
}
