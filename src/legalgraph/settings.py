"""One configuration object: which store, and the service's bounds. Read once at start-up, never at import.

Store selection, first found of: ``--store`` on the command line, ``LEGALGRAPH_STORE``, ``url`` under
``[store]`` in ``legalgraph.toml`` (the working directory's, or ``$LEGALGRAPH_CONFIG``). A store location is an
``http(s)://`` SPARQL query endpoint (a remote server) or a directory (the embedded Oxigraph store); with none,
the embedded store in ``$LEGALGRAPH_HOME`` or ``./.legalgraph`` of the checkout::

    [store]
    url = "http://127.0.0.1:7878/query"     # or a directory
    update = "http://127.0.0.1:7878/update" # optional; derived for Oxigraph's /query
    gsp = "http://127.0.0.1:7878/store"     # optional; derived for Oxigraph's /query
    union = "graphs"                        # or "server"
    timeout = 30                            # seconds per request
    auth = "basic"                          # or "digest" (Virtuoso); credentials only from the environment

Passwords are never read from the file or the command line: set ``LEGALGRAPH_STORE_USER`` and
``LEGALGRAPH_STORE_PASSWORD``. The service bounds come from ``LEGALGRAPH_*`` variables (README.md lists them).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import BadInput

#: Where ontology/, data/ and queries/ are (the project checkout).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = "legalgraph.toml"
#: bytes a configuration file may have (it holds a few lines)
MAX_CONFIG_BYTES = 64 * 1024
STORE_ENV = {"url": "LEGALGRAPH_STORE", "update": "LEGALGRAPH_STORE_UPDATE", "gsp": "LEGALGRAPH_STORE_GSP",
             "union": "LEGALGRAPH_STORE_UNION", "timeout": "LEGALGRAPH_STORE_TIMEOUT",
             "auth": "LEGALGRAPH_STORE_AUTH"}


@dataclass
class StoreConfig:
    url: str | None = None
    update: str | None = None
    gsp: str | None = None
    union: str = "graphs"
    timeout: float = 30.0
    auth: str = "basic"
    #: the embedded store's directory when ``url`` is not a remote endpoint
    home: Path = field(default_factory=lambda: PROJECT_ROOT / ".legalgraph")
    #: where ``url`` came from, for messages: "--store", "LEGALGRAPH_STORE", a file path, or "default"
    origin: str = "default"
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @property
    def remote(self) -> bool:
        return bool(self.url) and str(self.url).startswith(("http://", "https://"))

    @property
    def directory(self) -> Path:
        return Path(self.url) if self.url and not self.remote else self.home

    def describe(self) -> str:
        if self.remote:
            return f"remote SPARQL server at {self.url} (from {self.origin})"
        return f"embedded Oxigraph store at {self.directory} (from {self.origin})"


_STORE_KEYS = {"url", "update", "gsp", "union", "timeout", "auth"}


def _read_file(path: Path) -> dict[str, Any]:
    from .files import read_bounded

    raw = read_bounded(path, MAX_CONFIG_BYTES, "configuration", hint="a configuration file is a few lines of TOML")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"not valid TOML ({exc})", where=str(path),
                       hint="fix the file or set LEGALGRAPH_CONFIG to another") from exc
    except UnicodeDecodeError as exc:
        raise BadInput(f"the configuration is not UTF-8 text ({exc.reason})", where=str(path),
                       hint="save it as UTF-8") from exc
    table = data.get("store", {})
    for key in ("user", "password"):
        if key in table:
            raise BadInput(f"[store] {key} is not read from files", where=str(path),
                           hint=f"set LEGALGRAPH_STORE_{key.upper()}")
    unknown = sorted(set(data) - {"store"}) + sorted(f"store.{k}" for k in set(table) - _STORE_KEYS)
    if unknown:
        raise BadInput(f"unknown key(s) {', '.join(unknown)}; the [store] table takes "
                       f"{', '.join(sorted(_STORE_KEYS))}", where=str(path), valid=sorted(_STORE_KEYS))
    return table


def load_store_config(store: str | None = None, update: str | None = None, gsp: str | None = None,
                      env: Mapping[str, str] | None = None, cwd: Path | None = None) -> StoreConfig:
    """The store configuration: command-line values over environment over configuration file."""
    env = os.environ if env is None else env
    explicit = env.get("LEGALGRAPH_CONFIG")
    path = Path(explicit) if explicit else (cwd or Path.cwd()) / CONFIG_FILE
    merged: dict[str, Any] = {}
    origin = "default"
    if explicit or path.exists():
        merged.update(_read_file(path))
        if "url" in merged:
            origin = str(path)
    for key, var in STORE_ENV.items():
        if env.get(var):
            merged[key] = env[var]
            if key == "url":
                origin = var
    for key, val in (("url", store), ("update", update), ("gsp", gsp)):
        if val:
            merged[key] = val
            if key == "url":
                origin = "--store"
    cfg = StoreConfig(origin=origin, user=env.get("LEGALGRAPH_STORE_USER"),
                      password=env.get("LEGALGRAPH_STORE_PASSWORD"))
    if env.get("LEGALGRAPH_HOME"):
        cfg.home = Path(env["LEGALGRAPH_HOME"])
    for key, val in merged.items():
        setattr(cfg, key, val)
    try:
        cfg.timeout = float(cfg.timeout)
    except (TypeError, ValueError):
        raise BadInput(f"store timeout {cfg.timeout!r} (from {origin}) is not a number of seconds") from None
    if cfg.union not in ("graphs", "server"):
        raise BadInput(f"store union {cfg.union!r} (from {origin}) must be 'graphs' or 'server'",
                       valid=["graphs", "server"])
    if cfg.auth not in ("basic", "digest"):
        raise BadInput(f"store auth {cfg.auth!r} (from {origin}) must be 'basic' or 'digest'",
                       valid=["basic", "digest"])
    return cfg


def _number(env: Mapping[str, str], name: str, default: float, kind: type = float) -> Any:
    raw = env.get(f"LEGALGRAPH_{name}")
    if raw is None or raw == "":
        return kind(default)
    try:
        value = kind(raw)
    except ValueError:
        raise BadInput(f"LEGALGRAPH_{name}={raw!r} is not a number") from None
    if value <= 0:
        raise BadInput(f"LEGALGRAPH_{name}={raw!r} must be above 0")
    return value


@dataclass
class Settings:
    """Bounds and switches for every caller of the store (CLI and web alike)."""

    store: StoreConfig = field(default_factory=StoreConfig)
    #: seconds a query may run (counted from the start of its execution) before its worker is killed
    query_timeout: float = 10.0
    #: rows (SELECT) or triples (CONSTRUCT/DESCRIBE) an answer may have
    max_rows: int = 10_000
    #: bytes a serialised answer may have
    max_answer_bytes: int = 32 * 2**20
    #: characters a SPARQL query text may have
    max_query_chars: int = 20_000
    #: bytes a request body may have (queries, entries)
    max_request_bytes: int = 2**20
    #: triples and subjects an entry sent over HTTP may have; seconds its validation may take
    max_entry_triples: int = 5_000
    max_entry_subjects: int = 500
    validation_timeout: float = 20.0
    #: seconds a graph drawing (Graphviz) may take before it is killed; bytes a graph export may have
    export_timeout: float = 10.0
    max_export_bytes: int = 8 * 2**20
    #: worker processes for queries and validation, jobs that may wait for one, and each worker's memory cap
    workers: int = 2
    queue: int = 32
    worker_memory_mb: int = 2048
    #: admin switch: allow SPARQL Update on /sparql (LOAD and SERVICE stay refused)
    allow_update: bool = False
    #: token that enables POST /entries; empty means writes are off
    write_token: str = ""

    @classmethod
    def load(cls, store: StoreConfig | None = None, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the environment (``LEGALGRAPH_*``), with ``overrides`` on top."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            "store": store or load_store_config(env=env),
            "query_timeout": _number(env, "QUERY_TIMEOUT", 10.0),
            "max_rows": _number(env, "MAX_ROWS", 10_000, int),
            "max_answer_bytes": _number(env, "MAX_ANSWER_BYTES", 32 * 2**20, int),
            "max_query_chars": _number(env, "MAX_QUERY_CHARS", 20_000, int),
            "max_request_bytes": _number(env, "MAX_REQUEST_BYTES", 2**20, int),
            "max_entry_triples": _number(env, "MAX_ENTRY_TRIPLES", 5_000, int),
            "max_entry_subjects": _number(env, "MAX_ENTRY_SUBJECTS", 500, int),
            "validation_timeout": _number(env, "VALIDATION_TIMEOUT", 20.0),
            "export_timeout": _number(env, "EXPORT_TIMEOUT", 10.0),
            "max_export_bytes": _number(env, "MAX_EXPORT_BYTES", 8 * 2**20, int),
            "workers": _number(env, "QUERY_WORKERS", 2, int),
            "queue": _number(env, "QUEUE", 32, int),
            "worker_memory_mb": _number(env, "WORKER_MEMORY_MB", 2048, int),
            "allow_update": env.get("LEGALGRAPH_ALLOW_UPDATE", "0") == "1",
            "write_token": env.get("LEGALGRAPH_WRITE_TOKEN", ""),
        }
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown settings {sorted(unknown)}")
        values.update(overrides)
        return cls(**values)
