"""Assessing laws, protection-order regimes, programmes and countries against the report's benchmarks.

The benchmark shapes (ontology/shapes/benchmarks.ttl) report a sh:Warning where an entity misses a
benchmark and a sh:Info where the graph lacks the data; every other targeted entity meets it. This module
runs them over the whole graph and turns the report into one row per (entity, benchmark) with the status
``misses``, ``no data`` or ``meets``, grouped by country.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .export import union
from .namespaces import ELI, ID, LG
from .store import Store
from .validate import load_shapes

LGB = Namespace("https://w3id.org/legalgraph/shapes/benchmarks#")

COUNTRY_OF = """
SELECT ?e ?country WHERE {
  { ?e lg:country|lg:jurisdiction ?country }
  UNION { ?e eli:is_part_of+/lg:jurisdiction ?country }
  UNION { ?e a lg:Country BIND(?e AS ?country) }
}
"""


@dataclass
class Assessment:
    country: str
    entity: str
    label: str
    kind: str
    benchmark: str
    criterion: str
    status: str
    message: str


def _label(g: Graph, node: URIRef) -> str:
    for lit in g.objects(node, RDFS.label):
        if isinstance(lit, Literal) and lit.language == "en":
            return str(lit)
    return str(node).rsplit("/", 1)[-1]


def assess(store: Store, country: URIRef | None = None) -> list[Assessment]:
    data = union(store)
    shapes = load_shapes(("benchmarks",))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                    allow_warnings=True, allow_infos=True)
    found: dict[tuple[URIRef, URIRef], tuple[str, str]] = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        key = (report.value(r, SH.focusNode), report.value(r, SH.sourceShape))
        severity = report.value(r, SH.resultSeverity)
        status = "misses" if severity == SH.Warning else "no data"
        message = str(report.value(r, SH.resultMessage) or "")
        if key in found and found[key][0] == "misses":
            continue  # a miss outranks a lack of data for the same shape
        if key in found and status == found[key][0]:
            message = f"{found[key][1]} | {message}"
        found[key] = (status, message)  # type: ignore[index]

    countries: dict[URIRef, URIRef] = {}
    for e, c in data.query(COUNTRY_OF, initNs={"lg": LG, "eli": ELI}):
        countries.setdefault(e, c)  # type: ignore[arg-type]

    rows = []
    for shape in sorted(shapes.subjects(LGB.benchmark, None)):
        benchmark = shapes.value(shape, LGB.benchmark)
        criterion = str(shapes.value(shape, SH.name))
        for cls in shapes.objects(shape, SH.targetClass):
            for entity in sorted(set(data.subjects(RDF.type, cls))):
                if not str(entity).startswith(str(ID)):
                    continue
                c = countries.get(entity)
                if c is None or (country is not None and c != country):
                    continue
                status, message = found.get((entity, shape), ("meets", ""))
                rows.append(Assessment(
                    country=_label(data, c), entity=str(entity), label=_label(data, entity),
                    kind=str(cls).rsplit("#", 1)[-1], benchmark=_label(data, benchmark),
                    criterion=criterion, status=status, message=message,
                ))
    return sorted(rows, key=lambda a: (a.country, a.kind, a.label, a.criterion))


def render(rows: list[Assessment], fmt: str = "human") -> str:
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(Assessment.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)
        return buf.getvalue()
    lines: list[str] = []
    country = None
    for r in rows:
        if r.country != country:
            country = r.country
            lines += ["", country, "=" * len(country)]
        lines.append(f"  {r.status:<8} {r.label[:44]:<44} {r.criterion}")
    counts = {s: sum(r.status == s for r in rows) for s in ("meets", "misses", "no data")}
    lines += ["", ", ".join(f"{n} {s}" for s, n in counts.items())]
    return "\n".join(lines).lstrip("\n")
