"""The rung drafts of `redreply eval appeals`: each labelled comment with a report is walked up every rung the
rules allow (each rung submitted and rejected, the evidence checklist ticked part-way at the back office and
in full before the lawyer's brief; an extortion case up its own track, its evidence ticked in full before
the police report), and each rung's draft, as `case escalate` writes it, is scored for what its reader
must never get:

- unsupported statements: an order lookup, a spread, look-alikes or an account's history the row's record
  does not hold, or a posting time other than the comment's own (the import time is not it);
- wrong-reader wording: a phrase written for another rung's reader ("恳请平台删除" at 12377, a lawyer who
  "rejects"), as knowledge/scripts/ladder.yaml lists them;
- internal notes in the text to paste ("上一次以…举报未成功");
- evidence claimed without its tick: an open checklist item listed as attached, or "均已备好".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agent.cases.model import Case, CaseEvent, plan_escalation
from agent.cases.rules import RUNGS, Rung, checklist_for
from agent.config import Settings
from agent.drafting.appeal_facts import posted_text
from agent.drafting.drafter import Drafting
from agent.drafting.ladder import template_name
from agent.drafting.ladder_grounds import grounded_reasons
from agent.drafting.ladder_model import draft_rung_checked
from agent.drafting.ladder_notes import (
    evidence_claims,
    internal_ids,
    internal_leaks,
    reviewer_notes,
    wrong_reader,
)
from agent.drafting.ladder_slots import LadderInput
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.knowledge.wording import appeals
from agent.placeholders import PLACEHOLDER_RE
from agent.queue_item import Item
from agent.schemas import Appeal, CommentIn, DraftResult, Escalation, Evidence, Plan, Strategy, Triage

IMPORTED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # when the walk's comments were "imported"
POSTED = "2026-11-20 21:14"  # the posting time given to every other row; the rest have none on record
# The facts a rung may state only from the row's record (what the comment contains is the reason's business).
RECORDED_NEEDS = ("order_none", "order_found", "spread", "cluster", "history")
PARTIAL_TICKS = ("screenshots",)  # fixed before the back office; the rest before the lawyer's brief


@dataclass
class RungDraftScore:
    row: str
    rung: Rung
    comment: str
    text: str
    notes: list[str]
    problems: dict[str, list[str]] = field(default_factory=dict)


def imported_at(comment: CommentIn) -> datetime:
    """When the walk's comment was "imported": the fixed day, or an hour after it was posted where that is
    later (a report filed before its comment was posted is a record nobody could file)."""
    try:
        posted = datetime.fromisoformat((comment.posted_at or "").replace("Z", "+00:00"))
    except ValueError:
        return IMPORTED
    posted = posted if posted.tzinfo else posted.replace(tzinfo=UTC)
    return max(IMPORTED, posted + timedelta(hours=1))


def item_for(row_id: str, brand: str, record: CommentIn, triage: Triage, evidence: Evidence, appeal: Appeal) -> Item:
    plan = Plan(strategy=Strategy.neutral_rebuttal, appeal=True, escalation=Escalation.platform_report)
    result = DraftResult(id=row_id, brand=brand, triage=triage, evidence=evidence, plan=plan, appeal=appeal)
    return Item(id=row_id, brand=brand, comment=record, status="needs_review", version=0, result=result,
                created_at=imported_at(record).isoformat())


def _event(case: Case, n: int, action: str, to: str, at: datetime) -> CaseEvent:
    return CaseEvent(seq=n, case_id=case.id, at=at.isoformat(), who="eval", action=action,
                     from_state=case.state, to_state=to, rung=case.rung.value, reason=case.reason.value)


def _fail(case: Case, events: list[CaseEvent], at: datetime) -> Case:
    """The current rung submitted and rejected, as a person records it."""
    if case.no_reason_left:  # the note that no other reason fits: nothing was filed, nothing answered
        return case
    events.append(_event(case, len(events) + 1, "submit", f"{case.rung}:submitted", at))
    events.append(_event(case, len(events) + 1, "outcome", f"{case.rung}:rejected", at + timedelta(hours=30)))
    tried = case.tried + ([case.reason] if case.rung in (Rung.platform_report, Rung.second_report)
                          and case.reason not in case.tried else [])
    return case.model_copy(update={"status": "rejected", "tried": tried})


def _ticked(case: Case, rung: Rung) -> Case:
    full = (Rung.legal_brief, Rung.police_report)  # the lawyer's brief and extortion's police report wait for all
    keys = list(checklist_for(case.cluster, case.track)) if rung in full else list(PARTIAL_TICKS)
    if rung not in (Rung.brand_backend, *full):
        return case
    return case.model_copy(update={"checklist": {**case.checklist, **{k: "eval" for k in keys}}})


def walk(item: Item, settings: Settings, drafting: Drafting) -> list[tuple[Rung, LadderInput, str]]:
    """Every rung the rules allow for the item's case, each drafted after the one before was rejected."""
    assert item.result is not None and item.result.appeal is not None
    r, reason = item.result, item.result.appeal.reason
    kind = "extortion" if item.result.appeal.track == "extortion" else "item"
    case = Case(id=item.id, brand=item.brand, kind=kind, members=[item.id], rung=Rung.platform_report,
                status="drafted", reason=reason, tried=[], violations=list(dict.fromkeys([*r.triage.violations, reason])),
                source=r.triage.source.value, severity=r.triage.severity,
                opened_at=imported_at(item.comment).isoformat())
    brand, at = load_brand(settings.knowledge_dir, item.brand), imported_at(item.comment)
    events: list[CaseEvent] = []
    out: list[tuple[Rung, LadderInput, str]] = []
    while True:
        at += timedelta(days=3)
        case = _fail(case, events, at)
        try:  # planned as if the checklist were done: the walk ticks it before the lawyer's brief
            step = plan_escalation(_ticked(_ticked(case, Rung.legal_brief), Rung.police_report), at,
                                   grounded=grounded_reasons(LadderInput(case=case, brand=brand, items=[item],
                                                                         events=list(events))))
        except UserError:  # the last rung: nothing to escalate to
            return out
        case = _ticked(case, step.rung).model_copy(update={"rung": step.rung, "reason": step.reason,
                                                            "status": "drafted"})
        data = LadderInput(case=case, brand=brand, items=[item], events=list(events))
        out.append((step.rung, data, draft_rung_checked(drafting, step.rung, data, settings.knowledge_dir).text))


def _unsupported(text: str, item: Item, allowed: set[str]) -> list[str]:
    needs = appeals().statement_needs
    bare = PLACEHOLDER_RE.sub("", text)
    out = [f"{need}: {line.strip()}" for line in bare.splitlines()
           for need in RECORDED_NEEDS if need not in allowed and needs[need].search(line)]
    imported = imported_at(item.comment).strftime("%Y-%m-%d")
    if imported in text:
        out.append(f"the import date {imported} stated as a time of the comment")
    posted = posted_text(item.comment.posted_at) if item.comment.posted_at else None
    if posted and "发布于" in text and posted not in text:
        out.append(f"posting time {posted} not stated where the text says 发布于")
    return out


def score(row_id: str, comment: str, item: Item, allowed: set[str], settings: Settings,
          drafting: Drafting) -> list[RungDraftScore]:
    out = []
    for rung, data, text in walk(item, settings, drafting):
        problems = {"unsupported": _unsupported(text, item, allowed),
                    "wrong_reader": wrong_reader(rung, text, settings.knowledge_dir, template_name(rung, data.case)),
                    "internal_note": internal_leaks(text, settings.knowledge_dir, internal_ids(data)),
                    "evidence_unticked": evidence_claims(text, data, settings.knowledge_dir)}
        out.append(RungDraftScore(row_id, rung, comment, text, reviewer_notes(rung, data, settings.knowledge_dir),
                                  {k: v for k, v in problems.items() if v}))
    return out


def metrics(scores: list[RungDraftScore]) -> dict[str, float]:
    def count(kind: str) -> float:
        return float(sum(bool(s.problems.get(kind)) for s in scores))
    return {"rung_drafts": float(len(scores)), "rung_unsupported": count("unsupported"),
            "rung_wrong_reader": count("wrong_reader"), "rung_internal_notes": count("internal_note"),
            "rung_evidence_unticked": count("evidence_unticked")}


def misses(scores: list[RungDraftScore]) -> list[str]:
    return [f"{s.row} {s.rung.value} ({RUNGS[s.rung].label}): {kind}: {' | '.join(found)[:160]}"
            for s in scores for kind, found in s.problems.items()]
