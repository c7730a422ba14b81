"""SSSOM-compatible TSV of the level mappings: a YAML metadata block (``#`` lines with the
CURIE map), then one row per mapping. Streamed: rows in, text out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.vocab import MappingMethod

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "confidence", "author_label", "mapping_date",
           "comment", "see_also", "other")
# The SEMAPV mapping justification of each method. SEMAPV has no term for an invented
# (illustrative) mapping: it is written as unspecified, like a method the service does not know.
JUSTIFICATION: dict[str, str] = {
    MappingMethod.OFFICIAL_REFERENCING: "semapv:ManualMappingCuration",
    MappingMethod.COMPARISON_STUDY: "semapv:ManualMappingCuration",
    MappingMethod.EXPERT_PANEL: "semapv:ManualMappingCuration",
    MappingMethod.COMPUTED: "semapv:CompositeMatching",
    MappingMethod.ILLUSTRATIVE: "semapv:UnspecifiedMatching",
}


# A cell a spreadsheet would read as a formula (CSV/TSV injection) is written with a leading
# apostrophe, so text asserted by a writer (a source title, a note) stays text when opened.
FORMULA_START = ("=", "+", "-", "@")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return "'" + text if text.startswith(FORMULA_START) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _curie(level_code: str) -> str:
    framework, _, level = level_code.partition(":")
    return f"cqflevel:{framework}/{level}"


def mapping_date(props: Mapping[str, Any]) -> str | None:
    """The SSSOM ``mapping_date``: the day the mapping was reviewed (its current review
    status recorded), else the mapping's own date."""
    for key in ("reviewed_at", "date"):
        value = str(props.get(key) or "")
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":
            return value[:10]
    return None


def _comment(props: Mapping[str, Any]) -> str | None:
    """The mapping's note, then the verbatim quote that states it with its language, so the
    claim can be checked from the TSV alone (``see_also`` holds the page it was read on)."""
    quote = props.get("evidence_quote")
    parts = [str(props["note"])] if props.get("note") else []
    if quote:
        language = props.get("evidence_language") or "und"
        parts.append(f'evidence quote ({language}): "{quote}"')
    return "; ".join(parts) or None


def _string(value: str) -> str:
    """A YAML string scalar whatever the text: a JSON string is a YAML double-quoted scalar,
    so a version ``1.0`` stays the string "1.0" (unquoted, YAML reads the float 1.0, and
    ``2.10`` would read 2.1)."""
    return json.dumps(value, ensure_ascii=False)


def header(base_iri: str, version: str = "latest") -> str:
    lines = [
        # dereferenceable: /id/mapping-set/{version} (app.services.linked_data.minted.mapping_set)
        "mapping_set_id: " + _string(base_iri + f"mapping-set/{version}"),
        "mapping_set_version: " + _string(version),
        "mapping_set_title: " + _string("CQF level mappings"),
        "license: " + _string("https://www.apache.org/licenses/LICENSE-2.0"),
        "curie_map:",
        "  cqflevel: " + _string(f"{base_iri}level/"),
        "  semapv: " + _string("https://w3id.org/semapv/vocab/"),
        "  skos: " + _string("http://www.w3.org/2004/02/skos/core#"),
    ]
    return "".join(f"# {line}\n" for line in lines) + "\t".join(COLUMNS) + "\n"


def rows(mappings: Iterable[Mapping[str, Any]]) -> str:
    """``mappings``: rows with from_code, to_code, from_name, to_name and props."""
    out = []
    for m in mappings:
        p = m["props"]
        other = ";".join(f"{k}={_cell(p.get(k))}" for k in
                         ("id", "review_status", "status", "historical", "source_document",
                          "source_publisher", "source_year", "source_url")
                         if p.get(k) not in (None, ""))
        values = (_curie(m["from_code"]), m.get("from_name"), f"skos:{p.get('match_type')}",
                  _curie(m["to_code"]), m.get("to_name"),
                  JUSTIFICATION.get(str(p.get("method")), "semapv:UnspecifiedMatching"),
                  p.get("confidence"), p.get("asserted_by"), mapping_date(p), _comment(p),
                  p.get("source_url"), other)
        out.append("\t".join(_cell(v) for v in values) + "\n")
    return "".join(out)
