"""legalgraph add: refused entries change nothing; accepted ones land whole, with provenance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from legalgraph.cli import main
from legalgraph.namespaces import LG
from legalgraph.services.entries import add, read_entry
from legalgraph.store.embedded import OxigraphStore

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"


def test_invalid_entry_is_refused_and_the_store_is_unchanged(tmp_path, capsys):
    db = ["--data-dir", str(tmp_path / "db")]
    assert main([*db, "stats"]) == 0
    before = OxigraphStore(tmp_path / "db")
    n, graphs = before.triples(), before.named_graphs()
    del before
    capsys.readouterr()
    assert main([*db, "add", str(EXAMPLES / "law-without-jurisdiction.trig")]) == 1
    assert "Nothing was added" in capsys.readouterr().err
    after = OxigraphStore(tmp_path / "db")
    assert (after.triples(), after.named_graphs()) == (n, graphs)


def test_valid_entry_lands_with_provenance(tmp_path):
    store = OxigraphStore(tmp_path / "db")
    store.load()
    before = store.triples()
    entry = read_entry(EXAMPLES / "tj-draft-amendment-six-month-programmes.ttl")
    when = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    result = add(store, entry, ["tj-draft-amendment-six-month-programmes.ttl"], user="analyst", now=when)
    assert result.entry is not None and result.graph is not None
    stored = store.graph(result.graph)
    # the entry, and its provenance: type, label, user, time, file, extent, content digest, the two entities
    # it touches and the two sections it cites
    assert len(stored) == len(entry) + 11
    assert (result.entry, LG.addedBy, Literal("analyst")) in stored
    assert (result.entry, LG.sourceFile, Literal("tj-draft-amendment-six-month-programmes.ttl")) in stored
    assert str(stored.value(result.entry, PROV.generatedAtTime)) == "2026-11-28T12:00:00+00:00"
    assert store.triples() == before + len(stored)
    assert store.query("ASK { ?p lg:legalBasis ?a }", {
        "p": URIRef("https://w3id.org/legalgraph/id/programme/tj-example-mandatory-six-month-programme"),
        "a": URIRef("https://w3id.org/legalgraph/id/act/tj-example-draft-amendment-mandatory-programmes"),
    }).boolean


def test_added_entries_survive_a_rebuild_of_the_source_graphs(tmp_path):
    store = OxigraphStore(tmp_path / "db")
    store.load()
    result = add(store, read_entry(EXAMPLES / "programme-four-sessions-one-month.ttl"), ["x.ttl"], user="u")
    store._write_manifest({})  # forget every source hash: the next sync reloads all source files
    store.load()
    assert result.graph in store.named_graphs()


WRITER = """
import sys
from pathlib import Path
from rdflib import Graph, Literal, URIRef
from legalgraph.store.embedded import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]))
g = Graph()
for i in range(60_000):
    g.add((URIRef(f"urn:x:{i}"), URIRef("urn:p"), Literal(i)))
print("ready", flush=True)
store.add(g, URIRef("urn:graph:big"))
print("done", flush=True)
"""


def test_a_kill_during_the_write_leaves_all_or_nothing(tmp_path):
    counts = set()
    for delay in (0.0, 0.05, 0.2):
        db = tmp_path / f"db{delay}"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        n = len(OxigraphStore(db).graph(URIRef("urn:graph:big")))
        assert n in (0, 60_000)
        counts.add(n)
    assert counts  # at least one run observed


def test_entry_graph_is_isomorphic_to_the_file(tmp_path):
    store = OxigraphStore(tmp_path / "db")
    store.load()
    entry = read_entry(EXAMPLES / "law-with-reconciliation-clause.nt")
    result = add(store, entry, ["law-with-reconciliation-clause.nt"], user="u")
    assert result.graph is not None and result.entry is not None
    stored = store.graph(result.graph)
    stored.remove((result.entry, None, None))
    assert stored.isomorphic(Graph().parse(EXAMPLES / "law-with-reconciliation-clause.nt"))
