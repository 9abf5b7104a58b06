"""What the public SPARQL endpoint accepts: read-only queries with no outbound requests.

The query is parsed (rdflib's SPARQL 1.1 grammar) before it runs. Updates are refused unless the admin
switch allows them, and any SERVICE clause, in sub-selects, EXISTS and OPTIONAL included, is refused:
every engine we use would otherwise make an outbound HTTP request for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate


class RefusedQuery(ValueError):
    """The query is not allowed here; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.status, self.line, self.column = status, line, column


@dataclass
class Checked:
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE


def _walk(node: object):
    yield node
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, (list, tuple, ParseResults)):
        for v in node:
            yield from _walk(v)


def _has_service(tree: object) -> bool:
    return any(getattr(n, "name", None) == "ServiceGraphPattern" for n in _walk(tree))


def check(text: str, allow_update: bool = False) -> Checked:
    """Parse ``text``; refuse SERVICE and (unless allowed) updates. Returns the query form."""
    try:
        tree = parseQuery(text)
    except ParseException as query_error:
        return _check_update(text, allow_update, query_error)
    if _has_service(tree):
        raise RefusedQuery("SERVICE is not allowed: this endpoint makes no outbound requests "
                           "(federated queries are refused, in sub-queries too).", 403)
    form = tree[1].name.replace("Query", "").upper()
    return Checked(form)


def _check_update(text: str, allow_update: bool, query_error: ParseException) -> Checked:
    try:
        update = parseUpdate(text)
    except ParseException:
        raise RefusedQuery(
            f"malformed SPARQL at line {query_error.lineno}, column {query_error.col}: {query_error.msg}",
            400, query_error.lineno, query_error.col) from query_error
    if not allow_update:
        raise RefusedQuery("SPARQL Update is not allowed on this endpoint: it is read-only. An administrator "
                           "can enable updates (LEGALGRAPH_ALLOW_UPDATE=1).", 403)
    if _has_service(update):
        raise RefusedQuery("SERVICE is not allowed: this endpoint makes no outbound requests.", 403)
    return Checked("UPDATE")

