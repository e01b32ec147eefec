#!/usr/bin/env python3
"""Time growth of glaneur on pathological inputs: each stage must be linear (or n log n) in its
input whatever its shape.

For each shape, documents of size n and 2n (and 4n ...) are made and extracted by one process
each; the CPU time of that process (user + system, from wait4, not wall time: the machine is
shared) is taken as the minimum of a few runs, and the start-up (the model load, timed on a tiny
document) is subtracted. The test fails when a doubling costs more than --max-ratio (2.2) times,
from a time long enough to measure (--min-judged).

usage: growth.py GLANEUR [--shapes a,b] [--sizes KB,KB,...] [--runs N] [--max-ratio R] [--report]
  --report  print the seconds per size and shape, check nothing
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

SENTENCES = [
    "Le vice-ministre vietnamien de la Défense, le général Hoàng Xuân Chiên, a reçu lundi à Hanoï "
    "le vice-ministre japonais de la Défense Masami Oka",
    "Les deux parties ont discuté des questions mondiales et régionales d'intérêt commun, en "
    "particulier celles de sécurité traditionnelle et les nouveaux défis non traditionnels",
    "Ils ont souligné l'importance de maintenir un environnement de paix, de stabilité et de "
    "sécurité en Mer Orientale pour tous les pays du monde",
    "Le 13 mars 2023, le ministre Nguyễn Văn An a signé avec son homologue Tanaka Hiroshi un "
    "mémorandum de coopération dans le domaine du sauvetage à Tokyo",
    "Le Premier ministre Phạm Minh Chính et le président de l'Assemblée nationale ont coprésidé "
    "la conférence sur la politique de défense Vietnam-Japon",
]
SYLLABLES = ["Nguyen", "Van", "Hoang", "Minh", "Tran", "Thi", "Le", "Pham", "Duc", "Anh", "Quang",
             "Huy", "Bao", "Long", "Tanaka", "Hiroshi", "Oka", "Masami", "Kim", "Park"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def fill(size, piece):
    """Pieces from piece(k) joined until size bytes (UTF-8)."""
    out, n, k = [], 0, 0
    while n < size:
        p = piece(k)
        out.append(p)
        n += len(p.encode())
        k += 1
    return "".join(out)


def shape_text(shape, size):
    rnd = random.Random(size)
    if shape == "nostop":  # one sentence: no full stop, no line break
        return fill(size, lambda k: SENTENCES[k % len(SENTENCES)] + ", ")
    if shape == "capsrun":  # one long run of capitalised words
        return "Le " + fill(size, lambda k: rnd.choice(SYLLABLES) + " ")
    if shape == "dela":  # de la de la ...
        return "Le ministre " + fill(size, lambda k: "de la Défense " if k % 8 == 7 else "de la ")
    if shape == "dates":  # one date after the other
        return fill(size, lambda k: "le %d %s %d, " % (k % 28 + 1, MONTHS[k % 12], 1990 + k % 40))
    if shape == "marks":  # a name with ever more combining marks
        marks = size // 2  # U+0300 is two bytes
        return "Le ministre Hoa" + "\u0300" * marks + "ng a reçu M. Tanaka à Hanoï."
    if shape == "longline":  # ordinary sentences, no line break
        return fill(size, lambda k: SENTENCES[k % len(SENTENCES)] + ". ")
    if shape == "mentions":  # one mention after another, few sentences
        return fill(size, lambda k: "M. %s %s, vice-ministre de la Défense, a rencontré à Tokyo %s %s, "
                    % (rnd.choice(SYLLABLES), rnd.choice(SYLLABLES), rnd.choice(SYLLABLES), rnd.choice(SYLLABLES)))
    if shape == "lines":  # many short lines
        return fill(size, lambda k: SENTENCES[k % len(SENTENCES)] + "\n")
    if shape == "acronyms":  # organisations defined by acronyms, some new, some used again
        def acr(k):
            return "CN" + "".join(chr(65 + (k // 26 ** i) % 26) for i in range(4))
        return fill(size, lambda k: "La Commission nationale de la Défense (%s) a reçu la %s et l'OMS. "
                    "L'Organisation mondiale de la santé (OMS) aussi. " % (acr(k), acr(k // 2)))
    if shape == "spaces":  # words far apart
        return fill(size, lambda k: "Hanoï" + " " * 1000)
    raise SystemExit("unknown shape " + shape)


SHAPES = ["nostop", "capsrun", "dela", "dates", "marks", "longline", "mentions", "lines", "spaces", "acronyms"]


def cpu_seconds(cmd):
    """CPU seconds (user + system) of one run of cmd, which must succeed."""
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, err.decode(errors="replace")))
    return usage.ru_utime + usage.ru_stime


def best_of(cmd, runs):
    return min(cpu_seconds(cmd) for _ in range(runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("glaneur")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--sizes", default="256,512,1024", help="KB, each the double of the one before")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-ratio", type=float, default=2.2)
    ap.add_argument("--min-seconds", type=float, default=0.15,
                    help="a shape whose largest size takes less is too fast to judge: its sizes are doubled")
    ap.add_argument("--min-judged", type=float, default=0.1,
                    help="a doubling from a time under this many seconds is too noisy to judge")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args()
    sizes = [int(s) * 1024 for s in a.sizes.split(",")]
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.txt")
        with open(base, "w") as f:
            f.write("Le 3 mai 2020 à Hanoï.\n")
        cmd = [a.glaneur, "extract", "-q", "-j", "1", "--max-doc-size", "1G", "--max-entities", "1G", "--today", "2026-01-01"]
        startup = best_of(cmd + [base], a.runs)
        print("start-up %.3f s" % startup, flush=True)
        def measure(shape, scale, times=None):
            """The CPU seconds of each size, the minimum with those of an earlier try."""
            out = []
            for k, size in enumerate(sizes):
                path = os.path.join(tmp, "%s.txt" % shape)
                with open(path, "w") as f:
                    f.write(shape_text(shape, size * scale))
                t = max(best_of(cmd + [path], a.runs) - startup, 1e-4)
                out.append(min(t, times[k]) if times else t)
            return out

        def worst_ratio(times):
            # every doubling from a time long enough to measure is judged (a quadratic cost may
            # be capped further on, as PCRE2 caps some of its scans)
            ratios = [t2 / t1 for t1, t2 in zip(times, times[1:])]
            judged = [r for t1, r in zip(times, ratios) if t1 >= a.min_judged]
            return ratios, max(judged) if judged else 0

        for shape in a.shapes.split(","):
            scale = 1
            while True:
                times = measure(shape, scale)
                if a.report or times[-1] >= a.min_seconds or scale >= 64:
                    break
                scale *= 2
            ratios, worst = worst_ratio(times)
            # on a shared machine one slow run can make a linear stage look super-linear: a shape
            # that fails is measured once more, each size keeping its better time (a quadratic
            # stage fails again, whatever the load)
            if not a.report and worst > a.max_ratio:
                times = measure(shape, scale, times)
                ratios, worst = worst_ratio(times)
            row = " ".join("%dK %.3f s" % (s * scale // 1024, t) for s, t in zip(sizes, times))
            verdict = "" if a.report else (" FAIL" if worst > a.max_ratio else " ok")
            print("%-9s %s  ratios %s%s" % (shape, row, " ".join("%.2f" % r for r in ratios), verdict), flush=True)
            if verdict == " FAIL":
                failed.append(shape)
    if failed:
        print("super-linear: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
