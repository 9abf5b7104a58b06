"""/compare: the five countries side by side (the compare service), as a page or JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ...namespaces import ID
from ...services import compare as service
from ...services import entities
from ..deps import StoreDep, YearParam
from ..negotiation import PAGE, page_or_json
from ..rendering import href, page_language, render_page

router = APIRouter(tags=["Pages"])


@router.get("/compare", summary="The five countries side by side",
            responses=PAGE.responses({400: {"description": "asOf is not a year, or an unknown format"}}))
def compare(request: Request, store: StoreDep, asOf: YearParam = 2023,
            reportOnly: bool = False, format: str | None = None) -> Response:
    """Domestic-violence law, criminalisation as of `asOf`, protection orders, the mandatory programme
    against the benchmark, providers, responsible agencies, evaluation tools and recommendations. Every
    cell links to its entity and cites the sources of its fact; a cell whose fact an added entry brought says
    so (`added`), and `reportOnly=1` shows the report's facts only. `format=json` for the twin."""
    machine = page_or_json(request) == "application/json"
    lang = "en" if machine else page_language(request)  # the twin is the same in every language
    built = service.build(store, asOf, reportOnly, lang)  # shared: decorated in new dicts
    data = {**built, "cells": {country: {dim: [{**cell, "href": href(cell["entity"]) if cell["entity"] else None}
                                               for cell in cells] for dim, cells in per_country.items()}
                               for country, per_country in built["cells"].items()}}
    if machine:
        return JSONResponse(data)
    countries = [(f"{ID}country/{slug}", label) for slug, label in entities.countries(store, lang)]
    return render_page(request, "compare.html", {"data": data, "dimensions": service.DIMENSIONS,
                                                 "countries": countries, "as_of": asOf,
                                                 "report_only": reportOnly})
