"""The one interface every caller uses to reach the graph, with its contract, and what backends share.

Terms cross the interface as rdflib terms, so callers never see a backend's own types. Three backends
implement :class:`Store` (``embedded``: Oxigraph on disk, the default; ``memory``: rdflib, the second engine
of the tests and the benchmark baseline; ``remote``: any SPARQL 1.1 server). Callers never use a backend
directly: :class:`~legalgraph.store.bounded.BoundedStore` wraps whichever is configured and applies the query
guard and the time, row and byte bounds for everyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from ..namespaces import GRAPH, PREFIXES
from ..settings import PROJECT_ROOT

SOURCE_DIRS = ("ontology", "data")
AnswerKind = Literal["select", "ask", "graph"]
#: (default graph IRIs, named graph IRIs) of a SPARQL protocol request; empty lists mean "all".
DatasetSpec = tuple[list[str], list[str]]


@dataclass
class Answer:
    """The answer to a query, backend-neutral: rows of rdflib terms (None where unbound), a boolean, or a graph."""

    kind: AnswerKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def records(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def __getstate__(self) -> dict[str, Any]:
        """Picklable for the trip from a worker: a graph travels as its triples."""
        state = dict(self.__dict__)
        if self.graph is not None:
            state["graph"] = list(self.graph)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("graph") is not None:
            g = Graph()
            for triple in state["graph"]:
                g.add(triple)
            state["graph"] = bind_prefixes(g)
        self.__dict__.update(state)

    def size(self) -> int:
        """Rows, or triples of a graph answer: what the row bound counts."""
        if self.kind == "graph":
            return len(self.graph) if self.graph is not None else 0
        return len(self.rows)


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, so that callers ask instead of checking its class.

    ``worker_spec``: how another process opens the same data read-only (``("embedded", path)``), or None when
    it cannot (an in-memory store, or a remote server that already runs queries out of process).
    ``dataset_selection``: queries may restrict the default and named graphs. ``persistent``: survives the
    process. ``runs_out_of_process``: queries already run elsewhere (a server) and are bounded by its client.
    """

    worker_spec: tuple[str, str] | None = None
    dataset_selection: bool = True
    persistent: bool = False
    runs_out_of_process: bool = False


class Store(Protocol):
    """The graph as the rest of legalgraph sees it. Every method raises only :mod:`legalgraph.errors` types.

    - ``query(text, bindings, dataset, base_iri)``: run one SPARQL 1.1 query over the union of all named graphs
      (or the given dataset). ``bindings`` are joined as a VALUES block, never spliced. Returns an
      :class:`Answer`. Raises BadInput for malformed SPARQL (with line and column where the engine gives
      them), StoreUnavailable when the store cannot be read, TimedOut (remote) past the client bound, TooLarge
      past ``max_rows`` rows (triples) or ``max_bytes``. Not guarded and not bounded in time by itself: that is
      :class:`~legalgraph.store.bounded.BoundedStore`'s job.
    - ``update(text)``: run a SPARQL Update; atomic on the embedded store.
    - ``add(graph, name)``: add the triples to named graph ``name`` in one transaction: all or nothing.
    - ``remove_graph(name)``: drop a named graph in one transaction (no error if absent).
    - ``replace_graphs(drop, add)``: drop the named graphs ``drop`` and add each graph of ``add`` (name ->
      triples) in one transaction: all or nothing, even if the process is killed (``legalgraph remove``).
    - ``load(files, force)``: bring the named graph of each file up to date (one graph per file,
      :func:`graph_name`); a file is loaded whole or not at all; returns the files (re)loaded.
    - ``graph(name)``: the triples of one named graph (empty if absent).
    - ``named_graphs()``: every non-empty named graph, sorted.
    - ``version()``: a cheap hashable token that changes whenever the content may have changed (for caches).
    - ``triples()``: how many triples (may scan).
    - ``close()``: release files, locks and connections; idempotent.
    - ``capabilities``: a :class:`Capabilities`.
    """

    capabilities: Capabilities

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: DatasetSpec | None = None, base_iri: str | None = None, *,
              max_rows: int | None = None, max_bytes: int | None = None) -> Answer: ...

    def update(self, sparql: str) -> None: ...

    def add(self, graph: Graph, name: URIRef) -> None: ...

    def remove_graph(self, name: URIRef) -> None: ...

    def replace_graphs(self, drop: Iterable[URIRef], add: Mapping[URIRef, Graph]) -> None: ...

    def load(self, files: Iterable[Path] | None = None, *, force: bool = False) -> list[Path]: ...

    def graph(self, name: URIRef) -> Graph: ...

    def named_graphs(self) -> list[URIRef]: ...

    def version(self) -> Hashable: ...

    def triples(self) -> int: ...

    def close(self) -> None: ...


# ------------------------------------------------------------------ shared by the backends

class Meter:
    """Counts an answer as it is read and stops it past ``max_rows`` rows (or triples) or about ``max_bytes``
    bytes of lexical forms: the bounds of :class:`~legalgraph.store.bounded.BoundedStore`, applied where the
    answer is built so that an oversized one is never held whole."""

    def __init__(self, max_rows: int | None, max_bytes: int | None) -> None:
        self.max_rows, self.max_bytes, self.rows, self.bytes = max_rows, max_bytes, 0, 0

    def count(self, row: tuple[Node | None, ...], what: str = "rows") -> None:
        self.rows += 1
        if self.max_rows is not None and self.rows > self.max_rows:
            from ..errors import TooLarge

            raise TooLarge(f"the answer has more than {self.max_rows} {what}",
                           hint=f"add LIMIT (at most {self.max_rows}) or page with OFFSET")
        if self.max_bytes is not None:
            self.bytes += sum(len(t) + 8 for t in row if t is not None) + 4
            if self.bytes > self.max_bytes:
                from ..errors import TooLarge

                raise TooLarge(f"the answer is over {self.max_bytes} bytes",
                               hint="select fewer or shorter values, or page with LIMIT and OFFSET")

    def check(self, answer: Answer) -> Answer:
        """Bound an answer that a backend built whole (rdflib, or a remote server's bounded reply)."""
        if answer.kind == "graph" and answer.graph is not None:
            for triple in answer.graph:
                self.count(triple, "triples")
        else:
            for row in answer.rows:
                self.count(row)
        return answer


def source_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """The Turtle files the shipped graph is built from, in a stable order."""
    return [p for d in SOURCE_DIRS for p in sorted((root / d).glob("*.ttl"))]


def graph_name(path: Path) -> URIRef:
    """Named graph of a file: ``…/graph/{ontology|data}/{stem}`` for the project's own source files,
    ``…/graph/file/{stem}`` for any other file (``legalgraph load FILE``).

    Naming every file by its folder put a file of one's own in some ``data/`` folder among the shipped
    graphs, and the next ``load`` pruned it as a source file that no longer exists.
    """
    folder = path.resolve().parent
    if folder.parent == PROJECT_ROOT and folder.name in SOURCE_DIRS:
        return URIRef(f"{GRAPH}{folder.name}/{path.stem}")
    return URIRef(f"{GRAPH}file/{path.stem}")


def is_source_graph(name: str) -> bool:
    return name.startswith(tuple(f"{GRAPH}{d}/" for d in SOURCE_DIRS))


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_version(root: Path = PROJECT_ROOT) -> str:
    """A short digest of the shipped source files: the "data version" shown on pages and in briefs."""
    digest = hashlib.sha256()
    for p in source_files(root):
        digest.update(p.read_bytes())
    return digest.hexdigest()[:12]


def replace_update(drop: Iterable[URIRef], add: Mapping[URIRef, Graph]) -> str:
    """One SPARQL Update that drops ``drop`` and inserts ``add``: one request, one transaction on a server."""
    ops = [f"DROP SILENT GRAPH {name.n3()}" for name in drop]
    for name, g in add.items():
        if len(g):
            body = g.serialize(format="nt", encoding="utf-8").decode()
            ops.append(f"INSERT DATA {{ GRAPH {name.n3()} {{\n{body}\n}} }}")
    return " ;\n".join(ops)


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def to_ox(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def from_ox(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


#: Answers repeat terms (labels, countries, thresholds); rdflib's Literal parses its lexical form on every
#: construction, which made converting 1,700 rows 3x slower than running the query. Terms are immutable.
term = lru_cache(maxsize=2**16)(from_ox)
