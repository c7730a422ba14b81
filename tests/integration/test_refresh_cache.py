"""The candidate cache reloads only when the store changed (or when too old)."""

from __future__ import annotations

import time

from app.graph.port import GraphStore
from app.graph.refresh_cache import RefreshingCache
from app.services.careers.portability import candidates_signature, load_candidates


def _wait_for_refresh(cache: RefreshingCache, store: GraphStore) -> None:
    time.sleep(0.05)
    cache.get(store)  # older than ttl: starts one background refresh
    deadline = time.monotonic() + 5
    while cache._refreshing and time.monotonic() < deadline:
        time.sleep(0.01)


def test_an_unchanged_store_is_not_reloaded_and_a_changed_one_is(
        writable_store: GraphStore) -> None:
    loads: list[int] = []

    def loader(store: GraphStore):
        loads.append(1)
        return load_candidates(store)

    cache = RefreshingCache(loader, ttl=0.02, signature=candidates_signature, max_age=600)
    first = cache.get(writable_store)
    _wait_for_refresh(cache, writable_store)
    assert len(loads) == 1 and cache.get(writable_store) is first

    writable_store.write(
        "MATCH (p:JobProfile {code: 'JP-AUDIT-OFFICER-PCA'}), (c:Competency {code: 'OPS-P21'}) "
        "CREATE (p)-[:REQUIRES {proficiency: 'expert', status: 'illustrative'}]->(c)")
    _wait_for_refresh(cache, writable_store)
    assert len(loads) == 2
    refreshed = cache.get(writable_store)
    assert refreshed.targets["JP-AUDIT-OFFICER-PCA"].requirements["OPS-P21"].code == "expert"


def test_a_value_older_than_max_age_is_reloaded_even_if_counts_match(
        writable_store: GraphStore) -> None:
    loads: list[int] = []
    cache = RefreshingCache(lambda s: loads.append(1) or len(loads), ttl=0.02,
                            signature=candidates_signature, max_age=0.01)
    cache.get(writable_store)
    _wait_for_refresh(cache, writable_store)
    assert len(loads) == 2
