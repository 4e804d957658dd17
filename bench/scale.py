"""Drafting jobs at scale: N comments enqueued by 2 desk processes, drafted by 1, 2, then 4 worker
processes with a fake model of fixed latency, while a worker is killed (SIGKILL) every K seconds and
replaced. Checks that every comment is drafted exactly once and none is lost, and measures throughput
against workers × concurrency ÷ latency.

    REDREPLY_DATABASE_URL=postgresql://… .venv/bin/python bench/scale.py [--n 5000] [--workers 1,2,4]
        [--concurrency 8] [--latency 1.0] [--kill-every 30] [--lease 5] [--write-docs]

The fake model is the drafting handler sleeping `latency` seconds; each draft is written in the same
transaction that finishes its job (what `JobQueue.finish` guarantees), into a table the bench counts.
Prints one line per worker count; exits 1 when a comment is lost or drafted twice. Give it a database of its
own: it empties the jobs table.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.review.worker import run_worker  # noqa: E402
from agent.storage.engine import engine_for, where  # noqa: E402
from agent.storage.jobs import Job, JobQueue  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402

DRAFTS = sa.Table("bench_drafts", sa.MetaData(), sa.Column("item_id", sa.Text, nullable=False),
                  sa.Column("worker", sa.Text, nullable=False))


def worker_main(args: argparse.Namespace) -> None:
    """One worker process: drafts with the fake model until SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    jobs = JobQueue(args.url, lease_s=args.lease, max_attempts=100)

    def handle(job: Job):  # type: ignore[no-untyped-def]
        time.sleep(args.latency)
        return lambda c: c.execute(sa.insert(DRAFTS).values(item_id=job.item_id, worker=job.token))

    run_worker(jobs, handle, f"bench-{os.getpid()}", concurrency=args.concurrency, stop=stop, poll_s=0.2)


def desk_main(args: argparse.Namespace) -> None:
    """One desk process: enqueues its share in chunks, as imports do, and reads the counts as a page does."""
    jobs = JobQueue(args.url, lease_s=args.lease)
    ids = [f"c{i}" for i in range(args.desk, args.n, 2)]
    for start in range(0, len(ids), 250):
        jobs.enqueue("bench", ids[start:start + 250])
        jobs.counts()


def _reset(url: str) -> None:
    engine = engine_for(url)
    JobQueue(url)  # the schema
    DRAFTS.metadata.create_all(engine)
    with engine.begin() as c:
        c.execute(sa.delete(DRAFTS))
        c.execute(sa.text("DELETE FROM jobs"))  # a database of the bench's own: every job in it is the bench's


def _spawn(args: argparse.Namespace, role: str, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, __file__, "--role", role, "--n", str(args.n), "--lease",
           str(args.lease), "--latency", str(args.latency), "--concurrency", str(args.concurrency), *extra]
    # The URL through the environment: a password on a command line is visible to every user's `ps`.
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env={**os.environ, "REDREPLY_DATABASE_URL": args.url})


def _drafted(url: str) -> tuple[int, int]:
    with engine_for(url).connect() as c:
        row = c.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(DRAFTS.c.item_id)))).one()
    return int(row[0]), int(row[1])


def run_round(args: argparse.Namespace, workers: int) -> dict[str, float]:
    _reset(args.url)
    desks = [_spawn(args, "desk", "--desk", str(d)) for d in range(2)]
    pool = [_spawn(args, "worker") for _ in range(workers)]
    started, kills, next_kill = time.monotonic(), 0, time.monotonic() + args.kill_every
    while _drafted(args.url)[1] < args.n:
        if time.monotonic() - started > args.timeout:
            break
        if args.kill_every and time.monotonic() >= next_kill:
            victim = pool.pop(random.randrange(len(pool)))
            victim.kill()  # mid-job: its leases run out and the others take its jobs
            victim.wait()
            pool.append(_spawn(args, "worker"))
            kills, next_kill = kills + 1, next_kill + args.kill_every
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    for p in pool:
        p.terminate()
    for p in [*pool, *desks]:
        p.wait()
    rows, distinct = _drafted(args.url)
    return {"workers": workers, "elapsed_s": elapsed, "rows": rows, "distinct": distinct, "kills": kills,
            "per_s": distinct / _drafting_s(args), "ideal_per_s": workers * args.concurrency / args.latency}


def _drafting_s(args: argparse.Namespace) -> float:
    """From the first draft's start (its finish less the latency) to the last finish: the drafting time,
    without the seconds the processes take to start (Python and SQLAlchemy imports on a busy machine)."""
    with engine_for(args.url).connect() as c:
        first, last = c.execute(sa.text("SELECT MIN(finished_at), MAX(finished_at) FROM jobs")).one()
    return float(last - first) + args.latency


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("REDREPLY_DATABASE_URL"),
                   help="the database (default REDREPLY_DATABASE_URL: kept out of the command line and the docs)")
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--latency", type=float, default=1.0)
    p.add_argument("--kill-every", type=float, default=30.0, help="seconds between kills; 0 = none")
    p.add_argument("--lease", type=float, default=5.0)
    p.add_argument("--timeout", type=float, default=3600.0)
    p.add_argument("--role", default="bench", choices=["bench", "worker", "desk"])
    p.add_argument("--desk", type=int, default=0)
    add_flag(p)
    args = p.parse_args()
    if not args.url:
        p.error("give --url or set REDREPLY_DATABASE_URL")
    if args.role != "bench":
        (worker_main if args.role == "worker" else desk_main)(args)
        return 0
    with publish("scale", args.write_docs):
        return _bench(args)


def _bench(args: argparse.Namespace) -> int:
    print(f"{args.n} comments from 2 desk processes on {where(args.url)}; a worker killed every "
          f"{args.kill_every:g} s (0 = never), leases of {args.lease:g} s", flush=True)
    ok = True
    for w in (int(x) for x in args.workers.split(",")):
        r = run_round(args, w)
        once = r["rows"] == r["distinct"] == args.n
        ok &= once
        print(f"{w} worker(s) × {args.concurrency} at {args.latency:g} s: {int(r['distinct'])}/{args.n} drafted, "
              f"{int(r['rows'] - r['distinct'])} twice, {int(r['kills'])} kill(s) · {r['elapsed_s']:.1f} s in all · "
              f"drafting {r['per_s']:.2f}/s = {r['per_s'] / r['ideal_per_s']:.2f} × ideal {r['ideal_per_s']:g}/s",
              flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
