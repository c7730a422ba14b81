"""Minting and reading entity IRIs under the configured base (default ``<service>/id/``).

``/id/{kind}/{code}``: the kind is a stable slug per node label; a level's ``FRAMEWORK:LEVEL``
code becomes two path segments (``level/EQF/6``), a programme's scoped key two
(``programme/EXU/P1``) and a course's three (``course/EXU/P1/C1``), every other code one
percent-encoded segment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import quote

from rdflib import URIRef

from app.domain import identity
from app.domain.errors import UnknownKind
from app.domain.vocab import CATALOGUE_LABELS, NodeLabel

KIND_OF: dict[NodeLabel, str] = {
    NodeLabel.FRAMEWORK: "framework",
    NodeLabel.LEVEL: "level",
    NodeLabel.COMPETENCY_GROUP: "competency-group",
    NodeLabel.COMPETENCY: "competency",
    NodeLabel.PROFICIENCY_LEVEL: "proficiency-level",
    NodeLabel.JOB_FAMILY: "job-family",
    NodeLabel.JOB_PROFILE: "job-profile",
    NodeLabel.PROFESSIONAL_TASK: "task",
    NodeLabel.FUNCTIONAL_DOMAIN: "functional-domain",
    NodeLabel.GENERIC_ROLE: "generic-role",
    NodeLabel.OCCUPATION: "occupation",
    NodeLabel.PICARD_STANDARD: "picard-standard",
    NodeLabel.INSTITUTION: "institution",
    NodeLabel.PROGRAMME: "programme",
    NodeLabel.COURSE: "course",
    NodeLabel.ADMINISTRATION: "administration",
}
LABEL_OF: dict[str, NodeLabel] = {kind: label for label, kind in KIND_OF.items()}
MAPPING_KIND = "mapping"
# Resources minted besides the catalogue's entities (each dereferences too,
# app.services.linked_data.minted).
SOURCE_KIND, STATEMENT_KIND, RELEASE_KIND = "source", "statement", "release"
MAPPING_SET_KIND, SCHEME_KIND, DATASET_KIND = "mapping-set", "scheme", "dataset"
OTHER_KINDS = (SOURCE_KIND, STATEMENT_KIND, RELEASE_KIND, MAPPING_SET_KIND, SCHEME_KIND,
               DATASET_KIND)
LEGACY_MAPPING_SETS = "mappings"  # ``mappings/{version}.sssom.tsv``: the first mapping_set_id
# SKOS concept schemes minted by the service (frameworks are schemes of their own levels).
COMPETENCY_SCHEME, ESCO_SCHEME, PROFICIENCY_SCHEME = ("competencies", "esco-competencies",
                                                      "proficiency-scale")
CURRENT_DATASET = "current"
# Institution-owned entities: their IRI has one segment per part of the scoped key.
SCOPED_PARTS: dict[NodeLabel, int] = {NodeLabel.PROGRAMME: 2, NodeLabel.COURSE: 3}
assert set(KIND_OF) == set(CATALOGUE_LABELS), "every catalogue label needs an IRI kind"


_UNRESERVED = re.compile(r"^[A-Za-z0-9_.~-]+$")


def _segment(text: str) -> str:
    return text if _UNRESERVED.match(text) else quote(text, safe="-_.~")


class Iris:
    """Mints IRIs for one base; ``base`` ends with a slash. IRIs are ``URIRef`` unless
    another ``factory`` is given (``as_text()``: plain strings, for the N-Triples stream)."""

    def __init__(self, base: str, factory: Callable[[str], str] = URIRef) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.factory = factory

    def as_text(self) -> Iris:
        return Iris(self.base, str)

    def _mint(self, iri: str) -> URIRef:
        # as_text() mints plain str (all the N-Triples stream needs); URIRef is a str subclass
        return self.factory(iri)  # type: ignore[return-value]  (see the comment above)

    def entity(self, label: NodeLabel, code: str) -> URIRef:
        if label is NodeLabel.LEVEL and ":" in code:
            framework, _, level = code.partition(":")
            path = f"{_segment(framework)}/{_segment(level)}"
        elif label in SCOPED_PARTS:
            # programme/{institution}/{code}, course/{institution}/{programme}/{code}
            path = "/".join(_segment(part) for part in identity.parts(code))
        else:
            path = _segment(code)
        return self._mint(f"{self.base}{KIND_OF[label]}/{path}")

    def mapping(self, mapping_id: str) -> URIRef:
        return self._mint(f"{self.base}{MAPPING_KIND}/{_segment(mapping_id)}")

    def statement(self, rel_type: str, from_code: str, to_code: str) -> URIRef:
        slug = rel_type.lower().replace("_", "-")
        return self._mint(
            f"{self.base}statement/{slug}/{_segment(from_code)}/{_segment(to_code)}")

    def source(self, key: tuple[object, ...]) -> URIRef:
        return self._mint(f"{self.base}source/{source_digest(key)}")

    def other(self, kind: str, *segments: str) -> URIRef:
        """A resource of one of ``OTHER_KINDS`` (schemes, releases, mapping sets, datasets)."""
        path = "/".join(_segment(s) for s in segments)
        return self._mint(f"{self.base}{kind}/{path}")

    def path_of(self, iri: str) -> str:
        """The IRI's path below the base (``competency/OPS-P01``), as minted (encoded)."""
        return iri[len(self.base):]


def source_digest(key: tuple[object, ...]) -> str:
    return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:16]


def statement_type(slug: str) -> str:
    """``requires`` -> ``REQUIRES``, ``related-occupation`` -> ``RELATED_OCCUPATION``."""
    return slug.upper().replace("-", "_")


def label_of_kind(kind: str) -> NodeLabel | None:
    """The label of an IRI kind slug, any case (``Level`` works); None for a mapping.
    Raises ``UnknownKind`` naming the kinds there are."""
    slug = (kind or "").strip().lower()
    if slug == MAPPING_KIND:
        return None
    if slug not in LABEL_OF:
        raise UnknownKind(kind, "", tuple(sorted([*LABEL_OF, MAPPING_KIND, *OTHER_KINDS])))
    return LABEL_OF[slug]


def parse_path(kind: str, rest: str) -> tuple[NodeLabel | None, str]:
    """``(label, code)`` for ``/id/{kind}/{rest}`` (``rest`` already percent-decoded); label
    None for a mapping (code = its id). A level may be written ``level/EQF/6`` or
    ``level/EQF:6``; the code is as typed (``app.services.catalog.codes`` finds the stored one).
    Raises ``UnknownKind`` for an unknown kind and ValueError for a malformed path."""
    label = label_of_kind(kind)
    parts = rest.split("/") if rest else []
    if not parts or any(not p for p in parts):
        raise ValueError("empty code")
    if label is None:
        if len(parts) != 1:
            raise ValueError("a mapping IRI has one segment")
        return None, parts[0]
    if label is NodeLabel.LEVEL:
        if len(parts) == 1 and ":" in parts[0]:
            return label, parts[0]
        if len(parts) != 2:
            raise ValueError("a level IRI is level/FRAMEWORK/LEVEL")
        return label, f"{parts[0]}:{parts[1]}"
    if label in SCOPED_PARTS and len(parts) in (1, SCOPED_PARTS[label]):
        # one segment: the owner's code alone, as written before codes were scoped
        return label, identity.SEPARATOR.join(parts)
    if len(parts) != 1:
        raise ValueError("this IRI has one code segment")
    return label, parts[0]
