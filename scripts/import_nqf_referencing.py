"""Turn the NQF -> EQF referencing research table into seed rows (frameworks, levels, mappings).

    python scripts/import_nqf_referencing.py PATH/TO/nqf_eqf_referencing_more.csv

The research table ("NQF → EQF referencing, more countries") gives, per national level, the
EQF level, the relation, the referencing year, an evidence status, the source and a verbatim
quote. This script rewrites, in ``seed_data/``, the rows of the frameworks it manages (the
table's frameworks plus the year-only frameworks of its note, listed in ``YEAR_ONLY``) and
leaves every other row untouched, so re-running it after the table changes gives the same
seed data the table implies. The conventions applied are those of ``seed_data/README.md``
(referencing is not identity: one-to-one -> closeMatch, several national levels on one EQF
level -> broadMatch, one national level split across EQF levels -> relatedMatch with a note).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed_data"

MATCH = {"one-to-one": "closeMatch", "many-to-one": "broadMatch", "one-to-many": "relatedMatch"}
NOTE = {
    "one-to-one": "one-to-one referencing; closeMatch because referencing is not identity",
    "many-to-one": "several national levels share this EQF level",
}
# README confidence table: official referencing read from an official publisher (verified),
# or stated only by a secondary source / only implied by an official page (unverified).
CONFIDENCE = {"verified": 0.95, "unverified": 0.70}

# framework -> (ISO 3166-1 alpha-2 country, level name prefix, default quote language)
FRAMEWORKS: dict[str, tuple[str, str, str]] = {
    "AT-NQR": ("AT", "Austrian NQR", "en"),
    "PL-PRK": ("PL", "Polish PRK", "pl"),
    "SI-SOK": ("SI", "Slovenian SOK", "en"),
    "HR-HKO": ("HR", "Croatian HKO", "hr"),
    "IT-QNQ": ("IT", "Italian QNQ", "it"),
    "PT-QNQ": ("PT", "Portuguese QNQ", "en"),
    "CZ-NSK": ("CZ", "Czech NSK", "en"),
    "SK-SKKR": ("SK", "Slovak SKKR", "sk"),
    "EE-EKR": ("EE", "Estonian EKR", "et"),
    "LV-LKI": ("LV", "Latvian LKI", "lv"),
    "LT-LTKS": ("LT", "Lithuanian LTKS", "lt"),
    "SE-SeQF": ("SE", "Swedish SeQF", "en"),
    "CH-NQF-VPQ": ("CH", "Swiss NQF VPQ", "fr"),
    "BE-FL-VKS": ("BE", "Flemish VKS", "nl"),
    "GR-HQF": ("GR", "Hellenic HQF", "en"),
    "CY-CyQF": ("CY", "Cyprus CyQF", "en"),
    "IS-ISQF": ("IS", "Icelandic ISQF", "en"),
    "FI-FiNQF": ("FI", "Finnish FiNQF", "en"),
    "ES-MECES": ("ES", "Spanish MECES", "nl"),
    "MT-MQF": ("MT", "Malta MQF", "en"),
}
# Quotes whose language differs from the framework's default (read from each quote).
LANGUAGE: dict[tuple[str, str], str] = {
    ("SI-SOK", "3"): "sl", ("SI-SOK", "4"): "sl", ("SI-SOK", "8"): "sl",
    ("HR-HKO", "4.2"): "en", ("HR-HKO", "5"): "en",
    ("CH-NQF-VPQ", "6"): "de",
}
# Frameworks written with sub-levels: ordinal = 10 x main level + position of the sub-level,
# so siblings not yet in the graph keep a place. Parallel strands (HR .st/.sv) share one.
SUB_LEVEL_ORDINALS: dict[str, dict[str, int]] = {
    "HR-HKO": {"4.2": 42, "5": 50, "6.st": 60, "6.sv": 60, "7.1.st": 71, "7.1.sv": 71},
    "CY-CyQF": {"1": 10, "2": 20, "3": 30, "4": 40, "5a": 51, "5b": 52, "5c": 53, "6": 60,
                "7a": 71, "7b": 72, "7c": 73, "8": 80},
    "IS-ISQF": {"1": 10, "5.1": 51, "5.2": 52, "6.1": 61, "6.2": 62, "7": 70},
}
# Qualifications that the quote itself names at a level (nothing else is added).
EXAMPLES: dict[tuple[str, str], str] = {
    ("SI-SOK", "6"): "Short-cycle higher education study programmes",
    ("SI-SOK", "7"): "First cycle programmes",
    ("SI-SOK", "8"): "Diploma druge stopnje (second cycle)",
    ("SI-SOK", "9"): "Specialisation diploma following academic higher education; "
                     "Pre-Bologna Research Master's Degree (magister znanosti)",
    ("SI-SOK", "10"): "Diploma tretje stopnje (doctorate, third level)",
    ("HR-HKO", "4.2"): "Svjedodžba o državnoj maturi (certificate of state matura exam)",
    ("HR-HKO", "5"): "Stručni pristupnik/pristupnica (professional associate degree)",
    ("HR-HKO", "6.st"): "professional undergraduate studies (stručni preddiplomski)",
    ("HR-HKO", "6.sv"): "university undergraduate studies (sveučilišni preddiplomski)",
    ("HR-HKO", "7.1.st"): "professional graduate studies (stručni diplomski)",
    ("HR-HKO", "7.1.sv"): "university graduate studies (sveučilišni diplomski)",
    ("CY-CyQF", "5a"): "Post secondary certificates and diplomas (1 year)",
    ("CY-CyQF", "5b"): "Post secondary certificates and diplomas (2 years)",
    ("CY-CyQF", "5c"): "Higher certificates and diplomas (3 years or more)",
    ("CY-CyQF", "6"): "University degree (Ptychion/Bachelor's degree)",
    ("CY-CyQF", "7a"): "Post graduate certificates",
    ("CY-CyQF", "7b"): "Post graduate diploma",
    ("CY-CyQF", "7c"): "Master's degree",
    ("CY-CyQF", "8"): "Doctoral degree",
    ("FI-FiNQF", "5"): "Erikoisammattitutkinto (specialist vocational qualification)",
    ("ES-MECES", "1"): "Título de Técnico Superior",
    ("ES-MECES", "2"): "Graduado",
    ("ES-MECES", "3"): "Máster Universitario",
}
# The SI-SOK 9 split: which qualifications each of its two mappings covers.
SPLIT_NOTES: dict[tuple[str, str, str], str] = {
    ("SI-SOK", "9", "7"): (
        "SOK 9 is split by qualification: this mapping covers the specialisation diploma "
        "following academic higher education (referenced to EQF 7); the pre-Bologna research "
        "master's degree (magisterij znanosti) at SOK 9 is referenced to EQF 8 (mapping "
        "map:SI-SOK:9>EQF:8). relatedMatch because the level as a whole sits on neither EQF "
        "level alone."),
    ("SI-SOK", "9", "8"): (
        "SOK 9 is split by qualification: this mapping covers the pre-Bologna research master's "
        "degree (magisterij znanosti, referenced to EQF 8); the specialisation diploma following "
        "academic higher education at SOK 9 is referenced to EQF 7 (mapping "
        "map:SI-SOK:9>EQF:7). relatedMatch because the level as a whole sits on neither EQF "
        "level alone."),
}
LEVEL_NOTES: dict[tuple[str, str], str] = {
    ("HR-HKO", "4.2"): "one-to-one as far as the table goes: sibling sub-level 4.1 was not "
                       "found, so the relation may change when it is",
    ("CH-NQF-VPQ", ""): "the NQF VPQ covers vocational and professional education and "
                        "training (VET/PET) qualifications only",
}

NOTE_SOURCE = (
    "NQF → EQF referencing, more countries: research note compiled from public Cedefop, "
    "Eurydice and national coordination point pages (the per-country page was not recorded)",
    "CQF Graph project (research note)", 2026)

# Frameworks whose referencing year is known but whose level table is not (the note's
# "Year found, no per-level statement" list). Levels only where the note lists them.
YEAR_ONLY: tuple[dict[str, object], ...] = (
    {"code": "BE-FR-CFC", "country": "BE", "jurisdiction": "Belgium (French Community)",
     "name": "Cadre francophone des certifications (CFC), French Community of Belgium",
     "year": 2013, "detail": "December 2013"},
    {"code": "HU-NQF", "country": "HU", "jurisdiction": "Hungary",
     "name": "Hungarian national qualifications framework", "year": 2015,
     "detail": "February 2015"},
    {"code": "DK-NQF", "country": "DK", "jurisdiction": "Denmark",
     "name": "Danish national qualifications framework", "year": 2011,
     "detail": "June 2011; the level mapping is shown only in a figure"},
    {"code": "NO-NQF", "country": "NO", "jurisdiction": "Norway",
     "name": "Norwegian national qualifications framework", "year": 2014,
     "detail": "the framework has levels 2-8 only", "levels": range(2, 9)},
    {"code": "BG-NQF", "country": "BG", "jurisdiction": "Bulgaria",
     "name": "Bulgarian national qualifications framework", "year": 2013,
     "detail": "linked June 2013, referencing report adopted March 2014; sources disagree on "
               "its levels (9 including level 0, or 8 including pre-primary), so none is seeded"},
    {"code": "RO-NQF", "country": "RO", "jurisdiction": "Romania",
     "name": "Romanian national qualifications framework", "year": 2018,
     "detail": "referencing report 2018"},
    {"code": "TR-NQF", "country": "TR", "jurisdiction": "Türkiye",
     "name": "Turkish qualifications framework", "year": 2017,
     "detail": "referencing presented to the EQF Advisory Group on 29 March 2017"},
    {"code": "ME-NQF", "country": "ME", "jurisdiction": "Montenegro",
     "name": "Montenegrin national qualifications framework", "year": 2014,
     "detail": "end of 2014"},
    {"code": "MK-NQF", "country": "MK", "jurisdiction": "North Macedonia",
     "name": "Macedonian national qualifications framework", "year": 2016,
     "detail": "levels V-VII have sub-levels whose codes are not in the note, so "
               "no level is seeded"},
    {"code": "LU-NQF", "country": "LU", "jurisdiction": "Luxembourg",
     "name": "Luxembourg qualifications framework", "year": 2012,
     "detail": ""},
    {"code": "XK-NQF", "country": "XK", "jurisdiction": "Kosovo",
     "name": "Kosovo national qualifications framework", "year": 2014,
     "detail": "referencing report 2014; joined the EQF Advisory Group in 2015"},
)
# Dates and conflicts from the note, kept in the framework description.
HISTORY: dict[str, str] = {
    "AT-NQR": "Referencing year not stated in the table: report dated December 2011; linked "
              "by December 2012 per a Cedefop press release.",
    "PT-QNQ": "Referencing year not stated in the table: linked by December 2012.",
    "IS-ISQF": "Referencing year not stated in the table: report editions May 2013 and March "
               "2014. Levels 2-4 not found. An older source (c. 2010) gives EQF 1+2 for ISQF 1; "
               "Cedefop 2022 gives ISQF 1 = EQF 2 (kept).",
    "CZ-NSK": "NSK qualification levels (the National Register of Qualifications), not a "
              "comprehensive NQF. Referencing completed May 2011 and approved by the government "
              "July 2011; defended before the EQF Advisory Group February 2012.",
    "LT-LTKS": "Draft referencing report 2011, final 2012.",
    "CY-CyQF": "First referencing report June 2014, finalised 2017.",
    "HR-HKO": "Referencing report versions dated 15 February 2012 and 15 January 2014. Only "
              "sub-levels 4.2, 5, 6.st, 6.sv, 7.1.st and 7.1.sv were found.",
    "SI-SOK": "10 levels; approved 27 March 2013, 2nd edition October 2014. SOK 9 is referenced "
              "to EQF 7 or 8 depending on the qualification.",
    "GR-HQF": "The source page lists level 1 as lower-secondary and level 2 as elementary "
              "(looks swapped; the level mapping is unaffected).",
    "CH-NQF-VPQ": "Covers VET/PET qualifications only. Level 6 verified, the other levels only "
                  "stated as a whole.",
    "FI-FiNQF": "Only levels 5-8 found.",
    "ES-MECES": "Higher-education framework (4 levels); levels 1-3 only: doctorate at EQF 8 "
                "needed a join of two sources and was left out.",
    "MT-MQF": "Referenced 2009; only level 5 found.",
}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in header})


def _ordinal(framework: str, level: str) -> int:
    table = SUB_LEVEL_ORDINALS.get(framework)
    return table[level] if table else int(level)


def build(reference: Path) -> None:
    _, rows = _read(reference)
    by_fw: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_fw[row["framework_code"]].append(row)
    managed = set(by_fw) | {str(f["code"]) for f in YEAR_ONLY}
    unknown = set(by_fw) - set(FRAMEWORKS)
    if unknown:
        raise SystemExit(f"frameworks without country/name settings: {sorted(unknown)}")

    frameworks, levels, mappings = [], [], []
    for code, fw_rows in by_fw.items():
        country, prefix, default_lang = FRAMEWORKS[code]
        first = fw_rows[0]
        statuses = {r["status"] for r in fw_rows}
        referencing = ("verified" if statuses == {"verified"} else
                       "unverified" if statuses == {"unverified"} else "partly_verified")
        years = {r["referencing_year"] for r in fw_rows}
        if len(years) != 1:
            raise SystemExit(f"{code}: several referencing years {sorted(years)}")
        year = years.pop() or None
        listed = ", ".join(dict.fromkeys(r["level"] for r in fw_rows))
        description = (f"National framework referenced to the EQF"
                       f"{' in ' + year if year else ''}; levels in the graph: {listed}. "
                       + HISTORY.get(code, "")).strip()
        frameworks.append({
            "code": code, "name": first["framework_name"], "description": description,
            "kind": "national", "jurisdiction": first["country"], "historical": "false",
            "country": country, "referencing_status": referencing, "referencing_year": year,
            "status": "verified" if "verified" in statuses else "unverified",
            "source_document": first["source_title"], "source_publisher": "",
            "source_year": "", "source_url": first["source_url"]})
        seen_levels: set[str] = set()
        for r in fw_rows:
            level, eqf = r["level"], r["eqf_level"]
            level_code = f"{code}:{level}"
            if level not in seen_levels:
                seen_levels.add(level)
                levels.append({
                    "code": level_code, "name": f"{prefix} level {level}",
                    "framework": code, "level": level, "ordinal": _ordinal(code, level),
                    "qualification_examples": EXAMPLES.get((code, level), ""),
                    "status": r["status"], "source_document": r["source_title"],
                    "source_url": r["source_url"]})
            note = SPLIT_NOTES.get((code, level, eqf)) or NOTE[r["relation"]]
            extra = LEVEL_NOTES.get((code, level)) or LEVEL_NOTES.get((code, ""))
            if extra:
                note = f"{note}; {extra}"
            mappings.append({
                "from": level_code, "to": f"EQF:{eqf}", "id": f"map:{level_code}>EQF:{eqf}",
                "match_type": MATCH[r["relation"]], "confidence": CONFIDENCE[r["status"]],
                "method": "official_referencing",
                "asserted_by": f"{first['country']}: national EQF referencing",
                "review_status": "accepted", "date": "", "historical": "false", "note": note,
                "evidence_quote": r["quote"],
                "evidence_language": LANGUAGE.get((code, level), default_lang),
                "status": r["status"], "source_document": r["source_title"],
                "source_publisher": "", "source_year": "", "source_url": r["source_url"]})
    doc, publisher, doc_year = NOTE_SOURCE
    for fw in YEAR_ONLY:
        code = str(fw["code"])
        listed = list(fw.get("levels", ()))  # type: ignore[call-overload]
        shown = f"levels in the graph: {listed[0]}-{listed[-1]}" if listed else "no levels"
        frameworks.append({
            "code": code, "name": fw["name"],
            "description": f"Referenced to the EQF in {fw['year']}"
                           f"{' (' + str(fw['detail']) + ')' if fw['detail'] else ''}; the "
                           f"level table is not in the graph ({shown}), so no mapping is "
                           "seeded.",
            "kind": "national", "jurisdiction": fw["jurisdiction"], "historical": "false",
            "country": fw["country"], "referencing_status": "no_level_table",
            "referencing_year": fw["year"], "status": "unverified",
            "source_document": doc, "source_publisher": publisher, "source_year": doc_year,
            "source_url": ""})
        for n in listed:
            levels.append({
                "code": f"{code}:{n}", "name": f"{fw['name'].split(' ')[0]} NQF level {n}",
                "framework": code, "level": str(n), "ordinal": n, "status": "unverified",
                "source_document": doc, "source_publisher": publisher, "source_year": doc_year})

    _replace(SEED / "frameworks.csv", lambda r: r["code"] in managed, frameworks)
    _replace(SEED / "levels_national.csv", lambda r: r["framework"] in managed, levels)
    _replace(SEED / "mappings_nqf_eqf.csv", lambda r: r["from"].split(":")[0] in managed,
             mappings)
    print(f"{len(frameworks)} frameworks, {len(levels)} levels, {len(mappings)} mappings")


def _replace(path: Path, is_managed, new_rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    header, rows = _read(path)
    kept: list[dict[str, object]] = [dict(r) for r in rows if not is_managed(r)]
    _write(path, header, kept + new_rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]))
