"""Content negotiation in one place: which representation a request gets, by extension, ``format=`` or Accept.

The one rule every route follows (:func:`negotiate`, documented in README "Machine twins"): an extension on the
path names the representation (one the route does not have is a 406 listing those it has); ``?format=NAME``
names it the same way (an unknown name is a 400 listing the valid ones; one that contradicts the extension is a
400); otherwise the Accept header chooses (nothing acceptable is a 406 listing what is offered; no Accept, ``*/*``
and browsers' usual Accept get the default, HTML for a page). An error is answered in JSON unless the request
asks for HTML (:func:`wants_machine`). The media types themselves are :data:`legalgraph.formats.MEDIA`; this
module only chooses among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from ..errors import BadInput, NotAcceptable, clip
from ..formats import GRAPH_TYPES, MEDIA

#: extensions a path may end with to ask for a twin (those a route lacks are refused, not taken as a name)
TWIN_EXTENSIONS = ("jsonld", "json", "csv", "tsv", "ttl", "nt", "rdf", "srj", "srx", "xml", "pdf", "html")


@dataclass(frozen=True)
class Offer:
    """What a route can answer: ``types`` maps a name (extension and ``format=`` value) to the media type served,
    the first being the default; ``aliases`` maps further Accept media types to one of those served."""

    types: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def default(self) -> str:
        return next(iter(self.types.values()))

    def accepted(self) -> list[str]:
        """Every media type an Accept header may name, served ones first (deduplicated)."""
        return list(dict.fromkeys([*self.types.values(), *self.aliases]))

    def responses(self, more: dict[int, dict[str, Any]] | None = None) -> dict[int | str, dict[str, Any]]:
        """The OpenAPI ``responses`` of a route with this offer: its 200 types and the statuses of the rule."""
        return {200: {"content": {m: {} for m in dict.fromkeys(self.types.values())}},
                400: {"description": "Unknown `format=` value, or one contradicting the extension (valid listed)"},
                406: {"description": "No representation acceptable (the offered ones listed)"}, **(more or {})}


XHTML = {"application/xhtml+xml": "text/html"}
#: a page for people and its JSON twin
PAGE = Offer({"html": "text/html", "json": "application/json"}, XHTML)
#: an entity: a page, or RDF (``.json`` and ``Accept: application/json`` give JSON-LD)
RESOURCE = Offer({"html": "text/html", **{MEDIA[m][1]: m for m in GRAPH_TYPES}, "json": "application/ld+json"},
                 {**XHTML, "application/json": "application/ld+json"})
#: a canned query's answer: a page, or SPARQL results (``.json`` gives SPARQL JSON results)
QUERY = Offer({"html": "text/html", "json": "application/sparql-results+json",
               "srj": "application/sparql-results+json", "srx": "application/sparql-results+xml",
               "xml": "application/sparql-results+xml", "csv": "text/csv", "tsv": "text/tab-separated-values"},
              {**XHTML, "application/json": "application/sparql-results+json",
               "application/xml": "application/sparql-results+xml"})


def negotiate(request: Request, offer: Offer, ext: str | None = None, what: str | None = None) -> str:
    """The media type ``request`` gets from ``offer``, by the one rule (the module's docstring); raises 400 or 406
    with the valid choices. ``ext`` is the extension split off the path (:func:`split_twin`)."""
    what = what or request.url.path
    names = list(offer.types)
    if ext is not None and ext not in offer.types:
        raise NotAcceptable(f"{clip(what)} is not available as .{ext}", where="extension",
                            valid=[f".{n}" for n in names], hint=f"use one of .{', .'.join(names)}")
    fmt = request.query_params.get("format", "")
    if fmt:
        if fmt not in offer.types:
            raise BadInput(f"unknown format {fmt!r}", where="format", valid=names,
                           hint=f"use format={' or format='.join(names)}")
        if ext is not None and offer.types[fmt] != offer.types[ext]:
            raise BadInput(f"format={fmt} contradicts the extension .{ext}", where="format", valid=[ext],
                           hint="give the extension or format=, not both")
        return offer.types[fmt]
    if ext is not None:
        return offer.types[ext]
    media = choose(request, offer.accepted(), offer.default)
    if media is None:
        offered = offer.accepted()
        raise NotAcceptable(f"{clip(what)} is not available as {request.headers.get('accept')}",
                            where="Accept", valid=offered, hint=f"ask for one of {', '.join(offered)}")
    return offer.aliases.get(media, media)


def _accept(request: Request) -> list[tuple[str, float]]:
    out = []
    for part in request.headers.get("accept", "").split(","):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q))
    return sorted(out, key=lambda x: -x[1])


def choose(request: Request, offered: list[str], default: str) -> str | None:
    """The best of ``offered`` for the Accept header (``default`` for none or */*); None if none fits."""
    accept = _accept(request)
    if not accept:
        return default
    for media, q in accept:
        if q <= 0:
            continue
        if media in offered:
            return media
        if media == "*/*":
            return default
        if media.endswith("/*") and (m := next((o for o in offered if o.startswith(media[:-1])), None)):
            return m
    return None


def wants_html(request: Request) -> bool:
    """A browser asking for a page (HTML ranked above any RDF or JSON)."""
    for media, q in _accept(request):
        if q > 0 and media in ("text/html", "application/xhtml+xml"):
            return True
        if q > 0 and media not in ("*/*",):
            return False
    return False


def split_twin(path: str) -> tuple[str, str | None]:
    """Split a trailing .json/.csv/.ttl/... off a path: (path, extension)."""
    for ext in TWIN_EXTENSIONS:
        if path.endswith("." + ext):
            return path[: -len(ext) - 1], ext
    return path, None


def page_or_json(request: Request, ext: str | None = None) -> str:
    """"text/html" or "application/json" for a page with a JSON twin, by the one rule."""
    return negotiate(request, PAGE, ext)


def alternates(base: str, types: list[str]) -> str:
    """A Link header listing the alternate representations of a resource."""
    return ", ".join(f'<{base}.{MEDIA[t][1]}>; rel="alternate"; type="{t}"' for t in types)


def wants_machine(request: Request) -> bool:
    """Whether an error should be answered in JSON (an API path, a twin, or a client not asking for HTML)."""
    path = request.url.path
    if path.startswith(("/sparql", "/entries", "/graph/data", "/graph/export", "/openapi")) and path != "/entries/new":
        return True
    _, ext = split_twin(path)
    if ext and ext != "html":
        return True
    if request.query_params.get("format") not in (None, "", "html"):
        return True
    return not wants_html(request)
