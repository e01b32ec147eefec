#!/usr/bin/env python3
"""Held-out measure of the run-together word repair.

Takes French text files, glues random pairs of adjacent words together (as HTML extraction
does), runs `glaneur normalize` on the result and scores the splits it makes with the referee's
own alignment (tests/referee/score.py: split_ops), so that the figure is comparable to the
`glued` row of the referee. Text that was already glued in the input is left out of the count.

usage: glue-eval.py GLANEUR [--rate 0.12] [--seed 7] [--teasers] [--min-p P --min-r R] FILE...
  --teasers   use only the part of each file after its "Voir plus" line (text the gold annotations
              never saw, which makes it a held-out set for the corpus articles)
Exit status 1 when --min-p or --min-r is not met.
"""
import argparse, os, random, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "referee"))
import score  # noqa: E402

WORD = re.compile(r"^[\w’']+$")


def glue(text, rate, rng):
    words = text.split(" ")
    out, glued, i = [], [], 0
    while i < len(words):
        w = words[i]
        if (i + 1 < len(words) and rng.random() < rate and WORD.match(w) and WORD.match(words[i + 1])
                and "\n" not in w + words[i + 1]):
            out.append(w + words[i + 1])
            glued.append((w + words[i + 1], w + " " + words[i + 1]))
            i += 2
        else:
            out.append(w)
            i += 1
    return " ".join(out), glued


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("glaneur")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--rate", type=float, default=0.12)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--teasers", action="store_true")
    ap.add_argument("--min-p", type=float, default=0.0)
    ap.add_argument("--min-r", type=float, default=0.0)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    tp = fp = fn = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k, path in enumerate(a.files):
            text = open(path, encoding="utf-8").read()
            if a.teasers:
                m = re.search(r"^Voir plus\s*$", text, re.M)
                if not m:
                    continue
                text = text[m.end():]
            # words the normalizer splits before any gluing are not ours to count
            base = os.path.join(tmp, "base%d.txt" % k)
            open(base, "w", encoding="utf-8").write(text)
            before = run(a.glaneur, base)
            already = {w for w, _ in score.split_ops(text, before)}
            glued_text, glued = glue(text, a.rate, rng)
            f = os.path.join(tmp, "g%d.txt" % k)
            open(f, "w", encoding="utf-8").write(glued_text)
            gold = {x.translate(score.APOS).strip(".,;:!?\"«»()[]"): y.translate(score.APOS) for x, y in glued}
            seen = {}
            for w, p in score.split_ops(glued_text, run(a.glaneur, f)):
                if w not in already:
                    seen.setdefault(w, p)
            for w, p in seen.items():
                ok = w in gold and score.bare(p) == score.bare(gold[w])
                tp += ok
                fp += not ok
                if not ok and a.verbose:
                    print("wrong split: %s -> %s" % (w, p))
            for w in gold:
                if not (w in seen and score.bare(seen[w]) == score.bare(gold[w])):
                    fn += 1
                    if a.verbose:
                        print("missed: %s" % w)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print("glued pairs %d  precision %.3f  recall %.3f" % (tp + fn, p, r))
    return 0 if p >= a.min_p and r >= a.min_r else 1


def run(glaneur, path):
    return subprocess.run([glaneur, "normalize", "--all-sections", path], capture_output=True, text=True,
                          check=True).stdout


if __name__ == "__main__":
    sys.exit(main())
