"""Configuration refuses bad combinations at start-up, naming the variable to fix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import Backend, Settings


@pytest.mark.parametrize("env, variable", [
    ({"CQF_BACKEND": "neo4j"}, "CQF_NEO4J_URI"),
    ({"CQF_BACKEND": "neo4j", "CQF_NEO4J_URI": "http://x:7474"}, "CQF_NEO4J_URI"),
    ({"CQF_BACKEND": "neo4j", "CQF_NEO4J_URI": "bolt://x:7687"}, "CQF_NEO4J_PASSWORD"),
    ({"CQF_BACKEND": "falkordb"}, "CQF_FALKORDB_URL"),
    ({"CQF_BACKEND": "falkordb", "CQF_FALKORDB_URL": "localhost:6379"}, "CQF_FALKORDB_URL"),
])
def test_a_bad_backend_combination_names_the_variable(monkeypatch, env, variable) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    assert variable in str(caught.value)


def test_an_unknown_backend_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("CQF_BACKEND", "mongodb")
    with pytest.raises(ValidationError, match="backend"):
        Settings(_env_file=None)


def test_neo4j_cluster_and_single_server_uris_are_accepted(monkeypatch) -> None:
    for uri in ("bolt://db:7687", "neo4j://cluster:7687", "neo4j+s://x.databases.neo4j.io"):
        monkeypatch.setenv("CQF_BACKEND", "neo4j")
        monkeypatch.setenv("CQF_NEO4J_URI", uri)
        monkeypatch.setenv("CQF_NEO4J_PASSWORD", "secret")
        assert Settings(_env_file=None).backend is Backend.NEO4J


def test_the_default_is_the_embedded_store(monkeypatch) -> None:
    monkeypatch.delenv("CQF_BACKEND", raising=False)
    assert Settings(_env_file=None).backend is Backend.EMBEDDED


def test_proxy_headers_are_honoured_only_from_configured_proxies() -> None:
    from app.cli.serve import uvicorn_options

    plain = uvicorn_options(Settings())
    assert plain["proxy_headers"] is False and plain["forwarded_allow_ips"] == ""
    behind = uvicorn_options(Settings(trusted_proxies="10.0.0.5, 10.0.0.6"))  # type: ignore[arg-type]
    assert behind["proxy_headers"] is True
    assert behind["forwarded_allow_ips"] == "10.0.0.5,10.0.0.6"
