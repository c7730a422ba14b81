"""The one CASE model: what the service publishes, independent of the wire version.

Links inside the model are *relative* CASE paths (``CFItems/<id>``); a serialiser joins them
to the version's base URL, so the same model serves ``/ims/case/v1p0`` and ``/ims/case/v1p1``
and is built (and cached) once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.vocab import EvidenceStatus


class AssociationType(StrEnum):
    """CASE 1.1's association types; every one but ``isTranslationOf`` exists in 1.0 too."""

    IS_CHILD_OF = "isChildOf"
    IS_PEER_OF = "isPeerOf"
    IS_PART_OF = "isPartOf"
    EXACT_MATCH_OF = "exactMatchOf"
    PRECEDES = "precedes"
    IS_RELATED_TO = "isRelatedTo"
    REPLACED_BY = "replacedBy"
    EXEMPLAR = "exemplar"
    HAS_SKILL_LEVEL = "hasSkillLevel"
    IS_TRANSLATION_OF = "isTranslationOf"


@dataclass(frozen=True, slots=True)
class NodeRef:
    """An association end: a CASE object (``path`` relative to the CASE base) or an outside
    resource (absolute ``uri``, ``target_type`` an ``ext:`` name)."""

    identifier: str
    title: str
    path: str | None = None
    uri: str | None = None
    target_type: str = "CASE"


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence status and source of the graph fact behind a CASE object."""

    status: str | None
    source_document: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None

    def sentence(self) -> str:
        parts = [f"Evidence status: {self.status or 'not recorded'}."]
        if self.source_document:
            cited = self.source_document
            extra = ", ".join(str(x) for x in (self.publisher, self.year) if x)
            parts.append(f"Source: {cited}" + (f" ({extra})" if extra else "") + ".")
        if self.status == EvidenceStatus.ILLUSTRATIVE:
            parts.append("Illustrative: invented for seeding or demonstration, not an "
                         "official statement of any body.")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class ItemType:
    identifier: str
    title: str
    description: str
    hierarchy_code: str
    type_code: str
    last_change: str
    parent: str | None = None  # identifier of the broader item type


@dataclass(frozen=True, slots=True)
class License:
    identifier: str
    title: str
    description: str
    text: str
    last_change: str


@dataclass(frozen=True, slots=True)
class Document:
    identifier: str
    key: str  # the graph-side key ("cqf-competencies", "institution:EXU"), for the service
    title: str
    creator: str
    description: str
    framework_type: str
    last_change: str
    license: License
    language: str = "en"
    adoption_status: str = "Draft"
    publisher: str | None = None
    official_source_url: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    identifier: str
    document: str  # identifier of its document
    full_statement: str
    human_coding: str
    item_type: ItemType
    last_change: str
    evidence: Evidence
    description: str | None = None
    language: str = "en"
    education_level: tuple[str, ...] = ()

    def notes(self) -> str:
        return " ".join(x for x in (self.description, self.evidence.sentence()) if x)


@dataclass(frozen=True, slots=True)
class Association:
    identifier: str
    document: str
    type: AssociationType | str  # a member, or an "ext:" name (CASE 1.1 only)
    origin: NodeRef
    destination: NodeRef
    last_change: str
    sequence_number: int | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Package:
    document: Document
    items: tuple[Item, ...]
    associations: tuple[Association, ...]
    item_types: tuple[ItemType, ...]


@dataclass
class CaseGraph:
    """Every package, with the look-ups the CASE endpoints need, built once per load."""

    packages: list[Package]
    documents: dict[str, Document] = field(init=False)
    package_of: dict[str, Package] = field(init=False)
    items: dict[str, Item] = field(init=False)
    associations: dict[str, Association] = field(init=False)
    associations_of: dict[str, list[Association]] = field(init=False)
    item_types: dict[str, ItemType] = field(init=False)
    licenses: dict[str, License] = field(init=False)

    def __post_init__(self) -> None:
        self.documents = {p.document.identifier: p.document for p in self.packages}
        self.package_of = {p.document.identifier: p for p in self.packages}
        self.items = {i.identifier: i for p in self.packages for i in p.items}
        self.associations = {a.identifier: a for p in self.packages for a in p.associations}
        self.associations_of = {}
        for a in self.associations.values():
            for end in {a.origin.identifier, a.destination.identifier}:
                self.associations_of.setdefault(end, []).append(a)
        self.item_types = {t.identifier: t for p in self.packages for t in p.item_types}
        self.licenses = {p.document.license.identifier: p.document.license
                         for p in self.packages}

    def item_type_family(self, identifier: str) -> list[ItemType]:
        """The item type and the types directly below it (CFItemTypeSet)."""
        top = self.item_types[identifier]
        return [top] + [t for t in self.item_types.values() if t.parent == identifier]
