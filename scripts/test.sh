#!/usr/bin/env bash
# One command from a fresh clone to a passing test run: installs everything locked (serving and
# the test tools, scripts/setup.sh) into .venv, then pytest.
# Neo4j tests run against CQF_TEST_NEO4J_URI, else a testcontainer, else skip (reason printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Two runs: first on several workers (pytest-xdist; the tests wait on servers, browsers and
# subprocesses as much as they compute, and the Neo4j tests, sharing one database, stay on one
# worker), then the `alone` tests one at a time (kills, freezes, time bounds: tests/conftest.py).
# CQF_TEST_WORKERS=0 runs the first part in this process too (for a debugger).
# pytest's exit code 5 means "no test selected" (e.g. arguments naming only `alone` tests).
status=0
.venv/bin/python -m pytest -n "${CQF_TEST_WORKERS:-3}" --dist loadgroup -m "not alone" "$@" \
  || status=$?
[ "$status" -eq 5 ] && status=0
alone=0
.venv/bin/python -m pytest -p no:xdist -m alone "$@" || alone=$?
[ "$alone" -eq 5 ] && alone=0
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$alone"
