"""Every kind of explorer page, with state that makes each show its answer: the list the
language sweeps, the pseudo-locale test and the browser checks (screenshots, axe-core) walk.
Entity pages are found through the API (one entity of every kind), not hard-coded."""

from __future__ import annotations

from app.domain.vocab import CATALOGUE_LABELS
from app.graph.port import GraphStore
from app.services.catalog.reads import CatalogService
from app.web import urls

VIEWS: dict[str, str] = {
    "home": "/",
    "equivalence": "/equivalence",
    "equivalence-all": "/equivalence?from=IE-NFQ:8",
    "equivalence-ladder": "/equivalence?from=IE-NFQ:8&to=NL-NLQF",
    "equivalence-programme": "/equivalence?from=programme:PROG-EXU-MSC",
    "equivalence-error": "/equivalence?from=NOPE:1&to=EQF",
    "portability": "/portability",
    "portability-profile": "/portability?profile=JP-AUDIT-OFFICER-PCA",
    "portability-competencies": "/portability?mode=competencies&h.OPS-P03=advanced",
    "portability-error": "/portability?profile=NOPE",
    "coverage": "/coverage",
    "coverage-programme": "/coverage?programme=EXU/PROG-EXU-MSC",
    "coverage-error": "/coverage?programme=NOPE/NOPE",
    "search": "/search",
    "search-results": "/search?q=valuation",
    "search-none": "/search?q=zzzzqqq",
    "search-kind": "/search?kind=Level",
    "entity-missing": "/entity/competency/NOPE",
    "cqf-table": "/cqf-table",
    "cqf-table-columns": "/cqf-table?fw=IE-NFQ&administration=ADM-A",
    "careers": "/careers",
    "careers-ladder": "/careers?family=JF-BORDER",
    "careers-plan": "/careers?from=JP-ADM-B-03&to=JP-CONTROL-MID_MGR-BORDER",
    "careers-plan-competencies": ("/careers?mode=competencies&h.OPS-P05=advanced"
                                  "&h.ESCO:inspect-cargo=advanced&h.OPS-P02=trained"
                                  "&h.ESCO:perform-body-searches=trained"
                                  "&to=JP-CONTROL-OFFICER-BORDER"),
    "careers-no-plan": "/careers?from=JP-CONTROL-TRAINEE-BORDER&to=JP-CONTROL-STRAT_MGR-LEAD"
                       "&steps=2",
    "careers-error": "/careers?mode=competencies&h.NOPE=guru&to=NOPE",
}

FAILING = {"equivalence-error", "portability-error", "coverage-error", "entity-missing",
           "careers-error"}
"""The views whose state is deliberately wrong: they show the service's error message."""


def entity_pages(store: GraphStore) -> dict[str, str]:
    """One entity page per catalogue kind that has an explorer page (the first stored)."""
    pages: dict[str, str] = {}
    catalog = CatalogService(store)
    for label in CATALOGUE_LABELS:
        items = catalog.list(label, limit=1, offset=0)["items"]
        path = urls.entity_path(label.value, items[0]["code"]) if items else None
        if path:
            pages[f"entity-{label.value}"] = path
    return pages


def with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"
