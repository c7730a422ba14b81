"""``cqf import mappings``: the same validate-then-write-once path as the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.port import GraphStore

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"


@pytest.fixture
def env_for(writable_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQF_BACKEND", "falkordb")
    monkeypatch.setenv("CQF_FALKORDB_URL", writable_store.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_GRAPH_NAME", writable_store._graph_name)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_LOG_JSON", "false")


def _count(store: GraphStore) -> int:
    query = ("MATCH (:Course {code: 'EXU/PROG-EXU-MSC/CLI-1'})-[r:DEVELOPS]->() "
             "RETURN count(r) AS n")
    return store.read(query)[0]["n"]


def test_import_applies_a_file_and_refuses_a_bad_one(env_for, writable_store: GraphStore,
                                                     tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "PROG-EXU-MSC,CLI-1,CLI course,develops,OPS-P01,aware,,\n",
                    encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(cli, ["import", "mappings", str(good), "--institution", "EXU",
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert _count(writable_store) == 0
    done = runner.invoke(cli, ["import", "mappings", str(good), "--institution", "EXU"])
    assert done.exit_code == 0, done.output
    assert _count(writable_store) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "PROG-EXU-MSC,CLI-1,,develops,OPS-P01,guru,,\n", encoding="utf-8")
    refused = runner.invoke(cli, ["import", "mappings", str(bad), "--institution", "EXU"])
    assert refused.exit_code == 1
    assert "out of scale" in refused.output


def test_keys_can_be_created_listed_and_revoked(env_for) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["keys", "create", "--role", "institution:EXU"])
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("cqf_")
    key_id = key.split("_")[1]
    assert key_id in runner.invoke(cli, ["keys", "list"]).stdout
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 0
    assert runner.invoke(cli, ["keys", "create", "--role", "root"]).exit_code == 2
