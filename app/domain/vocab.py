"""The service's vocabulary: every closed set of values the graph stores and the API speaks.

One definition per concept, so the seed loader that validates rows, the API that validates
requests (its OpenAPI document lists the values), the Cypher whitelists, the RDF writers and
the explorer that shows the words cannot drift apart. Orders that belong to a concept (how far
evidence can be trusted, the proficiency scale) live beside its values.

Everything here is a plain ``enum``: the values are the strings stored in the graph and
written in answers (a ``StrEnum`` member *is* its string, so it can go into a Cypher parameter
or a JSON answer unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum

# --------------------------------------------------------------------------- the graph model


class NodeLabel(StrEnum):
    """The node labels of the graph. Labels cannot be Cypher parameters, so a query that
    needs one picks it from this whitelist; user input never becomes an identifier."""

    FRAMEWORK = "Framework"
    LEVEL = "Level"
    COMPETENCY_GROUP = "CompetencyGroup"
    COMPETENCY = "Competency"
    PROFICIENCY_LEVEL = "ProficiencyLevel"
    JOB_FAMILY = "JobFamily"
    JOB_PROFILE = "JobProfile"
    PROFESSIONAL_TASK = "ProfessionalTask"
    FUNCTIONAL_DOMAIN = "FunctionalDomain"
    GENERIC_ROLE = "GenericRole"
    OCCUPATION = "Occupation"
    PICARD_STANDARD = "PicardStandard"
    INSTITUTION = "Institution"
    PROGRAMME = "Programme"
    COURSE = "Course"
    ADMINISTRATION = "Administration"
    API_KEY = "ApiKey"
    AUDIT_ENTRY = "AuditEntry"


# Service-internal labels: never seeded, never listed, searched or exported as catalogue data.
INTERNAL_LABELS: frozenset[NodeLabel] = frozenset({NodeLabel.API_KEY, NodeLabel.AUDIT_ENTRY})
# One code, one thing: codes of these labels are unique in any letter case (the store keeps
# the code as written and enforces uniqueness of its folded form, ``code_key``).
FOLDED_LABELS: tuple[NodeLabel, ...] = (
    NodeLabel.FRAMEWORK, NodeLabel.LEVEL, NodeLabel.COMPETENCY, NodeLabel.JOB_PROFILE,
    NodeLabel.PROFESSIONAL_TASK, NodeLabel.INSTITUTION, NodeLabel.PROGRAMME, NodeLabel.COURSE,
    NodeLabel.ADMINISTRATION)
CATALOGUE_LABELS: tuple[NodeLabel, ...] = tuple(
    label for label in NodeLabel if label not in INTERNAL_LABELS
)


class RelationshipType(StrEnum):
    """The relationship types of the graph (a whitelist, like the labels)."""

    IN_FRAMEWORK = "IN_FRAMEWORK"
    MAPS_TO = "MAPS_TO"
    IN_GROUP = "IN_GROUP"
    BROADER = "BROADER"
    IN_FAMILY = "IN_FAMILY"
    IN_DOMAIN = "IN_DOMAIN"
    HAS_ROLE = "HAS_ROLE"
    IN_ADMINISTRATION = "IN_ADMINISTRATION"
    AT_LEVEL = "AT_LEVEL"
    REQUIRES = "REQUIRES"
    PERFORMS = "PERFORMS"
    DRAWS_ON = "DRAWS_ON"
    RELATED_OCCUPATION = "RELATED_OCCUPATION"
    IN_ISCO_GROUP = "IN_ISCO_GROUP"
    PART_OF = "PART_OF"
    OFFERED_BY = "OFFERED_BY"
    RECOGNISED_AGAINST = "RECOGNISED_AGAINST"
    DEVELOPS = "DEVELOPS"
    ALIGNS_WITH = "ALIGNS_WITH"
    USES_SCALE = "USES_SCALE"


RELATIONSHIP_TYPES: frozenset[RelationshipType] = frozenset(RelationshipType)


# --------------------------------------------------------------------------- evidence


class EvidenceStatus(StrEnum):
    """How far a seeded or written fact rests on evidence (``status`` on nodes and edges).

    ``illustrative`` data was invented to show what the service does; it is marked so in the
    data and in every answer that rests on it.
    """

    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    ILLUSTRATIVE = "illustrative"

    @property
    def rank(self) -> int:
        """Trust order: verified 2 > unverified 1 > illustrative 0."""
        return _EVIDENCE_RANK[self]

    @classmethod
    def of(cls, value: object) -> EvidenceStatus:
        """The status of a stored value; a missing or unknown one counts as illustrative
        (nothing is trusted more than its evidence shows)."""
        try:
            return cls(value)
        except ValueError:
            return cls.ILLUSTRATIVE


_EVIDENCE_RANK = {EvidenceStatus.VERIFIED: 2, EvidenceStatus.UNVERIFIED: 1,
                  EvidenceStatus.ILLUSTRATIVE: 0}


def weakest_status(statuses: Iterable[object]) -> EvidenceStatus | None:
    """The least trusted evidence status among ``statuses`` (missing or unknown values count
    as illustrative); None when there are none."""
    found = [EvidenceStatus.of(s) for s in statuses]
    return min(found, key=lambda s: s.rank) if found else None


# --------------------------------------------------------------------------- mappings


class MatchType(StrEnum):
    """A SKOS mapping relation; ``A --t--> B`` reads "A is t of B"."""

    EXACT = "exactMatch"
    CLOSE = "closeMatch"
    BROAD = "broadMatch"
    NARROW = "narrowMatch"
    RELATED = "relatedMatch"


class ReviewStatus(StrEnum):
    """Where a mapping (level mapping or course link) stands in review. Only accepted ones
    count in public answers unless proposed ones are asked for; rejected and superseded ones
    never count."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


def counted_review_statuses(include_proposed: bool) -> list[ReviewStatus]:
    """The review statuses an answer counts: accepted, and proposed ones when asked for."""
    if include_proposed:
        return [ReviewStatus.ACCEPTED, ReviewStatus.PROPOSED]
    return [ReviewStatus.ACCEPTED]


class MappingMethod(StrEnum):
    """How a level mapping was established.

    The first four are evidence a writer can cite; ``illustrative`` marks a mapping invented
    to show the service (the seeded ISCED, CQF and grade-scale mappings), which carries the
    ``illustrative`` evidence status too. In SSSOM exports each method becomes a SEMAPV
    mapping justification (``app.rdf.sssom``).
    """

    OFFICIAL_REFERENCING = "official_referencing"
    COMPARISON_STUDY = "comparison_study"
    EXPERT_PANEL = "expert_panel"
    COMPUTED = "computed"
    ILLUSTRATIVE = "illustrative"


# --------------------------------------------------------------------------- competencies


class Proficiency(IntEnum):
    """The CQF proficiency scale; the value is the rank (1..4), so levels compare and
    subtract as numbers. ``code`` is the word stored in the graph (the ``ProficiencyLevel``
    node's code and every ``proficiency`` property)."""

    AWARE = 1
    TRAINED = 2
    ADVANCED = 3
    EXPERT = 4

    @property
    def code(self) -> str:
        """``aware``, ``trained``, ``advanced`` or ``expert``."""
        return self.name.lower()

    @property
    def rank(self) -> int:
        return int(self.value)

    def __str__(self) -> str:
        return self.code


# The stored words of the scale, in scale order.
PROFICIENCY_CODES: tuple[str, ...] = tuple(p.code for p in Proficiency)


# --------------------------------------------------------------------------- catalogue kinds


class FrameworkKind(StrEnum):
    META = "meta"
    CLASSIFICATION = "classification"
    QUALIFICATIONS_FRAMEWORK = "qualifications_framework"
    NATIONAL = "national"
    GRADE_SCALE = "grade_scale"
    CQF = "cqf"


class ReferencingStatus(StrEnum):
    """How a framework stands towards the EQF (``Framework.referencing_status``); the
    meaning of each value is in ``app.domain.referencing``."""

    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    UNVERIFIED = "unverified"
    NO_LEVEL_TABLE = "no_level_table"
    COMPARISON = "comparison"
    NONE = "none"


class OccupationKind(StrEnum):
    ISCO_GROUP = "isco_group"
    ESCO_OCCUPATION = "esco_occupation"


class PicardKind(StrEnum):
    TIER = "tier"
    KNOWLEDGE_AREA = "knowledge_area"
    THEME = "theme"
    PROPOSED_THEME = "proposed_theme"


class PicardEdition(StrEnum):
    V2008 = "2008"
    V2019 = "2019"
    NEXT = "next"


# --------------------------------------------------------------------------- access


class RoleKind(StrEnum):
    """What an API key may be: ``admin`` and ``reviewer`` stand alone; ``institution`` and
    ``administration`` are scoped to one owner (``institution:{code}``)."""

    ADMIN = "admin"
    REVIEWER = "reviewer"
    INSTITUTION = "institution"
    ADMINISTRATION = "administration"


UNSCOPED_ROLES: tuple[RoleKind, ...] = (RoleKind.ADMIN, RoleKind.REVIEWER)
SCOPED_ROLES: tuple[RoleKind, ...] = (RoleKind.INSTITUTION, RoleKind.ADMINISTRATION)


def scoped_role(kind: RoleKind, code: str) -> str:
    """``institution:EXU``: the role (and owner tag) of one institution or administration."""
    return f"{kind.value}:{code}"
