#!/usr/bin/env bash
# Issue 12, attacked as a hostile user would: files written outside --output, documents lost to
# their names, bad bytes in names, line ends, full disks, directory walks and small items.
# usage: test_reliability.sh GLANEUR SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name"
    fi
}
lines() { wc -l <"$1" | tr -d ' '; }
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

echo "reliability: $passed passed, $failed failed"
test "$failed" -eq 0
