"""The dependency locks match pyproject.toml, so a forgotten re-lock fails loudly.

``requirements/serve.txt`` (installed by ``scripts/run.sh``) locks ``[project]
dependencies``; ``requirements/test.txt`` (``scripts/test.sh``, CI) locks those plus the
``test`` extra. Every pin of pyproject.toml must be in its lock at the same version, every
package the lock says comes from pyproject.toml must still be there, nothing test-only may
reach the serving lock, and every locked package carries hashes. Fix: ``bash scripts/lock.sh``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
HINT = "pyproject.toml and the lock disagree: run `bash scripts/lock.sh`"


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for line in requirements:
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*==\s*([^\s;]+)", line)
        assert match, f"pyproject.toml pins every dependency exactly: {line!r}"
        pins[_name(match.group(1))] = match.group(3)
    return pins


def _lock(name: str) -> tuple[dict[str, str], set[str], str]:
    """(pins, packages the lock says come from pyproject.toml, text) of requirements/NAME."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    pins = {_name(m.group(1)): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, flags=re.MULTILINE)}
    direct = {_name(m.group(1)) for m in re.finditer(
        r"^([A-Za-z0-9_.-]+)==\S+ \\\n(?:\s+--hash=\S+(?: \\)?\n)+\s+# via .*"
        r"(?:cqf-graph|requirements/build\.in)",
        text, flags=re.MULTILINE)}
    return pins, direct, text


RUNTIME = _pins(PYPROJECT["project"]["dependencies"])
TEST = _pins(PYPROJECT["project"]["optional-dependencies"]["test"])
BUILD = _pins(PYPROJECT["build-system"]["requires"])


def test_the_locked_build_backend_is_the_one_pyproject_builds_with() -> None:
    text = (ROOT / "requirements/build.in").read_text(encoding="utf-8")
    assert _pins([ln for ln in text.splitlines() if ln and not ln.startswith("#")]) == BUILD


@pytest.mark.parametrize("lock, wanted", [("serve.txt", {**RUNTIME, **BUILD}),
                                          ("test.txt", {**RUNTIME, **TEST, **BUILD})])
def test_every_pin_of_pyproject_is_locked_at_its_version(lock: str,
                                                         wanted: dict[str, str]) -> None:
    pins, direct, _ = _lock(lock)
    wrong = {name: (version, pins.get(name)) for name, version in wanted.items()
             if pins.get(name) != version}
    assert wrong == {}, HINT
    stale = sorted(direct - set(wanted))
    assert stale == [], f"{HINT} (locked from pyproject.toml but no longer in it)"


def test_the_serving_lock_holds_no_test_tool() -> None:
    pins, _, _ = _lock("serve.txt")
    test_only = sorted(set(TEST) - set(RUNTIME))
    assert test_only and [name for name in test_only if name in pins] == []


@pytest.mark.parametrize("lock", ["serve.txt", "test.txt"])
def test_every_locked_package_carries_hashes(lock: str) -> None:
    _, _, text = _lock(lock)
    entries = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.strip())
    unhashed = [e.split()[0] for e in entries
                if e[:1].isalnum() and "--hash=sha256:" not in e]
    assert unhashed == []
