"""JSON answers serialised once, by orjson, straight from the service's result.

FastAPI validates a returned dict against the route's response model and then dumps the
model (for a ``def`` route the validation also hops to the thread pool a second time). The
hot routes (lookups, equivalence, portability) return ``JSONAnswer`` instead: their services
already build every field of the declared model, the model stays on the route for the OpenAPI
document, and the schema fuzz test (tests/e2e/test_fuzz_api.py) checks the answers against
it. For the all-targets equivalence answer (hundreds of paths) this is most of the
serialisation cost.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


class JSONAnswer(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
