#!/usr/bin/env python3
"""Sharded runs give the annotations of one process: the streaming filter (one line out per line
in, flushed as it goes), GNU parallel --pipe, and a Dask LocalCluster through the Python binding.

usage: test_distributed.py GLANEUR SOURCE_DIR [--no-binding]   (prints "N passed, M failed")
--no-binding: skip what loads the library into Python (Dask, the binding): for sanitizer builds.
"""
import json, os, select, shutil, subprocess, sys, tempfile

glaneur, src = sys.argv[1], sys.argv[2]
binding_ok = "--no-binding" not in sys.argv[3:]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (name, detail))


def records(text):
    """id -> record without its source (which names the shard a line came through)."""
    out = {}
    for line in text.splitlines():
        if line.strip():
            d = json.loads(line)
            d.pop("source", None)
            out[d["id"]] = d
    return out


tmp = tempfile.mkdtemp()
try:
    corpus = sorted(f for f in os.listdir(os.path.join(src, "corpus")) if f.endswith(".txt"))
    dump = os.path.join(tmp, "dump.jsonl")
    with open(dump, "w", encoding="utf-8") as f:
        for k in range(8):
            for name in corpus:
                text = open(os.path.join(src, "corpus", name), encoding="utf-8").read()
                f.write(json.dumps({"id": "%s-%d" % (name[:3], k), "text": text}, ensure_ascii=False) + "\n")
    env = dict(os.environ)
    one = subprocess.run([glaneur, "extract", "-q", "-j", "1", "--today", "2026-11-23", "--input", "jsonl", dump],
                         capture_output=True, text=True, check=True).stdout
    single = records(one)
    check("single process: one line per article", len(one.splitlines()) == 40)

    # the streaming filter answers each line before the next one arrives
    p = subprocess.Popen([glaneur, "extract", "-q", "-j", "2", "--today", "2026-11-23", "--input", "jsonl", "-"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    first = open(dump, encoding="utf-8").readline()
    p.stdin.write(first)
    p.stdin.flush()
    ready, _, _ = select.select([p.stdout], [], [], 20)
    line = p.stdout.readline() if ready else ""
    p.stdin.close()
    p.wait(timeout=30)
    check("streaming: a record out before the input ends", line.startswith('{"id":"000-0"'))

    if shutil.which("parallel"):
        with open(dump, encoding="utf-8") as f:
            par = subprocess.run(["parallel", "--pipe", "-k", "-N", "7", glaneur, "extract", "-q", "-j", "1",
                                  "--today", "2026-11-23", "--input", "jsonl", "-"],
                                 stdin=f, capture_output=True, text=True, check=True).stdout
        check("GNU parallel: same annotations", records(par) == single)
        check("GNU parallel: same order", [json.loads(l)["id"] for l in par.splitlines()] ==
              [json.loads(l)["id"] for l in one.splitlines()])
    else:
        print("skipped: GNU parallel is not installed")

    debian_python = "/usr/bin/python3"
    has_dask = subprocess.run([debian_python, "-c", "import distributed"], capture_output=True).returncode == 0
    if has_dask and binding_ok:
        out = os.path.join(tmp, "dask.jsonl")
        env["GLANEUR_LIB"] = os.path.join(os.path.dirname(glaneur), "libglaneur.so")
        subprocess.run([debian_python, os.path.join(src, "tools", "dask_extract.py"), dump, out, "--workers", "2",
                        "--partition", "7", "--today", "2026-11-23"], check=True, env=env,
                       capture_output=True, timeout=600)
        dask = open(out, encoding="utf-8").read()
        check("Dask: same annotations", records(dask) == single)
        check("Dask: same order", [json.loads(l)["id"] for l in dask.splitlines()] ==
              [json.loads(l)["id"] for l in one.splitlines()])
    else:
        print("skipped: python3-distributed is not installed")

    if not binding_ok:
        raise SystemExit(print("%d passed, %d failed" % (passed, failed)) or (1 if failed else 0))
    # the binding's own API
    sys.path.insert(0, os.path.join(src, "tools", "python"))
    os.environ["GLANEUR_LIB"] = os.path.join(os.path.dirname(glaneur), "libglaneur.so")
    import glaneur as binding
    d = binding.extract("Le ministre japonais de la Défense, Yasuo Ichikawa, a reçu lundi 13 mars à Tokyo "
                        "son homologue vietnamien.", date="2023-03-15")
    check("binding: entities", any(e["type"] == "PERSON" and e["text"] == "Yasuo Ichikawa" for e in d["entities"]))
    check("binding: dates", any(e.get("value") == "2023-03-13" for e in d["entities"]))
    try:
        binding.extract("")
        check("binding: an empty article is an error", False)
    except binding.GlaneurError:
        check("binding: an empty article is an error", True)
finally:
    shutil.rmtree(tmp)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
