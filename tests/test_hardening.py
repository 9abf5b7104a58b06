"""The public service under hostile input, on a live server on loopback (issue 14's probes, as regression tests).

Each test is named after what broke. A loopback listener records any connection a query or entry could make:
it must see none.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import socket
import threading
import time

import httpx
import pytest

from browser_support import serve_app
from legalgraph.api import create_app
from legalgraph.settings import Settings
from legalgraph.store import BoundedStore
from legalgraph.store.embedded import OxigraphStore
from legalgraph.store.workers import WorkerPool


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
                         b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"leak"}}]}}')
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("hardening") / "db"
    s = OxigraphStore(path)
    s.load()
    s.close()
    return path


@pytest.fixture(scope="module")
def live(store_dir):
    store = OxigraphStore(store_dir)
    settings = Settings(query_timeout=3, max_rows=2_000, max_answer_bytes=400_000, max_request_bytes=200_000,
                        max_entry_triples=2_000, max_entry_subjects=300, validation_timeout=5, workers=2, queue=8,
                        allow_update=True)
    app = create_app(settings, store)
    with serve_app(app) as base:
        yield base, app
    store.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def post_query(base: str, text: str, **headers: str) -> httpx.Response:
    return httpx.post(f"{base}/sparql", content=text.encode(), timeout=30,
                      headers={"content-type": "application/sparql-query", **headers})


# ------------------------------------------------------------------ 1. SSRF

def test_comment_ended_by_a_carriage_return_no_longer_hides_service(live, listener):
    base, _ = live
    text = f"SELECT ?x WHERE {{ #\r SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?x ?y ?z }} \n }}"
    r = post_query(base, text)
    assert r.status_code == 403 and r.json()["error"] == "refused" and "SERVICE" in r.json()["message"]
    assert listener.connections == 0


@pytest.mark.parametrize("update", ["LOAD <http://127.0.0.1:{port}/data.ttl>",
                                    "INSERT {{ ?x ?y ?z }} WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}"])
def test_admin_mode_does_not_fetch(live, listener, update):
    base, _ = live
    r = httpx.post(f"{base}/sparql", data={"update": update.format(port=listener.port)}, timeout=30)
    assert r.status_code == 403 and listener.connections == 0


def test_a_query_worker_cannot_open_a_socket_whatever_the_guard_misses(store_dir, listener):
    """Defence in depth: the engine is asked to run SERVICE directly, past the guard; the worker's sandbox stops
    it before any connection."""
    pool = WorkerPool(("embedded", str(store_dir)), size=1, timeout=10)
    try:
        future = pool.submit(ServiceBehindTheGuard(listener.port))
        outcome = future.result(30)
        assert pool.sandbox_active is True
        assert outcome.startswith("refused:"), outcome
        assert listener.connections == 0
    finally:
        pool.close()


class ServiceBehindTheGuard:
    def __init__(self, port: int) -> None:
        self.port = port

    def __call__(self, store) -> str:
        try:
            list(store.execute(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{self.port}/x> {{ ?s ?p ?o }} }}"))
        except Exception as exc:
            return f"refused: {exc}"
        return "ran"


def test_a_read_that_meets_a_vanished_store_file_answers_from_a_reopened_handle(store_dir, tmp_path):
    """CI saw an entity page answer 400 "the request failed: OSError" right after an entry was added: the writer
    compacted, and a file the worker's read-only handle listed had gone. The worker reopens and reads again."""
    pool = WorkerPool(("embedded", str(store_dir)), size=1, timeout=10)
    try:
        assert pool.submit(VanishedFileOnce(str(tmp_path / "failed-once"))).result(30) == "answered after a reopen"
        assert (tmp_path / "failed-once").exists()
    finally:
        pool.close()


class VanishedFileOnce:
    """Fails its first run with RocksDB's error for a vanished table file, as a stale read-only handle does."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, store) -> str:
        import os

        if not os.path.exists(self.marker):
            open(self.marker, "w").close()
            raise OSError("IO error: No such file or directory: While open a file for random read: db/000042.sst")
        assert store.triples() > 0
        return "answered after a reopen"


def test_the_cli_refuses_service_and_nothing_leaves(tmp_path, listener, capsys):
    from legalgraph.cli import main

    text = f"SELECT ?x WHERE {{ #\r SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?x ?y ?z }} \n }}"
    assert main(["--store", str(tmp_path / "db"), "sparql", text]) == 2
    assert "SERVICE is not allowed" in capsys.readouterr().err and listener.connections == 0


# ------------------------------------------------------------------ 2. nesting that crashed parsers

def test_deeply_nested_json_ld_is_refused_and_the_server_lives(live):
    base, _ = live
    body = '{"@context": {"@vocab": "https://w3id.org/legalgraph/ontology#"}, "p": ' + '{"p": ' * 4000
    body += '"v"' + "}" * 4001  # 28 KB
    r = httpx.post(f"{base}/validate", content=body.encode(), headers={"content-type": "application/ld+json"},
                   timeout=30)
    assert r.status_code == 422 and "nested 4001 deep" in r.json()["message"]
    assert httpx.get(f"{base}/", timeout=10).status_code == 200


def test_deeply_nested_turtle_collections_are_refused(live):
    base, _ = live
    body = "<https://w3id.org/legalgraph/id/x> <https://w3id.org/legalgraph/ontology#p> " + "(" * 50_000 + \
        ")" * 50_000 + " ."
    r = httpx.post(f"{base}/validate", content=body.encode(), headers={"content-type": "text/turtle"}, timeout=30)
    assert r.status_code == 422 and "nested 50000 deep" in r.json()["message"]


def test_deeply_nested_sparql_is_refused_before_parsing(live):
    base, _ = live
    for n in (5_000, 10_000):
        r = post_query(base, "SELECT * WHERE " + "{" * n + " ?s ?p ?o " + "}" * n)
        assert r.status_code in (413, 422), r.text
    assert post_query(base, "ASK { ?s ?p ?o }").status_code == 200


# ------------------------------------------------------------------ 3. rdflib's grammar on concurrent first use

def test_concurrent_first_queries_all_answer_and_keep_answering(live):
    base, _ = live
    queries = [f"SELECT ?s WHERE {{ ?s a ?t FILTER(STRLEN(STR(?s)) > {i}) }} LIMIT {i + 1}" for i in range(24)]
    with cf.ThreadPoolExecutor(8) as pool:  # within the queue bound: all are admitted
        statuses = list(pool.map(lambda q: post_query(base, q).status_code, queries))
    assert statuses == [200] * len(queries)
    r = post_query(base, "SELECT ?s WHERE { ?s a ?t FILTER(?t != ?s) } LIMIT 3")
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3


# ------------------------------------------------------------------ 4. /validate bounded

def test_a_huge_entry_is_refused_by_size_or_count(live):
    base, _ = live
    lines = "".join(f"<https://w3id.org/legalgraph/id/x{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"{i}\" .\n"
                    for i in range(20_000))
    r = httpx.post(f"{base}/validate", content=lines.encode(), headers={"content-type": "application/n-triples"},
                   timeout=30)
    assert r.status_code == 413 and r.json()["error"] == "too-large"
    few = lines[:150_000]
    few = few[: few.rindex("\n") + 1]
    r = httpx.post(f"{base}/validate", content=few.encode(), headers={"content-type": "application/n-triples"},
                   timeout=30)
    assert r.status_code == 422 and "more than 300 subjects" in r.json()["message"]


def test_validation_does_not_hold_the_event_loop(live):
    """While entries are validated in workers, pages keep answering."""
    base, _ = live
    entry = (b"@prefix lg: <https://w3id.org/legalgraph/ontology#> . "
             b"<https://w3id.org/legalgraph/id/programme/kg-x> a lg:PerpetratorProgramme .")
    with cf.ThreadPoolExecutor(4) as pool:
        pending = [pool.submit(httpx.post, f"{base}/validate", content=entry,
                               headers={"content-type": "text/turtle"}, timeout=30) for _ in range(4)]
        assert httpx.get(f"{base}/queries", timeout=10).status_code == 200
        assert all(f.result().status_code == 200 for f in pending)


# ------------------------------------------------------------------ 5. a slow query must not deny the others

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_slow_query_times_out_alone_and_fast_ones_keep_answering(live):
    base, app = live
    pool: WorkerPool = app.state.store.runner
    before = pool.replaced
    with cf.ThreadPoolExecutor(2) as ex:
        slow = ex.submit(post_query, base, SLOW)
        time.sleep(0.3)
        fast = [post_query(base, f"ASK {{ ?s ?p {i} }}") for i in range(10)]
        assert [r.status_code for r in fast] == [200] * 10
        r = slow.result()
    assert r.status_code == 504 and r.json()["error"] == "timed-out"
    assert pool.replaced == before + 1  # only the offending worker was killed


def test_admission_control_answers_503_with_retry_after(store_dir):
    store = OxigraphStore(store_dir, read_only=True)
    settings = Settings(query_timeout=3, workers=1, queue=1)
    app = create_app(settings, BoundedStore(store, settings, WorkerPool(("embedded", str(store_dir)), size=1,
                                                                       timeout=3, queue=1)))
    with serve_app(app) as base, cf.ThreadPoolExecutor(6) as ex:
        answers = list(ex.map(lambda i: post_query(base, SLOW.replace("?i", f"?i{i}")), range(6)))
    codes = sorted(r.status_code for r in answers)
    assert 503 in codes and 504 in codes
    busy = next(r for r in answers if r.status_code == 503)
    assert busy.headers["retry-after"] == "2" and busy.json()["error"] == "busy"
    store.close()


# ------------------------------------------------------------------ 6. and 7. bytes and query size

def test_answers_are_bounded_in_bytes(live):
    base, _ = live
    r = post_query(base, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1999")
    assert r.status_code == 422 and "bytes" in r.json()["message"]


def test_rows_bound_applies_to_canned_query_twins(store_dir):
    store = OxigraphStore(store_dir, read_only=True)
    app = create_app(Settings(max_rows=1, workers=1), store)
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        r = c.get("/queries/protection-orders.json")
        assert r.status_code == 422 and "more than 1 rows" in r.json()["message"]
    store.close()


def test_a_long_expression_is_refused_at_once(live):
    base, _ = live
    t0 = time.monotonic()
    r = post_query(base, "SELECT * WHERE { FILTER(" + "1+" * 30_000 + "1) }")
    assert r.status_code == 422 and "over the bound" in r.json()["message"]
    assert time.monotonic() - t0 < 5


# ------------------------------------------------------------------ 10. odd IRIs and parameters

@pytest.mark.parametrize(("path", "status"), [
    ("/id/a%20b", 404), ("/id/%7F", 404), ("/vocab/%3E", 404), ("/ontology/a%20b", 404),
    ("/browse?cls=%20", 200), ("/browse?cls=Foo%3Ebar", 400), ("/browse?country=a%20b", 400),
    ("/sparql?query=ASK%7B%7D&default-graph-uri=a%20b", 400),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20'%5Cu00530045'%20%7D", 200),
    ("/queries/nope.json", 404), ("/graph/data.json?view=nope", 400), ("/compare?asOf=soon", 400),
])
def test_odd_iris_and_parameters_are_4xx_never_500(live, path, status):
    base, _ = live
    r = httpx.get(base + path, timeout=30, headers={"accept": "application/json"})
    assert r.status_code == status, r.text
    if status >= 400:
        assert r.headers["content-type"].startswith("application/json") and r.json()["message"]


def test_unknown_query_twin_is_a_json_404(live):
    base, _ = live
    r = httpx.get(f"{base}/queries/nope.json", timeout=10)
    assert r.status_code == 404 and r.json()["error"] == "not-found" and "protection-orders" in r.json()["valid"]


# ------------------------------------------------------------------ protocol

def test_two_query_parameters_are_refused(live):
    base, _ = live
    r = httpx.get(f"{base}/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=10)
    assert r.status_code == 400 and "2 'query' parameters" in r.json()["message"]


def test_relative_iris_resolve_against_the_request_base(live):
    base, _ = live
    r = httpx.get(f"{base}/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                  headers={"accept": "application/n-triples"}, timeout=10)
    assert r.status_code == 200 and f"<{base}/s> <{base}/p>" in r.text


def test_repeated_answers_are_cached_and_conditional(live):
    base, _ = live
    first = post_query(base, "SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c")
    again = post_query(base, "SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c", **{"if-none-match": first.headers["etag"]})
    assert first.status_code == 200 and len(first.json()["results"]["bindings"]) == 5
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]


def test_errors_have_one_shape(live):
    base, _ = live
    for r in (post_query(base, "SELECT ?s WHERE { ?s ?p }"), httpx.get(f"{base}/nope", timeout=10,
                                                                      headers={"accept": "application/json"})):
        body = r.json()
        assert set(body) >= {"error", "message"} and isinstance(body["error"], str), json.dumps(body)


# ------------------------------------------------ the independent review (graph exports, characters, files)

CONTROL_TTL = ('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
               '@prefix lg: <https://w3id.org/legalgraph/ontology#> .\n'
               '<https://w3id.org/legalgraph/id/org/review-control> a lg:Organisation ;\n'
               '    rdfs:label "Review\\u000B\\u0001label"@en .\n')


@pytest.fixture(scope="module")
def review_client(tmp_path_factory):
    """A store loaded with the shipped data and a file whose label holds U+000B and U+0001 (data already in a
    store, which no entry check sees), served with tight export bounds."""
    from fastapi.testclient import TestClient

    from legalgraph.store import source_files

    tmp = tmp_path_factory.mktemp("review")
    extra = tmp / "review-control.ttl"
    extra.write_text(CONTROL_TTL, encoding="utf-8")
    store = OxigraphStore(tmp / "db")
    store.load([*source_files(), extra])
    app = create_app(Settings(query_timeout=5), store)  # the export bounds' defaults: 10 s, 8 MiB
    with TestClient(app) as client:
        yield client, app
    store.close()


def _settings_of(app):
    return app.state.settings


def test_graph_export_is_not_redrawn_on_a_repeated_request(review_client, monkeypatch):
    """The review: every GET /graph/export.svg ran Graphviz again. It is now kept per data version and filters."""
    from legalgraph.services import network

    client, _ = review_client
    runs = []
    real = network.subprocess.run
    monkeypatch.setattr(network.subprocess, "run", lambda *a, **k: runs.append(a) or real(*a, **k))
    first = client.get("/graph/export.svg", params={"country": "tajikistan", "view": "legal"})
    again = client.get("/graph/export.svg", params={"country": "tajikistan", "view": "legal"})
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert first.content.lstrip().startswith(b"<?xml") and b"</svg>" in first.content
    assert len(runs) == 1


def test_graph_drawing_past_its_time_is_killed_and_answered_504(review_client, monkeypatch):
    """The review: dot ran with timeout=120 whatever the service's bounds. It now has LEGALGRAPH_EXPORT_TIMEOUT."""
    client, app = review_client
    monkeypatch.setattr(_settings_of(app), "export_timeout", 0.05, raising=False)
    r = client.get("/graph/export.png", params={"view": "institutional"}, headers={"accept": "application/json"})
    assert r.status_code == 504, r.text
    assert r.json()["error"] == "timed-out"
    assert r.json()["message"] == "drawing the graph took longer than 0.05 s and was stopped"
    assert "country=kyrgyzstan" in r.json()["hint"]


@pytest.mark.parametrize("fmt", ["svg", "png", "dot", "graphml", "gexf", "cyjs"])
def test_graph_export_over_its_byte_bound_asks_to_narrow_the_view(review_client, monkeypatch, fmt):
    """The review: /graph/export.png returned 13.7 MB unasked. Every format is now bounded in bytes."""
    client, app = review_client
    monkeypatch.setattr(_settings_of(app), "max_export_bytes", 2_000, raising=False)
    r = client.get(f"/graph/export.{fmt}", headers={"accept": "application/json"})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "too-large" and body["message"].startswith(f"the {fmt.upper()} export is ")
    assert body["message"].endswith("bytes, more than the 2000 allowed")
    assert "narrow the view" in body["hint"] and "types=LegalAct" in body["hint"]


def test_graph_drawings_past_two_at_once_are_503_with_retry_after(review_client, monkeypatch):
    """The review: drawings were unbounded in number, each holding a core. At most two run; the next is Busy."""
    from legalgraph.services import network

    client, _ = review_client
    monkeypatch.setattr(network, "DOT_WAIT", 0.01, raising=False)
    slots = getattr(network, "_DOT", None) or threading.BoundedSemaphore(2)  # main had no bound at all
    taken = [slots.acquire(timeout=5) for _ in range(2)]
    try:
        assert all(taken)
        r = client.get("/graph/export.svg", params={"country": "uzbekistan"}, headers={"accept": "application/json"})
    finally:
        for _ in taken:
            slots.release()
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert r.json()["message"] == "2 graph drawings are being made already"
    assert client.get("/graph/export.svg", params={"country": "uzbekistan"}).status_code == 200


def test_xml_outputs_stay_well_formed_over_control_characters_already_in_the_store(review_client):
    """The review: a label holding U+000B U+0001 made GraphML, RDF/XML and SPARQL XML results not well-formed."""
    import xml.etree.ElementTree as ET

    client, _ = review_client
    subject = "https://w3id.org/legalgraph/id/org/review-control"
    answers = {
        "graphml": client.get("/graph/export.graphml"),
        "gexf": client.get("/graph/export.gexf"),
        "rdf": client.get("/id/org/review-control.rdf"),
        "srx": client.get("/sparql", params={"query": f"SELECT ?l WHERE {{ <{subject}> "
                                             "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"},
                          headers={"accept": "application/sparql-results+xml"}),
    }
    for name, r in answers.items():
        assert r.status_code == 200, (name, r.text)
        ET.fromstring(r.content)  # raises on a character XML cannot carry
        assert "Review\ufffd\ufffdlabel" in r.content.decode("utf-8"), name
    turtle = client.get("/id/org/review-control.ttl").text
    assert "Review\\u000B\\u0001label" in turtle or "Review\u000b\u0001label" in turtle


ENTRY_WITH_CONTROL = {
    "ttl": b'@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
           b'<act/review-x> rdfs:label "a\\u000B\\u0001b"@en .\n',
    "trig": b'@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
            b'{ <act/review-x> rdfs:label "a\\u000B\\u0001b"@en . }\n',
    "jsonld": b'{"@id": "https://w3id.org/legalgraph/id/act/review-x", '
              b'"http://www.w3.org/2000/01/rdf-schema#label": "a\\u000B\\u0001b"}',
    "nt": b'<https://w3id.org/legalgraph/id/act/review-x> <http://www.w3.org/2000/01/rdf-schema#label> '
          b'"a\\u000B\\u0001b" .\n',
    "yaml": b'- id: act/review-x\n  type: LegalAct\n  label: "a\\x0b\\x01b"\n',
}


@pytest.mark.parametrize("fmt", sorted(ENTRY_WITH_CONTROL))
def test_an_entry_with_control_characters_is_refused_naming_where(fmt):
    """The review: such an entry validated and could be added, and then broke every XML output."""
    from legalgraph.errors import BadInput
    from legalgraph.services.entries import parse_entry

    with pytest.raises(BadInput) as exc:
        parse_entry(ENTRY_WITH_CONTROL[fmt], f"entry.{fmt}", fmt)
    if fmt == "yaml":
        assert str(exc.value).startswith("entry.yaml:3: label: the text holds the unprintable character U+000B")
    else:
        assert str(exc.value).startswith(f"entry.{fmt}: act/review-x rdfs:label: the value holds the unprintable "
                                         "character U+000B (at character 2)")
    assert "replace it with a space" in exc.value.hint


@pytest.mark.parametrize("text", ["a\\uFFFEb", "a\\uFFFFb", "a\\u001Fb", "a\\u0000b"])
def test_an_entry_with_noncharacters_is_refused_but_tab_and_newlines_pass(text):
    from legalgraph.errors import BadInput
    from legalgraph.services.entries import parse_entry

    entry = '<act/review-x> <http://www.w3.org/2000/01/rdf-schema#label> "{}" .\n'
    with pytest.raises(BadInput, match="unprintable character U"):
        parse_entry(entry.format(text).encode(), "e.ttl", "ttl")
    assert len(parse_entry(entry.format("a\\tb\\nc\\rd").encode(), "e.ttl", "ttl")) == 1


def test_an_entry_with_control_characters_is_a_400_on_the_web(review_client):
    client, _ = review_client
    r = client.post("/validate", content=ENTRY_WITH_CONTROL["ttl"],
                    headers={"content-type": "text/turtle", "accept": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["message"].startswith("act/review-x rdfs:label: the value holds the unprintable character U+000B")


def test_a_yaml_integer_of_5000_digits_is_bad_input_at_its_line(review_client, tmp_path, capsys):
    """The review: the web said "the request failed: ValueError: Exceeds the limit (4300 digits)" with no line,
    and `legalgraph validate big.yaml` ended in a traceback with exit code 1."""
    from legalgraph.cli import main

    big = b"- id: act/review-big\n  type: LegalAct\n  adoptionYear: " + b"9" * 5000 + b"\n"
    client, _ = review_client
    r = client.post("/validate", content=big, headers={"content-type": "application/yaml",
                                                       "accept": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["message"] == "adoptionYear: the number has 5000 digits, more than the 100 allowed"
    assert r.json()["line"] == 3
    (tmp_path / "big.yaml").write_bytes(big)
    assert main(["--store", str(tmp_path / "db"), "validate", str(tmp_path / "big.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"legalgraph: {tmp_path / 'big.yaml'}:3: adoptionYear: the number has 5000 digits")
    assert "Traceback" not in err


def test_an_unforeseen_error_in_the_cli_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    """The review: a non-legalgraph exception escaped main() as a traceback with exit code 1."""
    from legalgraph import cli

    def broken(*args, **kwargs):
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(cli.entry_service, "read_entries", broken)
    monkeypatch.delenv("LEGALGRAPH_DEBUG", raising=False)
    assert cli.main(["--store", str(tmp_path / "db"), "validate", "x.ttl"]) == 2
    assert capsys.readouterr().err == (
        "legalgraph: the command failed on its input (ValueError: Exceeds the limit (4300 digits) for integer "
        "string conversion)\n  hint: check the files and arguments you gave; LEGALGRAPH_DEBUG=1 shows the "
        "traceback\n")


def _cli_capped(tmp_path, *args: str, env: dict | None = None) -> tuple[int, str]:
    """Run the CLI in a child with a 1 GiB address-space cap (a whole read of /dev/zero runs out of it)."""
    import os
    import subprocess
    import sys

    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
            "from legalgraph.cli import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "--store", str(tmp_path / "db"), *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})}, check=False)
    return done.returncode, done.stderr


def test_the_cli_refuses_a_device_named_as_an_entry_without_reading_it(tmp_path):
    """The review: `legalgraph validate /dev/zero` under a memory cap ended in a MemoryError traceback, exit 1:
    read_entry read the whole file before the 5 MB check."""
    (tmp_path / "zero.ttl").symlink_to("/dev/zero")
    code, err = _cli_capped(tmp_path, "validate", str(tmp_path / "zero.ttl"))
    assert (code, err) == (2, f"legalgraph: {tmp_path / 'zero.ttl'}: the entry is a device, not a regular file\n"
                              "  hint: give the path of an ordinary file (save standard input to a file first)\n")


def test_the_cli_refuses_a_fifo_named_as_an_entry_without_waiting(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.yaml")
    code, err = _cli_capped(tmp_path, "add", str(tmp_path / "pipe.yaml"))
    assert code == 2 and "pipe.yaml: the entry is a named pipe (FIFO), not a regular file" in err


def test_the_cli_reads_an_oversized_entry_only_to_its_bound(tmp_path):
    big = tmp_path / "big.ttl"
    with big.open("wb") as f:
        f.truncate(3 * 2**30)  # a sparse 3 GiB file: reading it whole would exceed the cap
    code, err = _cli_capped(tmp_path, "validate", str(big))
    assert (code, err) == (2, f"legalgraph: {big}: the entry is more than 5242880 bytes, the bound\n"
                              "  hint: split it into several entries\n")


def test_the_cli_refuses_a_device_as_a_query_file_or_configuration(tmp_path):
    (tmp_path / "zero.rq").symlink_to("/dev/zero")
    code, err = _cli_capped(tmp_path, "sparql", "-f", str(tmp_path / "zero.rq"))
    assert code == 2 and err.startswith(f"legalgraph: {tmp_path / 'zero.rq'}: the query file is a device")
    code, err = _cli_capped(tmp_path, "stats", env={"LEGALGRAPH_CONFIG": "/dev/zero"})
    assert code == 2 and err.startswith("legalgraph: /dev/zero: the configuration is a device, not a regular file")
    (tmp_path / "zero.ttl").symlink_to("/dev/zero")
    code, err = _cli_capped(tmp_path, "load", str(tmp_path / "zero.ttl"))
    assert code == 2 and err.startswith(f"legalgraph: {tmp_path / 'zero.ttl'}: not a regular file")


def test_the_whole_graph_as_png_is_drawn_within_the_bounds(review_client):
    """The unfiltered PNG took 10 s of Graphviz and came to 13.7 MB (over the byte bound, so refused after the
    work; on a loaded CI machine it timed out): a PNG is now drawn at most 4,320 px a side."""
    import struct

    client, _ = review_client
    r = client.get("/graph/export.png")
    assert r.status_code == 200, r.text[:300]
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", r.content[16:24])
    assert max(width, height) <= 4320 and len(r.content) < 8 * 2**20, (width, height, len(r.content))
