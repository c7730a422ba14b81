"""CASE answers over the cached CASE model, for either wire version.

The model (every package, with its look-ups) is a read model held per process in a
``RefreshingCache``: loaded once, dropped at once by a write in this process (the service
middleware's ``on_write``, ``app.main.drop_read_models``), refreshed in the background when
its signature (label counts, accepted course links, audit entries) moved in another process.
Serialised answers (a whole CFPackage is the expensive one) are kept with the model they came
from, so a package is encoded once per version and load, not per request.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from app.domain import parts
from app.domain.case import CaseError, CaseGraph, Minor, case_id
from app.domain.case.errors import not_a_uuid, unknown, without_associations
from app.domain.case.listing import ListQuery, parse
from app.domain.case.wire import CaseWire
from app.domain.text import N_
from app.graph.port import GraphStore
from app.graph.refresh_cache import RefreshingCache
from app.services.linked_data.case_build import (
    CQF_DOC,
    PICARD_DOC,
    case_signature,
    load_case_graph,
    rebuild_institutions,
)

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
MEMO_BYTES = 256 * 1024 * 1024  # encoded answers kept per load, oldest dropped beyond this
OBJECT_FIELDS = frozenset({"CFPackageURI", "licenseURI", "subjectURI", "extensions"})


def encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class CaseRead:
    """One load of the CASE model and the answers encoded from it."""

    graph: CaseGraph
    _memo: OrderedDict[tuple[str, ...], bytes] = field(default_factory=OrderedDict)
    _size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    encodes: int = 0  # answers encoded (from this load and those it was updated from)

    def encoded(self, key: tuple[str, ...], make: Any) -> bytes:
        with self._lock:
            hit = self._memo.get(key)
            if hit is not None:
                self._memo.move_to_end(key)
                return hit
        body = encode(make())
        with self._lock:
            self.encodes += 1
            if key not in self._memo:
                self._memo[key] = body
                self._size += len(body)
                while self._size > MEMO_BYTES and len(self._memo) > 1:
                    _, dropped = self._memo.popitem(last=False)
                    self._size -= len(dropped)
        return body


def load_case_read(store: GraphStore) -> CaseRead:
    return CaseRead(load_case_graph(store))


def update_case_read(store: GraphStore, old: CaseRead,
                     changed: frozenset[str]) -> CaseRead | None:
    """After writes to institutions' data only (``None``, a full load, otherwise): the
    catalogue's packages kept, with the answers already encoded from them."""
    if not changed or not all(p.startswith(parts.COURSES[:-1]) for p in changed):
        return None
    graph = rebuild_institutions(store, old.graph)
    read = CaseRead(graph, encodes=old.encodes)
    kept = {ident for key in CATALOGUE_DOCUMENTS
            for package in [graph.package_of[key]]
            for ident in (key, *(i.identifier for i in package.items))}
    with old._lock:  # noqa: SLF001 - the same class's memo, carried over
        for key, body in old._memo.items():  # noqa: SLF001
            if key[-1] in kept:
                read._memo[key] = body  # noqa: SLF001
                read._size += len(body)  # noqa: SLF001
    return read


CATALOGUE_DOCUMENTS = (case_id("CFDocument", CQF_DOC), case_id("CFDocument", PICARD_DOC))
PARTS = (parts.CATALOGUE, parts.COURSES)
CATALOGUE_PARTS = (parts.CATALOGUE,)


class CaseCache(RefreshingCache[CaseRead]):
    """The CASE read model of this process (see the module docstring)."""

    def __init__(self, ttl: float = 5.0) -> None:
        super().__init__(load_case_read, ttl, "case-packages", signature=case_signature,
                         parts=PARTS, update=update_case_read, lazy=True)


def sourced_id(value: str) -> str:
    """The identifier in canonical (lower-case) form; 404 ``invalid_uuid`` for a non-UUID."""
    if not UUID.fullmatch(value):
        raise not_a_uuid(value)
    return value.lower()


@dataclass
class Page:
    body: bytes
    total: int
    query: ListQuery


class CaseService:
    def __init__(self, store: GraphStore, cache: CaseCache, wire: CaseWire) -> None:
        self.store = store
        self.cache = cache
        self.wire = wire

    def _read(self, identifier: str | None = None) -> CaseRead:
        """The model; for the competency framework's or PICARD's document or package, the
        one kept even while a write to an institution's courses is being read in (their
        answers rest on the catalogue only)."""
        needs = CATALOGUE_PARTS if identifier in CATALOGUE_DOCUMENTS else None
        return self.cache.get(self.store, needs=needs)

    def _key(self, what: str, identifier: str) -> tuple[str, ...]:
        return (self.wire.base, what, identifier)

    def documents(self, params: dict[str, Any]) -> Page:
        wire = self.wire
        fields = wire.document_fields
        query = parse(params, fields, fields - OBJECT_FIELDS)
        read = self._read()
        records = wire.documents([p.document for p in read.graph.packages])
        page, total = query.apply(records, wire.document_required)
        if not page:
            if total == 0:
                raise CaseError(404, N_("no CFDocument matches this request"),
                                [("filter", Minor.UNKNOWN_OBJECT)])
            raise CaseError(404, N_("offset %(offset)s is past the last of %(total)s "
                                    "CFDocuments"), [("offset", Minor.UNKNOWN_OBJECT)],
                            {"offset": query.offset, "total": total})
        return Page(encode({"CFDocuments": page}), total, query)

    def document(self, identifier: str) -> bytes:
        ident = sourced_id(identifier)
        read = self._read(ident)
        doc = read.graph.documents.get(ident)
        if doc is None:
            raise unknown("CFDocument", ident)
        return read.encoded(self._key("CFDocuments", ident), lambda: self.wire.document(doc))

    def package(self, identifier: str) -> bytes:
        ident = sourced_id(identifier)
        read = self._read(ident)
        package = read.graph.package_of.get(ident)
        if package is None:
            raise unknown("CFPackage", ident)
        return read.encoded(self._key("CFPackages", ident), lambda: self.wire.package(package))

    def item(self, identifier: str) -> bytes:
        ident, read = sourced_id(identifier), self._read()
        item = read.graph.items.get(ident)
        if item is None:
            raise unknown("CFItem", ident)
        doc = read.graph.documents[item.document]
        return read.encoded(self._key("CFItems", ident), lambda: self.wire.item(item, doc))

    def item_associations(self, identifier: str) -> bytes:
        ident, read = sourced_id(identifier), self._read()
        item = read.graph.items.get(ident)
        answer = self.wire.item_associations(read.graph, item) if item else None
        if answer is None:
            raise without_associations(ident)
        return encode(answer)

    def association(self, identifier: str) -> bytes:
        ident, read = sourced_id(identifier), self._read()
        association = read.graph.associations.get(ident)
        if association is None or not self.wire.speaks(association):
            raise unknown("CFAssociation", ident)
        doc = read.graph.documents[association.document]
        return encode(self.wire.association(association, doc))

    def item_types(self, identifier: str) -> bytes:
        ident, read = sourced_id(identifier), self._read()
        if ident not in read.graph.item_types:
            raise unknown("CFItemType", ident)
        family = read.graph.item_type_family(ident)
        return encode({"CFItemTypes": [self.wire.item_type(t) for t in family]})

    def license(self, identifier: str) -> bytes:
        ident, read = sourced_id(identifier), self._read()
        licence = read.graph.licenses.get(ident)
        if licence is None:
            raise unknown("CFLicense", ident)
        return encode(self.wire.license(licence))

    def absent(self, kind: str, identifier: str) -> bytes:
        """CFConcepts, CFSubjects, CFAssociationGroupings, CFRubrics: the graph holds none,
        so every well-formed identifier is unknown (never an invented answer)."""
        raise unknown(kind, sourced_id(identifier))
