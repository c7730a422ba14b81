"""Fault tests own their store: a private embedded FalkorDB they may kill and restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.graph.embedded import EmbeddedFalkorDB


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[EmbeddedFalkorDB]:
    server = EmbeddedFalkorDB(tmp_path / "falkordb")
    server.start()
    yield server
    server.stop()
