"""The interactive graph view (/graph) and the data behind it, filtered and aggregated on the server.

The browser only ever receives a bounded number of elements: a view, a country, entity types or an ego
network are cut out server-side, and past ``limit`` nodes the rest is aggregated into one node per
(type, country) with a count, so the page stays responsive on large graphs.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from .. import analysis
from .deps import StoreDep
from .pages import render_page

router = APIRouter(tags=["Graph"])


def _projection(request: Request, store) -> nx.MultiDiGraph:
    """The networkx projection, rebuilt only when the store reports a new version (a write)."""
    key = store.version()
    cached = getattr(request.app.state, "projection", None)
    if cached is None or cached[0] != key:
        g = analysis.project(store)
        request.app.state.projection = (key, g)
        return g
    return cached[1]


def elements(g: nx.MultiDiGraph, limit: int) -> dict:
    """Cytoscape.js elements; nodes past ``limit`` (lowest degree first) are folded into aggregates."""
    degree = dict(g.degree())
    ranked = sorted(g.nodes, key=lambda n: (-degree.get(n, 0), n))
    shown, folded = set(ranked[:limit]), ranked[limit:]
    nodes = [{"data": {"id": n, "label": d.get("label", n), "type": d.get("type", ""),
                       "country": d.get("country", ""), "href": "/id/" + n}}
             for n, d in g.nodes(data=True) if n in shown]
    groups = Counter((g.nodes[n].get("type", ""), g.nodes[n].get("country", "")) for n in folded)
    for (t, c), count in sorted(groups.items()):
        nodes.append({"data": {"id": f"group:{t}:{c}", "label": f"{count} more {t} ({c or 'international'})",
                               "type": "Group", "count": count}})
    group_of = {n: f"group:{g.nodes[n].get('type', '')}:{g.nodes[n].get('country', '')}" for n in folded}
    edges, seen = [], set()
    for a, b, d in g.edges(data=True):
        a2, b2 = group_of.get(a, a), group_of.get(b, b)
        key = (a2, b2, d.get("predicate", ""))
        if a2 == b2 or key in seen:
            continue
        seen.add(key)
        edges.append({"data": {"id": f"e{len(edges)}", "source": a2, "target": b2, "label": key[2]}})
    return {"nodes": nodes, "edges": edges, "total_nodes": g.number_of_nodes(), "shown_nodes": len(shown),
            "aggregated": len(folded)}


@router.get("/graph/data.json", summary="Graph elements for Cytoscape.js, filtered on the server")
def graph_data(request: Request, store: StoreDep, types: Annotated[list[str] | None, Query()] = None,
               limit: Annotated[int, Query(ge=1, le=5000)] = 400, view: str = "all", country: str | None = None,
               ego: str | None = None, radius: int = 1) -> Response:
    """`view` (all, legal, institutional, standards), `country` (e.g. kyrgyzstan), `types` (repeatable class
    names), `ego` (an entity path such as org/kg-police, with `radius`), `limit` (nodes before aggregation)."""
    full = _projection(request, store)
    try:
        g = analysis.ego(full, ego, radius) if ego else analysis.view(full, view, country or None)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    if types:
        g = g.subgraph([n for n, d in g.nodes(data=True) if d.get("type") in set(types)]).copy()
    return JSONResponse(elements(g, limit))


@router.get("/graph/export.{fmt}", summary="The filtered view as an image or a file for Gephi/Cytoscape")
def graph_export(request: Request, store: StoreDep, fmt: str, types: Annotated[list[str] | None, Query()] = None,
                 view: str = "all", country: str | None = None) -> Response:
    """`fmt` is svg, png, dot, graphml, gexf or cyjs; filters as for `/graph/data.json`."""
    import tempfile
    from pathlib import Path

    full = _projection(request, store)
    try:
        g = analysis.view(full, view, country or None)
        if types:
            g = g.subgraph([n for n, d in g.nodes(data=True) if d.get("type") in set(types)]).copy()
        with tempfile.TemporaryDirectory() as tmp:
            out = analysis.export(g, fmt, Path(tmp) / f"graph.{fmt}", title=f"legalgraph: {view} view"
                                  + (f", {country}" if country else ""))
            data = out.read_bytes()
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    media = {"svg": "image/svg+xml", "png": "image/png", "dot": "text/vnd.graphviz", "graphml": "application/xml",
             "gexf": "application/xml", "cyjs": "application/json"}[fmt]
    return Response(data, media_type=media)


@router.get("/graph", summary="Interactive graph view")
def graph_page(request: Request, store: StoreDep) -> Response:
    full = _projection(request, store)
    countries = sorted({d.get("country") for _, d in full.nodes(data=True) if d.get("country")})
    types = sorted({d.get("type") for _, d in full.nodes(data=True)})
    return render_page(request, "graph.html", {"countries": countries, "types": types,
                                               "views": list(analysis.VIEWS), "colours": analysis.COLOURS})
