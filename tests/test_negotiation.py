"""One rule of content negotiation on every route (api/negotiation.py), HEAD and 405, and error bodies that name
what is wrong and never echo a huge input whole (issue 14, the review of the service)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from legalgraph.api import create_app
from legalgraph.errors import MAX_MESSAGE, BadInput, clip
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ENTITY = "/id/programme/tj-consultation-rooms"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    s = OxigraphStore(tmp_path_factory.mktemp("negotiation") / "db")
    s.load()
    with TestClient(create_app(Settings(query_timeout=5, max_request_bytes=200_000), s)) as c:
        yield c
    s.close()


# ------------------------------------------------------------ representation choice: one rule

def test_query_format_json_gives_the_twin_and_its_errors_in_json(client):
    r = client.get("/queries/protection-orders?format=json")
    assert r.status_code == 200 and r.headers["content-type"] == "application/sparql-results+json"
    bad = client.get("/queries/protection-orders?format=json&country=nope", headers={"accept": CHROME})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/json"
    assert bad.json()["error"] == "bad-input" and "kyrgyzstan" in bad.json()["valid"]


@pytest.mark.parametrize(("how", "media"), [(".tsv", "text/tab-separated-values"),
                                            ("?format=tsv", "text/tab-separated-values"),
                                            (".srx", "application/sparql-results+xml")])
def test_query_tsv_and_xml_twins_by_extension_and_format(client, how, media):
    r = client.get("/queries/protection-orders" + how)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert client.get("/queries/protection-orders", headers={"accept": media}).headers["content-type"] \
        .startswith(media)


def test_query_page_twin_links_drop_format(client):
    page = client.get("/queries/protection-orders?format=html&country=kyrgyzstan", headers={"accept": CHROME})
    assert page.status_code == 200
    assert 'href="/queries/protection-orders.json?country=kyrgyzstan"' in page.text


def test_query_extension_it_lacks_is_406_listing_the_valid_ones(client):
    r = client.get("/queries/protection-orders.ttl")
    assert r.status_code == 406
    assert r.json() == {"error": "not-acceptable", "message": "/queries/protection-orders is not available as .ttl",
                        "where": "extension", "valid": [".html", ".json", ".srj", ".srx", ".xml", ".csv", ".tsv"],
                        "hint": "use one of .html, .json, .srj, .srx, .xml, .csv, .tsv"}


def test_entity_accept_json_gives_json_ld_like_the_extension(client):
    r = client.get(ENTITY, headers={"accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    assert r.text == client.get(ENTITY + ".json").text
    assert client.get(ENTITY + "?format=ttl").headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("path", ["/compare", "/brief/kazakhstan", "/browse", "/queries", "/", "/search?q=law",
                                  "/brief", "/entries/new"])
def test_pages_refuse_what_they_do_not_offer(client, path):
    csv = client.get(path, headers={"accept": "text/csv"})
    assert csv.status_code == 406 and csv.json()["valid"] == ["text/html", "application/json"] + (
        ["application/pdf"] if path == "/brief/kazakhstan" else []) + ["application/xhtml+xml"]
    xml = client.get(path + ("&" if "?" in path else "?") + "format=xml")
    assert xml.status_code == 400 and xml.json()["where"] == "format"
    assert xml.json()["message"] == "unknown format 'xml'"
    for accept in ("*/*", CHROME):
        page = client.get(path, headers={"accept": accept})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("path", "message"), [
    ("/brief/kazakhstan.json?format=pdf", "format=pdf contradicts the extension .json"),
    ("/brief/kazakhstan.html?format=json", "format=json contradicts the extension .html")])
def test_brief_extension_and_format_in_conflict_is_400(client, path, message):
    r = client.get(path)
    assert r.status_code == 400 and r.json()["message"] == message and r.json()["where"] == "format"


def test_brief_unknown_extension_is_406(client):
    r = client.get("/brief/kazakhstan.docx")
    assert r.status_code == 406 and r.json()["valid"] == [".html", ".json", ".pdf"]
    assert client.get("/brief/kazakhstan.json?format=json").status_code == 200


# ------------------------------------------------------------ HEAD and 405

@pytest.mark.parametrize("path", ["/", ENTITY, ENTITY + ".ttl", "/queries/protection-orders.csv", "/compare"])
def test_head_answers_every_get_route_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_method_not_allowed_has_allow_header_and_kind(client):
    r = client.delete("/sparql")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, POST"
    assert r.json() == {"error": "method-not-allowed", "message": "DELETE is not allowed on /sparql",
                        "valid": ["GET", "HEAD", "POST"], "hint": "use GET or HEAD or POST"}
    assert client.put("/compare").headers["allow"] == "GET, HEAD"


# ------------------------------------------------------------ error bodies

def test_multipart_without_boundary_is_bad_input_on_the_body(client):
    r = client.post("/validate", content=b"--x\r\n", headers={"content-type": "multipart/form-data"})
    body = r.json()
    assert r.status_code == 400 and body["error"] == "bad-input" and body["where"] == "body"
    assert body["message"] == "the request body is malformed: Missing boundary in multipart." and body["hint"]


def test_truncated_multipart_says_truncated(client):
    whole = (b'--b\r\nContent-Disposition: form-data; name="entry"\r\n\r\n<a> <b> <c> .\r\n'
             b'--b\r\nContent-Disposition: form-data; name="format"\r\n\r\nttl\r\n--b--\r\n')
    r = client.post("/validate", content=whole[:70], headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400 and r.json()["where"] == "body"
    assert r.json()["message"] == ("the multipart body is truncated or malformed: it does not end with its "
                                   "closing boundary --b--")


@pytest.mark.parametrize(("path", "where"), [("/queries/protection-orders.json?asOf=abc", "asOf"),
                                             ("/brief/nope.json", "country"), ("/search?q=law&textLang=xx", "textLang")])
def test_bad_parameter_errors_name_the_parameter(client, path, where):
    r = client.get(path)
    assert r.status_code == 400 and r.json()["where"] == where


def test_long_input_is_not_echoed_whole(client):
    long = "x" * 60_000
    r = client.get("/id/" + long)
    assert r.status_code == 404 and len(r.content) < 1500
    page = client.get("/id/" + long, headers={"accept": CHROME})
    assert page.status_code == 404 and len(page.content) < 20_000
    bad = client.get("/browse", params={"cls": "y" * 50_000})
    assert bad.status_code == 400 and len(bad.content) < 3000 and len(bad.json()["message"]) <= MAX_MESSAGE
    search = client.get("/search", params={"q": "law " * 6000}, headers={"accept": CHROME})
    assert search.status_code in (200, 400) and len(search.content) < 40_000


def test_clip_and_bounded_messages():
    assert clip("abc") == "abc" and clip("a" * 300) == "a" * 199 + "…"
    err = BadInput("unknown class '" + "z" * 5000 + "'; use one of the classes", where="w" * 900)
    assert len(err.message) == MAX_MESSAGE and err.message.endswith("'; use one of the classes")
    assert len(err.where or "") == 200
