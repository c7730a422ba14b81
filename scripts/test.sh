#!/usr/bin/env bash
# One command from a fresh clone to a passing test run: installs everything locked (serving and
# the test tools, scripts/setup.sh) into .venv, then pytest.
# Neo4j tests run against CQF_TEST_NEO4J_URI, else a testcontainer, else skip (reason printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
