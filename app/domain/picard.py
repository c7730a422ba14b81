"""PICARD coverage of a programme and its readiness against the WCO recognition criteria.
Pure: takes the standards, the programme's alignments and levels, returns the report.

The WCO criteria (domain reference §6): a curriculum must *substantially* cover the
Professional Standards, at bachelor level or higher; meeting only some individual elements is
not enough. The element table of the 2019 Standards and the evidence requirements of the 2019
Guidelines are not in the graph, so the data can refute readiness but never confirm it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

BACHELOR_EQF = 6
# "level L sits within EQF n": L exact/close/broad-matches EQF n (EQF n is as broad or
# broader), read from L; walked from the EQF side the broad/narrow roles swap.
_WITHIN_OUT = ("exactMatch", "closeMatch", "broadMatch")
_WITHIN_IN = ("exactMatch", "closeMatch", "narrowMatch")


def element_coverage(standards: list[dict[str, Any]], alignments: list[dict[str, Any]],
                     course_rank: dict[str, int], rank_names: dict[int, str]) -> dict[str, Any]:
    by_standard: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in alignments:
        by_standard[a["standard"]].append(a)

    def element(s: dict[str, Any]) -> dict[str, Any]:
        courses = [{"code": a["course"], "name": a["course_name"],
                    "review_status": a["review_status"],
                    "proficiency": rank_names.get(course_rank.get(a["course"], 0))}
                   for a in by_standard.get(s["code"], [])]
        ranks = [course_rank.get(c["code"], 0) for c in courses]
        return {"code": s["code"], "name": s["name"], "kind": s["kind"],
                "version": s["version"], "covered": bool(courses),
                "proficiency": rank_names.get(max(ranks, default=0)), "courses": courses}

    tiers = []
    for tier in (s for s in standards if s["kind"] == "tier"):
        areas = [element(s) for s in standards
                 if s["kind"] == "knowledge_area" and s["tier"] == tier["code"]]
        own = element(tier)
        tiers.append({**own, "covered": own["covered"] or any(a["covered"] for a in areas),
                      "knowledge_areas": areas,
                      "areas_covered": sum(a["covered"] for a in areas),
                      "areas_total": len(areas),
                      "missing": [a["code"] for a in areas if not a["covered"]],
                      "note": None if areas else
                      "the graph holds no knowledge areas for this tier (element table not "
                      "available), so only direct alignment with the tier can be shown"})
    themes = [element(s) for s in standards if s["kind"] == "theme"]
    return {"tiers": tiers, "themes_2019": themes,
            "missing_themes_2019": [t["code"] for t in themes if not t["covered"]]}


def _criterion(name: str, verdict: str, detail: str) -> dict[str, str]:
    return {"criterion": name, "verdict": verdict, "detail": detail}


def readiness(coverage: dict[str, Any], level: dict[str, Any] | None,
              eqf: list[dict[str, Any]]) -> dict[str, Any]:
    criteria = [_level_criterion(level, eqf), _coverage_criterion(coverage)]
    criteria += [
        _criterion("customs-specific programme endorsed by the WCO", "cannot_judge",
                   "recognition is a WCO decision on an application; the graph holds no "
                   "application or approval data"),
        _criterion("evidence requirements of the 2019 Guidelines", "cannot_judge",
                   "the detailed evidence requirements of the Guidelines on Recognition of "
                   "University Customs Curricula 2019 are not in the graph"),
    ]
    verdicts = {c["verdict"] for c in criteria}
    overall = "not_ready" if "not_met" in verdicts else "cannot_judge"
    return {"overall": overall, "criteria": criteria,
            "statement": "The data can show that a programme falls short of a criterion; it "
                         "cannot confirm that the WCO would recognise it."}


def _level_criterion(level: dict[str, Any] | None, eqf: list[dict[str, Any]]) -> dict[str, str]:
    name = "bachelor level or higher (EQF 6+)"
    if not level or not level.get("level"):
        return _criterion(name, "cannot_judge", "the programme has no level in the graph")
    if level.get("framework") == "EQF":
        ordinals = [int(level["ordinal"])]
    else:
        ordinals = [int(e["ordinal"]) for e in eqf if e.get("ordinal") is not None
                    and e["match_type"] in (_WITHIN_OUT if e["outgoing"] else _WITHIN_IN)]
    if not ordinals:
        return _criterion(name, "cannot_judge", f"no accepted mapping places "
                                                f"{level['level']} within an EQF level")
    verdict = "met" if min(ordinals) >= BACHELOR_EQF else "not_met"
    return _criterion(name, verdict, f"{level['level']} corresponds to EQF "
                                     + ", ".join(str(o) for o in sorted(set(ordinals))))


def _coverage_criterion(coverage: dict[str, Any]) -> dict[str, str]:
    name = "substantial coverage of the Professional Standards (not only individual elements)"
    known = [a for t in coverage["tiers"] for a in t["knowledge_areas"]]
    covered = sum(a["covered"] for a in known)
    tiers_covered = sum(t["covered"] for t in coverage["tiers"])
    if tiers_covered == 0:
        return _criterion(name, "not_met", "no course of the programme aligns with any tier "
                                           "or knowledge area")
    return _criterion(name, "cannot_judge",
                      f"{covered} of the {len(known)} knowledge areas in the graph are covered "
                      f"and {tiers_covered} of {len(coverage['tiers'])} tiers; the graph holds "
                      "only part of the Standards' elements (the 2008 list is cut off after "
                      "item 8; the 2019 element table is missing), and 'substantial' has no "
                      "published threshold")
