"""Pages for people, each with a machine twin: home, entity pages, browse, search, canned queries, validate."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from ... import i18n
from ...errors import BadInput
from ...formats import GRAPH_TYPES, MEDIA, serialise
from ...namespaces import ID, LG, VOCAB, short
from ...services import asof, benchmarks, catalogue, compare, entities, history
from ...services import search as search_service
from ...services.memo import per_version
from ...store.base import Answer
from ..deps import StoreDep, flag
from ..negotiation import PAGE, QUERY, RESOURCE, alternates, negotiate, page_or_json, split_twin
from ..rendering import page_language, render_page

router = APIRouter()
HOME_CLASSES = ("LegalAct", "PerpetratorProgramme", "Organisation", "Recommendation", "Obligation", "Discrepancy")
#: The questions the home page opens with, each a link to the page that answers it (a canned query).
_ = i18n.N_
QUESTIONS = [
    (_("How long do protection orders last?"), "/queries/protection-orders"),
    (_("Which programmes meet the six-month benchmark?"), "/queries/programmes-vs-benchmark"),
    (_("Who must run perpetrator programmes in Kyrgyzstan?"), "/queries/programme-obligations?country=kyrgyzstan"),
    (_("Was domestic violence a crime in 2016, and under which law?"), "/queries/dv-law-and-criminalisation?asOf=2016"),
    (_("Where does the report contradict itself?"), "/queries/discrepancies"),
    (_("What does the report recommend to each country, by topic?"), "/queries/recommendations-by-topic"),
    (_("Which countries have no perpetrator programme in operation?"), "/queries/countries-without-programmes"),
    (_("What happens to a perpetrator who does not attend a mandatory programme?"),
     "/queries/non-attendance-sanctions"),
]
#: What the search page calls the vocabulary's concepts (not an ontology class)
VOCABULARY_TERM = _("Vocabulary term")
#: The search page's heading for hits that belong to no one country
REGIONAL = _("Regional or international")


@router.get("/", response_class=HTMLResponse, tags=["Pages"], summary="Home page", responses=PAGE.responses())
def home(request: Request, store: StoreDep, format: str | None = None) -> Response:
    idx = entities.index(store)
    counts = idx.counts()
    if page_or_json(request) == "application/json":
        return JSONResponse({"questions": [{"question": q, "href": link} for q, link in QUESTIONS],
                             "countries": [str(ID[f"country/{c}"]) for c, _ in idx.countries],
                             "counts": {f"lg:{c}": counts[c] for c in sorted(HOME_CLASSES) if counts[c]}})
    lang = page_language(request)
    names = entities.class_labels(store, lang)
    return render_page(request, "home.html", {
        "questions": QUESTIONS, "countries": entities.countries(store, lang),
        "counts": [(names.get(c, c), c, counts[c]) for c in sorted(HOME_CLASSES) if counts[c]]})


# --------------------------------------------------------------- resources

def _resource(request: Request, store: StoreDep, iri: URIRef, base_path: str, ext: str | None) -> Response:
    media = negotiate(request, RESOURCE, ext, base_path)
    link = {"Link": alternates(base_path, GRAPH_TYPES)}
    only = flag(request, "reportOnly")
    if only:  # the report's facts alone (page and twins): an entity only an entry brought is not found
        store = asof.report_view(store)
    if media != "text/html":
        ctype, body = serialise(Answer("graph", graph=entities.describe(store, iri)), media)
        return Response(body, media_type=ctype, headers=link)
    year = catalogue.parse_year(request.query_params.get("asOf", "2023"))
    # a country page answers as of its year (2023 unless asked); another entity's findings are the current
    # ones unless a year is asked: the same rows as `assess [--as-of YEAR]`
    findings_year = year if "asOf" in request.query_params else None
    context = _entity_context(store, iri, year, page_language(request), findings_year)
    return render_page(request, "entity.html", {**context, "base_path": base_path, "report_only": only},
                       headers=link)


@per_version(maxsize=256)
def _entity_context(store: StoreDep, iri: URIRef, year: int, lang: str = "en",
                    findings_year: int | None = None) -> dict:
    """What an entity page shows, from the services; it depends only on the store's content and the page's
    language (the labels), so it is kept per store version and language (the most recent 256 pages) and
    shared: the route builds a new dict around it."""
    graph = entities.describe(store, iri)
    incoming = entities.incoming(store, iri)
    iris = {t for triple in graph for t in triple if isinstance(t, URIRef)} | {t for r in incoming for t in r}
    names = entities.labels(store, iris, lang)
    props = sorted(((names.get(p, short(p)), p, o) for p, o in graph.predicate_objects(iri)
                    if p != RDFS.label), key=lambda x: (x[0], str(x[2])))
    added = history.added_by(store, [iri]).get(iri)
    as_of = None
    country = (iri, RDF.type, LG.Country) in graph
    if country:  # a country page answers "as of" a year (?asOf=, default 2023)
        as_of = {"year": year, "rows": compare.country_as_of(store, short(iri).split("/", 1)[1], year)}
    context = {
        "added": added.note if added else None, "history": history.history(store, iri), "as_of": as_of,
        "iri": iri, "label": entities.label(graph, iri, lang) or short(iri), "names": names,
        "types": list(graph.objects(iri, RDF.type)), "props": props, "incoming": incoming,
        "sources": entities.sources(store, iri),
        "findings": benchmarks.findings_for(store, iri, year if country else findings_year),
        "alternates": [(MEDIA[mt][1], mt) for mt in GRAPH_TYPES]}
    return context


ENTITY_RESPONSES = {**RESOURCE.responses({404: {"description": "No such entity"}}),
                    200: {"description": "The entity: HTML, or RDF by Accept, extension or format=",
                          "content": {m: {} for m in ["text/html", *GRAPH_TYPES]}}}


@router.get("/id/{path:path}", tags=["Linked data"], summary="An entity minted by the project",
            responses=ENTITY_RESPONSES)
def entity(path: str, request: Request, store: StoreDep) -> Response:
    """HTML by default; Turtle, N-Triples, JSON-LD or RDF/XML by `Accept` or by extension
    (`.ttl`, `.nt`, `.jsonld`, `.rdf`). Example: `/id/programme/tj-consultation-rooms.ttl`."""
    path, ext = split_twin(path)
    return _resource(request, store, entities.iri(ID, path), f"/id/{path}", ext)


@router.get("/vocab/{path:path}", tags=["Linked data"], summary="A SKOS concept or concept scheme",
            responses=ENTITY_RESPONSES)
def concept(path: str, request: Request, store: StoreDep) -> Response:
    path, ext = split_twin(path)
    return _resource(request, store, entities.iri(VOCAB, path), f"/vocab/{path}", ext)


@router.get("/ontology/{term}", tags=["Linked data"], summary="A class or property of the ontology",
            responses=ENTITY_RESPONSES)
def term(term: str, request: Request, store: StoreDep) -> Response:
    term, ext = split_twin(term)
    return _resource(request, store, entities.iri(LG, term), f"/ontology/{term}", ext)


# ------------------------------------------------------------ browse, search

@router.get("/browse", tags=["Pages"], summary="Browse entities by class and country, with counts",
            responses=PAGE.responses({400: {"description": "Unknown class, country or format, with the valid ones"}}))
def browse(request: Request, store: StoreDep, cls: str | None = None, country: str | None = None,
           format: str | None = None) -> Response:
    """`cls` is a class local name (e.g. `PerpetratorProgramme`), `country` a country (e.g. `tajikistan`).
    The filter state is in the URL; `format=json` gives the machine twin."""
    country = entities.country(store, country)
    cls = entities.class_name(store, cls)
    idx = entities.index(store)
    facets = sorted(idx.counts(country).items(), key=lambda x: (-x[1], x[0]))
    items = []
    if cls:
        items = sorted(((e.iri, e.label) for e in idx.entities.values()
                        if cls in e.types and (country is None or country in e.countries)),
                       key=lambda x: (x[1], str(x[0])))[:500]
    if page_or_json(request) == "application/json":
        return JSONResponse({"class": cls, "country": country, "facets": {f"lg:{c}": n for c, n in facets},
                             "items": [{"iri": str(s), "label": label} for s, label in items]})
    lang = page_language(request)
    names = entities.class_labels(store, lang)
    countries = entities.countries(store, lang)
    return render_page(request, "browse.html", {
        "cls": cls, "country": country, "countries": countries, "class_name": names.get(cls or "", cls),
        "country_name": dict(countries).get(country or "", country),
        "facets": [(c, names.get(c, c), n) for c, n in facets], "items": items})


@router.get("/search", tags=["Pages"], summary="Full-text search in English and Russian, ranked, with facets",
            responses=PAGE.responses({400: {"description": "Unknown type, country, language or format, with "
                                                          "the valid ones"}}))
def search(request: Request, store: StoreDep, q: str = "", type: Annotated[list[str] | None, Query()] = None,
           country: str | None = None, textLang: str | None = None,
           limit: Annotated[int, Query(ge=search_service.MIN_LIMIT, le=search_service.MAX_LIMIT)] = 50,
           format: str | None = None) -> Response:
    """Finds entities by the words of their labels, descriptions, evidence quotations and texts (plural and
    case variants match). `type` (a class local name, e.g. `Organisation`; repeatable), `country` and
    `textLang` (only texts in `en` or `ru`, and untagged ones) filter; the facets count what each other choice
    would give; `suggestions` offers near matches when nothing is found. `format=json` for the twin
    (`lang` is the interface's language, as on every page)."""
    lang = textLang
    machine = page_or_json(request) == "application/json"
    q = q[: search_service.MAX_QUERY_CHARS]  # all the search reads: a page repeats no more of it than that
    ui = page_language(request)
    # a page shows the hits' labels in its own language where the graph has them; the twin as the filter says
    results = search_service.search(store, q, types=type, country=country, lang=lang, limit=limit,
                                    label_lang=None if machine or lang else ui, lang_param="textLang")
    slug = entities.country(store, country)
    types = [str(t).removeprefix("lg:") for t in type or () if str(t).strip()]

    def slug_of(iri: object) -> str | None:
        return str(iri).rsplit("/", 1)[-1] if iri is not None else None

    if machine:  # the one twin shape, also `legalgraph search --format json`
        return JSONResponse(search_service.twin(store, results, types=type, country=country, lang=lang))
    country_names = dict(entities.countries(store, ui))
    with i18n.using(ui):
        class_names = {**entities.class_labels(store, ui), "Concept": i18n.gettext(VOCABULARY_TERM)}
        regional = i18n.gettext(REGIONAL)

    def link(**changes: object) -> str:
        params = {"q": q, "type": types, "country": slug, "textLang": lang}
        params.update(changes)
        return "/search?" + urlencode({k: v for k, v in params.items() if v}, doseq=True)

    groups = [(t, class_names.get(t, t), [(c, country_names.get(slug_of(c) or "", "") if c else "", hits)
                                          for c, hits in _by_country(hits_of_type).items()])
              for t, hits_of_type in results.by_type().items()]
    return render_page(request, "search.html", {
        "search_text": q, "results": results, "groups": groups, "types": types, "country": slug, "text_lang": lang,
        "type_facets": [(t, class_names.get(t, t), n, link(type=[t]), t in types)
                        for t, n in results.type_facets.items()],
        "country_facets": [(slug_of(c), country_names.get(slug_of(c) or "", "") if c else regional,
                            n, link(country=slug_of(c)) if c else None, slug_of(c) == slug)
                           for c, n in results.country_facets.items()],
        "clear_type": link(type=[]) if types else None, "clear_country": link(country=None) if slug else None,
        "suggestions": [(s, link(q=s)) for s in results.suggestions]})


def _by_country(hits: list) -> dict:
    groups: dict = {}
    for h in hits:
        groups.setdefault(h.country, []).append(h)
    return groups


# ---------------------------------------------------------------- queries

@router.get("/queries", tags=["Canned queries"], summary="The canned query library", responses=PAGE.responses())
def query_list(request: Request, format: str | None = None) -> Response:
    lib = catalogue.library()
    if page_or_json(request) == "application/json":
        return JSONResponse([{"name": q.name, "title": q.title, "description": q.description, "tags": q.tags,
                              "parameters": [p.describe() for p in q.params]} for q in lib.values()])
    return render_page(request, "queries.html", {"queries": list(lib.values())})


@router.get("/queries/{name}/text", tags=["Canned queries"], summary="The text of a canned query",
            responses={200: {"content": {"application/sparql-query": {}}}, 404: {"description": "No such query"}})
def query_text(name: str) -> Response:
    return Response(catalogue.get(name).text, media_type="application/sparql-query")


@router.get("/queries/{name}", tags=["Canned queries"], summary="Run a canned query",
            responses=QUERY.responses({400: {"description": "Bad parameter or format, with the valid values"},
                                      404: {"description": "No such query"},
                                      422: {"description": "Answer over a bound"}}))
def query_page(name: str, request: Request, store: StoreDep) -> Response:
    """Parameters are query-string arguments (e.g. `?country=tajikistan&asOf=2016`). Add `.json`, `.csv`,
    `.tsv` or `.srx` to the name, or `format=`, or send `Accept`, for the machine twins. Rows whose fact an
    added entry brought are marked on the page; `reportOnly=1` leaves them out (page and twins)."""
    name, ext = split_twin(name)
    query = catalogue.get(name)
    only = flag(request, "reportOnly")
    if only:
        store = asof.report_view(store)  # the report's facts alone, as if no entry had been added
    given = {k: v for k, v in request.query_params.items() if v != "" and k not in ("format", "reportOnly", "lang")}
    media = negotiate(request, QUERY, ext, f"/queries/{name}")
    if media == "text/html":
        try:
            answer = catalogue.run(store, query, given)
        except BadInput as exc:
            return render_page(request, "query.html", {"query": query, "given": given, "error": str(exc)},
                               exc.status)
        names = entities.labels(store, [t for row in answer.rows for t in row], page_language(request))
        # the twins' links keep the parameters; their extension names the format (format= would contradict it)
        twin_query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "format"])
        return render_page(request, "query.html", {"query": query, "given": given, "result": answer,
                                                   "marks": history.row_marks(store, answer), "report_only": only,
                                                   "names": names, "query_string": twin_query})
    answer = catalogue.run(store, query, given)
    ctype, body = serialise(answer, media)
    return Response(body, media_type=ctype)


# --------------------------------------------------------------- validate

@router.get("/validate", response_class=HTMLResponse, tags=["Validation"], summary="Validation form")
def validate_form(request: Request) -> Response:
    return render_page(request, "validate.html", {})
