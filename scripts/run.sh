#!/usr/bin/env bash
# One command from a fresh clone to a running, seeded service on the embedded store:
# installs only what serving needs into .venv (scripts/setup.sh --serve, locked), then
# `cqf serve` (starts FalkorDB, migrates, seeds when empty). Options go to `cqf serve`:
#   ./scripts/run.sh --port 8080 --host 0.0.0.0
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --serve
exec .venv/bin/cqf serve "$@"
