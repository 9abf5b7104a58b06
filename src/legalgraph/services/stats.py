"""Counts that describe the graph: per class, per country (by the one country rule), per named graph."""

from __future__ import annotations

from dataclasses import dataclass

from ..store.base import Store
from . import entities


@dataclass
class Stats:
    triples: int
    graphs: dict[str, int]
    classes: list[tuple[str, str, int]]  # (class IRI, English label, entities)
    countries: dict[str, dict[str, int]]  # country label -> class local name -> entities


def compute(store: Store) -> Stats:
    from ..namespaces import LG

    idx = entities.index(store)
    names = entities.class_labels(store)
    counts = idx.counts()
    classes = sorted(((str(LG[c]), names.get(c, c), n) for c, n in counts.items()), key=lambda x: (-x[2], x[0]))
    labels = dict(idx.countries)
    per_country = {labels[slug]: dict(sorted(c.items())) for slug, c in idx.by_country().items() if slug in labels}
    graphs = {str(g): len(store.graph(g)) for g in store.named_graphs()}
    return Stats(triples=store.triples(), graphs=graphs, classes=classes,
                 countries=dict(sorted(per_country.items())))


def render(stats: Stats) -> str:
    lines = [f"{stats.triples} triples in {len(stats.graphs)} named graphs", "", "Entities per class:"]
    lines += [f"  {name:<34} {n:>6}" for _, name, n in stats.classes]
    lines += ["", "Entities per country:"]
    for country, per_class in stats.countries.items():
        total = sum(per_class.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(per_class.items()))
        lines.append(f"  {country:<14} {total:>5}  ({detail})")
    return "\n".join(lines)
