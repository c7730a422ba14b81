"""The web explorer's pages, served at ``/`` beside the API. Server-rendered Jinja2
(autoescaped); state lives in the query string so every view has a shareable URL. Routes read
their parameters, call one builder in ``app.web.pages``/``app.web.explore`` and render; an
error from the services becomes a clear message on the page, never a stack trace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
import structlog
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2.runtime import Context
from markupsafe import Markup
from rdflib import Graph, URIRef
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.problems import INTERNAL, as_invalid_input, problem_of
from app.api.rate_limit import LOOKUP, QUERY
from app.domain.errors import DomainError, FieldProblem, InvalidInput, NotFound, UnknownKind
from app.domain.vocab import CATALOGUE_LABELS, NodeLabel
from app.graph.port import GraphStore, StoreUnavailable, UnstorableText
from app.rdf import html as rdf_html
from app.rdf.iris import MAPPING_KIND, parse_path
from app.services.careers.portability import PortabilityQuestion, PortabilityService
from app.services.catalog.reads import CatalogService
from app.services.equivalence.answers import PROPOSED_NOTICE
from app.services.institutions import coverage_text
from app.web import explore, pages, svg, urls
from app.web.errors import page_error
from app.web.i18n import N_, SOURCE_LANGUAGE, Languages, default_languages
from app.web.static_files import static_url

log = structlog.get_logger(__name__)
HERE = Path(__file__).parent


@jinja2.pass_context
def _gettext(context: Context, message: str) -> str:
    return context["t"].gettext(message)


@jinja2.pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return context["t"].ngettext(singular, plural, n)


def _environment() -> jinja2.Environment:
    """Autoescaped templates with Jinja's i18n extension (``{% trans %}``, ``_()``,
    ``ngettext()``); the catalogue is the page's own (``t`` in the context), so one
    environment serves every language."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.ChainableUndefined,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        _gettext, _ngettext, newstyle=True)
    return env


templates = Jinja2Templates(env=_environment())
NAV = ({"view": "equivalence", "path": "/equivalence", "label": N_("Level equivalence")},
       {"view": "portability", "path": "/portability", "label": N_("Portability")},
       {"view": "coverage", "path": "/coverage", "label": N_("Programme coverage")},
       {"view": "cqf-table", "path": "/cqf-table", "label": N_("CQF table")},
       {"view": "careers", "path": "/careers", "label": N_("Career paths")},
       {"view": "search", "path": "/search", "label": N_("Browse and search")})
router = APIRouter(include_in_schema=False)
T = TypeVar("T")


# --- rendering ------------------------------------------------------------------------------

def store_of(request: Request) -> GraphStore:
    return request.app.state.runtime.store


def _languages(request: Request) -> Languages:
    """The catalogues this app serves (``app.state.languages`` when set, else the shipped
    ones)."""
    return getattr(request.app.state, "languages", None) or default_languages()


def _language_switch(request: Request, languages: Languages, lang: str) -> list[dict[str, str]]:
    """One link per other language: the same URL and state, that language, its own name."""
    links = []
    for code in languages.codes:
        if code == lang:
            continue
        url = request.url.remove_query_params("lang")
        # English is named too when the browser's Accept-Language asked for another language
        if code != SOURCE_LANGUAGE or request.headers.get("accept-language"):
            url = url.include_query_params(lang=code)
        theirs = languages.translator(code)
        links.append({"href": url.path + (f"?{url.query}" if url.query else ""),
                      "html_lang": theirs.html_lang, "name": theirs.language_name(code),
                      # Translators: "English" stands for the name of your own language.
                      "title": theirs.gettext("Read this page in English")})
    return links


def requested_language(request: Request, languages: Languages) -> str | None:
    """``?lang=`` when given, else the first language of ``Accept-Language`` the explorer
    speaks (q-values honoured), else None (English)."""
    asked = request.query_params.get("lang")
    if asked:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((request.headers.get("accept-language") or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().split("-")[0].lower()
        if q > 0 and primary:
            ranked.append((-q, i, primary))
    for _q, _i, primary in sorted(ranked):
        if primary in languages.codes:
            return primary
    return None


def page_context(request: Request, view: str) -> dict[str, Any]:
    """What every page needs: language, translator, link builders, the language switch (the
    same URL, same state, other languages)."""
    languages = _languages(request)
    t = languages.translator(requested_language(request, languages))
    lang = t.lang
    return {"request": request, "t": t, "lang": lang, "nav": NAV,
            "other_languages": _language_switch(request, languages, lang), "view": view,
            "href": lambda path, **kw: urls.with_query(path, lang, **kw),
            "entity_href": lambda kind, code: _entity_href(kind, code, lang),
            "svg": svg, "static_url": static_url, "error": None}


def _entity_href(kind: str, code: str | None, lang: str) -> str | None:
    path = urls.entity_path(kind, code) if code else None
    return urls.with_query(path, lang) if path else None


def attempt(context: dict[str, Any], build: Callable[[], T]) -> T | None:
    """Runs ``build``; an error is recorded in the context (shown as a message), not raised."""
    t = context["t"]
    try:
        return build()
    except DomainError as exc:
        context["error"] = page_error(t, exc)
    except UnstorableText as exc:
        context["error"] = page_error(t, InvalidInput([FieldProblem("q", str(exc))]))
    except StoreUnavailable as exc:
        context["error"] = {"status": problem_of(exc).status, "errors": [],
                            "detail": t(N_("The graph store did not answer; retry shortly."))}
    except Exception:  # noqa: BLE001 - logged; the page says only that the service failed
        log.exception("web.page.failed", path=context["request"].url.path)
        context["error"] = {"status": INTERNAL.status, "errors": [], "detail": t(
            N_("The service failed to answer; the error was logged. Try again later."))}
    return None


def render(template: str, context: dict[str, Any]) -> HTMLResponse:
    status = context["error"]["status"] if context.get("error") else 200
    return templates.TemplateResponse(context["request"], template, context,
                                      status_code=status)


def int_param(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value or default), low), high)
    except ValueError:
        return default


# --- pages ------------------------------------------------------------------------------------

@router.get("/", dependencies=[LOOKUP], response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render("home.html", page_context(request, "home"))


@router.get("/equivalence", dependencies=[QUERY], response_class=HTMLResponse)
def equivalence(request: Request) -> HTMLResponse:
    context, q = page_context(request, "equivalence"), request.query_params
    store = store_of(request)
    start, target = q.get("from") or "", q.get("to") or None
    depth, proposed = int_param(q.get("depth"), 3, 1, 5), q.get("proposed") == "1"
    context.update(start=start, target=target, depth=depth, proposed=proposed, answer=None,
                   no_equivalence=pages.NO_EQUIVALENCE, proposed_notice=PROPOSED_NOTICE)
    t, lang = context["t"], context["lang"]
    context["svg_ladder"] = lambda data: pages.ladder_drawing(
        data, t, lambda lv: _entity_href("Level", lv["code"], lang))
    options = attempt(context, lambda: pages.equivalence_options(CatalogService(store),
                                                                  t.country))
    context["options"] = options
    if options is not None and start:
        context["answer"] = attempt(context, lambda: pages.equivalence_answer(
            store, request.app.state.mapping_cache, options, start, target, depth, proposed,
            lang))
    return render("equivalence.html", context)


@router.get("/portability", dependencies=[QUERY], response_class=HTMLResponse)
def portability(request: Request) -> HTMLResponse:
    context, q = page_context(request, "portability"), request.query_params
    store, state = store_of(request), request.app.state
    held = {k[2:]: v for k, v in q.multi_items() if k.startswith("h.") and v}
    mode = q.get("mode") or ("competencies" if held else "profile")
    question = PortabilityQuestion(
        from_profile=(q.get("profile") or None) if mode == "profile" else None,
        competencies=held if mode == "competencies" else None,
        administration=q.get("administration") or None,
        min_coverage=int_param(q.get("min"), 0, 0, 100) / 100,
        limit=int_param(q.get("limit"), 10, 1, 50),
        with_training=q.get("training", "1") == "1")
    asked = bool(question.from_profile or question.competencies)
    context.update(mode=mode, held=held, question=question, answer=None, asked=asked)
    context["options"] = attempt(context, lambda: pages.portability_options(
        CatalogService(store)))
    if context["options"] is not None and asked:
        service = PortabilityService(store, state.candidate_cache, state.mapping_cache,
                                     state.offer_cache)
        context["answer"] = attempt(context, lambda: pages.localise_portability(
            store, service.portability(question)))
    return render("portability.html", context)


@router.get("/coverage", dependencies=[QUERY], response_class=HTMLResponse)
def coverage(request: Request) -> HTMLResponse:
    context, q = page_context(request, "coverage"), request.query_params
    store = store_of(request)
    programme, proposed = q.get("programme") or "", q.get("proposed") == "1"
    context.update(programme=programme, proposed=proposed, answer=None, texts=coverage_text)
    context["programmes"] = attempt(context, lambda: pages.all_items(
        CatalogService(store), NodeLabel.PROGRAMME))
    context["institutions"] = {i["code"]: i for i in attempt(context, lambda: pages.all_items(
        CatalogService(store), NodeLabel.INSTITUTION)) or []}
    if context["programmes"] is not None and programme:
        context["answer"] = attempt(context, lambda: pages.coverage_answer(
            store, programme, proposed))
    return render("coverage.html", context)


@router.get("/search", dependencies=[LOOKUP], response_class=HTMLResponse)
def search(request: Request) -> HTMLResponse:
    context, q = page_context(request, "search"), request.query_params
    store = store_of(request)
    text, kind_name = (q.get("q") or "").strip(), q.get("kind") or ""
    kind = next((k for k in CATALOGUE_LABELS if k.value.lower() == kind_name.strip().lower()),
                None)  # any case; never the service's own records
    context.update(q=text, kind=kind.value if kind else "", kinds=explore.KINDS, answer=None,
                   listing=None)
    if text:
        context["answer"] = attempt(context, lambda: explore.search(store, text, kind))
    elif kind:
        context["listing"] = attempt(context, lambda: explore.browse(store, kind))
    return render("search.html", context)


@router.get("/entity/{kind}/{rest:path}", dependencies=[LOOKUP], response_class=HTMLResponse)
def entity_page(kind: str, rest: str, request: Request) -> HTMLResponse:
    problem: NotFound | None = None
    if kind.lower() == MAPPING_KIND:
        return render_mapping_page(request, rest)
    try:
        label, code = parse_path(kind, rest)
        problem = None if label else NotFound(kind, rest)
    except UnknownKind as exc:
        label, code, problem = None, rest, exc
    except ValueError:
        label, code, problem = None, rest, NotFound(kind, rest)
    if label is None or problem is not None:
        context = page_context(request, "search")
        context["error"] = page_error(context["t"], problem or NotFound(kind, rest))
        context.update(detail=None, label=None, code=rest)
        return render("entity.html", context)

    return render_entity_page(request, label, code)


def render_mapping_page(request: Request, mapping_id: str) -> HTMLResponse:
    """The page of one level mapping: its two levels by name, match, confidence, method,
    review and evidence, its source."""
    context = page_context(request, "search")
    context.update(code=mapping_id, mapping=None,
                   iri=f"/id/{MAPPING_KIND}/{quote(mapping_id, safe='')}")
    found = attempt(context, lambda: pages.mapping_detail(store_of(request), mapping_id))
    if found is not None:
        context.update(found)
    return render("mapping.html", context)


def render_entity_page(request: Request, label: NodeLabel | None, code: str) -> HTMLResponse:
    """The HTML page of one catalogue entity (relationships, neighbourhood graph, sources), or
    of one level mapping (``label`` None, ``code`` its id). Callable from any route that has
    a label and a code, e.g. the ``/id/...`` HTML representation."""
    if label is None:
        return render_mapping_page(request, code)
    context = page_context(request, "search")
    context.update(label=label, code=code, detail=None,
                   iri=urls.id_path(label, code), api=urls.api_path(label, code))
    detail = attempt(context, lambda: explore.entity(store_of(request), label, code,
                                                        context["lang"]))
    if detail is not None and label == NodeLabel.COURSE:
        context["course_mappings"] = attempt(context, lambda: pages.course_mappings(
            store_of(request), detail["code"]))
    if detail is not None:
        t, lang = context["t"], context["lang"]
        context["detail"] = detail
        context["graph"] = svg.neighbourhood(t.label(detail), [
            {**n, "label": t.label(n), "lang": t.label_lang(n),
             "relation": t.relation(n["relation"]),
             "href": _entity_href(n["kind"], n["code"], lang)}
            for n in explore.neighbours(detail)])
    return render("entity.html", context)


def render_error_page(request: Request, exc: BaseException, status: int,
                      headers: dict[str, str]) -> HTMLResponse:
    """The explorer's error page for a browser (``Accept: text/html``) in the user's language:
    the problem the API would answer (same status), in words, with ways back."""
    context = page_context(request, "error")
    t = context["t"]
    if isinstance(exc, RequestValidationError):
        exc = as_invalid_input(exc)
    if isinstance(exc, DomainError):
        error = page_error(t, exc)
    elif isinstance(exc, StoreUnavailable):
        error = {"status": status, "errors": [],
                 "detail": t(N_("The graph store did not answer; retry shortly."))}
    elif isinstance(exc, StarletteHTTPException) and status == 404:
        error = {"status": status, "errors": [],
                 # the path in <code>: an address is in no language
                 "detail": Markup(t.gettext(N_("There is no page at %(path)s."))) % {
                     "path": Markup("<code>%s</code>") % request.url.path}}
    elif isinstance(exc, StarletteHTTPException) and status == 405:
        error = {"status": status, "errors": [],
                 "detail": t(N_("This address does not answer a %(method)s request."),
                             method=request.method)}
    elif isinstance(exc, StarletteHTTPException) and status < 500:
        error = {"status": status, "errors": [],
                 "detail": t(N_("The request could not be answered."))}
    else:
        error = {"status": status, "errors": [], "detail": t(
            N_("The service failed to answer; the error was logged. Try again later."))}
    context["error"] = error
    context["heading"] = t(N_("Page not found")) if status == 404 else t(
        N_("The request could not be answered"))
    response = render("error.html", context)
    response.headers.update(headers)
    return response


def render_linked_page(request: Request, graph: Graph, subject: URIRef,
                       alternates: dict[str, str]) -> HTMLResponse:
    """A linked-data resource that is no catalogue entity (a source, a statement, a release,
    a mapping set, a scheme, a dataset) as an explorer page: its properties and what points
    to it, in the page's language where the data has it."""
    context = page_context(request, "search")
    context.update(d=rdf_html.describe(graph, subject, context["lang"]), iri=str(subject),
                   alternates=alternates)
    return render("linked.html", context)
