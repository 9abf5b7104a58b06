"""Counts that describe the graph: per class, per country, per named graph."""

from __future__ import annotations

from dataclasses import dataclass

from .store import Store

CLASS_COUNTS = """
SELECT ?class (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  FILTER(STRSTARTS(STR(?class), STR(lg:)))
  OPTIONAL { ?class rdfs:label ?label FILTER(LANG(?label) = "en") }
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

# An entity belongs to a country directly, or through the act it is part of.
COUNTRY_COUNTS = """
SELECT ?country (SAMPLE(?label) AS ?name) ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?country a lg:Country ; rdfs:label ?label . FILTER(LANG(?label) = "en")
  { ?s lg:country|lg:jurisdiction|lg:addressee ?country }
  UNION { ?s eli:is_part_of+ ?act . ?act lg:jurisdiction ?country }
  ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(lg:)))
} GROUP BY ?country ?class ORDER BY ?name ?class
"""


@dataclass
class Stats:
    triples: int
    graphs: dict[str, int]
    classes: list[tuple[str, str, int]]
    countries: dict[str, dict[str, int]]


def compute(store: Store) -> Stats:
    graphs = {str(g): len(store.graph(g)) for g in store.named_graphs()}
    classes = [(str(r[0]), str(r[1] or r[0]), int(r[2])) for r in store.query(CLASS_COUNTS).rows]
    countries: dict[str, dict[str, int]] = {}
    for _, name, cls, n in store.query(COUNTRY_COUNTS).rows:
        countries.setdefault(str(name), {})[str(cls).rsplit("#", 1)[-1]] = int(n)  # type: ignore[arg-type]
    return Stats(triples=len(store), graphs=graphs, classes=classes, countries=countries)


def render(stats: Stats) -> str:
    lines = [f"{stats.triples} triples in {len(stats.graphs)} named graphs", "", "Entities per class:"]
    lines += [f"  {name:<34} {n:>6}" for _, name, n in stats.classes]
    lines += ["", "Entities per country:"]
    for country, per_class in stats.countries.items():
        total = sum(per_class.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(per_class.items()))
        lines.append(f"  {country:<14} {total:>5}  ({detail})")
    return "\n".join(lines)
