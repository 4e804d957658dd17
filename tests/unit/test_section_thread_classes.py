"""Classes of section comments whose action needs the thread or a second look at the words: a reply in a thread that
names the brand under an unrelated note, a request with no question word, a comparison asked under the brand's own
note, a warning against a scam, a customer saying the brand never answered, a reaction feared or told in talk, a jab
at someone's looks, and a label argued about in a debate."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.knowledge.brands import load_brand
from agent.planning.action import decide_action
from agent.planning.action_input import ActionInput
from agent.schemas import Action, Context, ThreadMessage, Violation
from agent.triage import kind_model
from agent.triage.safety import describes_reaction
from tests.unit.test_action_classes import triage as triaged

KNOWLEDGE = Settings().knowledge_dir
GLOWSKIN = load_brand(KNOWLEDGE, "glowskin")
THREADLINE = load_brand(KNOWLEDGE, "threadline")


def decide(text: str, relation: str | None, parent_text: str = "", brand=GLOWSKIN) -> Action:
    thread = [ThreadMessage(id="p1", text=parent_text)] if parent_text else []
    ctx = Context(note_relation=relation, parent_id="p1" if parent_text else None, thread=thread)  # type: ignore[arg-type]
    return decide_action(ActionInput(text, triaged(text), kind_model.load().guess(text), ctx, brand))[0]


@pytest.mark.parametrize("text", ["真的假的 我那件开衫洗了一次就缩水了 袖子短了一截", "我的领口也是 穿两次就松垮了"])
def test_a_complaint_in_a_thread_naming_the_brand_under_an_unrelated_note_is_answered(text):
    assert decide(text, "unrelated", "这次换到一件棉麻线的开衫 超舒服", THREADLINE) == Action.reply


def test_chatter_in_that_thread_is_still_left():
    assert decide("哈哈哈姐妹眼光真好", "unrelated", "这次换到一件棉麻线的开衫 超舒服", THREADLINE) == Action.leave


def test_under_an_unrelated_note_a_thread_that_never_names_the_brand_stays_left():
    assert decide("我的开衫洗了一次就缩水了", "unrelated", "这次换到一件优衣库的开衫", THREADLINE) == Action.leave


@pytest.mark.parametrize("text", ["求链接！！周二那条阔腿裤", "快点补货吧 燕麦色的开衫一直断码"])
def test_a_request_for_a_link_or_a_restock_under_the_brands_note_is_answered(text):
    assert decide(text, "own", brand=THREADLINE) == Action.answer


def test_a_comparison_asked_under_the_brands_own_note_is_answered():
    assert decide("和理肤泉那瓶B5比哪个更温和？我是敏感肌", "own") == Action.answer


def test_a_warning_against_a_fake_account_is_no_spam_report():
    text = "真官方才不会让你加微信 小心骗子 姐妹们千万别加"
    assert Violation.spam_redirect not in triaged(text).violations
    assert decide(text, "own") != Action.report


def test_a_real_invitation_to_add_an_id_is_still_reported():
    assert decide("加微信 gs2026vip 内部福利价", "own") == Action.report


@pytest.mark.parametrize("text", ["官方到现在都没回我 已经第三天了", "我私信问过客服 一直没人回"])
def test_a_customer_in_a_thread_saying_the_brand_never_answered_gets_a_reply(text):
    assert decide(text, "own", "同问 什么时候发货") == Action.reply


@pytest.mark.parametrize("text, told", [
    ("一直不敢入 怕烂脸", False),
    ("担心过敏所以先买了小样", False),
    ("用它的精华油抹完脸就烂了 现在在看皮肤科", True),
    ("敷完脸上刺刺的 到现在还有点红", True),
    ("敷完刺刺的 过一会儿就好了", False),
])
def test_a_reaction_feared_is_none_and_one_told_is(text, told):
    assert describes_reaction(text) is told


def test_a_reaction_told_in_talk_about_the_brand_is_answered():
    assert decide("大家千万别碰GlowSkin 我就是用它的玫瑰油烂的脸 现在还在看皮肤科", "unrelated") == Action.reply


@pytest.mark.parametrize("text", ["长这样还当穿搭博主 先把腿练细吧", "这模特是不是饿瘦的 丑得吓人"])
def test_a_jab_at_someones_looks_is_never_answered(text):
    assert decide(text, "tags", brand=THREADLINE) == Action.leave


@pytest.mark.parametrize("text", ["舔狗现象说到底是社会风气造成的", "现在基佬和腐女都挺多的，不反对也不提倡"])
def test_a_label_argued_about_insults_nobody(text):
    assert Violation.abuse not in triaged(text).violations


@pytest.mark.parametrize("text", ["楼上就是个舔狗", "你这种舔狗懂什么"])
def test_a_label_thrown_at_someone_is_still_abuse(text):
    assert Violation.abuse in triaged(text).violations
