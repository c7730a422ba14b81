"""1EdTech CASE 1.0 read API (``/ims/case/v1p0``) over the competency framework, the PICARD
standards and the institutions' course frameworks."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request

from app.api.deps import Store
from app.api.rate_limit import LOOKUP, QUERY
from app.api.rdf_deps import base_iri
from app.api.schemas import Problem
from app.services import identity
from app.services.case import PREFIX, CaseView

router = APIRouter(prefix=PREFIX, tags=["CASE 1.0"])
Id = Annotated[UUID, Path(description="sourcedId (UUID)")]
ERRORS = {404: {"model": Problem}, 422: {"model": Problem}}


def _view(request: Request, store: Store) -> CaseView:
    return CaseView(store, identity.service_root(base_iri(request)))  # never the Host header


View = Annotated[CaseView, Depends(_view)]


@router.get("/CFDocuments", dependencies=[LOOKUP])
def get_all_cf_documents(view: View) -> dict:
    return view.documents()


@router.get("/CFDocuments/{sourced_id}", dependencies=[LOOKUP], responses=ERRORS)
def get_cf_document(sourced_id: Id, view: View) -> dict:
    return view.document(str(sourced_id))


@router.get("/CFPackages/{sourced_id}", dependencies=[QUERY], responses=ERRORS)
def get_cf_package(sourced_id: Id, view: View) -> dict:
    return view.package(str(sourced_id))


@router.get("/CFItems/{sourced_id}", dependencies=[LOOKUP], responses=ERRORS)
def get_cf_item(sourced_id: Id, view: View) -> dict:
    return view.item(str(sourced_id))


@router.get("/CFAssociations/{sourced_id}", dependencies=[LOOKUP], responses=ERRORS)
def get_cf_association(sourced_id: Id, view: View) -> dict:
    return view.association(str(sourced_id))
