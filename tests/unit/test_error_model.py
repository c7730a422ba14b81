"""One error model: every error class names its problem once, and the API (problem+json) and
the explorer's pages answer the same status for the same error."""

from __future__ import annotations

import pytest
from fastapi.exceptions import RequestValidationError

import app.main  # noqa: F401 - imports every module that defines an error class
from app.api.problems import INTERNAL, PROBLEM_BASE, STORE_DOWN, problem_of
from app.domain.errors import (
    Busy,
    CodeTaken,
    Conflict,
    DomainError,
    FieldProblem,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnknownKind,
)
from app.graph.port import ConstraintViolation, StoreUnavailable, UnstorableText
from app.web.errors import page_error
from app.web.i18n import default_languages


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def test_each_problem_slug_means_one_status_and_title() -> None:
    by_slug: dict[str, tuple[int, str]] = {}
    for cls in [DomainError, *_all_subclasses(DomainError)]:
        assert 400 <= cls.status < 600, cls
        assert cls.slug and cls.title, cls
        seen = by_slug.setdefault(cls.slug, (cls.status, cls.title))
        assert seen == (cls.status, cls.title), f"{cls.__name__} redefines {cls.slug}"


EXAMPLES: list[tuple[BaseException, int, str]] = [
    (NotFound("competency", "OPS-X"), 404, "not-found"),
    (UnknownKind("nonsense", "x", ("competency",)), 404, "not-found"),
    (InvalidInput([FieldProblem("from", "unknown level")]), 422, "invalid-request"),
    (Unauthorized(), 401, "unauthorized"),
    (Forbidden(), 403, "forbidden"),
    (PayloadTooLarge("10 rows"), 413, "payload-too-large"),
    (Conflict("exists"), 409, "conflict"),
    (CodeTaken(label="Framework", code="eqf", existing="EQF"), 409, "conflict"),
    (ConstraintViolation("unique constraint violation"), 409, "conflict"),
    (Busy("an upload is in progress", 3), 409, "busy"),
    (StoreUnavailable("down at 127.0.0.1:1"), 503, "store-unavailable"),
    (UnstorableText(), 422, "invalid-request"),
    (RuntimeError("secret internals"), 500, "internal-error"),
]


@pytest.mark.parametrize(("exc", "status", "slug"), EXAMPLES,
                         ids=[type(e).__name__ for e, _, _ in EXAMPLES])
def test_problem_of_answers_the_class_problem(exc: BaseException, status: int,
                                              slug: str) -> None:
    found = problem_of(exc)
    assert (found.status, found.slug) == (status, slug)
    body = found.body("/somewhere")
    assert body["type"] == PROBLEM_BASE + slug and body["status"] == status
    assert body["instance"] == "/somewhere"


def test_the_store_s_and_a_bug_s_words_never_reach_the_client() -> None:
    assert problem_of(StoreUnavailable("FalkorDB at 127.0.0.1:6379 did not answer")) \
        is STORE_DOWN
    assert "127.0.0.1" not in STORE_DOWN.detail
    assert problem_of(KeyError("internal_field")) is INTERNAL
    assert "internal_field" not in INTERNAL.detail


def test_members_carry_the_facts_a_client_branches_on() -> None:
    assert problem_of(NotFound("competency", "OPS-X")).members == {
        "kind": "competency", "code": "OPS-X"}
    invalid = problem_of(InvalidInput([FieldProblem("rows › item 2", "bad", "x", 3, "code")]))
    assert invalid.members == {"errors": [{"location": "rows › item 2", "message": "bad",
                                           "value": "x", "line": 3, "column": "code"}]}
    assert problem_of(Unauthorized()).headers["WWW-Authenticate"].startswith("Bearer")


def test_validation_errors_become_one_invalid_request_naming_every_field() -> None:
    exc = RequestValidationError([
        {"loc": ("query", "limit"), "msg": "too big", "type": "x"},
        {"loc": ("body", "develops", 0, "proficiency"), "msg": "unknown", "type": "x"}])
    found = problem_of(exc)
    assert found.status == 422 and found.detail == (
        "the request has invalid values: limit: too big; develops › item 1 › proficiency: "
        "unknown")
    assert [e["location"] for e in found.members["errors"]] == [
        "limit", "develops › item 1 › proficiency"]


@pytest.mark.parametrize("exc", [e for e, _, _ in EXAMPLES if isinstance(e, DomainError)],
                         ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_explorer_page_answers_the_api_s_status(exc: DomainError, lang: str) -> None:
    t = default_languages().translator(lang)
    assert page_error(t, exc)["status"] == problem_of(exc).status

