"""When a draft calls for the team's attention now, and what the alert says.

Four triggers, evaluated once per drafted item (agent.review.alerts.outbox queues what they return):
- severity3 / extortion: the item itself (one alert per item, naming every reason);
- flood: a flood cluster (flooding among the violations, look-alike comments from other accounts), one alert
  per cluster, named after its earliest-queued comment; its members raise no item alerts of their own;
- spike: at least the brand's `alerts.spike_per_hour` negative comments under one note within an hour (by
  posted_at, else when queued), one alert per burst: none within an hour of the last one for that note.
And one looked for in the case book rather than in a draft (AlertOutbox.check_cases):
- case_due: an appeal case whose current rung is due, then once more when it is overdue (`case_due`).

The message carries no personal data: the comment is cut short with phones, WeChat ids, addresses… masked
(agent.triage.pii), and the author's name and the order number never appear.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel

from agent.config import Settings
from agent.knowledge.brands import BrandAlerts
from agent.queue_item import Item
from agent.review.casework.case_stats import DueCase
from agent.review.views.desk_time import parse_time, team_time, team_zone
from agent.schemas import DraftResult, Source, Violation
from agent.storage.connection import Sql
from agent.triage.pii import mask, redact

Trigger = Literal["severity3", "extortion", "flood", "spike", "case_due"]
HOUR = timedelta(hours=1)
EXCERPT_CHARS = 60
LABELS: dict[str, str] = {"severity3": "严重度3 severity 3", "extortion": "敲诈勒索 extortion",
                          "flood": "刷屏集群 flood cluster", "spike": "负面激增 spike",
                          "case_due": "申诉到期 appeal case due"}
DUE_WORDS = {"due": "即将到期 due", "overdue": "已超时 overdue"}


class AlertDraft(BaseModel):
    """One alert decided on, before it is queued for each of the brand's channels."""

    key: str  # idempotency: trigger + item/cluster/note (+ window); the outbox keeps one row per key and channel
    trigger: Trigger
    brand: str
    subject: str  # the item, the cluster's first item, or the note
    item_id: str  # the item the link opens
    window_start: str | None = None
    reason: str
    link: str
    text: str


def item_link(settings: Settings, item_id: str) -> str:
    return f"{settings.desk_url.rstrip('/')}/item?item={quote(item_id, safe='')}"


def excerpt(item: Item, limit: int = EXCERPT_CHARS) -> str:
    """The start of the comment, safe for a group chat: PII masked, no author name, no order number."""
    text = redact(item.comment.text)
    for private in (item.comment.author, item.comment.order_id):
        if private and len(private.strip()) >= 2:
            text = text.replace(private.strip(), mask(private.strip()))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _message(draft: AlertDraft, brand_name: str, item: Item) -> str:
    return "\n".join([
        f"【RedReply 预警】{brand_name} ({draft.brand}) · {LABELS[draft.trigger]}",
        f"原因 reason: {draft.reason}",
        f"条目 item: {draft.item_id}",
        f"评论 comment: {excerpt(item)}",
        f"查看 open: {draft.link}",
    ])


def _item_reasons(result: DraftResult) -> list[str]:
    t = result.triage
    reasons = []
    if t.source == Source.extortion or result.plan.situation == "extortion":
        reasons.append("extortion")
    if t.severity >= 3:
        reasons.append("severity 3")
    return reasons


def _describe(result: DraftResult, reasons: list[str]) -> list[str]:
    t = result.triage
    return [x for x in (t.source.value, *(v.value for v in t.violations)) if x not in reasons]


def _flood(c: Sql, result: DraftResult) -> tuple[str, list[str]] | None:
    """(the cluster's earliest-queued member, its members) when the draft is part of a flood cluster."""
    if Violation.flooding not in result.triage.violations or not result.evidence.duplicate_cluster:
        return None
    members = list(dict.fromkeys([result.id, *result.evidence.duplicate_cluster]))
    row = c.execute(f"SELECT id FROM items WHERE id IN ({','.join('?' * len(members))}) "
                    "ORDER BY created_at, id LIMIT 1", members).fetchone()
    return (row[0] if row else result.id), members


def _note(item: Item) -> tuple[str, str, str] | None:
    """(subject, SQL condition, value) naming the item's note: its id when known, else its title."""
    cm = item.comment
    note_id = cm.note_id or (cm.context.note.id if cm.context and cm.context.note else None)
    if note_id:
        return (f"note:{note_id}", "(json_extract(comment_json, '$.note_id') = ? OR "
                "json_extract(comment_json, '$.context.note.id') = ?)", note_id)
    if cm.note_title:
        return f"note:{cm.note_title}", "(note_title = ? OR note_title = ?)", cm.note_title
    return None


def spike_window(times: list[datetime], at: datetime, need: int) -> datetime | None:
    """The start of the earliest one-hour window that holds `at` and at least `need` of `times`."""
    near = sorted(x for x in times if abs(x - at) <= HOUR)
    for i, start in enumerate(near):
        if start > at:
            break
        if start + HOUR >= at and sum(1 for x in near[i:] if x <= start + HOUR) >= need:
            return start
    return None


def _spike(c: Sql, item: Item, need: int) -> tuple[str, str, datetime, int] | None:
    """(subject, note title or id, window start, count) when the item completes a spike not yet alerted."""
    note = _note(item)
    at = parse_time(item.comment.posted_at) or parse_time(item.created_at)
    if note is None or at is None:
        return None
    subject, condition, value = note
    rows = c.execute(f"SELECT posted_at, created_at FROM items WHERE brand = ? AND {condition} "
                     "AND result_json IS NOT NULL AND source != ?",
                     (item.brand, value, value, Source.not_negative.value)).fetchall()
    times = [t for t in (parse_time(r[0]) or parse_time(r[1]) for r in rows) if t is not None]
    start = spike_window(times, at, need)
    if start is None:
        return None
    for (earlier,) in c.execute("SELECT DISTINCT window_start FROM alerts WHERE trigger = 'spike' AND brand = ? "
                                "AND subject = ?", (item.brand, subject)):
        seen = parse_time(earlier)
        if seen is not None and abs(seen - start) < HOUR:
            return None  # the same burst, already alerted
    count = sum(1 for t in times if start <= t <= start + HOUR)
    return subject, item.comment.note_title or value, start, count


def evaluate(c: Sql, settings: Settings, cfg: BrandAlerts, brand_name: str, item: Item,
             result: DraftResult) -> list[AlertDraft]:
    """The alerts this freshly stored draft raises (read inside the outbox's write transaction)."""
    drafts: list[AlertDraft] = []
    link = item_link(settings, item.id)
    reasons = _item_reasons(result)
    flood = _flood(c, result)
    if flood is not None:
        root, members = flood
        shown = ", ".join(members[:5]) + (" …" if len(members) > 5 else "")
        reason = f"flood cluster of {len(members)} look-alike comments from different accounts ({shown})"
        drafts.append(AlertDraft(key=f"flood:{item.brand}:{root}", trigger="flood", brand=item.brand, subject=root,
                                 item_id=item.id, reason=" · ".join([reason, *reasons]), link=link, text=""))
    elif reasons:
        trigger: Trigger = "extortion" if "extortion" in reasons else "severity3"
        drafts.append(AlertDraft(key=f"item:{item.brand}:{item.id}", trigger=trigger, brand=item.brand,
                                 subject=item.id, item_id=item.id, link=link, text="",
                                 reason=" · ".join([*reasons, *_describe(result, reasons)])))
    if result.triage.source != Source.not_negative:
        spike = _spike(c, item, cfg.spike_per_hour)
        if spike is not None:
            subject, note, start, count = spike
            title = redact(note)[:30]
            drafts.append(AlertDraft(
                key=f"spike:{item.brand}:{subject}:{start.isoformat(timespec='minutes')}", trigger="spike",
                brand=item.brand, subject=subject, item_id=item.id, window_start=start.isoformat(), link=link,
                text="", reason=f"{count} negative comments under the note 「{title}」 within an hour "
                                f"(threshold {cfg.spike_per_hour})"))
    return [d.model_copy(update={"text": _message(d, brand_name, item)}) for d in drafts]


def case_due_key(case: DueCase) -> str:
    """One alert per case, rung, state and deadline: a rung alerts when due and once more when overdue, and the
    next rung after an escalation (a new deadline) alerts again."""
    return f"case_due:{case.brand}:{case.case_id}:{case.rung}:{case.state}:{case.due_at}"


def case_due(settings: Settings, case: DueCase, brand_name: str, item: Item | None) -> AlertDraft:
    """The alert for a case whose current rung is due or overdue; `item` is the case's first queued comment
    (the link opens it; None when none is in the queue any more)."""
    deadline, offset = team_time(case.due_at, team_zone(settings.team_tz))
    item_id = item.id if item is not None else case.members[0]
    link = item_link(settings, item_id)
    when = "is due by" if case.state == "due" else "is overdue since"
    size = f" · {len(case.members)} comments" if len(case.members) > 1 else ""
    lines = [
        f"【RedReply 预警】{brand_name} ({case.brand}) · {LABELS['case_due']}",
        f"案件 case: {case.case_id}{size} · {case.label} ({case.rung})",
        f"状态 state: {DUE_WORDS[case.state]} · 截止 deadline {deadline} ({offset})",
        f"条目 item: {item_id}",
        *([f"评论 comment: {excerpt(item)}"] if item is not None else []),
        f"查看 open: {link}",
    ]
    return AlertDraft(key=case_due_key(case), trigger="case_due", brand=case.brand, subject=case.case_id,
                      item_id=item_id, link=link, text="\n".join(lines),
                      reason=f"appeal case {case.case_id}: {case.rung} ({case.label}) {when} {deadline} ({offset})")
