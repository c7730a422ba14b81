"""Portability and gap-analysis use cases: who can move where, what is missing, which
training closes it. Scoring is the pure domain's; this module loads candidates, validates
input against the graph, and places targets on the CQF/EQF through the equivalence engine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.domain import equivalence as eq
from app.domain import parts
from app.domain import portability as pf
from app.domain.errors import FieldProblem, InvalidInput, NotFound, out_of_range, where
from app.domain.text import N_
from app.domain.vocab import EvidenceStatus, MatchType, NodeLabel, counted_review_statuses
from app.graph.cypher.careers import portability as q
from app.graph.port import GraphStore
from app.graph.refresh_cache import RefreshingCache, counts
from app.graph.sections import read_sections
from app.services.careers.evidence import evidence_members
from app.services.catalog.codes import CodeResolver
from app.services.equivalence.answers import (
    MappingGraph,
    MappingGraphCache,
    path_step,
    weakest_evidence,
)
from app.services.messages import Words

PIVOTS = ("CQF", "EQF")
CANDIDATE_PARTS = (parts.CATALOGUE, parts.PROFILES, parts.LEVELS)


@dataclass(frozen=True)
class Candidates:
    """Every job profile with its requirements, indexed once for repeated ranking."""

    targets: dict[str, pf.TargetRequirements]
    index: pf.TargetIndex
    families: dict[str, list[str]]
    statuses: dict[str, str]
    competency_names: dict[str, str]


def load_candidates(store: GraphStore) -> Candidates:
    targets: dict[str, pf.TargetRequirements] = {}
    families: dict[str, list[str]] = {}
    statuses: dict[str, str] = {}
    read = read_sections(store, q.CANDIDATES)  # one statement on Neo4j
    for row in read["profiles"]:
        requirements = {code: proficiency for code, proficiency in row["reqs"]}
        targets[row["code"]] = pf.TargetRequirements(
            row["code"], row["name"], requirements, administration=row["administration"],
            level=row["level"])
        families[row["code"]] = sorted(row["families"])
        statuses[row["code"]] = row["status"]
    names = {r["code"]: r["name"] for r in read["names"]}
    return Candidates(targets, pf.TargetIndex(targets.values()), families, statuses, names)


def candidates_signature(store: GraphStore) -> tuple[int, ...]:
    return counts(store, q.CANDIDATES_SIGNATURE)


class CandidateCache(RefreshingCache[Candidates]):
    """Per-process cache of the candidate index (profiles change rarely), refreshed in the
    background once older than ``ttl`` (see ``app.graph.refresh_cache``)."""

    def __init__(self, ttl: float = 5.0) -> None:
        super().__init__(load_candidates, ttl, "portability-candidates",
                         signature=candidates_signature, parts=CANDIDATE_PARTS)


@dataclass(frozen=True)
class Offers:
    """Every course offer, twice (counting accepted mappings only, and proposed ones too),
    each indexed by the competencies it develops: a training plan only looks at the courses
    that develop one of the gaps (the same plan as from every course, without scanning them
    all for every target)."""

    accepted: dict[str, list[pf.CourseOffer]]
    with_proposed: dict[str, list[pf.CourseOffer]]

    def for_gaps(self, gaps: tuple[pf.Gap, ...], include_proposed: bool) -> list[pf.CourseOffer]:
        index = self.with_proposed if include_proposed else self.accepted
        seen: dict[str, pf.CourseOffer] = {}
        for gap in gaps:
            for offer in index.get(gap.competency, ()):
                seen.setdefault(offer.code, offer)
        return [seen[code] for code in sorted(seen)]


def load_offers(store: GraphStore) -> Offers:
    views: tuple[dict[str, list[pf.CourseOffer]], ...] = ({}, {})
    for row in store.read(q.COURSE_OFFERS, {"statuses": counted_review_statuses(True)}):
        for view, statuses in zip(views, map(counted_review_statuses, (False, True)),
                                  strict=True):
            develops: dict[str, pf.Proficiency] = {}
            for code, proficiency, review_status in row["develops"]:
                if review_status in statuses:
                    level = pf.parse_proficiency(proficiency)
                    develops[code] = max(develops.get(code, level), level)
            if not develops:
                continue
            offer = pf.CourseOffer(row["code"], row["name"], row["institution"],
                                   row["programme"], row["ects"], develops)
            for code in develops:
                view.setdefault(code, []).append(offer)
    return Offers(*views)


def offers_signature(store: GraphStore) -> tuple[int, ...]:
    return counts(store, q.OFFERS_SIGNATURE)


class OfferCache(RefreshingCache[Offers]):
    """Per-process cache of the course offers behind ``with_training`` (read on every such
    request before), refreshed like the candidate index."""

    def __init__(self, ttl: float = 5.0) -> None:
        super().__init__(load_offers, ttl, "course-offers", signature=offers_signature,
                         parts=(parts.COURSES,))


MAX_LIMIT = 100


@dataclass(frozen=True)
class PortabilityQuestion:
    from_profile: str | None
    competencies: dict[str, str] | None
    administration: str | None = None
    job_family: str | None = None
    min_coverage: float = 0.0
    limit: int = 10
    with_training: bool = False
    include_proposed: bool = False
    lang: str = "en"  # the answer's sentences' language (codes and field names stay)


class PortabilityService:
    def __init__(self, store: GraphStore, candidates: CandidateCache,
                 mappings: MappingGraphCache, offers: OfferCache | None = None) -> None:
        self.store = store
        self.candidates = candidates
        self.mappings = mappings
        self.offers = offers or OfferCache(0)

    # ------------------------------------------------------------------ validation
    def _holder(self, question: PortabilityQuestion,
                pool: Candidates) -> tuple[dict[str, pf.Proficiency], str | None,
                                           PortabilityQuestion]:
        """The holder's profile, the source profile's canonical code, and the question with
        every typed code made canonical (codes in any case)."""
        problems: list[FieldProblem] = []
        codes = CodeResolver(self.store)
        if (question.from_profile is None) == (question.competencies is None):
            problems.append(FieldProblem(
                "body", N_("give exactly one of from_profile or competencies")))
        if not 0.0 <= question.min_coverage <= 1.0:
            problems.append(out_of_range("min_coverage", question.min_coverage, 0, 1, 0.5))
        if not 1 <= question.limit <= MAX_LIMIT:
            problems.append(out_of_range("limit", question.limit, 1, MAX_LIMIT, 10, whole=True))
        question = self._check_filters(question, problems, codes)
        holder: dict[str, pf.Proficiency] = {}
        code: str | None = None
        if question.from_profile is not None:
            typed = question.from_profile
            code = typed if typed in pool.targets else codes.find(NodeLabel.JOB_PROFILE, typed)
            source = pool.targets.get(code or "")
            if source is None:
                problems.append(FieldProblem("from_profile", N_("unknown job profile"), typed))
            elif not source.requirements:
                problems.append(FieldProblem("from_profile",
                                             N_("this job profile has no requirements"), typed))
            else:
                holder = dict(source.requirements)
        if question.competencies is not None:
            holder = self._given(question.competencies, pool, codes, problems)
        if problems:
            raise InvalidInput(problems)
        return holder, (code if question.from_profile is not None else None), question

    def _given(self, given: dict[str, str], pool: Candidates, codes: CodeResolver,
               problems: list[FieldProblem]) -> dict[str, pf.Proficiency]:
        """An officer's own profile by stored code; unknown codes and names are problems."""
        if not given:
            problems.append(FieldProblem("competencies", N_("the competency profile is empty")))
        misses = [c for c in given if c not in pool.competency_names]
        found = {c: c for c in given if c in pool.competency_names}
        found.update(codes.many(NodeLabel.COMPETENCY, misses) if misses else {})
        for code in sorted(given):
            if code not in found:
                problems.append(FieldProblem(where("competencies", code),
                                             N_("unknown competency code"), code))
        canonical: dict[str, str] = {}
        for code, name in sorted(given.items()):
            try:
                level = pf.parse_proficiency(name)
            except (pf.UnknownProficiency, AttributeError):
                problems.append(pf.proficiency_problem(where("competencies", code), name))
                continue
            if code in found:
                canonical[found[code]] = level.code
        return dict(pf.parse_profile(canonical))

    def _check_filters(self, question: PortabilityQuestion, problems: list[FieldProblem],
                       codes: CodeResolver) -> PortabilityQuestion:
        administration, family = question.administration, question.job_family
        if administration:
            administration = codes.find(NodeLabel.ADMINISTRATION, administration)
            if administration is None:
                problems.append(FieldProblem("administration", N_("unknown administration"),
                                             question.administration))
        if family:
            family = codes.find(NodeLabel.JOB_FAMILY, family)
            if family is None:
                problems.append(FieldProblem("job_family", N_("unknown job family"),
                                             question.job_family))
        return replace(question, administration=administration or question.administration,
                       job_family=family or question.job_family)

    # ------------------------------------------------------------------ answers
    def portability(self, question: PortabilityQuestion) -> dict[str, Any]:
        pool = self.candidates.get(self.store)
        holder, source, question = self._holder(question, pool)
        exclude = {c for c, t in pool.targets.items()
                   if not self._selected(c, t, question, pool)} \
            if question.administration or question.job_family else set()
        if source:
            exclude.add(source)
        ranked = pf.rank_targets(holder, pool.index, min_coverage=question.min_coverage,
                                 limit=question.limit, exclude=exclude)
        graph = self.mappings.get(self.store)
        source_target = pool.targets.get(source) if source else None
        offers = self.offers.get(self.store) if question.with_training else None
        results = [self._result(r, pool, graph, source_target, offers, question.include_proposed)
                   for r in ranked]
        statuses = [pool.statuses.get(r.code) for r in ranked]
        statuses += [s for r in results for s in _course_statuses(r)]
        words = Words(question.lang)
        return {"from_profile": source, "holder_size": len(holder),
                "score_definition": words(SCORE_DEFINITION), "results": results,
                "total": len(results),
                "reason": None if results else self._why_empty(holder, pool, exclude, question),
                **evidence_members(statuses, question.lang)}

    @staticmethod
    def _why_empty(holder: dict[str, pf.Proficiency], pool: Candidates, exclude: set[str],
                   question: PortabilityQuestion) -> str:
        """Why no profile is answered: none left by the filters, or none covered enough."""
        best = pf.rank_targets(holder, pool.index, min_coverage=0.0, limit=1, exclude=exclude)
        words = Words(question.lang)
        if not best:
            return words(N_("no job profile matches the question's filters (administration, "
                            "job_family) other than the starting profile"))
        top = best[0]
        return words(N_("no job profile reaches min_coverage %(min)s; the best coverage is "
                        "%(best)s (%(code)s)"), min=f"{question.min_coverage:g}",
                     best=f"{top.coverage.score or 0:.4g}", code=top.code)

    @staticmethod
    def _selected(code: str, target: pf.TargetRequirements, question: PortabilityQuestion,
                  pool: Candidates) -> bool:
        if question.administration and target.administration != question.administration:
            return False
        return not (question.job_family and question.job_family not in pool.families[code])

    def _result(self, ranked: pf.RankedTarget, pool: Candidates, graph: MappingGraph,
                source: pf.TargetRequirements | None, offers: Offers | None,
                include_proposed: bool = False) -> dict[str, Any]:
        target, report = ranked.target, ranked.coverage
        result = {
            "profile": {"code": target.code, "name": target.name,
                        "administration": target.administration,
                        "families": pool.families[target.code],
                        "status": pool.statuses.get(target.code),
                        "illustrative":
                            pool.statuses.get(target.code) == EvidenceStatus.ILLUSTRATIVE},
            **self._coverage(report, pool),
            "level": self._placement(target.level, graph),
            "equivalence_from_source": self._cross_scale(source, target, graph),
            "training": None if offers is None else self._training(
                report.gaps, offers.for_gaps(report.gaps, include_proposed), pool),
        }
        return result

    @staticmethod
    def _coverage(report: pf.CoverageReport, pool: Candidates) -> dict[str, Any]:
        return {
            "coverage": report.score, "required": report.required, "met": report.met,
            "partial": report.partial, "missing": report.missing,
            "gaps": [{"code": g.competency,
                      "name": pool.competency_names.get(g.competency),
                      "required": g.required.code,
                      "held": g.held.code if g.held else None} for g in report.gaps],
        }

    @staticmethod
    def _best(graph: MappingGraph, level: str, framework: str) -> dict[str, Any] | None:
        """The best equivalent of ``level`` in ``framework``; kept with the loaded mapping
        graph (a ranking places up to 100 targets on two pivots and the source's scale,
        drawing on a few hundred distinct levels: a third of a cold answer's time)."""
        key = ("best", level, framework)
        if key in graph.memo:
            return graph.memo[key]
        found = eq.find_equivalences(graph.index, level, framework, ordinals=graph.ordinals)
        best = found.equivalences[0] if found.equivalences else None
        answer = None if best is None else {
            "level": best.target, "match_type": best.match_type.value,
            "confidence": round(best.confidence, 4), "hops": best.hops,
            "evidence_status": weakest_evidence(best.path),
            "path": [path_step(s) for s in best.path]}
        graph.memo[key] = answer
        return answer

    def _placement(self, level: str | None, graph: MappingGraph) -> dict[str, Any] | None:
        if level is None:
            return None
        placement: dict[str, Any] = {"code": level}
        for pivot in PIVOTS:
            own = eq.framework_of(level) == pivot
            placement[pivot.lower()] = ({"level": level, "match_type": MatchType.EXACT.value,
                                         "confidence": 1.0, "hops": 0, "path": []}
                                        if own else self._best(graph, level, pivot))
        return placement

    def _cross_scale(self, source: pf.TargetRequirements | None,
                     target: pf.TargetRequirements, graph: MappingGraph) -> dict[str, Any] | None:
        """Where the source profile's level lands on the target's scale, when they differ."""
        if source is None or not source.level or not target.level:
            return None
        target_framework = eq.framework_of(target.level)
        if eq.framework_of(source.level) == target_framework:
            return None
        return self._best(graph, source.level, target_framework)

    @staticmethod
    def _training(gaps: tuple[pf.Gap, ...], offers: list[pf.CourseOffer],
                  pool: Candidates) -> dict[str, Any]:
        plan = pf.recommend_training(gaps, offers)
        return {
            "cost_unit": plan.cost_unit, "total_cost": plan.total_cost,
            "courses": [{"code": c.course.code, "name": c.course.name,
                         "institution": c.course.institution, "programme": c.course.programme,
                         "ects": c.course.ects, "cost": c.cost,
                         "closes": [{"code": g.competency, "required": g.required.code}
                                    for g in c.closes]} for c in plan.courses],
            "unpriced_courses": [{"code": c.course.code, "name": c.course.name}
                                 for c in plan.unpriced],
            "uncovered": [{"code": g.competency,
                           "name": pool.competency_names.get(g.competency),
                           "required": g.required.code} for g in plan.uncovered],
        }

    def gap(self, from_code: str, to_code: str, lang: str = "en") -> dict[str, Any]:
        pool = self.candidates.get(self.store)
        codes = CodeResolver(self.store)
        if from_code not in pool.targets:
            from_code = codes.find(NodeLabel.JOB_PROFILE, from_code) or from_code
        if to_code not in pool.targets:
            to_code = codes.find(NodeLabel.JOB_PROFILE, to_code) or to_code
        for code in (from_code, to_code):
            if code not in pool.targets:
                raise NotFound("JobProfile", code)
        source, target = pool.targets[from_code], pool.targets[to_code]
        report = pf.gap_analysis(source.requirements, target.requirements)
        graph = self.mappings.get(self.store)

        def side(t: pf.TargetRequirements) -> dict[str, Any]:
            return {"code": t.code, "name": t.name, "administration": t.administration,
                    "required_competencies": len(t.requirements),
                    "level": self._placement(t.level, graph)}

        return {"from": side(source), "to": side(target), **self._coverage(report, pool),
                "equivalence_from_source": self._cross_scale(source, target, graph),
                "score_definition": Words(lang)(SCORE_DEFINITION),
                **evidence_members([pool.statuses.get(from_code), pool.statuses.get(to_code)],
                                   lang)}


SCORE_DEFINITION = N_(
    "coverage = mean over the target's required competencies of a credit: 1 when held at or "
    "above the required proficiency, held_rank/required_rank when held below, 0 when not held "
    "(ranks: aware 1, trained 2, advanced 3, expert 4); rounded to 4 decimals."
)


def _course_statuses(result: dict[str, Any]) -> list[str | None]:
    """The stated evidence of the courses a result's training uses."""
    training = result.get("training") or {}
    return [s for c in training.get("courses", []) if (s := c.get("evidence_status"))]
