"""The base IRI is fixed once and changed only on purpose; export progress counts in the unit
of its total (``cqf release`` showed 4341/3963)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.services.linked_data import identity
from app.services.linked_data.export import data_pages, export_size, mapping_count, sssom
from app.settings import Settings
from tests.conftest import fresh_store


def test_the_first_base_is_kept_whatever_the_later_host(request: pytest.FixtureRequest) -> None:
    store = fresh_store(request, "falkordb")
    first = identity.resolve_base_iri(store, Settings(host="10.1.2.3", port=8080))
    assert first == "http://10.1.2.3:8080/id/"
    assert identity.resolve_base_iri(store, Settings(host="0.0.0.0", port=9000)) == first
    configured = Settings(base_iri="https://cqf.example.org/id")
    assert identity.resolve_base_iri(store, configured) == "https://cqf.example.org/id/"
    assert identity.stored_base_iri(store) == "https://cqf.example.org/id/"
    store.close()


def test_the_cli_changes_the_base_only_on_purpose(request: pytest.FixtureRequest,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store = fresh_store(request, "falkordb")
    monkeypatch.setenv("CQF_BACKEND", "falkordb")
    monkeypatch.setenv("CQF_FALKORDB_URL", store.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_GRAPH_NAME", store._graph_name)  # type: ignore[attr-defined]
    monkeypatch.delenv("CQF_BASE_IRI", raising=False)
    runner = CliRunner()
    shown = runner.invoke(cli, ["base-iri", "show"])
    assert shown.exit_code == 0, shown.output
    old = shown.stdout.strip().splitlines()[-1]  # after any log line
    declined = runner.invoke(cli, ["base-iri", "set", "https://cqf.example.org/id/"], input="n\n")
    assert declined.exit_code == 1 and identity.stored_base_iri(store) == old
    done = runner.invoke(cli, ["base-iri", "set", "https://cqf.example.org/id/", "--yes"])
    assert done.exit_code == 0, done.output
    assert "changes to https://cqf.example.org/id/" in " ".join(done.output.split())
    assert identity.stored_base_iri(store) == "https://cqf.example.org/id/"
    assert runner.invoke(cli, ["base-iri", "set", "ftp://x/", "--yes"]).exit_code == 2
    monkeypatch.setenv("CQF_BASE_IRI", "https://other.example/id/")
    assert runner.invoke(cli, ["base-iri", "set", "https://third.example/id/",
                               "--yes"]).exit_code == 2
    store.close()


def test_export_pages_add_up_to_the_announced_total(seeded_falkordb: GraphStore) -> None:
    read = sum(count for _, count, _ in data_pages(seeded_falkordb, Iris("http://x.test/id/")))
    assert read == export_size(seeded_falkordb) > 0


def test_sssom_pages_add_up_to_the_announced_total(seeded_falkordb: GraphStore) -> None:
    counted: list[int] = []
    for _ in sssom(seeded_falkordb, "http://x.test/id/", page_size=100,
                   on_page=lambda _what, n: counted.append(n)):
        pass
    assert sum(counted) == mapping_count(seeded_falkordb) > 100  # several pages, bar ends full
