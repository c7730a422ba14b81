"""Career plans: the cheapest sequence of moves from where a holder stands to a target profile.

Model
-----
* A *state* is the holder's competency profile. A *move* to profile P is allowed when the
  holder covers P's requirements at least ``min_step_coverage`` (portability's coverage
  score, before training). The move's *cost* is the training that closes P's gaps at least
  cost (portability's greedy set cover), always in ECTS; a course that states no ECTS weighs
  ``UNPRICED`` in the search (any plan of priced courses first), is left out of the totals
  and is named (``CareerPlan.unpriced``).
* A gap that no course closes (at the required proficiency) is *not closable by training*:
  it is named with the step (``PlanStep.not_closable``) and never priced as free training.
  A plan is ranked first by how many such requirements its moves leave open, then by
  training cost: a plan that training can complete always beats one that leaves a
  requirement open, whatever its ECTS, and a plan leaving requirements open is answered only
  when no plan within ``max_steps`` avoids them (then the one leaving the fewest), marked
  ``closable_by_training = False``. Once in a role the holder is taken to grow into its
  requirements, including those (the role, not a course, provides them).
* After a move the holder holds what the move's courses develop and each of P's
  requirements at least at the required proficiency ("the competencies grown along the
  way"): ``after_move``. A course taken once is not needed again.
* A plan is at most ``max_steps`` moves and ends with a move to the target.

Search
------
A* over states with the lexicographic cost ``(requirements left open, training cost)``,
priority ``(open + open bound, cost + cost bound, open, cost, steps, profile codes)``: the
codes make ties deterministic (fewer steps first, then the lexicographically smallest
sequence), so a direct move is chosen whenever no plan is cheaper. Both bounds are admissible
and consistent, so their pair is too (componentwise lower bounds are lower bounds in the
lexicographic order). A target requirement the holder lacks and that no other profile
requires at the needed proficiency can only be met on the last move: when no course closes
it, that move leaves it open (open bound: one per such requirement); otherwise the plan
costs at least the cheapest course closing it (cost bound: the largest such minimum over
those requirements; a course closing it earlier costs at least as much). Costs are exact
fractions. A state already expanded with no more steps is not expanded again (its cost was
no higher).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.domain.portability import (
    CostUnit,
    CourseOffer,
    Gap,
    Proficiency,
    TargetIndex,
    TargetRequirements,
    TrainingPlan,
    coverage,
    rank_targets,
    recommend_training,
    weight,
)
from app.domain.text import N_

DEFAULT_MIN_STEP_COVERAGE = 0.6
DEFAULT_MAX_STEPS = 4
MAX_EXPANSIONS = 20_000  # a bound on work per question; reported when reached

PlanTarget = TargetRequirements
Holder = Mapping[str, Proficiency]
_Key = frozenset[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class PlanStep:
    profile: str
    coverage: float  # of the profile's requirements, before this step's training
    gaps: tuple[Gap, ...]
    training: TrainingPlan
    cost: float
    cumulative_cost: float

    @property
    def not_closable(self) -> tuple[Gap, ...]:
        """The step's gaps no course closes: met in the role, never by this training."""
        return self.training.uncovered


@dataclass(frozen=True, slots=True)
class CareerPlan:
    steps: tuple[PlanStep, ...]
    total_cost: float  # ECTS of the plan's courses that state them
    cost_unit: CostUnit

    @property
    def unpriced(self) -> tuple[CourseOffer, ...]:
        """The plan's courses that state no ECTS, each once, in plan order."""
        seen: dict[str, CourseOffer] = {}
        for step in self.steps:
            for planned in step.training.unpriced:
                seen.setdefault(planned.course.code, planned.course)
        return tuple(seen.values())

    @property
    def not_closable(self) -> int:
        """How many requirements the plan's moves leave to no course (the first cost)."""
        return sum(len(s.not_closable) for s in self.steps)

    @property
    def closable_by_training(self) -> bool:
        return self.not_closable == 0


@dataclass(frozen=True, slots=True)
class NoPlan:
    reason: str  # a msgid (``N_``) filled with ``reason_params``
    unprovided: tuple[Gap, ...]  # target requirements no reachable profile or course provides
    expansions: int
    exhausted: bool  # False when the search stopped at MAX_EXPANSIONS
    reason_params: Mapping[str, object] | None = None


def grow(holder: Holder, requirements: Holder) -> dict[str, Proficiency]:
    """The holder after taking a role: each requirement held at least as required."""
    grown = dict(holder)
    for code, level in requirements.items():
        if grown.get(code, 0) < level:
            grown[code] = level
    return grown


def developed(plan: TrainingPlan) -> dict[str, Proficiency]:
    """What the plan's courses develop (the holder has it once trained)."""
    out: dict[str, Proficiency] = {}
    for planned in plan.courses:
        for code, level in planned.course.develops.items():
            if out.get(code, 0) < level:
                out[code] = level
    return out


def after_move(holder: Holder, requirements: Holder, plan: TrainingPlan) -> dict[str, Proficiency]:
    """The holder after a move: trained by the move's courses, holding the role's needs."""
    return grow(grow(holder, developed(plan)), requirements)


def _key(holder: Holder) -> _Key:
    return frozenset((c, int(p)) for c, p in holder.items())


class _Training:
    """Training per gap set, memoised: the plan and its weight in the search (ECTS, a course
    without ECTS weighing ``UNPRICED``)."""

    def __init__(self, offers: Iterable[CourseOffer]) -> None:
        self.offers = {o.code: o for o in offers}
        self.unit: CostUnit = "ects"
        self.by_competency: dict[str, list[CourseOffer]] = {}
        for offer in self.offers.values():
            for competency in offer.develops:
                self.by_competency.setdefault(competency, []).append(offer)
        self._memo: dict[tuple[Gap, ...], tuple[TrainingPlan, Fraction]] = {}

    def plan(self, gaps: tuple[Gap, ...]) -> tuple[TrainingPlan, Fraction]:
        found = self._memo.get(gaps)
        if found is None:
            seen: dict[str, CourseOffer] = {}
            for gap in gaps:  # only offers closing a gap can be picked
                for offer in self.by_competency.get(gap.competency, ()):
                    if offer.develops[gap.competency] >= gap.required:
                        seen.setdefault(offer.code, offer)
            plan = recommend_training(gaps, seen.values())
            cost = sum((weight(c.course.ects) for c in plan.courses), Fraction(0))
            found = self._memo[gaps] = (plan, cost)
        return found

    def cheapest_closing(self, gap: Gap) -> Fraction | None:
        costs = [weight(o.ects) for o in self.by_competency.get(gap.competency, ())
                 if o.closes(gap)]
        return min(costs) if costs else None


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))


def training_cost(gaps: Sequence[Gap], offers: Iterable[CourseOffer]) -> TrainingPlan:
    """The least-cost training for one move (portability's set cover), for the ladder."""
    return recommend_training(gaps, offers)


@dataclass(order=True, slots=True)
class _Entry:
    priority: tuple[int, Fraction, int, Fraction, int, tuple[str, ...]]
    holder: dict[str, Proficiency]


def _bound(target: TargetRequirements, holder: Holder, providers: Providers,
           training: _Training) -> tuple[int, Fraction]:
    """Admissible, consistent lower bound of the remaining ``(open, cost)`` (see the module
    docstring)."""
    unclosable, best = 0, Fraction(0)
    for code, required in target.requirements.items():
        if holder.get(code, 0) >= required or providers.best(code, target.code) >= required:
            continue
        cheapest = training.cheapest_closing(Gap(code, required, holder.get(code)))
        if cheapest is None:
            unclosable += 1
        elif cheapest > best:
            best = cheapest
    return unclosable, best


class Providers:
    """Per competency, the two profiles requiring it highest: built once per index, it answers
    "the highest proficiency any profile other than X requires" in constant time."""

    def __init__(self, index: TargetIndex) -> None:
        top: dict[str, list[tuple[int, str]]] = {}
        for profile in index.targets:
            for code, level in profile.requirements.items():
                pair = top.setdefault(code, [])
                pair.append((-int(level), profile.code))
                if len(pair) > 2:
                    pair.sort()
                    del pair[2:]
        self._top = {c: sorted(p) for c, p in top.items()}

    def best(self, competency: str, excluding: str) -> int:
        for level, code in self._top.get(competency, ()):
            if code != excluding:
                return -level
        return 0


def plan_career(holder: Holder, target: str, index: TargetIndex,
                offers: Iterable[CourseOffer], *,
                min_step_coverage: float = DEFAULT_MIN_STEP_COVERAGE,
                max_steps: int = DEFAULT_MAX_STEPS, exclude: Iterable[str] = (),
                max_expansions: int = MAX_EXPANSIONS,
                providers: Providers | None = None) -> CareerPlan | NoPlan:
    """The cheapest plan from ``holder`` to ``target`` (a code in ``index``), or why none.

    ``exclude``: profiles never moved to (e.g. the one the holder holds now). ``providers``
    may be passed prebuilt (``Providers(index)``) when the index is reused.
    """
    if not 1 <= max_steps:
        raise ValueError("max_steps must be at least 1")
    by_code = {t.code: t for t in index.targets}
    goal = by_code[target]
    training = _Training(offers)
    providers = providers if providers is not None else Providers(index)
    excluded = frozenset(exclude) - {target}
    start = dict(holder)
    open_bound, cost_bound = _bound(goal, start, providers, training)
    heap = [_Entry((open_bound, cost_bound, 0, Fraction(0), 0, ()), start)]
    expanded: dict[_Key, int] = {}
    reached: set[str] = set()
    expansions = 0
    while heap:
        entry = heapq.heappop(heap)
        _, _, unclosed, cost, steps, path = entry.priority
        if path and path[-1] == target:
            return _rebuild(holder, path, by_code, training)
        key = _key(entry.holder)
        if expanded.get(key, max_steps + 1) <= steps:
            continue
        expanded[key] = steps
        if steps >= max_steps:
            continue
        expansions += 1
        if expansions > max_expansions:
            return _no_plan(holder, goal, reached, by_code, training, expansions, False)
        moves = rank_targets(entry.holder, index, min_coverage=min_step_coverage, limit=None,
                             exclude=excluded | set(path))
        for move in moves:
            if move.code != target and steps + 1 >= max_steps:
                continue  # the last move must be to the target
            step_plan, step_cost = training.plan(move.coverage.gaps)
            new_cost = cost + step_cost
            new_open = unclosed + len(step_plan.uncovered)
            grown = after_move(entry.holder, move.target.requirements, step_plan)
            open_bound, cost_bound = ((0, Fraction(0)) if move.code == target else
                                      _bound(goal, grown, providers, training))
            if move.code != target:
                reached.add(move.code)
            heapq.heappush(heap, _Entry((new_open + open_bound, new_cost + cost_bound,
                                         new_open, new_cost, steps + 1, (*path, move.code)),
                                        grown))
    return _no_plan(holder, goal, reached, by_code, training, expansions, True)


def _rebuild(holder: Holder, path: tuple[str, ...], by_code: Mapping[str, TargetRequirements],
             training: _Training) -> CareerPlan:
    steps: list[PlanStep] = []
    current = dict(holder)
    total = Fraction(0)
    for code in path:
        profile = by_code[code]
        report = coverage(current, profile.requirements)
        plan, _ = training.plan(report.gaps)
        ects = _exact(plan.total_cost)  # the step's priced courses; unpriced ones are named
        total += ects
        steps.append(PlanStep(code, report.score or 0.0, report.gaps, plan, float(ects),
                              float(total)))
        current = after_move(current, profile.requirements, plan)
    return CareerPlan(tuple(steps), float(total), training.unit)


def _no_plan(holder: Holder, goal: TargetRequirements, reached: set[str],
             by_code: Mapping[str, TargetRequirements], training: _Training,
             expansions: int, exhausted: bool) -> NoPlan:
    provided: dict[str, int] = {c: int(p) for c, p in holder.items()}
    for code in reached:
        for competency, level in by_code[code].requirements.items():
            provided[competency] = max(provided.get(competency, 0), int(level))
    unprovided: list[Gap] = []
    for competency, required in sorted(goal.requirements.items()):
        held = provided.get(competency, 0)
        if held >= required:
            continue
        gap = Gap(competency, required, Proficiency(held) if held else None)
        if training.cheapest_closing(gap) is None:
            unprovided.append(gap)
    params: dict[str, object] | None = None
    if not exhausted:
        reason = N_("the search stopped after %(n)s expansions without reaching the target; "
                    "narrow the question (fewer steps or a higher min_step_coverage)")
        params = {"n": expansions - 1}
    elif unprovided:
        reason = N_("no profile reachable within max_steps requires, and no course develops, "
                    "some of the target's requirements at the needed proficiency (see "
                    "unprovided)")
    else:
        reason = N_("no sequence of moves within max_steps reaches the target with every move "
                    "covering at least min_step_coverage of the next profile's requirements")
    return NoPlan(reason, tuple(unprovided), expansions, exhausted, params)
