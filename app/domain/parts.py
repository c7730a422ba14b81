"""The parts of the graph an answer can rest on, and which parts a write touches.

Every kept answer and read model declares the parts it is built from; every write through the
service changes the state token of the parts it touched (in the same statement as the write,
``app.graph.cypher.audited``), so a write leaves the answers that do not rest on what it
changed as they are. The tokens live in the graph, so this holds across workers and on both
backends.

- ``catalogue``: competencies, groups, tasks, PICARD standards, job families and the other
  reference nodes (written by the seed and the data commands);
- ``profiles``: job profiles and their requirements, tasks and levels;
- ``levels``: frameworks, levels, grade scales, administrations;
- ``mappings``: level mappings (proposed, reviewed, retracted);
- ``courses:<INSTITUTION>``: one institution, its programmes, courses and course mappings;
- ``programmes``: every institution's programmes (moved beside the institution's own part by
  a programme write): what a level's page lists of them, which no course write changes;
- ``access``: API keys (no answer rests on them);
- ``meta``: the whole graph (seed, migrations, base IRI): every answer rests on it.

A declaration names parts, ``courses:*`` (every institution's) or ``*`` (every part but
``access``: no answer shows a key).
"""

from __future__ import annotations

CATALOGUE = "catalogue"
PROFILES = "profiles"
LEVELS = "levels"
MAPPINGS = "mappings"
PROGRAMMES = "programmes"
ACCESS = "access"
META = "meta"
COURSES = "courses:*"
EVERYTHING: tuple[str, ...] = ("*",)
# Writes from outside the service this process has seen (hand-written Cypher: the graph
# changed and no part's token moved): like ``meta``, every answer rests on them.
FOREIGN = "~foreign"
INSTITUTION_OWNER = "institution:"

# What a write of a kind of target touches, when its owner is not an institution.
_BY_KIND: dict[str, tuple[str, ...]] = {
    "Mapping": (MAPPINGS,),
    "Framework": (LEVELS, MAPPINGS),  # a grade scale: its levels and their mappings
    "Administration": (LEVELS,),
    "ApiKey": (ACCESS,),
}


def courses_of(institution: str) -> str:
    return f"courses:{institution}"


def touched(target_kind: str, owner: str | None) -> tuple[str, ...]:
    """The parts an audited write changed: an institution's own data (its record,
    programmes, courses, course mappings and their reviews) is that institution's part, and
    a programme (written, deleted or reviewed) also every institution's programmes;
    level mappings, scales and administrations theirs; anything else, the whole graph."""
    if owner and owner.startswith(INSTITUTION_OWNER) and target_kind not in _BY_KIND:
        own = courses_of(owner.removeprefix(INSTITUTION_OWNER))
        return (own, PROGRAMMES) if target_kind == "Programme" else (own,)
    return _BY_KIND.get(target_kind, (META,))


def kinds_touching(declared: tuple[str, ...]) -> tuple[str, ...]:
    """The target kinds of the audited writes that can touch one of ``declared`` (besides
    ``meta``, which a write of any other kind moves): e.g. level mappings and levels are
    written by ``Mapping``, ``Framework`` (a grade scale) and ``Administration`` writes."""
    return tuple(sorted(kind for kind, moved in _BY_KIND.items()
                        if any(part in declared for part in moved)))


def covers(declared: tuple[str, ...], part: str) -> bool:
    """Whether an answer declared on ``declared`` rests on ``part`` (``meta`` and what was
    written from outside the service always)."""
    if part in (META, FOREIGN) or part in declared:
        return True
    if "*" in declared:
        return part != ACCESS
    return part.startswith("courses:") and COURSES in declared


def tokens_for(declared: tuple[str, ...], tokens: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The tokens an answer declared on ``declared`` depends on, in a fixed order."""
    return tuple(sorted((p, t) for p, t in tokens.items() if covers(declared, p)))
