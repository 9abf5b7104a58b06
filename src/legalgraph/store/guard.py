"""What may run: read-only SPARQL with no outbound requests, bounded in size and nesting before any parser sees it.

Two stages, so that the expensive one runs inside the time bound:

* :func:`precheck` (cheap, linear, in the caller's process): the size cap; line ends normalised (``\\r`` and
  ``\\r\\n`` become ``\\n``) so that every parser reads comments alike (rdflib ends a ``#`` comment only at
  ``\\n``, Oxigraph at ``\\r`` too: ``{ #\\r SERVICE <…> {…} }`` was a comment to one and a call to the other);
  the nesting depth of brackets (the recursive parsers crash or recurse without limit on deep nesting); and the
  query form. The normalised text is the one that is parsed, checked and run.
* :func:`check` (rdflib's SPARQL 1.1 parser, in a worker or under the parse lock): SERVICE anywhere in the parse
  tree (sub-selects, EXISTS, OPTIONAL, updates) and LOAD are refused, updates unless allowed.

Whatever the check misses, queries run where no socket can be opened (:mod:`legalgraph.store.sandbox`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import rdflib.plugins.sparql

from ..errors import BadInput, Refused, TooLarge

# rdflib's engine (the tests' in-memory store, pySHACL) would fetch a graph named by FROM from the web.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

#: The default bound on brackets nested inside one another ({ ( [): the canned queries need 6.
MAX_DEPTH = 40

# Strings, IRIs and comments, as the SPARQL grammar lexes them (comments end at \r or \n; short strings span
# no line end). Used to find keywords, braces and depth outside them.
_MASK = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\r\n]*",
)
_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_UPDATE = re.compile(r"(?<![\w?$:])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:])",
                     re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_SERVICE = re.compile(r"(?<![\w?$:])(SERVICE|LOAD)(?![\w:])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w?$:])FROM(?![\w:])", re.IGNORECASE)

SERVICE_REFUSED = ("SERVICE is not allowed: this endpoint makes no outbound requests (federated queries are "
                   "refused, in sub-queries too)")
LOAD_REFUSED = "LOAD is not allowed: legalgraph never fetches a document named in a query"
UPDATE_REFUSED = ("SPARQL Update is not allowed here: the endpoint is read-only. An administrator can enable "
                  "updates (LEGALGRAPH_ALLOW_UPDATE=1)")


@dataclass(frozen=True)
class Checked:
    """A query that passed: its form (SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE) and the text to run."""

    form: str
    text: str


def mask(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out (same length), for finding keywords and braces."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), text)


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def depth(masked: str) -> int:
    """How deep brackets nest, counted on masked text (an unbalanced close never goes below 0)."""
    deepest = level = 0
    for ch in masked:
        if ch in "{([":
            level += 1
            deepest = max(deepest, level)
        elif ch in "})]":
            level = max(0, level - 1)
    return deepest


def precheck(text: str, *, max_chars: int = 20_000, max_depth: int = MAX_DEPTH, allow_update: bool = False) -> Checked:
    """The cheap checks, with the normalised text and the form the query appears to have.

    Passing texts are remembered (the same query repeats, and masking is most of a cached answer's cost);
    a refusal is computed afresh each time, so its message never comes from a cache."""
    if len(text) > max_chars:  # before hashing a text that may be long
        return _precheck(text, max_chars, max_depth, allow_update)
    return _precheck_cached(text, max_chars, max_depth, allow_update)


def _precheck(text: str, max_chars: int, max_depth: int, allow_update: bool) -> Checked:
    if len(text) > max_chars:
        raise TooLarge(f"the query is {len(text)} characters long, over the bound of {max_chars}",
                       hint="shorten it, or ask an administrator to raise LEGALGRAPH_MAX_QUERY_CHARS")
    if "\x00" in text:
        raise BadInput("the query contains a NUL character")
    text = normalise(text)
    masked = mask(text)
    deep = depth(masked)
    if deep > max_depth:
        raise TooLarge(f"brackets are nested {deep} deep, over the bound of {max_depth}",
                       hint="flatten the query (fewer nested groups or parentheses)")
    form = _FORM.search(masked)
    update = _UPDATE.search(masked)
    is_update = bool(update and (form is None or update.start() < form.start()))
    if is_update and not allow_update:
        raise Refused(UPDATE_REFUSED)
    if outbound := _SERVICE.search(masked):
        raise Refused(LOAD_REFUSED if outbound.group(1).upper() == "LOAD" else SERVICE_REFUSED)
    if is_update:
        return Checked("UPDATE", text)
    if form is None:
        raise BadInput("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE",
                       hint="start with e.g. SELECT ?s WHERE { ?s a lg:Country }")
    return Checked(form.group(1).upper(), text)


_precheck_cached = lru_cache(maxsize=512)(_precheck)


@lru_cache(maxsize=512)
def declares_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED). Backends then run it on that dataset
    instead of the union of the store's graphs, which would otherwise override it (FROM was ignored)."""
    return _FROM.search(mask(normalise(text))) is not None


def _walk(node: object):
    from pyparsing import ParseResults

    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, ParseResults)):
            stack.extend(n)


def _names(tree: object) -> set[str]:
    return {name for n in _walk(tree) if isinstance(name := getattr(n, "name", None), str)}


@lru_cache(maxsize=1024)
def check(text: str, allow_update: bool = False) -> Checked:
    """Parse ``text`` (already prechecked and normalised) with rdflib's grammar and refuse SERVICE, LOAD and,
    unless allowed, updates. Cached: canned queries repeat. Not thread-safe (rdflib's grammar): call it in a
    worker process or under :data:`~legalgraph.store.memory.RDFLIB_PARSE_LOCK`."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    # Oxigraph reads \u and \U escapes inside strings and IRIs only, where they are data; rdflib expands them
    # over the whole text and rejects some valid ones ('\u00530045'). Parsed with a letter in their place, the
    # structure is what Oxigraph sees.
    parsed = _CODEPOINT.sub("X", text)
    try:
        tree = parseQuery(parsed)
    except ParseException as query_error:
        try:
            tree = parseUpdate(parsed)
        except ParseException:
            raise BadInput(f"malformed SPARQL at line {query_error.lineno}, column {query_error.col}: "
                           f"{query_error.msg}", line=query_error.lineno, column=query_error.col) from None
        except RecursionError:
            raise TooLarge("the query is nested too deeply to parse", hint="flatten the query") from None
        if not allow_update:
            raise Refused(UPDATE_REFUSED) from None
        names = _names(tree)
        if "ServiceGraphPattern" in names:
            raise Refused(SERVICE_REFUSED) from None
        if "Load" in names:
            raise Refused(LOAD_REFUSED) from None
        return Checked("UPDATE", text)
    except RecursionError:
        raise TooLarge("the query is nested too deeply to parse", hint="flatten the query") from None
    if "ServiceGraphPattern" in _names(tree):
        raise Refused(SERVICE_REFUSED)
    return Checked(tree[1].name.replace("Query", "").upper(), text)
