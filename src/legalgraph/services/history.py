"""The life of an entry after ``add``: listing entries, removing one, an entity's history, and telling the
report's facts from added ones.

An entry lives in named graph ``graph/entry/{id}`` with its provenance node ``id:entry/{id}`` (``lg:Entry``:
who, when, which file, its content digest, the entities it touched, the sources it cites). Removing it drops
that graph and writes a small retraction record (``graph/retraction/{id}``, ``lg:Retraction``) in one
transaction, so every answer returns to what it was before the add while the history keeps the retraction.

:func:`added_by` is the one place that decides whether a fact comes from the report: a node described by an
added entry is user-added; every other node comes from the shipped files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..errors import NotFound, escape_control
from ..namespaces import GRAPH, ID, LG, short
from ..store.base import Answer, Store
from .catalogue import internal

ENTRY_GRAPHS = f"{GRAPH}entry/"
RETRACTION_GRAPHS = f"{GRAPH}retraction/"


@dataclass
class EntryInfo:
    id: str
    entry: str
    graph: str
    user: str
    when: str
    files: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    triples: int = 0


@dataclass
class Added:
    """Where a user-added node comes from: the note pages show beside it."""

    entry: str
    user: str
    when: str
    files: list[str] = field(default_factory=list)
    #: for a report entity an entry amends: the amended values that hold (a row shows one of them)
    values: list[Node] = field(default_factory=list)

    @property
    def note(self) -> str:
        verb = "amended" if self.values else "added"
        return (f"{verb} on {self.when[:10]} by {self.user} from {', '.join(self.files) or 'a web form'}; "
                "not in the report")


def _info(name: URIRef, g: Graph) -> EntryInfo | None:
    entry = next(iter(g.subjects(RDF.type, LG.Entry)), None)
    if entry is None:
        return None
    content = [(s, p, o) for s, p, o in g if s != entry]
    return EntryInfo(
        id=str(entry).rsplit("/", 1)[-1], entry=str(entry), graph=str(name),
        user=str(g.value(entry, LG.addedBy) or ""), when=str(g.value(entry, PROV.generatedAtTime) or ""),
        files=sorted(str(f) for f in g.objects(entry, LG.sourceFile)),
        sources=sorted({str(o) for _, p, o in content if p == DCTERMS.source}),
        entities=sorted({short(s) for s, _, _ in content if isinstance(s, URIRef) and str(s).startswith(str(ID))}),
        triples=len(content))


def list_entries(store: Store) -> list[EntryInfo]:
    """Every added entry, oldest first."""
    out = []
    for name in store.named_graphs():
        if str(name).startswith(ENTRY_GRAPHS):
            info = _info(name, store.graph(name))
            if info is not None:
                out.append(info)
    return sorted(out, key=lambda e: (e.when, e.id))


def render_entries(rows: list[EntryInfo], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False)
    if not rows:
        return "No entries have been added."
    lines = []
    for r in rows:
        lines.append(f"{r.id}  {r.when}  {r.user}  {', '.join(r.files)}  ({r.triples} triples)")
        lines.append(f"  entities: {', '.join(r.entities)}")
        lines.append(f"  sources:  {', '.join(short(s) for s in r.sources)}")
    # names stored before they were checked may hold a newline or an ESC: shown escaped, never obeyed
    return "\n".join(escape_control(line) for line in lines)


def entry_graph(given: str) -> tuple[URIRef, URIRef, str]:
    """(entry IRI, named graph, id) from an id, ``entry/{id}``, the entry IRI or the graph IRI."""
    eid = given.strip().rstrip("/").rsplit("/", 1)[-1]
    return URIRef(f"{ID}entry/{eid}"), URIRef(f"{ENTRY_GRAPHS}{eid}"), eid


def retraction(info: EntryInfo, user: str, now: datetime, kept: Graph | None = None) -> tuple[URIRef, Graph]:
    """The record of a removal: which entry, when, by whom, from which file, and the entities it touched.

    ``kept``: the retracted entry's provenance, kept without its type and digest (so it no longer counts as
    an entry, and adding the same file again is no duplicate) for the history to say when it was added."""
    node, name = URIRef(f"{ID}retraction/{info.id}"), URIRef(f"{RETRACTION_GRAPHS}{info.id}")
    g = Graph()
    for s, p, o in kept or Graph():
        if p not in (RDF.type, LG.contentDigest):
            g.add((s, p, o))
    g.add((node, RDF.type, LG.Retraction))
    g.add((node, RDFS.label, Literal(f"Retraction of entry {info.id}", lang="en")))
    g.add((node, LG.retracts, URIRef(info.entry)))
    g.add((node, LG.addedBy, Literal(user)))
    g.add((node, PROV.generatedAtTime, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    for f in info.files:
        g.add((node, LG.sourceFile, Literal(f)))
    for e in info.entities:
        g.add((node, LG.touched, URIRef(f"{ID}{e}")))
    return name, g


def remove(store: Store, given: str, user: str, now: datetime | None = None) -> EntryInfo:
    """Retract one entry: drop its graph and record the retraction, in one transaction."""
    entry, name, eid = entry_graph(given)
    stored = store.graph(name)
    info = _info(name, stored)
    if info is None:
        known = [e.id for e in list_entries(store)]
        raise NotFound(f"no added entry {eid!r}", where=given,
                       hint="`legalgraph entries` lists the added entries" + (f", e.g. {known[-1]}" if known else ""),
                       valid=known[:20])
    kept = Graph()
    for triple in stored.triples((entry, None, None)):
        kept.add(triple)
    record_name, record = retraction(info, user, now or datetime.now(UTC), kept)
    store.replace_graphs([name], {record_name: record})
    return info


# ------------------------------------------------------------------ history and marks

@dataclass
class Event:
    kind: str  # "added", "amended", "superseded" or "retracted"
    when: str
    entry: str
    user: str
    files: list[str] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)
    #: (property, value) pairs the entry states about the entity (empty once retracted)
    changes: list[tuple[str, str]] = field(default_factory=list)
    #: an amendment's lg:validFrom, from when its values hold in as-of answers ("" where the source leaves
    #: the date open: its values stand beside the earlier ones in every year; docs/MODELLING.md)
    valid_from: str | None = None


def history(store: Store, iri: URIRef) -> list[Event]:
    """What changed about an entity, when, by which entry and from which source (oldest first)."""
    events: dict[tuple[str, str], Event] = {}
    for r in store.query(internal("history").text, {"s": iri}, max_rows=None).records():
        key = (str(r["event"]), str(r["kind"]))
        ev = events.get(key)
        if ev is None:
            ev = events[key] = Event(kind=str(r["kind"]), when=str(r["when"]), entry=str(r["entry"]),
                                     user=str(r["user"]))
        if r["file"] is not None and str(r["file"]) not in ev.files:
            ev.files.append(str(r["file"]))
        if r["source"] is not None:
            src = {"iri": str(r["source"]), "label": str(r["sourceLabel"])}
            if src not in ev.sources:
                ev.sources.append(src)
    for ev in events.values():
        if ev.kind == "superseded":
            g = store.graph(entry_graph(ev.entry)[1])
            ev.changes = sorted(("superseded by", short(s)) for s in g.subjects(LG.supersedes, iri))
            continue
        if ev.kind != "added":
            continue
        g = store.graph(entry_graph(ev.entry)[1])
        ev.changes = sorted((short(p), _text(o)) for p, o in g.predicate_objects(iri))
        amendments = [a for a in g.subjects(RDF.type, LG.Amendment) if (a, LG.amends, iri) in g]
        if amendments:
            ev.kind = "amended"
            ev.valid_from = min((str(d) for a in amendments for d in g.objects(a, LG.validFrom)), default="")
    return sorted(events.values(), key=lambda e: (e.when, e.kind))


def _text(term: Node) -> str:
    return str(term) if isinstance(term, Literal) else short(term)


def added_by(store: Store, iris: list[Node]) -> dict[Node, Added]:
    """Which of these nodes an added entry describes (user-added facts, not in the report), and how.

    The one decision "is this fact from the report": a node with no entry here comes from the shipped files.
    A report entity that an entry amends is marked only where the amended values hold in ``store`` (pass the
    store as of a year, :func:`asof.view`, to mark that year's answer), with those values in ``values``.
    """
    from . import asof

    wanted = sorted({i for i in iris if isinstance(i, URIRef) and str(i).startswith(str(ID))})
    out: dict[Node, Added] = {}
    if not wanted:
        return out
    hidden = asof.hidden(store, None)
    amended: dict[Node, dict[Node, list[Node]]] = {}  # entity -> amendment -> values that hold
    for r in asof.restated(store):
        if r.amendment is not None and r.s in wanted and (r.s, r.p, r.o) not in hidden:
            amended.setdefault(r.s, {}).setdefault(r.amendment, []).append(r.o)
    amendments = sorted({a for per in amended.values() for a in per})
    for r in store.query(internal("added-by-entries").text, {"s": wanted + amendments}, max_rows=None).records():
        s = r["s"]
        a = out.get(s)  # type: ignore[arg-type]
        if a is None:
            a = out[s] = Added(entry=str(r["entry"]), user=str(r["user"]), when=str(r["when"]))  # type: ignore[index]
        if r["file"] is not None and str(r["file"]) not in a.files:
            a.files.append(str(r["file"]))
    for entity, per in amended.items():
        if entity not in out:
            first = min(per, key=lambda a: (out[a].when, str(a)) if a in out else ("", str(a)))
            if first in out:
                out[entity] = Added(out[first].entry, out[first].user, out[first].when, list(out[first].files),
                                    values=sorted({v for vs in per.values() for v in vs}))
    for a in amendments:
        if a not in wanted:
            out.pop(a, None)
    return out


def as_dict(a: Added | None) -> dict[str, Any] | None:
    return None if a is None else {**asdict(a), "note": a.note}


def not_valid_in(store: Store, year: int) -> set[Node]:
    """Entities that do not hold in ``year``: valid from a later year, ended by then, or superseded by a fact
    valid from that year or earlier (docs/MODELLING.md, "Time"). Entities without dates are open: they hold."""
    rows = store.query(internal("not-in-force").text, {"asOf": Literal(year, datatype=XSD.integer)}, max_rows=None)
    return {r[0] for r in rows.rows if r[0] is not None}


def row_marks(store: Store, answer: Answer) -> list[Added | None]:
    """For each row of a query answer, the entry its fact comes from (None: the report's): a row is
    user-added when a node in it (the fact's node, e.g. ?status, or an entity it names) an entry added."""
    if answer.kind != "select":
        return []
    added = added_by(store, [t for row in answer.rows for t in row if t is not None])
    # an amended report entity marks only the rows that show one of its amended values
    return [next((added[t] for t in row if t is not None and t in added
                  and (not added[t].values or any(v in row for v in added[t].values))), None)
            for row in answer.rows]


