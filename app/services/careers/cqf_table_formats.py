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

from app.domain.text import N_
from app.services.careers.cqf_table import ACADEMIC, PLAIN
from app.services.messages import Words

SEPARATOR = " | "
CSV_MEDIA = "text/csv"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSVW_MEDIA = "application/csvm+json"
COMMENT = "#"  # a CSV line starting with it is a comment (the notice; CSVW commentPrefix)
EVIDENCE = N_("The weakest evidence behind the cell: verified, unverified or illustrative "
              "(empty when the cell is empty).")
TABLE_NOTICE = N_("This table rests on illustrative data: the CQF level scale and the job "
                  "profiles are invented for demonstration. It shows how the table is derived; "
                  "it is not an endorsed equivalence.")
EVIDENCE_NOTICE = N_("Weakest evidence in this table: %(status)s.")
COLUMNS_NOTICE = N_("Each cell's evidence is in its evidence column; the Columns sheet says "
                    "how each column is derived.")
STATUS_WORDS = {"verified": N_("verified"), "unverified": N_("unverified"),
                "illustrative": N_("illustrative")}
MATCH_WORDS = {"exactMatch": N_("exact"), "closeMatch": N_("close"),
               "broadMatch": N_("broad (the target is broader)"),
               "narrowMatch": N_("narrow (the target is narrower)"),
               "relatedMatch": N_("related only")}
PROFICIENCY_WORDS = {"aware": N_("aware"), "trained": N_("trained"), "advanced": N_("advanced"),
                     "expert": N_("expert")}


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


def _named(value: dict[str, Any]) -> str:
    """A reference as people read it: its name, the code after it."""
    name, code = value.get("name"), value.get("code") or value.get("level") or ""
    return f"{name} ({code})" if name and name != code else str(code)


class _Sheet:
    """The flat columns of one answer in one language."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.w = Words(answer.get("lang"))

    def word(self, table: dict[str, str], code: str | None) -> str:
        return self.w(table[code]) if code in table else (code or "")

    def profiles(self, n: int) -> str:
        return self.w.plural("%(num)s profile", "%(num)s profiles", n)  # the pair is the page's

    def equivalences(self, cell: dict[str, Any] | None) -> str:
        return _join([f"{_named(v)}: {self.word(MATCH_WORDS, v['match_type'])}, "
                      f"{v['confidence']:g}" for v in (cell or {}).get("values", [])])

    def paths(self, cell: dict[str, Any] | None) -> str:
        same = "(" + self.w(N_("same framework")) + ")"
        return _join([" > ".join(v["path"]) or same for v in (cell or {}).get("values", [])])

    def evidence(self, cell: dict[str, Any] | None) -> str:
        return self.word(STATUS_WORDS, (cell or {}).get("evidence_status"))

    def equivalence_columns(self, key: str, title: str,
                            get: Callable[[dict[str, Any]], dict[str, Any] | None]
                            ) -> list[Column]:
        w = self.w
        return [
            Column(key, title, w(PLAIN["equivalence"]) + " " + w(
                N_("Shown as: level (code): match, confidence.")),
                lambda r: self.equivalences(get(r)), separator=SEPARATOR),
            Column(f"{key}_path", w(N_("%(column)s: mapping path"), column=title),
                   w(N_("The identifiers of the mappings along each correspondence, in the "
                        "same order.")), lambda r: self.paths(get(r)), separator=SEPARATOR),
            Column(f"{key}_evidence", w(N_("%(column)s: evidence"), column=title),
                   w(EVIDENCE), lambda r: self.evidence(get(r))),
        ]

    def columns(self) -> list[Column]:
        """The flat columns of this answer (frameworks and administration add their own)."""
        answer, w = self.answer, self.w
        cols = [
            Column("level", w(N_("CQF level")), w(N_("The CQF level's code (rows in level "
                                                   "order).")),
                   lambda r: r["level"]["code"]),
            Column("level_name", w(N_("Level name")), w(N_("The level's name.")),
                   lambda r: r["level"]["name"] or ""),
            Column("level_iri", w(N_("Level IRI")), w(N_("The level's web address (linked "
                                                       "data).")),
                   lambda r: r["level"].get("iri") or ""),
            Column("level_evidence", w(N_("Level: evidence")), w(EVIDENCE),
                   lambda r: self.word(STATUS_WORDS, r["level"].get("evidence_status"))),
        ]
        titles = {"eqf": w(N_("EQF level")), "isced": w(N_("ISCED 2011 level")),
                  "qf_ehea": w(N_("Bologna cycle"))}
        for key, _fw in ACADEMIC:
            cols += self.equivalence_columns(key, titles[key], lambda r, k=key: r[k])
        cols += [
            Column("picard_tier", w(N_("PICARD tier")), w(PLAIN["picard_tier"]),
                   lambda r: _join([_named(v) for v in r["picard_tier"]["values"]]),
                   separator=SEPARATOR),
            Column("picard_tier_evidence", w(N_("%(column)s: evidence"),
                                             column=w(N_("PICARD tier"))), w(EVIDENCE),
                   lambda r: self.evidence(r["picard_tier"])),
        ]
        for fw in answer["frameworks"]:
            cols += self.equivalence_columns(_name(f"national_{fw}"), fw,
                                             lambda r, f=fw: r["national"][f])
        if answer.get("administration"):
            cols += self.equivalence_columns(
                _name(f"administration_{answer['administration']}"),
                w(N_("Grades of %(adm)s"), adm=answer["administration"]),
                lambda r: r["administration"])
        return cols + self.people_columns() + self.group_columns()

    def people_columns(self) -> list[Column]:
        w = self.w
        return [
            Column("job_profiles", w(N_("Job profiles")), w(PLAIN["job_profiles"]),
                   lambda r: _join([_named(v) for v in r["job_profiles"]["values"]]),
                   separator=SEPARATOR),
            Column("job_profile_codes", w(N_("Job profiles: codes")),
                   w(N_("The codes of the same job profiles, in the same order.")),
                   lambda r: _join([v["code"] for v in r["job_profiles"]["values"]]),
                   separator=SEPARATOR),
            Column("job_profiles_evidence", w(N_("%(column)s: evidence"),
                                              column=w(N_("Job profiles"))), w(EVIDENCE),
                   lambda r: self.evidence(r["job_profiles"])),
            Column("generic_roles", w(N_("Generic roles")), w(PLAIN["generic_roles"]),
                   lambda r: _join([_named(v) for v in r["generic_roles"]["values"]]),
                   separator=SEPARATOR),
            Column("tasks", w(N_("Professional tasks")), w(PLAIN["tasks"]),
                   lambda r: _join([f"{_named(v)}: {self.profiles(v['profiles'])}"
                                    for v in r["tasks"]["values"]]), separator=SEPARATOR),
            Column("tasks_evidence", w(N_("%(column)s: evidence"),
                                       column=w(N_("Professional tasks"))), w(EVIDENCE),
                   lambda r: self.evidence(r["tasks"])),
        ]

    def group_columns(self) -> list[Column]:
        w = self.w
        cols = []
        for group in self.answer["groups"]:
            g = group["code"]
            key, title = _name(f"group_{g}"), group.get("name") or g

            def cell(r: dict[str, Any], g: str = g) -> dict[str, Any]:
                return r["competency_groups"][g]

            cols += [
                Column(f"{key}_typical", w(N_("%(group)s: typical proficiency"), group=title),
                       w(PLAIN["typical_proficiency"]),
                       lambda r, c=cell: self.word(PROFICIENCY_WORDS,
                                                   c(r)["typical_proficiency"])),
                Column(f"{key}_requirements", w(N_("%(group)s: requirements counted"),
                                                group=title),
                       w(N_("How many requirements the typical proficiency rests on.")),
                       lambda r, c=cell: c(r)["requirements"], datatype="integer"),
                Column(f"{key}_profiles", w(N_("%(group)s: profiles counted"), group=title),
                       w(N_("How many job profiles the typical proficiency rests on.")),
                       lambda r, c=cell: c(r)["profiles"], datatype="integer"),
                Column(f"{key}_competencies", w(N_("%(group)s: most required competencies"),
                                                group=title),
                       w(PLAIN["top_competencies"]),
                       lambda r, c=cell: _join([f"{_named(v)}: {self.profiles(v['profiles'])}"
                                                for v in c(r)["top_competencies"]]),
                       separator=SEPARATOR),
                Column(f"{key}_evidence", w(N_("%(column)s: evidence"), column=title),
                       w(EVIDENCE), lambda r, c=cell: self.evidence(c(r))),
            ]
        return cols

    def notice(self) -> str:
        answer, w = self.answer, self.w
        status = self.word(STATUS_WORDS, answer.get("evidence_status")) or "\u2014"
        text = w(EVIDENCE_NOTICE, status=status)
        return text + " " + (w(TABLE_NOTICE) if answer.get("illustrative")
                             else w(COLUMNS_NOTICE))


def columns(answer: dict[str, Any]) -> list[Column]:
    return _Sheet(answer).columns()


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
    # The notice closes the file: a spreadsheet shows it under the rows, a CSVW reader skips
    # it as a comment (the metadata's commentPrefix).
    writer.writerow([f"{COMMENT} {_Sheet(answer).notice()}"])
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
    sheet_words = _Sheet(answer)
    w = sheet_words.w
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook starts with one worksheet
        sheet = book.create_sheet()
    sheet.title = w(N_("CQF table"))[:31]
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
    sheet.cell(notice_row, 1, w(N_("Evidence")))
    sheet.cell(notice_row, 1).font = Font(bold=True)
    sheet.cell(notice_row, 2, sheet_words.notice())
    about = book.create_sheet(w(N_("Columns"))[:31])
    about.append([w(N_("Column")), w(N_("Title")), w(N_("How it is derived"))])
    for col in cols:
        about.append([col.name, col.title, col.description])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csvw_metadata(answer: dict[str, Any], csv_url: str) -> dict[str, Any]:
    """W3C CSVW metadata for the CSV at ``csv_url`` (relative to the metadata document)."""
    cols = columns(answer)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": answer.get("lang", "en")}],
        "url": csv_url,
        "dc:title": Words(answer.get("lang"))(N_("CQF table of equivalence")),
        "dc:description": _Sheet(answer).notice(),
        "dc:publisher": "CQF Graph",
        "dialect": {"encoding": "utf-8", "header": True, "headerRowCount": 1,
                    "commentPrefix": COMMENT},
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
