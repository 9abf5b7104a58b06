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

import itertools
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from .namespaces import ID
from .store import Store

NODES = """
SELECT ?s ?type ?label ?country WHERE {
  ?s a ?type . FILTER(STRSTARTS(STR(?s), STR(id:)) && STRSTARTS(STR(?type), STR(lg:)))
  FILTER(?type NOT IN (lg:Section, lg:SourceDocument, lg:Statement, lg:Discrepancy, lg:Entry))
  OPTIONAL { ?s rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { { ?s lg:country|lg:jurisdiction ?country } UNION { ?s eli:is_part_of+/lg:jurisdiction ?country }
             UNION { ?s a lg:Country BIND(?s AS ?country) } }
}
"""
EDGES = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?s), STR(id:)) && STRSTARTS(STR(?o), STR(id:)))
  FILTER(?p NOT IN (rdf:type, dcterms:source, lg:about, lg:statement, lg:contradicts, prov:wasDerivedFrom))
}
"""

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


def short(iri: str) -> str:
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def project(store: Store) -> nx.MultiDiGraph:
    """The whole projection: every entity a node, every object property between entities an edge."""
    g = nx.MultiDiGraph()
    types: dict[str, set[str]] = {}
    for s, t, label, country in store.query(NODES).rows:
        node = short(str(s))
        types.setdefault(node, set()).add(str(t).rsplit("#", 1)[-1])
        data = g.nodes[node] if node in g else {}
        g.add_node(node, label=str(label) if label else data.get("label", node),
                   country=short(str(country)).removeprefix("country/") if country else data.get("country", ""))
    for node, ts in types.items():
        g.nodes[node]["type"] = next((t for t in TYPE_ORDER if t in ts), sorted(ts)[0])
    for s, p, o in store.query(EDGES).rows:
        a, b = short(str(s)), short(str(o))
        if a in g and b in g:
            name = str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            g.add_edge(a, b, key=name, predicate=name)
    return g


def add_benchmark_edges(g: nx.MultiDiGraph, store: Store) -> None:
    """Edges from laws, regimes, programmes and countries to the benchmarks they meet or miss."""
    from .assess import assess

    for row in assess(store):
        if row.status == "no data":
            continue
        bench = next((n for n, d in g.nodes(data=True) if d.get("type") == "Benchmark"
                      and d.get("label") == row.benchmark), None)
        entity = short(row.entity)
        if bench and entity in g:
            g.add_edge(entity, bench, key=f"{row.status}:{row.criterion}", predicate=row.status,
                       criterion=row.criterion)


def view(full: nx.MultiDiGraph, name: str = "all", country: str | None = None) -> nx.MultiDiGraph:
    """A named view, optionally one country's part (its entities and the international ones they touch)."""
    if name not in VIEWS:
        raise ValueError(f"unknown view {name!r}; choose one of {', '.join(VIEWS)}")
    keep = VIEWS[name]
    nodes = [n for n, d in full.nodes(data=True) if not keep or d.get("type") in keep]
    sub = full.subgraph(nodes).copy()
    if country:
        countries = {d.get("country") for _, d in full.nodes(data=True)}
        if country not in countries:
            raise ValueError(f"unknown country {country!r}; choose one of "
                             f"{', '.join(sorted(c for c in countries if c))}")
        own = {n for n, d in sub.nodes(data=True) if d.get("country") == country}
        touching = {m for n in own for m in nx.all_neighbors(sub, n) if not sub.nodes[m].get("country")}
        sub = sub.subgraph(own | touching).copy()
    return sub


def ego(full: nx.MultiDiGraph, entity: str, radius: int = 1) -> nx.MultiDiGraph:
    entity = short(entity)
    if entity not in full:
        raise ValueError(f"no entity {entity!r} in the graph")
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


def path(g: nx.MultiDiGraph, a: str, b: str) -> list[tuple[str, str, str]]:
    """Shortest path between two entities, ignoring direction: [(node, predicate to next, next), ...]."""
    a, b = short(a), short(b)
    for n in (a, b):
        if n not in g:
            raise ValueError(f"no entity {n!r} in the graph")
    undirected = nx.Graph(g.to_undirected(as_view=True))
    try:
        nodes = nx.shortest_path(undirected, a, b)
    except nx.NetworkXNoPath:
        return []
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


def export(g: nx.MultiDiGraph, fmt: str, out: Path, title: str = "legalgraph") -> Path:
    """Write ``g`` as ``fmt``; SVG and PNG are drawn by Graphviz's ``dot`` (Debian package graphviz)."""
    if fmt not in EXPORTS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTS)}")
    plain = nx.DiGraph()
    plain.add_nodes_from((n, {k: str(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
    for a, b, d in g.edges(data=True):
        plain.add_edge(a, b, predicate=str(d.get("predicate", "")))
    if fmt == "graphml":
        nx.write_graphml(plain, out)
    elif fmt == "gexf":
        nx.write_gexf(plain, out)
    elif fmt == "cyjs":
        import json

        out.write_text(json.dumps(nx.cytoscape_data(plain), ensure_ascii=False, indent=1))
    else:
        dot = to_dot(g, title)
        if fmt == "dot":
            out.write_text(dot)
        else:
            exe = shutil.which("dot")
            if exe is None:
                raise RuntimeError("Graphviz is not installed: install the Debian package graphviz "
                                   "(./dev setup does) or export --format dot and render it elsewhere")
            subprocess.run([exe, f"-T{fmt}", "-o", str(out)], input=dot.encode(), check=True, timeout=120)
    return out
