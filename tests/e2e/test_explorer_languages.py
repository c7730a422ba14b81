"""The explorer's languages end to end: a third language is one catalogue dropped in the locale
directory (shown with a pseudo-locale, every page served in it), and the static files come
with caching headers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from fastapi.testclient import TestClient

from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings
from app.web import i18n, static_files
from tests.support.explorer_pages import FAILING, VIEWS, entity_pages, with_lang

PSEUDO = "en_XA"
PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%%)")


def pseudo(text: str) -> str:
    """``Skip to main content`` -> ``⟦Šķîþ ţö ɱåîñ çöñţéñţ⟧``: every letter changed, the
    placeholders kept, so any English left on a page is a string not from the catalogue."""
    table = str.maketrans(PLAIN, ACCENTED)
    parts = PLACEHOLDER.split(text)
    return "\u27e6" + "".join(p if PLACEHOLDER.fullmatch(p) else p.translate(table)
                              for p in parts) + "\u27e7"


def _pseudo_catalogue(target: Path) -> None:
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as source:
        template = read_po(source)
    catalog = Catalog(locale="en", domain="messages")
    catalog.plural_forms  # noqa: B018 - English rules: nplurals=2; plural=(n != 1)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, str):
            catalog.add(message.id, pseudo(message.id), flags=message.flags)
        else:
            catalog.add(message.id, tuple(pseudo(m) for m in message.id), flags=message.flags)
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as out:
        write_po(out, catalog)


@pytest.fixture(scope="module")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogues plus one more directory: the pseudo-locale."""
    root = tmp_path_factory.mktemp("locale")
    shutil.copytree(i18n.LOCALE_DIR, root, dirs_exist_ok=True)
    _pseudo_catalogue(root / PSEUDO / "LC_MESSAGES")
    return root


@pytest.fixture(scope="module")
def pseudo_client(seeded_falkordb: GraphStore, locale_dir: Path) -> Iterator[TestClient]:
    app = create_app(Settings(), runtime=Runtime(seeded_falkordb, schema_applied=True))
    app.state.languages = i18n.load_languages(locale_dir)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def all_pages(seeded_falkordb: GraphStore) -> dict[str, str]:
    return {**VIEWS, **entity_pages(seeded_falkordb)}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Text(HTMLParser):
    """Visible text and the attributes read aloud (title, aria-label, alt, placeholder) in the
    page's own language; text inside an element with another ``lang`` is set aside (a label
    that exists only in English, the link to the English page)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []  # text in the page's language
        self.attributes: list[str] = []  # attributes read aloud, in the page's language
        self.other: list[str] = []
        self._stack: list[tuple[str, str | None]] = []
        self._page_lang: str | None = None

    def _lang(self) -> str | None:
        return next((lang for _, lang in reversed(self._stack) if lang), None)

    def _out(self) -> list[str]:
        return self.chunks if self._lang() == self._page_lang else self.other

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self._page_lang = values.get("lang")
        if tag not in VOID:
            # a code (``<code>``, ``translate="no"``) is in no language: set aside too
            code = tag == "code" or values.get("translate") == "no"
            self._stack.append((tag, "zxx" if code else values.get("lang")))
        spoken = [v for k, v in attrs if k in {"title", "aria-label", "alt", "placeholder"} and v]
        in_page_lang = (values.get("lang") or self._lang()) == self._page_lang
        (self.attributes if in_page_lang else self.other).extend(spoken)

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(t in {"script", "style"} for t, _ in self._stack):
            self._out().append(data)


def visible_text(html: str) -> str:
    """The page's text and spoken attributes in its own language, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    # ASCII whitespace only: the no-break spaces of French typography are part of the text
    return re.sub(r"[ \t\r\n\f]+", " ", " ".join(parser.chunks + parser.attributes)).strip()


def _english_phrases() -> list[str]:
    """The fixed parts (three words or more) of every catalogue message."""
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as source:
        template = read_po(source)
    phrases = set()
    for message in template:
        for text in ([message.id] if isinstance(message.id, str) else list(message.id or [])):
            for part in PLACEHOLDER.split(text or ""):
                if len(part.split()) >= 3:
                    phrases.add(" ".join(part.split()).strip(" .,;:"))
    return sorted(phrases)


def test_a_new_catalogue_is_a_new_language_on_every_page(pseudo_client: TestClient,
                                                         all_pages: dict[str, str]) -> None:
    english = _english_phrases()
    assert len(english) > 50
    assert len(all_pages) >= len(VIEWS) + 14  # an entity page of every kind
    home = pseudo_client.get("/").text
    assert 'hreflang="en-XA"' in home  # the English page offers the new language
    for name, path in all_pages.items():
        response = pseudo_client.get(with_lang(path, PSEUDO))
        assert (response.status_code == 200) == (name not in FAILING), name
        assert '<html lang="en-XA">' in response.text, name
        text = visible_text(response.text)
        assert pseudo("Browse and search") in text, name  # the navigation is translated
        left = [phrase for phrase in english if phrase in text]
        assert left == [], f"{name}: English left on the page: {left}"
        assert 'hreflang="en"' in response.text and 'hreflang="fr"' in response.text


def test_pseudo_plural_forms_come_from_the_catalogue(pseudo_client: TestClient) -> None:
    text = visible_text(pseudo_client.get(
        with_lang("/equivalence?from=IE-NFQ:8&to=NL-NLQF", PSEUDO)).text)
    assert pseudo("%(count)s equivalent level found.") % {"count": 1} in text


def test_static_files_are_served_with_caching_headers(api: TestClient) -> None:
    page = api.get("/").text
    css_url = static_files.static_url("explorer.css")
    assert css_url in page and static_files.static_url("favicon.svg") in page
    fresh = api.get(css_url)
    assert fresh.status_code == 200 and fresh.headers["content-type"].startswith("text/css")
    assert fresh.headers["cache-control"] == "public, max-age=31536000, immutable"
    stale = api.get("/static/explorer.css?v=0000")
    assert stale.headers["cache-control"] == "public, max-age=300, must-revalidate"
    unversioned = api.get("/static/explorer.js")
    assert unversioned.headers["cache-control"].startswith("public, max-age=300")
    again = api.get("/static/explorer.js", headers={"If-None-Match": unversioned.headers["etag"]})
    assert again.status_code == 304
    assert api.get("/static/nope.css").status_code == 404
    assert api.get("/static/../main.py").status_code == 404
    assert api.get("/static/%2e%2e/i18n.py").status_code == 404


# Words that are English and never French: a text in the page's language that holds one is an
# English sentence (or phrase) from the service, not translated.
ENGLISH_ONLY = re.compile(
    r"\b(the|of|and|is|are|has|have|with|which|this|that|from|for|to|not|no|by|or|only|was|"
    r"been|be|its|it|when|none|any|all|one|level|levels|match|exact|close|broad|narrow|"
    r"related|covered|verified|unverified|illustrative|accepted|proposed|rejected|trained|"
    r"aware|advanced|true|false|yes|kind|group)\b", re.IGNORECASE)
DATA = """MATCH (n) WHERE n.name IS NOT NULL AND n.name_fr IS NULL
RETURN DISTINCT n.name AS text"""


@pytest.fixture(scope="module")
def english_labels(seeded_falkordb: GraphStore) -> list[str]:
    """Names that exist only in English in the data, longest first."""
    names = {str(r["text"]) for r in seeded_falkordb.read(DATA)}
    return sorted(names, key=len, reverse=True)


def english_left(html: str, labels: list[str]) -> list[str]:
    """Text in the page's language that is English: a sentence the service did not translate,
    or an English-only data label not marked ``lang="en"``. Data labels inside a translated
    sentence or a spoken attribute (``Requiert : Integrity``) are expected and set aside."""
    parser = _Text()
    parser.feed(html)
    whole = set(labels)
    found = []
    for chunk in parser.chunks + parser.attributes:
        text = " ".join(chunk.split())
        if chunk in parser.chunks and text in whole:
            found.append(f"unmarked English label: {text}")
            continue
        for label in labels:
            if label in text:
                text = text.replace(label, " ")
        text = re.sub(r"\S+\u2026", " ", text)  # a shortened label (full name in its title)
        if ENGLISH_ONLY.search(text):
            found.append(chunk)
    return found


def test_every_page_in_french_has_no_english_from_the_service(
        api: TestClient, all_pages: dict[str, str], english_labels: list[str]) -> None:
    """Every sentence, label, count, criterion and error on every page comes from the French
    catalogue; data that exists only in English is marked ``lang="en"`` (set aside here)."""
    found: dict[str, list[str]] = {}
    for name, path in all_pages.items():
        response = api.get(with_lang(path, "fr"))
        assert (response.status_code == 200) == (name not in FAILING), name
        assert '<html lang="fr">' in response.text
        left = english_left(response.text, english_labels)
        if left:
            found[name] = left
    report = "\n".join(f"{name}: {chunk!r}" for name, chunks in found.items() for chunk in chunks)
    assert found == {}, f"English on French pages:\n{report}"


def test_french_numbers_and_punctuation(api: TestClient) -> None:
    portability = visible_text(api.get(
        "/portability?profile=JP-AUDIT-OFFICER-PCA&lang=fr").text)
    assert re.search(r"\d+,\d ECTS", portability)  # decimal comma
    assert not re.search(r"\d+\.\d ECTS", portability)
    assert re.search(r"\d+[\u00a0\u202f]%", portability)  # 95 %
    assert re.search(r"Niveau[\u00a0\u202f]:", portability)
    english = visible_text(api.get("/portability?profile=JP-AUDIT-OFFICER-PCA").text)
    assert re.search(r"\d+\.\d ECTS", english) and "Level:" in english


def test_the_sweep_would_see_english(api: TestClient, english_labels: list[str]) -> None:
    """The detector is not blind: served as if it were French, the English page fails it (its
    readiness sentences, counts and notes are all caught)."""
    html = api.get("/coverage?programme=EXU/PROG-EXU-MSC").text.replace(
        '<html lang="en">', '<html lang="fr">')
    left = " ".join(english_left(html, english_labels))
    assert "bachelor level or higher" in left and "knowledge areas covered" in left
    assert "the graph holds no knowledge areas for this tier" in left


def test_the_coverage_page_says_k_of_n_areas_per_tier(api: TestClient) -> None:
    report = api.get("/api/v1/programmes/EXU/PROG-EXU-MSC/picard-coverage").json()
    page = api.get("/coverage?programme=EXU/PROG-EXU-MSC").text
    french = visible_text(api.get("/coverage?programme=EXU/PROG-EXU-MSC&lang=fr").text)
    for tier in report["tiers"]:
        state = re.search(rf'id="tier-{tier["code"]}".*?data-covered="(\w+)"', page, re.S)
        assert state and state[1] == ("true" if tier["covered"] else "false")
        if tier["areas_total"]:
            assert (f"{tier['areas_covered']} of {tier['areas_total']} knowledge areas covered"
                    in visible_text(page))
            assert (f"sur {tier['areas_total']}" in french)


HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _a_mapping_id(api: TestClient) -> str:
    page = api.get("/api/v1/mappings", params={"from_framework": "IE-NFQ", "limit": 1}).json()
    return str(page["items"][0]["id"])


def test_errors_and_linked_data_pages_for_a_browser_are_french_pages(
        api: TestClient, english_labels: list[str]) -> None:
    """A browser (Accept: text/html) asking in French (Accept-Language alone) gets the
    explorer's pages, never problem+json: errors, a mapping by its /id/ and /entity/ address."""
    mapping = _a_mapping_id(api)
    paths = {"/no-such-page": 404, "/id/competency/NOPE": 404, "/entity/mapping/map:NOPE": 404,
             f"/entity/mapping/{mapping}": 200, f"/id/mapping/{mapping}": 200}
    found: dict[str, list[str]] = {}
    for path, status in paths.items():
        response = api.get(path, headers={**HTML, "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
        assert response.status_code == status, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert '<html lang="fr">' in response.text and "explorer.css" in response.text
        left = english_left(response.text, english_labels)
        if left:
            found[path] = left
    assert found == {}
    page = api.get(f"/entity/mapping/{mapping}", params={"lang": "fr"}).text
    assert "Ce que dit cette correspondance" in page and "%3A" not in page.split("<h1")[1][:200]
    # the CQF table's evidence links each mapping of a path to its page
    table = api.get("/cqf-table").text
    link = re.search(r'href="(/entity/mapping/[^"]+)"', table)
    assert link is not None
    shown = api.get(link.group(1).replace("&amp;", "&"))
    assert shown.status_code == 200 and "What this mapping says" in shown.text
    # an API client still gets problem+json
    plain = api.get("/id/competency/NOPE", headers={"Accept": "application/json"})
    assert plain.headers["content-type"].startswith("application/problem+json")
    assert api.get("/no-such-page").headers["content-type"].startswith(
        "application/problem+json")


def test_french_cqf_table_downloads_have_no_english_from_the_service(
        api: TestClient, english_labels: list[str]) -> None:
    """The lang=fr CSV and XLSX: headers, sheet names, notices and column descriptions come
    from the French catalogue (data labels that exist only in English are set aside)."""
    import csv
    import io

    from openpyxl import load_workbook

    def english(text: str) -> bool:
        for label in english_labels:
            text = text.replace(label, " ")
        return bool(ENGLISH_ONLY.search(text))

    body = api.get("/api/v1/cqf-table", params={"lang": "fr", "format": "csv",
                                                "frameworks": "IE-NFQ"}).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    left = [cell for cell in rows[0] + rows[-1] if english(cell)]
    book = load_workbook(io.BytesIO(api.get("/api/v1/cqf-table", params={
        "lang": "fr", "format": "xlsx", "frameworks": "IE-NFQ"}).content))
    left += [name for name in book.sheetnames if english(name)]
    for sheet in book.worksheets:
        texts = [c for r in sheet.iter_rows(values_only=True) for c in r if isinstance(c, str)]
        if sheet.title == "Colonnes":
            left += [t for t in texts if english(t) and not re.fullmatch(r"[a-z0-9_A-Z-]+", t)]
        else:
            left += [t for t in texts[:len(rows[0])] if english(t)]  # the header row
    assert left == []


# What an API answer's sentence may name as written: relationship types and property names
# (AT_LEVEL, SKOS), codes (CQF:1, IE-NFQ) and quoted values ('unverified').
TECHNICAL = re.compile(r"\b[A-Z][A-Z0-9_]*(?::[A-Za-z0-9]+)?\b|'[^']*'|[A-Z]+-[A-Z0-9-]+(?::\w+)?")


def service_sentences(table: dict) -> list[str]:
    """The sentences the service writes in a CQF table answer: the notice, the columns'
    definitions and every cell's derivation (data labels are not sentences)."""
    said = [table["notice"] or "", *table["definitions"].values()]
    for row in table["rows"]:
        cells = [row["eqf"], row["isced"], row["qf_ehea"], row["picard_tier"],
                 row["job_profiles"], row["generic_roles"], row["tasks"],
                 *row["national"].values(), *row["competency_groups"].values()]
        if row["administration"]:
            cells.append(row["administration"])
        said += [cell["derivation"] for cell in cells]
    return said


def test_the_french_cqf_table_answer_has_no_english_from_the_service(api: TestClient) -> None:
    """GET /api/v1/cqf-table?lang=fr: the columns' definitions, each cell's derivation and the
    notice come from the French catalogue; relationship types and codes stay as written. The
    same detector finds the English answer's sentences."""
    params = {"frameworks": "IE-NFQ", "administration": "ADM-A"}

    def english(text: str) -> bool:
        return bool(ENGLISH_ONLY.search(TECHNICAL.sub(" ", text)))

    french = api.get("/api/v1/cqf-table", params={**params, "lang": "fr"}).json()
    left = sorted({text for text in service_sentences(french) if english(text)})
    assert left == [], "English in the French CQF table answer:\n" + "\n".join(left)
    assert set(french["definitions"]) == {"equivalence", "picard_tier", "job_profiles",
                                          "generic_roles", "tasks", "typical_proficiency",
                                          "top_competencies"}
    assert "AT_LEVEL" in french["definitions"]["job_profiles"]  # technical names kept
    source = api.get("/api/v1/cqf-table", params=params).json()
    assert all(english(text) for text in source["definitions"].values())
    empty = {c["derivation"] for row in source["rows"] for c in row["competency_groups"].values()
             if c["typical_proficiency"] is None}
    assert empty and all(english(text) for text in empty)  # the empty cells' reasons too
    # too many frameworks: the problem is said in French as well
    many = ",".join(f"FW{i}" for i in range(13))
    problem = api.get("/api/v1/cqf-table", params={"frameworks": many, "lang": "fr"}).json()
    assert [e["message"] for e in problem["errors"]] == ["au plus 12 cadres"]


def test_french_career_answers_have_no_english_from_the_service(api: TestClient) -> None:
    """The careers API with lang=fr: the illustrative notice, the rules, a plan's notes, why
    no plan was found and the successors' score definition come from the French catalogue
    (parameter and field names such as min_step_coverage stay as written)."""
    def said(answer: dict) -> list[str]:
        plan = answer.get("plan") or {}
        reason = answer.get("reason") or {}
        return [text for text in (answer.get("notice"), answer.get("rule"),
                                  answer.get("stream_rule"), answer.get("step_rule"),
                                  answer.get("score_definition"), plan.get("note"),
                                  plan.get("unpriced_note"), reason.get("detail")) if text]

    def english(text: str) -> bool:
        return bool(ENGLISH_ONLY.search(FIELD_NAMES.sub(" ", TECHNICAL.sub(" ", text))))

    asked = {
        "career path": lambda lang: api.get("/api/v1/job-families/JF-BORDER/career-path",
                                            params={"lang": lang}),
        "successors": lambda lang: api.get(
            "/api/v1/job-profiles/JP-CONTROL-MID_MGR-BORDER/successors", params={"lang": lang}),
        "plan": lambda lang: api.post("/api/v1/career-plans", json={
            "from_profile": "JP-ADM-B-03", "target_profile": "JP-CONTROL-MID_MGR-BORDER",
            "lang": lang}),
        "no plan": lambda lang: api.post("/api/v1/career-plans", json={
            "from_profile": "JP-CONTROL-TRAINEE-BORDER",
            "target_profile": "JP-CONTROL-STRAT_MGR-LEAD", "max_steps": 2, "lang": lang}),
    }
    found: dict[str, list[str]] = {}
    for name, ask in asked.items():
        source, french = ask("en").json(), ask("fr").json()
        assert said(source) and all(english(text) for text in said(source)), name
        assert len(said(french)) == len(said(source)), name
        left = [text for text in said(french) if english(text)]
        if left:
            found[name] = left
    assert found == {}
    plan = asked["plan"]("fr").json()
    assert plan["plan"]["note"] and plan["illustrative"] and plan["notice"]
    assert asked["no plan"]("fr").json()["reason"]["detail"]


FIELD_NAMES = re.compile(r"\b(?:min_step_coverage|max_steps|not_closable|closable_by_training|"
                         r"unpriced_courses|total_cost|unprovided|false|true)\b")


JARGON = re.compile(r"A\*|admissible|min_step_coverage|not_closable|closable_by_training|"
                    r"max_steps|AT_LEVEL|PERFORMS|REQUIRES|IN_FAMILY|MAPS_TO|held_rank|"
                    r"required_rank|map:[A-Z]")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rules_are_explained_in_plain_words(api: TestClient, lang: str) -> None:
    """The stream rule, how a plan is chosen, why no plan was found, how each table column
    is derived and how coverage is scored are said without internal names, in both
    languages (the API keeps its technical ``rule`` fields)."""
    views = ("careers-ladder", "careers-plan", "careers-no-plan", "cqf-table",
             "cqf-table-columns", "portability-profile")
    found = {}
    for name in views:
        html = api.get(with_lang(VIEWS[name], lang)).text
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())  # every word, any language
        if JARGON.search(text):
            found[name] = JARGON.findall(text)
    assert found == {}
    ladder = visible_text(api.get(with_lang(VIEWS["careers-ladder"], lang)).text)
    assert ("management stream when it requires at least one management competency" in ladder
            if lang == "en" else "filière management quand il exige" in ladder)
    plan = visible_text(api.get(with_lang(VIEWS["careers-plan"], lang)).text)
    assert ("cheapest courses that close its gaps" in plan if lang == "en"
            else "cours les moins coûteux qui comblent ses écarts" in plan)
    api_ladder = api.get("/api/v1/job-families/JF-BORDER/career-path").json()
    assert "MGT" in api_ladder["stream_rule"]  # the API's technical rule stays


FRENCH_LABELS = {  # (kind path, code) -> the French name the graph holds, with its source
    ("level", "EQF:4"): "Niveau 4 du CEC",
    ("level", "ISCED-2011:6"): "Niveau licence ou équivalent",
    ("level", "QF-EHEA:C2"): "Deuxième cycle",
    ("framework", "QF-EHEA"): "Cadre général des qualifications de l'Espace européen de "
                              "l'enseignement supérieur",
    ("framework", "LU-NQF"): "Cadre luxembourgeois des qualifications (CLQ)",
    ("framework", "ISCED-2011"): "Classification internationale type de l'éducation 2011 "
                                 "(CITE 2011)",
}


def test_reference_levels_and_frameworks_speak_french(api: TestClient) -> None:
    """Under lang=fr the EQF levels show their French name and descriptors (paraphrased from
    the Recommendation's French text), the ISCED levels and QF-EHEA cycles their French name and
    description, frameworks their own French name; each row names its French source. What the
    graph holds only in English (a national level's descriptors) is shown marked lang="en"."""
    for (kind, code), name in FRENCH_LABELS.items():
        entity = api.get(f"/api/v1/{kind}s/{code}").json()
        assert entity["name_fr"] == name, code
        assert "French" in entity["source"]["document"], code  # the French text's source
        page = api.get(f"/entity/{kind}/{code}", params={"lang": "fr"}).text
        assert name in unescape(page), code
        if kind == "level":
            assert entity["description_fr"], code
    eqf = api.get("/api/v1/levels/EQF:4").json()["attributes"]
    assert eqf["knowledge_fr"].startswith("savoirs factuels et théoriques")
    assert eqf["knowledge"].startswith("factual and theoretical")
    french = api.get("/entity/level/EQF:4", params={"lang": "fr"}).text
    english = api.get("/entity/level/EQF:4").text
    for key in ("knowledge", "skills", "autonomy"):
        row = re.search(rf'data-attribute="{key}".*?<dd[^>]*>(.*?)</dd>', french, re.S)
        assert row is not None and 'lang="en"' not in row.group(1), key
        assert eqf[f"{key}_fr"] in unescape(row.group(1)), key
        assert f'data-attribute="{key}_fr"' not in french  # shown in place, not twice
        assert eqf[key].split(" ")[0] in english
    # the example qualifications in French, the project's own translation and said so
    entity = api.get("/api/v1/levels/EQF:6").json()
    examples = entity["attributes"]["qualification_examples_fr"]
    assert examples[0].startswith("licence") and len(examples) == 2
    assert "this project's translation" in entity["source"]["document"]
    assert "not an official text" in entity["source"]["document"]
    page = unescape(api.get("/entity/level/EQF:6", params={"lang": "fr"}).text)
    row = re.search(r'data-attribute="qualification_examples".*?<dd[^>]*>(.*?)</dd>', page,
                    re.S)
    assert row is not None and 'lang="en"' not in row.group(1)
    assert all(example in row.group(1) for example in examples)
    assert 'data-attribute="qualification_examples_fr"' not in page
    shown = unescape(api.get("/entity/level/EQF:6").text)
    assert "bachelor degree" in shown and "licence ou bachelor" not in shown
    # the English page keeps English; a level without French descriptors is marked English
    assert "savoirs factuels" not in english
    national = api.get("/entity/level/IE-NFQ:8", params={"lang": "fr"}).text
    dqr = api.get("/api/v1/levels/IE-NFQ:8").json()["attributes"]
    if dqr.get("knowledge"):
        row = re.search(r'data-attribute="knowledge".*?<dd[^>]*>(.*?)</dd>', national, re.S)
        assert row is not None and 'lang="en"' in row.group(1)
    # the RDF carries both languages
    turtle = api.get("/id/level/EQF/4", headers={"Accept": "text/turtle"}).text
    assert '"savoirs factuels et théoriques' in turtle and "@fr" in turtle
