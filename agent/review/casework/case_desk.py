"""What the CLI and the desk call to work a case: record what a person did on the platform, and draft the
next rung (with the model when there is one, else the offline template; agent.drafting.ladder_model) and
the recovery note from the knowledge base. The case book enforces the rules; this module only gathers what
a draft is made from, so the drafting happens before the transaction that stores it and the transaction
stays short.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property

from agent.cases.model import Case, CaseDraft, check_outcome, plan_escalation
from agent.cases.rules import Rung, rung_deadlines
from agent.config import Settings, time_zone
from agent.drafting.drafter import Drafting
from agent.drafting.ladder import draft_rung, first_report, ladder_checks, recovery_note
from agent.drafting.ladder_gates import proportionate
from agent.drafting.ladder_grounds import grounded_reasons
from agent.drafting.ladder_model import draft_rung_checked
from agent.drafting.ladder_notes import reader_checks, reviewer_notes
from agent.drafting.ladder_slots import LadderInput
from agent.drafting.llm import ModelClient, make_client
from agent.knowledge.brands import load_brand
from agent.review.casework.cases import CaseBook
from agent.review.store.queue import ReviewQueue
from agent.schemas import CheckResult
from agent.storage.connection import desk_database


class CaseDesk:
    def __init__(self, settings: Settings, queue: ReviewQueue | None = None, client: ModelClient | None = None) -> None:
        self.settings = settings
        self.queue = queue or ReviewQueue(desk_database(settings))
        self.book = CaseBook(self.queue, rung_deadlines(settings.case_deadlines_h), time_zone(settings.team_tz))
        self._client = client

    @cached_property
    def drafting(self) -> Drafting:
        # Made on the first escalation: listing and recording cases never pay litellm's import.
        return Drafting(self.settings, self._client if self._client is not None else make_client(self.settings))

    def open_missing(self) -> list[str]:
        """Cases for appealed drafts stored before cases existed (or by a desk without the hook); idempotent."""
        known = {r[0] for r in self.queue.conn.execute("SELECT item_id FROM case_members")}
        opened = []
        for item in self.queue.items():
            if item.result is not None and item.result.appeal is not None and item.id not in known:
                case_id = self.book.open_for(item.result)
                if case_id:
                    opened.append(case_id)
                    known |= set(self.book.get(case_id).members)
        return opened

    def ladder_input(self, case: Case) -> LadderInput:
        items = [self.queue.get(m) for m in case.members
                 if self.queue.conn.execute("SELECT 1 FROM items WHERE id = ?", (m,)).fetchone()]
        return LadderInput(case=case, brand=load_brand(self.settings.knowledge_dir, case.brand), items=items,
                           events=self.book.events(case.id))

    def current_draft(self, case: Case) -> str:
        """The text to submit for the current rung; for the first report, the reviewer's approved appeal wins."""
        if case.rung == Rung.platform_report:
            item = next((i for i in self.ladder_input(case).items if i.final_appeal and i.result
                         and i.result.appeal), None)
            if item is not None and item.result is not None and item.result.appeal is not None:
                return first_report(item.result.appeal.model_copy(update={"explanation": item.final_appeal}))
        record = self.draft_record(case)
        if record is not None and record.model in (None, "offline") and case.rung != Rung.platform_report:
            # The template's text, filled again: evidence ticked since it was drafted shows as attached.
            return draft_rung(Rung(case.rung), self.ladder_input(case), self.settings.knowledge_dir)
        return record.text if record else ""

    def reviewer_notes(self, case: Case) -> list[str]:
        """What the reviewer reads beside the current rung's draft and never pastes."""
        return reviewer_notes(Rung(case.rung), self.ladder_input(case), self.settings.knowledge_dir)

    def draft_record(self, case: Case) -> CaseDraft | None:
        """The stored draft of the current rung with who wrote it, why the template stood in, the rejected attempt."""
        drafts = [d for d in self.book.drafts(case.id) if d.rung == case.rung and d.kind == "rung"]
        return drafts[-1] if drafts else None

    def checks(self, text: str, case: Case | None = None) -> list[CheckResult]:
        """The checks beside a rung's draft; with the case, whether its rung is warranted (proportionate)."""
        if case is None:
            return ladder_checks(text, self.settings.knowledge_dir)
        data, rung = self.ladder_input(case), Rung(case.rung)
        return (ladder_checks(text, self.settings.knowledge_dir) + [proportionate(rung, data)]
                + reader_checks(rung, text, data, self.settings.knowledge_dir))

    def submit(self, case_id: str, who: str, at: datetime | None = None) -> Case:
        return self.book.submit(case_id, who, at)

    def outcome(self, case_id: str, result: str, who: str, at: datetime | None = None,
                rung: str | None = None) -> Case:
        """Record the answer; a crisis case that closes gets its recovery note drafted in the same step."""
        case = self.book.get(case_id)
        check_outcome(case, result, rung)  # bad input fails before anything is drafted
        note = None
        if result == "accepted" and case.crisis:
            note = recovery_note(self.ladder_input(case), self.settings.knowledge_dir)
        return self.book.record_outcome(case.id, result, who, at, recovery_note=note)

    def escalate(self, case_id: str, who: str, reason: str | None = None, to: str | None = None,
                 at: datetime | None = None) -> Case:
        """Draft the next rung the rules allow and move the case to it, in status drafted."""
        now = at or datetime.now(UTC)
        case = self.book.get(case_id)
        step = plan_escalation(case, now, reason, to, grounded_reasons(self.ladder_input(case)))
        moved = case.model_copy(update={"rung": step.rung, "reason": step.reason})
        draft = draft_rung_checked(self.drafting, step.rung, self.ladder_input(moved), self.settings.knowledge_dir)
        return self.book.escalate(case.id, step, draft, who, case.version, at=now)

    def tick(self, case_id: str, items: list[str], who: str, at: datetime | None = None) -> Case:
        return self.book.tick(case_id, items, who, at)
