"""The entry editor's forms (services/forms.py), generated from the shapes, and its routes (/entries/new and
/entries/new/convert). The scenario in a browser is tests/test_browser_editor.py."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

from legalgraph.api import create_app
from legalgraph.namespaces import ID, LG
from legalgraph.services import forms
from legalgraph.services.entries import parse_entry
from legalgraph.services.validation import load_shapes, validate
from legalgraph.settings import Settings

LGSH = "https://w3id.org/legalgraph/shapes#"
KINDS = ["LegalAct", "Amendment", "Article", "Obligation", "ProtectionOrderRegime", "CriminalisationStatus",
         "PerpetratorProgramme", "RecommendationFollowUp", "OfficialDocument"]
REGIME = {"@id": f"{ID}protection-order/kg-2025-example", "@type": [str(LG.ProtectionOrderRegime)],
          str(LG.initialDuration): [{"@value": "P15D", "@type": str(XSD.duration)}]}
HEADER = """@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def by_key(form: forms.Form) -> dict[str, forms.Field]:
    return {f.key: f for f in form.fields}


def test_each_kind_of_entry_the_issue_names_has_a_form(shipped_store):
    """A legal act or an amendment, an article with its obligations, a protection-order regime, a criminalisation
    status, a perpetrator programme, a recommendation's follow-up; and the official document an entry cites."""
    found = forms.forms(shipped_store)
    assert [f.kind for f in found] == KINDS
    assert [(f.label, f.labelRu) for f in found][4:6] == [
        ("Protection-order regime", "Режим охранного ордера"), ("Criminalisation status", "Статус криминализации")]
    assert all(f.fields for f in found)


def test_the_protection_order_form_reads_the_property_shapes(shipped_store):
    form = forms.form(shipped_store, "ProtectionOrderRegime")
    assert (form.prefix, form.iriHelp) == (
        "protection-order/", "Name a protection-order regime <protection-order/{cc}-{slug}>.")
    fields = by_key(form)
    assert (form.fields[0].key, form.fields[-1].key) == ("rdfs:label", "dcterms:source")
    label, country, extended = fields["rdfs:label"], fields["lg:country"], fields["lg:extendedDuration"]
    assert (label.input, label.language, label.required, label.help) == (
        "text", "en", True, "How pages name the entity, in English.")
    assert (country.input, country.classes, country.required, country.label, country.labelRu) == (
        "entity", ["Country"], True, "country", "страна")
    assert (extended.input, extended.required, extended.repeatable, extended.datatypes) == (
        "duration", False, True, [{"iri": str(XSD.duration), "pattern": ""}])
    assert extended.help == 'Write durations with their unit as xsd:duration: "P1M"^^xsd:duration for one month.'
    obliges = fields["lg:extensionObligesProgramme"]
    assert (obliges.input, obliges.repeatable, obliges.labelRu) == (
        "boolean", False, "продление обязывает пройти программу")
    assert fields["lg:legalBasis"].classes == ["Annex", "Article", "LegalAct", "Provision"]
    valid_from = fields["lg:validFrom"]
    assert [d["iri"] for d in valid_from.datatypes] == [str(XSD.gYear), str(XSD.gYearMonth), str(XSD.date)]
    assert valid_from.datatypes[0]["pattern"] == r"^-?\d{4}$"
    [durations] = form.alternatives
    assert durations.keys == ["lg:initialDuration", "lg:extendedDuration", "lg:maximumDuration",
                              "lg:maximumExtension"]
    assert durations.message.startswith("Give at least one duration with its unit")


def test_allowed_values_come_from_the_vocabularies_in_english_and_russian(shipped_store):
    fields = by_key(forms.form(shipped_store, "LegalAct"))
    types = fields["eli:type_document"]
    assert types.input == "choice" and types.required
    assert len(types.options) == 17
    assert [(o.label, o.labelRu) for o in types.options[:3]] == [
        ("action plan", "план действий"), ("annex", "приложение"), ("code", "кодекс")]
    assert types.options[2].iri == "https://w3id.org/legalgraph/vocab/act-type/code"
    assert [o.label for o in fields["lg:notStated"].options] == ["adoption year", "status"]
    modality = by_key(forms.form(shipped_store, "PerpetratorProgramme"))["lg:modality"]
    assert [(o.iri.rsplit("/", 1)[-1], o.labelRu) for o in modality.options] == [
        ("mandatory", "обязательная"), ("voluntary", "добровольная")]


def test_a_change_to_a_shape_changes_the_form_with_no_code_change(shipped_store):
    shapes = load_shapes()
    before = by_key(forms.form(shipped_store, "ProtectionOrderRegime", shapes))
    assert not before["lg:validFrom"].required and "lg:issuer" not in before
    # make "valid from" required, describe it otherwise, and ask for the issuer
    changed = Graph()
    changed += shapes
    prop = next(p for p in changed.objects(URIRef(LGSH + "ProtectionOrderShape"), SH.property)
                if changed.value(p, SH.path) == LG.validFrom)
    changed.add((prop, SH.minCount, Literal(1)))
    changed.set((prop, SH.description, Literal("From when the new rules apply.")))
    issuer = URIRef(LGSH + "test-issuer")
    changed.add((URIRef(LGSH + "ProtectionOrderShape"), SH.property, issuer))
    changed.add((issuer, SH.path, LG.issuer))
    changed.add((issuer, SH["class"], LG.Organisation))
    changed.add((issuer, SH.maxCount, Literal(1)))
    changed.add((issuer, SH.message, Literal("Say who issues the orders.")))
    after = by_key(forms.form(shipped_store, "ProtectionOrderRegime", changed))
    assert (after["lg:validFrom"].required, after["lg:validFrom"].help) == (True, "From when the new rules apply.")
    assert (after["lg:issuer"].input, after["lg:issuer"].classes, after["lg:issuer"].repeatable,
            after["lg:issuer"].help, after["lg:issuer"].labelRu) == (
        "entity", ["Organisation"], False, "Say who issues the orders.", "выдаёт")
    # and a kind left out of the list has no form (shapes change as a new graph: a file re-read)
    fewer = Graph()
    fewer += shapes
    head = fewer.value(URIRef(LGSH), URIRef(LGSH + "entryKinds"))
    kept = [c for c in Collection(fewer, head) if c != LG.ProtectionOrderRegime]
    fewer.remove((URIRef(LGSH), URIRef(LGSH + "entryKinds"), head))
    Collection(fewer, new := BNode(), kept)
    fewer.add((URIRef(LGSH), URIRef(LGSH + "entryKinds"), new))
    assert [f.kind for f in forms.forms(shipped_store, fewer)] == [k for k in KINDS if k != "ProtectionOrderRegime"]
    assert [f.kind for f in forms.forms(shipped_store, shapes)] == KINDS


def test_concept_values_are_checked_against_their_scheme_and_a_follow_up_validates(shipped_store):
    wrong = parse_entry((HEADER + """
<act/kg-example-2025> a lg:LegalAct ; rdfs:label "Example act"@en ; eli:title "Example act"@en ;
    lg:jurisdiction <country/kyrgyzstan> ; lg:adoptionYear "2025"^^xsd:gYear ;
    eli:type_document <https://w3id.org/legalgraph/vocab/status/adopted> ;
    lg:status <https://w3id.org/legalgraph/vocab/status/adopted> ;
    dcterms:source <section/kyrgyzstan-legal-framework> .""").encode(), "e.ttl", "ttl")
    report = validate(shipped_store, wrong)
    assert [(r.path, r.message) for r in report.violations] == [
        ("eli:type_document/skos:inScheme",
         "eli:type_document takes a concept of the act-type scheme, e.g. acttype:law.")]
    follow_up = parse_entry((HEADER + """
<follow-up/kg-2025-example> a lg:RecommendationFollowUp ; rdfs:label "Example follow-up"@en ;
    lg:followsUp <recommendation/kg-1> ; lg:country <country/kyrgyzstan> ; lg:date "2025"^^xsd:gYear ;
    lg:text "Illustrative entry, not from the report."@en ;
    dcterms:source <section/kyrgyzstan-legal-framework> .""").encode(), "e.ttl", "ttl")
    assert validate(shipped_store, follow_up).results == []
    missing = parse_entry((HEADER + """
<follow-up/kg-2025-example> a lg:RecommendationFollowUp ; rdfs:label "Example follow-up"@en ;
    lg:country <country/kyrgyzstan> ; lg:date "2025"^^xsd:gYear ; lg:text "Illustrative."@en ;
    dcterms:source <section/kyrgyzstan-legal-framework> .""").encode(), "e.ttl", "ttl")
    assert [(r.path, r.message) for r in validate(shipped_store, missing).violations] == [
        ("lg:followsUp", "Say which recommendation it follows up: lg:followsUp <recommendation/…>.")]


@pytest.fixture(scope="module")
def client(shipped_store):
    with TestClient(create_app(Settings(query_timeout=10, max_request_bytes=4096), shipped_store)) as c:
        yield c


def test_the_editor_page_and_its_twin(client):
    page = client.get("/entries/new", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.text.count('<li><a href="/entries/new?kind=') == len(KINDS)
    assert 'id="editor"' not in page.text
    page = client.get("/entries/new", params={"kind": "ProtectionOrderRegime"}, headers={"accept": "text/html"})
    assert '<div id="editor" data-kind="ProtectionOrderRegime" data-writes="no">' in page.text
    assert '<script src="/static/editor.js" defer></script>' in page.text
    assert "Writes are disabled on this server" in page.text and 'id="write-token"' not in page.text
    twin = client.get("/entries/new", params={"kind": "ProtectionOrderRegime", "format": "json"}).json()
    assert (twin["kind"], twin["writes"], twin["prefix"]) == ("ProtectionOrderRegime", False, "protection-order/")
    assert [k["kind"] for k in twin["kinds"]] == KINDS
    assert twin["fields"][1]["key"] == "lg:country"
    listing = client.get("/entries/new", params={"format": "json"}).json()
    assert listing["kinds"][0] == {"kind": "LegalAct", "label": "Legal or policy act",
                                   "labelRu": "Нормативный или программный акт",
                                   "description": listing["kinds"][0]["description"]}
    bad = client.get("/entries/new", params={"kind": "Nope", "format": "json"})
    assert (bad.status_code, bad.json()["message"], bad.json()["valid"]) == (
        400, "unknown kind of entry 'Nope'", KINDS)
    assert client.get("/entries/new", params={"kind": "x" * 65}).status_code == 400
    html = client.get("/entries/new", params={"kind": "Nope"}, headers={"accept": "text/html"})
    assert html.status_code == 400 and html.headers["content-type"].startswith("text/html")


def test_writes_enabled_offers_the_token(shipped_store):
    with TestClient(create_app(Settings(query_timeout=10, write_token="t"), shipped_store)) as c:
        page = c.get("/entries/new", params={"kind": "Obligation"}, headers={"accept": "text/html"}).text
        assert 'data-writes="yes"' in page and 'id="write-token" type="password"' in page
        assert c.get("/entries/new", params={"kind": "Obligation", "format": "json"}).json()["writes"] is True


def test_convert_gives_turtle_and_json_ld_within_bounds(client):
    headers = {"content-type": "application/ld+json"}
    ttl = client.post("/entries/new/convert", content=json.dumps([REGIME]), headers=headers)
    assert ttl.status_code == 200 and ttl.headers["content-type"] == "text/turtle; charset=utf-8"
    assert ttl.headers["content-disposition"] == 'attachment; filename="entry.ttl"'
    assert ('<https://w3id.org/legalgraph/id/protection-order/kg-2025-example> a lg:ProtectionOrderRegime ;\n'
            '    lg:initialDuration "P15D"^^xsd:duration .') in ttl.text
    jsonld = client.post("/entries/new/convert", params={"format": "jsonld"}, content=json.dumps([REGIME]),
                         headers=headers)
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert jsonld.json()["lg:initialDuration"] == {"@type": "xsd:duration", "@value": "P15D"}
    assert Graph().parse(data=ttl.text, format="turtle").isomorphic(
        Graph().parse(data=jsonld.text, format="json-ld"))
    bad = client.post("/entries/new/convert", content=b"[{", headers=headers)
    assert (bad.status_code, bad.json()["line"], bad.json()["column"]) == (400, 1, 3)
    assert client.post("/entries/new/convert", params={"format": "xml"}, content=b"[]",
                       headers=headers).status_code == 400
    assert client.post("/entries/new/convert", content=b"x", headers={"content-type": "text/plain"}).status_code == 415
    big = client.post("/entries/new/convert", content=b" " * 5000, headers=headers)
    assert (big.status_code, big.json()["error"]) == (413, "too-large")
