"""The service's stable identity: the base under which every IRI and CASE ``uri`` is minted.

It never comes from a request (a ``Host`` or ``X-Forwarded-Host`` header is the client's to
choose, and identifiers in downloaded data must not be). Order: ``CQF_BASE_IRI`` when set;
else the base stored in the graph's metadata; else one minted now from the configured host
and port, stored, and kept from then on -- until an operator changes it on purpose with
``cqf base-iri set``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import structlog

from app.graph import parts as graph_parts
from app.graph.cypher.operations import meta as q
from app.graph.port import GraphStore
from app.settings import Settings

log = structlog.get_logger(__name__)

BASE_IRI_KEY = "base_iri"
_WILDCARD_HOSTS = {"0.0.0.0", "::", ""}  # noqa: S104 - a listening address, not an identity


def normalise(base: str) -> str:
    """An absolute http(s) base ending in ``/``; ValueError otherwise."""
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a base IRI must be an absolute http(s) IRI, not {base!r}")
    if parts.query or parts.fragment:
        raise ValueError("a base IRI has no query or fragment")
    text = base.strip()
    return text if text.endswith("/") else text + "/"


def default_base(settings: Settings) -> str:
    """``http://HOST:PORT/id/`` from the configuration (``localhost`` for a wildcard bind)."""
    host = "localhost" if settings.host in _WILDCARD_HOSTS else settings.host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}/id/"


def stored_base_iri(store: GraphStore) -> str | None:
    rows = store.read(q.GET_META, {"code": BASE_IRI_KEY})
    return str(rows[0]["value"]) if rows and rows[0]["value"] else None


def store_base_iri(store: GraphStore, base: str) -> str:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    store.write(q.SET_META, {"code": BASE_IRI_KEY, "value": normalise(base), "at": at})
    graph_parts.stamp(store)  # every IRI of every answer changed
    return normalise(base)


def resolve_base_iri(store: GraphStore, settings: Settings) -> str:
    """The base to use from now on (storing it when it was configured or minted)."""
    stored = stored_base_iri(store)
    if settings.base_iri:
        configured = normalise(settings.base_iri)
        if stored != configured:
            if stored:
                log.warning("base_iri.changed_by_configuration", old=stored, new=configured)
            store_base_iri(store, configured)
        return configured
    if stored:
        return stored
    minted = store_base_iri(store, default_base(settings))
    log.info("base_iri.fixed", base_iri=minted)
    return minted


def static_base_iri(settings: Settings) -> str:
    """Without a store at hand (an app over a runtime a test built): configuration only."""
    return normalise(settings.base_iri) if settings.base_iri else default_base(settings)


def service_root(base: str) -> str:
    """The service's own root for a base ``<root>/id/`` (CASE ``uri``s live under it)."""
    return base[: -len("id/")].rstrip("/") if base.endswith("/id/") else base.rstrip("/")
