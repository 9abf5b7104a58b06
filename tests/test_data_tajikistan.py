"""Tajikistan facts, asserted by value against the report (chapter TAJIKISTAN, footnotes 17–20,
Common trends, Appendix › Tajikistan)."""

from __future__ import annotations

from rdflib import URIRef

from conftest import raw, select, tail, u, value

ID = "https://w3id.org/legalgraph/id/"
VOCAB = "https://w3id.org/legalgraph/vocab/"
TJ = URIRef(f"{ID}country/tajikistan")
LAW = URIRef(f"{ID}act/tj-law-954-2013")
ROOMS = URIRef(f"{ID}programme/tj-consultation-rooms")
PO = URIRef(f"{ID}protection-order/tj-law-954")





def test_country_labels_and_notation(graph):
    rows = select(graph, "SELECT ?l WHERE { ?c rdfs:label ?l }", c=TJ)
    assert sorted(str(l) for (l,) in rows) == ["Tajikistan", "Таджикистан"]
    assert value(graph, "SELECT ?n WHERE { ?c skos:notation ?n }", c=TJ) == "TJ"


def test_law_954_number_year_status_and_url(graph):
    assert value(graph, "SELECT ?n WHERE { ?a lg:actNumber ?n }", a=LAW) == "954"
    assert raw(graph, "SELECT ?y WHERE { ?a lg:adoptionYear ?y }", a=LAW) == ["2013"]
    statuses = select(graph, "SELECT ?s WHERE { ?a lg:status ?s }", a=LAW)
    assert sorted(tail(s) for (s,) in statuses) == ["adopted", "under-review"]
    assert value(graph, "SELECT ?u WHERE { ?a lg:availableInRussianAt ?u }", a=LAW) == (
        "https://www.ilo.org/dyn/natlex/docs/ELECTRONIC/94868/111490/F1123656258/TJK94868.pdf")


def test_law_954_covers_four_forms_of_violence(graph):
    rows = select(graph, "SELECT ?f WHERE { ?a lg:formsOfViolence ?f }", a=LAW)
    assert sorted(tail(f) for (f,) in rows) == ["economic", "physical", "psychological", "sexual"]


def test_correctional_talks_joint_with_survivor_and_family_framing(graph):
    for node in (LAW, u("act/tj-law-954-2013/art-20-1"), u("act/tj-law-954-2013/art-20-3")):
        row = select(graph, """SELECT ?c ?j ?f WHERE { ?a lg:correctionalTalks ?c ;
            lg:talksJointWithSurvivor ?j ; lg:aimFramedAsFamilyPreservation ?f }""", a=node)
        assert row == [(True, True, True)], node


def test_cited_articles_and_footnotes(graph):
    rows = select(graph, "SELECT ?n ?fn WHERE { ?art eli:is_part_of ?a ; eli:number ?n ; lg:footnote ?fn } ORDER BY ?n",
                  a=LAW)
    assert rows == [("18.1", 17), ("20.1", 18), ("20.3", 18)]
    basis = select(graph, "SELECT ?n WHERE { ?o lg:legalBasis/eli:number ?n } ORDER BY ?n",
                   o=u("obligation/tj-dv-prevention-entities-correctional-talks"))
    assert [n for (n,) in basis] == ["20.1", "20.3"]


def test_not_a_stand_alone_crime(graph):
    rows = select(graph, """SELECT ?s ?lvl WHERE { ?c lg:country ?tj ; a lg:CriminalisationStatus ;
        lg:standAloneOffence ?s ; lg:criminalisationLevel ?lvl }""", tj=TJ)
    assert len(rows) == 2
    assert {(s, tail(lvl)) for s, lvl in rows} == {(False, "elements-only")}
    assert value(graph, "SELECT ?t WHERE { ?c lg:legalBasis/eli:type_document ?t }",
                 c=u("criminalisation/tj-not-stand-alone")) == URIRef(VOCAB + "act-type/code").toPython()


def test_protection_order_15_days_extendable_to_30_issued_by_police(graph):
    assert raw(graph, "SELECT ?d WHERE { ?p lg:initialDuration ?d }", p=PO) == ["P15D"]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:extendedDuration ?d }", p=PO) == ["P30D"]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:maximumDuration ?d }", p=PO) == ["P30D"]
    assert value(graph, "SELECT ?i WHERE { ?p lg:issuer ?i }", p=PO) == u("org/tj-police").toPython()
    assert "very light" in value(graph, "SELECT ?s WHERE { ?p lg:sanction ?s }", p=PO)


def test_programme_six_months_30_sessions(graph):
    row = select(graph, """SELECT ?t ?i ?g WHERE { ?p lg:totalSessions ?t ; lg:individualSessions ?i ;
        lg:groupSessions ?g }""", p=ROOMS)
    assert row == [(30, 10, 20)]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:duration ?d }", p=ROOMS) == ["P6M"]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:staffTrainingDuration ?d }", p=ROOMS) == ["P5D"]


def test_completions_206_149_57_on_the_umbrella_only(graph):
    row = select(graph, """SELECT ?c ?m ?w ?fn WHERE { ?p lg:completions ?c ; lg:completionsMen ?m ;
        lg:completionsWomen ?w ; lg:footnote ?fn FILTER(?fn = 19) }""", p=ROOMS)
    assert row == [(206, 149, 57, 19)]
    assert "as of the date of the interview" in value(graph, "SELECT ?a WHERE { ?p lg:completionsAsOf ?a }", p=ROOMS)
    # not duplicated on the per-room or per-modality variants
    assert value(graph, """SELECT (COUNT(?v) AS ?n) WHERE { ?v lg:variantOf ?p ; lg:completions ?c }""",
                 p=ROOMS) == 0


def test_three_rooms_with_start_years_and_places(graph):
    rows = select(graph, """SELECT ?place ?y WHERE { ?v lg:variantOf ?p ; lg:place ?place ; lg:startYear ?y }
                            ORDER BY ?y""", p=ROOMS)
    assert [(tail(pl), str(y)) for pl, y in rows] == [
        ("tj-levakant", "2018"), ("tj-khujand", "2022"), ("tj-dushanbe", "2023")]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:startDate ?d }", p=u("programme/tj-consultation-room-dushanbe")) == [
        "2023-06"]


def test_mandatory_and_voluntary_variants(graph):
    rows = select(graph, """SELECT ?v ?m WHERE { ?v lg:variantOf ?p ; lg:modality ?m
        FILTER NOT EXISTS { ?v lg:place ?pl } }""", p=ROOMS)
    assert sorted((tail(v), tail(m)) for v, m in rows) == [
        ("tj-consultation-rooms-mandatory", "mandatory"), ("tj-consultation-rooms-voluntary", "voluntary")]


def test_methodology_tool_and_survivor_arrangements(graph):
    assert value(graph, "SELECT ?m WHERE { ?p lg:methodology ?m }", p=ROOMS) == u("method/duluth-model").toPython()
    assert value(graph, "SELECT ?t WHERE { ?p lg:evaluationTool ?t }", p=ROOMS) == u("tool/cts-2").toPython()
    row = select(graph, """SELECT ?j ?s ?gb WHERE { ?p lg:jointSessionsWithSurvivor ?j ;
        lg:separateFromSurvivorServices ?s ; lg:genderBalancedStaff ?gb }""", p=ROOMS)
    assert row == [(False, True, True)]
    settings = select(graph, "SELECT ?s WHERE { ?p lg:setting ?s }", p=ROOMS)
    assert [tail(s) for (s,) in settings] == ["mobile"]


def test_referrals_and_follow_up(graph):
    paths = select(graph, "SELECT ?r WHERE { ?p lg:referralPath ?r }", p=ROOMS)
    assert sorted(tail(r) for (r,) in paths) == ["commission", "police", "protection-order", "self-referral"]
    follow = select(graph, "SELECT ?b WHERE { ?p lg:followUpBy ?b }", p=ROOMS)
    assert sorted(tail(b) for (b,) in follow) == ["tj-district-police", "tj-hukumat-department-women-family"]


def test_levakant_support_swiss_then_osce(graph):
    room = u("org/tj-consultation-room-levakant")
    supporters = select(graph, "SELECT ?s WHERE { ?s lg:supports ?r }", r=room)
    assert {tail(s) for (s,) in supporters} >= {"int-swiss-government", "tj-osce-programme-office-dushanbe"}
    assert raw(graph, "SELECT ?y WHERE { ?a lg:year ?y }", a=u("activity/tj-osce-takes-over-levakant-support-2021")) == [
        "2021"]


def test_evaluation_finding_on_drop_outs(graph):
    finding = value(graph, "SELECT ?f WHERE { ?a lg:finding ?f ; lg:activityType ?t }",
                    a=u("activity/tj-evaluation-consultation-rooms-first-two-years"))
    assert "drop" in finding and "very light" in finding


def test_appendix_documents_in_order(graph):
    rows = select(graph, """SELECT ?d ?o WHERE { ?d lg:listedInAppendix true ; lg:appendixOrder ?o ;
        lg:jurisdiction ?tj } ORDER BY ?o""", tj=TJ)
    assert [(tail(d), o) for d, o in rows] == [
        ("tj-law-954-2013", 1), ("tj-draft-law-amendments-954", 2),
        ("tj-state-program-prevention-dv-2014-2023", 3), ("tj-survey-best-international-practice", 4)]


def test_draft_amends_law_954_and_state_program_period(graph):
    assert value(graph, "SELECT ?t WHERE { ?d lg:amendsDraft ?t }", d=u("act/tj-draft-law-amendments-954")) == (
        LAW.toPython())
    assert raw(graph, "SELECT ?y WHERE { ?d lg:periodStart ?y }", d=u("act/tj-state-program-prevention-dv-2014-2023")) == [
        "2014"]
    assert raw(graph, "SELECT ?y WHERE { ?d lg:periodEnd ?y }", d=u("act/tj-state-program-prevention-dv-2014-2023")) == [
        "2023"]
    assert value(graph, "SELECT ?n WHERE { ?d lg:legalBasis/lg:actNumber ?n }",
                 d=u("act/tj-state-program-prevention-dv-2014-2023")) == "294"
    assert value(graph, "SELECT ?l WHERE { ?d lg:documentLanguage ?l }",
                 d=u("act/tj-survey-best-international-practice")) == "en"


def test_dushanbe_opening_date_discrepancy_keeps_year_and_month(graph):
    vals = raw(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v } ORDER BY ?v",
               d=u("discrepancy/tj-dushanbe-room-opening-date"))
    assert vals == ["2023", "2023-06"]
    kind = value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=u("discrepancy/tj-dushanbe-room-opening-date"))
    assert tail(kind) == "date-variant"


def test_law_954_title_discrepancy(graph):
    vals = select(graph, "SELECT ?v WHERE { ?d lg:statement/lg:assertsValue ?v }", d=u("discrepancy/tj-law-954-title"))
    assert sorted(v for (v,) in vals) == ["About the Prevention of Violence in Family",
                                          "on the Prevention of Domestic Violence"]


def test_five_recommendations_with_topics(graph):
    rows = select(graph, """SELECT ?o ?t WHERE { ?r lg:addressee ?tj ; lg:ordinal ?o ; lg:topic ?t }""", tj=TJ)
    by_ordinal: dict[int, set[str]] = {}
    for o, t in rows:
        by_ordinal.setdefault(o, set()).add(tail(t))
    assert sorted(by_ordinal) == [1, 2, 3, 4, 5]
    assert "mandatory-programmes" in by_ordinal[1]
    assert "outreach" in by_ordinal[3]
    assert "gender-balance" in by_ordinal[4]
    assert by_ordinal[5] == {"custodial"}


def test_mandatory_participation_lasts_the_protection_order_not_six_months(graph):
    # Tajikistan › Perpetrator programmes / Country-specific recommendations: mandatory participation "is
    # limited to the length of the respective protection order (15 or 30 days)".
    mandatory = u("programme/tj-consultation-rooms-mandatory")
    assert raw(graph, "SELECT ?d WHERE { ?p lg:maxDuration ?d }", p=mandatory) == ["P30D"]
    assert raw(graph, "SELECT ?d WHERE { ?p lg:duration ?d }", p=mandatory) == []
    gaps = select(graph, "SELECT ?g WHERE { ?p lg:notStated ?g }", p=mandatory)
    assert [str(g).rsplit("#", 1)[-1] for (g,) in gaps] == ["totalSessions"]


def test_law_954_talks_jointly_with_survivor_but_mediation_is_not_stated(graph):
    # Tajikistan › Legal and policy framework: talks "held with both the perpetrator and the survivor";
    # the report does not call them mediation.
    for node in (LAW, u("act/tj-law-954-2013/art-20-1"), u("act/tj-law-954-2013/art-20-3")):
        assert select(graph, "SELECT ?m WHERE { ?a lg:providesMediation ?m }", a=node) == [], node
        assert value(graph, "SELECT ?j WHERE { ?a lg:talksJointWithSurvivor ?j }", a=node) is True


def test_survey_of_best_international_practice_has_no_status(graph):
    survey = u("act/tj-survey-best-international-practice")
    assert select(graph, "SELECT ?s WHERE { ?a lg:status ?s }", a=survey) == []
    gaps = select(graph, "SELECT ?g WHERE { ?a lg:notStated ?g }", a=survey)
    assert sorted(str(g).rsplit("#", 1)[-1] for (g,) in gaps) == ["adoptionYear", "status"]


def test_protection_order_duration_discrepancy(graph):
    d = u("discrepancy/tj-protection-order-duration")
    rows = select(graph, """SELECT ?sec (STR(?v) AS ?vs) WHERE { ?d lg:statement ?s . ?s dcterms:source ?sec ;
        lg:assertsValue ?v }""", d=d)
    assert sorted((tail(sec), v) for sec, v in rows) == [
        ("tajikistan-legal-framework", "P15D"), ("tajikistan-perpetrator-programmes", "P30D"),
        ("tajikistan-recommendations", "P30D")]
    assert tail(value(graph, "SELECT ?k WHERE { ?d lg:discrepancyKind ?k }", d=d)) == "figure-variant"


def _tails(graph, node, prop):
    return sorted(tail(o) for (o,) in select(graph, f"SELECT ?o WHERE {{ ?s {prop} ?o }}", s=node))


def test_eligibility_and_exclusion_as_typed_values(graph):
    # "must have committed violence only or mostly in the family, must not be addicted ... no acute mental
    # illness ... must be aware that they were or are violent".
    assert _tails(graph, ROOMS, "lg:eligibilityCriterion") == ["aware-of-own-violence", "violence-mostly-in-family"]
    assert _tails(graph, ROOMS, "lg:exclusionCriterion") == ["acute-mental-illness", "addiction"]


def test_separate_groups_evaluation_participants_monitoring_and_balanced_rooms(graph):
    assert value(graph, "SELECT ?x WHERE { ?p lg:separateGroupsByGender ?x }", p=ROOMS) is True
    # CTS-2: each perpetrator, and each survivor (asked, not obliged), fills in the questionnaire.
    assert _tails(graph, ROOMS, "lg:evaluationParticipant") == ["perpetrator", "survivor"]
    assert value(graph, "SELECT ?x WHERE { ?p lg:monitoringAfterCompletion ?x }", p=ROOMS) is True
    for room in ["levakant", "khujand", "dushanbe"]:
        assert value(graph, "SELECT ?x WHERE { ?o lg:genderBalancedStaff ?x }",
                     o=u(f"org/tj-consultation-room-{room}")) is True
