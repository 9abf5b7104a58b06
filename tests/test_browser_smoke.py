"""The vendored front-end libraries load and run in real headless Chromium, with nothing fetched off 127.0.0.1.

A tiny app of its own (not the legalgraph app): the package's static folder at /static, one page that draws a
two-node Cytoscape.js graph with the fcose layout and a YASGUI editor whose endpoint is a dummy on this server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

# The fixtures (browser_page, chromium_browser). Import its helpers inside functions, after pytest has loaded it
# as a plugin, so that it is not imported twice (pytest warns about that).
pytest_plugins = ["browser_support"]

STATIC = Path(__file__).resolve().parents[1] / "src" / "legalgraph" / "api" / "static"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>vendor smoke</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vendor/yasgui.min.css">
<script src="/static/vendor/cytoscape.min.js"></script>
<script src="/static/vendor/layout-base.js"></script>
<script src="/static/vendor/cose-base.js"></script>
<script src="/static/vendor/cytoscape-fcose.js"></script>
<script src="/static/vendor/yasgui.min.js"></script>
</head><body>
<div id="cy" style="width: 600px; height: 300px; border: 1px solid #999"></div>
<div id="yasgui"></div>
<script>
  cytoscape.use(cytoscapeFcose);
  window.cy = cytoscape({
    container: document.getElementById("cy"),
    elements: [
      {data: {id: "a", label: "Law"}}, {data: {id: "b", label: "Programme"}},
      {data: {id: "ab", source: "a", target: "b"}},
    ],
    style: [{selector: "node", style: {label: "data(label)"}}],
    layout: {name: "fcose", animate: false, randomize: true},
  });
  // Offline: no LOV term look-ups, no prefix.cc, no endpoint catalogue beyond this server.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  const endpoint = window.location.origin + "/sparql";
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: endpoint, method: "POST"},
    endpointCatalogueOptions: {getData: () => [{endpoint: endpoint}]},
    persistenceId: null,
  });
</script>
</body></html>
"""

ONE_ROW = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:x:1"}}]}}


def smoke_app() -> FastAPI:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return PAGE

    @app.api_route("/sparql", methods=["GET", "POST"])
    async def sparql(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse(ONE_ROW, media_type="application/sparql-results+json")

    return app


@pytest.fixture(scope="module")
def smoke_base():
    from browser_support import serve_app

    with serve_app(smoke_app()) as base:
        yield base


def test_vendored_libraries_run_offline(browser_page, smoke_base):
    from browser_support import watch

    page = browser_page
    seen = watch(page)
    page.goto(smoke_base + "/")

    assert page.evaluate("typeof window.cytoscape") == "function"
    assert page.evaluate("typeof window.Yasgui") == "function"
    assert page.evaluate("window.cy.nodes().length") == 2
    assert page.evaluate("window.cy.edges().length") == 1
    # fcose ran: the two nodes were placed apart inside the canvas.
    assert page.evaluate(
        "window.cy.nodes()[0].position('x') !== window.cy.nodes()[1].position('x')"
        " || window.cy.nodes()[0].position('y') !== window.cy.nodes()[1].position('y')"
    )
    page.locator("#cy canvas").first.wait_for()

    # YASGUI's editor is there and editable, and a query against the dummy endpoint shows its one row.
    page.locator("#yasgui .CodeMirror").first.wait_for()
    page.evaluate("window.yasgui.getTab().getYasqe().setValue('SELECT ?s WHERE { ?s ?p ?o }')")
    page.evaluate("window.yasgui.getTab().getYasqe().query()")
    page.locator("#yasgui .yasr").get_by_text("urn:x:1").first.wait_for()

    assert seen.outside_requests == [], f"requests left 127.0.0.1: {seen.outside_requests}"
    assert seen.problems() == {}, seen.problems()
