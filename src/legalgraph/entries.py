"""Reading user entries safely: format by extension, size bound, parser errors with line and column.

Parsing goes through Oxigraph's parsers: they report positions, refuse remote JSON-LD contexts (no network
request is ever made) and do not expand XML entities.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .namespaces import PREFIXES
from .store import from_ox

#: extension -> (Oxigraph format, human name)
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "ttl": (ox.RdfFormat.TURTLE, "Turtle"),
    "trig": (ox.RdfFormat.TRIG, "TriG"),
    "jsonld": (ox.RdfFormat.JSON_LD, "JSON-LD"),
    "json": (ox.RdfFormat.JSON_LD, "JSON-LD"),
    "nt": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
    "nq": (ox.RdfFormat.N_QUADS, "N-Quads"),
}
MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/trig": "trig",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/n-quads": "nq",
}
MAX_ENTRY_BYTES = 5 * 1024 * 1024


@dataclass
class EntryError(Exception):
    """An entry could not be read. ``str()`` says what, where and how to fix it."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")


def format_for(name: str, media_type: str | None = None) -> str:
    """The format key for a file name or media type, or an EntryError listing the supported ones."""
    if media_type:
        key = MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())
        if key:
            return key
    ext = Path(name).suffix.lower().lstrip(".")
    if ext in FORMATS:
        return ext
    supported = ", ".join(f".{e} ({h})" for e, (_, h) in FORMATS.items())
    raise EntryError(name, f"unsupported file type {('.' + ext) if ext else '(no extension)'}",
                     hint=f"use one of {supported}")


def parse_entry(data: bytes, source: str, fmt: str | None = None) -> Graph:
    """Parse one entry into an rdflib graph (named graphs in TriG/N-Quads are merged)."""
    fmt = fmt or format_for(source)
    if len(data) > MAX_ENTRY_BYTES:
        raise EntryError(source, f"the entry is {len(data)} bytes, more than the {MAX_ENTRY_BYTES} allowed",
                         hint="split it into several entries")
    ox_format, human = FORMATS[fmt]
    try:
        quads = list(ox.parse(data, format=ox_format, base_iri="https://w3id.org/legalgraph/id/"))
    except SyntaxError as exc:
        line, col = (exc.lineno, exc.offset) if exc.lineno else (None, None)
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        hint = f"check the {human} syntax near that position"
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            message = "the JSON-LD refers to a remote @context, which is never fetched"
            hint = "inline the @context object in the document"
        raise EntryError(source, f"{human} syntax error: {message}", line, col, hint) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise EntryError(source, f"cannot read the {human} document: {exc}",
                         hint="save it as UTF-8 text") from exc
    if not quads:
        raise EntryError(source, "the entry holds no triples", hint="add the statements of your entry")
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for q in quads:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))  # type: ignore[arg-type]
    return g


def read_entry(path: Path) -> Graph:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EntryError(str(path), f"cannot read the file: {exc.strerror}",
                         hint="check the path and permissions") from exc
    return parse_entry(data, str(path))
