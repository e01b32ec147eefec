# Sourced by the shell tests (test_cli.sh, test_reliability.sh): their arguments, a scratch
# folder removed at exit, and check, which counts what passes and names what fails.
# usage in a test: . "$(dirname "$0")/check.sh"   (the test's arguments: GLANEUR SOURCE_DIR)
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
