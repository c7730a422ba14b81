"""Which parts of the graph a write touches and which an answer rests on (issue 26)."""

from __future__ import annotations

from app.domain import parts


def test_an_institutions_writes_touch_its_own_courses_only() -> None:
    for kind in ("Institution", "Course", "develops", "aligns_with"):
        assert parts.touched(kind, "institution:EXU") == ("courses:EXU",)


def test_a_programme_write_also_touches_every_institutions_programmes() -> None:
    assert parts.touched("Programme", "institution:EXU") == ("courses:EXU", parts.PROGRAMMES)


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


def test_each_detail_page_declares_the_parts_its_lists_read() -> None:
    """A page listing related entities of a kind is computed again after a write to them:
    its declaration (``detail_parts``) names the part they are written in."""
    from app.domain.vocab import NodeLabel as L
    from app.graph.cypher.catalog.reads import RELATIONS
    from app.services.catalog.reads import detail_parts

    written_in = {L.COURSE: parts.COURSES, L.INSTITUTION: parts.COURSES,
                  L.PROGRAMME: parts.PROGRAMMES, L.JOB_PROFILE: parts.PROFILES,
                  L.LEVEL: parts.LEVELS, L.FRAMEWORK: parts.LEVELS,
                  L.ADMINISTRATION: parts.LEVELS}
    for label, relations in RELATIONS.items():
        declared = detail_parts(label)
        for relation in relations:
            part = written_in.get(relation.other, parts.CATALOGUE)
            assert parts.covers(declared, part) or (
                part == parts.PROGRAMMES and parts.COURSES in declared), (label, relation.name)
    assert parts.MAPPINGS in detail_parts(L.LEVEL)  # its mappings, read beside the relations
    assert parts.COURSES in detail_parts(L.COMPETENCY)  # PICARD standards through courses


def test_every_answer_rests_on_what_was_written_from_outside_the_service() -> None:
    for declared in ((parts.MAPPINGS,), (parts.CATALOGUE, parts.COURSES), parts.EVERYTHING):
        assert parts.covers(declared, parts.FOREIGN)
