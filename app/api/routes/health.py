"""Liveness and readiness, for orchestrators and compose healthchecks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app.api.problems import STORE_DOWN, Problem, answer
from app.api.rate_limit import LOOKUP
from app.api.schemas import Health
from app.domain.text import N_

router = APIRouter(prefix="/health", tags=["health"], dependencies=[LOOKUP])


LIVE = Health(status="ok").model_dump_json().encode()


@router.get("/live", response_model=Health)
async def live() -> Response:
    """Constant bytes from the event loop: no thread hop, nothing to validate."""
    return Response(LIVE, media_type="application/json")


@router.get("/ready", response_model=Health)
def ready(request: Request) -> Response:
    """200 with the checks; else the store's 503 problem+json (with ``Retry-After``), which
    carries the same members, so a probe reads ``checks`` either way."""
    runtime = request.app.state.runtime
    checks = {"store_reachable": runtime.store.ping(), "schema_applied": runtime.schema_applied}
    ok = all(checks.values())
    body = {"status": "ok" if ok else "unavailable", "backend": runtime.store.backend,
            "checks": checks}
    if ok:
        return JSONResponse(body)
    detail = STORE_DOWN.detail if not checks["store_reachable"] else \
        N_("the graph store's schema is not applied yet; retry shortly")
    return answer(request, Problem(503, STORE_DOWN.slug, STORE_DOWN.title, detail, body,
                                   words=(detail, None)))
