"""What the review app shows, computed from the queue: rows, filters, sorting, time left, edit distance,
analytics, and a background drafting job.

Everything here works on `ReviewQueue` items and decisions through their public fields, so the
Streamlit pages stay thin and all of it is unit-tested without a browser. Comment text leaves this
module masked (`agent.triage.pii.redact`); only the item view shows a comment as written.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal

from agent.review.queue import Decision, Item
from agent.schemas import CommentIn, ReviewDecision
from agent.text import to_simplified, to_traditional
from agent.triage.pii import redact

# Xiaohongshu exports write local (Beijing) time without an offset; a naive time is read as such.
CST = timezone(timedelta(hours=8), "CST")
OPEN_STATUSES = ("pending", "needs_review", "failed", "deciding")
STATUSES = ("needs_review", "pending", "failed", "approved", "rejected", "exported")
SORT_KEYS = ("urgency", "time_left", "severity", "status", "source", "violations", "posted", "id")
ScriptMode = Literal["原文", "简", "繁"]
ONE_CLICK_REWRITES: dict[str, str] = {"shorter": "更短", "warmer": "更温暖", "formal": "更正式", "detail": "更详细"}


# --- time ---------------------------------------------------------------------------------------
def parse_time(value: str | None) -> datetime | None:
    """An ISO time (naive = Beijing time) or epoch seconds/milliseconds, in UTC; None when unreadable."""
    if not value or not str(value).strip():
        return None
    s = str(value).strip()
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            ts = float(s)
        except ValueError:
            return None
        return datetime.fromtimestamp(ts / 1000 if ts > 1e11 else ts, UTC)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=CST)
    return dt.astimezone(UTC)


def received_at(item: Item) -> datetime | None:
    """When the response clock started: the comment's posted_at, else when the queue accepted it."""
    return parse_time(item.comment.posted_at) or parse_time(item.created_at)


def time_left(item: Item, now: datetime, window_h: int = 48) -> timedelta | None:
    """Time left in the response window; negative when overdue; None once the item is closed."""
    start = received_at(item)
    if start is None or item.status not in OPEN_STATUSES:
        return None
    return start + timedelta(hours=window_h) - now


def format_left(left: timedelta | None) -> str:
    if left is None:
        return "—"
    minutes = int(abs(left.total_seconds()) // 60)
    text = f"{minutes // 60}h {minutes % 60:02d}m"
    return f"overdue {text}" if left.total_seconds() < 0 else text


def flag(severity: int | None, overdue: bool, stale: bool, status: str) -> str:
    """A badge a reviewer sees from across the room: 🔴 severity 3, ⏰ overdue, ♻️ stale, ⚠️ failed."""
    marks = []
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


# --- the queue table ----------------------------------------------------------------------------
def queue_rows(items: Iterable[Item], now: datetime, window_h: int = 48,
               stale: Mapping[str, str | None] | None = None) -> list[dict[str, Any]]:
    """One row per item for the queue table; comment text masked."""
    stale = stale or {}
    rows = []
    for it in items:
        r = it.result
        left = time_left(it, now, window_h)
        overdue = left is not None and left.total_seconds() < 0
        severity = r.triage.severity if r else None
        start = received_at(it)
        rows.append({
            "flag": flag(severity, overdue, bool(stale.get(it.id)), str(it.status)),
            "id": it.id,
            "status": str(it.status),
            "severity": severity,
            "source": r.triage.source.value if r else "",
            "violations": ", ".join(v.value for v in r.triage.violations) if r else "",
            "due": format_left(left),
            "time_left_h": round(left.total_seconds() / 3600, 2) if left is not None else None,
            "overdue": overdue,
            "stale": stale.get(it.id) or "",
            "comment": redact(it.comment.text).replace("\n", " "),
            "author": it.comment.author or "",
            "note": it.comment.note_title or "",
            "brand": it.brand,
            "posted": start.astimezone(CST).strftime("%m-%d %H:%M") if start else "",
            "posted_ts": start.timestamp() if start else None,
            "blocked": bool(r and r.approval_blocked),
            "error": it.error or "",
        })
    return rows


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
        out.append(row)
    return out


def _none_last(value: Any, descending: bool) -> tuple[int, Any]:
    # None sorts after every value whichever the direction.
    return (1 if value is None else 0) ^ (1 if descending else 0), value if value is not None else 0


def sort_rows(rows: Iterable[dict[str, Any]], by: str = "urgency", descending: bool = False) -> list[dict[str, Any]]:
    """`urgency`: open items first, then severity 3 → 1, then least time left; other keys sort by that column."""
    rows = list(rows)
    if by == "urgency":
        def key(r: dict[str, Any]) -> tuple[Any, ...]:
            open_rank = 0 if r["status"] in OPEN_STATUSES else 1
            left = r["time_left_h"] if r["time_left_h"] is not None else float("inf")
            return (open_rank, -(r["severity"] or 0), left, r["id"])
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


# --- the item view ------------------------------------------------------------------------------
def display_text(text: str, mode: ScriptMode | str) -> str:
    """The text as written, or converted to Simplified / Traditional for reading."""
    if mode == "简":
        return to_simplified(text)
    if mode == "繁":
        return to_traditional(text)
    return text


def siblings(item: Item, known_ids: Iterable[str]) -> dict[str, list[str]]:
    """Other queued comments the evidence links to: the duplicate cluster and the author's history."""
    known = set(known_ids)
    ev = item.result.evidence if item.result else None
    if ev is None:
        return {"duplicates": [], "author": []}
    return {"duplicates": [i for i in ev.duplicate_cluster if i in known and i != item.id],
            "author": [i for i in ev.author_history if i in known and i != item.id]}


def neighbours(ids: Sequence[str], current: str | None) -> tuple[str | None, str | None]:
    if current is None or current not in ids:
        return (None, ids[0] if ids else None)
    i = list(ids).index(current)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)


def build_decision(action: str, reviewer: str, draft_reply: str, reply: str | None = None,
                   draft_appeal: str | None = None, appeal: str | None = None, reason: str | None = None,
                   instruction: str | None = None) -> ReviewDecision:
    """The decision for the reviewer's action: an approval whose text was changed is an `edit`."""
    reviewer = (reviewer or "").strip() or "reviewer"
    if action == "approve":
        edited = reply is not None and reply.strip() != (draft_reply or "").strip()
        appeal_edited = appeal is not None and draft_appeal is not None and appeal.strip() != draft_appeal.strip()
        return ReviewDecision(action="edit" if edited else "approve", reviewer=reviewer,
                              reply_text=reply.strip() if edited and reply is not None else None,
                              appeal_explanation=appeal.strip() if appeal_edited and appeal is not None else None)
    if action == "reject":
        return ReviewDecision(action="reject", reviewer=reviewer, reason=(reason or "").strip())
    if action == "regenerate":
        return ReviewDecision(action="regenerate", reviewer=reviewer, instruction=(instruction or "").strip())
    raise ValueError(f"unknown action {action!r}")


def paste_comments(text: str, author: str | None = None, note_title: str | None = None) -> list[CommentIn]:
    """One comment per non-empty line; the id is derived from the text, so pasting twice queues once."""
    out: dict[str, CommentIn] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        cid = "p-" + hashlib.sha1(line.encode("utf-8")).hexdigest()[:10]
        out.setdefault(cid, CommentIn(id=cid, text=line, author=author or None, note_title=note_title or None,
                                      posted_at=datetime.now(UTC).isoformat(timespec="seconds")))
    return list(out.values())


# --- edit distance: the quality signal --------------------------------------------------------
def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance in characters (common prefix and suffix trimmed first: edits are local)."""
    if a == b:
        return 0
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start:len(a) - end], b[start:len(b) - end]
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def normalized_edit_distance(draft: str | None, final: str | None) -> float:
    """0 = approved as drafted, 1 = rewritten entirely (distance over the longer text)."""
    a, b = (draft or "").strip(), (final or "").strip()
    longest = max(len(a), len(b))
    return 0.0 if longest == 0 else round(edit_distance(a, b) / longest, 4)


# --- audit and analytics ------------------------------------------------------------------------
def audit_rows(decisions: Iterable[Decision]) -> list[dict[str, Any]]:
    """Every decision with who, when, the draft and the final text, and how much the reviewer changed."""
    rows = []
    for d in decisions:
        final = d.final_reply if d.action in ("approve", "edit") else None
        rows.append({
            "seq": d.seq, "at": d.at, "reviewer": d.reviewer, "action": d.action, "item": d.item_id,
            "draft_reply": d.draft_reply or "", "final_reply": final or "",
            "edit_distance": normalized_edit_distance(d.draft_reply, final) if final is not None else None,
            "reason": d.reason or "", "instruction": d.instruction or "", "applied": d.applied,
        })
    return rows


def volume_by_source(items: Iterable[Item]) -> list[dict[str, Any]]:
    counts = Counter(it.result.triage.source.value for it in items if it.result)
    return [{"source": s, "comments": n} for s, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def _day(item: Item) -> str | None:
    start = received_at(item)
    return start.astimezone(CST).strftime("%Y-%m-%d") if start else None


def severity_over_time(items: Iterable[Item]) -> list[dict[str, Any]]:
    counts = Counter((_day(it), it.result.triage.severity) for it in items if it.result and _day(it))
    return [{"day": d, "severity": f"S{s}", "comments": n} for (d, s), n in sorted(counts.items())]


def violations_over_time(items: Iterable[Item]) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str]] = Counter()
    for it in items:
        day = _day(it)
        if it.result and day:
            for v in it.result.triage.violations or []:
                counts[(day, v.value)] += 1
    return [{"day": d, "violation": v, "comments": n} for (d, v), n in sorted(counts.items())]


def approval_rate(items: Iterable[Item]) -> dict[str, Any]:
    counts = Counter(str(it.status) for it in items)
    approved = counts["approved"] + counts["exported"]
    decided = approved + counts["rejected"]
    return {"decided": decided, "approved": approved, "rejected": counts["rejected"],
            "rate": round(approved / decided, 4) if decided else None}


def edit_rows(decisions: Iterable[Decision]) -> list[dict[str, Any]]:
    """Approvals with the normalised edit distance between draft and final reply."""
    return [{"item": r["item"], "reviewer": r["reviewer"], "at": r["at"], "action": r["action"],
             "edit_distance": r["edit_distance"]}
            for r in audit_rows(decisions) if r["edit_distance"] is not None and r["applied"]]


def edit_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"approvals": 0, "mean": None, "edited_share": None}
    values = [r["edit_distance"] for r in rows]
    return {"approvals": len(values), "mean": round(sum(values) / len(values), 4),
            "edited_share": round(sum(v > 0 for v in values) / len(values), 4)}


def decision_times(items: Iterable[Item], window_h: int = 48) -> list[dict[str, Any]]:
    """Hours from the comment to the decision, for every decided item, against the response window."""
    rows = []
    for it in items:
        start, end = received_at(it), parse_time(it.decided_at)
        if start is None or end is None:
            continue
        hours = round((end - start).total_seconds() / 3600, 2)
        rows.append({"item": it.id, "status": str(it.status), "hours": hours, "within_window": hours <= window_h})
    return rows


# --- background drafting ------------------------------------------------------------------------
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


def rebase_times(comments: Sequence[CommentIn], now: datetime, newest_age: timedelta = timedelta(minutes=20)
                 ) -> list[CommentIn]:
    """The same comments with posted_at shifted so the newest is `newest_age` old and the spread is kept.

    For the demo queue: whatever day it is loaded, some comments are fresh and some are overdue.
    """
    times = [parse_time(c.posted_at) for c in comments]
    known = [t for t in times if t is not None]
    if not known:
        return list(comments)
    shift = now - newest_age - max(known)
    return [c.model_copy(update={"posted_at": (t + shift).astimezone(CST).isoformat(timespec="seconds")})
            if t is not None else c for c, t in zip(comments, times, strict=True)]
