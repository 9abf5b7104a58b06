"""Kazakhstan facts, asserted by value against the report (chapter KAZAKHSTAN, footnote 11,
Common trends, Appendix › Kazakhstan)."""

from __future__ import annotations

from rdflib import URIRef

from conftest import select, u, value

ID = "https://w3id.org/legalgraph/id/"
LAW = URIRef(f"{ID}act/kz-law-214-iv-2009")
KZ = URIRef(f"{ID}country/kazakhstan")
VOCAB = "https://w3id.org/legalgraph/vocab/"



def test_country_labels_and_notation(graph):
    rows = select(graph, "SELECT ?l WHERE { ?c rdfs:label ?l } ORDER BY ?l", c=KZ)
    assert sorted(str(l) for (l,) in rows) == ["Kazakhstan", "Казахстан"]
    assert value(graph, "SELECT ?n WHERE { ?c skos:notation ?n }", c=KZ) == "KZ"


def test_law_214_number_year_and_urls(graph):
    row = select(graph, """SELECT ?n ?y ?ru ?en WHERE { ?a lg:actNumber ?n ; lg:adoptionYear ?y ;
        lg:availableInRussianAt ?ru ; lg:availableInEnglishAt ?en }""", a=LAW)
    assert len(row) == 1
    n, y, ru, en = row[0]
    assert n == "214-IV"
    assert str(y) == "2009"
    assert ru == "https://adilet.zan.kz/rus/docs/Z090000214"
    assert en == "https://adilet.zan.kz/eng/docs/Z090000214"


def test_law_214_covers_four_forms_of_violence(graph):
    rows = select(graph, "SELECT ?f WHERE { ?a lg:formsOfViolence ?f }", a=LAW)
    assert sorted(str(f).rsplit("/", 1)[-1] for (f,) in rows) == ["economic", "physical", "psychological", "sexual"]


def test_law_214_keeps_both_title_wordings(graph):
    assert "Prevention from Domestic Violence" in value(graph, "SELECT ?t WHERE { ?a eli:title ?t }", a=LAW)
    alt = value(graph, "SELECT ?t WHERE { ?a lg:alternativeTitle ?t }", a=LAW)
    assert alt == "Law No. 214 on Prevention of Domestic Violence"


def test_law_214_discrepancies_record_both_values(graph):
    numbers = select(graph, """SELECT ?v WHERE { ?d lg:statement ?s ; lg:discrepancyKind ?k .
        ?s lg:assertsValue ?v }""", d=u("discrepancy/kz-law-214-number"))
    assert sorted(v for (v,) in numbers) == ["214", "214-IV"]
    kind = value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=u("discrepancy/kz-law-214-title"))
    assert str(kind) == VOCAB + "discrepancy-kind/name-variant"
    titles = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
                    d=u("discrepancy/kz-law-214-title"))
    assert any("on Prevention of" in v for (v,) in titles) and any("on Prevention from" in v for (v,) in titles)


def test_article_15_sub_articles_and_obligations(graph):
    nums = select(graph, """SELECT ?n WHERE { ?o lg:legalBasis ?art . ?art eli:number ?n ;
        eli:is_part_of ?law }""", o=u("obligation/kz-service-providers-conduct-programmes"), law=LAW)
    assert sorted(n for (n,) in nums) == ["15.1.4", "15.3"]
    row = select(graph, "SELECT ?t ?c ?f WHERE { ?o lg:dutyType ?t ; lg:concernsProgrammes ?c ; lg:footnote ?f }",
                 o=u("obligation/kz-service-providers-conduct-programmes"))
    assert [(str(t).rsplit("/", 1)[-1], c, f) for t, c, f in row] == [("conduct-programme", True, 11)]
    fund = value(graph, "SELECT ?t WHERE { ?o lg:dutyType ?t }", o=u("obligation/kz-service-providers-financing"))
    assert str(fund).endswith("duty-type/fund")


def test_criminalisation_over_time(graph):
    rows = select(graph, """SELECT ?s ?crim ?from ?until WHERE { ?s a lg:CriminalisationStatus ; lg:country ?c ;
        dcterms:source ?sec . OPTIONAL { ?s lg:criminalised ?crim } OPTIONAL { ?s lg:validFrom ?from }
        OPTIONAL { ?s lg:validUntil ?until } FILTER(?sec = ?lf) }""", c=KZ, lf=u("section/kazakhstan-legal-framework"))
    by = {str(s).rsplit("/", 1)[-1]: (crim, None if f is None else str(f), None if t is None else str(t))
          for s, crim, f, t in rows}
    assert by["kz-before-2017-criminalised"] == (True, None, "2017")
    assert by["kz-2017-decriminalised"] == (False, "2017", None)
    level = value(graph, "SELECT ?l WHERE { ?s lg:criminalisationLevel ?l }", s=u("criminalisation/kz-2017-decriminalised"))
    assert str(level).endswith("criminalisation-level/administrative")


def test_draft_law_2020_first_reading_and_withdrawal(graph):
    draft = u("act/kz-draft-law-combating-dv-2020")
    assert str(value(graph, "SELECT ?s WHERE { ?a lg:status ?s }", a=draft)).endswith("status/withdrawn")
    rows = select(graph, """SELECT ?t ?d WHERE { ?e lg:affects ?a ; lg:activityType ?t OPTIONAL { ?e lg:date ?d } }""",
                  a=draft)
    got = {str(t).rsplit("/", 1)[-1]: (None if d is None else str(d)) for t, d in rows}
    assert got == {"first-reading": "2020-09", "withdrawal": None}


def test_turkistan_residential_programme(graph):
    p = u("programme/kz-turkistan-residential-centre")
    row = select(graph, """SELECT ?min ?grp ?mod ?set ?tool WHERE { ?p lg:minIndividualSessions ?min ;
        lg:groupSessions ?grp ; lg:modality ?mod ; lg:setting ?set ; lg:evaluationTool ?tool }""", p=p)
    assert len(row) == 1
    mn, grp, mod, st, tool = row[0]
    assert (mn, grp) == (5, 12)
    assert str(mod).endswith("modality/voluntary") and str(st).endswith("setting/residential")
    assert str(tool) == ID + "tool/kz-turkistan-centre-questionnaire"
    cls = value(graph, "SELECT ?c WHERE { ?p lg:provider/org:classification ?c }", p=p)
    assert str(cls).endswith("org-type/perpetrator-centre")


def test_turkistan_turkestan_spelling_discrepancy(graph):
    vals = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }",
                  d=u("discrepancy/kz-turkistan-turkestan-spelling"))
    assert sorted(v for (v,) in vals) == ["Turkestan", "Turkistan"]


def test_union_of_crisis_centres_pilots(graph):
    p = u("programme/kz-ucc-pilots")
    row = select(graph, """SELECT ?y ?st ?w ?g ?tr WHERE { ?p lg:startYear ?y ; lg:programmeStatus ?st ;
        lg:enrolledWomen ?w ; lg:targetGender ?g ; lg:staffTrained ?tr }""", p=p)
    y, st, w, g, tr = row[0]
    assert (str(y), w, tr) == ("2023", 0, True)
    assert str(st).endswith("status/pilot") and str(g).endswith("gender/men-and-women")
    places = select(graph, "SELECT ?l WHERE { ?p lg:place/rdfs:label ?l }", p=p)
    assert sorted(str(l) for (l,) in places) == ["Almaty", "Astana", "Pavlodar"]
    assert str(value(graph, "SELECT ?r WHERE { ?p lg:referralPath ?r }", p=p)).endswith("referral-path/police")
    std = value(graph, "SELECT ?t WHERE { ?s lg:publisher ?o ; eli:type_document ?t }",
                o=u("org/kz-union-of-crisis-centres"))
    assert str(std).endswith("act-type/guideline")


def test_unfpa_support_and_planned_trainings(graph):
    assert str(value(graph, "SELECT ?p WHERE { ?o org:subOrganizationOf ?p }",
                     o=u("org/kz-unfpa-country-office"))) == ID + "org/int-unfpa"
    row = select(graph, "SELECT ?st ?y WHERE { ?a lg:status ?st ; lg:year ?y ; lg:activityType ?t }",
                 a=u("activity/kz-unfpa-trainings-turkestan-2023"))
    assert [(str(s).rsplit("/", 1)[-1], str(y)) for s, y in row] == [("planned", "2023")]
    assert str(value(graph, "SELECT ?p WHERE { ?m lg:publisher ?p }",
                     m=u("method/alternative-to-violence-methodology"))) == ID + "org/int-alternative-to-violence-center"


def test_appendix_kazakhstan_in_order(graph):
    rows = select(graph, """SELECT ?o ?d WHERE { ?d lg:listedInAppendix true ; lg:appendixOrder ?o ;
        dcterms:source ?s } ORDER BY ?o""", s=u("section/appendix-kazakhstan"))
    assert [(o, str(d).rsplit("/", 1)[-1]) for o, d in rows] == [
        (1, "kz-law-214-iv-2009"), (2, "kz-concept-family-gender-policy-2030"),
        (3, "kz-draft-law-strengthening-institution-of-family")]
    concept = u("act/kz-concept-family-gender-policy-2030")
    assert value(graph, "SELECT ?x WHERE { ?a lg:availableInRussianAt ?x }", a=concept) == \
        "https://adilet.zan.kz/rus/docs/U2200000853"
    assert str(value(graph, "SELECT ?y WHERE { ?a lg:periodEnd ?y }", a=concept)) == "2030"


def test_family_draft_law_is_a_draft_framed_as_family_preservation(graph):
    d = u("act/kz-draft-law-strengthening-institution-of-family")
    row = select(graph, "SELECT ?s ?f ?l WHERE { ?d lg:status ?s ; lg:aimFramedAsFamilyPreservation ?f ; lg:documentLanguage ?l }", d=d)
    assert [(str(s).rsplit("/", 1)[-1], f, str(l)) for s, f, l in row] == [("draft", True, "ru")]


def test_six_recommendations_with_topics(graph):
    rows = select(graph, """SELECT ?o ?t WHERE { ?r a lg:Recommendation ; lg:addressee ?c ; lg:ordinal ?o ; lg:topic ?t }""",
                  c=KZ)
    topics: dict[int, set[str]] = {}
    for o, t in rows:
        topics.setdefault(o, set()).add(str(t).rsplit("/", 1)[-1])
    assert sorted(topics) == [1, 2, 3, 4, 5, 6]
    assert "criminalisation" in topics[1]
    assert {"mandatory-programmes", "duration"} <= topics[3]
    assert "standards" in topics[4]
    assert "referral" in topics[5]
    assert {"pilots", "monitoring-evaluation"} <= topics[6]


def test_law_214_contains_correctional_conversations_per_common_trends(graph):
    # Common trends › Unclear legal provisions: "The laws on prevention of domestic violence in Central Asia
    # all contain various notions of so-called correctional conversations as a first measure".
    law = u("act/kz-law-214-iv-2009")
    assert value(graph, "SELECT ?x WHERE { ?a lg:correctionalTalks ?x }", a=law) is True
    assert (law, URIRef("http://purl.org/dc/terms/source"), u("section/common-trends-unclear-legal-provisions")) in graph


def test_residential_centre_psychologists_use_a_questionnaire_not_run_sessions(graph):
    # Kazakhstan › Perpetrator programmes: "The centre's psychologists use a questionnaire to identify
    # individual problems"; the report does not say who runs the sessions.
    desc = value(graph, "SELECT ?d WHERE { ?o dcterms:description ?d }", o=u("org/kz-turkistan-perpetrator-centre"))
    assert "run the individual and group sessions" not in desc
    assert "does not say who runs the sessions" in desc


def test_voluntary_and_mandatory_discrepancy_with_common_trends(graph):
    d = u("discrepancy/kz-voluntary-and-mandatory")
    stmts = sorted(str(s).rsplit("/", 1)[-1] for (s,) in select(graph, "SELECT ?s WHERE { ?d lg:statement ?s }", d=d))
    assert stmts == ["common-trends-voluntary-and-mandatory", "kz-perpetrators-not-obliged"]
    assert value(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?a lg:contradicts ?b }",
                 a=u("statement/kz-perpetrators-not-obliged"), b=u("statement/common-trends-voluntary-and-mandatory")) == 1


def test_ucc_pilots_voluntary_is_a_documented_inference(graph):
    p = u("programme/kz-ucc-pilots")
    assert str(value(graph, "SELECT ?m WHERE { ?p lg:modality ?m }", p=p)).endswith("/voluntary")
    assert value(graph, "SELECT ?i WHERE { ?p lg:inferredProperty ?i }", p=p) == (
        "https://w3id.org/legalgraph/ontology#modality")
    assert "not obliged" in value(graph, "SELECT ?b WHERE { ?p lg:inferenceBasis ?b }", p=p)


def test_service_providers_may_be_established_by_three_kinds_of_founder(graph):
    # Kazakhstan › Legal and policy framework (footnote 11: Art. 15): "may be established by local executive
    # bodies, legal entities or individuals".
    rows = select(graph, "SELECT ?f WHERE { ?o lg:mayBeEstablishedBy ?f }", o=u("org/kz-dv-service-providers"))
    assert sorted(str(f).rsplit("/", 1)[-1] for (f,) in rows) == ["individual", "legal-entity", "local-executive-body"]
