"""Pages: the templates, what every page gets in its context, and the one rule of what becomes a link."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from rdflib import BNode, Literal, URIRef

from .. import __version__, i18n
from ..formats import display
from ..humanize import in_words
from ..namespaces import ID, LG, VOCAB, short

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.add_extension("jinja2.ext.i18n")
# The callables read the language of the request being answered (a context variable): nothing global to swap.
TEMPLATES.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
# JSON blocks handed to scripts keep their Cyrillic as it is (half the bytes of \u escapes); tojson still
# escapes <, >, & and ' so that a block never closes its <script> element.
TEMPLATES.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}

SOURCE_NOTE = i18n.N_("Source: OSCE/UNFPA, Mapping of Programmes for Perpetrators of Domestic Violence in "
                      "Central Asia. Facts paraphrased with their report section; data CC BY 4.0, code MIT.")
#: The names of the interface languages, each in itself (the switch in every page's header).
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def local(iri: object) -> str | None:
    """The path at which this service serves a project IRI, or None for other IRIs."""
    s = str(iri)
    for ns, route in ((ID, "/id/"), (VOCAB, "/vocab/"), (LG, "/ontology/")):
        if s.startswith(str(ns)):
            return route + s[len(str(ns)):]
    return None


def href(iri: object) -> str | None:
    """Where a link to this term from data may point, or None to show it as text: the one place that decides.

    Project IRIs go to their local page (:func:`local`); other IRIs only if they are absolute http(s)
    addresses. Anything else (``javascript:``, ``data:``, ``vbscript:``, relative or odd text) is never a link.
    """
    if iri is None or isinstance(iri, (Literal, BNode)):
        return None
    path = local(iri)
    if path is not None:
        return path
    s = str(iri)
    scheme, sep, rest = s.partition("://")
    if sep and scheme.lower() in ("http", "https") and rest[:1] not in ("", "/") and not any(
            c.isspace() or ord(c) < 0x20 or c in '<>"`' for c in s):
        return s
    return None


def plain(term: object, names: Mapping[Any, str] | None = None, lang: str | None = None) -> str:
    """How a value reads on a page (the Jinja filter ``plain``): a label for an IRI in ``names``, else its
    short name; a typed literal in words ("P15D" -> "15 days", true -> "yes"); text as it is. The one place
    pages put values in words (the CLI's table uses the same :func:`legalgraph.formats.display`); the
    machine twins keep the typed values."""
    if term is None:
        return ""
    if not isinstance(term, (Literal, URIRef, BNode)):
        return str(term)
    return display(term, names or {}, lang or i18n.current())


def words(text: object) -> str:
    """A sentence or value given as text, with the durations it quotes in words, in the page's language."""
    return in_words(text, i18n.current())


TEMPLATES.env.filters["plain"] = plain
#: a sentence or value given as text, with the durations it quotes in words ("P1M" -> "1 month")
TEMPLATES.env.filters["words"] = words


def switch_links(request: Request, lang: str) -> list[tuple[str, str, str]]:
    """(language, its name, link) for each other interface language: the same page and query, with ``lang``.

    The link is the query alone (``?…``), relative to the page: a path such as ``//other.host/x`` (a 404 page
    shows it) would otherwise make a link to another site."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    prefix = "?"
    if len(request.url.path) + len(request.url.query) > 2000:  # a huge address is not repeated: the home page
        prefix, params = "/?", []
    out = []
    for other in i18n.LANGUAGES:
        if other != lang:
            out.append((other, LANGUAGE_NAMES[other], prefix + urlencode([*params, ("lang", other)])))
    return out


def page_language(request: Request) -> str:
    """The language the request's page is in (chosen by api/language.py; English without it)."""
    lang = getattr(request.state, "lang", None)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT


def render_page(request: Request, name: str, context: dict[str, Any], status: int = 200,
                headers: dict[str, str] | None = None) -> HTMLResponse:
    lang = page_language(request)
    ctx = {"request": request, "version": __version__, "data_version": request.app.state.data_version,
           "source_note": SOURCE_NOTE, "local": local, "href": href, "short": short, "lang": lang,
           "switch": switch_links(request, lang), **context}
    with i18n.using(lang):  # the response is rendered here, in the page's language
        return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status, headers=headers)
