"""The remote store: a real Oxigraph server on loopback must give the same answers as the embedded store.

Pinned answers run on both backends elsewhere (``any_store`` in test_queries and test_validate); here the
CLI and the web service are run on each backend and their outputs compared, plus what only a remote store
can get wrong: loading, pruning, unreachable servers, refused requests, time and size bounds.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from legalgraph.api import create_app
from legalgraph.cli import main
from legalgraph.errors import LegalgraphError as StoreError
from legalgraph.errors import TimedOut as QueryTimeout
from legalgraph.errors import TooLarge as ResultTooLarge
from legalgraph.namespaces import GRAPH, LG
from legalgraph.services.catalogue import QueryError, library
from legalgraph.settings import Settings
from legalgraph.store import BoundedStore, source_files
from legalgraph.store.remote import Endpoints, RemoteStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ CLI on both backends

@pytest.fixture(scope="module")
def embedded_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("embedded") / "store")


COMMANDS = [
    ("stats", "--format", "json"),
    ("query", "protection-orders", "--format", "json"),
    ("query", "timeline", "--param", "country=kazakhstan", "--format", "csv"),
    ("sparql", "SELECT ?c (COUNT(?a) AS ?n) WHERE { ?a lg:jurisdiction ?c } GROUP BY ?c ORDER BY ?c",
     "--format", "json"),
    ("assess", "--country", "kyrgyzstan", "--format", "json"),
    ("validate", str(EXAMPLES / "programme-four-sessions-one-month.ttl"), "--format", "json"),
    ("validate", str(EXAMPLES / "programme-unknown-provider.ttl"), "--format", "json"),
    ("graph", "stats", "--view", "legal"),
    ("graph", "path", "act/kg-law-63-2017", "org/kg-police"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_cli_gives_the_same_output_on_both_backends(argv, oxigraph_url, embedded_dir, capsys):
    embedded = run(capsys, "--store", embedded_dir, *argv)
    remote = run(capsys, "--store", oxigraph_url, *argv)
    assert remote[0] == embedded[0]
    assert remote[1] == embedded[1]
    assert remote[1].strip()


def test_export_is_the_same_graph_on_both_backends(oxigraph_url, embedded_dir, tmp_path, capsys):
    for name, where in (("embedded", embedded_dir), ("remote", oxigraph_url)):
        assert main(["--store", where, "export", "--format", "trig", "-o", str(tmp_path / f"{name}.trig")]) == 0
    a, b = Dataset(), Dataset()
    a.parse(tmp_path / "embedded.trig", format="trig")
    b.parse(tmp_path / "remote.trig", format="trig")
    assert len(a) == len(b) == 7515
    for g in a.graphs():
        if len(g):
            assert isomorphic(g, b.graph(g.identifier)), g.identifier


def test_environment_variable_selects_the_remote_store(oxigraph_url, monkeypatch, capsys):
    monkeypatch.setenv("LEGALGRAPH_STORE", oxigraph_url)
    code, out, _ = run(capsys, "stats", "--format", "json")
    assert code == 0 and json.loads(out)["triples"] == 7515


# ------------------------------------------------------------------ loading and writing (own server)

def test_commands_on_an_empty_server_say_to_load_first(fresh_oxigraph, capsys):
    code, _, err = run(capsys, "--store", fresh_oxigraph, "stats")
    assert code == 2
    assert f"holds no legalgraph data yet\n  hint: run `legalgraph --store {fresh_oxigraph} load` first" in err


def test_load_pushes_one_named_graph_per_file_then_add_writes_an_entry(fresh_oxigraph, capsys):
    code, _, err = run(capsys, "--store", fresh_oxigraph, "load")
    assert code == 0 and "10 of 10 file(s) (re)loaded" in err and "holds 7515 triples" in err
    with RemoteStore(Endpoints.from_url(fresh_oxigraph)) as store:
        assert [str(g) for g in store.named_graphs()] == sorted(
            f"{GRAPH}{p.parent.name}/{p.stem}" for p in source_files())
    code, out, _ = run(capsys, "--store", fresh_oxigraph, "add",
                       str(EXAMPLES / "tj-draft-amendment-six-month-programmes.ttl"), "--user", "tester")
    assert code == 0, out
    with RemoteStore(Endpoints.from_url(fresh_oxigraph)) as store:
        entries = [g for g in store.named_graphs() if "/graph/entry/" in str(g)]
        assert len(entries) == 1
        assert store.query("ASK { ?e a lg:Entry ; lg:addedBy 'tester' }").boolean is True
        # loading again keeps the entry and replaces the source graphs (no duplicates: same count)
        store.load()
        assert entries[0] in store.named_graphs()
        assert store.triples() == 7515 + len(store.graph(entries[0]))


def test_invalid_entry_is_not_added_to_the_remote_store(fresh_oxigraph, capsys):
    run(capsys, "--store", fresh_oxigraph, "load")
    code, out, _ = run(capsys, "--store", fresh_oxigraph, "add", str(EXAMPLES / "law-without-jurisdiction.trig"))
    assert code == 1 and "jurisdiction" in out
    with RemoteStore(Endpoints.from_url(fresh_oxigraph)) as store:
        assert store.triples() == 7515


def test_load_drops_graphs_of_removed_source_files_only(fresh_oxigraph):
    with RemoteStore(Endpoints.from_url(fresh_oxigraph)) as store:
        stale, entry = URIRef(f"{GRAPH}data/removed-file"), URIRef(f"{GRAPH}entry/kept")
        for g in (stale, entry):
            store.add(Graph().add((URIRef("urn:x"), LG.text, Literal(str(g)))), g)
        store.load()
        graphs = store.named_graphs()
        assert entry in graphs and stale not in graphs


def test_extra_files_load_into_their_own_graph(fresh_oxigraph, tmp_path, capsys):
    extra = tmp_path / "extra" / "more.ttl"
    extra.parent.mkdir()
    extra.write_text("<urn:a> <urn:b> <urn:c> .\n")
    code, _, err = run(capsys, "--store", fresh_oxigraph, "load", str(extra))
    assert code == 0 and "11 of 11 file(s) (re)loaded" in err and "holds 7516 triples" in err
    assert main(["--store", fresh_oxigraph, "load", str(tmp_path / "missing.ttl")]) == 2
    assert "missing.ttl: no such file" in capsys.readouterr().err


def test_malformed_file_is_refused_and_the_old_graph_kept(fresh_oxigraph, tmp_path):
    bad = tmp_path / "data" / "bad.ttl"
    bad.parent.mkdir()
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n")
    with RemoteStore(Endpoints.from_url(fresh_oxigraph)) as store:
        store.load([bad], prune=False)
        bad.write_text("<urn:a> <urn:b> .\n")
        with pytest.raises(StoreError, match=r"refused loading bad.ttl \(HTTP 400\)"):
            store.load([bad], prune=False)
        assert store.query("ASK { <urn:a> <urn:b> <urn:c> }").boolean is True


# ------------------------------------------------------------------ the web service on the remote store

@pytest.fixture(scope="module")
def clients(shipped_store, remote_store):
    settings = Settings(query_timeout=5, max_rows=500)
    with (TestClient(create_app(settings, shipped_store)) as embedded,
          TestClient(create_app(settings, remote_store)) as remote):
        yield embedded, remote


PAGES = [
    "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20lg%3ACountry%20%7D%20ORDER%20BY%20%3Fs",
    "/queries/protection-orders.json",
    "/queries/criminalisation-timeline.csv",
    "/id/country/kyrgyzstan.jsonld",
    "/id/programme/tj-consultation-rooms.ttl",
    "/compare?format=json",
    "/browse?format=json",
    "/search?q=police&format=json",
    "/graph/data.json?view=legal&country=kyrgyzstan",
]


@pytest.mark.parametrize("path", PAGES)
def test_web_service_answers_alike_on_both_backends(clients, path):
    embedded, remote = (c.get(path, headers={"Accept": "application/sparql-results+json"} if "sparql" in path
                              else {}) for c in clients)
    assert remote.status_code == embedded.status_code == 200, remote.text[:300]
    if path.endswith((".ttl", ".jsonld")):
        fmt = "turtle" if path.endswith(".ttl") else "json-ld"
        assert isomorphic(Graph().parse(data=remote.text, format=fmt), Graph().parse(data=embedded.text, format=fmt))
    elif "json" in remote.headers["content-type"]:
        assert remote.json() == embedded.json()
    else:
        assert remote.text == embedded.text


def test_web_validation_alike_on_both_backends(clients):
    body = (EXAMPLES / "programme-four-sessions-one-month.ttl").read_bytes()
    answers = [c.post("/validate", content=body, headers={"Content-Type": "text/turtle",
                                                          "Accept": "application/json"}) for c in clients]
    assert answers[0].status_code == answers[1].status_code == 200
    assert answers[0].json() == answers[1].json()


def test_web_service_on_remote_store_is_read_only_and_refuses_service(clients):
    _, remote = clients
    r = remote.post("/sparql", content="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                    headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = remote.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE is not allowed" in r.text


# ------------------------------------------------------------------ bounds and errors

class Recorder:
    """An httpx transport that answers with a fixed response and records what was sent."""

    def __init__(self, handler):
        self.requests: list[httpx.Request] = []
        self.handler = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


def mocked(handler, **kwargs) -> tuple[RemoteStore, Recorder]:
    rec = Recorder(handler)
    store = RemoteStore(Endpoints.from_url("http://127.0.0.1:9/query"), transport=httpx.MockTransport(rec),
                        union="server", **kwargs)
    return store, rec


def test_service_is_refused_before_any_request_leaves():
    store, rec = mocked(lambda r: httpx.Response(200))
    with pytest.raises(StoreError, match="SERVICE is not allowed"):
        store.query("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://evil.example/> { ?s ?q ?v } } }")
    assert rec.requests == []


def test_parameters_travel_bound_in_the_query_not_spliced():
    answer = {"head": {"vars": ["c"]}, "results": {"bindings": []}}
    store, rec = mocked(lambda r: httpx.Response(200, json=answer,
                                                 headers={"content-type": "application/sparql-results+json"}))
    store.query("SELECT ?c WHERE { ?c a lg:Country }", {"c": Literal('x" } DROP ALL #')})
    sent = httpx.QueryParams(rec.requests[0].content.decode())["query"]
    assert 'VALUES (?c) { ("x\\" } DROP ALL #") }' in sent


def test_oversized_answer_is_cut_off():
    store, _ = mocked(lambda r: httpx.Response(200, content=b"x" * 5000,
                                               headers={"content-type": "application/sparql-results+json"}),
                      max_response_bytes=1000)
    with pytest.raises(ResultTooLarge, match="over 1000 bytes"):
        store.query("SELECT * WHERE { ?s ?p ?o }")


def test_slow_server_is_abandoned_with_a_timeout():
    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    store, _ = mocked(slow)
    with pytest.raises(QueryTimeout, match="took longer than 2 s"):
        BoundedStore(store, Settings(query_timeout=2)).query("SELECT * WHERE { ?s ?p ?o }")


def test_server_errors_are_passed_on_with_the_servers_words():
    store, _ = mocked(lambda r: httpx.Response(400, text="Parser error at line 1 column 9"))
    with pytest.raises(StoreError, match=r"refused the query \(HTTP 400\): Parser error at line 1 column 9"):
        store.query("SELECT * WHERE { ?s ?p ?o }")
    store, _ = mocked(lambda r: httpx.Response(401))
    with pytest.raises(StoreError, match="LEGALGRAPH_STORE_USER"):
        store.query("SELECT * WHERE { ?s ?p ?o }")


def test_unreachable_server_says_how_to_fix(capsys):
    from remote_support import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    code, _, err = run(capsys, "--store", url, "stats")
    assert code == 2
    assert f"cannot reach the SPARQL server at {url}" in err and "Is it running?" in err


def test_writes_without_an_update_endpoint_say_which_setting_is_missing():
    store = RemoteStore(Endpoints.from_url("http://127.0.0.1:9/sparql"))
    with pytest.raises(StoreError, match="no gsp endpoint configured: set LEGALGRAPH_STORE_GSP"):
        store.load([])
    with pytest.raises(StoreError, match="no update endpoint configured: set LEGALGRAPH_STORE_UPDATE"):
        store.update("CLEAR ALL")


def test_a_real_runaway_query_is_abandoned_and_the_server_still_answers(fresh_oxigraph, capsys):
    run(capsys, "--store", fresh_oxigraph, "load")
    with RemoteStore(Endpoints.from_url(fresh_oxigraph)) as store:
        runner = BoundedStore(store, Settings(query_timeout=1.0))
        with pytest.raises(QueryTimeout):
            runner.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert runner.query("ASK { ?c a lg:Country }").boolean is True


def test_every_canned_query_runs_on_the_union_in_server_mode(oxigraph_url):
    """union="server" relies on the server; here it must then be started with --union-default-graph."""
    from remote_support import oxigraph_server

    with oxigraph_server("--union-default-graph") as url, RemoteStore(Endpoints.from_url(url), union="server") as s:
        s.load()
        with RemoteStore(Endpoints.from_url(oxigraph_url)) as graphs_mode:
            compared = 0
            for q in library().values():
                try:
                    bindings = q.bindings({})
                except QueryError:  # a required parameter without default
                    continue
                assert s.query(q.text, bindings).rows == graphs_mode.query(q.text, bindings).rows, q.name
                compared += 1
            assert compared >= 20


def test_graphs_are_listed_on_virtuoso_too():
    """Regression: Virtuoso answers ``GRAPH ?g { }`` with one row and ?g unbound, so legalgraph took its
    loaded store for an empty one; the graphs are then listed from their triples."""
    listed = [{"g": {"type": "uri", "value": f"{GRAPH}data/kyrgyzstan"}},
              {"g": {"type": "uri", "value": "http://www.openlinksw.com/schemas/virtrdf#"}}]

    def virtuoso(request):
        query = httpx.QueryParams(request.content.decode())["query"]
        rows = [{}] if "{ }" in query else listed
        return httpx.Response(200, json={"head": {"vars": ["g"]}, "results": {"bindings": rows}},
                              headers={"content-type": "application/sparql-results+json"})

    store, rec = mocked(virtuoso)
    assert store.named_graphs() == [URIRef("http://www.openlinksw.com/schemas/virtrdf#"),
                                    URIRef(f"{GRAPH}data/kyrgyzstan")]
    assert len(rec.requests) == 2


def test_entry_is_added_by_sparql_update_where_there_is_no_graph_store(fresh_oxigraph):
    """Servers without the Graph Store Protocol get the entry as one INSERT DATA, escapes intact."""
    endpoints = Endpoints.from_url(fresh_oxigraph)
    entry = URIRef(f"{GRAPH}entry/by-update")
    tricky = Literal('a "quoted" } text\nover two lines', lang="en")
    with RemoteStore(Endpoints(endpoints.query, endpoints.update, None)) as store:
        store.add(Graph().add((URIRef("urn:x"), LG.text, tricky)), entry)
        assert entry in store.named_graphs()
        assert list(store.graph(entry).objects(URIRef("urn:x"), LG.text)) == [tricky]


def test_the_version_of_a_remote_store_waits_for_the_server_only_the_first_time():
    """Regression: the endpoint's answer cache asks for the version on the event loop, and a stale listing
    of the named graphs was read there, holding every request while the server answered."""
    import threading
    import time

    listings = []
    slow = threading.Event()

    def handler(request):
        listings.append(1)
        if slow.is_set():
            time.sleep(1.0)
        g = f"https://w3id.org/legalgraph/graph/g{len(listings)}"
        return httpx.Response(200, json={"head": {"vars": ["g"]}, "results": {"bindings": [
            {"g": {"type": "uri", "value": g}}]}}, headers={"content-type": "application/sparql-results+json"})

    store, _ = mocked(handler, graphs_ttl=0.0)
    first = store.version()
    assert listings == [1] and first == (0, (URIRef("https://w3id.org/legalgraph/graph/g1"),))
    slow.set()
    t = time.perf_counter()
    assert store.version() == first  # the old listing answers while the new one is read
    assert time.perf_counter() - t < 0.5
    for _ in range(50):  # the background listing lands; the version then says so
        if store.version() != first:
            break
        time.sleep(0.1)
    assert store.version()[1] == (URIRef("https://w3id.org/legalgraph/graph/g2"),)
