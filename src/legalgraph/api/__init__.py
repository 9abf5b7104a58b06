"""The web service: SPARQL endpoint, linked-data pages, canned queries, comparison and validation.

``create_app()`` builds the FastAPI application around a store; the store, the bounded query runner and
the settings live on ``app.state`` and reach handlers through the dependencies in ``deps.py``.
"""

from __future__ import annotations

import hashlib
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware

from .. import __version__
from ..config import load_config, open_configured
from ..runner import QueryRunner
from ..store import Store, source_files
from . import compare, entries, graph, pages, sparql
from .settings import Settings

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """A knowledge graph of domestic-violence law and perpetrator programmes in Kazakhstan,
Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan, from the OSCE/UNFPA mapping report. Every fact carries
its report section. The SPARQL endpoint is read-only, makes no outbound requests, and bounds query time,
result size and request size."""


class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies over the bound before reading them (413)."""

    def __init__(self, app, max_bytes: int):
        super().__init__(app)
        self.max_bytes = max_bytes

    async def dispatch(self, request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return PlainTextResponse(
                f"request body of {length} bytes is over the {self.max_bytes}-byte bound "
                "(LEGALGRAPH_MAX_REQUEST_BYTES)\n", status_code=413)
        if request.method in ("POST", "PUT") and length is None:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > self.max_bytes:
                    return PlainTextResponse(f"request body is over the {self.max_bytes}-byte bound\n",
                                             status_code=413)
            request._body = body  # re-used by the handler
        return await call_next(request)


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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (sparql, entries, compare, graph, pages):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the vendored swagger-ui-dist (FastAPI's default loads it from a CDN)."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="legalgraph API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    return app
