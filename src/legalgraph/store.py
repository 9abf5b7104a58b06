"""Loading the graph and the one narrow interface the rest of the code uses to reach it.

Every other module talks to a :class:`Store`: ``query`` (SELECT/ASK/CONSTRUCT/DESCRIBE with bound
parameters), ``graph`` (the triples of one named graph), ``named_graphs`` and ``add`` (an atomic write of
one named graph). Two backends implement it:

* :class:`OxigraphStore`, the default: an embedded, persisted Oxigraph store in a data directory. It is
  built from ``ontology/`` and ``data/`` on first use and brought up to date when a source file changes
  (compared by content hash), one named graph per source file. Graphs added by users are kept.
* :class:`MemoryStore`: rdflib's in-memory dataset, the independent second engine used by the tests and as
  the benchmark baseline.

Terms cross the interface as rdflib terms, so callers never see pyoxigraph types.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Literal as Lit
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import GRAPH, PREFIXES
from .sparql import bind

#: Where the ontology/ and data/ directories are (the project checkout).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("ontology", "data")
DEFAULT_DATA_DIR = Path(os.environ.get("LEGALGRAPH_HOME", PROJECT_ROOT / ".legalgraph"))

QueryKind = Lit["select", "ask", "graph"]
#: (default graph IRIs, named graph IRIs) of a SPARQL protocol request; empty lists mean "all".
Dataset_ = tuple[list[str], list[str]]


class StoreError(Exception):
    """A store operation failed; the message says what to do."""


class QueryTimeout(Exception):
    """The query ran longer than its time bound."""


class ResultTooLarge(Exception):
    """The result has more rows, triples or bytes than the bound."""


@dataclass
class QueryResult:
    """The answer to a query, backend-neutral: rows of rdflib terms, a boolean, or a graph."""

    kind: QueryKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


def source_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """The Turtle files the shipped graph is built from, in a stable order."""
    return [p for d in SOURCE_DIRS for p in sorted((root / d).glob("*.ttl"))]


def graph_name(path: Path) -> URIRef:
    """Named graph of a file: ``…/graph/{ontology|data}/{stem}`` for the project's own source files,
    ``…/graph/file/{stem}`` for any other file (``legalgraph load FILE``).

    Regression: naming every file by its folder put a file of one's own in some ``data/`` folder among the
    shipped graphs, so the next command's ``sync`` pruned it as a source file that no longer exists.
    """
    folder = path.resolve().parent
    if folder.parent == PROJECT_ROOT and folder.name in SOURCE_DIRS:
        return URIRef(f"{GRAPH}{folder.name}/{path.stem}")
    return URIRef(f"{GRAPH}file/{path.stem}")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Store(Protocol):
    """The narrow interface to the graph. See the module docstring."""

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: Dataset_ | None = None) -> QueryResult: ...

    def graph(self, name: URIRef) -> Graph: ...

    def named_graphs(self) -> list[URIRef]: ...

    def add(self, graph: Graph, name: URIRef) -> None: ...

    def __len__(self) -> int: ...

    def version(self) -> object:
        """A cheap token that changes when the content may have changed (for caches; ``len`` is a scan)."""
        ...


# ------------------------------------------------------------------ conversions

def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
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
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def _prologue() -> dict[str, str]:
    return dict(PREFIXES)


#: Answers repeat terms (labels, countries, thresholds); rdflib's Literal parses its lexical form on every
#: construction, which made converting 1,700 rows 3× slower than running the query. Terms are immutable.
_term = lru_cache(maxsize=2**16)(from_ox)


def _quads(path: Path, g: ox.NamedNode) -> Iterator[ox.Quad]:
    """The triples of a Turtle file as quads of graph ``g``, parsed lazily."""
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(q.subject, q.predicate, q.object, g)


def _unparsable(path: Path, exc: SyntaxError) -> StoreError:
    return StoreError(f"{path}: {exc}. Fix the file (`legalgraph validate {path}` shows the problem with its line "
                      "and column), then run the command again; the store is unchanged")


# ------------------------------------------------------------------ Oxigraph

class OxigraphStore:
    """The embedded default store: Oxigraph, persisted in ``path`` (or in memory when ``path`` is None)."""

    MANIFEST = "legalgraph-sources.json"

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self._writes = 0
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the store at {path}: {exc}. Another legalgraph process may hold it; "
                "stop it, or set LEGALGRAPH_HOME to another directory."
            ) from exc

    def close(self) -> None:
        """Release the store (and its directory lock) now rather than at garbage collection."""
        if getattr(self, "_store", None) is not None:
            self._store = None  # type: ignore[assignment]
            gc.collect()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building ---------------------------------------------------------
    def _manifest(self) -> dict[str, str]:
        if self.path is None:
            return getattr(self, "_memory_manifest", {})
        f = self.path / self.MANIFEST
        return json.loads(f.read_text()) if f.exists() else {}

    def _write_manifest(self, manifest: dict[str, str]) -> None:
        if self.path is None:
            self._memory_manifest = manifest
            return
        tmp = self.path / (self.MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        tmp.replace(self.path / self.MANIFEST)

    def sync(self, files: Iterable[Path] | None = None) -> list[Path]:
        """Load source files whose content changed since the last build; return the files (re)loaded.

        A changed file's named graph is emptied and refilled; graphs of removed files under ``ontology/``
        and ``data/`` are dropped; other graphs (entries added by users, extra files loaded with
        ``legalgraph load FILE``) are left alone.
        """
        files = list(source_files() if files is None else files)
        manifest = self._manifest()
        before = dict(manifest)
        wanted = {str(graph_name(p)): (p, file_hash(p)) for p in files}
        changed = [p for g, (p, h) in wanted.items() if manifest.get(g) != h]
        bulk = False
        for p in changed:
            g = str(graph_name(p))
            bulk |= self._load_graph(ox.NamedNode(g), p)
            manifest[g] = wanted[g][1]
        if bulk:
            # Bulk writes leave many small sorted files; compacting them once (2 s at 1M triples) made the
            # canned queries 2× faster on every later read (bench/README.md).
            self._store.optimize()
        ours = tuple(f"{GRAPH}{d}/" for d in SOURCE_DIRS)
        for g in [g for g in manifest if g not in wanted and g.startswith(ours)]:
            self._store.remove_graph(ox.NamedNode(g))
            del manifest[g]
        if manifest != before:
            self._writes += 1
            if self.path is not None:
                self._store.flush()
            self._write_manifest(manifest)
        return changed

    def clear_sources(self) -> None:
        """Forget the recorded hashes, so that the next ``sync`` reloads every source file."""
        self._write_manifest({})

    #: files above this size are written with Oxigraph's bulk writer, in chunks of BULK_CHUNK quads
    BULK_BYTES = 4 * 2**20
    #: a 1M-triple file: 50,000-quad chunks peak at ~120 MB; one bulk_load of the file at ~960 MB (measured)
    BULK_CHUNK = 50_000

    def _load_graph(self, g: ox.NamedNode, path: Path) -> bool:
        """Replace one named graph by the triples of ``path``; a file that does not parse changes nothing.
        Return whether the bulk writer was used.

        Small files are parsed whole, then written in one transaction. Big ones go through the bulk writer
        (no transaction held in memory: a 1M-triple transaction took 4× the time and 2.5× the memory), so a
        graph they replace is emptied only after a first parse found no error, and a failure half-way
        removes what was written. The manifest is written after every changed graph is loaded, so a crash
        in between leaves a stale hash and the next ``sync`` reloads the graph: the store heals itself.
        """
        big = self.path is not None and path.stat().st_size > self.BULK_BYTES
        exists = self._store.contains_named_graph(g)
        try:
            if not big:
                staged = list(_quads(path, g))
            elif exists:
                for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                    pass
        except SyntaxError as exc:
            raise _unparsable(path, exc) from exc
        if exists:
            self._store.clear_graph(g)
        if not big:
            self._store.extend(staged)
            return False
        quads = _quads(path, g)
        try:
            while chunk := list(islice(quads, self.BULK_CHUNK)):
                self._store.bulk_extend(chunk)
        except BaseException as exc:
            self._store.remove_graph(g)  # never half a file
            if isinstance(exc, SyntaxError):
                raise _unparsable(path, exc) from exc
            raise
        return True

    # -- Store interface --------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: Dataset_ | None = None) -> QueryResult:
        kwargs: dict[str, object] = {"use_default_graph_as_union": True}
        if dataset and dataset[0]:
            kwargs = {"default_graph": [ox.NamedNode(g) for g in dataset[0]]}
        if dataset and dataset[1]:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset[1]]
        try:
            res = self._store.query(bind(sparql, bindings), prefixes=_prologue(), **kwargs)
        except SyntaxError as exc:
            raise StoreError(f"malformed SPARQL: {exc}") from exc
        except ValueError as exc:  # e.g. an invalid graph IRI
            raise StoreError(f"cannot run the query: {exc}") from exc
        if isinstance(res, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = [tuple(map(_term, sol)) for sol in res]
            return QueryResult("select", variables=names, rows=rows)
        g = Graph()
        for t in res:
            g.add((_term(t.subject), _term(t.predicate), _term(t.object)))  # type: ignore[arg-type]
        _bind(g)
        return QueryResult("graph", graph=g)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (only when an administrator has enabled updates)."""
        try:
            self._store.update(sparql, prefixes=_prologue())
        except SyntaxError as exc:
            raise StoreError(f"malformed SPARQL Update: {exc}") from exc
        finally:
            self._writes += 1

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((_term(q.subject), _term(q.predicate), _term(q.object)))  # type: ignore[arg-type]
        _bind(g)
        return g

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def add(self, graph: Graph, name: URIRef) -> None:
        """Write ``graph`` into the named graph ``name`` in one transaction: all of it or nothing."""
        g = ox.NamedNode(str(name))
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in graph]  # type: ignore[arg-type]
        self._store.extend(quads)
        self._writes += 1
        if self.path is not None:
            self._store.flush()

    def __len__(self) -> int:
        return len(self._store)

    def version(self) -> object:
        """Writes go through this object (the directory is locked to one writer), so a counter suffices."""
        return self._writes

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        for q in self._store:
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)  # type: ignore[misc]


# ------------------------------------------------------------------ rdflib

class MemoryStore:
    """rdflib's in-memory dataset behind the same interface: the second, independent engine."""

    def __init__(self, files: Iterable[Path] | None = None) -> None:
        self.dataset = Dataset(default_union=True)
        self._writes = 0
        for p in source_files() if files is None else files:
            self.dataset.graph(graph_name(p)).parse(p, format="turtle")
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: Dataset_ | None = None) -> QueryResult:
        if dataset and (dataset[0] or dataset[1]):
            raise StoreError("default-graph-uri and named-graph-uri need the Oxigraph store")
        try:
            res = self.dataset.query(bind(sparql, bindings), initNs=PREFIXES)
        except Exception as exc:  # rdflib raises pyparsing errors for syntax
            raise StoreError(f"malformed SPARQL: {exc}") from exc
        if res.type == "ASK":
            return QueryResult("ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            names = [str(v) for v in res.vars or []]
            return QueryResult("select", variables=names, rows=[tuple(r) for r in res])
        g = Graph()
        for t in res:
            g.add(t)  # type: ignore[arg-type]
        _bind(g)
        return QueryResult("graph", graph=g)

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        for t in self.dataset.graph(name):
            g.add(t)
        _bind(g)
        return g

    def named_graphs(self) -> list[URIRef]:
        return sorted(c.identifier for c in self.dataset.graphs()  # type: ignore[misc]
                      if isinstance(c.identifier, URIRef) and len(c) > 0)

    def add(self, graph: Graph, name: URIRef) -> None:
        target = self.dataset.graph(name)
        for t in graph:
            target.add(t)
        self._writes += 1

    def version(self) -> object:
        return self._writes

    def __len__(self) -> int:
        return sum(len(self.dataset.graph(g)) for g in self.named_graphs())


def _bind(g: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)


def open_store(path: Path | None = None, *, sync: bool = True, read_only: bool = False) -> OxigraphStore:
    """Open the default store, building or refreshing it from the source files first."""
    store = OxigraphStore(DEFAULT_DATA_DIR if path is None else path, read_only=read_only)
    if sync and not read_only:
        store.sync()
    return store
