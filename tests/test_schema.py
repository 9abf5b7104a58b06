"""The OpenAPI schema is true: schemathesis, driven through hypothesis against /openapi.json, finds no server
error and no response the schema does not describe (status code, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from legalgraph.api import create_app
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: drawing an image with Graphviz takes ~1 s a case; the other operations take milliseconds
EXAMPLES = {"GET /graph/export.{fmt}": 5}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("schema") / "db")
    store.load()
    app = create_app(Settings(query_timeout=5, workers=1, write_token="token-for-schema-tests"), store)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.close()


def operations() -> list[str]:
    from legalgraph.store.memory import MemoryStore

    app = create_app(Settings(workers=1), MemoryStore([]))
    paths = app.openapi()["paths"]
    return sorted(f"{method.upper()} {path}" for path, ops in paths.items() for method in ops)


@pytest.mark.parametrize("label", operations())
def test_no_server_error_and_every_response_is_documented(schema, label):
    method, path = label.split(" ", 1)
    operation = schema[path][method].ok() if hasattr(schema[path][method], "ok") else schema[path][method]

    @settings(max_examples=EXAMPLES.get(label, 30), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
