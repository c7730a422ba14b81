"""Derive the CASE answer schemas the OpenAPI document names from the 1EdTech definitions.

    python scripts/derive_case_schemas.py [../shared/reference/case]

Reads CASE 1.0's OpenAPI 2.0 document (``case-v1p0-swagger.json``) and CASE 1.1's OpenAPI
3.0 document (``case-v1p1-openapi.json``) and writes ``app/api/case_definitions/case.json``:
per version, every schema of the document under a prefixed name (``CASE-v1p0.CFItem.Type``,
``CASE-v1p1.CFItemDType``) with its references rewritten to ``#/components/schemas/``, and
which schema each GET path answers with 200. Used as published, with one adjustment to CASE
1.0 (as ``tests/support/case_schemas.py`` does): its ``allOf`` of two closed objects is
unsatisfiable as published and is merged into one closed object. A unit test fails when the
shipped file and the definitions drift.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "app" / "api" / "case_definitions" / "case.json"
DEFAULT_DIR = ROOT.parent / "shared" / "reference" / "case"
FILES = {"v1p0": "case-v1p0-swagger.json", "v1p1": "case-v1p1-openapi.json"}


def merge_closed_all_of(definitions: dict[str, Any]) -> dict[str, Any]:
    """CASE 1.0's unsatisfiable ``allOf`` of closed objects -> one closed object (the union of
    the branches' properties and required fields). Only closed branches are merged: an open
    one would make the published ``allOf`` satisfiable, and merging it would change it."""
    merged = copy.deepcopy(definitions)
    for name, schema in definitions.items():
        branches = schema.get("allOf")
        if not branches:
            continue
        properties: dict[str, Any] = {}
        required: list[str] = []
        for branch in branches:
            if "$ref" in branch:
                branch = definitions[branch["$ref"].rsplit("/", 1)[1]]
            if branch.get("additionalProperties") is not False:
                raise ValueError(f"{name}: an allOf branch is open; the adjustment is for "
                                 "closed objects only")
            properties |= branch.get("properties", {})
            required += [r for r in branch.get("required", []) if r not in required]
        merged[name] = {"type": "object", "properties": properties, "required": required,
                        "additionalProperties": False}
    return merged


def _rewrite(node: Any, old: str, prefix: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(old):
                out[key] = "#/components/schemas/" + prefix + value.removeprefix(old)
            else:
                out[key] = _rewrite(value, old, prefix)
        return out
    if isinstance(node, list):
        return [_rewrite(v, old, prefix) for v in node]
    return node


def derive(folder: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"derived_from": {}, "versions": {}}
    for version, name in FILES.items():
        raw = (folder / name).read_bytes()
        out["derived_from"][name] = hashlib.sha256(raw).hexdigest()
        doc = json.loads(raw)
        prefix = f"CASE-{version}."
        if version == "v1p0":
            schemas, old = merge_closed_all_of(doc["definitions"]), "#/definitions/"
            answers = {p: ops["get"]["responses"]["200"]["schema"]["$ref"]
                       for p, ops in doc["paths"].items()}
        else:
            schemas, old = doc["components"]["schemas"], "#/components/schemas/"
            answers = {p: ops["get"]["responses"]["200"]["content"]["application/json"]
                       ["schema"]["$ref"] for p, ops in doc["paths"].items()}
        out["versions"][version] = {
            "schemas": {prefix + k: _rewrite(v, old, prefix) for k, v in schemas.items()},
            "answers": {p: prefix + ref.removeprefix(old) for p, ref in sorted(answers.items())},
        }
    return out


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    OUT.write_text(json.dumps(derive(folder), indent=1, sort_keys=True) + "\n",
                   encoding="utf-8")
    print(OUT.relative_to(ROOT))


if __name__ == "__main__":
    main()
