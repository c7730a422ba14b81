"""Service metadata kept in the graph itself (so it travels with a backup): one
``ServiceMeta`` node per setting, e.g. the base IRI fixed at first start."""

from __future__ import annotations

from typing import LiteralString

META_LABEL = "ServiceMeta"

GET_META: LiteralString = "MATCH (m:ServiceMeta {code: $code}) RETURN m.value AS value"

SET_META: LiteralString = (
    "MERGE (m:ServiceMeta {code: $code}) SET m.value = $value, m.updated_at = $at "
    "RETURN m.value AS value"
)
