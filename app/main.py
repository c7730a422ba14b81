"""Application factory. The store (and the embedded server) lives as long as the app: opened
in the lifespan, closed after it. Tests may hand in a runtime they own instead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import runtime as runtime_mod
from app.api import docs, http, middleware, problems
from app.api import metrics as metrics_mod
from app.api.answers import AnswerCache
from app.api.rate_limit import RateLimiter
from app.api.router import api_router, linked_router, root_router
from app.graph import state as graph_state
from app.logs import configure_logging
from app.services.careers import warmup
from app.services.careers.cqf_table import CqfTableMemo
from app.services.careers.portability import CandidateCache, OfferCache
from app.services.careers.read_model import CareersMemo, CareersModelCache
from app.services.equivalence.answers import MappingGraphCache
from app.services.linked_data.case import CaseCache
from app.settings import Settings
from app.web import static_files as web_static
from app.web.careers import router as careers_pages
from app.web.i18n import default_languages
from app.web.routes import render_entity_page, render_error_page, render_linked_page
from app.web.routes import router as web_router

DESCRIPTION = """Knowledge graph of the Customs Qualifications Framework: frameworks and levels
(EQF, ISCED, national frameworks, administrations' grade scales), competencies, job profiles,
professional tasks and PICARD standards. Every answer carries its evidence status
(verified / unverified / illustrative) and its source."""


def create_app(settings: Settings | None = None,
               runtime: runtime_mod.Runtime | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        running = runtime_mod.start(settings) if runtime is None else runtime
        app.state.runtime = running
        if settings.metrics_enabled:
            metrics_mod.instrument(running, app.state.metrics)
        if owned:
            running.supervise(settings)  # restarts an owned embedded store
            # The served process builds its careers read models off the request path (a
            # runtime handed in by a test is the test's to use as it likes).
            warmup.start(app.state)
        try:
            yield
        finally:
            if owned:
                running.close()

    app = FastAPI(title="CQF Graph", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    docs.install(app)
    app.state.settings = settings
    app.state.mapping_cache = MappingGraphCache(settings.mapping_cache_seconds)
    app.state.candidate_cache = CandidateCache(settings.mapping_cache_seconds)
    app.state.careers_cache = CareersModelCache(settings.mapping_cache_seconds)
    kept = settings.keep_answers  # false: every answer computed afresh (cold answers)
    app.state.cqf_table_memo = CqfTableMemo(64 if kept else 0)
    app.state.careers_memo = CareersMemo(1024 if kept else 0)
    app.state.offer_cache = OfferCache(settings.mapping_cache_seconds)
    app.state.case_cache = CaseCache(settings.mapping_cache_seconds)
    # Serialised hot answers (lookups, equivalence, portability), valid per graph state;
    # none when the read models are not cached either (refresh time 0) or answers are not
    # to be kept.
    app.state.answer_cache = AnswerCache() if settings.mapping_cache_seconds > 0 and kept \
        else None
    if runtime is not None:
        app.state.runtime = runtime
    problems.install(app)
    languages = default_languages()  # problems are worded in the explorer's languages
    app.state.problem_words = problems.Words(
        languages.codes, lambda lang: languages.translator(lang).gettext)
    app.state.rate_limiter = RateLimiter(settings) if settings.rate_limit_enabled else None
    metrics = metrics_mod.Metrics() if settings.metrics_enabled else None
    if metrics is not None:
        metrics_mod.install(app, metrics)
        if runtime is not None:
            metrics_mod.instrument(runtime, metrics)
    middleware.install(app, settings, metrics, on_write=lambda: drop_read_models(app))
    app.include_router(root_router)
    app.include_router(api_router)
    app.include_router(linked_router)
    app.include_router(web_router)  # the web explorer at / (app/web)
    app.state.entity_page = render_entity_page  # /id/... HTML is the explorer's page
    app.state.error_page = render_error_page  # an error for a browser: the explorer's page
    app.state.linked_page = render_linked_page  # other /id/ resources as explorer pages
    app.include_router(careers_pages)  # its CQF table and career pages
    web_static.mount(app)
    http.install(app)  # HEAD on every GET route, complete Allow on 405 (after every router)

    return app


def drop_read_models(app: FastAPI) -> None:
    """A write in this process: every cached read model compares the state tokens of the
    parts it rests on before its next use, and is rebuilt (or updated) only when the write
    touched one of them; kept answers key on those tokens too (``app.domain.parts``)."""
    for cache in (app.state.mapping_cache, app.state.candidate_cache, app.state.offer_cache,
                  app.state.careers_cache, app.state.case_cache):
        cache.recheck()
    # tokens, validators, SPARQL snapshot: look again (beginning now)
    graph_state.tracker(app.state).forget(app.state.runtime.store)


def app_from_env() -> FastAPI:
    """Entry point for ``uvicorn --factory app.main:app_from_env``."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    return create_app(settings)
