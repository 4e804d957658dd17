"""Appeals as cases: the ladder's rules, the case book's transitions and audit, the drafts of each rung,
the legal-citation guardrail, the dashboard figures and the CLI's bad input (exit 2, nothing recorded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent.cases.model import due_state
from agent.cases.rules import ORDER, Rung, next_rung, second_reason
from agent.cli import main
from agent.config import Settings
from agent.drafting.ladder import citations_in_knowledge, cn_number, draft_rung
from agent.errors import UserError
from agent.review.casework.case_desk import CaseDesk
from agent.review.casework.case_stats import desk_rows, median_takedown_h, success_by_reason, success_by_rung
from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn, Source, Violation
from agent.storage.connection import desk_database
from tests.factories import draft_result


@pytest.fixture
def settings(tmp_path, desk_database_url) -> Settings:
    """The case book on the data directory's SQLite file, then on PostgreSQL."""
    return Settings(data_dir=tmp_path / "data", database_url=desk_database_url)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALL_ITEMS = ["screenshots", "recording", "notarisation", "order_check", "prior_reports"]


def queued(desk: CaseDesk, item_id: str, violations, *, source=Source.competitor_attack, severity=3,
           cluster=(), reason=None) -> str:
    """An appealed draft stored in the queue and its case opened, as the review desk does."""
    # a claim (the rumor) and an insult (the abuse): a later report's reason is one the comment shows
    desk.queue.accept([CommentIn(id=item_id, text=f"这个精华含激素，客服都是傻逼 {item_id}", author="路人甲")], "glowskin")
    result = draft_result(item_id, source=source, severity=severity, violations=violations,
                          appeal_reason=reason or violations[0], cluster=cluster, signals=["abuse: 傻逼"])
    desk.queue.store_draft(result)
    case_id = desk.book.open_for(result, at=T0)
    assert case_id
    return case_id


def fail(desk: CaseDesk, case_id: str, at: datetime, result: str = "rejected") -> None:
    desk.submit(case_id, "amy", at=at)
    desk.outcome(case_id, result, "amy", at=at + timedelta(hours=20))


def assert_audit_chains(desk: CaseDesk, case_id: str) -> None:
    """Every transition is in the audit, each starting where the one before ended, ending at the case's state."""
    events = desk.book.events(case_id)
    assert events[0].action == "open" and events[0].from_state is None
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_state == before.to_state, (before, after)
    assert events[-1].to_state == desk.book.get(case_id).state


# ------------------------------------------------------------------ the rules

def test_second_reason_is_true_and_never_repeated():
    assert second_reason([Violation.rumor, Violation.abuse], False, [Violation.rumor]) == Violation.abuse
    assert second_reason([Violation.rumor], True, [Violation.rumor]) == Violation.flooding
    assert second_reason([Violation.flooding], True, [Violation.flooding]) == Violation.spam_redirect
    assert second_reason([Violation.abuse], False, [Violation.abuse]) is None
    rung, notes = next_rung(Rung.platform_report, [Violation.abuse], False, [Violation.abuse])
    assert rung == Rung.brand_backend and "second report passed over" in notes[0]


def test_12377_only_for_attacks_rumors_and_floods():
    assert next_rung(Rung.legal_brief, [Violation.rumor], False, [])[0] == Rung.regulator_12377
    assert next_rung(Rung.legal_brief, [Violation.porn], True, [])[0] == Rung.regulator_12377  # a flood
    rung, notes = next_rung(Rung.legal_brief, [Violation.porn], False, [])
    assert rung == Rung.litigation and "12377" in notes[0]
    assert next_rung(Rung.litigation, [Violation.rumor], False, []) == (None, [])


def test_chinese_article_numbers():
    assert [cn_number(x) for x in ("一千零二十四", "一百一十", "十一", "五十七", "1195", "条")] == [1024, 110, 11, 57, 1195, None]


# ------------------------------------------------------------------ the whole ladder, offline

def test_the_whole_ladder_is_walked(desk):
    case_id = queued(desk, "c-1", [Violation.rumor, Violation.abuse])
    assert desk.book.get(case_id).state == "platform_report:drafted"
    fail(desk, case_id, T0)
    case = desk.escalate(case_id, "amy", at=T0 + timedelta(hours=21))
    assert (case.rung, case.reason, case.tried) == (Rung.second_report, Violation.abuse, [Violation.rumor])
    assert "举报理由：包含辱骂、人身攻击" in desk.current_draft(case)
    at = T0 + timedelta(days=1)
    for expected in (Rung.brand_backend, Rung.account_manager, Rung.complaint_email):
        fail(desk, case_id, at)
        at += timedelta(days=1)
        assert desk.escalate(case_id, "amy", at=at).rung == expected
    assert "【GlowSkin】关于小红书笔记/评论侵权的申诉函" in desk.current_draft(desk.book.get(case_id))
    fail(desk, case_id, at)
    with pytest.raises(UserError, match="legal brief blocked.*notarisation"):
        desk.escalate(case_id, "amy", at=at + timedelta(days=1))
    desk.tick(case_id, ALL_ITEMS[:2], "amy", at=at)
    with pytest.raises(UserError, match="still missing: notarisation, order_check, prior_reports"):
        desk.escalate(case_id, "amy", at=at + timedelta(days=1))
    desk.tick(case_id, ALL_ITEMS[2:], "amy", at=at)
    brief = desk.current_draft(desk.escalate(case_id, "amy", at=at + timedelta(days=1)))
    assert brief.startswith("【律师函要点") and "不是律师函" in brief and "☑ 手机录屏" in brief
    fail(desk, case_id, at + timedelta(days=2))
    assert desk.escalate(case_id, "amy", at=at + timedelta(days=3)).rung == Rung.regulator_12377
    fail(desk, case_id, at + timedelta(days=4))
    assert desk.escalate(case_id, "amy", at=at + timedelta(days=5)).rung == Rung.litigation
    fail(desk, case_id, at + timedelta(days=6))
    with pytest.raises(UserError, match="litigation is the last rung"):
        desk.escalate(case_id, "amy", at=at + timedelta(days=7))
    assert_audit_chains(desk, case_id)
    actions = [e.action for e in desk.book.events(case_id)]
    assert actions.count("escalate") == 7 and actions.count("submit") == 8 and actions.count("checklist") == 2


def test_12377_refused_for_a_category_it_does_not_take(desk):
    case_id = queued(desk, "p-1", [Violation.porn], source=Source.not_negative, severity=2)
    fail(desk, case_id, T0)
    case = desk.escalate(case_id, "amy", at=T0 + timedelta(days=1))
    assert case.rung == Rung.brand_backend  # porn is the only true reason: no second report
    assert "second report passed over" in (desk.book.events(case_id)[-1].note or "")
    for at in range(2, 4):
        fail(desk, case_id, T0 + timedelta(days=at))
        desk.escalate(case_id, "amy", at=T0 + timedelta(days=at, hours=23))
    desk.tick(case_id, ALL_ITEMS, "amy")
    fail(desk, case_id, T0 + timedelta(days=6))
    assert desk.escalate(case_id, "amy", at=T0 + timedelta(days=7)).rung == Rung.legal_brief
    fail(desk, case_id, T0 + timedelta(days=8))
    with pytest.raises(UserError, match="12377 takes only personal attacks, rumors and flooding"):
        desk.escalate(case_id, "amy", to="regulator_12377", at=T0 + timedelta(days=9))
    assert desk.escalate(case_id, "amy", at=T0 + timedelta(days=9)).rung == Rung.litigation


def test_a_flood_is_one_case_named_after_its_first_comment(desk):
    first = queued(desk, "f-1", [Violation.flooding, Violation.rumor], cluster=["f-2", "f-3"])
    assert first == "cluster:f-1"
    desk.queue.accept([CommentIn(id="f-2", text="同款差评", author="b")], "glowskin")
    sibling = draft_result("f-2", violations=[Violation.flooding, Violation.abuse], appeal_reason=Violation.flooding,
                           source=Source.competitor_attack, cluster=["f-1", "f-3"])
    assert desk.book.open_for(sibling) == first == desk.book.open_for(sibling)  # idempotent
    case = desk.book.get("f-3")
    assert case.cluster and case.members == ["f-1", "f-2", "f-3"] and Violation.abuse in case.violations
    assert "cluster_list" in case.checklist_missing and len(desk.book.cases()) == 1


def test_deadline_due_overdue_and_escalation_on_no_answer(desk):
    case_id = queued(desk, "d-1", [Violation.rumor])
    case = desk.submit(case_id, "amy", at=T0)
    assert case.due_at == (T0 + timedelta(hours=48)).isoformat(timespec="milliseconds")
    assert due_state(case, T0 + timedelta(hours=30)) is None
    assert due_state(case, T0 + timedelta(hours=37)) == "due"
    assert due_state(case, T0 + timedelta(hours=49)) == "overdue"
    with pytest.raises(UserError, match="waiting for an answer"):
        desk.escalate(case_id, "amy", at=T0 + timedelta(hours=10))
    rows = desk_rows([desk.book.get(case_id), desk.book.get(queued(desk, "d-2", [Violation.abuse]))],
                     T0 + timedelta(hours=49))
    assert [(r["due"], r["id"]) for r in rows] == [("⏳", "d-1"), ("", "d-2")]
    moved = desk.escalate(case_id, "amy", at=T0 + timedelta(hours=49))
    assert moved.rung == Rung.brand_backend  # rumor is the only true reason
    assert [e.to_state for e in desk.book.events(case_id)][-2:] == ["platform_report:no_answer", "brand_backend:drafted"]


def test_a_crisis_that_closes_gets_its_recovery_note(desk):
    crisis = queued(desk, "r-1", [Violation.rumor])
    desk.submit(crisis, "amy", at=T0)
    closed = desk.outcome(crisis, "accepted", "amy", at=T0 + timedelta(hours=30))
    notes = [d for d in desk.book.drafts(crisis) if d.kind == "recovery"]
    assert closed.closed and len(notes) == 1 and "危机收尾笔记草稿" in notes[0].text and "不点名" in notes[0].text
    mild = queued(desk, "r-2", [Violation.spam_redirect], severity=1)
    desk.submit(mild, "amy", at=T0)
    desk.outcome(mild, "accepted", "amy", at=T0 + timedelta(hours=5))
    assert not [d for d in desk.book.drafts(mild) if d.kind == "recovery"]
    with pytest.raises(UserError, match="is closed"):
        desk.escalate(crisis, "amy")
    assert median_takedown_h(desk.book.cases()) == 17.5


def test_bad_input_records_nothing(desk):
    case_id = queued(desk, "b-1", [Violation.rumor, Violation.abuse])
    before = (desk.book.get(case_id), len(desk.book.events()))
    bad = [
        (lambda: desk.outcome("nope", "accepted", "amy"), "no case for 'nope'"),
        (lambda: desk.outcome(case_id, "accepted", "amy"), "not submitted yet"),
        (lambda: desk.escalate(case_id, "amy"), "not submitted yet"),
        (lambda: desk.tick(case_id, ["selfie"], "amy"), "unknown checklist item 'selfie'"),
    ]
    for call, message in bad:
        with pytest.raises(UserError, match=message):
            call()
    fail(desk, case_id, T0)
    before = (desk.book.get(case_id), len(desk.book.events()))
    for kwargs, message in [({"reason": "spam"}, "unknown reason 'spam'"),
                            ({"reason": "rumor"}, "never the same reason twice"),
                            ({"reason": "porn"}, "not true of case"),
                            ({"to": "brand_backend"}, "rung skipped"),
                            ({"to": "nowhere"}, "unknown rung 'nowhere'")]:
        with pytest.raises(UserError, match=message):
            desk.escalate(case_id, "amy", at=T0 + timedelta(days=1), **kwargs)
    with pytest.raises(UserError, match="unknown result 'maybe'"):
        desk.outcome(case_id, "maybe", "amy")
    assert (desk.book.get(case_id), len(desk.book.events())) == before


def test_cases_survive_a_restart(settings):
    desk = CaseDesk(settings)
    case_id = queued(desk, "s-1", [Violation.rumor])
    desk.submit(case_id, "amy", at=T0)
    desk.tick(case_id, ["screenshots"], "amy")
    again = CaseDesk(settings, ReviewQueue(desk_database(settings)))  # a new process: migrations run again, harmlessly
    case = again.book.get("s-1")
    assert case.state == "platform_report:submitted" and "screenshots" in case.checklist
    assert len(again.book.events(case_id)) == 3


# ------------------------------------------------------------------ drafts and the citation guardrail

@pytest.mark.parametrize("violations", [[Violation.rumor, Violation.abuse], [Violation.flooding],
                                        [Violation.ip_infringement], [Violation.privacy], [Violation.porn]])
def test_every_rung_cites_only_the_knowledge_base(desk, settings, violations):
    case_id = queued(desk, f"k-{violations[0]}", violations, cluster=["k-x"] if violations == [Violation.flooding] else ())
    case = desk.book.get(case_id)
    data = desk.ladder_input(case)
    for rung in ORDER:
        text = draft_rung(rung, data, settings.knowledge_dir)
        check = citations_in_knowledge(text, settings.knowledge_dir)
        assert check.passed, (rung, check.detail)
        assert text.strip()
    brief = draft_rung(Rung.legal_brief, data, settings.knowledge_dir)
    assert "【待确认：品牌经营主体全称" in brief and "《" in brief


def test_the_citation_guardrail(settings):
    kd = settings.knowledge_dir
    assert citations_in_knowledge("依据《民法典》第一千零二十四条、第110条处理。", kd).passed
    invented = citations_in_knowledge("依据《消费者权益保护法》第五十五条。另据《民法典》第1025条。", kd)
    assert not invented.passed and "《消费者权益保护法》" in invented.detail and "第1025条" in invented.detail
    assert not citations_in_knowledge("依照第十一条处理。", kd).passed  # an article without its law
    assert citations_in_knowledge("评论说“依据《消法》第55条退一赔三”。", kd).passed  # a quoted comment is evidence


def test_second_report_with_no_reason_left_says_so(desk, settings):
    case_id = queued(desk, "n-1", [Violation.abuse])
    case = desk.book.get(case_id).model_copy(update={"tried": [Violation.abuse], "rung": Rung.second_report})
    text = draft_rung(Rung.second_report, desk.ladder_input(case), settings.knowledge_dir)
    assert "不建议换理由再次举报" in text


# ------------------------------------------------------------------ dashboard figures

def test_success_rates_per_reason_and_rung(desk):
    a = queued(desk, "s-a", [Violation.rumor, Violation.abuse])
    b = queued(desk, "s-b", [Violation.rumor])
    fail(desk, a, T0)
    desk.escalate(a, "amy", at=T0 + timedelta(days=1))
    desk.submit(a, "amy", at=T0 + timedelta(days=1))
    desk.outcome(a, "accepted", "amy", at=T0 + timedelta(days=1, hours=6))
    fail(desk, b, T0, result="no_answer")
    desk.outcome(b, "accepted", "amy", at=T0 + timedelta(days=1))  # a late answer replaces the no_answer
    reasons = {r["reason"].split(" ")[0]: r for r in success_by_reason(desk.book.events())}
    assert (reasons["rumor"]["answered"], reasons["rumor"]["accepted"]) == (2, 1)
    assert reasons["abuse"]["success_rate"] == 1.0
    rungs = {r["rung"]: r for r in success_by_rung(desk.book.events())}
    assert rungs["platform_report"]["success_rate"] == 0.5 and rungs["second_report"]["accepted"] == 1


# ------------------------------------------------------------------ CLI

def test_cli_bad_input_is_one_line_and_exit_2(settings, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(settings.data_dir))
    desk = CaseDesk(settings)
    case_id = queued(desk, "cli-1", [Violation.rumor])
    before = len(desk.book.events())
    for args in (["case", "outcome", "ghost", "--result", "accepted"], ["case", "outcome", case_id],
                 ["case", "outcome", case_id, "--result", "won"], ["case", "escalate", case_id],
                 ["case", "escalate", case_id, "--reason", "gossip"], ["case", "checklist", case_id, "--done", "x"]):
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    assert len(CaseDesk(settings).book.events()) == before
    assert main(["case", "submit", case_id, "--by", "amy"]) == 0
    assert main(["case", "list", "--due"]) == 0 and "no cases due" in capsys.readouterr().out
    assert main(["case", "show", case_id]) == 0
    out = capsys.readouterr().out
    assert "check citations_in_knowledge: ok" in out and "amy submit" in out
