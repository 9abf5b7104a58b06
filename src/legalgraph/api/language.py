"""Which language a page is in: ``?lang=``, else the ``lang`` cookie, else ``Accept-Language``, else English.

Plain ASGI middleware. It puts the choice in ``request.state.lang`` and in the context variable of
:mod:`legalgraph.i18n` for the rest of the request, so that two requests answered at once never see each
other's language. A page asked for with a valid ``?lang=`` sets the cookie that remembers it; every HTML
answer says ``Vary: Accept-Language, Cookie``, so that no cache hands an English page to a Russian reader.
Machine twins (JSON, CSV, RDF) do not depend on the language and are left alone.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import i18n

#: A year: the choice is remembered across visits, and one click changes it.
COOKIE_MAX_AGE = 365 * 24 * 3600
VARY = ("Accept-Language", "Cookie")


def _cookie(header: str | None) -> str | None:
    for part in (header or "")[:4096].split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == i18n.COOKIE:
            return value.strip().strip('"')
    return None


def asked(query_string: bytes) -> str | None:
    """The value of ``lang`` in a query string, if any (the first of at most 100 fields)."""
    try:
        fields = parse_qsl(query_string.decode("latin-1"), max_num_fields=100)
    except ValueError:
        return None
    return next((v for k, v in fields if k == "lang"), None)


class Language:
    """Choose each request's language; mark HTML answers as varying with it; remember ``?lang=``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        given = i18n.supported(asked(scope.get("query_string", b"")))
        cookie = _cookie(headers.get("cookie"))
        lang = i18n.choose(given, cookie, headers.get("accept-language"))
        scope.setdefault("state", {})["lang"] = lang

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if out.get("content-type", "").startswith("text/html"):
                    have = [v.strip() for v in out.get("vary", "").split(",") if v.strip()]
                    out["vary"] = ", ".join([*have, *(v for v in VARY if v not in have)])
                    if given is not None and given != i18n.supported(cookie):
                        out.append("set-cookie", f"{i18n.COOKIE}={given}; Path=/; Max-Age={COOKIE_MAX_AGE}; "
                                                 "SameSite=Lax")
            await send(message)

        with i18n.using(lang):
            await self.app(scope, receive, send_marked)
