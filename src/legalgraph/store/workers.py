"""Where bounded work runs: killable worker processes (the web service) or sandboxed threads (the CLI, tests).

Neither rdflib nor Oxigraph can cancel a running query, and their parsers can crash a process on hostile
nesting. So the web service runs queries and entry validation in a pool of worker processes, each holding a
read-only handle on the embedded store, its memory capped and its sockets forbidden (:mod:`.sandbox`):

* a job waits in a bounded queue for an idle worker (admission control: past the bound, :class:`Busy`, which
  the web answers with 503 and ``Retry-After``); its time bound counts from the moment a worker takes it;
* a job past its bound has its worker killed and replaced: other clients' jobs are untouched;
* a worker that dies (a parser crash, the memory cap) fails its job with a clear error and is replaced;
* callers wait without holding a thread: :meth:`WorkerPool.submit` returns a future, which the web awaits.

After a write the pool's generation goes up; each worker reopens its read-only handle before its next job.

:class:`ThreadRunner` offers the same interface in-process, for stores that other processes cannot open (the
in-memory stores of the tests), a remote store (its client bounds time), and the one-shot CLI, where a thread
past its bound is abandoned and the process exits soon after.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing as mp
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import BadInput, Busy, LegalgraphError, StoreUnavailable, TimedOut, TooLarge
from . import sandbox

Job = Callable[[Any], Any]


class Runner(Protocol):
    def submit(self, job: Job, timeout: float | None = None) -> cf.Future: ...

    def refresh(self) -> None: ...

    def open(self) -> None: ...

    def close(self) -> None: ...


def run(runner: Runner, job: Job, timeout: float | None = None) -> Any:
    """Run ``job`` and wait for it, in the calling thread (for synchronous callers)."""
    return runner.submit(job, timeout).result()


# ------------------------------------------------------------------ in-process

class ThreadRunner:
    """Jobs on a few daemon threads of this process, sandboxed unless the store itself needs the network."""

    def __init__(self, store: Any, timeout: float, *, threads: int = 4, sandboxed: bool = True) -> None:
        self.store, self.timeout, self.sandboxed = store, timeout, sandboxed
        self._threads, self._lock, self._busy = threads, threading.Lock(), 0
        self.sandbox_active = False

    def submit(self, job: Job, timeout: float | None = None) -> cf.Future:
        outer: cf.Future = cf.Future()
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            if self._busy >= self._threads * 4:
                raise Busy("too many requests are running already", hint="try again in a few seconds",
                           headers={"Retry-After": "2"})
            self._busy += 1
        inner: cf.Future = cf.Future()

        def work() -> None:
            try:
                if self.sandboxed:
                    self.sandbox_active = sandbox.install()
                inner.set_result(job(self.store))
            except BaseException as exc:
                inner.set_exception(_as_error(exc))
            finally:
                with self._lock:
                    self._busy -= 1

        threading.Thread(target=work, daemon=True, name="legalgraph-job").start()

        def wait() -> None:
            try:
                outer.set_result(inner.result(limit))
            except cf.TimeoutError:
                outer.set_exception(TimedOut(f"the request ran longer than {limit:g} s and was stopped",
                                             hint="narrow the query (more constraints, LIMIT)"))
            except BaseException as exc:
                outer.set_exception(exc)

        threading.Thread(target=wait, daemon=True, name="legalgraph-wait").start()
        return outer

    def refresh(self) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass


def _as_error(exc: BaseException) -> BaseException:
    if isinstance(exc, LegalgraphError):
        return exc
    if isinstance(exc, RecursionError):
        return TooLarge("the request is nested too deeply to process", hint="flatten it")
    if isinstance(exc, MemoryError):
        return TooLarge("the request needs more memory than a worker may use", hint="narrow it")
    return exc


# ------------------------------------------------------------------ worker processes

def _open(spec: tuple[str, str]) -> Any:
    kind, where = spec
    if kind == "embedded":
        from .embedded import OxigraphStore

        return OxigraphStore(Path(where), read_only=True)
    raise ValueError(f"no worker for a {kind} store")


def _worker_main(conn: Any, spec: tuple[str, str], memory_mb: int, start: int | None = None) -> None:
    """A worker's life: cap memory, forbid sockets, open the store read-only, then answer jobs until told to stop.

    The start-up work (the SPARQL grammar's import and build, the store's opening) is done before the worker
    says it is ready, so that it never counts against a job's time bound: under load, a replacement worker's
    first trivial query ran past a 3 s bound on that work alone."""
    limit = memory_mb * 2**20
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sandboxed = sandbox.install()
    store, generation = None, None
    try:
        from .guard import check

        check("ASK {}")
        store, generation = _open(spec), start
    except Exception:  # the first job opens the store again and reports what fails
        store, generation = None, None
    conn.send(("ready", sandboxed))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, wanted = message
        try:
            if store is None or wanted != generation:
                if store is not None:
                    store.close()
                store, generation = _open(spec), wanted
            try:
                reply = ("ok", job(store))
            except (OSError, RuntimeError, StoreUnavailable) as exc:
                if isinstance(exc, (PermissionError, ConnectionError)):  # the sandbox: no retry can change it
                    raise
                # While the writing process compacts, files the read-only handle's manifest lists can vanish
                # under it (a read then fails with an I/O error): reopen on the new manifest and run once more.
                store.close()
                store = None  # if the reopen fails, the next job opens afresh rather than use a closed handle
                store = _open(spec)
                reply = ("ok", job(store))
        except BaseException as exc:
            err = _as_error(exc)
            if not isinstance(err, LegalgraphError):
                err = BadInput(f"the request failed: {type(exc).__name__}: {exc}")
            reply = ("err", err)
        try:
            conn.send(reply)
        except Exception as exc:
            conn.send(("err", BadInput(f"the answer could not be returned: {exc}")))


@dataclass
class _Task:
    job: Job
    timeout: float
    future: cf.Future
    queued: float = field(default_factory=time.monotonic)


@dataclass
class _Worker:
    process: Any
    conn: Any
    task: _Task | None = None
    started: float = 0.0
    ready: bool = False


class WorkerPool:
    """``size`` worker processes on the store described by ``spec``. See the module docstring."""

    def __init__(self, spec: tuple[str, str], *, size: int = 2, timeout: float = 10.0, queue: int = 32,
                 memory_mb: int = 2048) -> None:
        self.spec, self.size, self.timeout, self.queue_bound, self.memory_mb = spec, size, timeout, queue, memory_mb
        self._ctx = mp.get_context("forkserver")
        self._cond = threading.Condition()
        self._pending: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._generation = 0
        self._closed = False
        self.sandbox_active: bool | None = None
        self.replaced = 0  # workers killed (time bound) or died, for tests and logs
        self._failed_starts, self._broken = 0, None
        self.open()

    def open(self) -> None:
        """Start the workers and the dispatcher (again, after :meth:`close`: an app's lifespan may restart)."""
        with self._cond:
            if self._workers and not self._closed:
                return
            self._closed, self._workers = False, [self._start() for _ in range(self.size)]
        self._dispatcher = threading.Thread(target=self._dispatch, daemon=True, name="legalgraph-dispatch")
        self._dispatcher.start()

    # -- public -------------------------------------------------------------
    def submit(self, job: Job, timeout: float | None = None) -> cf.Future:
        future: cf.Future = cf.Future()
        with self._cond:
            if self._closed:
                raise StoreUnavailable("the service is shutting down")
            if self._broken is not None:
                raise self._broken
            if len(self._pending) >= self.queue_bound:
                raise Busy(f"{len(self._pending)} requests are waiting already", hint="try again in a few seconds",
                           headers={"Retry-After": "2"})
            self._pending.append(_Task(job, self.timeout if timeout is None else timeout, future))
            self._cond.notify_all()
        return future

    def refresh(self) -> None:
        """The store was written: workers reopen their read-only handle before their next job."""
        with self._cond:
            self._generation += 1

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            for task in self._pending:
                task.future.set_exception(StoreUnavailable("the service is shutting down"))
            self._pending.clear()
            self._cond.notify_all()
            workers = list(self._workers)
        for w in workers:
            with contextlib.suppress(Exception):
                w.conn.send(None)
        for w in workers:
            w.process.join(1)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(1)
        with self._cond:
            self._workers = []

    def pids(self) -> list[int]:
        with self._cond:
            return [w.process.pid for w in self._workers]

    # -- internals ----------------------------------------------------------
    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.spec, self.memory_mb, self._generation),
                                    daemon=True, name="legalgraph-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        threading.Thread(target=self._read, args=(worker,), daemon=True, name="legalgraph-read").start()
        return worker

    def _read(self, worker: _Worker) -> None:
        """Wait for the worker's replies; hand each to its caller's future."""
        while True:
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                self._died(worker)
                return
            with self._cond:
                if status == "ready":
                    worker.ready = True
                    self.sandbox_active = value if self.sandbox_active is None else self.sandbox_active and value
                    self._cond.notify_all()
                    continue
                task, worker.task = worker.task, None
                self._cond.notify_all()
            if task is not None and not task.future.done():
                if status == "ok":
                    task.future.set_result(value)
                else:
                    task.future.set_exception(value)

    def _died(self, worker: _Worker) -> None:
        with self._cond:
            if worker not in self._workers:
                return  # killed on purpose and already replaced
            task = worker.task
            self._workers.remove(worker)
            self.replaced += 1
            # A worker that dies before it is ready cannot open the store: replacing it forever would only spin.
            self._failed_starts = 0 if worker.ready else self._failed_starts + 1
            if self._failed_starts >= 3:
                self._broken = StoreUnavailable(
                    f"the query workers cannot start (exit code {worker.process.exitcode})",
                    hint="check that the store directory exists and is readable; see the server's log")
                for pending in self._pending:
                    pending.future.set_exception(self._broken)
                self._pending.clear()
            elif not self._closed:
                self._workers.append(self._start())
            self._cond.notify_all()
        worker.process.join(1)
        if task is not None and not task.future.done():
            code = worker.process.exitcode
            task.future.set_exception(TooLarge(
                f"the request stopped the worker that ran it (exit code {code}): it is too large or too complex",
                hint="simplify it (less nesting, fewer results)"))

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                now = time.monotonic()
                for worker in list(self._workers):
                    task = worker.task
                    if task is not None and now - worker.started > task.timeout:
                        self._kill(worker, task)
                idle = [w for w in self._workers if w.ready and w.task is None and w.process.is_alive()]
                while self._pending and idle:
                    task = self._pending.popleft()
                    if task.future.cancelled():
                        continue
                    worker = idle.pop()
                    worker.task, worker.started = task, time.monotonic()
                    try:
                        worker.conn.send((task.job, self._generation))
                    except Exception as exc:
                        worker.task = None
                        task.future.set_exception(BadInput(f"the request could not be sent to a worker: {exc}"))
                        idle.append(worker)
                deadlines = [w.started + w.task.timeout for w in self._workers if w.task is not None]
                wait = max(0.005, min(deadlines) - time.monotonic()) if deadlines else 1.0
                self._cond.wait(wait)

    def _kill(self, worker: _Worker, task: _Task) -> None:
        """Called with the lock held: stop a worker past its bound, fail its task, start a replacement."""
        self._workers.remove(worker)
        self.replaced += 1
        worker.task = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.process.pid, 9)
        self._workers.append(self._start())
        if not task.future.done():
            task.future.set_exception(TimedOut(
                f"the request ran longer than {task.timeout:g} s and was stopped",
                hint="narrow the query (add constraints or LIMIT); the bound is LEGALGRAPH_QUERY_TIMEOUT"))
