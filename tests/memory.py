#!/usr/bin/env python3
"""Peak memory of one worker on one big document (issue 12, point 6).

A document of --size MB made of ordinary sentences on one line (the `longline` shape of
growth.py: dense in entities, so every stage has much to hold) is extracted by one process with
one thread. Its peak resident memory (ru_maxrss of the child, from wait4) must stay under
--max-mb, and what it adds to the peak of a tiny document (the model) must stay under
--max-ratio times the document's size. The defaults are near issue 12's goal (200 MB, and 8 bytes a
byte); ctest runs it with bounds a little above what this version measures (see
tests/CMakeLists.txt).

usage: memory.py GLANEUR [--size MB] [--max-mb MB] [--max-ratio R] [--report]
  --report  print the figures, check nothing
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import growth  # noqa: E402  (the shapes of the growth test)


def peak_mb(cmd):
    """Peak resident memory (MB) of one run of cmd, which must succeed."""
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("failed: %s\n%s" % (" ".join(cmd), err))
    return usage.ru_maxrss / 1024.0  # kilobytes on Linux


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("glaneur")
    ap.add_argument("--size", type=float, default=16, help="MB of the document")
    ap.add_argument("--max-mb", type=float, default=200)
    ap.add_argument("--max-ratio", type=float, default=10)
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args()
    size = int(a.size * (1 << 20))
    cmd = [a.glaneur, "extract", "-q", "-j", "1", "--max-doc-size", "1G", "--max-entities", "1G",
           "--today", "2026-01-01"]
    with tempfile.TemporaryDirectory() as tmp:
        tiny, big = os.path.join(tmp, "tiny.txt"), os.path.join(tmp, "big.txt")
        with open(tiny, "w", encoding="utf-8") as f:
            f.write(growth.SENTENCES[0] + ".\n")
        # made by another process: a child's peak counts the pages it shares with its parent
        # before exec, and this one would otherwise hold the whole text
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import growth; "
                        "open(sys.argv[2], 'w', encoding='utf-8').write(growth.shape_text('longline', int(sys.argv[3])))",
                        os.path.dirname(os.path.abspath(__file__)), big, str(size)], check=True)
        base = peak_mb(cmd + [tiny])
        peak = peak_mb(cmd + [big])
    ratio = (peak - base) / (size / float(1 << 20))
    print("document %.1f MB: peak %.1f MB, model alone %.1f MB, %.1f bytes a byte of the document"
          % (size / float(1 << 20), peak, base, ratio))
    if a.report:
        return 0
    bad = []
    if peak > a.max_mb:
        bad.append("peak %.1f MB over %.1f MB" % (peak, a.max_mb))
    if ratio > a.max_ratio:
        bad.append("%.1f bytes a byte over %.1f" % (ratio, a.max_ratio))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
