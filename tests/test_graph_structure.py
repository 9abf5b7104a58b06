"""Every minted entity has a type, an English label and a source; IRIs follow the documented patterns."""

from __future__ import annotations

from rdflib import Graph

from legalgraph import lint
from legalgraph.namespaces import IRI_PATTERNS


def test_every_entity_has_type_label_and_source(graph):
    assert lint.check_types_labels_sources(graph) == []


def test_every_iri_follows_the_documented_pattern(graph):
    assert lint.check_iri_patterns(graph) == []


def test_every_reference_resolves(graph):
    assert lint.check_references_resolve(graph) == []


def test_only_declared_ontology_terms_are_used(graph):
    assert lint.check_declared_terms(graph) == []


def test_only_known_eli_terms_are_used(graph):
    assert lint.check_eli_terms(graph) == []


def test_lint_catches_a_misspelt_property_and_a_bad_iri():
    bad = Graph().parse(data="""
        @base <https://w3id.org/legalgraph/id/> .
        @prefix lg: <https://w3id.org/legalgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <programme/Bad_Slug> a lg:PerpetratorProgramme ; rdfs:label "x"@en ; lg:totalSesions 4 .
    """, format="turtle")
    problems = lint.run_all(bad)
    assert any("totalSesions" in p for p in problems)
    assert any("Bad_Slug" in p and "pattern" in p for p in problems)
    assert any("no dcterms:source" in p for p in problems)


def test_iri_patterns_accept_the_documented_examples():
    examples = {
        "Country": "country/kyrgyzstan", "LegalAct": "act/kg-law-63-2017",
        "Article": "act/kg-law-63-2017/art-11-1-7", "Organisation": "org/kg-chance-crisis-centre",
        "PerpetratorProgramme": "programme/kg-chance-mandatory", "Recommendation": "recommendation/kz-3",
        "Provision": "standard/istanbul-convention/art-16/para-1",
        "Section": "section/kyrgyzstan-case-study-2",
    }
    for cls, path in examples.items():
        assert IRI_PATTERNS[cls].match(path), (cls, path)
    assert not IRI_PATTERNS["LegalAct"].match("act/kyrgyz-law-63")
    assert not IRI_PATTERNS["Recommendation"].match("recommendation/kz-first")
