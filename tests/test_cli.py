"""The command line: stats and export on a throw-away store directory."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph

from legalgraph.cli import main


@pytest.fixture
def data_dir(tmp_path):
    return ["--data-dir", str(tmp_path / "store")]


def test_stats_counts_countries_and_sections(data_dir, capsys):
    assert main([*data_dir, "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    classes = {name: n for _, name, n in stats["classes"]}
    assert classes["Report section"] == 43
    assert classes["Country"] == 5
    assert sorted(stats["countries"]) == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan",
                                          "Uzbekistan"]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_round_trips_to_an_isomorphic_graph(fmt, data_dir, tmp_path, graph):
    out = tmp_path / f"graph.{fmt}"
    assert main([*data_dir, "export", "--format", fmt, "-o", str(out)]) == 0
    parsed = Graph().parse(out, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert len(parsed) == len(graph)
    assert parsed.isomorphic(graph)


def test_export_trig_keeps_named_graphs(data_dir, tmp_path):
    out = tmp_path / "graph.trig"
    assert main([*data_dir, "export", "--format", "trig", "-o", str(out)]) == 0
    ds = Dataset().parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://w3id.org/legalgraph/graph/data/kyrgyzstan" in names
    assert "https://w3id.org/legalgraph/graph/ontology/legalgraph" in names


def test_unknown_format_is_refused_by_argparse(data_dir, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*data_dir, "export", "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_own_file_in_a_data_folder_survives_later_commands(data_dir, tmp_path, capsys):
    """Regression: a file of one's own in a folder named data/ was named like a shipped file, so the next
    command's refresh of the shipped files dropped it from the store."""
    own = tmp_path / "mine" / "data" / "acts.ttl"
    own.parent.mkdir(parents=True)
    own.write_text('<urn:x:act> <http://www.w3.org/2000/01/rdf-schema#label> "An act of my own"@en .\n')
    assert main([*data_dir, "load", str(own)]) == 0
    capsys.readouterr()
    assert main([*data_dir, "sparql", "ASK { GRAPH <https://w3id.org/legalgraph/graph/file/acts> { <urn:x:act> ?p ?o } }",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_two_files_for_one_graph_are_refused(data_dir, tmp_path, capsys):
    a, b = tmp_path / "a" / "acts.ttl", tmp_path / "b" / "acts.ttl"
    for f in (a, b):
        f.parent.mkdir()
        f.write_text("<urn:a> <urn:b> <urn:c> .\n")
    assert main([*data_dir, "load", str(a), str(b)]) == 2
    err = capsys.readouterr().err
    assert "would load into the same named graph https://w3id.org/legalgraph/graph/file/acts" in err
    assert "rename one of them" in err
