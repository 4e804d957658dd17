"""The first run, timed: `redreply ui --demo` on a new data dir, as `make run` starts it.

    .venv/bin/python bench/first_run.py [--runs 3] [--timeout 120]

Each run starts `redreply ui --demo` on a new temporary data dir (the environment installed, nothing
else prepared) and measures from the launch:
- healthy desk: Streamlit answers `/_stcore/health` on its port                 (target ≤ 6 s)
- demo queue drafted: all 20 demo comments have left `pending` in the queue DB  (target ≤ 10 s)
then stops it (SIGINT, as Ctrl-C). Prints each run with the load average before it, and the medians.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.write_docs import add_flag, publish  # noqa: E402
from tests.servers import free_port, stop  # noqa: E402
from ui.health import health_url, is_healthy  # noqa: E402

DEMO = ROOT / "ui" / "demo_comments.jsonl"
HEALTHY_TARGET_S, DRAFTED_TARGET_S = 6.0, 10.0


def failed(queue: Path, ids: list[str]) -> int:
    """How many of the demo ids failed to draft (they count as drafted in the timing: they left `pending`)."""
    with sqlite3.connect(f"file:{queue}?mode=ro", uri=True, timeout=5) as db:
        marks = ",".join("?" * len(ids))
        return int(db.execute(f"SELECT COUNT(*) FROM items WHERE id IN ({marks}) AND status = 'failed'",
                              ids).fetchone()[0])


def undrafted(queue: Path, ids: list[str]) -> int:
    """How many of the demo ids are not drafted yet (not queued, or still pending)."""
    if not queue.exists():
        return len(ids)
    try:
        with sqlite3.connect(f"file:{queue}?mode=ro", uri=True, timeout=1) as db:
            marks = ",".join("?" * len(ids))
            drafted = db.execute(f"SELECT COUNT(*) FROM items WHERE id IN ({marks}) AND status != 'pending'",
                                 ids).fetchone()[0]
    except sqlite3.Error:  # not created yet, or locked for a moment
        return len(ids)
    return len(ids) - int(drafted)


def one_run(ids: list[str], timeout_s: float) -> tuple[float | None, float | None, float, int]:
    """(seconds to a healthy desk, seconds to the demo queue drafted, 1-min load before, failed drafts)."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="redreply-first-run-") as tmp:
        data_dir, port = Path(tmp) / "data", free_port()
        env = {**os.environ, "REDREPLY_DATA_DIR": str(data_dir)}
        log = (Path(tmp) / "ui.log").open("wb")
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "agent.cli", "ui", "--demo", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        to_health = to_drafted = None
        try:
            while time.perf_counter() - start < timeout_s and proc.poll() is None:
                if to_health is None and is_healthy(health_url("127.0.0.1", port)):
                    to_health = time.perf_counter() - start
                if to_drafted is None and undrafted(data_dir / "queue.sqlite", ids) == 0:
                    to_drafted = time.perf_counter() - start
                if to_health is not None and to_drafted is not None:
                    break
                time.sleep(0.05)
        finally:
            stop(proc, signal.SIGINT)  # as Ctrl-C
            log.close()
        if to_health is None or to_drafted is None:
            print((Path(tmp) / "ui.log").read_text(encoding="utf-8", errors="replace")[-3000:], file=sys.stderr)
        n_failed = failed(data_dir / "queue.sqlite", ids) if to_drafted is not None else 0
    return to_health, to_drafted, load, n_failed


def fmt(seconds: float | None, target: float) -> str:
    if seconds is None:
        return "  timeout"
    return f"{seconds:6.2f} s{'  ok' if seconds <= target else f'  > {target:g} s'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="give up on a run after this (s)")
    add_flag(parser)
    args = parser.parse_args()
    with publish("first_run", args.write_docs):
        ids = [json.loads(line)["id"] for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(f"first run of `redreply ui --demo` ({len(ids)} demo comments), {os.cpu_count()} cores")
        health: list[float] = []
        drafted: list[float] = []
        for n in range(1, args.runs + 1):
            h, d, load, n_failed = one_run(ids, args.timeout)
            print(f"  run {n}: healthy desk {fmt(h, HEALTHY_TARGET_S)} · demo queue drafted {fmt(d, DRAFTED_TARGET_S)}"
                  f"{f' ({n_failed} failed)' if n_failed else ''} · load before {load:.2f}")
            health += [h] if h is not None else []
            drafted += [d] if d is not None else []
        if health and drafted:
            print(f"median: healthy desk {fmt(statistics.median(health), HEALTHY_TARGET_S)} (target ≤ "
                  f"{HEALTHY_TARGET_S:g} s) · demo queue drafted {fmt(statistics.median(drafted), DRAFTED_TARGET_S)} "
                  f"(target ≤ {DRAFTED_TARGET_S:g} s) · load now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
