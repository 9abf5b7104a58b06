"""Shared fixtures: the shipped graph, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from legalgraph.lint import load_project_graph
from legalgraph.namespaces import ID, PREFIXES

ROOT = Path(__file__).resolve().parents[1]

# Debian-chromium fixtures (chromium_browser, browser_page) and the live-server helper for HTTP tests;
# a real Oxigraph server on loopback for the remote-store path.
pytest_plugins = ["browser_support", "remote_support"]


@pytest.fixture(scope="session")
def graph() -> Graph:
    """Ontology + vocabularies + every data file, merged (rdflib, in memory)."""
    return load_project_graph(ROOT)


@pytest.fixture(scope="session")
def shipped_store():
    """The shipped graph in an in-memory Oxigraph store (read-only use: tests that write make their own)."""
    from legalgraph.store.embedded import OxigraphStore

    store = OxigraphStore(None)
    store.load()
    return store


@pytest.fixture(scope="module", params=["embedded", "remote"])
def any_store(request):
    """The shipped graph on each backend in turn: the embedded Oxigraph store, then a real Oxigraph server."""
    return request.getfixturevalue("shipped_store" if request.param == "embedded" else "remote_store")


def select(g: Graph, query: str, **bindings) -> list[tuple]:
    """Run a SELECT with the project prefixes and bound variables; rows as tuples of Python values."""
    rows = g.query(query, initNs=PREFIXES, initBindings=bindings)
    return [tuple(v.toPython() if v is not None else None for v in row) for row in rows]


def u(path: str) -> URIRef:
    """A project IRI from its path, e.g. u("programme/tj-consultation-rooms")."""
    return URIRef(f"{ID}{path}")


def tail(term) -> str:
    """The last path segment of an IRI (a concept or entity slug)."""
    return str(term).rsplit("/", 1)[-1]


def raw(g: Graph, query: str, **bindings) -> list[str]:
    """Lexical forms of a one-column SELECT (durations, years), in order."""
    return [str(row[0]) for row in g.query(query, initNs=PREFIXES, initBindings=bindings)]


def value(g: Graph, query: str, **bindings):
    """The single value of a one-row, one-column SELECT; fails loudly otherwise."""
    rows = select(g, query, **bindings)
    assert len(rows) == 1 and len(rows[0]) == 1, f"expected one value, got {rows}"
    return rows[0][0]
