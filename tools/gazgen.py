"""Shared helpers of the gazetteer generators (tools/mksubdivisions.py, tools/mkcities.py).

A generated gazetteer must not fight the hand-kept ones: a form that another file already
lists keeps that file's reading, and a generated place that another file already knows under
the same country takes that file's canonical name. It must also not turn common words and
people's names into places: `risky` says when a form is a French word, a first name or a
surname (faker's name lists), a Vietnamese syllable (the SYLLABLE rule of
gazetteers/rules/repair.rules) or a very short word, so that a generator keeps it only for a
place large enough, and then with case=exact.
"""
import datetime
import json
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def norm(form):
    """The matching key of a form, as tools/check-gazetteers.py and the trie compare forms."""
    s = form.replace("\u2019", "'").replace("\u02bc", "'")
    s = s.replace("\u0110", "D").replace("\u0111", "d")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.casefold()
    return " ".join(s.split())


def clean(form):
    """A form as the gazetteers write it: NFC, ASCII apostrophe, single spaces."""
    s = unicodedata.normalize("NFC", form).replace("\u2019", "'").replace("\u02bc", "'")
    s = s.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    return " ".join(s.split())


def deb_version(package):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(f"{package}: not installed (apt-get install {package})")


def npm_version(npm_dir, package):
    path = os.path.join(npm_dir, "node_modules", package, "package.json")
    try:
        return json.load(open(path, encoding="utf-8"))["version"]
    except OSError:
        sys.exit(f"{path}: missing (cd {npm_dir} && npm install {package})")


def run_node(npm_dir, script):
    """Runs an ES module script from npm_dir (so that its imports resolve there); its stdout."""
    path = os.path.join(npm_dir, "_glaneur_gen.mjs")
    with open(path, "w", encoding="utf-8") as f:
        f.write(script)
    try:
        return subprocess.run(["node", path], check=True, capture_output=True, text=True,
                              cwd=npm_dir).stdout
    finally:
        os.remove(path)


def today():
    return datetime.date.today().isoformat()


class Existing:
    """What the other gazetteer files already say: every form's types, and each LOC form's
    canonical names and countries."""

    def __init__(self, gazetteer_dir, skip):
        self.types = {}  # norm(form) -> set of types
        self.loc = {}    # norm(form) -> list of (canonical, cc or None)
        for name in sorted(os.listdir(gazetteer_dir)):
            if not name.endswith(".tsv") or name in skip:
                continue
            for line in open(os.path.join(gazetteer_dir, name), encoding="utf-8"):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) != 4:
                    continue
                form, typ, canonical, attrs = cols
                key = norm(form)
                self.types.setdefault(key, set()).add(typ)
                if typ == "LOC":
                    cc = dict(kv.split("=", 1) for kv in attrs.split(";") if "=" in kv).get("cc")
                    self.loc.setdefault(key, []).append((canonical, cc))

    def other_type(self, form):
        """Does another file list this form with a type other than LOC?"""
        return bool(self.types.get(norm(form), set()) - {"LOC"})

    def place(self, form, cc):
        """The canonical name another file gives this form as a place of country cc (or of no
        country); None if no file lists it; False if a file lists it as another country's."""
        readings = self.loc.get(norm(form))
        if not readings:
            return None
        for canonical, their_cc in readings:
            if their_cc is None or their_cc == cc:
                return canonical
        return False


class Risk:
    """Which forms may be something else than a place."""

    def __init__(self, names):
        self.words = set()
        for line in open("/usr/share/dict/french", encoding="utf-8"):
            w = line.strip()
            if w and w == w.lower():
                self.words.add(w)
        for name in ("words.txt", "function_words.txt"):
            path = os.path.join(ROOT, "gazetteers", "lexicon", name)
            for line in open(path, encoding="utf-8"):
                w = line.split("\t")[0].strip()
                if w and not w.startswith("#"):
                    self.words.add(w.lower())
        self.words |= {norm(w) for w in self.words}  # Panórama is panorama
        self.names = {norm(n) for n in names}
        rules = open(os.path.join(ROOT, "gazetteers", "rules", "repair.rules"), encoding="utf-8").read()
        m = re.search(r"^SYLLABLE\s+\S+\s+(\S+)\s*$", rules, re.M)
        self.syllable = re.compile(m.group(1)) if m else None

    def why(self, form, cc=None):
        """Why a form may not be a place, or None: 'compass' (Nord, Sud-Ouest, Centre), 'word'
        (a French common word, or a phrase of them: La Garde, La Source), 'name' (a first
        name or surname), 'syllable' (one Vietnamese syllable), 'syllables' (Vietnamese
        syllables only, for a place of Vietnam or of no country given in cc) or 'short' (three
        letters)."""
        low = norm(form)
        parts = re.split(r"[\s-]+", low)
        if all(p in COMPASS for p in parts):
            return "compass"
        if low in self.words or low.replace("-", " ") in self.words:
            return "word"
        bare = re.sub(r"^(?:l|d)'", "", low)
        if bare != low and (bare in self.words or all(w in self.words for w in bare.split())):
            return "word"  # L'Union, L'Isle: an article and a common word
        words = low.split()
        if len(words) == 1:
            if norm(form) in self.names:
                return "name"
            if self.syllable and self.syllable.match(norm(form)):
                return "syllable"
            if len(norm(form)) <= 3:
                return "short"
        elif all(w in self.words for w in words):
            return "word"  # La Garde, Grand Est: a phrase of common words
        elif cc in (None, "VN") and self.syllable and all(self.syllable.match(w) for w in words):
            # Văn Giang, Tân Thành: also the given names of a Vietnamese person; the same letters
            # elsewhere are a place's name only (Nong Khai, Chiang Mai, Khon Kaen in Thailand)
            return "syllables"
        return None


# The points of the compass and the centre: regions of every country at once, which the place
# rules find in context (le Sud, province de X (Nord)), never one country's subdivision.
COMPASS = {"nord", "sud", "est", "ouest", "centre", "central", "centrale", "north", "south", "east",
           "west", "western", "eastern", "northern", "southern", "septentrional", "septentrionale",
           "meridional", "meridionale", "oriental", "orientale", "occidental", "occidentale",
           "region", "province"}  # as norm writes them


def faker_names(npm_dir):
    """Every first and last name of faker's locales (the people of the news and their names)."""
    script = """
import * as F from '@faker-js/faker';
const out = new Set();
const take = (x) => { if (!x) return; if (Array.isArray(x)) x.forEach(n => typeof n === 'string' && out.add(n));
                      else if (typeof x === 'object') Object.values(x).forEach(take); };
for (const [k, v] of Object.entries(F)) {
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(k) || !v || !v.person) continue;
  take(v.person.first_name); take(v.person.last_name);
}
for (const n of out) console.log(n);
"""
    return [n for n in run_node(npm_dir, script).split("\n") if n]


def write_tsv(out, header, places):
    """header: comment lines; places: (comment or None, [(form, canonical, attrs)]) in order."""
    for line in header:
        out.write(("# " + line).rstrip() + "\n")
    out.write("# Columns: form<TAB>type<TAB>canonical<TAB>attrs (see gazetteers/README.md).\n")
    for comment, lines in places:
        if comment:
            out.write(f"\n# --- {comment}\n")
        for form, canonical, attrs in lines:
            out.write(f"{form}\tLOC\t{canonical}\t{attrs}\n")
