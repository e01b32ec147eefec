#!/usr/bin/env python3
"""dev_floor: the extractor on the dev set of tests/dev/, scored by the referee, against floors.

Runs `glaneur extract --text` over tests/dev/texts, scores the output with the referee
tests/referee/score.py against tests/dev/gold, prints the table (aggregate figures only, never
a line per document) and fails when the F1 of a measure listed in tests/dev/floors.tsv falls under
its floor, when a listed measure is no longer reported, or when a document gets no prediction.
It also fails when `glaneur eval` does not give the referee's figures on this real output.

usage: test_dev.py GLANEUR SOURCE_DIR [--write-floors MARGIN]

--write-floors MARGIN rewrites tests/dev/floors.tsv from this run: the F1 of every measure minus
MARGIN, rounded down to 0.001 (never under 0). Do it after a change that is meant to move the
figures, and commit the new file with the change.
"""
import argparse, json, math, os, subprocess, sys, tempfile

FLOORS_HEADER = """\
# Floors of the dev_floor test (tests/test_dev.py): the F1 of each referee measure on tests/dev
# under which the test fails. A measure missing here has no floor.
# Regenerate: python3 tests/test_dev.py build/glaneur . --write-floors MARGIN
"""


def run(command, what):
    """Runs COMMAND; returns its stdout, or exits with its stderr when it fails."""
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if result.returncode != 0:
        sys.stderr.write(result.stderr.decode("utf-8", "replace"))
        sys.exit("dev_floor: %s failed (exit %d)" % (what, result.returncode))
    return result.stdout.decode("utf-8")


def read_floors(path):
    """measure -> floor, from the lines `measure<TAB>floor` of PATH ('#' starts a comment)."""
    floors = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line == "measure\tfloor":
                continue
            fields = line.split("\t")
            try:
                if len(fields) != 2 or fields[0] in floors:
                    raise ValueError
                floors[fields[0]] = float(fields[1])
            except ValueError:
                sys.exit("dev_floor: %s:%d: expected `measure<TAB>floor` once per measure, got %r"
                         % (path, number, line))
    return floors


def write_floors(path, rows, margin, source_dir, version):
    commit = subprocess.run(["git", "-C", source_dir, "describe", "--always", "--dirty"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    made_from = "%s, source %s" % (version, commit.stdout.decode().strip() or "not a git checkout")
    with open(path, "w", encoding="utf-8") as f:
        f.write(FLOORS_HEADER)
        f.write("# Written from a run of %s, margin %.3f.\n" % (made_from, margin))
        f.write("measure\tfloor\n")
        for name, row in rows.items():
            # round(): 0.95 - 0.03 is 0.9199999..., whose floor must still be 0.920
            floor = max(0.0, math.floor(round((row["f"] - margin) * 1000, 6)) / 1000)
            f.write("%s\t%.3f\n" % (name, floor))


def agreement_problems(glaneur, referee, args):
    """How `glaneur eval` differs from the referee on ARGS: the table, --json to 1e-9 and
    --errors (counted, not shown: the dev set holds held-out articles)."""
    problems = []
    expected = run([sys.executable, referee] + args, "the referee")
    actual = run([glaneur, "eval"] + args, "glaneur eval")
    if expected != actual:
        problems.append("glaneur eval's table differs from the referee's:\n" + "".join(
            "  referee: %s  glaneur: %s" % pair
            for pair in zip(expected.splitlines(True), actual.splitlines(True)) if pair[0] != pair[1]))
    expected = json.loads(run([sys.executable, referee, "--json"] + args, "the referee --json"))
    actual = json.loads(run([glaneur, "eval", "--json"] + args, "glaneur eval --json"))
    if list(expected["rows"]) != list(actual["rows"]) or expected["missing_docs"] != actual["missing_docs"]:
        problems.append("glaneur eval --json has other rows or missing documents than the referee")
    else:
        for name, row in expected["rows"].items():
            for field, value in row.items():
                other = actual["rows"][name].get(field)
                if type(other) is not type(value) or abs(other - value) > 1e-9:
                    problems.append("glaneur eval --json: %s.%s is %r, the referee says %r"
                                    % (name, field, other, value))
    expected = run([sys.executable, referee, "--errors"] + args, "the referee --errors").splitlines()
    actual = run([glaneur, "eval", "--errors"] + args, "glaneur eval --errors").splitlines()
    if expected != actual:
        differing = sum(1 for a, b in zip(expected, actual) if a != b) + abs(len(expected) - len(actual))
        problems.append("glaneur eval --errors differs from the referee's on %d of %d lines "
                        "(run both on the work split to see them)" % (differing, len(expected)))
    return problems


def main():
    ap = argparse.ArgumentParser(description="The dev set against the floors of tests/dev/floors.tsv.")
    ap.add_argument("glaneur")
    ap.add_argument("source_dir")
    ap.add_argument("--write-floors", metavar="MARGIN", type=float,
                    help="rewrite tests/dev/floors.tsv: the F1 of this run minus MARGIN")
    a = ap.parse_args()
    dev = os.path.join(a.source_dir, "tests", "dev")
    texts, gold = os.path.join(dev, "texts"), os.path.join(dev, "gold")
    floors_path = os.path.join(dev, "floors.tsv")
    referee = os.path.join(a.source_dir, "tests", "referee", "score.py")

    with tempfile.TemporaryDirectory() as work:
        pred = os.path.join(work, "dev.jsonl")
        with open(pred, "w", encoding="utf-8") as out:
            out.write(run([a.glaneur, "extract", "-q", "--text", texts], "glaneur extract"))
        args = ["--gold", gold, "--texts", texts, pred]
        scored = json.loads(run([sys.executable, referee, "--json"] + args, "the referee"))
        problems = agreement_problems(a.glaneur, referee, args)
    rows = scored["rows"]
    if scored["missing_docs"]:
        problems.append("documents with no prediction: " + " ".join(scored["missing_docs"]))

    if a.write_floors is not None:
        if problems:
            sys.exit("dev_floor: not writing floors from a broken run:\n" + "\n".join(problems))
        version = run([a.glaneur, "--version"], "glaneur --version").strip()
        write_floors(floors_path, rows, a.write_floors, a.source_dir, version)
        print("wrote %d floors to %s" % (len(rows), floors_path))
        return 0

    floors = read_floors(floors_path)
    print("%-38s %6s %6s %6s %6s %6s %6s" % ("measure", "P", "R", "F1", "gold", "pred", "floor"))
    for name, row in rows.items():
        floor = floors.get(name)
        below = floor is not None and row["f"] < floor - 1e-9
        print("%-38s %6.3f %6.3f %6.3f %6d %6d %6s%s" % (
            name, row["p"], row["r"], row["f"], row["n_gold"], row["n_pred"],
            "-" if floor is None else "%.3f" % floor, "  BELOW" if below else ""))
        if below:
            problems.append("%s: F1 %.3f is under its floor %.3f" % (name, row["f"], floor))
    for name in floors:
        if name not in rows:
            problems.append("%s has a floor but the referee no longer reports it" % name)
    for problem in problems:
        print("FAIL " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
