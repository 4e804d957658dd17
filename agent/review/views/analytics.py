"""Audit and insight: every decision with how much the reviewer changed, and the queue's figures over time.

Edit distance is the quality signal: 0 = the draft was approved as written, 1 = rewritten entirely.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import tzinfo
from typing import Any

from rapidfuzz.distance import Levenshtein

from agent.queue_item import Item
from agent.review.store.queue import Decision
from agent.review.views.desk_time import CST, parse_time, received_at


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance in characters."""
    return int(Levenshtein.distance(a, b))


def normalized_edit_distance(draft: str | None, final: str | None) -> float:
    """0 = approved as drafted, 1 = rewritten entirely (distance over the longer text)."""
    a, b = (draft or "").strip(), (final or "").strip()
    longest = max(len(a), len(b))
    return 0.0 if longest == 0 else round(edit_distance(a, b) / longest, 4)


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


def _day(item: Item, zone: tzinfo) -> str | None:
    """The team's calendar day the comment came in on (a comment at 23:30 in Los Angeles is that day's, not
    the next Beijing day's)."""
    start = received_at(item)
    return start.astimezone(zone).strftime("%Y-%m-%d") if start else None


def severity_over_time(items: Iterable[Item], zone: tzinfo = CST) -> list[dict[str, Any]]:
    """Comments per team day and severity; `zone`: the team's (Settings.team_tz)."""
    counts = Counter((day, it.result.triage.severity) for it in items if it.result and (day := _day(it, zone)))
    return [{"day": d, "severity": f"S{s}", "comments": n} for (d, s), n in sorted(counts.items())]


def violations_over_time(items: Iterable[Item], zone: tzinfo = CST) -> list[dict[str, Any]]:
    """Comments per team day and violation; `zone`: the team's (Settings.team_tz)."""
    counts: Counter[tuple[str, str]] = Counter()
    for it in items:
        day = _day(it, zone)
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
