"""The CASE answers of the OpenAPI document are the 1EdTech definitions' schemas: the shipped
derivation (app/api/case_definitions/case.json) is what scripts/derive_case_schemas.py makes
of ../shared/reference/case today, and every CASE 200 names its definition."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app.api import case_schemas
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings
from tests.support.case_schemas import require_definitions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    store: Any = SimpleNamespace(backend="falkordb")  # the document needs no store
    app = create_app(Settings(), runtime=Runtime(store, schema_applied=True))
    return app.openapi()


def test_the_shipped_schemas_are_derived_from_the_1edtech_definitions() -> None:
    folder = require_definitions()
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from derive_case_schemas import derive
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    shipped = json.loads(case_schemas.DEFINITIONS.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(derive(folder)))


def test_every_case_answer_names_its_definition(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    answered = 0
    for path, operations in document["paths"].items():
        if not path.startswith("/ims/case/"):
            continue
        version = path.split("/")[3]
        schema = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        name = schema["$ref"].rsplit("/", 1)[1]
        assert name.startswith(f"CASE-{version}.") and name in schemas, path
        assert schemas[name].get("additionalProperties") is False or "properties" not in \
            schemas[name], name
        answered += 1
    assert answered == 24
    assert set(document["info"]["x-case-definitions"]) == {"case-v1p0-swagger.json",
                                                           "case-v1p1-openapi.json"}
    references = json.dumps(schemas)
    assert "#/definitions/" not in references  # every reference resolves in the document


def test_the_id_json_answer_has_its_model(document: dict[str, Any]) -> None:
    content = document["paths"]["/id/{kind}/{code}"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LinkedDocument"}
    linked = document["components"]["schemas"]["LinkedDocument"]
    assert {r["$ref"].rsplit("/", 1)[1] for r in linked["anyOf"]} == {"LinkedEntity",
                                                                       "LinkedResource"}


def _parameter(document: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    operation = document["paths"][path][method]
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


def test_what_the_service_refuses_is_in_the_schema(document: dict[str, Any]) -> None:
    """schemathesis found schema-valid requests refused (issue 24): an empty or control
    character administration, an empty graph IRI. The schema now says so."""
    table = _parameter(document, "/api/v1/cqf-table", "get", "administration")
    table = next(s for s in table["anyOf"] if s.get("type") == "string")
    assert table["minLength"] == 1 and table["pattern"] == "^[A-Za-z][A-Za-z0-9_-]*$"
    body = document["components"]["schemas"]["PortabilityRequest"]["properties"]
    body = next(s for s in body["administration"]["anyOf"] if s.get("type") == "string")
    assert body["minLength"] == 1 and body["pattern"] == table["pattern"]
    for name in ("default-graph-uri", "named-graph-uri"):
        graphs = _parameter(document, "/sparql", "get", name)
        items = next(s for s in graphs["anyOf"] if s.get("type") == "array")["items"]
        assert items["minLength"] == 1 and "\\x00-\\x20" in items["pattern"]
