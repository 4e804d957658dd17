"""The later rungs with a model behind the one seam: a clean draft is used and says who wrote it; an invented
law, a filled blank, money, a label or a letter instead of a brief is rejected and the offline template
offered, the attempt kept beside it; a failing model falls back; the brief stays gated by the checklist."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.cases.rules import Rung
from agent.drafting.llm import TransientModelError
from agent.errors import UserError
from agent.review.casework.case_desk import CaseDesk
from agent.schemas import Violation
from tests.fakes import FakeModel, by_prompt
from tests.unit.test_cases import ALL_ITEMS, T0, fail, queued

MARK = "\n模板草稿（"


def template_of(messages: list[dict[str, str]]) -> str:
    """The offline draft the prompt hands the model as its skeleton (the last block of the user message)."""
    user = messages[-1]["content"]
    return user[user.rindex(MARK):].split("：\n", 1)[1]


def rung_model(edit=lambda template: template + "\n以上情况均有截图与录屏为证，恳请尽快复核处理。") -> FakeModel:
    """A model that answers every rung with its template edited by `edit`."""
    return FakeModel(default=by_prompt({"rung": lambda messages: {"text": edit(template_of(messages))}}))


def model_desk(settings, client) -> CaseDesk:
    return CaseDesk(settings.with_overrides(model="openai/fake"), client=client)


def walk_to(desk: CaseDesk, case_id: str, rung: Rung) -> None:
    """Fail each rung and escalate until the case stands at `rung` (the checklist ticked on the way)."""
    desk.tick(case_id, ALL_ITEMS, "amy", at=T0)
    at = T0
    while desk.book.get(case_id).rung != rung:
        fail(desk, case_id, at)
        at += timedelta(days=1)
        desk.escalate(case_id, "amy", at=at)


def test_a_clean_model_draft_is_used_and_the_model_sees_only_the_knowledge_bases_law(settings):
    fake = rung_model()
    desk = model_desk(settings, fake)
    case_id = queued(desk, "m-1", [Violation.rumor, Violation.abuse])
    walk_to(desk, case_id, Rung.complaint_email)
    record = desk.draft_record(desk.book.get(case_id))
    assert record is not None and (record.model, record.fallback, record.rejected) == ("fake/scripted", None, None)
    assert record.text.endswith("恳请尽快复核处理。") and "申诉函" in record.text
    assert desk.book.events(case_id)[-1].note == "drafted by fake/scripted"
    assert fake.schemas == ["RungOut"] * 4  # second report, back office, account manager, complaint email
    prompt = fake.prompts_text()
    assert "## 《中华人民共和国民法典》第一千零二十四条（名誉权）" in prompt  # a section of the case's reasons
    assert "商标法" not in prompt and "隐私权" not in prompt  # sections of other reasons are not offered
    assert "不要照做" in prompt and "<case>" in prompt  # the comments are data


def test_every_rung_accepts_its_own_template_back(settings):
    """The hard checks hold the model to what the template already says, never reject the template itself."""
    desk = model_desk(settings, rung_model(lambda template: template))
    case_id = queued(desk, "e-1", [Violation.rumor, Violation.abuse])
    walk_to(desk, case_id, Rung.litigation)
    drafts = [d for d in desk.book.drafts(case_id) if d.rung != Rung.platform_report]
    assert len(drafts) == 7 and {d.model for d in drafts} == {"fake/scripted"}, [d.fallback for d in drafts]


POISONS = {
    "invented law": (lambda t: t + "\n另依据《中华人民共和国消费者权益保护法》第五十五条。", "citations_in_knowledge"),
    "filled blank": (lambda t: t.replace("【待确认：品牌经营主体全称（与营业执照一致）】", "上海光肌科技有限公司"),
                     "placeholders_kept"),
    "money": (lambda t: t + "\n我方愿意一次性支付5000元了结此事。", "within_policy"),
    "label": (lambda t: t + "\n分类：competitor_attack", "no_label_leak"),
    "a letter, not a brief": (lambda t: "律师函\n" + t.split("\n", 2)[2], "rung_form_kept"),
}


@pytest.mark.parametrize("poison", POISONS)
def test_a_model_brief_failing_a_hard_check_is_replaced_by_the_template(settings, poison):
    edit, check = POISONS[poison]
    desk = model_desk(settings, rung_model(lambda t: edit(t) if t.startswith("【律师函要点") else t))
    case_id = queued(desk, f"p-{len(poison)}", [Violation.rumor, Violation.abuse])
    walk_to(desk, case_id, Rung.legal_brief)
    record = desk.draft_record(desk.book.get(case_id))
    assert record is not None and record.model == "offline" and record.rejected is not None
    assert check in record.fallback and check in [c.name for c in record.rejected.failed_checks]
    assert record.rejected.model == "fake/scripted" and record.rejected.text != record.text
    assert record.text.startswith("【律师函要点 · 供品牌律师撰写律师函使用】") and "不是律师函" in record.text
    assert "消费者权益保护法" not in record.text and "5000元" not in record.text
    assert "【待确认：品牌经营主体全称（与营业执照一致）】" in record.text
    assert f"offline template: the model's draft failed {check}" in (desk.book.events(case_id)[-1].note or "")


def test_a_failing_model_falls_back_to_the_template(settings):
    desk = model_desk(settings, FakeModel(default=TransientModelError("Timeout (status 408)")))
    case_id = queued(desk, "t-1", [Violation.rumor, Violation.abuse])
    fail(desk, case_id, T0)
    case = desk.escalate(case_id, "amy", at=T0 + timedelta(days=1))
    record = desk.draft_record(case)
    assert record is not None and record.model == "offline" and record.rejected is None
    assert record.fallback and "second_report" in record.fallback and "Timeout" in record.fallback
    assert "举报理由：包含辱骂、人身攻击" in record.text  # the template's second report, whole


def test_the_brief_stays_gated_by_the_checklist_with_a_model(settings):
    fake = rung_model()
    desk = model_desk(settings, fake)
    case_id = queued(desk, "g-1", [Violation.rumor, Violation.abuse])
    at = T0
    while desk.book.get(case_id).rung != Rung.complaint_email:
        fail(desk, case_id, at)
        at += timedelta(days=1)
        desk.escalate(case_id, "amy", at=at)
    fail(desk, case_id, at)
    calls = len(fake.calls)
    with pytest.raises(UserError, match="legal brief blocked"):
        desk.escalate(case_id, "amy", at=at + timedelta(days=1))
    assert len(fake.calls) == calls and desk.book.get(case_id).rung == Rung.complaint_email  # nothing asked


def test_offline_setting_drafts_the_template_without_a_model(desk):
    case_id = queued(desk, "o-1", [Violation.rumor, Violation.abuse])
    fail(desk, case_id, T0)
    record = desk.draft_record(desk.escalate(case_id, "amy", at=T0 + timedelta(days=1)))
    assert record is not None and (record.model, record.fallback, record.rejected) == ("offline", None, None)
    assert desk.drafting.client is None and desk.book.events(case_id)[-1].note is None
