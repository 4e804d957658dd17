"""Times the knowledge store and prints the figures (targets in brackets); asserts nothing.

    .venv/bin/python bench/retrieval.py [--dataset PATH] [--rounds N]

- first ingest of knowledge/ into a new store, from the bundled vectors (what a new data dir pays)
- full ingest of knowledge/ into a new store, everything embedded (target ≤ 15 s)
- re-ingest with nothing changed                                 (target ≤ 2 s)
- opening the ingested store again + ensure_ingested             (what every command pays)
- warm query p50 / p95 over the retrieval dataset's queries      (target p50 ≤ 30 ms)
  (store open and engine loaded; each query embedded afresh, as for a new comment)
- the same queries repeated (their embeddings cached)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.config import PROJECT_ROOT, Settings, configure_offline_libraries  # noqa: E402
from agent.knowledge.store import QUERY_VECTORS, KnowledgeStore  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402

DATASET = PROJECT_ROOT / "evals" / "datasets" / "retrieval.jsonl"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_queries(store: KnowledgeStore, cases: list[dict[str, str]], rounds: int
                 ) -> tuple[list[float], list[float]]:
    """Milliseconds per query: each embedded afresh (`rounds` passes), then each repeated (embedding cached)."""
    for c in cases[:5]:  # warm-up: the engine, Chroma's index in memory
        store.search(c["query"] + " warm-up", brand=c["brand"])
    warm: list[float] = []
    for _ in range(rounds):
        for c in cases:
            QUERY_VECTORS.clear()  # the query embedding is computed every time, as for a new comment
            t = time.perf_counter()
            store.search(c["query"], brand=c["brand"])
            warm.append((time.perf_counter() - t) * 1000)
    for c in cases:  # fill the query-embedding cache
        store.search(c["query"], brand=c["brand"])
    cached: list[float] = []
    for c in cases:  # the same query again (the graph and the evals repeat queries)
        t = time.perf_counter()
        store.search(c["query"], brand=c["brand"])
        cached.append((time.perf_counter() - t) * 1000)
    return warm, cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the queries (default 3)")
    add_flag(parser)
    args = parser.parse_args()
    with publish("retrieval", args.write_docs):
        configure_offline_libraries()
        cases = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()]

        with tempfile.TemporaryDirectory() as tmp:
            load_before = os.getloadavg()[0]
            start = time.perf_counter()
            bundled = KnowledgeStore(Settings(data_dir=Path(tmp) / "bundled")).ingest()
            bundled_s = time.perf_counter() - start
            settings = Settings(data_dir=Path(tmp) / "scratch")
            start, cpu_start = time.perf_counter(), time.process_time()
            store = KnowledgeStore(settings, bundle=None)
            full = store.ingest()
            full_s, full_cpu = time.perf_counter() - start, time.process_time() - cpu_start
            start = time.perf_counter()
            again = store.ingest()
            again_s = time.perf_counter() - start
            start = time.perf_counter()
            reopened = KnowledgeStore(settings, bundle=None)
            reopened.ensure_ingested()
            reopen_s = time.perf_counter() - start
            warm, cached = time_queries(store, cases, args.rounds)

        cores = os.cpu_count() or 1
        print(f"knowledge store: {full.added} chunks, {len(cases)} queries × {args.rounds} rounds; "
              f"{cores} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
              f"(a load above {cores} means other processes shared the CPUs: the wall times are inflated)")
        print(f"  first ingest, bundled  {bundled_s:7.2f} s    ({bundled})")
        print(f"  full ingest            {full_s:7.2f} s    (target ≤ 15 s; {full})")
        print(f"    CPU time             {full_cpu:7.2f} s    (≈ {full_cpu / cores:.1f} s of wall time on {cores} idle cores)")
        print(f"  re-ingest, no change   {again_s:7.2f} s    (target ≤ 2 s; {again})")
        print(f"  reopen + ensure        {reopen_s:7.2f} s")
        print(f"  warm query             p50 {statistics.median(warm):6.1f} ms   p95 {_pct(warm, 0.95):6.1f} ms"
              f"   (target p50 ≤ 30 ms)")
        print(f"  repeated query         p50 {statistics.median(cached):6.1f} ms   p95 {_pct(cached, 0.95):6.1f} ms"
              f"   (query embedding cached)")


if __name__ == "__main__":
    main()
