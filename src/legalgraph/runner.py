"""Running untrusted queries within bounds: time, rows, and a worker that can be killed.

Neither rdflib nor Oxigraph can cancel a running query, so queries from the public endpoint run in a pool of
worker processes, each holding a read-only handle on the persisted store (a remote store is bounded by its
HTTP client's timeout instead). A query that outlives its time
bound has its pool terminated and replaced; the web worker that asked gets a clear error instead of
hanging. Results are capped in rows (or triples) inside the worker, before anything is serialised.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Mapping
from pathlib import Path

from rdflib.term import Node

from .remote import RemoteStore
from .store import OxigraphStore, QueryResult, QueryTimeout, ResultTooLarge, Store

__all__ = ["QueryRunner", "QueryTimeout", "ResultTooLarge"]

_WORKER_STORE: OxigraphStore | None = None


def _init_worker(path: str) -> None:
    global _WORKER_STORE
    _WORKER_STORE = OxigraphStore(Path(path), read_only=True)


def _cap(result: QueryResult, max_rows: int) -> QueryResult:
    if result.kind == "select" and len(result.rows) > max_rows:
        raise ResultTooLarge(f"the result has more than {max_rows} rows")
    if result.kind == "graph" and result.graph is not None and len(result.graph) > max_rows:
        raise ResultTooLarge(f"the result has more than {max_rows} triples")
    return result


def _run_in_worker(text: str, bindings: dict[str, Node] | None, max_rows: int,
                   dataset: tuple[list[str], list[str]] | None) -> QueryResult:
    assert _WORKER_STORE is not None
    return _cap(_WORKER_STORE.query(text, bindings, dataset=dataset), max_rows)


class QueryRunner:
    """Runs read-only queries against ``store`` within ``timeout`` seconds and ``max_rows`` rows."""

    def __init__(self, store: Store, timeout: float = 10.0, max_rows: int = 10_000, workers: int = 2):
        self.store, self.timeout, self.max_rows, self.workers = store, timeout, max_rows, workers
        self._path = getattr(store, "path", None)
        self._lock = threading.Lock()
        self._pool: mp.pool.Pool | None = None

    def _get_pool(self) -> mp.pool.Pool | None:
        if self._path is None:
            return None  # an in-memory store cannot be shared with workers: run in-process, unbounded in time
        with self._lock:
            if self._pool is None:
                ctx = mp.get_context("spawn")
                self._pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(str(self._path),))
            return self._pool

    def restart(self) -> None:
        """Drop the workers (after a write, so that new workers see it; or after a timeout)."""
        with self._lock:
            if self._pool is not None:
                self._pool.terminate()
                self._pool.join()
                self._pool = None

    close = restart

    def run(self, text: str, bindings: Mapping[str, Node] | None = None,
            dataset: tuple[list[str], list[str]] | None = None) -> QueryResult:
        if isinstance(self.store, RemoteStore):  # the HTTP client's time bound abandons a slow query
            return _cap(self.store.query(text, bindings, dataset, timeout=self.timeout), self.max_rows)
        pool = self._get_pool()
        if pool is None:
            return _cap(self.store.query(text, bindings, dataset=dataset), self.max_rows)  # type: ignore[call-arg]
        pending = pool.apply_async(_run_in_worker, (text, dict(bindings or {}), self.max_rows, dataset))
        try:
            return pending.get(self.timeout)
        except mp.TimeoutError:
            self.restart()
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped") from None
