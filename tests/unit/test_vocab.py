"""The one vocabulary: its orders, and every place that speaks it accepts the same values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from app.api.routes.equivalence.mappings import MappingIn
from app.domain.auth import Principal, valid_role
from app.domain.vocab import (
    PROFICIENCY_CODES,
    EvidenceStatus,
    MappingMethod,
    MatchType,
    Proficiency,
    ReferencingStatus,
    ReviewStatus,
    counted_review_statuses,
    weakest_status,
)
from app.rdf.sssom import JUSTIFICATION
from app.seed import rows
from app.web import i18n

SEED_MAPPING = {"from": "IE-NFQ:8", "to": "EQF:6", "id": "map:x", "match_type": "broadMatch",
                "confidence": "0.9", "method": "expert_panel", "review_status": "accepted",
                "status": "verified", "source_document": "a document"}
API_MAPPING = {"from_level": "IE-NFQ:8", "to_level": "EQF:6", "match_type": "broadMatch",
               "confidence": 0.9, "method": "expert_panel", "source": {"document": "a document"}}
# Every method name either side ever used, and one nobody did.
CANDIDATE_METHODS = ["official_referencing", "comparison_study", "expert_panel", "computed",
                     "illustrative", "manual", "gut_feeling"]


def _accepts(model: type[BaseModel], data: dict[str, Any], column: str) -> bool:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return not any(e["loc"][:1] == (column,) for e in exc.errors())
    return True


def test_evidence_is_as_weak_as_its_weakest_part() -> None:
    assert weakest_status(["verified", "unverified", "verified"]) == EvidenceStatus.UNVERIFIED
    assert weakest_status(["verified", "illustrative"]) == EvidenceStatus.ILLUSTRATIVE
    assert weakest_status(["verified", None]) == EvidenceStatus.ILLUSTRATIVE
    assert weakest_status(["verified", "official"]) == EvidenceStatus.ILLUSTRATIVE
    assert weakest_status(["verified"]) == EvidenceStatus.VERIFIED
    assert weakest_status([]) is None
    ranks = [s.rank for s in EvidenceStatus]
    assert ranks == sorted(ranks, reverse=True)


def test_answers_count_accepted_mappings_and_proposed_ones_only_on_request() -> None:
    assert counted_review_statuses(False) == ["accepted"]
    assert counted_review_statuses(True) == ["accepted", "proposed"]


def test_the_proficiency_scale_is_ordered_and_stored_as_words() -> None:
    assert PROFICIENCY_CODES == ("aware", "trained", "advanced", "expert")
    assert Proficiency.AWARE < Proficiency.TRAINED < Proficiency.ADVANCED < Proficiency.EXPERT
    assert [str(p) for p in Proficiency] == list(PROFICIENCY_CODES)


def test_seed_rows_and_the_write_api_accept_exactly_the_same_mapping_methods() -> None:
    seed = {m for m in CANDIDATE_METHODS
            if _accepts(rows.MappingRow, {**SEED_MAPPING, "method": m}, "method")}
    api = {m for m in CANDIDATE_METHODS
           if _accepts(MappingIn, {**API_MAPPING, "method": m}, "method")}
    assert seed == api == {m.value for m in MappingMethod}


def test_seed_rows_and_the_write_api_accept_the_same_match_types() -> None:
    candidates = [m.value for m in MatchType] + ["sameAs", "exact"]
    seed = {t for t in candidates
            if _accepts(rows.MappingRow, {**SEED_MAPPING, "match_type": t}, "match_type")}
    api = {t for t in candidates
           if _accepts(MappingIn, {**API_MAPPING, "match_type": t}, "match_type")}
    assert seed == api == {m.value for m in MatchType}


def test_every_mapping_method_has_an_sssom_justification() -> None:
    assert set(JUSTIFICATION) == set(MappingMethod)
    assert all(j.startswith("semapv:") for j in JUSTIFICATION.values())


@pytest.mark.parametrize(("words", "vocabulary"), [
    (i18n.STATUS, [s.value for s in EvidenceStatus]),
    (i18n.MATCH, [t.value for t in MatchType]),
    (i18n.METHOD, [m.value for m in MappingMethod]),
    (i18n.REVIEW, [s.value for s in ReviewStatus]),
    (i18n.REFERENCING, [s.value for s in ReferencingStatus]),
    (i18n.PROFICIENCY, list(PROFICIENCY_CODES)),
])
def test_the_explorer_has_a_word_for_every_value(words: dict, vocabulary: list[str]) -> None:
    assert sorted(words) == sorted(vocabulary)


@pytest.mark.parametrize("role", ["admin", "reviewer", "institution:EXU", "administration:ADM-A"])
def test_every_role_kind_is_a_valid_role(role: str) -> None:
    assert valid_role(role)


def test_roles_grant_what_their_kind_says() -> None:
    assert Principal("k", "admin").is_admin
    assert Principal("k", "reviewer").may_review()
    assert Principal("k", "institution:EXU").institution == "EXU"
    assert Principal("k", "administration:ADM-A").administration == "ADM-A"
    assert not valid_role("superuser") and not valid_role("institution:")
