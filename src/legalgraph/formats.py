"""Serialising answers, and the one table of content types.

SPARQL 1.1 Query Results JSON, XML, CSV and TSV, RDF for graph answers, and a readable table with labels
instead of IRIs for the CLI. :data:`MEDIA` is the only table of media types: the endpoint, the pages' machine
twins and content negotiation (:mod:`legalgraph.api.negotiation`) all read it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import textwrap
from collections import Counter
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import TooLarge
from .humanize import humanize
from .namespaces import PREFIXES, short
from .store.base import Answer

#: media type -> (answer kind it serialises: "rows" for SELECT/ASK, "graph" for CONSTRUCT/DESCRIBE, "page" for
#: people; a short name used as file extension and ``format=`` value; the rdflib serialiser of graph answers)
MEDIA: dict[str, tuple[str, str, str | None]] = {
    "application/sparql-results+json": ("rows", "srj", None),
    "application/sparql-results+xml": ("rows", "srx", None),
    "application/json": ("rows", "json", None),
    "application/xml": ("rows", "xml", None),
    "text/csv": ("rows", "csv", None),
    "text/tab-separated-values": ("rows", "tsv", None),
    "text/turtle": ("graph", "ttl", "turtle"),
    "application/n-triples": ("graph", "nt", "nt"),
    "application/ld+json": ("graph", "jsonld", "json-ld"),
    "application/rdf+xml": ("graph", "rdf", "xml"),
    "text/html": ("page", "html", None),
}
#: characters XML 1.0 cannot carry, not even as a character reference: C0 controls but tab, LF and CR; U+FFFE,
#: U+FFFF; lone surrogates. Entries holding them are refused (:mod:`legalgraph.services.entries`); data already
#: in a store (a loaded file) has each replaced by U+FFFD in every XML output (:func:`xml_safe`).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML cannot carry replaced by U+FFFD, so that XML outputs stay well-formed."""
    return NOT_XML.sub("\ufffd", text)


ROW_TYPES = [m for m, (kind, _, _) in MEDIA.items() if kind == "rows"]
GRAPH_TYPES = [m for m, (kind, _, _) in MEDIA.items() if kind == "graph"]
#: file extension -> media type
EXTENSIONS = {ext: m for m, (_, ext, _) in MEDIA.items()}
#: the media type a generic JSON or XML request gets for rows
CANONICAL = {"application/json": "application/sparql-results+json",
             "application/xml": "application/sparql-results+xml"}

def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def comparable(result: Answer) -> Counter:
    """The answer as a multiset of rows, for comparing two engines: what SPARQL leaves to the engine (row order
    without a total ORDER BY, GROUP_CONCAT order, the last digits of a float) is taken out; the rest must agree."""
    def term(t: Node | None) -> object:
        if isinstance(t, Literal) and t.datatype and str(t.datatype).endswith(("decimal", "double", "float")):
            return round(float(t), 6)
        if isinstance(t, Literal) and ", " in str(t):  # GROUP_CONCAT, whose order is engine-defined
            return ", ".join(sorted(str(t).split(", ")))
        return t
    if result.kind == "ask":
        return Counter([(result.boolean,)])
    if result.kind == "graph":
        return Counter(result.graph or [])
    return Counter(tuple(term(t) for t in row) for row in result.rows)


def digest(result: Answer) -> str:
    """A short fingerprint of :func:`comparable`, so that processes can compare answers without sending them."""
    lines = sorted(f"{row!r}\t{n}" for row, n in comparable(result).items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def to_json(result: Answer, indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON; compact unless ``indent`` (an indent makes json use its slow pure-Python
    encoder: 3.5 ms instead of 1.5 ms for 83 rows, measured)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=indent)


def to_xml(result: Answer) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr

    ns = "http://www.w3.org/2005/sparql-results#"
    out = ['<?xml version="1.0"?>', f'<sparql xmlns="{ns}">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out)
    out.append("<head>" + "".join(f"<variable name={quoteattr(xml_safe(v))}/>" for v in result.variables)
               + "</head>")
    out.append("<results>")
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is None:
                continue
            if isinstance(t, URIRef):
                inner = f"<uri>{escape(xml_safe(str(t)))}</uri>"
            elif isinstance(t, BNode):
                inner = f"<bnode>{escape(xml_safe(str(t)))}</bnode>"
            else:
                assert isinstance(t, Literal)
                attr = (f" xml:lang={quoteattr(xml_safe(t.language))}" if t.language
                        else f" datatype={quoteattr(xml_safe(str(t.datatype)))}" if t.datatype else "")
                inner = f"<literal{attr}>{escape(xml_safe(str(t)))}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out)


def to_csv(result: Answer) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, empty for unbound."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return buf.getvalue()


_ABBREVIATED = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.boolean)}


def _tsv_term(t: Node | None) -> str:
    if t is None:
        return ""
    if isinstance(t, Literal) and str(t.datatype) in _ABBREVIATED:
        return str(t)  # numbers and booleans in the abbreviated Turtle form the TSV format allows
    return t.n3().replace("\t", "\\t").replace("\n", "\\n")


def to_tsv(result: Answer) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def display(term: Node | None, names: Mapping[Node, str], lang: str = "en") -> str:
    """How a term reads for people (tables, pages): its label, else a short name; a typed literal in words
    (``P15D`` -> "15 days", ``true`` -> "yes", :func:`legalgraph.humanize.humanize`)."""
    if term is None:
        return ""
    if term in names:
        return names[term]
    if isinstance(term, URIRef):
        return short(term)
    return humanize(term, lang)


def to_table(result: Answer, names: Mapping[Node, str], width: int | None = None,
             titles: Mapping[str, str] | None = None) -> str:
    """A plain-text table for people that stays inside ``width`` columns (the terminal's, or 80) by wrapping
    cells: labels instead of IRIs, values in words, and column ``titles`` (a canned query's) for its header."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    width = width or min(shutil.get_terminal_size((80, 24)).columns, 160)
    head = [(titles or {}).get(v, v) for v in result.variables]
    cells = [[display(t, names) for t in row] for row in result.rows]
    if not head:
        return "(no columns)"
    # a long title wraps rather than widening its column: it needs its longest word, or up to 12 characters
    natural = [max([min(len(h), max(12, *(len(w) for w in h.split()))), *(len(r[i]) for r in cells)])
               for i, h in enumerate(head)]
    budget = width - 3 * (len(head) - 1)
    if sum(min(n, 12) for n in natural) > budget:
        return _records(head, cells, width)
    widths = list(natural)
    while sum(widths) > budget and max(widths) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    titles = [textwrap.wrap(h, w) or [""] for h, w in zip(head, widths, strict=True)]
    lines = [" | ".join((x[k] if k < len(x) else "").ljust(w) for x, w in zip(titles, widths, strict=True)).rstrip()
             for k in range(max(len(x) for x in titles))]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(row, widths, strict=True)]
        for k in range(max(len(x) for x in wrapped)):
            parts = [(x[k] if k < len(x) else "").ljust(w) for x, w in zip(wrapped, widths, strict=True)]
            lines.append(" | ".join(parts).rstrip())
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


def _records(head: list[str], cells: list[list[str]], width: int) -> str:
    """One block per row, one 'name: value' line per column: for results too wide for a table."""
    key = max(len(h) for h in head)
    lines: list[str] = []
    for n, row in enumerate(cells, 1):
        lines.append(f"-[ row {n} ]" + "-" * max(0, min(width, 40) - 12 - len(str(n))))
        for h, c in zip(head, row, strict=True):
            if not c:
                continue
            wrapped = textwrap.wrap(c, max(20, width - key - 3)) or [""]
            lines.append(f"{h.rjust(key)} | {wrapped[0]}")
            lines += [f"{'':>{key}} | {w}" for w in wrapped[1:]]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


def serialise(answer: Answer, media: str, max_bytes: int | None = None) -> tuple[str, bytes]:
    """The answer as ``media`` (a key of :data:`MEDIA`), bounded in bytes; returns (content type, body)."""
    media = CANONICAL.get(media, media)
    if answer.kind == "graph":
        graph = answer.graph
        assert graph is not None
        fmt = MEDIA[media][2] or "turtle"
        kwargs = {"context": PREFIXES, "auto_compact": True} if fmt == "json-ld" else {}
        body = graph.serialize(format=fmt, encoding="utf-8", **kwargs)
        if fmt == "xml":  # rdflib writes every character as it is; XML cannot carry some (NOT_XML)
            body = xml_safe(body.decode("utf-8", errors="surrogatepass")).encode("utf-8")
    else:
        text = {"application/sparql-results+json": to_json, "application/sparql-results+xml": to_xml,
                "text/csv": to_csv, "text/tab-separated-values": to_tsv}[media](answer)
        body = text.encode("utf-8")
    if max_bytes is not None and len(body) > max_bytes:
        raise TooLarge(f"the answer is {len(body)} bytes, over the bound of {max_bytes}",
                       hint="select fewer values, or page with LIMIT and OFFSET")
    charset = "; charset=utf-8" if media in ("text/csv", "text/tab-separated-values") else ""
    return media + charset, body


def render_answer(answer: Answer, fmt: str, names: Mapping[Node, str] | None = None, width: int | None = None,
                  titles: Mapping[str, str] | None = None) -> str:
    """An answer for the terminal: ``table`` (for people: labels, values in words, column ``titles``), or
    ``csv``, ``tsv``, ``json``, ``xml`` (typed values and variable names, unchanged)."""
    if answer.kind == "graph":
        assert answer.graph is not None
        return answer.graph.serialize(format={"table": "turtle", "json": "json-ld"}.get(fmt, "turtle"))
    if fmt == "json":
        return to_json(answer, indent=1)
    if fmt == "xml":
        return to_xml(answer)
    if fmt == "csv":
        return to_csv(answer)
    if fmt == "tsv":
        return to_tsv(answer)
    return to_table(answer, names or {}, width, titles)
