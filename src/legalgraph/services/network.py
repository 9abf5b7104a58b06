"""The graph as a network: typed, labelled networkx views, analytics and exports.

The RDF graph is projected into a ``networkx.MultiDiGraph`` whose nodes are the project's entities (with
type, label and country) and whose edges are the object properties between them. Named views keep the
part a question needs:

* ``legal``: acts, provisions, obligations and their bearers;
* ``institutional``: organisations, programmes, funders, referrers and activities;
* ``standards``: laws, protection-order regimes, programmes and countries against the benchmarks they
  meet or miss (edges from ``legalgraph assess``);
* ``all``: everything; and an ego view around any entity (:func:`ego`).
"""

from __future__ import annotations

import copy
import itertools
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..errors import BadInput, Busy, LegalgraphError, NotFound, Refused, TimedOut, TooLarge
from ..formats import xml_safe
from ..namespaces import local_name, short
from ..store.base import Store
from . import entities
from .catalogue import internal
from .memo import per_version

#: Classes that are bookkeeping, not part of the network.
HIDDEN = {"Section", "SourceDocument", "OfficialDocument", "Statement", "Discrepancy", "Entry", "Amendment",
          "Retraction"}

#: The edge names of the standards view (the statuses of the benchmarks service).
VERDICTS = {"meets", "misses", "close to the benchmark"}
#: Node types of each view (the class local names).
VIEWS: dict[str, set[str]] = {
    "legal": {"LegalAct", "Provision", "Article", "Annex", "Obligation", "Organisation", "Role", "Country"},
    "institutional": {"Organisation", "PerpetratorProgramme", "Activity", "Place", "Country", "Role"},
    "standards": {"LegalAct", "ProtectionOrderRegime", "PerpetratorProgramme", "Country", "Benchmark",
                  "InternationalStandard", "Provision", "Article"},
    "all": set(),
}
#: The most specific type wins when an entity has several.
TYPE_ORDER = ["Article", "Annex", "Provision", "PerpetratorProgramme", "ProtectionOrderRegime",
              "CriminalisationStatus", "Obligation", "LegalAct", "Organisation", "Role", "Country", "Region",
              "Place", "Benchmark", "InternationalStandard", "EvaluationTool", "Methodology", "CaseStudy",
              "Recommendation", "Activity"]
COLOURS = {"LegalAct": "#1f77b4", "Article": "#6baed6", "Annex": "#6baed6", "Provision": "#9ecae1",
           "Obligation": "#ff7f0e", "Organisation": "#2ca02c", "Role": "#98df8a", "PerpetratorProgramme": "#d62728",
           "ProtectionOrderRegime": "#9467bd", "Country": "#7f7f7f", "Benchmark": "#bcbd22",
           "InternationalStandard": "#dbdb8d", "Activity": "#8c564b", "Place": "#c7c7c7"}
SHAPES = {"LegalAct": "box", "Article": "note", "Annex": "note", "Provision": "note", "Obligation": "diamond",
          "Organisation": "ellipse", "Role": "ellipse", "PerpetratorProgramme": "hexagon",
          "ProtectionOrderRegime": "octagon", "Country": "doubleoctagon", "Benchmark": "star"}


def project(store: Store) -> nx.MultiDiGraph:
    """The whole projection: every entity a node (type, label, country from :func:`entities.index`), every
    object property between entities an edge."""
    g = nx.MultiDiGraph()
    for e in entities.index(store).entities.values():
        if not e.types or e.types <= HIDDEN:
            continue
        g.add_node(e.path, label=e.label, country=e.country,
                   type=next((t for t in TYPE_ORDER if t in e.types), sorted(e.types)[0]))
    for s, p, o in store.query(internal("edges").text, max_rows=None).rows:
        a, b = short(s), short(o)
        if a in g and b in g:
            name = local_name(p)
            g.add_edge(a, b, key=name, predicate=name)
    return g


def add_benchmark_edges(g: nx.MultiDiGraph, findings: list) -> None:
    """Edges from laws, regimes, programmes and countries to the benchmarks they meet or miss (the rows of
    :func:`legalgraph.services.benchmarks.assess`; "no data" makes no edge)."""
    benchmarks = {d.get("label"): n for n, d in g.nodes(data=True) if d.get("type") == "Benchmark"}
    for row in findings:
        if row.status == "no data":
            continue
        bench, entity = benchmarks.get(row.benchmark), short(row.entity)
        if bench and entity in g:
            g.add_edge(entity, bench, key=f"{row.status}:{row.criterion}", predicate=row.status,
                       criterion=row.criterion)


def projection(store: Store, view_name: str = "all") -> nx.MultiDiGraph:
    """The projection for a view (the standards view with its benchmark edges), kept per store version.
    Shared: callers take views (copies), never change it."""
    if view_name not in VIEWS:
        raise BadInput(f"unknown view {view_name!r}; choose one of {', '.join(VIEWS)}", where="view",
                       valid=list(VIEWS))
    return _projection(store, "standards" if view_name == "standards" else "all")


@per_version(maxsize=2)
def _projection(store: Store, kind: str) -> nx.MultiDiGraph:
    g = project(store)
    if kind == "standards":
        from .benchmarks import assess

        add_benchmark_edges(g, assess(store))
    return g


def select(store: Store, view_name: str = "all", country: str | None = None, ego_of: str | None = None,
           radius: int = 1, types: list[str] | None = None) -> nx.MultiDiGraph:
    """The one way every surface cuts the network: a view (or an ego network), a country, entity types.

    Kept per store version and shared between callers, so it is frozen (networkx raises on a change):
    take ``nx.MultiDiGraph(g)`` to change a copy."""
    return _select(store, view_name, country, ego_of, radius, tuple(types) if types else None)


@per_version(maxsize=128)
def _select(store: Store, view_name: str, country: str | None, ego_of: str | None, radius: int,
            types: tuple[str, ...] | None) -> nx.MultiDiGraph:
    country = entities.country(store, country)
    full = projection(store, view_name)
    g = ego(full, ego_of, radius) if ego_of else view(full, view_name, country)
    if types:
        known = {d.get("type") for _, d in full.nodes(data=True)}
        unknown = sorted(set(types) - known)
        if unknown:
            raise BadInput(f"unknown entity type(s) {', '.join(unknown)}", where="types", valid=sorted(known))
        g = g.subgraph([n for n, d in g.nodes(data=True) if d.get("type") in set(types)]).copy()
    return nx.freeze(g)


def view(full: nx.MultiDiGraph, name: str = "all", country: str | None = None) -> nx.MultiDiGraph:
    """A named view, optionally one country's part (its entities and the international ones they touch)."""
    if name not in VIEWS:
        raise BadInput(f"unknown view {name!r}; choose one of {', '.join(VIEWS)}", where="view", valid=list(VIEWS))
    keep = VIEWS[name]
    # The standards view holds whatever the benchmarks service assessed, of any type (an organisation that
    # misses "Trained staff" included).
    assessed = {a for a, _, d in full.edges(data=True) if d.get("predicate") in VERDICTS} if name == "standards" \
        else set()
    nodes = [n for n, d in full.nodes(data=True) if not keep or d.get("type") in keep or n in assessed]
    sub = full.subgraph(nodes).copy()
    if country:
        countries = sorted({d.get("country") for _, d in full.nodes(data=True) if d.get("country")})
        if country not in countries:
            raise BadInput(f"unknown country {country!r}; choose one of {', '.join(countries)}", valid=countries)
        own = {n for n, d in sub.nodes(data=True) if d.get("country") == country}
        touching = {m for n in own for m in nx.all_neighbors(sub, n) if not sub.nodes[m].get("country")}
        sub = sub.subgraph(own | touching).copy()
    return sub


def ego(full: nx.MultiDiGraph, entity: str, radius: int = 1) -> nx.MultiDiGraph:
    entity = short(entity)
    if entity not in full:
        raise NotFound(f"no entity {entity!r} in the graph", where="ego")
    if not 0 <= radius <= 5:
        raise BadInput(f"radius {radius} is out of range; give 0 to 5", where="radius")
    return nx.ego_graph(full.to_undirected(as_view=True), entity, radius=radius).copy()


# ---------------------------------------------------------------- analytics

def hubs(g: nx.MultiDiGraph, types: tuple[str, ...] = ("Organisation", "Role"),
         top: int = 5) -> list[tuple[str, float]]:
    """The best-connected agencies and organisations: degree centrality on the undirected view."""
    undirected = nx.Graph(g.to_undirected(as_view=True))
    centrality = nx.degree_centrality(undirected) if len(undirected) > 1 else {}
    ranked = sorted(((n, c) for n, c in centrality.items() if g.nodes[n].get("type") in types),
                    key=lambda x: (-x[1], x[0]))
    return ranked[:top]


LEGAL_LINKS = {"legalBasis", "definedBy", "followsModel", "variantOf", "is_part_of"}
LEGAL_TYPES = {"LegalAct", "Article", "Annex", "Provision"}


def programmes_without_legal_basis(g: nx.MultiDiGraph) -> list[str]:
    """Programmes that hang on no legal act: their connected component, over legal-basis links
    (lg:legalBasis, lg:definedBy, lg:followsModel, lg:variantOf, eli:is_part_of), holds no act or provision."""
    links = nx.Graph()
    for a, b, d in g.edges(data=True):
        if d.get("predicate") in LEGAL_LINKS:
            links.add_edge(a, b)
    programmes = [n for n, d in g.nodes(data=True) if d.get("type") == "PerpetratorProgramme"]
    links.add_nodes_from(programmes)
    out = []
    for component in nx.connected_components(links):
        if not any(g.nodes[n].get("type") in LEGAL_TYPES for n in component if n in g):
            out += [n for n in component if n in programmes]
    return sorted(out)


def path(g: nx.MultiDiGraph, a: str, b: str) -> list[tuple[str, str, str]] | None:
    """Shortest path between two entities, ignoring direction: [(node, predicate to next, next), ...]; no steps
    from an entity to itself (the entity alone is the path), None when there is no path at all."""
    a, b = short(a), short(b)
    for n in (a, b):
        if n not in g:
            raise NotFound(f"no entity {n!r} in the graph", where=n)
    undirected = nx.Graph(g.to_undirected(as_view=True))
    try:
        nodes = nx.shortest_path(undirected, a, b)
    except nx.NetworkXNoPath:
        return None
    steps = []
    for x, y in itertools.pairwise(nodes):
        data = g.get_edge_data(x, y) or g.get_edge_data(y, x) or {}
        pred = next(iter(data.values()), {}).get("predicate", "")
        arrow = pred if g.has_edge(x, y) else f"^{pred}"
        steps.append((x, arrow, y))
    return steps


@dataclass
class Summary:
    country: str
    nodes: int
    edges: int
    components: int
    density: float
    counts: dict[str, int]


def summary(g: nx.MultiDiGraph, country: str) -> Summary:
    sub = view(g, "all", country)
    undirected = nx.Graph(sub.to_undirected(as_view=True))
    counts = Counter(d.get("type") for n, d in sub.nodes(data=True) if d.get("country") == country)
    return Summary(country, sub.number_of_nodes(), sub.number_of_edges(),
                   nx.number_connected_components(undirected) if len(undirected) else 0,
                   round(nx.density(undirected), 4) if len(undirected) > 1 else 0.0, dict(sorted(counts.items())))


# ------------------------------------------------------------------- exports

EXPORTS = ("graphml", "gexf", "cyjs", "dot", "svg", "png")


def to_dot(g: nx.MultiDiGraph, title: str = "legalgraph") -> str:
    """Graphviz DOT with colours and shapes by type and a legend cluster."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"digraph {q(title)} {{", '  graph [rankdir=LR, overlap=false, fontname="Helvetica", '
             f'label={q(title)}, labelloc=t];', '  node [style=filled, fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8, color="#777777"];']
    for n, d in g.nodes(data=True):
        t = d.get("type", "")
        label = d.get("label", n)
        label = label if len(label) <= 40 else label[:38] + "…"
        lines.append(f"  {q(n)} [label={q(label)}, fillcolor={q(COLOURS.get(t, '#eeeeee'))}, "
                     f"shape={SHAPES.get(t, 'ellipse')}];")
    for a, b, d in g.edges(data=True):
        lines.append(f"  {q(a)} -> {q(b)} [label={q(d.get('predicate', ''))}];")
    present = sorted({d.get("type", "") for _, d in g.nodes(data=True)})
    lines.append('  subgraph cluster_legend { label="Legend"; fontsize=10;')
    for t in present:
        lines.append(f"    {q('legend:' + t)} [label={q(t)}, fillcolor={q(COLOURS.get(t, '#eeeeee'))}, "
                     f"shape={SHAPES.get(t, 'ellipse')}];")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: Graphviz runs at a time in this process (each may take a core for seconds); a request finding them all taken
#: waits :data:`DOT_WAIT` seconds, then is answered :class:`~legalgraph.errors.Busy`
DOT_SLOTS = 2
DOT_WAIT = 1.0
_DOT = threading.BoundedSemaphore(DOT_SLOTS)
NARROW = ("narrow the view with the filters: a country (country=kyrgyzstan), entity types "
          "(types=LegalAct&types=Organisation) or a smaller view (view=legal)")


def export(g: nx.MultiDiGraph, fmt: str, out: Path, title: str = "legalgraph", *, timeout: float = 10.0,
           max_bytes: int | None = None) -> Path:
    """Write ``g`` as ``fmt``; SVG and PNG are drawn by Graphviz's ``dot`` (Debian package graphviz), killed past
    ``timeout`` seconds (:class:`TimedOut`). A file over ``max_bytes`` is refused (:class:`TooLarge`). Text XML
    cannot carry (:data:`~legalgraph.formats.NOT_XML`) is replaced by U+FFFD in every format."""
    if fmt not in EXPORTS:
        raise BadInput(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTS)}", valid=list(EXPORTS))
    plain = nx.MultiDiGraph()  # two criteria of one benchmark are two edges between the same pair
    plain.add_nodes_from((xml_safe(n), {k: xml_safe(str(v)) for k, v in d.items()}) for n, d in g.nodes(data=True))
    for a, b, d in g.edges(data=True):
        plain.add_edge(xml_safe(a), xml_safe(b), predicate=xml_safe(str(d.get("predicate", ""))))
    if fmt == "graphml":
        nx.write_graphml(plain, out)
    elif fmt == "gexf":
        nx.write_gexf(plain, out)
    elif fmt == "cyjs":
        import json

        out.write_text(json.dumps(nx.cytoscape_data(plain), ensure_ascii=False, indent=1))
    else:
        dot = to_dot(plain, xml_safe(title))
        if fmt == "dot":
            out.write_text(dot)
        else:
            _draw(dot, fmt, out, timeout)
    size = out.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(f"the {fmt.upper()} export is {size} bytes, more than the {max_bytes} allowed", hint=NARROW)
    return out


#: A PNG is drawn at most 60 x 60 inches at 72 dpi (4,320 px a side; Graphviz scales a larger layout down): the
#: whole graph at its natural size was a 13.7 MB image that took 10 s of a core. SVG keeps every detail.
PNG_SIZE = ("-Gsize=60,60", "-Gdpi=72")


def _draw(dot: str, fmt: str, out: Path, timeout: float) -> None:
    """Run ``dot`` in a slot (:data:`DOT_SLOTS`), killed past ``timeout`` seconds."""
    exe = shutil.which("dot")
    if exe is None:
        raise Refused("Graphviz is not installed: install the Debian package graphviz "
                      "(./dev setup does) or export --format dot and render it elsewhere")
    if not _DOT.acquire(timeout=DOT_WAIT):
        raise Busy(f"{DOT_SLOTS} graph drawings are being made already", hint="try again in a few seconds",
                   headers={"Retry-After": "5"})
    try:
        scale = PNG_SIZE if fmt == "png" else ()
        done = subprocess.run([exe, f"-T{fmt}", *scale, "-o", str(out)], input=dot.encode(), capture_output=True,
                              check=False, timeout=timeout)  # run() kills dot when the time is up
    except subprocess.TimeoutExpired as exc:
        raise TimedOut(f"drawing the graph took longer than {timeout:g} s and was stopped", hint=NARROW) from exc
    finally:
        _DOT.release()
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise LegalgraphError(f"Graphviz could not draw the graph: {lines[-1] if lines else done.returncode}")


def rendered(store: Store, fmt: str, view_name: str = "all", country: str | None = None,
             types: list[str] | None = None, *, timeout: float = 10.0, max_bytes: int | None = None) -> bytes:
    """The bytes of an export of a filtered view (the web's downloads), kept per store version and parameters,
    so that a repeated request neither redraws nor reruns Graphviz. A refusal as too large is kept too."""
    result = _rendered(store, fmt, view_name, country, tuple(types) if types else None, timeout, max_bytes)
    if isinstance(result, TooLarge):
        raise copy.copy(result)
    return result


@per_version(maxsize=32)
def _rendered(store: Store, fmt: str, view_name: str, country: str | None, types: tuple[str, ...] | None,
              timeout: float, max_bytes: int | None) -> bytes | TooLarge:
    if fmt not in EXPORTS:
        raise BadInput(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTS)}", valid=list(EXPORTS))
    g = select(store, view_name, country, None, 1, list(types) if types else None)
    country = entities.country(store, country)
    title = f"legalgraph: {view_name} view" + (f", {country}" if country else "")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            out = export(g, fmt, Path(tmp) / f"graph.{fmt}", title, timeout=timeout, max_bytes=max_bytes)
        except TooLarge as exc:
            return exc
        return out.read_bytes()
