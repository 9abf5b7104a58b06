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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..i18n import N_
from ..namespaces import ID, LG, local_name
from ..store.base import Store
from . import asof, history, shacl_sparql
from .catalogue import internal
from .dump import union
from .entities import Entity, countries, index, of_classes
from .memo import per_version
from .validation import SHAPES_DIR, DataGraph, load_shapes, plain_message, quoted_iris

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


Labels = Graph | dict[Node, list[Node]]


def _label(g: Labels, node: URIRef) -> str:
    for lit in (g.get(node, []) if isinstance(g, dict) else g.objects(node, RDFS.label)):
        if isinstance(lit, Literal) and lit.language == "en":
            return str(lit)
    return str(node).rsplit("/", 1)[-1]


#: Kinds assessed in full (meets, misses, no data); other kinds appear only where they miss a benchmark.
ASSESSED_KINDS = {"LegalAct", "ProtectionOrderRegime", "PerpetratorProgramme", "Country"}
CLOSE = N_("close to the benchmark")
#: The statuses, as pages show them (translated where shown; the twins keep these words)
STATUSES = (N_("meets"), CLOSE, N_("misses"), N_("no data"))
_RANK = {"misses": 3, CLOSE: 2, "no data": 1, "meets": 0}


def assess(store: Store, country: str | None = None, *, as_of: int | None = None,
           report_only: bool = False) -> list[Assessment]:
    """Every assessed (entity, benchmark) of the graph, or of one country (a slug), kept per store version.

    The shapes read the store as of ``as_of`` (:func:`as_of_data`: amended facts take the value valid then,
    and the entities that do not hold in that year are left out, so that neither they nor a verdict about the
    country that cites them appear); without a year, the current store. ``report_only``: the report's facts
    alone (:func:`asof.report_view`: as if no entry had been added).
    """
    if report_only:
        store = asof.report_view(store)
    return narrow(store, _assessed(store, as_of), country)


def as_of_data(store: Store, as_of: int | None) -> Store:
    """What the benchmark shapes read as of a year: :func:`asof.view`, without the entities that do not hold
    then (:func:`history.not_valid_in`: not yet valid, ended, superseded); entities without dates are open and
    stay. Without a year, the store itself (as of now)."""
    view = asof.view(store, as_of)
    if as_of is None:
        return view
    gone = history.not_valid_in(view, as_of)
    return asof.without(view, gone) if gone else view


@per_version(maxsize=16)
def _assessed(store: Store, as_of: int | None) -> list[Assessment]:
    return _assess_all(as_of_data(store, as_of))


def narrow(store: Store, rows: list[Assessment], country: str | None = None) -> list[Assessment]:
    """The rows of one country: :func:`assess`'s filter, on any rows."""
    rows = list(rows)
    if country is not None:
        name = next((label for slug, label in countries(store) if slug == country), None)
        rows = [a for a in rows if a.country == name]
    return rows


def _assess_all(store: Store) -> list[Assessment]:
    """Every row, from the benchmark shapes' constraints run on the store (:mod:`.shacl_sparql`); shapes it
    cannot translate are run by pySHACL over the whole graph instead (:func:`assess_whole_graph`)."""
    shapes, constraints = benchmark_shapes()
    targets = {c for c in shapes.objects(None, SH.targetClass)}
    if constraints is None or not all(str(c).startswith(str(LG)) for c in targets):
        return assess_whole_graph(store)
    results = shacl_sparql.violations(store, constraints)
    # Rows need every entity of the assessed kinds, and of the other kinds only those with results (the
    # others meet the benchmark and are not shown): read those, not the whole entity index.
    assessed = [c for c in targets if local_name(c) in ASSESSED_KINDS]
    # (a verdict is kept per criterion, the shapes' sh:name, which several shapes may share)
    partly = {shapes.value(s, SH.name) for s in shapes.subjects(SH.targetClass, None)
              if any(local_name(c) not in ASSESSED_KINDS for c in shapes.objects(s, SH.targetClass))}
    name = {shape: shapes.value(shape, SH.name) for shape in {r.shape for r in results}}
    known = of_classes(store, assessed, {r.focus for r in results if name[r.shape] in partly})  # type: ignore[arg-type]
    members: dict[URIRef, list[URIRef]] = {c: [] for c in targets}  # type: ignore[misc]
    names = [(c, local_name(c)) for c in targets]
    for e in known.values():
        for c, name in names:
            if name in e.types:
                members[c].append(e.iri)  # type: ignore[index]
    quoted = {iri for r in results for iri in quoted_iris(r.message)}
    benchmarks = set(shapes.objects(None, LGB.benchmark))
    named = sorted({*quoted, *benchmarks, *(e for es in members.values() for e in es)}, key=str)
    labels: dict[Node, list[Node]] = {}
    if named:
        for s, label in store.query(internal("rdfs-labels").text, {"s": named}, max_rows=None).rows:
            labels.setdefault(s, []).append(label)  # type: ignore[arg-type]
    found = _verdicts(shapes, ((r.shape, r.focus, r.severity, r.message) for r in results), labels)
    return _rows(store, shapes, found, lambda cls: members.get(cls, []), labels, known)


def assess_whole_graph(store: Store) -> list[Assessment]:
    """The reference: pySHACL over a copy of the whole union graph (2 s on the shipped graph, hours at 10^6
    triples). Used where the shapes go beyond what :mod:`.shacl_sparql` translates, and by the tests that
    check that both give the same rows."""
    import pyshacl  # only this path needs it (0.1 s of imports)

    data = DataGraph()
    data += union(store)
    shapes = load_shapes(("benchmarks",))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                    allow_warnings=True, allow_infos=True, inplace=True)
    results = ((report.value(r, SH.sourceShape), report.value(r, SH.focusNode), report.value(r, SH.resultSeverity),
                str(report.value(r, SH.resultMessage) or "")) for r in report.subjects(RDF.type, SH.ValidationResult))
    found = _verdicts(shapes, results, data)  # type: ignore[arg-type]
    return _rows(store, shapes, found, lambda cls: set(data.subjects(RDF.type, cls)), data)


Found = dict[tuple[Node, str], tuple[str, list[str]]]


def _verdicts(shapes: Graph, results: Iterable[tuple[Node, Node, Node, str]], labels: Labels) -> Found:
    """(entity, criterion) -> (status, messages) from SHACL results; a miss outranks a lack of data."""
    found: Found = {}
    of_shape: dict[Node, tuple[str, Node | None]] = {}  # read once per shape (10,000 results at 10^6 triples)
    for shape, focus, severity, raw in results:
        if shape not in of_shape:
            of_shape[shape] = (str(shapes.value(shape, SH.name)), shapes.value(shape, LGB.status))
        criterion, own_status = of_shape[shape]
        key = (focus, criterion)
        status = "misses" if severity == SH.Warning else "no data"
        # A shape may name the status its results stand for (lgb:status, e.g. "close to the benchmark").
        status = str(own_status or status)
        message = plain_message(raw, labels)
        old_status, messages = found.get(key, ("meets", []))
        if _RANK[status] > _RANK[old_status]:
            found[key] = (status, [message])
        elif status == old_status:
            messages.append(message)
    return found


def _rows(store: Store, shapes: Graph, found: Found, members: Callable[[Node], Iterable[Node]],
          labels: Labels, entities: Mapping[URIRef, Entity] | None = None) -> list[Assessment]:
    """One row per targeted entity of a country and criterion: its verdict, or "meets" for the assessed kinds.
    ``entities``: where the members' countries are read (default: the entity index)."""
    if entities is None:
        entities = index(store).entities
    country_label = dict(countries(store))
    rows: dict[tuple[str, str], Assessment] = {}
    ours, label_of = str(ID), {}
    for shape in shapes.subjects(LGB.benchmark, None):
        benchmark = _label(labels, shapes.value(shape, LGB.benchmark))  # type: ignore[arg-type]
        criterion = str(shapes.value(shape, SH.name))
        for cls in shapes.objects(shape, SH.targetClass):
            kind = str(cls).rsplit("#", 1)[-1]
            for entity in members(cls):
                e = entities.get(entity)  # type: ignore[call-overload]
                if e is None or not e.countries or not str(entity).startswith(ours):
                    continue
                status, messages = found.get((entity, criterion), ("meets", []))
                if status == "meets" and kind not in ASSESSED_KINDS:
                    continue
                if entity not in label_of:
                    label_of[entity] = _label(labels, entity)  # type: ignore[arg-type]
                rows[(str(entity), criterion)] = Assessment(
                    country=country_label[e.country], entity=str(entity), label=label_of[entity], kind=kind,
                    benchmark=benchmark, criterion=criterion, status=status,
                    message=" | ".join(sorted(messages)),
                )
    return sorted(rows.values(), key=lambda a: (a.country, a.kind, a.label, a.criterion))


_SHAPES: dict[tuple[int, int], tuple[Graph, list[shacl_sparql.Constraint] | None]] = {}


def benchmark_shapes() -> tuple[Graph, list[shacl_sparql.Constraint] | None]:
    """The benchmark shapes and their compiled constraints (None: run by pySHACL), re-read when the file changes."""
    st = (SHAPES_DIR / "benchmarks.ttl").stat()
    key = (st.st_mtime_ns, st.st_size)
    if key not in _SHAPES:
        shapes = load_shapes(("benchmarks",))
        _SHAPES.clear()
        _SHAPES[key] = (shapes, shacl_sparql.compile_shapes(shapes))
    return _SHAPES[key]


def findings_for(store: Store, entity: URIRef, as_of: int | None = None) -> list[Assessment]:
    """What ``assess`` (as of ``as_of``) says of one entity; for a country, of every entity of that country
    (its page is the country's assessment)."""
    e = index(store).entities.get(entity)  # type: ignore[call-overload]
    if e is not None and "Country" in e.types:
        return assess(store, e.path.rsplit("/", 1)[-1], as_of=as_of)
    return [a for a in assess(store, as_of=as_of) if a.entity == str(entity)]


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
