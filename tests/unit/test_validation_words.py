"""Every rule the OpenAPI document states for a field has words a user reads (what the field
accepts and an example): a pattern without words would reach people as a regular expression."""

from __future__ import annotations

from typing import Any

from app.api.validation_words import accepted_of, pattern_words
from app.domain.errors import FieldProblem, out_of_range
from app.main import create_app
from app.settings import Settings


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {str(node["pattern"])} if "pattern" in node else set()
        for value in node.values():
            found |= _patterns(value)
        return found
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node)) if node else set()
    return set()


def test_every_pattern_of_the_openapi_document_has_words_and_an_example() -> None:
    spec = create_app(Settings(rate_limit_enabled=False)).openapi()
    patterns = _patterns(spec)
    assert len(patterns) > 10
    unworded = sorted(p for p in patterns if pattern_words(p) is None)
    assert unworded == []


def test_ranges_say_both_bounds_and_an_example_inside_them() -> None:
    words, values, example = accepted_of({"type": "number", "minimum": 0, "maximum": 1})
    assert words % values == "a number from 0 to 1" and example == "0.5"
    words, values, example = accepted_of({"type": "integer", "minimum": 1, "maximum": 100,
                                          "default": 10})
    assert words % values == "a whole number from 1 to 100" and example == "10"


def test_a_problem_is_worded_in_the_language_it_is_asked_in() -> None:
    problem = out_of_range("min_coverage", 2, 0, 1, 0.5)
    assert problem.text == "a number from 0 to 1, e.g. 0.5"
    french = {"%(accepted)s, e.g. %(example)s": "%(accepted)s, par exemple %(example)s",
              "a number from %(low)s to %(high)s": "un nombre de %(low)s à %(high)s"}
    rendered = problem.render(lambda m: french.get(m, m))
    assert rendered == {"location": "min_coverage", "value": 2, "example": "0.5",
                        "message": "un nombre de 0 à 1, par exemple 0.5",
                        "accepted": "un nombre de 0 à 1"}
    assert FieldProblem("x", "plain words").render() == {"location": "x",
                                                         "message": "plain words"}
