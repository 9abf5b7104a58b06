"""A real SPARQL client (SPARQLWrapper) against the running endpoint, in every result format."""

from __future__ import annotations

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from browser_support import serve_app
from legalgraph.api import create_app
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

PREFIX = "PREFIX lg: <https://w3id.org/legalgraph/ontology#>\n"
SELECT = PREFIX + "SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c"
CONSTRUCT = PREFIX + "CONSTRUCT { ?c a lg:Country } WHERE { ?c a lg:Country }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("sw") / "db")
    store.load()
    with serve_app(create_app(Settings(query_timeout=10), store)) as base:
        yield base + "/sparql"
    store.close()


def client(endpoint, query, fmt, method="GET"):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(endpoint, method):
    data = client(endpoint, SELECT, JSON, method).convert()
    assert [b["c"]["value"].rsplit("/", 1)[-1] for b in data["results"]["bindings"]] == [
        "kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"]


def test_select_xml(endpoint):
    doc = client(endpoint, SELECT, XML).convert()
    assert len(doc.getElementsByTagName("result")) == 5


@pytest.mark.parametrize("fmt", [CSV, TSV])
def test_select_csv_tsv(endpoint, fmt):
    text = client(endpoint, SELECT, fmt).convert().decode()
    assert len(text.strip().splitlines()) == 6


def test_ask(endpoint):
    assert client(endpoint, PREFIX + "ASK { ?c a lg:Country }", JSON).convert()["boolean"] is True


@pytest.mark.parametrize(("fmt", "parser"), [(TURTLE, "turtle"), (N3, "turtle"), (XML, "xml"), (JSONLD, "json-ld")])
def test_construct_formats(endpoint, fmt, parser):
    result = client(endpoint, CONSTRUCT, fmt).convert()
    g = result if isinstance(result, Graph) else Graph().parse(data=result, format=parser)
    assert len(g) == 5


def test_malformed_query_raises_bad_formed(endpoint):
    with pytest.raises(QueryBadFormed):
        client(endpoint, "SELECT ?s WHERE { ?s ?p }", JSON)
