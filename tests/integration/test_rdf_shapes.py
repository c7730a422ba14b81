"""SHACL: the seed graph's export conforms; broken data does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.rdf.ontology import shapes_graph
from app.rdf.vocab import CQF
from app.services.linked_data.export import Scope, export
from tests.support.shacl import validate

BASE = "http://cqf.test/id/"


@pytest.fixture(scope="module")
def data(seeded_falkordb: GraphStore) -> Graph:
    text = "".join(export(seeded_falkordb, Iris(BASE), "ntriples", Scope.DATA))
    return Graph().parse(data=text, format="nt")


def _violations(graph: Graph) -> set[tuple[str, str]]:
    conforms, report = validate(graph, shapes_graph())
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert conforms == (not results)
    return {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
            for r in results}


def test_every_exported_class_has_a_shape(data: Graph) -> None:
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    exported = {o for o in data.objects(None, RDF.type) if str(o).startswith(str(CQF._NS))}
    assert exported <= targeted


def test_the_seed_graph_export_conforms(data: Graph) -> None:
    assert _violations(data) == set()


def test_broken_data_is_caught(data: Graph) -> None:
    broken = Graph()
    for triple in data:
        broken.add(triple)
    level = URIRef(BASE + "level/EQF/6")
    broken.remove((level, SKOS.inScheme, None))
    broken.set((level, CQF.evidenceStatus, Literal("official-ish")))
    mapping = next(broken.subjects(RDF.type, CQF.Mapping))
    broken.set((mapping, CQF.confidence, Literal(1.5)))
    broken.remove((mapping, RDF.predicate, None))
    broken.add((mapping, RDF.predicate, SKOS.broader))
    # SKOS and SSSOM completeness (one validation run: SHACL-SPARQL costs seconds)
    competency = URIRef(BASE + "competency/OPS-P01")
    broken.remove((competency, SKOS.inScheme, None))
    aware = URIRef(BASE + "proficiency-level/aware")
    broken.remove((aware, SKOS.topConceptOf, None))
    eqf6 = URIRef(BASE + "level/EQF/7")
    broken.remove((URIRef(BASE + "framework/EQF"), SKOS.hasTopConcept, eqf6))
    accepted = next(m for m in broken.subjects(RDF.type, CQF.Mapping)
                    if str(broken.value(m, CQF.reviewStatus)) == "accepted" and m != mapping)
    broken.remove((accepted, CQF.reviewDate, None))
    found = _violations(broken)
    assert (str(competency), str(SKOS.inScheme)) in found
    assert {str(aware), str(eqf6), str(accepted)} <= {focus for focus, _ in found}
    assert (str(level), str(SKOS.inScheme)) in found
    assert (str(level), str(CQF.evidenceStatus)) in found
    assert (str(mapping), str(CQF.confidence)) in found
    assert (str(mapping), str(RDF.predicate)) in found


# --- SKOS and SSSOM completeness ---------------------------------------------------------------

SCHEME_ORPHANS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c WHERE { ?c a skos:Concept
  FILTER NOT EXISTS { ?c skos:inScheme ?s . ?s a skos:ConceptScheme } }"""
TOPLESS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE { ?s a skos:ConceptScheme FILTER EXISTS { ?c skos:inScheme ?s }
  FILTER NOT EXISTS { ?s skos:hasTopConcept ?t } }"""


def test_every_concept_is_in_a_scheme_with_top_concepts(seeded_falkordb: GraphStore,
                                                        data: Graph) -> None:
    """Read by a second parser (pyoxigraph) from the Turtle export, not rdflib's graph."""
    import pyoxigraph

    turtle = "".join(export(seeded_falkordb, Iris(BASE), "turtle", Scope.DATA))
    store = pyoxigraph.Store()
    store.load(turtle.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    assert list(store.query(SCHEME_ORPHANS)) == []
    assert list(store.query(TOPLESS)) == []
    competencies = set(data.subjects(RDF.type, CQF.Competency))
    assert len(competencies) == 78
    schemes = {str(s) for c in competencies for s in data.objects(c, SKOS.inScheme)}
    assert schemes == {BASE + "scheme/competencies", BASE + "scheme/esco-competencies"}
    esco = URIRef(BASE + "competency/ESCO%3Ainspect-cargo")
    assert (esco, SKOS.topConceptOf, URIRef(BASE + "scheme/esco-competencies")) in data
    scale = URIRef(BASE + "scheme/proficiency-scale")
    levels = set(data.subjects(RDF.type, CQF.ProficiencyLevel))
    assert levels and set(data.objects(scale, SKOS.hasTopConcept)) == levels
    eqf6, eqf = URIRef(BASE + "level/EQF/6"), URIRef(BASE + "framework/EQF")
    assert (eqf6, SKOS.topConceptOf, eqf) in data and (eqf, SKOS.hasTopConcept, eqf6) in data


def test_reviewed_mappings_carry_their_review_date(data: Graph) -> None:
    mappings = set(data.subjects(RDF.type, CQF.Mapping))
    reviewed = {m for m in mappings
                if str(data.value(m, CQF.reviewStatus)) in ("accepted", "rejected")}
    assert reviewed and all(data.value(m, CQF.reviewDate) is not None for m in reviewed)


# --- every scope and every release dump conforms (issue 24) ----------------------------------

def _focus_messages(graph: Graph) -> list[tuple[str, str]]:
    _, report = validate(graph, shapes_graph())
    return [(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage)))
            for r in report.subjects(RDF.type, SH.ValidationResult)]


def test_the_default_export_and_a_release_dump_conform(seeded_falkordb: GraphStore,
                                                       tmp_path: Path) -> None:
    """``scope=all`` (the default): the ontology makes job profiles, tasks, PICARD standards...
    subclasses of skos:Concept, so each must be in a scheme (169 violations before). A
    release's N-Triples and Turtle dumps hold exactly those triples (the graph does not
    change in between), so the one validation speaks for them too: SHACL-SPARQL takes
    half a minute a run."""
    from app.services.linked_data.releases import make_release

    text = "".join(export(seeded_falkordb, Iris(BASE), "ntriples", Scope.ALL))
    graph = Graph().parse(data=text, format="nt")
    assert _focus_messages(graph) == []
    profiles = set(graph.subjects(RDF.type, CQF.JobProfile))
    assert profiles and set(graph.objects(URIRef(BASE + "scheme/job-profiles"),
                                          SKOS.hasTopConcept)) == profiles
    make_release(seeded_falkordb, tmp_path, "1.0", BASE)
    for name, fmt in (("cqf-1.0.nt", "nt"), ("cqf-1.0.ttl", "turtle")):
        dump = Graph().parse(tmp_path / "1.0" / name, format=fmt)
        assert len(dump) > 10_000 and set(dump) == set(graph), name


# SKOS integrity conditions (SKOS Reference S9, S14, S13, S27, S46) over the ontology with the
# data: classes and instances are never both concept and scheme, labels are unambiguous, and
# the hierarchy and the mappings never contradict each other.
SKOS_INTEGRITY = {
    "S9 concept and scheme are disjoint": """
        SELECT ?x WHERE { ?x a/rdfs:subClassOf* skos:Concept ;
                             a/rdfs:subClassOf* skos:ConceptScheme }""",
    "S9 no class is both": """
        SELECT ?c WHERE { ?c rdfs:subClassOf+ skos:Concept ;
                             rdfs:subClassOf+ skos:ConceptScheme }""",
    "S14 one prefLabel per language": """
        SELECT ?x WHERE { ?x skos:prefLabel ?a , ?b
                          FILTER (?a != ?b && lang(?a) = lang(?b)) }""",
    "S13 prefLabel, altLabel and hiddenLabel are disjoint": """
        SELECT ?x WHERE { ?x skos:prefLabel ?l
                          { ?x skos:altLabel ?l } UNION { ?x skos:hiddenLabel ?l } }""",
    "S27 related is disjoint with broaderTransitive": """
        SELECT ?x WHERE { ?x skos:related ?y ; skos:broader+ ?y }""",
    "S46 exactMatch is disjoint with broad, narrow and related match": """
        SELECT ?x WHERE { ?x skos:exactMatch ?y
            { ?x skos:broadMatch ?y } UNION { ?x skos:narrowMatch ?y }
            UNION { ?x skos:relatedMatch ?y } }""",
    "top concepts have nothing broader": """
        SELECT ?x WHERE { ?x skos:topConceptOf ?s ; skos:broader ?b . ?b skos:inScheme ?s }""",
}


def test_skos_integrity_of_the_ontology_and_the_data(seeded_falkordb: GraphStore) -> None:
    from rdflib.namespace import RDFS

    text = "".join(export(seeded_falkordb, Iris(BASE), "ntriples", Scope.ALL))
    graph = Graph().parse(data=text, format="nt")
    ontology = Graph().parse(data="".join(export(seeded_falkordb, Iris(BASE), "ntriples",
                                                 Scope.ONTOLOGY)), format="nt")
    concept_classes = set(ontology.subjects(RDFS.subClassOf, SKOS.Concept))
    assert CQF.JobProfile in concept_classes and CQF.Level in concept_classes
    broken = {name for name, query in SKOS_INTEGRITY.items()
              if list(graph.query(query, initNs={"skos": SKOS, "rdfs": RDFS}))}
    assert broken == set()


# --- SSSOM: sssom-py's own validator on the live and the release TSV (issue 24) ----------------

def _sssom_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``sssom validate`` (sssom-py, the reference implementation): the LinkML schema's
    JSON-schema check of the metadata and rows."""
    command = [str(Path(sys.executable).parent / "sssom"), "validate", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_sssom_validates_the_live_and_the_release_mappings(seeded_falkordb: GraphStore,
                                                           tmp_path: Path) -> None:
    from app.services.linked_data.export import sssom
    from app.services.linked_data.releases import make_release

    live = tmp_path / "live.sssom.tsv"
    live.write_text("".join(sssom(seeded_falkordb, BASE)), encoding="utf-8")
    # a version YAML would read as a float (1.0, and 2.10 as 2.1) stays a string
    make_release(seeded_falkordb, tmp_path / "releases", "2.10", BASE)
    released = tmp_path / "releases" / "2.10" / "cqf-2.10-mappings.sssom.tsv"
    assert '# mapping_set_version: "2.10"' in released.read_text(encoding="utf-8")
    for path in (live, released):
        result = _sssom_validate(path)
        assert result.returncode == 0 and "error" not in result.stderr.lower(), \
            (path.name, result.stdout[-2000:], result.stderr[-2000:])


def test_sssom_validate_catches_an_unquoted_version(seeded_falkordb: GraphStore,
                                                    tmp_path: Path) -> None:
    """The validator run above is not a no-op: the header as it was (unquoted) fails."""
    from app.services.linked_data.export import sssom

    text = "".join(sssom(seeded_falkordb, BASE)).replace(
        '# mapping_set_version: "latest"', "# mapping_set_version: 1.0")
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(text, encoding="utf-8")
    result = _sssom_validate(broken)
    assert result.returncode != 0 or "validation error" in (result.stdout + result.stderr)
