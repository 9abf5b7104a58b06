"""Entries: reading a user's file safely, validating it, and adding it with its provenance.

Parsing goes through Oxigraph's parsers: they report positions, refuse remote JSON-LD contexts (no network
request is ever made) and do not expand XML entities. Oxigraph's parsers recurse without a depth limit, so
nesting is measured first (:func:`nesting`) and refused past :data:`MAX_NESTING`, in every format; the web
parses and validates entries in a killable worker (:class:`ValidationJob`) with bounds on triples, subjects and
time, so that no entry can take the service down.
"""

from __future__ import annotations

import getpass
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..errors import BadInput, Conflict, TooLarge, UnsupportedMedia
from ..files import read_bounded
from ..formats import NOT_XML, serialise
from ..namespaces import GRAPH, ID, LG, PREFIXES, short
from ..store.base import Answer, Store, from_ox
from . import yaml_entries
from .catalogue import internal
from .validation import Report, amended, validate

#: extension -> (Oxigraph format, human name)
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "ttl": (ox.RdfFormat.TURTLE, "Turtle"),
    "trig": (ox.RdfFormat.TRIG, "TriG"),
    "jsonld": (ox.RdfFormat.JSON_LD, "JSON-LD"),
    "json": (ox.RdfFormat.JSON_LD, "JSON-LD"),
    "nt": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
    "nq": (ox.RdfFormat.N_QUADS, "N-Quads"),
    # read through the project's JSON-LD context (services/yaml_entries.py), then parsed as JSON-LD
    "yaml": (ox.RdfFormat.JSON_LD, "YAML"),
    "yml": (ox.RdfFormat.JSON_LD, "YAML"),
}
MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/trig": "trig",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/n-quads": "nq",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
}
MAX_ENTRY_BYTES = 5 * 1024 * 1024
#: brackets ({ [ ( in JSON-LD and Turtle) nested inside one another; real entries need fewer than 10
MAX_NESTING = 64


def format_for(name: str, media_type: str | None = None) -> str:
    """The format key for a file name or media type, or an error listing the supported ones."""
    if media_type:
        key = MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())
        if key:
            return key
    ext = Path(name).suffix.lower().lstrip(".")
    if ext in FORMATS:
        return ext
    supported = ", ".join(f".{e} ({h})" for e, (_, h) in FORMATS.items())
    raise UnsupportedMedia(f"unsupported file type {('.' + ext) if ext else '(no extension)'}", where=name,
                           hint=f"use one of {supported}", valid=sorted(FORMATS))


def nesting(data: bytes) -> tuple[int, int]:
    """How deep brackets nest outside strings, IRIs and comments, and the line where the deepest starts.

    One linear pass over the bytes, before any recursive parser runs. Strings ("…", '…', long strings), IRIs
    (<…>) and # comments are skipped; a JSON document has no comments or IRIs, and a '#' or '<' inside its
    strings is skipped with the string.
    """
    deepest = level = 0
    line = deepest_line = 1
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 10:
            line += 1
        elif c in (34, 39):  # " or '
            long = data[i:i + 3] == bytes([c]) * 3
            quote = bytes([c]) * (3 if long else 1)
            i += len(quote)
            while i < n and data[i:i + len(quote)] != quote:
                if data[i] == 92:  # backslash escape
                    i += 1
                elif data[i] == 10:
                    line += 1
                i += 1
            i += len(quote)
            continue
        elif c == 35:  # '#': a comment to the line end
            while i < n and data[i] not in (10, 13):
                i += 1
            continue
        elif c == 60:  # '<': an IRI, unless a space or another bracket comes first
            j = i + 1
            while j < n and data[j] not in (62, 60, 32, 10, 13, 9, 34, 123, 125):
                j += 1
            if j < n and data[j] == 62:
                i = j + 1
                continue
        elif c in (123, 91, 40):  # { [ (
            level += 1
            if level > deepest:
                deepest, deepest_line = level, line
        elif c in (125, 93, 41):  # } ] )
            level = max(0, level - 1)
        i += 1
    return deepest, deepest_line


@dataclass
class Limits:
    """Bounds on one entry: bytes, nesting, triples and subjects (the web sets tighter ones than the CLI)."""

    max_bytes: int = MAX_ENTRY_BYTES
    max_nesting: int = MAX_NESTING
    max_triples: int | None = None
    max_subjects: int | None = None


def parse_entry(data: bytes, source: str, fmt: str | None = None, limits: Limits | None = None) -> Graph:
    """Parse one entry into an rdflib graph (named graphs in TriG/N-Quads are merged), within ``limits``."""
    limits = limits or Limits()
    fmt = fmt or format_for(source)
    if fmt not in FORMATS:
        raise UnsupportedMedia(f"unsupported format {fmt!r}", where=source, valid=sorted(FORMATS))
    if len(data) > limits.max_bytes:
        raise TooLarge(f"the entry is {len(data)} bytes, more than the {limits.max_bytes} allowed", where=source,
                       hint="split it into several entries")
    if fmt in ("yaml", "yml"):  # bounded, aliases refused, errors at YAML lines; the result is JSON-LD
        data = yaml_entries.to_jsonld(data, source, limits.max_bytes, min(limits.max_nesting, yaml_entries.MAX_DEPTH))
    deep, at = nesting(data)
    if deep > limits.max_nesting:
        raise TooLarge(f"brackets are nested {deep} deep, more than the {limits.max_nesting} allowed", where=source,
                       line=at, hint="flatten the entry: name the nested nodes instead of nesting them")
    ox_format, human = FORMATS[fmt]
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some editors write: not part of the text
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    subjects: set[object] = set()
    try:
        for q in ox.parse(data, format=ox_format, base_iri=str(ID)):
            if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
                raise BadInput("the entry holds an RDF-star quoted triple (<< … >>), which entries cannot state",
                               where=source, hint="state the triple itself, or describe it with a node")
            refuse_unreadable(q, source)
            value = from_ox(q.object)
            refuse_ill_typed(q, value, source)  # type: ignore[arg-type]
            g.add((from_ox(q.subject), from_ox(q.predicate), value))  # type: ignore[arg-type]
            subjects.add(q.subject)
            if limits.max_triples is not None and len(g) > limits.max_triples:
                raise TooLarge(f"the entry has more than {limits.max_triples} triples", where=source,
                               hint="split it into several entries")
            if limits.max_subjects is not None and len(subjects) > limits.max_subjects:
                raise TooLarge(f"the entry describes more than {limits.max_subjects} subjects", where=source,
                               hint="split it into several entries")
    except SyntaxError as exc:
        line, col = (exc.lineno, exc.offset) if exc.lineno else (None, None)
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        hint = f"check the {human} syntax near that position"
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            message = "the JSON-LD refers to a remote @context, which is never fetched"
            hint = "inline the @context object in the document"
        raise BadInput(f"{human} syntax error: {message}", where=source, line=line, column=col, hint=hint) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read the {human} document: {exc}", where=source,
                       hint="save it as UTF-8 text") from exc
    if not len(g):
        raise BadInput("the entry holds no triples", where=source, hint="add the statements of your entry")
    return g


#: Lexical forms of the date types rdflib does not check (``Literal.ill_typed`` is None for them)
_LEXICAL = {
    str(XSD.gYear): re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    str(XSD.gYearMonth): re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
}


def refuse_ill_typed(quad: ox.Quad, value: Node, source: str) -> None:
    """Refuse a year or year-month whose text is not one (``"2O24"^^xsd:gYear``): rdflib cannot tell (its
    ``ill_typed`` is None for these types), so pySHACL's ``sh:datatype`` let it through, and once added it broke
    every dated answer. Other types rdflib checks, and the shapes report them beside their field."""
    if not isinstance(value, Literal) or value.datatype is None:
        return
    pattern = _LEXICAL.get(str(value.datatype))
    if pattern is not None and pattern.fullmatch(str(value)) is None:
        s, p = short(from_ox(quad.subject)), short(from_ox(quad.predicate))  # type: ignore[arg-type]
        raise BadInput(f"{s} {p}: {str(value)[:60]!r} is not a valid {short(value.datatype)}", where=source,
                       hint="write e.g. \"2024\"^^xsd:gYear, \"2024-04-15\"^^xsd:date or \"P6M\"^^xsd:duration")


def refuse_unreadable(quad: ox.Quad, source: str) -> None:
    """Refuse a statement holding a character XML cannot carry (:data:`~legalgraph.formats.NOT_XML`: a control
    character such as U+000B or U+0001, U+FFFE, U+FFFF): once added it would break every XML output (GraphML,
    RDF/XML, SPARQL XML results). Named by subject and property, so the user knows where to look."""
    terms = [("the subject", quad.subject), ("the property", quad.predicate), ("the value", quad.object)]
    if isinstance(quad.object, ox.Literal):
        terms.append(("the datatype", quad.object.datatype))
    for what, term in terms:
        text = term.value if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)) else ""
        found = NOT_XML.search(text)
        if found:
            s, p = short(from_ox(quad.subject)), short(from_ox(quad.predicate))  # type: ignore[arg-type]
            raise BadInput(f"{s} {p}: {what} holds the unprintable character U+{ord(found.group()):04X} "
                           f"(at character {found.start() + 1}), which XML and most tools cannot carry",
                           where=source, hint="remove the character or replace it with a space; tab and line "
                           "breaks are allowed")


def read_entry(path: Path, limits: Limits | None = None) -> Graph:
    """An entry from a file: only a regular file, and never more than the bound read (``/dev/zero`` or a FIFO
    is refused before any memory is spent on it)."""
    limits = limits or Limits()
    format_for(str(path))  # an unsupported extension is refused before the file is opened
    data = read_bounded(path, limits.max_bytes, "entry", hint="split it into several entries")
    return parse_entry(data, str(path), limits=limits)


def read_entries(paths: list[Path]) -> Graph:
    g = Graph()
    for p in paths:
        g += read_entry(p)
    return g


@dataclass
class ValidationJob:
    """Parse and validate one entry where bounded work runs (a worker process on the web)."""

    data: bytes
    source: str
    fmt: str
    limits: Limits = field(default_factory=Limits)

    def __call__(self, store: Store) -> Report:
        entry = parse_entry(self.data, self.source, self.fmt, self.limits)
        report = validate(store, entry)
        report.turtle = report.graph.serialize(format="turtle") if report.graph is not None else None
        report.graph = None  # the SHACL report travels as text
        return report


#: what an entry can be converted to (:class:`ConvertJob`): key -> (media type, file extension)
CONVERSIONS = {"ttl": ("text/turtle", "ttl"), "jsonld": ("application/ld+json", "jsonld")}


@dataclass
class ConvertJob:
    """Parse one entry within ``limits`` and write it out as Turtle or JSON-LD (the editor's downloads), where
    bounded work runs. The output is bounded by the input's triples; ``max_bytes`` bounds it again."""

    data: bytes
    source: str
    fmt: str
    to: str
    limits: Limits = field(default_factory=Limits)
    max_bytes: int | None = None

    def __call__(self, store: Store) -> tuple[str, bytes]:
        if self.to not in CONVERSIONS:
            raise UnsupportedMedia(f"cannot convert to {self.to!r}", where="format", valid=sorted(CONVERSIONS))
        entry = parse_entry(self.data, self.source, self.fmt, self.limits)
        return serialise(Answer("graph", graph=entry), CONVERSIONS[self.to][0], self.max_bytes)


# ------------------------------------------------------------------ adding

@dataclass
class AddResult:
    report: Report
    entry: URIRef | None = None
    graph: URIRef | None = None
    triples: int = 0
    #: an entry with the very same statements added before: nothing was written
    duplicate_of: URIRef | None = None


def content_digest(content: Graph) -> str:
    """SHA-256 of the entry's canonical N-Triples: the same statements give the same digest, whatever the
    format, order or blank-node labels of the file."""
    canonical = to_canonical_graph(content)
    lines = sorted(line for line in canonical.serialize(format="nt", encoding="utf-8").decode().splitlines()
                   if line.strip())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def entry_id(content: Graph, now: datetime) -> str:
    return f"{now:%Y%m%dt%H%M%S}-{content_digest(content)[:12]}"


def touched(content: Graph) -> list[URIRef]:
    """The project entities an entry describes (its subjects under the instance namespace)."""
    return sorted({s for s in content.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))})


def cited(content: Graph) -> list[URIRef]:
    """The sources the entry cites (its dcterms:source values)."""
    return sorted({o for o in content.objects(None, DCTERMS.source) if isinstance(o, URIRef)})


def provenance(entry: URIRef, files: list[str], user: str, now: datetime, triples: int,
               content: Graph | None = None) -> Graph:
    g = Graph()
    g.add((entry, RDF.type, LG.Entry))
    g.add((entry, RDFS.label, Literal(f"Entry from {', '.join(files)}", lang="en")))
    g.add((entry, LG.addedBy, Literal(user)))
    g.add((entry, PROV.generatedAtTime, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    for f in files:
        g.add((entry, LG.sourceFile, Literal(f)))
    g.add((entry, DCTERMS.extent, Literal(triples, datatype=XSD.integer)))
    if content is not None:
        g.add((entry, LG.contentDigest, Literal(content_digest(content))))
        for s in touched(content):
            g.add((entry, LG.touched, s))
        for s in cited(content):
            g.add((entry, PROV.wasDerivedFrom, s))
    return g


def duplicate_of(store: Store, content: Graph) -> URIRef | None:
    """An added entry with exactly the same statements, if any."""
    rows = store.query(internal("entry-by-digest").text, {"digest": Literal(content_digest(content))}).rows
    return rows[0][0] if rows else None  # type: ignore[return-value]


def conflicts(store: Store, content: Graph) -> list[tuple[URIRef, URIRef, Node, Node]]:
    """(entity, property, value in the graph, value in the entry) for every single-valued fact
    (owl:FunctionalProperty) the entry states differently from the graph, on an entity it does not amend."""
    subjects = [s for s in touched(content) if s not in amended(content)]
    if not subjects:
        return []
    out = []
    for s, p, old in store.query(internal("single-valued").text, {"s": subjects}, max_rows=None).rows:
        new = [o for o in content.objects(s, p) if o != old]  # type: ignore[arg-type]
        if new and (s, p, old) not in content:
            out.extend((s, p, old, n) for n in new)  # type: ignore[misc]
    return out


def check_conflicts(store: Store, content: Graph) -> None:
    """Refuse (Conflict) an entry that contradicts a single-valued fact of the graph without amending it."""
    found = conflicts(store, content)
    if not found:
        return
    lines = [f"{short(s)} {short(p)}: the graph says {_show(old)}, the entry says {_show(new)}"
             for s, p, old, new in found]
    entity = short(found[0][0])
    raise Conflict("the entry contradicts single-valued facts of the graph: " + "; ".join(lines),
                   hint=(f"if the entry changes the law, declare it an amendment: <amendment/{{cc}}-{{slug}}> a "
                         f"lg:Amendment ; lg:amends <{entity}> ; lg:validFrom \"YEAR\"^^xsd:gYear ; dcterms:source "
                         f"<source/…> (docs/MODELLING.md, \"Living legislation\"); otherwise correct the value"))


def check_new(store: Store, content: Graph) -> None:
    """Before validation: an entry that is no duplicate may not contradict the graph (:func:`check_conflicts`)."""
    if duplicate_of(store, content) is None:
        check_conflicts(store, content)


def _show(term: Node) -> str:
    return f'"{term}"' if isinstance(term, Literal) else short(term)


def add(store: Store, content: Graph, files: list[str], user: str | None = None,
        now: datetime | None = None) -> AddResult:
    """Validate ``content``; if it has no violation, write it and its provenance in one transaction.

    A conflict with a single-valued fact of the graph is reported first (:class:`Conflict`), as such, rather
    than as the shapes' "at most one value"."""
    check_new(store, content)
    report = validate(store, content)
    if not report.conforms:
        return AddResult(report=report)
    return write(store, content, files, user, report, now)


def write(store: Store, content: Graph, files: list[str], user: str | None, report: Report,
          now: datetime | None = None) -> AddResult:
    """Write an entry already validated (``report`` conforms) and its provenance, in one transaction.

    An exact duplicate of an added entry writes nothing (``duplicate_of`` says which); an entry contradicting
    a single-valued fact of the graph without declaring an amendment raises :class:`Conflict`.
    """
    if not report.conforms:
        return AddResult(report=report)
    same = duplicate_of(store, content)
    if same is not None:
        return AddResult(report=report, duplicate_of=same)
    check_conflicts(store, content)
    now = now or datetime.now(UTC)
    eid = entry_id(content, now)
    entry, name = URIRef(f"{ID}entry/{eid}"), URIRef(f"{GRAPH}entry/{eid}")
    payload = Graph()
    payload += content
    payload += provenance(entry, files, user or getpass.getuser(), now, len(content), content)
    store.add(payload, name)
    return AddResult(report=report, entry=entry, graph=name, triples=len(content))
