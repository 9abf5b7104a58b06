"""The web service: SPARQL endpoint, linked-data pages, canned queries, comparison and validation.

``create_app()`` builds the FastAPI application around a store; the store, the bounded query runner and
the settings live on ``app.state`` and reach handlers through the dependencies in ``deps.py``.
"""

from __future__ import annotations

import hashlib
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..config import load_config, open_configured
from ..runner import QueryRunner
from ..store import Store, source_files
from . import compare, entries, graph, pages, sparql
from .security import SecurityHeaders
from .settings import Settings

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """A knowledge graph of domestic-violence law and perpetrator programmes in Kazakhstan,
Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan, from the OSCE/UNFPA mapping report. Every fact carries
its report section. The SPARQL endpoint is read-only, makes no outbound requests, and bounds query time,
result size and request size."""


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
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(message: str, scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse(message, status_code=413)(scope, receive, send)


def data_version() -> str:
    digest = hashlib.sha256()
    for p in source_files():
        digest.update(p.read_bytes())
    return digest.hexdigest()[:12]


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.runner.close()

    app = FastAPI(title="legalgraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  openapi_tags=[{"name": "SPARQL", "description": "SPARQL 1.1 Protocol endpoint"},
                                {"name": "Linked data", "description": "Dereferenceable project IRIs"},
                                {"name": "Canned queries", "description": "The comparative query library"},
                                {"name": "Validation", "description": "SHACL validation of entries"},
                                {"name": "Pages", "description": "Pages for people, each with a JSON twin"},
                                {"name": "Graph", "description": "Interactive network view"}])
    app.state.settings = settings
    if store is None:  # the configured store: LEGALGRAPH_STORE, legalgraph.toml, or the embedded default
        store = open_configured(load_config(str(settings.data_dir) if settings.data_dir else None))
    app.state.store = store
    app.state.runner = QueryRunner(app.state.store, settings.query_timeout, settings.max_rows, settings.workers)
    app.state.data_version = data_version()
    app.state.findings = {}  # benchmark results per entity page, keyed by (store size, IRI)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)  # outermost of ours: 413s get the headers too
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (sparql, entries, compare, graph, pages):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        """Swagger UI from the vendored swagger-ui-dist, started by /static/docs.js (no inline script)."""
        return pages.TEMPLATES.TemplateResponse(request, "docs.html", {"title": "legalgraph API",
                                                                       "openapi_url": app.openapi_url})

    return app
