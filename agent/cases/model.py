"""What a case is (one appealed item, or one flood cluster, walking the escalation ladder) and what may
happen to it next. Pure: the case book (agent.review.casework.cases) checks every transition with these functions
inside its transaction, so the CLI, the desk and a script are held to the same rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field, field_validator

from agent.cases.rules import (
    EXTORTION_TRACK,
    ORDER,
    RESULTS,
    Rung,
    checklist_for,
    next_rung,
    parse_reason,
    parse_rung,
    regulator_allowed,
    second_reason,
    track_rungs,
    truthful_reasons,
)
from agent.errors import UserError
from agent.schemas import CheckResult, Violation

DUE_SOON = timedelta(hours=12)  # a submitted rung this close to its deadline is "due" on the desk


class Case(BaseModel):
    id: str
    brand: str
    kind: str = Field(description="'item', 'cluster' or 'extortion' (its own track, apart from the ladder)")
    members: list[str]
    rung: Rung
    status: str = Field(description="drafted · submitted · accepted · rejected · no_answer")
    reason: Violation = Field(description="The report reason of the current (or last) report")
    tried: list[Violation] = Field(description="Report reasons already submitted, in order")
    violations: list[Violation]
    source: str
    severity: int
    hint: str | None = Field(None, description="The escalation the first draft's plan suggested")
    opened_at: str
    first_submitted_at: str | None = None
    submitted_at: str | None = None
    due_at: str | None = None
    answered_at: str | None = None
    closed_at: str | None = None
    version: int = 0
    checklist: dict[str, str] = Field(default_factory=dict, description="Ticked item -> 'who at when'")

    @property
    def cluster(self) -> bool:
        return self.kind == "cluster"

    @property
    def track(self) -> str:
        """'extortion' (report, evidence preserved, police, lawyer) or 'ladder'. A case opened before the track
        existed is known by its reason: `illegal` is only ever the extortion report's."""
        return "extortion" if self.kind == "extortion" or self.reason == Violation.illegal else "ladder"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def crisis(self) -> bool:
        """A crisis ends with a recovery note: a severity-3 item, or a flood. Not extortion: the brand says
        nothing in public about a demand for money (the police have it)."""
        return (self.severity >= 3 or self.cluster) and self.track != "extortion"

    @property
    def state(self) -> str:
        return f"{self.rung}:{self.status}"

    @property
    def no_reason_left(self) -> bool:
        """A second report with no other reason the comments show: a note saying so, nothing to file."""
        return self.rung == Rung.second_report and self.reason in self.tried[:None if self.status == "drafted" else -1]

    @property
    def checklist_missing(self) -> list[str]:
        return [k for k in checklist_for(self.cluster, self.track) if k not in self.checklist]


class CaseEvent(BaseModel):
    seq: int
    case_id: str
    at: str
    who: str
    action: str
    from_state: str | None
    to_state: str
    rung: str
    reason: str | None = None
    note: str | None = None


class RungAttempt(BaseModel):
    """A model's rung draft that failed a hard check: kept beside the offline draft, never offered as it."""

    model: str
    text: str
    failed_checks: list[CheckResult] = Field(default_factory=list)


class RungDraft(BaseModel):
    """A rung's text and who wrote it: the model, or the offline template (and then why it stood in)."""

    text: str
    model: str = "offline"
    fallback: str | None = Field(None, description="Why the model's draft was not used")
    rejected: RungAttempt | None = None
    calls: int = Field(0, description="Model calls it took (not stored: for the eval's cost figures)")
    prompt_tokens: int = 0


class CaseDraft(BaseModel):
    case_id: str
    rung: str
    kind: str = Field(description="'rung' (the text for that rung) or 'recovery' (the note after a crisis)")
    text: str
    created_at: str
    model: str | None = Field(None, description="Who wrote the text (None: stored before this was recorded)")
    fallback: str | None = None
    rejected: RungAttempt | None = None

    @field_validator("rejected", mode="before")
    @classmethod
    def _json(cls, v: Any) -> Any:
        return RungAttempt.model_validate_json(v) if isinstance(v, str) else v


class Step(BaseModel):
    """An escalation the rules allow: the rung to go to, the report reason it uses, and what was passed over."""

    rung: Rung
    reason: Violation
    notes: list[str] = Field(default_factory=list)
    no_answer_first: bool = Field(False, description="The current rung ran out of time: record no_answer first")
    grounded: list[Violation] | None = Field(None, description="Reasons the comments show (None: not read)")


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def due_state(case: Case, now: datetime) -> str | None:
    """'overdue' past the deadline, 'due' within DUE_SOON of it, None otherwise (or with no clock running)."""
    due = parse_time(case.due_at)
    if case.status != "submitted" or due is None:
        return None
    if now >= due:
        return "overdue"
    return "due" if due - now <= DUE_SOON else None


def _refuse_closed(case: Case) -> None:
    if not case.closed:
        return
    if case.track == "extortion":  # extortion ends with the police or the lawyer, not with a takedown
        raise UserError(f"case {case.id} is closed: closed at {case.rung} on {case.closed_at}")
    raise UserError(f"case {case.id} is closed: taken down at {case.rung} on {case.closed_at}")


def check_submit(case: Case) -> None:
    _refuse_closed(case)
    if case.no_reason_left and case.status == "drafted":
        raise UserError(f"the second report of case {case.id} is a note that no other reason fits: there is "
                        "nothing to submit; escalate (`case escalate`) to the next rung")
    if case.status == "submitted":
        raise UserError(f"{case.rung} of case {case.id} was already submitted at {case.submitted_at}; "
                        "record its outcome (`case outcome`)")
    if case.status != "drafted":
        raise UserError(f"{case.rung} of case {case.id} was answered ({case.status}); "
                        "escalate (`case escalate`) to draft the next rung")


def check_outcome(case: Case, result: str, rung: str | None = None) -> None:
    """Refuses an outcome the case cannot take; `rung`: the rung the answer is for (default: the current one)."""
    if result not in RESULTS:
        raise UserError(f"unknown result '{result}'; use accepted, rejected or no_answer")
    if rung is not None and rung != case.rung and rung not in track_rungs(case.track):
        raise UserError(f"case {case.id} is at {case.rung}: an outcome for {rung} is refused ({rung} is not a step "
                        f"of its {case.track} track)")
    if rung is not None and rung != case.rung:
        raise UserError(f"case {case.id} is at {case.rung}: an outcome for {rung}, a rung it is not at, is refused")
    _refuse_closed(case)
    if case.no_reason_left and case.status == "drafted":
        raise UserError(f"the second report of case {case.id} is a note that no other reason fits: nothing was "
                        "filed, so there is no answer to record; escalate (`case escalate`) to the next rung")
    if case.status == "drafted":
        raise UserError(f"{case.rung} of case {case.id} is not submitted yet: `case submit {case.id}` first")
    late_answer = case.status == "no_answer" and result != "no_answer"
    if case.status != "submitted" and not late_answer:
        raise UserError(f"{case.rung} of case {case.id} was already answered ({case.status}); "
                        "escalate (`case escalate`) for the next rung")


def _current_rung_failed(case: Case, now: datetime) -> bool:
    """Whether the current rung is over without success; True when it ran out of time (no answer)."""
    _refuse_closed(case)
    if case.no_reason_left and case.status == "drafted":  # a note that no other reason fits: nothing filed
        return False
    if case.status == "drafted":
        raise UserError(f"{case.rung} of case {case.id} is not submitted yet: submit it and record the answer "
                        "before escalating")
    if case.status == "submitted":
        if due_state(case, now) != "overdue":
            raise UserError(f"{case.rung} of case {case.id} is waiting for an answer until {case.due_at}: "
                            "record its outcome (`case outcome`) first")
        return True
    return False  # rejected or no_answer; or, on extortion's track, accepted at a step that does not close it


def _check_target(case: Case, nxt: Rung, to: str) -> None:
    target = parse_rung(to)
    if target == nxt:
        return
    if target == Rung.regulator_12377 and not regulator_allowed(case.violations, case.cluster):
        raise UserError(f"12377 takes only personal attacks, rumors and flooding; case {case.id} is about "
                        f"{', '.join(v.value for v in case.violations) or 'none of these'}")
    if target == Rung.second_report:
        raise UserError(f"no second report for case {case.id}: every true report reason was tried "
                        f"({', '.join(case.tried)})")
    if ORDER.index(target) <= ORDER.index(case.rung):
        raise UserError(f"{target} is not after {case.rung}: a case only moves up the ladder")
    raise UserError(f"rung skipped: after {case.rung} comes {nxt}, not {target}")


def _reason_for(case: Case, nxt: Rung, reason: str | None, grounded: list[Violation] | None) -> Violation:
    if reason is None:  # with none left that the comments show, the one already reported (Case.no_reason_left)
        return (second_reason(case.violations, case.cluster, case.tried, grounded) or case.reason) \
            if nxt == Rung.second_report else case.reason
    wanted = parse_reason(reason)
    if nxt != Rung.second_report:
        raise UserError(f"--reason is for the second report; the next rung of case {case.id} is {nxt}")
    if wanted in case.tried:
        raise UserError(f"'{wanted}' was already reported for case {case.id}: never the same reason twice")
    true = truthful_reasons(case.violations, case.cluster)
    if wanted not in true:
        raise UserError(f"'{wanted}' is not true of case {case.id} (true: {', '.join(true)}): "
                        "a report reason must be true")
    if grounded is not None and wanted not in grounded:
        raise UserError(f"nothing in the comments of case {case.id} shows '{wanted}' (they show: "
                        f"{', '.join(grounded) or '—'}): a report reason must be one the comment shows")
    return wanted


def _plan_extortion(case: Case, reason: str | None, to: str | None, no_answer_first: bool) -> Step:
    """Extortion's next step: report, evidence preserved, police report, lawyer; never a rung of the ladder."""
    steps = EXTORTION_TRACK
    at = steps.index(case.rung) if case.rung in steps else len(steps) - 1
    if at + 1 >= len(steps):
        raise UserError(f"{case.rung} is the last step of extortion case {case.id}: there is nothing to escalate to")
    nxt = steps[at + 1]
    if reason is not None:
        raise UserError(f"--reason is for the ladder's second report; case {case.id} is extortion, reported once "
                        f"as {case.reason}")
    if to is not None and parse_rung(to) != nxt:
        raise UserError(f"case {case.id} is extortion: after {case.rung} comes {nxt}, not {to} "
                        f"(its steps: {' → '.join(steps)})")
    if nxt == Rung.police_report and case.checklist_missing:
        raise UserError(f"police report blocked until the evidence is preserved; still missing: "
                        f"{', '.join(case.checklist_missing)} (`case checklist {case.id} --done ITEM…`)")
    return Step(rung=nxt, reason=case.reason, no_answer_first=no_answer_first)


def plan_escalation(case: Case, now: datetime, reason: str | None = None, to: str | None = None,
                    grounded: list[Violation] | None = None) -> Step:
    """The next rung if the rules allow it, else a UserError saying which rule and what to do; a second report
    uses only a reason in `grounded` (what the comments show: agent.drafting.ladder_grounds.grounded_reasons)."""
    no_answer_first = _current_rung_failed(case, now)
    if case.track == "extortion":
        return _plan_extortion(case, reason, to, no_answer_first)
    nxt, notes = next_rung(case.rung, case.violations, case.cluster, case.tried)
    if nxt is None:
        raise UserError(f"{case.rung} is the last rung: there is nothing to escalate case {case.id} to")
    if to is not None:
        _check_target(case, nxt, to)
    if nxt == Rung.legal_brief and case.checklist_missing:
        raise UserError(f"legal brief blocked until the evidence checklist is complete; still missing: "
                        f"{', '.join(case.checklist_missing)} (`case checklist {case.id} --done ITEM…`)")
    return Step(rung=nxt, reason=_reason_for(case, nxt, reason, grounded), notes=notes,
                no_answer_first=no_answer_first, grounded=grounded)


def check_items(case: Case, items: list[str]) -> list[str]:
    """The checklist items to tick (unknown ones are an error; ones already ticked are skipped)."""
    known = checklist_for(case.cluster, case.track)
    if not items:
        raise UserError(f"name the checklist items done; items: {', '.join(known)}")
    unknown = [i for i in items if i not in known]
    if unknown:
        raise UserError(f"unknown checklist item '{unknown[0]}'; items: {', '.join(known)}")
    return [i for i in dict.fromkeys(items) if i not in case.checklist]

