"""The store interface: both backends give the same answers; the persisted store rebuilds only on change."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, URIRef

from legalgraph.errors import LegalgraphError as StoreError
from legalgraph.namespaces import GRAPH, LG
from legalgraph.store import graph_name, source_files
from legalgraph.store.embedded import OxigraphStore
from legalgraph.store.memory import MemoryStore

COUNT_BY_CLASS = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"


@pytest.fixture(scope="module")
def memory() -> MemoryStore:
    return MemoryStore()


@pytest.fixture(scope="module")
def oxigraph(shipped_store) -> OxigraphStore:
    return shipped_store


def test_one_named_graph_per_source_file(oxigraph, memory):
    expected = sorted(graph_name(p) for p in source_files())
    assert oxigraph.named_graphs() == expected
    assert memory.named_graphs() == expected
    assert URIRef(f"{GRAPH}data/sources") in expected


def test_both_backends_hold_the_same_triples(oxigraph, memory, graph):
    assert oxigraph.triples() == memory.triples() == len(graph)


def test_both_backends_answer_alike(oxigraph, memory):
    assert oxigraph.query(COUNT_BY_CLASS).rows == memory.query(COUNT_BY_CLASS).rows


def test_bound_parameter_filters_on_both_backends(oxigraph, memory):
    q = "SELECT ?s WHERE { ?s a ?cls } ORDER BY ?s"
    for store in (oxigraph, memory):
        rows = store.query(q, {"cls": LG.SourceDocument}).rows
        assert rows == [(URIRef("https://w3id.org/legalgraph/id/source/mapping-report"),)]


def test_ask_and_construct(oxigraph):
    assert oxigraph.query("ASK { ?s a lg:Country }").boolean is True
    g = oxigraph.query("CONSTRUCT { ?s a lg:Section } WHERE { ?s a lg:Section }").graph
    assert g is not None and len(g) == 43


def test_malformed_query_names_the_problem(oxigraph):
    with pytest.raises(StoreError, match="malformed SPARQL"):
        oxigraph.query("SELECT ?s WHERE { ?s ?p }")


def test_persisted_store_rebuilds_only_changed_files_and_keeps_added_graphs(tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    shutil.copy(source_files()[-1].parent / "sources.ttl", src / "data" / "sources.ttl")
    files = [src / "data" / "sources.ttl"]
    store = OxigraphStore(tmp_path / "db")
    assert store.load(files) == files
    assert store.load(files) == []  # unchanged: nothing reloaded
    entry = URIRef(f"{GRAPH}entry/test")
    store.add(Graph().add((URIRef("urn:x"), LG.text, Literal("kept"))), entry)
    files[0].write_text(files[0].read_text() + "\n<urn:y> <urn:p> 1 .\n")
    assert store.load(files) == files
    assert entry in store.named_graphs()
    assert len(store.graph(entry)) == 1
    del store
    reopened = OxigraphStore(tmp_path / "db")
    assert reopened.load(files) == []
    assert reopened.query("ASK { <urn:y> <urn:p> 1 }").boolean is True


def test_a_held_store_gives_a_clear_error(tmp_path):
    first = OxigraphStore(tmp_path / "db")
    with pytest.raises(StoreError, match="LEGALGRAPH_HOME"):
        OxigraphStore(tmp_path / "db")
    del first


@pytest.mark.parametrize("writer", ["transaction", "bulk"])
def test_malformed_source_file_leaves_its_graph_unchanged(tmp_path, writer):
    """Regression: a reload emptied the file's graph before parsing, so a typo lost the graph."""
    (tmp_path / "data").mkdir()
    good = tmp_path / "data" / "sources.ttl"
    shutil.copy(source_files()[-1].parent / "sources.ttl", good)
    store = OxigraphStore(tmp_path / "db")
    if writer == "bulk":
        store.BULK_BYTES = 0  # every file through the chunked bulk writer
        store.BULK_CHUNK = 100
    store.load([good])
    before = store.graph(graph_name(good))
    good.write_text(good.read_text() + "\n<urn:y> <urn:p> .\n")
    with pytest.raises(StoreError, match=r"(?s)line \d+ column \d+.*the store is unchanged"):
        store.load([good])
    assert store.graph(graph_name(good)).isomorphic(before)
    fresh = tmp_path / "data" / "fresh.ttl"  # a new file broken after the first chunk leaves nothing behind
    fresh.write_text("".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(250)) + "<urn:y> <urn:p> .\n")
    with pytest.raises(StoreError, match=r"fresh\.ttl"):
        store.load([fresh])
    assert graph_name(fresh) not in store.named_graphs()


def test_big_file_in_chunks_gives_the_same_graph(tmp_path):
    files = source_files()
    chunked = OxigraphStore(tmp_path / "chunked")
    chunked.BULK_BYTES, chunked.BULK_CHUNK = 0, 1000
    chunked.load(files)
    whole = OxigraphStore(tmp_path / "whole")
    whole.load(files)
    assert chunked.named_graphs() == whole.named_graphs()
    for g in whole.named_graphs():
        assert chunked.graph(g).isomorphic(whole.graph(g)), g


def test_a_query_s_own_from_is_honoured_on_both_backends(any_store):
    """FROM was ignored: the union of the graphs, asked for on every query, overrode the query's dataset, so
    FROM <nowhere> counted all 7,515 triples of the shipped graph."""
    kz = "https://w3id.org/legalgraph/graph/data/kazakhstan"
    count = "SELECT (COUNT(*) AS ?n) {FROM} WHERE {{ {pattern} }}"
    every = any_store.query(count.format(FROM="", pattern="?s ?p ?o")).rows[0][0].toPython()
    nowhere = any_store.query(count.format(FROM="FROM <http://nowhere.example/g>", pattern="?s ?p ?o"))
    assert nowhere.rows[0][0].toPython() == 0
    only_kz = any_store.query(count.format(FROM=f"FROM <{kz}>", pattern="?s ?p ?o")).rows[0][0].toPython()
    assert only_kz == len(any_store.graph(URIRef(kz))) and 0 < only_kz < every
    named = any_store.query(count.format(FROM=f"FROM NAMED <{kz}>", pattern="GRAPH ?g { ?s ?p ?o }"))
    assert named.rows[0][0].toPython() == only_kz
    # the keyword inside a string, an IRI, a comment or a variable name is not a dataset clause
    assert any_store.query('SELECT (COUNT(*) AS ?from) WHERE { ?s ?p ?o BIND("FROM <urn:x>" AS ?x) } # FROM'
                           ).rows[0][0].toPython() == every


def test_the_in_memory_store_refuses_from_rather_than_fetch_it():
    store = MemoryStore([])
    with pytest.raises(StoreError, match="FROM and FROM NAMED need the Oxigraph store"):
        store.query("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")
