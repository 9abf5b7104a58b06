"""The pages in real headless Chromium (Debian's chromium, driven by Playwright): content, not only status.

Fixtures (Debian's chromium, a page per test, screenshots) come from browser_support.

Screenshots are kept in test-artifacts/. No request may leave 127.0.0.1.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_support import serve_app, watch
from legalgraph.api import create_app
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("browser") / "db")
    store.load()
    with serve_app(create_app(Settings(query_timeout=10), store)) as url:
        yield url
    store.close()


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
    expect(page.locator("main ul").first.locator("li")).to_have_count(5)
    expect(page.locator("footer")).to_contain_text("data version")


def test_compare_page(page, base):
    page.goto(base + "/compare?asOf=2016")
    cell = page.locator('td[data-country="Kazakhstan"][data-dimension="law"]')
    expect(cell).to_contain_text("No. 214-IV (2009)")
    expect(page.locator('td[data-country="Tajikistan"][data-dimension="protection"]')).to_contain_text("P15D → P30D")
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
    page.wait_for_function("window.legalgraphYasgui !== undefined")
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


def test_graph_view_filters_and_opens_an_entity(page, base):
    page.goto(base + "/graph?view=institutional&country=tajikistan")
    page.wait_for_function("window.legalgraphCy && window.legalgraphCy.nodes().length > 0")
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
    page.wait_for_function("window.legalgraphCy && window.legalgraphCy.nodes().length > 0")
    svg = page.evaluate("async () => await (await fetch('/graph/export.svg?view=legal&country=kyrgyzstan')).text()")
    assert svg.lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE")) and "Legend" in svg and "Obligation" in svg


def test_api_docs_load_without_a_cdn(page, base):
    page.goto(base + "/docs")
    expect(page.locator(".swagger-ui")).to_contain_text("/sparql", timeout=15_000)
