"""Read-only SPARQL over the latest release (pyoxigraph).

The release's N-Triples are bulk-loaded once into an on-disk store, which worker processes
open read-only: an update is refused before it reaches a worker, and could not write anyway.
Each query has a deadline; a worker that overruns it is killed (no runaway query keeps a CPU)
and replaced on the next query. More than ``max_results`` rows (or triples) is refused.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from app.domain.errors import DomainError
from app.services import sparql_worker
from app.services.releases import latest
from app.services.sparql_worker import CSV, JSON, NTRIPLES, TURTLE, XML

__all__ = ["CSV", "JSON", "NTRIPLES", "TURTLE", "XML", "SparqlEndpoint"]
_UPDATE = re.compile(r"(?is)^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b")
_COMMENT = re.compile(r"(?m)^\s*#.*$")


class SparqlError(DomainError):
    slug, status, title = "sparql-error", 400, "SPARQL error"


class NoRelease(SparqlError):
    slug, status, title = "no-release", 404, "No release yet"

    def __str__(self) -> str:
        return "no release has been made yet; run `cqf release VERSION` first"


@dataclass
class UpdateRefused(SparqlError):
    slug, status, title = "sparql-update-refused", 400, "Updates are refused"

    def __str__(self) -> str:
        return "this endpoint is read-only: SPARQL updates are refused"


@dataclass
class MalformedQuery(SparqlError):
    reason: str
    slug, status, title = "sparql-malformed-query", 400, "Malformed query"

    def __str__(self) -> str:
        return f"the query does not parse: {self.reason}"


@dataclass
class TooManyResults(SparqlError):
    limit: int
    slug, status, title = "sparql-result-too-large", 422, "Result too large"

    def __str__(self) -> str:
        return (f"the query has more than {self.limit} results; add a LIMIT (and OFFSET to "
                "page) or narrow it")


@dataclass
class QueryTimeout(SparqlError):
    seconds: float
    slug, status, title = "sparql-timeout", 503, "Query timed out"

    def __str__(self) -> str:
        return f"the query ran longer than {self.seconds:g} s and was stopped"


class Busy(SparqlError):
    slug, status, title = "sparql-busy", 503, "Endpoint busy"

    def __str__(self) -> str:
        return "every SPARQL worker is busy with a long query; retry shortly"


@dataclass
class Answer:
    body: bytes
    media_type: str
    version: str


def is_update(text: str) -> bool:
    return bool(_UPDATE.match(_COMMENT.sub("", text)))


class SparqlEndpoint:
    """One per application: the latest release as a read-only on-disk store (built once per
    release under ``<releases dir>/.sparql/``), and a few persistent worker processes."""

    def __init__(self, releases_dir: Path, timeout: float, max_results: int,
                 workers: int = 2) -> None:
        self.releases_dir, self.timeout, self.max_results = releases_dir, timeout, max_results
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._idle.put(None)  # a free slot; its worker process starts on first use
        self._lock = threading.Lock()

    def close(self) -> None:
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            if worker is not None:
                worker.stop()

    def store_path(self) -> tuple[str, Path]:
        release = latest(self.releases_dir)
        if release is None:
            raise NoRelease()
        version = release["version"]
        path = self.releases_dir / ".sparql" / version
        with self._lock:
            if not path.is_dir():
                nt = next(f["name"] for f in release["files"] if f["format"] == "ntriples")
                building = path.with_name(f".{version}.{os.getpid()}.tmp")
                building.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(building, ignore_errors=True)
                store = OxStore(str(building))
                store.bulk_load(path=str(self.releases_dir / version / nt),
                                format=RdfFormat.N_TRIPLES)
                store.flush()
                del store
                try:
                    building.rename(path)
                except OSError:  # another process built it first
                    shutil.rmtree(building, ignore_errors=True)
        return version, path

    def query(self, text: str, accept: str | None) -> Answer:
        if is_update(text):
            raise UpdateRefused()
        version, path = self.store_path()
        try:
            slot = self._idle.get(timeout=min(1.0, self.timeout))
        except queue.Empty as exc:
            raise Busy() from exc
        worker = slot if slot is not None and slot.alive() else _Worker()
        try:
            reply = worker.ask((str(path), text, accept, self.max_results), self.timeout)
        except TimeoutError as exc:
            worker.stop()
            worker = None  # type: ignore[assignment]
            raise QueryTimeout(self.timeout) from exc
        except (EOFError, OSError) as exc:  # the worker died (e.g. out of memory)
            worker.stop()
            worker = None  # type: ignore[assignment]
            raise Busy() from exc
        finally:
            self._idle.put(worker)
        return _answer(reply, version, self.max_results)


def _answer(reply: tuple[Any, ...], version: str, limit: int) -> Answer:
    if reply[0] == "ok":
        return Answer(reply[1], reply[2], version)
    if reply[0] == "malformed":
        raise MalformedQuery(reply[1])
    if reply[0] == "too-many":
        raise TooManyResults(limit)
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
