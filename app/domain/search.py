"""Search ranking, computed here from the text of each candidate, so that every store gives
the same results with the same scores.

The stores' full-text indexes (RediSearch in FalkorDB, Lucene in Neo4j) only *find*
candidates; they tokenise, stem and score differently (``q=risk`` scored 4.0 on one and 2.0 on
the other, and the top 50 for ``q=customs`` differed by 34 codes). So an index is asked for
every candidate (up to ``CANDIDATES``), and this module decides what matches and how well:

- the text of a candidate is its ``name``, ``name_fr`` and ``description``, split into words
  (Unicode letters and digits, lower-cased);
- a term of three letters or more matches a word it begins (``custom`` matches ``customs``),
  a shorter term only the word itself; a candidate is a result when every term matches a
  word of its text (what both indexes' AND queries find, without stemming);
- each term scores, in the best field where it matches, the field's weight (name 3, French
  name 2, description 1) times 1 for a whole word or 0.5 for a word it only begins; a term
  that matches in several fields adds a tenth of each further field's score; the score is
  the sum over the terms, rounded to 4 places;
- results are ordered by score, then kind, then code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CANDIDATES = 5000  # asked of the index; the graph's largest label holds far fewer nodes
# A word of a search (of a question or a field): the one definition, which the search
# route's ``q`` pattern also states (``app.api.params.SEARCHABLE``).
WORD_PATTERN = r"\w+"
WORD = re.compile(WORD_PATTERN, re.UNICODE)
FIELDS: tuple[tuple[str, float], ...] = (("name", 3.0), ("name_fr", 2.0), ("description", 1.0))
WHOLE, PREFIX = 1.0, 0.5
FURTHER = 0.1  # share of a further field's score when a term matches in several
MIN_PREFIX = 3  # shorter terms match whole words only


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    code: str
    name: str | None
    score: float


def words(text: object) -> frozenset[str]:
    return frozenset(WORD.findall(text.lower())) if isinstance(text, str) else frozenset()


def term_score(term: str, found: frozenset[str]) -> float:
    """How well ``term`` matches a field whose words are ``found`` (0 when it does not)."""
    if term in found:
        return WHOLE
    if len(term) >= MIN_PREFIX and any(word.startswith(term) for word in found):
        return PREFIX
    return 0.0


def score(terms: Sequence[str], candidate: Mapping[str, Any]) -> float | None:
    """The candidate's score for ``terms`` (lower-cased), or None when a term does not match."""
    fields = [(words(candidate.get(name)), weight) for name, weight in FIELDS]
    total = 0.0
    for term in terms:
        scores = sorted((term_score(term, found) * weight for found, weight in fields),
                        reverse=True)
        if scores[0] == 0.0:
            return None
        total += scores[0] + FURTHER * sum(scores[1:])
    return round(total, 4)


def rank(terms: Sequence[str], candidates: Iterable[Mapping[str, Any]], limit: int) -> list[Hit]:
    """The best ``limit`` candidates for ``terms``, each once, in the order the module says."""
    lowered = [t.lower() for t in terms]
    best: dict[tuple[str, str], Hit] = {}
    for row in candidates:
        found = score(lowered, row)
        if found is None:
            continue
        hit = Hit(str(row["label"]), str(row["code"]), row.get("name"), found)
        key = (hit.kind, hit.code)
        if key not in best or best[key].score < found:
            best[key] = hit
    ordered = sorted(best.values(), key=lambda h: (-h.score, h.kind, h.code))
    return ordered[:limit]
