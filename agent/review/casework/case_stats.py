"""What the desk shows about cases: the work list (due and overdue first) and the manager's figures —
cases by rung and outcome, which report reasons and which rungs get content taken down, how long it takes.

Computed from the cases and their audit trail, never stored: a derived view cannot drift from the record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from statistics import median
from typing import Any, Literal

from pydantic import BaseModel

from agent.cases.model import Case, CaseEvent, due_state, parse_time
from agent.cases.rules import RUNGS, Rung
from agent.enums import VIOLATION_LABELS
from agent.schemas import Violation

MARKER = "⏳"
REPORT_RUNGS = (Rung.platform_report, Rung.second_report)
SHOWN = list(RUNGS)  # the ladder's rungs, then extortion's own steps: the order figures are listed in
# Work order on the desk: what is late, then what is due, then what waits for a person, then the rest.
_RANK = {"overdue": 0, "due": 1, "rejected": 2, "no_answer": 2, "drafted": 3, "submitted": 4, "accepted": 5}


def next_action(case: Case) -> str:
    if case.closed:
        return "closed"
    if case.status == "accepted":  # extortion's step done: the next one (evidence, police, lawyer) is due
        return "escalate"
    return {"drafted": "submit", "submitted": "wait for the answer", "rejected": "escalate",
            "no_answer": "escalate"}.get(case.status, "")


def time_left(case: Case, now: datetime) -> str:
    due = parse_time(case.due_at)
    if case.status != "submitted" or due is None:
        return "—"
    minutes = int(abs((due - now).total_seconds()) // 60)
    text = f"{minutes // 60}h {minutes % 60:02d}m"
    return f"overdue {text}" if now >= due else text


def desk_rows(cases: Iterable[Case], now: datetime) -> list[dict[str, Any]]:
    """One row per case, due and overdue first (with the ⏳ marker), then the ones waiting for a person."""
    rows = []
    for c in cases:
        due = due_state(c, now)
        rows.append({
            "due": MARKER if due else "", "id": c.id, "brand": c.brand, "kind": c.kind, "rung": c.rung.value,
            "step": RUNGS[c.rung].label, "status": c.status, "reason": c.reason.value,
            "deadline": c.due_at or "", "left": time_left(c, now), "next": next_action(c),
            "items": len(c.members), "_rank": _RANK.get(due or c.status, 6), "_due": c.due_at or "~",
        })
    rows.sort(key=lambda r: (r["_rank"], r["_due"], r["id"]))
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def due_count(cases: Iterable[Case], now: datetime) -> int:
    return sum(due_state(c, now) is not None for c in cases)


class DueCase(BaseModel):
    """A case whose current rung is due or overdue: what a desk row or an alert needs to say about it."""

    case_id: str
    brand: str
    rung: Rung
    label: str
    state: Literal["due", "overdue"]
    due_at: str
    members: list[str]


def due_list(cases: Iterable[Case], now: datetime) -> list[DueCase]:
    """The due and overdue cases, overdue first, then the earliest deadline."""
    out = []
    for c in cases:
        state = due_state(c, now)
        if state is not None and c.due_at:
            out.append(DueCase(case_id=c.id, brand=c.brand, rung=c.rung, label=RUNGS[c.rung].label,
                               state="overdue" if state == "overdue" else "due", due_at=c.due_at, members=c.members))
    return sorted(out, key=lambda d: (d.state != "overdue", d.due_at, d.case_id))


def queue_marks(cases: Iterable[Case], now: datetime, visible: Iterable[str]) -> dict[str, str]:
    """Item id -> 'due' / 'overdue' for the review queue: one row per due case, its first visible member,
    so a flood of forty look-alikes lifts one row to the top, not forty."""
    shown = set(visible)
    marks: dict[str, str] = {}
    for d in due_list(cases, now):
        first = next((m for m in d.members if m in shown and m not in marks), None)
        if first is not None:
            marks[first] = d.state
    return marks


def by_rung_and_outcome(cases: Iterable[Case]) -> list[dict[str, Any]]:
    """Where the cases stand: each rung with how many cases are at it in each status."""
    counts = Counter((c.rung, c.status) for c in cases)
    return [{"rung": r.value, "status": s, "cases": n}
            for (r, s), n in sorted(counts.items(), key=lambda kv: (SHOWN.index(kv[0][0]), kv[0][1]))]


def _answers(events: Iterable[CaseEvent]) -> dict[tuple[str, str], CaseEvent]:
    """The last answer recorded for each (case, rung): a late answer replaces the no_answer before it."""
    last: dict[tuple[str, str], CaseEvent] = {}
    for e in events:
        if e.action == "outcome":
            last[(e.case_id, e.rung)] = e
    return last


def _rate(rows: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    out = []
    for key, c in rows.items():
        answered = c["accepted"] + c["rejected"] + c["no_answer"]
        out.append({"key": key, "answered": answered, "accepted": c["accepted"], "rejected": c["rejected"],
                    "no_answer": c["no_answer"], "success_rate": round(c["accepted"] / answered, 4) if answered else None})
    return out


def success_by_reason(events: Iterable[CaseEvent]) -> list[dict[str, Any]]:
    """Of the reports made with each reason, how many got the content taken down."""
    rows: dict[str, Counter[str]] = {}
    for e in _answers(events).values():
        if e.rung in REPORT_RUNGS and e.reason:
            label = f"{e.reason} · {VIOLATION_LABELS[Violation(e.reason)]}"
            rows.setdefault(label, Counter())[e.to_state.split(":")[1]] += 1
    return [{"reason": r.pop("key"), **r} for r in sorted(_rate(rows), key=lambda r: -r["answered"])]


def success_by_rung(events: Iterable[CaseEvent]) -> list[dict[str, Any]]:
    """Of the times each rung was answered, how many ended in a takedown."""
    rows: dict[str, Counter[str]] = {}
    for e in _answers(events).values():
        rows.setdefault(e.rung, Counter())[e.to_state.split(":")[1]] += 1
    return [{"rung": r.pop("key"), **r} for r in sorted(_rate(rows), key=lambda r: SHOWN.index(Rung(r["key"])))]


def takedown_hours(cases: Iterable[Case]) -> list[float]:
    """Hours from the first submission to the takedown, for every case taken down."""
    hours = []
    for c in cases:
        start, end = parse_time(c.first_submitted_at), parse_time(c.closed_at)
        if start and end:
            hours.append(round((end - start).total_seconds() / 3600, 2))
    return hours


def median_takedown_h(cases: Iterable[Case]) -> float | None:
    hours = takedown_hours(cases)
    return round(median(hours), 2) if hours else None
