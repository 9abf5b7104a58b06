"""The interface's language (issue 16): English or Russian, per request, from gettext catalogues.

Messages are marked in the code with :func:`gettext` (``_``), :func:`ngettext` and :func:`N_` (a mark for
text translated where it is shown), and in templates with Jinja's ``i18n`` extension (``{% trans %}``,
``_()``). The translations live in ``locale/ru/LC_MESSAGES/messages.po``, read with Babel when first
needed (no compiled ``.mo`` in git, no build step); ``tests/test_i18n.py`` extracts every marked message
with Babel's extractors and fails on one without a Russian translation.

The language of the request being answered is a context variable, set by :func:`using` (the web
front-end's middleware and ``render_page``; the services that word sentences, for the language they were
asked for). Concurrent requests each see their own: nothing is installed globally. Facts from the report
are never translated; only the interface is. The command line stays English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["COOKIE", "DEFAULT", "LANGUAGES", "N_", "PLURAL_SAMPLES", "accept_language", "choose", "current",
           "gettext", "ngettext", "translations", "using"]

#: The interface languages, the first the default.
LANGUAGES = ("en", "ru")
DEFAULT = "en"
#: The cookie that remembers a reader's choice (set when a page is asked for with ``?lang=``).
COOKIE = "lang"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
#: A number in each plural category of ``Intl.PluralRules`` (CLDR): a script is handed a message's form for
#: each (``ngettext`` with that number) and picks by category. English uses one/other; Russian one/few/many
#: (1 день, 2 дня, 5 дней), and other for fractions, which take the few form (1,5 дня).
PLURAL_SAMPLES = {"one": 1, "few": 2, "many": 5, "other": 2}
#: Bounds on what a client may send: the header's length and the number of ranges read.
MAX_HEADER = 512
MAX_RANGES = 16

_current: ContextVar[str] = ContextVar("legalgraph_language", default=DEFAULT)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang``, read from its ``.po`` once per process (English: the messages themselves)."""
    if lang == DEFAULT or lang not in LANGUAGES:
        return NullTranslations()
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def current() -> str:
    """The language of what is being answered now ("en" outside a request)."""
    return _current.get()


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Answer in ``lang`` (an unknown one counts as English) until the block ends."""
    lang = lang if lang in LANGUAGES else DEFAULT
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the current language (Russian has three: 1 день, 2 дня, 5 дней)."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is shown (``_(message)`` there); returns it unchanged."""
    return message


_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9](?:\.[0-9]{0,3})?))?\s*$")


def accept_language(header: str | None) -> list[tuple[str, float]]:
    """The language ranges of an ``Accept-Language`` header, best first (q-values honoured; ties keep their
    order). Malformed ranges are skipped; only the first :data:`MAX_HEADER` characters are read."""
    out: list[tuple[int, str, float]] = []
    for i, part in enumerate((header or "")[:MAX_HEADER].split(",")[:MAX_RANGES]):
        m = _RANGE.match(part)
        if not m:
            continue
        q = float(m.group(2)) if m.group(2) is not None else 1.0
        if q > 0:
            out.append((i, m.group(1).lower(), min(q, 1.0)))
    out.sort(key=lambda x: (-x[2], x[0]))
    return [(tag, q) for _, tag, q in out]


def supported(tag: str | None) -> str | None:
    """One of :data:`LANGUAGES` for a language tag ("ru", "ru-RU" -> "ru"), or None."""
    if not tag:
        return None
    primary = tag.strip().lower().split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def choose(asked: str | None, cookie: str | None, header: str | None) -> str:
    """The interface language: ``?lang=`` if it names one we have, else the cookie, else the best
    ``Accept-Language`` range we have (``*`` is the default), else English."""
    for given in (asked, cookie):
        if (lang := supported(given)) is not None:
            return lang
    for tag, _ in accept_language(header):
        if tag == "*":
            return DEFAULT
        if (lang := supported(tag)) is not None:
            return lang
    return DEFAULT


# ------------------------------------------------------------------ the catalogue (maintainers and tests)

#: Where Babel finds the marked messages: Python by its gettext calls, templates by Jinja's extractor.
METHOD_MAP = [("**.py", "python"), ("api/templates/**.html", "jinja2.ext:babel_extract")]
OPTIONS_MAP = {"api/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
#: the gettext calls Babel reads in Python ("_" is gettext)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extract():  # -> babel.messages.catalog.Catalog
    """Every message marked in the package, with where it is used (Babel's extractors)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(domain=DOMAIN)
    root = Path(__file__).parent
    for filename, lineno, message, comments, context in extract_from_dir(
            root, METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update(lang: str = "ru") -> int:
    """Bring ``lang``'s .po up to date with the code: new messages come in untranslated, unused ones go.
    Returns how many messages lack a translation (``python -m legalgraph.i18n`` prints them)."""
    from babel.messages.pofile import write_po

    path = po_path(lang)
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with path.open("wb") as f:
        write_po(f, catalog, width=120, omit_header=False, sort_output=False)
    translations.cache_clear()
    return sum(1 for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string))


if __name__ == "__main__":
    missing = update()
    print(f"{po_path('ru')}: {missing} message(s) without a translation")
