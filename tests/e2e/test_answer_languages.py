"""The API's answers speak the reader's language: ``lang=fr`` or ``Accept-Language: fr`` gives
every sentence the service writes in French (portability, equivalences, the CQF table and the
careers answers), codes and field names as they are; English stays the default, and each
answer says its language in ``Content-Language``. Kept answers are kept per language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.e2e.test_explorer_languages import (
    ENGLISH_ONLY,
    FIELD_NAMES,
    TECHNICAL,
    service_sentences,
)

# Field names and JSON members a sentence may name as written (min_coverage, job_family,
# "illustrative": true).
MEMBERS = re.compile(r'"\w+": \w+|\b(?:min_coverage|job_family|from_profile)\b')
HOW = {
    "lang=fr": ({"lang": "fr"}, {}),
    "Accept-Language: fr": ({}, {"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"}),
}


def english(text: str) -> bool:
    return bool(ENGLISH_ONLY.search(FIELD_NAMES.sub(" ", TECHNICAL.sub(" ", MEMBERS.sub(
        " ", text)))))


Ask = Callable[[dict[str, str], dict[str, str]], Any]


def _portability(api: TestClient, body: dict[str, Any]) -> Ask:
    return lambda params, headers: api.post("/api/v1/portability", json=body, params=params,
                                            headers=headers)


def _equivalences(api: TestClient, **query: str) -> Ask:
    return lambda params, headers: api.get("/api/v1/equivalences",
                                           params={**query, **params}, headers=headers)


def said(answer: dict[str, Any]) -> list[str]:
    """The sentences of a portability or equivalence answer (data labels are not)."""
    why = answer.get("no_equivalence") or {}
    return [t for t in (answer.get("notice"), answer.get("score_definition"),
                        answer.get("reason"), why.get("detail")) if t]


def asked(api: TestClient) -> dict[str, Ask]:
    return {
        "portability": _portability(api, {"from_profile": "JP-ADM-B-03",
                                           "with_training": True}),
        "portability, none covered enough": _portability(
            api, {"from_profile": "JP-ADM-B-03", "min_coverage": 1.0, "limit": 1,
                  "administration": "ADM-A"}),
        "portability, none left by the filters": _portability(
            api, {"from_profile": "JP-ADM-B-03", "administration": "ADM-A",
                  "job_family": "JF-BORDER", "min_coverage": 0.0}),
        "equivalences": _equivalences(api, **{"from": "IE-NFQ:8"}),
        "equivalences, proposed counted": _equivalences(api, **{"from": "IE-NFQ:8",
                                                              "include": "proposed"}),
        "equivalences, same framework": _equivalences(api, **{"from": "IE-NFQ:8",
                                                            "to": "IE-NFQ"}),
        "equivalences, within depth 1": _equivalences(api, **{"from": "IE-NFQ:8",
                                                            "to": "CQF", "depth": "1"}),
    }


@pytest.mark.parametrize("how", list(HOW))
def test_portability_and_equivalences_speak_french(api: TestClient, how: str) -> None:
    params, headers = HOW[how]
    left: dict[str, list[str]] = {}
    for name, ask in asked(api).items():
        source, french = ask({}, {}), ask(params, headers)
        assert source.status_code == french.status_code == 200, (name, french.text)
        assert source.headers["content-language"] == "en", name
        assert french.headers["content-language"] == "fr", name
        assert said(source.json()) and all(english(t) for t in said(source.json())), name
        assert len(said(french.json())) == len(said(source.json())), name
        if found := [t for t in said(french.json()) if english(t)]:
            left[name] = found
        # only the sentences change: the codes and the results are the same
        strip = {"notice", "score_definition", "reason", "no_equivalence"}
        assert {k: v for k, v in french.json().items() if k not in strip} == \
            {k: v for k, v in source.json().items() if k not in strip}, name
        assert (french.json().get("no_equivalence") or {}).get("kind") == \
            (source.json().get("no_equivalence") or {}).get("kind"), name
    assert left == {}


def test_kept_answers_are_kept_per_language(api: TestClient) -> None:
    """The same question in English, French, then English again: each its own language (a
    kept answer never answers another language)."""
    for ask in (asked(api)["portability"], asked(api)["equivalences"]):
        first, french, again = ask({}, {}), ask({"lang": "fr"}, {}), ask({}, {})
        assert first.content == again.content
        assert said(french.json()) != said(first.json())
        header = ask({}, {"Accept-Language": "fr"})
        assert header.content == french.content
        assert header.headers["content-language"] == "fr"
        assert "Accept-Language" in header.headers["vary"]


def test_lang_wins_over_accept_language(api: TestClient) -> None:
    ask = asked(api)["portability"]
    answer = ask({"lang": "en"}, {"Accept-Language": "fr"})
    assert answer.headers["content-language"] == "en"
    assert all(english(t) for t in said(answer.json()))
    unknown = ask({}, {"Accept-Language": "de, *;q=0.1"})  # no catalogue: English
    assert unknown.headers["content-language"] == "en"


@pytest.mark.parametrize("how", list(HOW))
def test_the_cqf_table_and_careers_answers_honour_accept_language(api: TestClient,
                                                                  how: str) -> None:
    """The CQF table JSON and the careers answers take Accept-Language too when lang= is
    absent (the career plan's body lang first), and say their language."""
    params, headers = HOW[how]
    table = api.get("/api/v1/cqf-table", params={"frameworks": "IE-NFQ", **params},
                    headers={**headers, "Accept": "application/json"})
    assert table.headers["content-language"] == "fr" and table.json()["lang"] == "fr"
    assert "Accept" in table.headers["vary"] and "Accept-Language" in table.headers["vary"]
    left = [t for t in service_sentences(table.json()) if english(t)]
    assert left == []
    default = api.get("/api/v1/cqf-table", params={"frameworks": "IE-NFQ"})
    assert default.headers["content-language"] == "en" and default.json()["lang"] == "en"

    def careers(answer: dict[str, Any]) -> list[str]:
        plan = answer.get("plan") or {}
        return [t for t in (answer.get("notice"), answer.get("rule"),
                            answer.get("stream_rule"), answer.get("step_rule"),
                            answer.get("score_definition"), plan.get("note"),
                            plan.get("unpriced_note")) if t]

    answers = {
        "career path": api.get("/api/v1/job-families/JF-BORDER/career-path", params=params,
                               headers=headers),
        "successors": api.get("/api/v1/job-profiles/JP-CONTROL-MID_MGR-BORDER/successors",
                              params=params, headers=headers),
        "plan": api.post("/api/v1/career-plans", params=params, headers=headers, json={
            "from_profile": "JP-ADM-B-03", "target_profile": "JP-CONTROL-MID_MGR-BORDER"}),
    }
    for name, answer in answers.items():
        assert answer.status_code == 200, (name, answer.text)
        assert answer.headers["content-language"] == "fr", name
        assert careers(answer.json()), name
        assert [t for t in careers(answer.json()) if english(t)] == [], name
    # the body's lang is the question's own: it wins over the header
    plan = api.post("/api/v1/career-plans", headers={"Accept-Language": "fr"}, json={
        "from_profile": "JP-ADM-B-03", "target_profile": "JP-CONTROL-MID_MGR-BORDER",
        "lang": "en"})
    assert plan.headers["content-language"] == "en"
    assert all(english(t) for t in careers(plan.json()))
