"""The seed catalog: the sourced seed data loads, keeps its evidence tags and rejects bad rows.

These tests pin the facts users rely on (EQF levels, the Irish many-to-one referencing, the
"no equivalence known" cases) and the honesty rules (illustrative data is never dressed up as
official), so a careless edit to a CSV fails here rather than in front of a user.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from app.domain.equivalence import LevelRef, MappingEdge, check_mapping_quality
from app.domain.vocab import EvidenceStatus
from app.seed.catalog import SeedBundle, SeedDataError, load_seed_bundle

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"
STATUSES = {s.value for s in EvidenceStatus}
OFFICIAL_PUBLISHER_MARKERS = ("world customs", "wco", "european commission", "dg taxud", "eu ")


@pytest.fixture(scope="module")
def bundle() -> SeedBundle:
    return load_seed_bundle(SEED_DIR)


def _nodes(bundle: SeedBundle, label: str) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in bundle.node_set(label).rows}


def _maps_to(bundle: SeedBundle) -> list[dict[str, Any]]:
    return bundle.rels_of_type("MAPS_TO")


def _sourced_rows(bundle: SeedBundle) -> list[dict[str, Any]]:
    """Every node row plus the props of every relationship that carries a status."""
    rows = [row for ns in bundle.nodes for row in ns.rows]
    rows += [r["props"] for rs in bundle.rels for r in rs.rows if "status" in r["props"]]
    return rows


def test_bundle_loads_with_every_label_of_the_model(bundle: SeedBundle) -> None:
    counts = bundle.count_by_label()
    expected = {
        "Framework",
        "Level",
        "CompetencyGroup",
        "Competency",
        "ProficiencyLevel",
        "JobFamily",
        "JobProfile",
        "ProfessionalTask",
        "FunctionalDomain",
        "GenericRole",
        "Occupation",
        "PicardStandard",
        "Institution",
        "Programme",
        "Course",
        "Administration",
    }
    assert set(counts) == expected
    assert all(n > 0 for n in counts.values())


def test_loading_is_deterministic(bundle: SeedBundle) -> None:
    again = load_seed_bundle(SEED_DIR)
    assert again == bundle


def test_every_status_is_allowed_and_every_row_has_a_source(bundle: SeedBundle) -> None:
    for row in _sourced_rows(bundle):
        assert row["status"] in STATUSES
        assert row["source_document"]
    status_counts = bundle.count_by_status()
    assert set(status_counts) == STATUSES
    assert sum(status_counts.values()) == len(_sourced_rows(bundle))


def test_node_rows_carry_the_common_properties(bundle: SeedBundle) -> None:
    common = {
        "code",
        "name",
        "name_fr",
        "description",
        "description_fr",
        "status",
        "source_document",
        "source_publisher",
        "source_year",
        "source_url",
    }
    for ns in bundle.nodes:
        for row in ns.rows:
            assert common <= set(row), (ns.label, row["code"])
            for value in row.values():
                assert value is None or isinstance(value, str | int | float | bool | list)


def test_eqf_has_eight_levels_with_descriptors(bundle: SeedBundle) -> None:
    eqf = [row for row in bundle.node_set("Level").rows if row["framework"] == "EQF"]
    assert sorted(row["ordinal"] for row in eqf) == list(range(1, 9))
    for row in eqf:
        assert row["knowledge"] and row["skills"] and row["autonomy"]
        assert row["level"] == str(row["ordinal"])


def test_ireland_7_and_8_both_reference_eqf_6_as_broad_match(bundle: SeedBundle) -> None:
    edges = {(r["from"], r["to"]): r["props"] for r in _maps_to(bundle)}
    for source in ("IE-NFQ:7", "IE-NFQ:8"):
        props = edges[(source, "EQF:6")]
        assert props["match_type"] == "broadMatch"
        assert props["status"] == "verified"
        assert props["method"] == "official_referencing"
        assert props["id"] == f"map:{source}>EQF:6"


def test_one_to_one_referencing_is_close_not_exact(bundle: SeedBundle) -> None:
    edges = {(r["from"], r["to"]): r["props"] for r in _maps_to(bundle)}
    assert edges[("NL-NLQF:6", "EQF:6")]["match_type"] == "closeMatch"
    assert not any(r["props"]["match_type"] == "exactMatch" for r in _maps_to(bundle))


@pytest.mark.parametrize(
    "level", ["NZ-NZQCF:8", "UK-SCQF:1", "UK-SCQF:2", "UK-RQF:E1", "UK-RQF:E2", "NL-NLQF:ENTRY"]
)
def test_levels_with_no_known_equivalence_have_no_mapping(bundle: SeedBundle, level: str) -> None:
    assert level in _nodes(bundle, "Level")
    assert not [r for r in _maps_to(bundle) if level in (r["from"], r["to"])]


def test_no_aqf_or_hkqf_mapping_is_seeded(bundle: SeedBundle) -> None:
    levels = _nodes(bundle, "Level")
    assert any(code.startswith("AU-AQF:") for code in levels)
    for r in _maps_to(bundle):
        for end in (r["from"], r["to"]):
            assert not end.startswith(("AU-AQF:", "HK-HKQF:"))


def test_uk_mappings_are_historical_and_unverified_ones_stay_unverified(
    bundle: SeedBundle,
) -> None:
    for r in _maps_to(bundle):
        framework = r["from"].split(":")[0]
        assert r["props"]["historical"] is framework.startswith("UK-")
        if framework in ("DE-DQR", "FR-CNCP", "QF-EHEA"):
            assert r["props"]["status"] == "unverified"
    assert _nodes(bundle, "Framework")["UK-RQF"]["historical"] is True


def test_isced_and_cqf_mappings_are_illustrative_and_never_exact(bundle: SeedBundle) -> None:
    for r in _maps_to(bundle):
        if r["from"].startswith(("ISCED-2011:", "CQF:", "ADM-")):
            assert r["props"]["status"] == "illustrative"
            assert r["props"]["method"] == "illustrative"
            assert r["props"]["match_type"] != "exactMatch"
    cqf5 = {r["to"] for r in _maps_to(bundle) if r["from"] == "CQF:5"}
    assert cqf5 == {"EQF:7", "EQF:8"}


def test_every_job_profile_is_illustrative_and_fully_placed(bundle: SeedBundle) -> None:
    profiles = _nodes(bundle, "JobProfile")
    at_level = {r["from"] for r in bundle.rels_of_type("AT_LEVEL")}
    in_family = {r["from"] for r in bundle.rels_of_type("IN_FAMILY")}
    for code, row in profiles.items():
        assert row["status"] == "illustrative"
        assert "illustrative" in row["name"].lower()
        assert code in at_level and code in in_family
    requires = bundle.rels_of_type("REQUIRES")
    assert all(r["props"]["status"] == "illustrative" for r in requires)


def test_illustrative_rows_never_pass_as_official(bundle: SeedBundle) -> None:
    for ns in bundle.nodes:
        for row in ns.rows:
            if row["status"] != "illustrative":
                continue
            text = f"{row['name']} {row['description'] or ''}".lower()
            assert "illustrative" in text, (ns.label, row["code"])
    for row in _sourced_rows(bundle):
        if row["status"] != "illustrative":
            continue
        publisher = (row["source_publisher"] or "").lower()
        claims_official = any(marker in publisher for marker in OFFICIAL_PUBLISHER_MARKERS)
        assert not claims_official or "illustrative" in row["source_document"].lower()
        assert "illustrative" in row["source_document"].lower()


def test_gap_items_are_not_seeded(bundle: SeedBundle) -> None:
    assert "OTHER" not in _nodes(bundle, "FunctionalDomain")
    assert not [c for c in _nodes(bundle, "PicardStandard") if c.endswith("K..")]


def test_custcompeu_operational_competencies(bundle: SeedBundle) -> None:
    ops = {c: r for c, r in _nodes(bundle, "Competency").items() if r["group"] == "OPS"}
    assert len(ops) == 21
    assert all(r["status"] == "verified" for r in ops.values())
    assert sum(1 for r in ops.values() if r["trade_only"] is False) == 7


def test_picard_proposed_topics_say_proposed(bundle: SeedBundle) -> None:
    standards = _nodes(bundle, "PicardStandard")
    proposed = [r for r in standards.values() if r["kind"] == "proposed_theme"]
    assert proposed and all(r["version"] == "next" for r in proposed)
    assert all("proposed" in r["name"].lower() for r in proposed)
    areas = [r for r in standards.values() if r["kind"] == "knowledge_area"]
    assert len(areas) == 8 and all(r["tier"] == "STRATEGIC" for r in areas)


def test_some_required_competency_is_developed_by_no_course(bundle: SeedBundle) -> None:
    required = {r["to"] for r in bundle.rels_of_type("REQUIRES")}
    developed = {r["to"] for r in bundle.rels_of_type("DEVELOPS")}
    assert required - developed
    assert required & developed


def _copy_seed(tmp_path: Path) -> Path:
    target = tmp_path / "seed_data"
    shutil.copytree(SEED_DIR, target)
    return target


def test_bad_status_names_file_and_line(tmp_path: Path) -> None:
    directory = _copy_seed(tmp_path)
    path = directory / "frameworks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("EQF,")
    lines[1] = lines[1].replace(",verified,", ",official,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedDataError, match=r"frameworks\.csv:2: status 'official'"):
        load_seed_bundle(directory)


def test_dangling_relationship_endpoint_is_rejected(tmp_path: Path) -> None:
    directory = _copy_seed(tmp_path)
    path = directory / "requires.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("JP-NOPE,OPS-P01,trained,illustrative,doc,pub,,\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(SeedDataError, match=rf"requires\.csv:{line}: from 'JP-NOPE'"):
        load_seed_bundle(directory)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",0.95,", ",1.5,", "confidence 1.5 outside 0..1"),
        (",broadMatch,", ",sameAs,", "match_type 'sameAs'"),
    ],
)
def test_bad_mapping_values_are_rejected(tmp_path: Path, old: str, new: str, message: str) -> None:
    directory = _copy_seed(tmp_path)
    path = directory / "mappings_nqf_eqf.csv"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if old in t)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SeedDataError, match=rf"mappings_nqf_eqf\.csv:{line}: {message}"):
        load_seed_bundle(directory)


def _append_row(path: Path, values: dict[str, str]) -> int:
    """Append one row (unset columns empty) and return its line number."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        count = 1 + sum(1 for _ in reader)
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([values.get(c, "") for c in header])
    return count + 1


def test_duplicate_code_is_rejected(tmp_path: Path) -> None:
    directory = _copy_seed(tmp_path)
    row = {"code": "AUDIT", "name": "Audit again", "status": "verified", "source_document": "x"}
    line = _append_row(directory / "functional_domains.csv", row)
    with pytest.raises(
        SeedDataError, match=rf"functional_domains\.csv:{line}: duplicate FunctionalDomain code"
    ):
        load_seed_bundle(directory)


def test_node_without_source_document_is_rejected(tmp_path: Path) -> None:
    directory = _copy_seed(tmp_path)
    row = {"code": "NEW", "name": "New domain", "status": "verified"}
    line = _append_row(directory / "functional_domains.csv", row)
    with pytest.raises(
        SeedDataError, match=rf"functional_domains\.csv:{line}: source_document is empty"
    ):
        load_seed_bundle(directory)


def test_missing_column_and_unknown_file_are_rejected(tmp_path: Path) -> None:
    directory = _copy_seed(tmp_path)
    (directory / "stray.csv").write_text("code\nX\n", encoding="utf-8")
    with pytest.raises(SeedDataError, match=r"stray\.csv: file is not described"):
        load_seed_bundle(directory)
    (directory / "stray.csv").unlink()
    path = directory / "administrations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",scale,", ",scal,", 1), encoding="utf-8")
    with pytest.raises(SeedDataError, match=r"administrations\.csv:1: header mismatch"):
        load_seed_bundle(directory)


# ------------------------------------------------------------------ national EQF referencing


def test_slovenian_sok_9_is_two_related_mappings_each_naming_its_qualifications(
    bundle: SeedBundle,
) -> None:
    sok9 = {r["to"]: r["props"] for r in _maps_to(bundle) if r["from"] == "SI-SOK:9"}
    assert set(sok9) == {"EQF:7", "EQF:8"}
    assert {p["match_type"] for p in sok9.values()} == {"relatedMatch"}
    assert "specialisation diploma" in sok9["EQF:7"]["note"]
    assert "research master" in sok9["EQF:8"]["note"]
    for target, other in (("EQF:7", "EQF:8"), ("EQF:8", "EQF:7")):
        assert f"map:SI-SOK:9>{other}" in sok9[target]["note"]


def test_many_to_one_is_broad_and_one_to_one_is_close(bundle: SeedBundle) -> None:
    edges = {(r["from"], r["to"]): r["props"]["match_type"] for r in _maps_to(bundle)}
    assert edges[("SI-SOK:4", "EQF:4")] == edges[("SI-SOK:5", "EQF:4")] == "broadMatch"
    assert edges[("IS-ISQF:5.1", "EQF:6")] == edges[("IS-ISQF:5.2", "EQF:6")] == "broadMatch"
    assert edges[("AT-NQR:6", "EQF:6")] == edges[("IS-ISQF:1", "EQF:2")] == "closeMatch"


def test_year_only_frameworks_have_a_year_and_no_mapping(bundle: SeedBundle) -> None:
    frameworks = _nodes(bundle, "Framework")
    year_only = {c: f for c, f in frameworks.items() if f["referencing_status"] == "no_level_table"}
    assert set(year_only) == {"BE-FR-CFC", "HU-NQF", "DK-NQF", "NO-NQF", "BG-NQF", "RO-NQF",
                              "TR-NQF", "ME-NQF", "MK-NQF", "LU-NQF", "XK-NQF"}
    assert year_only["NO-NQF"]["referencing_year"] == 2014
    assert all(f["referencing_year"] and f["status"] == "unverified" for f in year_only.values())
    mapped = {r["from"].split(":")[0] for r in _maps_to(bundle)}
    assert not mapped & set(year_only)
    no_levels = sorted(c for c, lv in _nodes(bundle, "Level").items()
                       if lv["framework"] == "NO-NQF")
    assert no_levels == [f"NO-NQF:{n}" for n in range(2, 9)]
    assert not {"RS", "AL", "BA", "LI"} & {f["country"] for f in frameworks.values()}


def test_every_national_framework_has_a_country_and_a_referencing_status(
    bundle: SeedBundle,
) -> None:
    national = [f for f in bundle.node_set("Framework").rows if f["kind"] == "national"]
    assert len(national) == 40
    assert all(f["country"] and f["referencing_status"] for f in national)


def test_the_seeded_mappings_have_no_contradiction_cycle_or_fan_out(bundle: SeedBundle) -> None:
    edges = [MappingEdge(id=r["props"]["id"], source=r["from"], target=r["to"],
                         match_type=r["props"]["match_type"],
                         confidence=r["props"]["confidence"],
                         review_status=r["props"]["review_status"]) for r in _maps_to(bundle)]
    levels = [LevelRef(r["code"], r["framework"], r["ordinal"])
              for r in bundle.node_set("Level").rows]
    report = check_mapping_quality(edges, levels)
    assert report.contradictory_exact == []
    assert report.cycles == []
    assert report.fan_out == []


def _edit_row(path: Path, match: str, column: str, value: str) -> int:
    """Set one cell of the first row whose text contains ``match``; returns its line."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    index = next(i for i, row in enumerate(rows) if match in ",".join(row))
    rows[index][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return index + 1


@pytest.mark.parametrize(
    ("match", "column", "value", "message"),
    [
        ("map:AT-NQR:3>EQF:3", "evidence_language", "", "evidence_quote and evidence_language"),
        ("map:AT-NQR:3>EQF:3", "evidence_language", "English", "not a language tag"),
        ("map:AT-NQR:3>EQF:3", "source_url", "", "needs its source_url"),
        ("map:AT-NQR:3>EQF:3", "evidence_quote", "x" * 301, "longer than 300"),
    ],
)
def test_a_quote_without_language_or_url_is_rejected(
    tmp_path: Path, match: str, column: str, value: str, message: str
) -> None:
    directory = _copy_seed(tmp_path)
    line = _edit_row(directory / "mappings_nqf_eqf.csv", match, column, value)
    with pytest.raises(SeedDataError, match=rf"mappings_nqf_eqf\.csv:{line}: .*{message}"):
        load_seed_bundle(directory)


@pytest.mark.parametrize(
    ("code", "column", "value", "message"),
    [
        ("AT-NQR", "referencing_status", "unverified", "but mapping evidence \\['verified'\\]"),
        ("HU-NQF", "referencing_status", "verified", "but no EQF mapping seeded"),
        ("HU-NQF", "referencing_year", "", "no_level_table needs the referencing_year"),
        ("AT-NQR", "country", "Austria", "not an ISO 3166 alpha-2 code"),
        ("AT-NQR", "country", "", "needs country and referencing_status"),
    ],
)
def test_a_referencing_status_that_the_mappings_contradict_is_rejected(
    tmp_path: Path, code: str, column: str, value: str, message: str
) -> None:
    directory = _copy_seed(tmp_path)
    line = _edit_row(directory / "frameworks.csv", f"{code},", column, value)
    with pytest.raises(SeedDataError, match=rf"frameworks\.csv:{line}: .*{message}"):
        load_seed_bundle(directory)


@pytest.mark.parametrize(
    ("file", "match", "column", "value", "allowed"),
    [
        ("frameworks.csv", "EQF,", "status", "official",
         "['verified', 'unverified', 'illustrative']"),
        ("mappings_nqf_eqf.csv", "map:AT-NQR:3>EQF:3", "method", "gut_feeling",
         "['official_referencing', 'comparison_study', 'expert_panel', 'computed', "
         "'illustrative']"),
        ("requires.csv", "OPS-P01", "proficiency", "master",
         "['aware', 'trained', 'advanced', 'expert']"),
        ("develops.csv", "CRS-EXU-01,OPS-P08", "review_status", "approved",
         "['proposed', 'accepted', 'rejected', 'superseded']"),
        ("mappings_isced_eqf.csv", "map:ISCED-2011:2>EQF:1", "match_type", "exact",
         "['exactMatch', 'closeMatch', 'broadMatch', 'narrowMatch', 'relatedMatch']"),
    ],
)
def test_a_value_outside_the_vocabulary_is_refused_naming_where_and_what_is_allowed(
    tmp_path: Path, file: str, match: str, column: str, value: str, allowed: str
) -> None:
    directory = _copy_seed(tmp_path)
    line = _edit_row(directory / file, match, column, value)
    assert line > 1
    with pytest.raises(SeedDataError) as refused:
        load_seed_bundle(directory)
    assert str(refused.value) == f"{file}:{line}: {column} {value!r} not in {allowed}"
    assert (refused.value.file, refused.value.line) == (file, line)


def test_every_problem_of_a_row_is_named_at_once(tmp_path: Path) -> None:
    directory = _copy_seed(tmp_path)
    path = directory / "mappings_nqf_eqf.csv"
    _edit_row(path, "map:AT-NQR:3>EQF:3", "method", "gut_feeling")
    line = _edit_row(path, "map:AT-NQR:3>EQF:3", "confidence", "high")
    with pytest.raises(SeedDataError) as refused:
        load_seed_bundle(directory)
    message = str(refused.value)
    assert message.startswith(f"mappings_nqf_eqf.csv:{line}: ")
    assert "column 'confidence'" in message and "method 'gut_feeling' not in" in message
