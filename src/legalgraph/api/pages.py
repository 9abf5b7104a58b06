"""HTML pages with machine twins: home, entity pages, browse, search, canned queries, compare, validate."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .. import __version__, queries
from ..namespaces import ID, LG, PREFIXES, VOCAB
from ..queries import QueryError
from ..results import labels_for, to_csv, to_json
from ..store import Store, StoreError
from ..validate import validate
from .deps import StoreDep
from .negotiation import RDF_TYPES, alternates, choose, wants_json

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter()

SOURCE_NOTE = ("Source: OSCE/UNFPA, Mapping of Programmes for Perpetrators of Domestic Violence in Central Asia. "
               "Facts paraphrased with their report section; data CC BY 4.0, code MIT.")


def local(iri: Node) -> str | None:
    """The path at which this service serves a project IRI, or None for external IRIs."""
    s = str(iri)
    if s.startswith(str(ID)):
        return "/id/" + s[len(str(ID)):]
    if s.startswith(str(VOCAB)):
        return "/vocab/" + s[len(str(VOCAB)):]
    if s.startswith(str(LG)):
        return "/ontology/" + s[len(str(LG)):]
    return None


def href(iri: Node | str | None) -> str | None:
    """Where a link to this term from data may point, or None to show it as text: the one place that decides.

    Project IRIs go to their local page (:func:`local`); other IRIs only if they are absolute http(s)
    addresses. Anything else (``javascript:``, ``data:``, ``vbscript:``, relative or odd text) is never a link.
    """
    if iri is None or isinstance(iri, (Literal, BNode)):
        return None
    path = local(iri)
    if path is not None:
        return path
    s = str(iri)
    scheme, sep, rest = s.partition("://")
    if sep and scheme.lower() in ("http", "https") and rest[:1] not in ("", "/") and not any(
            c.isspace() or ord(c) < 0x20 or c in '<>"`' for c in s):
        return s
    return None


def short(iri: Node) -> str:
    s = str(iri)
    for prefix, ns in PREFIXES.items():
        if s.startswith(ns) and prefix not in ("id",):
            return f"{prefix}:{s[len(ns):]}"
    return s.replace(str(ID), "")


def render_page(request: Request, name: str, context: dict, status: int = 200,
                headers: dict[str, str] | None = None) -> HTMLResponse:
    ctx = {"request": request, "version": __version__, "data_version": request.app.state.data_version,
           "source_note": SOURCE_NOTE, "local": local, "href": href, "short": short, **context}
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status, headers=headers)


def _twin(request: Request, path: str) -> tuple[str, str | None]:
    """Split a trailing .json/.csv/.ttl/... off a path: (path, extension)."""
    for ext in ("jsonld", "json", "csv", "ttl", "nt", "rdf", "html"):
        if path.endswith("." + ext):
            return path[: -len(ext) - 1], ext
    return path, None


# ------------------------------------------------------------------ home

COUNTRIES = """SELECT ?c ?label WHERE { ?c a lg:Country ; rdfs:label ?label FILTER(LANG(?label) = "en") }
ORDER BY ?label"""


@router.get("/", response_class=HTMLResponse, tags=["Pages"], summary="Home page")
def home(request: Request, store: StoreDep) -> Response:
    countries = store.query(COUNTRIES).rows
    counts = store.query("""SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class
        FILTER(?class IN (lg:LegalAct, lg:PerpetratorProgramme, lg:Organisation, lg:Recommendation,
                          lg:Obligation, lg:Discrepancy)) } GROUP BY ?class ORDER BY ?class""").rows
    if choose(request, ["text/html", "application/json"], "text/html") == "application/json":
        return JSONResponse({"countries": [str(c) for c, _ in countries],
                             "counts": {short(c): int(n) for c, n in counts}})
    names = labels_for(store, [c for c, _ in counts])
    return render_page(request, "home.html", {
        "countries": countries, "counts": [(names.get(c, short(c)), c, int(n)) for c, n in counts]})


# --------------------------------------------------------------- resources

DESCRIBE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
INCOMING = "SELECT ?s ?p WHERE { ?s ?p ?o } ORDER BY ?p ?s LIMIT 500"
SECTIONS = "SELECT DISTINCT ?path WHERE { ?s dcterms:source/lg:sectionPath ?path } ORDER BY ?path"


def _resource(request: Request, store: Store, iri: URIRef, base_path: str, ext: str | None) -> Response:
    graph = store.query(DESCRIBE, {"s": iri}).graph or Graph()
    if len(graph) == 0:
        hint = base_path.rsplit("/", 1)[-1].replace("-", " ")
        return render_page(request, "error.html", {
            "title": "Not found", "message": f"No entity {iri} in the graph.",
            "hint": hint}, status=404) if ext in (None, "html") else Response(
            f"No entity {iri} in the graph. Try /search?q={hint}\n", status_code=404, media_type="text/plain")
    offered = ["text/html", *RDF_TYPES]
    media = ({"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
              "rdf": "application/rdf+xml", "html": "text/html"}.get(ext) if ext
             else choose(request, offered, "text/html"))
    link = {"Link": alternates(base_path, list(RDF_TYPES))}
    if media is None:
        return Response(f"Not available as {request.headers.get('accept')}; ask for one of "
                        f"{', '.join(offered)}\n", status_code=406, media_type="text/plain")
    if media != "text/html":
        fmt = RDF_TYPES[media][0]
        kwargs = {"context": PREFIXES, "auto_compact": True} if fmt == "json-ld" else {}
        return Response(graph.serialize(format=fmt, **kwargs), media_type=media, headers=link)
    incoming = store.query(INCOMING, {"o": iri}).rows
    iris = {t for triple in graph for t in triple if isinstance(t, URIRef)} | {t for r in incoming for t in r}
    names = labels_for(store, iris)
    props = sorted(((names.get(p, short(p)), p, o) for p, o in graph.predicate_objects(iri)
                    if p not in (RDFS.label,)), key=lambda x: (x[0], str(x[2])))
    findings = _findings(request, store, iri, graph)
    return render_page(request, "entity.html", {
        "iri": iri, "label": _label(graph, iri) or short(iri), "names": names,
        "types": list(graph.objects(iri, RDF.type)), "props": props,
        "incoming": [(s, p) for s, p in incoming], "sections": [r[0] for r in store.query(SECTIONS, {"s": iri}).rows],
        "findings": findings, "alternates": [(ext_, mt) for mt, (_, ext_) in RDF_TYPES.items()],
        "base_path": base_path}, headers=link)


def _findings(request: Request, store: Store, iri: URIRef, graph: Graph) -> list:
    """Benchmark results for one entity, cached until the store changes (SHACL is too slow per request)."""
    if (iri, RDF.type, None) not in graph or not str(iri).startswith(str(ID)):
        return []
    cache = request.app.state.findings
    key = (store.version(), str(iri))
    if key not in cache:
        if len(cache) > 4096:
            cache.clear()
        report = validate(store, graph)
        cache[key] = [r for r in report.results if r.focus == str(iri)[len(str(ID)):]]
    return cache[key]


def _label(g: Graph, iri: URIRef) -> str | None:
    labels = [lit for lit in g.objects(iri, RDFS.label) if isinstance(lit, Literal)]
    en = [lit for lit in labels if lit.language == "en"]
    return str((en or labels)[0]) if labels else None


@router.get("/id/{path:path}", tags=["Linked data"], summary="An entity minted by the project")
def entity(path: str, request: Request, store: StoreDep) -> Response:
    """HTML by default; Turtle, N-Triples, JSON-LD or RDF/XML by `Accept` or by extension
    (`.ttl`, `.nt`, `.jsonld`, `.rdf`). Example: `/id/programme/tj-consultation-rooms.ttl`."""
    path, ext = _twin(request, path)
    return _resource(request, store, URIRef(f"{ID}{path}"), f"/id/{path}", ext)


@router.get("/vocab/{path:path}", tags=["Linked data"], summary="A SKOS concept or concept scheme")
def concept(path: str, request: Request, store: StoreDep) -> Response:
    path, ext = _twin(request, path)
    return _resource(request, store, URIRef(f"{VOCAB}{path}"), f"/vocab/{path}", ext)


@router.get("/ontology/{term}", tags=["Linked data"], summary="A class or property of the ontology")
def term(term: str, request: Request, store: StoreDep) -> Response:
    term, ext = _twin(request, term)
    return _resource(request, store, URIRef(f"{LG}{term}"), f"/ontology/{term}", ext)


# ------------------------------------------------------------ browse, search

FACETS = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(lg:)) && STRSTARTS(STR(?s), STR(id:)))
  OPTIONAL { { ?s lg:country|lg:jurisdiction|lg:addressee ?c } UNION { ?s eli:is_part_of+/lg:jurisdiction ?c } }
  FILTER(!BOUND(?country) || ?c = ?country)
} GROUP BY ?class ORDER BY DESC(?n)"""
LIST = """SELECT DISTINCT ?s ?label WHERE {
  ?s a ?class ; rdfs:label ?label . FILTER(LANG(?label) = "en" && STRSTARTS(STR(?s), STR(id:)))
  OPTIONAL { { ?s lg:country|lg:jurisdiction|lg:addressee ?c } UNION { ?s eli:is_part_of+/lg:jurisdiction ?c } }
  FILTER(!BOUND(?country) || ?c = ?country)
} ORDER BY ?label LIMIT 500"""


@router.get("/browse", tags=["Pages"], summary="Browse entities by class and country, with counts")
def browse(request: Request, store: StoreDep, cls: str | None = None, country: str | None = None,
           format: str | None = None) -> Response:
    """`cls` is a class local name (e.g. `PerpetratorProgramme`), `country` a country slug (e.g.
    `tajikistan`). The filter state is in the URL; `format=json` gives the machine twin."""
    bind: dict[str, Node] = {}
    if country:
        bind["country"] = URIRef(f"{ID}country/{country}")
    facets = [(c, int(n)) for c, n in store.query(FACETS, bind).rows]
    items = []
    if cls:
        items = store.query(LIST, {**bind, "class": LG[cls]}).rows
    if wants_json(request, format):
        return JSONResponse({"class": cls, "country": country,
                             "facets": {short(c): n for c, n in facets},
                             "items": [{"iri": str(s), "label": str(label)} for s, label in items]})
    names = labels_for(store, [c for c, _ in facets])
    return render_page(request, "browse.html", {
        "cls": cls, "country": country, "countries": store.query(COUNTRIES).rows,
        "facets": [(c, names.get(c, short(c)), n) for c, n in facets], "items": items})


SEARCH = """SELECT DISTINCT ?s ?label ?class WHERE {
  ?s rdfs:label ?label ; a ?class . FILTER(STRSTARTS(STR(?s), STR(id:)) && STRSTARTS(STR(?class), STR(lg:)))
  FILTER(CONTAINS(LCASE(STR(?label)), LCASE(?q)))
} ORDER BY STRLEN(?label) ?label LIMIT 100"""


@router.get("/search", tags=["Pages"], summary="Find entities by label (English or Russian)")
def search(request: Request, store: StoreDep, q: str = "", format: str | None = None) -> Response:
    rows = store.query(SEARCH, {"q": Literal(q.strip()[:200])}).rows if q.strip() else []
    if wants_json(request, format):
        return JSONResponse({"q": q, "results": [{"iri": str(s), "label": str(label), "class": short(c)}
                                                 for s, label, c in rows]})
    return render_page(request, "search.html", {"q": q, "rows": rows})


# ---------------------------------------------------------------- queries

@router.get("/queries", tags=["Canned queries"], summary="The canned query library")
def query_list(request: Request, format: str | None = None) -> Response:
    lib = queries.library()
    if wants_json(request, format):
        return JSONResponse([{"name": q.name, "title": q.title, "description": q.description, "tags": q.tags,
                              "parameters": [p.describe() for p in q.params]} for q in lib.values()])
    return render_page(request, "queries.html", {"queries": list(lib.values())})


@router.get("/queries/{name}/text", tags=["Canned queries"], summary="The text of a canned query")
def query_text(name: str) -> Response:
    try:
        return Response(queries.get(name).text, media_type="application/sparql-query")
    except QueryError as exc:
        return Response(str(exc) + "\n", status_code=404, media_type="text/plain")


@router.get("/queries/{name}", tags=["Canned queries"], summary="Run a canned query")
def query_page(name: str, request: Request, store: StoreDep) -> Response:
    """Parameters are query-string arguments (e.g. `?country=tajikistan&asOf=2016`). Add `.json` or `.csv`
    to the name, or send `Accept`, for the machine twins."""
    name, ext = _twin(request, name)
    try:
        q = queries.get(name)
    except QueryError as exc:
        return render_page(request, "error.html", {"title": "No such query", "message": str(exc)}, 404)
    given = {k: v for k, v in request.query_params.items() if v != ""}
    media = {"json": "application/sparql-results+json", "csv": "text/csv"}.get(ext or "") or choose(
        request, ["text/html", "application/sparql-results+json", "application/json", "text/csv"], "text/html")
    try:
        result = queries.run(store, q, given)
    except (QueryError, StoreError) as exc:
        if media == "text/html":
            return render_page(request, "query.html", {"q": q, "given": given, "error": str(exc)}, 400)
        return Response(str(exc) + "\n", status_code=400, media_type="text/plain")
    if media in ("application/sparql-results+json", "application/json"):
        return Response(to_json(result), media_type="application/sparql-results+json")
    if media == "text/csv":
        return Response(to_csv(result), media_type="text/csv; charset=utf-8")
    names = labels_for(store, {t for row in result.rows for t in row if isinstance(t, URIRef)})
    return render_page(request, "query.html", {"q": q, "given": given, "result": result, "names": names,
                                                "query_string": str(request.url.query)})


# --------------------------------------------------------------- validate

@router.get("/validate", response_class=HTMLResponse, tags=["Validation"], summary="Validation form")
def validate_form(request: Request) -> Response:
    return render_page(request, "validate.html", {})
