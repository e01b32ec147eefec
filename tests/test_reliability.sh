#!/usr/bin/env bash
# Issue 12, attacked as a hostile user would: files written outside --output, documents lost to
# their names, bad bytes in names, line ends, full disks, directory walks and small items.
# usage: test_reliability.sh GLANEUR SOURCE_DIR
. "$(dirname "$0")/check.sh"
run() { "$bin" extract -q --today 2026-01-01 "$@"; }

# 1. a symbolic link at the temporary name receives nothing
mkdir "$tmp/out1"
: >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/out1/doc.jsonl.tmp"
echo '{"id":"doc","text":"Masami Oka à Tokyo."}' | run -i jsonl -o "$tmp/out1" - 2>"$tmp/err"
check "temp symlink: exit 0" test $? -eq 0
check "temp symlink: nothing written through the link" test ! -s "$tmp/victim"
check "temp symlink: the record in its file" grep -q '"id":"doc"' "$tmp/out1/doc.jsonl"
check "temp symlink: no temporary left" test -z "$(ls -A "$tmp/out1" | grep 'tmp$' | grep -v '^doc.jsonl.tmp$')"

# 2. file names are injective; a second document with the same id is an error naming both
printf '%s\n' '{"id":"a/b","text":"Le 3 mai 2020."}' '{"id":"a_b","text":"Le 4 mai 2020."}' \
    '{"id":".","text":"Le 5 mai 2020."}' '{"id":"","text":"Le 6 mai 2020."}' '{"id":"%2F","text":"Le 7 mai."}' \
    '{"text":"Le 8 mai 2020."}' '{"id":"6","text":"Le 9 mai 2020."}' >"$tmp/ids.jsonl"
for j in 1 2; do
    run -j $j -i jsonl -o "$tmp/ids$j" "$tmp/ids.jsonl" 2>"$tmp/ids$j.err"
    check "ids -j$j: a duplicate id fails the batch" test $? -eq 1
    check "ids -j$j: six files for six ids" test "$(ls "$tmp/ids$j" | wc -l)" -eq 6
    check "ids -j$j: the duplicate names both documents" \
        grep -q '^glaneur: 6 (.*ids.jsonl:7): .*the id of .*ids.jsonl:6 too' "$tmp/ids$j.err"
    check "ids -j$j: one failure" test "$(lines "$tmp/ids$j.err")" -eq 1
    check "ids -j$j: the first of the two written" grep -q '"source":"[^"]*ids.jsonl:6"' "$tmp/ids$j/6.jsonl"
done
check "ids: escaped names" test -f "$tmp/ids1/a%2Fb.jsonl" -a -f "$tmp/ids1/a_b.jsonl" -a -f "$tmp/ids1/%2E.jsonl" \
    -a -f "$tmp/ids1/%.jsonl" -a -f "$tmp/ids1/%252F.jsonl"
run -i jsonl -o "$tmp/ids1" --resume "$tmp/ids.jsonl" 2>"$tmp/ids.err"
check "ids --resume: the duplicate still named, never skipped" grep -q 'the id of .*ids.jsonl:6 too' "$tmp/ids.err"

# 3. a file name that is not UTF-8 is escaped, reversibly, in every format
mkdir "$tmp/names"
printf 'Le 3 mai 2020, Masami Oka à Tokyo.' >"$tmp/names/$(printf 'caf\xe9.txt')"
printf 'Le 4 mai 2020 à Hanoï.' >"$tmp/names/a%41b.txt"
run "$tmp/names" >"$tmp/names.jsonl" 2>"$tmp/err"
check "names: exit 0" test $? -eq 0
if command -v python3 >/dev/null; then
    check "names: JSON Lines valid, ids escaped and reversible" python3 -c '
import json, sys, urllib.parse
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ids = sorted(r["id"] for r in recs)
assert ids == ["a%2541b", "caf%E9"], ids
assert [urllib.parse.unquote_to_bytes(i) for i in ids] == [b"a%41b", b"caf\xe9"]
assert all(r["source"].endswith(r["id"] + ".txt") for r in recs)' "$tmp/names.jsonl"
    for f in conll conllu triples; do
        run -f "$f" "$tmp/names" >"$tmp/names.$f" 2>/dev/null
        check "names: $f is UTF-8" python3 -c 'open(__import__("sys").argv[1], encoding="utf-8").read()' "$tmp/names.$f"
    done
    run -f brat -o "$tmp/names.brat" "$tmp/names" 2>/dev/null
    check "names: brat file names are UTF-8" python3 -c '
import os, sys
for n in os.listdir(sys.argv[1].encode()): n.decode("utf-8")' "$tmp/names.brat"
fi
check "names: conllu comment escaped" grep -q '^# newdoc id = caf%E9$' "$tmp/names.conllu"
"$bin" merge "$tmp/names.jsonl" >/dev/null 2>"$tmp/err"
check "names: glaneur merge reads the output" test $? -eq 0

# 4. CRLF and a lone CR are line ends in every stage: the same annotations as with LF, and
# offsets into the original (with its CRs) that still give each entity's text
mkdir -p "$tmp/eol/lf" "$tmp/eol/crlf" "$tmp/eol/cr"
for f in "$src"/corpus/*.txt; do
    b=$(basename "$f")
    cp "$f" "$tmp/eol/lf/$b"
    sed 's/$/\r/' "$f" >"$tmp/eol/crlf/$b"
    tr '\n' '\r' <"$f" >"$tmp/eol/cr/$b"
done
for v in lf crlf cr; do
    run "$tmp/eol/$v" >"$tmp/eol/$v.jsonl"
    run --no-captions "$tmp/eol/$v" >"$tmp/eol/$v.nocap.jsonl"
    run -f conllu "$tmp/eol/$v" >"$tmp/eol/$v.conllu"
done
if command -v python3 >/dev/null; then
    for v in crlf cr; do
        for stage in layout captions entities offsets; do
            check "$v: $stage as with LF" python3 - "$tmp/eol" "$v" "$stage" <<'PY'
import json, sys
d, v, stage = sys.argv[1:]
def recs(name): return [json.loads(l) for l in open("%s/%s" % (d, name), encoding="utf-8")]
def ents(r): return [(e["type"], e["text"]) for e in r["entities"]]
lf, other = recs("lf.jsonl"), recs(v + ".jsonl")
if stage == "layout":  # body end and the teaser (Voir plus) and caption sections
    assert [[s["kind"] for s in r["sections"]] for r in lf] == [[s["kind"] for s in r["sections"]] for r in other]
    assert any(s["kind"] == "teaser" for r in lf for s in r["sections"])
elif stage == "captions":  # --no-captions leaves out the same captions
    assert [ents(r) for r in recs("lf.nocap.jsonl")] == [ents(r) for r in recs(v + ".nocap.jsonl")]
elif stage == "entities":
    assert [ents(r) for r in lf] == [ents(r) for r in other]
else:  # offsets are code points of the original, CRs included
    for r in other:
        text = open(r["source"], encoding="utf-8", newline="").read()
        for e in r["entities"]:
            assert text[e["start"]:e["end"]] == e["text"], (e, text[e["start"]:e["end"]])
PY
        done
    done
fi
for v in crlf cr; do
    check "$v: sentences as with LF" test "$(grep -c '^# sent_id' "$tmp/eol/$v.conllu")" -eq "$(grep -c '^# sent_id' "$tmp/eol/lf.conllu")"
done

# 8. each real file read once, however many links lead to it
mkdir -p "$tmp/tree/d10"
for i in $(seq 9 -1 0); do
    mkdir "$tmp/tree/d$i"
    ln -s "../d$((i + 1))" "$tmp/tree/d$i/a"
    ln -s "../d$((i + 1))" "$tmp/tree/d$i/b"
done
for i in $(seq 0 10); do printf 'Le %d mai 2020 à Hanoï.' $((i + 1)) >"$tmp/tree/d$i/x$i.txt"; done
ln "$tmp/tree/d0/x0.txt" "$tmp/tree/d0/y0.txt"
run "$tmp/tree/d0" >"$tmp/tree.jsonl" 2>"$tmp/tree.err"
check "walk: exit 0" test $? -eq 0
check "walk: eleven documents, not 2^10" test "$(lines "$tmp/tree.jsonl")" -eq 11
check "walk: every file" test "$(grep -o '"id":"x[0-9]*"' "$tmp/tree.jsonl" | sort -u | wc -l)" -eq 11

# 9. smaller: a BOM before a dump, blank texts, the base IRI, cross-document keys
printf '\xef\xbb\xbf{"id":"bom","text":"Le 3 mai 2020 à Hanoï."}\n' | run -i jsonl - >"$tmp/bom.jsonl" 2>"$tmp/err"
check "BOM: exit 0" test $? -eq 0
check "BOM: the first record read" grep -q '"id":"bom"' "$tmp/bom.jsonl"
printf '\xc2\xa0\xe2\x80\x8b \xe2\x80\xaf\n\xef\xbb\xbf' | run - >/dev/null 2>"$tmp/err"
check "no-break and zero-width spaces: an empty document" grep -q 'empty document' "$tmp/err"
for iri in 'urn:x>' 'urn:a"b' 'urn:a b' "$(printf 'urn:a\nb')" 'no-scheme' ''; do
    run -f triples --base-iri "$iri" "$src/corpus" >/dev/null 2>&1
    check "--base-iri '$iri' is a usage error" test $? -eq 2
done
run -f triples --base-iri 'https://example.org/kb' "$src/corpus" >/dev/null 2>&1
check "--base-iri https://... accepted" test $? -eq 0
printf 'Le ministre Ho\xc3\xa0\xcc\x80ng a re\xc3\xa7u M. Tanaka.' | run - >"$tmp/keys.jsonl"
check "keys: a stacked mark dropped" grep -q '"key":"person:hoang"' "$tmp/keys.jsonl"
python3 -c 'print("Le ministre Hoa" + "\u0300" * 10000 + "ng Xu\u00e2n Chi\u00ean a re\u00e7u M. Tanaka.")' | run - >"$tmp/keys.jsonl"
check "keys: short whatever the marks" python3 -c '
import json, sys
for e in json.loads(open(sys.argv[1]).read())["entities"]:
    assert len(e["key"] or "") < 100, len(e["key"])' "$tmp/keys.jsonl"

# 7. a full disk: the batch stops at the first record not written, names it, exits 1
for j in 1 3; do
    run -j $j "$src/corpus" >/dev/full 2>"$tmp/full.err"
    check "/dev/full -j$j: exit 1" test $? -eq 1
    check "/dev/full -j$j: one line, naming the first record" test "$(lines "$tmp/full.err")" -eq 1
    check "/dev/full -j$j: the first record named" grep -q '^glaneur: 000_de68a53d94d07ed2 .*No space left.*first document not written' "$tmp/full.err"
done
# --output on a 64 KB file system (a private tmpfs, when this system lets us mount one)
for k in $(seq 1 300); do echo "{\"id\":\"d$k\",\"text\":\"Le 3 mai 2020, Masami Oka a rencontré Hoàng Xuân Chiên à Tokyo.\"}"; done >"$tmp/many.jsonl"
if unshare -rm true 2>/dev/null; then
    mkdir "$tmp/small"
    unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" && exec "$2" extract -q -j 2 -i jsonl -o "$1/out" "$3"' \
        sh "$tmp/small" "$bin" "$tmp/many.jsonl" 2>"$tmp/full.err"
    check "--output, disk full: exit 1" test $? -eq 1
    check "--output, disk full: one line" test "$(lines "$tmp/full.err")" -eq 1
    check "--output, disk full: says so" grep -q 'No space left.*the batch stops' "$tmp/full.err"
fi

# a big record (over 1 MB) is not held whole: spilled to an unlinked file in $TMPDIR, then
# copied; the same bytes on a stream, in --output and when $TMPDIR refuses it (kept in memory)
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import growth; open(sys.argv[2], "w").write(growth.shape_text("longline", 400000))' \
    "$src/tests" "$tmp/big.txt"
mkdir "$tmp/spill"
TMPDIR="$tmp/spill" run -j 2 "$tmp/big.txt" "$src/corpus/001_b932cada2e88634b.txt" "$tmp/big.txt" >"$tmp/big.jsonl" 2>/dev/null
check "big record: over 1 MB" test "$(wc -c <"$tmp/big.jsonl")" -gt 2200000
check "big record: nothing left in \$TMPDIR" test -z "$(ls -A "$tmp/spill")"
TMPDIR="$tmp/nonexistent" run -j 1 "$tmp/big.txt" "$src/corpus/001_b932cada2e88634b.txt" "$tmp/big.txt" >"$tmp/big-mem.jsonl" 2>/dev/null
check "big record: the same bytes when \$TMPDIR refuses the spill" cmp -s "$tmp/big.jsonl" "$tmp/big-mem.jsonl"
if unshare -rm true 2>/dev/null; then # a $TMPDIR that fills up in the middle of the spill
    mkdir "$tmp/smalltmp"
    unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" && TMPDIR="$1" exec "$2" extract -q -j 1 --today 2026-01-01 "$3" "$4" "$3"' \
        sh "$tmp/smalltmp" "$bin" "$tmp/big.txt" "$src/corpus/001_b932cada2e88634b.txt" >"$tmp/big-full.jsonl" 2>/dev/null
    check "big record: the same bytes when \$TMPDIR fills up" cmp -s "$tmp/big.jsonl" "$tmp/big-full.jsonl"
fi
run -j 1 -o "$tmp/bigout" "$tmp/big.txt" 2>/dev/null
check "big record: the same bytes in --output" cmp -s "$tmp/bigout/big.jsonl" <(head -n 1 "$tmp/big.jsonl")
# the ring holds at most (N + 1) x --max-doc-size bytes of input: with big documents the reading
# thread waits for bytes, not slots, and the output is the same, in order
mkdir "$tmp/bigs"
for k in 1 2 3 4 5 6; do cp "$tmp/big.txt" "$tmp/bigs/b$k.txt"; cp "$src/corpus/001_b932cada2e88634b.txt" "$tmp/bigs/s$k.txt"; done
run -j 1 --max-doc-size 500K "$tmp/bigs" >"$tmp/bigs1.jsonl" 2>/dev/null
run -j 3 --max-doc-size 500K "$tmp/bigs" >"$tmp/bigs3.jsonl" 2>/dev/null
check "big documents, -j3 within the ring's byte budget: the output of -j1" cmp -s "$tmp/bigs1.jsonl" "$tmp/bigs3.jsonl"
check "big documents: twelve records" test "$(lines "$tmp/bigs3.jsonl")" -eq 12
run -j 1 "$tmp/big.txt" >/dev/full 2>"$tmp/full.err"
check "big record, /dev/full: exit 1, the record named" grep -q '^glaneur: big .*No space left.*first document not written' "$tmp/full.err"

echo "reliability: $passed passed, $failed failed"
test "$failed" -eq 0
