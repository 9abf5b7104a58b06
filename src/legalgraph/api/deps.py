"""FastAPI dependencies: the bounded store and the settings, from app.state (set by create_app).

Coroutines, though they do no I/O: FastAPI runs a plain ``def`` dependency on the thread pool, a hop that
cost more than the cached answer it fetches."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from ..errors import BadInput
from ..services.catalogue import FIRST_YEAR, LAST_YEAR
from ..settings import Settings
from ..store import BoundedStore


async def get_store(request: Request) -> BoundedStore:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[BoundedStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
#: An ``asOf`` year: the range of services.catalogue.parse_year, the one year rule of every surface
YearParam = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="a year (the facts valid then)")]


#: The words a yes/no parameter takes (pydantic's, which parses the routes' ``bool`` parameters): one rule
TRUE, FALSE = {"1", "true", "t", "yes", "y", "on"}, {"0", "false", "f", "no", "n", "off", ""}


def flag(request: Request, name: str) -> bool:
    """A yes/no query parameter read by hand (pages that read their parameters themselves), with the same
    words as a ``bool`` parameter of a route; anything else is a 400 naming it."""
    raw = request.query_params.get(name, "").strip().lower()
    if raw in TRUE or raw in FALSE:
        return raw in TRUE
    raise BadInput(f"{name} must be 1 or 0 (true or false), not {raw[:40]!r}", where=name,
                   valid=["1", "0"])
