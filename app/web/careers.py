"""The explorer's CQF table and career pages: ``/cqf-table`` (the table, printable, with
framework and administration pickers and a download menu) and ``/careers`` (a family's
ladder with the delta of each step; a start -- a job profile, or competencies held with
their proficiency, as the API's ``POST /api/v1/career-plans`` takes -- and a target give the
cheapest plan).

Same pattern as ``app.web.routes``: state in the query string, one service call per answer,
errors shown on the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.rate_limit import QUERY
from app.domain.vocab import PROFICIENCY_CODES
from app.services.careers.cqf_table import PLAIN, CqfTableService, TableQuestion
from app.services.careers.cqf_table_formats import TABLE_NOTICE
from app.services.careers.paths import CareersService, PlanQuestion
from app.web.routes import attempt, int_param, page_context, render, store_of

router = APIRouter(include_in_schema=False)
DATA_LANGS = ("en", "fr")


def _data_lang(lang: str) -> str:
    return lang if lang in DATA_LANGS else "en"


def _options(request: Request) -> dict[str, Any]:
    state = request.app.state
    model = state.careers_cache.get(store_of(request))
    labels = model.labels
    return {
        "frameworks": sorted((r for (kind, _), r in labels.items()
                              if kind == "Framework" and r.get("kind") == "national"),
                             key=lambda r: r["code"]),
        "administrations": sorted((r for (kind, _), r in labels.items()
                                   if kind == "Administration"), key=lambda r: r["code"]),
        "families": sorted((r for (kind, _), r in labels.items() if kind == "JobFamily"),
                           key=lambda r: r["code"]),
        "profiles": sorted(({"code": p.code, "name": p.name, "name_fr": p.name_fr}
                            for p in model.profiles.values() if p.requirements),
                           key=lambda r: r["code"]),
        "competencies": _competencies_by_group(model),
        "competency_groups": {code: row for (kind, code), row in labels.items()
                              if kind == "CompetencyGroup"},
        "proficiencies": PROFICIENCY_CODES,
    }


def _competencies_by_group(model: Any) -> dict[str, list[dict[str, Any]]]:
    """The competencies a holder can tick, by group (groups and members by code)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for code in sorted(model.competencies):
        row = model.competencies[code]
        groups.setdefault(row.get("group") or "", []).append(
            {"code": code, "name": row.get("name"), "name_fr": row.get("name_fr"),
             "illustrative": row.get("status") == "illustrative"})
    return dict(sorted(groups.items()))


def _downloads(frameworks: list[str], administration: str | None, lang: str) -> dict[str, str]:
    query: dict[str, str] = {"lang": _data_lang(lang)}
    if frameworks:
        query["frameworks"] = ",".join(frameworks)
    if administration:
        query["administration"] = administration
    base = "/api/v1/cqf-table"
    return {"json": f"{base}?{urlencode({**query, 'format': 'json'})}",
            "csv": f"{base}?{urlencode({**query, 'format': 'csv'})}",
            "xlsx": f"{base}?{urlencode({**query, 'format': 'xlsx'})}",
            "csvw": f"{base}.csv-metadata.json?{urlencode(query)}"}


@router.get("/cqf-table", dependencies=[QUERY], response_class=HTMLResponse)
def cqf_table(request: Request) -> HTMLResponse:
    context, q = page_context(request, "cqf-table"), request.query_params
    state = request.app.state
    frameworks = [f for f in q.getlist("fw") if f]
    administration = q.get("administration") or None
    context.update(frameworks=frameworks, administration=administration, answer=None,
                   plain=PLAIN, notice=TABLE_NOTICE,
                   downloads=_downloads(frameworks, administration, context["lang"]))
    context["options"] = attempt(context, lambda: _options(request))
    if context["options"] is not None:
        service = CqfTableService(store_of(request), state.careers_cache, state.mapping_cache,
                                  state.cqf_table_memo)
        context["answer"] = attempt(context, lambda: service.table(TableQuestion(
            tuple(frameworks), administration, _data_lang(context["lang"]))))
    return render("cqf_table.html", context)


@router.get("/careers", dependencies=[QUERY], response_class=HTMLResponse)
def careers(request: Request) -> HTMLResponse:
    context, q = page_context(request, "careers"), request.query_params
    state = request.app.state
    family, start, target = q.get("family") or "", q.get("from") or "", q.get("to") or ""
    held = {k[2:]: v for k, v in q.multi_items() if k.startswith("h.") and v}
    mode = q.get("mode") if q.get("mode") in ("profile", "competencies") else (
        "competencies" if held else "profile")
    max_steps = int_param(q.get("steps"), 4, 1, 6)
    min_cov = int_param(q.get("min"), 60, 0, 100)
    context.update(family=family, start=start, target=target, max_steps=max_steps,
                   min_cov=min_cov, ladder=None, plan=None, mode=mode, held=held)
    context["options"] = attempt(context, lambda: _options(request))
    if context["options"] is None:
        return render("careers.html", context)
    service = CareersService(store_of(request), state.careers_cache, state.mapping_cache,
                             state.careers_memo)
    lang = _data_lang(context["lang"])
    if family:
        context["ladder"] = attempt(context, lambda: service.career_path(family, lang))
    if target and (mode == "competencies" or start):
        # Held competencies are a start of their own (an empty set is refused by the service,
        # which names the problem on the page).
        question = PlanQuestion(
            target, from_profile=start if mode == "profile" else None,
            competencies=held if mode == "competencies" else None, max_steps=max_steps,
            min_step_coverage=min_cov / 100, lang=lang)
        context["plan"] = attempt(context, lambda: service.plan(question))
    return render("careers.html", context)
