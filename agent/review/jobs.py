"""Background drafting for the review app: a job the page polls while a daemon thread drafts."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DraftJob:
    """Progress of one background `draft_all`: the page polls it; the thread updates it."""

    ids: list[str]
    done: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def on_done(self, item_id: str, result: object, error: str | None) -> None:
        with self._lock:
            self.done += 1
            if error:
                self.failed[item_id] = error

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def running(self) -> bool:
        return self.finished is None

    @property
    def fraction(self) -> float:
        return 1.0 if not self.ids else min(self.done / len(self.ids), 1.0)

    def label(self) -> str:
        elapsed = (self.finished or time.monotonic()) - self.started
        state = "drafting" if self.running else "drafted"
        failed = f" · {len(self.failed)} failed" if self.failed else ""
        return f"{state} {self.done}/{self.total}{failed} · {elapsed:.1f}s"


def start_drafting(desk: Any, ids: Sequence[str], concurrency: int = 2) -> DraftJob:
    """Draft accepted items on a daemon thread through `desk.draft_all`; returns the job to poll."""
    job = DraftJob(ids=list(ids))

    def run() -> None:
        try:
            desk.draft_all(job.ids, concurrency=concurrency, on_done=job.on_done)
        except Exception as e:  # draft_all reports per item; this is for a failure around it
            job.error = f"{type(e).__name__}: {e}"
        finally:
            job.finished = time.monotonic()

    threading.Thread(target=run, name="redreply-draft", daemon=True).start()
    return job
