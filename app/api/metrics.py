"""Prometheus metrics at ``/metrics``: requests and latencies by route template, store query
latency by operation, and whether the store answers.

Each app gets its own registry (several apps in one process, as in the tests, never clash).
With several API worker processes each worker exposes its own figures; scrape them all or
run one worker per container.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

from app.api.rate_limit import LOOKUP
from app.graph.metered import MeteredStore

HTTP_BUCKETS = (.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)
STORE_BUCKETS = (.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5)


class Metrics:
    def __init__(self) -> None:
        disable_created_metrics()  # no *_created series: they only double the scrape
        self.registry = CollectorRegistry()
        self.requests = Counter("cqf_http_requests_total", "HTTP requests answered",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("cqf_http_request_duration_seconds",
                                 "HTTP request latency by route template", ["method", "route"],
                                 buckets=HTTP_BUCKETS, registry=self.registry)
        self.store_latency = Histogram("cqf_store_query_duration_seconds",
                                       "graph store statement latency", ["operation"],
                                       buckets=STORE_BUCKETS, registry=self.registry)
        self.store_errors = Counter("cqf_store_unavailable_total",
                                    "statements that found the store unavailable",
                                    ["operation"], registry=self.registry)
        self.store_restarts = Counter("cqf_store_restarts_total",
                                      "times the supervisor restarted the embedded store",
                                      registry=self.registry)
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.store_up = Gauge("cqf_store_up", "1 when the graph store answers a ping, else 0",
                              registry=self.registry)

    def watch_store(self, ping: Callable[[], bool]) -> None:
        """The up/down gauge pings the store at scrape time, so it is never stale."""
        self.store_up.set_function(lambda: 1.0 if ping() else 0.0)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count and time one HTTP request under its route template (not its raw path, so
        the label set stays small whatever clients send). The labelled children are kept,
        so a request costs two dictionary look-ups, not two ``labels()`` calls."""
        key = (method, route, status)
        pair = self._children.get(key)
        if pair is None:
            pair = (self.requests.labels(method, route, str(status)),
                    self.latency.labels(method, route))
            self._children[key] = pair
        pair[0].inc()
        pair[1].observe(seconds)

    def observe_statement(self, operation: str, seconds: float) -> None:
        self.store_latency.labels(operation).observe(seconds)

    def count_unavailable(self, operation: str) -> None:
        self.store_errors.labels(operation).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


def instrument(runtime: Any, metrics: Metrics) -> None:
    """Wrap the runtime's store once, and point the up/down gauge at it."""
    if not isinstance(runtime.store, MeteredStore):
        runtime.store = MeteredStore(runtime.store, metrics)
    metrics.watch_store(runtime.store.ping)
    listeners = getattr(runtime, "on_restart", None)
    if listeners is not None and metrics.store_restarts.inc not in listeners:
        listeners.append(metrics.store_restarts.inc)


def install(app: FastAPI, metrics: Metrics) -> None:
    """The ``/metrics`` route; requests are counted by the service layer
    (``app.api.middleware.service``) through ``Metrics.observe``."""
    app.state.metrics = metrics

    @app.get("/metrics", include_in_schema=False, dependencies=[LOOKUP])
    def prometheus_metrics(request: Request) -> Response:
        return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)

