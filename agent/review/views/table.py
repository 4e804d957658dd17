"""The queue table: one row per item (comment text masked), its badge, filters, sorting and counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from agent.queue_item import Item
from agent.review.casework.case_stats import MARKER as CASE_MARK  # the Cases page's mark for a due rung
from agent.review.store.listing import masked, reach_of
from agent.review.views.desk_time import CST, OPEN_STATUSES, format_left, is_old, received_at, time_left

STATUSES = ("needs_review", "pending", "failed", "approved", "rejected", "exported", "left", "reported")
SORT_KEYS = ("urgency", "time_left", "severity", "reach", "status", "source", "violations", "posted", "id")
REACH_BUCKETS = (10, 100, 1000)  # reach below 10 is bucket 0, 10–99 is 1, 100–999 is 2, 1000 and more is 3
# Above everything else in the urgency order: a missed appeal deadline loses the takedown, which no reply fixes.
CASE_RANK = {"overdue": 0, "due": 1}
DRAFT_WORDS = 24  # the draft's first characters shown in the table


def reach(item: Item) -> int:
    """How many people a comment reaches, as far as its import knew: likes + 3 × replies."""
    return reach_of(item.comment)


def reach_bucket(value: int) -> int:
    """Reach in orders of magnitude (see REACH_BUCKETS): 17 likes and 23 likes are the same urgency."""
    return sum(value >= b for b in REACH_BUCKETS)


def flag(severity: int | None, overdue: bool, stale: bool, status: str, case_due: str = "") -> str:
    """A badge a reviewer sees from across the room: ⏳ appeal case due, 🔴 severity 3, ⏰ overdue, ♻️ stale,
    ⚠️ failed."""
    marks = [CASE_MARK] if case_due else []
    if severity == 3:
        marks.append("🔴")
    elif severity == 2:
        marks.append("🟠")
    if overdue:
        marks.append("⏰")
    if stale:
        marks.append("♻️")
    if status == "failed":
        marks.append("⚠️")
    return " ".join(marks)


def _action(result: Any) -> str:
    """plan.action where the contract has it (an enum or a string), else empty."""
    action = getattr(result.plan, "action", None) if result is not None else None
    return str(getattr(action, "value", action) or "")


def _first_words(result: Any) -> str:
    text = (getattr(getattr(result, "reply", None), "text", None) or "") if result is not None else ""
    return text[:DRAFT_WORDS] + ("…" if len(text) > DRAFT_WORDS else "")


def item_row(it: Item, window_h: int = 48, zone: tzinfo = CST) -> dict[str, Any]:
    """The part of an item's queue row that does not move with the clock: it changes only when the item does
    (a new version, status or assignee). `start_ts`: when its response clock started (None: no clock)."""
    r = it.result
    start = received_at(it)
    old = is_old(it, window_h)
    return {
        "id": it.id,
        "status": str(it.status),
        "severity": r.triage.severity if r else None,
        "source": r.triage.source.value if r else "",
        "violations": ", ".join(v.value for v in r.triage.violations) if r else "",
        "action_reason": r.plan.action_reason if r else "",
        "reach": reach(it),
        "comment": masked(it.comment.text),
        "author": it.comment.author or "",
        "note": it.comment.note_title or "",
        "brand": it.brand,
        "posted": start.astimezone(zone).strftime("%m-%d %H:%M") if start else "",
        "posted_ts": start.timestamp() if start else None,
        "blocked": bool(r and r.approval_blocked),
        "old": old and str(it.status) in OPEN_STATUSES,
        "action": _action(r),
        "draft": _first_words(r),
        "assignee": it.assignee or "",
        "version": it.version,
        "error": it.error or "",
        # What the clock needs (dropped from the finished row): no clock once closed or when already old.
        "start_ts": start.timestamp() if start and str(it.status) in OPEN_STATUSES and not old else None,
    }


def clock_row(row: dict[str, Any], now_ts: float, window_h: int, stale: str, case_due: str) -> dict[str, Any]:
    """An item's full queue row at `now_ts` (epoch seconds): its `item_row` with the time left, overdue, the
    stale reason, the appeal case mark and the badge."""
    start = row["start_ts"]
    left_s = None if start is None else start + window_h * 3600 - now_ts
    overdue = left_s is not None and left_s < 0
    out = dict(row)
    del out["start_ts"]
    out.update({
        "flag": flag(row["severity"], overdue, bool(stale), row["status"], case_due),
        "due": format_left(None if left_s is None else timedelta(seconds=left_s)),
        "time_left_h": round(left_s / 3600, 2) if left_s is not None else None,
        "overdue": overdue,
        "case_due": case_due,
        "stale": stale,
    })
    return out


def queue_rows(items: Iterable[Item], now: datetime, window_h: int = 48,
               stale: Mapping[str, str | None] | None = None,
               case_due: Mapping[str, str] | None = None, zone: tzinfo = CST) -> list[dict[str, Any]]:
    """One row per item for the queue table; comment text masked. `case_due`: item id -> 'due' / 'overdue'
    for the one row of each appeal case whose rung is due (agent.review.casework.cases.due_marks)."""
    stale = stale or {}
    case_due = case_due or {}
    now_ts = now.timestamp()
    return [clock_row(item_row(it, window_h, zone), now_ts, window_h, stale.get(it.id) or "",
                      case_due.get(it.id, "")) for it in items]


@dataclass
class QueueFilter:
    statuses: Sequence[str] = ()
    severities: Sequence[int] = ()
    sources: Sequence[str] = ()
    violations: Sequence[str] = ()
    brands: Sequence[str] = ()
    search: str = ""
    overdue_only: bool = False
    stale_only: bool = False
    assignees: Sequence[str] = ()  # assigned to one of these accounts ("assigned to me")


def filter_rows(rows: Iterable[dict[str, Any]], f: QueueFilter) -> list[dict[str, Any]]:
    needle = f.search.strip().lower()
    out = []
    for row in rows:
        if f.statuses and row["status"] not in f.statuses:
            continue
        if f.severities and row["severity"] not in f.severities:
            continue
        if f.sources and row["source"] not in f.sources:
            continue
        if f.violations:
            have = set(filter(None, (v.strip() for v in row["violations"].split(","))))
            wanted = set(f.violations)
            if not (have & wanted or ("none" in wanted and not have)):
                continue
        if f.brands and row["brand"] not in f.brands:
            continue
        if f.overdue_only and not row["overdue"]:
            continue
        if f.stale_only and not row["stale"]:
            continue
        if needle and not any(needle in str(row[k]).lower() for k in ("id", "comment", "author", "note")):
            continue
        if f.assignees and row["assignee"] not in f.assignees:
            continue
        out.append(row)
    return out


def _none_last(value: Any, descending: bool) -> tuple[int, Any]:
    # None sorts after every value whichever the direction.
    return (1 if value is None else 0) ^ (1 if descending else 0), value if value is not None else 0


def sort_rows(rows: Iterable[dict[str, Any]], by: str = "urgency", descending: bool = False) -> list[dict[str, Any]]:
    """`urgency`: appeal cases overdue, then due (CASE_RANK), then open items, then severity 3 → 1, then reach
    (likes + 3 × replies, bucketed by REACH_BUCKETS) high → low, then least time left; other keys sort by that
    column."""
    rows = list(rows)
    if by == "urgency":
        def key(r: dict[str, Any]) -> tuple[Any, ...]:
            open_rank = 0 if r["status"] in OPEN_STATUSES else 1
            left = r["time_left_h"] if r["time_left_h"] is not None else float("inf")
            case_rank = CASE_RANK.get(r.get("case_due") or "", len(CASE_RANK))
            return (case_rank, open_rank, -(r["severity"] or 0), -reach_bucket(r.get("reach") or 0), left, r["id"])
        return sorted(rows, key=key, reverse=descending)
    column = {"time_left": "time_left_h", "posted": "posted_ts"}.get(by, by)
    if column == "status":
        return sorted(rows, key=lambda r: (STATUSES.index(r["status"]) if r["status"] in STATUSES else 99, r["id"]),
                      reverse=descending)
    return sorted(rows, key=lambda r: (_none_last(r.get(column), descending), r["id"]), reverse=descending)


def status_counts(items: Iterable[Item], now: datetime, window_h: int = 48) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for it in items:
        counts[str(it.status)] += 1
        left = time_left(it, now, window_h)
        if left is not None and left.total_seconds() < 0:
            counts["overdue"] += 1
        if it.result and it.result.triage.severity == 3 and it.status in OPEN_STATUSES:
            counts["severity3_open"] += 1
    return dict(counts)
