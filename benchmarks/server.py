"""The API under test, in its own process: ``python -m benchmarks.server --port P
--store-url redis://:PASSWORD@127.0.0.1:S --graph G`` serves ``create_app`` over an already
running FalkorDB (the generated graph), so the load generator and the server never share a
GIL. Rate limiting is off: the suite measures the service's capacity, not its throttle."""

from __future__ import annotations

import argparse

import uvicorn

from app.graph.falkordb_store import FalkorDBStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Backend, Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--store-url", required=True)
    parser.add_argument("--graph", required=True)
    args = parser.parse_args()
    settings = Settings(backend=Backend.FALKORDB, falkordb_url=args.store_url,
                        graph_name=args.graph, seed_on_start=False, log_level="WARNING",
                        store_timeout_seconds=30, rate_limit_enabled=False)
    store = FalkorDBStore.from_url(args.store_url, args.graph, timeout=30)
    app = create_app(settings, runtime=Runtime(store, schema_applied=True))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
