"""Due appeal cases in the alerts (issue 14): the team's chat hears once when a submitted rung is about to run
out of time and once more when it has, again for the next rung after an escalation, and never for a case
already answered or a brand without channels. Time is driven with explicit times, against the loopback
receiver of tests/review/test_alerts.py."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.cases.rules import Rung
from agent.cli import main
from agent.config import PROJECT_ROOT, Settings
from agent.review.alerts.outbox import AlertOutbox
from agent.review.casework.case_desk import CaseDesk
from agent.review.casework.cases import CaseBook, due_cases
from agent.review.store.queue import ReviewQueue
from agent.review.views.desk_time import CST
from agent.schemas import CommentIn, DraftResult, Source, Violation
from agent.storage.connection import desk_database
from tests.factories import draft_result
from tests.fake_webhook import FakeWebhook
from tests.review import test_alerts as base
from tests.review.test_alerts import AUTHOR, CHANNELS, PHONE, TOKEN

hook, settings = base.hook, base.settings  # the loopback receiver, and glowskin alerting four channels on it


@pytest.fixture(autouse=True)
def desk_url(monkeypatch) -> None:
    monkeypatch.setenv("REDREPLY_DESK_URL", "https://desk.example.com/")  # the CLI's links, as the fixture's


def appealed(queue: ReviewQueue, item_id: str, brand: str = "glowskin") -> DraftResult:
    """A stored draft reporting a rumor and its case. Insulting too, so a second report has a reason left;
    severity 1, so it raises no item alert of its own."""
    queue.accept([CommentIn(id=item_id, author=AUTHOR, text=f"这家精华含激素，客服都是傻逼，{AUTHOR}电话{PHONE}说的")], brand)
    result = draft_result(item_id, brand=brand, source=Source.competitor_attack, signals=["abuse: 傻逼"],
                          violations=[Violation.rumor, Violation.abuse], appeal_reason=Violation.rumor)
    queue.store_draft(result)
    CaseBook(queue).open_for(result)
    return result


def case_alerts(hook: FakeWebhook) -> list[dict]:
    """What the generic json channel received (each alert goes to all four channels alike)."""
    return [r["json"] for r in hook.delivered("/json/")]


def deadline(at: datetime) -> str:
    return at.astimezone(CST).strftime("%Y-%m-%d %H:%M")


def test_a_due_report_alerts_once_then_once_overdue_then_again_for_the_next_rung(settings: Settings,
                                                                                   hook: FakeWebhook):
    queue = ReviewQueue(desk_database(settings))
    cases = CaseDesk(settings, queue)
    appealed(queue, "c-1")
    t = datetime.now(UTC)
    cases.submit("c-1", "amy", at=t - timedelta(hours=40))  # 48 h to answer: due in 8 h, inside the 12 h warning

    assert main(["alerts", "send"]) == 0
    assert main(["alerts", "send"]) == 0  # the second run finds it alerted already
    assert len(hook.delivered()) == len(CHANNELS) and {r["path"].split("/")[1] for r in hook.requests} == set(CHANNELS)
    (due,) = case_alerts(hook)
    assert due["trigger"] == "case_due" and due["item_id"] == "c-1"
    assert due["link"] == "https://desk.example.com/item?item=c-1"
    text = due["text"]
    assert "GlowSkin (glowskin)" in text and "c-1" in text and "平台举报" in text and "即将到期 due" in text
    assert deadline(t + timedelta(hours=8)) in text and "https://desk.example.com/item?item=c-1" in text
    assert "13*******00" in text  # the comment's start, masked
    for request in hook.requests:
        body = str(request["json"])
        assert PHONE not in body and AUTHOR not in body and TOKEN not in body

    outbox = AlertOutbox(settings, queue)
    assert outbox.check_cases(at=t + timedelta(hours=9))  # the 48 h are over
    assert main(["alerts", "send"]) == 0
    assert outbox.check_cases(at=t + timedelta(hours=30)) == []  # still overdue: nothing new
    assert main(["alerts", "send"]) == 0
    overdue = case_alerts(hook)[1:]
    assert len(overdue) == 1 and "已超时 overdue" in overdue[0]["text"] and "平台举报" in overdue[0]["text"]
    assert len(hook.delivered()) == 2 * len(CHANNELS)

    # No answer by the deadline: escalate to a second report with another reason, submitted 10 h in.
    legal = Path("guidelines") / "legal_basis.md"  # the rung drafts cite it; the fixture's copy skipped *.md
    shutil.copy(PROJECT_ROOT / "knowledge" / legal, settings.knowledge_dir / legal)
    assert cases.escalate("c-1", "amy", at=t + timedelta(hours=9)).rung == Rung.second_report
    cases.submit("c-1", "amy", at=t + timedelta(hours=10))  # due at t + 58 h
    assert outbox.check_cases(at=t + timedelta(hours=20)) == []  # 38 h left: quiet
    for hours in (50, 51, 59, 60):  # due, due again, overdue, overdue again
        outbox.check_cases(at=t + timedelta(hours=hours))
        outbox.deliver(force=True)
    later = case_alerts(hook)[2:]
    assert [("即将到期 due" in a["text"], "已超时 overdue" in a["text"]) for a in later] == [(True, False), (False, True)]
    assert all("换理由再次举报" in a["text"] and deadline(t + timedelta(hours=58)) in a["text"] for a in later)
    assert len({a["key"] for a in case_alerts(hook)}) == 4 and len(hook.delivered()) == 4 * len(CHANNELS)


def test_a_case_with_its_answer_recorded_sends_nothing(settings: Settings, hook: FakeWebhook, capsys):
    queue = ReviewQueue(desk_database(settings))
    cases = CaseDesk(settings, queue)
    t = datetime.now(UTC)
    for item_id, answer in (("c-taken-down", "accepted"), ("c-refused", "rejected")):
        appealed(queue, item_id)
        cases.submit(item_id, "amy", at=t - timedelta(hours=60))  # would be 12 h overdue by now
        cases.outcome(item_id, answer, "amy", at=t - timedelta(hours=30))
    assert cases.book.get("c-taken-down").closed
    assert main(["alerts", "send"]) == 0
    assert "nothing pending" in capsys.readouterr().out
    assert hook.requests == [] and AlertOutbox(settings, queue).records() == []


def test_a_brand_without_channels_gets_no_case_alert(settings: Settings, hook: FakeWebhook):
    queue = ReviewQueue(desk_database(settings))
    appealed(queue, "t-1", brand="threadline")  # threadline's brand.yaml names no alert channel
    t = datetime.now(UTC)
    CaseDesk(settings, queue).submit("t-1", "amy", at=t - timedelta(hours=60))
    assert [d.state for d in due_cases(settings, t, queue)] == ["overdue"]  # due on the desk all the same
    assert main(["alerts", "send"]) == 0
    assert hook.requests == [] and AlertOutbox(settings, queue).records() == []


def test_drafting_looks_for_due_cases_at_most_once_a_minute(settings: Settings, hook: FakeWebhook):
    queue = ReviewQueue(desk_database(settings))
    cases, outbox = CaseDesk(settings, queue), AlertOutbox(settings, queue)
    appealed(queue, "c-1")
    t = datetime.now(UTC)
    cases.submit("c-1", "amy", at=t - timedelta(hours=40))
    outbox.after_draft(appealed(queue, "c-2"))  # the desk's hook after a draft: c-1 is due
    outbox.wait(10)
    assert [a["item_id"] for a in case_alerts(hook)] == ["c-1"]

    cases.submit("c-2", "amy", at=t - timedelta(hours=40))
    outbox.after_draft(appealed(queue, "c-3"))  # seconds later: the cases are not read again on this draft
    outbox.wait(10)
    assert [a["item_id"] for a in case_alerts(hook)] == ["c-1"]
    assert main(["alerts", "send"]) == 0  # `alerts send` always looks
    assert [a["item_id"] for a in case_alerts(hook)] == ["c-1", "c-2"]


def test_a_team_far_from_beijing_reads_deadlines_and_ticks_on_its_own_clock(settings: Settings, hook: FakeWebhook):
    team = settings.model_copy(update={"team_tz": "America/Los_Angeles"})
    queue = ReviewQueue(desk_database(team))
    cases = CaseDesk(team, queue)
    appealed(queue, "c-1")
    due = datetime(2026, 12, 8, 7, 30, tzinfo=UTC)  # 23:30 on the 7th in Los Angeles, the 8th in Beijing
    cases.submit("c-1", "amy", at=due - timedelta(hours=48))
    AlertOutbox(team, queue).check_cases(at=due - timedelta(hours=4))
    AlertOutbox(team, queue).deliver(force=True)
    (alert,) = case_alerts(hook)
    assert "截止 deadline 2026-12-07 23:30 (UTC-8)" in alert["text"]
    case = cases.tick("c-1", cases.book.get("c-1").checklist_missing[:1], "amy", at=due)
    assert list(case.checklist.values()) == ["amy，2026-12-07 23:30"]
