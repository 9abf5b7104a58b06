"""Security headers on every response: a Content-Security-Policy without inline scripts, and friends.

The pages load scripts only from ``/static`` (the templates hold no inline ``<script>`` and no ``on…``
attributes; page data travels in ``data-*`` attributes or ``<script type="application/json">`` blocks),
so ``script-src 'self'`` holds, and a string that slips past escaping into the DOM cannot run. Fetches
go only to this server (``connect-src 'self'``), so the SPARQL editor cannot be pointed at another host,
and no page may be framed (``frame-ancestors 'none'``).
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The two ``<style>`` elements that YASGUI's table plugin (the bundled column-resizer) writes into the page
#: head: its grip styles when it draws a results table, and the drag cursor while a column is resized. They
#: are constant text, so they are allowed by hash; tests/test_security.py recomputes the first from
#: static/vendor/yasgui.min.js. Cytoscape's one ``<style>`` is pre-empted in graph.html instead.
YASGUI_STYLE_HASHES = ("'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # the grip styles
                       "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='")  # *{cursor:col-resize!important}

#: No 'unsafe-inline' anywhere: the vendored libraries otherwise set styles through the CSSOM
#: (element.style), which CSP does not restrict, and the templates' own styles are in /static/style.css.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' " + " ".join(YASGUI_STYLE_HASHES),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
_NAMES = {name for name, _ in HEADERS}


class SecurityHeaders:
    """Add :data:`HEADERS` to every HTTP response (replacing any a handler set), as plain ASGI.

    An exception that escapes the app before it started a response gets its 500 here, with the headers
    (Starlette's outermost error middleware would send one without them), and is raised on for logging.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": headers + HEADERS}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send_with_headers)
            raise


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands on a request body already read whole (by the body bound, or by the endpoint
    looking for a cached answer), then whatever the client sends next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
