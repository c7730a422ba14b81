"""What each explorer page shows, assembled from the service layer: plain dicts for the
templates. No HTTP here; errors raised by the services reach the route, which renders them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.domain import identity
from app.domain.text import N_
from app.domain.vocab import PROFICIENCY_CODES, EvidenceStatus, NodeLabel
from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.services.catalog.display import facts_for
from app.services.catalog.reads import CatalogService
from app.services.equivalence.answers import EquivalenceService, MappingGraphCache
from app.services.institutions import coverage as coverage_service
from app.services.institutions.reviews import list_mappings
from app.services.linked_data.entity_documents import mapping_json
from app.web.svg import ladder

PAGE = 500
PIVOT = "EQF"


def all_items(catalog: CatalogService, label: NodeLabel, **filters: Any) -> list[dict[str, Any]]:
    """Every entity of a label (paged through), for the pickers."""
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = catalog.list(label, limit=PAGE, offset=offset, filters=filters or None)
        items += page["items"]
        offset = page["next_offset"]
    return items


def localise(store: GraphStore, refs: list[dict[str, Any]], kind_key: str = "kind",
             code_key: str = "code") -> list[dict[str, Any]]:
    """Adds ``name``/``name_fr`` and ``status``/``illustrative`` (when missing) to
    references, so a page can show a name where it was only given a code."""
    facts = facts_for(store, ((r.get(kind_key) or "", r.get(code_key) or "") for r in refs))
    for ref in refs:
        fact = facts.get((ref.get(kind_key) or "", ref.get(code_key) or ""), {})
        if not ref.get("name"):
            ref["name"] = fact.get("name")
        ref.setdefault("name_fr", fact.get("name_fr"))
        if ref.get("status") is None:
            ref["status"] = fact.get("status")
        ref["illustrative"] = (bool(ref.get("illustrative"))
                               or ref["status"] == EvidenceStatus.ILLUSTRATIVE)
    return refs


# --- equivalence -------------------------------------------------------------------------

def country_groups(frameworks: list[dict[str, Any]],
                   country_name: Callable[[str], str]) -> list[dict[str, Any]]:
    """Frameworks grouped by country for the pickers: countries by their name in the page's
    language, frameworks by code inside; frameworks of no country (the EQF, classifications,
    the CQF, grade scales) come last in a group whose ``country`` is None."""
    by_country: dict[str | None, list[dict[str, Any]]] = {}
    for framework in frameworks:
        by_country.setdefault(framework["attributes"].get("country"), []).append(framework)
    groups: list[dict[str, Any]] = [{"country": code, "name": country_name(code),
               "frameworks": sorted(items, key=lambda f: f["code"])}
              for code, items in by_country.items() if code]
    groups.sort(key=lambda g: (str(g["name"]).casefold(), g["country"]))
    if None in by_country:
        groups.append({"country": None, "name": None, "frameworks": by_country[None]})
    return groups


def equivalence_options(catalog: CatalogService,
                        country_name: Callable[[str], str] = str) -> dict[str, Any]:
    frameworks = all_items(catalog, NodeLabel.FRAMEWORK)
    levels = all_items(catalog, NodeLabel.LEVEL)
    scale_owner = {a["attributes"].get("scale"): a
                   for a in all_items(catalog, NodeLabel.ADMINISTRATION)}
    by_framework: dict[str, list[dict[str, Any]]] = {f["code"]: [] for f in frameworks}
    for level in levels:
        by_framework.setdefault(level["attributes"].get("framework"), []).append(level)
    for group in by_framework.values():
        group.sort(key=lambda lv: (lv["attributes"].get("ordinal") is None,
                                   lv["attributes"].get("ordinal") or 0, lv["code"]))
    for framework in frameworks:
        framework.setdefault("kind", "Framework")
    level_index = {}
    for level in levels:
        level.setdefault("kind", "Level")
        level_index[level["code"]] = level
    return {"frameworks": frameworks, "levels": by_framework, "scale_owner": scale_owner,
            "groups": country_groups(frameworks, country_name),
            "programmes": all_items(catalog, NodeLabel.PROGRAMME), "level_index": level_index,
            "framework_index": {f["code"]: f for f in frameworks}}


# Why there is no equivalence, by the reason's code (a code not here shows the service's
# English detail, marked as English).
NO_EQUIVALENCE = {
    "no_level": N_("This programme has no level in the graph."),
    "same_framework": N_("The target framework is the level's own framework; equivalence is "
                         "asked between frameworks."),
    "no_mappings": N_("This level has no mappings that count yet."),
    "framework_unmapped": N_("The target framework has no mappings that count yet."),
    "unreachable": N_("No chain of mappings connects this level to the target framework."),
    "out_of_depth": N_("No path within the longest path chosen (%(depth)s mappings) reaches "
                       "another framework."),
    "no_level_table": N_("%(framework)s was referenced to the EQF in %(year)s; its level "
                         "table is not in the graph."),
}


def equivalence_answer(store: GraphStore, cache: MappingGraphCache, options: dict[str, Any],
                       start: str, target: str | None, depth: int,
                       include_proposed: bool, lang: str = "en") -> dict[str, Any]:
    """``lang``: the page's language, for the sentences the answer carries from the data (a
    framework's own reason for leaving a level unlevelled)."""
    service = EquivalenceService(store, cache)
    answer = service.equivalences(start, target, depth=depth, include_proposed=include_proposed,
                                  paths="best", lang=lang)
    level_index = {lv["code"]: lv for group in options["levels"].values() for lv in group}
    for item in answer["equivalences"]:
        item["level"]["name_fr"] = level_index.get(item["level"]["code"], {}).get("name_fr")
    answer["ladder"] = equivalence_ladder(service, options, answer, depth, include_proposed)
    return answer


def _ladder_target(answer: dict[str, Any]) -> str | None:
    if answer["to"]:
        return str(answer["to"])
    frameworks = [e["level"]["framework"] for e in answer["equivalences"]]
    return PIVOT if PIVOT in frameworks else (frameworks[0] if frameworks else None)


def equivalence_ladder(service: EquivalenceService, options: dict[str, Any],
                       answer: dict[str, Any], depth: int,
                       include_proposed: bool) -> dict[str, Any] | None:
    """Both frameworks side by side, with every level of the source framework joined to its
    equivalents in the target framework."""
    start = answer["from_level"]
    right_fw = _ladder_target(answer)
    if not start or not right_fw:
        return None
    left_fw = start.split(":", 1)[0]
    if left_fw == right_fw:
        return None
    left, right = options["levels"].get(left_fw, []), options["levels"].get(right_fw, [])
    links = []
    for level in left:
        found = service.equivalences(level["code"], right_fw, depth=depth,
                                     include_proposed=include_proposed, paths="best")
        links += [{"from": level["code"], "to": e["level"]["code"],
                   "match_type": e["match_type"], "confidence": e["confidence"]}
                  for e in found["equivalences"]]
    return {"left": left_fw, "right": right_fw, "chosen_target": bool(answer["to"]),
            "left_levels": left, "right_levels": right, "links": links, "start": start}


def ladder_drawing(data: dict[str, Any], t: Any, href: Any) -> Any:
    """Positions the ladder; ``t`` (the page's translator) names the levels, match types and
    percentages in the page's language, ``href`` links each level."""
    def side(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"code": lv["code"], "label": t.label(lv), "lang": t.label_lang(lv),
                 "href": href(lv), "ordinal": lv["attributes"].get("ordinal"),
                 "illustrative": lv.get("illustrative")} for lv in levels]

    links = [{**lk, "title": f"{lk['from']} \u2192 {lk['to']}: {t.match(lk['match_type'])}, "
                             f"{t.pct(lk['confidence'])}"} for lk in data["links"]]
    return ladder(side(data["left_levels"]), side(data["right_levels"]), links, data["start"])


# --- programme coverage ---------------------------------------------------------------------

def coverage_answer(store: GraphStore, programme: str, include_proposed: bool) -> dict[str, Any]:
    institution, _, code = programme.partition("/")
    report = coverage_service.picard_coverage(store, institution, code, include_proposed)
    courses = [c for tier in report.get("tiers", []) for c in _tier_courses(tier)]
    courses += [c for theme in report.get("themes_2019", []) for c in theme.get("courses", [])]
    for course in courses:
        course.setdefault("kind", "Course")
    studied: dict[str, Any] = report["programme"]
    studied["level_ref"] = {"kind": "Level", "code": studied["level"]} \
        if studied.get("level") else None
    localise(store, courses + ([studied["level_ref"]] if studied["level_ref"] else []))
    return report


def _tier_courses(tier: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = list(tier.get("courses", []))
    for area in tier.get("knowledge_areas", []):
        found += area.get("courses", [])
    return found


# --- portability ----------------------------------------------------------------------------


def portability_options(catalog: CatalogService) -> dict[str, Any]:
    competencies = all_items(catalog, NodeLabel.COMPETENCY)
    groups: dict[str, list[dict[str, Any]]] = {}
    for competency in competencies:
        groups.setdefault(competency["attributes"].get("group") or "", []).append(competency)
    return {"profiles": all_items(catalog, NodeLabel.JOB_PROFILE),
            "competency_groups": {g["code"]: g for g in
                                  all_items(catalog, NodeLabel.COMPETENCY_GROUP)},
            "competencies": groups,
            "administrations": all_items(catalog, NodeLabel.ADMINISTRATION),
            "proficiencies": PROFICIENCY_CODES}


def localise_portability(store: GraphStore, answer: dict[str, Any]) -> dict[str, Any]:
    """French labels and evidence flags for the profiles, competencies and courses named."""
    for result in answer["results"]:
        result["profile"]["kind"] = "JobProfile"
        training = result.get("training") or {}
        for gap in result["gaps"] + training.get("uncovered", []):
            gap["kind"] = "Competency"
        for course in training.get("courses", []):
            course["kind"] = "Course"
    refs = [r["profile"] for r in answer["results"]]
    for result in answer["results"]:
        training = result.get("training") or {}
        refs += training.get("courses", [])
        level = result.get("level") or {}
        result["level_ref"] = {"kind": "Level", "code": level["code"]} \
            if level.get("code") else None
        eqf = level.get("eqf") or {}
        result["eqf_ref"] = {"kind": "Level", "code": eqf["level"]} if eqf.get("level") else None
        refs += [r for r in (result["level_ref"], result["eqf_ref"]) if r]
        for course in training.get("courses", []):
            course["institution_ref"] = {"kind": "Institution", "code": course["institution"]} \
                if course.get("institution") else None
            refs += [course["institution_ref"]] if course["institution_ref"] else []
    localise(store, refs)
    gaps = [g for r in answer["results"]
            for g in r["gaps"] + (r.get("training") or {}).get("uncovered", [])]
    localise(store, gaps)
    return answer


# --- level mappings and course mappings ---------------------------------------------------

def mapping_detail(store: GraphStore, mapping_id: str) -> dict[str, Any]:
    """One level mapping with its two levels named (for ``mapping.html``)."""
    found = mapping_json(store, Iris("/id/"), mapping_id)
    levels = localise(store, [{"kind": "Level", "code": found["from_level"]},
                              {"kind": "Level", "code": found["to_level"]}])
    source = {"document": found.get("source_document"), "publisher": found.get("source_publisher"),
              "year": found.get("source_year"), "url": found.get("source_url")}
    return {"mapping": found, "levels": {"from": levels[0], "to": levels[1]}, "source": source,
            "iri": found["iri"]}


def course_mappings(store: GraphStore, course: str) -> list[dict[str, Any]]:
    """Every mapping a course's institution asserted for it (develops a competency, aligns
    with a PICARD standard), whatever its review status, targets named."""
    institution = identity.parts(course)[0]
    listed = list_mappings(store, review_status=None, institution=institution, limit=10_000,
                           offset=0)["items"]
    mine = [dict(m) for m in listed if m.get("course") == course]
    kinds = {"develops": "Competency", "aligns_with": "PicardStandard"}
    for m in mine:
        m["target_ref"] = {"kind": kinds.get(m["kind"], ""), "code": m["target"]}
    localise(store, [m["target_ref"] for m in mine])
    return mine
