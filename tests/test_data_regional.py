"""Regional content, asserted by value against the report: Common trends across Central Asia (all
subsections, footnotes 8–10) and the General recommendations."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from conftest import select, u, value

ID = "https://w3id.org/legalgraph/id/"
VOCAB = "https://w3id.org/legalgraph/vocab/"
CA = URIRef(f"{ID}region/central-asia")



def local(iri) -> str:
    return str(iri)[len(ID):]


def test_region_labels_and_countries(graph):
    labels = select(graph, "SELECT ?lab WHERE { ?r a lg:Region ; rdfs:label ?lab }", r=CA)
    assert sorted(str(lab) for (lab,) in labels) == ["Central Asia", "Центральная Азия"]
    parts = select(graph, "SELECT ?c WHERE { ?r dcterms:hasPart ?c . ?c a lg:Country }", r=CA)
    assert sorted(local(c) for (c,) in parts) == [
        "country/kazakhstan", "country/kyrgyzstan", "country/tajikistan",
        "country/turkmenistan", "country/uzbekistan"]


def test_eleven_general_recommendations_in_order(graph):
    rows = select(graph, """SELECT ?r ?o WHERE { ?r a lg:Recommendation ; lg:ordinal ?o ; lg:addressee ?a ;
        dcterms:source <https://w3id.org/legalgraph/id/section/common-trends-general-recommendations> }
        ORDER BY ?o""", a=CA)
    assert [o for _, o in rows] == list(range(1, 12))
    assert [local(r) for r, _ in rows] == [f"recommendation/general-{n}" for n in range(1, 12)]


TOPICS = {
    1: {"criminalisation", "accountability"},
    2: {"survivor-safety", "no-mediation", "survivor-centred"},
    3: {"accountability", "legislation"},
    4: {"multisectoral-response"},
    5: {"standards"},
    6: {"survivor-safety", "survivor-support"},
    7: {"availability"},
    8: {"duration", "mandatory-programmes"},
    9: {"staff-training"},
    10: {"monitoring-evaluation"},
    11: {"custodial"},
}


@pytest.mark.parametrize(("n", "topics"), TOPICS.items())
def test_general_recommendation_topics(graph, n, topics):
    rows = select(graph, "SELECT ?t WHERE { ?r lg:topic ?t }", r=u(f"recommendation/general-{n}"))
    assert {str(t).rsplit("/", 1)[-1] for (t,) in rows} == topics


def test_general_recommendation_8_six_months(graph):
    text = value(graph, "SELECT ?t WHERE { ?r lg:text ?t }", r=u("recommendation/general-8"))
    assert "six months" in text
    ev = value(graph, "SELECT ?e WHERE { ?r lg:evidence ?e }", r=u("recommendation/general-8"))
    assert ev == "a perpetrator programme should preferably last for at least six months"


def test_general_recommendations_attributed_to_osce_and_unfpa(graph):
    rows = select(graph, """SELECT ?r (COUNT(DISTINCT ?o) AS ?n) WHERE { ?r lg:addressee ?a ;
        prov:wasAttributedTo ?o FILTER(?o IN (<https://w3id.org/legalgraph/id/org/int-osce>,
        <https://w3id.org/legalgraph/id/org/int-unfpa>)) } GROUP BY ?r""", a=CA)
    assert len(rows) == 11 and all(n == 2 for _, n in rows)


def test_kg_stand_alone_discrepancy(graph):
    d = u("discrepancy/kg-stand-alone-crime")
    kind = value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=d)
    assert str(kind) == VOCAB + "discrepancy-kind/contradiction"
    rows = select(graph, "SELECT ?s ?v WHERE { ?d lg:statement ?s . ?s lg:assertsValue ?v }", d=d)
    assert {(local(s), v) for s, v in rows} == {
        ("statement/common-trends-only-uzbekistan-stand-alone", False),
        ("statement/kg-criminal-code-art-177-separate-article", True)}
    both_ways = select(graph, """SELECT ?a ?b WHERE { ?a lg:contradicts ?b }""",
                       a=u("statement/common-trends-only-uzbekistan-stand-alone"),
                       b=u("statement/kg-criminal-code-art-177-separate-article"))
    back = select(graph, """SELECT ?a ?b WHERE { ?a lg:contradicts ?b }""",
                  a=u("statement/kg-criminal-code-art-177-separate-article"),
                  b=u("statement/common-trends-only-uzbekistan-stand-alone"))
    assert len(both_ways) == 1 and len(back) == 1


def test_kg_common_trends_criminalisation_status(graph):
    row = select(graph, """SELECT ?c ?sa ?lvl ?src WHERE { ?s a lg:CriminalisationStatus ; lg:country ?c ;
        lg:standAloneOffence ?sa ; lg:criminalisationLevel ?lvl ; dcterms:source ?src }""",
                 s=u("criminalisation/kg-common-trends-not-stand-alone"))
    assert row == [(ID + "country/kyrgyzstan", False, VOCAB + "criminalisation-level/elements-only",
                    ID + "section/common-trends-not-criminalised")]
    assert select(graph, "SELECT ?v WHERE { ?s lg:validUntil ?v }",
                  s=u("criminalisation/kg-common-trends-not-stand-alone")) == []


def test_kg_article_177_statement_source(graph):
    row = select(graph, "SELECT ?a ?src WHERE { ?s lg:about ?a ; dcterms:source ?src }",
                 s=u("statement/kg-criminal-code-art-177-separate-article"))
    assert row == [(ID + "country/kyrgyzstan", ID + "section/kyrgyzstan-legal-framework")]
    assert "(Article 177)" in value(graph, "SELECT ?e WHERE { ?s lg:evidence ?e }",
                                    s=u("statement/kg-criminal-code-art-177-separate-article"))


def test_protection_order_obligation_typically_30_days(graph):
    row = select(graph, """SELECT (STR(?v) AS ?vs) ?src WHERE {
        ?s lg:assertsValue ?v ; dcterms:source ?src }""",
                 s=u("statement/common-trends-obligation-in-protection-order"))
    assert row == [("P30D", ID + "section/common-trends-limited-in-time-and-scope")]


def test_no_penitentiary_programmes_identified(graph):
    text = value(graph, "SELECT ?t WHERE { ?s lg:text ?t }",
                 s=u("statement/common-trends-no-penitentiary-programmes"))
    assert "no perpetrator programmes inside penitentiaries" in text


def test_polygamy_footnote_10_sources(graph):
    s = u("statement/common-trends-polygamy")
    assert value(graph, "SELECT ?f WHERE { ?s lg:footnote ?f }", s=s) == 10
    urls = select(graph, "SELECT ?a WHERE { ?s lg:availableAt ?a } ORDER BY ?a", s=s)
    assert [a for (a,) in urls] == ["https://centralasiaprogram.org/faces-polygyny-kazakhstan/",
                                     "https://www.rferl.org/a/1057238.html"]
    desc = value(graph, "SELECT ?d WHERE { ?s dcterms:description ?d }", s=s)
    for fragment in ("16 April 2021", "2 February 2005", "Gulnoza Saidzimova", "Osmonova"):
        assert fragment in desc


def test_osmonova_title_variants(graph):
    rows = select(graph, "SELECT ?v WHERE { ?d lg:statement ?s . ?s lg:assertsValue ?v }",
                  d=u("discrepancy/osmonova-polygamy-title"))
    assert {v for (v,) in rows} == {"Polygamy as an Urgent Problem in Post-Soviet Central Asia",
                                    "POLYGAMY AS AN ACTUAL PROBLEM IN POST-SOVIET CENTRAL ASIA"}


def test_momentum_statement_names_all_five_countries(graph):
    rows = select(graph, "SELECT ?c WHERE { ?s lg:concerns ?c . ?c a lg:Country }",
                  s=u("statement/common-trends-momentum"))
    assert len(rows) == 5
    text = value(graph, "SELECT ?t WHERE { ?s lg:text ?t }", s=u("statement/common-trends-momentum"))
    for fragment in ("June 2023", "April 2023", "August 2022", "August 2019"):
        assert fragment in text


SUBSECTIONS = ["common-trends", "common-trends-not-criminalised", "common-trends-momentum",
               "common-trends-limited-in-time-and-scope", "common-trends-unclear-legal-provisions",
               "common-trends-few-experts", "common-trends-social-norms", "common-trends-preserving-family"]


@pytest.mark.parametrize("section", SUBSECTIONS)
def test_every_common_trends_subsection_has_a_regional_statement(graph, section):
    rows = select(graph, """SELECT ?s WHERE { ?s a lg:Statement ; lg:about ?r ; lg:text ?t ; lg:evidence ?e ;
        dcterms:source ?sec }""", r=CA, sec=u(f"section/{section}"))
    assert rows, section


def test_survivor_services_in_all_five_but_insufficient(graph):
    s = u("statement/common-trends-survivor-services-insufficient")
    assert len(select(graph, "SELECT ?c WHERE { ?s lg:concerns ?c . ?c a lg:Country }", s=s)) == 5
    assert "larger cities" in value(graph, "SELECT ?t WHERE { ?s lg:text ?t }", s=s)


@pytest.mark.parametrize("country", ["kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"])
def test_stated_absences_per_country(graph, country):
    # Introduction: "None of the Central Asian countries ... have signed or ratified the Istanbul Convention";
    # Common trends: "no perpetrator programmes inside penitentiaries were identified in Central Asia".
    row = select(graph, """SELECT ?s ?r ?p WHERE { ?c lg:istanbulConventionSigned ?s ;
        lg:istanbulConventionRatified ?r ; lg:custodialProgrammesIdentified ?p }""", c=u(f"country/{country}"))
    assert row == [(False, False, False)]
