"""Parsing proficiency names and competency profiles (the scale: ``app.domain.vocab``)."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.errors import DomainError
from app.domain.vocab import PROFICIENCY_CODES, Proficiency

# --------------------------------------------------------------------------- proficiency


class UnknownProficiency(DomainError, ValueError):
    """One or more proficiency names are not on the CQF scale."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        self.allowed = list(PROFICIENCY_CODES)
        shown = ", ".join(repr(n) for n in self.names)
        super().__init__(
            f"unknown proficiency level(s): {shown}; expected one of: {', '.join(self.allowed)}"
        )


def _lookup(name: object) -> Proficiency | None:
    if isinstance(name, Proficiency):
        return name
    if isinstance(name, str):
        return Proficiency.__members__.get(name.strip().upper())
    return None


def parse_proficiency(name: str | Proficiency) -> Proficiency:
    """Parse one proficiency name; raises ``UnknownProficiency``."""
    found = _lookup(name)
    if found is None:
        raise UnknownProficiency([str(name)])
    return found


def parse_profile(profile: Mapping[str, str | Proficiency]) -> dict[str, Proficiency]:
    """Turn ``{competency: name}`` into a competency profile.

    Every unknown name is collected before raising one ``UnknownProficiency`` that lists
    them all (in input order, without repeats).
    """
    out: dict[str, Proficiency] = {}
    unknown: list[str] = []
    for competency, name in profile.items():
        found = _lookup(name)
        if found is None:
            text = str(name)
            if text not in unknown:
                unknown.append(text)
        else:
            out[competency] = found
    if unknown:
        raise UnknownProficiency(unknown)
    return out


def as_profile(profile: Mapping[str, str | Proficiency]) -> dict[str, Proficiency]:
    held = {code: level for code, level in profile.items() if isinstance(level, Proficiency)}
    return held if len(held) == len(profile) else parse_profile(profile)


# The allowed names in scale order, as error messages list them.
PROFICIENCY_NAMES = ", ".join(PROFICIENCY_CODES)
