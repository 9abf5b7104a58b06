"""`legalgraph load`: a file is loaded whole or not at all, even when the process is killed half-way; readers
work while another process holds the store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rdflib import URIRef

from legalgraph.cli import main
from legalgraph.store import graph_name
from legalgraph.store.embedded import INCOMPLETE, OxigraphStore

BIG_TRIPLES = 150_000


def big_file(path: Path) -> Path:
    with path.open("w") as fh:
        fh.write("@prefix ex: <http://example.org/> .\n")
        for i in range(BIG_TRIPLES):
            fh.write(f"ex:s{i} ex:p \"value number {i} of a big file\" .\n")
    return path


def test_a_load_killed_half_way_leaves_the_file_whole_or_absent(tmp_path, capsys):
    """Regression: kill -9 during `legalgraph load BIG.ttl` left 100,000 of 150,000 triples, unnoticed."""
    db = tmp_path / "db"
    assert main(["--store", str(db), "load"]) == 0
    big = big_file(tmp_path / "big.ttl")
    assert big.stat().st_size > OxigraphStore.BULK_BYTES  # the bulk path, which has no transaction
    name = URIRef(graph_name(big))
    outcomes = set()
    for delay in (0.3, 0.8):
        proc = subprocess.Popen([sys.executable, "-m", "legalgraph.cli", "--store", str(db), "load", str(big),
                                 "--force"], stderr=subprocess.DEVNULL)
        manifest = db / OxigraphStore.MANIFEST
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if manifest.exists() and json.loads(manifest.read_text()).get(str(name)) == INCOMPLETE:
                break
            time.sleep(0.01)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        capsys.readouterr()
        assert main(["--store", str(db), "stats"]) == 0  # the next command notices and repairs
        with OxigraphStore(db) as store:
            n = len(store.graph(name))
            assert n in (0, BIG_TRIPLES), n
            outcomes.add(n)
            assert json.loads(manifest.read_text()).get(str(name)) != INCOMPLETE
    assert outcomes


def test_an_incomplete_graph_is_removed_and_said_so(tmp_path, capsys):
    db = tmp_path / "db"
    with OxigraphStore(db) as store:
        store.load()
        manifest = json.loads((db / OxigraphStore.MANIFEST).read_text())
        manifest["https://w3id.org/legalgraph/graph/file/partial"] = INCOMPLETE
        (db / OxigraphStore.MANIFEST).write_text(json.dumps(manifest))
    assert main(["--store", str(db), "load"]) == 0
    err = capsys.readouterr().err
    assert "graph/file/partial was left incomplete by a load that did not finish; it was removed" in err


def test_read_only_commands_work_while_another_process_holds_the_store(tmp_path, capsys):
    """Regression: even `stats` failed while `serve` ran; readers now open the store read-only."""
    db = tmp_path / "db"
    holder = OxigraphStore(db)
    holder.load()
    try:
        capsys.readouterr()
        assert main(["--store", str(db), "stats"]) == 0
        out, err = capsys.readouterr()
        assert "7515 triples" in out and "answering read-only" in err
        assert main(["--store", str(db), "query", "protection-orders", "--format", "csv"]) == 0
        assert capsys.readouterr().out.count("\n") == 4
        code = main(["--store", str(db), "add", "data/examples/tj-draft-amendment-six-month-programmes.ttl"])
        assert code == 2 and "holds it for writing" in capsys.readouterr().err
    finally:
        holder.close()
