"""legalgraph query and sparql: listing, formats, readable tables, and errors that say what to fix."""

from __future__ import annotations

import csv
import io
import json

import pytest

from legalgraph.cli import main


@pytest.fixture
def db(tmp_path):
    return ["--data-dir", str(tmp_path / "store")]


def run(db, capsys, *args):
    code = main([*db, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_shows_names_titles_and_parameters(db, capsys):
    code, out, _ = run(db, capsys, "query", "--list")
    assert code == 0
    assert "protection-orders\n    Protection orders by country\n    parameters: country (country, optional)" in out
    assert "asOf (year, default 2023)" in out


def test_csv_and_json_formats(db, capsys):
    _, out, _ = run(db, capsys, "query", "completions", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["completions"], r["men"], r["women"]) for r in table] == [("206", "149", "57"), ("120", "", "")]
    _, out, _ = run(db, capsys, "query", "completions", "--format", "json", "--param", "country=tajikistan")
    data = json.loads(out)
    assert data["head"]["vars"][:3] == ["country", "programme", "completions"]
    assert data["results"]["bindings"][0]["completions"] == {
        "type": "literal", "value": "206", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_table_shows_labels_and_fits_80_columns(db, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run(db, capsys, "query", "completions", "--param", "country=tajikistan")
    assert "Tajikistan" in out and "https://" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    _, wide, _ = run(db, capsys, "query", "protection-orders")
    assert max(len(line) for line in wide.splitlines()) <= 80
    assert "Extension obliges a programme | yes" in wide  # too wide for a table: one block per row


def test_table_speaks_plainly_but_machine_formats_keep_typed_values(db, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    _, out, _ = run(db, capsys, "query", "protection-orders", "--param", "country=tajikistan")
    assert "Initial order lasts | 15 days" in out and "Extended order lasts | 30 days" in out
    assert "P15D" not in out and "initialObliges" not in out
    _, out, _ = run(db, capsys, "query", "protection-orders", "--param", "country=tajikistan", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert (row["initial"], row["extended"], row["initialObliges"]) == ("P15D", "P30D", "true")
    _, out, _ = run(db, capsys, "query", "protection-orders", "--param", "country=tajikistan", "--format", "json")
    assert json.loads(out)["results"]["bindings"][0]["initial"]["value"] == "P15D"
    _, out, _ = run(db, capsys, "query", "completions", "--param", "country=tajikistan")
    assert out.splitlines()[0].startswith("Country") and "Perpetrators" in out.splitlines()[0]


def test_tsv_uses_turtle_terms(db, capsys):
    _, out, _ = run(db, capsys, "query", "countries-without-programmes", "--format", "tsv")
    assert out == "?country\t?recorded\n<https://w3id.org/legalgraph/id/country/turkmenistan>\t0\n"


def test_errors_name_the_problem(db, capsys):
    code, _, err = run(db, capsys, "query", "protection-order")
    assert code == 2 and "no canned query named 'protection-order'; available:" in err
    code, _, err = run(db, capsys, "query", "dv-law-and-criminalisation", "--param", "asOf=soon")
    assert code == 2 and "parameter asOf must be a year" in err
    code, _, err = run(db, capsys, "query", "completions", "--param", "year=2020")
    assert code == 2 and "unknown parameter(s) year for query completions; valid parameters: country" in err
    code, _, err = run(db, capsys, "query", "completions", "--param", "country")
    assert code == 2 and "--param takes name=value" in err


def test_sparql_runs_own_query_with_as_of(db, capsys):
    q = ("SELECT ?s WHERE { ?s a lg:CriminalisationStatus ; lg:validFrom ?f "
         "FILTER(xsd:integer(SUBSTR(STR(?f), 1, 4)) <= ?asOf) } ORDER BY ?s")
    code, out, _ = run(db, capsys, "sparql", q, "--as-of", "2017", "--format", "csv")
    assert code == 0
    assert out.split() == ["s", "https://w3id.org/legalgraph/id/criminalisation/kz-2017-decriminalised"]


def test_sparql_malformed_query_gives_line_and_column(db, capsys):
    code, _, err = run(db, capsys, "sparql", "SELECT ?s WHERE {\n  ?s ?p \n}")
    assert code == 2
    assert "malformed SPARQL at line 2, column 3: Expected" in err


def test_sparql_as_of_needs_the_variable(db, capsys):
    code, _, err = run(db, capsys, "sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--as-of", "2020")
    assert code == 2 and "does not use" in err


def test_sparql_from_file(db, capsys, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?c a lg:Country }")
    assert run(db, capsys, "sparql", "-f", str(f))[1].strip() == "yes"


# ------------------------------------------------------------------- search

def test_search_kyrgyzstan_police(db, capsys):
    code, out, _ = run(db, capsys, "search", "Kyrgyzstan police")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "6 results for 'Kyrgyzstan police'"
    assert lines[2:5] == ["Organisation", "  Police of Kyrgyzstan  (org/kg-police; Kyrgyzstan)",
                          "      [Police] of [Kyrgyzstan]"]
    assert "By country: kyrgyzstan 6" in lines


def test_search_russian_and_json(db, capsys):
    code, out, _ = run(db, capsys, "search", "охранный ордер", "--type", "ProtectionOrderRegime", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["total"] == 3
    assert sorted(h["iri"].rsplit("/", 1)[-1] for h in data["hits"]) == ["kg-law-63", "tj-law-954", "uz-law-561"]
    code, out, _ = run(db, capsys, "search", "охранный ордер", "--country", "tajikistan")
    assert code == 0 and "protection-order/tj-law-954" in out and "uz-law-561" not in out


@pytest.mark.parametrize("limit", ["0", "-5", "1001"])
def test_search_limit_out_of_the_web_routes_bounds_is_refused(db, capsys, limit):
    # "--limit 0" and "--limit -5" were accepted ("the best 0 shown") where /search answers 400
    code, out, err = run(db, capsys, "search", "police", "--limit", limit)
    assert (code, out) == (2, "")
    assert err == f"legalgraph: --limit: limit {limit} is out of range: ask for 1 to 1000 results\n"


def test_search_limit_bounds_are_the_web_routes(tmp_path):
    from legalgraph.api import create_app
    from legalgraph.services import search
    from legalgraph.settings import Settings
    from legalgraph.store.memory import MemoryStore

    spec = create_app(Settings(), MemoryStore()).openapi()
    [limit] = [p for p in spec["paths"]["/search"]["get"]["parameters"] if p["name"] == "limit"]
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (search.MIN_LIMIT, search.MAX_LIMIT)


def test_search_json_has_the_web_twins_shape(tmp_path, capsys):
    # the CLI's JSON lacked the filters the web twin answers with (type, country, lang)
    from fastapi.testclient import TestClient

    from legalgraph.api import create_app
    from legalgraph.settings import Settings
    from legalgraph.store.embedded import OxigraphStore

    store = OxigraphStore(tmp_path / "store")
    store.load()
    with TestClient(create_app(Settings(), store)) as c:
        web = c.get("/search", params={"q": "охранный ордер", "type": "ProtectionOrderRegime", "country": "Tajikistan",
                                       "textLang": "ru", "limit": "2", "format": "json"}).json()
        plain = c.get("/search", params={"q": "police", "format": "json"}).json()
    store.close()
    db = ["--data-dir", str(tmp_path / "store")]
    code, out, _ = run(db, capsys, "search", "охранный ордер", "--type", "ProtectionOrderRegime", "--country",
                       "Tajikistan", "--lang", "ru", "--limit", "2", "--format", "json")
    assert code == 0 and json.loads(out) == web
    assert (web["type"], web["country"], web["lang"], web["total"]) == (["ProtectionOrderRegime"], "tajikistan", "ru", 1)
    code, out, _ = run(db, capsys, "search", "police", "--format", "json")
    assert code == 0 and json.loads(out) == plain
    assert (plain["type"], plain["country"], plain["lang"]) == ([], None, None)


def test_search_suggests_and_rejects_unknown_filters(db, capsys):
    code, out, _ = run(db, capsys, "search", "protectoin")
    assert code == 0 and out.splitlines()[:2] == ["0 results for 'protectoin'", "Did you mean: protection, protecting, prosecuting?"]
    code, _, err = run(db, capsys, "search", "police", "--country", "mars")
    assert code == 2 and "kyrgyzstan" in err
    code, _, err = run(db, capsys, "search", "police", "--type", "Nope")
    assert code == 2 and "Organisation" in err
