"""Content negotiation in one place: which representation a request gets, by extension or Accept header."""

from __future__ import annotations

from fastapi import Request

RDF_TYPES: dict[str, tuple[str, str]] = {
    # media type: (rdflib serializer, file extension)
    "text/turtle": ("turtle", "ttl"),
    "application/n-triples": ("nt", "nt"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/rdf+xml": ("xml", "rdf"),
}
EXTENSIONS = {ext: mt for mt, (_, ext) in RDF_TYPES.items()} | {
    "json": "application/json", "csv": "text/csv", "html": "text/html", "tsv": "text/tab-separated-values"}

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}


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


def alternates(base: str, types: list[str]) -> str:
    """A Link header listing the alternate representations of a resource."""
    return ", ".join(f'<{base}.{EXTENSIONS_REVERSE[t]}>; rel="alternate"; type="{t}"' for t in types)


EXTENSIONS_REVERSE = {mt: ext for ext, mt in EXTENSIONS.items()}


def wants_json(request: Request, format: str | None = None) -> bool:
    """The JSON twin of a page: asked for by ``format=json`` or by an Accept header preferring JSON."""
    return format == "json" or choose(request, ["text/html", "application/json"], "text/html") == "application/json"
