"""The query catalogue: the canned queries (``queries/*.rq``) and the services' internal ones
(``queries/internal/*.rq``), with their headers, typed parameters, and running them.

Each file is plain SPARQL 1.1 with a comment header::

    # title: Protection orders by country
    # description: Initial and extended durations, who issues them, and whether ...
    # param: country (country, optional): only this country, e.g. kyrgyzstan
    # param: asOf (year) = 2023: the year the answer holds for
    # column: initialObliges = Initial order obliges a programme
    # tags: protection-orders, comparison
    # title@ru: Охранные ордера по странам
    # column@ru: initialObliges = Первоначальный ордер обязывает пройти программу

A ``@ru`` line gives the Russian title or column title that pages in Russian show (issue 16); without one
they show the English.

Parameters are bound by :func:`legalgraph.store.binding.bind` (a VALUES block), never spliced into the text.
An optional parameter left out stays unbound, so the query answers for every value. A parameter that the
query matches inside an OPTIONAL must also be checked outside it (``FILTER(!BOUND(?p) || EXISTS {...})``),
or a bound value would pass through the OPTIONAL unmatched. Country and concept parameters are checked
against the graph: an unknown value is an error that lists the valid ones.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import BadInput, NotFound
from ..namespaces import ID, VOCAB
from ..settings import PROJECT_ROOT
from ..store.base import Answer, Store

QUERIES_DIR = PROJECT_ROOT / "queries"
INTERNAL_DIR = QUERIES_DIR / "internal"
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z:-]+)(?P<optional>,\s*optional)?\)"
    r"(?:\s*=\s*(?P<default>[^:]+?))?\s*(?::\s*(?P<doc>.*))?$"
)
TYPES = ("country", "year", "integer", "string", "iri", "concept")


QueryError = BadInput

#: The years an "as of" question may name, on every surface (pages, JSON twins, canned queries, the CLI)
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_year(raw: object, where: str = "asOf", what: str | None = None) -> int:
    """A year from a user's text: ASCII digits from FIRST_YEAR to LAST_YEAR, else a BadInput naming ``where``
    (``str.isdigit`` and a regex's ``\\d`` accept "²" and "٢٠٢٠", which ``int`` refuses or reads)."""
    text = str(raw).strip()
    if not re.fullmatch(r"[0-9]{1,4}", text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise QueryError(f"{what or where} must be a year from {FIRST_YEAR} to {LAST_YEAR} (e.g. 2023), "
                         f"not {text[:40]!r}", where=where)
    return int(text)


@dataclass
class Param:
    name: str
    type: str
    default: str | None = None
    optional: bool = False
    doc: str = ""

    def to_term(self, raw: str) -> Node:
        """Convert a user's string to an RDF term, or say why it is not of this parameter's type."""
        kind, _, scheme = self.type.partition(":")
        raw = raw.strip()
        if kind == "year":
            return Literal(parse_year(raw, self.name, f"parameter {self.name}"), datatype=XSD.integer)
        if kind == "integer":
            if not re.fullmatch(r"-?[0-9]{1,18}", raw):  # ASCII digits: "²" or "٢" are not integers here
                raise QueryError(f"parameter {self.name} must be an integer (e.g. 12), not {raw[:40]!r}",
                                 where=self.name)
            return Literal(int(raw), datatype=XSD.integer)
        if kind == "country":
            slug = raw.lower().removeprefix(f"{ID}country/")
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
                raise QueryError(f"parameter {self.name} must be a country name such as kyrgyzstan, "
                                 f"not {raw!r}", where=self.name)
            return URIRef(f"{ID}country/{slug}")
        if kind == "concept":
            slug = raw.lower().rsplit("/", 1)[-1]
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
                raise QueryError(f"parameter {self.name} must be a {scheme} concept such as "
                                 f"'mandatory', not {raw!r}", where=self.name)
            return URIRef(f"{VOCAB}{scheme}/{slug}")
        if kind == "iri":
            if raw.startswith(("http://", "https://")):
                return URIRef(raw)
            if re.fullmatch(r"[a-z-]+/[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9-]+)*", raw):
                return URIRef(f"{ID}{raw}")
            raise QueryError(f"parameter {self.name} must be an IRI or a path such as org/kg-police, "
                             f"not {raw!r}", where=self.name)
        return Literal(raw)

    def describe(self) -> str:
        req = "optional" if self.optional else ("default " + self.default if self.default else "required")
        return f"{self.name} ({self.type}, {req})" + (f": {self.doc}" if self.doc else "")


@dataclass
class CannedQuery:
    name: str
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    path: Path | None = None
    #: column titles for people, by variable name (``# column: name = Title``)
    columns: dict[str, str] = field(default_factory=dict)
    #: other languages' titles (``# title@ru:``) and column titles (``# column@ru:``), by language
    titles: dict[str, str] = field(default_factory=dict)
    columns_in: dict[str, dict[str, str]] = field(default_factory=dict)

    def title_in(self, lang: str = "en") -> str:
        """The query's title in ``lang``, else in English."""
        return self.titles.get(lang, self.title)

    def title_of(self, variable: str, lang: str = "en") -> str:
        """A column's title in ``lang``, else in English, else the variable's name."""
        return self.columns_in.get(lang, {}).get(variable) or self.columns.get(variable, variable)

    def bindings(self, given: dict[str, str]) -> dict[str, Node]:
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            valid = ", ".join(p.describe() for p in self.params) or "none"
            raise BadInput(f"unknown parameter(s) {', '.join(unknown)} for query {self.name}; "
                           f"valid parameters: {valid}", where=", ".join(unknown), valid=[p.name for p in self.params])
        out: dict[str, Node] = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                if not p.optional:
                    raise QueryError(f"query {self.name} needs parameter {p.describe()}", where=p.name)
                continue
            out[p.name] = p.to_term(raw)
        return out


def parse(path: Path) -> CannedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, list[str]] = {"title": [], "description": [], "param": [], "tags": [], "column": []}
    translated: list[tuple[str, str, str]] = []  # (title or column, language, text)
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:].strip()
        m = re.match(r"^(title|description|param|tags|column)(?:@([a-z]{2}))?:\s*(.*)$", body)
        if m and m.group(2):
            if m.group(1) not in ("title", "column"):
                raise QueryError(f"{path.name}: only title and column lines may name a language, not {body!r}")
            translated.append((m.group(1), m.group(2), m.group(3)))
            last = None
        elif m:
            last = m.group(1)
            meta[last].append(m.group(3))
        elif last in ("description",) and body:
            meta[last][-1] += " " + body
    if not meta["title"]:
        raise QueryError(f"{path.name}: the header has no '# title:' line")
    params = []
    for spec in meta["param"]:
        m = _PARAM.match(spec)
        if not m or m.group("type").split(":")[0] not in TYPES:
            raise QueryError(f"{path.name}: cannot read parameter {spec!r}; write "
                             "'# param: name (type[, optional]) [= default]: description' with type one of "
                             + ", ".join(TYPES))
        params.append(Param(m.group("name"), m.group("type"), (m.group("default") or "").strip() or None,
                            bool(m.group("optional")), (m.group("doc") or "").strip()))
    tags = [t.strip() for line in meta["tags"] for t in line.split(",") if t.strip()]
    columns = {}
    for spec in meta["column"]:
        name, sep, title = spec.partition("=")
        if not sep or not name.strip() or not title.strip():
            raise QueryError(f"{path.name}: cannot read column {spec!r}; write '# column: variable = Title'")
        columns[name.strip()] = title.strip()
    titles: dict[str, str] = {}
    columns_in: dict[str, dict[str, str]] = {}
    for kind, lang, spec in translated:
        if kind == "title":
            titles[lang] = spec.strip()
            continue
        name, sep, title = spec.partition("=")
        if not sep or name.strip() not in columns or not title.strip():
            raise QueryError(f"{path.name}: cannot read column@{lang} {spec!r}; write "
                             f"'# column@{lang}: variable = Title' for a variable with a '# column:' line")
        columns_in.setdefault(lang, {})[name.strip()] = title.strip()
    return CannedQuery(name=path.stem, title=meta["title"][0], description=" ".join(meta["description"]),
                       text=text, params=params, tags=tags, path=path, columns=columns, titles=titles,
                       columns_in=columns_in)


@lru_cache(maxsize=8)
def _library(directory: Path, stamp: tuple[tuple[str, int], ...]) -> dict[str, CannedQuery]:
    return {q.name: q for q in (parse(p) for p in sorted(directory.glob("*.rq")))}


#: How long a directory's listing is trusted before its files are looked at again (every page asks for queries
#: many times; an edited file shows within this many seconds).
RECHECK_S = 1.0
_seen: dict[Path, tuple[float, dict[str, CannedQuery]]] = {}


def library(directory: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    """The queries of ``directory``, parsed once and again only when a file changes."""
    now = time.monotonic()
    seen = _seen.get(directory)
    if seen is not None and now - seen[0] < RECHECK_S:
        return seen[1]
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.rq")))
    lib = _library(directory, stamp)
    _seen[directory] = (now, lib)
    return lib


def get(name: str, directory: Path = QUERIES_DIR) -> CannedQuery:
    lib = library(directory)
    if name not in lib:
        raise NotFound(f"no canned query named {name!r}; available: {', '.join(sorted(lib))}", valid=sorted(lib))
    return lib[name]


def internal(name: str) -> CannedQuery:
    """A service's own query, from ``queries/internal/``."""
    return get(name, INTERNAL_DIR)


def editor_example() -> str:
    """The query the SPARQL editor opens with (its text without the header)."""
    text = internal("editor-example").text
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()


def check_choices(store: Store, query: CannedQuery, bindings: dict[str, Node]) -> None:
    """Country and concept values must exist in the graph; otherwise the error lists the valid ones."""
    for p in query.params:
        value = bindings.get(p.name)
        kind, _, scheme = p.type.partition(":")
        if value is None or kind not in ("country", "concept"):
            continue
        if kind == "country":
            rows = store.query(internal("countries").text).rows
            valid = {r[0]: str(r[0]).rsplit("/", 1)[-1] for r in rows}
        else:
            rows = store.query(internal("concepts-of-scheme").text,
                               {"scheme": URIRef(f"{VOCAB}{scheme}")}).rows
            valid = {r[0]: str(r[0]).rsplit("/", 1)[-1] for r in rows}
        if value not in valid:
            names = sorted(valid.values())
            raise BadInput(f"unknown {kind if kind == 'country' else scheme + ' concept'} "
                           f"{str(value).rsplit('/', 1)[-1]!r} for parameter {p.name}; choose one of "
                           f"{', '.join(names)}", where=p.name, valid=names)


def run(store: Store, query: CannedQuery, given: dict[str, str] | None = None) -> Answer:
    """Run a canned query with the user's parameters (strings), checked and bound, on the store as of its
    ``asOf`` year (or as of now): amended facts take the value valid then (:func:`asof.view`)."""
    from . import asof

    bindings = query.bindings(given or {})
    check_choices(store, query, bindings)
    year = bindings.get("asOf")
    return asof.view(store, None if year is None else int(year)).query(query.text, bindings)
