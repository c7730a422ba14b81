"""The CQF table over HTTP on the seeded graph: JSON cells with derivation and evidence,
national and administration columns, French labels, one 422 naming every problem, and the
CSV / XLSX / CSVW formats (the spreadsheet round trip and the CSVW parse included)."""

from __future__ import annotations

import csv
import io
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR

SEP = " | "
RANK = {"aware": 1, "trained": 2, "advanced": 3, "expert": 4}


def _seed(name: str) -> list[dict[str, str]]:
    with (Path(SEED_DATA_DIR) / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def table(api: TestClient) -> dict:
    response = api.get("/api/v1/cqf-table", params={"frameworks": "IE-NFQ",
                                                     "administration": "ADM-A"})
    assert response.status_code == 200
    return response.json()


def test_one_row_per_cqf_level_in_order(api: TestClient, table: dict) -> None:
    levels = [r for r in _seed("levels_cqf.csv")]
    expected = [r["code"] for r in sorted(levels, key=lambda r: int(r["ordinal"]))]
    assert [row["level"]["code"] for row in table["rows"]] == expected
    assert table["total"] == len(expected)


def test_every_cell_says_its_derivation_and_weakest_evidence(table: dict) -> None:
    for row in table["rows"]:
        cells = [row["eqf"], row["isced"], row["qf_ehea"], row["picard_tier"],
                 row["job_profiles"], row["generic_roles"], row["tasks"],
                 row["national"]["IE-NFQ"], row["administration"],
                 *row["competency_groups"].values()]
        for cell in cells:
            assert cell["derivation"]
            values = cell.get("values", [])
            if values or cell.get("requirements"):
                assert cell["evidence_status"] in ("verified", "unverified", "illustrative")


def test_illustrative_inputs_make_the_table_illustrative(table: dict) -> None:
    # The CQF level scale is illustrative seed data, so the table must say so.
    assert table["illustrative"] is True and table["evidence_status"] == "illustrative"
    assert "llustrative" in table["notice"]


def test_eqf_cells_follow_the_seeded_cqf_mappings_with_their_path(table: dict) -> None:
    by_level = {row["level"]["code"]: row for row in table["rows"]}
    for mapping in _seed("mappings_cqf_eqf.csv"):
        cell = by_level[mapping["from"]]["eqf"]
        found = {v["level"]: v for v in cell["values"]}
        assert mapping["to"] in found
        assert found[mapping["to"]]["path"] == [mapping["id"]]
        assert found[mapping["to"]]["match_type"] == mapping["match_type"]


def test_national_column_is_composed_through_eqf(table: dict) -> None:
    for row in table["rows"]:
        eqf = {v["level"] for v in row["eqf"]["values"]}
        for value in row["national"]["IE-NFQ"]["values"]:
            assert value["level"].startswith("IE-NFQ:")
            assert len(value["path"]) == 2  # CQF -> EQF -> IE-NFQ
            assert value["path"][0].split(">")[1] in eqf


def test_administration_column_reads_the_grade_mappings_backwards(table: dict) -> None:
    by_level = {row["level"]["code"]: row for row in table["rows"]}
    assert table["administration_scale"] == "ADM-A-GRADES"
    for mapping in _seed("mappings_grades_cqf.csv"):
        if mapping["from"].startswith("ADM-A-GRADES:"):
            values = by_level[mapping["to"]]["administration"]["values"]
            assert mapping["from"] in [v["level"] for v in values]


def test_picard_tier_follows_the_eqf_level(table: dict) -> None:
    for row in table["rows"]:
        ordinals = {v["ordinal"] for v in row["eqf"]["values"]}
        tiers = {v["code"] for v in row["picard_tier"]["values"]}
        assert ("OPERATIONAL" in tiers) == (6 in ordinals)
        assert ("STRATEGIC" in tiers) == bool(ordinals & {7, 8})
        if tiers:
            assert row["picard_tier"]["evidence_status"] in ("unverified", "illustrative")


def test_typical_proficiency_is_the_lower_median_with_its_counts(table: dict) -> None:
    groups = {r["code"]: r["group"] for name in ("competencies_operational.csv",
                                                 "competencies_esco.csv",
                                                 "competencies_placeholder_illustrative.csv")
              for r in _seed(name)}
    requires = _seed("requires.csv")
    for row in table["rows"]:
        profiles = {v["code"] for v in row["job_profiles"]["values"]}
        for group, cell in row["competency_groups"].items():
            edges = [r for r in requires if r["from"] in profiles and groups[r["to"]] == group]
            assert cell["requirements"] == len(edges)
            assert cell["profiles"] == len({r["from"] for r in edges})
            if edges:
                ranks = sorted(RANK[r["proficiency"]] for r in edges)
                assert RANK[cell["typical_proficiency"]] == statistics.median_low(ranks)
            else:
                assert cell["typical_proficiency"] is None


def test_profiles_on_a_grade_scale_are_placed_through_their_mappings(table: dict) -> None:
    placed = {v["code"]: (row["level"]["code"], v["placed_through"])
              for row in table["rows"] for v in row["job_profiles"]["values"]}
    grade_of = {r["from"]: r["to"] for r in _seed("job_profile_at_level.csv")}
    to_cqf = {m["from"]: m["to"] for m in _seed("mappings_grades_cqf.csv")}
    for profile, level in grade_of.items():
        if level.startswith("CQF:"):
            assert placed[profile] == (level, None)
        elif level in to_cqf:
            cqf, through = placed[profile]
            assert cqf == to_cqf[level] and through["from_level"] == level


def test_french_labels_where_the_graph_has_them(api: TestClient) -> None:
    answer = api.get("/api/v1/cqf-table", params={"lang": "fr"}).json()
    isced = [v for row in answer["rows"] for v in row["isced"]["values"]]
    french = {r["code"]: r["name_fr"] for r in _seed("levels_isced.csv")}
    assert isced and all(v["name_lang"] == "fr" and v["name"] == french[v["level"]]
                         for v in isced)
    assert all(row["level"]["name_lang"] == "en" for row in answer["rows"])  # none in French


def test_bad_parameters_are_one_problem_naming_each(api: TestClient) -> None:
    response = api.get("/api/v1/cqf-table", params={"frameworks": "NOPE,ALSO-NOPE",
                                                     "administration": "ADM-Z"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    values = [e.get("value") for e in response.json()["errors"]]
    assert values == ["NOPE", "ALSO-NOPE", "ADM-Z"]


def test_codes_resolve_in_any_case(api: TestClient, table: dict) -> None:
    typed = api.get("/api/v1/cqf-table", params={"frameworks": "ie-nfq, IE-NFQ",
                                                  "administration": "adm-a"})
    assert typed.status_code == 200
    assert typed.json() == table


# --------------------------------------------------------------------------- formats

def _named(v: dict) -> str:
    return f"{v['name']} ({v['code']})" if v.get("name") and v["name"] != v["code"] \
        else v["code"]


def _profiles(n: int) -> str:
    return f"{n} profile" if n == 1 else f"{n} profiles"


def _expected_cells(table: dict) -> tuple[list[str], list[list[object]]]:
    """The flat sheet, rebuilt here from the JSON answer (independently of the server): names
    first with the code after them, words for match types (English answer)."""
    words = {"exactMatch": "exact", "closeMatch": "close",
             "broadMatch": "broad (the target is broader)",
             "narrowMatch": "narrow (the target is narrower)", "relatedMatch": "related only"}

    def eq(cell: dict) -> list[str]:
        vals = cell["values"]
        return [SEP.join(f"{_named(v)}: {words[v['match_type']]}, {v['confidence']:g}"
                         for v in vals),
                SEP.join(" > ".join(v["path"]) or "(same framework)" for v in vals),
                cell["evidence_status"] or ""]

    rows = []
    for row in table["rows"]:
        cells: list[object] = [row["level"]["code"], row["level"]["name"], row["level"]["iri"],
                               row["level"]["evidence_status"]]
        for key in ("eqf", "isced", "qf_ehea"):
            cells += eq(row[key])
        cells += [SEP.join(_named(v) for v in row["picard_tier"]["values"]),
                  row["picard_tier"]["evidence_status"] or ""]
        for fw in table["frameworks"]:
            cells += eq(row["national"][fw])
        if table["administration"]:
            cells += eq(row["administration"])
        cells += [SEP.join(_named(v) for v in row["job_profiles"]["values"]),
                  SEP.join(v["code"] for v in row["job_profiles"]["values"]),
                  row["job_profiles"]["evidence_status"] or "",
                  SEP.join(_named(v) for v in row["generic_roles"]["values"]),
                  SEP.join(f"{_named(v)}: {_profiles(v['profiles'])}"
                           for v in row["tasks"]["values"]),
                  row["tasks"]["evidence_status"] or ""]
        for group in table["groups"]:
            g = row["competency_groups"][group["code"]]
            cells += [g["typical_proficiency"] or "", g["requirements"], g["profiles"],
                      SEP.join(f"{_named(v)}: {_profiles(v['profiles'])}"
                               for v in g["top_competencies"]),
                      g["evidence_status"] or ""]
        rows.append(cells)
    return [], rows


def test_xlsx_round_trip_gives_back_the_json_cells(api: TestClient, table: dict) -> None:
    response = api.get("/api/v1/cqf-table", params={"frameworks": "IE-NFQ",
                                                     "administration": "ADM-A",
                                                     "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["CQF table"]
    assert sheet.freeze_panes == "B2"
    _, expected = _expected_cells(table)
    got = [[c if c is not None else "" for c in r]
           for r in sheet.iter_rows(min_row=2, max_row=1 + len(expected), values_only=True)]
    assert got == expected
    header = [c.value for c in sheet[1]]
    assert header[0] == "CQF level" and len(header) == len(expected[0])
    assert "Core values: typical proficiency" in header  # a group by its name
    notice = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Evidence"]
    assert notice and "illustrative" in notice[0][1]
    assert [r[0] for r in book["Columns"].iter_rows(min_row=2, values_only=True)][:2] == [
        "level", "level_name"]


def test_csv_has_a_bom_one_row_per_level_and_joined_lists(api: TestClient, table: dict) -> None:
    response = api.get("/api/v1/cqf-table", params={"frameworks": "IE-NFQ",
                                                     "administration": "ADM-A"},
                       headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    _, expected = _expected_cells(table)
    assert [[str(c) for c in r] for r in expected] == rows[1:-1]
    assert any(SEP in cell for row in rows[1:] for cell in row)
    # the last line is the notice, a comment for CSVW readers
    assert len(rows[-1]) == 1 and rows[-1][0].startswith("# Weakest evidence in this table")
    assert "illustrative data" in rows[-1][0]


def test_french_downloads_speak_french(api: TestClient) -> None:
    """Headers, sheet names, notices and words of the lang=fr CSV and XLSX are French."""
    csv_fr = api.get("/api/v1/cqf-table", params={"lang": "fr", "format": "csv"})
    rows = list(csv.reader(io.StringIO(csv_fr.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Niveau du CQF", "Nom du niveau", "IRI du niveau"]
    assert "Niveau du CEC : preuves".replace(" :", "\u00a0:") in header
    assert rows[-1][0].startswith("# Preuves les plus faibles de ce tableau")
    assert "Niveau 4 du CEC (EQF:4)" in rows[1][4]  # the EQF level's French name first
    book = load_workbook(io.BytesIO(api.get("/api/v1/cqf-table", params={
        "lang": "fr", "format": "xlsx"}).content))
    assert book.sheetnames == ["Tableau du CQF", "Colonnes"]
    answer = api.get("/api/v1/cqf-table", params={"lang": "fr"}).json()
    assert answer["notice"].startswith("Illustratif")  # the JSON's notice too
    about = list(book["Colonnes"].iter_rows(values_only=True))
    assert about[0] == ("Colonne", "Titre", "Comment elle est obtenue")


def test_unacceptable_media_type_is_406(api: TestClient) -> None:
    response = api.get("/api/v1/cqf-table", headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.fixture(scope="module")
def served(seeded_falkordb: GraphStore) -> Iterator[str]:
    """A real HTTP server so the csvw package fetches the metadata and then the CSV."""
    import uvicorn

    from app.main import create_app
    from app.runtime import Runtime
    from app.settings import Settings

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    app = create_app(Settings(), runtime=Runtime(seeded_falkordb, schema_applied=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_csvw_metadata_describes_the_csv_for_the_csvw_package(served: str) -> None:
    import csvw

    url = f"{served}/api/v1/cqf-table.csv-metadata.json?frameworks=IE-NFQ"
    reader = csvw.CSVW(url)
    assert reader.is_valid
    table = reader.tables[0]
    rows = list(table.iterdicts(strict=True))
    import httpx

    answer = httpx.get(f"{served}/api/v1/cqf-table", params={"frameworks": "IE-NFQ"}).json()
    assert [r["level"] for r in rows] == [row["level"]["code"] for row in answer["rows"]]
    for parsed, row in zip(rows, answer["rows"], strict=True):
        assert parsed["eqf_path"] == [" > ".join(v["path"]) for v in row["eqf"]["values"]]
        assert parsed["job_profile_codes"] == [v["code"] for v in row["job_profiles"][
            "values"]]
        assert parsed["group_MGT_requirements"] == row["competency_groups"]["MGT"][
            "requirements"]
        assert parsed["level_iri"] == row["level"]["iri"]
    graph = reader.to_json()
    subjects = [t.get("@id") for t in graph["tables"][0]["row"][0]["describes"]]
    assert subjects == [answer["rows"][0]["level"]["iri"]]
