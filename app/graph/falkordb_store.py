"""FalkorDB adapter (embedded child process or an external server).

FalkorDB quirks absorbed here rather than in the domain queries:
- no ``CREATE CONSTRAINT`` in Cypher: uniqueness is the ``GRAPH.CONSTRAINT`` command, and the
  range index on the property must exist first;
- re-creating an index is an error ("already indexed"), so migrations treat it as done;
- full-text indexes are per label and use RediSearch syntax, so search queries each label;
- no multi-statement transactions: one statement is atomic, so batches are one ``UNWIND``;
- no snapshot isolation across statements: a consistent view of many reads is the live graph
  with every write held off meanwhile (``falkordb_write_gate``: writes register, a release
  waits for them and holds new ones off). Not ``GRAPH.COPY``: the build we ship hangs in it
  for good (see that module);
- parameters travel inside the query text (``CYPHER p=...``), which the server reads as a C
  string: a NUL character cuts it and the statement fails to parse. Text with NUL is
  refused as invalid input (422) before it is sent.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any, LiteralString, cast
from urllib.parse import quote, unquote, urlsplit

import structlog
from falkordb import FalkorDB  # pyright: ignore[reportMissingTypeStubs]  (no type information)
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from app.domain.vocab import NodeLabel
from app.graph.embedded import pid_alive
from app.graph.falkordb_write_gate import WriteGate
from app.graph.port import ConstraintViolation, Row, StoreUnavailable, UnstorableText
from app.graph.schema import cypher_statements, unique_constraints

log = structlog.get_logger(__name__)

_ALREADY = ("already indexed", "already exists")
SNAPSHOT_MARK = "~snapshot~"  # <graph>~snapshot~<host>~<pid>~<random>
SNAPSHOT_LIMIT = 600.0  # the longest a snapshot may hold writes off (seconds), as on Neo4j

FULLTEXT_QUERY: LiteralString = (
    "CALL db.idx.fulltext.queryNodes($label, $q) YIELD node, score "
    "RETURN $label AS label, node.code AS code, node.name AS name, node.name_fr AS name_fr, "
    "node.description AS description "
    "ORDER BY score DESC, code LIMIT $limit"
)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        pairs = cast(Mapping[object, object], value).items()
        return any(_has_nul(k) or _has_nul(v) for k, v in pairs)
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in cast(Sequence[object], value))
    return False


class FalkorDBStore:
    backend = "falkordb"

    def __init__(self, host: str, port: int, graph_name: str, timeout: float = 5.0,
                 password: str | None = None) -> None:
        # One immediate retry on a dropped connection (a restarted server: the pool's old
        # socket is dead, a new one works), none on a timeout, so a hung server costs one
        # timeout and not redis-py's default of four with back-off.
        # An external server that goes away and comes back is thus reconnected on the next
        # statement, without restarting the service.
        self._graph_name = graph_name
        self._options: dict[str, Any] = {"password": password, "socket_timeout": timeout,
                         "socket_connect_timeout": timeout}
        self._connect(host, port)

    def _connect(self, host: str, port: int) -> None:
        retry = Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,))
        self._db = FalkorDB(host=host, port=port, retry=retry, **self._options)
        self._graph = self._db.select_graph(self._graph_name)
        self.address = f"{host}:{port}"
        self.host, self.port = host, port
        self._gate = WriteGate(self._db.connection, self._graph_name, self.address)

    @property
    def url(self) -> str:
        """``redis://`` URL of this server, password included (for this user's own
        processes: CLI commands, workers; never logged)."""
        password = self._options["password"]
        secret = f":{quote(password, safe='')}@" if password else ""
        return f"redis://{secret}{self.host}:{self.port}"

    def retarget(self, host: str, port: int) -> None:
        """Point at a restarted server (the supervisor's, when its old port was taken)."""
        if (host, port) == (self.host, self.port):
            return
        old = self._db
        self._connect(host, port)
        old.connection.close()

    @classmethod
    def from_url(cls, url: str, graph_name: str, timeout: float = 5.0) -> FalkorDBStore:
        parts = urlsplit(url)
        password = unquote(parts.password) if parts.password else None
        return cls(parts.hostname or "127.0.0.1", parts.port or 6379, graph_name, timeout,
                   password)

    def _run(self, query: str, params: Mapping[str, Any] | None, read_only: bool) -> list[Row]:
        if params and _has_nul(params):
            raise UnstorableText
        try:
            if read_only:
                result: Any = self._graph.ro_query(query, dict(params or {}))
            else:
                with self._gate.writing(self._options["socket_timeout"]):
                    result = self._graph.query(query, dict(params or {}))
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise StoreUnavailable(f"FalkorDB at {self.address} did not answer") from exc
        except ResponseError as exc:
            if "unique constraint violation" in str(exc).lower():
                raise ConstraintViolation(str(exc)) from exc
            raise
        header: list[list[Any]] = result.header
        rows: list[list[Any]] = result.result_set
        names = [str(column[1]) for column in header]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, read_only=True)

    def write(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, read_only=False)

    def write_rows(self, query: LiteralString, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        return self._run(query, {"rows": list(rows)}, read_only=False)

    def fulltext(self, terms: Sequence[str], labels: Sequence[str], limit: int) -> list[Row]:
        # RediSearch syntax: plain words are ANDed; a trailing * makes a prefix match.
        q = " ".join(f"{t}*" if len(t) >= 3 else t for t in terms)
        hits: list[Row] = []
        for label in labels:
            hits += self.read(FULLTEXT_QUERY, {"label": NodeLabel(label).value, "q": q,
                                               "limit": limit})
        return hits[:limit]

    def apply_schema(self) -> list[str]:
        created: list[str] = []
        graph: Any = self._graph
        connection: Any = self._db.connection
        with self._gate.writing(self._options["socket_timeout"]):
            for statement in cypher_statements("falkordb"):
                if self._idempotent(partial(graph.query, statement)):
                    created.append(statement)
            for label, prop in unique_constraints():
                command = ("GRAPH.CONSTRAINT", "CREATE", self._graph_name, "UNIQUE", "NODE",
                           label, "PROPERTIES", "1", prop)
                if self._idempotent(partial(connection.execute_command, *command)):
                    created.append(" ".join(command))
        log.info("schema.applied", backend=self.backend, created=len(created))
        return created

    @staticmethod
    def _idempotent(action: Callable[[], object]) -> bool:
        try:
            action()
        except ResponseError as exc:
            if any(marker in str(exc) for marker in _ALREADY):
                return False
            raise
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise StoreUnavailable("FalkorDB did not answer while applying the schema") from exc
        return True

    @contextmanager
    def snapshot(self) -> Generator[FalkorDBStore]:
        """The live graph, read while the write gate is closed: writes begun before wait to
        end first, and new ones wait (at most their store timeout) until the block ends, or
        until ``SNAPSHOT_LIMIT`` has passed (then the block's end raises StoreUnavailable).
        Copies of the graph left by earlier versions' snapshots are swept first."""
        self._sweep_snapshots()
        timeout: float = self._options["socket_timeout"]
        with self._gate.closed(wait=self._gate.write_hold + timeout, limit=SNAPSHOT_LIMIT):
            yield self

    def _command(self, *args: str) -> Any:
        connection: Any = self._db.connection
        try:
            return connection.execute_command(*args)
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise StoreUnavailable(f"FalkorDB at {self.address} did not answer") from exc

    def _sweep_snapshots(self) -> None:
        prefix = f"{self._graph_name}{SNAPSHOT_MARK}{socket.gethostname()}~"
        for raw in self._command("GRAPH.LIST"):
            name = raw.decode() if isinstance(raw, bytes) else str(raw)
            pid = name.removeprefix(prefix).split("~")[0]
            if name.startswith(prefix) and pid.isdigit() and not pid_alive(int(pid)):
                with suppress(ResponseError):  # deleted by another sweeper meanwhile
                    self._command("GRAPH.DELETE", name)

    def ping(self) -> bool:
        try:
            connection: Any = self._db.connection
            return bool(connection.ping())
        except (RedisConnectionError, RedisTimeoutError, OSError):
            return False

    def close(self) -> None:
        self._db.connection.close()
