/* N-Triples for knowledge bases. Entities are IRIs built from their keys under a base IRI
 * (person:hoang-xuan-chien -> <BASE/person/hoang-xuan-chien>), with a type and a French label;
 * each relation is an event node with its roles, the document it was read in, and its evidence.
 *
 *   <B/person/x> <rdf:type> <B/ontology#Person> .      <B/person/x> <rdfs:label> "X"@fr .
 *   <B/relation/DOC/R1> <rdf:type> <B/ontology#co_chair> ;  <B/ontology#agents> <B/person/x> ...
 * Date roles are literals typed xsd:date, xsd:gYearMonth or xsd:gYear. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define RDF_TYPE "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
#define RDFS_LABEL "<http://www.w3.org/2000/01/rdf-schema#label>"
#define XSD "http://www.w3.org/2001/XMLSchema#"

/* A base IRI that no triple can break out of: a scheme ("urn:", "https:"), then valid UTF-8
 * without a control character, a space or any of <>"{}|\\^` (RFC 3987 allows none of them in an
 * IRI; '>' or '"' would end the IRI and let the rest be read as triples). */
static bool ascii_alpha(char c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

bool iri_base_valid(const char *iri) {
    size_t len = strlen(iri), i = 0;
    if (!len || !ascii_alpha(iri[0]))
        return false;
    while (i < len && (ascii_alpha(iri[i]) || (iri[i] >= '0' && iri[i] <= '9') || strchr("+-.", iri[i])))
        i++;
    if (i == len || iri[i] != ':' || utf8_validate((const uint8_t *)iri, len) != len)
        return false;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)iri[i];
        if (c <= 0x20 || c == 0x7F || strchr("<>\"{}|\\^`", c))
            return false;
    }
    return true;
}

static const char *const class_names[] = {"Person", "Organisation", "Place", "Rank", "Title",
                                          "Event", "Agreement", "Date"};
static const char *const relation_names[] = {"co_chair", "meet", "sign", "agree_cooperation", "holds_position"};
static const char *const role_names[] = {"agents", "event", "date", "place", "document", "domains",
                                         "person", "title", "org", "country", "rank"};

/* Appends s percent-encoded for an IRI path (unreserved characters and ':' stay, ':' becomes '/'). */
static bool iri_part(gla_buf *out, const char *s, size_t len, bool colon_as_slash) {
    bool ok = true;
    for (size_t i = 0; i < len && ok; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
            ok = buf_putc(out, (char)c);
        else if (c == ':' && colon_as_slash)
            ok = buf_putc(out, '/');
        else
            ok = buf_printf(out, "%%%02X", c);
    }
    return ok;
}

static bool literal(gla_buf *out, const char *s) {
    bool ok = buf_putc(out, '"');
    for (const char *p = s; *p && ok; p++) {
        if (*p == '"' || *p == '\\')
            ok = buf_putc(out, '\\') && buf_putc(out, *p);
        else if (*p == '\n')
            ok = buf_puts(out, "\\n");
        else if (*p == '\r')
            ok = buf_puts(out, "\\r");
        else
            ok = buf_putc(out, *p);
    }
    return ok && buf_putc(out, '"');
}

static bool entity_iri(gla_buf *out, const char *base, const gla_entity *e) {
    return buf_printf(out, "<%s/", base) && iri_part(out, e->key, strlen(e->key), true) && buf_putc(out, '>');
}

static bool date_literal(gla_buf *out, const char *value) {
    size_t n = strlen(value);
    const char *type = n == 10 ? "date" : n == 7 ? "gYearMonth" : n == 4 ? "gYear" : NULL;
    return literal(out, value) && (!type || buf_printf(out, "^^<%s%s>", XSD, type));
}

/* For each entity, whether it is the first with its key: sorted by key rather than compared
 * pair by pair, which a document of many entities would make quadratic. NULL when out of
 * memory (the caller owns the array). */
static bool *first_of_keys(const gla_result *res) {
    size_t n = gla_result_entity_count(res), m = 0;
    bool *first = calloc(n + 1, sizeof *first);
    keyed *keys = malloc((n + 1) * sizeof *keys);
    if (!first || !keys) {
        free(first);
        free(keys);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (gla_result_entity(res, i)->key)
            keys[m++] = (keyed){gla_result_entity(res, i)->key, 0, (uint32_t)i};
    qsort(keys, m, sizeof *keys, cmp_keyed_key_index);
    for (size_t k = 0; k < m; k++)
        first[keys[k].index] = k == 0 || strcmp(keys[k - 1].key, keys[k].key) != 0;
    free(keys);
    return first;
}

int emit_triples(const gla_result *res, const char *base, gla_buf *out, const render_sink *sink) {
    const gla_worker *w = res->worker;
    bool *first = first_of_keys(res);
    if (!first)
        return GLA_ERR_NOMEM;
    bool ok = true;
    /* entities, each key once */
    for (size_t i = 0; ok && i < gla_result_entity_count(res); i++) {
        const gla_entity *e = gla_result_entity(res, i);
        if (!first[i])
            continue;
        render_sink_check(sink, out);
        ok = entity_iri(out, base, e) && buf_printf(out, " " RDF_TYPE " <%s/ontology#%s> .\n", base,
                                                    class_names[e->type]) &&
             entity_iri(out, base, e) && buf_puts(out, " " RDFS_LABEL " ") && literal(out, e->canonical) &&
             buf_puts(out, "@fr .\n");
    }
    /* relations as event nodes */
    size_t n = 0;
    for (size_t r = 0; ok && r < w->relations.count; r++) {
        const relation *rel = &VEC_AT(&w->relations, relation, r);
        if (rel->dropped)
            continue;
        render_sink_check(sink, out);
        n++;
        gla_buf node = {0};
        ok = buf_printf(&node, "<%s/relation/", base) && iri_part(&node, res->id, strlen(res->id), false) &&
             buf_printf(&node, "/R%zu>", n);
        ok = ok && buf_append(out, node.data, node.len) &&
             buf_printf(out, " " RDF_TYPE " <%s/ontology#%s> .\n", base, relation_names[rel->type]);
        ok = ok && buf_append(out, node.data, node.len) && buf_printf(out, " <%s/ontology#document> <%s/document/", base, base) &&
             iri_part(out, res->id, strlen(res->id), false) && buf_puts(out, "> .\n");
        if (ok && rel->kind)
            ok = buf_append(out, node.data, node.len) && buf_printf(out, " <%s/ontology#kind> ", base) &&
                 literal(out, rel->kind) && buf_puts(out, " .\n");
        for (size_t k = 0; ok && k < rel->arg_count; k++) {
            const rel_arg *a = &VEC_AT(&w->rel_args, rel_arg, rel->first_arg + k);
            ok = buf_append(out, node.data, node.len) &&
                 buf_printf(out, " <%s/ontology#%s> ", base, role_names[a->role]);
            const gla_entity *e = a->entity >= 0 ? gla_result_entity(res, (size_t)a->entity) : NULL;
            if (!ok)
                break;
            if (a->role == ROLE_DATE && a->value)
                ok = date_literal(out, a->value);
            else if (e && e->key)
                ok = entity_iri(out, base, e);
            else if (a->canonical)
                ok = literal(out, a->canonical);
            else {
                char *text = strndup(w->text.text.data + a->start, a->end - a->start);
                ok = text && literal(out, text);
                free(text);
            }
            ok = ok && buf_puts(out, " .\n");
        }
        gla_buf_free(&node);
    }
    free(first);
    return ok ? GLA_OK : GLA_ERR_NOMEM;
}
