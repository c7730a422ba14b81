"""Neo4j 5 adapter through the official driver.

One driver for the application's lifetime; ``execute_query`` with ``routing_=READ`` sends reads
to readers on a cluster (``neo4j://``) and is harmless on a single server (``bolt://``).

Every statement runs under ``app.graph.liveness``: the driver alone would wait for the
server's 120 s receive hint when the server is frozen; here a caller waits at most about one
second for a store that stops answering, and at once while it is known to be down.

A snapshot (``snapshot()``) is one read transaction holding every read of the work that needs
one graph state (a release). Neo4j isolates transactions only at "read committed" (a
transaction's later statements see writes committed after it began), so writes pass a gate
(``cypher.operations.write_gate``): each write transaction locks one of a few stripe nodes
first, and a snapshot holds all of them, in a write transaction of its own that it rolls
back, from before its first read to its end. A write that meets a snapshot waits for it, at
most the store timeout (then StoreUnavailable: 503).

A write is given up at its deadline (``timeout``) whatever it waits for, and then it is not
committed: the server ends its transaction at that timeout, a retry starts only within it,
and the worker never commits after it (the caller has been told "unavailable").
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString

import structlog
from neo4j import READ_ACCESS, GraphDatabase, ManagedTransaction, Query, RoutingControl
from neo4j.exceptions import (
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from app.graph.cypher.operations import write_gate as gate
from app.graph.liveness import Liveness
from app.graph.port import ConstraintViolation, Row, StoreUnavailable
from app.graph.schema import cypher_statements

log = structlog.get_logger(__name__)

FULLTEXT_QUERY: LiteralString = (
    "CALL db.index.fulltext.queryNodes('cqf_text', $q) YIELD node, score "
    "WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label "
    "WHERE label IS NOT NULL "
    "RETURN label, node.code AS code, node.name AS name, node.name_fr AS name_fr, "
    "node.description AS description "
    "ORDER BY score DESC, label, code LIMIT $limit"
)

# A statement past its transaction's timeout, or waiting that long for a lock (a stripe of
# the write gate, held by a snapshot): the server ends the transaction.
_TIMED_OUT = ("TransactionTimedOut", "LockClientStopped")


class _TooLate(StoreUnavailable):
    """A write's deadline passed before it could commit: rolled back, never committed."""


class Neo4jStore:
    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str,
                 timeout: float = 5.0, liveness: float = 1.2,
                 snapshot_limit: float = 600.0) -> None:
        """``snapshot_limit``: the longest a snapshot may hold writes off (the server ends
        its hold then, and the snapshot's work fails instead of mixing graph states)."""
        self._driver = GraphDatabase.driver(  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
            uri, auth=(user, password), connection_timeout=timeout,
            connection_acquisition_timeout=timeout, max_transaction_retry_time=timeout,
            # The server's hints for a query's author (a label not in the graph yet, ...):
            # not sent at all, so no statement pays for them (issue 23.4).
            notifications_min_severity="OFF",
        )
        # The liveness probe's own connection, kept open: a probe is one round trip, never a
        # new connection (and its authentication) on a busy server.
        self._probe_driver = GraphDatabase.driver(  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
            uri, auth=(user, password), connection_timeout=timeout,
            connection_acquisition_timeout=timeout, max_connection_pool_size=1,
        )
        self._database = database
        self._timeout = timeout
        self._snapshot_limit = snapshot_limit
        # Statements sent to the server (the liveness probe not counted): what a test reads
        # to hold an answer to its budget of round trips (issue 23.4).
        self._sent = 0
        self._sent_lock = threading.Lock()
        # A slow statement on a live server is the server's to stop (its own timeout); the
        # client's limit is a little later, so the server's answer arrives first.
        self._liveness = Liveness(self._probe, _is_outage, limit=timeout + 0.5,
                                  check_after=min(liveness / 3, timeout),
                                  probe_deadline=min(liveness * 2 / 3, timeout), name="neo4j")

    def _run(self, query: LiteralString, params: Mapping[str, Any] | None,
             routing: RoutingControl) -> list[Row]:
        # The statement's own timeout, like FalkorDB's socket timeout: a runaway query costs
        # ``timeout`` seconds and then StoreUnavailable, on either backend.
        statement = Query(query, timeout=self._timeout)
        values = dict(params or {})

        def execute() -> list[Any]:
            self.count_round_trip()
            if routing is RoutingControl.READ:
                # One exchange with the server: an auto-commit statement in a read session
                # (the statement and its records together), where a managed transaction
                # (``execute_query``) adds its commit, a second exchange. Still read access
                # (refused if it writes; routed to a reader on a cluster), and the bookmarks
                # of ``execute_query`` (a write of this process is seen by its next read on
                # any cluster member).
                with self._driver.session(  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
                        database=self._database, default_access_mode=READ_ACCESS,
                        bookmark_manager=self._driver.execute_query_bookmark_manager,
                ) as session:
                    return list(session.run(statement, values))
            result: Any = self._driver.execute_query(
                statement, values, database_=self._database, routing_=routing,
            )
            return result.records

        return self._answer(execute)

    def _write(self, query: LiteralString, params: Mapping[str, Any]) -> list[Row]:
        """One write in a transaction of its own, behind one stripe of the write gate (see
        the module's note), retried on transient errors while its deadline allows."""
        values = dict(params)
        stripe = random.choice(gate.STRIPE_CODES)  # noqa: S311 - spreads writers, no secret
        deadline = time.monotonic() + self._timeout
        # the last moment to commit: the caller waits a little longer than the deadline
        # (``Liveness.limit``), and a commit takes well under the difference
        commit_by = deadline + (self._liveness.limit - self._timeout) / 2
        given_up = threading.Event()

        def attempt(session: Any) -> list[Any]:
            left = deadline - time.monotonic()
            if left <= 0 or given_up.is_set():
                raise _TooLate(f"Neo4j did not commit within {self._timeout:g} s")
            # the server ends the transaction (and any lock wait) at the caller's deadline
            with session.begin_transaction(timeout=left) as tx:
                self.count_round_trip()
                tx.run(gate.TAKE_STRIPE, {"code": stripe}).consume()
                self.count_round_trip()
                records = list(tx.run(query, values))
                if given_up.is_set() or time.monotonic() >= commit_by:
                    raise _TooLate(f"Neo4j did not commit within {self._timeout:g} s")
                tx.commit()
                return records

        def execute() -> list[Any]:
            # execute_query's bookmarks: a later read (on a cluster, by a follower) sees it
            with self._driver.session(  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
                    database=self._database,
                    bookmark_manager=self._driver.execute_query_bookmark_manager) as session:
                pause = 0.05
                while True:
                    try:
                        return attempt(session)
                    except (Neo4jError, DriverError) as exc:
                        if not exc.is_retryable() or time.monotonic() + pause >= deadline:
                            raise
                        log.debug("store.write_retried", code=getattr(exc, "code", None),
                                 error=type(exc).__name__)
                    time.sleep(pause)
                    pause = min(pause * 2, 0.5)

        try:
            return self._answer(execute)
        except StoreUnavailable:
            given_up.set()  # the caller hears "unavailable": the worker must not commit
            raise

    def _answer(self, execute: Callable[[], list[Any]]) -> list[Row]:
        try:
            records = self._liveness.run(execute)
        except ConstraintError as exc:
            raise ConstraintViolation(str(exc)) from exc
        except ClientError as exc:
            if any(code in (exc.code or "") for code in _TIMED_OUT):
                raise StoreUnavailable(f"Neo4j stopped a statement after {self._timeout:g} s") \
                    from exc
            raise
        return [dict(record.data()) for record in records]

    @property
    def round_trips(self) -> int:
        """Statements sent so far by this store (each one round trip to the server), those of
        its snapshots included."""
        return self._sent

    def count_round_trip(self) -> None:
        with self._sent_lock:
            self._sent += 1

    def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, RoutingControl.READ)

    def write(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._write(query, params or {})

    def write_rows(self, query: LiteralString, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        return self._write(query, {"rows": list(rows)})

    def fulltext(self, terms: Sequence[str], labels: Sequence[str], limit: int) -> list[Row]:
        # Lucene syntax: terms are plain words (the service strips everything else).
        q = " AND ".join(f"{t}*" if len(t) >= 3 else t for t in terms)
        return self.read(FULLTEXT_QUERY, {"q": q, "labels": list(labels), "limit": limit})

    def _schema_objects_added(self, statement: LiteralString) -> int:
        """Run one DDL statement: how many constraints and indexes it created (0 when they
        existed already: ``IF NOT EXISTS``)."""
        def execute() -> int:
            result: Any = self._driver.execute_query(
                Query(statement, timeout=self._timeout), database_=self._database,
                routing_=RoutingControl.WRITE)
            counters: Any = result.summary.counters
            return int(counters.constraints_added) + int(counters.indexes_added)

        return self._liveness.run(execute)

    def apply_schema(self) -> list[str]:
        statements = cypher_statements("neo4j")
        created = [str(s) for s in statements if self._schema_objects_added(s)]
        self._run("CALL db.awaitIndexes(300)", None, RoutingControl.WRITE)
        self.write(gate.MAKE_STRIPES, {"codes": list(gate.STRIPE_CODES)})
        log.info("schema.applied", backend=self.backend, created=len(created))
        return created

    def _probe(self) -> object:
        """One round trip on a connection of its own choosing: the server answers or not."""
        with self._probe_driver.session(database=self._database) as session:  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
            return session.run("RETURN 1").consume()

    @contextmanager
    def snapshot(self) -> Generator[TransactionView]:
        """Every read of the view in one read transaction, while a write transaction of the
        snapshot's own holds every stripe of the write gate: no write commits from before the
        first read to the block's end (no statement timeout: a release reads the whole graph).
        The hold is rolled back, never committed. Should the server end the hold first (past
        ``snapshot_limit``), the block's end raises StoreUnavailable: its reads may mix states.
        """
        bookmarks = self._driver.execute_query_bookmark_manager
        holder = self._driver.session(  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
            database=self._database, bookmark_manager=bookmarks)
        session = self._driver.session(  # pyright: ignore[reportUnknownMemberType]  (**config unannotated)
            database=self._database, default_access_mode=READ_ACCESS, bookmark_manager=bookmarks)
        try:
            with holder.begin_transaction(timeout=self._snapshot_limit) as hold:
                self.count_round_trip()
                hold.run(gate.TAKE_ALL_STRIPES, {"codes": sorted(gate.STRIPE_CODES)}).consume()
                with session.begin_transaction() as tx:
                    yield TransactionView(tx, self._timeout, self.count_round_trip)
                try:
                    self.count_round_trip()
                    hold.run(gate.STILL_HELD).consume()
                except (Neo4jError, DriverError) as exc:
                    raise StoreUnavailable(
                        f"a snapshot held writes off longer than {self._snapshot_limit:g} s; "
                        "the server ended it") from exc
                hold.rollback()
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable("Neo4j did not answer") from exc
        finally:
            session.close()
            holder.close()

    def ping(self) -> bool:
        """Answers within about a second whatever the server does (``Liveness.alive``)."""
        return self._liveness.alive()

    def close(self) -> None:
        self._liveness.close()
        self._driver.close()
        self._probe_driver.close()


def _is_outage(exc: BaseException) -> bool:
    return isinstance(exc, (ServiceUnavailable, SessionExpired, OSError))


class TransactionView:
    """A read-only store over one open transaction (see ``Neo4jStore.snapshot``)."""

    backend = "neo4j"

    def __init__(self, tx: Any, timeout: float, sent: Callable[[], None]) -> None:
        self._tx: ManagedTransaction = tx
        self._timeout = timeout
        self._sent = sent

    def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        self._sent()
        result: Any = self._tx.run(query, dict(params or {}))
        return [dict(record.data()) for record in result]

    def write(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        raise TypeError("a snapshot is read-only")

    def write_rows(self, query: LiteralString, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        raise TypeError("a snapshot is read-only")

    def fulltext(self, terms: Sequence[str], labels: Sequence[str], limit: int) -> list[Row]:
        q = " AND ".join(f"{t}*" if len(t) >= 3 else t for t in terms)
        return self.read(FULLTEXT_QUERY, {"q": q, "labels": list(labels), "limit": limit})

    def apply_schema(self) -> list[str]:
        raise TypeError("a snapshot is read-only")

    @contextmanager
    def snapshot(self) -> Generator[TransactionView]:
        yield self

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        """The transaction ends with the ``snapshot()`` block."""
