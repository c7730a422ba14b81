"""Level-equivalence use cases: load the mapping graph, search it with the pure domain engine,
and shape answers with the full evidence path.

The mapping index is cached per process: equivalence questions are read-heavy and mappings
change rarely. Writes in this process invalidate it at once; other API workers see a change
within ``ttl`` seconds.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from app.domain import equivalence as eq
from app.domain import parts
from app.domain.errors import FieldProblem, InvalidInput, NotFound
from app.domain.text import N_
from app.domain.vocab import EvidenceStatus, NodeLabel, ReviewStatus, counted_review_statuses
from app.graph import parts as graph_parts
from app.graph.cypher.equivalence import mappings as q
from app.graph.port import GraphStore
from app.graph.refresh_cache import RefreshingCache, counts
from app.graph.sections import read_sections
from app.services.catalog.codes import CodeResolver, parse_level_code
from app.services.catalog.entities import source_of
from app.services.messages import Words

PROPOSED_NOTICE = N_(
    "Proposed (not yet accepted) mappings were counted at your request; answers resting on "
    "them are not endorsed."
)
ILLUSTRATIVE_RESULTS_NOTICE = N_(
    "%(n)s of %(total)s answers rest on illustrative example data (written for this service, "
    "not an official WCO, EU or national statement); they are marked \"illustrative\": true."
)


def edge_from_row(row: dict[str, Any]) -> eq.MappingEdge:
    m = row["mapping"]
    return eq.MappingEdge(
        id=m["id"], source=row["from_level"], target=row["to_level"],
        match_type=m["match_type"], confidence=m.get("confidence"),
        review_status=m.get("review_status", ReviewStatus.ACCEPTED), method=m.get("method"),
        status=m.get("status"), source_document=m.get("source_document"),
        source_publisher=m.get("source_publisher"), source_year=m.get("source_year"),
        source_url=m.get("source_url"), asserted_by=m.get("asserted_by"), date=m.get("date"),
        note=m.get("note"), evidence_quote=m.get("evidence_quote"),
        evidence_language=m.get("evidence_language"),
    )


def evidence_of(props: dict[str, Any]) -> dict[str, Any] | None:
    """The verbatim quote that states a mapping, its language and the page it was read on;
    None when the mapping keeps no quote."""
    if not props.get("evidence_quote"):
        return None
    return {"quote": props["evidence_quote"], "language": props.get("evidence_language"),
            "url": props.get("source_url")}


@dataclass(frozen=True)
class MappingGraph:
    index: eq.MappingIndex
    levels: dict[str, dict[str, Any]]
    referencing: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Answers derived from this graph alone (e.g. a level's best equivalent on a pivot):
    # dropped with the graph when it is reloaded. Values are shared: never mutate them.
    # Keys are tuples: ``("step", mapping id, ...)`` for one mapping's shaped step, anything
    # else an answer counting accepted mappings only (``update_mapping_graph`` carries them
    # over a change that leaves them true).
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    # When this graph was read (ISO time, taken before the reads): the change journal is
    # read from here (less a margin) when the graph is updated.
    as_of: str = field(default="", compare=False)

    @cached_property
    def frameworks(self) -> frozenset[str]:
        return frozenset(lv["framework"] for lv in self.levels.values())

    @cached_property
    def ordinals(self) -> dict[str, int]:
        # Built once per loaded graph: portability asks for it up to 30 times per answer.
        return {c: lv["ordinal"] for c, lv in self.levels.items() if lv["ordinal"] is not None}


PARTS = (parts.LEVELS, parts.MAPPINGS)  # what the mapping graph is built from
# How far before a graph's read the journal is read again: a write takes its audit time
# before its statement commits (a wait for a lock, a slow store), so an entry committed
# after the read may carry an earlier time. Entries read twice are applied twice, to the
# same effect (the mapping's current state is read, not the entry's).
JOURNAL_MARGIN = timedelta(minutes=5)
# More changed mappings than this since the graph was read: a full reload instead.
MAX_PATCHED = 1000


class MappingGraphCache(RefreshingCache[MappingGraph]):
    """Holds the last loaded mapping graph; thread-safe, time-bounded, invalidated on writes,
    refreshed in the background once older than ``ttl`` (see ``app.graph.refresh_cache``), and
    then only reloaded when its signature changed (at the ESCO-sized graph a reload costs
    about half a second of CPU; the signature one small query). After level-mapping writes
    (through any worker) it is updated, not reloaded: ``update_mapping_graph``."""

    def __init__(self, ttl: float = 5.0) -> None:
        super().__init__(load_mapping_graph, ttl, "mapping-graph",
                         signature=mappings_signature, parts=PARTS,
                         update=update_mapping_graph)


def mappings_signature(store: GraphStore) -> tuple[int, ...]:
    return counts(store, q.MAPPINGS_SIGNATURE)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def load_mapping_graph(store: GraphStore) -> MappingGraph:
    as_of = _now()
    read = read_sections(store, q.GRAPH)  # one statement on Neo4j
    edges = [edge_from_row(r) for r in read["mappings"]]
    levels = {r["code"]: r for r in read["levels"]}
    referencing = {r["code"]: r for r in read["referencing"]}
    return MappingGraph(eq.MappingIndex.from_edges(edges), levels, referencing, as_of=as_of)


def update_mapping_graph(store: GraphStore, old: MappingGraph,
                         changed: frozenset[str]) -> MappingGraph | None:
    """``old`` with the level mappings written since it was read, or None when only a full
    reload can tell (then the cache reloads it).

    The journal is the audit trail: every write of a level mapping (create, review,
    retract) leaves its entry in the same statement as the write and moves the ``mappings``
    part token to the entry's code. The entries of mapping, scale and administration writes
    since ``old`` was read (less ``JOURNAL_MARGIN``) name the mappings that changed; their
    current state is read by id (a missing one was retracted) and patched into the index.
    Full reload when the journal does not account for the current token of a changed part
    (a write outside the audited path), when a grade scale was written (its levels
    changed), or when too many mappings changed."""
    if not old.as_of or not changed <= set(PARTS):
        return None
    as_of = _now()
    tokens = graph_parts.read_tokens(store)  # before the journal: it holds their entries
    since = (datetime.fromisoformat(old.as_of) - JOURNAL_MARGIN).isoformat(
        timespec="microseconds")
    journal = store.read(q.CHANGES_SINCE, {"since": since,
                                           "kinds": list(parts.kinds_touching(PARTS))})
    codes = {row["code"] for row in journal}
    if any(tokens.get(part) not in codes for part in changed):
        return None
    if any(row["kind"] not in ("Mapping", "Administration") for row in journal):
        return None  # a grade scale (its levels) was written: reload
    ids = sorted({str(row["target"]) for row in journal if row["kind"] == "Mapping"})
    if not ids:
        return old  # an administration's record: nothing the mapping graph holds
    if len(ids) > MAX_PATCHED:
        return None
    found = [edge_from_row(row) for row in store.read(q.MAPPINGS_BY_IDS, {"ids": ids})]
    retracted = set(ids) - {edge.id for edge in found}
    index = old.index.patched(found, retracted)
    return MappingGraph(index, old.levels, old.referencing, as_of=as_of,
                        memo=_carried(old, index, set(ids)))


def _carried(old: MappingGraph, index: eq.MappingIndex, ids: set[str]) -> dict[Hashable, Any]:
    """What of ``old``'s memo still holds on the patched ``index``: the shaped steps of the
    mappings that did not change; the other answers (counting accepted mappings only) when
    no accepted mapping changed (a proposal, its rejection or retraction)."""
    kept = dict(old.memo)  # one copy (atomic) while other threads may add to it
    accepted = ReviewStatus.ACCEPTED
    touched = any(edges[i].review_status == accepted for edges in (old.index.edges, index.edges)
                  for i in ids if i in edges)
    return {key: value for key, value in kept.items() if _still_true(key, ids, touched)}


def _still_true(key: Hashable, ids: set[str], accepted_changed: bool) -> bool:
    parts_of: tuple[object, ...] = key if isinstance(key, tuple) else ()
    if len(parts_of) > 1 and parts_of[0] == "step":
        return parts_of[1] not in ids
    return not accepted_changed


def no_level_table(graph: MappingGraph, framework: str | None,
                   lang: str = "en") -> dict[str, Any] | None:
    """Why a framework referenced to the EQF has no mapping in the graph: its referencing
    year is known, its level table is not. None for any other framework."""
    info = graph.referencing.get(framework or "", {})
    if info.get("referencing_status") != "no_level_table":
        return None
    year = info.get("referencing_year")
    words = Words(lang)
    detail = words(N_("%(framework)s was referenced to the EQF in %(year)s; the level table "
                      "is not in the graph"), framework=framework, year=year) if year else \
        words(N_("%(framework)s was referenced to the EQF; the level table is not in the "
                 "graph"), framework=framework)
    return {"kind": "no_level_table", "detail": detail, "framework": framework,
            "referencing_year": year}


def said(why: eq.NoEquivalence, lang: str = "en") -> str:
    """The domain's reason in ``lang``."""
    return Words(lang)(why.message, **dict(why.params))


def explain(graph: MappingGraph, why: eq.NoEquivalence, start: str,
            target: str | None, lang: str = "en") -> dict[str, Any]:
    """The domain's reason, or the framework's missing level table when that is the cause."""
    reason = {"kind": why.kind, "detail": said(why, lang)}
    if why.kind == "no_mappings":
        return no_level_table(graph, eq.framework_of(start), lang) or reason
    if why.kind in ("framework_unmapped", "unreachable"):
        return no_level_table(graph, target, lang) or reason
    return reason


class SourceRegistry:
    """Each distinct source of an answer once, under a short id (``S1``, ``S2``... in order
    of first use); path steps name the id instead of repeating the source."""

    def __init__(self) -> None:
        self.ids: dict[tuple[Any, ...], str] = {}
        self.sources: dict[str, dict[str, Any]] = {}

    def add(self, source: dict[str, Any], key: tuple[Any, ...] | None = None) -> str:
        """The source's id; ``key``: its ``tuple(sorted(source.items()))`` when known."""
        key = tuple(sorted(source.items())) if key is None else key
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = f"S{len(self.ids) + 1}"
            self.sources[found] = source
        return found


def path_step(step: eq.Step, registry: SourceRegistry | None = None) -> dict[str, Any]:
    """A walked mapping; its source inline, or by id when a ``registry`` collects them."""
    shaped = _step_fields(step)
    if registry is not None:
        shaped["source_id"] = registry.add(shaped.pop("source"))
    return shaped


def _kept_step(step: eq.Step, graph: MappingGraph) -> tuple[dict[str, Any], tuple[Any, ...],
                                                            dict[str, Any]]:
    """A step's fields without its source, the source's registry key, and the source: the same
    in every answer drawing on this graph, so shaped once per loaded graph (shaping path steps
    was about a third of an all-targets answer at the ESCO size)."""
    key = ("step", step.edge.id, step.direction, step.walked_type)
    found = graph.memo.get(key)
    if found is None:
        fields = _step_fields(step)
        source = fields.pop("source")
        found = graph.memo[key] = (fields, tuple(sorted(source.items())), source)
    return found


def _registered_step(step: eq.Step, graph: MappingGraph,
                     registry: SourceRegistry) -> dict[str, Any]:
    fields, key, source = _kept_step(step, graph)
    shaped = dict(fields)  # the kept fields are shared: each answer gets its own copy
    shaped["source_id"] = registry.add(source, key)
    return shaped


def _step_fields(step: eq.Step) -> dict[str, Any]:
    edge = step.edge
    return {
        "mapping_id": edge.id, "from_level": step.from_level, "to_level": step.to_level,
        "direction": step.direction, "stored_match_type": edge.match_type.value,
        "walked_match_type": step.walked_type.value, "confidence": edge.confidence,
        "method": edge.method, "review_status": edge.review_status.value,
        "status": edge.status, "asserted_by": edge.asserted_by, "date": edge.date,
        "source": source_of(edge.__dict__), "note": edge.note,
        "evidence": evidence_of(edge.__dict__),
    }


def weakest_evidence(steps: list[eq.Step]) -> str:
    return eq.weakest_evidence(steps)


def unlevelled_reason(levels: list[str] | None, level: dict[str, Any] | None,
                      code: str) -> str | None:
    """The framework's own reason for leaving ``code`` without equivalents, from its
    ``unlevelled`` entries (``LEVEL: reason``), or None."""
    wanted = {str((level or {}).get("level") or code.partition(":")[2]).lower(), code.lower()}
    for entry in levels or []:
        name, _, reason = str(entry).partition(":")
        if name.strip().lower() in wanted and reason.strip():
            return reason.strip()
    return None


class EquivalenceService:
    def __init__(self, store: GraphStore, cache: MappingGraphCache) -> None:
        self.store = store
        self.cache = cache

    def resolve_start(self, start: str) -> tuple[str | None, dict[str, Any] | None]:
        """The start level code, and the programme it came from when ``programme:CODE``."""
        if start[:10].lower() == "programme:":
            code = CodeResolver(self.store).require(NodeLabel.PROGRAMME, start[10:])
            rows = self.store.read(q.PROGRAMME_LEVEL, {"code": code})
            if not rows:
                raise NotFound("Programme", start[10:])
            programme = {"code": code, "name": rows[0]["name"], "status": rows[0]["status"],
                         "level": rows[0]["level"]}
            return rows[0]["level"], programme
        parse_level_code(start, "from")
        if start in self.cache.get(self.store).levels:  # no store round trip when cached
            return start, None
        return CodeResolver(self.store).level(start, "from"), None

    def _check_framework(self, code: str) -> str:
        """The canonical framework code (any case)."""
        if code in self.cache.get(self.store).frameworks:
            return code
        return CodeResolver(self.store).require(NodeLabel.FRAMEWORK, code)

    def _year_only(self, start: str, lang: str = "en") -> tuple[str, dict[str, Any]] | None:
        """A level of a framework referenced to the EQF whose level table the graph does not
        hold (Denmark, Hungary, ...): the level as written and the framework's reason."""
        if start[:10].lower() == "programme:":
            return None
        typed_framework, typed_level = parse_level_code(start, "from")
        framework = CodeResolver(self.store).find(NodeLabel.FRAMEWORK, typed_framework)
        why = no_level_table(self.cache.get(self.store), framework, lang)
        return None if why is None or framework is None else (
            f"{framework}:{typed_level}", why)

    def equivalences(self, start: str, target: str | None, *, depth: int,
                     include_proposed: bool, paths: eq.PathsMode,
                     lang: str = "en") -> dict[str, Any]:
        """``lang``: the language of the answer's sentences (notice, reasons)."""
        words = Words(lang)
        try:
            level, programme = self.resolve_start(start)
        except NotFound as exc:
            year_only = self._year_only(start, lang) \
                if exc.kind == NodeLabel.LEVEL.value else None
            if year_only is None:
                raise
            level, programme = None, None
        else:
            year_only = None
        if target is not None:
            target = self._check_framework(target)
        answer: dict[str, Any] = {
            "from": f"programme:{programme['code']}" if programme else level,
            "from_level": level, "programme": programme, "to": target,
            "depth": depth, "paths": paths, "include_proposed": include_proposed,
            "counted_review_statuses": counted_review_statuses(include_proposed),
            "notice": words(PROPOSED_NOTICE) if include_proposed else None,
            "frameworks": [], "sources": {},
        }
        if year_only is not None:  # the framework answers with its reason, not a 404
            return {**answer, "from": year_only[0], "from_level": year_only[0],
                    "equivalences": [], "total": 0, "no_equivalence": year_only[1]}
        if level is None:
            return {**answer, "equivalences": [], "total": 0, "no_equivalence": {
                "kind": "no_level", "detail": words(N_("programme %(start)s has no level "
                                                       "recorded"), start=start)}}
        graph = self.cache.get(self.store)
        try:
            result = eq.find_equivalences(graph.index, level, target, max_depth=depth,
                                          include_proposed=include_proposed, paths=paths,
                                          ordinals=graph.ordinals)
        except eq.SearchTooBroad as exc:
            raise InvalidInput([FieldProblem("paths", exc.MESSAGE, paths,
                                             params={"start": exc.start, "budget": exc.budget})],
                               N_("the search is too broad; give a target framework")) from exc
        registry = SourceRegistry()
        items = [self._equivalence(e, graph, registry) for e in result.equivalences]
        illustrative = sum(1 for item in items if item["illustrative"])
        if illustrative:
            notices = [answer["notice"], words(ILLUSTRATIVE_RESULTS_NOTICE, n=illustrative,
                                               total=len(items))]
            answer["notice"] = " ".join(n for n in notices if n)
        answer["frameworks"] = list(dict.fromkeys(e.framework for e in result.equivalences))
        answer["sources"] = registry.sources
        return {**answer, "equivalences": items, "total": len(items),
                "no_equivalence": self._why(result.no_equivalence, level, target, graph, lang)}

    def _why(self, why: eq.NoEquivalence | None, level: str, target: str | None,
             graph: MappingGraph, lang: str = "en") -> dict[str, Any] | None:
        """Why nothing was found; the framework's own reason when it leaves the level
        unlevelled (e.g. NZQCF level 8, unlevelled by agreement), or its missing level table
        when it was referenced to the EQF without one in the graph."""
        if why is None:
            return None
        if why.kind in ("no_mappings", "unreachable", "out_of_depth"):
            rows = self.store.read(q.FRAMEWORK_UNLEVELLED, {"code": eq.framework_of(level)})
            row = rows[0] if rows else {}
            # the reason in the answer's language where the data holds it (else English)
            french = lang == "fr" and unlevelled_reason(
                row.get("unlevelled_fr"), graph.levels.get(level), level)
            reason = french or unlevelled_reason(row.get("unlevelled"),
                                                 graph.levels.get(level), level)
            if reason:
                detail = Words(lang)(N_("%(level)s: %(reason)s; %(why)s"), level=level,
                                     reason=reason, why=said(why, lang))
                return {"kind": "unlevelled", "detail": detail,
                        "reason_lang": "fr" if french else "en"}
        return explain(graph, why, level, target, lang)

    @staticmethod
    def _equivalence(found: eq.Equivalence, graph: MappingGraph,
                     registry: SourceRegistry | None = None) -> dict[str, Any]:
        target = graph.levels.get(found.target, {})
        evidence = weakest_evidence(found.path)
        return {
            "level": {"code": found.target, "name": target.get("name"),
                      "framework": found.framework, "ordinal": target.get("ordinal")},
            "match_type": found.match_type.value, "confidence": round(found.confidence, 4),
            "hops": found.hops, "evidence_status": evidence,
            "illustrative": evidence == EvidenceStatus.ILLUSTRATIVE,
            "path": [path_step(s) for s in found.path] if registry is None
            else [_registered_step(s, graph, registry) for s in found.path],
        }
