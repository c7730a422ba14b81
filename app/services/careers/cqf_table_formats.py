"""The CQF table as a flat sheet: CSV (UTF-8 with BOM, lists joined with " | "), XLSX
(openpyxl: header row, frozen panes, the evidence notice on the sheet) and the W3C CSV on
the Web metadata that lets the CSV be read as linked data.

One flattening (``columns`` + ``flat_rows``) feeds all three, so a spreadsheet and the CSV
always show the same cells; each column says how its cells are derived.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.services.careers.cqf_table import ACADEMIC, DEFINITIONS

SEPARATOR = " | "
CSV_MEDIA = "text/csv"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSVW_MEDIA = "application/csvm+json"
EVIDENCE = ("weakest evidence status of the cell: verified, unverified or illustrative "
            "(empty when the cell is empty)")


@dataclass(frozen=True)
class Column:
    name: str  # a CSVW column name (letters, digits, _)
    title: str
    description: str
    value: Callable[[dict[str, Any]], str | int]
    datatype: str = "string"
    separator: str | None = None


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _join(items: list[str]) -> str:
    return SEPARATOR.join(items)


def _equivalences(cell: dict[str, Any] | None) -> str:
    values = (cell or {}).get("values", [])
    return _join([f"{v['level']} ({v['match_type']}, {v['confidence']:g})" for v in values])


def _paths(cell: dict[str, Any] | None) -> str:
    return _join([" > ".join(v["path"]) or "(same framework)"
                  for v in (cell or {}).get("values", [])])


def _evidence(cell: dict[str, Any] | None) -> str:
    return (cell or {}).get("evidence_status") or ""


def _equivalence_columns(key: str, title: str,
                         get: Callable[[dict[str, Any]], dict[str, Any] | None]) -> list[Column]:
    return [
        Column(key, title, DEFINITIONS["equivalence"] + "; shown as LEVEL (match type, "
               "confidence)", lambda r: _equivalences(get(r)), separator=SEPARATOR),
        Column(f"{key}_path", f"{title}: mapping path",
               "mapping ids along each equivalence's path, in the same order",
               lambda r: _paths(get(r)), separator=SEPARATOR),
        Column(f"{key}_evidence", f"{title}: evidence", EVIDENCE, lambda r: _evidence(get(r))),
    ]


def columns(answer: dict[str, Any]) -> list[Column]:
    """The flat columns of this answer (frameworks and administration add their own)."""
    cols = [
        Column("level", "CQF level", "the CQF level's code (rows in level order)",
               lambda r: r["level"]["code"]),
        Column("level_name", "Level name", "the level's name (French where the graph has it "
               "and lang=fr)", lambda r: r["level"]["name"] or ""),
        Column("level_iri", "Level IRI", "the level's dereferenceable IRI",
               lambda r: r["level"].get("iri") or ""),
        Column("level_evidence", "Level: evidence", EVIDENCE,
               lambda r: r["level"].get("evidence_status") or ""),
    ]
    titles = {"eqf": "EQF", "isced": "ISCED 2011", "qf_ehea": "QF-EHEA cycle"}
    for key, _fw in ACADEMIC:
        cols += _equivalence_columns(key, titles[key], lambda r, k=key: r[k])
    cols += [
        Column("picard_tier", "PICARD tier", DEFINITIONS["picard_tier"],
               lambda r: _join([v["code"] for v in r["picard_tier"]["values"]]),
               separator=SEPARATOR),
        Column("picard_tier_evidence", "PICARD tier: evidence", EVIDENCE,
               lambda r: _evidence(r["picard_tier"])),
    ]
    for fw in answer["frameworks"]:
        cols += _equivalence_columns(_name(f"national_{fw}"), fw,
                                     lambda r, f=fw: r["national"][f])
    if answer.get("administration"):
        cols += _equivalence_columns(_name(f"administration_{answer['administration']}"),
                                     f"{answer['administration']} grades",
                                     lambda r: r["administration"])
    cols += _people_columns() + _group_columns(answer)
    return cols


def _people_columns() -> list[Column]:
    return [
        Column("job_profiles", "Job profiles", DEFINITIONS["job_profiles"],
               lambda r: _join([v["code"] for v in r["job_profiles"]["values"]]),
               separator=SEPARATOR),
        Column("job_profiles_evidence", "Job profiles: evidence", EVIDENCE,
               lambda r: _evidence(r["job_profiles"])),
        Column("generic_roles", "Generic roles", DEFINITIONS["generic_roles"],
               lambda r: _join([v["code"] for v in r["generic_roles"]["values"]]),
               separator=SEPARATOR),
        Column("tasks", "Professional tasks", DEFINITIONS["tasks"] + "; shown as TASK "
               "(profiles)", lambda r: _join([f"{v['code']} ({v['profiles']})"
                                              for v in r["tasks"]["values"]]),
               separator=SEPARATOR),
        Column("tasks_evidence", "Tasks: evidence", EVIDENCE, lambda r: _evidence(r["tasks"])),
    ]


def _group_columns(answer: dict[str, Any]) -> list[Column]:
    cols = []
    for group in answer["groups"]:
        g = group["code"]
        key = _name(f"group_{g}")

        def cell(r: dict[str, Any], g: str = g) -> dict[str, Any]:
            return r["competency_groups"][g]

        cols += [
            Column(f"{key}_typical", f"{g}: typical proficiency",
                   DEFINITIONS["typical_proficiency"],
                   lambda r, c=cell: c(r)["typical_proficiency"] or ""),
            Column(f"{key}_requirements", f"{g}: requirements counted",
                   "number of requirements behind the typical proficiency",
                   lambda r, c=cell: c(r)["requirements"], datatype="integer"),
            Column(f"{key}_profiles", f"{g}: profiles counted",
                   "number of profiles behind the typical proficiency",
                   lambda r, c=cell: c(r)["profiles"], datatype="integer"),
            Column(f"{key}_competencies", f"{g}: most required competencies",
                   DEFINITIONS["top_competencies"] + "; shown as COMPETENCY (profiles)",
                   lambda r, c=cell: _join([f"{v['code']} ({v['profiles']})"
                                            for v in c(r)["top_competencies"]]),
                   separator=SEPARATOR),
            Column(f"{key}_evidence", f"{g}: evidence", EVIDENCE,
                   lambda r, c=cell: _evidence(c(r))),
        ]
    return cols


def flat_rows(answer: dict[str, Any]) -> tuple[list[Column], list[list[str | int]]]:
    cols = columns(answer)
    return cols, [[c.value(row) for c in cols] for row in answer["rows"]]


def to_csv(answer: dict[str, Any], bom: bool = True) -> bytes:
    """UTF-8, header row first; with a byte-order mark by default, so spreadsheets open it
    as UTF-8 (CSVW readers are pointed at the same CSV without it)."""
    cols, rows = flat_rows(answer)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.title for c in cols])
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _safe(value: str | int) -> str | int:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(answer: dict[str, Any]) -> bytes:
    """One sheet: header row (frozen with the level column), one row per level, then the
    evidence notice; a second sheet says how each column is derived."""
    cols, rows = flat_rows(answer)
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook starts with one worksheet
        sheet = book.create_sheet()
    sheet.title = "CQF table"
    sheet.append([c.title for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "B2"
    for i, col in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = 14 if col.datatype == "integer" \
            else 28
    notice_row = len(rows) + 3
    sheet.cell(notice_row, 1, "Evidence")
    sheet.cell(notice_row, 1).font = Font(bold=True)
    sheet.cell(notice_row, 2, _notice(answer))
    about = book.create_sheet("Columns")
    about.append(["Column", "Title", "Derivation"])
    for col in cols:
        about.append([col.name, col.title, col.description])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _notice(answer: dict[str, Any]) -> str:
    status = answer.get("evidence_status") or "none"
    base = f"Weakest evidence in this table: {status}. "
    return base + (answer.get("notice") or "Every cell's evidence is in its '... evidence' "
                   "column; the 'Columns' sheet says how each column is derived.")


def csvw_metadata(answer: dict[str, Any], csv_url: str) -> dict[str, Any]:
    """W3C CSVW metadata for the CSV at ``csv_url`` (relative to the metadata document)."""
    cols = columns(answer)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": answer.get("lang", "en")}],
        "url": csv_url,
        "dc:title": "CQF table of equivalence",
        "dc:description": _notice(answer),
        "dc:publisher": "CQF Graph",
        "dialect": {"encoding": "utf-8", "header": True, "headerRowCount": 1},
        "tableSchema": {
            "aboutUrl": "{+level_iri}",
            "primaryKey": ["level"],
            "columns": [_csvw_column(c) for c in cols],
        },
    }


def _csvw_column(col: Column) -> dict[str, Any]:
    described: dict[str, Any] = {"name": col.name, "titles": col.title,
                                 "dc:description": col.description, "datatype": col.datatype}
    if col.separator:
        described["separator"] = col.separator
    if col.name == "level_iri":  # the row's subject (aboutUrl), not a property of it
        described["suppressOutput"] = True
    return described
