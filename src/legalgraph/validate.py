"""Validating entries against the SHACL shapes, in the context of the existing graph.

An entry is validated with only the part of the graph it touches: the ontology and vocabularies, and the
stored descriptions of every IRI the entry mentions. That keeps validation fast however large the graph
grows (pySHACL over the whole graph is the slow baseline in ``bench/``), and lets references to existing
laws and agencies resolve while a reference to a missing one is reported.

Layers: :func:`validate` returns a :class:`Report`; :func:`render` prints it as ``human``, ``json`` or
``turtle``; the CLI maps it to exit codes (0 conforms, 1 violations, 2 bad input).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .namespaces import ID, PREFIXES, VOCAB
from .sparql import bind_many
from .store import PROJECT_ROOT, Store, graph_name

SHAPES_DIR = PROJECT_ROOT / "ontology" / "shapes"
ONTOLOGY_GRAPHS = [graph_name(PROJECT_ROOT / "ontology" / f) for f in ("legalgraph.ttl", "vocabularies.ttl")]

NEIGHBOURHOOD = """
CONSTRUCT { ?n ?p ?o . ?o a ?type . ?o rdfs:label ?label . }
WHERE {
  ?n ?p ?o .
  OPTIONAL { ?o a ?type }
  OPTIONAL { ?o rdfs:label ?label }
}
"""

#: The benchmark nodes, whose thresholds the benchmark shapes read.
BENCHMARKS = "CONSTRUCT { ?b ?p ?o } WHERE { ?b a lg:Benchmark ; ?p ?o }"

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


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

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


def load_shapes(names: tuple[str, ...] = ("integrity", "benchmarks")) -> Graph:
    g = Graph()
    for name in names:
        g.parse(SHAPES_DIR / f"{name}.ttl")
    return g


_CONTEXT_CACHE: dict[tuple[int, int], Graph] = {}


def _context(store: Store) -> Graph:
    """Ontology, vocabularies and benchmark nodes: the same for every entry, so kept until the store changes."""
    key = (id(store), len(store))
    if key not in _CONTEXT_CACHE:
        g = Graph()
        for name in ONTOLOGY_GRAPHS:
            g += store.graph(name)
        g += store.query(BENCHMARKS).graph or Graph()
        _CONTEXT_CACHE.clear()
        _CONTEXT_CACHE[key] = g
    return _CONTEXT_CACHE[key]


def neighbourhood(store: Store, entry: Graph) -> Graph:
    """The entry, the ontology, and the stored description of every project IRI the entry mentions."""
    g = Graph()
    g += _context(store)
    ours = (str(ID), str(VOCAB))
    mentioned = sorted({t for triple in entry for t in triple
                        if isinstance(t, URIRef) and str(t).startswith(ours)})
    if mentioned:
        context = store.query(bind_many(NEIGHBOURHOOD, "n", mentioned)).graph
        if context is not None:
            g += context
    g += entry
    return g


def validate(store: Store, entry: Graph, shapes: Graph | None = None) -> Report:
    """Validate ``entry`` in the context of ``store``; only the entry's subjects are focus nodes."""
    shapes = shapes if shapes is not None else load_shapes()
    data = neighbourhood(store, entry)
    focus = sorted({s for s in entry.subjects() if isinstance(s, URIRef)})
    _, report_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, allow_infos=True,
        focus_nodes=focus or None,
    )
    results = _results(report_graph, data, shapes)
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results,
                  graph=report_graph)


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
    """A result path as text: a property, or ``a|b|c`` for an alternative path."""
    if isinstance(path, BNode):
        alternatives = report.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_short(data, p) or "" for p in Collection(report, alternatives))
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_short(data, inverse)}"
    return _short(data, path)


def _results(report: Graph, data: Graph, shapes: Graph) -> list[Result]:
    for prefix, ns in PREFIXES.items():
        data.bind(prefix, ns, override=True)
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        shape = report.value(r, SH.sourceShape)
        label = data.value(focus, RDFS.label) if focus is not None else None
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
            message=str(message) if message is not None else "",
            shape=str(shapes.value(shape, SH.name) or _short(shapes, shape) or ""),
        ))
    return sorted(out, key=lambda x: (SEVERITY_ORDER.get(x.severity, 9), x.focus, x.path or "", x.message))


def render(report: Report, fmt: str = "human") -> str:
    if fmt == "json":
        return json.dumps({"conforms": report.conforms,
                           "results": [asdict(r) for r in report.results]}, indent=2, ensure_ascii=False)
    if fmt == "turtle":
        assert report.graph is not None
        return report.graph.serialize(format="turtle")
    if not report.results:
        return "Conforms: no problems found."
    rows = [(r.severity, r.focus, r.path or "", r.value or "", r.message) for r in report.results]
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


def shapes_paths() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))
