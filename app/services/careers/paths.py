"""Career paths along a job family, career plans to a target profile, and succession.

Pure rules are the domain's (``app.domain.careers``); this module validates the question
against the cached read model, places profiles on the CQF through the equivalence engine and
shapes the answers (each with its evidence status; illustrative inputs make it illustrative).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import orjson

from app.domain import careers as cr
from app.domain import portability as pf
from app.domain.careers.plan import DEFAULT_MAX_STEPS, DEFAULT_MIN_STEP_COVERAGE
from app.domain.errors import FieldProblem, InvalidInput, NotFound, out_of_range, where
from app.domain.text import N_
from app.domain.vocab import NodeLabel
from app.graph.port import GraphStore
from app.services.careers.evidence import evidence_members
from app.services.careers.read_model import (
    CareersMemo,
    CareersModel,
    CareersModelCache,
    KnownCodes,
    PinnedReads,
    Placements,
    Profile,
    fingerprint,
    one_read,
)
from app.services.catalog.codes import CodeResolver
from app.services.equivalence.answers import MappingGraph, MappingGraphCache
from app.services.messages import Words

R = TypeVar("R")

STREAM_RULE = N_(
    "a profile is on the management stream when it requires at least one competency of the "
    "management group (MGT), otherwise on the specialist stream; where one CQF level holds "
    "both, the ladder branches"
)
STEP_RULE = N_(
    "each profile above the lowest level is reached from the nearest lower level that has "
    "profiles: from a profile of the same stream when there is one, otherwise from any; among "
    "them the one whose requirements cover this profile's best (ties by code)"
)
PLAN_RULE = N_(
    "moves to profiles whose requirements the holder covers at least min_step_coverage "
    "(portability's coverage, before training); cost = ECTS of the least-cost training that "
    "closes the move's gaps (a course without ECTS is named apart, never counted as free); a "
    "gap no course closes is not closable by training: it is named with its step "
    "(not_closable) and never priced as free training; plans are ranked first by how many "
    "such requirements their moves leave open, then by cost, so a plan that training can "
    "complete always beats one that cannot, and a plan leaving requirements open "
    "(closable_by_training false) is answered only when no plan within max_steps avoids them;"
    " after a move the holder holds what its courses develop and the profile's requirements "
    "(grown in the role); cheapest plan by A* with an admissible bound (ties: fewer steps, "
    "then profile codes)"
)
UNPRICED_NOTE = N_(
    "Costs are in ECTS. Courses of this plan that state no ECTS: %(n)s; they are named in "
    "unpriced_courses and not counted in total_cost."
)
NOT_CLOSABLE_NOTE = N_(
    "Not achievable by training alone. Requirements along this plan that no known course "
    "develops: %(n)s (listed as not_closable on their step); they must be met in the role or "
    "by other means, and the total cost does not include them."
)
SCORE_DEFINITION = N_("coverage of this profile's requirements by each other profile's "
                      "requirements (portability's score, in reverse)")
MIN_STEPS, MAX_STEPS = 1, 6
MAX_SUCCESSORS = 100


def _gap(model: CareersModel, gap: pf.Gap, lang: str) -> dict[str, Any]:
    return {**model.label("Competency", gap.competency, lang), "required": gap.required.code,
            "held": gap.held.code if gap.held else None}


def _training(model: CareersModel, plan: pf.TrainingPlan, lang: str) -> dict[str, Any]:
    return {
        "cost_unit": plan.cost_unit, "total_cost": plan.total_cost,
        "courses": [{"code": c.course.code, "name": c.course.name,
                     "institution": c.course.institution, "programme": c.course.programme,
                     "ects": c.course.ects, "cost": c.cost,
                     "evidence_status": model.course_status.get(c.course.code),
                     "closes": [g.competency for g in c.closes]} for c in plan.courses],
        "unpriced_courses": [_named(c.course) for c in plan.unpriced],
        "uncovered": [_gap(model, g, lang) for g in plan.uncovered],
    }


def _named(course: pf.CourseOffer) -> dict[str, Any]:
    return {"code": course.code, "name": course.name}


def _training_statuses(model: CareersModel, plan: pf.TrainingPlan) -> list[str | None]:
    """The stated evidence of the courses a training uses (an unstated one adds nothing:
    the answer's evidence rests on what the graph says, the profiles' own status aside)."""
    return [s for c in plan.courses if (s := model.course_status.get(c.course.code))]


def _requirement_statuses(profile: Profile) -> list[str | None]:
    """The stated evidence of a profile's requirements (REQUIRES relations)."""
    return [s for s in profile.requirement_status.values() if s]


def _notice(statuses: list[str | None], lang: str) -> dict[str, Any]:
    return evidence_members(statuses, lang)


@dataclass(frozen=True)
class PlanQuestion:
    target_profile: str
    from_profile: str | None = None
    competencies: dict[str, str] | None = None
    min_step_coverage: float = DEFAULT_MIN_STEP_COVERAGE
    max_steps: int = DEFAULT_MAX_STEPS
    lang: str = "en"

    def key(self) -> tuple[Any, ...]:
        """The question's cache key: a competency set in canonical form (sorted codes with
        proficiency codes), so the same holder asked in any order or spelling is one key."""
        held = (None if self.competencies is None else
                tuple(sorted(self.competencies.items())))
        return ("plan", self.target_profile, self.from_profile, held,
                self.min_step_coverage, self.max_steps, self.lang)


class CareersService:
    """Answers are kept per canonical question (``AnswerMemo``), both as the dict the
    explorer renders and as the JSON bytes the API sends, tied to the loaded careers model
    (by identity) and the mapping graph's content fingerprint: a change in the graph reloads
    the model or changes the fingerprint, and the next answer is fresh. Codes are resolved
    first (any case, ``app.services.catalog.codes``), so every spelling of a question shares one
    answer."""

    def __init__(self, store: GraphStore, models: CareersModelCache,
                 mappings: MappingGraphCache, memo: CareersMemo | None = None) -> None:
        self.store = store
        self.models = models
        self.mappings = mappings
        self.memo = memo
        self._pins = PinnedReads()

    def _model(self) -> CareersModel:
        """The careers read model, once per answer (``PinnedReads``)."""
        return self._pins.get("model", lambda: self.models.get(self.store))

    def _graph(self) -> MappingGraph:
        """The mapping graph, once per answer (``PinnedReads``)."""
        return self._pins.get("graph", lambda: self.mappings.get(self.store))

    # ------------------------------------------------------------------ plumbing
    def _memoised(self, key: tuple[Any, ...], build: Any) -> dict[str, Any]:
        """``build(model, graph)``, or its answer kept for the same read models."""
        model = self._model()
        graph = self._graph()
        if self.memo is None:
            return build(model, graph)
        return self.memo.get_or_build(key, lambda: build(model, graph), model,
                                      fingerprint(graph))

    def _core(self, key: tuple[Any, ...], build: Callable[[], R], *sources: object) -> R:
        """The costly part of an answer (a ladder's shape, a ranking, a plan's search), kept
        for ``sources`` (the careers model, or only its profile side, and e.g. the CQF
        ordinals of a family's profiles), not for the mapping graph: after an accepted level
        mapping only the answer's cheap parts (placements, names, notices) are computed
        again, and after a course write only the training whose courses changed."""
        if self.memo is None:
            return build()
        return self.memo.get_or_build(("core", *key), build, *sources)

    def _trainer(self, model: CareersModel) -> cr.Trainer:
        return model.training if self.memo is None else self.memo.trainer(model)

    def _serialised(self, key: tuple[Any, ...], answer: Any) -> bytes:
        """The JSON bytes of ``answer()`` (the dict), serialised once per kept answer: at the
        ESCO size a ladder lists hundreds of profiles and dumping it costs more than finding
        the kept dict."""
        if self.memo is None:
            return orjson.dumps(answer())
        return self.memo.get_or_build(("json", *key), lambda: orjson.dumps(answer()),
                                      self._model(), fingerprint(self._graph()))

    def _resolve(self, label: NodeLabel, typed: str | None, known: Any) -> str | None:
        """The stored code for ``typed``: itself when the read model knows it (no query),
        else through the resolver (any case, trimmed); None when nothing matches."""
        if typed is None:
            return None
        if typed in known:
            return typed
        return CodeResolver(self.store).find(label, typed)

    def _profile_ref(self, model: CareersModel, profile: Profile, lang: str,
                     placement: dict[str, Any] | None) -> dict[str, Any]:
        french = lang == "fr" and profile.name_fr
        return {"code": profile.code, "name": profile.name_fr if french else profile.name,
                "name_lang": "fr" if french else "en", "status": profile.status,
                "administration": profile.administration,
                "generic_role": profile.generic_role, "level": profile.level,
                "cqf": placement}

    def _administration(self, model: CareersModel, typed: str | None,
                        problems: list[FieldProblem]) -> str | None:
        if typed is None:
            return None
        found = self._resolve(NodeLabel.ADMINISTRATION, typed,
                              KnownCodes(model.labels, "Administration"))
        if found is None:
            problems.append(FieldProblem("administration", N_("unknown administration"), typed))
        return found

    # ------------------------------------------------------------------ career path
    def _path_key(self, family: str, lang: str,
                  administration: str | None) -> tuple[Any, ...]:
        model = self._model()
        code = self._resolve(NodeLabel.JOB_FAMILY, family, KnownCodes(model.labels, "JobFamily"))
        if code is None:
            raise NotFound("JobFamily", family)
        problems: list[FieldProblem] = []
        admin = self._administration(model, administration, problems)
        if problems:
            raise InvalidInput(problems)
        return ("path", code, lang, admin)

    @one_read
    def career_path(self, family: str, lang: str = "en",
                    administration: str | None = None) -> dict[str, Any]:
        key = self._path_key(family, lang, administration)
        return self._memoised(key, lambda model, graph: self._career_path(
            model, graph, key[1], lang, key[3]))

    @one_read
    def career_path_json(self, family: str, lang: str = "en",
                         administration: str | None = None) -> bytes:
        key = self._path_key(family, lang, administration)
        return self._serialised(key, lambda: self._memoised(
            key, lambda model, graph: self._career_path(model, graph, key[1], lang, key[3])))

    def _career_path(self, model: CareersModel, graph: MappingGraph, family: str,
                     lang: str, administration: str | None) -> dict[str, Any]:
        placements = Placements(graph)
        members = [p for p in model.family_members(family)
                   if administration is None or p.administration == administration]
        placed = {p.code: placements.of(p.level) for p in members}
        ordinals = tuple((p.code, (placed[p.code] or {}).get("ordinal")) for p in members)
        shape = self._core(("ladder", family, administration), lambda: cr.ladder_shape(
            [cr.FamilyProfile(p.code, p.name, ordinal, p.requirements, p.tasks)
             for p, (_, ordinal) in zip(members, ordinals, strict=True)],
            model.groups), model.version, ordinals)
        ladder = cr.trained(shape, self._trainer(model))
        refs = {p.code: self._profile_ref(model, p, lang, placed[p.code]) for p in members}
        rungs = [{"cqf_ordinal": r.rank, "cqf_level": self._rung_level(r, placed),
                  "branches": r.branches,
                  "streams": {s: [refs[c] for c in codes] for s, codes in r.streams.items()}}
                 for r in ladder.rungs]
        steps = [self._step(model, d, lang) for d in ladder.steps]
        statuses = [p.status for p in members] + [
            (placed[p.code] or {}).get("evidence_status") for p in members if placed[p.code]]
        statuses += [s for p in members for s in _requirement_statuses(p)]
        statuses += [s for d in ladder.steps for s in _training_statuses(model, d.training)]
        return {"family": model.label("JobFamily", family, lang),
                "administration": administration,
                "stream_rule": Words(lang)(STREAM_RULE), "step_rule": Words(lang)(STEP_RULE),
                "streams": ladder.streams, "rungs": rungs, "steps": steps,
                "unplaced": [refs[c] for c in ladder.unplaced], **_notice(statuses, lang)}

    @staticmethod
    def _rung_level(rung: cr.Rung, placed: dict[str, dict[str, Any] | None]) -> str | None:
        for codes in rung.streams.values():
            for code in codes:
                place = placed[code]
                if place:
                    return place["level"]
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
    def _canonical(self, question: PlanQuestion) -> PlanQuestion:
        """The question with every code as stored (any case) and proficiencies by code, or
        one ``InvalidInput`` naming every problem."""
        model = self._model()
        problems: list[FieldProblem] = []
        typed_target = question.target_profile
        target_code = self._resolve(NodeLabel.JOB_PROFILE, typed_target, model.profiles)
        target = model.profiles.get(target_code or "")
        if target is None:
            problems.append(FieldProblem("target_profile", N_("unknown job profile"),
                                         typed_target))
        elif not target.requirements:
            problems.append(FieldProblem("target_profile",
                                         N_("this job profile has no requirements"),
                                         typed_target))
        if (question.from_profile is None) == (question.competencies is None):
            problems.append(FieldProblem("body", N_("give exactly one of from_profile or "
                                                    "competencies")))
        if not 0.0 <= question.min_step_coverage <= 1.0:
            problems.append(out_of_range("min_step_coverage", question.min_step_coverage,
                                         0, 1, DEFAULT_MIN_STEP_COVERAGE))
        if not MIN_STEPS <= question.max_steps <= MAX_STEPS:
            problems.append(out_of_range("max_steps", question.max_steps, MIN_STEPS, MAX_STEPS,
                                         DEFAULT_MAX_STEPS, whole=True))
        source_code = None
        if question.from_profile is not None:
            source_code = self._resolve(NodeLabel.JOB_PROFILE, question.from_profile,
                                        model.profiles)
            if source_code is None:
                problems.append(FieldProblem("from_profile", N_("unknown job profile"),
                                             question.from_profile))
            elif source_code == target_code:
                problems.append(FieldProblem("from_profile",
                                             N_("the start is already the target"),
                                             question.from_profile))
        held = (self._competencies(question.competencies, model, problems)
                if question.competencies is not None else None)
        if problems:
            raise InvalidInput(problems)
        return replace(question, target_profile=target_code, from_profile=source_code,
                       competencies=held)

    def _competencies(self, given: dict[str, str], model: CareersModel,
                      problems: list[FieldProblem]) -> dict[str, str]:
        """``{stored code: proficiency code}``; unknown codes and proficiencies are problems
        (a code named twice in different cases keeps the highest proficiency)."""
        if not given:
            problems.append(FieldProblem("competencies", N_("the competency profile is empty")))
        misses = [c for c in given if c not in model.competencies]
        found = {c: c for c in given if c in model.competencies}
        found.update(CodeResolver(self.store).many(NodeLabel.COMPETENCY, misses) if misses
                     else {})
        held: dict[str, pf.Proficiency] = {}
        for code, name in sorted(given.items()):
            if code not in found:
                problems.append(FieldProblem(where("competencies", code),
                                             N_("unknown competency code"), code))
            try:
                level = pf.parse_proficiency(name)
            except pf.UnknownProficiency:
                problems.append(pf.proficiency_problem(where("competencies", code), name))
                continue
            canonical = found.get(code)
            if canonical is not None and held.get(canonical, 0) < level:
                held[canonical] = level
        return {c: p.code for c, p in sorted(held.items())}

    @one_read
    def plan(self, question: PlanQuestion) -> dict[str, Any]:
        asked = self._canonical(question)
        return self._memoised(asked.key(), lambda model, graph: self._plan(model, graph, asked))

    @one_read
    def plan_json(self, question: PlanQuestion) -> bytes:
        asked = self._canonical(question)
        return self._serialised(asked.key(), lambda: self._memoised(
            asked.key(), lambda model, graph: self._plan(model, graph, asked)))

    def _plan(self, model: CareersModel, graph: MappingGraph,
              question: PlanQuestion) -> dict[str, Any]:
        if question.competencies is not None:
            holder = {c: pf.parse_proficiency(p) for c, p in question.competencies.items()}
        else:
            holder = dict(model.profiles[question.from_profile or ""].requirements)
        lang = question.lang
        words = Words(lang)  # the answer's sentences in its language
        exclude = [question.from_profile] if question.from_profile else []
        found = self._core(("plan", *question.key()), lambda: cr.plan_career(
            holder, question.target_profile, model.index, model.offers,
            min_step_coverage=question.min_step_coverage, max_steps=question.max_steps,
            exclude=exclude, providers=model.providers), model)
        placements = Placements(graph)
        answer: dict[str, Any] = {
            "from_profile": question.from_profile, "target_profile": question.target_profile,
            "competencies": question.competencies,
            "holder_size": len(holder), "min_step_coverage": question.min_step_coverage,
            "max_steps": question.max_steps, "rule": words(PLAN_RULE)}
        target = model.profiles[question.target_profile]
        if isinstance(found, cr.NoPlan):
            return {**answer, "plan": None, "reason": {
                "detail": words(found.reason, **(found.reason_params or {})),
                "exhausted": found.exhausted,
                "unprovided": [_gap(model, g, lang) for g in found.unprovided]},
                **_notice([target.status, *_requirement_statuses(target)], lang)}
        steps, statuses = [], []
        for step in found.steps:
            profile = model.profiles[step.profile]
            placed = placements.of(profile.level)
            steps.append({
                "profile": self._profile_ref(model, profile, lang, placed),
                "coverage_before_training": step.coverage,
                "gaps": [_gap(model, g, lang) for g in step.gaps],
                "training": _training(model, step.training, lang),
                "not_closable": [_gap(model, g, lang) for g in step.not_closable],
                "cost": step.cost, "cumulative_cost": step.cumulative_cost})
            statuses += [profile.status, *_requirement_statuses(profile),
                         *_training_statuses(model, step.training)]
            if placed:
                statuses.append(placed.get("evidence_status"))
        unclosed = found.not_closable
        return {**answer, "plan": {
            "steps": steps, "total_cost": found.total_cost, "cost_unit": found.cost_unit,
            "unpriced_courses": [_named(c) for c in found.unpriced],
            "unpriced_note": (words(UNPRICED_NOTE, n=len(found.unpriced)) if found.unpriced
                              else None),
            "moves": len(steps), "not_closable": unclosed,
            "closable_by_training": found.closable_by_training,
            "note": words(NOT_CLOSABLE_NOTE, n=unclosed) if unclosed else None},
            "reason": None, **_notice(statuses, lang)}

    # ------------------------------------------------------------------ succession
    def _successors_key(self, code: str, limit: int, administration: str | None,
                        lang: str) -> tuple[Any, ...]:
        model = self._model()
        found = self._resolve(NodeLabel.JOB_PROFILE, code, model.profiles)
        if found is None:
            raise NotFound("JobProfile", code)
        problems: list[FieldProblem] = []
        if not 1 <= limit <= MAX_SUCCESSORS:
            problems.append(FieldProblem("limit", N_("must be between 1 and %(max)s"), limit,
                                         params={"max": MAX_SUCCESSORS}))
        admin = self._administration(model, administration, problems)
        if problems:
            raise InvalidInput(problems)
        return ("successors", found, limit, admin, lang)

    @one_read
    def successors(self, code: str, limit: int = 10, administration: str | None = None,
                   lang: str = "en") -> dict[str, Any]:
        key = self._successors_key(code, limit, administration, lang)
        return self._memoised(key, lambda model, graph: self._successors(model, graph, *key[1:]))

    @one_read
    def successors_json(self, code: str, limit: int = 10, administration: str | None = None,
                        lang: str = "en") -> bytes:
        key = self._successors_key(code, limit, administration, lang)
        return self._serialised(key, lambda: self._memoised(
            key, lambda model, graph: self._successors(model, graph, *key[1:])))

    def _successors(self, model: CareersModel, graph: MappingGraph, code: str, limit: int,
                    administration: str | None, lang: str) -> dict[str, Any]:
        target = model.profiles[code]
        exclude = ([p.code for p in model.profiles.values()
                    if p.administration != administration] if administration else [])
        requirements = pf.TargetRequirements(target.code, target.name, target.requirements)
        ranked = self._core(("successors", code, limit, administration), lambda: cr.rank_successors(
            requirements, model.holders, limit=limit, exclude=exclude), model.version)
        train = self._trainer(model)
        placements = Placements(graph)
        results = []
        statuses = [target.status, *_requirement_statuses(target)]
        for s in ranked:
            holder = model.profiles[s.holder.code]
            report = s.coverage
            training = train(tuple(report.gaps))
            results.append({
                "profile": self._profile_ref(model, holder, lang, placements.of(holder.level)),
                "coverage": report.score, "required": report.required, "met": report.met,
                "partial": report.partial, "missing": report.missing,
                "gaps": [_gap(model, g, lang) for g in report.gaps],
                "training": _training(model, training, lang)})
            statuses += [holder.status, *_requirement_statuses(holder),
                         *_training_statuses(model, training)]
        return {"profile": self._profile_ref(model, target, lang, placements.of(target.level)),
                "administration": administration, "results": results, "total": len(results),
                "score_definition": Words(lang)(SCORE_DEFINITION),
                **_notice(statuses, lang)}
