"""PICARD coverage of a programme and its readiness against the WCO recognition criteria.
Pure: takes the standards, the programme's alignments and levels, returns the report.

The WCO criteria (domain reference §6): a curriculum must *substantially* cover the
Professional Standards, at bachelor level or higher; meeting only some individual elements is
not enough. The element table of the 2019 Standards and the evidence requirements of the 2019
Guidelines are not in the graph, so the data can refute readiness but never confirm it.

The report holds codes and numbers, never sentences:
``app.services.institutions.coverage_text`` words them in English for the API, the explorer
translates the same codes through its catalogues.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from app.domain.vocab import MatchType, PicardKind

BACHELOR_EQF = 6
# "level L sits within EQF n": L exact/close/broad-matches EQF n (EQF n is as broad or
# broader), read from L; walked from the EQF side the broad/narrow roles swap.
_WITHIN_OUT = (MatchType.EXACT, MatchType.CLOSE, MatchType.BROAD)
_WITHIN_IN = (MatchType.EXACT, MatchType.CLOSE, MatchType.NARROW)


def element_coverage(standards: list[dict[str, Any]], alignments: list[dict[str, Any]],
                     course_rank: dict[str, int], rank_names: dict[int, str]) -> dict[str, Any]:
    by_standard: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in alignments:
        by_standard[a["standard"]].append(a)

    def element(s: dict[str, Any]) -> dict[str, Any]:
        courses: list[dict[str, Any]] = [{"code": a["course"], "name": a["course_name"],
                    "review_status": a["review_status"],
                    "proficiency": rank_names.get(course_rank.get(a["course"], 0))}
                   for a in by_standard.get(s["code"], [])]
        ranks = [course_rank.get(c["code"], 0) for c in courses]
        return {"code": s["code"], "name": s["name"], "kind": s["kind"],
                "version": s["version"], "covered": bool(courses),
                "proficiency": rank_names.get(max(ranks, default=0)), "courses": courses}

    tiers: list[dict[str, Any]] = []
    for tier in (s for s in standards if s["kind"] == PicardKind.TIER):
        areas = [element(s) for s in standards
                 if s["kind"] == PicardKind.KNOWLEDGE_AREA and s["tier"] == tier["code"]]
        own = element(tier)
        covered_areas = sum(a["covered"] for a in areas)
        # A tier is covered only when every one of its knowledge areas is; a tier without
        # areas in the graph can only be judged by direct alignment with the tier itself.
        covered = covered_areas == len(areas) if areas else own["covered"]
        tiers.append({**own, "covered": covered, "aligned_directly": own["covered"],
                      "knowledge_areas": areas, "areas_covered": covered_areas,
                      "areas_total": len(areas),
                      "missing": [a["code"] for a in areas if not a["covered"]],
                      "note_code": None if areas else "no_knowledge_areas"})
    themes = [element(s) for s in standards if s["kind"] == "theme"]
    return {"tiers": tiers, "themes_2019": themes,
            "missing_themes_2019": [t["code"] for t in themes if not t["covered"]]}


def _criterion(code: str, verdict: str, reason: str, **facts: Any) -> dict[str, Any]:
    """One criterion as codes and numbers; the presentation words it (``criterion`` names
    the criterion, ``reason`` the finding, ``facts`` fill the finding's placeholders)."""
    return {"code": code, "verdict": verdict, "reason": reason, "facts": facts}


def readiness(coverage: dict[str, Any], level: dict[str, Any] | None,
              eqf: list[dict[str, Any]]) -> dict[str, Any]:
    criteria = [_level_criterion(level, eqf), _coverage_criterion(coverage),
                # recognition is a WCO decision on an application: no such data in the graph
                _criterion("wco_endorsement", "cannot_judge", "wco_decision"),
                # the Guidelines' detailed evidence requirements are not in the graph
                _criterion("evidence_requirements", "cannot_judge", "evidence_not_in_graph")]
    verdicts = {c["verdict"] for c in criteria}
    overall = "not_ready" if "not_met" in verdicts else "cannot_judge"
    return {"overall": overall, "criteria": criteria, "statement_code": "refute_not_confirm"}


def _level_criterion(level: dict[str, Any] | None, eqf: list[dict[str, Any]]) -> dict[str, Any]:
    name = "bachelor_level"
    if not level or not level.get("level"):
        return _criterion(name, "cannot_judge", "no_level")
    if level.get("framework") == "EQF":
        ordinals = [int(level["ordinal"])]
    else:
        ordinals = [int(e["ordinal"]) for e in eqf if e.get("ordinal") is not None
                    and e["match_type"] in (_WITHIN_OUT if e["outgoing"] else _WITHIN_IN)]
    if not ordinals:
        return _criterion(name, "cannot_judge", "no_eqf_mapping", level=level["level"])
    verdict = "met" if min(ordinals) >= BACHELOR_EQF else "not_met"
    return _criterion(name, verdict, "corresponds_to_eqf", level=level["level"],
                      eqf=sorted(set(ordinals)))


def _coverage_criterion(coverage: dict[str, Any]) -> dict[str, Any]:
    name = "substantial_coverage"
    tiers = coverage["tiers"]
    known = [a for t in tiers for a in t["knowledge_areas"]]
    covered = sum(a["covered"] for a in known)
    if not covered and not any(t["aligned_directly"] for t in tiers):
        return _criterion(name, "not_met", "nothing_aligned")
    # 'substantial' has no published threshold and the graph holds only part of the
    # Standards' elements, so partial data cannot settle it either way
    return _criterion(name, "cannot_judge", "partial_elements", areas_covered=covered,
                      areas_total=len(known), tiers_covered=sum(t["covered"] for t in tiers),
                      tiers_total=len(tiers))
