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

static const char *const relation_names[] = {"co_chair", "meet", "sign", "agree_cooperation", "holds_position"};
static const char *const role_names[] = {"agents", "event", "date", "place", "document", "domains",
                                         "person", "title", "org", "country", "rank"};

/* An argument: {"ref", "text", "start", "end", "canonical", "value"}; text is the original. */
static bool emit_arg(const gla_result *res, const rel_arg *a, gla_buf *out) {
    const gla_worker *w = res->worker;
    size_t s = orig_start_cp(w, a->start), e = a->end > a->start ? orig_end_cp(w, a->end) : s;
    size_t sb = a->end > a->start ? repaired_src_start(&w->text, a->start) : 0;
    size_t eb = a->end > a->start ? repaired_src_end(&w->text, a->end - 1) : 0;
    bool ok = buf_putc(out, '{');
    if (a->entity >= 0)
        ok = ok && buf_puts(out, "\"ref\":\"T") && buf_put_uint(out, (size_t)a->entity + 1) && buf_puts(out, "\",");
    ok = ok && buf_puts(out, "\"text\":\"") && buf_json_escape(out, w->src + sb, eb - sb) &&
         buf_puts(out, "\",\"start\":") && buf_put_uint(out, s) && buf_puts(out, ",\"end\":") &&
         buf_put_uint(out, e) && buf_puts(out, ",\"canonical\":");
    if (a->canonical)
        ok = ok && buf_json_string(out, a->canonical);
    else /* the repaired words: "médecine militaire" even where the original ran them together */
        ok = ok && buf_putc(out, '"') && buf_json_escape(out, w->text.text.data + a->start, a->end - a->start) &&
             buf_putc(out, '"');
    return ok && buf_puts(out, ",\"value\":") && buf_json_string(out, a->value) && buf_putc(out, '}');
}

static bool emit_relations(const gla_result *res, gla_buf *out, const render_sink *sink) {
    const gla_worker *w = res->worker;
    const rel_arg *args = w->rel_args.items;
    bool ok = true;
    size_t n = 0;
    for (size_t i = 0; ok && i < w->relations.count; i++) {
        const relation *r = &VEC_AT(&w->relations, relation, i);
        if (r->dropped)
            continue;
        render_sink_check(sink, out);
        ok = buf_puts(out, n ? ",{\"id\":\"R" : "{\"id\":\"R") && buf_put_uint(out, n + 1) &&
             buf_puts(out, "\",\"type\":\"") && buf_puts(out, relation_names[r->type]) &&
             buf_puts(out, "\",\"kind\":") && buf_json_string(out, r->kind) && buf_puts(out, ",\"args\":{");
        n++;
        bool first_role = true;
        for (int role = 0; ok && role < ROLE__COUNT; role++) {
            bool list = role == ROLE_AGENTS || role == ROLE_DOMAINS;
            size_t count = 0;
            for (size_t k = 0; ok && k < r->arg_count; k++) {
                const rel_arg *a = &args[r->first_arg + k];
                if (a->role != role || (!list && count))
                    continue;
                if (count == 0)
                    ok = buf_puts(out, first_role ? "\"" : ",\"") && buf_puts(out, role_names[role]) &&
                         buf_puts(out, list ? "\":[" : "\":");
                else
                    ok = buf_putc(out, ',');
                ok = ok && emit_arg(res, a, out);
                count++;
                first_role = false;
            }
            if (ok && count && list)
                ok = buf_putc(out, ']');
        }
        ok = ok && buf_puts(out, "},\"evidence\":{\"start\":") && buf_put_uint(out, orig_start_cp(w, r->ev_start)) &&
             buf_puts(out, ",\"end\":") && buf_put_uint(out, orig_end_cp(w, r->ev_end)) && buf_puts(out, "}}");
    }
    return ok;
}

int emit_jsonl(const gla_result *res, unsigned flags, gla_buf *out, const render_sink *sink) {
    bool ok = buf_puts(out, "{\"id\":") && buf_json_string(out, res->id) && buf_puts(out, ",\"source\":") &&
              buf_json_string(out, res->source) && buf_puts(out, ",\"date\":") &&
              buf_json_string(out, res->date[0] ? res->date : NULL) &&
              buf_puts(out, ",\"body\":{\"start\":") && buf_put_uint(out, res->body_start_cp) &&
              buf_puts(out, ",\"end\":") && buf_put_uint(out, res->body_end_cp) && buf_puts(out, "},\"sections\":[");
    for (size_t i = 0; ok && i < gla_result_section_count(res); i++) {
        const gla_section *s = gla_result_section(res, i);
        ok = buf_puts(out, i ? ",{\"kind\":\"" : "{\"kind\":\"") && buf_puts(out, section_names[s->kind]) &&
             buf_puts(out, "\",\"start\":") && buf_put_uint(out, s->start) && buf_puts(out, ",\"end\":") &&
             buf_put_uint(out, s->end) && buf_putc(out, '}');
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
        render_sink_check(sink, out);
        ok = buf_puts(out, i ? ",{\"id\":\"T" : "{\"id\":\"T") && buf_put_uint(out, i + 1) &&
             buf_puts(out, "\",\"type\":\"") && buf_puts(out, gla_entity_type_name(e->type)) &&
             buf_puts(out, "\",\"start\":") && buf_put_uint(out, e->start) && buf_puts(out, ",\"end\":") &&
             buf_put_uint(out, e->end) && buf_puts(out, ",\"text\":") && buf_json_string(out, e->text) && buf_puts(out, ",\"canonical\":") &&
             buf_json_string(out, e->canonical) && buf_puts(out, ",\"key\":") && buf_json_string(out, e->key) &&
             buf_puts(out, ",\"value\":") && buf_json_string(out, e->value) &&
             (!e->inferred || buf_puts(out, ",\"inferred\":true")) && buf_putc(out, '}');
    }
    ok = ok && buf_puts(out, "],\"relations\":[") && emit_relations(res, out, sink) && buf_puts(out, "]}\n");
    return ok ? GLA_OK : GLA_ERR_NOMEM;
}
