"""The country brief as a standalone HTML document and as PDF (WeasyPrint), for the web and the command line.

Both render ``templates/brief.html``, the template of the brief's page, so the PDF holds the same facts as the
page. The PDF takes the print styles of ``static/style.css`` (``@media print`` and ``@page``: the date, the
data version and the sources in the foot of every page). WeasyPrint fetches nothing: the only resource it may
read is an inline ``data:`` image (the agencies' picture).

PDF rendering is CPU-heavy, so it is bounded three ways: only a document of bounded size
(:data:`MAX_HTML_BYTES`); one at a time per process (:data:`_SLOT`; a request that waits too long gets
:class:`~legalgraph.errors.Busy`); and in a child process (``python -m legalgraph.api.printing``, HTML on
standard input, PDF on standard output) that is killed past :data:`TIMEOUT_SECONDS`
(:class:`~legalgraph.errors.TimedOut`), so a runaway layout can hold neither the server's time nor its memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__, humanize, i18n
from ..errors import Busy, LegalgraphError, Refused, TimedOut, TooLarge
from ..services.brief import Brief
from .rendering import SOURCE_NOTE, TEMPLATES, href, local, short

STYLE = Path(__file__).parent / "static" / "style.css"
MAX_HTML_BYTES = 2_000_000
SLOT_WAIT_SECONDS = 30
TIMEOUT_SECONDS = 60
_SLOT = threading.BoundedSemaphore(1)


def today(lang: str = "en") -> str:
    return humanize.date(datetime.now(UTC).date().isoformat(), lang)


def context(b: Brief, data_version: str, lang: str = "en") -> dict[str, Any]:
    """What brief.html needs beyond the base page's context."""
    return {"b": b, "sources": b.sources(), "today": today(lang), "as_of": b.as_of, "data_version": data_version}


def html(b: Brief, data_version: str, *, pdf: bool = False, lang: str = "en") -> str:
    """The brief as one HTML document (the page without a request: the command line's -o FILE.html), in
    ``lang`` (the brief itself must have been made in it)."""
    ctx = {"version": __version__, "source_note": SOURCE_NOTE, "local": local, "href": href, "short": short,
           "pdf": pdf, "lang": lang, **context(b, data_version, lang)}
    with i18n.using(lang):
        text = TEMPLATES.get_template("brief.html").render(ctx)
    if not pdf:  # a file on its own: the stylesheet inline, since /static is not beside it
        text = text.replace('<link rel="stylesheet" href="/static/style.css">',
                            "<style>\n" + STYLE.read_text(encoding="utf-8") + "\n</style>", 1)
    return text


def pdf(b: Brief, data_version: str, lang: str = "en") -> bytes:
    """The brief as PDF, made by WeasyPrint from the same template."""
    document = html(b, data_version, pdf=True, lang=lang)
    size = len(document.encode())
    if size > MAX_HTML_BYTES:
        raise TooLarge(f"the brief is too large to print ({size} bytes; the bound is {MAX_HTML_BYTES})")
    if not _SLOT.acquire(timeout=SLOT_WAIT_SECONDS):
        raise Busy("another PDF is being made; try again shortly")
    try:
        return _in_child(document)
    finally:
        _SLOT.release()


def _in_child(document: str) -> bytes:
    """Run :func:`_weasyprint` in a child process, killed past :data:`TIMEOUT_SECONDS`."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH"))
                                                        if p)}
    try:
        done = subprocess.run([sys.executable, "-m", "legalgraph.api.printing"], input=document.encode(),
                              capture_output=True, timeout=TIMEOUT_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired as e:
        raise TimedOut(f"the PDF took longer than {TIMEOUT_SECONDS} s and was stopped",
                       hint="print the page from the browser instead") from e
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        message = done.stderr.decode(errors="replace").strip().splitlines()
        last = message[-1] if message else f"exit code {done.returncode}"
        if "WeasyPrint" in last and "Pango" in last:
            raise Refused(last.removeprefix("legalgraph: "), hint="./dev setup installs the Debian libraries")
        raise LegalgraphError(f"the PDF could not be made: {last}")
    return done.stdout


def _weasyprint(document: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as e:  # OSError: the Pango libraries are missing
        raise Refused(f"PDF needs WeasyPrint and its Debian libraries (Pango): {e}",
                      hint="./dev setup installs them; or save the page as HTML and print it") from e

    def fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, timeout=timeout)
        raise ValueError(f"the PDF fetches nothing but inline images ({url[:40]} refused)")

    css = weasyprint.CSS(filename=str(STYLE), url_fetcher=fetch)
    return weasyprint.HTML(string=document, url_fetcher=fetch).write_pdf(stylesheets=[css])


def _main() -> int:
    """The child process: HTML on standard input, PDF on standard output."""
    try:
        sys.stdout.buffer.write(_weasyprint(sys.stdin.buffer.read().decode()))
    except LegalgraphError as e:
        print(f"legalgraph: {e.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_main())
