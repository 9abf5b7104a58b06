"""Entry validation: the exact results of every example entry, exit codes, and parser errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from legalgraph.cli import main
from legalgraph.errors import LegalgraphError as EntryError
from legalgraph.services.entries import read_entry
from legalgraph.services.validation import render, validate
from legalgraph.store.embedded import OxigraphStore

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


def test_messages_name_terms_by_label_and_keep_unknown_iris(store):
    report, _ = results(store, "law-with-reconciliation-clause.nt")
    mediation = next(r.message for r in report.results if r.path == "lg:providesMediation")
    assert "(provides mediation or reconciliation)" in mediation and "https://" not in mediation
    report, _ = results(store, "programme-unknown-provider.ttl")
    unknown = [r.message for r in report.violations if "is not defined" in r.message]
    assert unknown == ["https://w3id.org/legalgraph/id/org/tm-example-unknown-centre is not defined in the graph: "
                       "fix the IRI, or add the entity it refers to in the same entry."]
    assert all(r.focus_label for r in report.results)


def test_four_sessions_in_a_month_misses_duration_and_sessions(store):
    report, got = results(store, "programme-four-sessions-one-month.ttl")
    focus = "programme/kg-example-tendesh-mandatory"
    assert report.conforms
    assert got == [("Warning", focus, "lg:duration"), ("Warning", focus, "lg:totalSessions")]
    by_path = {r.path: r.message for r in report.results}
    assert "lasts 1 month, shorter than 6 months" in by_path["lg:duration"]
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


# ------------------------------------------------- fast paths give the same results

MISTAKES = """
@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<programme/tj-example-mistakes> a lg:PerpetratorProgramme , lg:Programme ,
        "https://w3id.org/legalgraph/ontology#Literal" ;
    rdfs:label "Example: every kind of unknown term"@en ;
    dcterms:source <section/nowhere> ;
    lg:totalSesions 30 , 31 ;
    lg:providr <org/tj-example-nowhere> ;
    lg:provider <org/tj-example-nowhere> , <org/tj-consultation-room-khujand> ,
        <https://w3id.org/legalgraph/vocab/modality/nowhere> ;
    lg:country <country/tajikistan> ;
    lg:modality <https://w3id.org/legalgraph/vocab/modality/voluntary> ;
    lg:evaluationTool [ rdfs:label "a tool"@en ; lg:nmae "x" ] ;
    lg:variantOf <programme/tj-example-mistakes-parent> ;
    lg:duration "P1M"^^<http://www.w3.org/2001/XMLSchema#duration> .
<obligation/tj-example-mistakes> a lg:Obligation , <https://w3id.org/legalgraph/id/class/nowhere> ;
    lg:bearer <role/perpetrator> ; lg:legalBasis <act/tj-law-954-2013> .
"""


def _entry(text: str):
    from rdflib import Graph
    return Graph().parse(data=text, format="turtle")


def _plain_pyshacl_results(store, entry):
    """The results as validate() computed them before its fast paths: plain rdflib, fresh shapes, a copy."""
    import pyshacl
    from rdflib import Graph

    from legalgraph.services import validation as v
    data, shapes = Graph(), v.load_shapes()
    data += v.neighbourhood(store, entry)
    focus = sorted({s for s in entry.subjects() if isinstance(s, URIRef)})
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True, focus_nodes=focus or None)
    return v._results(report, data, shapes)





OFF_DOMAIN = """<http://example.org/spam> <http://example.org/p> "buy pills" .
<https://w3id.org/legalgraph/id/act/kg-law-63-2017> a <http://xmlns.com/foaf/0.1/Document> ;
    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(1)> ;
    <http://xmlns.com/foaf/0.1/name> "x" ."""


@pytest.mark.parametrize("name", ["programme-misspelt-property.jsonld", "programme-unknown-provider.ttl",
                                  "programme-four-sessions-one-month.ttl", "mistakes", "off-domain"])
def test_results_equal_plain_pyshacl(store, name):
    entry = {"mistakes": lambda: _entry(MISTAKES), "off-domain": lambda: _entry(OFF_DOMAIN)}.get(
        name, lambda: read_entry(EXAMPLES / name))()
    assert validate(store, entry).results == _plain_pyshacl_results(store, entry)


def _known_terms_sparql() -> str:
    """The known-terms query as pySHACL sends it: its sh:declare prefixes, a blank line, the sh:select text."""
    from rdflib.namespace import SH

    from legalgraph.services.validation import load_shapes
    shapes = load_shapes(("integrity",))
    constraint = shapes.value(URIRef("https://w3id.org/legalgraph/shapes#KnownTermsShape"), SH.sparql)
    declared = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in declared.items())
    return f"{head}\n{shapes.value(constraint, SH.select)}"


def test_known_terms_python_gives_the_query_s_solutions(store, graph):
    # The Python answer to the known-terms query, row for row and in order, against rdflib's evaluation
    # of the query itself: on the mistakes entry, the examples, and a sample of the shipped graph's nodes.
    from rdflib import Graph
    from rdflib.namespace import RDF
    from rdflib.plugins.sparql.processor import prepareQuery

    from legalgraph.services.validation import _is_known_terms_query, _known_terms
    text = _known_terms_sparql()
    assert _is_known_terms_query(text), "the shape's query changed: update _known_terms and KNOWN_TERMS_SHA256"
    data = Graph()
    data += graph
    entries = [_entry(MISTAKES)] + [read_entry(p) for p in sorted(EXAMPLES.iterdir())
                                    if p.suffix in {".ttl", ".nt", ".trig", ".jsonld"} and "broken" not in p.name]
    for entry in entries:
        data += entry
    typed = sorted(set(data.subjects(RDF.type, None)), key=str)
    nodes = {s for e in entries for s in e.subjects(RDF.type, None)} | set(typed[::5])
    assert len(nodes) > 150
    query = prepareQuery(text, initNs=dict(data.namespaces()))  # as data.query(text) would, parsed once
    for node in sorted(nodes, key=str):
        expected = [row.asdict() for row in data.query(query, initBindings={"this": node})]
        got = [{str(k): v for k, v in row.items()} for row in _known_terms(data, node)]
        assert got == expected, node


def test_known_terms_shape_is_answered_in_python(store, monkeypatch):
    from legalgraph.services import validation as v
    calls = []
    original = v._known_terms
    monkeypatch.setattr(v, "_known_terms", lambda g, this: calls.append(this) or original(g, this))
    report, _ = results(store, "programme-misspelt-property.jsonld")
    assert calls == [URIRef("https://w3id.org/legalgraph/id/programme/tj-example-misspelt")]
    assert [(r.path, r.value) for r in report.violations] == [("lg:totalSesions", "30")]


def test_an_entry_leaves_nothing_behind_for_the_next(store):
    # Validation reuses one data graph: what one entry adds must be gone when the next is validated.
    defines_provider = """
        @prefix lg: <https://w3id.org/legalgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/legalgraph/id/org/tm-example-unknown-centre> a lg:Organisation ;
            rdfs:label "Example centre"@en ;
            dcterms:source <https://w3id.org/legalgraph/id/section/turkmenistan-recommendations> ."""
    entry = read_entry(EXAMPLES / "programme-unknown-provider.ttl")
    together = _entry(defines_provider)
    together += entry
    assert not validate(store, together).violations
    assert [(r.path, r.value) for r in validate(store, entry).violations] == [
        ("lg:provider", "org/tm-example-unknown-centre"), ("lg:provider", "org/tm-example-unknown-centre")]
    from legalgraph.services import validation as v
    assert v._DATA is not None and len(v._DATA[1]) == v._DATA[2] == len(v._context(store))


def test_validations_in_threads_agree_with_one_at_a_time(store):
    # pySHACL registers lgb:days globally for the length of a run: unguarded, runs in parallel (the web
    # API's thread pool) lost benchmark results now and then.
    from concurrent.futures import ThreadPoolExecutor
    entries = [read_entry(EXAMPLES / n) for n in ("programme-four-sessions-one-month.ttl",
                                                  "law-with-reconciliation-clause.nt",
                                                  "programme-misspelt-property.jsonld")]
    expected = [render(validate(store, e), "json") for e in entries]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda e: render(validate(store, e), "json"), entries * 4))
    assert got == expected * 4


def test_context_follows_changes_to_the_ontology():
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    from legalgraph.services.validation import ONTOLOGY_GRAPHS
    own = OxigraphStore(None)
    own.load()
    entry = read_entry(EXAMPLES / "programme-misspelt-property.jsonld")
    assert [r.path for r in validate(own, entry).violations] == ["lg:totalSesions"]
    declared = Graph()
    declared.add((URIRef("https://w3id.org/legalgraph/ontology#totalSesions"), RDF.type, OWL.DatatypeProperty))
    own.add(declared, ONTOLOGY_GRAPHS[0])
    assert validate(own, entry).violations == []


# ------------------------------------- entries about the domain, links that are web addresses

ID_ = "https://w3id.org/legalgraph/id/"
NOT_OURS = ("{s} is not an entity of this graph: an entry describes entities named under "
            "https://w3id.org/legalgraph/id/ (see docs/MODELLING.md), so write its subjects as "
            "<https://w3id.org/legalgraph/id/{{type}}/{{slug}}>.")
FOREIGN_PROPERTY = ("Property {p} is not a term of the ontology: use the lg: properties, or the rdfs:, dcterms:, "
                    "eli:, org:, prov: and skos: terms that ontology/legalgraph.ttl declares.")
FOREIGN_CLASS = ("Class {c} is not a class of the ontology: type entities with the lg: classes of "
                 "ontology/legalgraph.ttl, e.g. lg:LegalAct or lg:PerpetratorProgramme.")


def _violations(store, text):
    return [(r.focus, r.path, r.value, r.message) for r in validate(store, _entry(text)).violations]


def test_an_entry_about_something_else_is_refused(store):
    assert _violations(store, '<http://example.org/spam> <http://example.org/p> "buy pills" .') == [
        ("<http://example.org/spam>", None, None, NOT_OURS.format(s="http://example.org/spam")),
        ("<http://example.org/spam>", "<http://example.org/p>", "buy pills",
         FOREIGN_PROPERTY.format(p="http://example.org/p"))]


def test_a_foreign_property_or_class_on_a_project_iri_is_refused(store):
    text = f"""<{ID_}act/kg-law-63-2017> a <http://xmlns.com/foaf/0.1/Document> ;
        <http://xmlns.com/foaf/0.1/name> "buy pills" ."""
    assert _violations(store, text) == [
        ("act/kg-law-63-2017", "foaf:name", "buy pills",
         FOREIGN_PROPERTY.format(p="http://xmlns.com/foaf/0.1/name")),
        ("act/kg-law-63-2017", "rdf:type", "foaf:Document",
         FOREIGN_CLASS.format(c="http://xmlns.com/foaf/0.1/Document"))]


def test_a_blank_node_that_hangs_from_no_entity_is_refused(store):
    from legalgraph.services.validation import LOOSE_BLANK_NODE
    got = _violations(store, '[] <http://example.org/p> "buy pills" .')
    assert [(path, value) for _, path, value, _ in got] == [(None, None), ("<http://example.org/p>", "buy pills")]
    assert got[0][3].startswith(LOOSE_BLANK_NODE) and got[0][3].endswith(" is not an entity of this graph: an entry "
                                                                            "describes entities named under "
                                                                            "https://w3id.org/legalgraph/id/ (see "
                                                                            "docs/MODELLING.md), so write its subjects "
                                                                            "as <https://w3id.org/legalgraph/id/{type}/"
                                                                            "{slug}>.")
    assert validate(store, _entry("")).conforms  # an empty entry: nothing to check, and the context is not


def test_the_terms_the_shipped_data_uses_are_all_known(store, graph):
    # Every predicate and class of data/*.ttl is declared in the ontology: the allowed list is data.
    from rdflib.namespace import OWL, RDF
    ontology = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "legalgraph.ttl")
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    data = [(s, p, o) for s, p, o in graph if str(s).startswith(ID_)]
    assert len(data) > 5000
    declared = {p for k in kinds for p in ontology.subjects(RDF.type, k)}
    assert {p for _, p, _ in data if p != RDF.type} <= declared
    assert {o for _, p, o in data if p == RDF.type} <= set(ontology.subjects(RDF.type, OWL.Class))


def test_add_refuses_an_entry_about_something_else(tmp_path):
    from legalgraph.services.entries import add
    own = OxigraphStore(tmp_path / "db")
    own.load()
    n = own.triples()
    result = add(own, _entry('<http://example.org/spam> <http://example.org/p> "buy pills" .'), ["spam.ttl"], user="u")
    assert result.entry is None and not result.report.conforms and own.triples() == n
    own.close()


SEE_ALSO = ("rdfs:seeAlso points at an entity <https://w3id.org/legalgraph/id/…> or a web page <https://…>; "
            "other schemes such as javascript: or data: are not links.")
ADDRESS = ("Write web addresses as \"https://…\"^^xsd:anyURI (http or https only; a bare domain such as "
           "example.org as the source gives it).")


@pytest.mark.parametrize("iri", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,%3Cb%3Ex",
                                 "vbscript:msgbox", "file:///etc/passwd", "https:/no-host"])
def test_links_that_are_not_web_addresses_are_refused(store, iri):
    text = f"<{ID_}act/kg-law-63-2017> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{iri}> ."
    assert _violations(store, text) == [("act/kg-law-63-2017", "rdfs:seeAlso", f"<{iri}>", SEE_ALSO)]


@pytest.mark.parametrize("prop", ["availableAt", "availableInRussianAt", "availableInEnglishAt"])
def test_addresses_that_are_not_web_addresses_are_refused(store, prop):
    text = f"""<{ID_}act/kg-law-63-2017> <https://w3id.org/legalgraph/ontology#{prop}>
        "javascript:alert(1)"^^<http://www.w3.org/2001/XMLSchema#anyURI> ,
        "https://cbd.minjust.gov.kg/act/view/ru-ru/111570"^^<http://www.w3.org/2001/XMLSchema#anyURI> ,
        "theduluthmodel.org"^^<http://www.w3.org/2001/XMLSchema#anyURI> ."""
    assert _violations(store, text) == [("act/kg-law-63-2017", f"lg:{prop}", "javascript:alert(1)", ADDRESS)]


def test_web_links_and_project_links_are_accepted(store):
    text = f"""<{ID_}act/kg-law-63-2017> <http://www.w3.org/2000/01/rdf-schema#seeAlso>
        <https://cbd.minjust.gov.kg/act/view/ru-ru/111570> , <http://example.org/x> , <{ID_}act/kg-law-63-2017> ."""
    assert _violations(store, text) == []


def test_every_subject_target_python_gives_the_query_s_solutions(store, graph):
    # The known-terms shape targets every subject; _every_subject answers its target query.
    from rdflib.namespace import SH

    from legalgraph.services.validation import EVERY_SUBJECT_SHA256, _every_subject, _is_known_terms_query, load_shapes
    shapes = load_shapes(("integrity",))
    target = shapes.value(URIRef("https://w3id.org/legalgraph/shapes#KnownTermsShape"), SH.target)
    head = _known_terms_sparql().partition("\n\n")[0]
    text = f"{head}\n\n{shapes.value(target, SH.select)}"
    assert _is_known_terms_query(text, EVERY_SUBJECT_SHA256), "the target query changed: update _every_subject"
    data = Graph()
    data += graph
    data += _entry(MISTAKES)
    expected = [row.asdict() for row in data.query(text)]
    assert [{str(k): v for k, v in row.items()} for row in _every_subject(data)] == expected


def test_a_query_text_that_fails_pyshacl_s_check_fails_every_time():
    # validate() lets pySHACL check each constraint text once (its regexes are quadratic in the text's
    # length); a text that fails the check must still fail on every call.
    from pyshacl.errors import ValidationFailure
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    from legalgraph.services.validation import _check_each_query_text_once
    _check_each_query_text_once()
    helper = SPARQLQueryHelper.__new__(SPARQLQueryHelper)
    for _ in range(2):
        with pytest.raises(ValidationFailure, match="MINUS"):
            helper.check_invalid_sparql("SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }")
        assert helper.check_invalid_sparql("SELECT $this WHERE { $this ?p ?o }")


def test_foreign_terms_on_a_blank_node_of_an_entity_are_refused(store):
    text = f"""@prefix lg: <https://w3id.org/legalgraph/ontology#> .
    <{ID_}act/kg-law-63-2017> lg:evaluationTool [ a <http://example.org/Spam> , lg:EvaluationTool ;
        <http://example.org/p> "buy pills" ; <http://www.w3.org/2000/01/rdf-schema#label> "fine"@en ] ."""
    via = "evaluation tool"  # lg:evaluationTool, named by its label
    assert _violations(store, text) == [
        ("act/kg-law-63-2017", "<http://example.org/p>", "buy pills",
         f"Property http://example.org/p (on a blank node of {via}) is not a term of the ontology: check its "
         "spelling against ontology/legalgraph.ttl."),
        ("act/kg-law-63-2017", "rdf:type", "<http://example.org/Spam>",
         f"Class http://example.org/Spam (of a blank node of {via}) is not a class of the ontology: check its "
         "spelling against ontology/legalgraph.ttl.")]


# ------------------------------------------------------------------ YAML entries (issue 15)

def test_the_yaml_example_is_the_turtle_example_read_through_the_context():
    from rdflib.compare import isomorphic

    yaml_entry = read_entry(EXAMPLES / "kz-2024-recriminalisation.yaml")
    assert len(yaml_entry) == 30
    assert isomorphic(yaml_entry, read_entry(EXAMPLES / "kz-2024-recriminalisation.ttl"))


def test_the_shipped_context_is_generated_from_the_ontology_and_data(graph):
    import json

    from legalgraph.services.yaml_entries import CONTEXT_FILE, build_context

    ontology = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "legalgraph.ttl")
    assert json.loads(CONTEXT_FILE.read_text(encoding="utf-8")) == build_context(ontology, graph), (
        "ontology/context.jsonld is stale: run python -m legalgraph.services.yaml_entries")


def test_a_misspelt_yaml_property_is_one_violation(store):
    report, got = results(store, "programme-misspelt-property.yaml")
    assert not report.conforms
    assert [g for g in got if g[0] == "Violation"] == [
        ("Violation", "programme/tj-example-misspelt-yaml", "lg:totalSesions")]


@pytest.mark.parametrize(("name", "message"), [
    ("broken-indentation.yaml", "broken-indentation.yaml:4:9: YAML syntax error: mapping values are not allowed here"),
    ("aliases-refused.yaml", "aliases-refused.yaml:5: YAML anchors and aliases (&name, *name) are not accepted"),
])
def test_yaml_errors_carry_their_line(name, message):
    with pytest.raises(EntryError) as exc:
        read_entry(EXAMPLES / name)
    assert str(exc.value).startswith(str(EXAMPLES / message.split(":")[0]) + ":" + message.split(":", 1)[1])


@pytest.mark.parametrize(("text", "error"), [
    (b"- id: act/x\n  type: LegalAct\n- type: LegalAct\n  label: no id\n", "entry.yaml:3: an entity has no id"),
    (b"- id: act/x\n  label: a\n  label: b\n", "entry.yaml:3: the key 'label' appears twice in one entity"),
    (b"- id: act/x\n  label:\n", "entry.yaml:2: label is empty"),
    (b"- id: act/x\n---\n- id: act/y\n", "entry.yaml:2: the file holds more than one YAML document"),
    (b"- id: act/x\n  '@context': {}\n", "entry.yaml:2: the JSON-LD keyword @context is not accepted"),
    (b"- id: act/x\n  label: !!python/object:os.system x\n", "entry.yaml:2: the YAML tag"),
    (b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "entry.yaml:1: the YAML is nested more than 16 deep"),
])
def test_yaml_structure_errors_name_the_line(text, error):
    from legalgraph.services.entries import parse_entry

    with pytest.raises(EntryError) as exc:
        parse_entry(text, "entry.yaml")
    assert str(exc.value).startswith(error)


def test_yaml_booleans_are_only_true_and_false_and_years_are_typed():
    from legalgraph.services.entries import parse_entry

    g = parse_entry(b"- id: act/x\n  label: no\n  adoptionYear: 2024\n  adoptionDate: 2024-04\n"
                    b"  criminalised: false\n  totalSessions: 30\n", "entry.yml")
    got = sorted((p.split("#")[-1] if "legalgraph" in p else p.split("#")[0], o.n3()) for _, p, o in g)
    assert got == [("adoptionDate", '"2024-04"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
                   ("adoptionYear", '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
                   ("criminalised", '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
                   ("http://www.w3.org/2000/01/rdf-schema", '"no"@en'),
                   ("totalSessions", '"30"^^<http://www.w3.org/2001/XMLSchema#integer>')]


def test_yaml_on_the_command_line_and_the_web(tmp_path, store, capsys):
    from fastapi.testclient import TestClient

    from legalgraph.api import create_app
    from legalgraph.settings import Settings

    assert main(["--data-dir", str(tmp_path / "db"), "validate", str(EXAMPLES / "kz-2024-recriminalisation.yaml")]) == 0
    assert main(["--data-dir", str(tmp_path / "db"), "validate", str(EXAMPLES / "broken-indentation.yaml")]) == 2
    assert "broken-indentation.yaml:4:9: YAML syntax error" in capsys.readouterr().err
    with TestClient(create_app(Settings(query_timeout=10), store)) as c:
        body = (EXAMPLES / "kz-2024-recriminalisation.yaml").read_bytes()
        r = c.post("/validate", content=body, headers={"content-type": "application/yaml"})
        assert (r.status_code, r.json()["conforms"]) == (200, True)
        r = c.post("/validate", files={"file": ("entry.yml", (EXAMPLES / "broken-indentation.yaml").read_bytes())})
        assert r.status_code == 400 and r.json()["line"] == 4


def test_a_year_that_is_not_one_is_refused_naming_where_it_is(tmp_path):
    """"2O24"^^xsd:gYear (a letter O) conformed and could be added; then every dated answer (canned queries,
    assess, briefs, /compare) failed on int("2O24") until the entry was removed."""
    text = (EXAMPLES / "amendments-from-2024.ttl").read_text(encoding="utf-8")
    assert 'lg:validFrom "2024"^^xsd:gYear' in text
    bad = tmp_path / "typo.ttl"
    bad.write_text(text.replace('lg:validFrom "2024"^^xsd:gYear', 'lg:validFrom "2O24"^^xsd:gYear'), encoding="utf-8")
    with pytest.raises(EntryError) as err:
        read_entry(bad)
    assert err.value.message == "amendment/kz-2024-example lg:validFrom: '2O24' is not a valid xsd:gYear"
    assert err.value.where == str(bad)


def test_a_stored_year_that_is_not_one_counts_as_not_stated_instead_of_breaking_answers():
    from rdflib import Literal
    from rdflib.namespace import XSD

    from legalgraph.services import asof

    assert asof._start(Literal("2O24", datatype=XSD.gYear)) is None
    assert asof._start(Literal("2024", datatype=XSD.gYear)) == "2024"
    assert asof._start(None) is None  # the open case of the data


def test_rdf_star_and_a_byte_order_mark(tmp_path):
    """RDF-star gave "TypeError: unexpected term <Triple …>"; a Turtle file with a UTF-8 BOM was refused
    ("\\ufeff is not a valid subject") while YAML and JSON-LD with one were read."""
    star = tmp_path / "star.ttl"
    star.write_text('<< <https://w3id.org/legalgraph/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "x" >> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> "y" .\n', encoding="utf-8")
    with pytest.raises(EntryError, match="RDF-star quoted triple"):
        read_entry(star)
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "amendments-from-2024.ttl").read_bytes())
    assert len(read_entry(bom)) == len(read_entry(EXAMPLES / "amendments-from-2024.ttl"))


def test_the_report_names_an_entity_by_the_same_english_label_every_time(store):
    """A report named Kazakhstan "Казахстан" one run in four: Graph.value() picks any of several labels."""
    entry = Graph().parse(data='<https://w3id.org/legalgraph/id/country/kazakhstan> '
                               '<http://www.w3.org/2000/01/rdf-schema#label> "Atlantis"@en .', format="turtle")
    labels = set()
    for _ in range(6):
        report = validate(store, entry)
        labels |= {r.focus_label for r in report.results if r.focus.endswith("country/kazakhstan")}
    assert labels == {"Atlantis"}
