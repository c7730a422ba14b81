"""Parsing and validating an institution's mapping file, and diffing it with the graph."""

from __future__ import annotations

import pytest

from app.domain import course_mappings as cm
from app.domain.errors import InvalidInput

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
C01 = "EXU/PROG-EXU-MSC/CRS-EXU-01"  # course keys are scoped: INSTITUTION/PROGRAMME/COURSE
REF = cm.Reference(
    institution="EXU", programmes=cm.Reference.folded({"PROG-EXU-MSC", "PROG-EXU-BSC"}),
    competencies=cm.Reference.folded({"OPS-P01", "OPS-P02"}),
    standards=cm.Reference.folded({"PS2008-K01"}),
    proficiencies=("aware", "trained", "advanced", "expert"),
    courses=cm.Reference.folded({C01}),
)


def _problems(text: str) -> list:
    with pytest.raises(InvalidInput) as caught:
        cm.validate(cm.parse_csv(text.encode(), 100), REF)
    return caught.value.problems


def test_csv_with_bom_and_semicolons_is_read() -> None:
    text = "\ufeff" + HEADER.replace(",", ";") + \
        "PROG-EXU-MSC;CRS-EXU-01;;develops;OPS-P01;trained;outcome 1;exam\n"
    rows = cm.validate(cm.parse_csv(text.encode("utf-8"), 100), REF)
    assert rows[0].key == (C01, "develops", "OPS-P01") and rows[0].line == 2
    assert rows[0].evidence == "outcome 1"


def test_every_bad_row_is_reported_with_line_and_column() -> None:
    problems = _problems(
        HEADER
        + "PROG-EXU-MSC,CRS-EXU-01,,develops,NOPE,trained,,\n"       # unknown competency
        + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P02,master,,\n"     # proficiency out of scale
        + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P01,,,\n"           # missing proficiency
        + "PROG-EXU-MSC,CRS-OTHER,,develops,OPS-P01,aware,,\n"       # new course, no name
        + "PROG-EXU-MSC,,,aligns_with,PS2008-K01,,,\n"               # missing course
        + "PROG-EXU-MSC,CRS-EXU-01,,aligns_with,PS2008-K01,,,\n"     # fine
        + "PROG-EXU-MSC,CRS-EXU-01,,aligns_with,PS2008-K01,,,\n"     # duplicate of line 7
        + "PROG-NOPE,CRS-EXU-01,,aligns_with,PS2008-K01,,,\n")       # unknown programme
    where = {(p.line, p.column) for p in problems}
    assert {(2, "target"), (3, "proficiency"), (4, "proficiency"), (5, "course_name"),
            (6, "course"), (8, "row"), (9, "programme")} <= where
    assert 7 not in {p.line for p in problems}
    messages = " ".join(p.text for p in problems)
    assert "unknown competency" in messages and "out of scale" in messages
    assert "a new course needs a name" in messages and "duplicate row" in messages


def test_a_new_course_needs_a_name_somewhere_in_the_file() -> None:
    ok = HEADER + "PROG-EXU-MSC,NEW-1,Customs law,develops,OPS-P01,aware,,\n" \
        + "PROG-EXU-MSC,NEW-1,,aligns_with,PS2008-K01,,,\n"
    assert len(cm.validate(cm.parse_csv(ok.encode(), 100), REF)) == 2
    problems = _problems(HEADER + "PROG-EXU-MSC,NEW-2,,develops,OPS-P01,aware,,\n")
    assert [(p.line, p.column) for p in problems] == [(2, "course_name")]


def test_a_header_without_required_columns_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        cm.parse_csv(b"course,competency\nA,B\n", 10)
    assert {p.value for p in caught.value.problems} >= {"programme", "kind", "target",
                                                        "competency"}


def test_too_many_rows_is_its_own_error() -> None:
    text = HEADER + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P01,aware,,\n" * 3
    with pytest.raises(cm.TooManyRows):
        cm.parse_csv(text.encode(), 2)


def test_json_rows_are_numbered_from_one() -> None:
    data = b'{"rows": [{"programme": "PROG-EXU-MSC", "course": "CRS-EXU-01", ' \
           b'"kind": "develops", "target": "OPS-P01", "proficiency": "expert"}, 7]}'
    with pytest.raises(InvalidInput) as caught:
        cm.validate(cm.parse_json(data, 10), REF)
    assert [p.line for p in caught.value.problems] == [2]


def test_the_diff_counts_added_changed_removed_and_unchanged() -> None:
    rows = cm.validate(cm.parse_csv((
        HEADER + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P01,aware,,\n"
        + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P02,expert,,\n"
        + "PROG-EXU-MSC,CRS-EXU-01,,aligns_with,PS2008-K01,,,\n").encode(), 10), REF)
    c02 = "EXU/PROG-EXU-MSC/CRS-EXU-02"
    current = {
        (C01, "develops", "OPS-P01"): {"proficiency": "aware", "evidence": None,
                                       "assessment": None},
        (C01, "develops", "OPS-P02"): {"proficiency": "trained", "evidence": None,
                                       "assessment": None},
        (c02, "develops", "OPS-P02"): {"proficiency": "trained"},
    }
    change = cm.diff(rows, current)
    assert change.counts() == {"added": 1, "changed": 1, "removed": 1, "unchanged": 1}
    assert change.removed == [(c02, "develops", "OPS-P02")]
    assert cm.diff(rows, current, scope={C01}).removed == []


def test_a_course_code_under_two_programmes_is_two_courses() -> None:
    rows = cm.validate(cm.parse_csv((
        HEADER + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P01,aware,,\n"
        + "PROG-EXU-BSC,CRS-EXU-01,Intro,develops,OPS-P01,aware,,\n").encode(), 10), REF)
    assert [r.course_id for r in rows] == [C01, "EXU/PROG-EXU-BSC/CRS-EXU-01"]
    assert len({r.key for r in rows}) == 2  # not a duplicate row


def test_codes_and_proficiencies_are_forgiven_and_stored_canonically() -> None:
    text = HEADER + "prog-exu-msc,crs-exu-01,,DEVELOPS,ops-p01,Advanced,,\n" \
        + "Prog-Exu-Msc,CRS-exu-01,,aligns_with,ps2008-k01,,,\n"
    rows = cm.validate(cm.parse_csv(text.encode(), 100), REF)
    assert [(r.programme, r.course, r.kind, r.target, r.proficiency) for r in rows] == [
        ("PROG-EXU-MSC", "CRS-EXU-01", "develops", "OPS-P01", "advanced"),
        ("PROG-EXU-MSC", "CRS-EXU-01", "aligns_with", "PS2008-K01", None)]


def test_out_of_scale_lists_the_allowed_proficiencies_in_scale_order() -> None:
    problems = _problems(HEADER + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P01,master,,\n")
    assert problems[0].text.endswith("(expected one of aware, trained, advanced, expert)")


def test_a_bad_first_row_of_a_new_course_is_its_only_error() -> None:
    """The first row names the new course but is bad; its later rows are fine and must not
    be reported again as 'a new course needs a name'."""
    problems = _problems(
        HEADER
        + "PROG-EXU-MSC,NEW-9,Customs law,develops,NOPE,aware,,\n"      # bad target
        + "PROG-EXU-MSC,NEW-9,,develops,OPS-P01,aware,,\n"
        + "PROG-EXU-MSC,NEW-9,,develops,OPS-P02,master,,\n"              # bad proficiency
        + "PROG-EXU-MSC,NEW-9,,aligns_with,PS2008-K01,,,\n"
        + "PROG-EXU-MSC,NEW-8,Valuation,develops,OPS-P01,guru,,\n")      # bad proficiency
    assert sorted((p.line, p.column) for p in problems) == [
        (2, "target"), (4, "proficiency"), (6, "proficiency")]
