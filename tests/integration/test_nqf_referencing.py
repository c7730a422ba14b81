"""Every row of the NQF -> EQF referencing research table is in the seeded graph as it says.

The table (``nqf_eqf_referencing_more.csv``) is the research the seed rows were made from; it
sits beside the repository (``../shared/reference/``), not in it. When it is at hand, each row
must match one seeded mapping: same target EQF level, same evidence status, same quote, same
source, the framework's referencing year; and the seeded frameworks hold no mapping the table
does not state. So a later edit of either side is caught. Without the table the test skips and
says why.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from app.graph.port import GraphStore

REFERENCE = (Path(__file__).resolve().parents[3] / "shared" / "reference"
             / "nqf_eqf_referencing_more.csv")
MATCH = {"one-to-one": "closeMatch", "many-to-one": "broadMatch", "one-to-many": "relatedMatch"}


@pytest.fixture(scope="module")
def reference_rows() -> list[dict[str, str]]:
    if not REFERENCE.is_file():
        pytest.skip(f"the research table {REFERENCE} is not at hand (it lives beside the "
                    "repository, in shared/reference/)")
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seeded(seeded_falkordb: GraphStore) -> dict[str, Any]:
    mappings = seeded_falkordb.read(
        "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) RETURN a.framework AS framework, "
        "a.code AS from_level, b.code AS to_level, properties(m) AS m")
    frameworks = seeded_falkordb.read("MATCH (f:Framework) RETURN properties(f) AS f")
    levels = seeded_falkordb.read("MATCH (l:Level) RETURN properties(l) AS l")
    return {"mappings": {(r["from_level"], r["to_level"]): r["m"] for r in mappings},
            "by_framework": _group(mappings),
            "frameworks": {r["f"]["code"]: r["f"] for r in frameworks},
            "levels": {r["l"]["code"]: r["l"] for r in levels}}


def _group(rows: list[dict[str, Any]]) -> dict[str, set[tuple[str, str]]]:
    grouped: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        grouped[r["framework"]].add((r["from_level"], r["to_level"]))
    return grouped


def test_the_table_has_the_size_its_note_announces(reference_rows: list[dict[str, str]]) -> None:
    assert len(reference_rows) == 147
    assert len({r["framework_code"] for r in reference_rows}) == 20


def test_every_row_is_one_seeded_mapping_with_its_evidence(
        reference_rows: list[dict[str, str]], seeded: dict[str, Any]) -> None:
    problems = []
    for row in reference_rows:
        level = f"{row['framework_code']}:{row['level']}"
        mapping = seeded["mappings"].get((level, f"EQF:{row['eqf_level']}"))
        if mapping is None:
            problems.append(f"{level} -> EQF:{row['eqf_level']}: not seeded")
            continue
        expected = {"status": row["status"], "evidence_quote": row["quote"],
                    "source_url": row["source_url"], "source_document": row["source_title"],
                    "match_type": MATCH[row["relation"]], "review_status": "accepted",
                    "method": "official_referencing"}
        for key, value in expected.items():
            if mapping.get(key) != value:
                problems.append(f"{level} -> EQF:{row['eqf_level']}: {key} is "
                                f"{mapping.get(key)!r}, the table says {value!r}")
        if not mapping.get("evidence_language"):
            problems.append(f"{level}: the quote has no language")
        if seeded["levels"][level]["level"] != row["level"]:
            problems.append(f"{level}: level code changed")
    assert problems == []


def test_every_framework_keeps_its_year_country_name_and_nothing_more(
        reference_rows: list[dict[str, str]], seeded: dict[str, Any]) -> None:
    by_framework: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in reference_rows:
        by_framework[row["framework_code"]].append(row)
    for code, rows in by_framework.items():
        framework = seeded["frameworks"][code]
        years = {r["referencing_year"] for r in rows}
        assert len(years) == 1, code
        year = years.pop()
        assert framework.get("referencing_year") == (int(year) if year else None), code
        assert framework["name"] == rows[0]["framework_name"]
        assert framework["jurisdiction"] == rows[0]["country"]
        statuses = {r["status"] for r in rows}
        assert framework["referencing_status"] == (
            "verified" if statuses == {"verified"} else
            "unverified" if statuses == {"unverified"} else "partly_verified"), code
        stated = {(f"{code}:{r['level']}", f"EQF:{r['eqf_level']}") for r in rows}
        assert seeded["by_framework"][code] == stated, f"{code}: a mapping the table lacks"
        seeded_levels = {c for c, lv in seeded["levels"].items() if lv["framework"] == code}
        assert seeded_levels == {f"{code}:{r['level']}" for r in rows}, code


def test_sub_levels_are_ordered_as_the_framework_writes_them(seeded: dict[str, Any]) -> None:
    def order(framework: str) -> list[str]:
        levels = [lv for lv in seeded["levels"].values() if lv["framework"] == framework]
        return [lv["level"] for lv in sorted(levels, key=lambda lv: (lv["ordinal"], lv["code"]))]

    assert order("CY-CyQF") == ["1", "2", "3", "4", "5a", "5b", "5c", "6", "7a", "7b", "7c",
                                "8"]
    assert order("IS-ISQF") == ["1", "5.1", "5.2", "6.1", "6.2", "7"]
    assert order("HR-HKO") == ["4.2", "5", "6.st", "6.sv", "7.1.st", "7.1.sv"]
    assert order("SI-SOK") == [str(n) for n in range(1, 11)]
    levels = seeded["levels"]
    assert levels["HR-HKO:6.st"]["ordinal"] == levels["HR-HKO:6.sv"]["ordinal"]
