"""Which parts of the graph a write touches and which an answer rests on (issue 26)."""

from __future__ import annotations

from app.domain import parts


def test_an_institutions_writes_touch_its_own_courses_only() -> None:
    for kind in ("Institution", "Programme", "Course", "develops", "aligns_with"):
        assert parts.touched(kind, "institution:EXU") == ("courses:EXU",)


def test_level_writes_touch_levels_and_mappings_and_keys_touch_access() -> None:
    assert parts.touched("Mapping", "administration:ADM-X") == (parts.MAPPINGS,)
    assert parts.touched("Framework", "administration:ADM-X") == (parts.LEVELS, parts.MAPPINGS)
    assert parts.touched("Administration", None) == (parts.LEVELS,)
    assert parts.touched("ApiKey", "institution:EXU") == (parts.ACCESS,)


def test_a_write_of_an_unknown_kind_touches_the_whole_graph() -> None:
    assert parts.touched("SomethingNew", None) == (parts.META,)


def test_declarations_cover_their_parts_every_institution_and_the_whole_graph() -> None:
    table = (parts.CATALOGUE, parts.PROFILES, parts.LEVELS, parts.MAPPINGS)
    assert not parts.covers(table, "courses:EXU")
    assert parts.covers(table, parts.META)  # every answer rests on the whole graph
    assert parts.covers((parts.COURSES,), "courses:EXU")
    assert parts.covers(parts.EVERYTHING, "courses:EXU")
    assert not parts.covers(parts.EVERYTHING, parts.ACCESS)  # no answer shows a key


def test_an_answers_tokens_are_those_of_its_parts_in_a_fixed_order() -> None:
    tokens = {"courses:B": "2", "mappings": "3", "courses:A": "1", "catalogue": "4"}
    assert parts.tokens_for((parts.COURSES,), tokens) == (("courses:A", "1"), ("courses:B", "2"))
    assert parts.tokens_for((parts.MAPPINGS,), tokens) == (("mappings", "3"),)
