"""Wires a concrete graph store from settings: the only place (with ``main`` and ``cli``) that
knows which adapter is in use. Start-up order: store up, schema applied, seed if empty."""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.neo4j_store import Neo4jStore
from app.graph.port import GraphStore
from app.seed.loader import Progress, graph_is_empty, seed
from app.settings import Backend, Settings

log = structlog.get_logger(__name__)


@dataclass
class Runtime:
    store: GraphStore
    embedded: EmbeddedFalkorDB | None = None
    schema_applied: bool = False
    seeded_now: bool = False
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.store.close()
        if self.embedded is not None and not self.embedded.reused:
            self.embedded.stop()  # never a server this process found running (a service's)


def connect(settings: Settings) -> Runtime:
    """Open the configured store (starting the embedded server if that is the backend)."""
    timeout = settings.store_timeout_seconds
    if settings.backend is Backend.NEO4J:
        assert settings.neo4j_uri and settings.neo4j_password  # checked by Settings
        store: GraphStore = Neo4jStore(settings.neo4j_uri, settings.neo4j_user,
                                       settings.neo4j_password.get_secret_value(),
                                       settings.neo4j_database, timeout)
        return Runtime(store)
    if settings.backend is Backend.FALKORDB:
        assert settings.falkordb_url
        return Runtime(FalkorDBStore.from_url(settings.falkordb_url, settings.graph_name, timeout))
    embedded = EmbeddedFalkorDB(settings.data_dir / "falkordb")
    port = embedded.start()
    try:
        store = FalkorDBStore("127.0.0.1", port, settings.graph_name, timeout)
    except Exception:
        embedded.stop()
        raise
    return Runtime(store, embedded)


def prepare(runtime: Runtime, settings: Settings, progress: Progress | None = None) -> Runtime:
    """Apply the schema, then seed when the graph is empty and seeding on start is enabled."""
    runtime.store.apply_schema()
    runtime.schema_applied = True
    if settings.seed_on_start and graph_is_empty(runtime.store):
        bundle = seed(runtime.store, settings.seed_dir, progress)
        runtime.seeded_now = True
        log.info("seed.on_start", nodes=bundle.count_by_label())
    return runtime


def start(settings: Settings, progress: Progress | None = None) -> Runtime:
    runtime = connect(settings)
    try:
        return prepare(runtime, settings, progress)
    except Exception:
        runtime.close()
        raise
