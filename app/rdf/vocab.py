"""The CQF vocabulary. GENERATED from ontology/cqf.ttl by scripts/generate_vocab.py:
do not edit; regenerate. ``_fail = True``: a misspelt term raises instead of minting an IRI."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class CQF(DefinedNamespace):
    _NS = Namespace("https://cqf-graph.org/ontology#")
    _fail = True

    # classes
    Administration: URIRef  # administration
    Competency: URIRef  # competency
    CompetencyGroup: URIRef  # competency group
    Course: URIRef  # course
    Framework: URIRef  # framework
    FunctionalDomain: URIRef  # functional domain
    GenericRole: URIRef  # generic role
    Institution: URIRef  # institution
    JobFamily: URIRef  # job family
    JobProfile: URIRef  # job profile
    Level: URIRef  # level
    Mapping: URIRef  # level mapping
    Occupation: URIRef  # occupation
    PicardStandard: URIRef  # PICARD standard
    ProfessionalTask: URIRef  # professional task
    ProficiencyLevel: URIRef  # proficiency level
    Programme: URIRef  # programme
    QualifiedRelation: URIRef  # qualified relation
    Source: URIRef  # source

    # object properties
    alignsWith: URIRef  # aligns with
    atLevel: URIRef  # at level
    develops: URIRef  # develops
    drawsOn: URIRef  # draws on
    hasRole: URIRef  # has role
    inAdministration: URIRef  # in administration
    inDomain: URIRef  # in domain
    inFamily: URIRef  # in family
    inGroup: URIRef  # in group
    inIscoGroup: URIRef  # in ISCO group
    offeredBy: URIRef  # offered by
    partOf: URIRef  # part of
    performs: URIRef  # performs
    proficiency: URIRef  # proficiency
    recognisedAgainst: URIRef  # recognised against
    relatedOccupation: URIRef  # related occupation
    requires: URIRef  # requires
    usesScale: URIRef  # uses scale

    # datatype properties
    anchor: URIRef  # anchor
    assertedBy: URIRef  # asserted by
    assessment: URIRef  # assessment
    autonomyDescriptor: URIRef  # responsibility and autonomy descriptor
    confidence: URIRef  # confidence
    country: URIRef  # country
    descriptionStatus: URIRef  # description status
    ects: URIRef  # ECTS credits
    evidence: URIRef  # evidence
    evidenceQuote: URIRef  # evidence quote
    evidenceStatus: URIRef  # evidence status
    frameworkKind: URIRef  # framework kind
    historical: URIRef  # historical
    incuMember: URIRef  # INCU member
    iscoCode: URIRef  # ISCO code
    jurisdiction: URIRef  # jurisdiction
    knowledgeDescriptor: URIRef  # knowledge descriptor
    levelCode: URIRef  # level code
    mappingMethod: URIRef  # mapping method
    occupationKind: URIRef  # occupation kind
    ordinal: URIRef  # ordinal
    qualificationExamples: URIRef  # qualification examples
    rank: URIRef  # rank
    referencingStatus: URIRef  # EQF referencing status
    referencingYear: URIRef  # EQF referencing year
    reviewDate: URIRef  # review date
    reviewStatus: URIRef  # review status
    roleFamily: URIRef  # role family
    skillsDescriptor: URIRef  # skills descriptor
    standardKind: URIRef  # standard kind
    standardVersion: URIRef  # standard version
    tradeOnly: URIRef  # trade only

    # annotation properties
    graphLabel: URIRef  # graph label
    graphRelationship: URIRef  # graph relationship
