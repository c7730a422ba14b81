"""The national frameworks referenced to the EQF, as a user meets them through the API.

An HR officer asks what an Austrian, Polish, Slovenian or Icelandic level is worth elsewhere;
a researcher checks each referencing claim from the answer itself. Expected quotes and notes
are read from the seed data, never restated here, so the tests follow the data.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from app.paths import SEED_DATA_DIR
from app.rdf.vocab import CQF
from app.seed.catalog import load_seed_bundle

EQUIV = "/api/v1/equivalences"


@pytest.fixture(scope="module")
def seeded_mappings() -> dict[str, dict[str, Any]]:
    bundle = load_seed_bundle(SEED_DATA_DIR)
    return {r["props"]["id"]: r["props"] for r in bundle.rels_of_type("MAPS_TO")}


def _answer(api: TestClient, start: str, target: str | None = None) -> dict[str, Any]:
    params = {"from": start, **({"to": target} if target else {})}
    response = api.get(EQUIV, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _targets(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["level"]["code"]: e for e in body["equivalences"]}


def _assert_quoted(body: dict[str, Any], step: dict[str, Any],
                   seeded: dict[str, dict[str, Any]]) -> None:
    props = seeded[step["mapping_id"]]
    assert step["evidence"] == {"quote": props["evidence_quote"],
                                "language": props["evidence_language"],
                                "url": props["source_url"]}
    assert body["sources"][step["source_id"]]["url"] == props["source_url"]
    assert step["note"] == props["note"]


@pytest.mark.parametrize(("start", "target", "expected", "match_type"), [
    ("AT-NQR:5", "PL-PRK", "PL-PRK:5", "closeMatch"),
    ("PL-PRK:6", "IE-NFQ", "IE-NFQ:7", "narrowMatch"),
    ("IS-ISQF:7", "GR-HQF", "GR-HQF:8", "closeMatch"),
    ("CY-CyQF:5b", "SE-SeQF", "SE-SeQF:5", "broadMatch"),
    ("HR-HKO:7.1.sv", "SI-SOK", "SI-SOK:8", "relatedMatch"),
    ("ES-MECES:3", "LT-LTKS", "LT-LTKS:7", "closeMatch"),
])
def test_a_new_framework_answers_through_the_eqf_with_the_quote_in_each_step(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]], start: str, target: str,
        expected: str, match_type: str) -> None:
    body = _answer(api, start, target)
    found = _targets(body)
    assert expected in found
    answer = found[expected]
    assert answer["match_type"] == match_type
    assert [s["to_level"] for s in answer["path"]][-1] == expected
    assert answer["path"][0]["to_level"].startswith("EQF:")
    for step in answer["path"]:
        if step["mapping_id"] in seeded_mappings and seeded_mappings[step["mapping_id"]].get(
                "evidence_quote"):
            _assert_quoted(body, step, seeded_mappings)
    assert answer["path"][0]["evidence"] is not None


def test_slovenian_sok_9_shows_both_eqf_levels_with_the_note_saying_which_qualifications(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]]) -> None:
    body = _answer(api, "SI-SOK:9", "EQF")
    found = _targets(body)
    assert set(found) == {"EQF:7", "EQF:8"}
    for level in ("EQF:7", "EQF:8"):
        (step,) = found[level]["path"]
        assert step["walked_match_type"] == "relatedMatch"
        _assert_quoted(body, step, seeded_mappings)
    assert "specialisation diploma" in found["EQF:7"]["path"][0]["note"]
    assert "research master" in found["EQF:8"]["path"][0]["note"]
    onwards = _targets(_answer(api, "SI-SOK:9", "AT-NQR"))
    assert set(onwards) == {"AT-NQR:7", "AT-NQR:8"}


def test_a_level_of_a_framework_without_level_table_says_why_there_is_no_equivalence(
        api: TestClient) -> None:
    body = _answer(api, "NO-NQF:5")
    assert body["equivalences"] == []
    assert body["no_equivalence"]["kind"] == "no_level_table"
    assert body["no_equivalence"]["detail"].endswith(
        "referenced to the EQF in 2014; the level table is not in the graph")
    towards = _answer(api, "AT-NQR:5", "HU-NQF")
    assert towards["no_equivalence"]["kind"] == "no_level_table"
    assert "HU-NQF was referenced to the EQF in 2015" in towards["no_equivalence"]["detail"]


def test_levels_without_mapping_for_other_reasons_keep_their_own_reason(
        api: TestClient) -> None:
    assert _answer(api, "UK-SCQF:1")["no_equivalence"]["kind"] == "no_mappings"
    assert _answer(api, "NZ-NZQCF:8")["no_equivalence"]["kind"] == "unlevelled"


def test_the_mapping_record_carries_its_quote_and_note(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]]) -> None:
    body = api.get("/api/v1/mappings/map:SI-SOK:9>EQF:8").json()
    props = seeded_mappings["map:SI-SOK:9>EQF:8"]
    assert body["evidence"] == {"quote": props["evidence_quote"],
                                "language": props["evidence_language"],
                                "url": props["source_url"]}
    assert body["note"] == props["note"]
    assert api.get("/api/v1/mappings/map:IE-NFQ:8>EQF:6").json()["evidence"] is None


def test_the_quality_report_has_no_contradiction_cycle_or_fan_out(api: TestClient) -> None:
    report = api.get("/api/v1/mappings/quality").json()
    assert report["contradictory_exact_matches"] == []
    assert report["own_framework_cycles"] == []
    assert report["fan_out"] == []
    unmapped = {u["level"] for u in report["unmapped_levels"]}
    assert {f"NO-NQF:{n}" for n in range(2, 9)} <= unmapped


def _frameworks(api: TestClient, **params: str) -> dict[str, dict[str, Any]]:
    response = api.get("/api/v1/frameworks", params={"limit": "500", **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {item["code"]: item for item in body["items"]}


def test_frameworks_filter_by_country_and_show_their_referencing(api: TestClient) -> None:
    belgium = _frameworks(api, country="be")
    assert set(belgium) == {"BE-FL-VKS", "BE-FR-CFC"}
    assert belgium["BE-FL-VKS"]["referencing"] == {
        "status": "unverified", "year": 2011, "levels": 8, "levels_mapped_to_eqf": 8}
    assert belgium["BE-FR-CFC"]["referencing"] == {
        "status": "no_level_table", "year": 2013, "levels": 0, "levels_mapped_to_eqf": 0}
    slovenia = _frameworks(api, country="SI")["SI-SOK"]["referencing"]
    assert slovenia == {"status": "verified", "year": 2013, "levels": 10,
                        "levels_mapped_to_eqf": 10}
    assert _frameworks(api, country="IS")["IS-ISQF"]["referencing"]["year"] is None
    assert _frameworks(api, country="ZZ") == {}


def test_frameworks_filter_by_referencing_status(api: TestClient) -> None:
    year_only = _frameworks(api, referencing_status="no_level_table")
    assert len(year_only) == 11
    assert all(f["referencing"]["levels_mapped_to_eqf"] == 0 for f in year_only.values())
    assert _frameworks(api, referencing_status="no_level_table", country="NO")["NO-NQF"][
        "referencing"]["levels"] == 7
    partly = _frameworks(api, referencing_status="partly_verified")
    assert set(partly) == {"CY-CyQF", "CH-NQF-VPQ"}
    mixed = {f["referencing"]["status"] for f in _frameworks(api).values()}
    assert {"verified", "unverified", "no_level_table", "comparison", "none"} <= mixed
    assert _frameworks(api)["EQF"]["referencing"]["levels_mapped_to_eqf"] is None


@pytest.mark.parametrize("params", [{"country": "Austria"}, {"referencing_status": "official"}])
def test_a_bad_framework_filter_is_a_problem(api: TestClient, params: dict[str, str]) -> None:
    response = api.get("/api/v1/frameworks", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert next(iter(params)) in response.text


def test_the_quote_is_exported_in_rdf_in_its_own_language(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]]) -> None:
    level = api.get("/id/level/SI-SOK/9", headers={"Accept": "text/turtle"})
    assert level.status_code == 200
    graph = Graph().parse(data=level.text, format="turtle")
    quotes = {}
    for mapping in graph.subjects(RDF.type, CQF.Mapping):
        path = str(mapping).removeprefix("http://testserver")
        document = Graph().parse(data=api.get(path, headers={"Accept": "text/turtle"}).text,
                                 format="turtle")
        identifier = str(document.value(mapping, DCTERMS.identifier))
        quotes[identifier] = document.value(mapping, CQF.evidenceQuote)
        source = document.value(mapping, PROV.wasDerivedFrom)
        assert str(document.value(source, RDFS.seeAlso)) == seeded_mappings[identifier][
            "source_url"]
    assert set(quotes) == {"map:SI-SOK:9>EQF:7", "map:SI-SOK:9>EQF:8"}
    for identifier, quote in quotes.items():
        props = seeded_mappings[identifier]
        assert quote == Literal(props["evidence_quote"], lang=props["evidence_language"])


def test_the_sssom_export_keeps_note_quote_and_page(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]]) -> None:
    text = api.get("/api/v1/export/mappings.sssom.tsv").text
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    by_id = {next(p.removeprefix("id=") for p in r["other"].split(";") if p.startswith("id=")): r
             for r in rows}
    row, props = by_id["map:SI-SOK:9>EQF:7"], seeded_mappings["map:SI-SOK:9>EQF:7"]
    assert row["see_also"] == props["source_url"]
    assert row["comment"].startswith(props["note"])
    assert f'evidence quote ({props["evidence_language"]}): "{props["evidence_quote"]}"' in (
        row["comment"])
    assert by_id["map:IE-NFQ:8>EQF:6"]["comment"] == seeded_mappings[
        "map:IE-NFQ:8>EQF:6"]["note"]


def test_the_explorer_groups_frameworks_by_country_and_shows_quotes(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]]) -> None:
    import html
    import re

    page = api.get("/equivalence", params={"from": "SI-SOK:9", "to": "EQF"})
    assert page.status_code == 200
    text = html.unescape(page.text)
    target = text[text.index('<select id="to"'):]
    target = target[:target.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">', target)
    assert groups.index("Austria") < groups.index("Slovenia") < groups.index("Sweden")
    assert groups[-1] == "International and other frameworks"
    slovenia = target[target.index('label="Slovenia"'):]
    slovenia = slovenia[:slovenia.index("</optgroup>")]
    assert "SI-SOK" in slovenia and "EQF referencing verified (2013)" in slovenia
    assert "referenced to the EQF, level table not in the graph (2014)" in target
    start = text[text.index('<select id="from"'):]
    start = start[:start.index("</select>")]
    assert 'value="NO-NQF:5"' in start and 'value="HU-NQF:' not in start  # no level, no group
    # ... but listed, not choosable, with why (issue 25.4)
    assert 'value="HU-NQF" disabled' in start
    assert "Hungarian" in target
    for mapping_id in ("map:SI-SOK:9>EQF:7", "map:SI-SOK:9>EQF:8"):
        props = seeded_mappings[mapping_id]
        assert (f'<q lang="{props["evidence_language"]}" cite="{props["source_url"]}">'
                f'{props["evidence_quote"]}</q>') in text
        assert props["note"] in text
    french = html.unescape(api.get("/equivalence", params={"lang": "fr"}).text)
    assert 'label="Slovénie"' in french and "référencement au CEC vérifié (2013)" in french


def test_a_level_page_shows_the_quote_of_each_mapping(
        api: TestClient, seeded_mappings: dict[str, dict[str, Any]]) -> None:
    import html

    text = html.unescape(api.get("/entity/level/CY-CyQF:5a").text)
    props = seeded_mappings["map:CY-CyQF:5a>EQF:5"]
    assert props["evidence_quote"] in text and props["source_url"] in text


def test_a_written_mapping_keeps_its_quote_and_a_quote_without_language_is_refused(
        writable_api: TestClient, key_for) -> None:  # type: ignore[no-untyped-def]
    admin = key_for("admin")
    source = {"document": "Referencing report", "url": "https://example.org/report",
              "quote": "Niveau 5 entspricht EQR-Niveau 5.", "quote_language": "de"}
    body = {"from_level": "NO-NQF:5", "to_level": "EQF:5", "match_type": "closeMatch",
            "confidence": 0.8, "method": "official_referencing", "source": source,
            "review_status": "accepted"}
    created = writable_api.post("/api/v1/mappings", headers=admin, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["evidence"] == {"quote": source["quote"], "language": "de",
                                          "url": source["url"]}
    answer = writable_api.get(EQUIV, params={"from": "NO-NQF:5", "to": "EQF"}).json()
    assert answer["equivalences"][0]["path"][0]["evidence"]["quote"] == source["quote"]
    refused = writable_api.post("/api/v1/mappings", headers=admin, json={
        **body, "source": {**source, "quote_language": None}})
    assert refused.status_code == 422
    assert "quote_language" in refused.text
