"""The five countries side by side: one cell per country and dimension, each citing the sources of its fact.

Built from the canned queries and the benchmarks service, so that a cell says what ``legalgraph query`` and
``legalgraph assess`` say. A cell cites the sources of the node that states its fact (the criminalisation
status, the protection-order regime, the obligation, the programme), not of the entity it links to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import i18n
from ..humanize import count, humanize, up_to
from ..i18n import N_
from ..i18n import gettext as _
from ..namespaces import short
from ..store.base import Store
from . import asof, benchmarks, catalogue, entities, history
from .catalogue import internal
from .memo import per_version

DIMENSIONS = [
    ("law", N_("Domestic-violence law")),
    ("criminalisation", N_("Stand-alone crime (as of the year)")),
    ("protection", N_("Protection orders")),
    ("mandatory", N_("Mandatory programme vs 30 sessions / six months")),
    ("providers", N_("Programme providers")),
    ("agencies", N_("Agencies with programme duties")),
    ("tools", N_("Evaluation tools")),
    ("recommendations", N_("Country-specific recommendations")),
]
#: The two criteria of the "about 30 sessions over six months" benchmark, as the shapes name them.
DURATION, SESSIONS = "Programme lasts about six months", "Programme has about 30 sessions"


@dataclass
class Source:
    iri: str
    label: str  # a report section's path, or a document's label


@dataclass
class Cell:
    entity: str | None
    text: str
    label: str = ""
    sources: list[Source] = field(default_factory=list)
    #: the nodes whose sources the cell cites
    facts: list[str] = field(default_factory=list)
    #: the typed values the text puts in words, by query variable: {"initial": {"value": "P15D",
    #: "datatype": "http://www.w3.org/2001/XMLSchema#duration"}} (the machine twin keeps them)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: "added on DATE by WHO from FILE; not in the report" where the cell's fact comes from an added entry
    added: str | None = None
    #: nodes stating the cell's fact besides ``facts`` (checked for ``added``, their sources not cited)
    about: list[str] = field(default_factory=list)


def _typed(**terms: Node | None) -> dict[str, dict[str, str]]:
    return {k: {"value": str(t), "datatype": str(t.datatype)} if isinstance(t, Literal) and t.datatype
            else {"value": str(t)} for k, t in terms.items() if t is not None}


def _run(store: Store, name: str, **given: str) -> list[dict[str, Node | None]]:
    return catalogue.run(store, catalogue.get(name), given).records()


def sources_of(store: Store, iris: Iterable[Node]) -> dict[Node, list[Source]]:
    """The sources each node cites, in one query."""
    wanted = sorted({i for i in iris if isinstance(i, URIRef)})
    out: dict[Node, list[Source]] = defaultdict(list)
    if not wanted:
        return out
    for s, source, path, label in store.query(internal("sources-of").text, {"s": wanted}, max_rows=None).rows:
        out[s].append(Source(str(source), str(path or label or short(source))))
    return out


def _verdict(statuses: dict[str, str]) -> str:
    """One word for the two criteria of the benchmark, from the benchmarks service's statuses."""
    duration, sessions = statuses.get(DURATION, "no data"), statuses.get(SESSIONS, "no data")
    if "misses" in (duration, sessions):
        return _("misses")
    if benchmarks.CLOSE in (duration, sessions) and "no data" not in (duration, sessions):
        return _(benchmarks.CLOSE)
    if duration == sessions:
        return _(duration)
    if "no data" in (duration, sessions):
        return _("partly known")
    return _("duration %(duration)s, sessions %(sessions)s") % {"duration": _(duration), "sessions": _(sessions)}


@per_version(maxsize=64)
def build(store: Store, as_of: int, report_only: bool = False, lang: str = "en") -> dict:
    """The cells as of ``as_of``, read from the store as of that year (:func:`asof.view`: amended facts take
    the value valid then): law and criminalisation from the as-of query; in the other dimensions a cell whose
    facts do not hold in that year (not yet valid, ended, superseded) is left out. Cells whose
    fact comes from an added entry carry ``added`` (:func:`history.added_by`); ``report_only`` answers from the
    report's facts alone (:func:`asof.report_view`: as if no entry had been added).

    ``lang`` words the cells' text and labels for a page in that language (the JSON twin is English). The
    answer depends only on the store's content and the language: it is kept per store version and language
    and shared between callers (read it, don't change it; build new cells to decorate them).
    """
    with i18n.using(lang):
        return _build(store, as_of, report_only)


def _build(store: Store, as_of: int, report_only: bool) -> dict:
    lang = i18n.current()
    if report_only:
        store = asof.report_view(store)
    store = asof.view(store, as_of)  # every dimension reads the facts valid in that year
    cells: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))

    def put(country: Node, dim: str, entity: Node | None, text: str, facts: Iterable[Node | None] = (),
            cited: Iterable[Source] = (), values: dict[str, dict[str, str]] | None = None,
            about: Iterable[Node | None] = ()) -> None:
        existing = cells[str(country)][dim]
        key = (str(entity) if entity else None, text)
        cell = next((c for c in existing if (c.entity, c.text) == key), None)
        if cell is None:
            cell = Cell(key[0], text)
            existing.append(cell)
        cell.facts += [str(f) for f in facts if f is not None and str(f) not in cell.facts]
        cell.sources += [s for s in cited if s not in cell.sources]
        cell.values.update(values or {})
        cell.about += [str(f) for f in about if f is not None and str(f) not in cell.about]

    for r in _run(store, "dv-law-and-criminalisation", asOf=str(as_of)):
        if r["law"] is not None:
            put(r["country"], "law", r["law"], f"No. {r['lawNumber']} ({r['lawYear']})", [r["law"]])
        if r["standAlone"] is not None:
            put(r["country"], "criminalisation", None,
                f"{_('yes') if r['standAlone'].toPython() else _('no')} — {r['section']}",
                cited=[Source(str(r["source"]), str(r["section"]))], about=[r["status"]])
    for r in _run(store, "protection-orders"):
        text = " → ".join(humanize(x, lang) for x in (r["initial"], r["extended"] or r["maximum"]) if x is not None)
        if r.get("maximumExtension") is not None:  # "by up to": an upper bound, not a length
            extension = _("extension by %(length)s") % {"length": up_to(str(r["maximumExtension"]), lang)}
            text = " ".join(x for x in (text, extension) if x)
        obliges = r["extensionObliges"] is not None and r["extensionObliges"].toPython()
        put(r["country"], "protection", r["regime"], text + (_(" (extension obliges a programme)") if obliges else ""),
            [r["regime"]], values=_typed(initial=r["initial"], extended=r["extended"], maximum=r["maximum"],
                                         maximumExtension=r.get("maximumExtension"),
                                         extensionObliges=r["extensionObliges"]))
    programmes = _run(store, "programmes-by-length")
    # Mandatory-only programmes: one offered on both bases describes the whole programme, and its mandatory
    # part, where the report tells it apart, is a variant of its own (e.g. Tajikistan: 15 or 30 days).
    voluntary = {r["programme"] for r in programmes if str(r["modality"]).endswith("/voluntary")}
    mandatory = {r["programme"] for r in programmes if str(r["modality"]).endswith("/mandatory")} - voluntary
    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for a in benchmarks.assess(store):
        statuses[a.entity][a.criterion] = a.status
    for r in _run(store, "programmes-vs-benchmark"):
        if r["programme"] in mandatory:
            at_most = r.get("durationKind") is not None and str(r["durationKind"]) == "at most"
            verdict = _verdict(statuses.get(str(r["programme"]), {}))
            sessions = count(str(r["total"]), "session", lang) if r["total"] is not None else _("? sessions")
            length = humanize(r["duration"], lang) if r["duration"] is not None else "?"
            if at_most:
                length = _("at most %(length)s") % {"length": length}
            put(r["country"], "mandatory", r["programme"], f"{sessions}, {length}: {verdict}",
                [r["programme"]], values=_typed(total=r["total"], duration=r["duration"]))
    for r in programmes:
        if r["provider"] is not None:
            put(r["country"], "providers", r["provider"], "", [r["programme"]])
    for r in store.query(internal("compare-agencies").text).records():
        article = _("Art. %(article)s") % {"article": r["article"]} if r["article"] else ""
        put(r["country"], "agencies", r["bearer"], article, [r["obligation"]])
    for r in _run(store, "evaluation-tools"):
        if r["country"] is not None and r["kind"].toPython() == "evaluation tool":
            put(r["country"], "tools", r["tool"], "", [r["programme"]])
    recommendations: dict[Node, list[Node]] = defaultdict(list)
    for r in store.query(internal("compare-recommendations").text).records():
        recommendations[r["country"]].append(r["recommendation"])  # type: ignore[index]
    for c, recs in recommendations.items():
        put(c, "recommendations", None, i18n.ngettext("%(num)d recommendation", "%(num)d recommendations", len(recs))
            % {"num": len(recs)}, recs)

    gone = {str(n) for n in history.not_valid_in(store, as_of)}
    for per in cells.values():
        for dim, listed in per.items():
            if dim not in ("law", "criminalisation"):
                listed[:] = [c for c in listed if not ((c.entity and c.entity in gone)
                                                       or (c.facts and all(f in gone for f in c.facts)))]
    everything = [c for per in cells.values() for dim in per.values() for c in dim]
    added = history.added_by(store, [URIRef(i) for c in everything for i in [*c.facts, *c.about, c.entity] if i])
    for c in everything:
        mark = next((added[URIRef(i)] for i in [*c.facts, *c.about, c.entity] if i and URIRef(i) in added), None)
        c.added = mark.note if mark else None
    names = entities.labels(store, [URIRef(c.entity) for c in everything if c.entity], lang)
    sources = sources_of(store, [URIRef(f) for c in everything for f in c.facts])
    for cell in everything:
        if cell.entity:
            cell.label = names.get(URIRef(cell.entity), short(cell.entity))
        seen: dict[str, Source] = {s.iri or s.label: s for s in cell.sources}
        for f in cell.facts:
            for s in sources.get(URIRef(f), []):
                seen.setdefault(s.iri, s)
        cell.sources = sorted(seen.values(), key=lambda s: s.label)
    return {"asOf": as_of, "reportOnly": report_only,
            "cells": {c: {d: [asdict(x) for x in v] for d, v in per.items()} for c, per in cells.items()}}


def country_as_of(store: Store, country: str, as_of: int) -> list[dict]:
    """A country page's "as of" rows: its domestic-violence law and the criminalisation statuses that hold in
    ``as_of`` (the ``dv-law-and-criminalisation`` query), each with its source and, where an added entry
    brought it, the mark (:func:`history.added_by`). Open-ended statuses show empty from/until."""
    store = asof.view(store, as_of)  # marks: the amended values that hold in that year
    rows = _run(store, "dv-law-and-criminalisation", asOf=str(as_of), country=country)
    added = history.added_by(store, [n for r in rows for n in (r["status"], r["law"]) if n is not None])
    names = entities.labels(store, [r["law"] for r in rows if r["law"] is not None])
    out = []
    for r in rows:
        mark = added.get(r["status"]) or added.get(r["law"])  # type: ignore[arg-type]
        out.append({
            "law": str(r["law"]) if r["law"] is not None else None,
            "lawLabel": names.get(r["law"], "") if r["law"] is not None else "",
            "criminalised": None if r["criminalised"] is None else r["criminalised"].toPython(),
            "standAlone": None if r["standAlone"] is None else r["standAlone"].toPython(),
            "from": None if r["from"] is None else str(r["from"]),
            "until": None if r["until"] is None else str(r["until"]),
            "source": None if r["source"] is None else str(r["source"]),
            "section": None if r["section"] is None else str(r["section"]),
            "added": mark.note if mark else None,
        })
    return out
