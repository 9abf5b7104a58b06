"""Smoke test of the benchmark harness (bench/): the synthetic graph is deterministic, well-formed and
conforms to the integrity shapes; ``bench/run.py --quick`` runs end to end and reports every section.

No timing assertions: speed is measured by bench/run.py, not asserted by tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from legalgraph.namespaces import ID, IRI_PATTERNS, LG
from legalgraph.services.validation import load_shapes

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
KNOWN_TERMS = URIRef("https://w3id.org/legalgraph/shapes#KnownTermsShape")
#: One SPARQL query per cited node too (10 s on the whole graph); lint.check_references_resolve checks sources
#: resolve on the whole graph, and the shape itself is exercised on entries (tests/test_living_law.py).
SOURCE_KIND = URIRef("https://w3id.org/legalgraph/shapes#SourceKindShape")
SHIPPED_CODES = ("kz", "kg", "tj", "tm", "uz")


def synth(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    subprocess.run([sys.executable, str(BENCH / "synth.py"), *args, "-o", str(out)], check=True,
                   capture_output=True, timeout=60)
    return out


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory) -> Path:
    return synth(tmp_path_factory.mktemp("synth"), "synth.ttl", "--triples", "10000")


@pytest.fixture(scope="module")
def synth_graph(synth_file) -> Graph:
    return Graph().parse(synth_file, format="turtle")


def test_synth_is_deterministic(synth_file, tmp_path):
    again = synth(tmp_path, "again.ttl", "--triples", "10000")
    assert again.read_bytes() == synth_file.read_bytes()


def test_synth_size_and_classes(synth_graph):
    assert 8_000 <= len(synth_graph) <= 13_000
    classes = Counter(o for o in synth_graph.objects(None, RDF.type))
    for cls in ("Country", "Section", "Place", "Organisation", "LegalAct", "Article", "Provision", "Annex",
                "Obligation", "PerpetratorProgramme", "ProtectionOrderRegime", "CriminalisationStatus",
                "Recommendation", "CaseStudy", "Role", "Methodology", "EvaluationTool"):
        assert classes[LG[cls]] > 0, cls
    assert classes[LG.Article] > 5 * classes[LG.LegalAct]
    assert classes[LG.Country] >= 2


def test_synth_iris_follow_the_documented_patterns(synth_graph):
    for s, cls in synth_graph.subject_objects(RDF.type):
        name = str(cls).removeprefix(str(LG))
        if name in IRI_PATTERNS:
            path = str(s).removeprefix(str(ID))
            assert IRI_PATTERNS[name].match(path), (name, path)
    countries = [str(c).removeprefix(f"{ID}country/") for c in synth_graph.subjects(RDF.type, LG.Country)]
    assert all(c.startswith("synth-") and c[6:] not in SHIPPED_CODES for c in countries)


def test_synth_has_amendments_and_consistent_session_counts(synth_graph):
    eli = "http://data.europa.eu/eli/ontology#"
    assert any(synth_graph.triples((None, URIRef(eli + "amends"), None)))
    assert any(synth_graph.triples((None, URIRef(eli + "amended_by"), None)))
    for p in synth_graph.subjects(RDF.type, LG.PerpetratorProgramme):
        total = synth_graph.value(p, LG.totalSessions)
        if total is not None:
            assert int(synth_graph.value(p, LG.individualSessions)) + int(synth_graph.value(p, LG.groupSessions)) \
                == int(total)


def test_synth_conforms_to_the_integrity_shapes(synth_graph):
    # KnownTermsShape (one SPARQL query per node) takes minutes here; bench/README.md records a full run.
    data = Graph()
    for f in ("ontology/legalgraph.ttl", "ontology/vocabularies.ttl", "data/sources.ttl"):
        data.parse(ROOT / f)
    data += synth_graph
    shapes = load_shapes(("integrity",))
    others = [s for s in set(shapes.subjects(RDF.type, SH.NodeShape)) if s not in (KNOWN_TERMS, SOURCE_KIND)]
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, use_shapes=others)
    violations = [r for r in report.subjects(RDF.type, SH.ValidationResult)
                  if report.value(r, SH.resultSeverity) == SH.Violation]
    assert conforms and not violations, text[:3000]


def test_entry_refers_to_existing_entities(synth_file, synth_graph, tmp_path):
    entry_file = synth(tmp_path, "entry.ttl", "--entry-for", str(synth_file))
    entry = Graph().parse(entry_file, format="turtle")
    assert 40 <= len(entry) <= 60
    new = set(entry.subjects())
    known = set(synth_graph.subjects())
    refs = {o for o in entry.objects() if isinstance(o, URIRef) and str(o).startswith(str(ID))}
    assert refs - new, "the entry should refer to existing entities"
    assert refs - new <= known


def test_run_quick_reports_every_section(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--no-shipped", "--queries", "builtin", "--baseline-timeout", "5",
         "--out", str(out)],
        capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text())
    assert [s["name"] for s in results["sizes"]] == ["synth-10000"]  # the shipped row runs the same code
    for size in results["sizes"]:
        assert size["triples"] > 0
        load = size["load"]
        for engine in ("ours", "rdflib", "pyoxigraph_bulk_load"):
            assert load[engine]["seconds"] > 0 and load[engine]["peak_rss_mb"] > 0, (size["name"], engine)
        assert load["speedup_vs_rdflib"] and load["memory_ratio_ours_over_rdflib"]
        assert size["reopen"]["median_s"] > 0
        assert size["reopen"]["runs"][0]["reloaded"] == []
        items = size["queries"]["items"]
        assert len(items) == 6
        for name, item in items.items():
            for engine in ("ours", "pyoxigraph", "rdflib"):
                assert item[engine]["median_s"] > 0 and item[engine]["p95_s"] > 0, (size["name"], name, engine)
            assert item["rdflib_over_ours"] and item["ours_over_pyoxigraph"]
            assert item["results_agree"], (size["name"], name)
        validation = size["validation"]
        assert validation["ours"]["median_s"] > 0 and validation["ours"]["conforms"]
        assert 20 <= validation["ours"]["entry_triples"] <= 60
        full = validation["full_pyshacl"]
        assert full["status"] in ("ok", "timeout")
        assert (full.get("seconds") or full.get("limit_s")) > 0
        assert validation["speedup_vs_full"] > 0
        web = size["web"]  # legalgraph embedded, legalgraph on a remote Oxigraph server, Oxigraph server itself
        for server in ("ours", "ours_on_remote", "oxigraph_server"):
            for target in ("canned query", "entity page"):
                assert web[server][target]["requests"] == 50 and web[server][target]["rps"] > 0, (server, target)
        assert web["ours_over_oxigraph_rps"]["canned query"] > 0
    assert results["targets"]["at"] == "synth-10000"
    assert "Targets at" in proc.stdout and "vs Oxigraph server" in proc.stdout
