"""Validating entries against the SHACL shapes, in the context of the existing graph.

An entry is validated with only the part of the graph it touches: the ontology and vocabularies, and the
stored descriptions of every IRI the entry mentions. That keeps validation fast however large the graph
grows (pySHACL over the whole graph is the slow baseline in ``bench/``), and lets references to existing
laws and agencies resolve while a reference to a missing one is reported.

Layers: :func:`validate` returns a :class:`Report`; :func:`render` prints it as ``human``, ``json`` or
``turtle``; the CLI maps it to exit codes (0 conforms, 1 violations, 2 bad input).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.query import Result as QueryResult
from rdflib.term import Node, Variable

from ..humanize import in_words
from ..i18n import N_
from ..namespaces import ID, LG, PREFIXES, VOCAB
from ..settings import PROJECT_ROOT
from ..store.base import Store, graph_name
from ..store.memory import RDFLIB_PARSE_LOCK
from .catalogue import internal

SHAPES_DIR = PROJECT_ROOT / "ontology" / "shapes"
ONTOLOGY_GRAPHS = [graph_name(PROJECT_ROOT / "ontology" / f) for f in ("legalgraph.ttl", "vocabularies.ttl")]


SEVERITY_ORDER = {N_("Violation"): 0, N_("Warning"): 1, N_("Info"): 2}


@dataclass
class Result:
    severity: str
    focus: str
    focus_label: str
    path: str | None
    value: str | None
    message: str
    shape: str


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None
    #: the SHACL report as Turtle, kept when the report travels from a worker without its graph
    turtle: str | None = None

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


def load_shapes(names: tuple[str, ...] = ("integrity", "benchmarks")) -> Graph:
    g = Graph()
    for name in names:
        g.parse(SHAPES_DIR / f"{name}.ttl")
    return g


_SHAPES_CACHE: dict[tuple[tuple[str, int, int], ...], Graph] = {}


def _default_shapes() -> Graph:
    """The shapes :func:`validate` uses, parsed once and re-read only when a shapes file changes.

    Parsing took ~30 ms a call. pySHACL only reads the shapes graph (bar two RDFS system triples it adds
    before reading, the same every time), so one parsed graph serves every call.
    """
    key = tuple((name, st.st_mtime_ns, st.st_size)
                for name in ("integrity", "benchmarks") for st in [(SHAPES_DIR / f"{name}.ttl").stat()])
    shapes = _SHAPES_CACHE.get(key)
    if shapes is None:
        shapes = load_shapes()
        _SHAPES_CACHE.clear()
        _SHAPES_CACHE[key] = shapes
    return shapes


def shapes() -> Graph:
    """The shapes graph validation uses (integrity and benchmarks), re-read when a shapes file changes; read it,
    never write it. The entry editor's forms are generated from it (services/forms.py)."""
    return _default_shapes()


@lru_cache(maxsize=512)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...]) -> Any:
    with RDFLIB_PARSE_LOCK:
        return prepareQuery(text, initNs=dict(namespaces))


#: SHA-256 of the ``sh:select`` text of ``lgsh:KnownTermsShape`` that :func:`_known_terms` implements. Edit
#: the query and the hash no longer matches: pySHACL then runs the query itself (right, but slow) and
#: ``tests/test_validate.py`` fails until the Python below is brought in line and the hash updated.
KNOWN_TERMS_SHA256 = "dcfccbd97a001b4c65f9f666081d9c2ee7220a4c3087cdf660f0f001f8572c10"
#: The prefixes the query's text relies on (``sh:declare`` in ontology/shapes/integrity.ttl).
_KNOWN_TERMS_PREFIXES = {"lg": str(LG), "owl": str(OWL), "rdf": str(RDF), "dcterms": str(DCTERMS)}
_KNOWN_TERMS_VARS = [Variable("this"), Variable("path"), Variable("value"), Variable("problem")]
_OURS = (str(ID), str(VOCAB))


#: SHA-256 of the ``sh:select`` text of the target of ``lgsh:KnownTermsShape`` (every subject in the data
#: graph), which :func:`_every_subject` answers; the same arrangement as :data:`KNOWN_TERMS_SHA256`.
EVERY_SUBJECT_SHA256 = "e93fa9a92d0bb875c7b8296c7ab27a7e1f6fc6dfb54ee3246fd79793d040e120"
_EVERY_SUBJECT_VARS = [Variable("this")]


def _is_known_terms_query(text: str, sha256: str = KNOWN_TERMS_SHA256) -> bool:
    """Whether ``text`` is the known-terms query as pySHACL sends it: ``PREFIX`` lines, a blank line, the query.

    With ``sha256``, whether it is that other query of the known-terms shape (its target).
    """
    head, _, body = text.partition("\n\n")
    if hashlib.sha256(body.encode()).hexdigest() != sha256:
        return False
    declared = {}
    for line in head.splitlines():
        prefix, _, rest = line.removeprefix("PREFIX ").partition(": ")
        declared[prefix] = rest.strip("<>")
    return all(declared.get(k) == v for k, v in _KNOWN_TERMS_PREFIXES.items())


def _known_terms(g: Graph, this: Node) -> list[dict[Variable, Node]]:
    """The solutions of the known-terms query for one focus node, by set lookups instead of rdflib's SPARQL.

    The same rows in the same order as the query: its three UNION branches in turn, each over the focus
    node's triples in the graph's own order. rdflib took ~10 ms a focus node to evaluate the query (most of
    an entry's validation time); this takes microseconds. ``tests/test_validate.py`` compares the two on
    every typed node of the shipped graph and on entries with every kind of mistake.
    """
    rows: list[dict[Variable, Node]] = []
    this_v, path_v, value_v, problem_v = _KNOWN_TERMS_VARS
    lg = str(LG)
    own = list(g.predicate_objects(this))
    for p, o in own:
        if (str(p).startswith(lg) and (p, RDF.type, OWL.ObjectProperty) not in g
                and (p, RDF.type, OWL.DatatypeProperty) not in g):
            problem = f"Unknown property {p}: check its spelling against ontology/legalgraph.ttl."
            rows.append({this_v: this, path_v: p, value_v: o, problem_v: Literal(problem)})
    for p, o in own:
        if p == RDF.type and str(o).startswith(lg) and (o, RDF.type, OWL.Class) not in g:
            problem = f"Unknown class {o}: check its spelling against ontology/legalgraph.ttl."
            rows.append({this_v: this, path_v: RDF.type, value_v: o, problem_v: Literal(problem)})
    for p, o in own:
        if (isinstance(o, URIRef) and p != RDF.type and p != DCTERMS.source and str(o).startswith(_OURS)
                and (o, RDF.type, None) not in g):
            problem = f"{o} is not defined in the graph: fix the IRI, or add the entity it refers to in the same entry."
            rows.append({this_v: this, path_v: p, value_v: o, problem_v: Literal(problem)})
    for p, o in own:
        if (p != RDF.type and not str(p).startswith(lg) and (p, RDF.type, OWL.ObjectProperty) not in g
                and (p, RDF.type, OWL.DatatypeProperty) not in g and (p, RDF.type, OWL.AnnotationProperty) not in g):
            problem = (f"Property {p} is not a term of the ontology: use the lg: properties, or the rdfs:, dcterms:, "
                       "eli:, org:, prov: and skos: terms that ontology/legalgraph.ttl declares.")
            rows.append({this_v: this, path_v: p, value_v: o, problem_v: Literal(problem)})
    for p, o in own:
        if p == RDF.type and not str(o).startswith(lg) and (o, RDF.type, OWL.Class) not in g:
            problem = (f"Class {o} is not a class of the ontology: type entities with the lg: classes of "
                       "ontology/legalgraph.ttl, e.g. lg:LegalAct or lg:PerpetratorProgramme.")
            rows.append({this_v: this, path_v: RDF.type, value_v: o, problem_v: Literal(problem)})
    declared = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for via, node in own:
        if isinstance(node, BNode):
            for p, o in g.predicate_objects(node):
                if p != RDF.type and not any((p, RDF.type, kind) in g for kind in declared):
                    problem = (f"Property {p} (on a blank node of {via}) is not a term of the ontology: check its "
                               "spelling against ontology/legalgraph.ttl.")
                    rows.append({this_v: this, path_v: p, value_v: o, problem_v: Literal(problem)})
    for via, node in own:
        if isinstance(node, BNode):
            for o in g.objects(node, RDF.type):
                if (o, RDF.type, OWL.Class) not in g:
                    problem = (f"Class {o} (of a blank node of {via}) is not a class of the ontology: check its "
                               "spelling against ontology/legalgraph.ttl.")
                    rows.append({this_v: this, path_v: RDF.type, value_v: o, problem_v: Literal(problem)})
    if not str(this).startswith(str(ID)):
        problem = (f"{this} is not an entity of this graph: an entry describes entities named under {ID} (see "
                   f"docs/MODELLING.md), so write its subjects as <{ID}{{type}}/{{slug}}>.")
        rows.append({this_v: this, problem_v: Literal(problem)})
    return rows


def _every_subject(g: Graph, focus: list[URIRef] | None = None) -> list[dict[Variable, Node]]:
    """The solutions of the known-terms shape's target query (``SELECT DISTINCT ?this WHERE { ?this ?p ?o }``).

    Without ``focus``: the graph's subjects, in the order the query gives them (``tests/test_validate.py``
    compares the two). With ``focus``, only those of the focus nodes that are subjects: pySHACL keeps nothing
    else of a target's answer when it is given focus nodes, and listing every subject of the context took
    ~14 ms an entry (rdflib's evaluation of the query, ~1 µs a triple, more).
    """
    subjects = (s for s in focus if (s, None, None) in g) if focus is not None else dict.fromkeys(g.subjects())
    return [{_EVERY_SUBJECT_VARS[0]: s} for s in subjects]


class DataGraph(Graph):
    """The graph pySHACL validates, answering its SPARQL quickly with the same solutions.

    pySHACL hands rdflib the text of a SPARQL constraint (or SHACL function) for every focus node it
    checks. rdflib's pyparsing parser takes ~40 ms a query, so each text is parsed once per process here
    and the parsed query evaluated exactly as before (same engine, bindings and namespaces). The
    known-terms query, the slowest to evaluate, is answered by :func:`_known_terms`. pySHACL still turns
    the solutions into results, so messages, paths, values and the report graph are unchanged.
    """

    #: The focus nodes of the validation under way, which :func:`_every_subject` may restrict itself to.
    focus: list[URIRef] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix, ns in PREFIXES.items():  # as _results binds them: the namespaces never change after
            self.bind(prefix, ns, override=True)

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
              initNs: Any = None, initBindings: Any = None, use_store_provided: bool = True,
              **kwargs: Any) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and result == "sparql":
            this = (initBindings or {}).get("this")
            if this is not None and len(initBindings) == 1 and _is_known_terms_query(query_object):
                answer = QueryResult("SELECT")
                answer.vars = list(_KNOWN_TERMS_VARS)
                answer.bindings = _known_terms(self, this)
                return answer
            if not initBindings and _is_known_terms_query(query_object, EVERY_SUBJECT_SHA256):
                answer = QueryResult("SELECT")
                answer.vars = list(_EVERY_SUBJECT_VARS)
                answer.bindings = _every_subject(self, self.focus)
                return answer
            ns = initNs or dict(self.namespaces())
            query_object = _prepared(query_object, tuple(sorted((str(k), str(v)) for k, v in ns.items())))
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided,
                             **kwargs)


def _check_each_query_text_once() -> None:
    """Make pySHACL check a SPARQL constraint's text once per text rather than once per focus node.

    Before each focus node, pySHACL's ``SPARQLQueryHelper.check_invalid_sparql`` searches the constraint's
    text for MINUS, SERVICE, VALUES and nested SELECTs with regexes that backtrack from every line start to
    the next ``#``: quadratic in the length of the text, ~8 ms a focus node for the known-terms query. The
    check depends only on the text and on which variables may be pre-bound, so a text that passed once
    passes again; one that fails still raises every time.
    """
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    check = SPARQLQueryHelper.check_invalid_sparql
    if getattr(check, "checks_each_text_once", False):
        return
    passed: set[tuple[str, bool, tuple[str, ...]]] = set()

    def check_once(self: Any, sparql_text: str, valuenode: Any = None, extravars: Any = None) -> bool:
        key = (sparql_text, valuenode is not None, tuple(sorted(map(str, extravars or ()))))
        if key not in passed:
            check(self, sparql_text, valuenode=valuenode, extravars=extravars)
            if len(passed) > 1024:
                passed.clear()
            passed.add(key)
        return True

    check_once.checks_each_text_once = True  # type: ignore[attr-defined]
    SPARQLQueryHelper.check_invalid_sparql = check_once  # type: ignore[method-assign]



_CONTEXT_CACHE: dict[tuple[Any, ...], Graph] = {}
_CONTEXT_LOCK = threading.Lock()
_VALIDATION_LOCK = threading.Lock()
#: The data graph :func:`validate` reuses: (context key, graph holding the context alone, its size).
_DATA: tuple[tuple[Any, ...], Graph, int] | None = None


def _context_key(store: Store) -> tuple[Any, ...]:
    """What the cached context is made of, counted: it is rebuilt when a count changes (``len(store)`` is a full
    scan in Oxigraph, 0.17 s at 1M triples, and changed with every entry added)."""
    rows = store.query(internal("context-size").text, {"g": list(ONTOLOGY_GRAPHS)}).rows
    return (id(store), *rows)


def _context(store: Store, key: tuple[Any, ...] | None = None) -> Graph:
    """Ontology, vocabularies and benchmark nodes: the same for every entry, so kept until they change.

    Shared by all threads: read it, never write it.
    """
    key = key or _context_key(store)
    with _CONTEXT_LOCK:
        g = _CONTEXT_CACHE.get(key)
    if g is None:
        g = Graph()
        for name in ONTOLOGY_GRAPHS:
            g += store.graph(name)
        g += store.query(internal("benchmark-nodes").text, max_rows=None).graph or Graph()
        with _CONTEXT_LOCK:
            _CONTEXT_CACHE.clear()
            _CONTEXT_CACHE[key] = g
    return g


def context(store: Store) -> Graph:
    """The ontology, the vocabularies and the benchmark nodes as validation reads them (cached until they
    change); read it, never write it."""
    return _context(store)


def _surroundings(store: Store, entry: Graph) -> Graph | None:
    """The stored description of every project IRI the entry mentions, with the types and labels it points at."""
    ours = (str(ID), str(VOCAB))
    mentioned = sorted({t for triple in entry for t in triple
                        if isinstance(t, URIRef) and str(t).startswith(ours)})
    return store.query(internal("neighbourhood").text, {"n": mentioned}, max_rows=None).graph if mentioned else None


def amended(entry: Graph) -> set[URIRef]:
    """The existing entities an entry declares it amends (``<amendment/…> a lg:Amendment ; lg:amends <x>``)."""
    return {o for a in entry.subjects(RDF.type, LG.Amendment) for o in entry.objects(a, LG.amends)
            if isinstance(o, URIRef)}


def _replaced(entry: Graph) -> set[tuple[Node, Node]]:
    """(entity, property) pairs whose stored values an amendment in the entry replaces: the entry's own
    values of that property stand for the entity in validation (an amendment is not a second value)."""
    return {(s, p) for s in amended(entry) for p in entry.predicates(s) if p != RDF.type}


def _surrounding_triples(store: Store, entry: Graph) -> Iterator[tuple[Node, Node, Node]]:
    replaced = _replaced(entry)
    for s, p, o in _surroundings(store, entry) or Graph():
        if (s, p) not in replaced:
            yield s, p, o


def neighbourhood(store: Store, entry: Graph) -> Graph:
    """The entry, the ontology, and the stored description of every project IRI the entry mentions."""
    g = DataGraph()
    g += _context(store)
    for triple in _surrounding_triples(store, entry):
        g.add(triple)
    g += entry
    return g


@contextmanager
def _data_graph(store: Store, entry: Graph) -> Iterator[Graph]:
    """:func:`neighbourhood`, without copying the context (~2,000 triples, 25 ms) for every entry.

    One copy of the context is kept; the entry and its surroundings are added to it for the validation
    and removed after, so the copy is back to the context alone whatever happens. Triples are added in
    the order :func:`neighbourhood` adds them, so the graph is the same, down to its order. Callers hold
    ``_VALIDATION_LOCK``.
    """
    global _DATA
    key = _context_key(store)
    kept = _DATA
    if kept is None or kept[0] != key:
        g = DataGraph()
        g += _context(store, key)
        kept = (key, g, len(g))
    _, g, size = kept
    _DATA = None  # in use; put back below once it holds the context alone again
    added = []
    try:
        for part in (_surrounding_triples(store, entry), entry):
            for triple in part:
                if triple not in g:
                    g.add(triple)
                    added.append(triple)
        yield g
    finally:
        for triple in added:
            g.remove(triple)
        if len(g) == size:  # pySHACL changed nothing (it could only with rules, and ours have none)
            _DATA = kept


#: The namespace in which :func:`_name_loose_blank_nodes` names blank nodes that hang from no entity.
LOOSE_BLANK_NODE = "urn:legalgraph:blank-node:"


def _name_loose_blank_nodes(entry: Graph) -> Graph:
    """``entry``, with every blank-node subject that hangs from no IRI subject named ``urn:legalgraph:blank-node:…``.

    pySHACL only takes IRIs as focus nodes, so a blank node that is not reached from one of the entry's
    entities (``[] <http://example.org/p> "spam"``) would be checked by no shape. Named, it is a focus node
    like any other subject, and the known-terms shape refuses it as no entity of the graph. Blank nodes
    reached from an entity (a structured value) are left as they are.
    """
    blank_subjects = {s for s in entry.subjects() if isinstance(s, BNode)}
    if not blank_subjects:
        return entry
    reached: set[BNode] = set()
    todo = [o for s, _, o in entry if isinstance(s, URIRef) and isinstance(o, BNode)]
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo.extend(o for o in entry.objects(node) if isinstance(o, BNode))
    loose = {b: URIRef(f"{LOOSE_BLANK_NODE}{b}") for b in blank_subjects - reached}
    if not loose:
        return entry
    named = Graph()
    for s, p, o in entry:
        named.add((loose.get(s, s), p, loose.get(o, o)))  # type: ignore[arg-type]
    return named


def _empty_report() -> Graph:
    g = Graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(True)))
    return g


def validate(store: Store, entry: Graph, shapes: Graph | None = None) -> Report:
    """Validate ``entry`` in the context of ``store``; only the entry's subjects are focus nodes."""
    shapes = shapes if shapes is not None else _default_shapes()
    entry = _name_loose_blank_nodes(entry)
    focus = sorted({s for s in entry.subjects() if isinstance(s, URIRef)})
    if not focus:  # an empty entry: nothing to check (without focus nodes pySHACL would check the whole context)
        return Report(conforms=True, results=[], graph=_empty_report())
    # One validation at a time: pySHACL registers the shapes' SPARQL functions (lgb:days) in rdflib's
    # global registry for the length of a run and removes them at its end, so two runs at once (the web
    # API validates in a thread pool) could see lgb:days unregistered and miss a benchmark result.
    # Validation is CPU-bound Python under the GIL, so the lock costs next to no throughput.
    _check_each_query_text_once()
    with _VALIDATION_LOCK, _data_graph(store, entry) as data:
        # inplace: the data graph is ours alone for the call, so pySHACL need not copy it (in advanced
        # mode it would, every time).
        data.focus = focus
        try:
            import pyshacl  # imported here: `assess` and read-only commands never need it (0.1 s)

            _, report_graph, _ = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
                allow_infos=True, focus_nodes=focus, inplace=True,
            )
        finally:
            data.focus = None
        results = _results(report_graph, data, shapes)
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results,
                  graph=report_graph)


def shape_name(shapes: Graph, shape: Node | None, lang: str = "en") -> str | None:
    """A shape's ``sh:name`` in ``lang`` (English: an untagged or ``@en`` name). A shape may name itself in several
    languages (the editor's Russian field names); results and forms must not pick one at random."""
    if shape is None:
        return None
    for name in shapes.objects(shape, SH.name):
        if isinstance(name, Literal) and (name.language == lang or (lang == "en" and name.language is None)):
            return str(name)
    return None


def _short(g: Graph, term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        if str(term).startswith(str(ID)):
            return str(term)[len(str(ID)) :]
        try:
            return g.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    return str(term)


def _path(report: Graph, data: Graph, path: Node | None) -> str | None:
    """A result path as text: a property, ``a|b|c`` for an alternative path, ``a/b`` for a sequence."""
    if isinstance(path, BNode):
        alternatives = report.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_short(data, p) or "" for p in Collection(report, alternatives))
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_short(data, inverse)}"
        if report.value(path, RDF.first) is not None:  # a sequence path: p/q
            return "/".join(_short(data, p) or "" for p in Collection(report, path))
    return _short(data, path)


_IRI_IN_TEXT = re.compile(r"<?(https?://[^\s<>\"'(),]+[^\s<>\"'(),.:;])>?")


def quoted_iris(message: str) -> set[URIRef]:
    """The IRIs a message quotes, which :func:`plain_message` names by their labels."""
    return {URIRef(m.group(1)) for m in _IRI_IN_TEXT.finditer(message)}


def plain_message(message: str, data: Graph | Mapping[Node, list[Node]]) -> str:
    """A message for people: the IRIs it quotes named by their English label where the graph has one (an IRI
    without a label, such as a misspelt property or an entity that does not exist, stays as written), and the
    durations it quotes in words ("P1M" -> "1 month"). ``data``: a graph, or each IRI's rdfs:labels."""
    def name(m: re.Match) -> str:
        iri = URIRef(m.group(1))
        found = data.get(iri, []) if isinstance(data, Mapping) else data.objects(iri, RDFS.label)
        labels = [lit for lit in found if isinstance(lit, Literal)]
        english = [lit for lit in labels if lit.language in ("en", None)]
        return str(english[0]) if english else m.group(0)
    return in_words(_IRI_IN_TEXT.sub(name, message))


def _english_label(data: Graph, node: Node) -> Literal | None:
    """The node's English label (else one without a language, else any), the same one every time: a graph's
    ``value()`` picks one at random among several, so a report named Kazakhstan "Казахстан" one run in four."""
    labels = [lit for lit in data.objects(node, RDFS.label) if isinstance(lit, Literal)]
    rank = {"en": 0, None: 1}
    return min(labels, key=lambda lit: (rank.get(lit.language, 2), str(lit.language), str(lit)), default=None)


def _results(report: Graph, data: Graph, shapes: Graph) -> list[Result]:
    for prefix, ns in PREFIXES.items():
        data.bind(prefix, ns, override=True)
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        shape = report.value(r, SH.sourceShape)
        label = _english_label(data, focus) if focus is not None else None
        message = report.value(r, SH.resultMessage)
        if message is None:
            message = shapes.value(shape, SH.message)
        severity = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        value = report.value(r, SH.value)
        out.append(Result(
            severity=severity,
            focus=_short(data, focus) or "",
            focus_label=str(label) if isinstance(label, Literal) else "",
            path=_path(report, data, report.value(r, SH.resultPath)),
            value=None if value == focus else _short(data, value),
            message=plain_message(str(message), data) if message is not None else "",
            shape=shape_name(shapes, shape) or _short(shapes, shape) or "",
        ))
    # value and shape last: they only order results that agree on the rest (two misspelt values of one
    # property), which otherwise came in an order that changed with Python's hash seed.
    return sorted(out, key=lambda x: (SEVERITY_ORDER.get(x.severity, 9), x.focus, x.path or "", x.message,
                                      x.value or "", x.shape))


def render(report: Report, fmt: str = "human") -> str:
    if fmt == "json":
        return json.dumps({"conforms": report.conforms,
                           "results": [asdict(r) for r in report.results]}, indent=2, ensure_ascii=False)
    if fmt == "turtle":
        if report.graph is None:
            return report.turtle or ""
        return report.graph.serialize(format="turtle")
    if not report.results:
        return "Conforms: no problems found."
    # for people: entities by their label where known (the JSON and Turtle reports keep the IRIs), values in words
    rows = [(r.severity, r.focus_label or r.focus, r.path or "", in_words(r.value or ""), r.message)
            for r in report.results]
    head = ("severity", "entity", "property", "value", "message")
    widths = [min(max(len(x[i]) for x in [*rows, head]), cap) for i, cap in enumerate((9, 40, 24, 24, 200))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    n = len(report.violations)
    lines.append("")
    lines.append(f"{'Does not conform' if n else 'Conforms'}: {n} violation(s), "
                 f"{len(report.results) - n} warning(s) or note(s).")
    return "\n".join(lines)
