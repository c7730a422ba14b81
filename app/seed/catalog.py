"""Read and validate the project's sourced seed data (`seed_data/*.csv`) without a database.

The CSV files are the single source of truth for seeded facts. This module turns them into
plain Python structures so that a database loader, the API tests and reviewers all see the same
validated data. Validation happens here, while reading, because a bad row (an unknown status, a
dangling code, a confidence of 1.5) must be caught with its file and line number before it
reaches a graph where it would be much harder to trace.

Each file is read with the pydantic model of its table (``app.seed.rows``, built on the
domain's vocabulary); this module adds the checks that need more than one row: unique codes,
references to seeded nodes, unique mapping ids, and a framework's referencing status against
its EQF mappings.

Relationships that merely restate a node property (a Level's `framework`, a Competency's
`group`, ...) are derived from that property instead of being kept in a second file, so the two
can never disagree. See `seed_data/README.md` for the file-by-file description.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.domain.identity import course_key, programme_key
from app.domain.vocab import (
    EvidenceStatus,
    MappingMethod,
    NodeLabel,
    ReferencingStatus,
    RelationshipType,
)
from app.seed import rows as r

L, T = NodeLabel, RelationshipType


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

    label: NodeLabel
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class RelSet:
    """All seeded relationships of one (type, from label, to label) triple, in file order."""

    type: RelationshipType
    from_label: NodeLabel
    to_label: NodeLabel
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
        return {s.value: counts[s] for s in sorted(EvidenceStatus)}

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
    """One node file and the model of its rows (which names the label)."""

    file: str
    model: type[r.NodeRow]


@dataclass(frozen=True)
class RelFile:
    """One relationship file: its type, the labels it joins and the model of its rows."""

    file: str
    type: RelationshipType
    from_label: NodeLabel
    to_label: NodeLabel
    model: type[r.LinkRow] = r.LinkRow


@dataclass(frozen=True)
class DerivedRel:
    """A relationship read from a node property that holds the target's code."""

    type: RelationshipType | None
    from_label: NodeLabel
    prop: str
    to_label: NodeLabel


NODE_FILES: tuple[NodeFile, ...] = (
    NodeFile("frameworks.csv", r.FrameworkRow),
    NodeFile("levels_eqf.csv", r.LevelRow),
    NodeFile("levels_isced.csv", r.LevelRow),
    NodeFile("levels_qf_ehea.csv", r.LevelRow),
    NodeFile("levels_national.csv", r.LevelRow),
    NodeFile("levels_cqf.csv", r.LevelRow),
    NodeFile("levels_grade_scales.csv", r.LevelRow),
    NodeFile("proficiency_levels.csv", r.ProficiencyLevelRow),
    NodeFile("competency_groups.csv", r.CompetencyGroupRow),
    NodeFile("competencies_operational.csv", r.CompetencyRow),
    NodeFile("competencies_placeholder_illustrative.csv", r.CompetencyRow),
    NodeFile("competencies_esco.csv", r.CompetencyRow),
    NodeFile("occupations.csv", r.OccupationRow),
    NodeFile("functional_domains.csv", r.FunctionalDomainRow),
    NodeFile("generic_roles.csv", r.GenericRoleRow),
    NodeFile("job_families.csv", r.JobFamilyRow),
    NodeFile("professional_tasks.csv", r.ProfessionalTaskRow),
    NodeFile("administrations.csv", r.AdministrationRow),
    NodeFile("job_profiles.csv", r.JobProfileRow),
    NodeFile("picard_standards.csv", r.PicardStandardRow),
    NodeFile("institutions.csv", r.InstitutionRow),
    NodeFile("programmes.csv", r.ProgrammeRow),
    NodeFile("courses.csv", r.CourseRow),
)

REL_FILES: tuple[RelFile, ...] = (
    RelFile("mappings_nqf_eqf.csv", T.MAPS_TO, L.LEVEL, L.LEVEL, r.ReferencingMappingRow),
    RelFile("mappings_qf_ehea_eqf.csv", T.MAPS_TO, L.LEVEL, L.LEVEL, r.MappingRow),
    RelFile("mappings_isced_eqf.csv", T.MAPS_TO, L.LEVEL, L.LEVEL, r.MappingRow),
    RelFile("mappings_cqf_eqf.csv", T.MAPS_TO, L.LEVEL, L.LEVEL, r.MappingRow),
    RelFile("mappings_grades_cqf.csv", T.MAPS_TO, L.LEVEL, L.LEVEL, r.MappingRow),
    RelFile("occupation_in_isco_group.csv", T.IN_ISCO_GROUP, L.OCCUPATION, L.OCCUPATION),
    RelFile("task_in_family.csv", T.IN_FAMILY, L.PROFESSIONAL_TASK, L.JOB_FAMILY),
    RelFile("job_profile_in_family.csv", T.IN_FAMILY, L.JOB_PROFILE, L.JOB_FAMILY),
    RelFile("job_profile_at_level.csv", T.AT_LEVEL, L.JOB_PROFILE, L.LEVEL),
    RelFile("requires.csv", T.REQUIRES, L.JOB_PROFILE, L.COMPETENCY, r.RequiresRow),
    RelFile("performs.csv", T.PERFORMS, L.JOB_PROFILE, L.PROFESSIONAL_TASK, r.SourcedLinkRow),
    RelFile("draws_on.csv", T.DRAWS_ON, L.PROFESSIONAL_TASK, L.COMPETENCY, r.SourcedLinkRow),
    RelFile("related_occupation.csv", T.RELATED_OCCUPATION, L.JOB_FAMILY, L.OCCUPATION,
            r.SourcedLinkRow),
    RelFile("recognised_against.csv", T.RECOGNISED_AGAINST, L.PROGRAMME, L.PICARD_STANDARD,
            r.RecognisedAgainstRow),
    RelFile("develops.csv", T.DEVELOPS, L.COURSE, L.COMPETENCY, r.DevelopsRow),
    RelFile("aligns_with.csv", T.ALIGNS_WITH, L.COURSE, L.PICARD_STANDARD, r.AlignsWithRow),
)

DERIVED_RELS: tuple[DerivedRel, ...] = (
    DerivedRel(T.IN_FRAMEWORK, L.LEVEL, "framework", L.FRAMEWORK),
    DerivedRel(T.IN_GROUP, L.COMPETENCY, "group", L.COMPETENCY_GROUP),
    DerivedRel(T.IN_DOMAIN, L.JOB_PROFILE, "domain", L.FUNCTIONAL_DOMAIN),
    DerivedRel(T.HAS_ROLE, L.JOB_PROFILE, "generic_role", L.GENERIC_ROLE),
    DerivedRel(T.IN_ADMINISTRATION, L.JOB_PROFILE, "administration", L.ADMINISTRATION),
    DerivedRel(T.USES_SCALE, L.ADMINISTRATION, "scale", L.FRAMEWORK),
    DerivedRel(T.PART_OF, L.PICARD_STANDARD, "tier", L.PICARD_STANDARD),
    DerivedRel(T.OFFERED_BY, L.PROGRAMME, "institution", L.INSTITUTION),
    DerivedRel(T.AT_LEVEL, L.PROGRAMME, "level", L.LEVEL),
    DerivedRel(T.PART_OF, L.COURSE, "programme", L.PROGRAMME),
)

# Code-valued properties that are checked but not turned into edges (the graph model has no
# Course -> Institution relationship; the course reaches its institution through its programme).
CHECKED_REFERENCES: tuple[DerivedRel, ...] = (
    DerivedRel(None, L.COURSE, "institution", L.INSTITUTION),
)


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Row:
    """A validated row plus where it came from, so later checks can still cite file and line."""

    values: dict[str, Any]
    file: str
    line: int


def _read_rows(path: Path, model: type[r.SeedRow]) -> Iterator[_Row]:
    """Yield the validated rows of a CSV file whose header must hold exactly the model's
    columns."""
    if not path.is_file():
        raise SeedDataError(path.name, None, "file is missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        _check_header(path.name, reader.fieldnames, model.columns())
        for raw in reader:
            if None in raw:  # csv puts surplus cells under the key None
                raise SeedDataError(path.name, reader.line_num,
                                    "row has more cells than the header")
            try:
                row = model.model_validate(raw)
            except ValidationError as exc:
                raise SeedDataError(path.name, reader.line_num,
                                    "; ".join(_messages(model, exc))) from None
            yield _Row(row.as_props(), path.name, reader.line_num)


def _check_header(file: str, header: Sequence[str] | None, columns: list[str]) -> None:
    """Refuse missing columns (data would be lost) and unknown ones (likely typos)."""
    found = list(header or [])
    missing = [c for c in columns if c not in found]
    unknown = [c for c in found if c not in columns]
    if missing or unknown:
        raise SeedDataError(file, 1, f"header mismatch: missing {missing}, unknown {unknown}")


def _messages(model: type[r.SeedRow], exc: ValidationError) -> Iterator[str]:
    """One sentence per problem, naming the column, the value and (for a closed list) the
    allowed values."""
    for error in exc.errors(include_url=False):
        context = error.get("ctx") or {}
        if error["type"] == r.RULE:
            yield str(context["message"])
            continue
        column = str(error["loc"][0]) if error["loc"] else ""
        allowed = context.get("allowed") or r.allowed_values(model, column)
        if error["type"] in ("enum", r.VOCABULARY) and allowed:
            yield f"{column} {error['input']!r} not in {list(allowed)}"
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            yield f"column {column!r}: {message}"


# ----------------------------------------------------------------------------- assembly


def _load_nodes(directory: Path) -> dict[NodeLabel, list[_Row]]:
    """Read every node file, grouped by label in declaration order, with unique codes."""
    by_label: dict[NodeLabel, list[_Row]] = {}
    seen: dict[tuple[str, str], _Row] = {}
    for spec in NODE_FILES:
        label = spec.model.label
        for row in _read_rows(directory / spec.file, spec.model):
            key = (label, row.values["code"])
            if key in seen:
                first = seen[key]
                raise SeedDataError(
                    row.file,
                    row.line,
                    f"duplicate {label} code {key[1]!r} (first at {first.file}:{first.line})",
                )
            seen[key] = row
            by_label.setdefault(label, []).append(row)
    return by_label


# Labels whose codes belong to an institution: scoped into a key (``app.domain.identity``).
SCOPED_LABELS = (L.PROGRAMME, L.COURSE)


def _scope_owned_codes(nodes: dict[NodeLabel, list[_Row]]) -> dict[str, dict[str, str]]:
    """Programmes and courses are keyed ``INSTITUTION/PROGRAMME[/COURSE]``; the file's code
    becomes ``local_code``. Returns, per label, each local code's key, for the relationship
    files that name them by the code the institution uses (a code two owners share there
    is refused: the file could not say which one it means)."""
    local: dict[str, dict[str, str]] = {}
    for label in SCOPED_LABELS:
        for row in nodes.get(label, []):
            values, code = row.values, row.values["code"]
            if label == L.PROGRAMME:
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


def _codes(nodes: dict[NodeLabel, list[_Row]]) -> dict[str, set[str]]:
    return {label: {r.values["code"] for r in rows} for label, rows in nodes.items()}


def _check_endpoint(row: _Row, codes: dict[str, set[str]], label: str, code: str, end: str) -> None:
    if code not in codes.get(label, set()):
        raise SeedDataError(row.file, row.line, f"{end} {code!r} is not a seeded {label}")


def _load_rel_file(directory: Path, spec: RelFile, codes: dict[str, set[str]],
                   local: dict[str, dict[str, str]] | None = None) -> list[dict]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    local = local or {}
    for row in _read_rows(directory / spec.file, spec.model):
        frm: str = row.values["from"]  # both set: the row model checked them
        to: str = row.values["to"]
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
    spec: DerivedRel, nodes: dict[NodeLabel, list[_Row]], codes: dict[str, set[str]]
) -> list[dict[str, Any]]:
    """Relationships implied by a node property; a dangling code is reported on the node row."""
    rows: list[dict[str, Any]] = []
    for node in nodes.get(spec.from_label, []):
        target = node.values.get(spec.prop)
        if target is None:
            continue
        if spec.from_label == L.COURSE and spec.to_label == L.PROGRAMME:
            target = programme_key(str(node.values.get("institution")), target)
        _check_endpoint(node, codes, spec.to_label, target, spec.prop)
        rows.append({"from": node.values["code"], "to": target, "props": {}})
    return rows


def _merge(sets: Iterable[RelSet]) -> list[RelSet]:
    """One RelSet per (type, from, to) triple, in first-seen order, so loaders batch simply."""
    merged: dict[tuple[RelationshipType, NodeLabel, NodeLabel], list[dict[str, Any]]] = {}
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
    ids = Counter(r["props"]["id"] for rs in rels if rs.type == T.MAPS_TO for r in rs.rows)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise SeedDataError("mappings_*.csv", None, f"duplicate MAPS_TO ids {duplicates}")


_EVIDENCE_OF_STATUS = {
    ReferencingStatus.VERIFIED: {EvidenceStatus.VERIFIED},
    ReferencingStatus.UNVERIFIED: {EvidenceStatus.UNVERIFIED},
    ReferencingStatus.PARTLY_VERIFIED: {EvidenceStatus.VERIFIED, EvidenceStatus.UNVERIFIED},
}


def _referencing_mismatch(status: str, mappings: list[dict[str, Any]]) -> str | None:
    evidence = {m["props"]["status"] for m in mappings}
    if status in (ReferencingStatus.NONE, ReferencingStatus.NO_LEVEL_TABLE):
        return f"{len(mappings)} EQF mappings seeded" if mappings else None
    if not mappings:
        return "no EQF mapping seeded"
    if status == ReferencingStatus.COMPARISON:
        methods = {m["props"]["method"] for m in mappings}
        return None if methods == {MappingMethod.COMPARISON_STUDY} else \
            f"methods {sorted(methods)}"
    expected = _EVIDENCE_OF_STATUS[ReferencingStatus(status)]
    return None if evidence == expected else f"mapping evidence {sorted(evidence)}"


def _check_referencing(nodes: dict[NodeLabel, list[_Row]], rels: list[RelSet]) -> None:
    """A framework's ``referencing_status`` restates what its EQF mappings show; checked here
    so the two cannot drift apart."""
    framework_of = {r.values["code"]: r.values["framework"] for r in nodes.get(L.LEVEL, [])}
    to_eqf: dict[str, list[dict[str, Any]]] = {}
    for rs in rels:
        for m in rs.rows if rs.type == T.MAPS_TO else ():
            if framework_of.get(m["to"]) == "EQF":
                to_eqf.setdefault(framework_of.get(m["from"], ""), []).append(m)
    for row in nodes.get(L.FRAMEWORK, []):
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
        RelSet(d.type, d.from_label, d.to_label, _derive(d, nodes, codes))
        for d in DERIVED_RELS if d.type is not None
    ]
    for ref in CHECKED_REFERENCES:
        _derive(ref, nodes, codes)
    rels = _merge(rel_sets)
    _check_unique_map_ids(rels)
    _check_referencing(nodes, rels)
    node_sets = [NodeSet(label, [r.values for r in rows]) for label, rows in nodes.items()]
    return SeedBundle(nodes=node_sets, rels=rels)
