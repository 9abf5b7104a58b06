"""Assessing laws, protection-order regimes, programmes and countries against the report's benchmarks.

The benchmark shapes (ontology/shapes/benchmarks.ttl) report a sh:Warning where an entity misses a
benchmark and a sh:Info where the graph lacks the data; every other targeted entity meets it. This module
runs them over the whole graph and turns the report into one row per (entity, benchmark) with the status
``misses``, ``close to the benchmark`` (results of shapes marked ``lgb:status``: within the benchmark's
tolerance), ``no data`` or ``meets``, grouped by country.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..i18n import N_
from ..namespaces import ID
from ..store.base import Store
from . import asof, history
from .dump import union
from .entities import index
from .validation import DataGraph, load_shapes, plain_message

LGB = Namespace("https://w3id.org/legalgraph/shapes/benchmarks#")



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


#: Kinds assessed in full (meets, misses, no data); other kinds appear only where they miss a benchmark.
ASSESSED_KINDS = {"LegalAct", "ProtectionOrderRegime", "PerpetratorProgramme", "Country"}
CLOSE = N_("close to the benchmark")
#: The statuses, as pages show them (translated where shown; the twins keep these words)
STATUSES = (N_("meets"), CLOSE, N_("misses"), N_("no data"))
_RANK = {"misses": 3, CLOSE: 2, "no data": 1, "meets": 0}


_cache: dict[tuple[int, int | None], tuple[object, list[Assessment]]] = {}


def assess(store: Store, country: str | None = None, *, as_of: int | None = None,
           report_only: bool = False) -> list[Assessment]:
    """Every assessed (entity, benchmark) of the graph, or of one country (a slug), cached per store version.

    The shapes read the store as of ``as_of`` (:func:`asof.view`: amended facts take the value valid then;
    without a year, the current one), without the entities that do not hold in that year
    (:func:`history.not_valid_in`: not yet valid, ended, superseded), so that neither they nor a verdict
    about the country that cites them appear; entities without dates are open and stay. ``report_only``:
    leave out entities added by entries (:func:`history.added_by`).
    """
    store = asof.view(store, as_of)
    version = store.version()
    cached = _cache.get((id(store), as_of))
    if cached is None or cached[0] != version:
        gone = history.not_valid_in(store, as_of) if as_of is not None else set()
        cached = (version, _assess_all(store, gone))
        _cache[(id(store), as_of)] = cached
    rows = list(cached[1])
    if country is not None:
        name = next((label for slug, label in index(store).countries if slug == country), None)
        rows = [a for a in rows if a.country == name]
    if report_only:
        added = history.added_by(store, [URIRef(a.entity) for a in rows])
        rows = [a for a in rows if URIRef(a.entity) not in added]
    return rows


def _assess_all(store: Store, gone: set[Node]) -> list[Assessment]:
    data = DataGraph()
    for triple in union(store):
        if triple[0] not in gone:
            data.add(triple)
    shapes = load_shapes(("benchmarks",))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                    allow_warnings=True, allow_infos=True, inplace=True)
    # (entity, criterion) -> (status, messages); a miss outranks a lack of data.
    found: dict[tuple[Node, str], tuple[str, list[str]]] = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        criterion = str(shapes.value(report.value(r, SH.sourceShape), SH.name))
        key = (report.value(r, SH.focusNode), criterion)
        status = "misses" if report.value(r, SH.resultSeverity) == SH.Warning else "no data"
        # A shape may name the status its results stand for (lgb:status, e.g. "close to the benchmark").
        status = str(shapes.value(report.value(r, SH.sourceShape), LGB.status) or status)
        message = plain_message(str(report.value(r, SH.resultMessage) or ""), data)
        old_status, messages = found.get(key, ("meets", []))
        if _RANK[status] > _RANK[old_status]:
            found[key] = (status, [message])
        elif status == old_status:
            messages.append(message)

    entities = index(store).entities
    country_label = dict(index(store).countries)

    rows: dict[tuple[str, str], Assessment] = {}
    for shape in shapes.subjects(LGB.benchmark, None):
        benchmark = shapes.value(shape, LGB.benchmark)
        criterion = str(shapes.value(shape, SH.name))
        for cls in shapes.objects(shape, SH.targetClass):
            kind = str(cls).rsplit("#", 1)[-1]
            for entity in set(data.subjects(RDF.type, cls)):
                e = entities.get(entity)  # type: ignore[call-overload]
                if not str(entity).startswith(str(ID)) or e is None or not e.countries:
                    continue
                status, messages = found.get((entity, criterion), ("meets", []))
                if status == "meets" and kind not in ASSESSED_KINDS:
                    continue
                rows[(str(entity), criterion)] = Assessment(
                    country=country_label[e.country], entity=str(entity), label=_label(data, entity), kind=kind,
                    benchmark=_label(data, benchmark), criterion=criterion, status=status,
                    message=" | ".join(sorted(messages)),
                )
    return sorted(rows.values(), key=lambda a: (a.country, a.kind, a.label, a.criterion))


def findings_for(store: Store, entity: URIRef) -> list[Assessment]:
    """What ``assess`` says of one entity; for a country, of every entity of that country (its page is the
    country's assessment)."""
    e = index(store).entities.get(entity)  # type: ignore[call-overload]
    if e is not None and "Country" in e.types:
        return assess(store, e.path.rsplit("/", 1)[-1])
    return [a for a in assess(store) if a.entity == str(entity)]


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
    counts = {s: sum(r.status == s for r in rows) for s in ("meets", CLOSE, "misses", "no data")}
    lines += ["", ", ".join(f"{n} {s}" for s, n in counts.items())]
    return "\n".join(lines).lstrip("\n")
