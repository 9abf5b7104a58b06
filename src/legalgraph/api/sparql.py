"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only, bounded, no outbound requests."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..guard import RefusedQuery, check
from ..results import to_csv, to_json, to_tsv, to_xml
from ..runner import QueryRunner, QueryTimeout, ResultTooLarge
from ..store import StoreError
from .deps import RunnerDep, SettingsDep, StoreDep
from .negotiation import RDF_TYPES, choose, wants_html
from .pages import render_page
from .settings import Settings

router = APIRouter(tags=["SPARQL"])

SELECT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json", "application/xml"]
GRAPH_TYPES = list(RDF_TYPES)
SERIALISE = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
CANONICAL = {"application/json": "application/sparql-results+json",
             "application/xml": "application/sparql-results+xml"}

EXAMPLE = "SELECT ?country ?label WHERE { ?country a lg:Country ; rdfs:label ?label } ORDER BY ?label"


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def _execute(request: Request, text: str, default_graphs: list[str], named_graphs: list[str],
             runner: QueryRunner, settings: Settings, store) -> Response:
    try:
        checked = check(text, allow_update=settings.allow_update)
    except RefusedQuery as exc:
        return _error(exc.status, str(exc))
    if checked.form == "UPDATE":
        store.update(text)
        runner.restart()
        return Response(status_code=204)
    offered = SELECT_TYPES if checked.form in ("SELECT", "ASK") else GRAPH_TYPES
    default = offered[0]
    media = choose(request, offered, default)
    if media is None:
        return _error(406, f"cannot answer a {checked.form} query as {request.headers.get('accept')}; "
                           f"ask for one of {', '.join(offered)}")
    try:
        result = runner.run(text, dataset=(default_graphs, named_graphs) if default_graphs or named_graphs
                            else None)
    except QueryTimeout as exc:
        return _error(504, f"{exc}. Narrow the query (add constraints or LIMIT); the bound is "
                           f"LEGALGRAPH_QUERY_TIMEOUT={settings.query_timeout:g} s.")
    except ResultTooLarge as exc:
        return _error(422, f"{exc}. Add LIMIT (at most {settings.max_rows}) or page with OFFSET.")
    except StoreError as exc:
        return _error(400, str(exc))
    if result.kind == "graph":
        assert result.graph is not None
        body = result.graph.serialize(format=RDF_TYPES[media][0])
        return Response(body, media_type=media)
    media = CANONICAL.get(media, media)
    fmt = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
           "text/csv": "csv", "text/tab-separated-values": "tsv"}[media]
    return Response(SERIALISE[fmt](result), media_type=media + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""))


def _service_description(request: Request) -> Response:
    endpoint = str(request.url_for("sparql_get"))
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


@router.get("/sparql", name="sparql_get", summary="SPARQL 1.1 query by GET",
            responses={200: {"description": "Query results, negotiated by Accept"},
                       400: {"description": "Malformed query, with line and column"},
                       403: {"description": "Update or SERVICE refused"},
                       406: {"description": "No acceptable result format"},
                       422: {"description": "Result larger than the row bound"},
                       504: {"description": "Query ran past the time bound"}})
def sparql_get(request: Request, runner: RunnerDep,
               settings: SettingsDep, store: StoreDep) -> Response:
    """Run `query` (URL-encoded); with no query, a browser gets the YASGUI editor and others the service
    description. `default-graph-uri` and `named-graph-uri` may repeat.

    Example: `/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20a%20lg%3ACountry%7D`
    """
    params = request.query_params
    text = params.get("query")
    if text is None:
        if wants_html(request):
            return render_page(request, "sparql.html", {"example": EXAMPLE})
        return _service_description(request)
    return _execute(request, text, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
                    runner, settings, store)


@router.post("/sparql", summary="SPARQL 1.1 query or update by POST",
             openapi_extra={"requestBody": {"content": {
                 "application/sparql-query": {"example": EXAMPLE},
                 "application/x-www-form-urlencoded": {"example": "query=ASK%20%7B%7D"}}}})
async def sparql_post(request: Request, runner: RunnerDep,
                      settings: SettingsDep, store: StoreDep) -> Response:
    """POST a query as `application/sparql-query`, or `query=`/`update=` as a form. Updates are refused
    (403) unless the administrator enabled them."""
    body = await request.body()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    if ctype in ("application/sparql-query", "application/sparql-update"):
        text = body.decode("utf-8", errors="replace")
    elif ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        text = (form.get("query") or form.get("update") or [None])[0]
        default_graphs += form.get("default-graph-uri", [])
        named_graphs += form.get("named-graph-uri", [])
        if text is None:
            return _error(400, "the form has no 'query' (or 'update') field")
    else:
        return _error(415, f"unsupported content type {ctype or '(none)'}; send application/sparql-query "
                           "or an application/x-www-form-urlencoded form with query=")
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_execute, request, text, default_graphs, named_graphs, runner, settings,
                                   store)

