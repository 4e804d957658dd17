"""`redreply worker`: draft the queued jobs of the settings' database; `redreply watch DIR`: import each
new crawler export dropped in a folder, once."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from agent.config import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("worker", help="draft queued comments (jobs) from the database; run any number, anywhere")
    p.add_argument("--concurrency", type=int, default=2, help="drafts at a time in this worker (default 2)")
    p.add_argument("--drain", action="store_true", help="exit once nothing is queued or running")
    p.add_argument("--name", help="this worker's name in the jobs table (default host:pid)")
    p.add_argument("--model", help="model alias (default: REDREPLY_MODEL)")
    p.set_defaults(func=cmd_worker)
    w = sub.add_parser("watch", help="import each new crawler export dropped in a folder, once (by content hash)")
    w.add_argument("folder", type=Path)
    w.add_argument("--brand", help="brand id")
    w.add_argument("--every", type=float, default=10.0, help="seconds between looks at the folder (default 10)")
    w.add_argument("--once", action="store_true", help="look once and exit (for cron)")
    w.set_defaults(func=cmd_watch)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from agent.errors import UserError
    from agent.review.service import ReviewDesk
    from agent.review.store.intake import job_queue
    from agent.review.worker import run_worker

    if args.concurrency < 1:
        raise UserError("--concurrency must be at least 1")
    jobs = job_queue(settings)  # opens (and checks) the database before any model is loaded
    desk = ReviewDesk(settings)
    name = args.name or f"{socket.gethostname()}:{os.getpid()}"
    print(f"worker {name}: {jobs.open_count()} job(s) open · concurrency {args.concurrency}", file=sys.stderr)
    try:
        report = run_worker(jobs, lambda job: (desk.draft_item(job.item_id), None)[1], name,
                            concurrency=args.concurrency, drain=args.drain, stop=_stop_on_signals())
    finally:
        desk.close()
    print(f"worker {name}: {report.line()}")
    return 0


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from agent.review.store.watch import scan_once

    brand = args.brand or settings.brand
    stop, failed = _stop_on_signals(), set[str]()
    while True:
        for imported in scan_once(settings, args.folder, brand, failed):
            print(imported.line(), file=sys.stderr if imported.error else sys.stdout, flush=True)
        if args.once or stop.wait(args.every):
            return 0
