"""Validators for CASE answers built from the 1EdTech definitions in ``../shared/reference/case``
(CASE 1.0: OpenAPI 2.0 document and CFPackage JSON Schema; CASE 1.1: OpenAPI 3.0 document).

The files are read from the shared folder next to the repository; where it is absent the
calling tests are skipped with the reason printed. Nothing of the schemas is copied here.

One adjustment, to CASE 1.0 only: its ``CFDocument.Type``, ``CFItem.Type`` and
``CFAssociation.Type`` are ``allOf`` of a closed package object and a closed object holding
one extra link (``CFPackageURI`` / ``CFDocumentURI``), each branch with
``additionalProperties: false``. No object satisfies both branches (each forbids the other's
fields), so those ``allOf`` are merged into one closed object (the union of the branches'
properties and required fields) before validating. Everything else is used as published.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from openapi_schema_validator import OAS30Validator

CASE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "case"
FILES = ("case-v1p0-swagger.json", "case-v1p0-cfpackage-schema.json", "case-v1p1-openapi.json")
FORMATS = FormatChecker()
_VALIDATORS: dict[tuple[str, str], Any] = {}
# The one adjustment is the derivation script's (scripts/ is not a package: loaded by path).
_DERIVE = Path(__file__).resolve().parents[2] / "scripts" / "derive_case_schemas.py"
_SPEC = importlib.util.spec_from_file_location("derive_case_schemas", _DERIVE)
assert _SPEC and _SPEC.loader
_DERIVATION = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_DERIVATION)
merge_closed_all_of = _DERIVATION.merge_closed_all_of

# What each GET endpoint answers with status 200, per version (from the documents' paths).
ENDPOINTS = ("CFDocuments", "CFDocument", "CFPackages", "CFItems", "CFItemAssociations",
             "CFAssociations", "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes",
             "CFAssociationGroupings", "CFRubrics")


def require_definitions() -> Path:
    missing = [f for f in FILES if not (CASE_DIR / f).is_file()]
    if missing:
        pytest.skip(f"1EdTech CASE definitions not found in {CASE_DIR} (missing: "
                    f"{', '.join(missing)}); schema validation needs ../shared/reference/case")
    return CASE_DIR


@dataclass
class CaseSchemas:
    v1p0: dict[str, Any]  # swagger definitions (merged as above)
    v1p0_package: dict[str, Any]  # the CFPackage JSON Schema
    v1p1: dict[str, Any]  # OpenAPI 3.0 components.schemas
    v1p0_paths: dict[str, str]  # path template -> 200 schema name
    v1p1_paths: dict[str, str]

    def validator(self, version: str, name: str) -> Any:
        key = (version, name)
        if key not in _VALIDATORS:
            if version == "v1p0":
                root = {"definitions": self.v1p0, "$ref": f"#/definitions/{name}"}
                _VALIDATORS[key] = Draft4Validator(root, format_checker=FORMATS)
            else:
                root = {"components": {"schemas": self.v1p1},
                        "$ref": f"#/components/schemas/{name}"}
                _VALIDATORS[key] = OAS30Validator(root, format_checker=FORMATS)
        return _VALIDATORS[key]

    def validate(self, version: str, name: str, instance: Any) -> None:
        """Raise ``jsonschema.ValidationError`` unless ``instance`` is a valid ``name``
        (of the CASE 1.0 swagger definitions for ``v1p0``, of CASE 1.1's OpenAPI schemas
        for ``v1p1``)."""
        self.validator(version, name).validate(instance)

    def validate_package_schema(self, instance: Any) -> None:
        """Against CASE 1.0's separate CFPackage JSON Schema, as published."""
        if ("v1p0", "package") not in _VALIDATORS:
            _VALIDATORS[("v1p0", "package")] = Draft4Validator(self.v1p0_package,
                                                               format_checker=FORMATS)
        _VALIDATORS[("v1p0", "package")].validate(instance)

    def schema_for(self, version: str, endpoint: str, status: int) -> str:
        """The definition an answer of ``endpoint`` (``CFDocuments`` for the list,
        ``CFDocument`` for one document, else the path's first segment) must satisfy."""
        paths = self.v1p0_paths if version == "v1p0" else self.v1p1_paths
        if status != 200:
            return paths["error"]
        key = "/CFDocuments" if endpoint == "CFDocuments" else \
            f"/{'CFDocuments' if endpoint == 'CFDocument' else endpoint}/{{sourcedId}}"
        return paths[key]


def _ref_name(schema: dict[str, Any]) -> str:
    return schema["$ref"].rsplit("/", 1)[1]


def load() -> CaseSchemas:
    folder = require_definitions()
    swagger = json.loads((folder / FILES[0]).read_text(encoding="utf-8"))
    package = json.loads((folder / FILES[1]).read_text(encoding="utf-8"))
    openapi = json.loads((folder / FILES[2]).read_text(encoding="utf-8"))
    v1p0_paths = {p: _ref_name(ops["get"]["responses"]["200"]["schema"])
                  for p, ops in swagger["paths"].items()}
    v1p0_paths["error"] = _ref_name(swagger["paths"]["/CFDocuments"]["get"]["responses"]["404"]
                                    ["schema"])
    content = "application/json"
    v1p1_paths = {p: _ref_name(ops["get"]["responses"]["200"]["content"][content]["schema"])
                  for p, ops in openapi["paths"].items()}
    v1p1_paths["error"] = _ref_name(openapi["paths"]["/CFDocuments"]["get"]["responses"]["404"]
                                    ["content"][content]["schema"])
    return CaseSchemas(merge_closed_all_of(swagger["definitions"]), package,
                       openapi["components"]["schemas"], v1p0_paths, v1p1_paths)
