"""``N_``: marks an English message that a presentation layer shows or translates later.

The explorer's message extraction (``babel.cfg``) collects every ``N_("...")`` in ``app/`` into
its gettext catalogues, so a sentence written once in English (for the API) is the msgid the
French page translates. Pure: no translation happens here."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel extracts
    """Returns ``message`` unchanged; only marks it for extraction."""
    return message


# The kinds of record, as a person calls them (a page's heading, "no Level with code 'X'").
KIND_WORDS = {
    "Framework": N_("Framework"), "Level": N_("Level"),
    "CompetencyGroup": N_("Competency group"), "Competency": N_("Competency"),
    "ProficiencyLevel": N_("Proficiency level"), "JobFamily": N_("Job family"),
    "JobProfile": N_("Job profile"), "ProfessionalTask": N_("Professional task"),
    "FunctionalDomain": N_("Functional domain"), "GenericRole": N_("Generic role"),
    "Occupation": N_("Occupation"), "PicardStandard": N_("PICARD standard"),
    "Institution": N_("Institution"), "Programme": N_("Programme"), "Course": N_("Course"),
    "Administration": N_("Administration"), "Mapping": N_("Mapping"),
}
# Further things an address can name that are not records of the graph.
ADDRESS_WORDS = {
    **KIND_WORDS, "Source": N_("Source"), "Statement": N_("Statement"),
    "ConceptScheme": N_("Concept scheme"), "Dataset": N_("Dataset"), "Release": N_("Release"),
    "release file": N_("Release file"), "CourseMapping": N_("Course mapping"),
    "ApiKey": N_("API key"),
}
