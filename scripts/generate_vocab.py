"""Generate ``app/rdf/vocab.py`` from ``ontology/cqf.ttl``.

    python scripts/generate_vocab.py          # rewrite the module
    python scripts/generate_vocab.py --check  # exit 1 when the module is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "cqf.ttl"
TARGET = ROOT / "app" / "rdf" / "vocab.py"
NAMESPACE = "https://cqf-graph.org/ontology#"
_KINDS = ((OWL.Class, "classes"), (OWL.ObjectProperty, "object properties"),
          (OWL.DatatypeProperty, "datatype properties"),
          (OWL.AnnotationProperty, "annotation properties"))

HEADER = '''"""The CQF vocabulary. GENERATED from ontology/cqf.ttl by scripts/generate_vocab.py:
do not edit; regenerate. ``_fail = True``: a misspelt term raises instead of minting an IRI."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class CQF(DefinedNamespace):
    _NS = Namespace("{ns}")
    _fail = True
'''


def render(ontology: Path = ONTOLOGY) -> str:
    graph = Graph().parse(ontology, format="turtle")
    out = [HEADER.format(ns=NAMESPACE)]
    for kind, title in _KINDS:
        terms = sorted(str(s)[len(NAMESPACE):] for s in graph.subjects(RDF.type, kind)
                       if isinstance(s, URIRef) and str(s).startswith(NAMESPACE))
        out.append(f"\n    # {title}\n")
        for term in terms:
            labels = graph.objects(URIRef(NAMESPACE + term), RDFS.label)
            label = next((str(x) for x in labels if getattr(x, "language", None) == "en"), "")
            out.append(f"    {term}: URIRef  # {label}\n")
    return "".join(out)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date; run scripts/generate_vocab.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
