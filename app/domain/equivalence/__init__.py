"""Level equivalence across frameworks: pure domain logic (no web framework, no database).

Match types
-----------
``MatchType`` holds the five SKOS mapping relations; the values are the SKOS local names.
A mapping ``A --t--> B`` reads "A is t of B": ``IE-NFQ:8 broadMatch EQF:6`` says that EQF:6
is *broader* than IE-NFQ:8.

* ``invert`` -- walking a mapping backwards swaps ``broadMatch`` and ``narrowMatch``;
  ``exactMatch``, ``closeMatch`` and ``relatedMatch`` are symmetric.
* ``compose(a, b)`` -- the type of ``A --a--> B --b--> C`` read as A to C:

  ==========  =======  =======  =======  =======  =======
  a \\ b      exact    close    broad    narrow   related
  ==========  =======  =======  =======  =======  =======
  exact       exact    close    broad    narrow   related
  close       close    close    broad    narrow   related
  broad       broad    broad    broad    related  related
  narrow      narrow   narrow   related  narrow   related
  related     related  related  related  related  related
  ==========  =======  =======  =======  =======  =======

  ``exactMatch`` is the identity, ``relatedMatch`` absorbs everything, broad followed by
  narrow (or narrow by broad) only says the two levels are related.
  **Decision on closeMatch:** close is "almost exact", so it never makes a chain weaker than
  its weakest link on its own: close∘close = close and close∘broad = broad (likewise narrow).
  The slack of a close link is not lost, it shows in the confidence (each link's confidence
  is multiplied in). The table is symmetric and associative, so a path's type is the same
  whichever way its links are grouped, and ``invert(compose(a, b)) == compose(invert(b),
  invert(a))``.
* ``strength`` -- exact (4) > close (3) > broad = narrow (2) > related (1). A composed type
  is never stronger than the weaker of its two parts: answers never claim more than the
  weakest link.
* Confidence of a path is the product of its edges' confidences (each clamped to 0..1, a
  missing confidence counts as 0), so it never rises along a path.

Level codes
-----------
A level code is ``FRAMEWORK:LEVEL`` (``IE-NFQ:8``, ``UK-RQF:E3``). Framework codes contain no
colon, so the framework is everything before the *first* colon (a level part may contain one).

Path search (``find_equivalences``)
-----------------------------------
Build a ``MappingIndex`` once from all ``MAPS_TO`` edges; it is immutable and safe to share.
A path from the start level walks mapping edges forwards (the edge's type) or backwards (the
inverted type). Counted edges: ``review_status == 'accepted'``, plus ``'proposed'`` when
``include_proposed``; ``rejected`` and ``superseded`` edges never count.

**Decision: a path enters each framework at most once.** This contains the required rules
(no level is visited twice; a path never comes back to the start level's framework, which
would make a level equivalent to another level of its own framework) and extends them to
pivots: ``IE-NFQ:8 -> EQF:6 -> NL-NLQF:6 -> EQF:5`` would claim an EQF level through another
EQF level. Such detours are defects, reported by ``check_mapping_quality``, not answers. It
also keeps the search small on a graph of hundreds of frameworks.

Reached levels are reported when they are in ``target_framework`` (then the path is not
extended further), or, without a target, in any framework other than the start's (then they
also serve as pivots). ``relatedMatch`` paths are answers too; they rank last.

Rank of the paths to one target, best first: composed type strength descending, confidence
descending (compared at 9 decimals, so float noise does not reorder), hops ascending, then
the tuple of edge ids. ``paths='best'`` returns the best path per target; ``paths='all'``
returns every path, grouped per target, in rank order. Answers are ordered by trust and
grouped by framework (``trust.py``): strongest type, then verified before unverified before
illustrative evidence, then confidence, then hops; then by ordinal when ``ordinals`` knows
the level (levels with an ordinal first), then by code.

Best-path mode is a best-first search over partial paths in rank order (extending a path
never improves its rank) with an exact dominance rule: a partial path is dropped at a level
when another one already reached that level with a type that stays at least as strong
whatever follows (exact over all, close over all but exact, broad or narrow over related, a
type over itself), a framework set that is a subset of its own, at least its confidence,
and fewer hops (or as many hops and smaller edge ids). Every extension of the dropped path
is then also an extension of the kept one, and ranks behind it; a differential test checks
this against the exhaustive enumeration. With a target framework, a per-index cached
breadth-first distance to that framework bounds the remaining hops. Depth is
1..``MAX_DEPTH`` (5) hops. A search that would explore more than ``max_paths`` partial paths
raises ``SearchTooBroad`` instead of answering slowly (in practice only ``paths='all'``
without a target at depth 4 or more on a large graph).

When nothing is found the result carries a ``NoEquivalence`` (stable ``kind`` and a human
``detail``): ``no_mappings``, ``same_framework``, ``framework_unmapped``, ``unreachable``,
``out_of_depth``.

Quality checks (``check_mapping_quality``)
------------------------------------------
Over the counted edges (accepted, optionally proposed): levels without any mapping;
contradictory exact matches; own-framework cycles; fan-out. Each check's definition is in the
docstring of its result type.
"""

from app.domain.equivalence.match_types import (
    DEFAULT_DEPTH,
    DEFAULT_MAX_PATHS,
    MAX_DEPTH,
    Direction,
    PathsMode,
    SearchTooBroad,
    compose,
    compose_all,
    compose_confidence,
    framework_of,
    invert,
    path_confidence,
    strength,
)
from app.domain.equivalence.paths import (
    Equivalence,
    EquivalenceResult,
    MappingEdge,
    MappingIndex,
    NoEquivalence,
    Step,
)
from app.domain.equivalence.quality import (
    ExactContradiction,
    FanOut,
    FrameworkCycle,
    LevelRef,
    QualityReport,
    UnmappedLevel,
    check_mapping_quality,
)
from app.domain.equivalence.search import (
    find_equivalences,
)
from app.domain.equivalence.trust import (
    order_by_trust,
    trust_key,
    weakest_evidence,
)

__all__ = [
    "MAX_DEPTH",
    "DEFAULT_DEPTH",
    "DEFAULT_MAX_PATHS",
    "SearchTooBroad",
    "strength",
    "invert",
    "compose",
    "compose_all",
    "compose_confidence",
    "path_confidence",
    "framework_of",
    "MappingEdge",
    "Step",
    "Equivalence",
    "NoEquivalence",
    "EquivalenceResult",
    "MappingIndex",
    "find_equivalences",
    "order_by_trust",
    "trust_key",
    "weakest_evidence",
    "LevelRef",
    "UnmappedLevel",
    "ExactContradiction",
    "FrameworkCycle",
    "FanOut",
    "QualityReport",
    "check_mapping_quality",
    "PathsMode",
    "Direction",
]
