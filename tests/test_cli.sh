#!/usr/bin/env bash
# The glaneur command end to end: exit statuses, inputs, every output format, bad input.
# usage: test_cli.sh GLANEUR SOURCE_DIR
. "$(dirname "$0")/check.sh"

"$bin" --version >"$tmp/v" 2>&1
check "version" grep -q '^glaneur [0-9]' "$tmp/v"
"$bin" >/dev/null 2>&1
check "no command is a usage error" test $? -eq 2
"$bin" extract >/dev/null 2>&1
check "no input is a usage error" test $? -eq 2
"$bin" extract --format xml "$src/corpus" >/dev/null 2>&1
check "unknown format is a usage error" test $? -eq 2
"$bin" extract --date 13-03 "$src/corpus" >/dev/null 2>"$tmp/err"
check "bad --date is a usage error" test $? -eq 2
check "bad --date is explained" grep -q 'YYYY' "$tmp/err"

# JSON Lines over the corpus directory, in sorted order
"$bin" extract --quiet --text "$src/corpus" >"$tmp/out.jsonl" 2>"$tmp/err"
check "corpus exits 0" test $? -eq 0
check "corpus: nothing on stderr with --quiet" test ! -s "$tmp/err"
"$bin" extract --text "$src/corpus" >/dev/null 2>"$tmp/err"
check "summary on stderr" grep -q '^glaneur: 5 documents (0 failed)' "$tmp/err"
# threads: the same bytes whatever their number
for n in 1 2 3; do "$bin" extract -q -j $n --text "$src/corpus" "$src/corpus" >"$tmp/t$n.jsonl"; done
check "threads: same output with 2" cmp -s "$tmp/t1.jsonl" "$tmp/t2.jsonl"
check "threads: same output with 3" cmp -s "$tmp/t1.jsonl" "$tmp/t3.jsonl"
check "threads: ten records" test "$(lines "$tmp/t2.jsonl")" -eq 10
check "corpus: one line per article" test "$(lines "$tmp/out.jsonl")" -eq 5
check "corpus: sorted order" test "$(head -c 29 "$tmp/out.jsonl")" = '{"id":"000_de68a53d94d07ed2",'
if command -v python3 >/dev/null; then
    check "corpus: every line is JSON" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert {"id", "source", "date", "body", "text", "entities", "relations"} <= set(d), d.keys()' "$tmp/out.jsonl"
fi

# standard input: a plain article, then a JSON Lines stream with custom field names
"$bin" extract -q - <"$src/corpus/001_b932cada2e88634b.txt" >"$tmp/stdin.jsonl"
check "stdin article" grep -q '"id":"stdin".*"date":"2024-02"' "$tmp/stdin.jsonl"
printf '{"doc":"a","body":"Le 3 mai 2020.","when":"2020-05-04"}\n{"doc":"b","body":"Le 4 mai."}\n' |
    "$bin" extract -q --input jsonl --id-field doc --text-field body --date-field when --date 2021-01-01 - >"$tmp/s.jsonl"
check "jsonl stream: one line each" test "$(lines "$tmp/s.jsonl")" -eq 2
check "jsonl stream: dump date" grep -q '"id":"a".*"date":"2020-05-04"' "$tmp/s.jsonl"
check "jsonl stream: --date for the rest" grep -q '"id":"b".*"value":"2021-05-04"' "$tmp/s.jsonl"

# CoNLL, CoNLL-U, brat
"$bin" extract -q --format conll "$src/corpus" >"$tmp/out.conll"
check "conll: a DOCSTART per article" test "$(grep -c '^-DOCSTART-' "$tmp/out.conll")" -eq 5
check "conll: date tags" grep -qP '^mars\t\d+\t\d+\tI-DATE$' "$tmp/out.conll"
"$bin" extract -q --format conllu "$src/corpus" >"$tmp/out.conllu"
check "conllu: newdoc per article" test "$(grep -c '^# newdoc id = ' "$tmp/out.conllu")" -eq 5
check "conllu: repaired tokens" grep -qP '^\d+\tcoprésidé\t' "$tmp/out.conllu"
"$bin" extract --format brat >/dev/null 2>&1 "$src/corpus"
check "brat without --output is an error" test $? -ne 0
"$bin" extract -q --format brat --output "$tmp/brat" "$src/corpus"
check "brat: exit 0" test $? -eq 0
check "brat: .ann files" test "$(ls "$tmp/brat"/*.ann | wc -l)" -eq 5
check "brat: text copies" cmp -s "$tmp/brat/000_de68a53d94d07ed2.txt" "$src/corpus/000_de68a53d94d07ed2.txt"
check "brat: no temporary files left" test -z "$(ls "$tmp/brat" | grep '\.tmp$')"

# N-Triples and the merged entity table
"$bin" extract -q --format triples --base-iri https://kb.example/g "$src/corpus" >"$tmp/out.nt"
check "triples: every line is a triple" test -z "$(grep -vP '^<[^ <>"]+> <[^ <>"]+> (<[^ <>"]+>|"([^"\\]|\\.)*"(@fr|\^\^<[^>]+>)?) \.$' "$tmp/out.nt")"
check "triples: people typed" grep -q '^<https://kb.example/g/person/hoang-xuan-chien> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://kb.example/g/ontology#Person> \.$' "$tmp/out.nt"
check "triples: relations as event nodes" grep -q '/ontology#agents> <https://kb.example/g/person/masami-oka> \.$' "$tmp/out.nt"
"$bin" merge "$tmp/out.jsonl" >"$tmp/merged.jsonl"
check "merge: spelling variants are one person" grep -q '"key":"person:hoang-xuan-chien","type":"PERSON","canonical":"Hoàng Xuân Chiên","variants":\["Hoang Xuân Chiên","Hoang Xuan Chiên"\],"documents":\["000_de68a53d94d07ed2","001_b932cada2e88634b","004_d0f74750951a895b"\]' "$tmp/merged.jsonl"
check "merge: one line per key" test "$(cut -d, -f1 "$tmp/merged.jsonl" | sort | uniq -d | wc -l)" -eq 0

# normalize
"$bin" normalize -q "$src/corpus/000_de68a53d94d07ed2.txt" >"$tmp/norm.txt"
check "normalize repairs" grep -q "ont coprésidé lundi 13 mars à Tokyo" "$tmp/norm.txt"
check "normalize stops at the teasers" test "$(grep -c 'Voir plus' "$tmp/norm.txt")" -eq 0
"$bin" normalize -q -o "$tmp/normdir" "$src/corpus"
check "normalize --output: one text per article" test "$(ls "$tmp/normdir"/*.txt | wc -l)" -eq 5
check "normalize --output: the same text" cmp -s "$tmp/normdir/000_de68a53d94d07ed2.txt" "$tmp/norm.txt"

# bad input in a batch: named on stderr, the rest processed, status 1
mkdir "$tmp/bad"
cp "$src/corpus/004_d0f74750951a895b.txt" "$tmp/bad/good.txt"
printf 'caf\xc3\x28\n' >"$tmp/bad/broken.txt"
: >"$tmp/bad/empty.txt"
"$bin" extract -q -j 2 "$tmp/bad" >"$tmp/bad.jsonl" 2>"$tmp/bad.err"
check "bad batch exits 1" test $? -eq 1
check "bad batch: good article still out" test "$(lines "$tmp/bad.jsonl")" -eq 1
check "bad batch: utf-8 error named" grep -q '^glaneur: broken (.*broken.txt): invalid UTF-8' "$tmp/bad.err"
check "bad batch: empty named" grep -q '^glaneur: empty (.*): empty document' "$tmp/bad.err"
"$bin" extract --data /nonexistent "$src/corpus" >/dev/null 2>"$tmp/err"
check "missing model data exits 1" test $? -eq 1
check "missing model data is explained" grep -q 'cannot load the model: /nonexistent' "$tmp/err"

# word classes are data: lexicon/word_classes.txt decides which words make a bare rank or a
# plural title name someone, and a class no stage knows (a typo) is an error naming its line
cp -r "$src/gazetteers" "$tmp/wc"
printf 'Hanoï - Le général a reçu les deux chefs de délégation, puis leurs Premiers ministres.\n' >"$tmp/wc.txt"
wc_types() { "$bin" extract -q --data "$tmp/wc" --text "$tmp/wc.txt" | grep -o '"type":"[A-Z]*"' | sort | uniq -c | tr -s ' ' | tr '\n' ';'; }
check "word classes: the rank and both titles" test "$(wc_types)" = " 1 \"type\":\"LOC\"; 1 \"type\":\"RANK\"; 2 \"type\":\"TITLE\";"
sed -i 's/^determiner .*/determiner = la/; s/^plural_specifier .*/plural_specifier = nos/' "$tmp/wc/lexicon/word_classes.txt"
check "word classes: without le, deux and leurs, none" test "$(wc_types)" = " 1 \"type\":\"LOC\";"
sed -i 's/^determiner/determinant/' "$tmp/wc/lexicon/word_classes.txt"
"$bin" extract -q --data "$tmp/wc" --text "$tmp/wc.txt" >/dev/null 2>"$tmp/err"
check "word classes: an unknown class is an error" grep -q 'word_classes.txt:[0-9]*: no stage knows this class' "$tmp/err"
sed -i '/^determinant/d' "$tmp/wc/lexicon/word_classes.txt"
"$bin" extract -q --data "$tmp/wc" --text "$tmp/wc.txt" >/dev/null 2>"$tmp/err"
check "word classes: a missing class is an error" grep -q 'the class determiner is missing' "$tmp/err"

# determinism: the same bytes run after run and whatever the locale (compiled into a private
# LOCPATH, so that nothing on the machine changes; tr_TR is the classic trap: i/İ casing)
"$bin" extract -q --text "$src/corpus" >"$tmp/run2.jsonl"
check "determinism: the same bytes twice" cmp -s "$tmp/out.jsonl" "$tmp/run2.jsonl"
mkdir "$tmp/locale"
for loc in fr_FR tr_TR; do
    localedef -i "$loc" -f UTF-8 "$tmp/locale/$loc.UTF-8" 2>/dev/null
done
check "determinism: tr_TR.UTF-8 in effect" test "$(LOCPATH="$tmp/locale" LC_ALL=tr_TR.UTF-8 date -d 2024-03-13 +%A)" = "Çarşamba"
for loc in C fr_FR.UTF-8 tr_TR.UTF-8; do
    LOCPATH="$tmp/locale" LC_ALL=$loc LANG=$loc "$bin" extract -q --text "$src/corpus" >"$tmp/loc.jsonl"
    check "determinism: the same bytes under LC_ALL=$loc" cmp -s "$tmp/out.jsonl" "$tmp/loc.jsonl"
    LOCPATH="$tmp/locale" LC_ALL=$loc LANG=$loc "$bin" extract -q --format conllu "$src/corpus" >"$tmp/loc.conllu"
    check "determinism: CoNLL-U the same under LC_ALL=$loc" cmp -s "$tmp/loc.conllu" "$tmp/out.conllu"
done

# --output DIR and a signal: the documents begun are written whole, the rest is left for
# --resume. A FIFO makes it deterministic: the signal comes while glaneur waits for line 4.
mkfifo "$tmp/fifo"
i=0
for f in "$src"/corpus/*.txt; do
    i=$((i + 1))
    python3 -c 'import json,sys; print(json.dumps({"id": "doc%s" % sys.argv[2], "text": open(sys.argv[1]).read()}))' "$f" "$i"
done >"$tmp/dump.jsonl"
"$bin" extract -q -j 2 -i jsonl -o "$tmp/sig" "$tmp/fifo" 2>"$tmp/sig.err" &
pid=$!
exec 3<>"$tmp/fifo" # read-write: never blocks, even if glaneur is gone
head -n 3 "$tmp/dump.jsonl" >&3
for _ in $(seq 100); do # until the first three are written
    test "$(ls "$tmp/sig" 2>/dev/null | grep -c '\.jsonl$')" -eq 3 && break
    sleep 0.1
done
kill -INT "$pid"
sleep 0.2
tail -n +4 "$tmp/dump.jsonl" >&3
exec 3>&-
wait "$pid"
check "signal: exit status 128 + SIGINT" test $? -eq 130
check "signal: said on stderr" grep -q 'stopped by signal 2 after 3 documents; run again with --resume' "$tmp/sig.err"
check "signal: the three documents begun, whole" test "$(cat "$tmp"/sig/*.jsonl | wc -l)" -eq 3
check "signal: nothing half-written" test -z "$(ls -a "$tmp/sig" | grep -v '\.jsonl$' | grep -v '^\.\.\?$')"
"$bin" extract -q -i jsonl -o "$tmp/sig" --resume "$tmp/dump.jsonl" 2>"$tmp/sig.err"
check "resume: exit 0" test $? -eq 0
nosource() { sed 's/"source":"[^"]*",//' | sort; } # the FIFO and the dump have other paths
"$bin" extract -q -i jsonl "$tmp/dump.jsonl" | nosource >"$tmp/whole.jsonl"
check "resume: same documents as one whole run" cmp -s <(cat "$tmp"/sig/*.jsonl | nosource) "$tmp/whole.jsonl"
check "resume: all five" test "$(lines "$tmp/whole.jsonl")" -eq 5
"$bin" extract -q --resume "$src/corpus" >/dev/null 2>"$tmp/err"
check "--resume without --output is an error" test $? -eq 1

echo "$passed passed, $failed failed"
test "$failed" -eq 0
