#!/usr/bin/env python3
"""Benchmark legalgraph on this machine, in one run: load, re-open, canned queries, entry validation.

    .venv/bin/python bench/run.py [--sizes 10000,100000,1000000] [--quick] [--full-baseline]

For the shipped graph and for each synthetic size (the shipped ontology/ and data/ files plus a
``bench/synth.py`` file of about that many triples) it measures, each figure in fresh subprocesses so that
peak memory is isolated:

* load: building a fresh persisted ``OxigraphStore(path).load(files)`` (ours) against rdflib's
  ``Graph().parse`` of the same Turtle (baseline), with pyoxigraph's ``bulk_load`` as a reference floor;
  wall time and peak RSS;
* re-open: opening the persisted store and ``sync`` with nothing changed;
* queries: median and p95 of every canned query (``queries/*.rq``, or a built-in set of six when that
  folder is empty) on ``OxigraphStore.query`` (ours), ``MemoryStore.query`` (rdflib, baseline) and
  pyoxigraph's ``Store.query`` on the same store with ``use_default_graph_as_union`` (floor);
* validation: ``legalgraph.services.validation.validate(store, entry)`` of a ~50-triple entry against a pySHACL run
  over the whole graph (integrity + benchmark shapes), the baseline.

It prints a table and writes JSON to ``bench/results/bench-<timestamp>.json`` (or ``--out``). See
bench/README.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHIPPED_ENTRY = ROOT / "data" / "examples" / "tj-draft-amendment-six-month-programmes.ttl"

TARGETS = {
    "load_speedup_min": 25.0,          # rdflib Graph().parse time / our build time, at ~10^6
    "reopen_max_s": 1.0,               # re-open + sync with nothing changed, at ~10^6
    "query_speedup_min": 20.0,         # rdflib MemoryStore.query / OxigraphStore.query
    "query_overhead_max": 1.5,         # OxigraphStore.query / pyoxigraph Store.query
    "entry_validation_max_s": 0.2,     # validate(store, entry) of a ~50-triple entry
    "memory_ratio_max": 1 / 3,         # our peak RSS / rdflib's peak RSS while loading
}

# Six representative queries, used when queries/ holds no .rq files. They run on the shipped graph too.
# (An AVG over an OPTIONAL value is unbound on Oxigraph, as SPARQL 1.1 says, and skips the gaps on rdflib:
# the answers are compared row by row, so the queries avoid it.)
BUILTIN_QUERIES: dict[str, str] = {
    "join-filter": """
SELECT ?obligation ?bearer ?article ?act WHERE {
  ?obligation a lg:Obligation ; lg:legalBasis ?article ; lg:bearer ?bearer .
  ?article eli:is_part_of ?act .
  ?act lg:adoptionYear ?year .
  ?bearer org:classification ?type .
  FILTER(?type IN (<https://w3id.org/legalgraph/vocab/org-type/ministry>,
                   <https://w3id.org/legalgraph/vocab/org-type/police>))
  FILTER(xsd:integer(STR(?year)) >= 2010)
}""",
    "group-by-country": """
SELECT ?country (COUNT(DISTINCT ?programme) AS ?programmes) (SUM(COALESCE(?sessions, 0)) AS ?allSessions)
       (SUM(?mandatory) AS ?mandatoryProgrammes) WHERE {
  ?programme a lg:PerpetratorProgramme ; lg:country ?country .
  OPTIONAL { ?programme lg:totalSessions ?sessions }
  BIND(IF(EXISTS { ?programme lg:modality <https://w3id.org/legalgraph/vocab/modality/mandatory> }, 1, 0)
       AS ?mandatory)
}
GROUP BY ?country
ORDER BY DESC(?programmes)""",
    "optional-not-exists": """
SELECT ?programme ?label ?providerLabel ?duration WHERE {
  ?programme a lg:PerpetratorProgramme ; rdfs:label ?label .
  OPTIONAL { ?programme lg:provider ?provider . ?provider rdfs:label ?providerLabel }
  OPTIONAL { ?programme lg:duration ?duration }
  FILTER NOT EXISTS { ?programme lg:evaluationTool ?tool }
  FILTER NOT EXISTS { [] lg:variantOf ?programme }
}""",
    "property-path": """
SELECT ?act (COUNT(DISTINCT ?provision) AS ?provisions) WHERE {
  ?act a lg:LegalAct ; eli:amended_by ?amendment .
  ?provision eli:is_part_of+ ?act .
}
GROUP BY ?act""",
    "order-limit": """
SELECT ?act ?title ?year ?country WHERE {
  ?act a lg:LegalAct ; eli:title ?title ; lg:adoptionYear ?year ; lg:jurisdiction ?country .
}
ORDER BY DESC(STR(?year)) ?act
LIMIT 20""",
    "ask": """
ASK {
  ?programme a lg:PerpetratorProgramme ;
             lg:modality <https://w3id.org/legalgraph/vocab/modality/mandatory> ;
             lg:totalSessions ?sessions .
  FILTER(?sessions > 1000)
}""",
}


# ====================================================================== helpers

def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def summary(times: list[float]) -> dict[str, Any]:
    s = sorted(times)
    p95 = s[min(len(s) - 1, max(0, -(-95 * len(s) // 100) - 1))]  # nearest rank
    return {"median_s": statistics.median(s), "p95_s": p95, "min_s": s[0], "n": len(s)}


def size_of(result: Any) -> int | bool:
    """Rows of a SELECT, triples of a CONSTRUCT, the answer of an ASK (any backend's result)."""
    from legalgraph.store.base import Answer as QueryResult
    if isinstance(result, QueryResult):
        if result.kind == "ask":
            return bool(result.boolean)
        return len(result.rows) if result.kind == "select" else len(result.graph or [])
    import pyoxigraph as ox
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):  # read every value, as any use of the answer must
        return len([tuple(solution) for solution in result])
    return sum(1 for _ in result)


def load_queries(mode: str) -> tuple[str, list[dict[str, Any]]]:
    """The queries to time: (source, [{name, text, bindings, note}]). Bindings are rdflib terms."""
    files = sorted((ROOT / "queries").glob("*.rq"))
    if mode == "builtin" or (mode == "auto" and not files):
        return "built-in", [{"name": n, "text": t.strip(), "bindings": {}, "note": ""}
                            for n, t in BUILTIN_QUERIES.items()]
    out = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        bindings, note = {}, ""
        try:
            bindings = canned_bindings(f)
            if bindings:
                note = "bound: " + ", ".join(f"{k}={v.n3()}" for k, v in bindings.items())
        except Exception as exc:  # header not understood: run it unbound
            bindings, note = {}, f"run unbound ({type(exc).__name__}: {exc})"
        out.append({"name": f.stem, "text": text, "bindings": bindings, "note": note})
    return "queries/*.rq", out


def canned_bindings(path: Path) -> dict[str, Any]:
    """Parameter values for a canned query: each default; for a required parameter without one, the example
    its header gives ("e.g. programme/tj-consultation-rooms"); optional parameters stay unbound."""
    from legalgraph.services.catalogue import parse
    q = parse(path)
    given = {}
    for p in q.params:
        if p.default is None and not p.optional:
            m = re.search(r"e\.g\.\s+([^\s,;)]+)", p.doc)
            if m:
                given[p.name] = m.group(1).rstrip(".")
    return q.bindings(given)


def reps_for(warm_s: float, reps: int, budget_s: float) -> int:
    """Fewer repetitions for slow queries: about ``budget_s`` per query, at least 3 (1 past 30 s)."""
    if warm_s * reps <= budget_s:
        return reps
    return max(1 if warm_s > 30 else 3, min(reps, int(budget_s / max(warm_s, 1e-9))))


def to_spec(queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Queries for a worker's JSON spec: bindings as N3, so every worker times the same snapshot."""
    return [{**q, "bindings": {k: v.n3() for k, v in q["bindings"].items()}} for q in queries]


def from_spec(queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from rdflib.util import from_n3
    return [{**q, "bindings": {k: from_n3(v) for k, v in q["bindings"].items()}} for q in queries]


def turtle_files(spec: dict[str, Any]) -> list[Path]:
    return [Path(p) for p in spec["files"]]


def emit(kind: str, payload: dict[str, Any]) -> None:
    print(kind, json.dumps(payload), flush=True)


# ====================================================================== workers (subprocesses)

def worker_load_ours(spec: dict[str, Any]) -> dict[str, Any]:
    from legalgraph.store.embedded import OxigraphStore
    files = turtle_files(spec)
    base = rss_mb()
    t0 = time.perf_counter()
    store = OxigraphStore(Path(spec["store"]))
    store.load(files)
    t1 = time.perf_counter()
    n = store.triples()
    store.close()
    t2 = time.perf_counter()
    return {"seconds": t1 - t0, "close_s": t2 - t1, "quads": n, "base_rss_mb": base, "peak_rss_mb": peak_rss_mb()}


def worker_load_rdflib(spec: dict[str, Any]) -> dict[str, Any]:
    from rdflib import Graph

    import legalgraph.store  # noqa: F401  (same imports as the other workers, so base RSS compares)
    files = turtle_files(spec)
    base = rss_mb()
    t0 = time.perf_counter()
    g = Graph()
    for p in files:
        g.parse(p, format="turtle")
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "triples": len(g), "base_rss_mb": base, "peak_rss_mb": peak_rss_mb()}


def worker_load_pyoxigraph(spec: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    from legalgraph.store import graph_name
    files = turtle_files(spec)
    base = rss_mb()
    t0 = time.perf_counter()
    store = ox.Store(spec["store"])
    for p in files:
        store.bulk_load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph_name(p))))
    store.flush()
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "quads": len(store), "base_rss_mb": base, "peak_rss_mb": peak_rss_mb()}


def worker_reopen(spec: dict[str, Any]) -> dict[str, Any]:
    from legalgraph.store.embedded import OxigraphStore
    files = turtle_files(spec)
    t0 = time.perf_counter()
    store = OxigraphStore(Path(spec["store"]))
    t1 = time.perf_counter()
    changed = store.load(files)
    t2 = time.perf_counter()
    first = store.query("ASK { ?s a lg:LegalAct }").boolean
    t3 = time.perf_counter()
    store.close()
    return {"seconds": t2 - t0, "open_s": t1 - t0, "sync_s": t2 - t1, "first_query_s": t3 - t2,
            "reloaded": [str(p) for p in changed], "answer": first, "peak_rss_mb": peak_rss_mb()}


def worker_queries_ours(spec: dict[str, Any]) -> dict[str, Any]:
    from legalgraph.formats import digest
    from legalgraph.namespaces import PREFIXES
    from legalgraph.store.binding import bind
    from legalgraph.store.embedded import OxigraphStore
    queries = from_spec(spec["queries"])
    store = OxigraphStore(Path(spec["store"]))
    raw = store._store  # the same pyoxigraph Store, queried directly: the floor
    reps = spec["reps"]
    out: dict[str, Any] = {}
    for q in queries:
        text = bind(q["text"], q["bindings"])

        def ours(q=q):
            return size_of(store.query(q["text"], q["bindings"]))

        def floor(text=text):
            return size_of(raw.query(text, prefixes=PREFIXES, use_default_graph_as_union=True))

        try:
            t0 = time.perf_counter()
            first = store.query(q["text"], q["bindings"])  # warm-up, and the answer
            warm = time.perf_counter() - t0
            rows = {"ours": size_of(first), "pyoxigraph": floor()}
        except Exception as exc:
            out[q["name"]] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        times: dict[str, list[float]] = {"ours": [], "pyoxigraph": []}
        for _ in range(reps_for(2 * warm, reps, spec["budget_s"])):  # interleaved: drift hits both alike
            for name, fn in (("ours", ours), ("pyoxigraph", floor)):
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
        out[q["name"]] = {name: {**summary(ts), "result": rows[name]} for name, ts in times.items()}
        out[q["name"]]["ours"]["digest"] = digest(first)
    store.close()
    return out


def worker_queries_rdflib(spec: dict[str, Any]) -> dict[str, Any]:
    """Streams events: ready, then per query start / run … / done, so the parent can kill a stuck query."""
    from legalgraph.formats import digest
    from legalgraph.store.memory import MemoryStore
    queries = from_spec(spec["queries"])
    t0 = time.perf_counter()
    store = MemoryStore(turtle_files(spec))
    emit("EVENT", {"event": "ready", "load_s": time.perf_counter() - t0, "peak_rss_mb": peak_rss_mb()})
    soft = spec["soft_timeout_s"]
    for q in queries:
        if q["name"] not in spec["names"]:
            continue
        emit("EVENT", {"event": "start", "name": q["name"]})
        times: list[float] = []
        result: Any = None
        status = "ok"
        reps = spec["reps"]
        try:
            for i in range(reps + 1):
                t = time.perf_counter()
                answer = store.query(q["text"], q["bindings"])
                dt = time.perf_counter() - t
                result = size_of(answer)
                if i == 0:
                    fingerprint = digest(answer)
                emit("EVENT", {"event": "run", "name": q["name"], "seconds": dt})
                if i > 0 or dt > 1.0:  # a first run under a second is a warm-up; a slow one is a sample
                    times.append(dt)
                if dt > soft:
                    status = "timeout"
                    break
                if i == 0:
                    reps = reps_for(dt, reps, spec["budget_s"])
                if len(times) >= reps:
                    break
        except Exception as exc:
            emit("EVENT", {"event": "done", "name": q["name"], "error": f"{type(exc).__name__}: {exc}"})
            continue
        emit("EVENT", {"event": "done", "name": q["name"], "status": status, "result": result,
                       "digest": fingerprint, **summary(times)})
    return {"peak_rss_mb": peak_rss_mb()}


def worker_validate_entry(spec: dict[str, Any]) -> dict[str, Any]:
    from legalgraph.services.entries import read_entry
    from legalgraph.services.validation import neighbourhood, validate
    from legalgraph.store.embedded import OxigraphStore
    store = OxigraphStore(Path(spec["store"]))
    entry = read_entry(Path(spec["entry"]))
    t0 = time.perf_counter()
    report = validate(store, entry)
    cold = time.perf_counter() - t0
    times = []
    for _ in range(spec["reps"]):
        t = time.perf_counter()
        report = validate(store, entry)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    context = len(neighbourhood(store, entry))
    ctx_s = time.perf_counter() - t
    store.close()
    return {**summary(times), "cold_s": cold, "entry_triples": len(entry), "neighbourhood_triples": context,
            "neighbourhood_s": ctx_s, "conforms": report.conforms, "violations": len(report.violations),
            "warnings_and_infos": len(report.results) - len(report.violations)}


def worker_validate_full(spec: dict[str, Any]) -> dict[str, Any]:
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from legalgraph.services.validation import load_shapes
    t0 = time.perf_counter()
    g = Graph()
    for p in turtle_files(spec):
        g.parse(p, format="turtle")
    parse_s = time.perf_counter() - t0
    shapes = load_shapes(("integrity", "benchmarks"))
    t0 = time.perf_counter()
    conforms, report, _ = pyshacl.validate(g, shacl_graph=shapes, advanced=True, allow_warnings=True,
                                           allow_infos=True)
    seconds = time.perf_counter() - t0
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    violations = sum(1 for r in results if report.value(r, SH.resultSeverity) == SH.Violation)
    return {"status": "ok", "seconds": seconds, "parse_s": parse_s, "triples": len(g), "conforms": bool(conforms),
            "violations": violations, "results": len(results), "peak_rss_mb": peak_rss_mb()}


WORKERS = {
    "load-ours": worker_load_ours,
    "load-rdflib": worker_load_rdflib,
    "load-pyoxigraph": worker_load_pyoxigraph,
    "reopen": worker_reopen,
    "queries-ours": worker_queries_ours,
    "queries-rdflib": worker_queries_rdflib,
    "validate-entry": worker_validate_entry,
    "validate-full": worker_validate_full,
}


def worker_main(kind: str, spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    emit("RESULT", WORKERS[kind](spec))
    return 0


# ====================================================================== the parent

class Runner:
    def __init__(self, workdir: Path, verbose: bool = True) -> None:
        self.workdir = workdir
        self.verbose = verbose
        self.n = 0

    def log(self, msg: str) -> None:
        if self.verbose:
            print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def _spec(self, kind: str, spec: dict[str, Any]) -> tuple[list[str], Path]:
        self.n += 1
        path = self.workdir / f"spec-{self.n:03d}-{kind}.json"
        path.write_text(json.dumps(spec))
        return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(path)], path

    def run(self, kind: str, spec: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """Run one worker in a fresh process; its last RESULT line, or {'status': 'timeout'|'error'}."""
        cmd, _ = self._spec(kind, spec)
        errlog = self.workdir / f"worker-{self.n:03d}-{kind}.log"
        with errlog.open("w") as err:
            for attempt in range(4):
                try:
                    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, timeout=timeout,
                                          env={**os.environ, "PYTHONHASHSEED": "0"})
                    break
                except subprocess.TimeoutExpired:
                    return {"status": "timeout", "limit_s": timeout}
                except OSError as exc:  # e.g. the venv being re-installed under us: wait and retry
                    if attempt == 3:
                        return {"status": "error", "error": f"cannot start the worker: {exc}"}
                    self.log(f"  cannot start {kind} ({exc}); retrying in 30 s")
                    time.sleep(30)
        for line in reversed(proc.stdout.splitlines()):
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
        tail = errlog.read_text()[-800:]
        return {"status": "error", "error": f"exit {proc.returncode}: {tail}"}

    def rdflib_queries(self, spec: dict[str, Any], names: list[str], hard_timeout: float,
                       ready_timeout: float) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run the rdflib query worker; kill it when one run passes ``hard_timeout`` and go on without it."""
        results: dict[str, Any] = {}
        pending = list(names)
        load: dict[str, Any] = {}
        while pending:
            cmd, _ = self._spec("queries-rdflib", {**spec, "names": pending})
            errlog = (self.workdir / f"worker-{self.n:03d}-queries-rdflib.log").open("w")
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errlog, text=True)
            events: queue.Queue[dict[str, Any] | None] = queue.Queue()

            def read(stdout=proc.stdout, events=events) -> None:
                for line in stdout:
                    if line.startswith("EVENT "):
                        events.put(json.loads(line[len("EVENT "):]))
                events.put(None)

            threading.Thread(target=read, daemon=True).start()

            def next_event(timeout: float, events=events) -> dict[str, Any] | None:
                return events.get(timeout=timeout)

            try:
                ev = next_event(ready_timeout)
                if ev is None or ev.get("event") != "ready":
                    for n in pending:
                        results[n] = {"status": "error", "error": "the rdflib worker died while loading"}
                    break
                load = ev
                while pending:
                    ev = next_event(hard_timeout)
                    if ev is None:
                        results[pending.pop(0)] = {"status": "error", "error": "the rdflib worker died"}
                        break
                    if ev["event"] == "done":
                        name = ev.pop("name")
                        results[name] = ev
                        pending.remove(name)
                    elif ev["event"] == "start":
                        self.log(f"  rdflib: {ev['name']}")
            except queue.Empty:
                name = pending.pop(0)
                results[name] = {"status": "timeout", "limit_s": hard_timeout,
                                 "note": f"one run took over {hard_timeout:.0f} s; the worker was killed"}
                self.log(f"  rdflib: {name} killed after {hard_timeout:.0f} s")
            finally:
                proc.kill()
                proc.wait()
                errlog.close()
        return results, load


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def derive_item(item: dict[str, Any]) -> dict[str, Any]:
    """The ratios of one query. An rdflib timeout gives a lower bound (its one run, or the kill limit)."""
    o, f, rd = item.get("ours") or {}, item.get("pyoxigraph") or {}, item.get("rdflib") or {}
    om = o.get("median_s")
    lower = rd.get("status") == "timeout"
    baseline = rd.get("median_s") or (rd.get("limit_s") if lower else None)
    item["rdflib_over_ours"] = ratio(baseline, om)
    item["rdflib_over_ours_is_lower_bound"] = lower
    item["ours_over_pyoxigraph"] = ratio(om, f.get("median_s"))
    # the ceiling: how much faster than rdflib the engine itself is, with no legalgraph code around it
    item["rdflib_over_pyoxigraph"] = ratio(baseline, f.get("median_s"))
    if o and rd.get("result") is not None:  # same size, and the same rows where both sides sent a digest
        item["results_agree"] = o["result"] == rd["result"] and (
            None in (o.get("digest"), rd.get("digest")) or o["digest"] == rd["digest"])
    return item


def derive(results: dict[str, Any]) -> dict[str, Any]:
    """Recompute every derived figure from the raw measurements (also for an older JSON, --report)."""
    for s in results["sizes"]:
        if "error" in s:
            continue
        for item in s["queries"]["items"].values():
            derive_item(item)
        runs = s["reopen"].get("runs") or []
        if runs:
            s["reopen"]["first_s"] = runs[0]["seconds"]
            s["reopen"]["max_s"] = max(r["seconds"] for r in runs)
    results["targets"] = evaluate_targets(results["sizes"])
    return results


def bench_size(r: Runner, cfg: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    name, files, total_hint = cfg["name"], [str(p) for p in cfg["files"]], cfg["approx_triples"]
    big = total_hint > 300_000
    mid = total_hint > 30_000
    if args.quick:
        load_reps, q_reps, rq_reps, v_reps = 1, 3, 3, 3
    elif big:
        load_reps, q_reps, rq_reps, v_reps = 1, 10, 3, 5
    elif mid:
        load_reps, q_reps, rq_reps, v_reps = 1, 20, 5, 10
    else:
        load_reps, q_reps, rq_reps, v_reps = 3, 30, 10, 10
    out: dict[str, Any] = {"name": name, "nominal_triples": cfg.get("nominal"), "files": len(files),
                           "turtle_bytes": sum(Path(f).stat().st_size for f in files)}
    stores = r.workdir / "stores"
    stores.mkdir(parents=True, exist_ok=True)

    # -- load -----------------------------------------------------------------------------------------
    def fresh(tag: str) -> str:
        d = stores / f"{name}-{tag}"
        shutil.rmtree(d, ignore_errors=True)
        return str(d)

    def best(kind: str, tag: str | None) -> dict[str, Any]:
        runs = []
        for _ in range(load_reps):
            spec = {"files": files}
            if tag:
                spec["store"] = fresh(tag)
            runs.append(r.run(kind, spec))
        ok = [x for x in runs if "seconds" in x]
        if not ok:
            return runs[-1]
        res = dict(sorted(ok, key=lambda x: x["seconds"])[len(ok) // 2])  # the median run
        res["runs_s"] = [x["seconds"] for x in ok]
        return res

    r.log(f"{name}: load (rdflib Graph().parse)")
    rdflib_load = best("load-rdflib", None)
    r.log(f"{name}: load (pyoxigraph bulk_load)")
    ox_load = best("load-pyoxigraph", "ox")
    shutil.rmtree(stores / f"{name}-ox", ignore_errors=True)
    r.log(f"{name}: load (OxigraphStore.sync)")
    ours_load = best("load-ours", "ours")
    store = str(stores / f"{name}-ours")
    out["triples"] = rdflib_load.get("triples") or ours_load.get("quads")
    out["load"] = {
        "ours": ours_load, "rdflib": rdflib_load, "pyoxigraph_bulk_load": ox_load,
        "speedup_vs_rdflib": ratio(rdflib_load.get("seconds"), ours_load.get("seconds")),
        "memory_ratio_ours_over_rdflib": ratio(ours_load.get("peak_rss_mb"), rdflib_load.get("peak_rss_mb")),
        "memory_ratio_above_base": ratio(
            (ours_load.get("peak_rss_mb") or 0) - (ours_load.get("base_rss_mb") or 0),
            (rdflib_load.get("peak_rss_mb") or 0) - (rdflib_load.get("base_rss_mb") or 0)),
    }

    # -- re-open ----------------------------------------------------------------------------------------
    r.log(f"{name}: re-open")
    reopen_runs = [r.run("reopen", {"files": files, "store": store}) for _ in range(3)]
    ok = [x for x in reopen_runs if "seconds" in x]
    out["reopen"] = ({**summary([x["seconds"] for x in ok]), "first_s": ok[0]["seconds"], "runs": ok} if ok
                     else {"status": "error", "runs": reopen_runs})

    # -- queries ----------------------------------------------------------------------------------------
    source, queries = cfg["queries"]
    r.log(f"{name}: queries ({source}, {len(queries)}) on OxigraphStore and pyoxigraph")
    qspec = {"files": files, "store": store, "queries": to_spec(queries), "reps": q_reps,
             "budget_s": args.query_budget}
    ours_q = r.run("queries-ours", qspec)
    r.log(f"{name}: queries on rdflib MemoryStore")
    soft = args.rdflib_timeout
    rdf_q, rdf_load = r.rdflib_queries({**qspec, "reps": rq_reps, "soft_timeout_s": soft},
                                       [q["name"] for q in queries], hard_timeout=max(2 * soft, 10.0),
                                       ready_timeout=3600)
    items: dict[str, Any] = {}
    for q in queries:
        o = ours_q.get(q["name"], {"error": ours_q.get("error", "not run")})
        rd = rdf_q.get(q["name"], {"status": "error", "error": "not run"})
        item: dict[str, Any] = {"note": q["note"], "ours": o.get("ours"), "pyoxigraph": o.get("pyoxigraph"),
                                "rdflib": rd}
        if "error" in o:
            item["error"] = o["error"]
        items[q["name"]] = derive_item(item)
    out["queries"] = {"source": source, "reps": {"ours": q_reps, "rdflib": rq_reps},
                      "rdflib_soft_timeout_s": soft, "rdflib_memorystore_load": rdf_load, "items": items}

    # -- validation -------------------------------------------------------------------------------------
    r.log(f"{name}: entry validation")
    entry = r.run("validate-entry", {"store": store, "entry": str(cfg["entry"]), "reps": v_reps})
    full: dict[str, Any]
    if total_hint > args.full_baseline_max and not args.full_baseline:
        full = {"status": "skipped", "reason": f"above {args.full_baseline_max} triples; pass --full-baseline "
                f"to run it (pySHACL over the whole graph takes minutes to hours at this size)"}
    else:
        r.log(f"{name}: full-graph pySHACL baseline (timeout {args.baseline_timeout:.0f} s)")
        full = r.run("validate-full", {"files": files}, timeout=args.baseline_timeout)
        if full.get("status") == "timeout":
            full["note"] = (f"did not finish in {args.baseline_timeout:.0f} s: the figure is a lower bound "
                            "(raise it with --baseline-timeout)")
    out["validation"] = {"entry": str(cfg["entry"]), "ours": entry, "full_pyshacl": full,
                         "speedup_vs_full": ratio(full.get("seconds") or full.get("limit_s"),
                                                  entry.get("median_s")),
                         "speedup_is_lower_bound": full.get("status") == "timeout"}
    # -- web service --------------------------------------------------------------------------------------
    if args.no_web:
        out["web"] = {"status": "skipped", "reason": "--no-web"}
    else:
        import web
        try:
            out["web"] = web.suite(store, 50 if args.quick else args.web_requests, args.web_concurrency,
                                   log=lambda m: r.log(f"{name}: {m}"), every_page=not args.quick)
        except Exception as exc:  # a server that does not start must not cost the other figures
            out["web"] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
    shutil.rmtree(store, ignore_errors=True)
    return out


# ====================================================================== report

def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}s"
    if x >= 1:
        return f"{x:.2f}s"
    return f"{x * 1000:.1f}ms" if x >= 0.001 else f"{x * 1e6:.0f}µs"


def fmt_x(x: float | None, lower: bool = False) -> str:
    return "–" if x is None else f"{'>' if lower else ''}{x:.1f}×"


def fmt_mb(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}MB"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    sizes = [s for s in results["sizes"] if "error" not in s]
    parts = []
    rows = [["graph", "triples", "load ours", "rdflib", "speedup", "bulk_load", "reopen 1st/med", "peak ours",
             "peak rdflib", "mem ratio", "entry val", "full pySHACL", "val speedup"]]
    for s in sizes:
        ld, v = s["load"], s["validation"]
        full = v["full_pyshacl"]
        full_s = (fmt_s(full.get("seconds")) if full.get("status") == "ok" else
                  f">{full['limit_s']:.0f}s" if full.get("status") == "timeout" else full.get("status", "?"))
        rows.append([s["name"], f"{s.get('triples') or 0:,}", fmt_s(ld["ours"].get("seconds")),
                     fmt_s(ld["rdflib"].get("seconds")), fmt_x(ld["speedup_vs_rdflib"]),
                     fmt_s(ld["pyoxigraph_bulk_load"].get("seconds")),
                     f"{fmt_s(s['reopen'].get('first_s'))}/{fmt_s(s['reopen'].get('median_s'))}",
                     fmt_mb(ld["ours"].get("peak_rss_mb")), fmt_mb(ld["rdflib"].get("peak_rss_mb")),
                     "–" if ld["memory_ratio_ours_over_rdflib"] is None
                     else f"{ld['memory_ratio_ours_over_rdflib']:.2f}",
                     fmt_s(v["ours"].get("median_s")), full_s,
                     fmt_x(v["speedup_vs_full"], v["speedup_is_lower_bound"])])
    parts.append(table(rows))
    for s in sizes:
        q = s["queries"]
        rows = [[f"{s['name']} ({q['source']})", "ours med", "ours p95", "pyox med", "rdflib med", "rdflib p95",
                 "rdflib/ours", "rdflib/pyox", "ours/pyox", "same answer"]]
        for name, it in q["items"].items():
            o, f, rd = it.get("ours") or {}, it.get("pyoxigraph") or {}, it.get("rdflib") or {}
            if rd.get("status") == "timeout":
                rmed = f">{rd.get('median_s') or rd.get('limit_s'):.0f}s (timeout)"
            elif "error" in rd:
                rmed = "error"
            else:
                rmed = fmt_s(rd.get("median_s"))
            rows.append([name, fmt_s(o.get("median_s")) if o else it.get("error", "error")[:30],
                         fmt_s(o.get("p95_s")), fmt_s(f.get("median_s")), rmed, fmt_s(rd.get("p95_s")),
                         fmt_x(it.get("rdflib_over_ours"), it.get("rdflib_over_ours_is_lower_bound", False)),
                         fmt_x(it.get("rdflib_over_pyoxigraph"), it.get("rdflib_over_ours_is_lower_bound", False)),
                         "–" if it.get("ours_over_pyoxigraph") is None else f"{it['ours_over_pyoxigraph']:.2f}",
                         {True: "yes", False: "NO"}.get(it.get("results_agree"), "–")])
        parts.append(table(rows))
    web_rows = [["graph", "server", "target", "req/s", "p50 ms", "p99 ms", "vs Oxigraph server"]]
    for s in sizes:
        w = s.get("web") or {}
        if "ours" in w:
            import web
            web_rows += [[s["name"], *row] for row in web.rows(w)[1:]]
        elif w:
            web_rows.append([s["name"], w.get("status", "?"), w.get("reason") or w.get("error", "")[:60],
                             "", "", "", ""])
    if len(web_rows) > 1:
        parts.append("Web service (requests per second, concurrent clients on loopback)\n" + table(web_rows))
    parts.append(targets_text(results["targets"]))
    parts += [f"{s['name']}: FAILED: {s['error']}" for s in results["sizes"] if "error" in s]
    return "\n\n".join(parts)


def evaluate_targets(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """Each target checked at the largest size measured (the targets are stated for ~10^6 triples)."""
    sizes = [s for s in sizes if "error" not in s]
    if not sizes:
        return {}
    s = max(sizes, key=lambda x: x.get("triples") or 0)
    ld, q, v = s["load"], s["queries"]["items"], s["validation"]
    out: dict[str, Any] = {"at": s["name"], "triples": s.get("triples")}

    def check(key: str, value: float | None, ok: bool | None, target: str) -> None:
        out[key] = {"value": value, "target": target, "met": ok}

    sp = ld["speedup_vs_rdflib"]
    check("load_speedup", sp, None if sp is None else sp >= TARGETS["load_speedup_min"], "≥ 25× rdflib")
    ro = s["reopen"].get("max_s", s["reopen"].get("median_s"))  # the first open after the build counts
    check("reopen_s", ro, None if ro is None else ro < TARGETS["reopen_max_s"], "< 1 s (every re-open)")
    mr = ld["memory_ratio_ours_over_rdflib"]
    check("memory_ratio", mr, None if mr is None else mr <= TARGETS["memory_ratio_max"], "≤ 1/3 of rdflib")
    speed = {n: it.get("rdflib_over_ours") for n, it in q.items()}
    over = {n: it.get("ours_over_pyoxigraph") for n, it in q.items()}
    slow = sorted(n + ("?" if q[n].get("rdflib_over_ours_is_lower_bound") else "") for n, x in speed.items()
                  if x is not None and x < TARGETS["query_speedup_min"])  # "?": a timeout's lower bound
    heavy = sorted(n for n, x in over.items() if x is not None and x > TARGETS["query_overhead_max"])
    vals = [x for x in speed.values() if x]
    check("query_speedup_min", min(vals) if vals else None, not slow, "every query ≥ 20× rdflib")
    out["query_speedup_min"]["missed_by"] = slow
    out["query_speedup_min"]["met_by"] = f"{len(vals) - len(slow)} of {len(vals)}"
    # misses that pyoxigraph itself, queried directly, also misses: the engine's limit, not our overhead
    out["query_speedup_min"]["floor_also_misses"] = sorted(
        n for n in slow if (q[n.rstrip("?")].get("rdflib_over_pyoxigraph") or 0) < TARGETS["query_speedup_min"])
    geo = statistics.geometric_mean(vals) if vals else None
    check("query_speedup_geomean", geo, None, "(information: geometric mean over the queries)")
    ovals = [x for x in over.values() if x]
    check("query_overhead_max", max(ovals) if ovals else None, not heavy, "every query ≤ 1.5× pyoxigraph")
    out["query_overhead_max"]["missed_by"] = heavy
    ev = v["ours"].get("median_s")
    check("entry_validation_s", ev, None if ev is None else ev < TARGETS["entry_validation_max_s"], "< 0.2 s")
    return out


def targets_text(t: dict[str, Any]) -> str:
    if not t:
        return ""
    lines = [f"Targets at {t['at']} ({t['triples']:,} triples; '?' = rdflib timed out, ratio is a lower bound):"]
    for key, c in t.items():
        if not isinstance(c, dict):
            continue
        val = c["value"]
        shown = "–" if val is None else (fmt_s(val) if key.endswith("_s") else f"{val:.2f}")
        mark = {True: "met", False: "MISSED", None: ""}[c["met"]]
        extra = f" (met by {c['met_by']})" if c.get("met_by") else ""
        if c.get("missed_by"):
            extra += f"\n      missed by: {', '.join(c['missed_by'])}"
        if c.get("floor_also_misses"):
            extra += (f"\n      of which pyoxigraph direct also misses {len(c['floor_also_misses'])}: "
                      f"{', '.join(c['floor_also_misses'])}")
        lines.append(f"  {key:<20} {shown:>10}  target {c['target']:<28} {mark}{extra}")
    return "\n".join(lines)


# ====================================================================== main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000",
                    help="synthetic sizes in triples, comma-separated (default 10000,100000,1000000)")
    ap.add_argument("--quick", action="store_true", help="shipped graph and 10^4 only, 3 repetitions (smoke test)")
    ap.add_argument("--full-baseline", action="store_true",
                    help="run the full-graph pySHACL baseline at every size (it is skipped above 10^5)")
    ap.add_argument("--full-baseline-max", type=int, default=200_000, help=argparse.SUPPRESS)
    ap.add_argument("--baseline-timeout", type=float, default=None,
                    help="seconds before the full-graph pySHACL baseline is stopped (default 300; 10 with --quick)")
    ap.add_argument("--rdflib-timeout", type=float, default=30.0,
                    help="an rdflib query run longer than this is recorded as a timeout and not repeated")
    ap.add_argument("--query-budget", type=float, default=30.0,
                    help="about this many seconds per query and engine; slow queries get fewer repetitions")
    ap.add_argument("--queries", choices=("auto", "canned", "builtin"), default="auto",
                    help="queries/*.rq (canned), the built-in six, or canned when there are any (auto)")
    ap.add_argument("--no-shipped", action="store_true", help="skip the shipped-graph row")
    ap.add_argument("--no-web", action="store_true", help="skip the web service measurement")
    ap.add_argument("--web-requests", type=int, default=300, help="requests per web target (50 with --quick)")
    ap.add_argument("--web-concurrency", type=int, default=8, help="concurrent clients of the web targets")
    ap.add_argument("--out", type=Path, help="JSON file to write (default bench/results/bench-<timestamp>.json)")
    ap.add_argument("--workdir", type=Path, help="where synthetic files and stores go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--report", type=Path, metavar="JSON", help="print the tables of an earlier run and stop")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(*args.worker)
    if args.report:
        print(report(derive(json.loads(args.report.read_text()))))
        return 0
    if args.baseline_timeout is None:
        args.baseline_timeout = 10.0 if args.quick else 300.0
    sizes = [10_000] if args.quick else [int(float(x)) for x in args.sizes.split(",") if x.strip()]

    sys.path.insert(0, str(BENCH))
    import synth

    from legalgraph.store import source_files

    out = args.out or BENCH / "results" / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="legalgraph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    r = Runner(workdir)
    shipped = source_files()
    shipped_triples = 7_000
    configs: list[dict[str, Any]] = []
    if not args.no_shipped:
        configs.append({"name": "shipped", "files": shipped, "entry": SHIPPED_ENTRY, "approx_triples": shipped_triples,
                        "nominal": None})
    started = time.time()
    snapshot = load_queries(args.queries)  # read once: queries/ may change while the benchmark runs
    for cfg in configs:
        cfg["queries"] = snapshot
    results: dict[str, Any] = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "argv": sys.argv[1:],
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                        "processor": platform.processor() or platform.machine()},
            "versions": versions(), "targets": TARGETS,
            "queries": {"source": snapshot[0], "names": [q["name"] for q in snapshot[1]],
                        "sha256": hashlib.sha256("".join(q["text"] for q in snapshot[1]).encode()).hexdigest()},
            "notes": "synthetic graphs = shipped ontology/ and data/ files + one bench/synth.py file of about "
                     "the nominal size; times from time.perf_counter, memory = peak RSS (ru_maxrss) of a "
                     "fresh process per measurement",
        },
        "sizes": [],
    }
    try:
        for n in sizes:
            d = workdir / "synth"
            d.mkdir(exist_ok=True)
            path, entry = d / f"synth-{n}.ttl", d / f"entry-{n}.ttl"
            t0 = time.perf_counter()
            with path.open("w", encoding="utf-8", newline="\n") as f:
                count = synth.generate(f, n)
            entry.write_text(synth.entry(synth.entry_refs(path)), encoding="utf-8")
            r.log(f"synth-{n}: {count:,} triples generated in {time.perf_counter() - t0:.1f} s")
            configs.append({"name": f"synth-{n}", "files": [*shipped, path], "entry": entry, "queries": snapshot,
                            "approx_triples": count + shipped_triples, "nominal": n, "synth_triples": count})
        for cfg in configs:
            try:
                res = bench_size(r, cfg, args)
            except Exception as exc:  # keep going: the other sizes are still worth measuring
                r.log(f"{cfg['name']}: failed: {type(exc).__name__}: {exc}")
                res = {"name": cfg["name"], "error": f"{type(exc).__name__}: {exc}"}
            if "synth_triples" in cfg:
                res["synth_triples"] = cfg["synth_triples"]
            results["sizes"].append(res)
            write(results, out, started)  # after every size, so that a crash keeps what was measured
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    write(results, out, started)
    print(report(results))
    print(f"\nJSON: {out}  (total {results['meta']['total_s']:.0f} s)")
    return 0


def write(results: dict[str, Any], out: Path, started: float) -> None:
    results["meta"]["total_s"] = time.time() - started
    derive(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    tmp.replace(out)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for pkg in ("legalgraph", "pyoxigraph", "rdflib", "pyshacl"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "?"
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    out["commit"] = git.stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "queries"],
                           capture_output=True, text=True)
    out["src_or_queries_modified"] = str(bool(dirty.stdout.strip()))
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":  # keep worker start-up light
        sys.exit(worker_main(sys.argv[2], sys.argv[3]))
    sys.exit(main())
