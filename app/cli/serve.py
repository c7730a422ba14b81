"""``cqf serve``: own the store, migrate, seed if empty, serve the API."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from app.cli.common import console, load_settings

if TYPE_CHECKING:
    from app import runtime as runtime_mod
    from app.settings import Settings


def serve(host: str | None = None, port: int | None = None,
          workers: Annotated[int, typer.Option(min=1, max=64, help=(
              "uvicorn worker processes (each with its own caches, refreshed within "
              "CQF_MAPPING_CACHE_SECONDS)"))] = 1) -> None:
    """Start the store (embedded unless configured), migrate, seed if empty, serve the API.

    A second service on the same data directory is refused at once, naming the owner."""
    from app import runtime as runtime_mod
    from app.graph.embedded import EmbeddedFalkorDB, StoreBusy
    from app.settings import Backend

    settings = load_settings()
    settings = settings.model_copy(update={k: v for k, v in {"host": host, "port": port}.items()
                                           if v is not None})
    if settings.backend is Backend.EMBEDDED:
        record = EmbeddedFalkorDB(settings.data_dir / "falkordb").running()
        if record is not None and record.owner_pid is not None:
            busy = StoreBusy(settings.data_dir / "falkordb", record)
            console.print(f"[red]refused:[/red] {busy}")
            raise typer.Exit(1)
    from app.main import create_app
    from app.serving import run

    console.print(f"CQF Graph on http://{settings.host}:{settings.port}/docs "
                  f"(backend: {settings.backend}, workers: {workers})")
    if workers == 1:
        run(create_app(settings), **uvicorn_options(settings))
        return
    # Several workers: this process owns (prepares and supervises) the store, then each
    # worker builds its app from the environment and connects to that store.
    runtime = runtime_mod.start(settings)
    runtime.supervise(settings)
    try:
        os.environ.update(worker_environment(settings, runtime))
        run("app.main:app_from_env", workers=workers, factory=True,
            **uvicorn_options(settings))
    finally:
        runtime.close()


def worker_environment(settings: Settings, runtime: runtime_mod.Runtime) -> dict[str, str]:
    """What a worker process needs to reach the store the parent started (and to share its
    rate limits through that store's Redis, as an external FalkorDB would)."""
    from app.settings import Backend

    env = {"CQF_SEED_ON_START": "false"}
    if runtime.embedded is not None:
        env |= {"CQF_BACKEND": Backend.FALKORDB.value,
                "CQF_FALKORDB_URL": runtime.embedded.url,
                "CQF_GRAPH_NAME": settings.graph_name}
    if runtime.base_iri and not settings.base_iri:
        env["CQF_BASE_IRI"] = runtime.base_iri
    return env


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Proxy headers (client address, scheme) are honoured only from the configured proxies
    (uvicorn otherwise trusts 127.0.0.1 by default); identifiers never come from them
    anyway (app/services/linked_data/identity.py)."""
    trusted = ",".join(settings.trusted_proxies)
    return {"host": settings.host, "port": settings.port, "proxy_headers": bool(trusted),
            "forwarded_allow_ips": trusted or ""}
