"""A drafting worker: claims jobs from the database, drafts them `concurrency` at a time, renews the
leases of what it holds, and finishes or fails each job. Any number run, on any machine that reaches the
database; `drain` stops once nothing is queued or running."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from agent.storage.jobs import Job, JobQueue

# What drafting one job does; it may return a write to commit with the job's completion (exactly once).
Handler = Callable[[Job], Callable[[Connection], None] | None]


@dataclass
class WorkerReport:
    drafted: int = 0
    retried: int = 0
    dead: int = 0
    lost: int = 0  # finished here after the lease had passed to another worker: nothing written

    def line(self) -> str:
        return (f"drafted {self.drafted} · retried {self.retried} · dead-lettered {self.dead} · "
                f"lost the lease on {self.lost}")


def run_worker(jobs: JobQueue, handle: Handler, name: str, concurrency: int = 1, drain: bool = False,
               stop: threading.Event | None = None, poll_s: float = 1.0) -> WorkerReport:
    report, stop = WorkerReport(), stop or threading.Event()
    held: dict[Future[Callable[[Connection], None] | None], Job] = {}
    renewed: dict[int, float] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="redreply-job") as pool:
        while not stop.is_set():
            free = concurrency - len(held)
            for job in jobs.claim(name, free) if free > 0 else []:
                held[pool.submit(handle, job)] = job
                renewed[job.id] = time.monotonic()
            if not held:
                if drain and jobs.open_count() == 0:
                    break
                stop.wait(poll_s)
                continue
            done, _ = wait(held, timeout=poll_s, return_when=FIRST_COMPLETED)
            for fut in done:
                _settle(jobs, held.pop(fut), fut, report)
            _renew(jobs, held, renewed)
        for fut in list(held):  # stopping: what is in flight finishes and is recorded
            _settle(jobs, held.pop(fut), fut, report)
    return report


def _settle(jobs: JobQueue, job: Job, fut: Future[Callable[[Connection], None] | None],
            report: WorkerReport) -> None:
    try:
        write = fut.result()
    except Exception as e:  # the job's own failure: retried, then dead-lettered; the worker goes on
        status = jobs.fail(job, str(e) or type(e).__name__)
        report.dead += status == "dead"
        report.retried += status == "queued"
        return
    if jobs.finish(job, write):
        report.drafted += 1
    else:
        report.lost += 1


def _renew(jobs: JobQueue, held: dict[Future[Callable[[Connection], None] | None], Job],
           renewed: dict[int, float]) -> None:
    """Renew each held lease a third of the way through it; a job another worker took is left to it."""
    for job in held.values():
        if time.monotonic() - renewed.get(job.id, 0.0) > jobs.lease_s / 3:
            renewed[job.id] = time.monotonic()
            jobs.renew(job)
