"""One answer everywhere: the same question asked on every surface gets the same answer (issue 12).

For each country: the verdict per benchmark and entity on the country page, on /compare, in
`assess --format json` and in the standards graph view (CLI export and /graph/data.json); and the entity counts
per country in /browse, `stats` and `graph stats`.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from legalgraph.api import create_app
from legalgraph.cli import main
from legalgraph.services import benchmarks
from legalgraph.services.compare import _verdict
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

COUNTRIES = ["kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"]
ID = "https://w3id.org/legalgraph/id/"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("consistency") / "db"
    with OxigraphStore(path) as s:
        s.load()
    return path


@pytest.fixture(scope="module")
def client(db):
    """The web service holds the store for writing, as `serve` does; the CLI then reads it read-only."""
    store = OxigraphStore(db)
    with TestClient(create_app(Settings(workers=1, max_rows=50_000), store)) as c:
        yield c
    store.close()


def cli_json(capsys, *args) -> object:
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def assessed(db, client):
    from legalgraph.settings import StoreConfig
    from legalgraph.store import open_store

    with open_store(Settings(store=StoreConfig(url=str(db))), writer=False) as store:
        return benchmarks.assess(store)


@pytest.mark.parametrize("country", COUNTRIES)
def test_verdicts_agree_on_the_country_page_assess_compare_and_the_graph(country, db, client, capsys, assessed,
                                                                          tmp_path):
    cli = cli_json(capsys, "--store", str(db), "assess", "--country", country, "--format", "json")
    verdicts = {(r["entity"], r["criterion"]): r["status"] for r in cli}
    assert verdicts, country
    label = next(r["country"] for r in cli)
    assert {(a.entity, a.criterion): a.status for a in assessed if a.country == label} == verdicts

    page = client.get(f"/id/country/{country}", headers={"accept": "text/html"}).text
    shown = {(html.unescape(e), html.unescape(c)): html.unescape(s) for e, c, s in re.findall(
        r'data-entity="([^"]*)" data-criterion="([^"]*)" data-status="([^"]*)"', page)}
    assert shown == verdicts

    cells = client.get("/compare", params={"format": "json"}).json()["cells"][f"{ID}country/{country}"]
    for cell in cells.get("mandatory", []):
        statuses = {c: s for (e, c), s in verdicts.items() if e == cell["entity"]}
        assert cell["text"].endswith(": " + _verdict(statuses)), (cell, statuses)

    standards = {(e, s) for (e, _), s in verdicts.items() if s != "no data"}
    out = tmp_path / f"{country}.cyjs"
    assert main(["--store", str(db), "graph", "export", "--view", "standards", "--country", country,
                 "--format", "cyjs", "-o", str(out)]) == 0
    cy = json.loads(out.read_text())
    cli_edges = {(ID + e["data"]["source"], e["data"]["predicate"]) for e in cy["elements"]["edges"]
                 if e["data"]["predicate"] in ("meets", "misses", benchmarks.CLOSE)}
    web = client.get("/graph/data.json", params={"view": "standards", "country": country, "limit": 5000}).json()
    web_edges = {(ID + e["data"]["source"], e["data"]["label"]) for e in web["edges"]
                 if e["data"]["label"] in ("meets", "misses", benchmarks.CLOSE)}
    assert cli_edges == web_edges == standards


@pytest.mark.parametrize("country", COUNTRIES)
def test_entity_counts_agree_in_browse_stats_and_graph_stats(country, db, client, capsys):
    browse = client.get("/browse", params={"country": country, "format": "json"}).json()["facets"]
    browse = {k.removeprefix("lg:"): v for k, v in browse.items()}
    stats = cli_json(capsys, "--store", str(db), "stats", "--format", "json")["countries"][country.capitalize()]
    assert browse == stats
    capsys.readouterr()
    assert main(["--store", str(db), "graph", "stats"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith(country))
    graph = Counter({k: int(v) for k, v in re.findall(r"([A-Za-z]+) (\d+)(?:,|$)", line.split("density")[1])})
    hidden = {"Section", "SourceDocument", "Statement", "Discrepancy", "Entry"}
    assert graph == Counter({k: v for k, v in browse.items() if k not in hidden})
    assert graph["Recommendation"] > 0  # regression: the graph gave every recommendation no country
