"""Case deadlines from the settings, and due cases at the top of the review queue with their own marker."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.cases.model import due_state
from agent.cases.rules import RUNGS, Rung, rung_deadlines
from agent.config import Settings
from agent.errors import UserError
from agent.review.casework.case_desk import CaseDesk
from agent.review.casework.cases import due_cases, due_marks
from agent.review.views.queue_table import QueueTable
from agent.review.views.table import queue_rows, sort_rows
from agent.schemas import Violation
from tests.unit import test_cases as base
from tests.unit.test_cases import T0, queued

settings = base.settings  # the case book on both backends


def test_a_deadline_override_changes_when_a_case_is_due(settings, monkeypatch):
    default, short = CaseDesk(settings), None
    assert default.book.deadlines == {r: s.deadline_h for r, s in RUNGS.items()}  # unset = today's table
    monkeypatch.setenv("REDREPLY_CASE_DEADLINES_H", "platform_report=24, litigation=none")
    short = CaseDesk(Settings(data_dir=settings.data_dir / "other", database_url=None))  # a desk of its own
    for desk in (default, short):
        queued(desk, "d-1", [Violation.rumor])
        desk.submit("d-1", "amy", at=T0)
    late, short_case = default.book.get("d-1"), short.book.get("d-1")
    assert late.due_at == (T0 + timedelta(hours=48)).isoformat(timespec="milliseconds")
    assert short_case.due_at == (T0 + timedelta(hours=24)).isoformat(timespec="milliseconds")
    at = T0 + timedelta(hours=30)
    assert (due_state(late, at), due_state(short_case, at)) == (None, "overdue")
    assert short.book.deadlines[Rung.litigation] is None and short.book.deadlines[Rung.brand_backend] == 72


def test_an_unknown_rung_in_the_deadlines_is_one_clear_error(settings):
    with pytest.raises(UserError, match="unknown rung 'legal_breif'"):
        CaseDesk(settings.with_overrides(case_deadlines_h={"legal_breif": 200}))
    with pytest.raises(ValueError):
        Settings(case_deadlines_h="brand_backend=-3")
    assert rung_deadlines({"brand_backend": 96})[Rung.brand_backend] == 96


def test_due_cases_lead_the_queue_with_their_marker(settings):
    desk = CaseDesk(settings)
    for item_id in ("q-due", "q-late", "q-fresh"):
        queued(desk, item_id, [Violation.rumor], severity=1)
    queued(desk, "q-red", [Violation.abuse], severity=3)  # severity 3, but its case is not due
    queued(desk, "q-fl0", [Violation.flooding], severity=1, cluster=["q-fl1"])
    queued(desk, "q-fl1", [Violation.flooding], severity=1, cluster=["q-fl0"])  # joins the flood's case
    desk.submit("q-late", "amy", at=T0)
    desk.submit("q-fl1", "amy", at=T0)
    desk.submit("q-due", "amy", at=T0 + timedelta(hours=10))
    desk.submit("q-fresh", "amy", at=T0 + timedelta(hours=40))
    now = T0 + timedelta(hours=50)  # q-late and the flood overdue; q-due due in 8 h; q-fresh in 38 h
    items = desk.queue.items()
    marks = due_marks(desk.queue, now, [i.id for i in items])
    assert marks == {"q-fl0": "overdue", "q-late": "overdue", "q-due": "due"}  # one row for the flood's two
    rows = sort_rows(queue_rows(items, now, case_due=marks))
    assert {r["id"] for r in rows[:2]} == {"q-fl0", "q-late"} and rows[2]["id"] == "q-due"
    assert [r["case_due"] for r in rows[:3]] == ["overdue", "overdue", "due"]
    assert all("⏳" in r["flag"] for r in rows[:3]) and not any("⏳" in r["flag"] for r in rows[3:])
    assert rows[3]["id"] == "q-red"  # then the usual urgency: severity 3 first
    assert [r["id"] for r in sort_rows(queue_rows(items, now))][0] == "q-red"  # without the marks: as before
    # The queue page, sorted and paged by the database, leads with the same rows and marks.
    page = QueueTable(desk.queue, settings).page(now=now, size=3)
    assert [(r["id"], r["case_due"]) for r in page.rows] == [(r["id"], r["case_due"]) for r in rows[:3]]
    assert (page.matching, page.pages) == (len(rows), 2)
    alerts = due_cases(settings, now, desk.queue)
    assert [(d.case_id, d.state) for d in alerts] == [("cluster:q-fl0", "overdue"), ("q-late", "overdue"),
                                                      ("q-due", "due")]
    assert alerts[-1].rung == Rung.platform_report and alerts[-1].label == "平台举报"
