"""Each rung of the ladder written for its reader: the platform's forms, the account manager, the complaint
mailbox, 12377 and the lawyer. Each says only what the case's record holds (the checklist's ticks, the
comment's own posting time, the earlier outcomes), and the reviewer's notes stay out of the text to paste."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from agent.cases.rules import Rung
from agent.config import Settings
from agent.drafting.ladder import draft_rung
from agent.drafting.ladder_notes import reader_checks, reviewer_notes
from agent.review.casework.case_desk import CaseDesk
from agent.review.desk import legal_review
from agent.schemas import CommentIn, Violation
from evals.appeals import AppealRow, draft_row, evaluate
from tests.unit.test_cases import queued

SETTINGS = Settings()
K = SETTINGS.knowledge_dir
T = datetime(2026, 3, 1, tzinfo=UTC)


def at_rung(desk: CaseDesk, case_id: str, rung: Rung, reason: Violation | None = None):
    case = desk.book.get(case_id)
    return desk.ladder_input(case.model_copy(update={"rung": rung, "reason": reason or case.reason}))


def checks(rung: Rung, text: str, data) -> dict[str, bool]:
    return {c.name: c.passed for c in reader_checks(rung, text, data, K)}


def test_12377_gets_a_factual_report_in_its_own_category_and_no_request_to_delete(desk):
    data = at_rung(desk, queued(desk, "r12377", [Violation.rumor]), Rung.regulator_12377)
    text = draft_rung(Rung.regulator_12377, data, K)
    assert "举报类别：谣言" in text and "删除" not in text and "恳请" not in text
    assert all(checks(Rung.regulator_12377, text, data).values())
    assert not checks(Rung.regulator_12377, text + "\n恳请平台核实后删除。", data)["reader_fit"]
    assert any("不会应要求删帖" in n for n in reviewer_notes(Rung.regulator_12377, data, K))


def test_the_second_report_keeps_the_earlier_reason_for_the_reviewer_only(desk):
    case_id = queued(desk, "r2", [Violation.abuse, Violation.rumor])
    desk.submit(case_id, "amy", at=T)
    desk.outcome(case_id, "rejected", "amy", at=T + timedelta(hours=20))
    case = desk.escalate(case_id, "amy", at=T + timedelta(hours=21))
    assert case.rung == Rung.second_report
    text, notes = desk.current_draft(case), desk.reviewer_notes(case)
    assert "举报理由：造谣、虚假信息" in text and "上一次" not in text and "包含辱骂" not in text
    assert any("上一次以「包含辱骂、人身攻击」举报，结果是驳回" in n for n in notes)
    data = desk.ladder_input(case)
    assert not checks(Rung.second_report, text + "\n上一次以「色情低俗」举报未成功", data)["no_internal_note"]


def test_evidence_is_attached_only_as_the_checklist_ticks_it(desk):
    case_id = queued(desk, "rev", [Violation.rumor])
    data = at_rung(desk, case_id, Rung.account_manager)
    none_ticked = draft_rung(Rung.account_manager, data, K)
    assert "【待确认：随附的证据" in none_ticked and "（待准备，尚未随附）" in none_ticked
    desk.tick(case_id, ["screenshots"], "amy")
    data = at_rung(desk, case_id, Rung.account_manager)
    text = draft_rung(Rung.account_manager, data, K)
    attached, _, pending = text.partition("还在准备、之后补发的证据")
    assert "完整截图" in attached and "手机录屏" not in attached and "手机录屏" in pending
    assert checks(Rung.account_manager, text, data)["evidence_as_ticked"]
    assert not checks(Rung.account_manager, text + "\n证据清单（均已备好）", data)["evidence_as_ticked"]


def test_a_stored_offline_draft_shows_evidence_ticked_after_it_was_drafted(desk):
    case_id = queued(desk, "rtick", [Violation.rumor])
    desk.submit(case_id, "amy", at=T)
    desk.outcome(case_id, "rejected", "amy", at=T + timedelta(hours=20))
    case = desk.escalate(case_id, "amy", at=T + timedelta(hours=21))  # the back office: nothing ticked yet
    assert "【待确认：随附的证据" in desk.current_draft(case)
    desk.tick(case_id, ["screenshots"], "amy")
    assert "· 完整截图" in desk.current_draft(desk.book.get(case_id))


def test_the_lawyer_is_never_a_channel_that_rejected_the_case(desk):
    data = at_rung(desk, queued(desk, "rlaw", [Violation.rumor]), Rung.legal_brief)
    text = draft_rung(Rung.legal_brief, data, K)
    assert "不是律师函" in text and checks(Rung.legal_brief, text, data)["reader_fit"]
    assert not checks(Rung.legal_brief, text + "\n律师函要点：驳回", data)["reader_fit"]


def test_a_rung_states_the_comments_own_posting_time_not_the_import_time(desk):
    desk.queue.accept([CommentIn(id="rpost", text="这个精油汞超标，骗子公司", author="路人乙",
                                 posted_at="2026-02-11 21:14")], "glowskin")
    from tests.factories import draft_result
    result = draft_result("rpost", violations=[Violation.rumor], appeal_reason=Violation.rumor)
    desk.queue.store_draft(result)
    case_id = desk.book.open_for(result, at=T)
    assert case_id
    text = draft_rung(Rung.complaint_email, at_rung(desk, case_id, Rung.complaint_email), K)
    assert "发布于 2026-02-11 21:14" in text


def test_an_exports_utc_posting_time_is_written_in_beijing_time_in_the_report_too():
    _, appeal, _ = draft_row(AppealRow(id="t", brand="glowskin", text="这个精油汞超标，用了脸都黑了", reason="rumor",
                                       posted_at="2026-11-30T02:19:36Z"), SETTINGS)
    assert appeal is not None and "评论发布于 2026-11-30 10:19" in appeal.explanation


def test_an_exports_utc_posting_time_is_written_in_beijing_time():
    from agent.drafting.appeal_facts import posted_text
    assert posted_text("2026-11-30T02:19:36Z") == "2026-11-30 10:19"
    assert posted_text("2026-10-02 21:14") == "2026-10-02 21:14"  # no zone given: as written


def test_a_mercury_claim_is_not_answered_with_the_patch_test_at_any_rung(desk):
    desk.queue.accept([CommentIn(id="rhg", text="这个精油汞超标，骗子公司", author="路人丙")], "glowskin")
    from tests.factories import draft_result
    result = draft_result("rhg", violations=[Violation.rumor], appeal_reason=Violation.rumor)
    desk.queue.store_draft(result)
    case_id = desk.book.open_for(result, at=T)
    assert case_id
    for rung in (Rung.brand_backend, Rung.account_manager, Rung.complaint_email, Rung.legal_brief):
        assert "斑贴" not in draft_rung(rung, at_rung(desk, case_id, rung), K)
    # The brand file names a heavy-metal report it does not hold: a blank at every rung, never invented.
    for rung in (Rung.complaint_email, Rung.legal_brief, Rung.regulator_12377):
        assert "【待确认：重金属检测报告或监管部门抽检记录】" in draft_rung(rung, at_rung(desk, case_id, rung), K)


def test_an_extortion_that_breaks_no_other_rule_is_reported_for_threats_not_abuse():
    key, appeal, _ = draft_row(AppealRow(id="x", brand="glowskin", reason="extortion",
                                         text="GlowSkin官方看这里：转我500我就把评论全删了，不然我每天发一篇踩雷"), SETTINGS)
    assert key == "extortion" and appeal is not None
    assert appeal.reason == Violation.illegal and appeal.reason_label.startswith("违法违规")
    assert any("私信" in c for c in appeal.evidence_checklist) and any("公安" in s for s in appeal.next_steps)


def test_the_item_view_says_when_a_comment_goes_to_internal_legal_review():
    assert legal_review(CommentIn(id="a", text="这篇笔记的图片是我拍的，品牌方盗用我的图"))
    assert not legal_review(CommentIn(id="b", text="这个账号盗用GlowSkin官方图卖假货"))


def test_eval_appeals_scores_every_rung_draft():
    from evals.appeals import DATASETS
    metrics, misses, _ = evaluate(DATASETS["tuned"], SETTINGS)
    assert metrics["rung_drafts"] >= 60
    assert all(metrics[k] == 0 for k in ("rung_unsupported", "rung_wrong_reader", "rung_internal_notes",
                                         "rung_evidence_unticked")), misses


def test_the_rating_sheet_holds_appeals_and_rung_drafts_for_blind_raters(settings, tmp_path):
    import csv

    from evals.appeal_sheet import write
    from evals.rate import GRADE_COLUMN
    comments = [CommentIn(id="s1", text="这个精油汞超标，骗子公司，大家别买", author="路人丁"),
                CommentIn(id="s2", text="姐妹看我主页 有同款 比旗舰店便宜 v：abc12345"),
                CommentIn(id="s3", text="用了两周没什么效果，有点失望")]
    appeals_n, rungs_n, key = write(tmp_path / "sheet.csv", settings, sources=[("t", "glowskin", comments)])
    with (tmp_path / "sheet.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert appeals_n == 2 and rungs_n >= 5 and len(rows) == appeals_n + rungs_n  # the civil opinion: no report
    assert all(r[GRADE_COLUMN] == "" for r in rows) and key.is_file()
    assert {"item", "reader", "comment", "draft"} <= set(rows[0]) and "decision" not in rows[0]  # labels: key only


def test_a_flood_reported_again_as_spam_says_it_repeats_not_that_it_redirects(desk):
    case_id = queued(desk, "rfl", [Violation.flooding], cluster=["rfl-2", "rfl-3"])
    desk.submit(case_id, "amy", at=T)
    desk.outcome(case_id, "rejected", "amy", at=T + timedelta(hours=20))
    case = desk.escalate(case_id, "amy", at=T + timedelta(hours=21))
    assert case.rung == Rung.second_report and case.reason == Violation.spam_redirect
    text = desk.current_draft(case)
    assert "举报理由：垃圾广告营销、导流" in text and "高度相似" in text
    assert "私下联系" not in text and "只通过站内官方账号" not in text


def test_no_rung_to_paste_names_the_queues_ids_or_says_which_attempt_it_is(desk):
    case_id = queued(desk, "rid-7", [Violation.flooding, Violation.abuse], cluster=["rid-8", "rid-9"])
    desk.submit(case_id, "amy", at=T)
    desk.outcome(case_id, "rejected", "amy", at=T + timedelta(hours=20))
    case = desk.escalate(case_id, "amy", at=T + timedelta(hours=21))
    assert case.rung == Rung.second_report
    second = desk.current_draft(case)
    assert "第二次举报" not in second and "案件" not in second
    for rung in (Rung.brand_backend, Rung.account_manager, Rung.complaint_email, Rung.regulator_12377):
        data = at_rung(desk, case_id, rung)
        text = draft_rung(rung, data, K)
        plain = re.sub(r"【待确认[:：][^】]*】|“[^”]*”", "", text)
        assert not any(i in plain for i in ("rid-7", "rid-8", "rid-9", case_id)), (rung, text)
        assert checks(rung, text, data)["no_internal_note"], rung
    data = desk.ladder_input(case)
    assert not checks(Rung.second_report, "【第二次举报】\n" + second, data)["no_internal_note"]
    assert not checks(Rung.second_report, second + "\n同类评论：rid-8、rid-9", data)["no_internal_note"]


def test_a_first_report_never_names_the_look_alikes_by_the_queues_ids():
    from agent.drafting.appeal import draft_appeal
    from agent.drafting.appeal_facts import AppealFacts
    from agent.drafting.appeal_reason import ReasonChoice
    from agent.drafting.check_input import CheckInput
    from agent.drafting.guardrails import appeal_clean
    from agent.knowledge.brands import load_brand
    from agent.knowledge.script_library import load_script_library
    from agent.schemas import Source
    facts = AppealFacts(text="glowskin就是智商税，避雷避雷", signals={}, cluster=["h-023", "h-024"])
    appeal = draft_appeal(load_script_library(K), load_brand(K, "glowskin"),
                          ReasonChoice(Violation.flooding, "ladder", ("flooding",)), facts, "“GlowSkin就是智商税”")
    assert appeal is not None and "高度相似" in appeal.explanation and "h-02" not in appeal.explanation
    base = CheckInput(reply="", comment="GlowSkin就是智商税", comment_script="zh-Hans", source=Source.competitor_attack,
                      pii=[], brand=load_brand(K, "glowskin"), internal_ids=("h-022", "h-023", "h-024"))
    assert appeal_clean(replace(base, appeal=appeal.explanation)).passed
    assert not appeal_clean(replace(base, appeal=appeal.explanation + "\n同类评论：h-023、h-024")).passed


def test_the_rating_walk_never_dates_a_report_before_its_comment_was_posted():
    """Comments posted after the walk's fixed import day (a section exported later) are walked from their
    own posting time: no rung says a report was filed before the comment existed."""
    from agent.drafting.drafter import Drafting
    from evals import appeal_rungs as rungs
    from evals.appeals import AppealRow, drafted
    row = AppealRow(id="late1", brand="glowskin", text="转我两千块我就删评，不然天天来发你们烂脸的帖子",
                    author="路人丁", posted_at="2026-12-08T03:20:00Z", reason="extortion")
    _, appeal, _, item = drafted(row, SETTINGS)
    assert appeal is not None and item is not None
    walked = rungs.walk(item, SETTINGS, Drafting(SETTINGS, None))
    assert walked
    dates = {d for _, _, text in walked for d in re.findall(r"2026-12-0[1-7]|12月0?[1-7]日", text)}
    assert not dates, dates  # every date a rung states is on or after 2026-12-08
