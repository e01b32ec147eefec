#!/usr/bin/env python3
"""Validate glaneur's gazetteers.

Usage: python3 tools/check-gazetteers.py [GAZETTEER_DIR]   (default: gazetteers)

Checks every GAZETTEER_DIR/*.tsv (format in gazetteers/README.md):
  - UTF-8, NFC, no typographic apostrophes, no stray spaces, exactly 4 tab-separated columns;
  - a known type, and attrs either "-" or ";"-separated key=value pairs with known keys
    and well-formed values;
  - per type: DEMONYM needs gender, number and cc (or kind for continents/regions);
    TITLE needs gender and number; RANK needs service and level;
  - every canonical except a DEMONYM's is itself listed as a form of the same type;
  - a DEMONYM's canonical is a country's canonical name in countries.tsv (with the same cc)
    or a continent/region canonical name in places.tsv;
  - no form (compared as glaneur matches: case- and diacritic-insensitive unless case=exact)
    has two different canonicals for one type, across all files;
  - the hand-kept input gazetteers/sources/country_variants.tsv has "CC<TAB>value" lines.
Prints "file:line: message" for each error and exits 1 if there is any; notes (countries
without a demonym) go to stderr without failing.
"""
import os
import re
import sys
import unicodedata

TYPES = {"PERSON", "ORG", "LOC", "RANK", "TITLE", "EVENT", "AGREEMENT", "DEMONYM"}
KEYS = {
    "kind": re.compile(r"^[a-z][a-z_]*$"),
    "cc": re.compile(r"^[A-Z]{2}$"),
    "wd": re.compile(r"^Q[1-9][0-9]*$"),
    "case": re.compile(r"^exact$"),
    "gender": re.compile(r"^[mf]$"),
    "number": re.compile(r"^[sp]$"),
    "service": re.compile(r"^(army|navy|air|gendarmerie|generic)$"),
    "level": re.compile(r"^(0|[1-9][0-9]*)$"),
}
BAD_CHARS = {"\u2019": "typographic apostrophe (write ')", "\u02bc": "modifier apostrophe (write ')",
             "\u00a0": "no-break space", "\u202f": "narrow no-break space", "\ufeff": "BOM"}


def norm(form):
    """The matching key: apostrophes unified, case folded, diacritics removed, spaces collapsed."""
    s = form.replace("\u2019", "'").replace("\u02bc", "'")
    s = s.replace("\u0110", "D").replace("\u0111", "d")  # Vietnamese D with stroke
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.casefold()
    return " ".join(s.split())


class Entry:
    __slots__ = ("path", "line", "form", "type", "canonical", "attrs")

    def __init__(self, path, line, form, typ, canonical, attrs):
        self.path, self.line, self.form, self.type = path, line, form, typ
        self.canonical, self.attrs = canonical, attrs


def main(argv):
    root = argv[1] if len(argv) > 1 else "gazetteers"
    errors = []

    def err(path, line, msg):
        errors.append(f"{path}:{line}: {msg}")

    files = sorted(f for f in os.listdir(root) if f.endswith(".tsv"))
    if not files:
        print(f"{root}: no .tsv files", file=sys.stderr)
        return 1
    entries = []
    for name in files:
        path = os.path.join(root, name)
        try:
            text = open(path, encoding="utf-8").read()
        except UnicodeDecodeError as e:
            err(path, 0, f"not UTF-8: {e}")
            continue
        for n, raw in enumerate(text.split("\n"), 1):
            if raw == "" and n == len(text.split("\n")):
                break
            for ch, what in BAD_CHARS.items():
                if ch in raw:
                    err(path, n, what)
            if raw.endswith("\r"):
                err(path, n, "CR line ending")
                raw = raw.rstrip("\r")
            if raw.strip() == "" or raw.lstrip().startswith("#"):
                continue
            if unicodedata.normalize("NFC", raw) != raw:
                err(path, n, "not in Unicode NFC")
            cols = raw.split("\t")
            if len(cols) != 4:
                err(path, n, f"expected 4 tab-separated columns, found {len(cols)}")
                continue
            form, typ, canonical, attrs_s = cols
            bad = False
            for label, val in (("form", form), ("type", typ), ("canonical", canonical), ("attrs", attrs_s)):
                if val == "":
                    err(path, n, f"empty {label}")
                    bad = True
                elif val != val.strip() or "  " in val:
                    err(path, n, f"stray spaces in {label}: {val!r}")
            if bad:
                continue
            if typ not in TYPES:
                err(path, n, f"unknown type {typ!r}")
            attrs = {}
            if attrs_s != "-":
                for kv in attrs_s.split(";"):
                    if "=" not in kv:
                        err(path, n, f"attr {kv!r} is not key=value")
                        continue
                    k, v = kv.split("=", 1)
                    if k not in KEYS:
                        err(path, n, f"unknown attr key {k!r}")
                    elif not KEYS[k].match(v):
                        err(path, n, f"bad value for {k}: {v!r}")
                    if k in attrs:
                        err(path, n, f"attr {k!r} given twice")
                    attrs[k] = v
            if typ == "DEMONYM":
                for k in ("gender", "number"):
                    if k not in attrs:
                        err(path, n, f"DEMONYM needs {k}=")
                if "cc" not in attrs and attrs.get("kind") not in ("continent", "region"):
                    err(path, n, "DEMONYM needs cc= (or kind=continent/region)")
            elif typ == "TITLE":
                for k in ("gender", "number"):
                    if k not in attrs:
                        err(path, n, f"TITLE needs {k}=")
            elif typ == "RANK":
                for k in ("service", "level"):
                    if k not in attrs:
                        err(path, n, f"RANK needs {k}=")
            entries.append(Entry(path, n, form, typ, canonical, attrs))

    # canonicals listed as forms
    forms_by_type = {}
    for e in entries:
        forms_by_type.setdefault((e.path, e.type), set()).add(e.form)
    for e in entries:
        if e.type == "DEMONYM":
            continue
        if e.canonical not in forms_by_type.get((e.path, e.type), ()):
            err(e.path, e.line, f"canonical {e.canonical!r} is not itself a {e.type} form in this file")

    # demonym canonicals
    countries = {}  # canonical -> set of cc
    regions = set()
    for e in entries:
        base = os.path.basename(e.path)
        if base == "countries.tsv" and e.type == "LOC":
            countries.setdefault(e.canonical, set()).add(e.attrs.get("cc"))
        if base == "places.tsv" and e.type == "LOC" and e.attrs.get("kind") in ("continent", "region"):
            regions.add(e.canonical)
    have_demonym = set()
    for e in entries:
        if e.type != "DEMONYM":
            continue
        if "cc" in e.attrs:
            ccs = countries.get(e.canonical)
            if ccs is None:
                err(e.path, e.line, f"demonym canonical {e.canonical!r} is not a canonical name in countries.tsv")
            elif e.attrs["cc"] not in ccs:
                err(e.path, e.line, f"cc={e.attrs['cc']} but {e.canonical!r} is {'/'.join(sorted(ccs))} in countries.tsv")
            have_demonym.add(e.attrs["cc"])
        elif e.canonical not in regions:
            err(e.path, e.line, f"demonym canonical {e.canonical!r} is not a continent/region in places.tsv")

    # one canonical per (matching key, type)
    seen = {}
    for e in entries:
        key = (e.form if e.attrs.get("case") == "exact" else norm(e.form), e.type, e.attrs.get("case") == "exact")
        first = seen.get(key)
        if first is None:
            seen[key] = e
        elif first.canonical != e.canonical:
            err(e.path, e.line, f"{e.type} form {e.form!r} -> {e.canonical!r}, but "
                f"{first.path}:{first.line} has {first.form!r} -> {first.canonical!r}")

    # hand-kept tool input
    variants = os.path.join(root, "sources", "country_variants.tsv")
    if os.path.exists(variants):
        for n, raw in enumerate(open(variants, encoding="utf-8").read().split("\n"), 1):
            if raw.strip() == "" or raw.startswith("#"):
                continue
            if not re.match(r"^[A-Z]{2}\t[^\t]+$", raw) or raw != raw.strip():
                err(variants, n, "expected 'CC<TAB>value'")
            if "\u2019" in raw:
                err(variants, n, "typographic apostrophe (write ')")

    # notes
    missing = sorted(cc for ccs in
                     [{e.attrs.get("cc") for e in entries
                       if os.path.basename(e.path) == "countries.tsv" and e.attrs.get("kind") == "country"}]
                     for cc in ccs if cc not in have_demonym)
    if missing and "demonyms.tsv" in files:
        print(f"note: countries without a demonym: {' '.join(missing)}", file=sys.stderr)

    for m in errors:
        print(m)
    counts = {}
    for e in entries:
        counts[os.path.basename(e.path)] = counts.get(os.path.basename(e.path), 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{len(errors)} error(s); {len(entries)} entries ({summary})", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
