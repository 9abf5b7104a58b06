"""Web service benchmark: requests per second with p50/p99, against Oxigraph server answering the same SPARQL.

On one persisted store directory, one after another (so that two servers never share the 2 cores):

1. ``legalgraph serve --store DIR`` (the embedded default): start-up to first answer, then a bounded number of
   concurrent requests for a canned query (its JSON twin) and an entity page (HTML);
2. ``oxigraph serve --location DIR --union-default-graph`` on the very same directory (the baseline): the same
   canned query's SPARQL, and the entity page's main CONSTRUCT, sent straight to its ``/query``;
3. ``legalgraph serve --store http://…/query`` on that Oxigraph server (the remote backend), with
   ``LEGALGRAPH_STORE_UNION=server``, the setting for a server started with ``--union-default-graph``
   (naming the graphs in every query instead made Oxigraph 2–5× slower at 10^6 triples).

``suite()`` is what bench/run.py calls for every size; run alone, this file measures the shipped graph, or
a store directory legalgraph built:

    .venv/bin/python bench/web.py [--requests 300] [--concurrency 8] [--store DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from legalgraph.namespaces import ID, PREFIXES  # noqa: E402
from legalgraph.services import catalogue as queries  # noqa: E402
from legalgraph.store.binding import bind  # noqa: E402

CANNED = "protection-orders"
ENTITY = "programme/tj-consultation-rooms"
TARGETS = {"sparql endpoint": "/sparql", "canned query": f"/queries/{CANNED}.json", "entity page": f"/id/{ENTITY}"}
#: Pages a person opens, each measured under 32 concurrent clients (target: p99 under 300 ms).
PAGES = ["/", "/compare", "/browse?country=kyrgyzstan", "/search?q=protection+orders", f"/queries/{CANNED}",
         f"/id/{ENTITY}", "/id/country/tajikistan", "/graph", "/queries", "/validate", "/brief/tajikistan",
         "/brief?countries=tajikistan&countries=kyrgyzstan", "/vocab/status/adopted", "/ontology/PerpetratorProgramme",
         "/sparql", "/graph/data.json?view=legal", "/entries/new", "/entries/new?kind=ProtectionOrderRegime",
         "/compare?lang=ru", "/brief/tajikistan?lang=ru"]
ENTITY_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"  # the entity page's main query (api/pages.py)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def wait(proc: subprocess.Popen, url: str, timeout: float = 600) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            r = httpx.get(url, timeout=5, headers={"accept": "application/sparql-results+json"})
            if r.status_code == 200:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_legalgraph(store: str, port: int, **settings: str) -> tuple[subprocess.Popen, float]:
    env = {**os.environ, "LEGALGRAPH_STORE": store, **settings}
    proc = subprocess.Popen([str(BIN / "legalgraph"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, wait(proc, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D")


def start_oxigraph(location: str, port: int) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", location, "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, wait(proc, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")


def hammer(send, n: int, concurrency: int) -> dict[str, float]:
    """``n`` calls of ``send(client)`` from ``concurrency`` threads after 10 warm-up calls."""
    with httpx.Client(timeout=60) as client:
        def one(_: int) -> float:
            t = time.perf_counter()
            r = send(client)
            r.raise_for_status()
            return time.perf_counter() - t

        for _ in range(min(10, n)):
            one(0)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, range(n)))
        wall = time.perf_counter() - t0
    return {"requests": n, "rps": n / wall, "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


def pages(base: str, n: int, concurrency: int) -> dict[str, dict[str, float]]:
    endpoint_text, accept = sparql_texts()["canned query"]

    def send(client: httpx.Client, name: str, path: str) -> httpx.Response:
        if name == "sparql endpoint":  # the same SPARQL text, by POST, as Oxigraph server gets it
            return client.post(base + path, content=endpoint_text.encode(),
                               headers={"content-type": "application/sparql-query", "accept": accept})
        return client.get(base + path, headers={"accept": "text/html"} if "/id/" in path else {})

    return {name: hammer(lambda c, nm=name, p=path: send(c, nm, p), n, concurrency) for name, path in TARGETS.items()}


def page_latencies(base: str, n: int = 200, concurrency: int = 32) -> dict[str, dict[str, float]]:
    """Every page of PAGES under ``concurrency`` clients: requests/s, p50 and p99."""
    return {path: hammer(lambda c, p=path: c.get(base + p, headers={"accept": "text/html"}), n, concurrency)
            for path in PAGES}


def sparql_texts() -> dict[str, tuple[str, str]]:
    """The SPARQL our two pages send to the store, with the prefixes the store would add, and the Accept."""
    from rdflib import URIRef

    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    q = queries.get(CANNED)
    canned = (prologue + bind(q.text, q.bindings({})), "application/sparql-results+json")
    return {"sparql endpoint": canned, "canned query": canned,
            "entity page": (prologue + bind(ENTITY_CONSTRUCT, {"s": URIRef(f"{ID}{ENTITY}")}),
                            "application/n-triples")}


def suite(store_dir: str, requests: int = 300, concurrency: int = 8, log=print,
          every_page: bool = True) -> dict[str, Any]:
    """Measure the three servers on ``store_dir`` (a persisted store legalgraph built); see the module doc."""
    out: dict[str, Any] = {"requests": requests, "concurrency": concurrency}
    port = free_port()
    log("web: legalgraph serve (embedded store)")
    proc, startup = start_legalgraph(store_dir, port)
    try:
        out["startup_to_first_answer_s"] = startup
        out["ours"] = pages(f"http://127.0.0.1:{port}", requests, concurrency)
        if every_page:
            out["pages_32_clients"] = page_latencies(f"http://127.0.0.1:{port}", n=max(requests, 64))
    finally:
        stop(proc)
    oport = free_port()
    log("web: oxigraph serve on the same directory (baseline)")
    oproc, ostartup = start_oxigraph(store_dir, oport)
    try:
        out["oxigraph_startup_s"] = ostartup
        url = f"http://127.0.0.1:{oport}/query"
        out["oxigraph_server"] = {
            name: hammer(lambda c, t=text, a=accept: c.post(url, data={"query": t}, headers={"accept": a}),
                         requests, concurrency)
            for name, (text, accept) in sparql_texts().items()}
        log("web: legalgraph serve --store <that Oxigraph server> (remote backend)")
        proc, rstartup = start_legalgraph(url, port, LEGALGRAPH_STORE_UNION="server")
        try:
            out["remote_startup_s"] = rstartup
            out["ours_on_remote"] = pages(f"http://127.0.0.1:{port}", requests, concurrency)
        finally:
            stop(proc)
    finally:
        stop(oproc)
    for key in ("ours", "ours_on_remote"):
        out[f"{key}_over_oxigraph_rps"] = {name: out[key][name]["rps"] / out["oxigraph_server"][name]["rps"]
                                           for name in TARGETS}
    return out


def rows(web: dict[str, Any]) -> list[list[str]]:
    """Table rows: server, target, req/s, p50, p99, ratio to Oxigraph server."""
    table = [["server", "target", "req/s", "p50 ms", "p99 ms", "vs Oxigraph server"]]
    for key, label in (("ours", "legalgraph (embedded)"), ("ours_on_remote", "legalgraph (remote)"),
                       ("oxigraph_server", "Oxigraph server")):
        for name in TARGETS:
            r = web[key][name]
            ratio = web[f"{key}_over_oxigraph_rps"][name] if key != "oxigraph_server" else 1.0
            table.append([label, name, f"{r['rps']:.1f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}",
                          f"{ratio:.2f}×"])
    return table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--store", type=Path, help="a store directory legalgraph built (default: build the shipped one)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lgweb-"))
    try:
        from legalgraph.store.embedded import open_embedded as open_store

        t0 = time.perf_counter()
        if args.store is None:
            open_store(work / "store").close()
        built = time.perf_counter() - t0
        web = suite(str(args.store or work / "store"), args.requests, args.concurrency)
        web["store_build_s"] = built
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"start-up to first answer: legalgraph {web['startup_to_first_answer_s']:.2f} s "
          f"(store built beforehand in {built:.2f} s), Oxigraph server {web['oxigraph_startup_s']:.2f} s")
    for row in rows(web):
        print(f"{row[0]:<24} {row[1]:<16} {row[2]:>8} {row[3]:>8} {row[4]:>8} {row[5]:>20}")
    print("\nPages under 32 concurrent clients (legalgraph, embedded store):")
    for path, r in web.get("pages_32_clients", {}).items():
        print(f"  {path:<34} {r['rps']:>8.1f} req/s  p50 {r['p50_ms']:>7.1f} ms  p99 {r['p99_ms']:>7.1f} ms")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"web-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(web, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
