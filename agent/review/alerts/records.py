"""The alerts outbox's rows (their table is made by agent.storage's migration history): the delivery
limits, an alert as stored and the report of one delivery pass. Kept apart from the outbox's logic (outbox.py) to keep each module short.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

MAX_ATTEMPTS = 12  # with the backoff below, about four hours of trying before a person must look
BACKOFF_S, BACKOFF_MAX_S = 30.0, 3600.0  # between passes: 30 s, 1 min, 2 min … at most an hour
BACKFILL_H = 24  # drafts a crash left unchecked are checked if this recent (older ones are old news)
# After a draft, due cases are looked for at most this often: a rung is due for hours, so a minute late costs
# nothing, while a batch of drafts must not pay for a look at the case book each.
CASE_SCAN_S = 60.0


class AlertRecord(BaseModel):
    id: int
    key: str
    channel: str
    kind: str
    brand: str
    trigger: str
    subject: str
    item_id: str
    window_start: str | None
    reason: str
    link: str
    message: str
    status: str
    attempts: int
    last_error: str | None
    created_at: str
    next_attempt_at: str
    sent_at: str | None


class DeliveryReport(BaseModel):
    sent: list[AlertRecord] = []
    pending: list[AlertRecord] = []  # still to be delivered: a later pass tries again
    failed: list[AlertRecord] = []
    problems: dict[str, str] = {}  # "brand/channel" -> why it could not be reached, one line each


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")
