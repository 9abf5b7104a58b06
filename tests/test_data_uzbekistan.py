"""Uzbekistan facts, asserted by value against the report (chapter UZBEKISTAN, footnotes 24–26,
case study Oydin Nur, Common trends, Appendix › Uzbekistan)."""

from __future__ import annotations

from rdflib import URIRef

from conftest import select, tail, u, value
from legalgraph.namespaces import PREFIXES

ID = "https://w3id.org/legalgraph/id/"
UZ = URIRef(f"{ID}country/uzbekistan")
LAW = URIRef(f"{ID}act/uz-law-lru-561-2019")
AMENDMENT = URIRef(f"{ID}act/uz-act-lru-829-2023")
OYDIN = URIRef(f"{ID}programme/uz-oydin-nur-correctional-programme")
PO = URIRef(f"{ID}protection-order/uz-law-561")



def raw(g, query: str, **bindings) -> list[str]:
    """Lexical forms of a one-column SELECT (durations, years, months) in order."""
    return [str(row[0]) for row in g.query(query, initNs=PREFIXES, initBindings=bindings)]



def test_country_labels_and_notation(graph):
    rows = select(graph, "SELECT ?l WHERE { ?c rdfs:label ?l }", c=UZ)
    assert sorted(str(l) for (l,) in rows) == ["Uzbekistan", "Узбекистан"]
    assert value(graph, "SELECT ?n WHERE { ?c skos:notation ?n }", c=UZ) == "UZ"


def test_law_561_number_year_and_url(graph):
    assert value(graph, "SELECT ?n WHERE { ?a lg:actNumber ?n }", a=LAW) == "LRU-561"
    assert raw(graph, "SELECT ?y WHERE { ?a lg:adoptionYear ?y }", a=LAW) == ["2019"]
    assert value(graph, "SELECT ?u WHERE { ?a lg:availableInRussianAt ?u }", a=LAW) == "https://lex.uz/docs/4494712"


def test_lru_829_amends_lru_561_both_ways(graph):
    assert value(graph, "SELECT ?t WHERE { ?a eli:amends ?t }", a=AMENDMENT) == str(LAW)
    assert value(graph, "SELECT ?t WHERE { ?a eli:amended_by ?t }", a=LAW) == str(AMENDMENT)
    assert value(graph, "SELECT ?n WHERE { ?a lg:actNumber ?n }", a=AMENDMENT) == "LRU-829"
    assert raw(graph, "SELECT ?d WHERE { ?a lg:adoptionDate ?d }", a=AMENDMENT) == ["2023-04"]
    assert value(graph, "SELECT ?u WHERE { ?a lg:availableInRussianAt ?u }", a=AMENDMENT) == (
        "https://www.lex.uz/ru/docs/6430278")


def test_appendix_documents_in_order(graph):
    rows = select(graph, """SELECT ?d ?o WHERE { ?d lg:listedInAppendix true ; lg:appendixOrder ?o ;
        lg:jurisdiction ?uz } ORDER BY ?o""", uz=UZ)
    assert [(tail(d), o) for d, o in rows] == [
        ("uz-law-lru-561-2019", 1), ("uz-act-lru-829-2023", 2), ("uz-senate-resolution-strategy-2030", 3)]
    assert value(graph, "SELECT ?u WHERE { ?a lg:availableAt ?u }", a=u("act/uz-senate-resolution-strategy-2030")) == (
        "https://www.ilo.org/dyn/natlex/natlex4.detail?p_isn=114128")


def test_law_561_title_variants_discrepancy(graph):
    vals = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }", d=u("discrepancy/uz-law-561-title"))
    assert sorted(v for (v,) in vals) == [
        "on Protecting Women against Harassment and Violence",
        "on Protection of Women from Harassment and Abuse",
        "on the Protection of Women against Harassment and Violence"]
    alts = select(graph, "SELECT ?t WHERE { ?a lg:alternativeTitle ?t }", a=LAW)
    assert len(alts) == 2
    nums = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }", d=u("discrepancy/uz-law-561-number"))
    assert sorted(v for (v,) in nums) == ["561", "LRU-561"]


def test_article_22_preventive_conversations(graph):
    art = u("act/uz-law-lru-561-2019/art-22")
    row = select(graph, "SELECT ?n ?fn WHERE { ?a eli:number ?n ; lg:footnote ?fn ; eli:is_part_of ?l }", a=art, l=LAW)
    assert row == [("22", 24)]
    ob = u("obligation/uz-authorised-body-preventive-conversations")
    assert value(graph, "SELECT ?b WHERE { ?o lg:legalBasis ?b }", o=ob) == str(art)
    assert tail(value(graph, "SELECT ?t WHERE { ?o lg:dutyType ?t }", o=ob)) == "correctional-talk"
    assert value(graph, "SELECT ?b WHERE { ?o lg:bearer ?b }", o=ob) == ID + "role/authorised-body-representative"


def test_obligations_on_extension_of_protection_order(graph):
    rows = select(graph, """SELECT ?b ?t WHERE { ?o lg:country ?uz ; lg:concernsProgrammes true ;
        lg:bearer ?b ; lg:dutyType ?t ; lg:legalBasis ?l }""", uz=UZ, l=LAW)
    assert sorted((tail(b), tail(t)) for b, t in rows) == [
        ("perpetrator", "undergo-programme"), ("uz-cabinet-of-ministers", "determine-procedure")]
    assert value(graph, "SELECT ?x WHERE { ?p lg:extensionObligesProgramme ?x }", p=PO) is True


def test_courts_extend_protection_orders_by_up_to_one_year(graph):
    # Uzbekistan › Legal and policy framework: "enabling the courts to extend the validity of protection
    # orders by up to one year": an upper bound on the extension, not a length after extension.
    assert raw(graph, "SELECT ?d WHERE { ?p lg:maximumExtension ?d }", p=PO) == ["P1Y"]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:extendedDuration|lg:maximumDuration|lg:initialDuration ?d }", p=PO) == []
    assert value(graph, "SELECT ?i WHERE { ?p lg:extensionIssuer ?i }", p=PO) == ID + "org/uz-courts"
    assert tail(value(graph, "SELECT ?c WHERE { ?i org:classification ?c }", i=u("org/uz-courts"))) == "court"


def test_criminalisation_stand_alone_from_april_2023(graph):
    rows = graph.query("""SELECT ?c ?s ?from ?until WHERE { ?c a lg:CriminalisationStatus ; lg:country ?uz
        OPTIONAL { ?c lg:standAloneOffence ?s } OPTIONAL { ?c lg:validFrom ?from } OPTIONAL { ?c lg:validUntil ?until } }""",
                       initNs=PREFIXES, initBindings={"uz": UZ})
    got = {tail(c): (None if s is None else s.toPython(), None if f is None else str(f),
                     None if t is None else str(t)) for c, s, f, t in rows}
    assert got["uz-common-trends-stand-alone"] == (True, "2023-04", None)
    assert got["uz-before-2023-not-criminalised"] == (False, None, "2023-04")
    assert got["uz-2023-criminalised"] == (None, "2023-04", None)
    assert value(graph, "SELECT ?b WHERE { ?c lg:legalBasis ?b }", c=u("criminalisation/uz-2023-criminalised")) == str(AMENDMENT)


def test_planned_road_map_and_pending_sops(graph):
    road = u("act/uz-roadmap-implementation-dv-law")
    assert tail(value(graph, "SELECT ?s WHERE { ?a lg:status ?s }", a=road)) == "planned"
    assert raw(graph, "SELECT ?y WHERE { ?a lg:year ?y }", a=road) == ["2023"]
    sops = u("act/uz-unfpa-sops-work-with-perpetrators")
    assert tail(value(graph, "SELECT ?s WHERE { ?a lg:status ?s }", a=sops)) == "pending-approval"
    assert tail(value(graph, "SELECT ?t WHERE { ?a eli:type_document ?t }", a=sops)) == "sop"
    assert value(graph, "SELECT ?o WHERE { ?a lg:organisedBy ?o ; lg:affects ?s }",
                 a=u("activity/uz-commission-review-sops"), s=sops) == ID + "org/uz-commission-gender-equality"


def test_29_rehabilitation_centres_and_shelters_discrepancy(graph):
    net = u("org/uz-rehabilitation-centres-network")
    assert value(graph, "SELECT ?n WHERE { ?o lg:memberCount ?n }", o=net) == 29
    assert value(graph, "SELECT ?f WHERE { ?o lg:fundedBy ?f }", o=net) == ID + "org/uz-state-trust-fund-support-women"
    vals = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
                  d=u("discrepancy/uz-rehabilitation-centres-vs-shelters"))
    assert sorted(v for (v,) in vals) == ["29 rehabilitation centres", "29 shelters"]
    assert raw(graph, "SELECT ?y WHERE { ?a lg:adoptionYear ?y }",
               a=u("act/uz-presidential-resolution-2021-rehabilitation-women")) == ["2021"]


def test_multisectoral_correctional_work_up_to_one_month(graph):
    p = u("programme/uz-multisectoral-correctional-work")
    assert raw(graph, "SELECT ?d WHERE { ?p lg:maxDuration ?d }", p=p) == ["P1M"]
    providers = select(graph, "SELECT ?o WHERE { ?p lg:provider ?o }", p=p)
    assert sorted(tail(o) for (o,) in providers) == ["uz-educational-institutions", "uz-employment-agencies", "uz-police"]


def test_oydin_nur_programme_figures(graph):
    row = select(graph, """SELECT ?t ?h ?c ?f WHERE { ?p lg:totalSessions ?t ; lg:sessionHours ?h ;
        lg:completions ?c ; lg:sessionFrequency ?f }""", p=OYDIN)
    assert len(row) == 1
    t, h, c, f = row[0]
    assert (t, float(h), c, str(f)) == (6, 3.0, 120, "once per week")
    assert raw(graph, "SELECT ?d WHERE { ?p lg:staffTrainingDuration ?d }", p=OYDIN) == ["P6D"]
    assert tail(value(graph, "SELECT ?s WHERE { ?p lg:programmeStatus ?s }", p=OYDIN)) == "stopped"
    paths = select(graph, "SELECT ?r WHERE { ?p lg:referralPath ?r }", p=OYDIN)
    assert sorted(tail(r) for (r,) in paths) == ["police", "protection-order"]


def test_oydin_nur_case_study_and_centre(graph):
    cs = u("case-study/uz-oydin-nur")
    concerns = select(graph, "SELECT ?x WHERE { ?c lg:concerns ?x }", c=cs)
    assert {tail(x) for (x,) in concerns} == {"uz-oydin-nur", "uz-oydin-nur-correctional-programme"}
    centre = u("org/uz-oydin-nur")
    assert raw(graph, "SELECT ?y WHERE { ?o lg:startYear ?y }", o=centre) == ["2021"]
    assert value(graph, "SELECT ?p WHERE { ?o lg:place ?p }", o=centre) == ID + "place/uz-bukhara"
    assert value(graph, "SELECT ?p WHERE { ?o lg:place ?p }", o=u("org/uz-rahmdillik")) == ID + "place/uz-samarkand"
    planned = select(graph, """SELECT ?a WHERE { ?a lg:organisedBy ?o ; lg:activityType ?t ; lg:status ?s }""",
                     o=centre)
    assert [tail(a) for (a,) in planned] == ["uz-oydin-nur-planned-training-of-trainers"]


def test_mahallas_and_the_1993_law(graph):
    m = u("org/uz-mahalla-committees")
    assert value(graph, "SELECT ?n WHERE { ?o lg:memberCount ?n }", o=m) == 12000
    assert "estimated 12,000" in value(graph, "SELECT ?d WHERE { ?o dcterms:description ?d }", o=m)
    assert raw(graph, "SELECT ?y WHERE { ?a lg:adoptionYear ?y }", a=u("act/uz-law-self-government-citizens-1993")) == [
        "1993"]
    assert value(graph, "SELECT ?t WHERE { ?r a ?t }", r=u("role/mahalla-activist"))  == (
        "https://w3id.org/legalgraph/ontology#Role")


def test_four_recommendations(graph):
    rows = select(graph, """SELECT ?o ?t WHERE { ?r lg:addressee ?uz ; lg:ordinal ?o ; lg:topic ?t }""", uz=UZ)
    by_ordinal: dict[int, set[str]] = {}
    for o, t in rows:
        by_ordinal.setdefault(o, set()).add(tail(t))
    assert sorted(by_ordinal) == [1, 2, 3, 4]
    assert by_ordinal[1] == {"best-practice"}
    assert "capacity-building" in by_ordinal[2]
    assert "staff-training" in by_ordinal[3]
    assert "pilots" in by_ordinal[4]


def test_protection_order_issuer_is_not_stated(graph):
    # The report names the courts only as extending orders; the Cabinet of Ministers adopted a procedure
    # for issuing them. No issuer is stated.
    assert raw(graph, "SELECT ?i WHERE { ?p lg:issuer ?i }", p=PO) == []
    gaps = select(graph, "SELECT ?g WHERE { ?p lg:notStated ?g }", p=PO)
    assert sorted(tail(g).rsplit("#", 1)[-1] for (g,) in gaps) == ["extendedDuration", "initialDuration", "issuer"]


def test_2023_amendment_states_no_programme_provisions(graph):
    # "The amendment does not contain any provisions on correctional programmes for perpetrators."
    assert value(graph, "SELECT ?x WHERE { ?a lg:containsProgrammeProvisions ?x }",
                 a=u("act/uz-act-lru-829-2023")) is False


def test_oydin_nur_programme_is_a_discrepancy_not_a_chronology(graph):
    d = u("discrepancy/uz-oydin-nur-structured-programme")
    sections = select(graph, "SELECT ?sec WHERE { ?d lg:statement/dcterms:source ?sec }", d=d)
    assert sorted(tail(s) for (s,) in sections) == ["uzbekistan-case-study", "uzbekistan-perpetrator-programmes"]
    assert [v for (v,) in select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }", d=d)] == [120]
    assert tail(value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=d)) == "contradiction"
    desc = value(graph, "SELECT ?t WHERE { ?o dcterms:description ?t }", o=u("org/uz-oydin-nur"))
    assert "later" not in desc
