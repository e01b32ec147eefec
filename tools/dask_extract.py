#!/usr/bin/env python3
"""Annotate a JSON Lines dump with a Dask distributed cluster of worker processes.

    python3 tools/dask_extract.py DUMP.jsonl OUT.jsonl [--workers 2] [--partition 1000]

A LocalCluster of worker processes (swap it for any dask.distributed Client to use many
machines) annotates the dump's partitions through the Python binding (tools/python/glaneur.py);
each worker process loads the model once. The output holds one line per input article, in input
order, the same as `glaneur extract --input jsonl DUMP.jsonl`.
"""
import argparse, json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))


def annotate(lines, today):
    import glaneur  # imported in the worker process: one model per process
    out = []
    for n, line in lines:
        if not line.strip():
            continue
        d = json.loads(line)
        doc_id = str(d.get("id", n))
        try:
            rec = glaneur.extract(d["text"], date=d.get("date"), id=doc_id, today=today)
            rec["source"] = None
            out.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        except glaneur.GlaneurError as e:
            out.append(json.dumps({"id": doc_id, "error": str(e)}, ensure_ascii=False))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition", type=int, default=1000, help="articles per task")
    ap.add_argument("--today", default=None)
    a = ap.parse_args()
    from dask.distributed import Client, LocalCluster
    with open(a.dump, encoding="utf-8") as f:
        lines = list(enumerate(f, 1))
    parts = [lines[i:i + a.partition] for i in range(0, len(lines), a.partition)]
    with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        futures = client.map(annotate, parts, today=a.today, pure=False)
        with open(a.out, "w", encoding="utf-8") as out:
            for fut in futures:  # in input order
                for rec in fut.result():
                    out.write(rec + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
