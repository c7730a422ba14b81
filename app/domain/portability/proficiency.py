"""Parsing proficiency names and competency profiles (the scale: ``app.domain.vocab``)."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.errors import DomainError, FieldProblem
from app.domain.text import N_
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


# The names the French explorer shows (the catalogue's words for the scale), accepted too.
FRENCH_NAMES = {"sensibilisé": Proficiency.AWARE, "sensibilise": Proficiency.AWARE,
                "formé": Proficiency.TRAINED, "forme": Proficiency.TRAINED,
                "avancé": Proficiency.ADVANCED, "avance": Proficiency.ADVANCED,
                "expert": Proficiency.EXPERT}


def _lookup(name: object) -> Proficiency | None:
    if isinstance(name, Proficiency):
        return name
    if isinstance(name, str):
        typed = name.strip()
        return Proficiency.__members__.get(typed.upper()) or FRENCH_NAMES.get(typed.lower())
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


# What a proficiency field accepts: the scale's names, each worded in the answer's language
# (a value that is a ``(msgid, params)`` pair is translated, ``app.domain.errors.say``).
NO_VALUES: dict[str, object] = {}
PROFICIENCY_ACCEPTED = N_("one of %(choices)s (any case)")
PROFICIENCY_CHOICES: dict[str, object] = {"choices": (
    "%(a)s, %(b)s, %(c)s, %(d)s",
    {"a": (N_("aware"), {}), "b": (N_("trained"), {}), "c": (N_("advanced"), {}),
     "d": (N_("expert"), {})})}


def proficiency_problem(location: str, value: object) -> FieldProblem:
    """A proficiency name not on the scale, said with what is accepted and an example."""
    return FieldProblem(location, N_("%(accepted)s, e.g. %(example)s"),
                        value if isinstance(value, str) else None,
                        params={**PROFICIENCY_CHOICES, "example": (N_("trained"), NO_VALUES)},
                        accepted=PROFICIENCY_ACCEPTED, example="trained")
