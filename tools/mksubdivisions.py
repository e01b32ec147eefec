#!/usr/bin/env python3
"""mksubdivisions: gazetteers/subdivisions.tsv from Debian's iso-codes.

    apt-get install iso-codes
    mkdir -p /tmp/gaz-npm && (cd /tmp/gaz-npm && npm install @faker-js/faker)
    python3 tools/mksubdivisions.py --npm /tmp/gaz-npm > gazetteers/subdivisions.tsv

Every subdivision of ISO 3166-2 (provinces, regions, states, Länder, prefectures, districts,
cantons, departments ...) as one place of kind=<its type> and cc=<its country>, with its
French name from the gettext catalogue iso_3166-2.mo as canonical where the catalogue has one
(Bayern -> Bavière), and its local name as a variant. Generic words of the local names are
also dropped to give the form the news writes (Guangxi Zhuangzu Zizhiqu -> Guangxi,
Gyeonggi-do -> Gyeonggi).

A name that is also a French word (Nord, Manche, Atlantique), a first name or a surname, a
Vietnamese syllable or a very short word is left out: it would make every such word a place.
The place grammar (province de X) still finds those in context. A form that another gazetteer
lists keeps that file's reading (see tools/gazgen.py). faker's name lists are read from the
npm folder given; without --npm, names are not filtered.
"""
import argparse
import gettext
import json
import re
import sys

import gazgen

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-2.json"
ISO_MO = "/usr/share/locale/fr/LC_MESSAGES/iso_3166-2.mo"

# ISO's subdivision types -> the kinds of gazetteers/README.md
KINDS = [
    (r"prefecture", "prefecture"),
    (r"canton", "canton"),
    (r"\bland\b|\bstate\b|federal territor", "state"),
    (r"province", "province"),
    (r"department", "department"),
    (r"governorate", "governorate"),
    (r"county|oblast|voivodship", "county"),
    (r"republic", "republic"),
    (r"district|rayon|division", "district"),
    (r"municipality|city|commune|capital|borough", "municipality"),
    (r"territor|dependency|collectivity", "territory"),
]

# Generic words of local names: the name without them is the one the news writes
# (Anhui Sheng -> Anhui, Guangxi Zhuangzu Zizhiqu -> Guangxi, Seoul-teukbyeolsi -> Seoul).
GENERIC_WORDS = {"Sheng", "Shi", "Zizhiqu", "Zhuangzu", "Huizu", "Uygur", "SAR"}
GENERIC_SUFFIXES = ["-teukbyeoljachido", "-teukbyeoljachisi", "-teukbyeolsi", "-gwangyeoksi",
                    "-jikhalsi", "-teukgeupsi", "-namdo", "-bukto", "-bukdo", "-do"]


def kind_of(iso_type):
    t = iso_type.lower()
    for pattern, kind in KINDS:
        if re.search(pattern, t):
            return kind
    return "region"


def variants(name):
    """The forms a name of the catalogue stands for: "A, B" is "B A" (Madrid, Comunidad de);
    "A [B]" and "A / B" are two names; a parenthesised part is a second name when it is one
    (Distrito Nacional (Santo Domingo)), else dropped (Guyane (française), Tarfaya (EH))."""
    out = []
    m = re.match(r"^(.*?)\s*\[(.*)\]$", name)
    if m:
        name = m.group(1)
        inner = re.sub(r"\s+[A-Z]{2}-[A-Z0-9]+$", "", m.group(2))  # "Cymru GB-CYM"
        out += variants(inner)
    parts = [p.strip() for p in re.split(r"\s+/\s+|/", name)] if "/" in name else [name]
    for part in parts:
        m = re.match(r"^(.*?)\s*\(([^)]*)\)(.*)$", part)
        if m:
            inner = m.group(2).strip()
            if inner[:1].isupper() and not re.match(r"^[A-Z]{1,3}\b", inner):
                out.append(inner)
            part = (m.group(1) + m.group(3)).strip()
        if "," in part:
            a, b = [s.strip() for s in part.split(",", 1)]
            if b:
                out.append(b + " " + a)  # "Communauté de Madrid", "Région wallonne"
            if a[:1].isupper():
                out.append(a)
            continue
        out.append(part)
    result = []
    for form in out:
        form = gazgen.clean(form)
        if form and form not in result:
            result.append(form)
    return result


def short_forms(form):
    """The form without its generic words (Anhui Sheng -> Anhui, Gyeonggi-do -> Gyeonggi)."""
    words = form.split(" ")
    kept = [w for w in words if w not in GENERIC_WORDS]
    out = []
    if kept and kept != words:
        out.append(" ".join(kept))
    base = " ".join(kept) if kept else form
    for suffix in GENERIC_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix) + 2:
            out.append(base[: -len(suffix)])
            break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--npm", help="folder where @faker-js/faker is installed (name filter)")
    args = ap.parse_args()

    subdivisions = json.load(open(ISO_JSON, encoding="utf-8"))["3166-2"]
    french = gettext.GNUTranslations(open(ISO_MO, "rb"))._catalog
    names = gazgen.faker_names(args.npm) if args.npm else []
    risk = gazgen.Risk(names)
    existing = gazgen.Existing(gazgen.ROOT + "/gazetteers", skip={"subdivisions.tsv", "cities.tsv"})

    # A French name that is another country's subdivision is a slip of the catalogue
    # (TH-75 Samut Songkhram -> "Samdrup Jongkhar", a district of Bhutan).
    countries = {c["alpha_2"]: c["name"] for c in json.load(open(ISO_JSON.replace("3166-2", "3166-1"), encoding="utf-8"))["3166-1"]}
    local_country = {}
    for s in subdivisions:
        local_country.setdefault(gazgen.norm(s["name"]), set()).add(s["code"][:2])

    claimed = {}  # norm(form) -> canonical, in this file
    places = []
    dropped = {"compass": 0, "word": 0, "name": 0, "syllable": 0, "syllables": 0, "short": 0, "known elsewhere": 0}
    for s in sorted(subdivisions, key=lambda s: s["code"]):
        cc = s["code"][:2]
        local = s["name"]
        fr = french.get(local)
        if fr and local_country.get(gazgen.norm(fr), {cc}) - {cc}:
            fr = None
        forms = []  # (form, from the French name that differs from the local one)
        exonym = bool(fr) and gazgen.norm(fr) != gazgen.norm(local)
        for name, is_fr in ([(fr, exonym)] if fr else []) + [(local, False)]:
            for k, v in enumerate(variants(name)):
                for f in short_forms(v) + [v]:
                    if f not in [g for g, _ in forms]:
                        forms.append((f, is_fr and k == 0))  # the name itself, not a part of it
        kept = []  # (form, exact)
        for f, is_fr in forms:
            why = risk.why(f, cc)
            # a French exonym of one word that is also a word or a name (Bavière, Saxe, Hesse) is
            # still the place's French name: kept, with its case (a capital mid-sentence); a local
            # name that is a word, a name or a syllable is not, nor a phrase of common words
            # (Rivière basse, Côte occidentale)
            if why and not (is_fr and why in ("word", "name") and " " not in f):
                dropped[why] += 1
                continue
            if existing.other_type(f) or existing.place(f, cc) is False:
                dropped["known elsewhere"] += 1
                continue
            kept.append((f, why == "word"))
        if not kept:
            continue
        # the canonical: what another file calls this place, else the French name, else the
        # first form kept
        # the canonical: the first form (the French name), or what another file calls it; a
        # later form that another file lists is that file's place (Madrid of "Madrid,
        # Comunidad de" is the city), not this one
        canonical = existing.place(kept[0][0], cc) or kept[0][0]
        kept = kept[:1] + [(f, x) for f, x in kept[1:] if existing.place(f, cc) is None]
        attrs = f"kind={kind_of(s['type'])};cc={cc}"
        exact = dict(kept)
        lines = []
        for f in [canonical] + [f for f, _ in kept if f != canonical]:
            key = gazgen.norm(f)
            if claimed.get(key, canonical) != canonical:
                continue  # two subdivisions of one name (a region and its province): the first
            claimed[key] = canonical
            lines.append((f, canonical, attrs + (";case=exact" if exact.get(f) else "")))
        if lines and lines[0][0] != canonical:
            # the canonical is another place's form here: keep this place under its first form
            lines = [(f, lines[0][0], a) for f, _, a in lines]
        if lines:
            comment = countries.get(cc, cc) if not places or places[-1][2] != cc else None
            places.append((comment, lines, cc))

    header = [
        "subdivisions.tsv -- GENERATED FILE, do not edit: regenerate with tools/mksubdivisions.py.",
        f"Source: Debian iso-codes {gazgen.deb_version('iso-codes')} (LGPL-2.1+): {ISO_JSON} and the",
        f"French catalogue {ISO_MO}.",
        ("Filter: first and last names of @faker-js/faker " + gazgen.npm_version(args.npm, "@faker-js/faker")
         + " (MIT)") if args.npm else "Filter: no name list (run with --npm).",
        "and French words of Debian wfrench " + gazgen.deb_version("wfrench") + " (GPL-2).",
        f"Generated on {gazgen.today()}. Regenerate:",
        "  python3 tools/mksubdivisions.py --npm DIR > gazetteers/subdivisions.tsv   (see gazetteers/README.md)",
        f"{sum(len(p[1]) for p in places)} forms of {len(places)} subdivisions; left out: "
        + ", ".join(f"{n} {k}" for k, n in dropped.items()) + ".",
    ]
    out = sys.stdout
    gazgen.write_tsv(out, header, [(c, l) for c, l, _ in places])


if __name__ == "__main__":
    main()
