"""Fixtures shared by the release and SPARQL tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.graph.port import GraphStore
from app.services.linked_data.releases import make_release

RELEASE_BASE = "http://cqf.test/id/"


@pytest.fixture(scope="module")
def released(seeded_falkordb: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A releases directory of this test module's own holding release 1.0.0 of the seed."""
    root = tmp_path_factory.mktemp("releases")
    make_release(seeded_falkordb, root, "1.0.0", RELEASE_BASE)
    return root
