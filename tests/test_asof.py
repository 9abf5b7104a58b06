"""As of a year (issue 15): an amendment switches a value at its lg:validFrom in every answer that is asked "as
of" a year (canned queries, /compare, assess, the country page, the brief), the entity's history says from when,
and removing the entry restores every answer exactly. The entries are the examples of data/examples, which are
illustrations, not facts of the report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef

from legalgraph.api import create_app
from legalgraph.namespaces import ID
from legalgraph.services import asof, benchmarks, brief, catalogue, compare, history
from legalgraph.services.entries import add, parse_entry, read_entry
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
AMENDMENTS = EXAMPLES / "amendments-from-2024.ttl"
SCENARIO_YAML = EXAMPLES / "kz-2024-recriminalisation.yaml"
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
KZ, KG = f"{ID}country/kazakhstan", f"{ID}country/kyrgyzstan"
STATUS = f"{ID}criminalisation/kz-2017-decriminalised"
CHANCE = f"{ID}programme/kg-chance-mandatory"
NEW_ACT = f"{ID}act/kz-law-72-viii-2024"
FRAMEWORK = "Kazakhstan › Legal and policy framework"
RECOMMENDATIONS = "Kazakhstan › Country-specific recommendations"
COMMON = "Common trends › Domestic violence is not criminalized throughout the region"
DOC_LABEL = "Law No. 72-VIII of 15 April 2024 (Adilet legal information system)"


@pytest.fixture
def store():
    s = OxigraphStore(None)
    s.load()
    return s


def _kz_statuses(store, year: int | None) -> set[tuple]:
    given = {"country": "kazakhstan", **({"asOf": str(year)} if year else {})}
    rows = catalogue.run(store, catalogue.get("dv-law-and-criminalisation"), given).records()
    return {(str(r["status"]).rsplit("/", 1)[-1], None if r["criminalised"] is None else r["criminalised"].toPython(),
             str(r["section"])) for r in rows}


def _chance(store, year: int | None) -> tuple:
    """The Chance mandatory programme as the library's programme queries (no asOf: as of now) see it."""
    store = asof.view(store, year)
    [row] = [r for r in catalogue.run(store, catalogue.get("programmes-vs-benchmark"), {"country": "kyrgyzstan"})
             .records() if str(r["programme"]) == CHANCE]
    return int(row["total"]), str(row["duration"])


def _verdicts(store, year: int | None, entity: str) -> dict[str, str]:
    return {a.criterion: a.status for a in benchmarks.assess(store, "kyrgyzstan", as_of=year) if a.entity == entity}


def surfaces(store, year: int) -> dict:
    """Every answer "as of" ``year``: the canned queries with asOf, /compare's cells, assess, the country pages'
    rows and the briefs of the two countries the examples touch."""
    out: dict = {}
    for name, q in sorted(catalogue.library().items()):
        if any(p.name == "asOf" for p in q.params):
            out[name] = sorted(repr(r) for r in catalogue.run(store, q, {"asOf": str(year)}).rows)
    out["compare"] = compare.build(store, year)
    out["assess"] = benchmarks.assess(store, as_of=year)
    for country in ("kazakhstan", "kyrgyzstan"):
        out[f"country-page/{country}"] = compare.country_as_of(store, country, year)
        out[f"brief/{country}"] = brief.brief(store, country, year).to_json()
    return out


def changed(a: dict, b: dict) -> set[str]:
    return {k for k in a if a[k] != b[k]}


# ------------------------------------------------------------------ an amendment from 2024

def test_an_amendment_switches_the_value_at_its_date_in_every_as_of_answer(store):
    before = {y: surfaces(store, y) for y in (2023, 2024)}
    result = add(store, read_entry(AMENDMENTS), [AMENDMENTS.name], user="drafter", now=WHEN)
    assert result.entry is not None, [r.message for r in result.report.violations]
    after = {y: surfaces(store, y) for y in (2023, 2024)}

    # the year before the amendments: every answer exactly as before
    assert after[2023] == before[2023]
    # their year: the amended values, in every place that shows them
    assert changed(before[2024], after[2024]) == {
        "dv-law-and-criminalisation", "compare", "assess", "country-page/kazakhstan", "brief/kazakhstan",
        "brief/kyrgyzstan"}

    # the canned query with asOf
    old = {("kz-common-trends-elements-only", None, COMMON), ("kz-2017-decriminalised", False, FRAMEWORK),
           ("kz-2017-decriminalised", False, RECOMMENDATIONS)}
    new = {("kz-common-trends-elements-only", None, COMMON), ("kz-2017-decriminalised", True, FRAMEWORK),
           ("kz-2017-decriminalised", True, RECOMMENDATIONS)}
    assert (_kz_statuses(store, 2023), _kz_statuses(store, 2024), _kz_statuses(store, 2030)) == (old, new, new)
    # without asOf (the default year, 2023) the query answers for 2023; queries without a year: the current law
    assert _kz_statuses(store, None) == old
    assert (_chance(store, 2023), _chance(store, 2024), _chance(store, None)) == ((4, "P1M"), (30, "P6M"), (30, "P6M"))

    # /compare
    def mandatory(year: int) -> list[str]:
        return [c["text"] for c in compare.build(store, year)["cells"][KG]["mandatory"] if c["entity"] == CHANCE]
    assert (mandatory(2023), mandatory(2024)) == (["4 sessions, 1 month: misses"], ["30 sessions, 6 months: meets"])

    # assess as of the year, and as of now
    both = ("Programme has about 30 sessions", "Programme lasts about six months")
    assert [_verdicts(store, 2023, CHANCE)[c] for c in both] == ["misses", "misses"]
    assert [_verdicts(store, 2024, CHANCE)[c] for c in both] == ["meets", "meets"]
    assert [_verdicts(store, None, CHANCE)[c] for c in both] == ["meets", "meets"]

    # the country page's rows and the brief
    def criminalised(year: int) -> set:
        return {(r["criminalised"], r["section"]) for r in compare.country_as_of(store, "kazakhstan", year)}
    assert criminalised(2023) == {(None, COMMON), (False, FRAMEWORK), (False, RECOMMENDATIONS)}
    assert criminalised(2024) == {(None, COMMON), (True, FRAMEWORK), (True, RECOMMENDATIONS)}
    assert [s.text for s in brief.brief(store, "kazakhstan", 2024).criminalisation] == [
        "As of 2024, domestic violence is not a stand-alone criminal offence.",
        "As of 2024, domestic violence is criminalised; it is not a stand-alone criminal offence (since 2017)."]
    assert "domestic violence is not criminalised" in brief.brief(store, "kazakhstan", 2023).criminalisation[1].text
    [programme] = [p for p in brief.brief(store, "kyrgyzstan", 2024).programmes if p.entity == CHANCE]
    assert "lasts 6 months; 30 sessions (individual: 6 sessions, group: 24 sessions)" in programme.text
    [programme] = [p for p in brief.brief(store, "kyrgyzstan", 2023).programmes if p.entity == CHANCE]
    assert "lasts 1 month; 4 sessions (individual: 2 sessions, group: 2 sessions)" in programme.text

    # the entity's history says what changed, from when, by which entry and from which source
    [event] = history.history(store, URIRef(STATUS))
    assert (event.kind, event.valid_from, event.user, event.changes, event.sources) == (
        "amended", "2024", "drafter", [("lg:criminalised", "true")],
        [{"iri": f"{ID}source/example-gazette-2024", "label": "Example gazette (hypothetical, for the as-of tests)"}])

    # removing the entry restores every answer exactly
    history.remove(store, result.entry.rsplit("/", 1)[-1], "reviewer", now=WHEN)
    assert {y: surfaces(store, y) for y in (2023, 2024)} == before


def test_the_pages_show_the_value_of_the_year_and_the_history_says_from_when(tmp_path):
    store = OxigraphStore(tmp_path / "db")
    store.load()
    add(store, read_entry(AMENDMENTS), [AMENDMENTS.name], user="drafter", now=WHEN)
    with TestClient(create_app(Settings(query_timeout=10), store)) as c:
        def country(year: int) -> str:
            page = c.get("/id/country/kazakhstan", params={"asOf": str(year)}).text
            return page.split("<h2>Law and criminalisation as of")[1].split("</table>")[0]
        # criminalised, stand-alone: (no, no) twice and (—, no) as of 2023; (yes, no) twice from 2024
        assert (country(2023).count("<td>yes</td>"), country(2023).count("<td>no</td>")) == (0, 5)
        assert (country(2024).count("<td>yes</td>"), country(2024).count("<td>no</td>")) == (2, 3)
        page = c.get("/id/criminalisation/kz-2017-decriminalised").text
        assert "amended (holds from 2024): lg:criminalised true" in page
        cells = {y: c.get("/compare", params={"asOf": str(y), "format": "json"}).json()["cells"][KG]["mandatory"]
                 for y in (2023, 2024)}
        assert {y: [x["text"] for x in v if x["entity"] == CHANCE] for y, v in cells.items()} == {
            2023: ["4 sessions, 1 month: misses"], 2024: ["30 sessions, 6 months: meets"]}
        twin = c.get("/queries/dv-law-and-criminalisation.json", params={"asOf": "2024", "country": "kazakhstan"})
        values = {b["criminalised"]["value"] for b in twin.json()["results"]["bindings"] if "criminalised" in b}
        assert values == {"true"}
    store.close()


OPEN = b"""@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<source/example-gazette-undated> a lg:OfficialDocument ; rdfs:label "Undated example gazette"@en ;
    dcterms:title "Example"@en ; dcterms:publisher "Example publisher"@en ; dcterms:issued "2024"^^xsd:gYear ;
    lg:availableAt "https://example.org/undated"^^xsd:anyURI ; dcterms:language "en" .
<amendment/kz-undated-example> a lg:Amendment ; lg:amends <criminalisation/kz-2017-decriminalised> ;
    lg:notStated lg:validFrom ; dcterms:source <source/example-gazette-undated> .
<criminalisation/kz-2017-decriminalised> lg:criminalised true .
"""


def test_an_amendment_whose_source_leaves_the_date_open_is_shown_beside_the_old_value_every_year(store):
    result = add(store, parse_entry(OPEN, "undated.ttl", "ttl"), ["undated.ttl"], user="drafter", now=WHEN)
    assert result.entry is not None, [r.message for r in result.report.violations]
    both = {("kz-common-trends-elements-only", None, COMMON)} | {
        ("kz-2017-decriminalised", value, section) for value in (False, True) for section in (FRAMEWORK, RECOMMENDATIONS)}
    assert _kz_statuses(store, 2018) == _kz_statuses(store, 2030) == both
    assert asof.hidden(store, 2018) == asof.hidden(store, None) == set()
    [event] = history.history(store, URIRef(STATUS))
    assert (event.kind, event.valid_from) == ("amended", "")


def test_an_amendment_says_from_when_or_that_its_source_does_not_say(store):
    from legalgraph.services.validation import validate

    report = validate(store, parse_entry(OPEN.replace(b"lg:notStated lg:validFrom ;", b""), "x.ttl", "ttl"))
    assert [r.message for r in report.violations] == [
        'Say from when the amendment holds: lg:validFrom "2024"^^xsd:gYear ; if its source gives no date, write '
        "lg:notStated lg:validFrom ."]


def test_a_later_amendment_replaces_an_earlier_one_from_its_date(store):
    later = OPEN.replace(b"lg:notStated lg:validFrom", b'lg:validFrom "2027"^^xsd:gYear').replace(
        b"lg:criminalised true", b"lg:criminalised false").replace(b"kz-undated-example", b"kz-2027-example")
    add(store, read_entry(AMENDMENTS), [AMENDMENTS.name], user="drafter", now=WHEN)
    assert add(store, parse_entry(later, "later.ttl", "ttl"), ["later.ttl"], user="drafter").entry is not None
    values = {y: {v for s, v, _ in _kz_statuses(store, y) if s == "kz-2017-decriminalised"}
              for y in (2016, 2023, 2024, 2026, 2027)}
    assert values == {2016: set(), 2023: {False}, 2024: {True}, 2026: {True}, 2027: {False}}


# ------------------------------------------------------------------ "Done when": a post-report law as YAML

def test_a_post_report_law_and_status_entered_as_yaml_change_the_answers_of_their_year_only(store):
    years = (2023, 2024)
    before = {y: surfaces(store, y) for y in years}
    result = add(store, read_entry(SCENARIO_YAML), [SCENARIO_YAML.name], user="drafter", now=WHEN)
    assert result.entry is not None, [r.message for r in result.report.violations]
    after = {y: surfaces(store, y) for y in years}

    assert after[2023] == before[2023]
    assert changed(before[2024], after[2024]) == {
        "dv-law-and-criminalisation", "timeline", "compare", "assess", "country-page/kazakhstan", "brief/kazakhstan"}
    # queries: the new status, cited from the document, in place of the superseded one
    assert _kz_statuses(store, 2024) == {("kz-common-trends-elements-only", None, COMMON),
                                         ("kz-2024-recriminalised", True, DOC_LABEL)}
    # the timeline gains the law's adoption
    assert [r for r in after[2024]["timeline"] if NEW_ACT in r] and not [
        r for r in before[2024]["timeline"] if NEW_ACT in r]
    # /compare: the criminalisation cell cites the document
    assert [c["text"] for c in after[2024]["compare"]["cells"][KZ]["criminalisation"]] == [
        f"no — {COMMON}", f"no — {DOC_LABEL}"]
    # assess: the new act is assessed from 2024 on, and the country's verdict no longer cites the ended status
    assessed = {a.entity for a in after[2024]["assess"]}
    assert NEW_ACT in assessed and NEW_ACT not in {a.entity for a in after[2023]["assess"]}
    [country] = [a for a in after[2024]["assess"] if a.entity == KZ and a.criterion.endswith("stand-alone crime")]
    assert "Kazakhstan: domestic violence decriminalised (from 2017)" not in country.message
    assert "Example: Kazakhstan, elements of domestic violence criminalised again (from 2024)" in country.message
    # the country page and the brief
    assert [(r["criminalised"], r["section"]) for r in after[2024]["country-page/kazakhstan"]] == [
        (None, COMMON), (True, DOC_LABEL)]
    assert "As of 2024, domestic violence is criminalised; it is not a stand-alone criminal offence (since 2024)." in [
        s["text"] for s in after[2024]["brief/kazakhstan"]["criminalisation"]]

    history.remove(store, result.entry.rsplit("/", 1)[-1], "reviewer", now=WHEN)
    assert {y: surfaces(store, y) for y in years} == before


def test_years_between_two_amendment_dates_share_one_copy_of_the_store(store):
    """Regression: a copy per year asked (1900 to 2100) let requests, not the data, decide how many whole
    copies of the store the service held. The amendments hold from 2024: one copy before, one from then."""
    add(store, read_entry(AMENDMENTS), [AMENDMENTS.name], user="drafter", now=WHEN)
    asof._views.clear()
    before = {asof.view(store, year) for year in range(1990, 2024)}
    since = {asof.view(store, year) for year in range(2024, 2101)} | {asof.view(store, None)}
    assert len(before) == 1 and len(since) == 1 and before != since
    assert len(asof._views) == 2
