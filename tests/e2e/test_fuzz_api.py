"""API fuzzing with schemathesis against the service's own OpenAPI document: every operation,
reads and writes (an admin key rides on every request, so write routes get past auth), over
a seeded embedded store of this module's own. Zero 5xx, and every response matches the
schema and media type it declares.

Bounded for CI: ``CQF_FUZZ_EXAMPLES`` examples per operation (default 6), derandomized so
a CI failure reproduces; raise it locally for a deeper run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from app.graph.port import GraphStore
from app.main import create_app
from app.paths import SEED_DATA_DIR
from app.runtime import Runtime
from app.seed.loader import seed
from app.services.access.keys import create_key
from app.settings import Settings
from tests.conftest import fresh_store

EXAMPLES = int(os.environ.get("CQF_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


class _LateStore:
    """The app (and so its schema) exists at collection time; its graph only once the
    module's fixture has seeded one. Statements go to whatever graph is plugged in."""

    backend = "falkordb"
    target: GraphStore | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.target, name)


LATE = _LateStore()
# Rate limits off: the fuzzer is one client sending thousands of writes on purpose.
APP = create_app(Settings(rate_limit_enabled=False),
                 runtime=Runtime(LATE, schema_applied=True))  # type: ignore[arg-type]
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def fuzz_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    graph = fresh_store(request, "falkordb")
    seed(graph, SEED_DATA_DIR)
    LATE.target = graph
    yield graph
    LATE.target = None
    graph.close()


@pytest.fixture(scope="module")
def admin_headers(fuzz_store: GraphStore) -> dict[str, str]:
    return {"X-API-Key": create_key(fuzz_store, "admin")["key"]}



@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_contract(case: schemathesis.Case,
                                         admin_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=admin_headers, checks=CHECKS)
