#!/usr/bin/env bash
# One command from a fresh clone to a passing test run: installs everything locked (serving and
# the test tools, scripts/setup.sh) into .venv, then pytest.
# Neo4j tests run against CQF_TEST_NEO4J_URI, else a testcontainer, else skip (reason printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Two runs: first every test but the `alone` ones, then those one at a time (kills, freezes,
# time bounds: tests/conftest.py), so no other test's load stretches the times they assert.
# CQF_TEST_WORKERS=N runs the first part on N pytest-xdist workers (the Neo4j tests, sharing
# one database, stay on one worker). The default is one process: on a loaded 2-core machine the
# parallel run made Neo4j tests with store timeouts fail, and that is not yet resolved.
# pytest's exit code 5 means "no test selected" (e.g. arguments naming only `alone` tests).
status=0
.venv/bin/python -m pytest -n "${CQF_TEST_WORKERS:-0}" --dist loadgroup -m "not alone" "$@" \
  || status=$?
[ "$status" -eq 5 ] && status=0
alone=0
.venv/bin/python -m pytest -p no:xdist -m alone "$@" || alone=$?
[ "$alone" -eq 5 ] && alone=0
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$alone"
