"""Docs that cannot rot: every command and every route is documented, and the architecture names every module."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from legalgraph.api import create_app
from legalgraph.cli import build_parser
from legalgraph.settings import Settings, StoreConfig
from legalgraph.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def commands(parser: argparse.ArgumentParser, prefix: str = "legalgraph") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix} {name}")
                found += commands(sub, f"{prefix} {name}")
    return found


@pytest.mark.parametrize("command", commands(build_parser()))
def test_every_command_is_in_the_readme(command):
    assert command in README, f"README.md does not document `{command}`"


def routes() -> list[str]:
    """Every route the application serves: those in its OpenAPI schema (included routers' routes too, which
    ``app.routes`` may nest out of sight) and the top-level ones left out of the schema (/docs)."""
    app = create_app(Settings(store=StoreConfig(), workers=1), MemoryStore([]))
    found = set(app.openapi()["paths"]) | {getattr(r, "path", "") for r in app.routes}
    paths = set()
    for path in found:
        if not path or path.startswith("/static") or path in ("/openapi.json",):
            continue
        paths.add(re.sub(r"\{[^}]+\}.*$", "", path).rstrip("/") or "/")
    return sorted(paths)


def test_the_route_list_sees_every_router():
    """Regression: with included routers nested, the list held only / and /docs, so the test below checked
    nothing."""
    listed = routes()
    for path in ("/sparql", "/compare", "/brief", "/entries/new", "/graph/export.", "/id", "/search", "/validate"):
        assert path in listed, (path, listed)


@pytest.mark.parametrize("path", routes())
def test_every_route_is_in_the_readme(path):
    assert f"`{path}" in README or f"<{path}" in README, f"README.md does not document the route {path}"


def test_the_architecture_names_every_module():
    modules = sorted(p.relative_to(ROOT / "src" / "legalgraph").as_posix()
                     for p in (ROOT / "src" / "legalgraph").rglob("*.py") if p.name != "__init__.py")
    missing = [m for m in modules if Path(m).stem not in ARCHITECTURE and m.split("/")[0] + "/" not in ARCHITECTURE]
    assert not missing, f"docs/ARCHITECTURE.md does not mention {missing}"


def test_every_internal_query_is_used_by_a_service():
    used = "\n".join(p.read_text() for p in (ROOT / "src" / "legalgraph" / "services").glob("*.py"))
    for rq in sorted((ROOT / "queries" / "internal").glob("*.rq")):
        assert f'"{rq.stem}"' in used or rq.stem in used, f"{rq.name} is used by no service"
