"""Every silenced type error says why, on the same line, so the next reader can judge
whether it still holds (pyright already fails on one that silences nothing)."""

from __future__ import annotations

import re
from pathlib import Path

import app

APP_DIR = Path(app.__file__).parent
IGNORE = re.compile(r"#\s*(type|pyright):\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def test_every_type_ignore_names_its_rule_and_its_reason() -> None:
    unexplained = []
    for path in sorted(APP_DIR.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = IGNORE.search(line)
            if found is None:
                continue
            reason = re.sub(r"[#()\s]", "", found["rest"])
            if not found["codes"] or len(reason) < 3:
                unexplained.append(f"{path.relative_to(APP_DIR.parent)}:{number}: {line.strip()}")
    assert not unexplained, "type: ignore without a rule or a reason:\n" + "\n".join(unexplained)
