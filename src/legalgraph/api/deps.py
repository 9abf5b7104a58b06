"""FastAPI dependencies: the store, the bounded query runner and the settings live on app.state.

Tests override ``get_store`` (as in RDFLib's prez) to run the app on another store.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..runner import QueryRunner
from ..store import Store
from .settings import Settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_runner(request: Request) -> QueryRunner:
    return request.app.state.runner


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
