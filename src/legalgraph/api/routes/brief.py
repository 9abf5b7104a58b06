"""/brief: a country brief (page, JSON twin, PDF) and several countries side by side (the brief service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ...services import brief as service
from ...services import entities
from .. import printing
from ..deps import StoreDep, YearParam
from ..negotiation import PAGE, Offer, negotiate, page_or_json
from ..rendering import href, page_language, render_page

router = APIRouter(tags=["Pages"])
#: a brief: its page, the JSON twin, or the PDF
BRIEF = Offer({**PAGE.types, "pdf": "application/pdf"}, PAGE.aliases)


@router.get("/brief", summary="Country briefs; two or more countries side by side",
            responses=PAGE.responses({400: {"description": "an unknown country or format (the answer lists the "
                                                          "valid ones)"}}))
def side_by_side(request: Request, store: StoreDep,
                 countries: Annotated[list[str] | None, Query()] = None,
                 asOf: YearParam = 2023, format: str | None = None) -> Response:
    """Without `countries`: the list of country briefs. With `countries` (repeat it, or separate by commas):
    those countries side by side, built from `/compare`. `format=json` for the twin."""
    machine = page_or_json(request) == "application/json"
    lang = "en" if machine else page_language(request)  # the twin is the same in every language
    known = entities.countries(store, lang)
    data = service.briefs(store, countries, asOf, lang) if countries else None
    if data is not None:
        for per in data["cells"].values():
            for cells in per.values():
                for cell in cells:
                    cell["href"] = href(cell["entity"]) if cell["entity"] else None
    if machine:
        return JSONResponse(data if data is not None else
                            {"asOf": asOf, "countries": [{"slug": s, "label": label, "brief": f"/brief/{s}"}
                                                         for s, label in known]})
    chosen = [c["slug"] for c in data["countries"]] if data else []
    return render_page(request, "brief_compare.html", {"data": data, "known": known, "as_of": asOf,
                                                       "chosen": chosen})


@router.get("/brief/{name}", summary="A country brief: page, JSON (.json) or PDF (.pdf)",
            responses=BRIEF.responses({400: {"description": "an unknown country or format (the answer lists the "
                                                           "valid ones)"}}))
def country_brief(name: str, request: Request, store: StoreDep,
                  asOf: YearParam = 2023, format: str | None = None) -> Response:
    """The domestic-violence law and criminalisation as of `asOf`, protection orders, programmes with their
    verdicts against the benchmarks, agencies with programme duties, discrepancies and the report's
    recommendations for one country; every sentence links its entity and its sources. A plain `def`: the
    PDF is made in FastAPI's thread pool, off the event loop."""
    country, dot, ext = name.partition(".")
    media = negotiate(request, BRIEF, ext if dot else None, f"/brief/{country}")
    version = request.app.state.data_version
    pdf, machine = media == "application/pdf", media == "application/json"
    lang = "en" if machine else page_language(request)  # the twin is the same in every language
    b = service.brief(store, country, asOf, lang)
    if pdf:
        return Response(printing.pdf(b, version, lang), media_type="application/pdf",
                        headers={"content-disposition": f'inline; filename="brief-{b.country}-{b.as_of}.pdf"',
                                 "vary": "Accept-Language, Cookie"})
    if machine:
        return JSONResponse({**b.to_json(), "dataVersion": version})
    return render_page(request, "brief.html", printing.context(b, version, lang))
