"""The node labels and relationship types the service knows.

Labels and types cannot be Cypher parameters, so any query that needs one picks it from these
whitelists; user input never becomes an identifier.
"""

from __future__ import annotations

from enum import StrEnum


class NodeLabel(StrEnum):
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
CATALOGUE_LABELS: tuple[NodeLabel, ...] = tuple(
    label for label in NodeLabel if label not in INTERNAL_LABELS
)


# Properties covered by the full-text index on every label.
FULLTEXT_PROPERTIES: tuple[str, ...] = ("name", "name_fr", "description")

RELATIONSHIP_TYPES: frozenset[str] = frozenset(
    {
        "IN_FRAMEWORK", "MAPS_TO", "IN_GROUP", "BROADER", "IN_FAMILY", "IN_DOMAIN", "HAS_ROLE",
        "IN_ADMINISTRATION", "AT_LEVEL", "REQUIRES", "PERFORMS", "DRAWS_ON",
        "RELATED_OCCUPATION", "IN_ISCO_GROUP", "PART_OF", "OFFERED_BY", "RECOGNISED_AGAINST",
        "DEVELOPS", "ALIGNS_WITH", "USES_SCALE",
    }
)
