"""/entries/new: the entry editor for people who do not write RDF, and its machine twin (the form descriptions).

The forms come from the shapes (services/forms.py); the page's script (static/editor.js) builds a JSON-LD entry
from what is typed, validates it live through ``POST /validate``, downloads it through
``POST /entries/new/convert`` and submits it through ``POST /entries``: the same paths as ``legalgraph validate``
and ``legalgraph add``.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ... import i18n
from ...i18n import gettext as _
from ...i18n import ngettext
from ...services import entries, forms
from ..deps import SettingsDep, StoreDep
from ..negotiation import PAGE, page_or_json
from ..rendering import page_language, render_page
from .entries import FORM, TURTLE, _read_entry

router = APIRouter(tags=["Validation"])
KIND = Query(max_length=64, pattern=r"^[A-Za-z]+$", description="A kind of entry: a class local name, e.g. "
             "`ProtectionOrderRegime` (`/entries/new?format=json` lists them)")


@router.get("/entries/new", summary="The entry editor: a form per kind of entry, generated from the shapes",
            responses=PAGE.responses({400: {"description": "Unknown kind or format, with the valid ones"}}))
def editor(request: Request, store: StoreDep, settings: SettingsDep,
           kind: Annotated[str | None, KIND] = None, format: str | None = None) -> Response:
    """Without `kind`, the kinds of entry; with it, that kind's form: fields with their paths, labels (English,
    Russian), required and repeatable marks, inputs and typing, allowed values, picker classes and help.
    `format=json` (or `Accept: application/json`) for the twin. `writes` says whether `POST /entries` is enabled."""
    every = forms.forms(store)
    chosen = forms.form(store, kind) if kind else None
    writes = bool(settings.write_token)
    if page_or_json(request) == "application/json":
        if chosen is None:
            return JSONResponse({"kinds": forms.summary(every), "writes": writes})
        return JSONResponse({**chosen.as_dict(), "writes": writes, "kinds": forms.summary(every)})
    lang = page_language(request)
    shown = forms.shown(store, lang)
    page_form = next((f for f in shown if chosen is not None and f["kind"] == chosen.kind), None)
    with i18n.using(lang):
        said = words()
    return render_page(request, "editor.html", {"kinds": shown, "form": page_form, "writes": writes,
                                                "forms": {f["kind"]: f for f in shown}, "words": said})


def words() -> dict[str, object]:
    """What editor.js writes into the page, in the current language (the page hands it over in a JSON block:
    no text in the script). ``%(name)s`` marks where the script puts a value; a message with a number comes in
    each plural category of ``Intl.PluralRules`` (1 проблема, 2 проблемы, 5 проблем)."""
    samples = i18n.PLURAL_SAMPLES
    return {
        "yes": _("yes"), "no": _("no"), "noLanguage": _("no language"), "language": _("%(field)s: language"),
        "required": _("(required)"), "identifier": _("Identifier"),
        "identifierUnder": _("An identifier under %(base)s."), "writeAfter": _("Write it after %(base)s."),
        "addAnother": _("Add another %(field)s"), "remove": _("Remove this %(kind)s"),
        "durationExample": _("e.g. P30D (30 days), P6M (six months)"),
        "dateExample": _("e.g. 2025, 2025-04 or 2025-04-15"),
        "entityExample": _("type to search, or write an identifier"), "inThisEntry": _("%(label)s (in this entry)"),
        "Violation": _("Problem:"), "Warning": _("Warning:"), "Info": _("Note:"),
        "nothingToCheck": _("Nothing to check yet."), "checking": _("Checking…"), "notChecked": _("Not checked yet."),
        "notCheckable": _("The entry could not be checked: %(message)s"),
        "noAnswer": _("The entry could not be checked: the server did not answer."),
        "problems": {c: ngettext("%(num)d problem(s) to fix before saving",
                                 "%(num)d problem(s) to fix before saving", n) for c, n in samples.items()},
        "noProblems": _("No problems: the entry can be saved"),
        "warnings": {c: ngettext("%(num)d benchmark warning(s)", "%(num)d benchmark warning(s)", n)
                     for c, n in samples.items()},
        "statusWithWarnings": _("%(status)s; %(warnings)s."), "status": _("%(status)s."),
        "downloaded": _("Downloaded %(file)s."), "noDownload": _("No download: %(message)s"),
        "submitting": _("Submitting…"), "added": _("Added as %(entry)s. See %(links)s."),
        "nothingAdded": _("Nothing was added: %(message)s. See %(links)s."),
        "notAddedProblems": _("Not added: the entry has problems (shown beside the fields)."),
        "notAdded": _("Not added: %(message)s"), "notAddedHint": _("Not added: %(message)s (%(hint)s)"),
        "notAddedNoAnswer": _("Not added: the server did not answer."),
        "cleared": _("The draft was cleared."), "restored": _("Your draft was restored from this browser."),
    }


CONVERTED = {"text/turtle": {"schema": {"type": "string"}}, "application/ld+json": {"schema": {"type": "object"}}}
JSONLD = {"application/ld+json": {"schema": {"type": "object"}}}


@router.post("/entries/new/convert", summary="Convert an entry to Turtle or JSON-LD (the editor's downloads)",
             openapi_extra={"requestBody": {"content": {**JSONLD, **TURTLE, **FORM}}},
             responses={200: {"description": "The entry as a file", "content": CONVERTED},
                        400: {"description": "The entry does not parse: message, line, column, hint"},
                        413: {"description": "Body over the bound"}, 415: {"description": "Unsupported format"},
                        422: {"description": "Entry over a bound (triples, subjects, nesting)"},
                        503: {"description": "Busy"}, 504: {"description": "Conversion ran past its time bound"}})
async def convert(request: Request, store: StoreDep, settings: SettingsDep,
                  format: Annotated[str, Query(pattern="^(ttl|jsonld)$")] = "ttl") -> Response:
    """Parse an entry (any format `/validate` takes) within the web's bounds and answer it as Turtle (`format=ttl`)
    or JSON-LD (`format=jsonld`), as an attachment. Nothing is validated or saved."""
    data, name, fmt, _ = await _read_entry(request, settings)
    limits = entries.Limits(max_bytes=settings.max_request_bytes, max_triples=settings.max_entry_triples,
                            max_subjects=settings.max_entry_subjects)
    job = entries.ConvertJob(data, name, fmt, format, limits, settings.max_answer_bytes)
    media, body = await asyncio.wrap_future(store.submit(job, settings.validation_timeout))
    extension = entries.CONVERSIONS[format][1]
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="entry.{extension}"'})
