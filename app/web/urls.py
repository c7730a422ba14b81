"""Addresses of explorer pages. An entity page lives at ``/entity/{kind}/{code}``, the same
path shape as its ``/id/{kind}/{code}`` URI (``app.rdf.iris``), so one maps onto the other."""

from __future__ import annotations

from urllib.parse import urlencode

from app.domain import identity
from app.domain.vocab import NodeLabel
from app.rdf.iris import KIND_OF, Iris

ENTITY_BASE = "/entity/"
_ENTITY = Iris(ENTITY_BASE)
_ID = Iris("/id/")

API_PATH: dict[NodeLabel, str] = {
    NodeLabel.FRAMEWORK: "frameworks", NodeLabel.LEVEL: "levels",
    NodeLabel.COMPETENCY_GROUP: "competency-groups", NodeLabel.COMPETENCY: "competencies",
    NodeLabel.PROFICIENCY_LEVEL: "proficiency-levels", NodeLabel.JOB_FAMILY: "job-families",
    NodeLabel.JOB_PROFILE: "job-profiles", NodeLabel.PROFESSIONAL_TASK: "tasks",
    NodeLabel.FUNCTIONAL_DOMAIN: "functional-domains", NodeLabel.GENERIC_ROLE: "generic-roles",
    NodeLabel.OCCUPATION: "occupations", NodeLabel.PICARD_STANDARD: "picard-standards",
    NodeLabel.INSTITUTION: "institutions", NodeLabel.PROGRAMME: "programmes",
    NodeLabel.ADMINISTRATION: "administrations",
}


def with_query(path: str, lang: str, **params: object) -> str:
    """``path`` with the given parameters (None and "" dropped) and ``lang`` when not English."""
    pairs = [(k, v) for k, v in params.items() if v not in (None, "")]
    if lang != "en":
        pairs.append(("lang", lang))
    return f"{path}?{urlencode(pairs, doseq=True)}" if pairs else path


def entity_path(kind: str, code: str) -> str | None:
    """The explorer page of a catalogue entity, or None for a kind without pages."""
    try:
        label = NodeLabel(kind)
    except ValueError:
        return None
    return str(_ENTITY.entity(label, code)) if label in KIND_OF else None


def id_path(label: NodeLabel, code: str) -> str:
    return str(_ID.entity(label, code))


def api_path(label: NodeLabel, code: str) -> str | None:
    if label in (NodeLabel.PROGRAMME, NodeLabel.COURSE):
        # scoped keys: /institutions/{i}/programmes/{p}[/courses/{c}]
        named = zip(("institutions", "programmes", "courses"), identity.parts(code), strict=False)
        return "/api/v1/" + "/".join(f"{kind}/{part}" for kind, part in named)
    return f"/api/v1/{API_PATH[label]}/{code}" if label in API_PATH else None
