"""Forgiving input, strict storage: the one place where a code a user typed becomes the code
the graph stores.

Users type codes in any case (``nl-nlqf:entry``) and write a level either ``IE-NFQ:8`` or
``IE-NFQ/8`` (the form of its URI); the graph keeps one canonical code. Every entry point
(API paths and queries, explorer URLs, the CLI, uploads) resolves through ``CodeResolver`` and
answers with the canonical code, so a look-up never depends on how the code was written.
An exact match costs one indexed read; only a miss scans the label case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.errors import CodeTaken, FieldProblem, InvalidInput, NotFound
from app.domain.text import N_
from app.domain.vocab import NodeLabel
from app.graph.cypher.catalog import codes as q
from app.graph.port import GraphStore

# Owned codes, scoped by their owner (``app.domain.identity``); their bare code still resolves
# when only one owner uses it.
SCOPED = frozenset({NodeLabel.PROGRAMME, NodeLabel.COURSE})

# FRAMEWORK:LEVEL or FRAMEWORK/LEVEL (the URI form), e.g. IE-NFQ:8, ie-nfq/8, NL-NLQF:entry,
# blanks around the parts allowed. The one definition: the API's schema states these very
# patterns (``app.api.params``); text is stripped before it is matched.
FRAMEWORK_PART = r"[A-Za-z][A-Za-z0-9_-]*"
LEVEL_PART = r"[A-Za-z0-9_.+-]+"
LEVEL_FORM = rf" *{FRAMEWORK_PART} *[:/] *{LEVEL_PART} *"
LEVEL_NOTATION = re.compile(
    rf"^ *(?P<framework>{FRAMEWORK_PART}) *[:/] *(?P<level>{LEVEL_PART}) *$")


def parse_level_code(value: str, location: str = "level") -> tuple[str, str]:
    """Split ``FRAMEWORK:LEVEL`` or ``FRAMEWORK/LEVEL``, refusing anything else (not yet
    resolved: the parts are as typed)."""
    match = LEVEL_NOTATION.match((value or "").strip())
    if not match:
        raise InvalidInput([FieldProblem(
            location, N_("expected FRAMEWORK:LEVEL (or FRAMEWORK/LEVEL), e.g. EQF:6"), value)])
    return match["framework"], match["level"]


def written(label: NodeLabel, typed: str) -> str:
    """The typed code in stored notation (blanks trimmed; a level's ``/`` becomes ``:``)."""
    text = (typed or "").strip()
    if label is NodeLabel.LEVEL:
        match = LEVEL_NOTATION.match(text)
        if match:
            return f"{match['framework']}:{match['level']}"
    return text


def fold(label: NodeLabel, typed: str) -> str:
    """The comparison key: stored notation, lower case."""
    return written(label, typed).lower()


class CodeResolver:
    """Resolves typed codes to stored ones for one store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def many(self, label: NodeLabel, typed: Iterable[str]) -> dict[str, str]:
        """``{typed: canonical}`` for every typed code that names a stored node (unknown
        ones are left out). Exact matches first (indexed); the rest case-folded."""
        wanted = {t: written(label, t) for t in typed if t is not None and str(t).strip()}
        if not wanted:
            return {}
        stored = {r["code"] for r in self.store.read(q.exact(label),
                                                     {"codes": sorted(set(wanted.values()))})}
        found = {t: w for t, w in wanted.items() if w in stored}
        missing = {t: w.lower() for t, w in wanted.items() if t not in found}
        if missing:
            by_key: dict[str, str] = {}
            for row in self.store.read(q.folded(label), {"keys": sorted(set(missing.values()))}):
                by_key.setdefault(row["code"].lower(), row["code"])
            found.update({t: by_key[k] for t, k in missing.items() if k in by_key})
        missing = {t: k for t, k in missing.items() if t not in found}
        if missing and label in SCOPED:
            found.update(self._by_local_code(label, missing))
        return found

    def _by_local_code(self, label: NodeLabel, missing: dict[str, str]) -> dict[str, str]:
        """A programme or course named by its owner's code alone (as before codes were
        scoped): found when exactly one owner uses that code."""
        owners: dict[str, list[str]] = {}
        for row in self.store.read(q.folded_local(label), {"keys": sorted(set(missing.values()))}):
            owners.setdefault(row["local"], []).append(row["code"])
        return {t: owners[k][0] for t, k in missing.items() if len(owners.get(k, [])) == 1}

    def find(self, label: NodeLabel, typed: str | None) -> str | None:
        """The canonical code, or None when nothing matches."""
        if typed is None:
            return None
        return self.many(label, [typed]).get(typed)

    def ensure_free(self, label: NodeLabel, code: str) -> None:
        """A new record may take ``code`` only if no record of ``label`` has it in another
        letter case (one code, one thing): ``CodeTaken`` (409) otherwise."""
        rows = self.store.read(q.folded(label), {"keys": [fold(label, code)]})
        taken = [r["code"] for r in rows if r["code"] != written(label, code)]
        if taken:
            raise CodeTaken(label=label.value, code=code, existing=taken[0])

    def require(self, label: NodeLabel, typed: str) -> str:
        """The canonical code; ``NotFound`` (naming the code as typed) otherwise."""
        found = self.find(label, typed)
        if found is None:
            raise NotFound(label.value, typed)
        return found

    def level(self, typed: str, location: str = "level") -> str:
        """A level written ``FRAMEWORK:LEVEL`` or ``FRAMEWORK/LEVEL`` in any case."""
        parse_level_code(typed, location)
        return self.require(NodeLabel.LEVEL, typed)
