"""The whole graph as a file: Turtle, N-Triples, JSON-LD of the union; TriG, N-Quads by named graph."""

from __future__ import annotations

from rdflib import Dataset, Graph

from ..errors import BadInput
from ..namespaces import PREFIXES
from ..store.base import Store

#: format name -> (rdflib serializer, keeps named graphs)
DUMP_FORMATS: dict[str, tuple[str, bool]] = {
    "ttl": ("turtle", False),
    "nt": ("nt", False),
    "jsonld": ("json-ld", False),
    "trig": ("trig", True),
    "nq": ("nquads", True),
}


def union(store: Store) -> Graph:
    g = Graph()
    for name in store.named_graphs():
        g += store.graph(name)
    _bind(g)
    return g


def dataset(store: Store) -> Dataset:
    ds = Dataset()
    for name in store.named_graphs():
        target = ds.graph(name)
        for t in store.graph(name):
            target.add(t)
    _bind(ds)
    return ds


def export(store: Store, fmt: str) -> bytes:
    if fmt not in DUMP_FORMATS:
        raise BadInput(f"unknown format {fmt!r}; choose one of {', '.join(sorted(DUMP_FORMATS))}",
                       valid=sorted(DUMP_FORMATS))
    serializer, quads = DUMP_FORMATS[fmt]
    data = dataset(store) if quads else union(store)
    if serializer == "json-ld":
        return data.serialize(format="json-ld", context=PREFIXES, auto_compact=True, encoding="utf-8")
    return data.serialize(format=serializer, encoding="utf-8")


def _bind(g: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
