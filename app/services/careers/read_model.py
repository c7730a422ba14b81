"""The read model behind the CQF table, career paths, plans and succession: every profile
with its requirements and tasks, competency groups, labels and course offers, indexed once.

Loaded through ``RefreshingCache`` (like portability's candidate index): a cheap signature
(counts of profiles, requirements, tasks, course mappings) decides whether a background
refresh reloads it; level mappings come from the equivalence engine's own cache. Profiles are
placed on the CQF through the equivalence engine (grade-scale profiles through their
administration's mappings).
"""

from __future__ import annotations

import functools
import threading
import uuid
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast

from app.domain import equivalence as eq
from app.domain import parts as pt
from app.domain import portability as pf
from app.domain.careers.ladder import offers_by_competency, relevant_offers
from app.domain.careers.plan import Providers
from app.domain.careers.succession import HolderIndex
from app.domain.vocab import MatchType, ReviewStatus
from app.graph.cypher.careers import paths as q
from app.graph.port import GraphStore
from app.graph.refresh_cache import RefreshingCache, counts
from app.graph.sections import read_sections
from app.services.equivalence.answers import MappingGraph, weakest_evidence

CQF = "CQF"


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    name_fr: str | None
    status: str | None
    administration: str | None
    generic_role: str | None
    level: str | None
    families: tuple[str, ...]
    requirements: dict[str, pf.Proficiency]
    requirement_status: dict[str, str | None]
    tasks: frozenset[str]


@dataclass(frozen=True)
class CareersModel:
    profiles: dict[str, Profile]
    competencies: dict[str, dict[str, Any]]
    labels: dict[tuple[str, str], dict[str, Any]]  # (label, code) -> name, name_fr, status
    offers: tuple[pf.CourseOffer, ...]
    index: pf.TargetIndex
    holders: HolderIndex
    providers: Providers
    groups: dict[str, str] = field(default_factory=dict)  # competency -> group
    offer_index: dict[str, list[pf.CourseOffer]] = field(default_factory=dict)
    course_status: dict[str, str | None] = field(default_factory=dict)  # evidence per course
    # Which load of the profile side this is (profiles, labels, levels): kept when only the
    # course offers are updated, so the answers that read no course (the CQF table) stay.
    version: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Which state of the course offers: a new one only when an offer really changed.
    offers_version: str = field(default_factory=lambda: uuid.uuid4().hex)

    def training(self, gaps: tuple[pf.Gap, ...]) -> pf.TrainingPlan:
        """Portability's least-cost training, over the offers that can matter only."""
        return pf.recommend_training(gaps, relevant_offers(gaps, self.offer_index))

    def label(self, kind: str, code: str, lang: str = "en") -> dict[str, Any]:
        """``{code, name, name_lang}``: French where the graph has it and it was asked for."""
        found = (self.competencies.get(code) if kind == "Competency"
                 else self.labels.get((kind, code))) or {}
        french = found.get("name_fr") if lang == "fr" else None
        return {"code": code, "name": french or found.get("name"),
                "name_lang": "fr" if french else "en"}

    def family_members(self, family: str) -> list[Profile]:
        return [p for p in self.profiles.values() if family in p.families]


class KnownCodes:
    """The codes of one kind of the read model's labels, for ``in`` tests that cost one
    dictionary look-up (a request checks its codes this way before any query; building a
    set of them would scan every label on every request)."""

    def __init__(self, labels: dict[tuple[str, str], dict[str, Any]], kind: str,
                 also: Any = ()) -> None:
        self.labels, self.kind, self.also = labels, kind, also

    def __contains__(self, code: object) -> bool:
        return (self.kind, code) in self.labels or code in self.also


def _profile(row: dict[str, Any]) -> Profile:
    reqs: dict[str, pf.Proficiency] = {}
    statuses: dict[str, str | None] = {}
    for code, proficiency, _group, status in row["reqs"]:
        reqs[code] = pf.parse_proficiency(proficiency)
        statuses[code] = status
    return Profile(row["code"], row["name"], row.get("name_fr"), row["status"],
                   row["administration"], row["generic_role"], row["level"],
                   tuple(sorted(row["families"])), reqs, statuses, frozenset(row["tasks"]))


OFFER_STATUSES = {"review_statuses": [ReviewStatus.ACCEPTED]}


def _offers(store: GraphStore, institutions: list[str],
            ) -> tuple[tuple[pf.CourseOffer, ...], dict[str, str | None]]:
    return _offer_rows(store.read(q.ACCEPTED_COURSES_OF,
                                  {**OFFER_STATUSES, "institutions": institutions}))


def _offer_rows(rows: list[dict[str, Any]],
                ) -> tuple[tuple[pf.CourseOffer, ...], dict[str, str | None]]:
    offers: list[pf.CourseOffer] = []
    statuses: dict[str, str | None] = {}
    for row in rows:
        statuses[row["code"]] = row.get("status")
        develops: dict[str, pf.Proficiency] = {}
        for code, proficiency in row["develops"]:
            level = pf.parse_proficiency(proficiency)
            develops[code] = max(develops.get(code, level), level)
        offers.append(pf.CourseOffer(row["code"], row["name"], row["institution"],
                                     row["programme"], row["ects"], develops))
    return tuple(offers), statuses


def load_model(store: GraphStore) -> CareersModel:
    """The whole model from two statements on Neo4j (``app.graph.sections``)."""
    read = read_sections(store, q.MODEL_RELATIONS, OFFER_STATUSES) \
        | read_sections(store, q.MODEL_NAMES)
    profiles = {p.code: p for p in map(_profile, read["profiles"])}
    competencies = {r["code"]: r for r in read["competencies"]}
    labels = {(row["label"], row["code"]): row for row in read["labelled"]}
    targets = [pf.TargetRequirements(p.code, p.name, p.requirements,
                                     administration=p.administration, level=p.level)
               for p in profiles.values()]
    index = pf.TargetIndex(targets)
    offers, course_status = _offer_rows(read["offers"])
    return CareersModel(profiles, competencies, labels, offers, index,
                        HolderIndex(targets), Providers(index),
                        {c: r["group"] for c, r in competencies.items() if r.get("group")},
                        offers_by_competency(offers), course_status)


def model_signature(store: GraphStore) -> tuple[int, ...]:
    return counts(store, q.SIGNATURE)


def offer_key(offer: pf.CourseOffer) -> tuple[Any, ...]:
    """What an answer reads of an offer (offers compare by identity)."""
    return (offer.code, offer.name, offer.institution, offer.programme, offer.ects,
            tuple(sorted((c, str(p)) for c, p in offer.develops.items())))


def update_offers(store: GraphStore, old: CareersModel,
                  changed: frozenset[str]) -> CareersModel | None:
    """After writes to some institutions' courses only: their offers read again, the rest
    of the model kept (``None``, a full load, when anything else moved). The same model
    when no offer changed (e.g. a course with proposed mappings only), so every answer
    kept for it stays."""
    if not changed or not all(p.startswith(pt.COURSES[:-1]) for p in changed):
        return None
    institutions = sorted(p.removeprefix(pt.COURSES[:-1]) for p in changed)
    fresh, fresh_status = _offers(store, institutions)
    asked = set(institutions)
    kept = tuple(o for o in old.offers if o.institution not in asked)
    if sorted(map(offer_key, fresh)) == sorted(
            offer_key(o) for o in old.offers if o.institution in asked) and all(
            old.course_status.get(c) == s for c, s in fresh_status.items()):
        return old
    offers = tuple(sorted(kept + fresh, key=lambda o: o.code))
    status = {c: s for c, s in old.course_status.items()
              if c in {o.code for o in kept}} | fresh_status
    return replace(old, offers=offers, offer_index=offers_by_competency(offers),
                   course_status=status, offers_version=uuid.uuid4().hex)


PARTS = (pt.CATALOGUE, pt.PROFILES, pt.LEVELS, pt.COURSES)


class CareersModelCache(RefreshingCache[CareersModel]):
    """Per-process cache of the careers read model, refreshed off the request path; a
    write to courses updates its offers only (``update_offers``)."""

    def __init__(self, ttl: float = 5.0) -> None:
        super().__init__(load_model, ttl, "careers-model", signature=model_signature,
                         parts=PARTS, update=update_offers)


# --------------------------------------------------------------------------- answers

R = TypeVar("R")


class PinnedReads:
    """The read models one answer rests on, each fetched once while that answer is computed
    (``with pins.answer(): ...``; outside it every fetch asks the cache). With nothing cached
    (``CQF_MAPPING_CACHE_SECONDS=0``) every fetch is a load from the store: an answer then
    loads each model once, and reads one state of it throughout."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def answer(self) -> Iterator[None]:
        if getattr(self._local, "found", None) is not None:  # an answer inside an answer
            yield
            return
        self._local.found = {}
        try:
            yield
        finally:
            self._local.found = None

    def get(self, name: str, fetch: Callable[[], R]) -> R:
        found: dict[str, Any] | None = getattr(self._local, "found", None)
        if found is None:
            return fetch()
        if name not in found:
            found[name] = fetch()
        return cast(R, found[name])


def one_read(method: Callable[..., R]) -> Callable[..., R]:
    """A service method that answers from one fetch of each read model (its ``_pins``)."""
    @functools.wraps(method)
    def answer(self: Any, *args: Any, **kwargs: Any) -> R:
        with self._pins.answer():
            return method(self, *args, **kwargs)
    return answer


class AnswerMemo:
    """Derived answers (a table, a ladder, a plan) kept per question and tied to the read
    models they were computed from: a reload of either cache (a change in the graph, see
    ``app.graph.refresh_cache``) makes the next answer fresh. A source is an object (compared by
    identity, through a weak reference so an id reused after a reload never matches) or a
    plain value such as a content fingerprint (compared by equality). Bounded, least
    recently used out."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.builds = 0  # answers computed and kept: what a test or a benchmark can count
        self.built_by_kind: Counter[Hashable] = Counter()  # the same, by a tuple key's head
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()
        # per question being built: its lock and how many callers hold or wait for it
        self._building: dict[Hashable, list[Any]] = {}

    @staticmethod
    def _token(source: object) -> Any:
        return source if isinstance(source, int | str | tuple) else weakref.ref(source)

    def get_or_build(self, key: Hashable, build: Callable[[], R], *sources: object) -> R:
        """The kept answer, else ``build()`` kept: callers asking the same question while it
        is built wait for that one build (16 readers meeting a changed graph would otherwise
        each build the same answer, side by side, on the one interpreter)."""
        found = self.get(key, *sources)
        if found is not None:
            return cast(R, found)
        with self._lock:
            entry = self._building.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                found = self.get(key, *sources)  # built while this caller waited
                if found is None:
                    found = self.keep(key, build(), *sources)
                return cast(R, found)
        finally:
            with self._lock:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._building[key]

    @staticmethod
    def _matches(token: Any, source: object) -> bool:
        if isinstance(token, weakref.ref):
            return token() is source
        return bool(token == source)

    def get(self, key: Hashable, *sources: object) -> Any | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None or len(found[0]) != len(sources) or not all(
                    self._matches(t, s) for t, s in zip(found[0], sources, strict=True)):
                return None
            self._answers.move_to_end(key)
            return found[1]

    def keep(self, key: Hashable, answer: Any, *sources: object) -> Any:
        tokens = tuple(self._token(s) for s in sources)
        with self._lock:
            self.builds += 1
            self.built_by_kind[key[0] if isinstance(key, tuple) and key else key] += 1
            self._answers[key] = (tokens, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer


class CareersMemo(AnswerMemo):
    """Career answers (see ``AnswerMemo``), and beside them the training of gaps over the
    offers that can close them: keyed by both, so an answer rebuilt after a course write
    computes again only the training whose candidate courses changed."""

    def __init__(self, size: int = 1024) -> None:
        super().__init__(size=size)
        self.training = AnswerMemo(size=8 * size)
        # The same trainings per (state of the offers, gaps): naming the courses that can
        # close a step's gaps cost more than the training itself with 100k course mappings
        # (1.3-1.5 s per career path after a level-mapping write, which changes no offer).
        self._training_now = AnswerMemo(size=8 * size)

    def trainer(self, model: CareersModel) -> Callable[[tuple[pf.Gap, ...]], pf.TrainingPlan]:
        """``model.training``, kept per (gaps, the courses that can close them)."""
        def by_content(gaps: tuple[pf.Gap, ...]) -> pf.TrainingPlan:
            offers = relevant_offers(gaps, model.offer_index)
            key = (gaps, tuple(sorted(map(offer_key, offers))))
            return self.training.get_or_build(key, lambda: pf.recommend_training(gaps, offers))

        def train(gaps: tuple[pf.Gap, ...]) -> pf.TrainingPlan:
            return self._training_now.get_or_build((model.offers_version, gaps),
                                                   lambda: by_content(gaps))

        return train


_FINGERPRINTS: dict[int, tuple[weakref.ref[MappingGraph], int]] = {}
_FINGERPRINT_LOCK = threading.Lock()


def fingerprint(graph: MappingGraph) -> int:
    """A content hash of a loaded mapping graph (its accepted mappings and its levels: all
    an answer counting accepted mappings only rests on), computed once per loaded graph. The
    mapping cache reloads a new graph object on every refresh even when nothing changed, and
    updates it after a mapping write; answers tied to this value survive such reloads and a
    change that leaves every accepted mapping as it was (a proposal, its rejection or
    retraction), not another change."""
    with _FINGERPRINT_LOCK:
        found = _FINGERPRINTS.get(id(graph))
        if found is not None and found[0]() is graph:
            return found[1]
    value = hash((graph.index.counted_edges(), frozenset(
        (code, lv.get("ordinal"), lv.get("name"), lv.get("status"), lv.get("framework"))
        for code, lv in graph.levels.items())))
    with _FINGERPRINT_LOCK:
        for key in [k for k, (ref, _) in _FINGERPRINTS.items() if ref() is None]:
            del _FINGERPRINTS[key]
        _FINGERPRINTS[id(graph)] = (weakref.ref(graph), value)
    return value


# --------------------------------------------------------------------------- placement

def equivalence_cells(graph: MappingGraph, level: str, framework: str) -> list[dict[str, Any]]:
    """Every level of ``framework`` the engine finds for ``level``, best first, with path."""
    if eq.framework_of(level) == framework:
        return [{"level": level, "match_type": MatchType.EXACT.value, "confidence": 1.0, "hops": 0,
                 "evidence_status": graph.levels.get(level, {}).get("status"), "path": []}]
    found = eq.find_equivalences(graph.index, level, framework, ordinals=graph.ordinals)
    return [{"level": e.target, "match_type": e.match_type.value,
             "confidence": round(e.confidence, 4), "hops": e.hops,
             "evidence_status": weakest_evidence(e.path),
             "path": [s.edge.id for s in e.path]} for e in found.equivalences]


def place_on_cqf(graph: MappingGraph, level: str | None) -> dict[str, Any] | None:
    """Where a profile's level sits on the CQF: the engine's best equivalence, or None."""
    if level is None:
        return None
    cells = equivalence_cells(graph, level, CQF)
    if not cells:
        return None
    best = cells[0]
    ordinal = graph.levels.get(best["level"], {}).get("ordinal")
    return {**best, "ordinal": ordinal, "from_level": level}


class Placements:
    """CQF placements of levels, memoised per loaded mapping graph."""

    def __init__(self, graph: MappingGraph) -> None:
        self.graph = graph
        self._memo: dict[str, dict[str, Any] | None] = {}

    def of(self, level: str | None) -> dict[str, Any] | None:
        if level is None:
            return None
        if level not in self._memo:
            self._memo[level] = place_on_cqf(self.graph, level)
        return self._memo[level]


__all__ = ["AnswerMemo", "CareersMemo", "CareersModel", "CareersModelCache", "PinnedReads",
           "Placements", "Profile", "offer_key", "one_read",
           "equivalence_cells", "load_model", "place_on_cqf"]
