"""The pages in real headless Chromium (Debian's chromium, driven by Playwright): content, not only status.

Fixtures (Debian's chromium, a page per test, screenshots) come from browser_support.

Screenshots are kept in test-artifacts/. No request may leave 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from browser_support import serve_shipped, watch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with serve_shipped(tmp_path_factory.mktemp("browser") / "db") as url:
        yield url


@pytest.fixture
def page(browser_page):
    """A page whose requests must all stay on 127.0.0.1 and which must raise no script error."""
    seen = watch(browser_page)
    yield browser_page
    assert seen.outside_requests == [], f"requests left the machine: {seen.outside_requests}"
    assert seen.page_errors == [], f"page errors: {seen.page_errors}"


def test_home_page(page, base):
    page.goto(base + "/")
    expect(page.locator("h1")).to_contain_text("Perpetrator programmes")
    expect(page.locator("#countries li")).to_have_count(5)
    questions = page.locator("#questions li a")
    expect(questions.first).to_have_text("How long do protection orders last?")
    questions.nth(2).click()
    expect(page).to_have_url(re.compile(r"/queries/programme-obligations\?country=kyrgyzstan$"))
    expect(page.locator("table.results tr")).not_to_have_count(1)
    expect(page.locator("footer")).to_contain_text("data version")


def test_compare_page(page, base):
    page.goto(base + "/compare?asOf=2016")
    cell = page.locator('td[data-country="Kazakhstan"][data-dimension="law"]')
    expect(cell).to_contain_text("No. 214-IV (2009)")
    expect(page.locator('td[data-country="Tajikistan"][data-dimension="protection"]')).to_contain_text("15 days → 30 days")
    cell.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/id/act/kz-law-214-iv-2009$"))


def test_entity_page(page, base):
    page.goto(base + "/id/programme/tj-consultation-rooms")
    expect(page.locator("h1")).to_contain_text("onsultation")
    expect(page.locator("table.props")).to_contain_text("30")
    expect(page.locator(".source", has_text="Tajikistan › Perpetrator programmes")).to_have_count(1)


def test_canned_query_with_parameter(page, base):
    page.goto(base + "/queries/completions")
    page.fill('input[name="country"]', "tajikistan")
    page.click("form.params button")
    expect(page).to_have_url(re.compile(r"country=tajikistan"))
    table = page.locator("table.results")
    expect(table).to_contain_text("206")
    expect(table).to_contain_text("149")
    expect(table.locator("tr")).to_have_count(2)


def test_sparql_editor_runs_a_query(page, base):
    page.goto(base + "/sparql")
    page.wait_for_function("() => window.legalgraphYasgui !== undefined")
    page.evaluate("""() => { const tab = window.legalgraphYasgui.getTab();
        tab.setQuery('PREFIX lg: <https://w3id.org/legalgraph/ontology#> SELECT ?c WHERE { ?c a lg:Country }');
        tab.query(); }""")
    expect(page.locator(".yasr")).to_contain_text("uzbekistan", timeout=15_000)


def test_validation_form_valid_and_invalid(page, base):
    page.goto(base + "/validate")
    page.fill("textarea[name=entry]", (ROOT / "data/examples/tj-draft-amendment-six-month-programmes.ttl").read_text())
    page.click("#validate-form button[type=submit]")
    expect(page.locator("#verdict")).to_contain_text("Conforms: 0 violation(s)")
    page.goto(base + "/validate")
    page.fill("textarea[name=entry]", (ROOT / "data/examples/programme-unknown-provider.ttl").read_text())
    page.click("#validate-form button[type=submit]")
    expect(page.locator("#verdict")).to_contain_text("Does not conform: 2 violation(s)")
    expect(page.locator("table.report")).to_contain_text("is not defined in the graph")


def test_validate_keeps_the_entry_and_format_and_shows_each_message_once(page, base):
    page.goto(base + "/validate")
    broken = '{"@id": "programme/x", "http://www.w3.org/2000/01/rdf-schema#label": oops }'
    page.fill("textarea[name=entry]", broken)
    page.select_option("select[name=format]", "jsonld")
    page.click("#validate-form button[type=submit]")
    expect(page.locator("#parse-error")).to_contain_text("JSON-LD syntax error")
    expect(page.locator("textarea[name=entry]")).to_have_value(broken)
    expect(page.locator("select[name=format]")).to_have_value("jsonld")
    expect(page.locator("#parse-error .error-hint")).to_have_count(1)
    assert page.locator("#parse-error").inner_text().count("syntax near that position") == 1
    # a valid entry with warnings: the text stays, entities are named by label, durations in words
    entry = (ROOT / "data/examples/programme-four-sessions-one-month.ttl").read_text()
    page.fill("textarea[name=entry]", entry)
    page.select_option("select[name=format]", "ttl")
    page.click("#validate-form button[type=submit]")
    expect(page.locator("#verdict")).to_contain_text("Conforms: 0 violation(s), 2 warning(s)")
    expect(page.locator("textarea[name=entry]")).to_have_value(entry)
    expect(page.locator("select[name=format]")).to_have_value("ttl")
    expect(page.locator("table.report tr.Warning")).to_have_count(2)
    expect(page.locator("table.report")).to_contain_text("Example: Tendesh mandatory programme")
    expect(page.locator("table.report")).to_contain_text("the programme lasts 1 month, shorter than 6 months")


def test_search_page_groups_marks_and_filters(page, base):
    page.goto(base + "/search?q=" + quote("Kyrgyzstan police"))
    first = page.locator("section.search-group").first
    expect(first.locator("h2")).to_have_text("Organisation")
    expect(first.locator("ul.results li a").first).to_have_text("Police of Kyrgyzstan")
    expect(first.locator("mark")).to_have_text(["Police", "Kyrgyzstan"])
    page.click('a[data-facet="type"][data-value="ProtectionOrderRegime"]')
    expect(page).to_have_url(re.compile(r"type=ProtectionOrderRegime"))
    expect(page.locator("ul.results li")).to_have_count(1)
    page.goto(base + "/search?q=" + quote("охранный ордер") + "&type=ProtectionOrderRegime")
    expect(page.locator("ul.results li")).to_have_count(3)
    page.goto(base + "/search?q=protectoin")
    page.click("#suggestions a >> nth=0")
    expect(page).to_have_url(re.compile(r"q=protection$"))
    expect(page.locator("#search-summary")).not_to_contain_text("0 results")


def test_graph_view_filters_and_opens_an_entity(page, base):
    page.goto(base + "/graph?view=institutional&country=tajikistan")
    page.wait_for_function("() => window.legalgraphCy && window.legalgraphCy.nodes().length > 0")
    expected = page.evaluate("""async () => (await (await fetch(
        '/graph/data.json?view=institutional&country=tajikistan')).json()).nodes.length""")
    assert page.evaluate("window.legalgraphCy.nodes().length") == expected
    page.evaluate("""() => { const n = window.legalgraphCy.getElementById('programme/tj-consultation-rooms');
        n.emit('tap'); }""")
    expect(page.locator("#panel h2")).to_contain_text("onsultation")
    page.click("#open-entity")
    expect(page).to_have_url(re.compile(r"/id/programme/tj-consultation-rooms$"))


def test_graph_export_svg_of_the_current_filter(page, base):
    page.goto(base + "/graph?view=legal&country=kyrgyzstan")
    page.wait_for_function("() => window.legalgraphCy && window.legalgraphCy.nodes().length > 0")
    svg = page.evaluate("async () => await (await fetch('/graph/export.svg?view=legal&country=kyrgyzstan')).text()")
    assert svg.lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE")) and "Legend" in svg and "Obligation" in svg


def test_api_docs_load_without_a_cdn(page, base):
    page.goto(base + "/docs")
    expect(page.locator(".swagger-ui")).to_contain_text("/sparql", timeout=15_000)


# ------------------------------------------------ CSP, and the SPARQL editor taking nothing from the URL

class _Recorder:
    """A tiny SPARQL-looking server on a loopback port of its own: records every request it gets and answers
    with a result whose xml:lang would run script if written into the page unescaped (as YASR does)."""

    ANSWER = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {
        "type": "literal", "value": "x", "xml:lang": 'en"><img src=x onerror="alert(document.domain)">'}}]}})

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        seen = self.requests = []
        answer = self.ANSWER.encode()

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                seen.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "*")
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_OPTIONS = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _csp_listener(page):
    """Record CSP violations as the page sees them (Playwright's init scripts are not subject to the CSP)."""
    page.add_init_script("""window.__csp = []; document.addEventListener('securitypolicyviolation',
        (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));""")


@pytest.mark.parametrize("fragment", [
    "#query={q}&endpoint={endpoint}",
    "#query={q}&endpoint={endpoint}&requestMethod=GET&tabTitle=x&outputFormat=table",
    "#endpoint={endpoint}&query={q}&contentTypeSelect=application%2Fsparql-results%2Bjson",
])
def test_sparql_editor_takes_neither_query_nor_endpoint_from_the_url(browser_page, base, fragment):
    page = browser_page
    seen = watch(page)
    _csp_listener(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    q = quote("SELECT ?x WHERE { ?x ?y ?z } LIMIT 1")
    with _Recorder() as evil:
        endpoint = quote(f"http://127.0.0.1:{evil.port}/sparql", safe="")
        page.goto(base + "/sparql" + fragment.format(q=q, endpoint=endpoint))
        page.wait_for_function("() => window.legalgraphYasgui !== undefined")
        page.wait_for_timeout(1500)  # time for a query on load, had the editor started one
        assert evil.requests == []
        endpoints = page.evaluate("() => Object.values(window.legalgraphYasgui._tabs).map((t) => t.getEndpoint())")
        assert endpoints and set(endpoints) == {base + "/sparql"}
        assert "LIMIT 1" not in page.evaluate("() => window.legalgraphYasgui.getTab().getQuery()")
        # Whatever is set as the tab's endpoint, the query goes to this server.
        page.evaluate(f"""() => {{ const tab = window.legalgraphYasgui.getTab();
            tab.setEndpoint('http://127.0.0.1:{evil.port}/sparql');
            tab.setQuery('SELECT ?x WHERE {{ ?x a <https://w3id.org/legalgraph/ontology#Country> }}');
            tab.query(); }}""")
        expect(page.locator(".yasr")).to_contain_text("uzbekistan", timeout=15_000)
        assert page.locator("#yasgui .autocompleteWrapper").first.is_hidden()
        assert evil.requests == []
    assert dialogs == []
    assert seen.outside_requests == [] and seen.page_errors == []


CSP_PAGES = ["/", "/compare", "/browse?cls=LegalAct", "/search?q=law", "/queries",
             "/queries/completions?country=tajikistan", "/sparql", "/validate", "/graph?view=legal&country=kyrgyzstan",
             "/docs", "/id/programme/tj-consultation-rooms", "/id/act/kg-law-63-2017", "/ontology/LegalAct"]


@pytest.mark.parametrize("path", CSP_PAGES)
def test_no_page_breaks_the_content_security_policy(browser_page, base, path):
    page = browser_page
    seen = watch(page)
    _csp_listener(page)
    response = page.goto(base + path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if path == "/sparql":  # the editor runs a query and YASR draws language-tagged literals
        page.wait_for_function("() => window.legalgraphYasgui !== undefined")
        page.evaluate("""() => { const tab = window.legalgraphYasgui.getTab();
            tab.setQuery('SELECT ?c ?l WHERE { ?c a <https://w3id.org/legalgraph/ontology#Country> ; ' +
                         '<http://www.w3.org/2000/01/rdf-schema#label> ?l }');
            tab.query(); }""")
        expect(page.locator(".yasr")).to_contain_text("Узбекистан", timeout=15_000)
    elif path.startswith("/graph"):
        page.wait_for_function("() => window.legalgraphCy && window.legalgraphCy.nodes().length > 0")
        assert page.evaluate("getComputedStyle(document.querySelector('.legend i')).backgroundColor") not in (
            "rgba(0, 0, 0, 0)", "")
    elif path == "/docs":
        expect(page.locator(".swagger-ui")).to_contain_text("/sparql", timeout=15_000)
        page.locator(".opblock-summary", has_text="/compare").first.click()  # opens: draws more of the UI
        expect(page.locator(".opblock-body").first).to_be_visible()
    else:
        page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") == []
    assert seen.console_errors == [] and seen.page_errors == [] and seen.outside_requests == []


def test_markup_that_slips_into_a_page_cannot_run_script(browser_page, base):
    # Defence in depth for what escaping misses (YASR writes xml:lang into HTML unescaped): an inline
    # handler or script that reaches the DOM is refused by the CSP and reported as a violation.
    page = browser_page
    _csp_listener(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/sparql")
    page.wait_for_function("() => window.legalgraphYasgui !== undefined")
    page.evaluate("""() => {
        document.querySelector('.yasr').insertAdjacentHTML('beforeend',
            '<span lang="en"><img src="data:," onerror="window.__ran = 1; alert(1)"></span>');
        const s = document.createElement('script'); s.textContent = 'window.__ran = 2'; document.body.appendChild(s);
    }""")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__ran") is None
    assert dialogs == []
    assert any(v.startswith("script-src") for v in page.evaluate("() => window.__csp"))
