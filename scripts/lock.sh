#!/usr/bin/env bash
# Re-locks the dependencies after pyproject.toml changed (a test fails until you do):
#   bash scripts/lock.sh
# writes requirements/serve.txt (what serving needs: [project] dependencies) and
# requirements/test.txt (those plus the `test` extra), every package pinned with its hashes,
# resolved by pip-tools in a throw-away environment (.venv-lock/). Both also lock the build
# backend (requirements/build.in), so setup.sh needs no isolated build environment.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv-lock/bin/pip-compile ]; then
  "$PYTHON" -m venv .venv-lock
  .venv-lock/bin/python -m pip install --quiet pip-tools==7.6.2
fi
compile() {
  .venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
    --no-emit-index-url --no-emit-find-links --no-header --annotation-style=line \
    "$@" pyproject.toml requirements/build.in
}
compile --output-file requirements/serve.txt
compile --extra test --output-file requirements/test.txt
echo "locked: requirements/serve.txt, requirements/test.txt"
