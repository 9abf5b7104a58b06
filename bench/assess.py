#!/usr/bin/env python3
"""`assess` at scale: the compiled benchmark constraints against whole-graph pySHACL, side by side.

For each size (the shipped graph, and the shipped graph plus a ``bench/synth.py`` file of about N triples:
synthetic countries, programmes, protection-order regimes and criminalisation statuses shaped like the
shipped data, so every benchmark shape has work) it builds an embedded store with ``legalgraph load``, then
measures, each in a fresh process one after another (peak memory is that measurement's alone):

* **ours**: ``services.benchmarks.assess`` on the bounded store, cold (nothing cached in the process): what
  ``legalgraph assess`` does after start-up; and the CLI end to end (``legalgraph assess``, start-up included);
* **before** (with ``--before SRC``): ``services.benchmarks.assess`` of another source tree (e.g. the main
  checkout's ``src``) on the same store, cold: the previous version of the fast path, side by side;
* **baseline**: ``services.benchmarks.assess_whole_graph``: pySHACL over a copy of the whole union graph, the
  path every run took before; skipped above ``--baseline-max`` triples, stopped after ``--baseline-timeout``.

``ours`` and the CLI run under the default query time bound (10 s a query: a run that needs more fails the
bench), ``before`` and the baseline under 900 s. Where two ran, the rows must be identical (a digest of every
row); the script says so. Times are wall-clock ``time.perf_counter()``; memory is peak RSS (``ru_maxrss``) of
the measuring process, interpreter included.

Usage::

    .venv/bin/python bench/assess.py                                  # shipped, 10^5, 10^6 (~10 min)
    .venv/bin/python bench/assess.py --sizes shipped,100000 --baseline-max 100000
    .venv/bin/python bench/assess.py --before ../main/src --workdir /tmp/assess   # and the main checkout's
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENV = {"PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT / "src")}
#: The query time bound for the slow paths (before, baseline): the point there is how long the work takes.
LONG = {"LEGALGRAPH_QUERY_TIMEOUT": "900"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def digest(rows: list[Any]) -> str:
    keys = sorted(json.dumps([r.country, r.entity, r.label, r.kind, r.benchmark, r.criterion, r.status, r.message])
                  for r in rows)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def worker(kind: str, data_dir: str) -> dict[str, Any]:
    """One measurement in this (fresh) process."""
    from legalgraph.services import benchmarks
    from legalgraph.settings import Settings, load_store_config
    from legalgraph.store import open_store

    store = open_store(Settings.load(load_store_config(data_dir)), load=False, writer=False)
    try:
        t0 = time.perf_counter()
        rows = benchmarks.assess(store) if kind == "ours" else benchmarks.assess_whole_graph(store)
        seconds = time.perf_counter() - t0
        statuses = {s: sum(r.status == s for r in rows) for s in ("meets", benchmarks.CLOSE, "misses", "no data")}
        return {"seconds": seconds, "peak_mb": peak_rss_mb(), "rows": len(rows), "digest": digest(rows),
                "statuses": statuses, "triples": store.triples()}
    finally:
        store.close()


def run_worker(kind: str, data_dir: Path, timeout: float | None, src: Path | None = None) -> dict[str, Any]:
    """``kind`` measured in a fresh process; ``src``: the source tree whose code runs (default: this one's)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "ours" if kind == "before" else kind,
           str(data_dir)]
    env = {**os.environ, **ENV, **({} if kind == "ours" else LONG)}
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "limit_s": timeout}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"status": "error", "error": proc.stderr[-800:]}


def cli(data_dir: Path, *args: str, timeout: float = 3600) -> tuple[float, int]:
    """Seconds and exit code of ``legalgraph --data-dir DIR ARGS`` end to end (output discarded)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "legalgraph.cli", "--data-dir", str(data_dir), *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
                          env={**os.environ, **ENV})
    if proc.returncode != 0:
        raise RuntimeError(f"legalgraph {' '.join(args)}: {proc.stderr.decode()[-800:]}")
    return time.perf_counter() - t0, proc.returncode


def bench_size(size: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = work / f"db-{size}"
    extra: list[str] = []
    if size != "shipped":
        synth = work / f"synth-{size}.ttl"
        if not synth.exists():
            subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "--triples", size, "-o", str(synth)],
                           check=True, capture_output=True)
        extra = [str(synth)]
    if not data_dir.exists():
        load_s, _ = cli(data_dir, "load", *extra)
        print(f"  {size}: store built in {load_s:.1f} s", file=sys.stderr, flush=True)
    out: dict[str, Any] = {"size": size}
    cli(data_dir, "assess")  # once, so that the timed runs find the store synced with data/ (load=False there)
    out["ours"] = run_worker("ours", data_dir, None)
    out["cli_s"] = sorted(cli(data_dir, "assess")[0] for _ in range(args.cli_runs))[args.cli_runs // 2]
    if args.before:
        out["before"] = run_worker("before", data_dir, args.baseline_timeout, args.before)
        if "seconds" in out["before"] and "seconds" in out["ours"]:
            out["same_as_before"] = out["before"]["digest"] == out["ours"]["digest"]
            out["speedup_before"] = out["before"]["seconds"] / out["ours"]["seconds"]
    triples = out["ours"].get("triples", 0)
    if triples <= args.baseline_max:
        out["baseline"] = run_worker("baseline", data_dir, args.baseline_timeout)
    else:
        out["baseline"] = {"status": "skipped", "reason": f"over --baseline-max ({args.baseline_max} triples)"}
    b, o = out["baseline"], out["ours"]
    if "seconds" in b and "seconds" in o:
        out["same_rows"] = b["digest"] == o["digest"]
        out["speedup"] = b["seconds"] / o["seconds"]
        out["memory_ratio"] = o["peak_mb"] / b["peak_mb"]
    print(f"  {size}: {json.dumps(out)}", file=sys.stderr, flush=True)
    return out


def fmt(x: Any, unit: str = "") -> str:
    if isinstance(x, float):
        return f"{x:.2f}{unit}" if x < 100 else f"{x:.0f}{unit}"
    return "–" if x is None else str(x)


def report(results: list[dict[str, Any]]) -> str:
    head = ["graph", "triples", "rows", "ours (in process)", "ours (CLI)", "ours peak", "before", "vs before",
            "same as before", "pySHACL whole graph", "pySHACL peak", "speedup", "memory", "same rows"]
    lines = [head]
    yes_no = {True: "yes", False: "NO"}
    for r in results:
        o, b, p = r["ours"], r["baseline"], r.get("before", {})
        base = fmt(b.get("seconds"), " s") if "seconds" in b else (
            f">{b['limit_s']:.0f} s (stopped)" if b.get("status") == "timeout" else b.get("status", "–"))
        lines.append([r["size"], f"{o.get('triples', 0):,}", str(o.get("rows", "–")), fmt(o.get("seconds"), " s"),
                      fmt(r.get("cli_s"), " s"), fmt(o.get("peak_mb"), " MB"),
                      fmt(p.get("seconds"), " s") if "seconds" in p else p.get("status", "–"),
                      fmt(r.get("speedup_before"), "×"), yes_no.get(r.get("same_as_before"), "–"),  # type: ignore[arg-type]
                      base, fmt(b.get("peak_mb"), " MB"), fmt(r.get("speedup"), "×"), fmt(r.get("memory_ratio")),
                      yes_no.get(r.get("same_rows"), "–")])  # type: ignore[arg-type]
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="shipped,100000,1000000", help="shipped and/or synthetic triple counts")
    ap.add_argument("--baseline-max", type=int, default=200_000,
                    help="run the pySHACL baseline only up to this many triples (default 200000)")
    ap.add_argument("--baseline-timeout", type=float, default=1800, help="stop the baseline after S seconds")
    ap.add_argument("--cli-runs", type=int, default=3, help="CLI runs per size (the median is reported)")
    ap.add_argument("--before", type=Path, help="also time the assess of this source tree (e.g. ../main/src)")
    ap.add_argument("--workdir", type=Path, help="keep generated files and stores here (default: a temp dir)")
    ap.add_argument("--out", type=Path, help="write the results as JSON")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "DATA_DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print("RESULT " + json.dumps(worker(*args.worker)), flush=True)
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="legalgraph-assess-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_size(size, work, args) for size in args.sizes.split(",")]
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0 if all(r.get("same_rows", True) and r.get("same_as_before", True) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
