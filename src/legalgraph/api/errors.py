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
from starlette.routing import Match, Route

from .. import i18n
from ..errors import BadInput, LegalgraphError, NotFound, clip
from ..i18n import N_
from .negotiation import wants_machine
from .rendering import page_language, render_page

log = logging.getLogger("legalgraph")

#: An error page's heading, by kind (the JSON answer keeps the kind itself)
TITLES = {"error": N_("Error"), "bad-input": N_("Bad input"), "not-found": N_("Not found"),
          "refused": N_("Refused"), "unauthorised": N_("Unauthorised"), "not-acceptable": N_("Not acceptable"),
          "unsupported-media-type": N_("Unsupported media type"), "too-large": N_("Too large"),
          "timed-out": N_("Timed out"), "busy": N_("Busy"), "store-unavailable": N_("Store unavailable"),
          "conflict": N_("Conflict"), "violations": N_("Violations"), "method-not-allowed": N_("Method not allowed"),
          "internal": N_("Internal error")}
#: Messages this module words itself, shown translated on pages
NO_PAGE, UNEXPECTED = N_("no page at %(path)s"), N_("an unexpected error occurred; it has been logged")


def answer(request: Request, err: LegalgraphError) -> Response:
    # Which request met which error: the operator's (and a failed test's) first clue, never shown to clients.
    log.info("%s %r -> %d %s: %r", request.method, clip(request.url.path), err.status, err.kind, err.message)
    headers = dict(err.headers)
    if wants_machine(request):
        return JSONResponse(err.body(), status_code=err.status, headers=headers)
    search = None
    if isinstance(err, NotFound) and request.url.path.startswith(("/id/", "/vocab/", "/ontology/")):
        search = clip(request.url.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " "))
    title = TITLES.get(err.kind, err.kind.replace("-", " ").capitalize())
    message, translated = err.message, False
    with i18n.using(page_language(request)):
        title = i18n.gettext(title)
        path = clip(request.url.path)
        if isinstance(err, NotFound) and err.message == NO_PAGE % {"path": path}:
            message, translated = i18n.gettext(NO_PAGE) % {"path": path}, True
        elif err.kind == "internal":
            message, translated = i18n.gettext(UNEXPECTED), True
    return render_page(request, "error.html", {"title": title, "message": message, "translated": translated,
                                               "error": err.body(), "search": search},
                       status=err.status, headers=headers)


def allowed(request: Request) -> list[str]:
    """The methods some route answers at the request's path (HEAD wherever GET is): a 405's Allow header."""
    methods: set[str] = set()
    scope = {**request.scope, "method": "GET"}
    routes = list(request.app.router.routes)
    while routes:
        route = routes.pop()
        if (included := getattr(route, "original_router", None)) is not None:  # FastAPI's included routers
            routes.extend(included.routes)
        elif isinstance(route, Route) and route.methods and route.matches(scope)[0] != Match.NONE:
            methods |= set(route.methods)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


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
            return answer(request, NotFound(NO_PAGE % {"path": clip(request.url.path)}, hint="start at / or /docs"))
        if exc.status_code == 400:  # Starlette's own (an unreadable form): the request's body is at fault
            return answer(request, BadInput(f"the request body is malformed: {exc.detail}", where="body",
                                            hint="send a well-formed body (a multipart form needs its boundary "
                                                 "in Content-Type and a closing boundary)"))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allow = allowed(request)
            headers["Allow"] = ", ".join(allow)
            err = LegalgraphError(f"{request.method} is not allowed on {clip(request.url.path)}",
                                  valid=allow, hint=f"use {' or '.join(allow)}", headers=headers)
            err.kind = "method-not-allowed"  # type: ignore[misc]
        else:
            err = LegalgraphError(str(exc.detail), headers=headers)
        err.status = exc.status_code  # type: ignore[misc]
        return answer(request, err)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        err = LegalgraphError(UNEXPECTED)
        err.status, err.kind = 500, "internal"  # type: ignore[misc]
        return answer(request, err)
