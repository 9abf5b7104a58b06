"""Serialising query results: SPARQL 1.1 JSON, CSV, TSV, and a readable table with labels, not IRIs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import textwrap
from collections import Counter

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .namespaces import ID, PREFIXES
from .sparql import bind_many
from .store import QueryResult, Store

LABELS = """
SELECT ?s (SAMPLE(?l) AS ?label) WHERE {
  ?s rdfs:label|skos:prefLabel ?l . FILTER(LANG(?l) = "en" || LANG(?l) = "")
} GROUP BY ?s
"""


def labels(store: Store, result: QueryResult) -> dict[Node, str]:
    """English labels of every IRI in the result, fetched in one query."""
    return labels_for(store, {v for row in result.rows for v in row if isinstance(v, URIRef)})


def labels_for(store: Store, iris: set[URIRef] | list[URIRef]) -> dict[Node, str]:
    """English labels of the given IRIs, fetched in one query."""
    if not iris:
        return {}
    found = store.query(bind_many(LABELS, "s", sorted(iris)))
    return {s: str(label) for s, label in found.rows if s is not None and label is not None}


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


def comparable(result: QueryResult) -> Counter:
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


def digest(result: QueryResult) -> str:
    """A short fingerprint of :func:`comparable`, so that processes can compare answers without sending them."""
    lines = sorted(f"{row!r}\t{n}" for row, n in comparable(result).items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def to_json(result: QueryResult, indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON; compact unless ``indent`` (an indent makes json use its slow pure-Python
    encoder: 3.5 ms instead of 1.5 ms for 83 rows, measured)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=indent)


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr

    ns = "http://www.w3.org/2005/sparql-results#"
    out = ['<?xml version="1.0"?>', f'<sparql xmlns="{ns}">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out)
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is None:
                continue
            if isinstance(t, URIRef):
                inner = f"<uri>{escape(str(t))}</uri>"
            elif isinstance(t, BNode):
                inner = f"<bnode>{escape(str(t))}</bnode>"
            else:
                assert isinstance(t, Literal)
                attr = (f" xml:lang={quoteattr(t.language)}" if t.language
                        else f" datatype={quoteattr(str(t.datatype))}" if t.datatype else "")
                inner = f"<literal{attr}>{escape(str(t))}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out)


def to_csv(result: QueryResult) -> str:
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


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def display(term: Node | None, names: dict[Node, str]) -> str:
    """How a term reads in a table: its label, else a short name; literals as they are."""
    if term is None:
        return ""
    if term in names:
        return names[term]
    if isinstance(term, URIRef):
        s = str(term)
        if s.startswith(str(ID)):
            return s[len(str(ID)):]
        for prefix, ns in PREFIXES.items():
            if s.startswith(ns):
                return f"{prefix}:{s[len(ns):]}"
        return s
    return str(term)


def to_table(result: QueryResult, names: dict[Node, str], width: int | None = None) -> str:
    """A plain-text table that stays inside ``width`` columns (the terminal's, or 80) by wrapping cells."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    width = width or min(shutil.get_terminal_size((80, 24)).columns, 160)
    head = result.variables
    cells = [[display(t, names) for t in row] for row in result.rows]
    if not head:
        return "(no columns)"
    natural = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(head)]
    budget = width - 3 * (len(head) - 1)
    if sum(min(n, 12) for n in natural) > budget:
        return _records(head, cells, width)
    widths = list(natural)
    while sum(widths) > budget and max(widths) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    lines = [" | ".join(h.ljust(w)[:w] for h, w in zip(head, widths, strict=True)).rstrip(),
             "-+-".join("-" * w for w in widths)]
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


def render(store: Store, result: QueryResult, fmt: str, width: int | None = None) -> str:
    if result.kind == "graph":
        assert result.graph is not None
        return result.graph.serialize(format={"table": "turtle", "json": "json-ld"}.get(fmt, "turtle"))
    if fmt == "json":
        return to_json(result, indent=1)
    if fmt == "xml":
        return to_xml(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    return to_table(result, labels(store, result), width)
