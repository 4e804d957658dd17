"""The alerts outbox: every alert is written to the desk's database before anyone tries to send it.

A receiver that is down, or a process killed mid-way, loses nothing: the row stays `pending` and the next
pass delivers it (after the next draft, in the background, or `redreply alerts send`). Appeal cases whose
rung is due or overdue are looked for by `alerts send` and after drafts (at most once a minute). Each row is
one alert for one channel, unique by (idempotency key, channel), and a sender first takes a short lease on it, so
two processes never post the same alert. A delivered row is `sent`; a row the receiver refuses for good (a 4xx
other than 408/429) or that failed MAX_ATTEMPTS times is `failed`, listed, and retried on request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.brands import Brand, load_brand
from agent.queue_item import Item
from agent.review.alerts.records import (
    BACKFILL_H,
    BACKOFF_MAX_S,
    BACKOFF_S,
    CASE_SCAN_S,
    MAX_ATTEMPTS,
    AlertRecord,
    DeliveryReport,
    stamp,
)
from agent.review.alerts.triggers import AlertDraft, case_due, case_due_key, evaluate
from agent.review.alerts.webhooks import AlertPayload, Attempt, channel_url, post
from agent.review.casework.cases import due_cases
from agent.review.store.queue import ReviewQueue, now
from agent.schemas import DraftResult
from agent.storage.connection import Sql

log = logging.getLogger(__name__)

PostFn = Callable[..., Attempt]


class AlertOutbox:
    """The alerts of one queue database; shares the queue's connection, lock and transactions."""

    def __init__(self, settings: Settings, queue: ReviewQueue, post_fn: PostFn = post) -> None:
        self.settings = settings
        self.queue = queue
        self._post = post_fn
        self._kick_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._again = False
        self._scan_lock = threading.Lock()
        self._next_case_scan = 0.0  # time.monotonic() before which drafts do not look at the cases again

    # --- deciding and queueing ------------------------------------------------------------------
    def check(self, result: DraftResult) -> list[int]:
        """Queue the alerts a stored draft raises, durably, once per item (the ids of new rows)."""
        cfg = load_brand(self.settings.knowledge_dir, result.brand)
        item = self.queue.get(result.id)
        added: list[int] = []
        with self.queue.tx() as c:
            if c.execute("SELECT 1 FROM alert_checks WHERE item_id = ?", (result.id,)).fetchone():
                return added
            if cfg.alerts.channels:
                for draft in evaluate(c, self.settings, cfg.alerts, cfg.name, item, result):
                    added += self._insert(c, draft, cfg)
            c.execute("INSERT OR IGNORE INTO alert_checks VALUES (?, ?)", (result.id, now()))
        return added

    @staticmethod
    def _insert(c: Sql, draft: AlertDraft, cfg: Brand) -> list[int]:
        """One row per channel; a (key, channel) already queued is left as it is (sent, pending or failed)."""
        added = []
        for channel in cfg.alerts.channels:
            cur = c.execute(
                "INSERT OR IGNORE INTO alerts (key, channel, kind, brand, trigger, subject, item_id, "
                "window_start, reason, link, message, created_at, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (draft.key, channel.label, channel.kind, draft.brand, draft.trigger, draft.subject,
                 draft.item_id, draft.window_start, draft.reason, draft.link, draft.text, now(), now()))
            if cur.rowcount:
                added.append(int(cur.lastrowid or 0))
        return added

    def check_cases(self, at: datetime | None = None) -> list[int]:
        """Queue a case_due alert for each open appeal case whose current rung is due or overdue at `at` (now by
        default), for brands with channels: durably, once per rung, state and deadline (the ids of new rows).
        A case first seen overdue gets only the overdue alert: a stale "due" would say nothing new."""
        brands: dict[str, Brand | None] = {}
        queued: list[tuple[AlertDraft, Brand]] = []
        for case in due_cases(self.settings, at or datetime.now(UTC), self.queue):
            if case.brand not in brands:
                try:
                    brands[case.brand] = load_brand(self.settings.knowledge_dir, case.brand)
                except UserError as e:  # a brand removed or its file broken: its other alerts say so too
                    log.warning("due case alerts for %s skipped: %s", case.brand, e)
                    brands[case.brand] = None
            cfg = brands[case.brand]
            if cfg is None or not cfg.alerts.channels:
                continue
            key, labels = case_due_key(case), {ch.label for ch in cfg.alerts.channels}
            if labels <= {r[0] for r in self.queue.conn.execute("SELECT channel FROM alerts WHERE key = ?", (key,))}:
                continue  # queued on every channel already: the usual case on every look after the first
            queued.append((case_due(self.settings, case, cfg.name, self._first_item(case.members)), cfg))
        added: list[int] = []
        if queued:
            with self.queue.tx() as c:
                for draft, cfg in queued:
                    added += self._insert(c, draft, cfg)
        return added

    def _first_item(self, members: list[str]) -> Item | None:
        for item_id in members:
            if self.queue.conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone():
                return self.queue.get(item_id)
        return None

    def check_cases_now_and_then(self) -> list[int]:
        """check_cases, unless this process looked less than CASE_SCAN_S ago (drafts stay fast). Never raises."""
        with self._scan_lock:
            if time.monotonic() < self._next_case_scan:
                return []
            self._next_case_scan = time.monotonic() + CASE_SCAN_S  # a failing look is not retried on every draft
        try:
            return self.check_cases()
        except Exception as e:  # noqa: BLE001 (logged; `alerts send` looks again)
            log.warning("due appeal cases not checked for alerts (%s); `redreply alerts send` checks them", e)
            return []

    def after_draft(self, result: DraftResult) -> None:
        """The desk's hook: queue what the draft raises (and what due cases raise, now and then) and send in the
        background. Never raises: an alert must not cost a draft (an item left unchecked is checked by the next
        `backfill`)."""
        try:
            added = self.check(result)
        except Exception as e:  # noqa: BLE001 (logged; the draft is already stored)
            log.warning("alerts for %s not queued yet (%s); `redreply alerts send` checks it again", result.id, e)
            added = []
        try:
            if self.check_cases_now_and_then() or added or self._due():
                self.kick()
        except Exception as e:  # noqa: BLE001 (logged; the rows are stored, `alerts send` delivers them)
            log.warning("alerts not sent yet (%s); `redreply alerts send` sends them", e)

    def backfill(self) -> int:
        """Check recent drafts that have no alert check (a crash between storing the draft and its check)."""
        since = stamp(datetime.now(UTC) - timedelta(hours=BACKFILL_H))
        ids = [r[0] for r in self.queue.conn.execute(
            "SELECT i.id FROM items i LEFT JOIN alert_checks a ON a.item_id = i.id WHERE a.item_id IS NULL "
            "AND i.result_json IS NOT NULL AND i.drafted_at >= ? ORDER BY i.drafted_at", (since,))]
        for item_id in ids:
            result = self.queue.get(item_id).result
            if result is not None:
                self.check(result)
        return len(ids)

    def retry_failed(self) -> int:
        with self.queue.tx() as c:
            return c.execute("UPDATE alerts SET status = 'pending', next_attempt_at = ? WHERE status = 'failed'",
                             (now(),)).rowcount

    # --- reading --------------------------------------------------------------------------------
    def records(self, status: str | None = None, brand: str | None = None) -> list[AlertRecord]:
        sql, args = "SELECT * FROM alerts WHERE 1 = 1", list[str]()
        if status:
            sql, args = sql + " AND status = ?", [*args, status]
        if brand:
            sql, args = sql + " AND brand = ?", [*args, brand]
        return [AlertRecord(**dict(r)) for r in self.queue.conn.execute(sql + " ORDER BY id", args)]

    def _due(self) -> bool:
        return self.queue.conn.execute("SELECT 1 FROM alerts WHERE status = 'pending' AND next_attempt_at <= ? "
                                       "LIMIT 1", (now(),)).fetchone() is not None

    # --- delivering -----------------------------------------------------------------------------
    def _claim(self, alert_id: int, lease_s: float) -> bool:
        """Take the row for this sender (another process may be sending it: then it is theirs)."""
        with self.queue.tx() as c:
            return c.execute("UPDATE alerts SET lease_until = ? WHERE id = ? AND status = 'pending' "
                             "AND (lease_until IS NULL OR lease_until < ?)",
                             (stamp(datetime.now(UTC) + timedelta(seconds=lease_s)), alert_id, now())).rowcount == 1

    def _record(self, row: AlertRecord, outcome: Attempt, tries: int) -> AlertRecord:
        attempts = row.attempts + tries
        if outcome.ok:
            status, error, sent = "sent", None, now()
        else:
            gave_up = not outcome.retryable or attempts >= MAX_ATTEMPTS
            status, error, sent = ("failed" if gave_up else "pending"), outcome.detail, None
        wait = min(BACKOFF_S * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S)
        later = stamp(datetime.now(UTC) + timedelta(seconds=wait))
        with self.queue.tx() as c:
            c.execute("UPDATE alerts SET status = ?, attempts = ?, last_error = ?, sent_at = ?, next_attempt_at = ?, "
                      "lease_until = NULL WHERE id = ?", (status, attempts, error, sent, later, row.id))
        return row.model_copy(update={"status": status, "attempts": attempts, "last_error": error, "sent_at": sent,
                                      "next_attempt_at": later})

    def deliver(self, force: bool = False, retries: int = 0, backoff_s: float = 1.0,
                sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
        """One pass over the pending alerts, oldest first. `force` ignores the backoff between passes (a person
        asked); `retries` tries a failing one again within the pass, waiting backoff_s, 2×backoff_s… A channel
        that stays unreachable is not tried again in this pass: its other alerts wait for the next."""
        report = DeliveryReport()
        sql = "SELECT * FROM alerts WHERE status = 'pending'" + ("" if force else " AND next_attempt_at <= ?")
        rows = [AlertRecord(**dict(r)) for r in self.queue.conn.execute(sql + " ORDER BY id", () if force else (now(),))]
        lease_s = 30 + (retries + 1) * 10 + backoff_s * 2 ** retries
        for row in rows:
            where = f"{row.brand}/{row.channel}"
            if where in report.problems or not self._claim(row.id, lease_s):
                report.pending.append(row)
                continue
            outcome, tries = self._send(row, retries, backoff_s, sleep)
            row = self._record(row, outcome, tries)
            if row.status == "sent":
                report.sent.append(row)
            elif row.status == "failed":
                report.failed.append(row)
            else:
                report.pending.append(row)
            if not outcome.ok and outcome.retryable:
                report.problems[where] = outcome.detail
        return report

    def _send(self, row: AlertRecord, retries: int, backoff_s: float,
              sleep: Callable[[float], None]) -> tuple[Attempt, int]:
        try:
            channel = load_brand(self.settings.knowledge_dir, row.brand).alerts.channel(row.channel)
        except UserError as e:  # the brand was removed, or its file broken: a person must look
            return Attempt(ok=False, detail=str(e)), 0
        if channel is None:
            return Attempt(ok=False, detail=f"channel '{row.channel}' is no longer in {row.brand}'s brand.yaml"), 0
        try:
            url = channel_url(channel)
        except UserError as e:  # a missing variable can be set later: the alert waits for it
            return Attempt(ok=False, retryable=True, detail=str(e)), 1
        payload = AlertPayload(key=row.key, trigger=row.trigger, brand=row.brand, item_id=row.item_id,
                               reason=row.reason, link=row.link, text=row.message, created_at=row.created_at)
        tries = 0
        while True:
            outcome = self._post(channel, url, payload)
            tries += 1
            if outcome.ok or not outcome.retryable or tries > retries:
                return outcome, tries
            sleep(backoff_s * 2 ** (tries - 1))

    # --- in the background, after a draft ---------------------------------------------------------
    def kick(self) -> None:
        """Deliver what is due on a worker thread; drafting never waits for a webhook. Non-daemon, so a
        one-shot `redreply draft` still sends before it exits (one try per alert, 5 s at most each)."""
        with self._kick_lock:
            self._again = True
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._drain, name="redreply-alerts", daemon=False)
            self._worker.start()

    def _drain(self) -> None:
        while True:
            with self._kick_lock:
                if not self._again:
                    return
                self._again = False
            try:
                report = self.deliver()
            except Exception as e:  # noqa: BLE001 (a bug here must not surface in a drafting thread)
                log.warning("alert delivery pass failed: %s", e)
                continue
            for where, detail in report.problems.items():
                log.warning("alert for %s not delivered: %s; it stays pending (`redreply alerts send` retries)",
                            where, detail)

    def wait(self, timeout: float | None = None) -> None:
        """Until the background worker, if any, is done (tests, and a CLI that must not exit mid-send)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
