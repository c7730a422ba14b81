"""Dependencies of the linked-data routes: the IRI minter for the service's fixed base.

The base never comes from the request (``Host``, ``X-Forwarded-Host``): see
app/services/linked_data/identity.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.rdf.iris import Iris
from app.services.linked_data import identity


def base_iri(request: Request) -> str:
    fixed = getattr(request.app.state.runtime, "base_iri", None)
    return fixed or identity.static_base_iri(request.app.state.settings)


async def get_iris(request: Request) -> Iris:
    return Iris(base_iri(request))


Minter = Annotated[Iris, Depends(get_iris)]
