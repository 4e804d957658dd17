"""Classes of reply a community manager would never post, each met by what the comment states: a reaction told of
another trade's service, a refund the customer already has, a mild word on the price, a question of order."""

import pytest

from agent.schemas import CommentIn


def _reply(drafter, text: str, brand: str = "glowskin", id: str = "c1"):
    r = drafter.draft(CommentIn(id=id, text=text), brand)
    assert r.reply is not None
    return r


@pytest.mark.parametrize("text", [
    "宾馆浴室的沐浴露用完 女儿身上起了一片小红点 前台说不关他们事",
    "民宿床单不干净 住了两晚 胳膊上痒得不行 起了好多包",
])
def test_a_reaction_told_of_another_trades_service_is_never_answered_as_our_product(drafter, text):
    r = _reply(drafter, text)
    assert not any(w in r.reply.text for w in ("停用", "全额退款", "订单号")), r.reply.text
    assert all(c.passed for c in r.checks if c.name == "reaction_care")


@pytest.mark.parametrize("text", [
    "面膜敷了两次就起皮 已经退了 不会再回购",
    "精华有股怪味 找客服退款到了 但还是想吐槽一下",
    "收到的面膜压坏了 钱已经到账了 下次包装好点吧",
])
def test_a_customer_who_says_the_refund_came_is_never_offered_one(drafter, text):
    r = _reply(drafter, text)
    assert "退款" not in r.reply.text and "退货" not in r.reply.text, r.reply.text


@pytest.mark.parametrize("brand, text", [
    ("glowskin", "面膜价格稍微有点高哦"),
    ("glowskin", "这个价位还不如直接买兰蔻小黑瓶"),
    ("threadline", "三百多一条裤子 学生党表示买不起"),
])
def test_a_word_on_the_price_from_someone_who_bought_nothing_gets_a_light_line(drafter, brand, text):
    r = _reply(drafter, text, brand)
    assert not any(w in r.reply.text for w in ("抱歉", "对不起", "不好意思", "订单号", "暂未查询")), r.reply.text


def test_a_buyer_who_finds_it_not_worth_the_price_is_still_helped_with_the_order(drafter):
    r = _reply(drafter, "上周买了三盒面膜 感觉完全不值这个价")
    assert "订单" in r.reply.text


@pytest.mark.parametrize("text", ["先抹精华还是先敷面膜呀", "面膜和精华谁先谁后"])
def test_a_question_of_which_goes_first_gets_the_order_not_the_cautions(drafter, text):
    r = _reply(drafter, text)
    assert "后" in r.reply.text and not any(w in r.reply.text for w in ("果酸", "A醇", "叠加", "破损")), r.reply.text


HEAVY = ("真的很抱歉", "非常抱歉", "实在抱歉", "真心抱歉", "特别抱歉", "辜负", "没做到位", "真的对不起")


@pytest.mark.parametrize("brand, text", [
    ("glowskin", "精华瓶子的滴管有点难用 每次挤不出来"),
    ("glowskin", "精华用着还行 就是有点黏"),
])
def test_a_mild_complaint_is_met_with_a_plain_apology_not_a_heavy_one(drafter, brand, text):
    for i in range(4):
        r = _reply(drafter, text, brand, id=f"m{i}")
        assert r.triage.scores.get("negative", 1.0) < 0.8
        assert not any(w in r.reply.text for w in HEAVY), r.reply.text


@pytest.mark.parametrize("text", [
    "民宿挺贵的，性价比不高，下次不住了",
    "这家店的烤鱼略贵，一条鱼九十八，隔壁才六十",
    "酒店价格偏贵，便宜的房间又太小",
])
def test_a_price_told_of_another_trade_keeps_the_not_ours_line(drafter, text):
    r = _reply(drafter, text)
    assert r.plan.template != "ar_price_opinion", r.reply.text
    assert "GlowSkin的当前价格" not in r.reply.text and "价格这块" not in r.reply.text, r.reply.text


@pytest.mark.parametrize("brand", ["glowskin", "threadline"])
def test_a_phone_line_that_never_answers_gets_the_brands_real_channels_and_no_conceded_failing(drafter, brand):
    r = drafter.draft(CommentIn(id="ph1", text="打了三次客服电话都没人接，什么破服务"), brand)
    assert r.reply is not None and "私信" in r.reply.text and "在线客服" in r.reply.text, r.reply.text
    assert "不该发生" not in r.reply.text and "【待确认" not in r.reply.text


@pytest.mark.parametrize("text", [
    "这家宾馆的前台脸上写着不耐烦，问个路都爱答不理",
    "火锅店服务员脸上一点笑容都没有，上菜还慢",
])
def test_a_face_in_a_review_of_another_business_is_no_skincare(drafter, text):
    r = _reply(drafter, text)
    assert r.plan.template == "ar_not_ours", r.plan
    assert "客服" not in r.reply.text, r.reply.text


@pytest.mark.parametrize("brand, text", [
    ("threadline", "这个模特是几天没吃饭了吧 瘦得吓人 丑"),
    ("glowskin", "博主颜值一般般啊，长得有点显老"),
])
def test_a_remark_on_how_someone_in_the_note_looks_is_left(drafter, brand, text):
    r = drafter.draft(CommentIn(id="c9", text=text), brand)
    assert r.plan.action.value == "leave" and r.reply is None, r.plan


def test_a_look_worn_by_the_model_is_still_about_the_clothes(drafter):
    r = drafter.draft(CommentIn(id="c10", text="模特穿得好看，我买了穿上就显胖，版型有问题吧"), "threadline")
    assert r.plan.action.value != "leave" and r.reply is not None


@pytest.mark.parametrize("text", ["送的都是坏的，要求退", "味道不太能适应"])
def test_a_trade_only_the_topic_model_reads_is_asked_about_never_asserted(drafter, text):
    r = _reply(drafter, text)
    assert r.plan.template == "ar_not_ours_unsure", r.plan
    assert not any(w in r.reply.text for w in ("外卖", "餐饮", "酒店", "抱歉")), r.reply.text
    assert "私信" in r.reply.text


@pytest.mark.parametrize("text", ["用了半个月就黑屏了，再也开不了机，是不是翻新机", "手机壳才戴两天就裂了"])
def test_a_gadgets_failure_is_never_answered_as_our_defect(drafter, text):
    r = _reply(drafter, text)
    assert r.plan.template == "ar_not_ours", r.plan
    assert not any(w in r.reply.text for w in ("抱歉", "退款", "换货")), r.reply.text


def test_not_being_used_to_something_is_no_discomfort(drafter):
    r = drafter.draft(CommentIn(id="c11", text="有点不适应这个新包装，早知道就买小米的了"), "glowskin")
    assert r.reply is None or "不适" not in r.reply.text, r.reply.text


@pytest.mark.parametrize("text", ["精华3号下的单 12号才送到 物流也太慢了", "面膜等了半个月终于到了，下次能不能快点"])
def test_a_parcel_that_came_late_is_never_chased(drafter, text):
    r = _reply(drafter, text)
    assert r.plan.template == "ar_delivery_arrived_late", r.plan
    assert not any(w in r.reply.text for w in ("催", "还没收到", "清关", "盯物流")), r.reply.text
    assert any(w in r.reply.text for w in ("抱歉", "不好意思")), r.reply.text
