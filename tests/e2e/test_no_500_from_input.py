"""No 500 from input: every route that takes a body (walked from the OpenAPI document) answers
a non-finite number, a lone surrogate, JSON nested deeper than 64 and text that is not JSON
with problem+json naming the field (400 for malformed JSON, as the document says; 422 for
the rest); an upload's oversized CSV cell names its line; a bug's 500 is logged with the
exception's type, message and traceback, none of which the client sees."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient

from app.domain.json_input import MAX_DEPTH
from app.logs import configure_logging

PROBLEM = "application/problem+json"
SAMPLE_PATH_VALUES = {"kind": "develops", "mapping_id": "map:IE-NFQ:8>EQF:7"}


def _schema(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _json_routes(api: TestClient) -> list[tuple[str, str, list[str]]]:
    """(method, path, where a value goes) for every route taking a JSON body: the first
    field of an object body, ``item 1`` then its first field for a list of rows."""
    spec = api.get("/openapi.json").json()
    found = []
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" not in content:
                continue
            path = re.sub(r"\{([^}]+)\}", lambda m: SAMPLE_PATH_VALUES.get(m[1], "X"), template)
            schema = _schema(spec, content["application/json"]["schema"])
            if schema.get("type") == "array":
                row = _schema(spec, schema["items"])
                first = next(iter(row.get("properties", {"course": 1})))
                found.append((method, path, ["item 1", first]))
            else:
                found.append((method, path, [next(iter(schema["properties"]))]))
    return found


def _body(where: list[str], value: str) -> str:
    """A JSON text with ``value`` (JSON source) at ``where``."""
    inner = f'{{"{where[-1]}": {value}}}'
    return f"[{inner}]" if where[0] == "item 1" else inner


def _send(api: TestClient, method: str, path: str, text: str | bytes) -> Any:
    return api.request(method.upper(), path, content=text,
                       headers={"Content-Type": "application/json"})


def _problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    return answer.json()


HOSTILE_VALUES = {
    "NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity", "1e999": "1e999",
    "lone surrogate": '"\\ud800"', "65 levels": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
}


def test_the_walk_finds_every_route_that_takes_a_json_body(api: TestClient) -> None:
    routes = {(m, p) for m, p, _ in _json_routes(api)}
    assert ("post", "/api/v1/career-plans") in routes
    assert ("post", "/api/v1/institutions/X/mappings:bulk") in routes
    assert len(routes) >= 15


@pytest.mark.parametrize("name", list(HOSTILE_VALUES))
def test_a_value_json_allows_but_the_service_cannot_take_is_a_422_naming_the_field(
        api: TestClient, name: str) -> None:
    for method, path, where in _json_routes(api):
        found = _problem(_send(api, method, path, _body(where, HOSTILE_VALUES[name])), 422)
        locations = [e["location"] for e in found["errors"]]
        assert any(loc.startswith(" › ".join(where)) for loc in locations), (path, found)
        assert found["type"].endswith("/invalid-request")


def test_the_issue_s_career_plan_numbers_are_refused_naming_min_step_coverage(
        api: TestClient) -> None:
    for written in ("NaN", "Infinity", "1e999"):
        answer = _send(api, "post", "/api/v1/career-plans",
                       f'{{"target": "OPS-P2", "competencies": {{"X": "trained"}}, '
                       f'"min_step_coverage": {written}}}')
        error = _problem(answer, 422)["errors"][0]
        assert error["location"] == "min_step_coverage"
        assert written in error["message"] and "finite" in error["message"]


def test_json_nested_100k_deep_and_malformed_json_are_refused_not_a_500(
        api: TestClient) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    for method, path, where in _json_routes(api):
        _problem(_send(api, method, path, _body(where, deep)), 422)
        malformed = _problem(_send(api, method, path, f'{{"{where[-1]}": '), 400)
        assert malformed["type"].endswith("/malformed-json")
        assert malformed["errors"][0]["line"] == 1


def test_every_problem_of_a_body_is_named_in_one_answer(api: TestClient) -> None:
    answer = _send(api, "post", "/api/v1/portability",
                   '{"competencies": {"\\udc00": "trained"}, "min_coverage": NaN, '
                   '"limit": 1e999}')
    locations = {e["location"] for e in _problem(answer, 422)["errors"]}
    assert locations == {"competencies › name", "min_coverage", "limit"}


def test_an_oversized_csv_cell_names_its_line(writable_api: TestClient,
                                              key_for) -> None:  # type: ignore[no-untyped-def]
    header = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
    row = "P1,C1,{},develops,OPS-C1,trained,,\n"
    body = header + row.format("ok") + row.format("A" * 131_073)
    answer = writable_api.post("/api/v1/institutions/INCU-X/mappings:bulk",
                               content=body.encode(),
                               headers={**key_for("admin"), "Content-Type": "text/csv"})
    found = _problem(answer, 422)
    assert found["errors"][0]["line"] == 3
    assert "131,072" in found["errors"][0]["message"]


def test_a_json_upload_with_a_lone_surrogate_names_the_row_and_field(
        writable_api: TestClient, key_for) -> None:  # type: ignore[no-untyped-def]
    rows = json.dumps([{"programme": "P1", "course": "C1", "kind": "develops",
                        "target": "OPS-C1", "course_name": "\ud800"}])
    for content_type in ("application/json", "text/plain"):  # the domain checks it too
        answer = writable_api.post("/api/v1/institutions/INCU-X/mappings:bulk",
                                   content=rows.encode(),
                                   headers={**key_for("admin"), "Content-Type": content_type})
        assert _problem(answer, 422)["errors"][0]["location"] == "item 1 › course_name"


def test_a_500_is_logged_with_type_message_and_traceback_never_sent(
        api: TestClient) -> None:
    app = api.app
    route = "/__test_boom"

    def boom() -> None:
        raise RuntimeError("the secret detail of a bug")

    app.add_api_route(route, boom)  # type: ignore[attr-defined]
    lines = io.StringIO()
    configure_logging("INFO", json=True)
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(lines),
                        cache_logger_on_first_use=False)
    try:
        answer = api.get(route)
    finally:
        structlog.reset_defaults()
        app.router.routes[:] = [r for r in app.router.routes  # type: ignore[attr-defined]
                                if getattr(r, "path", None) != route]
    assert answer.status_code == 500
    assert "secret" not in answer.text and "RuntimeError" not in answer.text
    logged = [json.loads(line) for line in lines.getvalue().splitlines()
              if '"request.failed"' in line]
    assert logged, lines.getvalue()
    entry = logged[0]
    assert entry["error_type"] == "RuntimeError"
    assert entry["error"] == "the secret detail of a bug"
    assert "Traceback" in entry["exception"] and "boom" in entry["exception"]
    assert "exc_info" not in entry
