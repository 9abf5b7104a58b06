"""The store as of a year: the one place where amendments switch values at their date.

An entry may declare an ``lg:Amendment`` (``lg:amends <entity>``, ``lg:validFrom``) and restate properties of
that entity; both the earlier and the new values stay in the graph, each in its own named graph, so that
removing the entry restores the report exactly. Every "as of" answer (canned queries, ``/compare``, ``assess``,
country pages, briefs) reads the graph through :func:`view`, which keeps, for each amended (entity,
property), only the values valid in the year (docs/MODELLING.md, "Amendments over time"):

* as of year Y, the values of the latest amendment with ``lg:validFrom`` in Y or earlier, else the earlier
  (unamended) values; with no year, those of the latest amendment (the current law);
* an amendment whose source leaves the date open (``lg:notStated lg:validFrom``, no ``lg:validFrom``) is
  **open**: its values are kept beside the others in every year and replace none; the history says so.

When no amendment applies, :func:`view` is the store itself (the same answers, no copy). Otherwise it is an
in-memory copy of the store without the values that do not hold, on the same engine (rdflib for rdflib,
Oxigraph otherwise) and, for a bounded store, with the same bounds; it is built once per store version and
year.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import BadInput
from ..store.base import Answer, Store
from .catalogue import internal
from .memo import per_version

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Restated:
    """One value of an amended (entity, property): from an amendment (with its start year, None when the
    source leaves it open) or, with ``amendment`` None, the earlier value."""

    s: Node
    p: Node
    o: Node
    amendment: Node | None
    start: str | None  # the lexical lg:validFrom ("2024", "2024-04", "2024-04-15")


_lock = threading.Lock()
_views: dict[tuple[int, Hashable, int | None], View] = {}
_SERIAL = itertools.count()
_YEAR_START = re.compile(r"[0-9]{4}")
#: Copies kept at once (each is a whole copy of the store).
MAX_VIEWS = 8


@per_version(maxsize=1)
def restated(store: Store) -> list[Restated]:
    """Every value of every (entity, property) an amendment restates, kept per store version."""
    return [Restated(r["s"], r["p"], r["o"], r["amendment"], _start(r["from"]))
            for r in store.query(internal("amended-values").text, max_rows=None).records()]  # type: ignore[arg-type]


def _start(value: object) -> str | None:
    """An amendment's start as text; a date that does not begin with a year (``"2O24"``, in a file loaded
    without the entry checks) counts as not stated, so it is open rather than a crash of every answer."""
    text = None if value is None else str(value)
    return text if text is not None and _YEAR_START.match(text) else None


def _year(start: str) -> int:
    return int(start[:4])


def hidden(store: Store, year: int | None) -> set[Triple]:
    """The values that do not hold as of ``year`` (None: now): replaced by a later amendment in force by
    then, or stated by an amendment not yet in force. Open amendments hide nothing and are never hidden."""
    by_fact: dict[tuple[Node, Node], list[Restated]] = defaultdict(list)
    for r in restated(store):
        by_fact[(r.s, r.p)].append(r)
    out: set[Triple] = set()
    for (s, p), values in by_fact.items():
        dated = [r for r in values if r.amendment is not None and r.start is not None
                 and (year is None or _year(r.start) <= year)]
        open_ = {r.o for r in values if r.amendment is not None and r.start is None}
        if dated:
            latest = max((_year(r.start), r.start) for r in dated)  # type: ignore[arg-type]
            keep = {r.o for r in dated if (_year(r.start), r.start) == latest}  # type: ignore[arg-type]
        else:
            keep = {r.o for r in values if r.amendment is None}
        out |= {(s, p, r.o) for r in values if r.o not in keep | open_}
    return out


def view(store: Store, year: int | None = None) -> Store:
    """The store as of ``year`` (None: the current values). A view asked again for its own year, or for no
    year, is itself: a service handed a view answers for the view's year."""
    if isinstance(store, View) and not store.report_only:  # a report view is a base of its own
        if year is None or year == store.year:
            return store
        store = store.base
    drop = hidden(store, year)
    if not drop:
        return store
    # Keyed by what is left out, not by the year: years between two amendments' dates share one copy, so the
    # number of copies is bounded by the data (its amendment dates), not by the years people ask for.
    key = (id(store), store.version(), frozenset(drop))
    with _lock:
        made = _views.get(key)  # type: ignore[arg-type]
    if made is None:
        made = View(store, year, drop)
        with _lock:
            if len(_views) >= MAX_VIEWS:  # dropped, not closed: a request may still be reading one
                _views.clear()
            _views[key] = made  # type: ignore[index]
    return made


def without(store: Store, subjects: set[Node]) -> Store:
    """``store`` without every triple about ``subjects`` (the entities that do not hold in a year, for the
    benchmark shapes), kept like :func:`view`; the store itself when there is nothing to leave out."""
    if not subjects:
        return store
    derived = isinstance(store, View) and not store.report_only
    base = store.base if derived else store
    year = store.year if derived else None
    key = (id(store), store.version(), ("without", frozenset(subjects)))
    with _lock:
        made = _views.get(key)  # type: ignore[arg-type]
    if made is None:
        drop = {t for name in store.named_graphs() for t in store.graph(name) if t[0] in subjects}
        if derived:
            drop |= store.drop
        made = View(base, year, drop)
        with _lock:
            if len(_views) >= MAX_VIEWS:
                _views.clear()
            _views[key] = made  # type: ignore[index]
    return made


def report_view(store: Store) -> Store:
    """The store as the report left it: without the named graphs of added entries (and their retraction
    records), so that every question (``reportOnly=1``, ``--report-only``) is answered on the report's facts
    alone, as if no entry had been added: a report fact that an entry superseded or amended is back. The
    store itself when no entry was added."""
    from .history import ENTRY_GRAPHS, RETRACTION_GRAPHS

    if isinstance(store, View) and store.report_only:
        return store
    if isinstance(store, View):
        store = store.base
    skip = tuple(g for g in store.named_graphs() if str(g).startswith((ENTRY_GRAPHS, RETRACTION_GRAPHS)))
    if not skip:
        return store
    key = (id(store), store.version(), ("report only",))
    with _lock:
        made = _views.get(key)  # type: ignore[arg-type]
    if made is None:
        made = View(store, None, set(), skip=frozenset(skip))
        with _lock:
            if len(_views) >= MAX_VIEWS:
                _views.clear()
            _views[key] = made  # type: ignore[index]
    return made


def _engine(store: Any) -> Any:
    """An empty store on the same engine as ``store`` (the two-engine test compares engines, not copies)."""
    from ..store.memory import MemoryStore

    backend = getattr(store, "backend", store)
    if isinstance(backend, MemoryStore):
        return MemoryStore(files=[])
    from ..store.embedded import OxigraphStore

    return OxigraphStore(None)


class View:
    """A read-only copy of ``base`` without the ``drop`` triples, answering as of ``year``."""

    def __init__(self, base: Store, year: int | None, drop: set[Triple], skip: frozenset = frozenset()) -> None:
        self.base, self.year, self.drop = base, year, drop
        #: a report view (:func:`report_view`): whole named graphs left out; views of it keep it as their base
        self.report_only = bool(skip)
        copy = _engine(base)
        for name in base.named_graphs():
            if name in skip:
                continue
            g = Graph()
            for t in base.graph(name):
                if t not in drop:
                    g.add(t)
            if len(g):
                copy.add(g, name)
        # A serial of its own: a view made later at a reused address never passes for this one in a cache
        # keyed by the version.
        self._version = ("report only" if skip else "as of", base.version(), year, next(_SERIAL))
        self.capabilities = copy.capabilities
        settings = getattr(base, "settings", None)
        if settings is not None:  # a bounded store: the same guard and bounds on the copy
            from ..store.bounded import BoundedStore

            copy = BoundedStore(copy, settings)
        self.copy = copy

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, dataset: Any = None,
              base_iri: str | None = None, **bounds: Any) -> Answer:
        return self.copy.query(sparql, bindings, dataset, base_iri, **bounds)

    def graph(self, name: URIRef) -> Graph:
        return self.copy.graph(name)

    def named_graphs(self) -> list[URIRef]:
        return self.copy.named_graphs()

    def version(self) -> Hashable:
        return self._version

    def triples(self) -> int:
        return self.copy.triples()

    def _read_only(self, *_: object, **__: object) -> Any:
        raise BadInput("an as-of view of the store is read-only", hint="write to the store itself")

    update = add = remove_graph = replace_graphs = load = _read_only

    def close(self) -> None:
        self.copy.close()

