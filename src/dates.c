/* Dates: the DATE rules of gazetteers/rules/ find date expressions; this file turns what their
 * named groups captured into ISO 8601 values against the document's reference date.
 *
 * Groups a DATE rule may use: weekday, day, month, year (a single date, or the start of a range),
 * day2, month2, year2 (the end of a range), the empty group same_day (an anaphoric "le même
 * jour": the value of the previous date), and rel ("dernier", "prochain": a month or year
 * counted back or forward from the reference date), the empty groups today ("aujourd'hui",
 * "hier", "demain": the reference day, when it is the document's own) and week ("cette semaine":
 * the Monday-to-Sunday week of the reference day, moved). Such a date is one step back unless the
 * empty group next (forward one) or this (the reference's own) matched. Missing parts are
 * resolved thus:
 *   - the year of a day+month comes from the reference date (the document's date, else the first
 *     date whose year was inferred from its weekday), taking the year that puts it nearest;
 *   - with no reference, a weekday+day+month takes the latest year not after `today` in which
 *     that day falls on that weekday, and is marked inferred;
 *   - otherwise the value is null: no year is ever invented. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "internal.h"

bool parse_iso_date(const char *s, civil_date *d) {
    memset(d, 0, sizeof *d);
    if (!s || !*s)
        return false;
    int y = 0, mo = 0, da = 0, consumed = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &da, &consumed) == 3 && s[consumed] == '\0' &&
        consumed == 10) {
    } else if (sscanf(s, "%4d-%2d%n", &y, &mo, &consumed) == 2 && s[consumed] == '\0' && consumed == 7) {
        da = 0;
    } else if (sscanf(s, "%4d%n", &y, &consumed) == 1 && s[consumed] == '\0' && consumed == 4) {
        mo = da = 0;
    } else {
        return false;
    }
    if (y < 1 || mo < 0 || mo > 12 || da < 0 || da > 31 || (da && !mo))
        return false;
    d->year = y;
    d->month = mo;
    d->day = da;
    return true;
}

/* Sakamoto's method; 1 = Monday ... 7 = Sunday. */
int weekday_of(int y, int m, int d) {
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
    return w == 0 ? 7 : w;
}

static int days_in_month(int y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int lookup_name(const calendar_name *table, size_t count, const char *s, size_t len) {
    char lw[32];
    int l = len < 24 ? utf8_lower(s, len, lw, sizeof lw) : -1;
    if (l <= 0)
        return 0;
    for (size_t i = 0; i < count; i++)
        if (!strcmp(table[i].name, lw))
            return table[i].number;
    /* "févr" without its period, as some rules capture it */
    for (size_t i = 0; i < count; i++) {
        size_t tl = strlen(table[i].name);
        if (tl == (size_t)l + 1 && table[i].name[tl - 1] == '.' && !memcmp(table[i].name, lw, (size_t)l))
            return table[i].number;
    }
    return 0;
}

int month_number(const gla_model *m, const char *s, size_t len) {
    if (len && len <= 2 && s[0] >= '0' && s[0] <= '9') { /* 03 in 13/03/2023 */
        int v = 0;
        for (size_t i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            v = v * 10 + (s[i] - '0');
        return v >= 1 && v <= 12 ? v : 0;
    }
    return lookup_name(m->months, m->month_count, s, len);
}

int weekday_number(const gla_model *m, const char *s, size_t len) {
    return lookup_name(m->weekdays, m->weekday_count, s, len);
}

static long days_from_civil(int y, int m, int d) { /* Howard Hinnant's algorithm */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Captured group as (pointer, length), or length 0 when unset. */
static size_t group(pcre2_match_data *md, const pcre2_code *code, const char *name, const char *text,
                    const char **out) {
    int num = pcre2_substring_number_from_name(code, (PCRE2_SPTR)name);
    if (num < 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if ((uint32_t)num >= pcre2_get_ovector_count(md) || ov[2 * num] == PCRE2_UNSET)
        return 0;
    *out = text + ov[2 * num];
    return ov[2 * num + 1] - ov[2 * num];
}

static bool group_set(pcre2_match_data *md, const pcre2_code *code, const char *name) {
    int num = pcre2_substring_number_from_name(code, (PCRE2_SPTR)name);
    if (num < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    return (uint32_t)num < pcre2_get_ovector_count(md) && ov[2 * num] != PCRE2_UNSET;
}

static int group_int(pcre2_match_data *md, const pcre2_code *code, const char *name, const char *text) {
    const char *s;
    size_t len = group(md, code, name, text, &s);
    if (!len)
        return 0;
    int v = 0;
    for (size_t i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return v ? v : (len >= 3 && !strncmp(s, "1er", 3) ? 1 : 0);
}

typedef struct {
    civil_date anchor; /* reference date (year known) or year 0 */
    bool anchor_inferred;
    civil_date today;
    char last_value[24]; /* value of the previous date with a day, for "le même jour" */
} date_context;

/* The year that puts month/day nearest to the anchor. */
static int nearest_year(const civil_date *anchor, int month, int day) {
    if (!anchor->month)
        return anchor->year;
    int am = anchor->month, ad = anchor->day ? anchor->day : 15;
    long a = days_from_civil(anchor->year, am, ad);
    int best = anchor->year;
    long best_dist = -1;
    for (int y = anchor->year - 1; y <= anchor->year + 1; y++) {
        int d = day ? day : 15;
        if (d > days_in_month(y, month))
            d = days_in_month(y, month);
        long dist = labs(days_from_civil(y, month, d) - a);
        if (best_dist < 0 || dist < best_dist) {
            best_dist = dist;
            best = y;
        }
    }
    return best;
}

/* The digits of v (0 <= v < 10^width) at p, zero-padded to width: %0*d. Returns the end. */
static char *put_padded(char *p, int v, int width) {
    for (int k = width - 1; k >= 0; k--, v /= 10)
        p[k] = (char)('0' + v % 10);
    return p + width;
}

/* YYYY-MM-DD, YYYY-MM or YYYY (nothing without a year), as snprintf's %04d-%02d-%02d would
 * write them: every date of a text is written so, and snprintf's format parsing cost more than
 * the rest of the date's resolution (a plain year, month and day are written digit by digit). */
static void format_date(char *out, size_t size, int y, int m, int d) {
    if (size > 10 && y > 0 && y <= 9999 && m >= 0 && m <= 99 && d >= 0 && d <= 99) {
        char *p = put_padded(out, y, 4);
        if (m) {
            *p++ = '-';
            p = put_padded(p, m, 2);
        }
        if (m && d) {
            *p++ = '-';
            p = put_padded(p, d, 2);
        }
        *p = '\0';
        return;
    }
    if (y && m && d)
        snprintf(out, size, "%04d-%02d-%02d", y, m, d);
    else if (y && m)
        snprintf(out, size, "%04d-%02d", y, m);
    else if (y)
        snprintf(out, size, "%04d", y);
    else
        out[0] = '\0';
}

/* s into out (size bytes, at least 1), cut as snprintf(out, size, "%s", s) would cut it. */
static void copy_value(char *out, size_t size, const char *s) {
    size_t n = strlen(s);
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static bool valid_day(int y, int m, int d) {
    return m >= 1 && m <= 12 && d >= 1 && d <= (y ? days_in_month(y, m) : 31);
}

/* The step of a date counted from the reference date (a rel, today or week group): forward one
 * where the rule's empty group next matched (prochain, demain), none where this did (cette,
 * aujourd'hui, en cours), else back one (dernier, hier). */
static int rel_step(pcre2_match_data *md, const pcre2_code *code) {
    return group_set(md, code, "next") ? 1 : group_set(md, code, "this") ? 0 : -1;
}

/* Moves y-m-d by n days (n small: a week at most). */
static void shift_days(int *y, int *m, int *d, int n) {
    for (; n > 0; n--)
        if (++*d > days_in_month(*y, *m)) {
            *d = 1;
            if (++*m > 12) {
                *m = 1;
                ++*y;
            }
        }
    for (; n < 0; n++)
        if (--*d == 0) {
            if (--*m == 0) {
                *m = 12;
                --*y;
            }
            *d = days_in_month(*y, *m);
        }
}

/* Resolves one match into value (empty when unknown). */
static void resolve(const gla_model *model, pcre2_match_data *md, const pcre2_code *code,
                    const char *text, date_context *ctx, char *value, size_t value_size,
                    bool *inferred) {
    value[0] = '\0';
    *inferred = false;
    if (group_set(md, code, "same_day")) {
        copy_value(value, value_size, ctx->last_value);
        return;
    }
    const char *s;
    size_t len;
    if (group_set(md, code, "today")) { /* aujourd'hui, hier, demain: the document's day */
        if (!ctx->anchor.day || ctx->anchor_inferred)
            return;
        int y = ctx->anchor.year, m = ctx->anchor.month, d = ctx->anchor.day;
        shift_days(&y, &m, &d, rel_step(md, code));
        format_date(value, value_size, y, m, d);
        copy_value(ctx->last_value, sizeof ctx->last_value, value);
        return;
    }
    if (group_set(md, code, "week")) { /* cette semaine: Monday to Sunday of the day's week */
        if (!ctx->anchor.day)
            return;
        int y = ctx->anchor.year, m = ctx->anchor.month, d = ctx->anchor.day;
        shift_days(&y, &m, &d, 7 * rel_step(md, code) - (weekday_of(y, m, d) - 1));
        char a[40], b[40];
        format_date(a, sizeof a, y, m, d);
        shift_days(&y, &m, &d, 6);
        format_date(b, sizeof b, y, m, d);
        snprintf(value, value_size, "%s/%s", a, b);
        *inferred = ctx->anchor_inferred;
        return;
    }
    if ((len = group(md, code, "rel", text, &s))) { /* novembre dernier, l'an prochain */
        int step = rel_step(md, code);
        int month = (len = group(md, code, "month", text, &s)) ? month_number(model, s, len) : 0;
        if (!ctx->anchor.year)
            return;
        if (group_set(md, code, "unit_month")) { /* le mois dernier: the anchor's month, moved */
            if (!ctx->anchor.month)
                return;
            int months = ctx->anchor.year * 12 + (ctx->anchor.month - 1) + step;
            format_date(value, value_size, months / 12, months % 12 + 1, 0);
            return;
        }
        if (!month) {
            format_date(value, value_size, ctx->anchor.year + step, 0, 0);
            return;
        }
        /* le 15 mars dernier: the last 15 March before the reference date (or on it); mars
         * dernier: the last March before the reference month */
        int day = group_int(md, code, "day", text);
        int year = ctx->anchor.year, am = ctx->anchor.month ? ctx->anchor.month : 6;
        int here = am * 32 + (day ? (ctx->anchor.day ? ctx->anchor.day : 15) : 0), there = month * 32 + day;
        if (step < 0 && (day ? there > here : there >= here))
            year--;
        else if (step > 0 && (day ? there < here : there <= here))
            year++;
        if (day && !valid_day(year, month, day))
            return;
        format_date(value, value_size, year, month, day);
        if (day)
            copy_value(ctx->last_value, sizeof ctx->last_value, value);
        return;
    }
    int decade = group_int(md, code, "decade", text);
    if (decade) { /* les années 1990: a period of ten years; les années 80: of the 1900s */
        if (decade < 100)
            decade += 1900;
        snprintf(value, value_size, "%04d/%04d", decade, decade + 9);
        return;
    }
    int weekday = (len = group(md, code, "weekday", text, &s)) ? weekday_number(model, s, len) : 0;
    int month = (len = group(md, code, "month", text, &s)) ? month_number(model, s, len) : 0;
    int month2 = (len = group(md, code, "month2", text, &s)) ? month_number(model, s, len) : 0;
    int day = group_int(md, code, "day", text), day2 = group_int(md, code, "day2", text);
    int year = group_int(md, code, "year", text), year2 = group_int(md, code, "year2", text);
    if (day2 || month2 || year2) { /* a range: du 22 au 25 mars 2026 */
        if (!month2)
            month2 = month;
        if (!month)
            month = month2;
        if (!year2)
            year2 = year;
        if (!year)
            year = year2;
        if (year2 && !year)
            year = year2;
        if (!year && ctx->anchor.year && month)
            year = year2 = nearest_year(&ctx->anchor, month, day);
        if (!year || (day && !valid_day(year, month, day)) || (day2 && !valid_day(year2, month2, day2)))
            return;
        char a[16], b[16];
        format_date(a, sizeof a, year, month, day);
        format_date(b, sizeof b, year2, month2, day2);
        snprintf(value, value_size, "%s/%s", a, b);
        return;
    }
    if (!month && !year) { /* a weekday alone: the last such day on or before a day-precise anchor */
        if (weekday && ctx->anchor.year && ctx->anchor.day && !ctx->anchor_inferred) {
            long a = days_from_civil(ctx->anchor.year, ctx->anchor.month, ctx->anchor.day);
            int aw = weekday_of(ctx->anchor.year, ctx->anchor.month, ctx->anchor.day);
            long target = a - ((aw - weekday + 7) % 7);
            /* back to civil: walk from the anchor (at most six days) */
            int y = ctx->anchor.year, mo = ctx->anchor.month, d = ctx->anchor.day;
            for (long k = a; k > target; k--) {
                if (--d == 0) {
                    if (--mo == 0) {
                        mo = 12;
                        y--;
                    }
                    d = days_in_month(y, mo);
                }
            }
            format_date(value, value_size, y, mo, d);
            copy_value(ctx->last_value, sizeof ctx->last_value, value);
        } else {
            ctx->last_value[0] = '\0';
        }
        return;
    }
    if (day && (!month || !valid_day(year, month, day)))
        return;
    if (!year && month) {
        if (ctx->anchor.year) {
            year = nearest_year(&ctx->anchor, month, day);
        } else if (weekday && day && ctx->today.year) {
            for (int y = ctx->today.year; y > ctx->today.year - 400; y--) {
                if (!valid_day(y, month, day) || weekday_of(y, month, day) != weekday)
                    continue;
                if (days_from_civil(y, month, day) >
                    days_from_civil(ctx->today.year, ctx->today.month, ctx->today.day))
                    continue;
                year = y;
                *inferred = true;
                break;
            }
            if (year) {
                ctx->anchor = (civil_date){year, month, day};
                ctx->anchor_inferred = true;
            }
        }
    }
    if (!year) {
        ctx->last_value[0] = '\0';
        return;
    }
    format_date(value, value_size, year, month, day);
    if (day)
        copy_value(ctx->last_value, sizeof ctx->last_value, value);
}

int tag_dates(gla_worker *w, const char *doc_date, const char *today, size_t from, size_t to) {
    const gla_model *m = w->model;
    const char *text = w->text.text.data;
    date_context ctx;
    memset(&ctx, 0, sizeof ctx);
    parse_iso_date(doc_date, &ctx.anchor);
    if (!today || !parse_iso_date(today, &ctx.today) || !ctx.today.day) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        ctx.today = (civil_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    }
    /* Collect every match of every DATE rule, keep the longest of overlapping ones (one sweep
     * over the matches sorted by start), then resolve in text order so that anchors and "le
     * même jour" see what precedes them. */
    size_t first = w->mentions.count;
    const rule_kind *dates = ruleset_kind(&m->rules, "DATE");
    for (size_t k = 0; k < dates->count; k++) {
        const rule *r = dates->rules[k];
        size_t at = from;
        while (at < to) {
            int rc = rule_match(r, text, at, to, w->md, w->mctx, &w->hits);
            if (rc <= 0)
                break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
            if (ov[1] <= ov[0]) {
                at = ov[0] + 1;
                continue;
            }
            mention *mt = add_mention(w, GLA_ENT_DATE, ov[0], ov[1], 10);
            if (!mt)
                return GLA_ERR_NOMEM;
            mt->entry = (int)r->index; /* the rule, until its value is read below */
            at = ov[1];
        }
    }
    sort_mentions(w, first);
    size_t kept = first;
    for (size_t q = first; q < w->mentions.count; q++) {
        mention cur = VEC_AT(&w->mentions, mention, q);
        if (kept > first) {
            mention *last = &VEC_AT(&w->mentions, mention, kept - 1);
            if (cur.start < last->end) { /* overlap: the longer stays */
                if (cur.end - cur.start > last->end - last->start)
                    *last = cur;
                continue;
            }
        }
        VEC_AT(&w->mentions, mention, kept++) = cur;
    }
    w->mentions.count = kept;
    /* An article with no date of its own: the page's stamp ("15/03/2021 08:30", "publié le 12
     * mars 2024"), wherever it stands, is the reference of the dates without a year. */
    for (size_t q = first; q < kept && !ctx.anchor.year; q++) {
        const mention *mt = &VEC_AT(&w->mentions, mention, q);
        const rule *r = &m->rules.rules[mt->entry];
        if (pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "stamp") < 0 ||
            rule_exec(r, text, to, mt->start, PCRE2_ANCHORED, w->md, w->mctx) <= 0 ||
            !group_set(w->md, r->code, "stamp"))
            continue;
        const char *s;
        size_t len = group(w->md, r->code, "month", text, &s);
        civil_date stamp = {group_int(w->md, r->code, "year", text), len ? month_number(m, s, len) : 0,
                            group_int(w->md, r->code, "day", text)};
        if (stamp.year && valid_day(stamp.year, stamp.month, stamp.day))
            ctx.anchor = stamp;
    }
    for (size_t q = first; q < kept; q++) {
        mention *mt = &VEC_AT(&w->mentions, mention, q);
        const rule *r = &m->rules.rules[mt->entry];
        int rc = rule_exec(r, text, to, mt->start, PCRE2_ANCHORED, w->md, w->mctx);
        char value[48] = "";
        bool inferred = false;
        if (rc > 0)
            resolve(m, w->md, r->code, text, &ctx, value, sizeof value, &inferred);
        mt->tie.value = value[0] ? arena_strndup(&w->strings, value, strlen(value)) : NULL;
        if (value[0] && !mt->tie.value)
            return GLA_ERR_NOMEM;
        mt->inferred = inferred;
        mt->canonical = NULL;
        mt->entry = -1;
    }
    return GLA_OK;
}
