"""SPARQL text handling shared by every backend: binding parameters with an inline VALUES block.

Parameters are never formatted into a query by hand. Each value is an RDF term, checked and serialised
by rdflib (quotes and escapes included), and the terms are joined to the query by a ``VALUES`` block
placed at the start of the top-level WHERE group. That gives the same semantics on every engine (rdflib,
Oxigraph, a remote server), unlike ``initBindings`` (rdflib only) or Oxigraph's ``substitutions``
(projected variables only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import BadInput
from .guard import mask

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class BindingError(BadInput):
    """A parameter could not be bound; the message says which and why."""


_masked = mask


def _serialise(name: str, term: Node) -> str:
    if not _VAR.match(name):
        raise BindingError(f"parameter name {name!r} is not a SPARQL variable name (letters, digits, _)")
    if isinstance(term, URIRef):
        if re.search(r'[<>"{}|^`\\\s]', str(term)):
            raise BindingError(f"parameter {name}: {str(term)!r} is not a valid IRI")
        return term.n3()
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        raise BindingError(f"parameter {name}: blank nodes cannot be bound; use an IRI")
    raise BindingError(f"parameter {name}: {term!r} is not an RDF term")


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments."""
    form = _FORM.search(_masked(query))
    if form is None:
        raise BindingError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return form.group(1).upper()


def where_brace(query: str) -> int:
    """Index of the opening brace of the top-level WHERE group."""
    masked = _masked(query)
    form = _FORM.search(masked)
    if form is None:
        raise BindingError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    start = form.end()
    where = _WHERE.search(masked, start)
    if form.group(1).upper() == "CONSTRUCT" and where is None:
        raise BindingError("CONSTRUCT without WHERE cannot take parameters")
    pos = masked.find("{", where.end() if where else start)
    if pos < 0:
        raise BindingError("the query has no WHERE group to bind parameters in")
    return pos


def bind(query: str, bindings: Mapping[str, Node | Sequence[Node]] | None) -> str:
    """Return ``query`` with ``bindings`` joined as a VALUES block at the start of its WHERE group.

    A value may be a sequence of terms: the variable then takes each in turn (one VALUES row each); only one
    variable may be bound that way.
    """
    if not bindings:
        return query
    names = list(bindings)
    many = [n for n in names if isinstance(bindings[n], (list, tuple))]
    if len(many) > 1:
        raise BindingError(f"only one parameter may take several values, not {', '.join(many)}")
    if not many:
        terms = " ".join(_serialise(n, bindings[n]) for n in names)  # type: ignore[arg-type]
        return _insert(query, f" VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }} ")
    fixed = [n for n in names if n not in many]
    head = " ".join(_serialise(n, bindings[n]) for n in fixed)  # type: ignore[arg-type]
    rows = " ".join(f"({head} {_serialise(many[0], t)})" for t in bindings[many[0]])  # type: ignore[union-attr]
    variables = " ".join("?" + n for n in [*fixed, many[0]])
    return _insert(query, f" VALUES ({variables}) {{ {rows} }} ")


def _insert(query: str, block: str) -> str:
    pos = where_brace(query) + 1
    return query[:pos] + block + query[pos:]


def uses_variable(query: str, name: str) -> bool:
    """Whether ``?name`` or ``$name`` occurs in the query outside strings, IRIs and comments."""
    return re.search(rf"[?$]{re.escape(name)}\b", _masked(query)) is not None
