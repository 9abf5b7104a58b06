"""Entities: labels, types, the one rule of which country an entity belongs to, descriptions and links.

Everything that counts or filters entities by class and country (``/browse``, ``stats``, the network view,
search facets) reads :func:`index`, built from two internal queries and cached per store version, so that they
cannot disagree.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from threading import Lock

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from ..errors import BadInput, NotFound
from ..namespaces import ID, LG, local_name, short
from ..store.base import Store
from .catalogue import internal


@dataclass
class Entity:
    iri: URIRef
    types: set[str] = field(default_factory=set)  # lg: class local names
    label: str = ""
    countries: list[str] = field(default_factory=list)  # country slugs, sorted

    @property
    def path(self) -> str:
        return short(self.iri)

    @property
    def country(self) -> str:
        """The first of the entity's countries ('' for regional and international ones)."""
        return self.countries[0] if self.countries else ""


@dataclass
class Index:
    version: Hashable
    entities: dict[URIRef, Entity]
    countries: list[tuple[str, str]]  # (slug, English label), in label order

    def counts(self, country: str | None = None) -> Counter:
        """Entities per lg: class, of one country or of all; an entity counts once per class it has."""
        out: Counter = Counter()
        for e in self.entities.values():
            if country is None or country in e.countries:
                out.update(e.types)
        return out

    def by_country(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {slug: Counter() for slug, _ in self.countries}
        for e in self.entities.values():
            for c in e.countries:
                out.setdefault(c, Counter()).update(e.types)
        return out


#: The index of each store, held weakly: a store that is gone takes its index with it, and a new store at a
#: reused address never sees another's (keyed by id(), it could).
_cache: weakref.WeakKeyDictionary[Store, Index] = weakref.WeakKeyDictionary()
_lock = Lock()


def index(store: Store) -> Index:
    """The entity index of the store's current content (rebuilt when its version changes)."""
    version = store.version()
    with _lock:
        cached = _cache.get(store)
        if cached is not None and cached.version == version:
            return cached
    entities: dict[URIRef, Entity] = {}
    _read_entities(store, entities)
    _read_countries(store, entities)
    built = Index(version, entities, _countries(store))
    with _lock:
        _cache[store] = built
    return built


def _read_entities(store: Store, into: dict[URIRef, Entity], bindings: dict | None = None) -> None:
    for iri, cls, label in store.query(internal("entities").text, bindings, max_rows=None).rows:
        e = into.setdefault(iri, Entity(iri))  # type: ignore[arg-type]
        e.types.add(local_name(cls))
        if label is not None and not e.label:
            e.label = str(label)


def _read_countries(store: Store, into: dict[URIRef, Entity], bindings: dict | None = None) -> None:
    """The countries of the entities ``into`` holds, by the one rule (entity-country.rq); labels filled in."""
    for iri, country in store.query(internal("entity-country").text, bindings, max_rows=None).rows:
        if iri in into:
            into[iri].countries.append(local_name(country))  # type: ignore[index]
    for e in into.values():
        e.countries.sort()
        e.label = e.label or e.path


def _countries(store: Store) -> list[tuple[str, str]]:
    return [(local_name(c), str(label)) for c, label in store.query(internal("countries").text).rows]


def of_classes(store: Store, classes: Iterable[URIRef], also: Iterable[Node] = ()) -> dict[URIRef, Entity]:
    """The entities whose lg: type is one of ``classes``, and the entities ``also``, as :func:`index` has them
    (direct types; countries by the same rule), without reading every entity: at 10^6 triples the index reads
    159,000 provisions (11 s), the benchmark shapes assess about 3,100 entities (0.2 s to read, 1.5 s for
    their countries). An entity of ``classes`` only carries the types asked for; those of ``also`` all theirs.
    """
    classes = sorted(set(classes), key=str)
    also = sorted({i for i in also if isinstance(i, URIRef)}, key=str)
    with _lock:
        cached = _cache.get(store)
    if cached is not None and cached.version == store.version():  # the index is at hand: its entries
        names, extra = {local_name(c) for c in classes}, set(also)
        return {iri: e for iri, e in cached.entities.items() if names & e.types or iri in extra}
    found: dict[URIRef, Entity] = {}
    if classes:
        _read_entities(store, found, {"type": classes})
    if also:
        _read_entities(store, found, {"entity": also})
    if found:
        _read_countries(store, found, {"entity": sorted(found, key=str)})
    return found


def countries(store: Store, lang: str = "en") -> list[tuple[str, str]]:
    """(slug, label) of every country, in the order of the English labels; with ``lang``, the labels in that
    language where the graph has them (Russian: «Таджикистан»), else English."""
    with _lock:
        cached = _cache.get(store)
    known = cached.countries if cached is not None and cached.version == store.version() else _countries(store)
    if lang == "en":
        return known
    names = labels(store, [ID[f"country/{slug}"] for slug, _ in known], lang)
    return [(slug, names.get(ID[f"country/{slug}"], label)) for slug, label in known]


def country(store: Store, given: str | None, where: str = "country") -> str | None:
    """A user's country (slug, IRI or label, any case) as its slug; an unknown one is an error listing the valid
    and naming the parameter (``where``) it came in."""
    if given is None or not str(given).strip():
        return None
    known = countries(store)
    wanted = str(given).strip().lower().removeprefix(f"{ID}country/")
    for slug, label in known:
        if wanted in (slug, label.lower()):
            return slug
    valid = [slug for slug, _ in known]
    raise BadInput(f"unknown country {given!r}; choose one of {', '.join(valid)}", where=where, valid=valid)


def class_name(store: Store, given: str | None, where: str = "cls") -> str | None:
    """A user's class name (``PerpetratorProgramme``): an unknown one is an error listing the classes in use and
    naming the parameter (``where``) it came in."""
    if given is None or not str(given).strip():
        return None
    used = sorted(index(store).counts())
    name = str(given).strip().removeprefix(str(LG)).removeprefix("lg:")
    if name not in used:
        raise BadInput(f"unknown class {given!r}; choose one of {', '.join(used)}", where=where, valid=used)
    return name


def labels(store: Store, iris: Iterable[Node], lang: str = "en") -> dict[Node, str]:
    """A label for each IRI (in ``lang``, else untagged), fetched in one query."""
    wanted = sorted({i for i in iris if isinstance(i, URIRef)})
    if not wanted:
        return {}
    rows = store.query(internal("labels").text, {"s": wanted, "lang": Literal(lang)}, max_rows=None).rows
    found = {s: str(label) for s, label in rows if s is not None and label is not None}
    if lang != "en":
        missing = [i for i in wanted if i not in found]
        if missing:
            found.update(labels(store, missing, "en"))
    return found


def label(graph: Graph, iri: Node, lang: str = "en") -> str | None:
    """The label of ``iri`` in an already fetched description: in ``lang`` (rdfs:label, else skos:prefLabel)
    where it has one, else the English one, else any."""
    found = [lit for lit in graph.objects(iri, RDFS.label) if isinstance(lit, Literal)]  # type: ignore[arg-type]
    if lang != "en":
        own = [lit for lit in (*found, *graph.objects(iri, SKOS.prefLabel))  # type: ignore[arg-type]
               if isinstance(lit, Literal) and lit.language == lang]
        if own:
            return str(own[0])
    en = [lit for lit in found if lit.language == "en"]
    return str((en or found)[0]) if found else None


_IRI_PATH = re.compile(r"^[^\s<>\"{}|^`\\\x00-\x1f\x7f]*$")


def iri(namespace: object, path: str) -> URIRef:
    """The IRI of a path under one of our namespaces; a path no IRI can have is simply not found."""
    import pyoxigraph

    valid = bool(path) and _IRI_PATH.match(path) is not None
    if valid:
        try:
            pyoxigraph.NamedNode(f"{namespace}{path}")  # the engine's own IRI grammar
        except ValueError:
            valid = False
    if not valid:
        raise NotFound(f"no entity {path!r}: that is not a valid IRI path",
                       hint="IRI paths are words joined by '-' and '/', e.g. programme/kg-chance")
    return URIRef(f"{namespace}{path}")


def describe(store: Store, iri: URIRef) -> Graph:
    """Every triple about ``iri``; NotFound when there is none."""
    graph = store.query(internal("describe").text, {"s": iri}).graph or Graph()
    if len(graph) == 0:
        raise NotFound(f"no entity {iri} in the graph", where=str(iri),
                       hint=f"search for it: /search?q={local_name(iri).replace('-', ' ')}")
    return graph


def incoming(store: Store, iri: URIRef) -> list[tuple[Node, Node]]:
    return [(s, p) for s, p in store.query(internal("incoming").text, {"o": iri}).rows]  # type: ignore[misc]


def sources(store: Store, iri: URIRef) -> list[tuple[Node, str | None]]:
    """The sources an entity cites: (source IRI, report section path or None for other documents)."""
    return [(s, str(p) if p is not None else None)
            for s, p in store.query(internal("entity-sections").text, {"s": iri}).rows]


def class_labels(store: Store, lang: str = "en") -> dict[str, str]:
    """The label of each ontology class, by local name: English, or in ``lang`` where the ontology has one."""
    rows = store.query(internal("class-labels").text).rows
    english = {local_name(c): str(label) for c, label in rows}
    if lang == "en":
        return english
    names = labels(store, [c for c, _ in rows], lang)
    return {local_name(c): names.get(c, english[local_name(c)]) for c, _ in rows}
