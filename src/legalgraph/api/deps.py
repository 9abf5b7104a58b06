"""FastAPI dependencies: the bounded store and the settings, from app.state (set by create_app).

Coroutines, though they do no I/O: FastAPI runs a plain ``def`` dependency on the thread pool, a hop that
cost more than the cached answer it fetches."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

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
