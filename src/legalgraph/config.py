"""Which store to use: ``--store`` on the command line, else ``LEGALGRAPH_STORE``, else ``legalgraph.toml``.

A store location is either an ``http(s)://`` URL of a SPARQL query endpoint (a remote server) or a
directory (the embedded Oxigraph store). With none given, the embedded store in ``$LEGALGRAPH_HOME`` (or
``./.legalgraph`` in the checkout) is used. The configuration file is ``$LEGALGRAPH_CONFIG`` or
``legalgraph.toml`` in the working directory::

    [store]
    url = "http://127.0.0.1:7878/query"     # or a directory
    update = "http://127.0.0.1:7878/update" # optional; derived for Oxigraph's /query
    gsp = "http://127.0.0.1:7878/store"     # optional; derived for Oxigraph's /query
    union = "graphs"                        # or "server"
    timeout = 30                            # seconds per request
    auth = "basic"                          # or "digest" (Virtuoso); credentials only from the environment

Passwords are never read from the file or the command line: set ``LEGALGRAPH_STORE_USER`` and
``LEGALGRAPH_STORE_PASSWORD``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import httpx

from .store import DEFAULT_DATA_DIR, Store, StoreError, open_store

CONFIG_FILE = "legalgraph.toml"
ENV = {"url": "LEGALGRAPH_STORE", "update": "LEGALGRAPH_STORE_UPDATE", "gsp": "LEGALGRAPH_STORE_GSP",
       "union": "LEGALGRAPH_STORE_UNION", "timeout": "LEGALGRAPH_STORE_TIMEOUT", "auth": "LEGALGRAPH_STORE_AUTH"}


@dataclass
class StoreConfig:
    url: str | None = None
    update: str | None = None
    gsp: str | None = None
    union: str = "graphs"
    timeout: float = 30.0
    auth: str = "basic"
    #: where ``url`` came from, for messages: "--store", "LEGALGRAPH_STORE", a file path, or "default"
    origin: str = "default"

    @property
    def remote(self) -> bool:
        return bool(self.url) and self.url.startswith(("http://", "https://"))  # type: ignore[union-attr]

    def describe(self) -> str:
        where = self.url if self.url else str(DEFAULT_DATA_DIR)
        kind = "remote SPARQL server" if self.remote else "embedded Oxigraph store"
        return f"{kind} at {where} (from {self.origin})"


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StoreError(f"{path}: not valid TOML ({exc}); fix the file or set LEGALGRAPH_CONFIG to another") from exc
    except OSError as exc:
        raise StoreError(f"cannot read the configuration {path}: {exc.strerror}") from exc
    table = data.get("store", {})
    for key in ("user", "password"):
        if key in table:
            raise StoreError(f"{path}: [store] {key} is not read from files; set LEGALGRAPH_STORE_{key.upper()}")
    unknown = sorted(set(data) - {"store"}) + sorted(f"store.{k}" for k in set(table) - _KEYS)
    if unknown:
        raise StoreError(f"{path}: unknown key(s) {', '.join(unknown)}; the [store] table takes "
                         f"{', '.join(sorted(_KEYS))}")
    return table


_KEYS = {f.name for f in fields(StoreConfig)} - {"origin"}


def load_config(store: str | None = None, update: str | None = None, gsp: str | None = None,
                env: Mapping[str, str] | None = None, cwd: Path | None = None) -> StoreConfig:
    """The store configuration: command-line values over environment over configuration file."""
    env = os.environ if env is None else env
    explicit = env.get("LEGALGRAPH_CONFIG")
    path = Path(explicit) if explicit else (cwd or Path.cwd()) / CONFIG_FILE
    merged: dict[str, Any] = {}
    origin = "default"
    if explicit or path.exists():
        merged.update(_read_file(path))
        origin = str(path)
    for key, var in ENV.items():
        if env.get(var):
            merged[key] = env[var]
            if key == "url":
                origin = var
    for key, val in (("url", store), ("update", update), ("gsp", gsp)):
        if val:
            merged[key] = val
            if key == "url":
                origin = "--store"
    cfg = StoreConfig(origin=origin)
    for key, val in merged.items():
        setattr(cfg, key, val)
    try:
        cfg.timeout = float(cfg.timeout)
    except (TypeError, ValueError):
        raise StoreError(f"store timeout {cfg.timeout!r} (from {origin}) is not a number of seconds") from None
    if cfg.union not in ("graphs", "server"):
        raise StoreError(f"store union {cfg.union!r} (from {origin}) must be 'graphs' or 'server'")
    if cfg.auth not in ("basic", "digest"):
        raise StoreError(f"store auth {cfg.auth!r} (from {origin}) must be 'basic' or 'digest'")
    return cfg


def _auth(cfg: StoreConfig, env: Mapping[str, str]) -> httpx.Auth | None:
    user, password = env.get("LEGALGRAPH_STORE_USER"), env.get("LEGALGRAPH_STORE_PASSWORD")
    if not user:
        return None
    return (httpx.DigestAuth if cfg.auth == "digest" else httpx.BasicAuth)(user, password or "")


def open_configured(cfg: StoreConfig, *, sync: bool = True, read_only: bool = False,
                    env: Mapping[str, str] | None = None) -> Store:
    """Open the configured store: the embedded one (built or refreshed from the sources) or a remote one."""
    if not cfg.remote:
        return open_store(Path(cfg.url) if cfg.url else None, sync=sync, read_only=read_only)
    from .remote import Endpoints, RemoteStore

    endpoints = Endpoints.from_url(cfg.url, cfg.update, cfg.gsp)  # type: ignore[arg-type]
    return RemoteStore(endpoints, timeout=cfg.timeout, union=cfg.union,  # type: ignore[arg-type]
                       auth=_auth(cfg, os.environ if env is None else env))

