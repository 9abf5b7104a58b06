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
