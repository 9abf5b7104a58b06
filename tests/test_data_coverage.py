"""Counts that the report fixes: countries, Appendix documents, recommendations, case studies, standards.

The expected numbers are read off the report (section given with each), not off the data.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from conftest import select, value

ID = "https://w3id.org/legalgraph/id/"


def test_five_countries(graph):
    names = select(graph, """SELECT ?l WHERE { ?c a lg:Country ; rdfs:label ?l FILTER(LANG(?l) = "en") }
                              ORDER BY ?l""")
    assert [n for (n,) in names] == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]


def test_every_country_has_a_russian_label(graph):
    assert value(graph, """SELECT (COUNT(?c) AS ?n) WHERE { ?c a lg:Country ; rdfs:label ?l
                           FILTER(LANG(?l) = "ru") }""") == 5


# Appendix › {country}: the documents listed, in order (the Turkmen list ends with a line
# "United Nations Turkmenistan." that is an organisation, not a document).
APPENDIX = {"kazakhstan": 3, "kyrgyzstan": 5, "tajikistan": 4, "turkmenistan": 6, "uzbekistan": 3}


@pytest.mark.parametrize(("country", "n"), APPENDIX.items())
def test_appendix_documents_per_country(graph, country, n):
    rows = select(graph, """SELECT ?doc ?order WHERE {
        ?doc lg:listedInAppendix true ; lg:appendixOrder ?order ; dcterms:source ?sec .
        FILTER(?sec = ?appendix) ?doc a lg:LegalAct } ORDER BY ?order""",
                  appendix=URIRef(f"{ID}section/appendix-{country}"))
    assert [o for _, o in rows] == list(range(1, n + 1))


def test_appendix_total(graph):
    assert value(graph, """SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d a lg:LegalAct ; lg:listedInAppendix true }""") == sum(APPENDIX.values())


# General recommendations (11) and country-specific ones: KZ 6, KG 5, TJ 5, TM 7, UZ 4.
RECOMMENDATIONS = {"general": 11, "kz": 6, "kg": 5, "tj": 5, "tm": 7, "uz": 4}


@pytest.mark.parametrize(("prefix", "n"), RECOMMENDATIONS.items())
def test_recommendations_per_addressee(graph, prefix, n):
    rows = select(graph, """SELECT ?r ?o WHERE { ?r a lg:Recommendation ; lg:ordinal ?o ;
        lg:addressee ?a ; lg:topic ?t ; lg:text ?x } GROUP BY ?r ?o ORDER BY ?o""")
    mine = [o for r, o in rows if str(r).startswith(f"{ID}recommendation/{prefix}-")]
    assert mine == list(range(1, n + 1))


def test_recommendation_total(graph):
    assert value(graph, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a lg:Recommendation }") == 38


def test_three_case_studies(graph):
    rows = select(graph, "SELECT ?c WHERE { ?c a lg:CaseStudy } ORDER BY ?c")
    assert len(rows) == 3


def test_article_16_has_three_paragraphs(graph):
    rows = select(graph, """SELECT ?n WHERE { ?p eli:is_part_of ?art ; lg:paragraph ?n } ORDER BY ?n""",
                  art=URIRef(f"{ID}standard/istanbul-convention/art-16"))
    assert [n for (n,) in rows] == [1, 2, 3]


def test_six_common_standard_points_are_benchmarks(graph):
    # Introduction › International standards: six common points, each a benchmark node.
    for slug in ["behaviour-change-responsibility", "no-mediation", "risk-assessment",
                 "mandatory-and-voluntary-referral", "separate-but-cooperating", "staff-trained"]:
        assert (URIRef(f"{ID}benchmark/{slug}"), None, None) in graph, slug


def test_every_programme_has_a_provider_or_is_a_model(graph):
    rows = select(graph, """SELECT ?p WHERE { ?p a lg:PerpetratorProgramme
        FILTER NOT EXISTS { ?p lg:provider ?x } FILTER NOT EXISTS { ?p lg:definedBy ?d }
        FILTER NOT EXISTS { ?p lg:variantOf/lg:provider ?y } }""")
    assert rows == []


def test_turkmenistan_has_no_perpetrator_programme(graph):
    assert value(graph, """SELECT (COUNT(?p) AS ?n) WHERE { ?p a lg:PerpetratorProgramme ;
        lg:country ?c }""", c=URIRef(f"{ID}country/turkmenistan")) == 0


def test_contradiction_on_kyrgyz_stand_alone_crime_keeps_both_statements(graph):
    rows = select(graph, """SELECT ?s ?sec WHERE { ?d lg:statement ?s . ?s dcterms:source ?sec }
                            ORDER BY ?sec""", d=URIRef(f"{ID}discrepancy/kg-stand-alone-crime"))
    sections = {str(sec).rsplit("/", 1)[-1] for _, sec in rows}
    assert sections == {"common-trends-not-criminalised", "kyrgyzstan-legal-framework"}
