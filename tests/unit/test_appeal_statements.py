"""A report states what the comment does. An insult the commenter tells of, denies, mentions or argues
against is not theirs to be reported for; a report's reason fits what the comment says of the brand; and
each later rung states only what the case's record holds."""

from __future__ import annotations

import pytest

from agent.cases.rules import Rung
from agent.config import Settings
from agent.drafting.ladder_gates import proportionate
from agent.schemas import CommentIn, Violation
from evals.appeals import AppealRow, draft_row
from tests.factories import draft_result
from tests.unit.test_extortion_case import EVIDENCE, cli  # noqa: F401  (cli: the fixture)

SETTINGS = Settings()


def drafted(text: str, brand: str = "glowskin"):
    key, appeal, _ = draft_row(AppealRow(id="t", brand=brand, text=text, reason="none"), SETTINGS)
    return key, appeal


@pytest.mark.parametrize("text", [
    "昨天有人在评论区骂我傻逼，我也懒得回他",  # someone else's insult, told
    "我从来不会觉得东北人都是骗子，大部分人都挺实在的",  # a stereotype denied
    "不是所有河南人都是骗子，别一竿子打翻一船人",
    "我们不歧视谁，只是对人渣没好感",  # an argument about prejudice, aimed at no one
    "有些上海人确实没素质，但大部分都很好",  # some members of a group: an anecdote, no slur at the group
    "那天遇到一个东北人素质低，插队还骂人",
])
def test_an_insult_told_denied_or_argued_against_grounds_no_report(text):
    assert drafted(text) == ("none", None)


@pytest.mark.parametrize(("text", "quote"), [
    ("你就是个傻逼，懂个屁", "“傻逼”"),
    ("我说你是不是傻逼啊，看不懂中文吗", "“傻逼”"),  # said to the reader: the commenter's own
    ("东北人都是骗子，千万别信", "“东北人都是骗子”"),
    ("都这样了你还敢说你不是直男癌？", "“直男癌”"),
    ("既然你这么看不起人，你干嘛活着不去死", "“去死”"),  # a negation said to the reader still wishes it  # asked of the reader: an accusation, not a denial
    ("大部分广东人都是骗子，我算看透了", "“广东人都是骗子”"),  # most of a group is the group
])
def test_an_insult_the_commenter_uses_is_still_reported_quoting_its_own_words(text, quote):
    key, appeal = drafted(text)
    assert key == "abuse" and appeal is not None and quote in appeal.explanation


def test_a_group_slur_is_quoted_within_its_own_clause():
    key, appeal = drafted("广东人，我跟你讲，都是骗子")  # the group and the insult in different clauses
    assert key != "abuse" or "广东人，我跟你讲，都是骗子" not in (appeal.explanation if appeal else "")


def test_a_label_said_in_general_talk_is_no_personal_attack():
    assert drafted("现在的人渣太多了，我们只对人渣敬而远之") == ("none", None)


def test_a_name_label_without_a_name_is_no_privacy_report():
    key, _ = drafted("这瓶精华真名贵啊，一小瓶要几百块")
    assert key != "privacy"


def test_a_slur_at_a_race_is_not_reported_as_a_rumor_about_the_product():
    key, _ = drafted("一堆非洲人来这里就是为了骗婚，生完孩子就跑，三无人员")
    assert key != "rumor"


def test_a_fake_official_contact_naming_the_brand_is_a_redirect_that_says_so_not_an_ip_report():
    key, appeal = drafted("GlowSkin官方客服微信：gs_help2026，退款找我")
    assert key == "spam_redirect" and appeal is not None
    assert "冒充官方" in appeal.explanation and "使用了GlowSkin的，" not in appeal.explanation


def test_a_political_label_made_up_about_the_brands_owner_is_a_rumor():
    key, appeal = drafted("这个牌子的老板是港独，别买了")
    assert key == "rumor" and appeal is not None and "与商品无关" not in appeal.explanation


def _case(desk, item_id: str, text: str) -> str:
    desk.queue.accept([CommentIn(id=item_id, text=text, author="路人丙", likes=9000)], "glowskin")
    result = draft_result(item_id, violations=[Violation.abuse], appeal_reason=Violation.abuse)
    desk.queue.store_draft(result)
    case_id = desk.book.open_for(result)
    assert case_id
    return case_id


@pytest.mark.parametrize("text", ["设计师是抄袭狗吧，这款完全是抄的", "看我主页，一样的料子一半价"])
def test_attacking_the_brands_designer_or_poaching_its_buyers_concerns_the_brand(desk, text):
    data = desk.ladder_input(desk.book.get(_case(desk, "d-1", text)))
    assert "评论与品牌无关" not in proportionate(Rung.account_manager, data).detail


def test_a_slur_at_a_race_citing_someone_elses_blog_is_not_the_brands_case(desk):
    data = desk.ladder_input(desk.book.get(_case(desk, "d-2", "大部分黑人都是好吃懒做，你去看看在非洲的博主的帖子")))
    check = proportionate(Rung.legal_brief, data)
    assert not check.passed and "评论与品牌无关" in check.detail


def test_after_preservation_failed_and_the_police_declined_no_rung_says_otherwise(cli):  # noqa: F811
    cli("case", "checklist", "x-1", "--done", *EVIDENCE)
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "accepted")
    cli("case", "escalate", "x-1")  # to the evidence's preservation, which fails
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "rejected")
    police = cli("case", "escalate", "x-1").split("--- for you")[0]
    assert "未能完成保全" in police and "已固定的证据" not in police and "是否已经固定未经确认" in police
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "rejected")  # the police decline
    brief = cli("case", "escalate", "x-1").split("--- for you")[0]
    assert "是否已经固定未经确认" in brief and "受案回执编号" not in brief and "未予受理" in brief


@pytest.mark.parametrize("text", ["那些人闹藏独的时候真让人寒心", "他前女友好像是疆独那边的，反正我不熟"])
def test_a_separatist_label_opposed_or_named_of_someone_is_not_reported_as_political(text):
    assert drafted(text) == ("none", None)


def test_advocating_separatism_is_still_reported_as_political():
    assert drafted("支持港独，香港独立")[0] == "political"


def test_an_ip_report_names_the_marks_the_comment_reuses():
    key, appeal = drafted("高仿GlowSkin玫瑰精华油，1:1复刻专柜版，私我拿货")
    assert key == "ip_infringement" and appeal is not None and "「GlowSkin」" in appeal.explanation


def test_a_separatist_label_pinned_on_the_brands_people_is_still_reported():
    assert drafted("GlowSkin的代言人是不是藏独分子？看她发的图")[0] in ("political", "rumor")
