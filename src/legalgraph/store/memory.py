"""rdflib's in-memory dataset behind the Store interface: the second, independent engine of the tests and the
baseline of the benchmarks."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from ..errors import BadInput
from ..namespaces import PREFIXES
from .base import Answer, Capabilities, DatasetSpec, Meter, bind_prefixes, graph_name, source_files
from .binding import bind
from .guard import declares_dataset

#: rdflib's SPARQL grammar (pyparsing) learns each parse action's arity on first use without a lock: two
#: threads parsing a new query shape at once can break a rule for good. Every rdflib parse goes through here.
RDFLIB_PARSE_LOCK = threading.Lock()


class MemoryStore:
    capabilities = Capabilities(dataset_selection=False)

    def __init__(self, files: Iterable[Path] | None = None) -> None:
        self.dataset = Dataset(default_union=True)
        self._writes = 0
        for p in source_files() if files is None else files:
            self.dataset.graph(graph_name(p)).parse(p, format="turtle")
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: DatasetSpec | None = None, base_iri: str | None = None, *,
              max_rows: int | None = None, max_bytes: int | None = None) -> Answer:
        return Meter(max_rows, max_bytes).check(self._query(sparql, bindings, dataset, base_iri))

    def _query(self, sparql: str, bindings: Mapping[str, Node] | None,
               dataset: DatasetSpec | None, base_iri: str | None) -> Answer:
        if dataset and (dataset[0] or dataset[1]):
            raise BadInput("default-graph-uri and named-graph-uri need the Oxigraph store")
        if declares_dataset(sparql):  # rdflib would fetch the named graphs from the web, or add them to the union
            raise BadInput("FROM and FROM NAMED need the Oxigraph store")
        try:
            with RDFLIB_PARSE_LOCK:
                from rdflib.plugins.sparql import prepareQuery

                prepared = prepareQuery(bind(sparql, bindings), initNs=PREFIXES, base=base_iri)
            res = self.dataset.query(prepared)
        except Exception as exc:  # rdflib raises pyparsing errors for syntax
            raise BadInput(f"malformed SPARQL: {exc}") from exc
        if res.type == "ASK":
            return Answer("ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            return Answer("select", variables=[str(v) for v in res.vars or []], rows=[tuple(r) for r in res])
        g = Graph()
        for t in res:
            g.add(t)  # type: ignore[arg-type]
        return Answer("graph", graph=bind_prefixes(g))

    def update(self, sparql: str) -> None:
        with RDFLIB_PARSE_LOCK:
            self.dataset.update(sparql, initNs=PREFIXES)
        self._writes += 1

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        for t in self.dataset.graph(name):
            g.add(t)
        return bind_prefixes(g)

    def named_graphs(self) -> list[URIRef]:
        return sorted(c.identifier for c in self.dataset.graphs()  # type: ignore[misc]
                      if isinstance(c.identifier, URIRef) and len(c) > 0)

    def add(self, graph: Graph, name: URIRef) -> None:
        target = self.dataset.graph(name)
        for t in graph:
            target.add(t)
        self._writes += 1

    def remove_graph(self, name: URIRef) -> None:
        self.dataset.remove_graph(name)
        self._writes += 1

    def replace_graphs(self, drop: Iterable[URIRef], add: Mapping[URIRef, Graph]) -> None:
        """In memory nothing can interrupt the change half-way (no other writer, nothing persisted)."""
        for name in drop:
            self.dataset.remove_graph(name)
        for name, g in add.items():
            target = self.dataset.graph(name)
            for t in g:
                target.add(t)
        self._writes += 1

    def load(self, files: Iterable[Path] | None = None, *, force: bool = False) -> list[Path]:
        files = list(source_files() if files is None else files)
        for p in files:
            self.dataset.remove_graph(graph_name(p))
            self.dataset.graph(graph_name(p)).parse(p, format="turtle")
        self._writes += 1
        return files

    def version(self) -> Hashable:
        return self._writes

    def triples(self) -> int:
        return sum(len(self.dataset.graph(g)) for g in self.named_graphs())

    def close(self) -> None:
        pass
