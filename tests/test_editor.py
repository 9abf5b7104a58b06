"""The entry editor's forms (services/forms.py), generated from the shapes, and its routes (/entries/new and
/entries/new/convert). The scenario in a browser is tests/test_browser_editor.py."""

from __future__ import annotations

import json
import re

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
    assert (extended.help, extended.helpRu) == ("How long an order lasts once extended, e.g. P1M for one month.",
                                                "Срок действия ордера после продления, например P1M — один месяц.")
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


# ------------------------------------------------------------------ the editor in Russian (issue 16)

RU = {"accept-language": "ru-RU,ru;q=0.9,en;q=0.5", "accept": "text/html"}
EN = {"accept-language": "en-GB,en;q=0.9", "accept": "text/html"}


@pytest.fixture
def fresh(client):
    """The module's client without a remembered language (a page asked for with ?lang= sets the cookie)."""
    client.cookies.clear()
    yield client
    client.cookies.clear()


def json_block(html: str, ident: str):
    """A ``<script type="application/json">`` block of a page, read as JSON (tojson escapes <, >, & and ')."""
    m = re.search(rf'<script type="application/json" id="{ident}">(.*?)</script>', html, re.S)
    assert m, f"no JSON block {ident}"
    return json.loads(m.group(1))


def shown_fields(html: str, kind: str) -> dict[str, dict]:
    return {f["key"]: f for f in json_block(html, "editor-forms")[kind]["fields"]}


@pytest.mark.parametrize("how", ["accept-language", "lang=ru"])
def test_the_editor_page_in_russian(fresh, how):
    """Headings, buttons and messages from the catalogue; the form's labels from the data in Russian (the
    ontology's rdfs:label@ru, the vocabulary's skos:prefLabel@ru, the shapes' sh:name@ru), the English beside
    them; each field's help is the shapes' Russian description."""
    params = {"kind": "ProtectionOrderRegime"} | ({"lang": "ru"} if how == "lang=ru" else {})
    page = fresh.get("/entries/new", params=params, headers=RU if how == "accept-language" else EN)
    assert page.status_code == 200 and '<html lang="ru">' in page.text
    html = page.text
    assert "<title>Новая запись: Режим охранного ордера · legalgraph</title>" in html
    assert '<a href="/entries/new">Новая запись</a>' in html
    assert "<h1>Составить запись</h1>" in html
    assert '<nav aria-label="Виды записей">' in html
    assert ('<li><a href="/entries/new?kind=ProtectionOrderRegime" aria-current="page">Режим охранного ордера</a> '
            '<span class="muted small" lang="en">Protection-order regime</span></li>') in html
    assert '<h2>Режим охранного ордера <span class="muted" lang="en">Protection-order regime</span></h2>' in html
    assert '<p class="muted" lang="en">The protection orders a country&#39;s law provides:' in html
    for heading in ('<h2 id="check-heading">Проверка</h2>', '<h2 id="save-heading">Сохранение</h2>',
                    "<h3>Перед сохранением: предупреждения по ориентирам</h3>",
                    '<p id="check-status" role="status" aria-live="polite">Запись ещё не проверена.</p>',
                    '<button type="button" id="download-ttl">Скачать в Turtle</button>',
                    '<button type="button" id="download-jsonld">Скачать в JSON-LD</button>',
                    '<button type="button" id="clear-draft">Очистить черновик</button>',
                    '<button type="button" id="add-block">Добавить</button>',
                    '<option value="OfficialDocument" selected>Официальный документ</option>',
                    '<p id="writes-disabled">Сохранение на этом сервере отключено:'):
        assert heading in html, heading
    fields = shown_fields(html, "ProtectionOrderRegime")
    named = lambda key: tuple(fields[key][k] for k in ("label", "labelLang", "other", "otherLang"))  # noqa: E731
    assert named("lg:country") == ("страна", "ru", "country", "en")  # ontology/legalgraph.ttl
    assert named("rdfs:label") == ("название", "ru", "label", "en")  # sh:name "label" , "название"@ru
    assert named("dcterms:source") == ("источник", "ru", "source", "en")
    assert named("lg:extensionObligesProgramme") == (
        "продление обязывает пройти программу", "ru", "extension obliges a programme", "en")
    assert (fields["rdfs:label"]["help"], fields["rdfs:label"]["helpLang"]) == (
        "Как страницы называют этот объект: краткое название на английском языке.", "ru")
    assert (fields["lg:initialDuration"]["help"], fields["lg:initialDuration"]["helpLang"]) == (
        "Срок, на который ордер выдаётся первоначально: буква P, число и единица, например P3D — три дня.", "ru")
    assert "helpRu" not in fields["lg:initialDuration"]  # the page's block carries the page's language only
    legal_act = shown_fields(html, "LegalAct")
    # the act-type scheme in Russian alphabetical order (ontology/vocabularies.ttl skos:prefLabel@ru)
    assert [(o["label"], o["other"]) for o in legal_act["eli:type_document"]["options"][:3]] == [
        ("государственная программа", "state programme"), ("дорожная карта", "roadmap"), ("закон", "law")]
    assert legal_act["eli:title"]["label"] == "наименование" and legal_act["eli:type_document"]["label"] == "вид акта"
    assert (legal_act["lg:notStated"]["help"], legal_act["lg:notStated"]["helpLang"]) == (
        "Если источник не приводит значение, которого требуют правила проверки, отметьте это здесь.", "ru")
    modality = shown_fields(html, "PerpetratorProgramme")["lg:modality"]
    assert [o["label"] for o in modality["options"]] == ["обязательная", "добровольная"]  # sh:in keeps its order
    document = shown_fields(html, "OfficialDocument")
    assert [document[k]["label"] for k in ("dcterms:publisher", "dcterms:issued", "dcterms:language")] == [
        "издавший орган", "дата издания", "язык"]
    words = json_block(html, "editor-words")
    assert words["problems"] == {"one": "%(num)d ошибка — исправьте перед сохранением",
                                 "few": "%(num)d ошибки — исправьте перед сохранением",
                                 "many": "%(num)d ошибок — исправьте перед сохранением",
                                 "other": "%(num)d ошибки — исправьте перед сохранением"}
    assert (words["Violation"], words["noProblems"], words["yes"], words["identifier"]) == (
        "Ошибка:", "Ошибок нет: запись можно сохранить", "да", "Идентификатор")
    assert words["warnings"]["many"] == "%(num)d предупреждений по ориентирам"


def test_the_editor_page_in_english_shows_russian_beside_english(fresh):
    html = fresh.get("/entries/new", params={"kind": "ProtectionOrderRegime"}, headers=EN).text
    assert '<html lang="en">' in html and "<h1>Write an entry</h1>" in html
    assert '<h2>Protection-order regime <span class="muted" lang="ru">Режим охранного ордера</span></h2>' in html
    assert '<p class="muted">The protection orders' in html  # English on an English page: no mark
    fields = shown_fields(html, "ProtectionOrderRegime")
    assert tuple(fields["lg:country"][k] for k in ("label", "labelLang", "other", "otherLang")) == (
        "country", "en", "страна", "ru")
    assert [o["label"] for o in shown_fields(html, "LegalAct")["eli:type_document"]["options"][:3]] == [
        "action plan", "annex", "code"]
    words = json_block(html, "editor-words")
    assert words["problems"]["one"] == words["problems"]["other"] == "%(num)d problem(s) to fix before saving"
    assert (words["Violation"], words["restored"]) == ("Problem:", "Your draft was restored from this browser.")


def test_the_twin_is_the_same_in_every_language_and_pages_do_not_mix(fresh, shipped_store):
    client = fresh
    asked = [({}, EN), ({}, RU), ({"lang": "ru"}, EN), ({"lang": "en"}, RU)]
    for params in ({"kind": "ProtectionOrderRegime", "format": "json"}, {"format": "json"}):
        twins = [client.get("/entries/new", params=params | extra, headers=headers).json()
                 for extra, headers in asked]
        assert all(t == twins[0] for t in twins)
    twin = client.get("/entries/new", params={"kind": "LegalAct", "format": "json"}, headers=RU).json()
    label = next(f for f in twin["fields"] if f["key"] == "rdfs:label")
    assert (label["label"], label["labelRu"], label["help"], label["helpRu"]) == (
        "label", "название", "How pages name the entity, in English.",
        "Как страницы называют этот объект: краткое название на английском языке.")
    assert [o["label"] for o in next(f for f in twin["fields"] if f["key"] == "eli:type_document")["options"]][:2] == [
        "action plan", "annex"]
    # the forms a page shows are kept per version and language: one language never shows in the other
    pages = [client.get("/entries/new", params={"kind": "Obligation"}, headers=h).text for h in (RU, EN, RU)]
    assert "<h1>Составить запись</h1>" in pages[0] and "<h1>Write an entry</h1>" in pages[1]
    assert pages[0] == pages[2] and "Составить" not in pages[1]
    assert forms.shown(shipped_store, "ru") is forms.shown(shipped_store, "ru")
    assert forms.shown(shipped_store, "en")[0]["label"] == "Legal or policy act"
    assert forms.form(shipped_store, "LegalAct").label == "Legal or policy act"  # the forms are not changed


def test_a_russian_shape_name_names_the_field_and_results_keep_the_english_name(shipped_store):
    entry = parse_entry((HEADER + """
<act/kg-example-2025> a lg:LegalAct ; rdfs:label "Example act"@en ; eli:title "Example act"@en ;
    lg:jurisdiction <country/kyrgyzstan> ; lg:adoptionYear "2025"^^xsd:gYear ;
    eli:type_document <https://w3id.org/legalgraph/vocab/act-type/law> ; lg:status <https://w3id.org/legalgraph/vocab/status/adopted> .""").encode(), "e.ttl", "ttl")
    [missing] = validate(shipped_store, entry).violations
    assert (missing.path, missing.shape) == ("dcterms:source", "source")


#: what a drafter who does not read RDF must never be shown as help: prefixes, IRIs in brackets, typed literals
RDF_SYNTAX = re.compile(r"lg:|<|>|\^\^|xsd:|@en|@ru|\b(?:eli|dcterms|rdfs|rdf|skos|owl|acttype|status|modality):")


def test_every_field_has_a_plain_description_in_english_and_russian(shipped_store):
    """Every field of every kind is described for a drafter in both languages (``sh:description "…"@en , "…"@ru``;
    the "not stated" help from the catalogue), with no RDF syntax; the validation messages are kept."""
    checked = 0
    for form in forms.forms(shipped_store):
        for f in form.fields:
            assert f.help and f.helpRu and f.help != f.helpRu, (form.kind, f.key)
            assert re.search("[А-Яа-яЁё]", f.helpRu) and not re.search("[А-Яа-яЁё]", f.help), (form.kind, f.key)
            for text in (f.help, f.helpRu):
                assert not RDF_SYNTAX.search(text), (form.kind, f.key, text)
            checked += 1
    assert checked == 83
    shapes = load_shapes()
    regime = URIRef(LGSH + "ProtectionOrderShape")
    extended = next(p for p in shapes.objects(regime, SH.property) if shapes.value(p, SH.path) == LG.extendedDuration)
    assert str(shapes.value(extended, SH.message)) == (
        'Write durations with their unit as xsd:duration: "P1M"^^xsd:duration for one month.')


@pytest.mark.parametrize(("kind", "key", "english", "russian"), [
    ("ProtectionOrderRegime", "lg:initialDuration",
     "How long an order lasts when first issued: P, a number and a unit, e.g. P3D for three days.",
     "Срок, на который ордер выдаётся первоначально: буква P, число и единица, например P3D — три дня."),
    ("LegalAct", "lg:jurisdiction", "The country whose law the act belongs to.",
     "Страна, к законодательству которой относится акт."),
    ("PerpetratorProgramme", "lg:totalSessions",
     "How many sessions in all, as a whole number, e.g. 30; where individual and group sessions are both given, "
     "their sum.",
     "Сколько всего сессий, целым числом, например 30; если указаны и индивидуальные, и групповые сессии, — их "
     "сумма."),
    # a member of "give at least one of …" that becomes a field of its own: described on the member
    ("LegalAct", "lg:periodStart",
     "For a strategy, plan or roadmap: the first year of the period it covers, e.g. 2019.",
     "Для стратегии, плана или дорожной карты: первый год охватываемого периода, например 2019."),
    ("OfficialDocument", "dcterms:language",
     "The language the document is written in, as a two-letter code: ru for Russian, en for English, kk for "
     "Kazakh, …",
     "Язык документа в виде двухбуквенного кода: ru — русский, en — английский, kk — казахский и т. д."),
    ("LegalAct", "lg:notStated", "Where the source does not give a value the shapes ask for, say so here.",
     "Если источник не приводит значение, которого требуют правила проверки, отметьте это здесь."),
])
def test_descriptions_in_both_languages(shipped_store, kind, key, english, russian):
    f = by_key(forms.form(shipped_store, kind))[key]
    assert (f.help, f.helpRu) == (english, russian)
    shown = {lang: next(x for x in next(k for k in forms.shown(shipped_store, lang) if k["kind"] == kind)["fields"]
                        if x["key"] == key) for lang in ("en", "ru")}
    assert (shown["en"]["help"], shown["en"]["helpLang"]) == (english, "en")
    assert (shown["ru"]["help"], shown["ru"]["helpLang"]) == (russian, "ru")


def test_a_shape_described_only_in_english_shows_english_on_a_russian_page(shipped_store):
    """Where a shape has no Russian description, a Russian page falls back to the English one, marked English."""
    shapes = load_shapes()
    changed = Graph()
    changed += shapes
    prop = next(p for p in changed.objects(URIRef(LGSH + "ProtectionOrderShape"), SH.property)
                if changed.value(p, SH.path) == LG.country)
    changed.remove((prop, SH.description, None))
    changed.add((prop, SH.description, Literal("Only in English.", lang="en")))
    country = by_key(forms.form(shipped_store, "ProtectionOrderRegime", changed))["lg:country"]
    assert (country.help, country.helpRu) == ("Only in English.", None)
    ru = next(k for k in forms.shown(shipped_store, "ru", changed) if k["kind"] == "ProtectionOrderRegime")
    shown = next(f for f in ru["fields"] if f["key"] == "lg:country")
    assert (shown["help"], shown["helpLang"]) == ("Only in English.", "en")
