"""A real Oxigraph server for the remote-store tests, started on loopback and stopped when the session ends.

The server is the ``oxigraph`` package's own ``serve`` command (a test dependency in pyproject.toml), run
in-memory on a free port of 127.0.0.1. ``oxigraph_url`` is its query endpoint; ``remote_store`` is a
:class:`~legalgraph.store.remote.RemoteStore` on it with the shipped graph loaded by ``load`` (the code path of
``legalgraph load --store URL``). Tests that write must use ``fresh_oxigraph`` instead.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from legalgraph.store.remote import Endpoints, RemoteStore


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed next to this Python (the venv), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the `oxigraph` command is missing: install the test extra (pip install -e '.[test]')")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(*extra: str, timeout: float = 20.0) -> Iterator[str]:
    """Run ``oxigraph serve`` in memory on a free loopback port; yield the query URL; stop it afterwards."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve did not answer on port {port} within {timeout} s")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def oxigraph_url() -> Iterator[str]:
    """Query URL of a session-wide Oxigraph server holding the shipped graph (read-only use)."""
    with oxigraph_server() as url:
        with RemoteStore(Endpoints.from_url(url)) as store:
            store.load()
        yield url


@pytest.fixture(scope="session")
def remote_store(oxigraph_url: str) -> Iterator[RemoteStore]:
    with RemoteStore(Endpoints.from_url(oxigraph_url)) as store:
        yield store


@pytest.fixture
def fresh_oxigraph() -> Iterator[str]:
    """An empty Oxigraph server of one's own, for tests that write."""
    with oxigraph_server() as url:
        yield url
