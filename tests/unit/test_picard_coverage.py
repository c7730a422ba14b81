"""PICARD coverage in the domain: a tier is covered only when every one of its knowledge areas
is, and readiness is returned as codes and numbers (the words come from the presentation)."""

from __future__ import annotations

from typing import Any

from app.domain import picard
from app.services.institutions import coverage_text


def _standards(areas: int) -> list[dict[str, Any]]:
    tier = {"code": "T", "name": "Tier", "kind": "tier", "version": "2008", "tier": None}
    return [tier] + [{"code": f"K{i}", "name": f"Area {i}", "kind": "knowledge_area",
                      "version": "2008", "tier": "T"} for i in range(areas)]


def _aligned(*standards: str) -> list[dict[str, Any]]:
    return [{"standard": s, "course": "C1", "course_name": "Course",
             "review_status": "accepted"} for s in standards]


def _tier(areas: int, *aligned: str) -> dict[str, Any]:
    report = picard.element_coverage(_standards(areas), _aligned(*aligned), {"C1": 3},
                                     {3: "advanced"})
    return report["tiers"][0]


def test_a_tier_is_covered_only_when_all_its_areas_are() -> None:
    assert not _tier(8, "K0")["covered"]  # 1 of 8
    assert not _tier(2, "K0", "T")["covered"]  # direct alignment does not cover the areas
    assert _tier(2, "K0", "K1")["covered"]
    some = _tier(8, "K0", "K3")
    assert (some["areas_covered"], some["areas_total"]) == (2, 8)
    assert some["missing"] == ["K1", "K2", "K4", "K5", "K6", "K7"]


def test_a_tier_without_areas_is_judged_by_direct_alignment_and_says_why() -> None:
    assert _tier(0, "T")["covered"] and not _tier(0)["covered"]
    assert _tier(0)["note_code"] == "no_knowledge_areas"


def test_readiness_is_codes_and_numbers_worded_by_the_presentation() -> None:
    coverage = picard.element_coverage(_standards(8), _aligned("K0"), {"C1": 3}, {3: "advanced"})
    level = {"level": "IE-NFQ:8", "framework": "IE-NFQ", "ordinal": 8}
    eqf = [{"ordinal": 6, "match_type": "closeMatch", "outgoing": True}]
    readiness = picard.readiness(coverage, level, eqf)
    by_code = {c["code"]: c for c in readiness["criteria"]}
    assert by_code["bachelor_level"]["verdict"] == "met"
    assert by_code["bachelor_level"]["facts"] == {"level": "IE-NFQ:8", "eqf": [6]}
    assert by_code["substantial_coverage"]["facts"] == {
        "areas_covered": 1, "areas_total": 8, "tiers_covered": 0, "tiers_total": 1}
    assert all(isinstance(v, int | list | str) for c in readiness["criteria"]
               for v in c["facts"].values())
    assert " " not in readiness["statement_code"]
    worded = coverage_text.in_english({"tiers": coverage["tiers"], "readiness": readiness})
    assert worded["tiers"][0]["areas"] == "1 of 8 areas"
    bachelor = worded["readiness"]["criteria"][0]
    assert bachelor["criterion"] == "bachelor level or higher (EQF 6+)"
    assert bachelor["detail"] == "IE-NFQ:8 corresponds to EQF 6"


def test_nothing_aligned_fails_the_coverage_criterion() -> None:
    coverage = picard.element_coverage(_standards(3), [], {}, {})
    readiness = picard.readiness(coverage, None, [])
    verdicts = {c["code"]: (c["verdict"], c["reason"]) for c in readiness["criteria"]}
    assert verdicts["substantial_coverage"] == ("not_met", "nothing_aligned")
    assert verdicts["bachelor_level"] == ("cannot_judge", "no_level")
    assert readiness["overall"] == "not_ready"
