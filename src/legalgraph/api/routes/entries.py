"""Validation of entries over HTTP, and (when an administrator enables it) adding them.

Entries are parsed and validated in the bounded store's workers, with bounds on bytes, nesting, triples,
subjects and time: a hostile entry costs one worker at most, never the service.
"""

from __future__ import annotations

import asyncio
import hmac
import json

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from ...errors import BadInput, LegalgraphError, Refused, Unauthorised, UnsupportedMedia, clip, refuse_control
from ...services import entries
from ...services.validation import Report, render
from ...settings import Settings
from ..deps import SettingsDep, StoreDep
from ..negotiation import XHTML, Offer, negotiate
from ..rendering import render_page

router = APIRouter(tags=["Validation"])

EXAMPLE_ENTRY = """@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<programme/kg-example> a lg:PerpetratorProgramme ; rdfs:label "Example"@en ;
  lg:provider <org/kg-chance-crisis-centre> ; lg:country <country/kyrgyzstan> ;
  lg:modality <https://w3id.org/legalgraph/vocab/modality/mandatory> ;
  dcterms:source <section/kyrgyzstan-perpetrator-programmes> ."""


async def _read_entry(request: Request, settings: Settings) -> tuple[bytes, str, str, dict[str, str]]:
    """The entry's bytes, its name and format, from a raw RDF body or a form (file upload or pasted text);
    and what the form held, to show it again."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype.startswith("multipart/form-data") or ctype == "application/x-www-form-urlencoded":
        if ctype.startswith("multipart/form-data"):
            _whole_multipart(request.headers.get("content-type", ""), await request.body())
        form = await request.form(max_part_size=settings.max_request_bytes)
        upload = form.get("file")
        if isinstance(upload, (UploadFile, StarletteUpload)) and upload.filename:
            # the name is stored with an added entry and printed by `legalgraph entries`, one per line
            name = refuse_control(upload.filename, "the uploaded file name", "file")
            data = await upload.read()
            fmt = entries.format_for(name, upload.content_type if upload.content_type != "application/octet-stream"
                                     else None)
            return data, name, fmt, {}
        text = str(form.get("entry") or "")
        fmt = str(form.get("format") or "ttl")
        if fmt not in entries.FORMATS:
            raise UnsupportedMedia(f"unsupported format {fmt!r}", where="format", valid=sorted(entries.FORMATS))
        return text.encode("utf-8"), f"form entry.{fmt}", fmt, {"entry": text, "format": fmt}
    if ctype not in entries.MEDIA_TYPES:
        raise UnsupportedMedia(f"unsupported content type {ctype or '(none)'}",
                               hint="send text/turtle, application/trig, application/ld+json, "
                                    "application/n-triples or application/yaml, or a multipart form with a file")
    return await request.body(), "request body", entries.MEDIA_TYPES[ctype], {}


def _whole_multipart(content_type: str, body: bytes) -> None:
    """Refuse a multipart body that stops before its closing boundary (cut off in transit, or hand-made):
    parsed anyway it looks like an empty entry, and "the entry holds no triples" would blame the wrong thing.
    A missing boundary parameter is Starlette's to find (answered by api/errors.py as bad input)."""
    boundary = next((p.split("=", 1)[1].strip().strip('"') for p in content_type.split(";")[1:]
                     if p.strip().lower().startswith("boundary=")), None)
    if boundary and not body.rstrip(b"\r\n").endswith(f"--{boundary}--".encode("latin-1", "replace")):
        raise BadInput("the multipart body is truncated or malformed: it does not end with its closing boundary "
                       f"--{clip(boundary, 80)}--", where="body",
                       hint="send the whole form again (the file upload may have been cut off)")


#: what the validation report can be answered as (``format=turtle`` is kept from before ``ttl``)
REPORT_OFFER = Offer({"json": "application/json", "html": "text/html", "ttl": "text/turtle", "turtle": "text/turtle"},
                     XHTML)


def _media(request: Request) -> str:
    return negotiate(request, REPORT_OFFER, what="the validation report")


def _respond(request: Request, report: Report, status: int = 200, extra: dict | None = None,
             form: dict | None = None) -> Response:
    media = _media(request)
    if media == "text/turtle":
        return Response(render(report, "turtle"), media_type="text/turtle", status_code=status)
    if media == "text/html":
        return render_page(request, "validate.html", {"report": report, "form": form or {}, **(extra or {})},
                           status)
    return JSONResponse({**json.loads(render(report, "json")), **(extra or {})}, status_code=status)


async def _validated(request: Request, store: StoreDep, settings: Settings) -> tuple[Report, bytes, str, str, dict]:
    data, name, fmt, form = await _read_entry(request, settings)
    limits = entries.Limits(max_bytes=settings.max_request_bytes, max_triples=settings.max_entry_triples,
                            max_subjects=settings.max_entry_subjects)
    job = entries.ValidationJob(data, name, fmt, limits)
    try:
        report = await asyncio.wrap_future(store.submit(job, settings.validation_timeout))
    except LegalgraphError as exc:
        if _media(request) == "text/html" and exc.status < 500:
            raise FormError(exc, form) from exc
        raise
    return report, data, name, fmt, form


class FormError(Exception):
    def __init__(self, error: LegalgraphError, form: dict) -> None:
        self.error, self.form = error, form


TURTLE = {"text/turtle": {"schema": {"type": "string"}, "example": EXAMPLE_ENTRY}}
FORM = {"multipart/form-data": {"schema": {"type": "object", "properties": {
    "file": {"type": "string", "format": "binary"}, "entry": {"type": "string"},
    "format": {"type": "string", "enum": sorted(entries.FORMATS)}}}}}
REPORT = {"application/json": {}, "text/html": {}, "text/turtle": {}}


@router.post("/validate", summary="Validate an entry against the shapes",
             openapi_extra={"requestBody": {"content": {**TURTLE, **FORM}}},
             responses={200: {"description": "The SHACL report (JSON, HTML or Turtle by Accept)", "content": REPORT},
                        400: {"description": "The entry does not parse: message, line, column, hint"},
                        406: {"description": "No acceptable report format (the offered ones listed)"},
                        413: {"description": "Body over the bound"}, 415: {"description": "Unsupported format"},
                        422: {"description": "Entry over a bound (triples, subjects, nesting)"},
                        503: {"description": "Busy"}, 504: {"description": "Validation ran past its time bound"}})
async def validate_entry(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Validate a Turtle, TriG, JSON-LD or N-Triples entry in the context of the graph. Violations do not
    make the request fail: `conforms` says whether the entry could be added."""
    try:
        report, _, _, _, form = await _validated(request, store, settings)
    except FormError as exc:
        return render_page(request, "validate.html", {"error": exc.error.body(), "form": exc.form},
                           exc.error.status)
    return _respond(request, report, form=form)


@router.post("/entries", summary="Add a valid entry (only when writes are enabled)",
             openapi_extra={"requestBody": {"content": {**TURTLE, **FORM}}},
             responses={201: {"description": "Added", "content": REPORT}, 400: {"description": "Unparsable entry"},
                        401: {"description": "Missing or wrong token"},
                        403: {"description": "Writes are disabled"},
                        406: {"description": "No acceptable report format (the offered ones listed)"},
                        422: {"description": "The entry has violations or is over a bound; nothing was added",
                              "content": REPORT}})
async def add_entry(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Same atomic, provenance-recording path as `legalgraph add`. Off unless the server was started with
    LEGALGRAPH_WRITE_TOKEN; send it as `Authorization: Bearer <token>`."""
    if not settings.write_token:
        raise Refused("writes are disabled on this server",
                      hint="an administrator can enable them by setting LEGALGRAPH_WRITE_TOKEN")
    auth = request.headers.get("authorization", "")
    if not hmac.compare_digest(auth.encode(), f"Bearer {settings.write_token}".encode()):
        raise Unauthorised("missing or wrong token", hint="send Authorization: Bearer <token>",
                           headers={"WWW-Authenticate": "Bearer"})
    try:
        report, data, name, fmt, _ = await _validated(request, store, settings)
    except FormError as exc:
        raise exc.error from None
    entry = entries.parse_entry(data, name, fmt)  # already parsed once, within bounds, in a worker
    # a conflict with a single-valued fact of the graph is a 409 naming it, not the shapes' "at most one"
    await run_in_threadpool(entries.check_new, store, entry)
    if not report.conforms:
        return _respond(request, report, 422, {"added": False})
    user = refuse_control(request.headers.get("x-legalgraph-user", "web"), "the user name",
                          "x-legalgraph-user")[:100]
    result = await run_in_threadpool(entries.write, store, entry, [name], user, report)
    if result.duplicate_of is not None:
        return _respond(request, result.report, 200, {"added": False, "duplicateOf": str(result.duplicate_of),
                                                      "message": "the entry states exactly what an added "
                                                                 "entry already added: nothing was written"})
    if result.entry is None:
        raise BadInput("the entry could not be added")
    request.app.state.answers.__init__()
    return _respond(request, result.report, 201, {"added": True, "entry": str(result.entry),
                                                  "graph": str(result.graph)})
