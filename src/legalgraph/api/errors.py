"""The one mapping from errors to HTTP answers: JSON for machines, an HTML page for people, one shape.

Every :class:`~legalgraph.errors.LegalgraphError` becomes its status with ``{"error": kind, "message": …}``
(plus ``where``, ``line``, ``column``, ``valid``, ``hint`` when known). FastAPI's own parameter errors and
unknown routes are answered in the same shape; anything else is a 500 in the same shape, never a traceback.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import BadInput, LegalgraphError, NotFound
from .negotiation import wants_machine
from .rendering import render_page

log = logging.getLogger("legalgraph")


def answer(request: Request, err: LegalgraphError) -> Response:
    headers = dict(err.headers)
    if wants_machine(request):
        return JSONResponse(err.body(), status_code=err.status, headers=headers)
    search = None
    if isinstance(err, NotFound) and request.url.path.startswith(("/id/", "/vocab/", "/ontology/")):
        search = request.url.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ")
    return render_page(request, "error.html", {"title": err.kind.replace("-", " ").capitalize(),
                                               "message": err.message, "error": err.body(), "search": search},
                       status=err.status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(LegalgraphError)
    async def _ours(request: Request, exc: LegalgraphError) -> Response:
        return answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _parameters(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return answer(request, BadInput("; ".join(problems) or "invalid request",
                                        where=", ".join(str(e.get("loc", ("?",))[-1]) for e in exc.errors())))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return answer(request, NotFound(f"no page at {request.url.path}", hint="start at / or /docs"))
        err = LegalgraphError(str(exc.detail))
        err.status = exc.status_code  # type: ignore[misc]
        err.kind = "method-not-allowed" if exc.status_code == 405 else "error"  # type: ignore[misc]
        return answer(request, err)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        err = LegalgraphError("an unexpected error occurred; it has been logged")
        err.status, err.kind = 500, "internal"  # type: ignore[misc]
        return answer(request, err)
