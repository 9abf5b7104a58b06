"""The five countries side by side, built from the canned queries so the page and the library agree."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from rdflib import URIRef

from .. import queries
from ..namespaces import ID
from ..results import labels_for
from ..store import Store
from .deps import StoreDep
from .negotiation import wants_json
from .pages import COUNTRIES, local, render_page

router = APIRouter(tags=["Pages"])

DIMENSIONS = [
    ("law", "Domestic-violence law"),
    ("criminalisation", "Stand-alone crime (as of the year)"),
    ("protection", "Protection orders"),
    ("mandatory", "Mandatory programme vs 30 sessions / six months"),
    ("providers", "Programme providers"),
    ("agencies", "Agencies with programme duties"),
    ("tools", "Evaluation tools"),
    ("recommendations", "Country-specific recommendations"),
]

SECTION_OF = "SELECT ?path WHERE { ?s dcterms:source/lg:sectionPath ?path } ORDER BY ?path LIMIT 1"


def _run(store: Store, name: str, **given: str):
    result = queries.run(store, queries.get(name), given)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def build(store: Store, as_of: int) -> dict:
    cells: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    entities: set[URIRef] = set()

    def put(country, dim, entity, text):
        if entity is not None:
            entities.add(entity)
        key = (str(entity), text)
        if key not in {(c["entity"], c["text"]) for c in cells[str(country)][dim]}:
            cells[str(country)][dim].append({"entity": str(entity) if entity else None, "text": text})

    for r in _run(store, "dv-law-and-criminalisation", asOf=str(as_of)):
        if r["law"] is not None:
            put(r["country"], "law", r["law"], f"No. {r['lawNumber']} ({r['lawYear']})")
        if r["standAlone"] is not None:
            put(r["country"], "criminalisation", None,
                f"{'yes' if r['standAlone'].toPython() else 'no'} — {r['section']}")
    for r in _run(store, "protection-orders"):
        text = " → ".join(str(x) for x in (r["initial"], r["extended"] or r["maximum"]) if x is not None)
        if r.get("maximumExtension") is not None:  # "by up to": an upper bound, not a length
            text = " ".join(x for x in (text, f"extension by up to {r['maximumExtension']}") if x)
        put(r["country"], "protection", r["regime"], text + (" (extension obliges a programme)"
                                                             if r["extensionObliges"] is not None and
                                                             r["extensionObliges"].toPython() else ""))
    programmes = _run(store, "programmes-by-length")
    # Mandatory-only programmes: one offered on both bases describes the whole programme, and its mandatory
    # part, where the report tells it apart, is a variant of its own (e.g. Tajikistan: 15 or 30 days).
    voluntary = {r["programme"] for r in programmes if str(r["modality"]).endswith("/voluntary")}
    mandatory = {r["programme"] for r in programmes if str(r["modality"]).endswith("/mandatory")} - voluntary
    for r in _run(store, "programmes-vs-benchmark"):
        if r["programme"] in mandatory:
            at_most = "at most " if r.get("durationKind") is not None and str(r["durationKind"]) == "at most" else ""
            put(r["country"], "mandatory", r["programme"],
                f"{r['total'] or '?'} sessions, {at_most}{r['duration'] or '?'}: {r['verdict']}")
    for r in programmes:
        if r["provider"] is not None:
            put(r["country"], "providers", r["provider"], "")
    for r in _run(store, "programme-obligations"):
        put(r["country"], "agencies", r["bearer"], f"Art. {r['article']}" if r["article"] else "")
    for r in _run(store, "evaluation-tools"):
        if r["country"] is not None and r["kind"].toPython() == "evaluation tool":
            put(r["country"], "tools", r["tool"], "")
    counts = store.query("""SELECT ?c (COUNT(?r) AS ?n) WHERE { ?r a lg:Recommendation ; lg:addressee ?c ;
        lg:ordinal ?o . ?c a lg:Country } GROUP BY ?c""").rows
    for c, n in counts:
        put(c, "recommendations", None, f"{int(n)} recommendations")

    names = labels_for(store, entities)
    for per_country in cells.values():
        for dim_cells in per_country.values():
            for cell in dim_cells:
                if cell["entity"]:
                    e = URIRef(cell["entity"])
                    cell["label"] = names.get(e, cell["entity"].replace(str(ID), ""))
                    cell["href"] = local(e)
                    rows = store.query(SECTION_OF, {"s": e}).rows
                    cell["section"] = str(rows[0][0]) if rows else None
    return {"asOf": as_of, "cells": {c: dict(v) for c, v in cells.items()}}


@router.get("/compare", summary="The five countries side by side")
def compare(request: Request, store: StoreDep, asOf: int = 2023, format: str | None = None) -> Response:
    """Domestic-violence law, criminalisation as of `asOf`, protection orders, the mandatory programme
    against the benchmark, providers, responsible agencies, evaluation tools and recommendations. Every
    cell links to its entity and names the report section behind it. `format=json` for the twin."""
    data = build(store, asOf)
    if wants_json(request, format):
        return JSONResponse(data)
    countries = [(str(c), str(label)) for c, label in store.query(COUNTRIES).rows]
    return render_page(request, "compare.html", {"data": data, "dimensions": DIMENSIONS,
                                                 "countries": countries, "as_of": asOf})
