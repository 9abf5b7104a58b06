"""Living legislation (issue 15): official documents as sources, facts that start and stop, and the life of an
entry (duplicates, conflicts, amendments, listing, removal, history, marks on user-added facts)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from legalgraph.cli import main
from legalgraph.errors import Conflict, NotFound
from legalgraph.formats import comparable
from legalgraph.namespaces import GRAPH, ID
from legalgraph.services import benchmarks, brief, catalogue, compare, history
from legalgraph.services.entries import add, content_digest, parse_entry, read_entry
from legalgraph.services.validation import validate
from legalgraph.store.embedded import OxigraphStore

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
SCENARIO = EXAMPLES / "kz-2024-recriminalisation.ttl"
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
DOC_LABEL = "Law No. 72-VIII of 15 April 2024 (Adilet legal information system)"
HEADER = """@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def u(path: str) -> URIRef:
    return URIRef(f"{ID}{path}")


def ttl(text: str) -> Graph:
    return parse_entry((HEADER + text).encode(), "entry.ttl", "ttl")


@pytest.fixture
def store():
    s = OxigraphStore(None)
    s.load()
    return s


def kz(store, year: int) -> set[tuple]:
    rows = catalogue.run(store, catalogue.get("dv-law-and-criminalisation"),
                         {"asOf": str(year), "country": "kazakhstan"}).records()
    return {(r["criminalised"].toPython() if r["criminalised"] is not None else None,
             str(r["from"]) if r["from"] is not None else None,
             str(r["until"]) if r["until"] is not None else None, str(r["section"])) for r in rows}


COMMON = (None, None, None, "Common trends › Domestic violence is not criminalized throughout the region")
FRAMEWORK = "Kazakhstan › Legal and policy framework"
RECOMMENDATIONS = "Kazakhstan › Country-specific recommendations"


# ------------------------------------------------------------------ the scenario of the issue

def test_a_post_report_status_citing_an_official_document_supersedes_the_open_ended_one(store):
    assert kz(store, 2024) == {COMMON, (False, "2017", None, FRAMEWORK), (False, "2017", None, RECOMMENDATIONS)}
    result = add(store, read_entry(SCENARIO), [SCENARIO.name], user="drafter", now=WHEN)
    assert result.entry is not None, [r.message for r in result.report.violations]
    # the new status, shown with the document's label; the superseded 2017 status is gone from 2024 on
    assert kz(store, 2024) == {COMMON, (True, "2024", None, DOC_LABEL)}
    assert kz(store, 2030) == {COMMON, (True, "2024", None, DOC_LABEL)}
    # for earlier years the open-ended 2017 status still holds, and the 2024 one does not yet
    assert kz(store, 2023) == {COMMON, (False, "2017", None, FRAMEWORK), (False, "2017", None, RECOMMENDATIONS)}
    assert kz(store, 2016) == {COMMON, (True, None, "2017", FRAMEWORK)}
    # the superseded status's history says by what, when, from which entry and source
    [event] = history.history(store, u("criminalisation/kz-2017-decriminalised"))
    assert (event.kind, event.when, event.user, event.changes, event.sources) == (
        "superseded", "2026-12-01T09:30:00+00:00", "drafter",
        [("superseded by", "criminalisation/kz-2024-recriminalised")],
        [{"iri": f"{ID}source/kz-law-72-viii-2024-adilet", "label": DOC_LABEL}])


def test_every_query_showing_sources_keeps_a_fact_sourced_from_a_document(store):
    add(store, read_entry(SCENARIO), [SCENARIO.name], user="drafter", now=WHEN)
    timeline = catalogue.run(store, catalogue.get("criminalisation-timeline"), {"country": "kazakhstan"}).records()
    assert {(str(r["status"]), str(r["section"])) for r in timeline if r["from"] is not None
            and str(r["from"]) == "2024"} == {(str(u("criminalisation/kz-2024-recriminalised")), DOC_LABEL)}
    sources = catalogue.run(store, catalogue.get("entity-sources"),
                            {"entity": "criminalisation/kz-2024-recriminalised"}).records()
    assert {str(r["section"]) for r in sources} == {DOC_LABEL}


def test_a_source_must_be_a_section_or_a_described_document(store):
    report = validate(store, ttl("""
<criminalisation/kz-example> a lg:CriminalisationStatus ; rdfs:label "x"@en ;
    lg:country <country/kazakhstan> ; dcterms:source <source/not-described> .
"""))
    assert [r.message for r in report.violations] == [
        f"{ID}source/not-described is cited as a source but is neither a report section nor a source document: "
        "describe it in the entry as an lg:OfficialDocument (title, issuer, date, address, language) or cite "
        "a <section/…>."]


def test_an_official_document_needs_title_issuer_date_address_and_language(store):
    report = validate(store, ttl("""
<source/kz-example-gazette> a lg:OfficialDocument ; rdfs:label "Gazette"@en .
"""))
    assert sorted(r.path for r in report.violations) == [
        "dcterms:issued", "dcterms:language", "dcterms:publisher", "dcterms:title", "lg:availableAt"]


# ------------------------------------------------------------------ duplicates, conflicts, amendments

def test_an_exact_duplicate_is_a_no_op_that_says_so(store, tmp_path, capsys):
    first = add(store, read_entry(SCENARIO), [SCENARIO.name], user="drafter", now=WHEN)
    graphs = store.named_graphs()
    again = add(store, read_entry(SCENARIO), ["copy.ttl"], user="someone-else")
    assert (again.entry, again.duplicate_of) == (None, first.entry)
    assert store.named_graphs() == graphs
    # the same statements in another format and order are the same entry
    assert content_digest(read_entry(SCENARIO)) == content_digest(
        parse_entry(read_entry(SCENARIO).serialize(format="nt", encoding="utf-8"), "x.nt"))
    db = ["--store", str(tmp_path / "db")]
    assert main([*db, "add", str(SCENARIO)]) == 0
    capsys.readouterr()
    assert main([*db, "add", str(SCENARIO)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("Nothing was added: the entry states exactly what https://w3id.org/legalgraph/id/entry/")
    assert err.rstrip().endswith("already added.")


CONFLICT = """
<criminalisation/kz-2017-decriminalised> lg:criminalised true .
"""


def test_a_conflicting_single_valued_fact_is_refused_naming_entity_property_and_values(store, tmp_path, capsys):
    before = store.named_graphs()
    with pytest.raises(Conflict) as caught:
        add(store, ttl(CONFLICT), ["c.ttl"], user="u")
    assert caught.value.message == (
        "the entry contradicts single-valued facts of the graph: criminalisation/kz-2017-decriminalised "
        'lg:criminalised: the graph says "false", the entry says "true"')
    assert "lg:Amendment ; lg:amends <criminalisation/kz-2017-decriminalised>" in caught.value.hint
    assert store.named_graphs() == before
    path = tmp_path / "c.ttl"
    path.write_text(HEADER + CONFLICT)
    assert main(["--store", str(tmp_path / "db"), "add", str(path)]) == 2
    assert "contradicts single-valued facts" in capsys.readouterr().err


def test_a_declared_amendment_replaces_the_value_and_records_it_in_the_history(store):
    entry = ttl(CONFLICT + """
<source/kz-example-gazette> a lg:OfficialDocument ; rdfs:label "Example gazette"@en ;
    dcterms:title "Example"@en ; dcterms:publisher "Parliament"@en ; dcterms:issued "2024"^^xsd:gYear ;
    lg:availableAt "https://example.org/gazette"^^xsd:anyURI ; dcterms:language "ru" .
<amendment/kz-example> a lg:Amendment ; lg:amends <criminalisation/kz-2017-decriminalised> ;
    lg:validFrom "2024"^^xsd:gYear ; dcterms:source <source/kz-example-gazette> .
""")
    result = add(store, entry, ["amend.ttl"], user="drafter", now=WHEN)
    assert result.entry is not None, [r.message for r in result.report.violations]
    events = history.history(store, u("criminalisation/kz-2017-decriminalised"))
    assert [(e.kind, e.user, e.files, e.changes) for e in events] == [
        ("amended", "drafter", ["amend.ttl"], [("lg:criminalised", "true")])]
    assert events[0].sources == [{"iri": f"{ID}source/kz-example-gazette", "label": "Example gazette"}]


# ------------------------------------------------------------------ entries, remove, history

def digests(store) -> dict[str, str]:
    out = {}
    for name, q in sorted(catalogue.library().items()):
        given = {"entity": "criminalisation/kz-2017-decriminalised"} if name == "entity-sources" else {}
        for year in ([None, 2016, 2024] if any(p.name == "asOf" for p in q.params) else [None]):
            params = dict(given, **({"asOf": str(year)} if year else {}))
            rows = sorted(repr(r) for r in comparable(catalogue.run(store, q, params)).elements())
            out[f"{name}@{year}"] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    for year in (None, 2016, 2024):
        rows = benchmarks.assess(store, as_of=year)
        out[f"assess@{year}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    for year in (2016, 2024):
        answers = {"compare": compare.build(store, year),
                   "country-page": compare.country_as_of(store, "kazakhstan", year),
                   "brief": brief.brief(store, "kazakhstan", year).to_json()}
        for name, answer in answers.items():
            out[f"{name}@{year}"] = hashlib.sha256(json.dumps(answer, sort_keys=True).encode()).hexdigest()
    return out


def test_remove_returns_every_answer_to_what_it_was_and_the_history_keeps_it(store):
    before = digests(store)
    result = add(store, read_entry(SCENARIO), [SCENARIO.name], user="drafter", now=WHEN)
    assert result.entry is not None
    changed = digests(store)
    assert {k for k in before if before[k] != changed[k]} == {
        "dv-law-and-criminalisation@2024", "criminalisation-timeline@None", "timeline@2024", "fact-kinds@None",
        "assess@None", "assess@2024", "compare@2024", "country-page@2024", "brief@2024"}
    # the year before the entry's (2016 here) answers exactly as before
    assert {k for k in before if k.endswith("@2016") and before[k] != changed[k]} == set()
    [info] = history.list_entries(store)
    assert (info.user, info.when, info.files, info.sources, info.entities, info.triples) == (
        "drafter", "2026-12-01T09:30:00+00:00", [SCENARIO.name], [f"{ID}source/kz-law-72-viii-2024-adilet"],
        ["act/kz-law-72-viii-2024", "criminalisation/kz-2024-recriminalised", "source/kz-law-72-viii-2024-adilet"],
        30)
    history.remove(store, info.id, "reviewer", now=datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    assert digests(store) == before
    assert history.list_entries(store) == []
    assert URIRef(f"{GRAPH}retraction/{info.id}") in store.named_graphs()
    events = history.history(store, u("criminalisation/kz-2024-recriminalised"))
    assert [(e.kind, e.when, e.user) for e in events] == [
        ("added", "2026-12-01T09:30:00+00:00", "drafter"), ("retracted", "2026-12-02T08:00:00+00:00", "reviewer")]
    assert events[0].changes == []  # the entry's statements are gone with it
    with pytest.raises(NotFound):
        history.remove(store, info.id, "reviewer")


def test_removing_an_amendment_returns_every_answer_to_what_it_was(store):
    before = digests(store)
    path = EXAMPLES / "amendments-from-2024.ttl"
    result = add(store, read_entry(path), [path.name], user="drafter", now=WHEN)
    assert result.entry is not None
    changed = digests(store)
    assert {k for k in before if before[k] != changed[k]} == {
        "dv-law-and-criminalisation@2024", "criminalisation-timeline@None", "fact-kinds@None", "entity-sources@None",
        "programmes-vs-benchmark@None", "programmes-by-length@None", "assess@None", "assess@2024", "compare@2024",
        "country-page@2024", "brief@2024"}
    history.remove(store, result.entry, "reviewer", now=datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    assert digests(store) == before


def test_entries_and_remove_on_the_command_line(tmp_path, capsys):
    db = ["--store", str(tmp_path / "db")]
    assert main([*db, "entries"]) == 0
    assert capsys.readouterr().out == "No entries have been added.\n"
    assert main([*db, "add", str(SCENARIO), "--user", "drafter"]) == 0
    capsys.readouterr()
    assert main([*db, "entries", "--format", "json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["user"], listed["files"], listed["triples"]) == ("drafter", [SCENARIO.name], 30)
    assert main([*db, "remove", listed["id"], "--user", "reviewer"]) == 0
    assert capsys.readouterr().err.startswith(f"Removed entry {listed['id']} (30 triples from {SCENARIO.name})")
    assert main([*db, "remove", listed["id"]]) == 2
    assert f"no added entry '{listed['id']}'" in capsys.readouterr().err


def test_add_refuses_a_control_character_in_the_file_name_or_the_user(tmp_path, capsys):
    # a newline forged a line of `legalgraph entries`, an ESC coloured the terminal
    db = ["--store", str(tmp_path / "db")]
    evil = tmp_path / "evil\nname\x1b[31m.ttl"
    evil.write_bytes(SCENARIO.read_bytes())
    capsys.readouterr()
    assert main([*db, "add", str(evil)]) == 2
    err = capsys.readouterr().err
    assert "FILE: the file name" in err and "holds the control character \\n (U+000A)" in err
    assert "\x1b" not in err and err.count("\n") == 2  # the message and its hint, one line each
    assert main([*db, "add", str(SCENARIO), "--user", "bob\x07\nfake line"]) == 2
    assert capsys.readouterr().err == (
        'legalgraph: --user: the user name "bob\\x07\\nfake line" holds the control character \\x07 (U+0007) at position 4\n'
        "  hint: names may not hold control characters (C0, DEL or C1)\n")
    assert main([*db, "add", str(SCENARIO), "--user", "bob\x9b31m"]) == 2  # C1: the one-byte CSI
    assert "\\x9b (U+009B)" in capsys.readouterr().err
    assert main([*db, "remove", "x", "--user", "eve\x7f"]) == 2
    assert "\\x7f (U+007F)" in capsys.readouterr().err
    assert main([*db, "entries"]) == 0
    assert capsys.readouterr().out == "No entries have been added.\n"


def test_entries_escapes_control_characters_stored_before_names_were_checked(tmp_path, capsys):
    store = OxigraphStore(tmp_path / "db")
    store.load()
    add(store, read_entry(SCENARIO), ["evil\nname\x1b[31m.ttl"], user="bob\x07\nfake line")
    store.close()
    assert main(["--store", str(tmp_path / "db"), "entries"]) == 0
    out = capsys.readouterr().out
    assert [c for c in out if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f] == []
    lines = out.splitlines()
    assert len(lines) == 3
    assert "  bob\\x07\\nfake line  evil\\nname\\x1b[31m.ttl  (30 triples)" in lines[0]


def test_post_entries_refuses_a_control_character_in_the_user_header_or_the_file_name(tmp_path):
    from fastapi.testclient import TestClient

    from legalgraph.api import create_app
    from legalgraph.settings import Settings

    store = OxigraphStore(tmp_path / "db")
    store.load()
    app = create_app(Settings(write_token="s3cret", query_timeout=10), store)
    auth = {"authorization": "Bearer s3cret"}
    with TestClient(app) as c:
        r = c.post("/entries", content=SCENARIO.read_bytes(),
                   headers={**auth, "content-type": "text/turtle", "x-legalgraph-user": "bob\x1b[31m"})
        assert (r.status_code, r.json()["where"]) == (400, "x-legalgraph-user")
        assert r.json()["message"] == ('the user name "bob\\x1b[31m" holds the control character \\x1b (U+001B) '
                                       "at position 4")
        r = c.post("/entries", files={"file": ("evil\x1b[31m.ttl", SCENARIO.read_bytes(), "text/turtle")},
                   headers=auth)
        assert (r.status_code, r.json()["where"]) == (400, "file")
        assert r.json()["message"].startswith('the uploaded file name "evil\\x1b[31m.ttl" holds the control')
        assert history.list_entries(store) == []
        ok = c.post("/entries", files={"file": ("kz.ttl", SCENARIO.read_bytes(), "text/turtle")},
                    headers={**auth, "x-legalgraph-user": "drafter"})
        assert ok.status_code == 201, ok.text


def test_added_by_is_the_one_decision_whether_a_fact_comes_from_the_report(store):
    add(store, read_entry(SCENARIO), [SCENARIO.name], user="drafter", now=WHEN)
    marks = history.added_by(store, [u("criminalisation/kz-2024-recriminalised"),
                                     u("criminalisation/kz-2017-decriminalised")])
    assert list(marks) == [u("criminalisation/kz-2024-recriminalised")]
    assert marks[u("criminalisation/kz-2024-recriminalised")].note == (
        "added on 2026-12-01 by drafter from kz-2024-recriminalisation.ttl; not in the report")


def test_assess_as_of_leaves_out_acts_not_yet_adopted_and_report_only_leaves_out_entries(store):
    every = {a.entity for a in benchmarks.assess(store)}
    in_2010 = {a.entity for a in benchmarks.assess(store, as_of=2010)}
    assert str(u("act/kg-law-63-2017")) in every - in_2010
    assert in_2010 < every
    result = add(store, read_entry(EXAMPLES / "programme-four-sessions-one-month.ttl"), ["p.ttl"], user="u")
    assert result.entry is not None
    added = {a.entity for a in benchmarks.assess(store)} - every
    assert added and not added & {a.entity for a in benchmarks.assess(store, report_only=True)}


REMOVER = """
import sys
from pathlib import Path
from rdflib import Graph, Literal, URIRef
from legalgraph.store.embedded import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]))
record = Graph()
record.add((URIRef("urn:retraction"), URIRef("urn:p"), Literal("recorded")))
print("ready", flush=True)
store.replace_graphs([URIRef("urn:graph:big")], {URIRef("urn:graph:record"): record})
print("done", flush=True)
"""


def test_a_kill_during_remove_leaves_all_or_nothing(tmp_path):
    import shutil

    import pyoxigraph as ox

    template = tmp_path / "template"
    store = OxigraphStore(template)
    big = ox.NamedNode("urn:graph:big")
    store._store.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x:{i}"), ox.NamedNode("urn:p"), ox.NamedNode(f"urn:o:{i}"), big)
                             for i in range(60_000))
    store.close()
    del store
    outcomes = set()
    for delay in (0.0, 0.05, 0.2):
        db = tmp_path / f"db{delay}"
        shutil.copytree(template, db)
        proc = subprocess.Popen([sys.executable, "-c", REMOVER, str(db)], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")})
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        after = OxigraphStore(db)
        state = tuple(sum(1 for _ in after._store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                      for g in ("urn:graph:big", "urn:graph:record"))
        assert state in ((60_000, 0), (0, 1)), state
        outcomes.add(state)
        after.close()
    assert outcomes


# ------------------------------------------------------------------ pages

def test_pages_mark_user_added_facts_and_filter_them_out(tmp_path):
    from fastapi.testclient import TestClient

    from legalgraph.api import create_app
    from legalgraph.settings import Settings

    store = OxigraphStore(tmp_path / "db")
    store.load()
    app = create_app(Settings(write_token="s3cret", query_timeout=10), store)
    with TestClient(app) as c:
        headers = {"content-type": "text/turtle", "authorization": "Bearer s3cret", "x-legalgraph-user": "drafter"}
        r = c.post("/entries", content=SCENARIO.read_bytes(), headers=headers)
        assert r.status_code == 201, r.text
        again = c.post("/entries", content=SCENARIO.read_bytes(), headers=headers)
        assert (again.status_code, again.json()["added"], again.json()["duplicateOf"]) == (
            200, False, r.json()["entry"])
        conflict = c.post("/entries", content=(HEADER + CONFLICT).encode(), headers=headers)
        assert conflict.status_code == 409
        assert conflict.json()["message"].endswith('the graph says "false", the entry says "true"')
        # the entry is dated the day it was posted, and named after the upload ("entry" unless a name is given)
        [info] = history.list_entries(store)
        note = f"added on {info.when[:10]} by drafter from {info.files[0]}; not in the report"

        page = c.get("/id/criminalisation/kz-2024-recriminalised").text
        assert f"User-added: {note}." in page
        assert "<h2>History</h2>" in page and "<td>drafter from request body</td>" in page
        superseded = c.get("/id/criminalisation/kz-2017-decriminalised").text
        assert "superseded: superseded by criminalisation/kz-2024-recriminalised" in superseded
        assert 'href="/id/source/kz-law-72-viii-2024-adilet">' + DOC_LABEL in page
        assert "User-added" not in superseded

        country_2024 = c.get("/id/country/kazakhstan", params={"asOf": "2024"}).text
        assert "<h2>Law and criminalisation as of 2024</h2>" in country_2024
        assert f'<a href="/id/source/kz-law-72-viii-2024-adilet">{DOC_LABEL}</a><div class="added small">{note}</div>' \
            in country_2024
        assert FRAMEWORK not in country_2024.split("<h2>Law and criminalisation")[1].split("</table>")[0]
        country_2023 = c.get("/id/country/kazakhstan", params={"asOf": "2023"}).text.split("</table>")[0]
        assert FRAMEWORK in country_2023 and DOC_LABEL not in country_2023
        assert c.get("/id/country/kazakhstan", params={"asOf": "soon"}).status_code == 400

        params = {"asOf": "2024", "country": "kazakhstan"}
        page = c.get("/queries/dv-law-and-criminalisation", params=params).text
        assert page.count(note) == 1 and page.count('<span class="muted">report</span>') == 1
        # the report's facts only: answered as if no entry had been added, so the 2017 decriminalisation the
        # entry superseded is back, from both sections that state it (the filter ran after the superseding and
        # left only the common-trends row)
        page = c.get("/queries/dv-law-and-criminalisation", params={**params, "reportOnly": "1"}).text
        assert note not in page and page.count('<span class="muted">report</span>') == 3
        for yes in ("yes", "true", "on", "1"):  # the words /compare's bool takes, here too
            twin = c.get("/queries/dv-law-and-criminalisation.json", params={**params, "reportOnly": yes}).json()
            assert sorted((b["status"]["value"].rsplit("/", 1)[-1], b["source"]["value"].rsplit("/", 1)[-1])
                          for b in twin["results"]["bindings"]) == [
                ("kz-2017-decriminalised", "kazakhstan-legal-framework"),
                ("kz-2017-decriminalised", "kazakhstan-recommendations"),
                ("kz-common-trends-elements-only", "common-trends-not-criminalised")]
        assert c.get("/queries/dv-law-and-criminalisation.json",
                     params={**params, "reportOnly": "perhaps"}).json()["where"] == "reportOnly"
        report_2024 = c.get("/id/country/kazakhstan", params={"asOf": "2024", "reportOnly": "1"}).text
        assert note not in report_2024 and DOC_LABEL not in report_2024
        assert c.get("/id/criminalisation/kz-2024-recriminalised", params={"reportOnly": "1"}).status_code == 404

        data = c.get("/compare", params={"asOf": "2024", "format": "json"}).json()
        kz_cells = data["cells"][f"{ID}country/kazakhstan"]["criminalisation"]
        assert [(cell["text"], cell["added"]) for cell in kz_cells] == [
            ("no — Common trends › Domestic violence is not criminalized throughout the region", None),
            (f"no — {DOC_LABEL}", note)]
        assert kz_cells[1]["sources"] == [{"iri": f"{ID}source/kz-law-72-viii-2024-adilet", "label": DOC_LABEL}]
        only = c.get("/compare", params={"asOf": "2024", "reportOnly": "1", "format": "json"}).json()
        assert [cell["text"] for cell in only["cells"][f"{ID}country/kazakhstan"]["criminalisation"]] == [
            "no — Common trends › Domestic violence is not criminalized throughout the region",
            "no — Kazakhstan › Country-specific recommendations", "no — Kazakhstan › Legal and policy framework"]
        assert note in c.get("/compare", params={"asOf": "2024"}).text
    store.close()


def test_the_scenario_end_to_end_on_a_remote_store(fresh_oxigraph, capsys):
    from legalgraph.store.remote import Endpoints, RemoteStore

    def remote() -> RemoteStore:  # a new client each time: one lists the server's named graphs afresh
        return RemoteStore(Endpoints.from_url(fresh_oxigraph))

    with remote() as r:
        r.load()
        before = {y: kz(r, y) for y in (2016, 2023, 2024)}
    db = ["--store", fresh_oxigraph]
    yaml_entry = EXAMPLES / "kz-2024-recriminalisation.yaml"
    assert main([*db, "add", str(yaml_entry), "--user", "drafter"]) == 0
    with remote() as r:
        assert kz(r, 2024) == {COMMON, (True, "2024", None, DOC_LABEL)}
        assert kz(r, 2023) == before[2023]
    assert main([*db, "add", str(SCENARIO)]) == 0  # the Turtle twin: the same statements
    assert "Nothing was added" in capsys.readouterr().err
    assert main([*db, "entries", "--format", "json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["files"] == [yaml_entry.name]
    assert main([*db, "remove", listed["id"]]) == 0
    with remote() as r:
        assert {y: kz(r, y) for y in (2016, 2023, 2024)} == before
        assert [e.kind for e in history.history(r, u("criminalisation/kz-2024-recriminalised"))] == [
            "added", "retracted"]
