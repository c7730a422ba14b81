"""``cqf export`` writes the same export as the API, to a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from app.cli import app
from app.graph.port import GraphStore
from tests.support.rdf_counts import expected_data_triples


def test_cli_export_writes_the_whole_graph(seeded_falkordb: GraphStore, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQF_BACKEND", "falkordb")
    monkeypatch.setenv("CQF_FALKORDB_URL", seeded_falkordb.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_GRAPH_NAME", seeded_falkordb._graph_name)  # type: ignore[attr-defined]
    out = tmp_path / "cqf.nt"
    result = CliRunner().invoke(app, ["export", "--format", "ntriples", "--scope", "data",
                                      "--out", str(out), "--base-iri", "http://x.test/id/"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format="nt")
    assert len(graph) == expected_data_triples(seeded_falkordb)


def test_cli_export_refuses_an_unknown_format() -> None:
    result = CliRunner().invoke(app, ["export", "--format", "csv"])
    assert result.exit_code == 2
