"""Dependencies of the linked-data routes: the IRI minter for this request's base."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.rdf.iris import Iris


def base_iri(request: Request) -> str:
    configured = request.app.state.settings.base_iri
    return configured or f"{str(request.base_url).rstrip('/')}/id/"


async def get_iris(request: Request) -> Iris:
    return Iris(base_iri(request))


Minter = Annotated[Iris, Depends(get_iris)]
