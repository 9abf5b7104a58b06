"""Validation of entries over HTTP, and (when an administrator enables it) adding them."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from ..add import add
from ..entries import MEDIA_TYPES, EntryError, format_for, parse_entry
from ..validate import Report, render, validate
from .deps import RunnerDep, SettingsDep, StoreDep
from .negotiation import choose
from .pages import render_page
from .settings import Settings

router = APIRouter(tags=["Validation"])

EXAMPLE_ENTRY = """@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<programme/kg-example> a lg:PerpetratorProgramme ; rdfs:label "Example"@en ;
  lg:provider <org/kg-chance-crisis-centre> ; lg:country <country/kyrgyzstan> ;
  lg:modality <https://w3id.org/legalgraph/vocab/modality/mandatory> ;
  dcterms:source <section/kyrgyzstan-perpetrator-programmes> ."""


async def _read_entry(request: Request, settings: Settings):
    """The entry from a raw RDF body or a multipart form (file upload or pasted text)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype.startswith("multipart/form-data") or ctype == "application/x-www-form-urlencoded":
        form = await request.form(max_part_size=settings.max_request_bytes)
        upload = form.get("file")
        if isinstance(upload, (UploadFile, StarletteUpload)) and upload.filename:
            data, name = await upload.read(), upload.filename
            fmt = format_for(name, upload.content_type if upload.content_type != "application/octet-stream"
                             else None)
        else:
            text = str(form.get("entry") or "")
            fmt = str(form.get("format") or "ttl")
            data, name = text.encode("utf-8"), f"form entry.{fmt}"
            format_for(name)
        return parse_entry(data, name, fmt), name
    if ctype not in MEDIA_TYPES:
        raise EntryError("request body", f"unsupported content type {ctype or '(none)'}",
                         hint="send text/turtle, application/trig, application/ld+json or "
                              "application/n-triples, or a multipart form with a file")
    return parse_entry(await request.body(), "request body", MEDIA_TYPES[ctype]), "request body"


def _respond(request: Request, report: Report, status: int = 200, extra: dict | None = None) -> Response:
    media = choose(request, ["application/json", "text/html", "text/turtle"], "application/json")
    if "format" in request.query_params:
        media = {"json": "application/json", "html": "text/html", "turtle": "text/turtle"}.get(
            request.query_params["format"], media)
    if media == "text/turtle":
        return Response(render(report, "turtle"), media_type="text/turtle", status_code=status)
    if media == "text/html":
        return render_page(request, "validate.html", {"report": report, **(extra or {})}, status)
    import json

    return JSONResponse({**json.loads(render(report, "json")), **(extra or {})}, status_code=status)


def _bad_entry(request: Request, exc: EntryError) -> Response:
    payload = {"error": str(exc), "line": exc.line, "column": exc.column, "hint": exc.hint}
    if choose(request, ["application/json", "text/html"], "application/json") == "text/html":
        return render_page(request, "validate.html", {"error": payload}, 400)
    return JSONResponse(payload, status_code=400)


@router.post("/validate", summary="Validate an entry against the shapes",
             openapi_extra={"requestBody": {"content": {
                 "text/turtle": {"example": EXAMPLE_ENTRY},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}, "entry": {"type": "string"},
                     "format": {"type": "string", "enum": ["ttl", "trig", "jsonld", "nt"]}}}}}}},
             responses={200: {"description": "The SHACL report (JSON, HTML or Turtle by Accept)"},
                        400: {"description": "The entry does not parse: message, line, column, hint"}})
async def validate_entry(request: Request, store: StoreDep,
                         settings: SettingsDep) -> Response:
    """Validate a Turtle, TriG, JSON-LD or N-Triples entry in the context of the graph. Violations do not
    make the request fail: `conforms` says whether the entry could be added."""
    try:
        entry, _ = await _read_entry(request, settings)
    except EntryError as exc:
        return _bad_entry(request, exc)
    from starlette.concurrency import run_in_threadpool

    return _respond(request, await run_in_threadpool(validate, store, entry))


@router.post("/entries", summary="Add a valid entry (only when writes are enabled)",
             responses={201: {"description": "Added"}, 400: {"description": "Unparsable entry"},
                        401: {"description": "Missing or wrong token"},
                        403: {"description": "Writes are disabled"},
                        422: {"description": "The entry has violations; nothing was added"}})
async def add_entry(request: Request, store: StoreDep,
                    runner: RunnerDep,
                    settings: SettingsDep) -> Response:
    """Same atomic, provenance-recording path as `legalgraph add`. Off unless the server was started with
    LEGALGRAPH_WRITE_TOKEN; send it as `Authorization: Bearer <token>`."""
    if not settings.write_token:
        return JSONResponse({"error": "writes are disabled on this server; an administrator can enable them "
                                      "by setting LEGALGRAPH_WRITE_TOKEN"}, status_code=403)
    auth = request.headers.get("authorization", "")
    if not hmac.compare_digest(auth.encode(), f"Bearer {settings.write_token}".encode()):
        return JSONResponse({"error": "missing or wrong token: send Authorization: Bearer <token>"},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    try:
        entry, name = await _read_entry(request, settings)
    except EntryError as exc:
        return _bad_entry(request, exc)
    user = request.headers.get("x-legalgraph-user", "web")
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(add, store, entry, [name], user)
    if result.entry is None:
        return _respond(request, result.report, 422, {"added": False})
    runner.restart()  # workers reopen the store and see the new graph
    return _respond(request, result.report, 201, {"added": True, "entry": str(result.entry),
                                                  "graph": str(result.graph)})
