"""Career paths along a job family, career plans to a target profile, and succession.

Pure rules are the domain's (``app.domain.careers``); this module validates the question
against the cached read model, places profiles on the CQF through the equivalence engine and
shapes the answers (each with its evidence status; illustrative inputs make it illustrative).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain import careers as cr
from app.domain import portability as pf
from app.domain.errors import FieldProblem, InvalidInput, NotFound
from app.domain.vocab import PROFICIENCY_CODES, EvidenceStatus, weakest_status
from app.graph.port import GraphStore
from app.services.careers.read_model import (
    AnswerMemo,
    CareersModel,
    CareersModelCache,
    Placements,
    Profile,
    fingerprint,
)
from app.services.equivalence.answers import MappingGraph, MappingGraphCache

STREAM_RULE = (
    "a profile is on the management stream when it requires at least one competency of the "
    "management group (MGT), otherwise on the specialist stream; where one CQF level holds "
    "both, the ladder branches"
)
STEP_RULE = (
    "each profile above the lowest level is reached from the nearest lower level that has "
    "profiles: from a profile of the same stream when there is one, otherwise from any; among "
    "them the one whose requirements cover this profile's best (ties by code)"
)
PLAN_RULE = (
    "moves to profiles whose requirements the holder covers at least min_step_coverage "
    "(portability's coverage, before training); cost = ECTS of the least-cost training that "
    "closes the move's gaps (a course count when some course has no ECTS); after a move the "
    "holder holds what its courses develop and the profile's requirements; cheapest plan by "
    "A* (ties: fewer steps, then profile codes); gaps no course closes are listed as "
    "uncovered and cost nothing"
)
MIN_STEPS, MAX_STEPS = 1, 6
MAX_SUCCESSORS = 100
ILLUSTRATIVE_NOTICE = (
    "Illustrative: this answer rests on illustrative data (job profiles, requirements or "
    "courses invented for demonstration); it shows the method, not a real career rule."
)


def _gap(model: CareersModel, gap: pf.Gap, lang: str) -> dict[str, Any]:
    return {**model.label("Competency", gap.competency, lang), "required": gap.required.code,
            "held": gap.held.code if gap.held else None}


def _training(model: CareersModel, plan: pf.TrainingPlan, lang: str) -> dict[str, Any]:
    return {
        "cost_unit": plan.cost_unit, "total_cost": plan.total_cost,
        "courses": [{"code": c.course.code, "name": c.course.name,
                     "institution": c.course.institution, "programme": c.course.programme,
                     "ects": c.course.ects, "cost": c.cost,
                     "closes": [g.competency for g in c.closes]} for c in plan.courses],
        "uncovered": [_gap(model, g, lang) for g in plan.uncovered],
    }


def _notice(statuses: list[str | None]) -> dict[str, Any]:
    evidence = weakest_status(statuses)
    illustrative = evidence == EvidenceStatus.ILLUSTRATIVE
    return {"evidence_status": evidence, "illustrative": illustrative,
            "notice": ILLUSTRATIVE_NOTICE if illustrative else None}


@dataclass(frozen=True)
class PlanQuestion:
    target_profile: str
    from_profile: str | None = None
    competencies: dict[str, str] | None = None
    min_step_coverage: float = cr.plan.DEFAULT_MIN_STEP_COVERAGE
    max_steps: int = cr.plan.DEFAULT_MAX_STEPS
    lang: str = "en"


class CareersService:
    def __init__(self, store: GraphStore, models: CareersModelCache,
                 mappings: MappingGraphCache, memo: AnswerMemo | None = None) -> None:
        self.store = store
        self.models = models
        self.mappings = mappings
        self.memo = memo

    def _memoised(self, key: tuple[Any, ...], build: Any) -> dict[str, Any]:
        """``build(model, graph)``, or its answer kept for the same read models."""
        model = self.models.get(self.store)
        graph = self.mappings.get(self.store)
        if self.memo is None:
            return build(model, graph)  # type: ignore[no-any-return]
        version = fingerprint(graph)
        found = self.memo.get(key, model, version)
        if found is None:
            found = self.memo.keep(key, build(model, graph), model, version)
        return found  # type: ignore[no-any-return]

    def _profile_ref(self, model: CareersModel, profile: Profile, lang: str,
                     placement: dict[str, Any] | None) -> dict[str, Any]:
        french = lang == "fr" and profile.name_fr
        return {"code": profile.code, "name": profile.name_fr if french else profile.name,
                "name_lang": "fr" if french else "en", "status": profile.status,
                "administration": profile.administration,
                "generic_role": profile.generic_role, "level": profile.level,
                "cqf": placement}

    # ------------------------------------------------------------------ career path
    def career_path(self, family: str, lang: str = "en") -> dict[str, Any]:
        return self._memoised(("path", family, lang),
                              lambda model, graph: self._career_path(model, graph, family, lang))

    def _career_path(self, model: CareersModel, graph: MappingGraph, family: str,
                     lang: str) -> dict[str, Any]:
        if ("JobFamily", family) not in model.labels:
            raise NotFound("JobFamily", family)
        placements = Placements(graph)
        members = model.family_members(family)
        placed = {p.code: placements.of(p.level) for p in members}
        ladder = cr.build_ladder(
            [cr.FamilyProfile(p.code, p.name, (placed[p.code] or {}).get("ordinal"),
                              p.requirements, p.tasks) for p in members],
            model.groups, model.offers)
        refs = {p.code: self._profile_ref(model, p, lang, placed[p.code]) for p in members}
        rungs = [{"cqf_ordinal": r.rank, "cqf_level": self._rung_level(r, placed),
                  "branches": r.branches,
                  "streams": {s: [refs[c] for c in codes] for s, codes in r.streams.items()}}
                 for r in ladder.rungs]
        steps = [self._step(model, d, lang) for d in ladder.steps]
        statuses = [p.status for p in members] + [
            (placed[p.code] or {}).get("evidence_status") for p in members if placed[p.code]]
        return {"family": model.label("JobFamily", family, lang),
                "stream_rule": STREAM_RULE, "step_rule": STEP_RULE,
                "streams": ladder.streams, "rungs": rungs, "steps": steps,
                "unplaced": [refs[c] for c in ladder.unplaced], **_notice(statuses)}

    @staticmethod
    def _rung_level(rung: cr.Rung, placed: dict[str, dict[str, Any] | None]) -> str | None:
        for codes in rung.streams.values():
            for code in codes:
                if placed[code]:
                    return placed[code]["level"]  # type: ignore[index]
        return None

    @staticmethod
    def _step(model: CareersModel, delta: cr.StepDelta, lang: str) -> dict[str, Any]:
        return {
            "from": delta.from_profile, "to": delta.to_profile, "coverage": delta.coverage,
            "new_competencies": [_gap(model, g, lang) for g in delta.new_competencies],
            "rising_proficiencies": [
                {**model.label("Competency", g.competency, lang),
                 "from": g.held.code if g.held else None, "to": g.required.code}
                for g in delta.rising],
            "tasks_added": [model.label("ProfessionalTask", t, lang)
                            for t in delta.tasks_added],
            "training": _training(model, delta.training, lang),
        }

    # ------------------------------------------------------------------ plans
    def _plan_holder(self, question: PlanQuestion,
                     model: CareersModel) -> dict[str, pf.Proficiency]:
        problems: list[FieldProblem] = []
        target = model.profiles.get(question.target_profile)
        if target is None:
            problems.append(FieldProblem("body.target_profile", "unknown job profile",
                                         question.target_profile))
        elif not target.requirements:
            problems.append(FieldProblem("body.target_profile",
                                         "this job profile has no requirements",
                                         question.target_profile))
        if (question.from_profile is None) == (question.competencies is None):
            problems.append(FieldProblem("body", "give exactly one of from_profile or "
                                                 "competencies"))
        if not 0.0 <= question.min_step_coverage <= 1.0:
            problems.append(FieldProblem("body.min_step_coverage", "must be between 0 and 1",
                                         question.min_step_coverage))
        if not MIN_STEPS <= question.max_steps <= MAX_STEPS:
            problems.append(FieldProblem("body.max_steps",
                                         f"must be between {MIN_STEPS} and {MAX_STEPS}",
                                         question.max_steps))
        holder: dict[str, pf.Proficiency] = {}
        if question.from_profile is not None:
            source = model.profiles.get(question.from_profile)
            if source is None:
                problems.append(FieldProblem("body.from_profile", "unknown job profile",
                                             question.from_profile))
            elif question.from_profile == question.target_profile:
                problems.append(FieldProblem("body.from_profile",
                                             "the start is already the target",
                                             question.from_profile))
            else:
                holder = dict(source.requirements)
        if question.competencies is not None:
            holder = self._competencies(question.competencies, model, problems)
        if problems:
            raise InvalidInput(problems)
        return holder

    @staticmethod
    def _competencies(given: dict[str, str], model: CareersModel,
                      problems: list[FieldProblem]) -> dict[str, pf.Proficiency]:
        if not given:
            problems.append(FieldProblem("body.competencies", "the competency profile is empty"))
        allowed = list(PROFICIENCY_CODES)
        holder = {}
        for code, name in sorted(given.items()):
            if code not in model.competencies:
                problems.append(FieldProblem(f"body.competencies.{code}",
                                             "unknown competency code", code))
            try:
                holder[code] = pf.parse_proficiency(name)
            except pf.UnknownProficiency:
                problems.append(FieldProblem(
                    f"body.competencies.{code}",
                    f"unknown proficiency; expected one of {', '.join(allowed)}", name))
        return holder

    def plan(self, question: PlanQuestion) -> dict[str, Any]:
        if question.competencies is not None:  # an officer's own set: not kept
            return self._plan(self.models.get(self.store), self.mappings.get(self.store),
                              question)
        key = ("plan", question.target_profile, question.from_profile,
               question.min_step_coverage, question.max_steps, question.lang)
        return self._memoised(key, lambda model, graph: self._plan(model, graph, question))

    def _plan(self, model: CareersModel, graph: MappingGraph,
              question: PlanQuestion) -> dict[str, Any]:
        holder = self._plan_holder(question, model)
        lang = question.lang
        exclude = [question.from_profile] if question.from_profile else []
        found = cr.plan_career(holder, question.target_profile, model.index, model.offers,
                               min_step_coverage=question.min_step_coverage,
                               max_steps=question.max_steps, exclude=exclude,
                               providers=model.providers)
        placements = Placements(graph)
        answer: dict[str, Any] = {
            "from_profile": question.from_profile, "target_profile": question.target_profile,
            "holder_size": len(holder), "min_step_coverage": question.min_step_coverage,
            "max_steps": question.max_steps, "rule": PLAN_RULE}
        if isinstance(found, cr.NoPlan):
            target = model.profiles[question.target_profile]
            return {**answer, "plan": None, "reason": {
                "detail": found.reason, "exhausted": found.exhausted,
                "unprovided": [_gap(model, g, lang) for g in found.unprovided]},
                **_notice([target.status])}
        steps = []
        for step in found.steps:
            profile = model.profiles[step.profile]
            steps.append({
                "profile": self._profile_ref(model, profile, lang, placements.of(profile.level)),
                "coverage_before_training": step.coverage,
                "gaps": [_gap(model, g, lang) for g in step.gaps],
                "training": _training(model, step.training, lang),
                "cost": step.cost, "cumulative_cost": step.cumulative_cost})
        statuses = [model.profiles[s.profile].status for s in found.steps]
        return {**answer, "plan": {"steps": steps, "total_cost": found.total_cost,
                                   "cost_unit": found.cost_unit, "moves": len(steps)},
                "reason": None, **_notice(statuses)}

    # ------------------------------------------------------------------ succession
    def successors(self, code: str, limit: int = 10, administration: str | None = None,
                   lang: str = "en") -> dict[str, Any]:
        return self._memoised(("successors", code, limit, administration, lang),
                              lambda model, graph: self._successors(model, graph, code, limit,
                                                                    administration, lang))

    def _successors(self, model: CareersModel, graph: MappingGraph, code: str, limit: int,
                    administration: str | None, lang: str) -> dict[str, Any]:
        target = model.profiles.get(code)
        if target is None:
            raise NotFound("JobProfile", code)
        problems = []
        if not 1 <= limit <= MAX_SUCCESSORS:
            problems.append(FieldProblem("query.limit", f"must be between 1 and {MAX_SUCCESSORS}",
                                         limit))
        if administration is not None and ("Administration", administration) not in model.labels:
            problems.append(FieldProblem("query.administration", "unknown administration",
                                         administration))
        if problems:
            raise InvalidInput(problems)
        exclude = ([p.code for p in model.profiles.values()
                    if p.administration != administration] if administration else [])
        requirements = pf.TargetRequirements(target.code, target.name, target.requirements)
        ranked = cr.rank_successors(requirements, model.holders, limit=limit, exclude=exclude)
        placements = Placements(graph)
        results = []
        for s in ranked:
            holder = model.profiles[s.holder.code]
            report = s.coverage
            results.append({
                "profile": self._profile_ref(model, holder, lang, placements.of(holder.level)),
                "coverage": report.score, "required": report.required, "met": report.met,
                "partial": report.partial, "missing": report.missing,
                "gaps": [_gap(model, g, lang) for g in report.gaps],
                "training": _training(model, model.training(report.gaps), lang)})
        statuses = [target.status] + [r["profile"]["status"] for r in results]
        return {"profile": self._profile_ref(model, target, lang, placements.of(target.level)),
                "administration": administration, "results": results, "total": len(results),
                "score_definition": "coverage of this profile's requirements by each other "
                                    "profile's requirements (portability's score, in reverse)",
                **_notice(statuses)}
