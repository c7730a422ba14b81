"""``cqf serve``: own the store, migrate, seed if empty, serve the API."""

from __future__ import annotations

from typing import Any

import typer
import uvicorn

from app.cli.common import console, load_settings
from app.graph.embedded import EmbeddedFalkorDB, StoreBusy
from app.settings import Backend, Settings


def serve(host: str | None = None, port: int | None = None) -> None:
    """Start the store (embedded unless configured), migrate, seed if empty, serve the API.

    A second service on the same data directory is refused at once, naming the owner."""
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

    console.print(f"CQF Graph on http://{settings.host}:{settings.port}/docs "
                  f"(backend: {settings.backend})")
    uvicorn.run(create_app(settings), **uvicorn_options(settings))


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Proxy headers (client address, scheme) are honoured only from the configured proxies
    (uvicorn otherwise trusts 127.0.0.1 by default); identifiers never come from them
    anyway (app/services/identity.py)."""
    trusted = ",".join(settings.trusted_proxies)
    return {"host": settings.host, "port": settings.port, "log_config": None,
            "access_log": False, "server_header": False, "proxy_headers": bool(trusted),
            "forwarded_allow_ips": trusted or ""}
