"""Read and validate the project's sourced seed data (`seed_data/*.csv`) without a database.

The CSV files are the single source of truth for seeded facts. This module turns them into
plain Python structures so that a database loader, the API tests and reviewers all see the same
validated data. Validation happens here, while reading, because a bad row (an unknown status, a
dangling code, a confidence of 1.5) must be caught with its file and line number before it
reaches a graph where it would be much harder to trace.

Relationships that merely restate a node property (a Level's `framework`, a Competency's
`group`, ...) are derived from that property instead of being kept in a second file, so the two
can never disagree. See `seed_data/README.md` for the file-by-file description.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.identity import course_key, programme_key
from app.domain.referencing import REFERENCING_STATUSES

STATUSES = frozenset({"verified", "unverified", "illustrative"})
MATCH_TYPES = frozenset({"exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"})
METHODS = frozenset(
    {"official_referencing", "comparison_study", "expert_panel", "computed", "illustrative"}
)
REVIEW_STATUSES = frozenset({"proposed", "accepted", "rejected", "superseded"})
PROFICIENCIES = frozenset({"aware", "trained", "advanced", "expert"})
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
MAX_QUOTE = 300

COMMON_NODE_COLUMNS: dict[str, str] = {
    "code": "str",
    "name": "str",
    "name_fr": "str",
    "description": "str",
    "description_fr": "str",
}
SOURCE_COLUMNS: dict[str, str] = {
    "status": "str",
    "source_document": "str",
    "source_publisher": "str",
    "source_year": "int",
    "source_url": "str",
}
LIST_SEPARATOR = ";"

# Allowed values of enumerated columns, checked for nodes and relationships alike.
VOCABULARIES: dict[str, frozenset[str]] = {
    "status": STATUSES,
    "match_type": MATCH_TYPES,
    "method": METHODS,
    "review_status": REVIEW_STATUSES,
    "proficiency": PROFICIENCIES,
    "description_status": STATUSES,
}
LABEL_VOCABULARIES: dict[tuple[str, str], frozenset[str]] = {
    ("Framework", "kind"): frozenset(
        {"meta", "classification", "qualifications_framework", "national", "grade_scale", "cqf"}
    ),
    ("Framework", "referencing_status"): frozenset(REFERENCING_STATUSES),
    ("Occupation", "kind"): frozenset({"isco_group", "esco_occupation"}),
    ("PicardStandard", "kind"): frozenset({"tier", "knowledge_area", "theme", "proposed_theme"}),
    ("PicardStandard", "version"): frozenset({"2008", "2019", "next"}),
}


class SeedDataError(ValueError):
    """A seed file or row breaks the contract; the message names the file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line


@dataclass(frozen=True)
class NodeSet:
    """All seeded nodes of one label, in file order."""

    label: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class RelSet:
    """All seeded relationships of one (type, from label, to label) triple, in file order."""

    type: str
    from_label: str
    to_label: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class SeedBundle:
    """Everything in `seed_data/`, validated and ready for a loader."""

    nodes: list[NodeSet]
    rels: list[RelSet]

    def count_by_label(self) -> dict[str, int]:
        """Node counts per label, for smoke checks and start-up logs."""
        return {ns.label: len(ns.rows) for ns in self.nodes}

    def count_by_type(self) -> dict[str, int]:
        """Relationship counts per type (summed over from/to label pairs)."""
        counts: Counter[str] = Counter()
        for rs in self.rels:
            counts[rs.type] += len(rs.rows)
        return dict(sorted(counts.items()))

    def count_by_status(self) -> dict[str, int]:
        """How much of the bundle is verified, unverified or illustrative.

        Counts every node and every relationship that carries a status, so the share of
        invented data stays visible.
        """
        counts: Counter[str] = Counter()
        for ns in self.nodes:
            counts.update(row["status"] for row in ns.rows)
        for rs in self.rels:
            counts.update(r["props"]["status"] for r in rs.rows if "status" in r["props"])
        return {s: counts[s] for s in sorted(STATUSES)}

    def node_set(self, label: str) -> NodeSet:
        """The NodeSet of a label (KeyError if the label has no seed data)."""
        for ns in self.nodes:
            if ns.label == label:
                return ns
        raise KeyError(label)

    def rels_of_type(self, rel_type: str) -> list[dict[str, Any]]:
        """All relationship rows of a type, across from/to label pairs."""
        return [row for rs in self.rels if rs.type == rel_type for row in rs.rows]


@dataclass(frozen=True)
class NodeFile:
    """How to read one node file: its label and the label-specific columns with types."""

    file: str
    label: str
    extra: dict[str, str] = field(default_factory=dict)

    def columns(self) -> dict[str, str]:
        return {**COMMON_NODE_COLUMNS, **self.extra, **SOURCE_COLUMNS}


@dataclass(frozen=True)
class RelFile:
    """How to read one relationship file; `sourced` files carry status and source columns."""

    file: str
    type: str
    from_label: str
    to_label: str
    props: dict[str, str] = field(default_factory=dict)
    sourced: bool = True

    def columns(self) -> dict[str, str]:
        cols = {"from": "str", "to": "str", **self.props}
        return {**cols, **SOURCE_COLUMNS} if self.sourced else cols


@dataclass(frozen=True)
class DerivedRel:
    """A relationship read from a node property that holds the target's code."""

    type: str
    from_label: str
    prop: str
    to_label: str


_LEVEL = {
    "framework": "str",
    "level": "str",
    "ordinal": "int",
    "knowledge": "str",
    "skills": "str",
    "autonomy": "str",
    "qualification_examples": "list",
}
_COMPETENCY = {"group": "str", "trade_only": "bool", "uri": "str"}
_MAPS_TO = {
    "id": "str",
    "match_type": "str",
    "confidence": "float",
    "method": "str",
    "asserted_by": "str",
    "review_status": "str",
    "date": "date",
    "historical": "bool",
    "note": "str",
}
# National referencing mappings also keep their evidence: the verbatim quote and its language.
_MAPS_TO_NQF = {**_MAPS_TO, "evidence_quote": "str", "evidence_language": "str"}

NODE_FILES: tuple[NodeFile, ...] = (
    NodeFile(
        "frameworks.csv",
        "Framework",
        {
            "kind": "str",
            "jurisdiction": "str",
            "historical": "bool",
            "unlevelled": "list",
            "country": "str",
            "referencing_status": "str",
            "referencing_year": "int",
        },
    ),
    NodeFile("levels_eqf.csv", "Level", _LEVEL),
    NodeFile("levels_isced.csv", "Level", _LEVEL),
    NodeFile("levels_qf_ehea.csv", "Level", _LEVEL),
    NodeFile("levels_national.csv", "Level", _LEVEL),
    NodeFile("levels_cqf.csv", "Level", _LEVEL),
    NodeFile("levels_grade_scales.csv", "Level", _LEVEL),
    NodeFile(
        "proficiency_levels.csv", "ProficiencyLevel", {"rank": "int", "description_status": "str"}
    ),
    NodeFile("competency_groups.csv", "CompetencyGroup"),
    NodeFile("competencies_operational.csv", "Competency", _COMPETENCY),
    NodeFile("competencies_placeholder_illustrative.csv", "Competency", _COMPETENCY),
    NodeFile("competencies_esco.csv", "Competency", _COMPETENCY),
    NodeFile("occupations.csv", "Occupation", {"kind": "str", "uri": "str", "isco_code": "str"}),
    NodeFile("functional_domains.csv", "FunctionalDomain"),
    NodeFile("generic_roles.csv", "GenericRole", {"role_family": "str"}),
    NodeFile("job_families.csv", "JobFamily", {"anchor": "str"}),
    NodeFile("professional_tasks.csv", "ProfessionalTask"),
    NodeFile("administrations.csv", "Administration", {"country": "str", "scale": "str"}),
    NodeFile(
        "job_profiles.csv",
        "JobProfile",
        {"domain": "str", "generic_role": "str", "administration": "str"},
    ),
    NodeFile(
        "picard_standards.csv", "PicardStandard", {"kind": "str", "version": "str", "tier": "str"}
    ),
    NodeFile("institutions.csv", "Institution", {"country": "str", "incu_member": "bool"}),
    NodeFile(
        "programmes.csv",
        "Programme",
        {"institution": "str", "level": "str", "ects": "float", "language": "str", "url": "str"},
    ),
    NodeFile(
        "courses.csv",
        "Course",
        {
            "institution": "str",
            "programme": "str",
            "ects": "float",
            "language": "str",
            "url": "str",
        },
    ),
)

REL_FILES: tuple[RelFile, ...] = (
    RelFile("mappings_nqf_eqf.csv", "MAPS_TO", "Level", "Level", _MAPS_TO_NQF),
    RelFile("mappings_qf_ehea_eqf.csv", "MAPS_TO", "Level", "Level", _MAPS_TO),
    RelFile("mappings_isced_eqf.csv", "MAPS_TO", "Level", "Level", _MAPS_TO),
    RelFile("mappings_cqf_eqf.csv", "MAPS_TO", "Level", "Level", _MAPS_TO),
    RelFile("mappings_grades_cqf.csv", "MAPS_TO", "Level", "Level", _MAPS_TO),
    RelFile(
        "occupation_in_isco_group.csv", "IN_ISCO_GROUP", "Occupation", "Occupation", sourced=False
    ),
    RelFile("task_in_family.csv", "IN_FAMILY", "ProfessionalTask", "JobFamily", sourced=False),
    RelFile("job_profile_in_family.csv", "IN_FAMILY", "JobProfile", "JobFamily", sourced=False),
    RelFile("job_profile_at_level.csv", "AT_LEVEL", "JobProfile", "Level", sourced=False),
    RelFile("requires.csv", "REQUIRES", "JobProfile", "Competency", {"proficiency": "str"}),
    RelFile("performs.csv", "PERFORMS", "JobProfile", "ProfessionalTask"),
    RelFile("draws_on.csv", "DRAWS_ON", "ProfessionalTask", "Competency"),
    RelFile("related_occupation.csv", "RELATED_OCCUPATION", "JobFamily", "Occupation"),
    RelFile(
        "recognised_against.csv",
        "RECOGNISED_AGAINST",
        "Programme",
        "PicardStandard",
        {"date": "date", "note": "str"},
    ),
    RelFile(
        "develops.csv",
        "DEVELOPS",
        "Course",
        "Competency",
        {"proficiency": "str", "evidence": "str", "assessment": "str", "review_status": "str"},
    ),
    RelFile("aligns_with.csv", "ALIGNS_WITH", "Course", "PicardStandard", {"review_status": "str"}),
)

DERIVED_RELS: tuple[DerivedRel, ...] = (
    DerivedRel("IN_FRAMEWORK", "Level", "framework", "Framework"),
    DerivedRel("IN_GROUP", "Competency", "group", "CompetencyGroup"),
    DerivedRel("IN_DOMAIN", "JobProfile", "domain", "FunctionalDomain"),
    DerivedRel("HAS_ROLE", "JobProfile", "generic_role", "GenericRole"),
    DerivedRel("IN_ADMINISTRATION", "JobProfile", "administration", "Administration"),
    DerivedRel("USES_SCALE", "Administration", "scale", "Framework"),
    DerivedRel("PART_OF", "PicardStandard", "tier", "PicardStandard"),
    DerivedRel("OFFERED_BY", "Programme", "institution", "Institution"),
    DerivedRel("AT_LEVEL", "Programme", "level", "Level"),
    DerivedRel("PART_OF", "Course", "programme", "Programme"),
)

# Code-valued properties that are checked but not turned into edges (the graph model has no
# Course -> Institution relationship; the course reaches its institution through its programme).
CHECKED_REFERENCES: tuple[DerivedRel, ...] = (
    DerivedRel("", "Course", "institution", "Institution"),
)


# ----------------------------------------------------------------------------- cell parsing


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError(f"expected true or false, got {raw!r}")


def _parse_date(raw: str) -> str:
    dt.date.fromisoformat(raw)  # raises ValueError on a non-ISO date
    return raw


def _parse_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]


_PARSERS = {
    "str": str,
    "int": int,
    "float": float,
    "bool": _parse_bool,
    "date": _parse_date,
    "list": _parse_list,
}


def _convert(raw: str | None, kind: str) -> Any:
    """Turn one CSV cell into its typed value; empty cells become None."""
    if raw is None or raw.strip() == "":
        return None
    return _PARSERS[kind](raw.strip() if kind != "str" else raw)


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Row:
    """A typed row plus where it came from, so later checks can still cite file and line."""

    values: dict[str, Any]
    file: str
    line: int


def _read_rows(path: Path, columns: dict[str, str]) -> Iterator[_Row]:
    """Yield typed rows of a CSV file whose header must hold exactly `columns`."""
    if not path.is_file():
        raise SeedDataError(path.name, None, "file is missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        _check_header(path.name, reader.fieldnames, columns)
        for raw in reader:
            yield _Row(_typed(path.name, reader.line_num, raw, columns), path.name, reader.line_num)


def _check_header(file: str, header: list[str] | None, columns: dict[str, str]) -> None:
    """Refuse missing columns (data would be lost) and unknown ones (likely typos)."""
    found = list(header or [])
    missing = [c for c in columns if c not in found]
    unknown = [c for c in found if c not in columns]
    if missing or unknown:
        raise SeedDataError(file, 1, f"header mismatch: missing {missing}, unknown {unknown}")


def _typed(file: str, line: int, raw: dict[str | Any, Any], columns: dict[str, str]) -> dict:
    if None in raw:  # csv puts surplus cells under the key None
        raise SeedDataError(file, line, "row has more cells than the header")
    values: dict[str, Any] = {}
    for column, kind in columns.items():
        try:
            values[column] = _convert(raw.get(column), kind)
        except ValueError as exc:
            raise SeedDataError(file, line, f"column {column!r}: {exc}") from exc
    return values


# ----------------------------------------------------------------------------- row checks


def _check_vocabularies(row: _Row, label: str | None) -> None:
    for column, value in row.values.items():
        allowed = VOCABULARIES.get(column) or LABEL_VOCABULARIES.get((label or "", column))
        if allowed is not None and value is not None and value not in allowed:
            raise SeedDataError(row.file, row.line, f"{column} {value!r} not in {sorted(allowed)}")


def _check_sourced(row: _Row) -> None:
    """Every sourced row states its evidence level and the document it rests on."""
    if row.values.get("status") is None:
        raise SeedDataError(row.file, row.line, f"status is empty (allowed {sorted(STATUSES)})")
    if not row.values.get("source_document"):
        raise SeedDataError(row.file, row.line, "source_document is empty")


def _check_confidence(row: _Row) -> None:
    confidence = row.values.get("confidence")
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        raise SeedDataError(row.file, row.line, f"confidence {confidence} outside 0..1")


def _check_evidence(row: _Row) -> None:
    """A quote is verbatim evidence: it says in which language it is written and where it was
    read, and stays a quote (short), not a copy of the source."""
    quote, language = row.values.get("evidence_quote"), row.values.get("evidence_language")
    if quote is None and language is None:
        return
    if quote is None or language is None:
        raise SeedDataError(row.file, row.line, "evidence_quote and evidence_language go "
                            "together")
    if not LANGUAGE_TAG.match(language):
        raise SeedDataError(row.file, row.line, f"evidence_language {language!r} is not a "
                            "language tag such as 'en' or 'sl'")
    if len(quote) > MAX_QUOTE:
        raise SeedDataError(row.file, row.line, f"evidence_quote longer than {MAX_QUOTE}")
    if not row.values.get("source_url"):
        raise SeedDataError(row.file, row.line, "an evidence_quote needs its source_url")


def _check_framework_row(row: _Row) -> None:
    """A national framework says where it is and how it stands towards the EQF."""
    values = row.values
    country = values.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise SeedDataError(row.file, row.line, f"country {country!r} is not an ISO 3166 "
                            "alpha-2 code")
    if values.get("kind") == "national" and not (country and values.get("referencing_status")):
        raise SeedDataError(row.file, row.line, "a national framework needs country and "
                            "referencing_status")
    if values.get("referencing_status") == "no_level_table" and not values.get(
            "referencing_year"):
        raise SeedDataError(row.file, row.line, "no_level_table needs the referencing_year")


def _check_node_row(row: _Row, label: str) -> None:
    if not row.values.get("code"):
        raise SeedDataError(row.file, row.line, "code is empty")
    if not row.values.get("name"):
        raise SeedDataError(row.file, row.line, "name is empty")
    _check_sourced(row)
    _check_vocabularies(row, label)
    if label == "Framework":
        _check_framework_row(row)


def _check_rel_row(row: _Row, spec: RelFile) -> None:
    if not row.values.get("from") or not row.values.get("to"):
        raise SeedDataError(row.file, row.line, "from and to must both be set")
    if spec.sourced:
        _check_sourced(row)
    _check_vocabularies(row, None)
    _check_confidence(row)
    _check_evidence(row)


# ----------------------------------------------------------------------------- assembly


def _load_nodes(directory: Path) -> dict[str, list[_Row]]:
    """Read every node file, grouped by label in declaration order, with unique codes."""
    by_label: dict[str, list[_Row]] = {}
    seen: dict[tuple[str, str], _Row] = {}
    for spec in NODE_FILES:
        for row in _read_rows(directory / spec.file, spec.columns()):
            _check_node_row(row, spec.label)
            key = (spec.label, row.values["code"])
            if key in seen:
                first = seen[key]
                raise SeedDataError(
                    row.file,
                    row.line,
                    f"duplicate {spec.label} code {key[1]!r} (first at {first.file}:{first.line})",
                )
            seen[key] = row
            by_label.setdefault(spec.label, []).append(row)
    return by_label


# Labels whose codes belong to an institution: scoped into a key (``app.domain.identity``).
SCOPED_LABELS = ("Programme", "Course")


def _scope_owned_codes(nodes: dict[str, list[_Row]]) -> dict[str, dict[str, str]]:
    """Programmes and courses are keyed ``INSTITUTION/PROGRAMME[/COURSE]``; the file's code
    becomes ``local_code``. Returns, per label, each local code's key, for the relationship
    files that name them by the code the institution uses (a code two owners share there
    is refused: the file could not say which one it means)."""
    local: dict[str, dict[str, str]] = {}
    for label in SCOPED_LABELS:
        for row in nodes.get(label, []):
            values, code = row.values, row.values["code"]
            if label == "Programme":
                key = programme_key(str(values.get("institution")), code)
            else:
                key = course_key(str(values.get("institution")), str(values.get("programme")),
                                 code)
            values["local_code"], values["code"] = code, key
            if code in local.setdefault(label, {}):
                raise SeedDataError(row.file, row.line, f"{label} code {code!r} is used by two "
                                    "owners; relationship files could not tell them apart")
            local[label][code] = key
    return local


def _codes(nodes: dict[str, list[_Row]]) -> dict[str, set[str]]:
    return {label: {r.values["code"] for r in rows} for label, rows in nodes.items()}


def _check_endpoint(row: _Row, codes: dict[str, set[str]], label: str, code: str, end: str) -> None:
    if code not in codes.get(label, set()):
        raise SeedDataError(row.file, row.line, f"{end} {code!r} is not a seeded {label}")


def _load_rel_file(directory: Path, spec: RelFile, codes: dict[str, set[str]],
                   local: dict[str, dict[str, str]] | None = None) -> list[dict]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    local = local or {}
    for row in _read_rows(directory / spec.file, spec.columns()):
        _check_rel_row(row, spec)
        frm, to = row.values["from"], row.values["to"]
        frm = local.get(spec.from_label, {}).get(frm, frm)
        to = local.get(spec.to_label, {}).get(to, to)
        _check_endpoint(row, codes, spec.from_label, frm, "from")
        _check_endpoint(row, codes, spec.to_label, to, "to")
        if (frm, to) in seen:
            raise SeedDataError(row.file, row.line, f"duplicate {spec.type} {frm} -> {to}")
        seen.add((frm, to))
        props = {k: v for k, v in row.values.items() if k not in ("from", "to")}
        rows.append({"from": frm, "to": to, "props": props})
    return rows


def _derive(
    spec: DerivedRel, nodes: dict[str, list[_Row]], codes: dict[str, set[str]]
) -> list[dict[str, Any]]:
    """Relationships implied by a node property; a dangling code is reported on the node row."""
    rows: list[dict[str, Any]] = []
    for node in nodes.get(spec.from_label, []):
        target = node.values.get(spec.prop)
        if target is None:
            continue
        if spec.from_label == "Course" and spec.to_label == "Programme":
            target = programme_key(str(node.values.get("institution")), target)
        _check_endpoint(node, codes, spec.to_label, target, spec.prop)
        rows.append({"from": node.values["code"], "to": target, "props": {}})
    return rows


def _merge(sets: Iterable[RelSet]) -> list[RelSet]:
    """One RelSet per (type, from, to) triple, in first-seen order, so loaders batch simply."""
    merged: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for rs in sets:
        merged.setdefault((rs.type, rs.from_label, rs.to_label), []).extend(rs.rows)
    return [RelSet(t, f, to, rows) for (t, f, to), rows in merged.items()]


def _check_unknown_files(directory: Path) -> None:
    """A CSV the catalog does not describe would silently never be loaded: refuse it."""
    known = {s.file for s in NODE_FILES} | {s.file for s in REL_FILES}
    for path in sorted(directory.glob("*.csv")):
        if path.name not in known:
            raise SeedDataError(path.name, None, "file is not described in app/seed/catalog.py")


def _check_unique_map_ids(rels: list[RelSet]) -> None:
    ids = Counter(r["props"]["id"] for rs in rels if rs.type == "MAPS_TO" for r in rs.rows)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise SeedDataError("mappings_*.csv", None, f"duplicate MAPS_TO ids {duplicates}")


def _referencing_mismatch(status: str, mappings: list[dict[str, Any]]) -> str | None:
    evidence = {m["props"]["status"] for m in mappings}
    if status in ("none", "no_level_table"):
        return f"{len(mappings)} EQF mappings seeded" if mappings else None
    if not mappings:
        return "no EQF mapping seeded"
    if status == "comparison":
        methods = {m["props"]["method"] for m in mappings}
        return None if methods == {"comparison_study"} else f"methods {sorted(methods)}"
    expected = {"verified": {"verified"}, "unverified": {"unverified"},
                "partly_verified": {"verified", "unverified"}}[status]
    return None if evidence == expected else f"mapping evidence {sorted(evidence)}"


def _check_referencing(nodes: dict[str, list[_Row]], rels: list[RelSet]) -> None:
    """A framework's ``referencing_status`` restates what its EQF mappings show; checked here
    so the two cannot drift apart."""
    framework_of = {r.values["code"]: r.values["framework"] for r in nodes.get("Level", [])}
    to_eqf: dict[str, list[dict[str, Any]]] = {}
    for rs in rels:
        for m in rs.rows if rs.type == "MAPS_TO" else ():
            if framework_of.get(m["to"]) == "EQF":
                to_eqf.setdefault(framework_of.get(m["from"], ""), []).append(m)
    for row in nodes.get("Framework", []):
        status = row.values.get("referencing_status")
        if status is None:
            continue
        problem = _referencing_mismatch(status, to_eqf.get(row.values["code"], []))
        if problem:
            raise SeedDataError(row.file, row.line, f"referencing_status {status!r} but "
                                f"{problem}")


def load_seed_bundle(directory: Path) -> SeedBundle:
    """Read, type and validate every seed file in `directory`.

    Raises SeedDataError (a ValueError) naming the file and line of the first bad row.
    The order of nodes and relationships is deterministic: declaration order of the files
    above, then row order inside each file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise SeedDataError(str(directory), None, "seed directory not found")
    _check_unknown_files(directory)
    nodes = _load_nodes(directory)
    local = _scope_owned_codes(nodes)
    codes = _codes(nodes)
    rel_sets = [
        RelSet(s.type, s.from_label, s.to_label, _load_rel_file(directory, s, codes, local))
        for s in REL_FILES
    ]
    rel_sets += [
        RelSet(d.type, d.from_label, d.to_label, _derive(d, nodes, codes)) for d in DERIVED_RELS
    ]
    for ref in CHECKED_REFERENCES:
        _derive(ref, nodes, codes)
    rels = _merge(rel_sets)
    _check_unique_map_ids(rels)
    _check_referencing(nodes, rels)
    node_sets = [NodeSet(label, [r.values for r in rows]) for label, rows in nodes.items()]
    return SeedBundle(nodes=node_sets, rels=rels)
