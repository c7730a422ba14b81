"""Staff portability and gap analysis: pure domain logic (no web framework, no database).

Vocabulary
----------
* **Proficiency** -- the CQF proficiency scale, ordered ``aware`` (rank 1) < ``trained`` (2)
  < ``advanced`` (3) < ``expert`` (4); the codes are those of the ``ProficiencyLevel`` nodes.
* **Competency profile** -- a mapping ``competency code -> Proficiency``. It is either what a
  holder *has* (an officer's own competency set, or the requirements of the job profile they
  hold now, taken as what they have) or what a target *requires* (a ``JobProfile``'s
  ``REQUIRES`` edges).
* **Gap** -- one required competency the holder does not hold at the required proficiency:
  ``Gap(competency, required, held)`` with ``held`` ``None`` when it is not held at all.

Coverage score
--------------
For a holder profile H and a target's requirements R (n = number of required competencies):

    Each required competency c, required at proficiency r, contributes a credit:
    1 if H holds c at rank r or above ("met"); h / r if H holds c at a lower rank h
    ("partially met"; e.g. trained against advanced = 2/3); 0 if H does not hold c
    ("missing"). The coverage score is the sum of the credits divided by n, rounded to
    4 decimal places, so it lies in [0, 1]: 1.0 exactly when every requirement is met,
    0.0 exactly when none of the required competencies is held. Competencies the holder
    has that the target does not require neither add nor subtract. A target with no
    requirements has no score (None) and is left out of rankings.

The counts reported alongside are ``required`` (n), ``met``, ``partial`` (held below the
requirement), ``missing`` (not held); ``met + partial + missing == required``, and the gaps
are the ``partial + missing`` requirements. Raising any held proficiency (or adding a
competency) never lowers a score.

Credits are computed exactly (in twelfths: every h / r with h, r in 1..4 is a whole number of
twelfths), so equal scores compare equal regardless of input order.

Ranking
-------
``rank_targets`` orders candidate targets by exact score descending, then ``met``
descending, then number of gaps ascending, then target ``code`` ascending; the result does
not depend on the order of the input. ``min_coverage`` is compared with the reported
(rounded) score, so a target shown with score 0.6667 passes ``min_coverage=0.6667``.
Targets without requirements, and those whose code is in ``exclude``, are skipped.
For repeated queries against the same targets build a ``TargetIndex`` once and pass it
instead of the list: it scores only the targets sharing a competency with the holder.

Training recommendation
-----------------------
``recommend_training`` is a greedy weighted set cover. A course *closes* a gap when it
develops that competency at or above the required proficiency. Cost: the course's ECTS
when every candidate course (a course that closes at least one of the gaps) states its
ECTS; otherwise every candidate costs 1 and the unit is a course count (mixing ECTS with
guesses would make the comparison meaningless). Each round picks the course with the
lowest cost per newly closed gap (ties: more newly closed gaps, then course code); then
courses made redundant by later picks are dropped (most expensive first), which never
raises the cost. Each covered gap is attributed to the first kept course that closes it.
Gaps that no candidate closes are reported as uncovered.
"""

from __future__ import annotations

from app.domain.portability.proficiency import (
    PROFICIENCY_NAMES,
    Proficiency,
    UnknownProficiency,
    parse_proficiency,
    parse_profile,
    proficiency_problem,
)
from app.domain.portability.ranking import (
    RankedTarget,
    TargetIndex,
    TargetRequirements,
    rank_targets,
)
from app.domain.portability.scoring import (
    CoverageReport,
    Gap,
    coverage,
    gap_analysis,
)
from app.domain.portability.training import (
    UNPRICED,
    CostUnit,
    CourseOffer,
    PlannedCourse,
    TrainingPlan,
    recommend_training,
    weight,
)

__all__ = [
    "PROFICIENCY_NAMES",
    "Proficiency",
    "UnknownProficiency",
    "parse_proficiency",
    "proficiency_problem",
    "parse_profile",
    "Gap",
    "CoverageReport",
    "coverage",
    "gap_analysis",
    "TargetRequirements",
    "TargetIndex",
    "RankedTarget",
    "rank_targets",
    "CourseOffer",
    "PlannedCourse",
    "TrainingPlan",
    "CostUnit",
    "recommend_training",
    "weight",
    "UNPRICED",
]
