"""Versioned releases: the dump set, its checksums and VoID/DCAT, serving, diffing, refusals."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS, VOID
from typer.testing import CliRunner

from app.domain.auth import Principal
from app.domain.errors import Conflict, InvalidInput
from app.domain.vocab import NodeLabel
from app.graph.port import GraphStore, StoreUnavailable
from app.paths import SEED_DATA_DIR
from app.rdf.iris import Iris
from app.rdf.vocab import CQF
from app.rdf.void import DCAT3
from app.seed.loader import seed
from app.services.equivalence.writes import MappingWriter
from app.services.institutions import courses, uploads
from app.services.linked_data.export import Scope, export
from app.services.linked_data.releases import MappingsDropped, make_release
from tests.conftest import client_for
from tests.integration.conftest import RELEASE_BASE

BASE = RELEASE_BASE


@pytest.fixture
def api_over(released: Path, seeded_falkordb: GraphStore, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CQF_RELEASES_DIR", str(released))
    with client_for(seeded_falkordb) as client:
        yield client


def test_a_release_holds_every_dump_with_matching_checksums(released: Path) -> None:
    folder = released / "1.0.0"
    sums = dict(reversed(line.split("  ")) for line in
                (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {"cqf-1.0.0.ttl", "cqf-1.0.0.nt", "cqf-1.0.0.jsonld",
                         "cqf-1.0.0-mappings.sssom.tsv", "void.ttl"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_release_dumps_carry_the_same_triples_as_the_export(released: Path,
                                                           seeded_falkordb: GraphStore) -> None:
    folder = released / "1.0.0"
    live = Graph().parse(data="".join(export(seeded_falkordb, Iris(BASE), "ntriples",
                                             Scope.ALL)), format="nt")
    for name, fmt in (("cqf-1.0.0.nt", "nt"), ("cqf-1.0.0.ttl", "turtle"),
                      ("cqf-1.0.0.jsonld", "json-ld")):
        assert set(Graph().parse(folder / name, format=fmt)) == set(live), name


def test_void_describes_version_counts_and_distributions(released: Path) -> None:
    folder = released / "1.0.0"
    void = Graph().parse(folder / "void.ttl", format="turtle")
    dataset = URIRef(BASE + "release/1.0.0")
    triples = len(Graph().parse(folder / "cqf-1.0.0.nt", format="nt"))
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void
    assert int(void.value(dataset, VOID.triples)) == triples  # type: ignore[arg-type]
    assert void.value(dataset, DCAT3.version) == Literal("1.0.0")
    assert len(list(void.objects(dataset, DCAT.distribution))) == 4
    urls = {str(u) for u in void.objects(None, DCAT.downloadURL)}
    assert "http://cqf.test/api/v1/releases/1.0.0/files/cqf-1.0.0.nt" in urls


def test_versions_are_validated_and_never_overwritten(released: Path,
                                                      seeded_falkordb: GraphStore) -> None:
    with pytest.raises(InvalidInput):
        make_release(seeded_falkordb, released, "v1", BASE)
    with pytest.raises(InvalidInput):
        make_release(seeded_falkordb, released, "../1.0", BASE)
    with pytest.raises(Conflict):
        make_release(seeded_falkordb, released, "1.0.0", BASE)
    with pytest.raises(Conflict):
        make_release(seeded_falkordb, released, "0.9", BASE)


def test_a_release_removes_what_a_killed_release_left_and_spares_a_running_one(
        seeded_falkordb: GraphStore, tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    killed = tmp_path / f".0.9.tmp-{gone.pid}"  # the process that wrote it is dead
    running = tmp_path / f".0.8.tmp-{os.getpid()}"
    for leftover in (killed, running):
        leftover.mkdir()
        (leftover / "cqf-0.9.nt").write_text("<a> <b> <c> .\n")
    make_release(seeded_falkordb, tmp_path, "1.0", BASE)
    assert not killed.exists()
    assert running.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["1.0", running.name])


def test_a_release_that_loses_mappings_is_refused_unless_allowed(
        writable_store: GraphStore, tmp_path: Path) -> None:
    make_release(writable_store, tmp_path, "1.0", BASE)
    mapping_id = writable_store.read("MATCH ()-[m:MAPS_TO]->() RETURN m.id AS id LIMIT 1")[0]["id"]
    writable_store.write("MATCH ()-[m:MAPS_TO {id: $id}]->() DELETE m", {"id": mapping_id})
    with pytest.raises(MappingsDropped) as refused:
        make_release(writable_store, tmp_path, "1.1", BASE)
    assert "--allow-drop" in str(refused.value)
    assert not (tmp_path / "1.1").exists()
    make_release(writable_store, tmp_path, "1.1", BASE, allow_drop=True)
    assert (tmp_path / "1.1" / "release.json").is_file()


def test_the_cli_refuses_a_drop_with_a_non_zero_exit(writable_store: GraphStore, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app import runtime as runtime_mod
    from app.cli import release as cli_release

    borrowed = type("Borrowed", (runtime_mod.Runtime,), {"close": lambda self: None})
    monkeypatch.setattr(runtime_mod, "connect",
                        lambda settings, mode: borrowed(writable_store, base_iri=BASE))
    import typer

    app = typer.Typer()
    app.command()(cli_release.release_command)
    runner = CliRunner()
    ok = runner.invoke(app, ["2.0", "--out", str(tmp_path), "--base-iri", BASE])
    assert ok.exit_code == 0, ok.output
    writable_store.write("MATCH ()-[m:MAPS_TO]->() DELETE m")
    refused = runner.invoke(app, ["2.1", "--out", str(tmp_path), "--base-iri", BASE])
    assert refused.exit_code != 0
    assert not (tmp_path / "2.1").exists()
    bad = runner.invoke(app, ["latest", "--out", str(tmp_path)])
    assert bad.exit_code != 0


def test_releases_are_listed_and_served_by_manifest_name(api_over) -> None:  # type: ignore[no-untyped-def]
    listed = api_over.get("/api/v1/releases").json()
    assert listed["latest"] == "1.0.0"
    files = {f["name"]: f for f in listed["items"][0]["files"]}
    response = api_over.get("/api/v1/releases/1.0.0/files/cqf-1.0.0.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert hashlib.sha256(response.content).hexdigest() == files["cqf-1.0.0.ttl"]["sha256"]
    assert len(Graph().parse(data=response.text, format="turtle")) > 0
    assert api_over.get("/api/v1/releases/1.0.0/files/SHA256SUMS").status_code == 200


@pytest.mark.parametrize("path", [
    "/api/v1/releases/1.0.0/files/..%2F..%2Fetc%2Fpasswd",
    "/api/v1/releases/1.0.0/files/..%2Frelease.json",
    "/api/v1/releases/1.0.0/files/nope.ttl",
    "/api/v1/releases/9.9.9/files/cqf-9.9.9.ttl",
    "/api/v1/releases/9.9.9",
    "/api/v1/releases/1.0.0/diff/9.9.9",
])
def test_unknown_or_traversing_names_are_404_problems(api_over, path: str) -> None:  # type: ignore[no-untyped-def]
    response = api_over.get(path)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_diff_names_added_removed_relabelled_relevelled_and_mapping_changes(
        writable_store: GraphStore, tmp_path: Path) -> None:
    from app.services.linked_data.release_diff import diff

    make_release(writable_store, tmp_path, "1.0", BASE)
    level = writable_store.read("MATCH (l:Level {code: 'EQF:6'}) RETURN l.ordinal AS o")[0]
    writable_store.write("MATCH (l:Level {code: 'EQF:6'}) SET l.name = $name, l.ordinal = $o",
                         {"name": "Level six, renamed", "o": level["o"] + 100})
    comp = writable_store.read("MATCH (c:Competency) RETURN c.code AS code ORDER BY c.code "
                               "LIMIT 1")[0]["code"]
    writable_store.write("MATCH (c:Competency {code: $code}) DETACH DELETE c", {"code": comp})
    writable_store.write("CREATE (:Competency {code: 'NEW-C1', name: 'A new one', "
                         "status: 'illustrative'})")
    mapping = writable_store.read("MATCH ()-[m:MAPS_TO]->() RETURN m.id AS id ORDER BY m.id "
                                  "LIMIT 1")[0]["id"]
    writable_store.write("MATCH ()-[m:MAPS_TO {id: $id}]->() SET m.confidence = 0.123",
                         {"id": mapping})
    make_release(writable_store, tmp_path, "1.1", BASE)
    changes = diff(tmp_path, "1.0", "1.1")
    eqf6 = BASE + "level/EQF/6"
    assert [e["iri"] for e in changes["added"]] == [BASE + "competency/NEW-C1"]
    assert [e["iri"] for e in changes["removed"]] == [
        str(Iris(BASE).entity(NodeLabel.COMPETENCY, comp))]
    relabelled = {e["iri"]: e for e in changes["relabelled"]}
    assert "Level six, renamed@en" in relabelled[eqf6]["after"]
    assert eqf6 in {e["iri"] for e in changes["relevelled"]}
    changed = {c["id"]: c["changes"] for c in changes["mappings"]["changed"]}
    assert changed[mapping]["confidence"]["after"] == "0.123"
    assert diff(tmp_path, "1.0", "1.0")["summary"] == dict.fromkeys(
        ("added", "removed", "relabelled", "relevelled", "mappings_added", "mappings_removed",
         "mappings_changed"), 0)


def test_the_diff_route_answers_with_the_summary(api_over) -> None:  # type: ignore[no-untyped-def]
    body = api_over.get("/api/v1/releases/1.0.0/diff/1.0.0").json()
    assert body["summary"]["added"] == 0 and body["from_version"] == "1.0.0"


def test_level_concepts_survive_in_the_release(released: Path) -> None:
    graph = Graph().parse(released / "1.0.0" / "cqf-1.0.0.nt", format="nt")
    assert (URIRef(BASE + "level/EQF/6"), RDF.type, SKOS.Concept) in graph


RELEASE_ADMIN = Principal("release-load", "admin")


def _course_file(comps: list[str], proficiency: str, rows: int = 400) -> bytes:
    lines = ["programme,course,course_name,kind,target,proficiency,evidence,assessment"]
    for n in range(rows):
        course, k = divmod(n, 8)
        lines.append(f"LOAD-P,LOAD-C{course:03d},{'Course' if k == 0 else ''},develops,"
                     f"{comps[(course + k * 7) % len(comps)]},{proficiency},outcome {n},exam")
    return ("\n".join(lines) + "\n").encode()


def _proficiency_counts(graph: Graph) -> dict[str, int]:
    found: dict[str, int] = {}
    for o in graph.objects(None, CQF.proficiency):
        key = str(o).rsplit("/", 1)[-1]
        found[key] = found.get(key, 0) + 1
    return found


def test_a_release_while_uploads_and_reviews_run_is_one_graph_state(
        store: GraphStore, tmp_path: Path) -> None:
    """Every file of the release comes from one snapshot: the formats hold the same triples,
    the course mappings are all of one upload, and the SSSOM rows say what the dumps say.
    (On Neo4j writes wait while the release reads; one that waits past the store timeout is
    refused, StoreUnavailable, and the writes after it go on.)"""
    writable_store = store
    seed(writable_store, SEED_DATA_DIR)
    courses.put_institution(writable_store, RELEASE_ADMIN, "LOAD-U", {"name": "Load U"})
    courses.put_programme(writable_store, RELEASE_ADMIN, "LOAD-U", "LOAD-P", {"name": "P"})
    comps = sorted(r["code"] for r in writable_store.read(
        "MATCH (c:Competency) RETURN c.code AS code"))
    files = {p: _course_file(comps, p) for p in ("advanced", "trained")}
    states = []  # the proficiency counts of the two graph states the uploads switch between
    for proficiency in ("trained", "advanced"):
        uploads.upload(writable_store, RELEASE_ADMIN, "LOAD-U", files[proficiency], "text/csv")
        states.append(_proficiency_counts(Graph().parse(data="".join(export(
            writable_store, Iris(BASE), "ntriples", Scope.DATA)), format="nt")))
    mapping_ids = sorted(r["id"] for r in writable_store.read(
        "MATCH (:Level)-[m:MAPS_TO]->(:Level) RETURN m.id AS id"))[:40]
    reviews = MappingWriter(writable_store)
    stop = threading.Event()
    # writes begun and ended (each either done or refused: held off past the store timeout)
    done = {"begun": 0, "ended": 0, "uploads": 0, "reviews": 0, "refused": 0}
    failed: list[BaseException] = []

    def write(action: Callable[[], object], kind: str) -> None:
        done["begun"] += 1
        try:
            action()
            done[kind] += 1
        except StoreUnavailable:
            done["refused"] += 1
        finally:
            done["ended"] += 1

    def write_in_a_loop() -> None:
        try:
            write_until_stopped()
        except BaseException as exc:  # noqa: BLE001 - reported by the test, not lost
            failed.append(exc)

    def write_until_stopped() -> None:
        turn = 0
        while not stop.is_set():
            turn += 1
            file = files["trained" if turn % 2 else "advanced"]
            decision = "reject" if turn % 2 else "accept"
            write(partial(uploads.upload, writable_store, RELEASE_ADMIN, "LOAD-U", file,
                          "text/csv"), "uploads")
            for mapping_id in mapping_ids:
                if stop.is_set():  # promptly: a writer left running would load the next tests
                    return
                write(partial(reviews.review, RELEASE_ADMIN, mapping_id, decision,
                              "release under load"), "reviews")

    writer = threading.Thread(target=write_in_a_loop)
    writer.start()
    try:
        while done["uploads"] < 1 and writer.is_alive():
            time.sleep(0.01)
        assert not failed, f"the writes beside the release failed: {failed!r}"
        ended = done["ended"]
        make_release(writable_store, tmp_path, "1.0", BASE)
        beside = done["begun"] - ended  # writes in flight at its start or begun during it
        written = done["uploads"] + done["reviews"]
        deadline = time.monotonic() + 30
        while (done["uploads"] + done["reviews"] == written and writer.is_alive()
               and time.monotonic() < deadline):
            time.sleep(0.01)
        written_after = done["uploads"] + done["reviews"] - written
    finally:
        stop.set()
        writer.join(timeout=120)
    assert not failed, f"the writes beside the release failed: {failed!r}"
    assert beside > 0, "no write ran beside the release"
    assert written_after > 0, "writes did not go on after the release"
    folder = tmp_path / "1.0"
    graphs = {name: Graph().parse(folder / name, format=fmt)
              for name, fmt in (("cqf-1.0.nt", "nt"), ("cqf-1.0.ttl", "turtle"),
                                ("cqf-1.0.jsonld", "json-ld"))}
    nt = set(graphs["cqf-1.0.nt"])
    for name, graph in graphs.items():
        assert set(graph) == nt, f"{name} holds another graph state than cqf-1.0.nt"
    counts = _proficiency_counts(graphs["cqf-1.0.nt"])
    assert counts in states, f"course mappings of no state the graph held: {counts}"
    sssom_status = {}
    for line in (folder / "cqf-1.0-mappings.sssom.tsv").read_text().splitlines():
        if line.startswith("#") or line.startswith("subject_id"):
            continue
        other = dict(kv.split("=", 1) for kv in line.split("\t")[-1].split(";") if "=" in kv)
        sssom_status[other["id"]] = other.get("review_status")
    dump = graphs["cqf-1.0.nt"]
    rdf_status = {str(dump.value(m, DCTERMS.identifier)): str(dump.value(m, CQF.reviewStatus))
                  for m in dump.subjects(RDF.type, CQF.Mapping)}
    assert sssom_status == rdf_status, "the SSSOM rows differ from the dumps' mappings"
