"""The documentation is exact: every route, command, setting and file that the README and the
reference pages of ``docs/`` name exists as written.

The README is parsed, not copied: its tables (`route` and `page` columns), its code blocks
and its backticked spans. Routes are matched against the app's router for their method and,
for GETs, requested on the seeded app (no 404 from the router); every ``cqf`` command it
shows answers ``--help`` and knows the options it is shown with; the configuration table and
``app/settings.py`` name the same ``CQF_`` variables; paths in the repository exist. The
university journey it shows (admin key, institution, institution key, programme, bulk upload,
review, coverage) is replayed, command by command, against a writable seeded store.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Match
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.port import GraphStore
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FRONT_DOOR = (ROOT / "README.md").read_text(encoding="utf-8")
# The reference pages of docs/ (the MkDocs site); the benchmark log records runs, not claims.
REFERENCE_PAGES = sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "benchmarks.md")
# Everything the documentation claims: the README and the reference pages, checked as one text.
README = "\n\n".join([FRONT_DOOR] + [p.read_text(encoding="utf-8") for p in REFERENCE_PAGES])
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# Paths that are not under /api/v1 when a `route` table names them.
ROOTS = ("/api/", "/id/", "/health", "/metrics", "/sparql", "/ims/", "/docs", "/openapi",
         "/redoc", "/static/")
# Files the README says a command creates (an example, not a file of the repository).
CREATED_BY_A_COMMAND = {"app/web/locale/de/LC_MESSAGES/messages.po"}
# Directories the browser tests fill on first use (npm ci), named by the README.
GENERATED_ON_FIRST_USE = {"tests/browser/node_modules"}
# Where nothing exists yet on a fresh seeded store, a documented 404 problem is the answer.
MAY_BE_ABSENT = ("/api/v1/releases/", "/sparql")


# --- parsing ---------------------------------------------------------------------------------

def tables(text: str = README) -> list[tuple[list[str], list[list[str]]]]:
    """Every markdown table as (header cells, rows of cells); ``\\|`` stays inside a cell."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|")
                     for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if current is None:
                current = (cells, [])
            elif not all(set(c) <= set("-: ") for c in cells):
                current[1].append(cells)
        elif current is not None:
            found.append(current)
            current = None
    if current is not None:
        found.append(current)
    return found


def code_blocks(text: str = README) -> list[str]:
    """Indented (4 spaces) and fenced code blocks."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    current: list[str] = []
    previous_blank = True
    for line in text.splitlines() + [""]:
        if line.startswith("    ") and (current or previous_blank):
            current.append(line[4:])
        elif current and not line.strip():
            blocks.append("\n".join(current))
            current = []
        previous_blank = not line.strip()
    return blocks


def spans(text: str) -> list[str]:
    """Backticked spans of the prose (fenced blocks, such as a diagram, are not prose)."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"`([^`]+)`", prose)


def _expand(path: str) -> list[str]:
    """``/a[/{id}]`` -> ``/a`` and ``/a/{id}``; ``{x|y}`` -> ``x``."""
    path = re.sub(r"\{([a-z_]+)\|[^}]*\}", r"\1", path)
    match = re.search(r"\[([^\]]*)\]", path)
    if not match:
        return [path]
    head, tail = path[:match.start()], path[match.end():]
    return _expand(head + tail) + _expand(head + match.group(1) + tail)


def documented_routes() -> list[tuple[str, str]]:
    """(method, path with query) for every route the README's tables and blocks name."""
    routes: list[tuple[str, str]] = []
    for header, rows in tables():
        kind = header[0].lower()
        if kind not in ("route", "page"):
            continue
        for row in rows:
            methods, in_cell = ["GET"], []
            for span in spans(row[0]):
                match = re.match(r"^((?:[A-Z]+/)*[A-Z]+)?\s*(/\S*)", span)
                if not match:
                    continue
                if match.group(1):
                    methods = [m for m in match.group(1).split("/") if m in METHODS]
                path = match.group(2)
                if path.startswith("/{"):  # "(each also `/{code}`)": a suffix of the others
                    suffixed = [p.split("?")[0] + path for p in in_cell]
                    routes += [(m, p) for m in methods for p in suffixed]
                    continue
                if kind == "route" and not path.startswith(ROOTS):
                    path = "/api/v1" + path
                in_cell.append(path)
                routes += [(m, p) for m in methods for p in _expand(path)]
    for block in code_blocks():
        for line in block.splitlines():
            match = re.match(r"^(GET|POST|PUT|DELETE)\s+(/\S+)", line.strip())
            if match:
                routes.append((match.group(1), match.group(2)))
    return list(dict.fromkeys(routes))


# --- routes ---------------------------------------------------------------------------------

def _first(api: TestClient, collection: str) -> str:
    items = api.get(f"/api/v1/{collection}", params={"limit": 1}).json()["items"]
    return items[0]["code"] if "code" in items[0] else items[0]["id"]


def _values(api: TestClient) -> dict[str, Any]:
    """Real values for the placeholders the README writes in paths."""
    documents = api.get("/ims/case/v1p0/CFDocuments").json()["CFDocuments"]
    package = api.get(f"/ims/case/v1p0/CFPackages/{documents[0]['identifier']}").json()
    return {
        "{CFItems-id}": package["CFItems"][0]["identifier"],
        "{CFAssociations-id}": package["CFAssociations"][0]["identifier"],
        "{framework}": "EQF", "{level}": "6", "{FRAMEWORK:LEVEL}": "EQF:6",
        "{i}": "EXU", "{institution}": "EXU", "{p}": "PROG-EXU-MSC",
        "{programme}": "PROG-EXU-MSC", "{c}": "CRS-EXU-01", "{course}": "CRS-EXU-01",
        "{target}": "OPS-P08", "{a}": "JP-AUDIT-OFFICER-PCA", "{b}": "JP-AUDIT-TEAM_LEAD-PCA",
        "{id}": documents[0]["identifier"], "{v}": "1.0", "{name}": "SHA256SUMS",
        "{kind}": "competency", "{key-id}": "k", "{FRAMEWORK}": "EQF",
    }


def _concrete(api: TestClient, path: str, values: dict[str, Any]) -> str:
    segments = path.split("?")[0].split("/")
    out = []
    for n, segment in enumerate(segments):
        if segment == "{code}":
            before = segments[n - 1]
            if before in ("{institution}", "{i}"):  # /programmes/{institution}/{code}
                segment = values["{p}"]
            elif before in ("competency", "entity", "id") or \
                    n >= 2 and segments[n - 2] in ("id", "entity"):
                segment = "OPS-P01"
            else:
                segment = _first(api, before)
        elif segment == "{id}" and segments[n - 1] in ("mappings", "mapping"):
            segment = _first(api, "mappings")
        elif segment == "{id}" and segments[n - 1] in ("CFItems", "CFAssociations"):
            segment = values[f"{{{segments[n - 1]}-id}}"]
        out.append(values.get(segment, segment))
    query = path.split("?", 1)[1] if "?" in path else ""
    return "/".join(out) + (f"?{query}" if query else "")


def _matches(api: TestClient, method: str, path: str) -> bool:
    scope = {"type": "http", "method": method, "path": path.split("?")[0], "root_path": "",
             "query_string": b"", "headers": []}
    for route in api.app.router.routes:  # type: ignore[attr-defined]
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return True
    return False


def test_the_readme_names_its_routes() -> None:
    routes = documented_routes()
    # a guard against a parser that silently finds nothing
    assert len(routes) > 60 and ("GET", "/health/ready") in routes


def test_every_route_the_readme_names_exists_and_gets_answer(api: TestClient) -> None:
    values = _values(api)
    missing, not_found = [], []
    for method, path in documented_routes():
        concrete = _concrete(api, path, values)
        if not _matches(api, method, concrete):
            missing.append(f"{method} {path}")
            continue
        if method == "GET":
            response = api.get(concrete, follow_redirects=False)
            if response.status_code == 404 and not concrete.startswith(MAY_BE_ABSENT):
                not_found.append(f"GET {path} -> {concrete}")
    assert missing == [], "the README names routes the service does not have"
    assert not_found == [], "routes the README names answer 404 on the seeded app"


# --- commands ---------------------------------------------------------------------------------

def documented_commands() -> list[list[str]]:
    """Every ``cqf ...`` invocation in code blocks and table cells, as words."""
    found = []
    texts = [line for block in code_blocks() for line in block.splitlines()]
    texts += [span for span in spans(README) if span.startswith("cqf ")]
    for text in texts:
        text = text.split("#")[0].strip().replace("\\|", "|")
        match = re.search(r"(?:^|\s|\.venv/bin/)cqf\s+(.*)$", text)
        if match and not text.startswith(("curl", "export")):
            found.append(["cqf", *match.group(1).split()])
    return found


def _command_path(words: list[str]) -> list[str]:
    """The subcommand words: up to the first option, placeholder, file or value."""
    path = []
    for word in words[1:]:
        if not re.match(r"^[a-z][a-z-]*$", word):
            break
        path.append(word)
    return path


def test_every_cqf_command_the_readme_shows_answers_help() -> None:
    commands = documented_commands()
    assert len(commands) >= 10
    runner = CliRunner()
    problems = []
    for words in commands:
        sub = _command_path(words)
        result = runner.invoke(cli, [*sub, "--help"])
        while result.exit_code != 0 and len(sub) > 1:  # trailing words were arguments
            sub = sub[:-1]
            result = runner.invoke(cli, [*sub, "--help"])
        if result.exit_code != 0:
            problems.append(f"{' '.join(words)}: `cqf {' '.join(sub)} --help` failed")
            continue
        for option in re.findall(r"(--[a-z][a-z-]+)", " ".join(words)):
            if option not in result.output:
                problems.append(f"{' '.join(words)}: {option} is not an option")
    assert problems == []


def test_run_sh_passes_its_options_to_cqf_serve() -> None:
    """The README documents ``./scripts/run.sh --port``: the script hands its arguments to
    ``cqf serve``, which takes ``--port``."""
    script = (ROOT / "scripts/run.sh").read_text(encoding="utf-8")
    assert re.search(r'cqf serve "\$@"', script)
    assert "./scripts/run.sh --port" in FRONT_DOOR
    assert "--port" in CliRunner().invoke(cli, ["serve", "--help"]).output


# --- settings and files -------------------------------------------------------------------------

def _setting_names() -> set[str]:
    return {f"CQF_{name.upper()}" for name in Settings.model_fields}


def test_every_setting_is_in_the_configuration_table_and_every_row_is_real() -> None:
    config = next(rows for header, rows in tables() if header[0].lower() == "variable")
    in_table = {name for row in config for name in re.findall(r"CQF_[A-Z0-9_]+", row[0])}
    assert sorted(_setting_names() - in_table) == [], "settings missing from the table"
    assert sorted(in_table - _setting_names()) == [], "table rows that are no setting"
    # CQF_TEST_* configure the test suite (docs/testing.md), not the service
    anywhere = {v for v in re.findall(r"CQF_[A-Z0-9_]+", README) if not v.startswith("CQF_TEST_")}
    assert sorted(anywhere - _setting_names()) == [], "the README names unknown variables"


def test_every_repository_path_the_readme_names_exists() -> None:
    named = {s.split()[0].rstrip(":,") for s in spans(README)
             if re.match(r"^(\./)?(app|scripts|tests|seed_data|graph_schema|ontology|docs|"
                         r"benchmarks|\.ci)/[\w./-]*$", s.split()[0])}
    assert len(named) > 5
    missing = sorted(p for p in named - CREATED_BY_A_COMMAND
                     if not (ROOT / p.removeprefix("./")).exists()
                     and not _generated(p.removeprefix("./")))
    assert missing == []


def _generated(path: str) -> bool:
    """Output the README says the tests or a command create (git ignores it, or a file the
    README names as created); a fresh clone does not have it yet."""
    ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
    return ignored.returncode == 0 or path.rstrip("/") in GENERATED_ON_FIRST_USE


def test_programme_fields_are_named_as_the_api_takes_them() -> None:
    from app.api.routes.institutions.courses import CourseIn, ProgrammeIn

    row = next(r for _, rows in tables() for r in rows
               if "/institutions/{i}/programmes/{p}`" in r[0] + "`")
    fields = set(re.findall(r"`([a-z_]+)`", row[2]))
    assert {"name", "name_fr", "level"} <= fields
    assert fields - {"level"} <= set(ProgrammeIn.model_fields) | {"FRAMEWORK"}
    course_row = next(r for _, rows in tables() for r in rows if "/courses/{c}`" in r[0] + "`")
    assert set(re.findall(r"`([a-z_]+)`", course_row[2])) <= set(CourseIn.model_fields) | {
        "competency", "proficiency", "evidence", "assessment", "standard"}


# --- the university journey -------------------------------------------------------------------

def journey() -> list[str]:
    """The commands of the README's university journey block, continuation lines joined."""
    block = next(b for b in code_blocks() if "mappings:bulk" in b and "keys create" in b)
    return [c.strip() for c in block.replace("\\\n", " ").splitlines()
            if c.strip() and not c.strip().startswith("#")]


def _csv_file() -> str:
    block = next(b for b in code_blocks()
                 if b.startswith("programme,course,course_name") and len(b.splitlines()) > 1)
    return block + "\n"


def test_the_university_journey_from_nothing_works_as_written(
        writable_api: TestClient, writable_store: GraphStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQF_BACKEND", "falkordb")
    monkeypatch.setenv("CQF_FALKORDB_URL", writable_store.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_GRAPH_NAME", writable_store._graph_name)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_LOG_JSON", "false")
    variables: dict[str, str] = {}
    steps = journey()
    kinds = " ".join(steps)
    for needed in ("keys create --role admin", "/institutions/", "/keys", "/programmes/",
                   "mappings:bulk", "/review", "picard-coverage"):
        assert needed in kinds, f"the journey does not show {needed}"
    last: Any = None
    for step in steps:
        for name, value in variables.items():
            step = step.replace(f"${name}", value)
        words = shlex.split(step)
        if words[0] == "export":  # export NAME=<from the previous answer>
            name, _, source = words[1].partition("=")
            variables[name] = last if isinstance(last, str) else last[source.strip("<>")]
            continue
        if words[0].endswith("cqf"):
            result = CliRunner().invoke(cli, words[1:])
            assert result.exit_code == 0, (step, result.output)
            last = result.output.strip().splitlines()[-1]
            continue
        assert words[0] == "curl", step
        last = _curl(writable_api, words)
    coverage = last
    assert coverage["programme"]["institution"] == "UEX"
    covered = [a for t in coverage["tiers"] for a in t["knowledge_areas"] if a["covered"]]
    assert covered, "the reviewed mappings count in the coverage at the end of the journey"


def _curl(client: TestClient, words: list[str]) -> Any:
    method, headers, body, url = "GET", {}, None, None
    it = iter(words[1:])
    for word in it:
        if word == "-X":
            method = next(it)
        elif word == "-H":
            name, _, value = next(it).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-binary"):
            data = next(it)
            body = _csv_file() if data.startswith("@") else data
            method = "POST" if method == "GET" else method
        elif not word.startswith("-"):
            url = word
    assert url is not None
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.request(method, target, headers=headers, content=body)
    assert response.status_code < 400, (method, target, response.text)
    return response.json()


# --- the front door ---------------------------------------------------------------------------

def test_the_readme_is_a_front_door_and_links_every_reference_page() -> None:
    """The README says what the service is, the two commands and the journeys, within 250
    lines; the reference is one page per capability in docs/, each linked from it and from the
    MkDocs navigation."""
    assert len(FRONT_DOOR.splitlines()) <= 250
    assert "./scripts/run.sh" in FRONT_DOOR and "bash scripts/test.sh" in FRONT_DOOR
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)\)", FRONT_DOOR))
    pages = {p.name for p in (ROOT / "docs").glob("*.md")} - {"index.md"}
    assert sorted(pages - linked) == [], "reference pages the README does not link"
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert sorted(p for p in pages if p not in nav) == [], "pages missing from mkdocs.yml's nav"


def test_the_national_framework_counts_the_docs_state_are_the_graph_s(api: TestClient) -> None:
    """The API page counts the seeded national frameworks by what is known of their EQF
    referencing; the counts and the codes it lists are those the service answers."""
    stated = re.search(
        r"The seed holds (\d+) national frameworks: (\d+) with a level table \((.*?)\), "
        r"(\d+) without EQF links \((.*?)\) and (\d+) whose referencing year\s+is known but "
        r"whose level table is not \((.*?):", " ".join(README.split()), flags=re.DOTALL)
    assert stated, "the API page no longer states the national framework counts"
    total, with_table, _, unlinked, unlinked_codes, year_only, year_only_codes = stated.groups()
    national = api.get("/api/v1/frameworks", params={"kind": "national", "limit": 500}).json()
    by_status: dict[str, list[str]] = {}
    for item in national["items"]:
        by_status.setdefault(item["referencing"]["status"], []).append(item["code"])
    assert national["total"] == int(total)
    assert len(by_status.get("none", [])) == int(unlinked)
    assert len(by_status.get("no_level_table", [])) == int(year_only)
    assert national["total"] - int(unlinked) - int(year_only) == int(with_table)

    def named_by(listed: str, codes: list[str]) -> bool:
        """Each listed country prefix names exactly one of ``codes`` and each code is listed."""
        names = [n.strip() for n in listed.split(",")]
        return len(names) == len(codes) and all(
            sum(code.startswith(f"{n}-") for code in codes) == 1 for n in names)

    assert named_by(unlinked_codes, by_status["none"])
    assert named_by(year_only_codes, by_status["no_level_table"])
