"""The vocabulary module is generated from the ontology, and the ontology covers the model."""

from __future__ import annotations

import importlib.util

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from app.domain.vocab import CATALOGUE_LABELS, RELATIONSHIP_TYPES
from app.paths import PROJECT_ROOT
from app.rdf.ontology import ONTOLOGY_FILE
from app.rdf.vocab import CQF


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "generate_vocab", PROJECT_ROOT / "scripts" / "generate_vocab.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_vocab_module_is_what_the_ontology_generates() -> None:
    generated = _generator().render(ONTOLOGY_FILE)
    assert (PROJECT_ROOT / "app" / "rdf" / "vocab.py").read_text(encoding="utf-8") == generated


def test_a_misspelt_term_is_an_error_not_a_new_iri() -> None:
    with pytest.raises(AttributeError):
        CQF.Levle  # noqa: B018


def test_every_node_label_and_relationship_type_is_in_the_ontology() -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    labels = {str(o) for o in graph.objects(None, CQF.graphLabel)}
    types = {str(o) for o in graph.objects(None, CQF.graphRelationship)}
    assert {label.value for label in CATALOGUE_LABELS} <= labels
    assert RELATIONSHIP_TYPES <= types


def test_every_term_has_labels_and_definitions_in_english_and_french() -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = [s for kind in kinds for s in graph.subjects(RDF.type, kind)]
    assert len(terms) > 50
    for term in terms:
        for predicate in (RDFS.label, SKOS.definition):
            langs = {o.language for o in graph.objects(term, predicate) if isinstance(o, Literal)}
            assert {"en", "fr"} <= langs, (term, predicate)


def test_levels_and_frameworks_reuse_skos() -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    assert (CQF.Framework, RDFS.subClassOf, SKOS.ConceptScheme) in graph
    assert (CQF.Level, RDFS.subClassOf, SKOS.Concept) in graph
    assert (CQF.Competency, RDFS.subClassOf, SKOS.Concept) in graph
