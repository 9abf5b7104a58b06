"""Structural checks of the shipped graph that SHACL cannot express well.

Each check returns a list of human-readable problems; an empty list means the check passes.
Used by the test suite and by ``python -m legalgraph.lint FILE...`` while editing data.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from .namespaces import ELI, ID, IRI_PATTERNS, LG, VOCAB

#: Namespaces whose terms must be declared in the ontology when used as predicates.
_CHECKED_PREDICATE_NS = (str(LG),)


def minted_subjects(g: Graph) -> set[URIRef]:
    """Subjects whose IRI is minted by the project (under ``ID``)."""
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))}


def _lg_types(g: Graph, s: URIRef) -> list[str]:
    return [str(t)[len(str(LG)) :] for t in g.objects(s, RDF.type) if str(t).startswith(str(LG))]


def check_types_labels_sources(g: Graph) -> list[str]:
    """Every minted entity has an lg: type, an English label and a source section."""
    problems = []
    for s in sorted(minted_subjects(g)):
        if not _lg_types(g, s):
            problems.append(f"{s}: no lg: type (add 'a lg:…')")
        labels = [o for o in g.objects(s, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        if not labels:
            problems.append(f"{s}: no English rdfs:label (add rdfs:label \"…\"@en)")
        if (s, DCTERMS.source, None) not in g:
            problems.append(f"{s}: no dcterms:source (point it at a <section/…>)")
    return problems


def check_iri_patterns(g: Graph) -> list[str]:
    """Every minted entity's IRI follows the pattern of each of its lg: types."""
    problems = []
    for s in sorted(minted_subjects(g)):
        path = str(s)[len(str(ID)) :]
        for t in _lg_types(g, s):
            rx = IRI_PATTERNS.get(t)
            if rx is not None and not rx.match(path):
                problems.append(f"{s}: IRI does not follow the lg:{t} pattern {rx.pattern}")
    return problems


def check_references_resolve(g: Graph) -> list[str]:
    """Every minted IRI or vocabulary concept used as an object is defined (has a type)."""
    problems = []
    for s, p, o in g:
        if not isinstance(o, URIRef):
            continue
        if (str(o).startswith(str(ID)) or str(o).startswith(str(VOCAB))) and (o, RDF.type, None) not in g:
            problems.append(f"{s} {p} {o}: the object is not defined anywhere (typo, or define it)")
    return sorted(set(problems))


def check_declared_terms(g: Graph) -> list[str]:
    """Predicates and classes in the lg: namespace are declared in the ontology (catches misspellings)."""
    problems = []
    for p in sorted(set(g.predicates())):
        if str(p).startswith(_CHECKED_PREDICATE_NS) and not (
            (p, RDF.type, OWL.ObjectProperty) in g
            or (p, RDF.type, OWL.DatatypeProperty) in g
            or (p, RDF.type, RDF.Property) in g
        ):
            problems.append(f"predicate {p} is not declared in ontology/legalgraph.ttl (misspelt?)")
    for c in sorted(set(g.objects(None, RDF.type))):
        if str(c).startswith(str(LG)) and (c, RDF.type, OWL.Class) not in g:
            problems.append(f"class {c} is not declared in ontology/legalgraph.ttl (misspelt?)")
    return problems


def check_eli_terms(g: Graph) -> list[str]:
    """ELI terms used exist in ELI (e.g. eli:amended_by, never eli:is_amended_by)."""
    known = {
        "LegalResource", "LegalResourceSubdivision", "is_part_of", "has_part", "date_document",
        "in_force", "amends", "amended_by", "repeals", "repealed_by", "passed_by", "applies",
        "applied_by", "cites", "cited_by", "jurisdiction", "type_document", "title", "id_local",
        "number", "InForce-inForce", "InForce-notInForce", "date_no_longer_in_force",
    }
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(str(ELI))}
    return [f"{t} is not an ELI term this project uses" for t in sorted(used)
            if str(t)[len(str(ELI)) :] not in known]


ALL_CHECKS = (
    check_types_labels_sources,
    check_iri_patterns,
    check_references_resolve,
    check_declared_terms,
    check_eli_terms,
)


def run_all(g: Graph) -> list[str]:
    return [problem for check in ALL_CHECKS for problem in check(g)]


def load_project_graph(root: Path, extra: Iterable[Path] = ()) -> Graph:
    """Ontology, vocabularies and all data files merged in one rdflib graph (for checks and tests)."""
    g = Graph()
    for path in [*sorted((root / "ontology").glob("*.ttl")), *sorted((root / "data").glob("*.ttl")), *extra]:
        g.parse(path)
    return g


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    g = load_project_graph(root)
    problems = run_all(g)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(g)} triples", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
