#!/bin/bash
# Checks that `glaneur eval` prints what the referee tests/referee/score.py prints, for every
# prediction file of tests/eval_data: the table, the table with --errors, and the --json values
# (equal to 1e-9; Python and jansson write floats differently). Where score.py raises, glaneur
# must fail too and print nothing on stdout.
#
# The files of tests/eval_data/ are scored against tests/gold/ and corpus/; those of a
# subdirectory tests/eval_data/NAME/ against its own gold/ and texts/, gold cases the seed
# articles do not have.
#
# usage: tests/test_eval.sh GLANEUR_BINARY SOURCE_DIR
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 GLANEUR_BINARY SOURCE_DIR" >&2
    exit 2
fi
glaneur=$1
source_dir=$2
referee=$source_dir/tests/referee/score.py

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

# compare NAME: compares $work/expected.* with $work/actual.* and counts the outcome.
compare() {
    local name=$1 expected_rc actual_rc
    expected_rc=$(cat "$work/expected.rc")
    actual_rc=$(cat "$work/actual.rc")
    if [ "$expected_rc" -ne 0 ] && [ "$actual_rc" -eq 0 ]; then
        echo "FAIL $name: score.py failed but glaneur succeeded"
        sed 's/^/  score.py: /' "$work/expected.err" | tail -n 3
    elif [ "$expected_rc" -eq 0 ] && [ "$actual_rc" -ne 0 ]; then
        echo "FAIL $name: glaneur failed (exit $actual_rc)"
        sed 's/^/  glaneur: /' "$work/actual.err"
    elif ! diff -u --label score.py --label glaneur "$work/expected.out" "$work/actual.out"; then
        echo "FAIL $name: outputs differ"
    else
        passed=$((passed + 1))
        return
    fi
    failed=$((failed + 1))
}

# run_both FLAGS... PRED: runs score.py and glaneur with the same arguments, on $gold and $texts.
run_both() {
    python3 "$referee" --gold "$gold" --texts "$texts" "$@" \
        >"$work/expected.out" 2>"$work/expected.err"
    echo $? >"$work/expected.rc"
    "$glaneur" eval --gold "$gold" --texts "$texts" "$@" \
        >"$work/actual.out" 2>"$work/actual.err"
    echo $? >"$work/actual.rc"
}

# check_set DIR GOLD TEXTS: compares the outputs on every prediction file of DIR.
check_set() {
    local dir=$1 pred name predictions
    gold=$2
    texts=$3
    predictions=("$dir"/*.jsonl)
    if [ ${#predictions[@]} -eq 0 ]; then
        echo "no prediction files in $dir" >&2
        exit 1
    fi
    for pred in "${predictions[@]}"; do
        name=${pred#"$source_dir"/tests/eval_data/}
        check_prediction "$pred" "$name"
    done
}

# check_prediction PRED NAME: the table, --errors and --json on PRED.
check_prediction() {
    local pred=$1 name=$2

    run_both "$pred"
    compare "$name"

    run_both --errors "$pred"
    compare "$name --errors"

    # --json: same keys, rows and missing documents; the numbers equal to 1e-9
    run_both --json "$pred"
    if [ "$(cat "$work/expected.rc")" -eq 0 ] && [ "$(cat "$work/actual.rc")" -eq 0 ]; then
        if python3 -c '
import json, sys
expected = json.load(open(sys.argv[1], encoding="utf-8"))
actual = json.load(open(sys.argv[2], encoding="utf-8"))
problems = []
if list(expected) != list(actual) or expected["missing_docs"] != actual["missing_docs"]:
    problems.append("top level: %r != %r" % (expected, actual))
elif list(expected["rows"]) != list(actual["rows"]):
    problems.append("rows: %r != %r" % (list(expected["rows"]), list(actual["rows"])))
else:
    for name, row in expected["rows"].items():
        other = actual["rows"][name]
        if list(row) != list(other):
            problems.append("%s: fields %r != %r" % (name, list(row), list(other)))
            continue
        for field, value in row.items():
            if type(value) is not type(other[field]) or abs(value - other[field]) > 1e-9:
                problems.append("%s.%s: %r != %r" % (name, field, value, other[field]))
for problem in problems:
    print("  " + problem)
sys.exit(1 if problems else 0)
' "$work/expected.out" "$work/actual.out"; then
            passed=$((passed + 1))
        else
            echo "FAIL $name --json: values differ"
            failed=$((failed + 1))
        fi
    else
        compare "$name --json"
    fi
}

shopt -s nullglob
check_set "$source_dir/tests/eval_data" "$source_dir/tests/gold" "$source_dir/corpus"
for dir in "$source_dir"/tests/eval_data/*/; do
    dir=${dir%/}
    if [ ! -d "$dir/gold" ] || [ ! -d "$dir/texts" ]; then
        echo "$dir has no gold/ or texts/" >&2
        exit 1
    fi
    check_set "$dir" "$dir/gold" "$dir/texts"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
