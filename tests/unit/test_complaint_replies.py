"""What a public reply to a complaint says back, and what it offers: it restates the problem neutrally or not at
all (never an accusation, a threat, an insult, a feeling, sarcasm, a question or the customer's own defence), no
reply of any drafter repeats an accusation, threat or insult of the comment, a refund that has not arrived is
chased as a refund, and a policy whose window the customer's stated time has passed is not offered."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.drafting.check_input import CheckInput
from agent.drafting.guardrails import run_checks
from agent.drafting.held_for import days_held
from agent.drafting.offline import draft_reply
from agent.drafting.policy_choice import best_promise, stated_facts
from agent.knowledge.brands import load_brand
from agent.knowledge.script_library import load_script_library
from agent.planning.inputs import PlanInput
from agent.planning.planner import plan_for
from agent.planning.script_fit import fitted_plan
from agent.planning.scripts import rules_script
from agent.schemas import Evidence, Source, Triage
from agent.text import detect_script, normalize_for_match
from agent.triage.pii import find_pii
from agent.triage.rules import never_quote
from agent.triage.signals import lexicons_for
from tests.brands import draft_with_edited_brand

KNOWLEDGE = Settings().knowledge_dir
LIBRARY = load_script_library(KNOWLEDGE)
LEX = lexicons_for(KNOWLEDGE)


def plan_of(text: str, brand: str = "glowskin"):
    b = load_brand(KNOWLEDGE, brand)
    inp = PlanInput(triage=Triage(source=Source.genuine_experience, severity=2, confidence=0.8), text=text,
                    has_brand_reply=False, duplicates=0, brand=b, library=LIBRARY, lexicons=LEX)
    plan = plan_for(inp, rules_script(inp), None)
    return b, fitted_plan(LIBRARY, b, plan, text, text, never_quote(KNOWLEDGE), LEX.markers.get("injection", []))


def reply_to(text: str, brand: str = "glowskin", seed: str = "") -> tuple[str, str]:
    """The offline reply to a customer's complaint, and the situation its script answers; `seed` picks the
    phrasing (the comment's id)."""
    b, plan = plan_of(text, brand)
    reply, template, _ = draft_reply(LIBRARY, b, plan, text, normalize_for_match(text), Evidence(),
                                  never_quote(KNOWLEDGE), LEX.markers.get("injection", []), seed=seed or text)
    return reply, template.situation


def every_phrasing(text: str, brand: str = "glowskin") -> list[str]:
    """The replies under a dozen comment ids: every phrasing of the script the comment gets."""
    return [reply_to(text, brand, seed=f"{text}-{i}")[0] for i in range(12)]


# --- restating: what happened, or nothing -------------------------------------------------------------------

@pytest.mark.parametrize("brand, comment, never", [
    ("glowskin", "换个洋名字就卖贵五倍", "卖贵五倍"),  # an accusation
    ("threadline", "袖口开线了再不处理就去黑猫投诉", "投诉"),  # a threat
    ("glowskin", "面膜质量差得恶心", "恶心"),  # an insult
    ("threadline", "明明按洗标手洗还是开线了", "按洗标"),  # the customer's own defence
    ("threadline", "三百多买了个掉色机", "掉色机"),  # sarcasm
    ("threadline", "开线这么快正常吗", "正常吗"),  # a question
    ("glowskin", "精华质量没有想象中的好", "想象"),  # an expectation
    ("threadline", "你们的衣服穿两次就开线", "你们"),  # said to the brand
], ids=["accusation", "threat", "insult", "defence", "sarcasm", "question", "expectation", "to_the_brand"])
def test_a_reply_restates_the_problem_never_an_accusation_threat_insult_defence_sarcasm_or_question(
        brand, comment, never):
    for reply in every_phrasing(comment, brand):
        assert never not in reply, reply


def test_the_plain_fault_beside_them_is_what_is_said_back():
    reply, _ = reply_to("换个包装卖贵五倍 泵头按不出来")
    assert "泵头按不出来" in reply and "卖贵" not in reply, reply


def test_no_reply_opens_with_the_customers_own_clause():
    # Said first and bare, the customer's words read as the brand's own verdict on its goods.
    for reply in every_phrasing("用了不到一个月就蓝屏重启了"):
        assert not reply.startswith(("用了不到一个月", "不到一个月")), reply


# --- the hard check: no drafter repeats an accusation, a threat or an insult ---------------------------------

def _hostile_echo(reply: str, comment: str) -> str | None:
    brand = load_brand(KNOWLEDGE, "glowskin")
    checks = run_checks(CheckInput(reply=reply, comment=comment, comment_script=detect_script(comment),
                                   source=Source.genuine_experience, pii=find_pii(comment), brand=brand,
                                   lexicons=LEX))
    check = next(c for c in checks if c.name == "no_hostile_echo")
    assert check.hard
    return None if check.passed else check.detail


@pytest.mark.parametrize("comment, reply", [
    ("GlowSkin就是贴牌货 换个洋名字卖贵三倍", "亲，你说换个洋名字卖贵三倍，确实让人糟心😣"),
    ("转我300 我就把黑猫上的投诉都删了 不然天天来刷", "亲，你说黑猫上的投诉都删了，我们理解🙏"),
    ("这个回答有点恶心", "宝子，看到你说这个回答有点恶心，抱歉🙏"),
])
def test_a_reply_repeating_an_accusation_threat_or_insult_fails_a_hard_check(comment, reply):
    assert _hostile_echo(reply, comment)


def test_a_reply_sharing_only_the_brands_own_words_or_the_plain_fault_passes():
    comment = "GlowSkin精华就是智商税 泵头按不出来"
    assert _hostile_echo("宝子，你说泵头按不出来，抱歉🙏 私信我们订单号，GlowSkin帮你处理～", comment) is None


# --- the problem actually named: a refund not arrived is chased as a refund ---------------------------------

@pytest.mark.parametrize("comment", [
    "退款申请一周了还没到账 客服每次都说在处理",
    "仅退款都通过三天了 银行卡还没到账",
    "退货寄回去半个月了 钱还没退回来",
])
def test_a_refund_that_has_not_arrived_is_chased_as_a_refund_not_as_a_parcel(comment):
    reply, situation = reply_to(comment, "threadline")
    assert situation == "refund_request", reply
    assert "退款" in reply and not any(w in reply for w in ("保税仓", "清关", "催件", "物流")), reply


def test_a_parcel_not_arrived_is_still_chased_as_a_parcel():
    _, situation = reply_to("快递一周了还没到，物流一直不更新", "threadline")
    assert situation == "delivery"


# --- policies by the time the customer says they have had it ------------------------------------------------

@pytest.mark.parametrize("comment, days", [
    ("去年买的燕麦色 洗了一次就变长了", 180),
    ("两个月前在旗舰店买的开衫，袖口开线", 60),
    ("穿了两周袖口就起球了", 14),
    ("用了一个多月泵头坏了", 30),
    ("买了半年了", 182),
    ("用了十几天就掉色", 11),
    ("还不到一个月就蓝屏重启", None),  # an upper bound states no least time
    ("退款申请一周了还没到账", None),  # waiting for money, not having the goods
    ("等了半个月还没收到货", None),
])
def test_the_time_a_customer_says_they_have_had_it_is_read_at_its_least(comment, days):
    assert days_held(comment) == days


def test_a_parcel_not_received_has_no_window_running():
    assert not any(f.startswith("over_") for f in stated_facts("下单两个月了还没收到货"))


def test_past_the_15_day_window_the_brand_files_90_day_repair_stands_in():
    brand = load_brand(KNOWLEDGE, "threadline")
    facts = stated_facts("开衫穿了两个月，袖口开线了")
    promise = best_promise(brand, "quality_defect", "质量瑕疵（开线、破洞、脱扣、泵头坏等）", facts=facts)
    assert promise == "质量问题签收90天内凭照片免费维修或换新"


@pytest.mark.parametrize("brand, comment", [
    ("threadline", "去年买的燕麦色 洗了一次整件变长了快5cm 下摆都盖屁股了"),
    ("threadline", "衬衫买了半年了，领口开线"),
    ("glowskin", "精华是去年双十一买的，泵头坏了按不出来"),
])
def test_past_every_window_no_remedy_is_promised_and_a_person_says_what_can_still_be_done(brand, comment):
    reply, _ = reply_to(comment, brand)
    assert not any(w in reply for w in ("换货或退款", "维修或换新", "无理由", "全额退款")), reply
    assert "【待确认：过了售后期还能怎么处理】" in reply and "私信" in reply, reply


def test_within_the_window_the_policy_is_still_offered():
    reply, _ = reply_to("穿了两周袖口就开线了", "threadline")
    assert "换货或退款" in reply and "待确认" not in reply, reply


def test_a_stand_in_that_is_none_of_the_files_promises_is_one_line_naming_the_field(tmp_path, monkeypatch, capsys):
    code, err, path = draft_with_edited_brand(tmp_path, monkeypatch, capsys, "threadline", "instead: 质量问题签收90天内",
                                              "instead: 终身免费", "开衫穿了两个月开线了")
    assert code == 2 and str(path) in err and "policies.0.conditions.1.instead" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
