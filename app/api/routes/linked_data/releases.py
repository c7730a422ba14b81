"""``/api/v1/releases``: the versioned dump sets, their files, and the diff between two."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel

from app.api.http import conditional
from app.api.rate_limit import LOOKUP, QUERY
from app.api.schemas import Problem
from app.services.linked_data import release_diff, releases

router = APIRouter(prefix="/releases", tags=["linked data"])
Version = Annotated[str, PathParam(pattern=releases.VERSION.pattern, max_length=32,
                                   description="MAJOR.MINOR or MAJOR.MINOR.PATCH")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "unknown release or file (problem+json)"}}


class ReleaseFile(BaseModel):
    name: str
    format: str
    media_type: str
    bytes: int
    sha256: str


class MappingCount(BaseModel):
    from_framework: str
    to_framework: str
    total: int


class Release(BaseModel):
    version: str
    issued: str
    created: str
    previous: str | None
    base_iri: str
    licence: str
    publisher: str
    triples: int
    ontology_triples: int
    mapping_counts: list[MappingCount]
    files: list[ReleaseFile]


class ReleaseList(BaseModel):
    items: list[Release]
    latest: str | None


class EntityChange(BaseModel):
    iri: str
    kind: str | None
    labels: list[str] | None = None
    before: list[str] | None = None
    after: list[str] | None = None


class MappingChanges(BaseModel):
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]


class ReleaseDiff(BaseModel):
    from_version: str
    to_version: str
    added: list[EntityChange]
    removed: list[EntityChange]
    relabelled: list[EntityChange]
    relevelled: list[EntityChange]
    mappings: MappingChanges
    summary: dict[str, int]


def _dir(request: Request) -> Path:
    return Path(request.app.state.settings.releases_dir)


@router.get("", dependencies=[LOOKUP], response_model=ReleaseList)
def list_releases(request: Request) -> dict[str, Any]:
    """Every release, oldest first, with its files, checksums and triple counts."""
    items = releases.list_releases(_dir(request))
    return {"items": items, "latest": items[-1]["version"] if items else None}


def _created(manifest: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(manifest["created"])


@router.get("/{version}", dependencies=[LOOKUP], response_model=Release, responses=NOT_FOUND)
def get_release(version: Version, request: Request) -> Response:
    """One release's manifest (``ETag``, ``Last-Modified``: a release never changes)."""
    manifest = releases.manifest(_dir(request), version)
    return conditional(request, JSONResponse(manifest), last_modified=_created(manifest))


@router.get("/{version}/files/{name}", dependencies=[QUERY],
            response_class=FileResponse, responses={
    200: {"content": {"text/turtle": {}, "application/n-triples": {}, "text/plain": {},
                      "application/ld+json": {}, "text/tab-separated-values": {},
                      "application/json": {}},
          "description": "the file, as written by the release"}, **NOT_FOUND})
def release_file(version: Version, name: Annotated[str, PathParam(max_length=200)],
                 request: Request) -> Response:
    """A file of the release; only names listed in the release's own manifest are served.
    Its ``ETag`` is its SHA-256 (as in ``SHA256SUMS``)."""
    path, media = releases.release_file(_dir(request), version, name)
    manifest = releases.manifest(_dir(request), version)
    sums = {f["name"]: f["sha256"] for f in manifest["files"]}
    response = FileResponse(path, media_type=media, filename=name,
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})
    # The manifest and SHA256SUMS are not in their own list: small, hashed here.
    etag = f'"{sums.get(name) or hashlib.sha256(path.read_bytes()).hexdigest()}"'
    return conditional(request, response, etag, _created(manifest))


@router.get("/{version}/diff/{other}", dependencies=[QUERY],
            response_model=ReleaseDiff, responses=NOT_FOUND)
def diff_releases(version: Version, other: Version, request: Request) -> dict[str, Any]:
    """Concept-level changes from ``version`` to ``other``: entities added, removed,
    relabelled and re-levelled, and level mappings added, removed or changed."""
    return release_diff.diff(_dir(request), version, other)
