"""Drafting jobs on both backends: one open job per item, a job never held by two workers at once, a
lost lease taken over and the work written once, failures retried then dead-lettered."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from agent.review.worker import run_worker
from agent.storage.jobs import Job, JobQueue

DRAFTS = sa.Table("test_drafts", sa.MetaData(), sa.Column("item_id", sa.Text), sa.Column("worker", sa.Text))


class Clock:
    def __init__(self) -> None:
        self.t = 1_000.0

    def __call__(self) -> float:
        return self.t


def _drafts_table(q: JobQueue) -> None:
    DRAFTS.metadata.create_all(q.engine)


def _drafted(q: JobQueue) -> list[str]:
    with q.engine.connect() as c:
        return sorted(r[0] for r in c.execute(sa.select(DRAFTS.c.item_id)))


def _write(job: Job):
    return lambda c: c.execute(sa.insert(DRAFTS).values(item_id=job.item_id, worker=job.token))


def test_an_item_has_one_open_job(db_url):
    q = JobQueue(db_url)
    assert q.enqueue("glowskin", ["a", "b"]) == 2
    assert q.enqueue("glowskin", ["a", "c"]) == 1
    assert q.counts() == {"queued": 3}


def test_concurrent_workers_never_share_a_job(db_url):
    q = JobQueue(db_url)
    q.enqueue("glowskin", [f"c{i}" for i in range(120)])

    def drain(w: int) -> list[str]:
        got = []
        while batch := JobQueue(db_url).claim(f"w{w}", 3):
            got += [j.item_id for j in batch]
        return got

    with ThreadPoolExecutor(6) as pool:
        claimed = [i for part in pool.map(drain, range(6)) for i in part]
    assert sorted(claimed) == sorted(f"c{i}" for i in range(120))  # each once, none left


def test_a_lost_lease_goes_to_another_worker_and_the_draft_is_written_once(db_url):
    clock = Clock()
    q = JobQueue(db_url, lease_s=10, clock=clock)
    _drafts_table(q)
    q.enqueue("glowskin", ["x1"])
    [gone] = q.claim("w1")  # w1 loses its connection mid-job
    assert q.claim("w2") == []  # the lease holds
    clock.t += 11
    [taken] = q.claim("w2")
    assert q.finish(taken, _write(taken)) is True
    assert q.finish(gone, _write(gone)) is False  # w1 comes back too late: nothing written
    assert not q.renew(gone)
    assert _drafted(q) == ["x1"] and q.counts() == {"done": 1}


def test_a_failing_job_is_retried_with_backoff_then_dead_lettered(db_url):
    clock = Clock()
    q = JobQueue(db_url, max_attempts=2, clock=clock)
    q.enqueue("glowskin", ["x1"])
    [job] = q.claim("w")
    assert q.fail(job, "model timed out") == "queued"
    assert q.claim("w") == []  # not before its backoff
    clock.t += 60
    [job] = q.claim("w")
    assert job.attempts == 2 and q.fail(job, "model timed out") == "dead"
    assert q.dead() == [("x1", "glowskin", "model timed out")]
    assert q.requeue_dead() == 1 and q.counts() == {"queued": 1}


def test_a_worker_drains_while_another_dies_mid_job_and_each_item_is_drafted_once(db_url):
    q = JobQueue(db_url, lease_s=0.6)
    _drafts_table(q)
    ids = [f"c{i}" for i in range(30)]
    q.enqueue("glowskin", ids)
    ghost = q.claim("ghost", 4)  # a worker killed mid-job: it never finishes these

    def handle(job: Job):
        time.sleep(0.01)
        return _write(job)

    report = run_worker(q, handle, "w", concurrency=3, drain=True, stop=threading.Event(), poll_s=0.1)
    assert _drafted(q) == sorted(ids) and report.drafted == 30
    assert not any(q.finish(j, _write(j)) for j in ghost)  # the ghost's late writes are refused
    assert q.counts() == {"done": 30}
