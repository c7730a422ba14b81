"""The CQF table of equivalence: one row per CQF level, computed from the graph.

Columns: the level's academic recognition (EQF, ISCED 2011, QF-EHEA cycle; chosen national
frameworks; an administration's grades) from the equivalence engine with match type,
confidence, evidence and path; the PICARD tier; the job profiles, generic roles and tasks at
the level; per competency group the typical proficiency with the counts behind it and the
competencies most often required. Every cell says how it was derived and its weakest
evidence status; a table resting on illustrative data says so.

Answers are memoised per (question, load of the read model's profile side, content of the
mapping graph): a reload of either (on change, see ``app.graph.refresh_cache``) makes the
next answer fresh. The table reads no course: a write to courses (which updates the read
model's offers only) keeps it (``TABLE_PARTS``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import orjson

from app.domain import careers as cr
from app.domain import parts
from app.domain.errors import FieldProblem, InvalidInput
from app.domain.text import N_
from app.domain.vocab import EvidenceStatus, NodeLabel, weakest_status
from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.services.careers.read_model import (
    CQF,
    AnswerMemo,
    CareersModel,
    CareersModelCache,
    KnownCodes,
    PinnedReads,
    Placements,
    Profile,
    equivalence_cells,
    fingerprint,
    one_read,
)
from app.services.catalog.codes import CodeResolver
from app.services.equivalence.answers import MappingGraph, MappingGraphCache
from app.services.messages import Words

TABLE_PARTS = (parts.CATALOGUE, parts.PROFILES, parts.LEVELS, parts.MAPPINGS)
ACADEMIC = (("eqf", "EQF"), ("isced", "ISCED-2011"), ("qf_ehea", "QF-EHEA"))
BACHELOR_EQF, MASTER_EQF = 6, 7
TIER_BY_EQF = (("OPERATIONAL", BACHELOR_EQF, BACHELOR_EQF), ("STRATEGIC", MASTER_EQF, 8))

# How each column is derived, in the API's technical wording (the answer's ``definitions`` and
# each cell's ``derivation``): msgids, so the answer gives them in its language.
DEFINITIONS = {
    "equivalence": N_("levels of the framework the equivalence engine reaches from the CQF "
                      "level (accepted mappings, composed through pivots such as EQF), best "
                      "first; each with SKOS match type, confidence (product along the path) "
                      "and the mapping ids of its path; evidence = the weakest mapping on the "
                      "path"),
    "picard_tier": N_("PICARD tier paired with the EQF level the CQF level reaches: EQF 6 "
                      "(bachelor) -> operational tier, EQF 7-8 (master and above) -> strategic "
                      "tier. The WCO presents the Standards as a foundation for bachelor's and "
                      "master's education; the pairing is an interpretation, so the cell is at "
                      "most 'unverified'"),
    "job_profiles": N_("profiles whose level is this CQF level (AT_LEVEL), or whose level (e.g. "
                       "an administration grade) the equivalence engine places here (best "
                       "equivalence to the CQF); evidence = the weakest of the profiles and, "
                       "for placed ones, of the placement path"),
    "generic_roles": N_("the generic roles of the profiles at this level"),
    "tasks": N_("professional tasks performed (PERFORMS) by the profiles at this level, by the "
                "number of those profiles performing them, most first"),
    "typical_proficiency": N_("per competency group: the median of the proficiencies of the "
                              "requirements (REQUIRES) from the profiles at this level to the "
                              "group's competencies; with an even count the lower median, so "
                              "the value always occurs; the counts of requirements and of "
                              "profiles behind it are given"),
    "top_competencies": N_("per competency group, the competencies most often required by the "
                           "profiles at this level (at most 3, by number of profiles, then "
                           "code)"),
}
# Why a cell is empty (its ``derivation`` then).
NO_EQUIVALENCE = N_("no equivalence known: no accepted mapping path from %(level)s to "
                    "%(framework)s")
NO_TIER = N_("no PICARD tier: the level reaches no EQF level from 6 up")
NO_PROFILE = N_("no job profile is placed at this level")
NO_TASK = N_("no task is performed by the profiles at this level")
NO_REQUIREMENT = N_("no profile at this level requires a competency of this group")
# How each column is derived, for people (the page's "How each column is derived" and the
# downloads' column descriptions, in the reader's language); DEFINITIONS above are the API's
# technical wording.
PLAIN = {
    "equivalence": N_("The levels that reviewed level-to-level correspondences lead to from "
                      "the CQF level, directly or through the EQF, best first. Each "
                      "correspondence is only as strong as its weakest link, and its evidence "
                      "is the weakest of the sources along the way."),
    "picard_tier": N_("The operational tier where the CQF level corresponds to EQF level 6 "
                      "(bachelor), the strategic tier where it corresponds to EQF level 7 or 8 "
                      "(master and above). The WCO presents the PICARD Standards as a "
                      "foundation for bachelor's and master's education; the pairing is this "
                      "service's reading, so it is never shown as verified."),
    "job_profiles": N_("The job profiles set at this CQF level, and those whose grade in an "
                       "administration corresponds to it."),
    "generic_roles": N_("The generic roles of the job profiles at this level."),
    "tasks": N_("The tasks the job profiles at this level perform, the most shared first."),
    "typical_proficiency": N_("For each competency group, the middle value of the "
                              "proficiencies the job profiles at this level require (with an "
                              "even number, the lower of the two middle values, so it is "
                              "always a value that occurs). The evidence gives how many "
                              "requirements and profiles it rests on, and the competencies "
                              "most often required."),
    "top_competencies": N_("The competencies of the group the job profiles at this level "
                           "require most often (at most three)."),
}
ILLUSTRATIVE_NOTICE = N_(
    "Illustrative: this table rests on illustrative data (marked 'illustrative' in the "
    "evidence of its cells) - the CQF level scale and the job profiles are invented for "
    "demonstration. It shows how the table is derived, not an endorsed equivalence."
)


@dataclass(frozen=True)
class TableQuestion:
    frameworks: tuple[str, ...] = ()
    administration: str | None = None
    lang: str = "en"
    base_iri: str | None = None  # for the levels' IRIs (the CSVW rows' subjects)


def _cell(values: list[dict[str, Any]], derivation: str, statuses: Iterable[Any]) -> dict[str, Any]:
    return {"values": values, "derivation": derivation, "evidence_status": weakest_status(statuses)}


class CqfTableMemo(AnswerMemo):
    """The last tables per question (see ``AnswerMemo``). One table is built at a time: at
    the ESCO size a build costs seconds of CPU, and a request arriving while the start-up
    warm-up (or another request) builds the same table waits for it instead of building it
    again beside it."""

    def __init__(self, size: int = 64) -> None:
        super().__init__(size=size)
        self.building = threading.Lock()
        # Per row, the competency-group cells of the profiles placed at a level (nine tenths
        # of a build at the ESCO size): they rest on the profile side and on which profiles
        # sit at the level, not on the mappings, so a table rebuilt after a mapping write
        # reuses the rows whose profiles did not move.
        self.groups = AnswerMemo(size=16 * size)
        self.requirements = ProfileRequirements()


class ProfileRequirements:
    """Each profile's requirements as the group cells aggregate them, for one load of the
    profile side of the careers model: a mapping write moves profiles between levels, not
    their requirements, and making these objects again was two thirds of recomputing a
    moved level's group cells (with 3,000 profiles of about 40 requirements each)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: str | None = None
        self._by_profile: dict[str, tuple[cr.Requirement, ...]] = {}

    def of(self, model: CareersModel, profile: Profile) -> tuple[cr.Requirement, ...]:
        with self._lock:
            if self._version != model.version:
                self._version, self._by_profile = model.version, {}
            found = self._by_profile.get(profile.code)
        if found is None:
            found = tuple(cr.Requirement(profile.code, c, model.groups.get(c), level,
                                         profile.requirement_status.get(c))
                          for c, level in profile.requirements.items())
            with self._lock:
                if self._version == model.version:
                    self._by_profile[profile.code] = found
        return found



class CqfTableService:
    def __init__(self, store: GraphStore, models: CareersModelCache,
                 mappings: MappingGraphCache, memo: CqfTableMemo) -> None:
        self.store = store
        self.models = models
        self.mappings = mappings
        self.memo = memo
        self._pins = PinnedReads()

    def _models(self) -> tuple[CareersModel, MappingGraph]:
        """The careers model and the mapping graph, once per answer (``PinnedReads``)."""
        return (self._pins.get("model", lambda: self.models.get(self.store, needs=TABLE_PARTS)),
                self._pins.get("graph", lambda: self.mappings.get(self.store)))

    def _resolve(self, label: NodeLabel, typed: str, known: Any) -> str | None:
        """The stored code: itself when known (no query), else any case via the resolver."""
        return typed if typed in known else CodeResolver(self.store).find(label, typed)

    def _check(self, question: TableQuestion, model: CareersModel,
               graph: MappingGraph) -> tuple[TableQuestion, str | None]:
        """The question with stored codes (typed in any case) and the administration's grade
        scale, or one ``InvalidInput`` naming every problem."""
        problems = []
        frameworks: list[str] = []
        known = KnownCodes(model.labels, "Framework", also=graph.frameworks)
        for typed in question.frameworks:
            code = self._resolve(NodeLabel.FRAMEWORK, typed, known)
            if code is None:
                problems.append(FieldProblem("frameworks", N_("unknown framework"), typed))
            elif code == CQF:
                problems.append(FieldProblem("frameworks",
                                             N_("the CQF is the table's own scale"), typed))
            elif code not in frameworks:
                frameworks.append(code)
        scale, administration = None, question.administration
        if administration is not None:
            administration = self._resolve(NodeLabel.ADMINISTRATION, administration,
                                           KnownCodes(model.labels, "Administration"))
            admin = model.labels.get(("Administration", administration or ""))
            if admin is None:
                problems.append(FieldProblem("administration", N_("unknown administration"),
                                             question.administration))
            elif not admin.get("scale"):
                problems.append(FieldProblem("administration",
                                             N_("this administration has no grade scale"),
                                             question.administration))
            else:
                scale = admin["scale"]
        if problems:
            raise InvalidInput(problems)
        return replace(question, frameworks=tuple(frameworks),
                       administration=administration), scale

    @one_read
    def table_json(self, question: TableQuestion) -> bytes:
        """The JSON answer serialised once per table (it lists every profile of each level:
        at the ESCO size the serialisation would cost more than the cached table)."""
        model, graph = self._models()
        question, _ = self._check(question, model, graph)
        return self.memo.get_or_build(("json", question),
                                      lambda: orjson.dumps(self.table(question)),
                                      model.version, fingerprint(graph))

    @one_read
    def table(self, question: TableQuestion) -> dict[str, Any]:
        model, graph = self._models()
        question, scale = self._check(question, model, graph)
        version = fingerprint(graph)
        cached = self.memo.get(question, model.version, version)
        if cached is not None:
            return cached
        with self.memo.building:
            cached = self.memo.get(question, model.version, version)  # built meanwhile
            if cached is not None:
                return cached
            answer = _Builder(model, graph, question, scale, self.memo.groups,
                              self.memo.requirements).build()
            return self.memo.keep(question, answer, model.version, version)


class _Builder:
    def __init__(self, model: CareersModel, graph: MappingGraph, question: TableQuestion,
                 scale: str | None, groups: AnswerMemo,
                 requirements: ProfileRequirements) -> None:
        self.model, self.graph, self.q, self.scale = model, graph, question, scale
        self.groups_memo = groups
        self.requirements = requirements
        self.lang = question.lang
        self.words = Words(self.lang)  # the answer's sentences in its language
        placements = Placements(graph)
        self.at_level: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
        for profile in model.profiles.values():
            placed = placements.of(profile.level)
            if placed is not None:
                self.at_level.setdefault(placed["level"], []).append((profile, placed))

    def build(self) -> dict[str, Any]:
        levels = sorted((row for (kind, _), row in self.model.labels.items()
                         if kind == "Level" and row.get("framework") == CQF),
                        key=lambda r: (r.get("ordinal") or 0, r["code"]))
        groups = sorted(code for (kind, code) in self.model.labels if kind == "CompetencyGroup")
        rows = [self._row(level, groups) for level in levels]
        statuses = [c["evidence_status"] for row in rows for c in _cells(row)
                    if c["evidence_status"]]
        evidence = weakest_status(statuses)
        return {
            "lang": self.lang, "frameworks": list(self.q.frameworks),
            "administration": self.q.administration, "administration_scale": self.scale,
            "evidence_status": evidence, "illustrative": evidence == EvidenceStatus.ILLUSTRATIVE,
            "notice": (self.words(ILLUSTRATIVE_NOTICE)
                       if evidence == EvidenceStatus.ILLUSTRATIVE else None),
            "groups": [self.model.label("CompetencyGroup", g, self.lang) for g in groups],
            "definitions": {key: self.words(text) for key, text in DEFINITIONS.items()},
            "rows": rows, "total": len(rows),
        }

    def _level_label(self, code: str) -> dict[str, Any]:
        label = self.model.label("Level", code, self.lang)
        return {**label, "ordinal": self.graph.levels.get(code, {}).get("ordinal")}

    def _equivalence(self, level: str, framework: str) -> dict[str, Any]:
        found = equivalence_cells(self.graph, level, framework)
        values = [{**self._level_label(f["level"]), **f} for f in found]
        derivation = (self.words(DEFINITIONS["equivalence"]) if found else
                      self.words(NO_EQUIVALENCE, level=level, framework=framework))
        return _cell(values, derivation, [f["evidence_status"] for f in found])

    def _tier(self, eqf: dict[str, Any]) -> dict[str, Any]:
        values, statuses = [], []
        for found in eqf["values"]:
            ordinal = found.get("ordinal")
            for tier, low, high in TIER_BY_EQF:
                if ordinal is not None and low <= ordinal <= high:
                    label = self.model.label("PicardStandard", tier, self.lang)
                    if label["code"] not in [v["code"] for v in values]:
                        values.append({**label, "via": found["level"]})
                        statuses += [found["evidence_status"], EvidenceStatus.UNVERIFIED]
        derivation = self.words(DEFINITIONS["picard_tier"] if values else NO_TIER)
        return _cell(values, derivation, statuses)

    def _row(self, level: dict[str, Any], groups: list[str]) -> dict[str, Any]:
        code = level["code"]
        iri = (str(Iris(self.q.base_iri).entity(NodeLabel.LEVEL, code)) if self.q.base_iri
               else None)
        row: dict[str, Any] = {"level": {**self._level_label(code), "iri": iri,
                                         "evidence_status": level.get("status")}}
        for key, framework in ACADEMIC:
            row[key] = self._equivalence(code, framework)
        row["picard_tier"] = self._tier(row["eqf"])
        row["national"] = {fw: self._equivalence(code, fw) for fw in self.q.frameworks}
        row["administration"] = (self._equivalence(code, self.scale) if self.scale else None)
        members = sorted(self.at_level.get(code, []), key=lambda pp: pp[0].code)
        row.update(self._people(members))
        row["competency_groups"] = self._kept_groups(code, members, groups)
        return row

    def _kept_groups(self, level: str, members: list[tuple[Any, dict[str, Any]]],
                     groups: list[str]) -> dict[str, Any]:
        key = (level, self.lang, tuple(p.code for p, _ in members), tuple(groups))
        return self.groups_memo.get_or_build(key, lambda: self._groups(members, groups),
                                             self.model.version)

    def _people(self, members: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
        profiles, statuses = [], []
        for profile, placed in members:
            through = None if placed["hops"] == 0 else {
                "from_level": placed["from_level"], "match_type": placed["match_type"],
                "path": placed["path"], "evidence_status": placed["evidence_status"]}
            profiles.append({**self.model.label("JobProfile", profile.code, self.lang),
                             "name": profile.name_fr if self.lang == "fr" and profile.name_fr
                             else profile.name,
                             "name_lang": "fr" if self.lang == "fr" and profile.name_fr
                             else "en",
                             "evidence_status": profile.status, "placed_through": through})
            statuses += [profile.status] + ([placed["evidence_status"]] if through else [])
        roles = sorted({p.generic_role for p, _ in members if p.generic_role})
        role_cells = [self.model.label("GenericRole", r, self.lang) for r in roles]
        aggregate = cr.aggregate_level([], {p.code: p.tasks for p, _ in members})
        tasks = [{**self.model.label("ProfessionalTask", t, self.lang), "profiles": n}
                 for t, n in aggregate.tasks]
        task_status = [self.model.labels.get(("ProfessionalTask", t), {}).get("status")
                       for t, _ in aggregate.tasks]
        w = self.words
        return {
            "job_profiles": _cell(profiles, w(DEFINITIONS["job_profiles"] if profiles
                                              else NO_PROFILE), statuses),
            "generic_roles": _cell(role_cells, w(DEFINITIONS["generic_roles"] if roles
                                                 else NO_PROFILE),
                                   [self.model.labels.get(("GenericRole", r), {}).get("status")
                                    for r in roles]),
            "tasks": _cell(tasks, w(DEFINITIONS["tasks"] if tasks else NO_TASK),
                           task_status + statuses),
        }

    def _groups(self, members: list[tuple[Any, dict[str, Any]]],
                groups: list[str]) -> dict[str, Any]:
        reqs = [r for p, _ in members for r in self.requirements.of(self.model, p)]
        aggregate = cr.aggregate_level(reqs, {})
        out = {}
        for group in groups:
            found = aggregate.groups.get(group)
            if found is None:
                out[group] = {"typical_proficiency": None, "requirements": 0, "profiles": 0,
                              "top_competencies": [], "evidence_status": None,
                              "derivation": self.words(NO_REQUIREMENT)}
                continue
            out[group] = {
                "typical_proficiency": found.median.code, "requirements": found.requirements,
                "profiles": found.profiles,
                "top_competencies": [{**self.model.label("Competency", c, self.lang),
                                      "profiles": n} for c, n in found.top_competencies],
                "evidence_status": weakest_status(found.statuses),
                "derivation": self.words(DEFINITIONS["typical_proficiency"]),
            }
        return out


def _cells(row: dict[str, Any]) -> list[dict[str, Any]]:
    cells = [row[k] for k, _ in ACADEMIC] + [row["picard_tier"], row["job_profiles"],
                                             row["generic_roles"], row["tasks"]]
    cells += list(row["national"].values()) + list(row["competency_groups"].values())
    if row["administration"]:
        cells.append(row["administration"])
    return cells + [row["level"]]
