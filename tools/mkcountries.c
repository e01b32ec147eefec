/*
 * mkcountries - generate gazetteers/countries.tsv from ICU's French region names.
 *
 * Build:
 *   cc -o /tmp/mkcountries tools/mkcountries.c $(pkg-config --cflags --libs icu-uc icu-i18n)
 * Run:
 *   /tmp/mkcountries gazetteers/sources/country_variants.tsv > gazetteers/countries.tsv
 *
 * For every region code returned by uloc_getISOCountries() that ICU classifies as a
 * territory with an ISO 3166-1 numeric code (this drops ICU's extra codes such as
 * DG, EA, IC and the user-assigned range), it writes one line per French form:
 *
 *   form <TAB> LOC <TAB> canonical <TAB> kind=country;cc=XX[;wd=Q..]
 *
 * French forms come from CLDR as shipped in ICU, locale "fr":
 *   - uloc_getDisplayCountry()                  (e.g. "Corée du Sud")
 *   - the region bundle's Countries%short table  (e.g. "Hong Kong")
 *   - the region bundle's Countries%variant table (e.g. "République tchèque")
 * A name "A (B)" gives the two forms A and B ("Myanmar (Birmanie)").
 * Typographic apostrophes are written as ASCII "'".
 *
 * The hand-kept input file (cc <TAB> value, '#' comments and blank lines ignored)
 * adjusts that list; value is one of:
 *   form        add a variant form                  VN<TAB>Viet Nam
 *   =form       make form the canonical name        VN<TAB>=Vietnam
 *   -form       drop a form that ICU gives          CD<TAB>-Congo
 *   +           emit this code even if skipped above XK<TAB>+
 *   @kind       kind other than "country"           HK<TAB>@territory
 *   wd=Qnnn     Wikidata id                         VN<TAB>wd=Q881
 *   !form       form matched with exact case only (added if ICU lacks it):
 *               short acronyms and names that are also French words
 *                                                   BJ<TAB>!Bénin   (bénin = benign)
 *
 * The program fails (exit 1) when one form (compared case- and diacritic-insensitively,
 * as glaneur matches them) would name two different regions: resolve it in the input file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/uregion.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>
#include <unicode/ulocdata.h>

#define MAXFORMS 64
#define MAXLEN 512
#define MAXREG 400
#define MAXDIR 2000

typedef struct {
    char cc[4];
    char canonical[MAXLEN];
    char kind[32];
    char wd[32];
    int nforms;
    char forms[MAXFORMS][MAXLEN];
    int exact[MAXFORMS];
} Region;

typedef struct {
    char cc[4];
    char value[MAXLEN];
} Directive;

static Directive dirs[MAXDIR];
static int ndirs;
static Region regs[MAXREG];
static int nregs;
static UTransliterator *fold;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "mkcountries: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void check(UErrorCode e, const char *what)
{
    if (U_FAILURE(e))
        die(what, u_errorName(e));
}

/* UTF-16 -> UTF-8, with U+2019/U+02BC apostrophes made ASCII */
static void to_utf8(const UChar *s, int32_t len, char *out, int32_t cap)
{
    UChar tmp[MAXLEN];
    int32_t i, n = 0;
    UErrorCode e = U_ZERO_ERROR;
    if (len < 0)
        len = u_strlen(s);
    for (i = 0; i < len && n < MAXLEN - 1; i++)
        tmp[n++] = (s[i] == 0x2019 || s[i] == 0x02BC) ? (UChar)'\'' : s[i];
    u_strToUTF8(out, cap, NULL, tmp, n, &e);
    check(e, "u_strToUTF8");
}

/* matching key: NFD, drop combining marks, lower case */
static void keyof(const char *form, char *out, int32_t cap)
{
    UChar u[MAXLEN];
    int32_t len = 0, limit;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(u, MAXLEN, &len, form, -1, &e);
    check(e, "u_strFromUTF8");
    limit = len;
    utrans_transUChars(fold, u, &len, MAXLEN, 0, &limit, &e);
    check(e, "utrans_transUChars");
    u_strToUTF8(out, cap, NULL, u, len, &e);
    check(e, "u_strToUTF8");
}

static void trim(char *s)
{
    size_t n = strlen(s);
    char *p = s;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    while (*p == ' ')
        p++;
    memmove(s, p, strlen(p) + 1);
}

static int add_form(Region *r, const char *f)
{
    int i;
    if (!*f)
        return -1;
    for (i = 0; i < r->nforms; i++)
        if (!strcmp(r->forms[i], f))
            return i;
    if (r->nforms == MAXFORMS)
        die("too many forms for", r->cc);
    r->exact[r->nforms] = 0;
    snprintf(r->forms[r->nforms], MAXLEN, "%s", f);
    return r->nforms++;
}

/* "A (B)" -> A and B; anything else as is. Returns the first part in first. */
static void add_name(Region *r, const char *name, char *first)
{
    char buf[MAXLEN], *open, *close;
    snprintf(buf, sizeof buf, "%s", name);
    open = strstr(buf, " (");
    close = open ? strrchr(open, ')') : NULL;
    if (open && close) {
        *open = 0;
        *close = 0;
        trim(buf);
        trim(open + 2);
        add_form(r, buf);
        add_form(r, open + 2);
    } else {
        trim(buf);
        add_form(r, buf);
    }
    if (first)
        snprintf(first, MAXLEN, "%s", buf);
}

static const char *directive(const char *cc, char prefix, int *from)
{
    int i;
    for (i = from ? *from : 0; i < ndirs; i++) {
        if (strcmp(dirs[i].cc, cc))
            continue;
        if ((prefix == 0 && !strchr("=-+@!", dirs[i].value[0]) && strncmp(dirs[i].value, "wd=", 3)) ||
            (prefix == 'w' && !strncmp(dirs[i].value, "wd=", 3)) ||
            (prefix != 0 && prefix != 'w' && dirs[i].value[0] == prefix)) {
            if (from)
                *from = i + 1;
            return dirs[i].value;
        }
    }
    return NULL;
}

static void read_directives(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[2 * MAXLEN];
    int lineno = 0;
    if (!f)
        die("cannot open", path);
    while (fgets(line, sizeof line, f)) {
        char *tab;
        lineno++;
        trim(line);
        if (!line[0] || line[0] == '#')
            continue;
        tab = strchr(line, '\t');
        if (!tab || tab - line != 2 || !*(tab + 1) || strchr(tab + 1, '\t')) {
            fprintf(stderr, "%s:%d: expected 'CC<TAB>value'\n", path, lineno);
            exit(1);
        }
        if (ndirs == MAXDIR)
            die("too many lines in", path);
        memcpy(dirs[ndirs].cc, line, 2);
        dirs[ndirs].cc[2] = 0;
        snprintf(dirs[ndirs].value, MAXLEN, "%s", tab + 1);
        ndirs++;
    }
    fclose(f);
}

static int wanted(const char *cc)
{
    UErrorCode e = U_ZERO_ERROR;
    const URegion *r;
    int32_t num;
    static const char *never[] = {"ZZ", "EU", "EZ", "UN", "QO", "AA", "XA", "XB", NULL};
    int i;
    if (directive(cc, '+', NULL))
        return 1;
    for (i = 0; never[i]; i++)
        if (!strcmp(cc, never[i]))
            return 0;
    r = uregion_getRegionFromCode(cc, &e);
    if (U_FAILURE(e) || !r)
        return 0;
    if (uregion_getType(r) != URGN_TERRITORY)
        return 0;
    num = uregion_getNumericCode(r);
    return num > 0 && num < 900; /* 900-999 is ISO's user-assigned range */
}

static void table_name(UResourceBundle *tab, const char *cc, char *out)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    const UChar *s;
    out[0] = 0;
    if (!tab)
        return;
    s = ures_getStringByKey(tab, cc, &len, &e);
    if (U_SUCCESS(e) && s)
        to_utf8(s, len, out, MAXLEN);
}

static int cmpreg(const void *a, const void *b)
{
    return strcmp(((const Region *)a)->cc, ((const Region *)b)->cc);
}

int main(int argc, char **argv)
{
    UErrorCode e = U_ZERO_ERROR;
    UResourceBundle *rb, *shorts = NULL, *variants = NULL;
    const char *const *codes;
    UVersionInfo v, cldr;
    char icuver[U_MAX_VERSION_STRING_LENGTH], cldrver[U_MAX_VERSION_STRING_LENGTH];
    char extra[MAXDIR][4];
    int nextra = 0, ncodes = 0, i, j, k;
    static const UChar rules[] = u"::NFD; ::[:Nonspacing Mark:] Remove; ::Lower; ::NFC;";

    if (argc != 2) {
        fprintf(stderr, "usage: %s gazetteers/sources/country_variants.tsv > gazetteers/countries.tsv\n",
                argv[0]);
        return 2;
    }
    read_directives(argv[1]);
    fold = utrans_openU(u"glaneur-fold", -1, UTRANS_FORWARD, rules, -1, NULL, &e);
    check(e, "utrans_openU");

    rb = ures_open(U_ICUDATA_NAME "-region", "fr", &e);
    check(e, "ures_open region/fr");
    {
        UErrorCode e2 = U_ZERO_ERROR;
        shorts = ures_getByKey(rb, "Countries%short", NULL, &e2);
        if (U_FAILURE(e2))
            shorts = NULL;
        e2 = U_ZERO_ERROR;
        variants = ures_getByKey(rb, "Countries%variant", NULL, &e2);
        if (U_FAILURE(e2))
            variants = NULL;
    }

    /* codes to emit: ISO list, plus '+' directives not in it */
    codes = uloc_getISOCountries();
    for (i = 0; i < ndirs; i++) {
        int found = 0;
        const char *const *c;
        if (strcmp(dirs[i].value, "+"))
            continue;
        for (c = codes; *c; c++)
            if (!strcmp(*c, dirs[i].cc))
                found = 1;
        if (!found)
            memcpy(extra[nextra++], dirs[i].cc, 3);
    }

    {
        const char *const *c;
        for (c = codes; *c; c++)
            ncodes++;
    }
    for (k = 0; k < ncodes + nextra; k++) {
        const char *cc = k < ncodes ? codes[k] : extra[k - ncodes];
        Region *r;
        char loc[16], name[MAXLEN], first[MAXLEN];
        UChar ubuf[MAXLEN];
        int32_t len;
        const char *d;
        int from;

        if (!wanted(cc))
            continue;
        if (nregs == MAXREG)
            die("too many regions", NULL);
        r = &regs[nregs++];
        memset(r, 0, sizeof *r);
        snprintf(r->cc, sizeof r->cc, "%s", cc);
        snprintf(r->kind, sizeof r->kind, "country");

        snprintf(loc, sizeof loc, "und_%s", cc);
        e = U_ZERO_ERROR;
        len = uloc_getDisplayCountry(loc, "fr", ubuf, MAXLEN, &e);
        check(e, "uloc_getDisplayCountry");
        to_utf8(ubuf, len, name, MAXLEN);
        if (!strcmp(name, cc))
            die("ICU has no French name for", cc);
        add_name(r, name, first);
        snprintf(r->canonical, MAXLEN, "%s", first);
        table_name(shorts, cc, name);
        if (name[0])
            add_name(r, name, NULL);
        table_name(variants, cc, name);
        if (name[0])
            add_name(r, name, NULL);

        if ((d = directive(cc, '=', NULL))) {
            snprintf(r->canonical, MAXLEN, "%s", d + 1);
            add_form(r, d + 1);
        }
        from = 0;
        while ((d = directive(cc, 0, &from)))
            add_form(r, d);
        from = 0;
        while ((d = directive(cc, '!', &from))) {
            int at = add_form(r, d + 1);
            if (at >= 0)
                r->exact[at] = 1;
        }
        if ((d = directive(cc, '@', NULL)))
            snprintf(r->kind, sizeof r->kind, "%s", d + 1);
        if ((d = directive(cc, 'w', NULL)))
            snprintf(r->wd, sizeof r->wd, "%s", d + 3);
        from = 0;
        while ((d = directive(cc, '-', &from))) {
            int found = 0;
            for (i = 0; i < r->nforms; i++)
                if (!strcmp(r->forms[i], d + 1)) {
                    memmove(r->forms[i], r->forms[i + 1], (size_t)(r->nforms - i - 1) * MAXLEN);
                    memmove(&r->exact[i], &r->exact[i + 1], (size_t)(r->nforms - i - 1) * sizeof(int));
                    r->nforms--;
                    found = 1;
                    break;
                }
            if (!found)
                fprintf(stderr, "mkcountries: warning: %s: '%s' to drop is not among ICU's forms\n",
                        cc, d + 1);
            if (!strcmp(r->canonical, d + 1))
                die("the canonical name is dropped for", cc);
        }
    }
    /* directives for codes never emitted are probably typos */
    for (i = 0; i < ndirs; i++) {
        int found = 0;
        for (j = 0; j < nregs; j++)
            if (!strcmp(regs[j].cc, dirs[i].cc))
                found = 1;
        if (!found)
            fprintf(stderr, "mkcountries: warning: %s: line '%s' names a code not emitted\n",
                    dirs[i].cc, dirs[i].value);
    }
    qsort(regs, (size_t)nregs, sizeof regs[0], cmpreg);

    /* ambiguity check */
    {
        int bad = 0;
        char ka[MAXLEN], kb[MAXLEN];
        for (i = 0; i < nregs; i++)
            for (j = 0; j < regs[i].nforms; j++) {
                int i2, j2;
                keyof(regs[i].forms[j], ka, MAXLEN);
                for (i2 = i + 1; i2 < nregs; i2++)
                    for (j2 = 0; j2 < regs[i2].nforms; j2++) {
                        keyof(regs[i2].forms[j2], kb, MAXLEN);
                        if (!strcmp(ka, kb)) {
                            fprintf(stderr, "mkcountries: '%s' (%s) and '%s' (%s) collide\n",
                                    regs[i].forms[j], regs[i].cc, regs[i2].forms[j2], regs[i2].cc);
                            bad = 1;
                        }
                    }
            }
        if (bad)
            die("ambiguous forms; drop one with a '-form' line in", argv[1]);
    }

    u_getVersion(v);
    u_versionToString(v, icuver);
    e = U_ZERO_ERROR;
    ulocdata_getCLDRVersion(cldr, &e);
    if (U_FAILURE(e))
        snprintf(cldrver, sizeof cldrver, "unknown");
    else
        u_versionToString(cldr, cldrver);

    printf("# countries.tsv -- GENERATED FILE, do not edit: edit %s and regenerate.\n", argv[1]);
    printf("# Generated by tools/mkcountries.c from ICU %s (CLDR %s) French (\"fr\") region names\n",
           icuver, cldrver);
    printf("# over uloc_getISOCountries(), plus the hand-kept variants in %s.\n", argv[1]);
    printf("# Regenerate:\n");
    printf("#   cc -o /tmp/mkcountries tools/mkcountries.c $(pkg-config --cflags --libs icu-uc icu-i18n)\n");
    printf("#   /tmp/mkcountries %s > gazetteers/countries.tsv\n", argv[1]);
    printf("# Columns: form<TAB>type<TAB>canonical<TAB>attrs (see gazetteers/README.md).\n");
    printf("# %d regions.\n", nregs);
    for (i = 0; i < nregs; i++) {
        Region *r = &regs[i];
        char attrs[128];
        snprintf(attrs, sizeof attrs, "kind=%s;cc=%s%s%s", r->kind, r->cc, r->wd[0] ? ";wd=" : "", r->wd);
        printf("\n");
        /* canonical first, then the other forms in the order found */
        for (j = 0; j < r->nforms; j++)
            if (!strcmp(r->forms[j], r->canonical))
                printf("%s\tLOC\t%s\t%s%s\n", r->forms[j], r->canonical, attrs,
                       r->exact[j] ? ";case=exact" : "");
        for (j = 0; j < r->nforms; j++)
            if (strcmp(r->forms[j], r->canonical))
                printf("%s\tLOC\t%s\t%s%s\n", r->forms[j], r->canonical, attrs,
                       r->exact[j] ? ";case=exact" : "");
    }
    if (shorts)
        ures_close(shorts);
    if (variants)
        ures_close(variants);
    ures_close(rb);
    utrans_close(fold);
    return 0;
}
