"""Drafting jobs: enqueued at import, claimed by any number of workers with `FOR UPDATE SKIP LOCKED`
(PostgreSQL) or one atomic UPDATE (SQLite), held by a lease, retried with backoff, and dead-lettered
after the last attempt.

Each claim carries a token; only the holder of the current token can finish or fail the job, so a worker
whose lease ran out (it lost its connection, it was killed) cannot overwrite the worker that took over.
`finish` runs the caller's write in the same transaction as the lease check: a draft stored that way is
stored once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from agent.storage.engine import engine_for, is_postgres
from agent.storage.schema import ensure_schema
from agent.storage.tables import jobs

OPEN = ("queued", "running")
BACKOFF_S, BACKOFF_MAX_S = 5.0, 300.0  # between attempts: 5 s, 10 s, 20 s … at most five minutes
Clock = Callable[[], float]


@dataclass(frozen=True)
class Job:
    id: int
    item_id: str
    brand: str
    attempts: int
    token: str  # this claim's; the lease belongs to it


class JobQueue:
    def __init__(self, url: str, lease_s: float = 120.0, max_attempts: int = 3, clock: Clock = time.time) -> None:
        ensure_schema(url)
        self.url, self.engine = url, engine_for(url)
        self.lease_s, self.max_attempts, self._clock = lease_s, max_attempts, clock

    def enqueue(self, brand: str, item_ids: Iterable[str]) -> int:
        """One open job per item: an item already queued or running is not queued again. Returns how many
        jobs were added."""
        rows = [{"item_id": i, "brand": brand, "status": "queued", "attempts": 0, "available_at": self._clock(),
                 "created_at": self._clock()} for i in item_ids]
        if not rows:
            return 0
        dialect = postgresql if is_postgres(self.url) else sqlite
        stmt = dialect.insert(jobs).on_conflict_do_nothing(
            index_elements=["item_id"], index_where=sa.text("status IN ('queued', 'running')"))
        added = 0
        with self.engine.begin() as c:
            for row in rows:
                added += len(c.execute(stmt.returning(jobs.c.id), row).all())
        return added

    def claim(self, worker: str, n: int = 1) -> list[Job]:
        """Take up to n due jobs: queued ones whose time has come, and running ones whose lease ran out."""
        now, token = self._clock(), f"{worker}:{uuid.uuid4().hex[:12]}"
        with self.engine.begin() as c:
            self._bury_expired(c, now)
            due = sa.or_(sa.and_(jobs.c.status == "queued", jobs.c.available_at <= now),
                         sa.and_(jobs.c.status == "running", jobs.c.lease_until < now))
            pick = sa.select(jobs.c.id).where(due).order_by(jobs.c.available_at, jobs.c.id).limit(n)
            if is_postgres(self.url):
                pick = pick.with_for_update(skip_locked=True)  # workers never wait on each other's rows
            # Read, then update those ids with the condition again: on SQLite another process may have
            # taken one between the two (its token then owns it and this claim reads back without it).
            ids = list(c.execute(pick).scalars())
            c.execute(sa.update(jobs).where(jobs.c.id.in_(ids), due).values(
                status="running", worker=token, lease_until=now + self.lease_s, attempts=jobs.c.attempts + 1))
            rows = c.execute(sa.select(jobs).where(jobs.c.worker == token, jobs.c.status == "running")).all()
        return [Job(r.id, r.item_id, r.brand, r.attempts, token) for r in rows]

    def _bury_expired(self, c: Connection, now: float) -> None:
        """A lease that ran out on the last attempt: the job is dead, not claimed again."""
        c.execute(sa.update(jobs).where(jobs.c.status == "running", jobs.c.lease_until < now,
                                        jobs.c.attempts >= self.max_attempts)
                  .values(status="dead", last_error="the worker's lease ran out on the last attempt",
                          finished_at=now))

    def _mine(self, job: Job) -> sa.ColumnElement[bool]:
        return sa.and_(jobs.c.id == job.id, jobs.c.worker == job.token, jobs.c.status == "running")

    def renew(self, job: Job) -> bool:
        """Extend the lease of a job still held; False when another worker has it now."""
        with self.engine.begin() as c:
            done = c.execute(sa.update(jobs).where(self._mine(job)).values(lease_until=self._clock() + self.lease_s))
        return bool(done.rowcount)

    def finish(self, job: Job, write: Callable[[Connection], None] | None = None) -> bool:
        """Mark the job done, running `write` in the same transaction; nothing is written when the lease
        was lost (another worker holds or finished the job). Returns whether this worker finished it."""
        with self.engine.begin() as c:
            done = c.execute(sa.update(jobs).where(self._mine(job)).values(status="done", finished_at=self._clock(),
                                                                            lease_until=None))
            if not done.rowcount:
                return False
            if write is not None:
                write(c)
        return True

    def fail(self, job: Job, error: str) -> str:
        """Back to the queue after a backoff, or dead after the last attempt. Returns the new status."""
        now = self._clock()
        dead = job.attempts >= self.max_attempts
        values: dict[str, object] = {"status": "dead", "finished_at": now} if dead else {
            "status": "queued", "available_at": now + min(BACKOFF_S * 2 ** (job.attempts - 1), BACKOFF_MAX_S)}
        with self.engine.begin() as c:
            c.execute(sa.update(jobs).where(self._mine(job)).values(last_error=error[:500], lease_until=None, **values))
        return str(values["status"])

    def requeue_dead(self, item_ids: Iterable[str] | None = None) -> int:
        """A person sends dead jobs back (all, or these items') with their attempts reset."""
        where = jobs.c.status == "dead"
        if item_ids is not None:
            where = sa.and_(where, jobs.c.item_id.in_(list(item_ids)))
        with self.engine.begin() as c:
            return c.execute(sa.update(jobs).where(where).values(status="queued", attempts=0,
                                                                 available_at=self._clock())).rowcount or 0

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as c:
            return {r[0]: r[1] for r in c.execute(sa.select(jobs.c.status, sa.func.count()).group_by(jobs.c.status))}

    def dead(self) -> list[tuple[str, str, str | None]]:
        """(item id, brand, last error) of every dead job."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(jobs.c.item_id, jobs.c.brand, jobs.c.last_error).where(jobs.c.status == "dead"))
            return [(r[0], r[1], r[2]) for r in rows]

    def open_count(self) -> int:
        with self.engine.connect() as c:
            return int(c.execute(sa.select(sa.func.count()).where(jobs.c.status.in_(OPEN))).scalar() or 0)
