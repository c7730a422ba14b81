#!/usr/bin/env bash
# One command from a fresh clone to a passing test run: installs everything locked (serving and
# the test tools, scripts/setup.sh) into .venv, then pytest.
# Neo4j tests run against CQF_TEST_NEO4J_URI, else a testcontainer, else skip (reason printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Several workers (pytest-xdist): the tests wait on servers, browsers and subprocesses as much
# as they compute. The Neo4j tests share one database and run on one worker (tests/conftest.py).
# CQF_TEST_WORKERS=0 runs everything in this process (for a debugger).
exec .venv/bin/python -m pytest -n "${CQF_TEST_WORKERS:-3}" --dist loadgroup "$@"
