"""The interactive graph view (/graph) and the data behind it, cut out by the network service on the server.

The browser only ever receives a bounded number of elements: past ``limit`` nodes the rest is aggregated into
one node per (type, country) with a count, so the page stays responsive on large graphs.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ...i18n import N_
from ...services import entities, network
from ..deps import SettingsDep, StoreDep
from ..rendering import page_language, render_page

router = APIRouter(tags=["Graph"])
ViewName = Literal["all", "legal", "institutional", "standards"]
ExportFormat = Literal["svg", "png", "dot", "graphml", "gexf", "cyjs"]
#: The views' names for people (the select shows them; the value stays the view's key)
VIEW_NAMES = {"all": N_("all"), "legal": N_("legal"), "institutional": N_("institutional"),
              "standards": N_("standards")}
EXPORT_MEDIA = {"svg": "image/svg+xml", "png": "image/png", "dot": "text/vnd.graphviz", "graphml": "application/xml",
                "gexf": "application/xml", "cyjs": "application/json"}


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


@router.get("/graph/data.json", summary="Graph elements for Cytoscape.js, filtered on the server",
            responses={200: {"content": {"application/json": {}}},
                       400: {"description": "Unknown view, country or type"}, 404: {"description": "No such entity"}})
def graph_data(store: StoreDep, types: Annotated[list[str] | None, Query(max_length=40)] = None,
               limit: Annotated[int, Query(ge=1, le=5000)] = 400, view: ViewName = "all",
               country: Annotated[str | None, Query(max_length=60)] = None,
               ego: Annotated[str | None, Query(max_length=300)] = None,
               radius: Annotated[int, Query(ge=0, le=5)] = 1) -> Response:
    """`view` (all, legal, institutional, standards), `country` (e.g. kyrgyzstan), `types` (repeatable class
    names), `ego` (an entity path such as org/kg-police, with `radius`), `limit` (nodes before aggregation)."""
    return JSONResponse(elements(network.select(store, view, country, ego, radius, types), limit))


@router.get("/graph/export.{fmt}", summary="The filtered view as an image or a file for Gephi/Cytoscape",
            responses={200: {"content": {m: {} for m in sorted(set(EXPORT_MEDIA.values()))}},
                       400: {"description": "Unknown view, country or type"},
                       422: {"description": "The export is over LEGALGRAPH_MAX_EXPORT_BYTES: narrow the view"},
                       503: {"description": "Two drawings are being made already; retry after Retry-After"},
                       504: {"description": "Graphviz ran past LEGALGRAPH_EXPORT_TIMEOUT"}})
async def graph_export(store: StoreDep, settings: SettingsDep, fmt: ExportFormat,
                       types: Annotated[list[str] | None, Query(max_length=40)] = None, view: ViewName = "all",
                       country: Annotated[str | None, Query(max_length=60)] = None) -> Response:
    """`fmt` is svg, png, dot, graphml, gexf or cyjs; filters as for `/graph/data.json`. Kept per data version,
    bounded in time and bytes (a too large export asks to narrow the view with `country`, `types` or `view`)."""
    data = await run_in_threadpool(network.rendered, store, fmt, view, country, types,
                                   timeout=settings.export_timeout, max_bytes=settings.max_export_bytes)
    return Response(data, media_type=EXPORT_MEDIA[fmt])


@router.get("/graph", summary="Interactive graph view", responses={200: {"content": {"text/html": {}}}})
def graph_page(request: Request, store: StoreDep) -> Response:
    full = network.projection(store)
    countries = sorted({d.get("country") for _, d in full.nodes(data=True) if d.get("country")})
    types = sorted({d.get("type") for _, d in full.nodes(data=True)})
    lang = page_language(request)
    return render_page(request, "graph.html", {"countries": countries, "types": types,
                                               "views": list(network.VIEWS), "colours": network.COLOURS,
                                               "view_names": VIEW_NAMES,
                                               "country_names": dict(entities.countries(store, lang)),
                                               "type_names": entities.class_labels(store, lang)})
