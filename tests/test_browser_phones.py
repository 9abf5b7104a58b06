"""Phones and accessibility (issue 16), in headless Debian Chromium.

- A crawl of the site's links from / at a 390 x 844 viewport: no page is wider than the screen
  (``document.documentElement.scrollWidth <= 390``); wide tables scroll inside their own box.
- axe-core (vendored from npm for the tests only: tests/vendor/axe.min.js, never served) on each page type:
  no serious or critical violation.
- Both in English and in Russian (a browser whose Accept-Language is Russian: Russian words are longer), and
  the language switch in the header: a click turns the page and the next one Russian.
"""

from __future__ import annotations

import json
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from browser_support import serious_axe_violations, serve_shipped, watch

PHONE = {"width": 390, "height": 844}
MAX_PAGES = 100
#: The Russian crawl: the page types and the pages their links reach first (the templates are the same)
MAX_PAGES_RU = 70
#: The browser's language: Chromium sends it as Accept-Language
LOCALES = {"en": "en-GB", "ru": "ru-RU"}
SKIP_SUFFIXES = (".ttl", ".nt", ".rdf", ".jsonld", ".json", ".csv", ".tsv", ".pdf", ".svg", ".png", ".txt")
SKIP_PREFIXES = ("/docs", "/static/", "/openapi", "/graph/data", "/graph/export", "/queries/")

PAGE_TYPES = {
    "home": "/",
    "compare": "/compare",
    "browse": "/browse",
    "search": "/search?q=police",
    "queries": "/queries",
    "a query": "/queries/protection-orders",
    "sparql": "/sparql",
    "validate": "/validate",
    "the entry editor": "/entries/new?kind=ProtectionOrderRegime",
    "graph": "/graph",
    "an entity": "/id/programme/tj-consultation-rooms-mandatory",
    "a country brief": "/brief/tajikistan",
    "side by side": "/brief?countries=kazakhstan&countries=tajikistan",
}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with serve_shipped(tmp_path_factory.mktemp("phones") / "db") as url:
        yield url


@pytest.fixture(params=["en"])
def phone(chromium_browser, request):
    context = chromium_browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                           locale=LOCALES[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen = watch(page)
    yield page
    context.close()
    assert seen.outside_requests == [], f"requests left the machine: {seen.outside_requests}"


def _crawlable(base: str, url: str) -> str | None:
    url, _ = urldefrag(url)
    parsed = urlparse(url)
    if f"{parsed.scheme}://{parsed.netloc}" != base:
        return None
    if parsed.path.endswith(SKIP_SUFFIXES) or parsed.path.startswith(SKIP_PREFIXES):
        return None
    if "format=" in parsed.query or "lang=" in parsed.query:  # twins; the language switch (one crawl per language)
        return None
    return url


@pytest.mark.parametrize("phone", ["en", "ru"], indirect=True)
def test_no_page_is_wider_than_a_phone(phone, base, request):
    """Crawl same-origin links from / (breadth first, bounded), and measure each page at 390 px, in English and
    in Russian."""
    lang = request.node.callspec.params["phone"]
    limit = MAX_PAGES if lang == "en" else MAX_PAGES_RU
    queue, seen, too_wide = deque([base + "/"]), {base + "/"}, {}
    # the page types a crawl may not reach by links alone
    for path in PAGE_TYPES.values():
        url = base + path
        if url not in seen:
            seen.add(url)
            queue.append(url)
    visited = 0
    while queue and visited < limit:
        url = queue.popleft()
        response = phone.goto(url, wait_until="load")
        visited += 1
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert phone.evaluate("document.documentElement.lang") == lang, url
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url[len(base):]] = width
        for href in phone.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = _crawlable(base, urljoin(url, href))
            if link and link not in seen:
                seen.add(link)
                queue.append(link)
    assert visited >= min(50, limit), f"the crawl reached only {visited} pages"
    assert too_wide == {}, f"{len(too_wide)} of {visited} pages are wider than 390 px: {too_wide}"


def test_wide_tables_scroll_in_their_own_box(phone, base):
    phone.goto(base + "/compare")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = phone.evaluate("""() => { const t = document.querySelector('table.compare');
        const box = t.closest('.scroll') || t; return [box.scrollWidth, box.clientWidth,
        getComputedStyle(box).overflowX]; }""")
    assert box[0] > box[1] and box[2] == "auto", box


def test_header_folds_on_a_phone(phone, base):
    phone.goto(base + "/")
    header = phone.evaluate("""() => { const h = document.querySelector('header'); const r = h.getBoundingClientRect();
        return [r.width, h.scrollWidth, r.height]; }""")
    assert header[1] <= PHONE["width"] and header[2] > 40, header


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_finds_no_serious_violation(browser_page, base, name, lang):
    page = browser_page
    path = PAGE_TYPES[name]
    page.goto(base + path + ("&" if "?" in path else "?") + f"lang={lang}", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == lang
    if name == "sparql":
        page.wait_for_selector("#yasgui[data-ready=true]")  # the editor and its tabs are drawn after load
    if name == "graph":
        page.wait_for_timeout(800)  # the network view draws after load
    if name == "the entry editor":
        page.wait_for_selector("#b1 .field")  # the form is drawn from its description after load
    result = serious_axe_violations(page)
    assert result == [], json.dumps(result, indent=1, ensure_ascii=False)


def test_brief_page_on_a_phone(phone, base):
    """The Tajik brief in the browser: the protection order in words, the mandatory programme's verdict with
    its reason, both readings of a discrepancy, the recommendations, the picture and the PDF link."""
    from playwright.sync_api import expect

    phone.goto(base + "/brief/tajikistan")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(phone.locator("#protection")).to_contain_text("15 days")
    expect(phone.locator("#protection")).to_contain_text("up to 30 days")
    programme = phone.locator('.programme[data-entity$="/programme/tj-consultation-rooms-mandatory"]')
    row = programme.locator("tr.misses", has_text="Programme lasts about six months")
    expect(row).to_contain_text("at most 30 days, shorter than 6 months")
    readings = phone.locator('.discrepancy[data-entity$="/discrepancy/tj-protection-order-duration"] .reading')
    expect(readings.filter(has_text="Tajikistan › Legal and policy framework")).to_have_count(1)
    expect(readings.filter(has_text="Tajikistan › Perpetrator programmes")).to_have_count(1)
    expect(phone.locator("ol.recommendations > li")).to_have_count(5)
    picture = phone.locator("figure.network img")
    expect(picture).to_be_visible()
    assert phone.evaluate("document.querySelector('figure.network img').naturalWidth") > 0
    pdf = phone.request.get(base + phone.locator("main a", has_text="PDF").first.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    phone.locator("#protection a").first.click()
    expect(phone).to_have_url(re.compile(r"/id/protection-order/tj-law-954$"))


def test_the_switch_turns_the_page_and_the_next_one_russian(browser_page, base):
    """An English reader clicks «Русский» in the header of the Tajik brief: the same brief comes back in Russian
    (durations in Russian words, the note that facts stay in English), and so does the next page they open."""
    from playwright.sync_api import expect

    page = browser_page
    page.goto(base + "/brief/tajikistan?asOf=2023")
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("#protection")).to_contain_text("15 days")
    page.locator("header a.lang-switch", has_text="Русский").click()
    expect(page).to_have_url(re.compile(r"/brief/tajikistan\?asOf=2023&lang=ru$"))
    assert page.evaluate("document.documentElement.lang") == "ru"
    expect(page.locator("h1")).to_have_text("Таджикистан: справка по стране")
    expect(page.locator("#protection")).to_contain_text("15 дней")
    expect(page.locator("#protection")).to_contain_text("до 30 дней")
    expect(page.locator("#facts-note")).to_have_text("Сведения из доклада приводятся на английском языке, как в докладе.")
    page.locator("header a", has_text="Сравнение").click()  # a plain link: the cookie carries the choice
    expect(page).to_have_url(re.compile(r"/compare$"))
    assert page.evaluate("document.documentElement.lang") == "ru"
    expect(page.locator("h1")).to_have_text("Пять стран в сравнении")
    expect(page.locator('td[data-country="Таджикистан"][data-dimension="protection"]')).to_contain_text(
        "15 дней → 30 дней")
    page.locator("header a.lang-switch", has_text="English").click()
    expect(page.locator("h1")).to_have_text("The five countries side by side")
