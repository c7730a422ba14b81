#!/usr/bin/env bash
# One command from a fresh clone to a running, seeded service on the embedded store:
# installs into .venv, then `cqf serve` (starts FalkorDB, migrates, seeds when empty).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/cqf serve "$@"
