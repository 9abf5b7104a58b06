"""Security headers on every response, and links from data that can only be web addresses (api/security.py,
the ``href`` helper of api/pages.py). The browser side (no CSP violation on any page, the SPARQL editor ignoring
the URL) is in tests/test_browser.py."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from legalgraph.api import create_app
from legalgraph.api.rendering import href
from legalgraph.api.security import CONTENT_SECURITY_POLICY
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

ID = "https://w3id.org/legalgraph/id/"
ACT = URIRef(ID + "act/kg-law-63-2017")
HOSTILE = ["javascript:alert(1)", "JavaScript:alert(document.domain)", "data:text/html,%3Cscript%3Ex%3C/script%3E",
           "vbscript:msgbox(1)", "file:///etc/passwd", "mailto:x@example.org", "urn:x:y"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The shipped graph, plus what an old store or a remote one could hold: links no shape would let in now."""
    s = OxigraphStore(tmp_path_factory.mktemp("security") / "db")
    s.load()
    g = Graph()
    for iri in HOSTILE:
        g.add((ACT, RDFS.seeAlso, URIRef(iri)))
    g.add((ACT, RDFS.seeAlso, URIRef("https://cbd.minjust.gov.kg/act/view/ru-ru/111570")))
    s.add(g, URIRef("https://w3id.org/legalgraph/graph/test/hostile-links"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(Settings(query_timeout=5, max_request_bytes=20_000), store)) as c:
        yield c


def test_policy_forbids_inline_scripts_and_other_hosts():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY


HTML = "text/html"
PAGES = [("/", HTML), ("/compare", HTML), ("/browse?cls=LegalAct", HTML), ("/search?q=law", HTML),
         ("/queries", HTML), ("/queries/completions?country=tajikistan", HTML), ("/sparql", HTML),
         ("/validate", HTML), ("/graph", HTML), ("/docs", HTML), ("/id/act/kg-law-63-2017", HTML),
         ("/id/no/such/thing", HTML), ("/queries/no-such-query", HTML),
         ("/", "application/json"), ("/browse?format=json", "application/json"),
         ("/queries?format=json", "application/json"), ("/graph/data.json?view=legal", "application/json"),
         ("/openapi.json", "application/json"), ("/compare?format=json", "application/json"),
         ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
         ("/id/act/kg-law-63-2017.ttl", "text/turtle"), ("/static/style.css", "text/css"),
         ("/static/sparql.js", "text/javascript")]


@pytest.mark.parametrize(("path", "media"), PAGES, ids=[f"{p} {m}" for p, m in PAGES])
def test_every_response_carries_the_security_headers(client, path, media):
    r = client.get(path, headers={"accept": media if media in (HTML, "application/json") else "*/*"})
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers.get_list("content-security-policy") == [CONTENT_SECURITY_POLICY]  # one, not two


def test_refusals_carry_the_security_headers_too(client):
    for r in (client.post("/validate", content=b"x" * 30_000, headers={"content-type": "text/turtle"}),
              client.post("/validate", content=b"<a> <b> .", headers={"content-type": "text/turtle"}),
              client.get("/sparql", params={"query": "SELECT"})):
        assert r.status_code in (400, 413) and r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert r.headers["x-content-type-options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*(\bsrc=|\btype=\"application/json\"))[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize("path", [p for p, m in PAGES if m == HTML])
def test_pages_hold_no_inline_script_handler_or_style(client, path):
    body = client.get(path, headers={"accept": "text/html"}).text
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body)
    assert not INLINE_HANDLER.search(body), INLINE_HANDLER.search(body)
    assert not INLINE_STYLE.search(body), INLINE_STYLE.search(body)


def test_docs_page_starts_swagger_from_a_file(client):
    body = client.get("/docs").text
    assert '<script src="/static/vendor/swagger-ui-bundle.js"></script>' in body
    assert '<script src="/static/docs.js"></script>' in body
    assert 'data-openapi-url="/openapi.json"' in body
    assert client.get("/static/docs.js").status_code == 200


def test_entity_page_shows_other_schemes_as_text_not_links(client):
    body = client.get("/id/act/kg-law-63-2017").text
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert "https://cbd.minjust.gov.kg/act/view/ru-ru/111570" in hrefs
    # same-site paths, the language switch's query-only link, or http(s); never //host (another site)
    assert all(h.startswith(("/", "?", "http://", "https://")) and not h.startswith("//") for h in hrefs), hrefs
    for iri in HOSTILE:
        assert f'href="{iri}' not in body
    assert "javascript:alert(1)" in body  # shown, as text


@pytest.mark.parametrize("iri", [*HOSTILE, " javascript:alert(1)", "java\tscript:alert(1)", "https://", "https:///x",
                                 "http:/x", "//evil.example/x", "/relative", "https://a b", 'https://a"b'])
def test_href_gives_no_link_for_anything_but_a_web_address(iri):
    assert href(URIRef(iri)) is None


def test_href_maps_project_iris_and_keeps_web_addresses():
    assert href(ACT) == "/id/act/kg-law-63-2017"
    assert href(URIRef("https://w3id.org/legalgraph/ontology#LegalAct")) == "/ontology/LegalAct"
    assert href(URIRef("https://w3id.org/legalgraph/vocab/modality/mandatory")) == "/vocab/modality/mandatory"
    assert href(ID + "country/tajikistan") == "/id/country/tajikistan"  # IRIs as text, as compare gives them
    assert href(URIRef("HTTPS://example.org/a?b=c#d")) == "HTTPS://example.org/a?b=c#d"
    assert href(URIRef("http://example.org/")) == "http://example.org/"
    assert href(Literal("https://example.org/")) is None and href(None) is None


def test_the_allowed_inline_style_is_the_one_the_vendored_yasgui_writes():
    import base64
    import hashlib
    from pathlib import Path

    from legalgraph.api.security import YASGUI_STYLE_HASHES
    js = (Path(__file__).resolve().parents[1] / "src/legalgraph/api/static/vendor/yasgui.min.js").read_text()
    css = re.search(r"createStyle\(a,`( \.grip-resizable\{table-layout:fixed;\}[^`]*)`\)", js).group(1)
    drag = "*{cursor:" + re.search(r"dragCursor:`([^`]*)`", js).group(1) + "!important}"
    digest = [f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in (css, drag)]
    assert list(YASGUI_STYLE_HASHES) == digest


def test_an_unexpected_error_gets_the_headers_too(store):
    app = create_app(Settings(query_timeout=5), store)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500 and r.text == "Internal Server Error"
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"
