"""Country briefs (issue 16): the service, the page and its JSON twin, the PDF, side by side, the command line.

The brief must say what the other services say: its verdicts are those of ``assess``, its readings those of
the discrepancies query, its recommendations all of the country's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient

from conftest import u
from legalgraph.api import create_app, printing
from legalgraph.cli import main
from legalgraph.services import benchmarks, catalogue
from legalgraph.services import brief as service
from legalgraph.settings import Settings
from legalgraph.store.embedded import OxigraphStore

MANDATORY = str(u("programme/tj-consultation-rooms-mandatory"))
REGIME = str(u("protection-order/tj-law-954"))
TJ_DISCREPANCY = str(u("discrepancy/tj-protection-order-duration"))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = OxigraphStore(tmp_path_factory.mktemp("brief") / "db")
    s.load()
    yield s
    s.close()


@pytest.fixture(scope="module")
def tj(store):
    return service.brief(store, "tajikistan", 2023)


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(Settings(query_timeout=10), store)) as c:
        yield c


@pytest.fixture(scope="module")
def tj_pdf(client):
    r = client.get("/brief/tajikistan.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    return r.content


def pdf_text(data: bytes, tmp_path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    text = subprocess.run([exe, "-raw", str(path), "-"], capture_output=True, check=True, timeout=60).stdout.decode()
    return " ".join(text.split())


# ------------------------------------------------------------------ the service

def test_protection_order_in_words(tj):
    texts = [s.text for s in tj.protection if s.entity == REGIME]
    lengths = next(t for t in texts if "15 days" in t)
    assert "up to 30 days" in lengths and "P15D" not in lengths and "P30D" not in lengths
    assert any("oblige the perpetrator to attend a programme" in t for t in texts)
    assert all(s.sources for s in tj.protection)


def test_mandatory_programme_verdict_is_assess_verdict(store, tj):
    programme = next(p for p in tj.programmes if p.entity == MANDATORY)
    assert programme.length == "up to 30 days"
    expected = {a.criterion: a.status for a in benchmarks.assess(store, "tajikistan") if a.entity == MANDATORY}
    assert {v.criterion: v.status for v in programme.verdicts} == expected
    duration = next(v for v in programme.verdicts if v.criterion == "Programme lasts about six months")
    assert duration.status == "misses"
    assert "at most 30 days, shorter than 6 months" in duration.reason
    assert programme.providers and programme.sources


def test_every_programme_of_the_country(store, tj):
    rows = catalogue.run(store, catalogue.get("programmes-by-length"), {"country": "tajikistan"}).records()
    assert {p.entity for p in tj.programmes} == {str(r["programme"]) for r in rows}
    khujand = next(p for p in tj.programmes if p.entity.endswith("tj-consultation-room-khujand"))
    assert [x.label for x in khujand.places] == ["Khujand"]
    assert khujand.length == "6 months" and khujand.sessions.startswith("30 sessions")


def test_discrepancy_has_both_readings_with_sections(tj):
    d = next(d for d in tj.discrepancies if d.entity == TJ_DISCREPANCY)
    sections = {s for r in d.readings for s in r.sections}
    assert {"Tajikistan › Legal and policy framework", "Tajikistan › Perpetrator programmes"} <= sections
    values = {r.value for r in d.readings}
    assert {"15 days", "30 days"} <= values
    assert all(r.text for r in d.readings)
    # only this country's discrepancies
    assert all("/discrepancy/tj-" in d.entity for d in tj.discrepancies)


def test_every_reading_of_each_discrepancy(store):
    rows = catalogue.run(store, catalogue.get("discrepancies"), {}).records()
    for country in ("kyrgyzstan", "uzbekistan"):
        for d in service.brief(store, country).discrepancies:
            statements = {str(r["statement"]) for r in rows if str(r["discrepancy"]) == d.entity}
            assert {r.entity for r in d.readings} == statements, d.entity


def test_all_recommendations_in_full(store, tj):
    recs = store.query("PREFIX lg: <https://w3id.org/legalgraph/ontology#> SELECT ?r ?text WHERE { "
                       "?r a lg:Recommendation ; lg:addressee <https://w3id.org/legalgraph/id/country/tajikistan> ; "
                       "lg:text ?text }").rows
    assert len(recs) >= 5
    assert {(r.entity, r.text) for r in tj.recommendations} == {(str(a), str(b)) for a, b in recs}
    assert [r.ordinal for r in tj.recommendations] == sorted(r.ordinal for r in tj.recommendations)


def test_every_sentence_has_entity_and_source(tj):
    for s in [*tj.protection, *tj.agencies, *tj.law, *tj.criminalisation]:
        assert s.entity and s.sources, s
    for p in tj.programmes:
        assert p.entity and p.sources
    for r in tj.recommendations:
        assert r.sources and r.sources[0].iri.startswith("https://w3id.org/legalgraph/id/section/")


@pytest.mark.parametrize("country", ["kazakhstan", "tajikistan", "turkmenistan"])
def test_every_source_of_the_criminalisation_sentence_is_linked_as_compare_links_it(store, country):
    """The brief cited "Common trends › Domestic violence is not criminalized …" without its IRI (so the page
    showed plain text) where /compare links /id/section/common-trends-not-criminalised."""
    from legalgraph.services import brief

    b = brief.brief(store, country, 2016)
    cited = [src for s in b.criminalisation for src in s.sources]
    assert cited and all(src.iri.startswith("https://w3id.org/legalgraph/id/") for src in cited), cited
    assert "https://w3id.org/legalgraph/id/section/common-trends-not-criminalised" in {src.iri for src in cited}


def test_law_as_of_a_year(store):
    kg = service.brief(store, "kyrgyzstan", 2016)
    assert not any("stand-alone criminal offence (since 2021)" in s.text for s in kg.criminalisation)
    kg = service.brief(store, "kyrgyzstan", 2023)
    assert any("is a stand-alone criminal offence" in s.text for s in kg.criminalisation)
    assert any("Since 2021" in s.text for s in kg.timeline)


def test_agency_picture_is_svg(tj):
    assert tj.agencies and all(s.sources for s in tj.agencies)
    if shutil.which("dot"):
        assert tj.network_svg and tj.network_svg.startswith("data:image/svg+xml;base64,")


def test_unknown_country_lists_the_valid(store):
    from legalgraph.errors import BadInput

    with pytest.raises(BadInput) as e:
        service.brief(store, "narnia")
    assert "tajikistan" in e.value.valid


def test_side_by_side_from_compare(store):
    data = service.briefs(store, ["kazakhstan", "tajikistan"], 2023)
    assert [c["slug"] for c in data["countries"]] == ["kazakhstan", "tajikistan"]
    tj = data["cells"][str(u("country/tajikistan"))]
    assert tj["protection"][0]["entity"] == REGIME
    json.dumps(data)


# ------------------------------------------------------------------ web

def test_page_and_json_twin(client, tj):
    page = client.get("/brief/tajikistan", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "15 days" in page.text and "up to 30 days" in page.text
    assert 'href="/id/programme/tj-consultation-rooms-mandatory"' in page.text
    assert "at most 30 days, shorter than 6 months" in page.text
    assert "/id/section/tajikistan-perpetrator-programmes" in page.text
    assert "<script" not in page.text and " style=" not in page.text  # the CSP allows neither
    twin = client.get("/brief/tajikistan.json").json()
    assert twin["country"] == "tajikistan" and twin["asOf"] == 2023 and twin["dataVersion"]
    assert len(twin["recommendations"]) == len(tj.recommendations)
    assert client.get("/brief/tajikistan", headers={"accept": "application/json"}).json()["label"] == "Tajikistan"


def test_unknown_country_is_400_with_valid_list(client):
    r = client.get("/brief/narnia.json")
    assert r.status_code == 400 and "tajikistan" in r.json()["valid"]
    r = client.get("/brief/narnia", headers={"accept": "text/html"})
    assert r.status_code == 400 and "tajikistan" in r.text
    r = client.get("/brief", params={"countries": ["tajikistan", "narnia"], "format": "json"})
    assert r.status_code == 400 and "kazakhstan" in r.json()["valid"]


def test_side_by_side_page_and_twin(client):
    r = client.get("/brief", params={"countries": ["kazakhstan", "tajikistan"]}, headers={"accept": "text/html"})
    assert r.status_code == 200 and 'data-country="Tajikistan"' in r.text and 'data-country="Kyrgyzstan"' not in r.text
    j = client.get("/brief", params={"countries": "kazakhstan,tajikistan", "format": "json"}).json()
    assert [c["slug"] for c in j["countries"]] == ["kazakhstan", "tajikistan"]


def test_country_page_links_its_brief(client):
    r = client.get("/id/country/tajikistan", headers={"accept": "text/html"})
    assert 'href="/brief/tajikistan"' in r.text


def test_pdf_holds_the_page_facts(tj_pdf, tj, tmp_path):
    assert tj_pdf.startswith(b"%PDF")
    text = pdf_text(tj_pdf, tmp_path)
    assert "15 days" in text and "up to 30 days" in text
    assert "at most 30 days, shorter than 6 months" in text
    assert "data version" in text and "Sources:" in text
    # Every sentence, verdict, reading and recommendation of the brief (line breaks aside).
    squashed = "".join(text.split())
    # The running footer and page numbers may fall inside a sentence that crosses a page: take them out.
    footer = "".join(f"{tj.label} brief, as of {tj.as_of} · made {printing.today()} · data version".split())
    squashed = re.sub(re.escape(footer) + r".*?Sources:" + re.escape("".join(
        "; ".join(x.label for x in tj.sources()).split())), "", squashed)
    squashed = re.sub(r"page\d+of\d+", "", squashed).replace("•", "")
    facts = [s.text for s in [*tj.law, *tj.criminalisation, *tj.timeline, *tj.protection, *tj.agencies]]
    facts += [p.label for p in tj.programmes] + [v.reason for p in tj.programmes for v in p.verdicts]
    facts += [r.text for d in tj.discrepancies for r in d.readings] + [s for d in tj.discrepancies
                                                                         for r in d.readings for s in r.sections]
    facts += [r.text for r in tj.recommendations]
    missing = [f for f in facts if "".join(f.split()) not in squashed]
    assert missing == []


# ------------------------------------------------------------------ command line

def test_cli_text_and_files(tmp_path, capsys):
    data_dir = ["--data-dir", str(tmp_path / "store")]
    assert main([*data_dir, "brief", "tajikistan"]) == 0
    out = capsys.readouterr().out
    assert "15 days" in out and "up to 30 days" in out and "misses" in out
    assert main([*data_dir, "brief", "tajikistan", "-o", str(tmp_path / "tj.json")]) == 0
    assert json.loads((tmp_path / "tj.json").read_text())["country"] == "tajikistan"
    assert main([*data_dir, "brief", "tajikistan", "-o", str(tmp_path / "tj.html")]) == 0
    assert "up to 30 days" in (tmp_path / "tj.html").read_text()
    assert main([*data_dir, "brief", "tajikistan", "-o", str(tmp_path / "tj.pdf")]) == 0
    assert "up to 30 days" in pdf_text((tmp_path / "tj.pdf").read_bytes(), tmp_path)


def test_cli_unknown_country_exits_2(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "store"), "brief", "narnia"]) == 2
    assert "tajikistan" in capsys.readouterr().err


def test_pdf_is_bounded_in_size_and_time(tj, monkeypatch):
    from legalgraph.errors import TimedOut, TooLarge

    monkeypatch.setattr(printing, "MAX_HTML_BYTES", 1000)
    with pytest.raises(TooLarge):
        printing.pdf(tj, "test")
    monkeypatch.setattr(printing, "MAX_HTML_BYTES", 10_000_000)
    monkeypatch.setattr(printing, "TIMEOUT_SECONDS", 0.05)
    with pytest.raises(TimedOut):
        printing.pdf(tj, "test")


def test_the_turkistan_centre_keeps_its_minimum_of_five_individual_sessions(store):
    """"a minimum of five individual sessions followed by 12 group sessions": the brief and programmes-by-length
    showed the 12 group sessions only ("12 sessions group"), the minimum was in the data and nowhere else."""
    from legalgraph.services import brief, catalogue

    [row] = [r for r in catalogue.run(store, catalogue.get("programmes-by-length"), {"country": "kazakhstan"}).records()
             if str(r["programme"]).endswith("programme/kz-turkistan-residential-centre")]
    assert (row["minIndividual"].toPython(), row["group"].toPython(), row["individual"]) == (5, 12, None)
    kz = brief.brief(store, "kazakhstan")
    [text] = [p.text for p in kz.programmes if p.entity.endswith("programme/kz-turkistan-residential-centre")]
    assert "length not stated; individual: at least 5 sessions, group: 12 sessions; status: active." in text
