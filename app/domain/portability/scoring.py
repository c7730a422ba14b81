"""Coverage of a target's requirements by a holder profile, and the gaps (the score is
defined in the package docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.portability.proficiency import Proficiency, as_profile

# --------------------------------------------------------------------------- scoring

UNITS = 12  # credits are counted in twelfths: h/r is a whole number of twelfths for h,r<=4
# CREDIT[h][r]: credit (in twelfths) of holding rank h (0 = not held) against required rank r.
CREDIT: tuple[tuple[int, ...], ...] = tuple(
    tuple(0 if r == 0 else (UNITS if h >= r else UNITS * h // r) for r in range(5))
    for h in range(5)
)


def _score(units: int, n: int) -> float:
    return round(units / (UNITS * n), 4)


@dataclass(frozen=True, slots=True)
class Gap:
    """A required competency not held at the required proficiency (``held`` None: not held)."""

    competency: str
    required: Proficiency
    held: Proficiency | None = None

    @property
    def shortfall(self) -> int:
        """Ranks missing: ``required - held`` (``held`` counts 0 when not held)."""
        return self.required.rank - (self.held.rank if self.held is not None else 0)


def gap_order(gap: Gap) -> tuple[int, str]:
    return (-gap.shortfall, gap.competency)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Coverage of a holder against requirements; see the module docstring for ``score``.

    ``gaps`` is ordered by shortfall (largest first), then competency code.
    """

    score: float | None
    required: int
    met: int
    partial: int
    missing: int
    gaps: tuple[Gap, ...]

    @property
    def gap_count(self) -> int:
        return self.partial + self.missing


def coverage(
    holder: Mapping[str, Proficiency], requirements: Mapping[str, Proficiency]
) -> CoverageReport:
    """Score ``holder`` against ``requirements`` and list the gaps."""
    holder = as_profile(holder)
    requirements = as_profile(requirements)
    units = met = partial = 0
    gaps: list[Gap] = []
    for competency, required in requirements.items():
        held = holder.get(competency)
        if held is None:
            gaps.append(Gap(competency, required, None))
        elif held >= required:
            met += 1
            units += UNITS
        else:
            partial += 1
            units += CREDIT[held][required]
            gaps.append(Gap(competency, required, held))
    n = len(requirements)
    gaps.sort(key=gap_order)
    return CoverageReport(
        score=_score(units, n) if n else None,
        required=n,
        met=met,
        partial=partial,
        missing=n - met - partial,
        gaps=tuple(gaps),
    )


def gap_analysis(
    a_requirements: Mapping[str, Proficiency], b_requirements: Mapping[str, Proficiency]
) -> CoverageReport:
    """The gap for moving from profile ``a`` to profile ``b``.

    ``a``'s requirements are taken as what the holder has; ``b``'s as what is required.
    Swap the arguments for the other direction.
    """
    return coverage(a_requirements, b_requirements)
