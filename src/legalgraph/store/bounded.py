"""The one store every caller gets: any backend, wrapped with the guard and the time, row and byte bounds.

Front-ends and services never hold a raw backend. :func:`open_store` builds the configured backend and wraps it
in a :class:`BoundedStore`, which

* prechecks every query in the caller's process (size, nesting, line ends, form; SERVICE refused) and parses it
  with the full grammar inside the time bound, where the guard's cost counts (:mod:`.guard`);
* runs it on a :mod:`runner <.workers>`: killable worker processes for the web service, sandboxed threads for
  the CLI and in-memory stores; the time bound counts from the start of execution;
* bounds the answer in rows (triples) and bytes where it is read, and serialises answers for the endpoint in
  the worker (:meth:`BoundedStore.serialised`), so the web process only relays bounded bytes;
* refreshes the workers after every write.

Internal service queries pass the same checks (cached per text) and may raise the row bound for reads that
are known to be large (``max_rows=None`` reads the whole answer, still bounded in time). Row and boolean answers
are kept per store version (:class:`AnswerMemo`): an answer depends only on the query, its parameters and the
content, and pages ask the same label and mark queries again and again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import LegalgraphError, StoreUnavailable
from ..settings import Settings, StoreConfig
from . import workers
from .base import Answer, Capabilities, DatasetSpec, Store
from .guard import check, precheck
from .memory import RDFLIB_PARSE_LOCK

#: Sentinel: use the configured row bound.
DEFAULT: Any = object()


@dataclass
class QueryJob:
    """One query, as it travels to a worker: the checked text, its parameters and its bounds."""

    text: str
    bindings: dict[str, Node] = field(default_factory=dict)
    dataset: DatasetSpec | None = None
    base_iri: str | None = None
    max_rows: int | None = None
    max_bytes: int | None = None
    #: a media type: serialise the answer in the worker and return bytes instead of an Answer
    media: str | None = None

    def __call__(self, store: Store) -> Answer | tuple[str, bytes]:
        with RDFLIB_PARSE_LOCK:  # the grammar is not thread-safe; a worker process has one thread anyway
            check(self.text)
        answer = store.query(self.text, self.bindings or None, self.dataset, self.base_iri,
                             max_rows=self.max_rows, max_bytes=self.max_bytes)
        if self.media is None:
            return answer
        from ..formats import serialise

        return serialise(answer, self.media, self.max_bytes)


@dataclass
class UpdateJob:
    text: str

    def __call__(self, store: Store) -> None:
        with RDFLIB_PARSE_LOCK:
            check(self.text, allow_update=True)
        store.update(self.text)


class AnswerMemo:
    """Row and boolean answers by (store version, query, parameters, dataset, base, row bound), bounded in entries
    and in rows held. Each caller gets its own copy of the lists, so no caller can change another's answer.
    Graph answers are not kept (an rdflib graph costs as much to copy as to fetch)."""

    def __init__(self, entries: int = 2048, max_rows: int = 500_000) -> None:
        self.entries, self.max_rows, self.rows = entries, max_rows, 0
        self._items: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _copy(a: Answer) -> Answer:
        return Answer(a.kind, list(a.variables), list(a.rows), a.boolean)

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
        return self._copy(hit)

    def put(self, key: Hashable, answer: Answer) -> None:
        if answer.kind == "graph" or len(answer.rows) > self.max_rows // 16:
            return
        kept = self._copy(answer)
        with self._lock:
            if key in self._items:
                return
            self._items[key] = kept
            self.rows += len(kept.rows)
            while len(self._items) > self.entries or self.rows > self.max_rows:
                _, old = self._items.popitem(last=False)
                self.rows -= len(old.rows)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.rows = 0


class BoundedStore:
    """A :class:`~legalgraph.store.base.Store` with every bound applied. See the module docstring."""

    def __init__(self, backend: Store, settings: Settings, runner: workers.Runner | None = None) -> None:
        self.backend, self.settings = backend, settings
        self.capabilities: Capabilities = backend.capabilities
        if backend.capabilities.runs_out_of_process:  # a server's answer is awaited no longer than a query may run
            backend.timeout = min(backend.timeout, settings.query_timeout)  # type: ignore[attr-defined]
        self.runner = runner or workers.ThreadRunner(
            backend, settings.query_timeout, sandboxed=not backend.capabilities.runs_out_of_process)
        # Writes run in the caller's process on the writable handle, in a sandboxed thread (LOAD and SERVICE
        # in an admin's update can then open no socket either).
        self._writer = workers.ThreadRunner(backend, settings.query_timeout, threads=1,
                                            sandboxed=not backend.capabilities.runs_out_of_process)
        self.memo = AnswerMemo()
        #: called after every write (the web service warms its pages' answers again)
        self.on_change: list[Callable[[], None]] = []

    # -- reading --------------------------------------------------------------
    def _job(self, text: str, bindings: Mapping[str, Node] | None, dataset: DatasetSpec | None,
             base_iri: str | None, max_rows: Any, media: str | None) -> QueryJob:
        checked = precheck(text, max_chars=self.settings.max_query_chars)
        rows = self.settings.max_rows if max_rows is DEFAULT else max_rows
        return QueryJob(checked.text, dict(bindings or {}), dataset, base_iri, rows,
                        self.settings.max_answer_bytes, media)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, dataset: DatasetSpec | None = None,
              base_iri: str | None = None, *, max_rows: Any = DEFAULT, timeout: float | None = None) -> Answer:
        job = self._job(sparql, bindings, dataset, base_iri, max_rows, None)
        try:
            given = tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple, set, frozenset)) else v)
                                 for k, v in job.bindings.items()))
            key: Hashable = (self.version(), job.text, given, repr(dataset), base_iri, job.max_rows)
            hash(key)
        except TypeError:  # a binding or dataset that cannot be hashed: not kept
            return workers.run(self.runner, job, timeout)
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        answer = workers.run(self.runner, job, timeout)
        self.memo.put(key, answer)
        return answer

    def serialised(self, sparql: str, media: str, bindings: Mapping[str, Node] | None = None,
                   dataset: DatasetSpec | None = None, base_iri: str | None = None) -> Future:
        """A future of ``(media type, bytes)``: the answer serialised where it ran, bounded in rows and bytes.
        The web awaits it (``asyncio.wrap_future``) without holding a thread."""
        return self.runner.submit(self._job(sparql, bindings, dataset, base_iri, DEFAULT, media))

    def submit(self, job: workers.Job, timeout: float | None = None) -> Future:
        """Run other bounded work (entry validation) where queries run."""
        return self.runner.submit(job, timeout)

    def graph(self, name: URIRef) -> Graph:
        return self.backend.graph(name)

    def named_graphs(self) -> list[URIRef]:
        return self.backend.named_graphs()

    def version(self) -> Hashable:
        return self.backend.version()

    def triples(self) -> int:
        return self.backend.triples()

    # -- writing --------------------------------------------------------------
    def update(self, sparql: str) -> None:
        checked = precheck(sparql, max_chars=self.settings.max_query_chars, allow_update=True)
        workers.run(self._writer, UpdateJob(checked.text))
        self._changed()

    def add(self, graph: Graph, name: URIRef) -> None:
        self.backend.add(graph, name)
        self._changed()

    def remove_graph(self, name: URIRef) -> None:
        self.backend.remove_graph(name)
        self._changed()

    def replace_graphs(self, drop: Iterable[URIRef], add: Mapping[URIRef, Graph]) -> None:
        self.backend.replace_graphs(drop, add)
        self._changed()

    def load(self, files: Iterable[Path] | None = None, *, force: bool = False) -> list[Path]:
        changed = self.backend.load(files, force=force)
        self._changed()
        return changed

    def _changed(self) -> None:
        """After a write: workers reopen the store; answers of older versions are dropped (their keys could
        not match again, but they hold memory)."""
        self.runner.refresh()
        self.memo.clear()
        for callback in self.on_change:
            callback()

    def close(self) -> None:
        self.runner.close()
        self._writer.close()
        self.backend.close()

    def __enter__(self) -> BoundedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_backend(cfg: StoreConfig, *, load: bool = True, writer: bool = True) -> tuple[Store, str | None]:
    """The configured backend, and a note for the user when it could only be opened read-only.

    An embedded store held by another process (a running ``serve``) is opened read-only for readers
    (``writer=False``): they answer from its current content.
    """
    if cfg.remote:
        from .remote import Endpoints, RemoteStore

        auth = None
        if cfg.user:
            import httpx

            auth = (httpx.DigestAuth if cfg.auth == "digest" else httpx.BasicAuth)(cfg.user, cfg.password or "")
        store = RemoteStore(Endpoints.from_url(cfg.url, cfg.update, cfg.gsp),  # type: ignore[arg-type]
                            timeout=cfg.timeout, union=cfg.union, auth=auth)  # type: ignore[arg-type]
        return store, None
    from .embedded import OxigraphStore, open_embedded

    try:
        return open_embedded(cfg.directory, load=load), None
    except StoreUnavailable:
        if writer or not cfg.directory.exists():
            raise
    store = OxigraphStore(cfg.directory, read_only=True)
    stale = store.stale()
    note = (f"the store at {cfg.directory} is in use by another process (a running `legalgraph serve`?): "
            "answering read-only from its current content")
    if stale:
        note += f"; {len(stale)} source file(s) changed since it was built (stop the other process and run again)"
    return store, note


def open_store(settings: Settings, *, workers_: bool = False, load: bool = True, writer: bool = True) -> BoundedStore:
    """The configured store, bounded. ``workers_``: run queries in worker processes (the web service)."""
    backend, note = open_backend(settings.store, load=load, writer=writer)
    runner = None
    spec = backend.capabilities.worker_spec
    if workers_ and spec is not None:
        try:
            runner = workers.WorkerPool(spec, size=settings.workers, timeout=settings.query_timeout,
                                        queue=settings.queue, memory_mb=settings.worker_memory_mb)
        except (OSError, LegalgraphError):
            runner = None
    bounded = BoundedStore(backend, settings, runner)
    bounded.note = note  # type: ignore[attr-defined]
    return bounded
