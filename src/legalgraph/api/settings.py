"""Service settings, from the environment (LEGALGRAPH_*), with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"LEGALGRAPH_{name}", default)


@dataclass
class Settings:
    data_dir: Path | None = None
    #: seconds a SPARQL query may run before its worker is killed
    query_timeout: float = field(default_factory=lambda: float(_env("QUERY_TIMEOUT", "10")))
    #: rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return
    max_rows: int = field(default_factory=lambda: int(_env("MAX_ROWS", "10000")))
    #: bytes a request body may have (queries, entries)
    max_request_bytes: int = field(default_factory=lambda: int(_env("MAX_REQUEST_BYTES", str(1024 * 1024))))
    #: admin switch: allow SPARQL Update on /sparql
    allow_update: bool = field(default_factory=lambda: _env("ALLOW_UPDATE", "0") == "1")
    #: token that enables POST /entries; empty means writes are off
    write_token: str = field(default_factory=lambda: _env("WRITE_TOKEN", ""))
    workers: int = field(default_factory=lambda: int(_env("QUERY_WORKERS", "2")))
