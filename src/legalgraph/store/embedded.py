"""The embedded default store: Oxigraph persisted in a directory, built from ``ontology/`` and ``data/``.

One named graph per source file, reloaded when its content hash changes. Graphs added by users (entries) and
files of one's own (``legalgraph load FILE``) are kept. A file is loaded whole or not at all: the manifest
marks a graph incomplete before it is touched and records its hash after, so a load killed half-way is noticed
and undone by the next open. The directory is locked to one writing process; readers (the query workers, the
CLI while ``serve`` runs) open it read-only.
"""

from __future__ import annotations

import gc
import json
import os
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import BadInput, StoreUnavailable
from ..namespaces import PREFIXES
from .base import (
    Answer,
    Capabilities,
    DatasetSpec,
    Meter,
    bind_prefixes,
    file_hash,
    graph_name,
    is_source_graph,
    replace_update,
    source_files,
    term,
    to_ox,
)
from .binding import bind
from .guard import declares_dataset

INCOMPLETE = "incomplete"


def _quads(path: Path, g: ox.NamedNode) -> Iterator[ox.Quad]:
    """The triples of a Turtle file as quads of graph ``g``, parsed lazily."""
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(q.subject, q.predicate, q.object, g)


def _unparsable(path: Path, exc: SyntaxError) -> BadInput:
    return BadInput(f"{exc}", where=str(path),
                    hint=f"fix the file (`legalgraph validate {path}` shows the problem with its line and column), "
                         "then run the command again; the store is unchanged")


def syntax_error(exc: SyntaxError, what: str = "SPARQL") -> BadInput:
    """An Oxigraph parser error ("error at 1:26: expected …") as BadInput with its line and column."""
    text = str(exc)
    line = column = None
    if text.startswith("error at ") and ":" in text[9:]:
        pos, _, rest = text[9:].partition(": ")
        a, _, b = pos.partition(":")
        if a.isdigit() and b.split("-")[0].isdigit():
            line, column, text = int(a), int(b.split("-")[0]), rest
    at = f" at line {line}, column {column}" if line is not None else ""
    return BadInput(f"malformed {what}{at}: {text}", line=line, column=column)


class OxigraphStore:
    """Oxigraph persisted in ``path`` (or in memory when ``path`` is None). See the module docstring."""

    MANIFEST = "legalgraph-sources.json"
    #: files above this size are written with Oxigraph's bulk writer, in chunks of BULK_CHUNK quads
    BULK_BYTES = 4 * 2**20
    #: a 1M-triple file: 50,000-quad chunks peak at ~120 MB; one bulk_load of the file at ~960 MB (measured)
    BULK_CHUNK = 50_000

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path, self.read_only = path, read_only
        self._writes = 0
        self.repaired: list[str] = []
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = _open_read_only(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except (OSError, RuntimeError) as exc:
            if read_only:
                raise StoreUnavailable(f"cannot open the store at {path} read-only: {exc}",
                                       hint="run `legalgraph load` once to build it") from exc
            raise StoreUnavailable(
                f"cannot open the store at {path}: {exc}",
                hint="another legalgraph process (a running `serve`?) holds it for writing; stop it, or set "
                     "LEGALGRAPH_HOME (or --store DIR) to another directory") from exc
        self.capabilities = Capabilities(worker_spec=("embedded", str(path)) if path is not None else None,
                                         persistent=path is not None)

    def close(self) -> None:
        """Release the store (and its directory lock) now rather than at garbage collection."""
        if getattr(self, "_store", None) is not None:
            self._store = None  # type: ignore[assignment]
            gc.collect()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the manifest: which file each graph holds, and which graphs a killed load left incomplete --------
    def _manifest(self) -> dict[str, str]:
        if self.path is None:
            return dict(getattr(self, "_memory_manifest", {}))
        f = self.path / self.MANIFEST
        return json.loads(f.read_text()) if f.exists() else {}

    def _write_manifest(self, manifest: dict[str, str]) -> None:
        if self.path is None:
            self._memory_manifest = dict(manifest)
            return
        tmp = self.path / (self.MANIFEST + ".tmp")
        with tmp.open("w") as fh:
            fh.write(json.dumps(manifest, indent=1, sort_keys=True))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path / self.MANIFEST)

    def stale(self, files: Iterable[Path] | None = None) -> list[Path]:
        """Source files whose graph is missing, outdated or incomplete (read-only opens can only report them)."""
        manifest = self._manifest()
        return [p for p in (source_files() if files is None else files)
                if manifest.get(str(graph_name(p))) != file_hash(p)]

    def load(self, files: Iterable[Path] | None = None, *, force: bool = False, prune: bool = True) -> list[Path]:
        """Load the files whose content changed since the last build; return the files (re)loaded.

        A changed file's graph is replaced; graphs a killed load left incomplete are dropped first (and
        reloaded when their file is given); with ``prune``, graphs of source files that are gone are dropped.
        """
        if self.read_only:
            raise StoreUnavailable("the store is open read-only", hint="stop `serve` to load files")
        files = list(source_files() if files is None else files)
        manifest = self._manifest()
        before = dict(manifest)
        for g in [g for g, h in manifest.items() if h == INCOMPLETE]:
            self._store.remove_graph(ox.NamedNode(g))
            del manifest[g]
            self.repaired.append(g)
        if force:
            manifest = {g: h for g, h in manifest.items() if not any(str(graph_name(p)) == g for p in files)}
        wanted = {str(graph_name(p)): (p, file_hash(p)) for p in files}
        changed = [p for g, (p, h) in wanted.items() if manifest.get(g) != h]
        bulk = False
        for p in changed:
            g = str(graph_name(p))
            self._check_parses(p)
            manifest[g] = INCOMPLETE
            self._write_manifest(manifest)
            bulk |= self._load_graph(ox.NamedNode(g), p)
            if self.path is not None:
                self._store.flush()
            manifest[g] = wanted[g][1]
            self._write_manifest(manifest)
        if bulk:
            # Bulk writes leave many small sorted files; compacting them once (2 s at 1M triples) made the
            # canned queries 2x faster on every later read (bench/README.md).
            self._store.optimize()
        if prune:
            for g in [g for g in manifest if g not in wanted and is_source_graph(g)]:
                self._store.remove_graph(ox.NamedNode(g))
                del manifest[g]
        if manifest != before:
            self._writes += 1
            if self.path is not None:
                self._store.flush()
            self._write_manifest(manifest)
        return changed

    def _check_parses(self, path: Path) -> None:
        try:
            for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                pass
        except SyntaxError as exc:
            raise _unparsable(path, exc) from exc
        except OSError as exc:
            raise BadInput(f"cannot read the file: {exc}", where=str(path)) from exc

    def _load_graph(self, g: ox.NamedNode, path: Path) -> bool:
        """Replace one named graph by the triples of ``path`` (already known to parse). Return whether the
        bulk writer was used: it holds no transaction in memory (a 1M-triple transaction took 4x the time and
        2.5x the memory), so a failure half-way removes what was written and the manifest's mark covers a kill.
        """
        big = self.path is not None and path.stat().st_size > self.BULK_BYTES
        self._store.remove_graph(g)
        if not big:
            self._store.extend(list(_quads(path, g)))
            return False
        quads = _quads(path, g)
        try:
            while chunk := list(islice(quads, self.BULK_CHUNK)):
                self._store.bulk_extend(chunk)
        except BaseException:
            self._store.remove_graph(g)  # never half a file
            raise
        return True

    # -- the Store interface ----------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: DatasetSpec | None = None, base_iri: str | None = None, *,
              max_rows: int | None = None, max_bytes: int | None = None) -> Answer:
        """See :class:`~legalgraph.store.base.Store`; the bounds are applied while the answer is read, so an
        answer over them is never held whole."""
        res = self.execute(bind(sparql, bindings), dataset, base_iri)
        if isinstance(res, ox.QueryBoolean):
            return Answer("ask", boolean=bool(res))
        meter = Meter(max_rows, max_bytes)
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = []
            for sol in res:
                row = tuple(map(term, sol))
                meter.count(row, "rows")
                rows.append(row)
            return Answer("select", variables=names, rows=rows)
        g = Graph()
        for t in res:
            triple = (term(t.subject), term(t.predicate), term(t.object))
            meter.count(triple, "triples")
            g.add(triple)  # type: ignore[arg-type]
        return Answer("graph", graph=bind_prefixes(g))

    def execute(self, sparql: str, dataset: DatasetSpec | None = None, base_iri: str | None = None) -> object:
        """Run a query and return Oxigraph's own lazy answer (for workers that serialise it themselves)."""
        # The union of the graphs is the default graph, unless the query names its own dataset (FROM, FROM
        # NAMED) or the request does (default-graph-uri, named-graph-uri): Oxigraph's union flag overrides FROM.
        kwargs: dict[str, object] = {} if declares_dataset(sparql) else {"use_default_graph_as_union": True}
        try:
            if dataset and dataset[0]:
                kwargs = {"default_graph": [ox.NamedNode(g) for g in dataset[0]]}
            if dataset and dataset[1]:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset[1]]
            return self._store.query(sparql, prefixes=PREFIXES, base_iri=base_iri, **kwargs)
        except SyntaxError as exc:
            raise syntax_error(exc) from exc
        except ValueError as exc:  # e.g. an invalid graph IRI
            raise BadInput(f"cannot run the query: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreUnavailable(f"cannot read the store: {exc}") from exc

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise syntax_error(exc, "SPARQL Update") from exc
        except OSError as exc:
            raise StoreUnavailable(f"the update failed: {exc}") from exc
        finally:
            self._writes += 1

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((term(q.subject), term(q.predicate), term(q.object)))  # type: ignore[arg-type]
        return bind_prefixes(g)

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def add(self, graph: Graph, name: URIRef) -> None:
        g = ox.NamedNode(str(name))
        self._store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in graph])
        self._writes += 1
        if self.path is not None:
            self._store.flush()

    def remove_graph(self, name: URIRef) -> None:
        self._store.remove_graph(ox.NamedNode(str(name)))
        self._writes += 1
        if self.path is not None:
            self._store.flush()

    def replace_graphs(self, drop: Iterable[URIRef], add: Mapping[URIRef, Graph]) -> None:
        """One SPARQL Update: Oxigraph runs it in one transaction, so a kill leaves all or nothing."""
        text = replace_update(list(drop), add)
        if not text:
            return
        try:
            self._store.update(text)
        except OSError as exc:
            raise StoreUnavailable(f"the change failed: {exc}") from exc
        finally:
            self._writes += 1
        if self.path is not None:
            self._store.flush()

    def triples(self) -> int:
        return len(self._store)

    def version(self) -> Hashable:
        """Writes go through this object (the directory is locked to one writer), so a counter suffices."""
        return self._writes


def _open_read_only(path: Path, attempts: int = 5) -> ox.Store:
    """A read-only handle. While the writing process compacts, the files listed in the manifest a reader loads
    can vanish under it; the next attempt reads the new manifest."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def open_embedded(path: Path | None, *, load: bool = True, read_only: bool = False) -> OxigraphStore:
    """Open the embedded store; a writer first brings it up to date with the source files."""
    store = OxigraphStore(path, read_only=read_only)
    if load and not read_only:
        store.load()
    return store
