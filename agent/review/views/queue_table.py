"""The queue page's rows, kept between runs of the page.

A team's queue holds thousands of items and the page runs again on every click; reading and parsing every
item, masking every comment and wording every row each time cost seconds at 5,000 items. What does not
move with the clock (`table.item_row`) is kept here per item, and rebuilt only when the store's change
stamp (`ReviewQueue.change_stamp`) or a brand's facts change; each run adds what does (time left, overdue,
the badge, the appeal case marks) over the kept rows. One per ReviewDesk, shared by every session of a
server, so it locks while it rebuilds.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from agent.config import Settings
from agent.review.casework.cases import due_marks
from agent.review.store.queue import ReviewQueue
from agent.review.store.staleness import facts_fingerprint, stale_reasons
from agent.review.views.desk_time import CST, OPEN_STATUSES
from agent.review.views.table import clock_row, item_row


class QueueTable:
    def __init__(self, queue: ReviewQueue, settings: Settings, zone: tzinfo = CST) -> None:
        self.queue = queue
        self.settings = settings
        self.zone = zone
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._rows: list[dict[str, Any]] = []  # item_row of every item, in the queue's order
        self._stale: dict[str, str] = {}
        self._by_item: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}  # id -> (its key, its item_row)

    def _fingerprints(self, brands: set[str]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((b, facts_fingerprint(self.settings, b)) for b in brands))

    def _refresh(self) -> None:
        """Rebuild the kept rows when the queue or a brand's facts changed since the last run."""
        stamp = self.queue.change_stamp()
        brands = {r["brand"] for r in self._rows}
        if self._key is not None and self._key == (stamp, self._fingerprints(brands)):
            return
        items = self.queue.items()
        window = self.settings.response_window_h
        rows, by_item = [], {}
        for it in items:
            key = (it.version, str(it.status), it.assignee)
            kept = self._by_item.get(it.id)
            row = kept[1] if kept is not None and kept[0] == key else item_row(it, window, self.zone)
            by_item[it.id] = (key, row)
            rows.append(row)
        self._rows, self._by_item = rows, by_item
        self._stale = stale_reasons(self.queue, self.settings, items)
        self._key = (stamp, self._fingerprints({it.brand for it in items}))

    def rows(self, now: datetime, covers: Callable[[str], bool] = lambda brand: True) -> list[dict[str, Any]]:
        """The queue table's rows (table.queue_rows) of the items whose brand `covers` accepts, at `now`."""
        with self._lock:
            self._refresh()
            kept, stale = self._rows, self._stale
        shown = [r for r in kept if covers(r["brand"])]
        marks = due_marks(self.queue, now, [r["id"] for r in shown])  # due appeal cases lead the table
        now_ts, window = now.timestamp(), self.settings.response_window_h
        return [clock_row(r, now_ts, window, stale.get(r["id"], ""), marks.get(r["id"], "")) for r in shown]

    def counts(self, now: datetime) -> dict[str, int]:
        """table.status_counts of the whole queue, from the kept rows."""
        with self._lock:
            self._refresh()
            kept = self._rows
        counts: Counter[str] = Counter()
        deadline = now.timestamp() - self.settings.response_window_h * 3600
        for r in kept:
            counts[r["status"]] += 1
            if r["start_ts"] is not None and r["start_ts"] < deadline:
                counts["overdue"] += 1
            if r["severity"] == 3 and r["status"] in OPEN_STATUSES:
                counts["severity3_open"] += 1
        return dict(counts)
