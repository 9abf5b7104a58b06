"""/brief: a country brief (page, JSON twin, PDF) and several countries side by side (the brief service)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ... import humanize
from ...errors import BadInput, Busy
from ...services import brief as service
from ...services import entities
from ..deps import StoreDep
from ..negotiation import page_or_json
from ..rendering import TEMPLATES, href, render_page

router = APIRouter(tags=["Pages"])

#: PDF rendering is CPU-heavy: one at a time per process, and only of a page of bounded size.
_PDF_SLOT = threading.BoundedSemaphore(1)
PDF_MAX_HTML_BYTES = 2_000_000


def _today() -> str:
    return humanize.date(datetime.now(UTC).date().isoformat())


@router.get("/brief", summary="Choose countries; two or more side by side",
            responses={200: {"content": {"text/html": {}, "application/json": {}}},
                       400: {"description": "an unknown country (the answer lists the valid ones)"}})
def side_by_side(request: Request, store: StoreDep,
                 countries: Annotated[list[str] | None, Query()] = None,
                 asOf: Annotated[int, Query(ge=1900, le=2100)] = 2023, format: str | None = None) -> Response:
    """Without `countries`: the list of country briefs. With `countries` (repeat it, or separate by commas):
    those countries side by side, built from `/compare`. `format=json` for the twin."""
    known = entities.countries(store)
    data = service.briefs(store, countries, asOf) if countries else None
    if data is not None:
        for per in data["cells"].values():
            for cells in per.values():
                for cell in cells:
                    cell["href"] = href(cell["entity"]) if cell["entity"] else None
    if page_or_json(request, None, format) == "application/json":
        return JSONResponse(data if data is not None else
                            {"asOf": asOf, "countries": [{"slug": s, "label": label, "brief": f"/brief/{s}"}
                                                         for s, label in known]})
    return render_page(request, "brief_compare.html", {"data": data, "known": known, "as_of": asOf,
                                                       "chosen": [c["slug"] for c in (data or {}).get("countries", [])]})


@router.get("/brief/{name}", summary="A country brief: page, JSON (.json) or PDF (.pdf)",
            responses={200: {"content": {"text/html": {}, "application/json": {}, "application/pdf": {}}},
                       400: {"description": "an unknown country (the answer lists the valid ones)"}})
def country_brief(name: str, request: Request, store: StoreDep,
                  asOf: Annotated[int, Query(ge=1900, le=2100)] = 2023, format: str | None = None) -> Response:
    """The domestic-violence law and criminalisation as of `asOf`, protection orders, programmes with their
    verdicts against the benchmarks, agencies with programme duties, discrepancies and the report's
    recommendations for one country; every sentence links its entity and its sources."""
    country, _, ext = name.partition(".")
    if ext not in ("", "json", "html", "pdf"):
        raise BadInput(f"unknown format .{ext}; use .html, .json or .pdf", where="format", valid=["html", "json", "pdf"])
    b = service.brief(store, country, asOf)
    if ext == "pdf" or format == "pdf":
        return Response(pdf(request, b), media_type="application/pdf",
                        headers={"content-disposition": f'inline; filename="brief-{b.country}-{b.as_of}.pdf"'})
    if page_or_json(request, ext or None, format) == "application/json":
        return JSONResponse(b.to_json())
    return render_page(request, "brief.html", _context(request, b))


def _context(request: Request, b: service.Brief) -> dict:
    return {"b": b, "sources": b.sources(), "today": _today(), "as_of": b.as_of,
            "data_version": request.app.state.data_version}


def pdf(request: Request, b: service.Brief) -> bytes:
    """The brief's page rendered to PDF by WeasyPrint, with the print styles of /static/style.css."""
    context = {"request": request, "data_version": request.app.state.data_version, **_context(request, b)}
    return render_pdf(context)


def render_pdf(context: dict) -> bytes:
    """Render brief.html with ``context`` to PDF (also used by the command line, with a context of its own)."""
    from ..rendering import SOURCE_NOTE, local, short
    from ..rendering import href as _href

    ctx = {"version": _version(), "source_note": SOURCE_NOTE, "local": local, "href": _href, "short": short,
           "pdf": True, **context}
    html = TEMPLATES.get_template("brief.html").render(ctx)
    if len(html.encode()) > PDF_MAX_HTML_BYTES:
        raise BadInput(f"the brief is too large to print ({len(html.encode())} bytes; the bound is "
                       f"{PDF_MAX_HTML_BYTES})")
    if not _PDF_SLOT.acquire(timeout=30):
        raise Busy("another PDF is being made; try again shortly")
    try:
        return _weasyprint(html)
    finally:
        _PDF_SLOT.release()


def _version() -> str:
    from ... import __version__

    return __version__


def _weasyprint(html: str) -> bytes:
    from pathlib import Path

    import weasyprint

    def fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, timeout=timeout)
        raise ValueError(f"the PDF fetches nothing but inline images ({url[:40]} refused)")

    css = weasyprint.CSS(filename=str(Path(__file__).parents[1] / "static" / "style.css"), url_fetcher=fetch)
    return weasyprint.HTML(string=html, url_fetcher=fetch).write_pdf(stylesheets=[css])
