"""Read-only pyoxigraph stores that ``/sparql`` answers from: one per release (built once), and
a snapshot of the live graph, rebuilt in the background whenever the graph changes.

Every store holds its triples in one named graph, the IRI of what it holds: a release's
``<base>release/<version>``, the live graph's ``<base>dataset/current``. A query without a
dataset sees that graph as its default graph; ``default-graph-uri``/``named-graph-uri`` name
it explicitly.

Requests never wait for a rebuild: while a new live snapshot is built they are answered from
the previous one (the answer says which). Only the very first snapshot of a fresh service is
waited for, at most the query timeout.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import structlog
from pyoxigraph import NamedNode, RdfFormat
from pyoxigraph import Store as OxStore

from app.graph.embedded import pid_alive
from app.services.linked_data.releases import latest, manifest

log = structlog.get_logger(__name__)
LAYOUT = "v2"  # store directories of another layout (data in the default graph) are rebuilt


@dataclass(frozen=True)
class Snapshot:
    path: Path
    graph: str  # the IRI of the named graph holding the data
    label: str  # for the X-CQF-Snapshot header: "live <built> state=<token>", "release 1.0"
    release: str | None = None


def _load(target: Path, graph: str, source: Path | None = None,
          chunks: Iterable[str] | None = None) -> None:
    """Bulk-load N-Triples (a file, or text chunks) into a new store at ``target``."""
    building = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    shutil.rmtree(building, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    if chunks is not None:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".nt",
                                         dir=building.parent, delete=False) as handle:
            for chunk in chunks:
                handle.write(chunk)
        source = Path(handle.name)
    try:
        store = OxStore(str(building))
        store.bulk_load(path=str(source), format=RdfFormat.N_TRIPLES,
                        to_graph=NamedNode(graph))
        store.flush()
        del store
        try:
            building.rename(target)
        except OSError:  # another process built it first
            shutil.rmtree(building, ignore_errors=True)
    finally:
        if chunks is not None and source is not None:
            source.unlink(missing_ok=True)


def release_snapshot(releases_dir: Path, version: str | None, lock: threading.Lock
                     ) -> Snapshot:
    """Release ``version`` (None: the latest) as a store, built on first use.
    Raises NotFound for an unknown release, LookupError when there is none at all."""
    info = manifest(releases_dir, version) if version else latest(releases_dir)
    if info is None:
        raise LookupError("no release")
    found: str = info["version"]
    graph = f"{info['base_iri']}release/{found}"
    path = releases_dir / ".sparql" / f"{LAYOUT}-release-{found}"
    with lock:
        if not path.is_dir():
            nt = next(f["name"] for f in info["files"] if f["format"] == "ntriples")
            _load(path, graph, source=releases_dir / found / nt)
    return Snapshot(path, graph, f"release {found}", found)


class LiveSnapshots:
    """The live graph's snapshot: ``current(token)`` answers at once with the newest built
    snapshot and starts a rebuild in the background when ``token`` (the graph state) moved."""

    def __init__(self, root: Path, graph: str,
                 export: Callable[[], Iterable[str]]) -> None:
        self.root, self.graph, self.export = root, graph, export
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._snapshot: Snapshot | None = None
        self._token: str | None = None  # the state the newest snapshot was built from
        self._building: str | None = None

    def current(self, token: str, wait: float) -> Snapshot | None:
        """The newest snapshot (None if the first is not built within ``wait`` seconds)."""
        with self._lock:
            if token not in (self._token, self._building) and self._building is None:
                self._building = token
                threading.Thread(target=self._build, args=(token,), daemon=True,
                                 name="cqf-sparql-snapshot").start()
            if self._snapshot is None:
                self._ready.wait_for(lambda: self._snapshot is not None, timeout=wait)
            return self._snapshot

    def _build(self, token: str) -> None:
        built = datetime.now(UTC).replace(microsecond=0)
        stamp = built.strftime("%Y%m%dT%H%M%SZ")
        path = self.root / f"{LAYOUT}-live-{os.getpid()}-{token}-{stamp}"
        try:
            _load(path, self.graph, chunks=self.export())
            snapshot = Snapshot(path, self.graph,
                                f"live {built.isoformat().replace('+00:00', 'Z')} "
                                f"state={token}")
        except Exception as exc:  # noqa: BLE001 - keep answering from the old snapshot
            log.warning("sparql.snapshot_failed", error=type(exc).__name__)
            with self._lock:
                self._building = None
            return
        with self._lock:
            previous, self._snapshot, self._token = self._snapshot, snapshot, token
            self._building = None
            self._ready.notify_all()
        log.info("sparql.snapshot_built", path=path.name)
        self._prune(keep={snapshot.path, previous.path if previous else snapshot.path})

    def _prune(self, keep: set[Path]) -> None:
        """Drop this process's older live snapshots (the previous one stays: a worker may
        still read it) and those of processes that are gone (each API worker has its own)."""
        for path in self.root.glob(f"{LAYOUT}-live-*"):
            pid = path.name.split("-")[2]
            if path in keep or (pid.isdigit() and int(pid) != os.getpid() and pid_alive(int(pid))):
                continue
            shutil.rmtree(path, ignore_errors=True)
