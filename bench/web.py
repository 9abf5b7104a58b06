"""Web service benchmark: start-up to first answer, and requests per second with p50/p99 under load.

Runs `legalgraph serve` as a real process on loopback, sends a bounded number of concurrent requests for a
canned query (JSON twin) and an entity page (HTML), and compares with answering the same canned query from
the store directly in this process (the baseline). Prints a table and writes bench/results/web-*.json.

    .venv/bin/python bench/web.py [--requests 400] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from legalgraph import queries  # noqa: E402
from legalgraph.store import OxigraphStore  # noqa: E402

TARGETS = {"canned query": "/queries/protection-orders.json", "entity page": "/id/programme/tj-consultation-rooms"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def start(home: Path, port: int) -> tuple[subprocess.Popen, float]:
    env = {**os.environ, "LEGALGRAPH_HOME": str(home)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv/bin/legalgraph"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
    while time.perf_counter() - t0 < 120:
        try:
            if httpx.get(url, timeout=2, headers={"accept": "application/sparql-results+json"}).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not answer within 120 s")


def load(base: str, path: str, n: int, concurrency: int) -> dict:
    latencies: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        def one(_: int) -> float:
            t = time.perf_counter()
            r = client.get(path, headers={"accept": "text/html"} if "/id/" in path else {})
            r.raise_for_status()
            return time.perf_counter() - t

        for _ in range(min(10, n)):  # warm-up
            one(0)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, range(n)))
        wall = time.perf_counter() - t0
    return {"requests": n, "rps": n / wall, "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


def direct(store: OxigraphStore, n: int) -> dict:
    q = queries.get("protection-orders")
    latencies = []
    t0 = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        queries.run(store, q)
        latencies.append(time.perf_counter() - t)
    wall = time.perf_counter() - t0
    return {"requests": n, "rps": n / wall, "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": pct(latencies, 99) * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lgweb-"))
    results: dict = {"requests": args.requests, "concurrency": args.concurrency}
    try:
        port = free_port()
        proc, cold = start(work / "store", port)  # first run: builds the store
        proc.terminate()
        proc.wait(30)
        proc, warm = start(work / "store", port)  # store exists: opens it
        results["startup_to_first_answer_s"] = {"cold (build store)": cold, "warm (open store)": warm}
        base = f"http://127.0.0.1:{port}"
        for name, path in TARGETS.items():
            results[name] = load(base, path, args.requests, args.concurrency)
        proc.terminate()
        proc.wait(30)
        store = OxigraphStore(work / "store", read_only=True)
        results["canned query, store directly (baseline)"] = direct(store, args.requests)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base_rps = results["canned query, store directly (baseline)"]["rps"]
    print(f"start-up to first answer: cold {cold:.2f} s, warm {warm:.2f} s")
    print(f"{'target':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs direct':>10}")
    for name in [*TARGETS, "canned query, store directly (baseline)"]:
        r = results[name]
        print(f"{name:<42} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['rps'] / base_rps:>9.3f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"web-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
