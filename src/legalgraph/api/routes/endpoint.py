"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only, bounded, no outbound requests, answers cached.

Queries are awaited, not run on a thread: they execute in the bounded store's workers, serialised there, and
the answer (which depends only on the query and the data version) is cached with an ETag, so that a repeated
query costs a dictionary lookup and a conditional request a 304.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import OrderedDict
from threading import Lock
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from ...errors import BadInput, LegalgraphError, NotAcceptable, UnsupportedMedia
from ...formats import GRAPH_TYPES, ROW_TYPES
from ...services import catalogue
from ...store.guard import Checked, precheck
from ..deps import SettingsDep, StoreDep
from ..negotiation import choose, wants_html
from ..rendering import render_page
from ..security import replay

router = APIRouter(tags=["SPARQL"])

EXAMPLE = catalogue.editor_example()
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")

ERRORS = {400: {"description": "Malformed query (with line and column), bad parameter"},
          403: {"description": "Update, SERVICE or LOAD refused"},
          406: {"description": "No acceptable result format"},
          413: {"description": "Request body over the bound"},
          415: {"description": "Unsupported request content type"},
          422: {"description": "Query or answer over a bound (characters, nesting, rows, bytes)"},
          503: {"description": "Too many requests waiting; retry after the Retry-After header"},
          504: {"description": "Query ran past the time bound"}}
ROWS_AND_GRAPHS = {m: {} for m in [*ROW_TYPES, *GRAPH_TYPES]}


class AnswerCache:
    """Serialised answers by (data version, query, dataset, media type, base): bounded in entries and bytes."""

    def __init__(self, entries: int = 512, max_bytes: int = 64 * 2**20) -> None:
        self.entries, self.max_bytes, self.bytes = entries, max_bytes, 0
        self._items: OrderedDict[tuple, tuple[str, bytes, str]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple) -> tuple[str, bytes, str] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, ctype: str, body: bytes) -> tuple[str, bytes, str]:
        etag = '"' + hashlib.sha256(repr(key).encode() + body).hexdigest()[:20] + '"'
        value = (ctype, body, etag)
        if len(body) > self.max_bytes // 8:
            return value
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self.bytes += len(body)
            while len(self._items) > self.entries or self.bytes > self.max_bytes:
                _, (_, old, _) = self._items.popitem(last=False)
                self.bytes -= len(old)
        return value


def _graphs(values: list[str], name: str) -> list[str]:
    for v in values:
        if not _IRI.match(v):
            raise BadInput(f"{name} {v!r} is not an absolute IRI", where=name)
    return values


def _base(request: Request) -> str:
    """The endpoint's own address under the application's root path: the base IRI its queries resolve
    relative IRIs against."""
    return f"{request.base_url}sparql"


def _plan(request: Request, checked: Checked, default_graphs: list[str], named_graphs: list[str],
          store) -> tuple[tuple, str, tuple[list[str], list[str]], str]:
    """What a query's answer is kept under, in which media type, on which dataset, with which base IRI: the
    one computation the route and :class:`CachedAnswers` share."""
    offered = ROW_TYPES if checked.form in ("SELECT", "ASK") else GRAPH_TYPES
    media = choose(request, offered, offered[0])
    if media is None:
        raise NotAcceptable(f"cannot answer a {checked.form} query as {request.headers.get('accept')}",
                            valid=offered, hint=f"ask for one of {', '.join(offered)}")
    dataset = (_graphs(default_graphs, "default-graph-uri"), _graphs(named_graphs, "named-graph-uri"))
    base = _base(request)
    return (store.version(), checked.text, tuple(dataset[0]), tuple(dataset[1]), media, base), media, dataset, base


def _answer(request: Request, hit: tuple[str, bytes, str]) -> Response:
    ctype, body, etag = hit
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ctype, headers=headers)


async def _execute(request: Request, text: str, default_graphs: list[str], named_graphs: list[str],
                   store, settings) -> Response:
    checked = precheck(text, max_chars=settings.max_query_chars, allow_update=settings.allow_update)
    if checked.form == "UPDATE":
        await run_in_threadpool(store.update, checked.text)
        request.app.state.answers = AnswerCache()
        return Response(status_code=204)
    key, media, dataset, base = _plan(request, checked, default_graphs, named_graphs, store)
    cache: AnswerCache = request.app.state.answers
    hit = cache.get(key)
    if hit is None:
        future = store.serialised(checked.text, media, dataset=dataset if dataset[0] or dataset[1] else None,
                                  base_iri=base)
        ctype, body = await asyncio.wrap_future(future)
        hit = cache.put(key, ctype, body)
    return _answer(request, hit)


class CachedAnswers:
    """A repeated query answered from the answer cache before the framework routes it (plain ASGI).

    Only the plainest requests: ``GET /sparql?query=…`` with no other parameter, and ``POST /sparql`` of an
    ``application/sparql-query`` body with no parameters, whose answer is already cached under the key
    :func:`_plan` computes. Everything else (a first query, an update, a form, dataset parameters, anything
    that is not in order) goes on to the route, which answers, refuses or caches it. Both read the cache the
    same way, so an answer is the same byte for byte, with the same ETag and headers, whichever path sent it.
    """

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "POST"):
            return await self.app(scope, receive, send)
        request = Request(scope)
        text: str | None = None
        if scope["method"] == "GET":
            params = request.query_params
            if list(params.keys()) == ["query"]:
                text = params["query"]
        elif not scope.get("query_string") and \
                request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/sparql-query":
            body, more = b"", True
            while more:  # BodyLimit has bounded it already
                message = await receive()
                if message["type"] != "http.request":
                    return None
                body += message.get("body", b"")
                more = message.get("more_body", False)
            receive = replay(body, receive)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        response = self._cached(request, text) if text is not None else None
        if response is None:
            return await self.app(scope, receive, send)
        return await response(scope, receive, send)

    def _cached(self, request: Request, text: str) -> Response | None:
        settings, store = self.state.settings, self.state.store
        try:
            checked = precheck(text, max_chars=settings.max_query_chars, allow_update=settings.allow_update)
            if checked.form == "UPDATE":
                return None
            key = _plan(request, checked, [], [], store)[0]
        except LegalgraphError:  # the route answers with the error
            return None
        hit = self.state.answers.get(key)
        return _answer(request, hit) if hit is not None else None




def _service_description(request: Request) -> Response:
    endpoint = _base(request)
    body = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat formats:SPARQL_Results_JSON , formats:SPARQL_Results_XML , formats:SPARQL_Results_CSV ,
        formats:SPARQL_Results_TSV , formats:Turtle , formats:N-Triples , formats:JSON-LD , formats:RDF_XML ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
    return Response(body, media_type="text/turtle")


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadInput(f"the request has {len(values)} '{name}' parameters; send exactly one", where=name)
    return values[0] if values else None


PROTOCOL_PARAMETERS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "The SPARQL query (at most one); without it, the editor or the service description"},
    {"name": "default-graph-uri", "in": "query", "required": False, "explode": True,
     "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "named-graph-uri", "in": "query", "required": False, "explode": True,
     "schema": {"type": "array", "items": {"type": "string"}}},
]


@router.get("/sparql", name="sparql_get", summary="SPARQL 1.1 query by GET",
            openapi_extra={"parameters": PROTOCOL_PARAMETERS},
            responses={200: {"description": "Query results, negotiated by Accept",
                             "content": {**ROWS_AND_GRAPHS, "text/html": {}}},
                       304: {"description": "Not modified (If-None-Match)"}, **ERRORS})
async def sparql_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Run `query` (URL-encoded); with no query, a browser gets the YASGUI editor and others the service
    description. `default-graph-uri` and `named-graph-uri` may repeat.

    Example: `/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20a%20lg%3ACountry%7D`
    """
    params = request.query_params
    text = _one(params.getlist("query"), "query")
    if text is None:
        if params.getlist("update"):
            raise BadInput("updates are sent by POST, not GET", where="update")
        if wants_html(request):
            return render_page(request, "sparql.html", {"example": EXAMPLE})
        return _service_description(request)
    return await _execute(request, text, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
                          store, settings)


@router.post("/sparql", summary="SPARQL 1.1 query or update by POST",
             responses={200: {"description": "Query results, negotiated by Accept", "content": ROWS_AND_GRAPHS},
                        204: {"description": "Update done (only when enabled)"}, **ERRORS},
             openapi_extra={"requestBody": {"content": {
                 "application/sparql-query": {"schema": {"type": "string"}, "example": EXAMPLE},
                 "application/sparql-update": {"schema": {"type": "string"}},
                 "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                     "query": {"type": "string"}, "update": {"type": "string"},
                     "default-graph-uri": {"type": "string"}, "named-graph-uri": {"type": "string"}}}}}}})
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """POST a query as `application/sparql-query`, or `query=`/`update=` as a form. Updates are refused
    (403) unless the administrator enabled them; LOAD and SERVICE always are."""
    body = await request.body()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("the request body is not UTF-8 text") from None
    if ctype in ("application/sparql-query", "application/sparql-update"):
        text = decoded
    elif ctype == "application/x-www-form-urlencoded":
        form = parse_qs(decoded, keep_blank_values=True)
        queries, updates = form.get("query", []), form.get("update", [])
        if queries and updates:
            raise BadInput("the form has both 'query' and 'update'; send one")
        text = _one(queries, "query") if queries else _one(updates, "update")
        default_graphs += form.get("default-graph-uri", [])
        named_graphs += form.get("named-graph-uri", [])
        if text is None:
            raise BadInput("the form has no 'query' (or 'update') field", where="query")
    else:
        raise UnsupportedMedia(f"unsupported content type {ctype or '(none)'}",
                               hint="send application/sparql-query, or an application/x-www-form-urlencoded "
                                    "form with query=")
    return await _execute(request, text, default_graphs, named_graphs, store, settings)
