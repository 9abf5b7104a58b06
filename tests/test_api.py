"""The web service through its HTTP interface: SPARQL protocol, negotiation, bounds, pages and twins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from legalgraph.api import create_app
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
Q_COUNTRIES = "SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = OxigraphStore(tmp_path_factory.mktemp("api") / "db")
    s.load()
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    app = create_app(Settings(query_timeout=3, max_rows=500, max_request_bytes=20_000), store)
    with TestClient(app) as c:
        yield c


# ------------------------------------------------------------- SPARQL protocol

@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_by_get_is_negotiated(client, accept, media):
    r = client.get("/sparql", params={"query": Q_COUNTRIES}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert r.text.count("country/") == 5


def test_select_by_post_direct_and_form(client):
    r = client.post("/sparql", content=Q_COUNTRIES, headers={"content-type": "application/sparql-query"})
    assert len(r.json()["results"]["bindings"]) == 5
    r = client.post("/sparql", data={"query": "ASK { ?c a lg:Country }"})
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                            ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_is_negotiated(client, accept, fmt):
    q = "CONSTRUCT { ?c a lg:Country } WHERE { ?c a lg:Country }"
    r = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=r.text, format=fmt)) == 5


def test_default_graph_uri_restricts_the_dataset(client):
    q = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a lg:Country }"
    r = client.get("/sparql", params={"query": q, "default-graph-uri":
                                      "https://w3id.org/legalgraph/graph/data/kyrgyzstan"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_service_description_and_editor(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert "sd:SPARQL11Query" in r.text
    r = client.get("/sparql", headers={"accept": "text/html"})
    assert "yasgui.min.js" in r.text and "cdn" not in r.text.lower()


@pytest.mark.parametrize(("query", "status", "text"), [
    ("SELECT ?s WHERE { ?s ?p }", 400, "malformed SPARQL at line 1, column"),
    ("INSERT DATA { <http://a> <http://b> 1 }", 403, "read-only"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "SERVICE is not allowed"),
    ("SELECT * WHERE { ?s ?p ?o }", 422, "more than 500 rows"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", 504, "longer than 3 s"),
])
def test_bad_or_unbounded_queries_get_clear_errors(client, query, status, text):
    r = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert r.status_code == status and text in r.text


def test_endpoint_still_answers_after_a_timeout(client):
    client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    r = client.get("/sparql", params={"query": "ASK { ?c a lg:Country }"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_request_size_is_bounded(client):
    r = client.post("/sparql", content="#" * 30_000, headers={"content-type": "application/sparql-query"})
    assert r.status_code == 413 and "bound" in r.text


def test_unacceptable_format_is_406(client):
    r = client.get("/sparql", params={"query": Q_COUNTRIES}, headers={"accept": "image/png"})
    assert r.status_code == 406


def test_unsupported_post_type_is_415(client):
    assert client.post("/sparql", content="x", headers={"content-type": "text/plain"}).status_code == 415


# --------------------------------------------------------------- linked data

def test_entity_html_shows_label_properties_source_and_benchmarks(client):
    r = client.get("/id/programme/kg-model-mandatory", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert "Model mandatory programme (Annex 3)" in r.text
    assert "Kyrgyzstan › Legal and policy framework" in r.text
    assert "Not aligned with benchmark" in r.text
    assert 'rel="alternate"' in r.headers["link"]


@pytest.mark.parametrize(("suffix", "fmt"), [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld"),
                                             (".rdf", "xml")])
def test_entity_rdf_twins_by_extension(client, suffix, fmt):
    r = client.get("/id/programme/tj-consultation-rooms" + suffix)
    g = Graph().parse(data=r.text, format=fmt)
    total = [o for s, p, o in g if str(p).endswith("#totalSessions")]
    assert [int(o) for o in total] == [30]


def test_entity_by_accept_header(client):
    r = client.get("/id/country/uzbekistan", headers={"accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle") and "Узбекистан" in r.text


def test_unknown_entity_is_404_with_search_hint(client):
    r = client.get("/id/programme/kg-nonexistent-centre", headers={"accept": "text/html"})
    assert r.status_code == 404 and "/search?q=kg%20nonexistent%20centre" in r.text


def test_browse_facets_and_json_twin(client):
    r = client.get("/browse", params={"cls": "PerpetratorProgramme", "country": "tajikistan", "format": "json"})
    data = r.json()
    assert data["facets"]["lg:PerpetratorProgramme"] == 6
    assert len(data["items"]) == 6


def test_search_finds_by_label(client):
    labels = [x["label"] for x in client.get("/search", params={"q": "ayalzat", "format": "json"}).json()["hits"]]
    assert any("Ayalzat" in label for label in labels)


def test_search_page_ranks_groups_marks_and_filters(client):
    r = client.get("/search", params={"q": "Kyrgyzstan police"}, headers={"accept": "text/html"})
    assert r.status_code == 200
    main = r.text[r.text.index("<main>"):]
    first = main.index('<a href="/id/org/kg-police">Police of Kyrgyzstan</a>')
    assert first < main.index("/id/obligation/kg-police-inform-perpetrator")  # ranked first
    assert '<section class="search-group" data-type="Organisation">' in main and "<h3 class=\"small\">Kyrgyzstan</h3>" in main
    assert "<mark>Police</mark> of <mark>Kyrgyzstan</mark>" in main
    assert 'href="/search?q=Kyrgyzstan+police&amp;type=Organisation"' in main
    assert 'href="/search?q=Kyrgyzstan+police&amp;country=kyrgyzstan"' in main
    js = client.get("/search", params={"q": "Kyrgyzstan police", "format": "json"}).json()
    assert js["hits"][0]["iri"].endswith("/org/kg-police") and js["total"] == 6
    assert {f["value"]: f["count"] for f in js["facets"]["type"]} == {
        "PerpetratorProgramme": 2, "LegalAct": 1, "Obligation": 1, "Organisation": 1, "ProtectionOrderRegime": 1}
    assert js["facets"]["country"] == [{"value": "kyrgyzstan", "iri": "https://w3id.org/legalgraph/id/country/kyrgyzstan",
                                        "count": 6}]
    only = client.get("/search", params={"q": "Kyrgyzstan police", "type": "Organisation", "format": "json"}).json()
    assert [h["iri"].rsplit("/", 1)[-1] for h in only["hits"]] == ["kg-police"] and only["type"] == ["Organisation"]


def test_search_russian_finds_the_three_regimes(client):
    r = client.get("/search", params={"q": "охранный ордер"}, headers={"accept": "text/html"})
    for regime in ("tj-law-954", "uz-law-561", "kg-law-63"):
        assert f'href="/id/protection-order/{regime}"' in r.text
    assert "Режим <mark>охранного</mark> <mark>ордера</mark>" in r.text
    js = client.get("/search", params={"q": "охранный ордер", "type": "ProtectionOrderRegime", "format": "json"}).json()
    assert sorted(h["iri"].rsplit("/", 1)[-1] for h in js["hits"]) == ["kg-law-63", "tj-law-954", "uz-law-561"]


def test_search_nothing_found_suggests(client):
    r = client.get("/search", params={"q": "protectoin"}, headers={"accept": "text/html"})
    assert r.status_code == 200 and 'Did you mean <a href="/search?q=protection">protection</a>' in r.text
    js = client.get("/search", params={"q": "protectoin", "format": "json"}).json()
    assert js["hits"] == [] and js["suggestions"][0] == "protection"


@pytest.mark.parametrize("q", ['"', "NEAR(a b", "<script>alert(1)</script>", "\x00", "*", "x" * 5000, "label:police ^"])
def test_search_hostile_text_never_500s(client, q):
    r = client.get("/search", params={"q": q}, headers={"accept": "text/html"})
    assert r.status_code == 200 and "<script>alert" not in r.text
    assert client.get("/search", params={"q": q, "format": "json"}).status_code == 200


def test_search_unknown_filter_is_400_with_valid_values(client):
    r = client.get("/search", params={"q": "police", "country": "mars", "format": "json"})
    assert r.status_code == 400 and "kyrgyzstan" in r.json()["valid"]
    r = client.get("/search", params={"q": "police", "type": "Nope", "format": "json"})
    assert r.status_code == 400 and "Organisation" in r.json()["valid"]


# ---------------------------------------------------------- queries, compare

def test_canned_query_page_and_twins(client):
    html = client.get("/queries/completions", params={"country": "tajikistan"}, headers={"accept": "text/html"})
    assert "206" in html.text and "149" in html.text and 'name="country"' in html.text
    js = client.get("/queries/completions.json", params={"country": "tajikistan"}).json()
    assert js["results"]["bindings"][0]["completions"]["value"] == "206"
    csv = client.get("/queries/completions.csv").text
    assert csv.splitlines()[0] == "country,programme,completions,men,women,asOf"


def test_canned_query_page_speaks_plainly_and_the_twins_keep_types(client):
    html = client.get("/queries/protection-orders", params={"country": "tajikistan"}, headers={"accept": "text/html"})
    assert '<th title="initialObliges">Initial order obliges a programme</th>' in html.text
    assert "<td>15 days</td>" in html.text and "<td>30 days</td>" in html.text and "<td>yes</td>" in html.text
    assert "P15D" not in html.text.split("<details>")[0]
    js = client.get("/queries/protection-orders.json", params={"country": "tajikistan"}).json()
    assert js["head"]["vars"][2] == "initial" and js["results"]["bindings"][0]["initial"]["value"] == "P15D"
    csv = client.get("/queries/protection-orders.csv", params={"country": "tajikistan"}).text
    assert "initialObliges" in csv.splitlines()[0] and "P15D" in csv


def test_entity_page_values_in_words(client):
    html = client.get("/id/programme/tj-consultation-rooms", headers={"accept": "text/html"}).text
    assert '<span title="P6M">6 months</span>' in html
    assert "P6M" in client.get("/id/programme/tj-consultation-rooms.ttl").text


def test_canned_query_bad_parameter_is_400(client):
    r = client.get("/queries/dv-law-and-criminalisation.json", params={"asOf": "soon"})
    assert r.status_code == 400 and "must be a year" in r.text


def test_compare_json_twin(client):
    data = client.get("/compare", params={"asOf": 2016, "format": "json"}).json()
    kz = data["cells"]["https://w3id.org/legalgraph/id/country/kazakhstan"]
    assert kz["law"][0]["text"] == "No. 214-IV (2009)"
    assert kz["law"][0]["href"] == "/id/act/kz-law-214-iv-2009"
    kg_recs = data["cells"]["https://w3id.org/legalgraph/id/country/kyrgyzstan"]["recommendations"]
    assert kg_recs[0]["text"] == "5 recommendations"
    tj = data["cells"]["https://w3id.org/legalgraph/id/country/tajikistan"]["protection"][0]
    assert tj["text"] == "15 days → 30 days (extension obliges a programme)"
    assert tj["values"]["initial"] == {"value": "P15D", "datatype": "http://www.w3.org/2001/XMLSchema#duration"}
    assert tj["values"]["extended"]["value"] == "P30D"
    uz = data["cells"]["https://w3id.org/legalgraph/id/country/uzbekistan"]["protection"][0]
    assert uz["text"] == "extension by up to 1 year (extension obliges a programme)"
    assert uz["values"]["maximumExtension"]["value"] == "P1Y"
    assert [s["label"] for s in tj["sources"]] == ["Tajikistan › Country-specific recommendations",
                                                   "Tajikistan › Legal and policy framework",
                                                   "Tajikistan › Perpetrator programmes"]


# ------------------------------------------------------------------- validate

def test_validate_body_and_formats(client):
    body = (EXAMPLES / "programme-four-sessions-one-month.ttl").read_bytes()
    r = client.post("/validate", content=body, headers={"content-type": "text/turtle"})
    data = r.json()
    assert data["conforms"] is True and {x["path"] for x in data["results"]} == {"lg:duration", "lg:totalSessions"}
    r = client.post("/validate", content=body, headers={"content-type": "text/turtle", "accept": "text/turtle"})
    assert "sh:ValidationReport" in r.text


def test_validate_upload_and_parse_error(client):
    files = {"file": ("entry.jsonld", (EXAMPLES / "programme-misspelt-property.jsonld").read_bytes())}
    data = client.post("/validate", files=files).json()
    assert [x["path"] for x in data["results"] if x["severity"] == "Violation"] == ["lg:totalSesions"]
    bad = client.post("/validate", content=b"<a> <b> .", headers={"content-type": "text/turtle"})
    assert bad.status_code == 400 and bad.json()["line"] == 1


def test_entries_are_off_by_default(client):
    r = client.post("/entries", content=b"", headers={"content-type": "text/turtle"})
    assert r.status_code == 403 and r.json()["error"] == "refused" and "LEGALGRAPH_WRITE_TOKEN" in r.json()["hint"]


def test_entries_with_token_add_atomically(tmp_path):
    store = OxigraphStore(tmp_path / "db")
    store.load()
    app = create_app(Settings(write_token="s3cret", query_timeout=5), store)
    body = (EXAMPLES / "tj-draft-amendment-six-month-programmes.ttl").read_bytes()
    with TestClient(app) as c:
        assert c.post("/entries", content=body, headers={"content-type": "text/turtle"}).status_code == 401
        invalid = (EXAMPLES / "law-without-jurisdiction.trig").read_bytes()
        n = store.triples()
        r = c.post("/entries", content=invalid, headers={"content-type": "application/trig",
                                                         "authorization": "Bearer s3cret"})
        assert r.status_code == 422 and r.json()["added"] is False and store.triples() == n
        r = c.post("/entries", content=body, headers={"content-type": "text/turtle",
                                                      "authorization": "Bearer s3cret"})
        assert r.status_code == 201 and r.json()["added"] is True
        q = "ASK { ?p lg:duration ?d }"
        r = c.get("/sparql", params={"query": q.replace("?p", "<https://w3id.org/legalgraph/id/programme/"
                                                              "tj-example-mandatory-six-month-programme>")})
        assert r.json()["boolean"] is True  # the workers see the new entry
    store.close()


def test_openapi_documents_every_route_with_examples(client):
    spec = client.get("/openapi.json").json()
    for path in ["/sparql", "/validate", "/entries", "/queries/{name}", "/id/{path}", "/compare", "/browse"]:
        assert path in spec["paths"], path
    assert "example" in json.dumps(spec["paths"]["/validate"]["post"]["requestBody"])


def test_every_page_has_the_footer(client):
    for url in ["/", "/compare", "/queries", "/validate", "/browse", "/id/country/kazakhstan"]:
        r = client.get(url, headers={"accept": "text/html"})
        assert "CC BY 4.0" in r.text and "data version" in r.text, url


def test_chunked_request_body_is_bounded_too(client):
    """A body without Content-Length is counted as it arrives, and one within the bound reaches the handler."""
    r = client.post("/sparql", content=iter([b"#" * 20_000, b"#" * 20_000]),
                    headers={"content-type": "application/sparql-query"})
    assert r.status_code == 413 and "bound" in r.text
    r = client.post("/sparql", content=iter([b"ASK { ?c a ", b"lg:Country }"]),
                    headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_validate_form_keeps_entry_and_format_and_names_by_label(client):
    broken = '{"@id": <a> }'
    r = client.post("/validate?format=html", files={"entry": (None, broken), "format": (None, "jsonld")})
    assert r.status_code == 400
    assert '<textarea name="entry" aria-label="Entry" id="entry">\n{&#34;@id&#34;: &lt;a&gt; }</textarea>' in r.text
    assert '<option value="jsonld" selected>' in r.text and '<option value="ttl" selected>' not in r.text
    assert r.text.count("syntax near that position") == 1 and "bad-input" not in r.text
    entry = (EXAMPLES / "programme-four-sessions-one-month.ttl").read_text()
    r = client.post("/validate?format=html", files={"entry": (None, entry), "format": (None, "ttl")})
    assert "Example: Tendesh mandatory programme, four sessions in a month <span" in r.text
    assert '<span title="P1M">1 month</span>' in r.text
    assert r.text.count("the programme lasts 1 month, shorter than 6 months") == 1


def test_home_opens_with_questions_each_answered_with_rows(client):
    html = client.get("/", headers={"accept": "text/html"}).text
    main = html[html.index("<main>"):]
    assert main.index('id="questions"') < main.index("<p>A queryable graph")
    for text, link in [("How long do protection orders last?", "/queries/protection-orders"),
                       ("Which programmes meet the six-month benchmark?", "/queries/programmes-vs-benchmark"),
                       ("Who must run perpetrator programmes in Kyrgyzstan?",
                        "/queries/programme-obligations?country=kyrgyzstan")]:
        assert f'<a href="{link.replace("&", "&amp;")}">{text}</a>' in main
    questions = client.get("/", params={"format": "json"}).json()["questions"]
    assert len(questions) >= 6
    for q in questions:
        path, _, query = q["href"].partition("?")
        r = client.get(path + ".json" + ("?" + query if query else ""))
        assert r.status_code == 200, q
        assert r.json()["results"]["bindings"], f"{q['question']} answers no rows"
        page = client.get(q["href"], headers={"accept": "text/html"})
        assert page.status_code == 200 and "<td>" in page.text


# ------------------------------------------------------------------ repeated queries before routing

def test_a_repeated_query_is_answered_from_the_cache_byte_for_byte(client):
    """CachedAnswers (api/routes/endpoint.py) answers a repeated plain query before routing; the answer,
    ETag and headers are the route's, and a write makes the next answer fresh."""
    from legalgraph.api.routes import endpoint

    q = "SELECT ?c WHERE { ?c a <https://w3id.org/legalgraph/ontology#Country> } ORDER BY ?c"
    headers = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json"}
    first = client.post("/sparql", content=q, headers=headers)
    calls = []
    real = endpoint._execute

    async def counted(*a, **k):
        calls.append(1)
        return await real(*a, **k)

    endpoint._execute = counted
    try:
        again = client.post("/sparql", content=q, headers=headers)
        by_get = client.get("/sparql", params={"query": q}, headers={"accept": "application/sparql-results+json"})
        conditional = client.post("/sparql", content=q, headers={**headers, "if-none-match": first.headers["etag"]})
        with_dataset = client.post("/sparql?default-graph-uri=https://w3id.org/legalgraph/graph/data/tajikistan.ttl",
                                   content=q, headers=headers)
    finally:
        endpoint._execute = real
    assert first.status_code == again.status_code == by_get.status_code == 200
    assert again.content == first.content == by_get.content
    for name in ("etag", "content-type", "vary", "cache-control", "content-security-policy"):
        assert again.headers[name] == first.headers[name], name
    assert conditional.status_code == 304 and conditional.headers["etag"] == first.headers["etag"]
    assert with_dataset.status_code == 200
    assert calls == [1]  # only the request with dataset parameters reached the route


def test_the_service_description_names_the_endpoint_the_queries_resolve_against(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert "<http://testserver/sparql> a sd:Service" in r.text
    q = "SELECT ?x WHERE { BIND(<relative> AS ?x) }"
    rows = client.get("/sparql", params={"query": q}, headers={"accept": "application/sparql-results+json"}).json()
    assert rows["results"]["bindings"][0]["x"]["value"] == "http://testserver/relative"


# ------------------------------------------------------------- one year rule

@pytest.mark.parametrize("path", [
    "/id/country/kazakhstan?asOf=%C2%B2",  # "²": str.isdigit() said yes, int() raised: a 500
    "/id/country/kazakhstan?asOf=%D9%A2%D9%A0%D9%A2%D9%A0",  # Arabic-Indic 2020: read as 2020 here, 400 elsewhere
    "/queries/dv-law-and-criminalisation.json?asOf=9223372036854775808&country=kazakhstan",  # silently empty
    "/queries/dv-law-and-criminalisation.json?asOf=-5",
    "/queries/timeline.json?asOf=%C2%B9%C2%B9",
    "/compare?asOf=2101",
    "/brief/kazakhstan.json?asOf=1899",
])
def test_every_surface_refuses_a_year_out_of_range_or_in_other_digits_with_a_400_naming_asof(client, path):
    html = path.startswith("/id/")  # the year is a question of the entity page, not of its RDF twins
    r = client.get(path, headers={"accept": "text/html" if html else "application/json"})
    assert r.status_code == 400, (path, r.status_code, r.text[:300])
    if html:
        assert "asOf must be a year from 1900 to 2100" in r.text
    else:
        body = r.json()
        assert body["error"] == "bad-input" and "asOf" in (body.get("where") or body["message"]), body


def test_the_cli_refuses_a_year_out_of_range_with_exit_2(capsys):
    from legalgraph.cli import main

    for argv in (["assess", "--as-of", "99999"], ["brief", "kazakhstan", "--as-of", "3000"],
                 ["sparql", "SELECT ?asOf WHERE {}", "--as-of", "²"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2, argv
        assert "--as-of must be a year from 1900 to 2100" in capsys.readouterr().err, argv


@pytest.mark.parametrize("country, year", [("uzbekistan", "2016"), ("kyrgyzstan", "2016"), ("kazakhstan", "2023")])
def test_a_country_page_s_findings_are_assess_as_of_the_page_s_year(client, store, country, year):
    """/id/country/uzbekistan?asOf=2016 headed its table "as of 2016" but showed today's verdicts ("stand-alone
    crime: meets", and acts not yet in force), where `assess --country uzbekistan --as-of 2016` says no data."""
    import html
    import re

    from legalgraph.services import benchmarks

    page = client.get(f"/id/country/{country}", params={"asOf": year}, headers={"accept": "text/html"}).text
    shown = {tuple(html.unescape(x) for x in m) for m in re.findall(
        r'data-entity="([^"]*)" data-criterion="([^"]*)" data-status="([^"]*)"', page)}
    expected = {(a.entity, a.criterion, a.status) for a in benchmarks.assess(store, country, as_of=int(year))}
    assert shown == expected and expected


def test_the_language_switch_of_a_canned_query_page_keeps_working(client):
    """The switch link ?country=tajikistan&lang=ru answered 400 "unknown parameter(s) lang for query …"."""
    for path in ("/queries/protection-orders?country=tajikistan&lang=ru", "/queries/benchmarks.json?lang=ru"):
        assert client.get(path).status_code == 200, path
