"""The ontology parses, reuses the agreed vocabularies, is bilingual, and the data is consistent with it."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from legalgraph.namespaces import ELI, LG, ORG
from legalgraph.settings import PROJECT_ROOT
from legalgraph.store import source_files

ONTOLOGY = PROJECT_ROOT / "ontology" / "legalgraph.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@pytest.mark.parametrize("path", source_files(), ids=lambda p: p.name)
def test_every_source_file_parses(path):
    assert len(Graph().parse(path, format="turtle")) > 0


def _own_terms(g: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({s for k in kinds for s in g.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(str(LG))})


def test_every_class_and_property_has_english_and_russian_label_and_comment(ontology):
    terms = _own_terms(ontology)
    assert len(terms) > 100
    for term in terms:
        langs = {lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)}
        assert {"en", "ru"} <= langs, f"{term} lacks an English or Russian rdfs:label"
        comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
        assert comments, f"{term} lacks an English rdfs:comment"


@pytest.mark.parametrize(
    ("term", "parent", "relation"),
    [
        (LG.LegalAct, ELI.LegalResource, RDFS.subClassOf),
        (LG.Provision, ELI.LegalResourceSubdivision, RDFS.subClassOf),
        (LG.Organisation, ORG.Organization, RDFS.subClassOf),
        (LG.Role, ORG.Role, RDFS.subClassOf),
        (LG.jurisdiction, ELI.jurisdiction, RDFS.subPropertyOf),
        (LG.actNumber, ELI.id_local, RDFS.subPropertyOf),
        (LG.adoptionDate, ELI.date_document, RDFS.subPropertyOf),
        (LG.replaces, ELI.repeals, RDFS.subPropertyOf),
    ],
)
def test_reused_vocabularies_are_superclasses(ontology, term, parent, relation):
    assert (term, relation, parent) in ontology


def test_eli_amended_by_is_the_inverse_of_amends_not_is_amended_by(ontology):
    assert (ELI.amended_by, OWL.inverseOf, ELI.amends) in ontology
    assert not any("is_amended_by" in str(t) for triple in ontology for t in triple)


def test_required_own_classes_exist(ontology):
    required = ["Country", "PerpetratorProgramme", "ProtectionOrderRegime", "CriminalisationStatus",
                "Obligation", "InternationalStandard", "Benchmark", "EvaluationTool", "Methodology",
                "CaseStudy", "Recommendation", "Section", "Statement", "Discrepancy"]
    for name in required:
        assert (LG[name], RDF.type, OWL.Class) in ontology, name


DISJOINT_CLASH = """
SELECT ?x ?a ?b WHERE {
  ?a owl:disjointWith ?b .
  ?x a/rdfs:subClassOf* ?a , ?b .
}
"""


def test_no_instance_belongs_to_two_disjoint_classes(graph):
    assert list(graph.query(DISJOINT_CLASH, initNs={"owl": OWL, "rdfs": RDFS})) == []


def test_owl_rl_closure_raises_no_clash(graph):
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    errors = [str(o) for o in closed.objects(None, owlrl.Namespaces.ERRNS.error)]
    assert errors == []
    nothing = list(closed.subjects(RDF.type, OWL.Nothing))
    assert nothing == []


def test_no_two_concepts_of_a_scheme_share_a_label_in_either_language(graph):
    """Regression: 'in force' (an act) and 'active' (a programme) were both «действует»."""
    from collections import Counter

    rows = graph.query("""SELECT ?scheme ?label WHERE { ?c skos:inScheme ?scheme ; skos:prefLabel ?label }""",
                       initNs={"skos": "http://www.w3.org/2004/02/skos/core#"})
    counts = Counter((str(s), str(label), label.language) for s, label in rows)
    assert [k for k, n in counts.items() if n > 1] == []
