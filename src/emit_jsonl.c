/* JSON Lines output: one object per document, on one line.
 *
 *   {"id", "source", "date", "body": {"start", "end"}, "sections": [{"kind", "start", "end"}],
 *    "text" (with GLA_RENDER_TEXT), "entities": [{"id", "type", "start", "end", "text",
 *    "canonical", "key", "value", "inferred"}], "relations": [...]}
 *
 * Offsets are code points into the original text. */
#include <string.h>

#include "internal.h"

static const char *const section_names[] = {"body", "caption", "teaser"};

int emit_jsonl(const gla_result *res, unsigned flags, gla_buf *out) {
    bool ok = buf_puts(out, "{\"id\":") && buf_json_string(out, res->id) && buf_puts(out, ",\"source\":") &&
              buf_json_string(out, res->source) && buf_puts(out, ",\"date\":") &&
              buf_json_string(out, res->date[0] ? res->date : NULL) &&
              buf_printf(out, ",\"body\":{\"start\":%zu,\"end\":%zu},\"sections\":[", res->body_start_cp,
                         res->body_end_cp);
    for (size_t i = 0; ok && i < gla_result_section_count(res); i++) {
        const gla_section *s = gla_result_section(res, i);
        ok = buf_printf(out, "%s{\"kind\":\"%s\",\"start\":%zu,\"end\":%zu}", i ? "," : "",
                        section_names[s->kind], s->start, s->end);
    }
    ok = ok && buf_putc(out, ']');
    if (ok && (flags & GLA_RENDER_TEXT)) {
        size_t len;
        const char *text = gla_result_repaired(res, &len);
        ok = buf_puts(out, ",\"text\":\"") && buf_json_escape(out, text, len) && buf_putc(out, '"');
    }
    ok = ok && buf_puts(out, ",\"entities\":[");
    for (size_t i = 0; ok && i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        ok = buf_printf(out, "%s{\"id\":\"T%zu\",\"type\":\"%s\",\"start\":%zu,\"end\":%zu,\"text\":", i ? "," : "",
                        i + 1, gla_entity_type_name(e->type), e->start, e->end) &&
             buf_json_string(out, e->text) && buf_puts(out, ",\"canonical\":") &&
             buf_json_string(out, e->canonical) && buf_puts(out, ",\"key\":") && buf_json_string(out, e->key) &&
             buf_puts(out, ",\"value\":") && buf_json_string(out, e->value) &&
             (!e->inferred || buf_puts(out, ",\"inferred\":true")) && buf_putc(out, '}');
    }
    ok = ok && buf_puts(out, "],\"relations\":[]}\n");
    return ok ? GLA_OK : GLA_ERR_NOMEM;
}
