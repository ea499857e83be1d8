#!/usr/bin/env bash
# To Link: run the whole test suite.
#
#   scripts/test.sh                        set up the bench if needed, create a fresh test site,
#                                          run every test; the last line reads "N passed, N failed"
#   scripts/test.sh --fast                 everything but the black-box tests (tolink/tests/e2e,
#                                          marked e2e: live server, browser, backups), in minutes
#   scripts/test.sh --reuse-site -- -k consent
#                                          keep the existing test site, pass options to pytest
#   scripts/test.sh --reuse-site -- ../apps/tolink/tolink/tests/e2e/test_gate.py
#                                          run one file (paths relative to sites/)
#
# Options before `--` go to scripts/setup.sh (e.g. --frappe-source PATH), but for --reuse-site and
# --fast; after it, to pytest. The black-box tests start their own servers (gunicorn, bench serve,
# a worker) and remove what they commit.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SITE=${TOLINK_TEST_SITE:-test.tolink.localhost}
REUSE=0
FAST=0
setup_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; break ;;
	--reuse-site) REUSE=1; shift ;;
	--fast) FAST=1; shift ;;
	*) setup_args+=("$1"); shift ;;
	esac
done

cd "$BENCH_DIR"
if [ $REUSE = 1 ] && [ -f "sites/$SITE/site_config.json" ]; then
	echo "Reusing the test site $SITE"
else
	bash scripts/setup.sh --test-site --site "$SITE" --no-start ${setup_args[@]+"${setup_args[@]}"}
fi

# per site: runs on different test sites at the same time keep their own results
results=$BENCH_DIR/.test-results/$SITE
mkdir -p "$results"
rm -f "$results/junit.xml"
echo
echo "==> Running the test suite on $SITE"
set +e
# the whole app unless a test path is named (relative to sites/ or absolute), e.g.
#   scripts/test.sh --reuse-site -- ../apps/tolink/tolink/tests/e2e/test_gate.py
targets=(../apps/tolink)
marker=()
[ $FAST = 1 ] && marker=(-m "not e2e")
for arg in "$@"; do
	case "$arg" in -*) continue ;; esac
	path=${arg%%::*}
	case "$path" in /*) ;; *) path=sites/$path ;; esac
	if [ -e "$path" ]; then targets=(); break; fi
done
(cd sites && TOLINK_TEST_SITE=$SITE ../env/bin/python -m pytest ${targets[@]+"${targets[@]}"} -p no:cacheprovider \
	-q -rfEs --junitxml="$results/junit.xml" ${marker[@]+"${marker[@]}"} "$@")
rc=$?
set -e

summary=$(env/bin/python - "$results/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
	root = ET.parse(sys.argv[1]).getroot()
except Exception:
	print("0 0 0")
	raise SystemExit
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failures = errors = skipped = 0
for s in suites:
	tests += int(s.get("tests", 0))
	failures += int(s.get("failures", 0))
	errors += int(s.get("errors", 0))
	skipped += int(s.get("skipped", 0))
print(tests - failures - errors - skipped, failures + errors, skipped)
PY
)
read -r passed failed skipped <<<"$summary"
if [ "$rc" = 5 ] || [ "$passed" = 0 ]; then
	echo "No test ran: that is a failure."
	rc=1
fi
# a skipped test proves nothing: count it as a failure
if [ "$skipped" != 0 ]; then
	failed=$((failed + skipped))
	[ "$rc" = 0 ] && rc=1
fi
echo "$passed passed, $failed failed"
exit "$rc"
