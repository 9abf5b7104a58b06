"""networkx views, analytics and exports, pinned on the shipped graph."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from legalgraph.cli import main
from legalgraph.errors import BadInput
from legalgraph.services import network as analysis


@pytest.fixture(scope="module")
def full(shipped_store):
    return analysis.project(shipped_store)


def test_nodes_are_typed_and_labelled(full):
    d = full.nodes["programme/tj-consultation-rooms"]
    assert d["type"] == "PerpetratorProgramme" and d["country"] == "tajikistan"
    assert full.nodes["act/kg-law-63-2017/art-11-1-7"]["type"] == "Article"
    assert all("label" in d and "type" in d for _, d in full.nodes(data=True))


def test_hub_agencies_of_kyrgyzstan(full):
    top = [n for n, _ in analysis.hubs(analysis.view(full, "all", "kyrgyzstan"), top=4)]
    assert top == ["org/kg-chance-crisis-centre", "org/kg-ayalzat-crisis-centre", "org/kg-ministry-of-labour",
                   "org/kg-osce-programme-office-bishkek"]


def test_path_from_annex_3_of_decree_390_to_chance_programme(full):
    steps = analysis.path(full, "act/kg-resolution-390-2019/annex-3", "programme/kg-chance")
    assert steps == [("act/kg-resolution-390-2019/annex-3", "^legalBasis", "programme/kg-chance-voluntary"),
                     ("programme/kg-chance-voluntary", "variantOf", "programme/kg-chance")]


def test_path_from_an_entity_to_itself_is_the_entity_alone(full, tmp_path, capsys):
    # "graph path X X" said "no path" and exited 1
    assert analysis.path(full, "programme/kg-chance", "programme/kg-chance") == []
    a, b = (min(c) for c in sorted(nx.connected_components(nx.Graph(full.to_undirected())), key=min)[:2])
    assert analysis.path(full, a, b) is None
    db = ["--data-dir", str(tmp_path / "db")]
    assert main([*db, "graph", "path", "programme/kg-chance", "https://w3id.org/legalgraph/id/programme/kg-chance"]) == 0
    assert capsys.readouterr().out == "Chance crisis centre perpetrator programmes (Bishkek)\n"
    assert main([*db, "graph", "path", a, b]) == 1
    assert capsys.readouterr().out == f"no path between {a} and {b}\n"


def test_programmes_that_hang_on_no_legal_act(full):
    assert analysis.programmes_without_legal_basis(full) == [
        "programme/kg-ak-zhurok", "programme/kg-chance-sezim-pilots-2009", "programme/kg-meerman",
        "programme/kg-tendesh", "programme/kz-turkistan-residential-centre", "programme/kz-ucc-pilots",
        "programme/uz-multisectoral-correctional-work", "programme/uz-oydin-nur-correctional-programme"]


def test_views_keep_their_types(full):
    legal = analysis.view(full, "legal")
    assert {d["type"] for _, d in legal.nodes(data=True)} <= analysis.VIEWS["legal"]
    assert "obligation/kg-mlsp-elaborate-programmes" in legal
    inst = analysis.view(full, "institutional", "tajikistan")
    assert "programme/tj-consultation-rooms" in inst and "org/int-swiss-government" in inst
    assert "programme/kg-chance" not in inst
    with pytest.raises(BadInput, match="unknown country 'mongolia'"):
        analysis.view(full, "all", "mongolia")


def test_per_country_summary_counts(full):
    kg = analysis.summary(full, "kyrgyzstan")
    assert kg.counts["PerpetratorProgramme"] == 16 and kg.counts["Obligation"] == 11
    assert analysis.summary(full, "turkmenistan").counts.get("PerpetratorProgramme", 0) == 0


def test_ego_view(full):
    e = analysis.ego(full, "org/kg-ministry-of-labour")
    assert "obligation/kg-mlsp-elaborate-programmes" in e


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs", "dot"])
def test_exports_are_read_back(full, fmt, tmp_path):
    g = analysis.view(full, "legal", "kyrgyzstan")
    out = analysis.export(g, fmt, tmp_path / f"g.{fmt}")
    if fmt == "graphml":
        back = nx.read_graphml(out)
    elif fmt == "gexf":
        back = nx.read_gexf(out)
        root = ET.parse(out).getroot()  # Gephi reads GEXF 1.2 with nodes and edges under <graph>
        assert root.tag.endswith("gexf") and root.attrib.get("version", "").startswith("1.")
    elif fmt == "cyjs":
        back = nx.cytoscape_graph(json.loads(out.read_text()))
    else:
        text = out.read_text()
        assert "cluster_legend" in text and text.count(" -> ") == g.number_of_edges()
        return
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.nodes["obligation/kg-mlsp-elaborate-programmes"]["type"] == "Obligation"


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_static_images_with_graphviz(full, fmt, tmp_path):
    out = analysis.export(analysis.view(full, "legal", "kyrgyzstan"), fmt, tmp_path / f"g.{fmt}")
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in data and b"Legend" in data


def test_cli_graph_commands(tmp_path, capsys):
    db = ["--data-dir", str(tmp_path / "db")]
    assert main([*db, "graph", "stats", "--country", "kyrgyzstan"]) == 0
    assert "Chance crisis centre" in capsys.readouterr().out
    assert main([*db, "graph", "path", "act/kg-resolution-390-2019/annex-3", "programme/kg-chance"]) == 0
    assert "--variantOf-->" in capsys.readouterr().out
    assert main([*db, "graph", "path", "act/nope", "programme/kg-chance"]) == 2
    out = tmp_path / "x.graphml"
    assert main([*db, "graph", "export", "--view", "institutional", "--format", "graphml", "-o", str(out)]) == 0
    assert nx.read_graphml(out).number_of_nodes() > 50
