"""Search ranking is the service's: what matches and how well, from the text alone."""

from __future__ import annotations

from app.domain.search import rank


def _row(code: str, name: str, description: str = "", name_fr: str = "") -> dict[str, str]:
    return {"label": "Competency", "code": code, "name": name, "name_fr": name_fr,
            "description": description}


def test_every_term_must_match_a_word_or_the_start_of_one() -> None:
    rows = [_row("A", "Customs valuation"), _row("B", "Customs risk"), _row("C", "Customer")]
    assert [h.code for h in rank(["custom", "valuation"], rows, 10)] == ["A"]
    assert [h.code for h in rank(["ri"], rows, 10)] == []  # short terms: whole words only


def test_a_whole_word_in_the_name_ranks_above_a_prefix_or_the_description() -> None:
    rows = [_row("PREFIX", "Risks and controls"), _row("DESC", "Controls", "manage risk"),
            _row("WHOLE", "Risk analysis")]
    hits = rank(["risk"], rows, 10)
    assert [h.code for h in hits] == ["WHOLE", "PREFIX", "DESC"]
    assert [h.score for h in hits] == [3.0, 1.5, 1.0]


def test_ties_are_ordered_by_kind_then_code_and_each_candidate_counts_once() -> None:
    rows = [_row("B", "Audit"), _row("A", "Audit"), _row("A", "Audit")]
    assert [h.code for h in rank(["audit"], rows, 10)] == ["A", "B"]
