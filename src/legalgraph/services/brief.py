"""Country briefs: what the graph says of one country, in sentences and small tables an adviser can cite.

A brief is assembled from the other services, never from rules of its own: the canned queries (law and
criminalisation as of a year, protection orders, programmes by length and against the benchmark, programme
obligations, discrepancies), :func:`benchmarks.assess` for every verdict and its reason, :mod:`entities` for
labels and the one rule of which country an entity belongs to, :func:`compare.sources_of` for citations and
:mod:`network` for the picture of the agencies. Typed values become words through :mod:`legalgraph.humanize`.

Every sentence carries the IRI of the entity it is about and the sources it cites (a report section's path,
or a document's label), so that a page can link both. :func:`briefs` puts several countries side by side
from :func:`compare.build`.
"""

from __future__ import annotations

import base64
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import humanize as words
from .. import i18n
from ..errors import BadInput, LegalgraphError
from ..i18n import N_
from ..i18n import gettext as _
from ..namespaces import ID, local_name, short
from ..store.base import Store
from . import asof, benchmarks, catalogue, compare, entities, network
from .catalogue import internal
from .compare import Source
from .memo import per_version

#: The most countries a side-by-side brief shows.
MAX_SIDE_BY_SIDE = 5


@dataclass
class Sentence:
    text: str
    entity: str | None = None
    label: str = ""
    sources: list[Source] = field(default_factory=list)
    #: False where the text itself names the entity: a page links the text rather than lead with the label
    named: bool = True


@dataclass
class Verdict:
    benchmark: str
    criterion: str
    status: str
    reason: str


@dataclass
class Programme:
    entity: str
    label: str
    text: str
    providers: list[Sentence] = field(default_factory=list)
    places: list[Sentence] = field(default_factory=list)
    modality: str = ""
    length: str = ""
    sessions: str = ""
    status: str = ""
    verdicts: list[Verdict] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Reading:
    entity: str
    label: str
    text: str
    value: str
    sections: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Discrepancy:
    entity: str
    label: str
    kind: str
    readings: list[Reading] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Recommendation:
    entity: str
    label: str
    ordinal: int | None
    text: str
    sources: list[Source] = field(default_factory=list)


@dataclass
class Brief:
    country: str  # slug
    iri: str
    label: str
    as_of: int
    law: list[Sentence] = field(default_factory=list)
    criminalisation: list[Sentence] = field(default_factory=list)
    timeline: list[Sentence] = field(default_factory=list)
    protection: list[Sentence] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    agencies: list[Sentence] = field(default_factory=list)
    network_svg: str | None = None  # a data: URI (image/svg+xml), drawn by Graphviz on the server
    network_note: str = ""
    discrepancies: list[Discrepancy] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)

    def sources(self) -> list[Source]:
        """Every source the brief cites, once, by label."""
        seen: dict[str, Source] = {}
        for s in _all_sources(self):
            if s.label not in seen or (s.iri and not seen[s.label].iri):
                seen[s.label] = s
        return sorted(seen.values(), key=lambda s: s.label)

    def to_json(self) -> dict:
        out = asdict(self)
        out["asOf"] = out.pop("as_of")
        out["sources"] = [asdict(s) for s in self.sources()]
        return out


def _all_sources(b: Brief) -> Iterable[Source]:
    for group in (b.law, b.criminalisation, b.timeline, b.protection, b.agencies):
        for s in group:
            yield from s.sources
    for p in b.programmes:
        yield from p.sources
    for d in b.discrepancies:
        yield from d.sources
        for r in d.readings:
            yield from r.sources
    for r in b.recommendations:
        yield from r.sources


# ------------------------------------------------------------------ helpers

def _run(store: Store, name: str, **given: str) -> list[dict[str, Node | None]]:
    return catalogue.run(store, catalogue.get(name), given).records()


def _details(store: Store, iris: Iterable[Node]) -> dict[Node, dict[str, list[Node]]]:
    wanted = sorted({i for i in iris if isinstance(i, URIRef)})
    out: dict[Node, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    if wanted:
        for s, p, o in store.query(internal("brief-details").text, {"s": wanted}, max_rows=None).rows:
            out[s][local_name(p)].append(o)
    return out


_ISO_DURATION = re.compile(r"\bP(?:\d+[YMWD])+(?:T(?:\d+[HMS])+)?\b")


def plain(text: str, lang: str = "en") -> str:
    """A message with any ISO 8601 durations in it put in words ("at most P30D" -> "at most 30 days")."""
    return _ISO_DURATION.sub(lambda m: words.duration(m.group(0), lang), text or "")


def _lang() -> str:
    """The language the brief is being worded in (:func:`brief` sets it)."""
    return i18n.current()


def _value(term: Node | None) -> str:
    return words.humanize(term, _lang()) if term is not None else ""


def _is_true(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.toPython() is True


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


# ------------------------------------------------------------------ the brief

@per_version(maxsize=64)
def brief(store: Store, country: str, as_of: int = 2023, lang: str = "en") -> Brief:
    """The brief of one country (a slug, IRI or label; an unknown one is BadInput listing the valid), worded
    in ``lang`` (the interface's words and the vocabulary's labels; the report's facts stay in English). Kept
    per store version and language, and shared between callers: read it, don't change it."""
    with i18n.using(lang):
        return _brief(store, country, as_of)


def _brief(store: Store, country: str, as_of: int) -> Brief:
    slug = entities.country(store, country)
    if slug is None:
        valid = [s for s, _ in entities.countries(store)]
        raise BadInput(f"give a country; choose one of {', '.join(valid)}", valid=valid)
    as_of = catalogue.parse_year(as_of)
    store = asof.view(store, int(as_of))  # every sentence reads the facts valid in that year
    iri = URIRef(f"{ID}country/{slug}")
    label = dict(entities.countries(store, _lang()))[slug]
    b = Brief(country=slug, iri=str(iri), label=label, as_of=int(as_of))
    cite: list[tuple[object, list[Node]]] = []  # (object with .sources, nodes whose sources it cites)

    _law(store, b, slug, cite)
    _protection(store, b, slug, cite)
    _programmes(store, b, slug, cite)
    _agencies(store, b, slug, cite)
    _discrepancies(store, b, slug, cite)
    _recommendations(store, b, iri, cite)

    found = compare.sources_of(store, [n for _, nodes in cite for n in nodes])
    for obj, nodes in cite:
        have = {s.iri or s.label for s in obj.sources}  # type: ignore[attr-defined]
        for n in nodes:
            for s in found.get(n, []):
                if s.iri not in have:
                    obj.sources.append(s)  # type: ignore[attr-defined]
                    have.add(s.iri)
        obj.sources.sort(key=lambda s: s.label)  # type: ignore[attr-defined]

    by_label = {s.label: s for per in found.values() for s in per if s.iri}
    for obj in (*_sentences(b),):
        mapped = {}
        for src in obj.sources:
            mapped.setdefault(src.label, by_label.get(src.label, src) if not src.iri else src)
        obj.sources = list(mapped.values())
    names = entities.labels(store, [URIRef(s.entity) for s in _sentences(b) if s.entity and not s.label], _lang())
    for s in _sentences(b):
        if s.entity and not s.label:
            s.label = names.get(URIRef(s.entity), short(s.entity))
    return b


def _sentences(b: Brief) -> Iterable[Sentence]:
    yield from b.law
    yield from b.criminalisation
    yield from b.timeline
    yield from b.protection
    yield from b.agencies
    for p in b.programmes:
        yield from p.providers
        yield from p.places


def _law(store: Store, b: Brief, slug: str, cite: list) -> None:
    rows = _run(store, "dv-law-and-criminalisation", asOf=str(b.as_of), country=slug)
    laws: dict[Node, Sentence] = {}
    statuses: dict[str, Sentence] = {}
    for r in rows:
        law = r["law"]
        if law is not None and law not in laws:
            number = _("No. %(number)s, ") % {"number": r["lawNumber"]} if r["lawNumber"] is not None else ""
            laws[law] = Sentence(_("the domestic-violence law in force as of %(year)s (%(number)sadopted in "
                                   "%(adopted)s).") % {"year": b.as_of, "number": number,
                                                        "adopted": _value(r["lawYear"])}, str(law))
            cite.append((laws[law], [law]))
        if r["standAlone"] is None and r["criminalised"] is None:
            continue
        text = _criminalisation(b.as_of, r["criminalised"], r["standAlone"], r["from"], r["until"])
        sentence = statuses.setdefault(text, Sentence(text, b.iri, b.label))
        if r["section"] is not None and all(s.label != str(r["section"]) for s in sentence.sources):
            # the section's own IRI, so that the brief links it as /compare does
            sentence.sources.append(Source(str(r["source"]) if r["source"] is not None else "", str(r["section"])))
    if not laws:
        b.law.append(Sentence(_("As of %(year)s, the graph records no dedicated domestic-violence law in force.")
                              % {"year": b.as_of}, b.iri, b.label))
    b.law += laws.values()
    b.criminalisation += statuses.values()
    for r in _run(store, "criminalisation-timeline", country=slug):
        if r["from"] is None and r["until"] is None:
            continue
        if r["from"] is not None and int(str(r["from"])[:4]) > b.as_of:  # not yet known as of the brief's year
            continue
        text = _period(r["criminalised"], r["standAlone"], r["from"], r["until"])
        s = Sentence(text, str(r["status"]), named=False)
        if all(t.text != text for t in b.timeline):
            b.timeline.append(s)
            cite.append((s, [r["status"]]))
        else:
            cite.append((next(t for t in b.timeline if t.text == text), [r["status"]]))


def _criminalisation(as_of: int | None, criminalised: Node | None, stand_alone: Node | None,
                     start: Node | None, until: Node | None) -> str:
    when = []
    if start is not None:
        when.append(words.since(str(start), _lang()))
    if until is not None:
        when.append(_("until %(date)s") % {"date": _value(until)})
    lead = (_("As of %(year)s, ") % {"year": as_of} if as_of is not None
            else (" ".join(when).capitalize() + ", " if when else ""))
    parts = []
    if criminalised is not None:
        parts.append(_("domestic violence is criminalised") if _is_true(criminalised)
                     else _("domestic violence is not criminalised"))
    if stand_alone is not None:
        if _is_true(stand_alone):
            parts.append(_("it is a stand-alone criminal offence") if parts
                         else _("domestic violence is a stand-alone criminal offence"))
        else:
            parts.append(_("it is not a stand-alone criminal offence") if parts
                         else _("domestic violence is not a stand-alone criminal offence"))
    text = lead + "; ".join(parts)
    if as_of is not None and when:
        text += f" ({' '.join(when)})"
    return text[0].upper() + text[1:] + "."


def _period(criminalised: Node | None, stand_alone: Node | None, start: Node | None, until: Node | None) -> str:
    """One step of the timeline: "Since 2017: not criminalised; not a stand-alone criminal offence."."""
    when = " ".join(x for x in (words.since(str(start), _lang()) if start is not None else "",
                                _("until %(date)s") % {"date": _value(until)} if until is not None else "") if x)
    parts = []
    if criminalised is not None:
        parts.append(_("criminalised") if _is_true(criminalised) else _("not criminalised"))
    if stand_alone is not None:
        parts.append(_("a stand-alone criminal offence") if _is_true(stand_alone)
                     else _("not a stand-alone criminal offence"))
    text = _("%(when)s: domestic violence %(status)s.") % {"when": when,
                                                           "status": "; ".join(parts) or _("status not stated")}
    return text[0].upper() + text[1:]


def _protection(store: Store, b: Brief, slug: str, cite: list) -> None:
    rows = _run(store, "protection-orders", country=slug)
    if not rows:
        b.protection.append(Sentence(_("The graph records no protection-order regime."), b.iri, b.label))
    for r in rows:
        regime = r["regime"]
        lengths = []
        initial, extended, maximum = (str(r[k]) if r[k] is not None else None
                                      for k in ("initial", "extended", "maximum"))
        lang = _lang()
        if initial:
            lengths.append(_("an order lasts %(length)s") % {"length": words.duration(initial, lang)})
        if extended and extended == maximum:
            lengths.append(_("extendable %(up_to)s in all") % {"up_to": words.up_to(maximum, lang)})
        else:
            if extended:
                lengths.append(_("extendable to %(length)s") % {"length": words.duration(extended, lang)})
            if maximum:
                lengths.append(_("%(up_to)s in all") % {"up_to": words.up_to(maximum, lang)})
        if r["maximumExtension"] is not None:
            lengths.append(_("an extension adds %(up_to)s") % {"up_to": words.up_to(str(r["maximumExtension"]), lang)})
        texts = []
        if lengths:
            text = ", ".join(lengths) + "."
            texts.append(text[0].upper() + text[1:])
        people = entities.labels(store, [x for x in (r["issuer"], r["extendedBy"]) if x is not None], lang)
        if r["issuer"] is not None:
            texts.append(_("Orders are issued by %(who)s.") % {"who": people.get(r["issuer"], short(r["issuer"]))})
        if r["extendedBy"] is not None:
            texts.append(_("Extensions are granted by %(who)s.")
                         % {"who": people.get(r["extendedBy"], short(r["extendedBy"]))})
        initial, extension = _is_true(r["initialObliges"]), _is_true(r["extensionObliges"])
        if initial and extension:
            texts.append(_("Both the initial order and its extension oblige the perpetrator to attend a programme."))
        elif initial:
            texts.append(_("The initial order obliges the perpetrator to attend a programme."))
        elif extension:
            texts.append(_("An extended order obliges the perpetrator to attend a programme."))
        elif r["initialObliges"] is not None or r["extensionObliges"] is not None:
            texts.append(_("The order does not oblige the perpetrator to attend a programme."))
        if r["sanction"] is not None:
            texts.append(_("Sanction for not complying: %(sanction)s") % {"sanction": r["sanction"]})
        for t in texts:
            s = Sentence(t, str(regime))
            b.protection.append(s)
            cite.append((s, [regime]))


def _programmes(store: Store, b: Brief, slug: str, cite: list) -> None:
    rows = _run(store, "programmes-by-length", country=slug)
    order: list[Node] = []
    seen: dict[Node, dict] = {}
    for r in rows:
        p = r["programme"]
        if p not in seen:
            order.append(p)
            seen[p] = {"providers": [], "modalities": [], "row": r}
        for key, col in (("providers", "provider"), ("modalities", "modality")):
            if r[col] is not None and r[col] not in seen[p][key]:
                seen[p][key].append(r[col])
    lengths = {r["programme"]: r for r in _run(store, "programmes-vs-benchmark", country=slug)}
    details = _details(store, order)
    verdicts: dict[str, list[Verdict]] = defaultdict(list)
    for a in benchmarks.assess(store, slug):
        reason = plain(a.message) or f"{a.status.capitalize()} benchmark '{a.benchmark}'."
        verdicts[a.entity].append(Verdict(a.benchmark, a.criterion, a.status, reason))
    places = [pl for p in order for pl in details[p].get("place", [])]
    concepts = [c for p in order for c in seen[p]["modalities"] + [seen[p]["row"]["status"]] if c is not None]
    lang = _lang()
    names = entities.labels(store, [*order, *places, *concepts, *(x for p in order for x in seen[p]["providers"])],
                            lang)
    for p in order:
        r, info = seen[p]["row"], seen[p]
        measured = lengths.get(p)
        length = ""
        if measured is not None and measured["duration"] is not None:
            kind = str(measured["durationKind"] or "")
            length = (words.up_to(str(measured["duration"]), lang) if kind == "at most"
                      else words.duration(str(measured["duration"]), lang))
        elif r["duration"] is not None:
            length = words.duration(str(r["duration"]), lang)
        total = (measured["total"] if measured is not None and measured["total"] is not None else r["total"])
        kinds = {"individual": N_("individual: %(sessions)s"),
                 "minIndividual": N_("individual: at least %(sessions)s"), "group": N_("group: %(sessions)s")}
        split = [_(kinds[k]) % {"sessions": words.count(str(r[k]), "session", lang)}
                 for k in ("individual", "minIndividual", "group") if r[k] is not None]
        sessions = words.count(str(total), "session", lang) if total is not None else ""
        if split:
            sessions = f"{sessions} ({', '.join(split)})" if sessions else ", ".join(split)
        modality = _join([names.get(m, local_name(m)) for m in info["modalities"]])
        status = names.get(r["status"], local_name(r["status"])) if r["status"] is not None else ""
        label = names.get(p, short(p))
        providers = [Sentence(names.get(x, short(x)), str(x), names.get(x, short(x))) for x in info["providers"]]
        where = [Sentence(names.get(x, short(x)), str(x), names.get(x, short(x))) for x in details[p].get("place", [])]
        bits = []
        if providers:
            bits.append(_("run by %(who)s") % {"who": _join([x.label for x in providers])})
        if where:
            bits.append(_("in %(places)s") % {"places": _join([x.label for x in where])})
        if modality:
            bits.append(_("participation %(modality)s") % {"modality": modality.lower()})
        bits.append(_("lasts %(length)s") % {"length": length} if length else _("length not stated"))
        bits.append(sessions if sessions else _("sessions not stated"))
        if status:
            bits.append(_("status: %(status)s") % {"status": status.lower()})
        prog = Programme(str(p), label, f"{label}: " + "; ".join(bits) + ".", providers, where, modality, length,
                         sessions, status, sorted(verdicts.get(str(p), []), key=lambda v: (v.benchmark, v.criterion)))
        b.programmes.append(prog)
        cite.append((prog, [p]))


def _agencies(store: Store, b: Brief, slug: str, cite: list) -> None:
    rows = _run(store, "programme-obligations", country=slug)
    obligations: dict[tuple[Node, str], list[Node]] = defaultdict(list)
    for r in store.query(internal("compare-agencies").text).records():
        if r["country"] == URIRef(b.iri):
            obligations[(r["bearer"], str(r["article"] or ""))].append(r["obligation"])  # type: ignore[index]
    names = entities.labels(store, [x for r in rows for x in (r["bearer"], r["act"]) if x is not None])
    sentences: dict[str, Sentence] = {}
    bearers: list[Node] = []
    for r in rows:
        bearer = r["bearer"]
        if bearer not in bearers:
            bearers.append(bearer)
        act = names.get(r["act"], short(r["act"])) if r["act"] is not None else ""
        basis = (f"Art. {r['article']} of {act}" if r["article"] is not None else act)
        duty = str(r["duty"]).rstrip(".")
        key = f"{bearer}|{duty}|{act}"
        if key in sentences:
            if r["article"] is not None and f"Art. {r['article']}" not in sentences[key].text:
                sentences[key].text = sentences[key].text.replace(" of ", f", Art. {r['article']} of ", 1)
        else:
            sentences[key] = Sentence(f"{duty} ({basis}).", str(bearer), names.get(bearer, short(bearer)))
        cite.append((sentences[key], obligations.get((bearer, str(r["article"] or "")), [])))
    b.agencies += sentences.values()
    if not rows:
        b.agencies.append(Sentence(_("The graph records no agency with duties about perpetrator programmes."),
                                   b.iri, b.label))
    b.network_svg, b.network_note = _picture(store, slug, b.label, bearers)


def _picture(store: Store, slug: str, label: str, bearers: list[Node]) -> tuple[str | None, str]:
    """The agencies' ego networks (radius 1), kept to this country's entities and the agencies themselves,
    drawn as SVG by the network service (Graphviz)."""
    if not bearers:
        return None, ""
    egos = [network.select(store, "all", ego_of=short(bearer), radius=1) for bearer in bearers]
    g = nx.compose_all(egos)
    keep = [n for n, d in g.nodes(data=True) if d.get("country") == slug or n in {short(x) for x in bearers}]
    g = g.subgraph(keep).copy()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = network.export(g, "svg", Path(tmp) / "agencies.svg", title=f"Agencies with programme duties: {label}")
            data = out.read_bytes()
    except LegalgraphError as e:
        return None, e.message
    except Exception as e:  # Graphviz failed: the brief still holds the agencies in words
        return None, _("the picture could not be drawn (%(error)s)") % {"error": type(e).__name__}
    nodes, edges = g.number_of_nodes(), g.number_of_edges()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"), (
        _("%(entities)s and %(links)s around the agencies")
        % {"entities": i18n.ngettext("%(num)d entity", "%(num)d entities", nodes) % {"num": nodes},
           "links": i18n.ngettext("%(num)d link", "%(num)d links", edges) % {"num": edges}})


def _discrepancies(store: Store, b: Brief, slug: str, cite: list) -> None:
    """The discrepancies with a statement about one of the country's entities (the entity index's rule of
    which country an entity belongs to), each with every one of its readings."""
    rows = _run(store, "discrepancies")
    details = _details(store, {r["statement"] for r in rows})
    index = entities.index(store).entities
    ours = {r["discrepancy"] for r in rows
            if any(a in index and slug in index[a].countries  # type: ignore[index]
                   for a in details[r["statement"]].get("about", []))}
    rows = [r for r in rows if r["discrepancy"] in ours]
    names = entities.labels(store, [x for r in rows for x in (r["discrepancy"], r["statement"], r["kind"])], _lang())
    found: dict[Node, Discrepancy] = {}
    readings: dict[tuple[Node, Node], Reading] = {}
    for r in rows:
        d, st = r["discrepancy"], r["statement"]
        if d not in found:
            found[d] = Discrepancy(str(d), names.get(d, short(d)), names.get(r["kind"], local_name(r["kind"])))
            cite.append((found[d], [d]))
        key = (d, st)
        if key not in readings:
            text = " ".join(str(t) for t in details[st].get("text", []))
            readings[key] = Reading(str(st), names.get(st, short(st)), text, _value(r["value"]))
            found[d].readings.append(readings[key])
            cite.append((readings[key], [st]))
        if r["section"] is not None and str(r["section"]) not in readings[key].sections:
            readings[key].sections.append(str(r["section"]))
    b.discrepancies += found.values()


def _recommendations(store: Store, b: Brief, iri: URIRef, cite: list) -> None:
    recs = [r["recommendation"] for r in store.query(internal("compare-recommendations").text).records()
            if r["country"] == iri]
    details = _details(store, recs)
    names = entities.labels(store, recs)
    for rec in recs:
        d = details[rec]
        ordinal = int(d["ordinal"][0].toPython()) if d.get("ordinal") else None  # type: ignore[union-attr]
        r = Recommendation(str(rec), names.get(rec, short(rec)), ordinal, " ".join(str(t) for t in d.get("text", [])))
        b.recommendations.append(r)
        cite.append((r, [rec]))
    b.recommendations.sort(key=lambda r: (r.ordinal is None, r.ordinal or 0, r.entity))


# ------------------------------------------------------------------ side by side

def briefs(store: Store, countries: list[str], as_of: int = 2023, lang: str = "en") -> dict:
    """Two or more countries side by side: the cells of :func:`compare.build` for the chosen countries (worded
    in ``lang``)."""
    slugs: list[str] = []
    for given in countries:
        for part in str(given).split(","):
            slug = entities.country(store, part, "countries")
            if slug is not None and slug not in slugs:
                slugs.append(slug)
    valid = [s for s, _ in entities.countries(store)]
    if not slugs:
        raise BadInput(f"choose countries to compare: any of {', '.join(valid)}", where="countries", valid=valid)
    if len(slugs) > MAX_SIDE_BY_SIDE:
        raise BadInput(f"at most {MAX_SIDE_BY_SIDE} countries side by side", where="countries", valid=valid)
    data = compare.build(store, as_of, lang=lang)
    labels = dict(entities.countries(store, lang))
    chosen = [{"slug": s, "iri": f"{ID}country/{s}", "label": labels[s]} for s in slugs]
    return {"asOf": as_of, "countries": chosen,
            "dimensions": [{"key": k, "title": t} for k, t in compare.DIMENSIONS],
            "cells": {c["iri"]: data["cells"].get(c["iri"], {}) for c in chosen}}


# ------------------------------------------------------------------ text

def render_text(b: Brief) -> str:
    """The brief as plain text (the command line's output when no file is named)."""
    out: list[str] = [f"{b.label}: country brief (as of {b.as_of})", "=" * 60, ""]

    def cited(sources: list[Source]) -> str:
        return f"  [{'; '.join(s.label for s in sources)}]" if sources else ""

    def section(title: str, sentences: list[Sentence]) -> None:
        if not sentences:
            return
        out.extend([title, "-" * len(title)])
        for i, s in enumerate(sentences):
            before = sentences[i - 1] if i else None
            after = sentences[i + 1] if i + 1 < len(sentences) else None
            named = s.named and s.label and s.entity != b.iri and not (before and before.entity == s.entity)
            sources = "" if after and after.entity == s.entity and after.sources == s.sources else cited(s.sources)
            out.append(f"- {s.label + ': ' if named else ''}{s.text}{sources}")
        out.append("")

    section("Domestic-violence law", b.law)
    section(f"Criminalisation as of {b.as_of}", b.criminalisation)
    section("Criminalisation over time", b.timeline)
    section("Protection orders", b.protection)
    if b.programmes:
        out.extend(["Perpetrator programmes", "-" * 22])
        for p in b.programmes:
            out.append(f"- {p.text}{cited(p.sources)}")
            for v in p.verdicts:
                out.append(f"    {v.status:<22} {v.criterion}: {v.reason}")
        out.append("")
    section("Agencies with programme duties", b.agencies)
    if b.discrepancies:
        out.extend(["Where the report contradicts itself", "-" * 35])
        for d in b.discrepancies:
            out.append(f"- {d.label} ({d.kind})")
            for r in d.readings:
                value = f" [{r.value}]" if r.value else ""
                out.append(f"    * {r.text or r.label}{value} — {'; '.join(r.sections) or 'no section'}")
        out.append("")
    if b.recommendations:
        out.extend(["Recommendations of the report", "-" * 29])
        for r in b.recommendations:
            out.append(f"{r.ordinal or '-'}. {r.text}{cited(r.sources)}")
        out.append("")
    out.append("Sources: " + "; ".join(s.label for s in b.sources()))
    return "\n".join(out) + "\n"


__all__ = ["Brief", "Discrepancy", "Programme", "Reading", "Recommendation", "Sentence", "Verdict", "brief",
           "briefs", "plain", "render_text"]
