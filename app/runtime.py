"""Wires a concrete graph store from settings: the only place (with ``main`` and ``cli``) that
knows which adapter is in use. Start-up order: store up, schema applied, seed if empty, base
IRI fixed.

Embedded store, three ways to open it (see app/graph/embedded.py for the lock):
- ``OWN``: this process owns the data directory; a service also supervises the server;
- ``SHARE`` (CLI commands): use the server another process owns, never stopping it; own it
  (and stop it at the end) only when nobody does;
- the service refuses a directory another service or command owns, and only attaches to a
  detached ``cqf db start`` server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import structlog

from app.graph.embedded import EmbeddedFalkorDB, PidRecord, StoreBusy
from app.graph.falkordb_store import FalkorDBStore
from app.graph.neo4j_store import Neo4jStore
from app.graph.port import GraphStore
from app.graph.supervisor import StoreSupervisor
from app.seed.loader import Progress, graph_is_empty, seed
from app.services.institutions import locks
from app.services.linked_data import identity
from app.services.operations.migrations import migrate_data
from app.settings import Backend, Settings

log = structlog.get_logger(__name__)


class Mode(StrEnum):
    SERVICE = "service"  # own the store (or attach to a detached one); refuse otherwise
    SHARE = "share"  # a CLI command: use whoever's store, own one only if nobody runs it


@dataclass
class Runtime:
    store: GraphStore
    embedded: EmbeddedFalkorDB | None = None  # set only when this process owns the server
    attached: PidRecord | None = None  # the server of another process this one uses
    schema_applied: bool = False
    seeded_now: bool = False
    notes: list[str] = field(default_factory=list)
    supervisor: StoreSupervisor | None = None
    base_iri: str | None = None
    on_restart: list[Callable[[], None]] = field(default_factory=list)

    @property
    def restarts(self) -> int:
        return self.supervisor.restarts if self.supervisor else 0

    def supervise(self, settings: Settings) -> None:
        """Restart the owned embedded server whenever it dies (services only)."""
        if self.embedded is None or self.supervisor is not None:
            return

        def down() -> None:
            self.schema_applied = False

        def up(port: int) -> None:
            _inner(self.store).retarget("127.0.0.1", port)
            self.store.apply_schema()
            locks.clear_orphans(self.store)  # the holders the store's death took with it
            self.schema_applied = True
            for listener in self.on_restart:
                listener()

        self.supervisor = StoreSupervisor(self.embedded, down, up).start()

    def close(self) -> None:
        if self.supervisor is not None:
            self.supervisor.stop()
        self.store.close()
        if self.embedded is not None:
            self.embedded.stop()


def _inner(store: GraphStore) -> FalkorDBStore:
    inner = getattr(store, "inner", store)
    assert isinstance(inner, FalkorDBStore)
    return inner


def _open_embedded(settings: Settings, mode: Mode) -> Runtime:
    server = EmbeddedFalkorDB(settings.data_dir / "falkordb")
    timeout = settings.store_timeout_seconds
    deadline = time.monotonic() + 2.0  # a lock seen held while its owner is still starting
    while True:
        if server.try_acquire():
            port = server.start()
            try:
                return Runtime(FalkorDBStore("127.0.0.1", port, settings.graph_name, timeout,
                                             server.password), embedded=server)
            except Exception:
                server.stop()
                raise
        record = server.running()
        if record is not None and (mode is Mode.SHARE or record.owner_pid is None):
            log.info("embedded.attached", pid=record.pid, port=record.port,
                     owner_pid=record.owner_pid)
            return Runtime(FalkorDBStore("127.0.0.1", record.port, settings.graph_name,
                                         timeout, server.password), attached=record)
        if record is not None or time.monotonic() > deadline:
            raise StoreBusy(server.data_dir, record)
        time.sleep(0.1)


def connect(settings: Settings, mode: Mode = Mode.SHARE) -> Runtime:
    """Open the configured store (starting the embedded server if that is the backend and
    nobody runs it yet)."""
    timeout = settings.store_timeout_seconds
    if settings.backend is Backend.NEO4J:
        assert settings.neo4j_uri and settings.neo4j_password  # checked by Settings
        store: GraphStore = Neo4jStore(settings.neo4j_uri, settings.neo4j_user,
                                       settings.neo4j_password.get_secret_value(),
                                       settings.neo4j_database, timeout,
                                       settings.store_liveness_seconds)
        return Runtime(store)
    if settings.backend is Backend.FALKORDB:
        assert settings.falkordb_url
        return Runtime(FalkorDBStore.from_url(settings.falkordb_url, settings.graph_name, timeout))
    return _open_embedded(settings, mode)


def prepare(runtime: Runtime, settings: Settings, progress: Progress | None = None) -> Runtime:
    """Apply the schema, seed when the graph is empty and seeding on start is enabled, and
    fix the base IRI (configured, stored, or minted now and stored)."""
    runtime.store.apply_schema()
    migrate_data(runtime.store)
    locks.clear_orphans(runtime.store)  # left by processes killed while they held them
    runtime.schema_applied = True
    if settings.seed_on_start and graph_is_empty(runtime.store):
        bundle = seed(runtime.store, settings.seed_dir, progress)
        runtime.seeded_now = True
        log.info("seed.on_start", nodes=bundle.count_by_label())
    runtime.base_iri = identity.resolve_base_iri(runtime.store, settings)
    return runtime


def start(settings: Settings, progress: Progress | None = None,
          mode: Mode = Mode.SERVICE) -> Runtime:
    runtime = connect(settings, mode)
    try:
        return prepare(runtime, settings, progress)
    except Exception:
        runtime.close()
        raise
