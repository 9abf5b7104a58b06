"""Content negotiation in one place: which representation a request gets, by extension, ``format=`` or Accept.

The media types themselves are :data:`legalgraph.formats.MEDIA`; this module only chooses among them.
"""

from __future__ import annotations

from fastapi import Request

from ..formats import EXTENSIONS, GRAPH_TYPES, MEDIA

#: extensions a page path may end with to ask for a twin
TWIN_EXTENSIONS = ("jsonld", "json", "csv", "tsv", "ttl", "nt", "rdf", "html")


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


def page_or_json(request: Request, ext: str | None = None, format: str | None = None) -> str:
    """"text/html" or "application/json" for a page with a JSON twin (by extension, format= or Accept)."""
    if ext == "json" or format == "json":
        return "application/json"
    if ext == "html" or format == "html":
        return "text/html"
    return choose(request, ["text/html", "application/json"], "text/html") or "text/html"


def resource_media(request: Request, ext: str | None) -> str | None:
    """An entity's representation: HTML or one of the RDF types, by extension or Accept."""
    if ext:
        return EXTENSIONS.get(ext) if ext != "json" else "application/ld+json"
    return choose(request, ["text/html", *GRAPH_TYPES], "text/html")


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
