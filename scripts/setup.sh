#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs the locked dependencies, then the service itself.
#   bash scripts/setup.sh           everything: serving and the test tools (CI, scripts/test.sh)
#   bash scripts/setup.sh --serve   only what serving needs (scripts/run.sh)
# The locks are requirements/serve.txt and requirements/test.txt (every package pinned, with
# its hashes); after changing pyproject.toml's dependencies run `bash scripts/lock.sh`
# (tests/unit/test_dependency_lock.py fails until the locks match pyproject.toml).
# Safe to run again: an environment that already matches the lock is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=test
if [ "${1:-}" = "--serve" ]; then profile=serve; fi

PYTHON=${PYTHON:-python3}
"$PYTHON" - <<'PY' || { echo "CQF Graph needs Python 3.11 or newer" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ ! -x .venv/bin/python ]; then
  echo "creating .venv"
  "$PYTHON" -m venv .venv
fi

# A stamp per profile holds the digest of the lock and pyproject.toml it was installed from
# (contents, not times: a fresh clone's file times say nothing).
digest() { cat "requirements/$1.txt" pyproject.toml | sha256sum | cut -d' ' -f1; }
installed() { [ -f ".venv/.cqf-$1" ] && [ "$(cat ".venv/.cqf-$1")" = "$(digest "$1")" ]; }

if installed "$profile" || { [ "$profile" = serve ] && installed test; }; then
  exit 0
fi
echo "installing the locked $profile dependencies into .venv (requirements/$profile.txt)"
# The lock holds every package, so no resolver run (--no-deps); pip does not compile the
# modules (--no-compile): compileall does, on every core, once everything is installed.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
  --no-deps --no-compile -r "requirements/$profile.txt"
# The service itself (console script `cqf`), editable, built by the locked setuptools just
# installed: no isolated build environment to create.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-compile \
  --no-build-isolation -e .
# Compiled once, here: where PYTHONDONTWRITEBYTECODE is set (as on the project's machines)
# Python never writes .pyc files itself, and every process recompiled every module it imported
# (importing the app took 7.7 s instead of 3.9 s). A few packages ship files that do not
# compile (examples for other Python versions): not an error.
.venv/bin/python -m compileall -q -j 0 .venv/lib app benchmarks >/dev/null 2>&1 || true
digest "$profile" > ".venv/.cqf-$profile"
