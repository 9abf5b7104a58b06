"""The shapes themselves: well-formed SHACL, every shape named and explained, the shipped graph conforms."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from legalgraph.lint import load_project_graph
from legalgraph.namespaces import ID, IRI_PATTERNS
from legalgraph.services.validation import SHAPES_DIR, load_shapes

ROOT = Path(__file__).resolve().parents[1]
SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"


@pytest.mark.parametrize("path", sorted(SHAPES_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_shapes_file_validates_against_shacl_for_shacl(path):
    conforms, _, text = pyshacl.validate(Graph().parse(path), shacl_graph=Graph().parse(SHACL_SHACL))
    assert conforms, text


def test_every_node_shape_has_a_name_and_a_message():
    shapes = load_shapes()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        assert shapes.value(shape, SH.name), f"{shape} has no sh:name"
        own = shapes.value(shape, SH.message)
        constraints = list(shapes.objects(shape, SH.sparql)) + list(shapes.objects(shape, SH.property))
        assert own or (constraints and all(shapes.value(c, SH.message) for c in constraints)), \
            f"{shape} leaves a constraint without sh:message"


def test_benchmark_shapes_never_say_illegal():
    text = (SHAPES_DIR / "benchmarks.ttl").read_text()
    assert "illegal" not in text.lower().replace("never \"illegal\"", "")
    shapes = load_shapes(("benchmarks",))
    severities = {shapes.value(s, SH.severity) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    assert severities == {SH.Warning, SH.Info}


KNOWN_TERMS = URIRef("https://w3id.org/legalgraph/shapes#KnownTermsShape")
#: One SPARQL query per cited node too (10 s on the whole graph); lint.check_references_resolve checks sources
#: resolve on the whole graph, and the shape itself is exercised on entries (tests/test_living_law.py).
SOURCE_KIND = URIRef("https://w3id.org/legalgraph/shapes#SourceKindShape")


def test_shipped_graph_conforms_to_the_integrity_shapes():
    # KnownTermsShape runs one SPARQL query per node, which takes over a minute on the whole graph in
    # pySHACL; lint.check_declared_terms and lint.check_references_resolve make the same checks on the
    # whole graph (tests/test_graph_structure.py), and the shape itself is exercised on entries.
    data = load_project_graph(ROOT)
    shapes = load_shapes(("integrity",))
    others = [s for s in set(shapes.subjects(RDF.type, SH.NodeShape)) if s not in (KNOWN_TERMS, SOURCE_KIND)]
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, use_shapes=others)
    assert conforms, text


def test_shape_iri_patterns_agree_with_the_documented_patterns():
    shapes = load_shapes(("integrity",))
    checked = 0
    for shape in shapes.subjects(SH.pattern, None):
        rx = str(shapes.value(shape, SH.pattern))
        for cls in shapes.objects(shape, SH.targetClass):
            name = str(cls).rsplit("#", 1)[-1]
            example = {"LegalAct": "act/kg-law-63-2017", "Provision": "act/kg-law-63-2017/art-11-1-7",
                       "Article": "act/kg-law-63-2017/art-11-1-7", "Annex": "act/kg-resolution-390-2019/annex-3",
                       "Obligation": "obligation/kg-mlsp-elaborate-programmes",
                       "PerpetratorProgramme": "programme/kg-chance-mandatory",
                       "ProtectionOrderRegime": "protection-order/kg-law-63",
                       "OfficialDocument": "source/kz-law-72-viii-2024-adilet",
                       "Amendment": "amendment/kz-2024-example",
                       "RecommendationFollowUp": "follow-up/kg-2025-example"}[name]
            import re
            assert re.match(rx, f"{ID}{example}") and IRI_PATTERNS[name].match(example), name
            assert not re.match(rx, f"{ID}{example.upper()}")
            checked += 1
    assert checked == 10  # eight shapes; the provision shape targets three classes


def test_thresholds_are_data_not_shape_constants():
    data = load_project_graph(ROOT)
    bench = URIRef(f"{ID}benchmark/duration-six-months-30-sessions")
    lg = "https://w3id.org/legalgraph/ontology#"
    assert str(data.value(bench, URIRef(lg + "thresholdDuration"))) == "P6M"
    assert data.value(bench, URIRef(lg + "thresholdSessions")).toPython() == 30
    text = (SHAPES_DIR / "benchmarks.ttl").read_text()
    assert "\"P6M\"^^" not in text and "FILTER(?value < 30" not in text
