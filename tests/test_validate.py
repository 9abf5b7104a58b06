"""Entry validation: the exact results of every example entry, exit codes, and parser errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from legalgraph.cli import main
from legalgraph.entries import EntryError, read_entry
from legalgraph.store import OxigraphStore
from legalgraph.validate import render, validate

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"


@pytest.fixture(scope="module")
def store(shipped_store) -> OxigraphStore:
    return shipped_store


def results(store, name):
    report = validate(store, read_entry(EXAMPLES / name))
    return report, sorted((r.severity, r.focus, r.path) for r in report.results)


@pytest.mark.parametrize("name", ["tj-draft-amendment-six-month-programmes.ttl",
                                  "tj-draft-amendment-six-month-programmes.jsonld"])
def test_draft_tajik_amendment_conforms_without_warnings(store, name):
    report, got = results(store, name)
    assert report.conforms and got == []


def test_law_without_jurisdiction_is_one_violation(store):
    report, got = results(store, "law-without-jurisdiction.trig")
    assert not report.conforms
    assert got == [("Violation", "act/kg-example-law-amending-law-63", "lg:jurisdiction")]
    assert report.results[0].message == "Give the act one jurisdiction: lg:jurisdiction <country/…>."


def test_reconciliation_clause_conforms_with_two_benchmark_warnings(store):
    report, got = results(store, "law-with-reconciliation-clause.nt")
    focus = "act/uz-example-draft-law-family-reconciliation"
    assert report.conforms
    assert got == [("Warning", focus, "lg:aimFramedAsFamilyPreservation"),
                   ("Warning", focus, "lg:providesMediation")]
    assert all("Not aligned with benchmark" in r.message and "illegal" not in r.message
               for r in report.results)


def test_four_sessions_in_a_month_misses_duration_and_sessions(store):
    report, got = results(store, "programme-four-sessions-one-month.ttl")
    focus = "programme/kg-example-tendesh-mandatory"
    assert report.conforms
    assert got == [("Warning", focus, "lg:duration"), ("Warning", focus, "lg:totalSessions")]
    by_path = {r.path: r.message for r in report.results}
    assert "lasts P1M, shorter than P6M" in by_path["lg:duration"]
    assert "4 sessions, fewer than the about 30" in by_path["lg:totalSessions"]


def test_misspelt_property_is_named(store):
    report, got = results(store, "programme-misspelt-property.jsonld")
    violations = [(r.focus, r.path, r.value) for r in report.violations]
    assert violations == [("programme/tj-example-misspelt", "lg:totalSesions", "30")]
    assert "check its spelling" in report.violations[0].message
    assert ("Warning", "programme/tj-example-misspelt", "lg:evaluationTool") in got
    assert sum(1 for s, _, _ in got if s == "Info") == 6


def test_unknown_provider_is_reported_as_missing(store):
    report, _ = results(store, "programme-unknown-provider.ttl")
    assert [(r.path, r.value) for r in report.violations] == [
        ("lg:provider", "org/tm-example-unknown-centre"), ("lg:provider", "org/tm-example-unknown-centre")]
    assert "is not defined in the graph" in report.violations[0].message


def test_reference_to_existing_agency_resolves(store):
    # The draft amendment points at Law No. 954 and the Levakant room, both in the shipped graph.
    report, _ = results(store, "tj-draft-amendment-six-month-programmes.ttl")
    assert not any("not defined" in r.message for r in report.results)


def test_broken_syntax_gives_line_and_column():
    with pytest.raises(EntryError) as exc:
        read_entry(EXAMPLES / "broken-syntax.ttl")
    assert (exc.value.line, exc.value.column) == (4, 1)
    assert "A dot is expected" in str(exc.value)
    assert str(exc.value).startswith(str(EXAMPLES / "broken-syntax.ttl") + ":4:1: Turtle syntax error")


def test_remote_jsonld_context_is_refused_not_fetched(tmp_path):
    f = tmp_path / "remote.jsonld"
    f.write_text('{"@context": "http://example.org/ctx.jsonld", "@id": "http://e/a", "http://e/p": "x"}')
    with pytest.raises(EntryError, match="remote @context, which is never fetched"):
        read_entry(f)


def test_unsupported_extension_lists_the_supported_ones(tmp_path):
    f = tmp_path / "entry.rdf"
    f.write_text("<rdf:RDF/>")
    with pytest.raises(EntryError, match=r"unsupported file type \.rdf") as exc:
        read_entry(f)
    assert ".ttl (Turtle)" in exc.value.hint


@pytest.mark.parametrize(("name", "code"), [
    ("tj-draft-amendment-six-month-programmes.ttl", 0),
    ("law-with-reconciliation-clause.nt", 0),
    ("law-without-jurisdiction.trig", 1),
    ("broken-syntax.ttl", 2),
])
def test_cli_exit_codes(tmp_path, name, code, capsys):
    assert main(["--data-dir", str(tmp_path / "db"), "validate", str(EXAMPLES / name)]) == code
    out = capsys.readouterr()
    if code == 2:
        assert "Traceback" not in out.err and ":4:1:" in out.err


def test_json_and_turtle_formats(store):
    import json

    from rdflib import Graph
    report = validate(store, read_entry(EXAMPLES / "law-without-jurisdiction.trig"))
    data = json.loads(render(report, "json"))
    assert data["conforms"] is False and data["results"][0]["path"] == "lg:jurisdiction"
    g = Graph().parse(data=render(report, "turtle"), format="turtle")
    assert len(list(g.subjects(predicate=None, object=None))) > 0
    human = render(report, "human")
    assert human.splitlines()[0].split() == ["severity", "entity", "property", "value", "message"]
    assert human.endswith("Does not conform: 1 violation(s), 0 warning(s) or note(s).")
