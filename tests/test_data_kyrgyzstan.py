"""Kyrgyzstan facts, asserted by value against the report (chapter KYRGYZSTAN incl. footnotes 12–16,
case studies 1 and 2, Common trends, Appendix › Kyrgyzstan)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from conftest import select, u, value
from legalgraph.namespaces import PREFIXES

ID = "https://w3id.org/legalgraph/id/"
VOCAB = "https://w3id.org/legalgraph/vocab/"
XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
KG = URIRef(f"{ID}country/kyrgyzstan")
LAW = URIRef(f"{ID}act/kg-law-63-2017")
RES = URIRef(f"{ID}act/kg-resolution-390-2019")



def local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def lex(g, query: str, **bindings) -> list[tuple[str, ...]]:
    """Rows as lexical forms (xsd:duration stays 'P1M' instead of a Python Duration)."""
    return [tuple(str(v) for v in row) for row in g.query(query, initNs=PREFIXES, initBindings=bindings)]


def test_country_labels_and_notation(graph):
    rows = select(graph, "SELECT ?l WHERE { ?c rdfs:label ?l }", c=KG)
    assert sorted(str(l) for (l,) in rows) == ["Kyrgyzstan", "Кыргызстан"]
    assert value(graph, "SELECT ?n WHERE { ?c skos:notation ?n }", c=KG) == "KG"


def test_law_63_number_year_url_and_replaces_2003_law(graph):
    n, y, ru = select(graph, """SELECT ?n ?y ?ru WHERE { ?a lg:actNumber ?n ; lg:adoptionYear ?y ;
        lg:availableInRussianAt ?ru }""", a=LAW)[0]
    assert (n, str(y), ru) == ("63", "2017", "http://cbd.minjust.gov.kg/act/view/ru-ru/111570")
    old = value(graph, "SELECT ?o WHERE { ?a lg:replaces ?o }", a=LAW)
    assert str(value(graph, "SELECT ?y WHERE { ?o lg:adoptionYear ?y }", o=URIRef(old))) == "2003"
    assert local(value(graph, "SELECT ?s WHERE { ?o lg:status ?s }", o=URIRef(old))) == "replaced"


def test_appendix_lists_law_resolution_and_three_annexes_with_urls(graph):
    rows = select(graph, """SELECT ?o ?url WHERE { ?d a lg:LegalAct ; lg:listedInAppendix true ;
        lg:appendixOrder ?o ; lg:availableInRussianAt ?url ; lg:jurisdiction ?c } ORDER BY ?o""", c=KG)
    assert rows == [
        (1, "http://cbd.minjust.gov.kg/act/view/ru-ru/111570"),
        (2, "http://cbd.minjust.gov.kg/act/view/ru-ru/14713?cl=ru-ru"),
        (3, "http://cbd.minjust.gov.kg/act/view/ru-ru/14820?cl=ru-ru"),
        (4, "http://cbd.minjust.gov.kg/act/view/ru-ru/14826?cl=ru-ru"),
        (5, "http://cbd.minjust.gov.kg/act/view/ru-ru/14843?cl=ru-ru"),
    ]


def test_resolution_390_has_three_annex_provisions_with_own_order_and_url(graph):
    rows = select(graph, """SELECT ?n ?o ?url WHERE { ?p a lg:Annex ; eli:is_part_of ?r ; eli:number ?n ;
        lg:appendixOrder ?o ; lg:availableInRussianAt ?url } ORDER BY ?n""", r=RES)
    assert [(n, o) for n, o, _ in rows] == [("1", 3), ("2", 4), ("3", 5)]
    assert rows[2][2] == "http://cbd.minjust.gov.kg/act/view/ru-ru/14843?cl=ru-ru"


def test_resolution_390_date_number_and_both_act_types(graph):
    d = value(graph, "SELECT ?d WHERE { ?a lg:adoptionDate ?d }", a=RES)
    assert str(d) == "2019-08-01"
    assert value(graph, "SELECT ?n WHERE { ?a lg:actNumber ?n }", a=RES) == "390"
    types = select(graph, "SELECT ?t WHERE { ?a eli:type_document ?t }", a=RES)
    assert sorted(local(t) for (t,) in types) == ["decree", "resolution"]
    executor = value(graph, """SELECT ?b WHERE { ?o lg:legalBasis ?a ; lg:dutyType ?t ; lg:bearer ?b }""",
                     a=RES, t=URIRef(VOCAB + "duty-type/execute"))
    assert local(executor) == "kg-department-of-social-development"


def test_criminal_code_article_177_from_2021(graph):
    art = u("act/kg-criminal-code/art-177")
    assert value(graph, "SELECT ?n WHERE { ?a eli:number ?n }", a=art) == "177"
    row = select(graph, """SELECT ?c ?sa ?from WHERE { ?s lg:legalBasis ?a ; lg:criminalised ?c ;
        lg:standAloneOffence ?sa ; lg:validFrom ?from }""", a=art)
    assert [(c, sa, str(f)) for c, sa, f in row] == [(True, True, "2021")]


def test_stand_alone_discrepancy_has_contradicting_values(graph):
    rows = select(graph, """SELECT ?v WHERE { ?d lg:statement ?s . ?s lg:assertsValue ?v }""",
                  d=u("discrepancy/kg-stand-alone-crime"))
    assert sorted(v for (v,) in rows) == [False, True]
    assert value(graph, """SELECT (COUNT(*) AS ?n) WHERE { ?d lg:statement ?a , ?b .
        ?a lg:contradicts ?b }""", d=u("discrepancy/kg-stand-alone-crime")) >= 1


def test_protection_order_durations_and_sanction(graph):
    po = u("protection-order/kg-law-63")
    rows = lex(graph, """SELECT ?i ?e ?o ?h WHERE { ?p lg:initialDuration ?i ;
        lg:extendedDuration ?e ; lg:extensionObligesProgramme ?o ; lg:sanctionCommunityServiceHours ?h }""", p=po)
    assert rows == [("P3D", "P1M", "true", "40")]
    basis = value(graph, "SELECT ?b WHERE { ?p lg:sanctionBasis ?b }", p=po)
    assert local(basis) == "kg-code-of-offences"


def test_institutional_mechanism_has_17_bodies(graph):
    assert value(graph, "SELECT ?n WHERE { ?o lg:memberCount ?n }", o=u("org/kg-institutional-mechanism")) == 17


def test_ministry_of_labour_obligations_cite_articles_11_1_7_and_11_2_4(graph):
    rows = select(graph, """SELECT DISTINCT ?n WHERE { ?o lg:bearer ?m ; lg:dutyType ?t ; lg:legalBasis ?a .
        ?a eli:number ?n }""", m=u("org/kg-ministry-of-labour"), t=URIRef(VOCAB + "duty-type/elaborate-programme"))
    assert sorted(n for (n,) in rows) == ["11.1.7", "11.2.4"]


def test_ministry_of_labour_keeps_both_names_and_discrepancy(graph):
    m = u("org/kg-ministry-of-labour")
    assert value(graph, 'SELECT ?l WHERE { ?m rdfs:label ?l }', m=m) == "Ministry of Labour, Social Security and Migration"
    alts = select(graph, "SELECT ?l WHERE { ?m skos:altLabel ?l }", m=m)
    assert [str(l) for (l,) in alts] == ["Ministry of Labour, Social Protection and Migration"]
    vals = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
                  d=u("discrepancy/kg-ministry-of-labour-name"))
    assert sorted(v for (v,) in vals) == ["Ministry of Labour, Social Protection and Migration",
                                          "Ministry of Labour, Social Security and Migration"]


def test_aksakal_courts_resolve_cases_and_frame_aim_as_family(graph):
    a = u("org/kg-aksakal-courts")
    fam, med = select(graph, """SELECT ?f ?m WHERE { ?a lg:aimFramedAsFamilyPreservation ?f ;
        lg:providesMediation ?m }""", a=a)[0]
    assert (fam, med) == (True, True)
    bases = select(graph, """SELECT ?b WHERE { ?o lg:bearer ?a ; lg:dutyType ?t ; lg:legalBasis ?b }""",
                   a=a, t=URIRef(VOCAB + "duty-type/resolve-cases"))
    assert sorted(local(b) for (b,) in bases) == ["kg-law-63-2017", "kg-law-on-aksakal"]


def test_model_programme_variants_sessions_and_durations(graph):
    rows = lex(graph, """SELECT ?p ?i ?g ?t ?d WHERE { ?p lg:variantOf ?m ; lg:individualSessions ?i ;
        lg:groupSessions ?g ; lg:totalSessions ?t ; lg:duration ?d } ORDER BY ?p""",
               m=u("programme/kg-model-programme"))
    got = {local(p): (i, g, t, d) for p, i, g, t, d in rows}
    assert got == {"kg-model-mandatory": ("2", "2", "4", "P28D"),
                   "kg-model-voluntary-men": ("2", "24", "26", "P6M"),
                   "kg-model-voluntary-women": ("2", "16", "18", "P4M")}


def test_model_programme_languages_and_definition(graph):
    m = u("programme/kg-model-programme")
    langs = select(graph, "SELECT ?l WHERE { ?m lg:sessionLanguage ?l }", m=m)
    assert sorted(l for (l,) in langs) == ["ky", "ru"]
    assert value(graph, "SELECT ?a WHERE { ?m lg:definedBy ?a }", m=m) == str(RES) + "/annex-3"
    gender = value(graph, "SELECT ?g WHERE { ?p lg:targetGender ?g }", p=u("programme/kg-model-mandatory"))
    assert local(gender) == "men-and-women"


def test_first_pilots_2009_chance_and_sezim_with_lithuania_poland_curriculum(graph):
    p = u("programme/kg-chance-sezim-pilots-2009")
    assert str(value(graph, "SELECT ?y WHERE { ?p lg:startYear ?y }", p=p)) == "2009"
    providers = select(graph, "SELECT ?o WHERE { ?p lg:provider ?o }", p=p)
    assert sorted(local(o) for (o,) in providers) == ["kg-chance-crisis-centre", "kg-sezim-crisis-centre"]
    assert value(graph, "SELECT ?m WHERE { ?p lg:methodology ?m }", p=p) == ID + "method/kg-lithuania-poland-curriculum"


def test_chance_mandatory_programme_and_follow_up(graph):
    p = u("programme/kg-chance-mandatory")
    rows = lex(graph, """SELECT ?i ?g ?d ?fd ?fi WHERE { ?p lg:individualSessions ?i ;
        lg:groupSessions ?g ; lg:duration ?d ; lg:followUpDuration ?fd ; lg:followUpInterval ?fi }""", p=p)
    # rdflib normalises "P18M" to "P1Y6M" (same duration).
    assert rows == [("2", "2", "P1M", "P1Y6M", "P3M")]
    assert local(value(graph, "SELECT ?r WHERE { ?p lg:referralPath ?r }", p=p)) == "police"
    assert local(value(graph, "SELECT ?b WHERE { ?p lg:followUpBy ?b }", p=p)) == "kg-department-of-social-development"


def test_chance_voluntary_24_weeks_and_women_group_only(graph):
    assert lex(graph, "SELECT ?d WHERE { ?p lg:duration ?d }", p=u("programme/kg-chance-voluntary")) == [("P168D",)]
    assert value(graph, "SELECT ?i WHERE { ?p lg:individualSessions ?i }", p=u("programme/kg-chance-women")) == 0


def test_duration_discrepancies_keep_both_figures(graph):
    mand = lex(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
               d=u("discrepancy/kg-mandatory-duration"))
    assert sorted(v for (v,) in mand) == ["P1M", "P28D"]
    vol = lex(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
              d=u("discrepancy/kg-voluntary-duration"))
    assert sorted(v for (v,) in vol) == ["P168D", "P6M"]
    kind = value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=u("discrepancy/kg-voluntary-duration"))
    assert local(kind) == "figure-variant"


def test_ayalzat_mandatory_16_hours_men_referred_by_two_ministries(graph):
    p = u("programme/kg-ayalzat-mandatory")
    assert lex(graph, "SELECT ?h ?d WHERE { ?p lg:totalHours ?h ; lg:duration ?d }", p=p) == [("16", "P1M")]
    refs = select(graph, "SELECT ?o WHERE { ?p lg:referredBy ?o }", p=p)
    assert sorted(local(o) for (o,) in refs) == ["kg-ministry-of-interior", "kg-ministry-of-labour"]
    assert local(value(graph, "SELECT ?g WHERE { ?p lg:targetGender ?g }", p=p)) == "men"


def test_ayalzat_questionnaire_18_months_and_spelling_variant(graph):
    tool = value(graph, "SELECT ?t WHERE { ?p lg:evaluationTool ?t }", p=u("programme/kg-ayalzat"))
    assert tool == ID + "tool/kg-ayalzat-follow-up-questionnaire"
    fd = value(graph, "SELECT ?d WHERE { ?t lg:followUpDuration ?d }", t=URIRef(tool))
    assert fd == Literal("P18M", datatype=XSD_DURATION).toPython()
    vals = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
                  d=u("discrepancy/kg-ayalzat-spelling"))
    assert sorted(v for (v,) in vals) == ["Aialzat", "Ayalzat"]


def test_footnote_14_lists_five_crisis_centres_with_places(graph):
    rows = select(graph, """SELECT ?l ?pl WHERE { ?o a lg:Organisation ; org:classification ?t ; lg:footnote 14 ;
        rdfs:label ?l ; lg:place ?p . ?p rdfs:label ?pl }""", t=URIRef(VOCAB + "org-type/crisis-centre"))
    got = {str(l).replace(" crisis centre", ""): str(pl) for l, pl in rows}
    assert got == {"Meerman": "Karakol", "Ayalzat": "Karakol", "Tendesh": "Naryn", "Ak-Zhurok": "Osh",
                   "Chance": "Bishkek"}
    assert value(graph, "SELECT ?n WHERE { ?a lg:participants ?n }",
                 a=u("activity/kg-2021-state-support-crisis-centres")) == 5


def test_osce_training_may_2023_and_pool(graph):
    date, n = select(graph, "SELECT ?d ?n WHERE { ?a lg:date ?d ; lg:participants ?n }",
                     a=u("activity/kg-osce-training-2023"))[0]
    assert (str(date), n) == ("2023-05", 14)
    assert value(graph, "SELECT ?n WHERE { ?a lg:participants ?n }", a=u("activity/kg-osce-trainer-pool")) == 14
    assert lex(graph, "SELECT ?d WHERE { ?a lg:duration ?d }",
               a=u("activity/kg-osce-trainer-internship")) == [("P4M",)]


def test_lsg_obliged_to_fund_by_law_on_crime_prevention(graph):
    row = select(graph, """SELECT ?b ?f WHERE { ?o lg:bearer ?l ; lg:dutyType ?t ; lg:legalBasis ?b ;
        lg:footnote ?f }""", l=u("org/kg-local-self-governments"), t=URIRef(VOCAB + "duty-type/fund"))
    assert [(local(b), f) for b, f in row] == [("kg-law-on-crime-prevention", 15)]


def test_five_recommendations_in_order_with_topics(graph):
    rows = select(graph, """SELECT ?r ?o WHERE { ?r a lg:Recommendation ; lg:addressee ?c ; lg:ordinal ?o }
        ORDER BY ?o""", c=KG)
    assert [(local(r), o) for r, o in rows] == [(f"kg-{n}", n) for n in range(1, 6)]
    topics = select(graph, "SELECT ?t WHERE { ?r lg:topic ?t }", r=u("recommendation/kg-2"))
    assert "probation" in {local(t) for (t,) in topics}
    assert value(graph, "SELECT ?t WHERE { ?r lg:concerns ?t }", r=u("recommendation/kg-5")) == \
        ID + "tool/wwp-en-impact-toolkit"


def test_case_studies_numbered(graph):
    rows = select(graph, "SELECT ?c ?n WHERE { ?c a lg:CaseStudy ; lg:caseNumber ?n ; lg:country ?k } ORDER BY ?n",
                  k=KG)
    assert [(local(c), n) for c, n in rows] == [("kg-1-chance", 1), ("kg-2-ayalzat", 2)]


SOURCE = URIRef("http://purl.org/dc/terms/source")


def test_law_63_contains_correctional_conversations_per_common_trends(graph):
    # Common trends › Unclear legal provisions: all the laws "contain various notions of so-called
    # correctional conversations as a first measure".
    law = u("act/kg-law-63-2017")
    assert value(graph, "SELECT ?x WHERE { ?a lg:correctionalTalks ?x }", a=law) is True
    assert (law, SOURCE, u("section/common-trends-unclear-legal-provisions")) in graph


def _sections(graph, node):
    return sorted(str(s).rsplit("/", 1)[-1] for s in graph.objects(u(node), SOURCE))


@pytest.mark.parametrize(("node", "expected"), [
    # Only footnote 14 names them: cited to Kyrgyzstan › Perpetrator programmes, where it is called.
    ("org/kg-meerman-crisis-centre", ["kyrgyzstan-perpetrator-programmes"]),
    ("org/kg-tendesh-crisis-centre", ["kyrgyzstan-perpetrator-programmes"]),
    ("org/kg-ak-zhurok-crisis-centre", ["kyrgyzstan-perpetrator-programmes"]),
    ("programme/kg-meerman", ["kyrgyzstan-perpetrator-programmes"]),
    ("programme/kg-tendesh", ["kyrgyzstan-perpetrator-programmes"]),
    ("programme/kg-ak-zhurok", ["kyrgyzstan-perpetrator-programmes"]),
    ("place/kg-naryn", ["kyrgyzstan-perpetrator-programmes"]),
    ("place/kg-osh", ["kyrgyzstan-perpetrator-programmes"]),
    ("place/kg-karakol", ["kyrgyzstan-case-study-2", "kyrgyzstan-perpetrator-programmes"]),
    ("statement/kg-ayalzat-spelt-aialzat", ["kyrgyzstan-perpetrator-programmes"]),
    ("statement/kg-all-programmes-by-crisis-centres", ["kyrgyzstan-perpetrator-programmes"]),
    ("org/kg-ayalzat-crisis-centre", ["kyrgyzstan-case-study-2", "kyrgyzstan-perpetrator-programmes"]),
    ("programme/kg-ayalzat", ["kyrgyzstan-case-study-2", "kyrgyzstan-perpetrator-programmes"]),
    ("programme/kg-chance", ["kyrgyzstan-case-study-1", "kyrgyzstan-perpetrator-programmes"]),
])
def test_footnote_14_claims_cite_kyrgyzstan_perpetrator_programmes(graph, node, expected):
    assert _sections(graph, node) == expected


def test_guidelines_developed_in_co_operation_with_the_association_not_by_it(graph):
    # Kyrgyzstan › Perpetrator programmes: "guidelines were developed in co-operation with the Association
    # of Crisis Centres", in a paragraph on UNFPA Kyrgyzstan's support.
    act = u("activity/kg-guidelines-development")
    assert select(graph, "SELECT ?o WHERE { ?a lg:organisedBy ?o }", a=act) == []
    assert value(graph, "SELECT ?o WHERE { ?a prov:wasAssociatedWith ?o }", a=act) == (
        "https://w3id.org/legalgraph/id/org/kg-association-of-crisis-centres")


V = "https://w3id.org/legalgraph/vocab/"


def _tails(graph, node, prop):
    return sorted(str(o).rsplit("/", 1)[-1] for (o,) in select(graph, f"SELECT ?o WHERE {{ ?s {prop} ?o }}", s=u(node)))


def test_non_attendance_sanctions_one_value_each(graph):
    # Kyrgyzstan › Legal and policy framework: "can be given a warning or 40 hours of community service".
    assert _tails(graph, "protection-order/kg-law-63", "lg:nonAttendanceSanction") == ["community-service", "warning"]


def test_chance_separate_groups_and_monitoring_after_completion(graph):
    # Case study 1: "conducted in separate locations"; women "are not monitored after the completion".
    assert value(graph, "SELECT ?x WHERE { ?p lg:separateGroupsByGender ?x }", p=u("programme/kg-chance")) is True
    assert value(graph, "SELECT ?x WHERE { ?p lg:monitoringAfterCompletion ?x }", p=u("programme/kg-chance-women")) is False
    assert value(graph, "SELECT ?x WHERE { ?p lg:monitoringAfterCompletion ?x }",
                 p=u("programme/kg-chance-mandatory")) is True


def test_model_programme_basic_therapy_first(graph):
    # Kyrgyzstan › Legal and policy framework: mental disorders or addiction: "must undergo basic therapy".
    assert _tails(graph, "programme/kg-model-programme", "lg:exclusionCriterion") == ["acute-mental-illness", "addiction"]
    assert _tails(graph, "programme/kg-model-programme", "lg:eligibilityCriterion") == ["prior-basic-therapy"]


def test_ayalzat_evaluation_by_perpetrators_and_close_relations(graph):
    # Case study 2: "a questionnaire that perpetrators and their close relations fill in 18 months after".
    assert _tails(graph, "programme/kg-ayalzat", "lg:evaluationParticipant") == ["close-relations", "perpetrator"]


def test_osce_trainers_in_gender_balanced_pairs(graph):
    # Kyrgyzstan › Perpetrator programmes: "14 trainers (7 gender-balanced pairs)".
    assert value(graph, "SELECT ?x WHERE { ?a lg:genderBalancedStaff ?x }", a=u("activity/kg-osce-training-2023")) is True
