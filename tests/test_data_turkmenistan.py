"""Turkmenistan facts, asserted by value against the report (chapter TURKMENISTAN, footnotes 21–23,
Common trends, Appendix › Turkmenistan)."""

from __future__ import annotations

from rdflib import URIRef

from conftest import select, tail, u, value

ID = "https://w3id.org/legalgraph/id/"
TM = URIRef(f"{ID}country/turkmenistan")
NAP = URIRef(f"{ID}act/tm-nap-gender-equality-2021-2025")




def test_country_labels_and_notation(graph):
    rows = select(graph, "SELECT ?l WHERE { ?c rdfs:label ?l }", c=TM)
    assert sorted(str(l) for (l,) in rows) == ["Turkmenistan", "Туркменистан"]
    assert value(graph, "SELECT ?n WHERE { ?c skos:notation ?n }", c=TM) == "TM"


def test_no_stand_alone_crime_elements_in_penal_code(graph):
    row = select(graph, """SELECT ?sa ?lvl ?basis WHERE { ?s lg:standAloneOffence ?sa ;
        lg:criminalisationLevel ?lvl ; lg:legalBasis ?basis }""", s=u("criminalisation/tm-not-stand-alone"))
    assert [(sa, tail(lvl), tail(b)) for sa, lvl, b in row] == [(False, "elements-only", "tm-penal-code")]
    provides = value(graph, "SELECT ?p WHERE { ?a lg:provides ?p }", a=u("act/tm-penal-code"))
    assert "rape" in provides and "bride kidnapping" in provides and "sex trafficking" in provides


def test_no_separate_domestic_violence_law(graph):
    acts = select(graph, """SELECT ?a WHERE { ?a a lg:LegalAct ; lg:jurisdiction ?c ; eli:type_document ?t }""",
                  c=TM, t=URIRef("https://w3id.org/legalgraph/vocab/act-type/law"))
    # the only law named is the 2015 law on equal rights; there is no separate DV law
    assert [tail(a) for (a,) in acts] == ["tm-law-state-guarantees-equal-rights-2015"]


def test_law_2015_and_equal_protection_obligation(graph):
    law = u("act/tm-law-state-guarantees-equal-rights-2015")
    assert str(value(graph, "SELECT ?y WHERE { ?a lg:adoptionYear ?y }", a=law)) == "2015"
    row = select(graph, "SELECT ?t ?b WHERE { ?o lg:dutyType ?t ; lg:legalBasis ?b }",
                 o=u("obligation/tm-state-guarantee-equal-protection"))
    assert [(tail(t), tail(b)) for t, b in row] == [("guarantee-protection", "tm-law-state-guarantees-equal-rights-2015")]


def test_nap_period_decree_and_language(graph):
    row = select(graph, """SELECT ?s ?e ?lang ?n ?y WHERE { ?a lg:periodStart ?s ; lg:periodEnd ?e ; lg:documentLanguage ?lang ;
        lg:legalBasis ?d . ?d lg:actNumber ?n ; lg:adoptionYear ?y }""", a=NAP)
    assert [(str(s), str(e), lang, n, str(y)) for s, e, lang, n, y in row] == [("2021", "2025", "en", "2007", "2020")]
    passed = value(graph, "SELECT ?p WHERE { ?d eli:passed_by ?p }", d=u("act/tm-presidential-decree-2007-2020"))
    assert tail(passed) == "tm-president"


def test_nap_actions_4_1_and_4_2(graph):
    rows = select(graph, "SELECT ?p ?n ?f WHERE { ?p eli:is_part_of ?a ; eli:number ?n ; lg:footnote ?f } ORDER BY ?n", a=NAP)
    assert [(tail(p), n, f) for p, n, f in rows] == [("action-4-1", "4.1", 21), ("action-4-2", "4.2", 22)]
    crim = value(graph, "SELECT ?t WHERE { ?p lg:provides ?t }", p=u("act/tm-nap-gender-equality-2021-2025/action-4-1"))
    assert "criminalise all forms of gender-based violence" in crim


def test_appendix_turkmenistan_six_documents_in_order(graph):
    rows = select(graph, """SELECT ?o ?d WHERE { ?d a lg:LegalAct ; lg:listedInAppendix true ; lg:appendixOrder ?o ;
        dcterms:source ?s } ORDER BY ?o""", s=u("section/appendix-turkmenistan"))
    assert [(o, tail(d)) for o, d in rows] == [
        (1, "tm-nap-gender-equality-2021-2025"),
        (2, "tm-draft-guidelines-internal-affairs-officers-2021"),
        (3, "tm-methodological-guidance-health-services-2020"),
        (4, "tm-draft-sops-internal-affairs-officers"),
        (5, "tm-sops-social-workers"),
        (6, "tm-roadmap-national-survey-2022-2025"),
    ]


def test_draft_guidelines_2021(graph):
    g = u("act/tm-draft-guidelines-internal-affairs-officers-2021")
    row = select(graph, "SELECT ?s ?y ?l WHERE { ?a lg:status ?s ; lg:year ?y ; lg:documentLanguage ?l }", a=g)
    assert [(tail(s), str(y), l) for s, y, l in row] == [("draft", "2021", "ru")]
    pubs = select(graph, "SELECT ?p WHERE { ?a lg:publisher ?p }", a=g)
    assert sorted(tail(p) for (p,) in pubs) == ["int-unfpa", "tm-institute-of-state-law-and-democracy",
                                                "tm-ministry-of-internal-affairs"]


def test_united_nations_line_is_an_organisation_with_ambiguity(graph):
    org = u("org/tm-united-nations-turkmenistan")
    assert value(graph, "SELECT ?o WHERE { ?x a lg:Organisation ; lg:appendixOrder ?o }", x=org) == 7
    assert (org, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("https://w3id.org/legalgraph/ontology#LegalAct")) not in graph
    row = select(graph, "SELECT ?k (COUNT(?s) AS ?n) WHERE { ?d lg:discrepancyKind ?k ; lg:statement ?s } GROUP BY ?k",
                 d=u("discrepancy/tm-appendix-united-nations-line"))
    assert [(tail(k), n) for k, n in row] == [("ambiguity", 2)]


def test_survey_date_discrepancy_has_three_values(graph):
    d = u("discrepancy/tm-survey-dates")
    vals = select(graph, "SELECT ?v ?sec WHERE { ?d lg:statement ?s . ?s lg:assertsValue ?v ; dcterms:source ?sec }", d=d)
    got = {(str(v), tail(sec)) for v, sec in vals}
    assert got == {("2020", "turkmenistan-perpetrator-programmes"), ("2021", "turkmenistan-perpetrator-programmes"),
                   ("2022-08", "common-trends-momentum")}
    assert tail(value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=d)) == "date-variant"
    assert (u("statement/tm-survey-report-2021"), URIRef("https://w3id.org/legalgraph/ontology#contradicts"),
            u("statement/tm-survey-published-2022-08")) in graph


def test_survey_activity_and_report_publishers(graph):
    row = select(graph, "SELECT ?y ?t ?org WHERE { ?a lg:year ?y ; lg:activityType ?t ; lg:organisedBy ?org }",
                 a=u("activity/tm-2020-national-survey"))
    assert [(str(y), tail(t), tail(o)) for y, t, o in row] == [("2020", "survey", "tm-government")]
    rep = u("act/tm-national-survey-report-2021")
    assert value(graph, "SELECT ?f WHERE { ?a lg:footnote ?f }", a=rep) == 23
    pubs = select(graph, "SELECT ?p WHERE { ?a lg:publisher ?p }", a=rep)
    assert sorted(tail(p) for (p,) in pubs) == ["int-unfpa", "tm-institute-of-state-law-and-democracy",
                                                "tm-ministry-of-health-and-medical-industry",
                                                "tm-state-statistics-committee"]


def test_roadmap_period_and_content(graph):
    r = u("act/tm-roadmap-national-survey-2022-2025")
    row = select(graph, "SELECT ?s ?e ?t WHERE { ?a lg:periodStart ?s ; lg:periodEnd ?e ; eli:type_document ?t }", a=r)
    assert [(str(s), str(e), tail(t)) for s, e, t in row] == [("2022", "2025", "roadmap")]
    provides = value(graph, "SELECT ?p WHERE { ?a lg:provides ?p }", a=r)
    assert "men who have committed violence" in provides and "perpetrator programmes" in provides


def test_csos_preserve_family_and_run_shelters(graph):
    rows = select(graph, """SELECT ?o ?pl WHERE { ?o lg:country ?c ; lg:aimFramedAsFamilyPreservation true ;
        lg:providesMediation true ; lg:runsShelter true ; lg:place/rdfs:label ?pl }""", c=TM)
    assert sorted((tail(o), str(pl)) for o, pl in rows) == [("tm-keyik-okara", "Ashgabat"),
                                                           ("tm-taze-zaman", "Lebap region")]


def test_no_programme_in_turkmenistan(graph):
    assert value(graph, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a lg:PerpetratorProgramme ; lg:country ?c }", c=TM) == 0


def test_seven_recommendations(graph):
    rows = select(graph, "SELECT ?o ?t WHERE { ?r a lg:Recommendation ; lg:addressee ?c ; lg:ordinal ?o ; lg:topic ?t }", c=TM)
    topics: dict[int, set[str]] = {}
    for o, t in rows:
        topics.setdefault(o, set()).add(tail(t))
    assert sorted(topics) == [1, 2, 3, 4, 5, 6, 7]
    assert "legislation" in topics[1]
    assert "criminalisation" in topics[2]
    assert "pilots" in topics[3]
    assert "survivor-centred" in topics[4]
    assert "best-practice" in topics[7]
    concerns = select(graph, "SELECT ?x WHERE { ?r lg:concerns ?x }", r=u("recommendation/tm-2"))
    assert tail(NAP) in {tail(x) for (x,) in concerns}


def test_methodological_guidance_2020_has_no_status(graph):
    # Appendix › Turkmenistan lists it without a status.
    g = u("act/tm-methodological-guidance-health-services-2020")
    assert select(graph, "SELECT ?s WHERE { ?a lg:status ?s }", a=g) == []
    assert value(graph, "SELECT ?n WHERE { ?a lg:notStated ?n }", a=g) == "https://w3id.org/legalgraph/ontology#status"
