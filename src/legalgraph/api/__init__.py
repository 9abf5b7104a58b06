"""The web service: SPARQL endpoint, linked-data pages, canned queries, comparison and validation.

``create_app()`` builds the FastAPI application around the configured store (a
:class:`~legalgraph.store.BoundedStore` whose queries run in killable workers); the store, the settings and the
answer cache live on ``app.state`` and reach handlers through ``deps.py``. Errors are answered by
``errors.py``, in one shape.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import RequestTooLarge
from ..settings import Settings
from ..store import BoundedStore, Store, data_version, open_store
from ..store.workers import WorkerPool
from . import errors
from .language import Language
from .rendering import TEMPLATES
from .routes import brief, compare, editor, endpoint, entries, graph, pages
from .security import SecurityHeaders, replay

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """A knowledge graph of domestic-violence law and perpetrator programmes in Kazakhstan,
Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan, from the OSCE/UNFPA mapping report. Every fact carries
its report section. The SPARQL endpoint is read-only, makes no outbound requests, and bounds query time,
result size and request size. Errors are JSON objects `{"error": kind, "message": ..., "hint": ...}`."""


class BodyLimit:
    """Refuse request bodies over the bound (413) before a handler reads them.

    Plain ASGI rather than Starlette's BaseHTTPMiddleware, which costs every request an extra task and a
    copy of the response stream. A body of unknown length (chunked) is read here up to the bound, then
    handed on whole.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._refuse(f"request body of {length} bytes is over the {self.max_bytes}-byte bound "
                                      "(LEGALGRAPH_MAX_REQUEST_BYTES)\n", scope, receive, send)
        if scope["method"] not in ("POST", "PUT") or length is not None:
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return None
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                return await self._refuse(f"request body is over the {self.max_bytes}-byte bound "
                                          "(LEGALGRAPH_MAX_REQUEST_BYTES)\n", scope, receive, send)
        return await self.app(scope, replay(body, receive), send)

    @staticmethod
    async def _refuse(message: str, scope: Scope, receive: Receive, send: Send) -> None:
        err = RequestTooLarge(message.strip(), hint="send a smaller body")
        await JSONResponse(err.body(), status_code=err.status)(scope, receive, send)


class Head:
    """HEAD on every GET route: the request runs as a GET and the answer goes out with the GET's headers (its
    Content-Length too) and no body. FastAPI's routes answer GET only, so without this HEAD was a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        return await self.app({**scope, "method": "GET"}, receive, headers_only)


def warm(store: BoundedStore) -> None:
    """Compute what the busiest pages show before anyone asks (after start-up and after each write), so that
    the first visitors do not wait for it. Only answers the services keep per store version; errors are left
    for the request that meets them."""
    from ..services import benchmarks, brief, compare, entities, search

    try:
        entities.index(store)
        compare.build(store, 2023)
        benchmarks.assess(store)
        benchmarks.assess(store, as_of=2023)  # the country pages' findings, as of their default year
        search.search(store, "law")
        for slug, _ in entities.countries(store):
            brief.brief(store, slug)
    except Exception:  # warming is an optimisation: the request that needs the answer reports the error
        logging.getLogger(__name__).debug("warming the caches failed", exc_info=True)


def create_app(settings: Settings | None = None, store: Store | BoundedStore | None = None, *,
               warm_up: bool = False) -> FastAPI:
    """The application on ``store`` (a backend is wrapped in a bounded store with worker processes where it can
    be shared), or on the configured one. ``warm_up`` (what ``legalgraph serve`` asks for) computes the busiest
    pages' answers in the background after start-up and after every write."""
    settings = settings or Settings.load()
    if store is None:
        bounded = open_store(settings, workers_=True)
    elif isinstance(store, BoundedStore):
        bounded = store
    else:
        spec = store.capabilities.worker_spec
        runner = None
        if spec is not None and settings.workers > 0:
            runner = WorkerPool(spec, size=settings.workers, timeout=settings.query_timeout, queue=settings.queue,
                                memory_mb=settings.worker_memory_mb)
        bounded = BoundedStore(store, settings, runner)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        bounded.runner.open()
        if warm_up:
            def start_warming() -> None:
                threading.Thread(target=warm, args=(bounded,), name="legalgraph-warm", daemon=True).start()

            bounded.on_change.append(start_warming)
            start_warming()
        yield
        bounded.runner.close()

    app = FastAPI(title="legalgraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  openapi_tags=[{"name": "SPARQL", "description": "SPARQL 1.1 Protocol endpoint"},
                                {"name": "Linked data", "description": "Dereferenceable project IRIs"},
                                {"name": "Canned queries", "description": "The comparative query library"},
                                {"name": "Validation", "description": "SHACL validation of entries"},
                                {"name": "Pages", "description": "Pages for people, each with a JSON twin"},
                                {"name": "Graph", "description": "Interactive network view"}])
    app.state.settings = settings
    app.state.store = bounded
    app.state.data_version = data_version()
    app.state.answers = endpoint.AnswerCache()
    errors.install(app)
    app.add_middleware(Language)  # innermost of ours: handlers and error pages see the request's language
    app.add_middleware(endpoint.CachedAnswers, state=app.state)  # a repeated query, before routing
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(Head)
    app.add_middleware(SecurityHeaders)  # outermost of ours: 413s get the headers too
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (endpoint, editor, entries, compare, brief, graph, pages):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        """Swagger UI from the vendored swagger-ui-dist, started by /static/docs.js (no inline script)."""
        return TEMPLATES.TemplateResponse(request, "docs.html", {"title": "legalgraph API",
                                                                 "openapi_url": app.openapi_url})

    return app
