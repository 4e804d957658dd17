"""The classes a compliance reader marked "must not be filed" on comments nobody had tuned on, each with texts
of our own: an insult word the comment names, tells, mocks itself with or says of a thing is no abuse; a review
of another trade is no rumour about the brand, nor an ad's price talk the brand's case; a contact id is never an
order number; a claim stated of the brand's goods as a fact is a rumour (a customer's own purchase is not); an
extortion under the brand's note walks its whole track with drafts fit for each reader."""

from __future__ import annotations

import pytest

from agent.cases.rules import Rung
from agent.config import Settings
from agent.drafting.appeal_facts import order_key
from agent.drafting.drafter import Drafting
from agent.drafting.ladder_notes import reader_checks
from agent.schemas import CommentIn
from evals import appeal_rungs
from evals.appeals import AppealRow, drafted

SETTINGS = Settings()


def report(text: str, brand: str = "glowskin"):
    key, appeal, _, item = drafted(AppealRow(id="u-1", brand=brand, text=text, reason="none"), SETTINGS)
    return key, appeal, item


def rungs(text: str, brand: str = "glowskin") -> dict[Rung, str]:
    """Every rung past the platform report, as `case escalate` drafts it after the one before failed."""
    _, _, item = report(text, brand)
    assert item is not None
    return {rung: text for rung, _, text in appeal_rungs.walk(item, SETTINGS, Drafting(SETTINGS, None))}


@pytest.mark.parametrize("text", [
    "网上管南方人叫蛮子、管北方人叫侉子这类叫法，其实挺伤人的",  # slurs listed as terms, argued against
    "我们平时张口闭口傻逼傻逼的，小孩都学会了",  # a habit of saying it, told
    "我同事讲的段子是这样的：老板问谁是傻逼，全场都不敢说话",  # a joke told after a colon
    "在他们眼里我们都是劣等民族，凭什么",  # what others think, pushed back against
    "别一棒子打死所有国产护肤品好吗",  # an idiom holding a slur's letters
    "看到这价格我直接黑人问号脸",  # a meme
    "我们这种低等打工人哪买得起",  # self-mockery
    "人机模式里那个sb ai又卡墙了",  # a game's AI
    "这个扣子设计太傻逼了，扣半天扣不上",  # a design, graded
    "他妈的快递又丢了，第三次了",  # a swear word said at nobody
])
def test_an_insult_word_the_commenter_names_tells_mocks_themself_with_or_says_of_a_thing_is_not_reported(text):
    key, appeal, _ = report(text)
    assert (key, appeal) == ("none", None)


@pytest.mark.parametrize(("text", "quote"), [
    ("你就是个傻逼，滚出评论区", "“傻逼”"),
    ("老外都是垃圾，滚出中国", "“老外都是垃圾”"),
    ("河南人都是骗子，别信", "“河南人都是骗子”"),
])
def test_an_insult_at_someone_or_at_a_group_is_still_reported(text, quote):
    key, appeal, _ = report(text)
    assert key == "abuse" and appeal is not None and quote in appeal.explanation


def test_an_insult_inside_a_complaint_is_reported_without_calling_it_no_review_of_the_service():
    key, appeal, _ = report("SB客服，退个款拖了一个星期")
    assert key == "abuse" and appeal is not None
    assert "“SB”" in appeal.explanation and "不是对商品或服务的评价" not in appeal.explanation


@pytest.mark.parametrize(("text", "brand"), [
    ("这家宾馆前台态度恶劣，床单还有污渍，卫生不合格", "glowskin"),  # a hotel review
    ("小米手机用了半年就卡成狗，三无产品", "glowskin"),  # a phone
    ("这款面膜含汞，大家别买", "threadline"),  # skincare, under a clothing brand's note
])
def test_a_review_of_another_trade_is_no_rumour_about_the_brand(text, brand):
    key, _, _ = report(text, brand)
    assert key == "none"


@pytest.mark.parametrize(("text", "brand"), [
    ("GlowSkin面霜其实含激素，大家别被骗了", "glowskin"),
    ("他们家的东西含汞，用久了会中毒", "glowskin"),
    ("这牌子的精华就是义乌代工厂灌装的，假进口，别买", "glowskin"),
    ("Threadline的亚麻其实是涤纶混纺，别被骗了", "threadline"),
    ("GlowSkin就是国产货冒充进口的，报关单都是假的", "glowskin"),  # names the brand: a claim, no IP report
])
def test_a_claim_stated_of_the_brands_goods_as_a_fact_is_reported_as_a_rumour(text, brand):
    key, appeal, _ = report(text, brand)
    assert key == "rumor" and appeal is not None and "可核实的资料" in appeal.explanation


@pytest.mark.parametrize(("text", "brand"), [
    ("我买的亚麻裤子摸着像化纤，是不是混纺的", "threadline"),  # a customer's own purchase, and a guess
    ("收到的精华和专柜的颜色不一样，估计是假货", "glowskin"),
])
def test_a_customers_doubt_about_their_own_purchase_is_not_reported(text, brand):
    key, _, _ = report(text, brand)
    assert key == "none"


def test_a_rumour_about_the_brands_kind_of_goods_goes_up_the_ladder_in_its_name():
    drafts = rungs("他们家衣服甲醛超标，穿了会得癌症", "threadline")
    assert drafts and not any("不建议升级" in t for t in drafts.values())


def test_a_contact_id_is_never_the_order_lookups_key():
    assert order_key(CommentIn(id="c", text="收个满级号，QQ2233445566")) is None
    assert order_key(CommentIn(id="c", text="订单号 XH20261201001 还没发货")) == "订单号XH20261201001"


def test_an_ad_that_names_nothing_of_the_brand_gets_no_rung_in_its_name():
    key, appeal, _ = report("收个全区满级号，价格好说，QQ2233445566")
    assert key == "spam_redirect" and appeal is not None and "订单" not in appeal.explanation
    drafts = rungs("收个全区满级号，价格好说，QQ2233445566")
    assert drafts and all(t.startswith("【不建议升级") for t in drafts.values())
    assert not any("订单号" in t for t in drafts.values())


@pytest.mark.parametrize(("text", "brand"), [
    ("私信你们了，三千块钱打过来这条我就删，不打就等着上热搜吧", "glowskin"),
    ("想让我删评论？先打两千到我支付宝，否则每篇笔记下面都刷一遍", "glowskin"),
    ("要是不给我五千封口费，我就把你们衣服起球的事发得到处都是", "threadline"),
    ("拿800来我就撤掉差评，不然天天来骂", "threadline"),
])
def test_an_extortion_under_the_brands_note_walks_its_whole_track(text, brand):
    key, appeal, item = report(text, brand)
    assert key == "extortion" and appeal is not None and appeal.track == "extortion"
    assert any("私信" in c for c in appeal.evidence_checklist) and any("公安" in s for s in appeal.next_steps)
    walked = appeal_rungs.walk(item, SETTINGS, Drafting(SETTINGS, None))
    assert [rung for rung, _, _ in walked] == [Rung.evidence_preserved, Rung.police_report, Rung.legal_brief]
    for rung, data, draft in walked:
        assert "不建议升级" not in draft and "订单号" not in draft
        assert all(c.passed for c in reader_checks(rung, draft, data, SETTINGS.knowledge_dir)), rung
    police = walked[1][2]
    assert "敲诈勒索" in police and "恳请平台" not in police


@pytest.mark.parametrize("text", ["退我300块运费，不然我投诉到12315", "给我一个解释，为什么发货这么慢",
                                  "衣服买了800块，穿一次就起球，不给我退我就一直差评"])
def test_a_customers_demand_is_no_extortion(text):
    key, _, _ = report(text, "threadline")
    assert key != "extortion"


def test_a_trade_dispute_telling_who_added_whom_is_no_redirect():
    assert report("他昨天又私我要链接，我没理")[0] == "none"
    assert report("你之前开小号加我，我就说你是骗子了？")[0] != "spam_redirect"
    assert report("有需要的加我，主页有惊喜")[0] == "spam_redirect"  # an invitation still is


@pytest.mark.parametrize("text", ["GlowSkin同款原单精华，一模一样的logo，价格只要三分之一，主页自取",
                                  "这个账号盗用GlowSkin官方图卖假货"])
def test_selling_or_reusing_under_the_brands_mark_is_still_an_ip_report(text):
    assert report(text)[0] == "ip_infringement"


def test_a_sexual_word_said_of_a_region_is_mockery_not_porn_and_a_lewd_insult_at_a_group_is_abuse():
    assert report("上海人夏天应该都是全裸出门的吧")[0] != "porn"
    key, appeal, _ = report("东北女人都是骚货")
    assert key == "abuse" and appeal is not None
    assert report("约吗，同城，私我看裸照")[0] == "porn"  # an offer is still lewd content


@pytest.mark.parametrize("text, brand, document", [
    ("GlowSkin其实是国内贴牌的，套了个洋名，大家别被骗", "glowskin", "备案"),
    ("Threadline就是国内小厂贴牌，冒充跨境品牌割韭菜", "threadline", "进口报关单"),
])
def test_a_rumour_about_the_brands_origin_is_answered_with_its_import_papers_or_a_blank_asking_for_them(
        text, brand, document):
    _, appeal, _ = report(text, brand)
    assert appeal is not None and document in appeal.explanation, appeal and appeal.explanation
