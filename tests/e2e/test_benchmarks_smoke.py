"""The benchmark suite still runs: the generator at a tiny scale, written through the port."""

from __future__ import annotations

from app.graph.port import GraphStore
from benchmarks.generator import generate, write
from benchmarks.report import END, START, update_doc

FIRST_PROFILE = (
    "MATCH (p:JobProfile {code: $code})-[r:REQUIRES]->(c:Competency) "
    "RETURN c.code AS competency, r.proficiency AS proficiency ORDER BY competency"
)
COUNT = "MATCH (n:JobProfile) RETURN count(n) AS n"
REQUIRES = "MATCH (:JobProfile)-[r:REQUIRES]->(:Competency) RETURN count(r) AS n"


def test_the_same_seed_generates_the_same_graph() -> None:
    first, again, other = generate(7, 0.01), generate(7, 0.01), generate(8, 0.01)
    assert first.counts() == again.counts()
    assert first.bundle.rels_of_type("REQUIRES") == again.bundle.rels_of_type("REQUIRES")
    assert first.bundle.rels_of_type("REQUIRES") != other.bundle.rels_of_type("REQUIRES")


def test_generated_nodes_follow_the_model_and_are_illustrative() -> None:
    graph = generate(7, 0.01)
    for node_set in graph.bundle.nodes:
        for row in node_set.rows:
            assert row["status"] == "illustrative"
            assert row["source_document"] == "benchmark generator"
    mappings = graph.bundle.rels_of_type("MAPS_TO")
    assert {m["props"]["review_status"] for m in mappings} <= {"accepted", "proposed",
                                                                "rejected"}
    assert len({m["props"]["id"] for m in mappings}) == len(mappings)


def test_the_generator_writes_its_counts_into_the_store(store: GraphStore) -> None:
    graph = generate(7, 0.01)
    write(store, graph)
    counts = graph.counts()
    assert store.read(COUNT)[0]["n"] == counts["JobProfile"]
    assert store.read(REQUIRES)[0]["n"] == counts["REQUIRES"]
    code = "BJP-00001"
    expected = sorted((r["to"], r["props"]["proficiency"])
                      for r in graph.bundle.rels_of_type("REQUIRES") if r["from"] == code)
    rows = store.read(FIRST_PROFILE, {"code": code})
    assert [(r["competency"], r["proficiency"]) for r in rows] == expected


def test_the_report_replaces_only_its_own_section(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nbulk upload figures\n\n{START}\nold\n{END}\n\nexport\n")
    update_doc(doc, "new figures")
    text = doc.read_text()
    assert "bulk upload figures" in text and "export" in text
    assert "new figures" in text and "old" not in text


def test_the_write_stream_section_replaces_only_its_own(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from benchmarks import write_stream

    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\n{START}\ncore\n{END}\n")
    meta = {"date": "2026-12-07", "mode": "quick", "scale": 0.1, "graph": {},
            "machine": "m", "load_before": "1", "load_after": "2"}
    phase = {"name": "course write / 1 s", "seconds": 4, "writes": 3, "write_p50_ms": 9.0,
             "errors": 0, "failed": [], "routes": {"CQF table": {
                 "n": 5, "p50_ms": 1.0, "p95_ms": 2.0, "first_after_p95_ms": 2.5,
                 "first_after_max_ms": 3.0}}}
    result = {"routes": ["CQF table"], "after_course": {"CQF table": "unrelated"},
              "readers": "wrk", "bare": {"p50_ms": 0.5, "p95_ms": 1.0, "n": 10},
              "phases": [phase]}
    write_stream.update_doc(write_stream.markdown(meta, result), doc)
    write_stream.update_doc(write_stream.markdown(meta, result), doc)
    text = doc.read_text()
    assert "core" in text and text.count(write_stream.START) == 1
    assert "| CQF table | unrelated | 1.0 / 2.0 | 2.5 / 3.0 |" in text
    assert "p95 1.0 ms (10 requests). Readers: wrk." in text


def test_the_cli_startup_benchmark_runs() -> None:
    from benchmarks.cli_startup import LINES, measure

    medians = measure(1)
    assert set(medians) == set(LINES) and all(seconds > 0 for seconds in medians.values())
