"""Readings the words alone got wrong: praise said in scorn, an insult word said of a thing, a wait timed in minutes
(another trade's delivery, not a cross-border parcel), and a customer's wait for an answer, which is the brand's."""

from __future__ import annotations

import pytest

from agent.knowledge.brands import load_brand
from agent.schemas import Action, Violation
from agent.triage.trade import other_trade
from tests.unit.test_action_classes import GLOWSKIN, KNOWLEDGE, action, triage


@pytest.mark.parametrize("text", ["呵呵，真是好服务啊", "好一个贴心客服 问了三遍都答非所问", "真是谢谢你们 又给我发错了"])
def test_praise_said_in_scorn_is_never_thanked(text):
    assert action(text) != Action.thank
    assert action(text, "own") != Action.thank


@pytest.mark.parametrize("text", ["这个app就是直男癌晚期的设计", "劝酒这种事真是劣等文化", "这分区也太脑残设计了",
                                  "这酒店wifi真是傻逼", "我真是脑残才买了这个"])
def test_an_insult_word_said_of_a_thing_is_no_abuse(text):
    assert Violation.abuse not in triage(text).violations
    assert action(text) != Action.report


@pytest.mark.parametrize("text", ["你就是个脑残吧", "客服都是傻逼", "东北人都是骗子 千万别信"])
def test_an_insult_at_people_stays_abuse(text):
    assert Violation.abuse in triage(text).violations


@pytest.mark.parametrize("text", ["等了80分钟才送到 都凉透了", "一个半小时才送来 催了三次", "差评 两个半小时才送到"])
def test_a_delivery_timed_in_minutes_or_hours_is_another_trades(text):
    assert other_trade(text, GLOWSKIN) is not None


@pytest.mark.parametrize("text", ["客服两个小时了还没回", "问了半天没人理 到现在也没回复"])
def test_a_wait_for_an_answer_is_never_read_as_another_trade(text):
    assert other_trade(text, GLOWSKIN) is None


def test_threadline_shares_the_reading():
    threadline = load_brand(KNOWLEDGE, "threadline")
    assert other_trade("等了80分钟才送到 都凉透了", threadline) is not None


@pytest.mark.parametrize("text", ["驱动去官网下载就行 https://support.hp.com/cn-zh/drivers 装完就好了",
                                  "客服电话一直打不通 官网 www.ctrip.com 上也查不到订单"])
def test_a_site_mentioned_in_a_tip_or_a_complaint_is_no_redirect(text):
    assert Violation.spam_redirect not in triage(text).violations
    assert action(text) != Action.report


@pytest.mark.parametrize("text", ["https://t.cn/abc123 点击领取免费小样", "需要的姐妹看这里 www.shop888.cn 全场五折"])
def test_a_link_offered_is_still_reported(text):
    assert action(text) == Action.report


def test_a_gadgets_praise_is_nobody_s_thanks_to_give():
    assert other_trade("装机简单 速度快 玩游戏也不卡", GLOWSKIN) is not None


@pytest.mark.parametrize("text", ["买了还没用过 先囤着", "朋友送的 还没用"])
def test_not_used_yet_is_no_complaint_of_uselessness(text):
    t = triage(text)
    assert not any(s.startswith("quality:") for s in t.signals), t.signals


@pytest.mark.parametrize("text", ["这电脑系统做得真脑残，天天死机", "酒店wifi垃圾，傻逼设计"])
def test_an_insult_word_in_a_review_of_goods_insults_nobody(text):
    assert Violation.abuse not in triage(text).violations


@pytest.mark.parametrize("text", ["赠品都送完了，希望别买到假货", "怕买到假货 还是官方店买吧"])
def test_a_counterfeit_hoped_against_is_no_claim(text):
    assert Violation.rumor not in triage(text).violations
    assert not any(s.startswith("counterfeit_claim:") for s in triage(text).signals)
