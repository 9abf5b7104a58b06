"""Browser-test support: a live uvicorn server for an ASGI app, and headless Debian Chromium through Playwright.

Playwright never downloads a browser here: it drives /usr/bin/chromium (Debian's package, installed by ./dev),
or the browser named by $CHROMIUM.

- ``serve_app(app)``: context manager; serves any ASGI app (a FastAPI object) on 127.0.0.1 at a free port in a
  background thread, waits until it answers, yields the base URL and stops the server afterwards.
- ``chromium_browser`` (module scope) and ``browser_page`` (function scope) fixtures: a new browser context and
  page per test; at teardown a screenshot goes to test-artifacts/<test name>.png.
- ``watch(page)``: records console errors, uncaught page errors, failed requests and requests to any host other
  than 127.0.0.1, for the test to assert on.

Use the fixtures by naming this module as a plugin (``pytest_plugins = ["browser_support"]``) in the root
conftest or in a test module.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying hosts that this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1"})


@contextmanager
def serve_app(app, *, timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 at a free port; yield its base URL (no trailing slash)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the port stays ours: uvicorn serves on this very socket
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if not thread.is_alive():
                raise RuntimeError(f"uvicorn stopped before it answered on {base}")
            if server.started:
                try:
                    httpx.get(base + "/", timeout=2.0)  # any status will do: the server answers
                    break
                except httpx.TransportError:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer on {base} within {timeout} s")
            time.sleep(0.05)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serve_shipped(directory: Path) -> Iterator[str]:
    """The web service on the shipped graph, built in ``directory``, served on loopback; yields its base URL."""
    from legalgraph.api import create_app
    from legalgraph.settings import Settings
    from legalgraph.store.embedded import OxigraphStore

    store = OxigraphStore(directory)
    store.load()
    try:
        with serve_app(create_app(Settings(query_timeout=10), store)) as url:
            yield url
    finally:
        store.close()


@dataclass
class PageWatch:
    """What a page did that a test usually wants to be empty."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, list[str]]:
        return {k: v for k, v in vars(self).items() if v}


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine's 127.0.0.1 (and data:, blob:, about: URLs, which have no host)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS


def watch(page) -> PageWatch:
    """Attach listeners to a Playwright page; call before ``page.goto``."""
    seen = PageWatch()
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: seen.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("request", lambda r: None if is_local(r.url) else seen.outside_requests.append(r.url))
    return seen


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodename).strip("_") or "test"


@pytest.fixture(scope="module")
def chromium_browser():
    """Debian's headless Chromium, launched once per test module through playwright.sync_api."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (./dev setup does, as root)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium_browser, request):
    """A fresh page in its own browser context; screenshot to test-artifacts/<test name>.png at teardown."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{_artifact_name(request.node.name)}.png"), full_page=True)
        except Exception as exc:  # a missing screenshot must not hide the test's own outcome
            warnings.warn(f"no screenshot for {request.node.name}: {exc}", stacklevel=1)
        finally:
            context.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def serious_axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now. Injected through the DevTools
    protocol, so the page's CSP does not apply and users never get it (axe is vendored for the tests only)."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run bash web/vendor.sh (it copies axe-core from npm for the tests)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => { const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})); }""")
