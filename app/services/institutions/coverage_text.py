"""The coverage report's findings in English: the words the API answers with, and the msgids
the explorer translates (``N_`` marks them for its catalogues). The domain
(``app.domain.picard``) returns codes and numbers; this module is the only place they become
sentences in English."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.domain.text import N_

CRITERIA = {
    "bachelor_level": N_("bachelor level or higher (EQF 6+)"),
    "substantial_coverage": N_("substantial coverage of the Professional Standards "
                               "(not only individual elements)"),
    "wco_endorsement": N_("customs-specific programme endorsed by the WCO"),
    "evidence_requirements": N_("evidence requirements of the 2019 Guidelines"),
}
REASONS = {
    "no_level": N_("the programme has no level in the graph"),
    "no_eqf_mapping": N_("no accepted mapping places %(level)s within an EQF level"),
    "corresponds_to_eqf": N_("%(level)s corresponds to EQF %(eqf)s"),
    "nothing_aligned": N_("no course of the programme aligns with any tier or knowledge area"),
    "partial_elements": N_(
        "knowledge areas covered: %(areas_covered)s of %(areas_total)s in the graph; tiers "
        "fully covered: %(tiers_covered)s of %(tiers_total)s. The graph holds only part of "
        "the Standards' elements (the 2008 list is cut off after item 8; the 2019 element "
        "table is missing), and 'substantial' has no published threshold"),
    "wco_decision": N_("recognition is a WCO decision on an application; the graph holds no "
                       "application or approval data"),
    "evidence_not_in_graph": N_(
        "the detailed evidence requirements of the Guidelines on Recognition of University "
        "Customs Curricula 2019 are not in the graph"),
}
NOTES = {
    "no_knowledge_areas": N_("the graph holds no knowledge areas for this tier (element table "
                             "not available), so only direct alignment with the tier can be "
                             "shown"),
}
STATEMENTS = {
    "refute_not_confirm": N_("The data can show that a programme falls short of a criterion; "
                             "it cannot confirm that the WCO would recognise it."),
}


def finding(template: str, facts: Mapping[str, Any],
            join: Callable[[list[str]], str] = ", ".join,
            number: Callable[[Any], str] = str) -> str:
    """``template`` with its facts filled in: lists joined, numbers written by ``number``
    (the explorer passes its locale's list and number formats)."""
    def word(value: Any) -> str:
        if isinstance(value, list | tuple):
            return join([word(v) for v in value])
        return number(value) if isinstance(value, int | float) else str(value)

    return template % {k: word(v) for k, v in facts.items()} if facts else template


def in_english(report: dict[str, Any]) -> dict[str, Any]:
    """Adds the English words to a coverage report: ``criterion``/``detail`` per criterion,
    ``statement``, each tier's ``note`` and ``areas`` ("k of n areas")."""
    for tier in report.get("tiers", []):
        tier["note"] = NOTES[tier["note_code"]] if tier.get("note_code") else None
        tier["areas"] = f"{tier['areas_covered']} of {tier['areas_total']} areas"
    readiness = report.get("readiness")
    if readiness:
        for criterion in readiness["criteria"]:
            criterion["criterion"] = CRITERIA[criterion["code"]]
            criterion["detail"] = finding(REASONS[criterion["reason"]], criterion["facts"])
        readiness["statement"] = STATEMENTS[readiness["statement_code"]]
    return report
