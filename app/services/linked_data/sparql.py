"""Read-only SPARQL 1.1 over the live graph (by default) and over each release (pyoxigraph).

Stores are read-only snapshots (``app.services.linked_data.sparql_snapshots``) that worker
processes (``app.rdf.sparql.worker``) open read-only: an update is refused before it reaches a
worker, and could not write anyway. Each query has a deadline; a worker that overruns it is
killed (no runaway query keeps a CPU) and replaced on the next query. More than
``max_results`` rows (or triples) is refused.

The dataset follows the SPARQL 1.1 Protocol: ``default-graph-uri`` and ``named-graph-uri``
name graphs (the live graph ``<base>dataset/current`` or a release ``<base>release/<v>``);
``release=VERSION`` picks a release; without either, the live graph is the default graph.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import DomainError, Gettext
from app.domain.text import N_
from app.rdf.sparql import worker as sparql_worker
from app.rdf.sparql.worker import (
    CSV,
    GRAPH_MEDIA,
    JSON,
    JSONLD,
    NTRIPLES,
    RDFXML,
    SELECT_MEDIA,
    TSV,
    TURTLE,
    XML,
)
from app.services.linked_data.releases import list_releases
from app.services.linked_data.sparql_snapshots import LiveSnapshots, Snapshot, release_snapshot

__all__ = ["CSV", "GRAPH_MEDIA", "JSON", "JSONLD", "NTRIPLES", "RDFXML", "SELECT_MEDIA",
           "TSV", "TURTLE", "XML", "SparqlEndpoint"]
_UPDATE = re.compile(r"(?is)^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b")
_COMMENT = re.compile(r"(?m)^\s*#.*$")
# How long the first query of a fresh service waits for the first live snapshot (later
# queries never wait: a rebuild is answered from the previous snapshot).
FIRST_SNAPSHOT_WAIT = 120.0
# Fairness: besides the regular workers (each query may run ``timeout`` seconds on one) one
# worker is reserved. A query that finds every regular worker busy runs there, but for at
# most RESERVED_SECONDS (then it is stopped: 503 with Retry-After), and waits at most
# RESERVED_WAIT for it (one reserved turn and a margin) before 503. So two runaway queries
# hold the two regular workers until their timeout, and every other client's cheap query is
# still answered in well under a second.
RESERVED_SECONDS = 3.0
RESERVED_WAIT = 4.0


Words = tuple[str, Mapping[str, object] | None]
PARSER_SAYS = N_("the query does not parse; the parser's message (in English) is in reason")


class SparqlError(DomainError):
    slug, status, title = "sparql-error", 400, N_("SPARQL error")


@dataclass
class UpdateRefused(SparqlError):
    slug, status, title = "sparql-update-refused", 400, N_("Updates are refused")

    def words(self) -> Words:
        return N_("this endpoint is read-only: SPARQL updates are refused"), None


@dataclass
class MalformedQuery(SparqlError):
    reason: str
    slug, status, title = "sparql-malformed-query", 400, N_("Malformed query")

    def words(self) -> Words:
        return N_("the query does not parse: %(reason)s"), {"reason": self.reason}

    def said(self, gettext: Gettext = str) -> str:
        """The parser's own message is English: another language says where to find it."""
        if gettext(PARSER_SAYS) == PARSER_SAYS:
            return super().said(gettext)
        return gettext(PARSER_SAYS)

    def members(self) -> dict[str, object]:
        return {"reason": self.reason}


@dataclass
class UnknownGraphs(SparqlError):
    graphs: list[str]
    known: list[str]
    slug, status, title = "sparql-unknown-graph", 400, N_("Unknown graph")

    def words(self) -> Words:
        return (N_("no graph %(graphs)s here; the graphs are %(known)s"),
                {"graphs": ", ".join(self.graphs), "known": ", ".join(self.known)})


@dataclass
class MixedSnapshots(SparqlError):
    graphs: list[str]
    slug, status, title = "sparql-mixed-graphs", 400, N_("Graphs of different snapshots")

    def words(self) -> Words:
        return (N_("the graphs %(graphs)s belong to different snapshots (the live graph, "
                   "releases); query them one at a time"), {"graphs": ", ".join(self.graphs)})


@dataclass
class NotAcceptable(SparqlError):
    offered: str
    slug, status, title = "not-acceptable", 406, N_("Not acceptable")

    def words(self) -> Words:
        return N_("this query's results are available as %(offered)s"), {"offered": self.offered}


@dataclass
class TooManyResults(SparqlError):
    limit: int
    slug, status, title = "sparql-result-too-large", 422, N_("Result too large")

    def words(self) -> Words:
        return (N_("the query has more than %(limit)s results; add a LIMIT (and OFFSET to "
                   "page) or narrow it"), {"limit": self.limit})


@dataclass
class QueryTimeout(SparqlError):
    seconds: float
    slug, status, title = "sparql-timeout", 503, N_("Query timed out")

    def words(self) -> Words:
        return (N_("the query ran longer than %(seconds)s s and was stopped"),
                {"seconds": f"{self.seconds:g}"})


class Busy(SparqlError):
    slug, status, title = "sparql-busy", 503, N_("Endpoint busy")

    def words(self) -> Words:
        return N_("every SPARQL worker is busy with a long query; retry shortly"), None


@dataclass
class ReservedOverrun(Busy):
    """A query sent to the reserved worker (every other one busy) ran past its short turn."""

    seconds: float

    def words(self) -> Words:
        return (N_("every SPARQL worker is busy with a long query, and this query did not "
                   "finish within the %(seconds)s s a query may use the worker kept for "
                   "short queries; retry shortly"), {"seconds": f"{self.seconds:g}"})


class SnapshotPending(SparqlError):
    slug, status, title = "sparql-snapshot-pending", 503, N_("Snapshot being built")

    def words(self) -> Words:
        return (N_("the first snapshot of the live graph is still being built; retry shortly"),
                None)


@dataclass
class Answer:
    body: bytes
    media_type: str
    snapshot: Snapshot


@dataclass(frozen=True)
class Dataset:
    """The protocol's dataset: None means "not given" (the snapshot's own graph)."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None

    def given(self) -> bool:
        return self.default is not None or self.named is not None

    def graphs(self) -> list[str]:
        return sorted(set((self.default or ()) + (self.named or ())))


def is_update(text: str) -> bool:
    return bool(_UPDATE.match(_COMMENT.sub("", text)))


class SparqlEndpoint:
    """One per application: the live snapshot, the release stores (built on first use under
    ``<releases dir>/.sparql/``) and a few persistent worker processes."""

    def __init__(self, releases_dir: Path, timeout: float, max_results: int,
                 live_graph: str, export: Callable[[], Iterable[str]],
                 workers: int = 2, reserved_seconds: float = RESERVED_SECONDS) -> None:
        self.releases_dir, self.timeout, self.max_results = releases_dir, timeout, max_results
        self.reserved_seconds = min(reserved_seconds, timeout)
        self.live = LiveSnapshots(releases_dir / ".sparql", live_graph, export)
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._idle.put(None)  # a free slot; its worker process starts on first use
        self._reserved: queue.Queue[_Worker | None] = queue.Queue()
        self._reserved.put(_Worker())  # started now: its short turns never pay a cold start
        self._lock = threading.Lock()

    def close(self) -> None:
        for slots in (self._idle, self._reserved):
            while not slots.empty():
                worker = slots.get_nowait()
                if worker is not None:
                    worker.stop()

    def _release_graphs(self) -> dict[str, str]:
        return {f"{m['base_iri']}release/{m['version']}": m["version"]
                for m in list_releases(self.releases_dir)}

    def snapshot(self, state_token: str, release: str | None, dataset: Dataset) -> Snapshot:
        """The snapshot that answers: ``release``'s, the one the dataset's graphs name, or
        the live graph's. Raises NotFound (unknown release), UnknownGraphs, MixedSnapshots
        or SnapshotPending."""
        versions: set[str | None] = {release} if release else set()
        if dataset.given():
            releases = self._release_graphs()
            known = {self.live.graph: None, **releases}
            unknown = [g for g in dataset.graphs() if g not in known]
            if unknown:
                raise UnknownGraphs(unknown, sorted(known))
            versions |= {known[g] for g in dataset.graphs()}
            if len(versions) > 1:
                raise MixedSnapshots(dataset.graphs())
        version = next(iter(versions), None)
        if version is not None:
            return release_snapshot(self.releases_dir, version, self._lock)
        snapshot = self.live.current(state_token, wait=FIRST_SNAPSHOT_WAIT)
        if snapshot is None:
            raise SnapshotPending()
        return snapshot

    def query(self, text: str, accept: str | None, snapshot: Snapshot,
              dataset: Dataset) -> Answer:
        if is_update(text):
            raise UpdateRefused()
        slots, deadline = self._idle, self.timeout
        try:
            slot = slots.get_nowait()
        except queue.Empty:
            # Every regular worker is busy (long queries): the reserved worker answers, for
            # a short turn, so a cheap query is never refused because of long ones.
            slots, deadline = self._reserved, self.reserved_seconds
            try:
                slot = slots.get(timeout=RESERVED_WAIT)
            except queue.Empty as exc:
                raise Busy() from exc
        worker = slot if slot is not None and slot.alive() else _Worker()
        message = (str(snapshot.path), text, accept, self.max_results,
                   dataset.default, dataset.named)
        try:
            reply = worker.ask(message, deadline)
        except TimeoutError as exc:
            worker.stop()
            worker = None
            if slots is self._reserved and deadline < self.timeout:
                raise ReservedOverrun(deadline) from exc
            raise QueryTimeout(self.timeout) from exc
        except (EOFError, OSError) as exc:  # the worker died (e.g. out of memory)
            worker.stop()
            worker = None
            raise Busy() from exc
        finally:
            slots.put(worker)
        return _answer(reply, snapshot, self.max_results)


def _answer(reply: tuple[Any, ...], snapshot: Snapshot, limit: int) -> Answer:
    if reply[0] == "ok":
        return Answer(reply[1], reply[2], snapshot)
    if reply[0] == "malformed":
        raise MalformedQuery(reply[1])
    if reply[0] == "too-many":
        raise TooManyResults(limit)
    if reply[0] == "not-acceptable":
        raise NotAcceptable(reply[1])
    raise MalformedQuery("the query could not be evaluated")


class _Worker:
    """A worker process and the parent's end of its pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=sparql_worker.serve, args=(child,), daemon=True,
                                       name="cqf-sparql")
        self.process.start()
        child.close()

    def alive(self) -> bool:
        return self.process.is_alive()

    def ask(self, message: tuple[Any, ...], timeout: float) -> tuple[Any, ...]:
        self.conn.send(message)
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
