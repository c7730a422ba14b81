"""Concept-level differences between two releases, computed from their N-Triples dumps.

Entities are the subjects typed with a catalogue class (frameworks, levels, competencies,
profiles...); reified relations, sources and the ontology are not entities. A release's
dump is read once, keeping only the predicates the comparison needs.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, RdfFormat, parse
from rdflib.namespace import DCTERMS, RDF, SKOS

from app.domain.vocab import CATALOGUE_LABELS
from app.rdf.vocab import CQF
from app.services.linked_data.releases import manifest

ENTITY_CLASSES = {str(CQF[label.value]): label.value for label in CATALOGUE_LABELS}
MAPPING_CLASS = str(CQF.Mapping)
TYPE, LABEL, AT_LEVEL, ORDINAL = str(RDF.type), str(SKOS.prefLabel), str(CQF.atLevel), \
    str(CQF.ordinal)
MAPPING_FIELDS = {str(RDF.subject): "subject", str(RDF.predicate): "predicate",
                  str(RDF.object): "object", str(CQF.confidence): "confidence",
                  str(CQF.reviewStatus): "review_status", str(CQF.mappingMethod): "method",
                  str(CQF.evidenceStatus): "status", str(DCTERMS.identifier): "id"}
KEPT = {TYPE, LABEL, AT_LEVEL, ORDINAL, *MAPPING_FIELDS}
Facts = dict[str, dict[str, set[str]]]


def _lexical(term: Any) -> str:
    if isinstance(term, Literal) and term.language:
        return f"{term.value}@{term.language}"
    return str(term.value)


def read_facts(path: Path) -> Facts:
    facts: Facts = defaultdict(lambda: defaultdict(set))
    for triple in parse(path=str(path), format=RdfFormat.N_TRIPLES):
        predicate = triple.predicate.value
        if predicate in KEPT:
            facts[str(triple.subject.value)][predicate].add(_lexical(triple.object))
    return facts


def _kind(props: dict[str, set[str]]) -> str | None:
    return next((ENTITY_CLASSES[t] for t in sorted(props.get(TYPE, ())) if t in ENTITY_CLASSES),
                None)


def _entities(facts: Facts) -> dict[str, dict[str, set[str]]]:
    return {s: p for s, p in facts.items() if _kind(p)}


def _mappings(facts: Facts) -> dict[str, dict[str, str]]:
    return {s: {name: ",".join(sorted(p.get(pred, ()))) for pred, name in MAPPING_FIELDS.items()}
            for s, p in facts.items() if MAPPING_CLASS in p.get(TYPE, ())}


def _entry(iri: str, props: dict[str, set[str]]) -> dict[str, Any]:
    return {"iri": iri, "kind": _kind(props), "labels": sorted(props.get(LABEL, ()))}


def _changed(a: dict[str, dict[str, set[str]]], b: dict[str, dict[str, set[str]]],
             predicates: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for iri in sorted(a.keys() & b.keys()):
        before = sorted(v for p in predicates for v in a[iri].get(p, ()))
        after = sorted(v for p in predicates for v in b[iri].get(p, ()))
        if before != after:
            out.append({"iri": iri, "kind": _kind(b[iri]), "before": before, "after": after})
    return out


def _mapping_changes(a: Facts, b: Facts) -> dict[str, list[dict[str, Any]]]:
    old, new = _mappings(a), _mappings(b)
    changed = []
    for iri in sorted(old.keys() & new.keys()):
        fields = {k: {"before": old[iri][k], "after": new[iri][k]} for k in old[iri]
                  if old[iri][k] != new[iri][k]}
        if fields:
            changed.append({"iri": iri, "id": new[iri]["id"], "changes": fields})
    return {"added": [{"iri": i, **new[i]} for i in sorted(new.keys() - old.keys())],
            "removed": [{"iri": i, **old[i]} for i in sorted(old.keys() - new.keys())],
            "changed": changed}


def diff(releases_dir: Path, version_a: str, version_b: str) -> dict[str, Any]:
    """What changed from release ``version_a`` to ``version_b`` (NotFound if either is
    unknown)."""
    paths = []
    for version in (version_a, version_b):
        nt = next(f["name"] for f in manifest(releases_dir, version)["files"]
                  if f["format"] == "ntriples")
        paths.append(releases_dir / version / nt)
    facts_a, facts_b = read_facts(paths[0]), read_facts(paths[1])
    ent_a, ent_b = _entities(facts_a), _entities(facts_b)
    result: dict[str, Any] = {
        "from_version": version_a, "to_version": version_b,
        "added": [_entry(i, ent_b[i]) for i in sorted(ent_b.keys() - ent_a.keys())],
        "removed": [_entry(i, ent_a[i]) for i in sorted(ent_a.keys() - ent_b.keys())],
        "relabelled": _changed(ent_a, ent_b, (LABEL,)),
        "relevelled": _changed(ent_a, ent_b, (AT_LEVEL, ORDINAL)),
        "mappings": _mapping_changes(facts_a, facts_b),
    }
    result["summary"] = {k: len(result[k]) for k in ("added", "removed", "relabelled",
                                                     "relevelled")}
    result["summary"].update({f"mappings_{k}": len(v) for k, v in result["mappings"].items()})
    return result

