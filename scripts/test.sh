#!/usr/bin/env bash
# One command from a fresh clone to a passing test run: installs everything locked (serving and
# the test tools, scripts/setup.sh) into .venv, then pytest.
# Neo4j tests run against CQF_TEST_NEO4J_URI, else a testcontainer, else skip (reason printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Three runs (docs/testing.md):
# 1. every test that neither uses the Neo4j server nor is `alone`, on CQF_TEST_WORKERS
#    pytest-xdist workers (default 2; 0 runs them in this one process);
# 2. the Neo4j tests, in one process: they share the server's one database. (xdist's
#    `--dist loadgroup` cannot keep them on one worker here: pytest-xdist 3.8 marks a group in
#    `item._nodeid`, which pytest 9 no longer reads.)
# 3. the `alone` tests, one at a time (kills, freezes, time bounds: tests/conftest.py), so no
#    other test's load stretches the times they assert.
# CQF_TEST_RUNS names the runs to make, in this order (default "parallel neo4j alone"); CI
# (.ci/run) makes the Neo4j run beside its linters and the quick benchmark, then the other two.
# pytest's exit code 5 means "no test selected" (e.g. arguments naming only other tests).
run() {
  local code=0
  .venv/bin/python -m pytest "$@" || code=$?
  [ "$code" -eq 5 ] && code=0
  return "$code"
}
status=0
for name in ${CQF_TEST_RUNS:-parallel neo4j alone}; do
  case "$name" in
    parallel) run -n "${CQF_TEST_WORKERS:-2}" -m "not alone and not neo4j" "$@" || status=$? ;;
    neo4j) run -p no:xdist -m "neo4j and not alone" "$@" || status=$? ;;
    alone) run -p no:xdist -m alone "$@" || status=$? ;;
    *) echo "CQF_TEST_RUNS: unknown run '$name' (parallel, neo4j, alone)" >&2; exit 2 ;;
  esac
done
exit "$status"
