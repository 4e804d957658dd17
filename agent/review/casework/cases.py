"""The case book: every appealed item (or flood cluster) as a case on the escalation ladder, in the
desk's database.

The tables live in the review queue's database and go through its connection and `tx()`: one
transaction per transition, which re-reads the case, checks the rules (agent.cases.model), writes
the new state and appends the audit row. A process killed mid-way leaves the old state or the new one,
never half of each. The schema is the one migration history's (agent.storage).
A person records what the platform answered; nothing here submits anything anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from agent.cases.model import (
    DUE_SOON,
    Case,
    CaseDraft,
    CaseEvent,
    RungDraft,
    Step,
    check_items,
    check_outcome,
    check_submit,
    plan_escalation,
)
from agent.cases.rules import DEFAULT_DEADLINES, EXTORTION_CLOSES, Deadlines, Rung, due_at
from agent.config import Settings
from agent.drafting.ladder import first_report
from agent.errors import UserError
from agent.review.casework.case_stats import DueCase, due_list, queue_marks
from agent.review.store.queue import ConflictError, ReviewQueue
from agent.schemas import DraftResult, Violation
from agent.storage.connection import Sql, desk_database

_DRAFT_COLUMNS = "INSERT OR REPLACE INTO case_drafts (case_id, rung, kind, text, created_at, model) VALUES "


CST = timezone(timedelta(hours=8), "CST")  # the default team zone (Settings.team_tz)


def stamp(at: datetime | None = None) -> str:
    """Milliseconds in UTC, like the queue's own times, so the two sort together."""
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")


def _local(value: str, zone: tzinfo) -> str:
    return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


class CaseBook:
    """The cases of one queue database; shares the queue's connection, lock and transactions.

    `deadlines`: hours from submission to due per rung (case_rules.rung_deadlines of the settings); `zone`: the
    team's, in which a checklist tick's time is shown.
    """

    def __init__(self, queue: ReviewQueue, deadlines: Deadlines = DEFAULT_DEADLINES, zone: tzinfo = CST) -> None:
        self.queue = queue
        self.deadlines = deadlines
        self.zone = zone

    # --- reading --------------------------------------------------------------------------------
    def _case(self, c: Sql, case_id: str) -> Case | None:
        row = c.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            owner = c.execute("SELECT case_id FROM case_members WHERE item_id = ?", (case_id,)).fetchone()
            row = c.execute("SELECT * FROM cases WHERE id = ?", (owner[0],)).fetchone() if owner else None
        if row is None:
            return None
        d = dict(row)
        # In the order they joined: SQLite's implicit rowid, a serial column of that name on PostgreSQL.
        members = [r[0] for r in c.execute("SELECT item_id FROM case_members WHERE case_id = ? ORDER BY rowid",
                                           (d["id"],))]
        ticks = {r[0]: f"{r[1]}，{_local(r[2], self.zone)}" for r in c.execute(
            "SELECT item, done_by, done_at FROM case_checklist WHERE case_id = ?", (d["id"],))}
        return Case(**{**d, "tried": json.loads(d["tried"]), "violations": json.loads(d["violations"]),
                       "members": members, "checklist": ticks})

    def get(self, case_id: str) -> Case:
        """A case by its id or by the id of any item in it."""
        case = self._case(self.queue.conn, case_id)
        if case is None:
            raise UserError(f"no case for '{case_id}' (a case opens when a draft carries an appeal; "
                            "see `redreply case list`)")
        return case

    def cases(self, open_only: bool = False) -> list[Case]:
        sql = "SELECT id FROM cases" + (" WHERE closed_at IS NULL" if open_only else "") + " ORDER BY opened_at, id"
        ids = [r[0] for r in self.queue.conn.execute(sql)]
        return [c for c in (self._case(self.queue.conn, i) for i in ids) if c is not None]

    def submitted_due_by(self, limit: datetime) -> list[Case]:
        """Open cases whose submitted rung's deadline is at or before `limit`: the only ones that can be due.
        Alerts look for due cases after drafts, so this reads the few candidates, not every open case
        (due_at is stamped like `stamp`, UTC to the millisecond, so the text comparison is the time order)."""
        ids = [r[0] for r in self.queue.conn.execute(
            "SELECT id FROM cases WHERE closed_at IS NULL AND status = 'submitted' AND due_at IS NOT NULL "
            "AND due_at <= ? ORDER BY due_at, id", (stamp(limit),))]
        return [c for c in (self._case(self.queue.conn, i) for i in ids) if c is not None]

    def events(self, case_id: str | None = None) -> list[CaseEvent]:
        sql = "SELECT * FROM case_events" + (" WHERE case_id = ?" if case_id else "") + " ORDER BY seq"
        return [CaseEvent(**dict(r)) for r in self.queue.conn.execute(sql, (case_id,) if case_id else ())]

    def drafts(self, case_id: str) -> list[CaseDraft]:
        rows = self.queue.conn.execute("SELECT * FROM case_drafts WHERE case_id = ? ORDER BY created_at", (case_id,))
        return [CaseDraft(**dict(r)) for r in rows]

    # --- writing --------------------------------------------------------------------------------
    def _load(self, c: Sql, case_id: str) -> Case:
        case = self._case(c, case_id)
        if case is None:
            raise UserError(f"no case for '{case_id}' (see `redreply case list`)")
        return case

    @staticmethod
    def _event(c: Sql, case: Case, who: str, action: str, to_state: str, at: str,
               note: str | None = None, rung: str | None = None, reason: str | None = None) -> None:
        c.execute("INSERT INTO case_events (case_id, at, who, action, from_state, to_state, rung, reason, note) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (case.id, at, who, action, case.state, to_state, rung or case.rung, reason or case.reason, note))

    @staticmethod
    def _set(c: Sql, case: Case, **fields: object) -> None:
        cols = "".join(f"{k} = ?, " for k in fields)
        c.execute(f"UPDATE cases SET {cols}version = version + 1 WHERE id = ?", (*fields.values(), case.id))

    def open_for(self, result: DraftResult, who: str = "redreply", at: datetime | None = None) -> str | None:
        """The case of an appealed draft: opened in status drafted, or the existing one (idempotent).

        A flood (flooding among the violations, look-alike comments found) is one case for the whole
        cluster, named after its earliest-queued comment; a sibling drafted later joins it.
        Extortion is a case of its own kind, on its own track (report, evidence, police, lawyer).
        """
        if result.appeal is None:
            return None
        extortion = result.appeal.track == "extortion"
        cluster = (Violation.flooding in result.triage.violations and bool(result.evidence.duplicate_cluster)
                   and not extortion)
        members = list(dict.fromkeys([result.id, *(result.evidence.duplicate_cluster if cluster else [])]))
        when = stamp(at)
        with self.queue.tx() as c:
            marks = ",".join("?" * len(members))
            owner = c.execute(f"SELECT case_id FROM case_members WHERE item_id IN ({marks}) LIMIT 1", members).fetchone()
            if owner:
                return self._join(c, self._load(c, owner[0]), members, result, who, when)
            first = c.execute(f"SELECT id FROM items WHERE id IN ({marks}) ORDER BY created_at, id LIMIT 1",
                              members).fetchone()
            case_id = f"cluster:{first[0] if first else result.id}" if cluster else result.id
            kind = "extortion" if extortion else "cluster" if cluster else "item"
            case = Case(id=case_id, brand=result.brand, kind=kind, members=members,
                        rung=Rung.platform_report, status="drafted", reason=result.appeal.reason, tried=[],
                        violations=result.triage.violations, source=result.triage.source.value,
                        severity=result.triage.severity, hint=result.plan.escalation.value, opened_at=when)
            c.execute("INSERT INTO cases (id, brand, kind, rung, status, reason, tried, violations, source, severity, "
                      "hint, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (case.id, case.brand, case.kind, case.rung, case.status, case.reason, "[]",
                       json.dumps(case.violations), case.source, case.severity, case.hint, when))
            c.executemany("INSERT INTO case_members VALUES (?, ?)", [(m, case.id) for m in members])
            c.execute(_DRAFT_COLUMNS + "(?, ?, 'rung', ?, ?, ?)",
                      (case.id, case.rung, first_report(result.appeal), when, result.model))
            c.execute("INSERT INTO case_events (case_id, at, who, action, from_state, to_state, rung, reason, note) "
                      "VALUES (?, ?, ?, 'open', NULL, ?, ?, ?, ?)",
                      (case.id, when, who, case.state, case.rung, case.reason, f"members: {', '.join(members)}"))
            return case.id

    def _join(self, c: Sql, case: Case, members: list[str], result: DraftResult, who: str,
              when: str) -> str:
        new = [m for m in members if m not in case.members]
        violations = sorted(set(case.violations) | set(result.triage.violations))
        if new or violations != sorted(case.violations) or result.triage.severity > case.severity:
            c.executemany("INSERT OR IGNORE INTO case_members VALUES (?, ?)", [(m, case.id) for m in new])
            self._set(c, case, violations=json.dumps(violations), severity=max(case.severity, result.triage.severity))
            self._event(c, case, who, "join", case.state, when, note=f"{result.id} drafted; new members: "
                                                                      f"{', '.join(new) or 'none'}")
        return case.id

    def submit(self, case_id: str, who: str, at: datetime | None = None) -> Case:
        """A person submitted the current rung's text: its deadline starts now."""
        when = at or datetime.now(UTC)
        with self.queue.tx() as c:
            case = self._load(c, case_id)
            check_submit(case)
            tried = case.tried + ([case.reason] if case.rung in (Rung.platform_report, Rung.second_report) else [])
            self._set(c, case, status="submitted", submitted_at=stamp(when), due_at=due_at(case.rung, when, self.deadlines),
                      first_submitted_at=case.first_submitted_at or stamp(when), tried=json.dumps(tried))
            self._event(c, case, who, "submit", f"{case.rung}:submitted", stamp(when))
        return self.get(case.id)

    def record_outcome(self, case_id: str, result: str, who: str, at: datetime | None = None,
                       recovery_note: str | None = None) -> Case:
        """What the platform (or channel) answered; accepted closes the case, with its recovery note if any."""
        when = stamp(at)
        with self.queue.tx() as c:
            case = self._load(c, case_id)
            check_outcome(case, result)
            # Extortion's report taken down or its evidence fixed is a step done, not the end of the case.
            ends = case.track != "extortion" or case.rung in EXTORTION_CLOSES
            closed = when if result == "accepted" and ends else None
            self._set(c, case, status=result, answered_at=when, closed_at=closed)
            self._event(c, case, who, "outcome", f"{case.rung}:{result}", when)
            if closed and recovery_note:
                c.execute(_DRAFT_COLUMNS + "(?, ?, 'recovery', ?, ?, 'offline')",
                          (case.id, case.rung, recovery_note, when))
        return self.get(case.id)

    def escalate(self, case_id: str, step: Step, draft: RungDraft, who: str, expected_version: int,
                 at: datetime | None = None) -> Case:
        """Move to the next rung with its drafted text, if nothing changed since the step was planned."""
        when = at or datetime.now(UTC)
        with self.queue.tx() as c:
            case = self._load(c, case_id)
            if case.version != expected_version:
                raise ConflictError(f"case {case.id} changed while its next rung was drafted; run it again")
            chosen = step.rung == Rung.second_report and step.reason not in case.tried  # else the rules' own pick
            if plan_escalation(case, when, step.reason.value if chosen else None, step.rung.value,
                               step.grounded) != step:
                raise ConflictError(f"case {case.id} changed while its next rung was drafted; run it again")
            if step.no_answer_first:
                self._event(c, case, who, "outcome", f"{case.rung}:no_answer", stamp(when),
                            note=f"no answer by the deadline {case.due_at}")
                case = case.model_copy(update={"status": "no_answer"})
            self._set(c, case, rung=step.rung.value, status="drafted", reason=step.reason.value,
                      submitted_at=None, due_at=None, answered_at=None)
            c.execute("INSERT OR REPLACE INTO case_drafts (case_id, rung, kind, text, created_at, model, fallback, "
                      "rejected) VALUES (?, ?, 'rung', ?, ?, ?, ?, ?)",
                      (case.id, step.rung.value, draft.text, stamp(when), draft.model, draft.fallback,
                       draft.rejected.model_dump_json() if draft.rejected else None))
            notes = [*step.notes, *([f"drafted by {draft.model}"] if draft.model != "offline" else []),
                     *([f"offline template: {draft.fallback}"] if draft.fallback else [])]
            self._event(c, case, who, "escalate", f"{step.rung}:drafted", stamp(when), rung=step.rung.value,
                        reason=step.reason.value, note="; ".join(notes) or None)
        return self.get(case.id)

    def tick(self, case_id: str, items: list[str], who: str, at: datetime | None = None) -> Case:
        """Evidence-checklist items done (screenshots, recording, notarisation…); the lawyer's brief waits on them."""
        when = stamp(at)
        with self.queue.tx() as c:
            case = self._load(c, case_id)
            new = check_items(case, items)
            c.executemany("INSERT INTO case_checklist VALUES (?, ?, ?, ?)", [(case.id, i, who, when) for i in new])
            self._set(c, case)
            self._event(c, case, who, "checklist", case.state, when,
                        note=f"done: {', '.join(new) or 'nothing new'}; missing: "
                             f"{', '.join(m for m in case.checklist_missing if m not in new) or 'none'}")
        return self.get(case.id)


def open_cases_for(result: DraftResult, queue: ReviewQueue) -> str | None:
    """Called by the desk after a draft is stored: the draft's case, opened once (None without an appeal)."""
    return CaseBook(queue).open_for(result) if result.appeal is not None else None


def due_cases(settings: Settings, now: datetime | None = None, queue: ReviewQueue | None = None) -> list[DueCase]:
    """The open cases whose current rung is due or overdue, overdue first: for the desk and for alerts."""
    book = CaseBook(queue or ReviewQueue(desk_database(settings)))
    at = now or datetime.now(UTC)
    return due_list(book.submitted_due_by(at + DUE_SOON), at)


def due_marks(queue: ReviewQueue, now: datetime, visible: Iterable[str]) -> dict[str, str]:
    """For the review queue: one visible item per due case (its first member) -> 'due' or 'overdue'."""
    return queue_marks(CaseBook(queue).cases(open_only=True), now, visible)
