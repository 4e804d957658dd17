"""Comments that are not about the brand, drafted on their own: another trade's review (with or without that
trade's words) is never answered with the brand's after-sales policy or thanked as the brand's praise; talk about
people is left (a lexicon insult in it reported), never apologised to, thanked or told it was reported; money for
a deletion is extortion, whose only public word answers the private messages it says went unanswered."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.drafting.extortion_reply import dm_only_reply
from agent.drafting.offline import without_report_claims
from agent.knowledge.brands import load_brand
from agent.planning.action import decide_action
from agent.planning.action_input import ActionInput
from agent.schemas import Action, Evidence, Source, Triage
from agent.text import normalize_for_match
from agent.triage import kind_model
from agent.triage.pii import find_pii
from agent.triage.rules import rule_triage
from agent.triage.trade import other_trade, other_trade_by_words

KNOWLEDGE = Settings().knowledge_dir
GLOWSKIN = load_brand(KNOWLEDGE, "glowskin")


def triage(text: str) -> Triage:
    return rule_triage(normalize_for_match(text), find_pii(text), Evidence(), KNOWLEDGE)


def action(text: str) -> tuple[Action, str]:
    """The action of a comment drafted on its own (no section) for GlowSkin, a skincare brand."""
    return decide_action(ActionInput(text, triage(text), kind_model.load().guess(text), None, GLOWSKIN))


@pytest.mark.parametrize(("text", "trade"), [
    ("酸菜鱼一股土腥味，配的豆芽也不新鲜", "餐饮外卖"),
    ("两份凉皮少放了一份醋包，送来都坨了", "餐饮外卖"),
    ("服务员态度冷淡，半夜空调还坏了，唯一的好处是离机场近", "酒店住宿"),
    ("作者写得太啰嗦了，看了一半就看不下去", "图书"),
    ("画面老是闪，声音也小，用了三天就黑了", "数码产品"),
    ("外放有杂音，音量开大就破音", "数码产品"),
])
def test_another_trades_review_naming_none_of_its_words_is_read_as_that_trade(text, trade):
    assert other_trade_by_words(text, GLOWSKIN) is None  # the word list alone misses it
    assert other_trade(text, GLOWSKIN) == trade


@pytest.mark.parametrize("text", [
    "发货太慢了，等了一个星期还没到", "客服态度很差，问三遍才回一句", "用完脸上爆了好几颗痘", "回购第三次了，很好用",
    # What any parcel's buyer says reads as gadgets to a model trained on online-shop reviews: never another trade.
    "物流太慢了", "东西收到了，还没用，先给个好评", "用了三天就坏了", "今天刚打开还没用，就是物流包装太次了",
    "才这么一点点，分量太少了，用不了几次", "快递小哥辛苦啦，谢谢",
])
def test_a_brand_customers_words_naming_no_trade_stay_the_brands(text):
    assert other_trade(text, GLOWSKIN) is None
    assert action(text)[0] in (Action.reply, Action.thank, Action.answer)


def test_praise_of_another_trade_is_not_thanked():
    assert action("汤很鲜，送得也快，下次还点")[0] == Action.leave


@pytest.mark.parametrize("text", [
    "楼上说得对，南方人冬天没暖气真的难熬",  # chatter about a region
    "你们男的是不是都这样，吵架从来不认错",  # a debate the offence model scores, no slur in it
    "小姐姐加个好友呗，哥哥带你去兜风[色]",  # a come-on, not praise
])
def test_talk_about_people_drafted_alone_is_left(text):
    assert action(text)[0] == Action.leave


@pytest.mark.parametrize("text", [
    "说河南人都是骗子的，你自己就是个脑残",  # a slur the lexicon names
    "东北人都是骗子，没一个好东西",  # an attack word at a group
])
def test_a_slur_or_hate_in_talk_about_people_is_reported_with_no_public_reply(text):
    assert action(text)[0] == Action.report


def test_money_for_a_deletion_is_extortion_even_without_the_usual_words():
    t = triage("私信你们三天了不回是吧 给我转800 钱到了我马上把笔记和投诉都删掉 不然每天换小号来发")
    assert t.source == Source.extortion
    assert any(s.startswith("extortion_deal:") for s in t.signals)
    assert action("私信你们三天了不回是吧 给我转800 钱到了我马上把笔记和投诉都删掉")[0] == Action.report


def test_a_customer_saying_her_comment_was_deleted_is_no_extortion():
    assert triage("你们把我的差评删了是什么意思？我买的精华过敏了，要求退款").source != Source.extortion


def test_extortions_public_word_answers_only_the_unanswered_messages():
    line = dm_only_reply("私信一直没人回 转我500就删评 不然天天来刷", "c1")
    assert line is not None and "私信" in line
    assert not any(w in line for w in ("500", "删", "平台", "订单"))
    assert dm_only_reply("转我500就删评 不然天天来刷", "c1") is None
    hurt = dm_only_reply("面膜害我烂脸，私信你们不回，要么赔我3000，要么全平台曝光", "c2")
    assert hurt is not None and "停用" in hurt and "3000" not in hurt


def test_a_reply_with_no_appeal_drafted_never_says_it_was_reported():
    reply = "希望大家在评论区就产品本身理性交流。攻击性言论无论针对哪个群体都不合适，已按社区规范提交平台处理，谢谢理解🙏"
    assert without_report_claims(reply) == "希望大家在评论区就产品本身理性交流。"
    kept = "谢谢反馈。欢迎私信我们细节，我们会认真核实；相关情况也已同步平台核查，结果以平台判定为准。"
    assert without_report_claims(kept) == "谢谢反馈。欢迎私信我们细节，我们会认真核实。"
    assert without_report_claims("抱歉让你久等了，私信我们订单号") == "抱歉让你久等了，私信我们订单号"
