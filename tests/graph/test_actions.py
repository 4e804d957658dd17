"""The action routes the workflow: a comment left alone is drafted nothing and waits outside the to-do queue
until a reviewer brings it back; a reported one gets its appeal and no public reply."""

import pytest

from agent.schemas import CommentIn
from tests.graph.test_review import cli

LEAD_GEN = CommentIn(id="a1", text="加vx: abc123 兼职日结 有意私")
STICKERS = CommentIn(id="a2", text="[赞R][赞R]")


def test_a_reported_comment_gets_the_appeal_and_no_public_reply(desk_factory):
    result = desk_factory().submit(LEAD_GEN, "glowskin")
    assert result.plan.action == "report" and result.plan.action_reason
    assert result.reply is None and result.appeal is not None
    assert result.appeal.reason == "spam_redirect"


def test_a_left_comment_is_drafted_nothing_and_one_command_brings_it_back(desk_factory, settings):
    desk = desk_factory()
    result = desk.submit(STICKERS, "glowskin")
    assert result.plan.action == "leave" and "stickers" in result.plan.action_reason
    assert result.reply is None and result.appeal is None and not result.steps[-1].step == "draft"
    assert desk.queue.get("a2").status == "left"
    assert "a2" not in {it.id for it in desk.queue.items(status="needs_review")}
    done = cli(settings, "review", "bring-back", "a2")
    assert done.returncode == 0 and "back in the to-do queue" in done.stdout
    assert desk.queue.get("a2").status == "needs_review"
    again = cli(settings, "review", "bring-back", "a2")
    assert again.returncode != 0 and "nothing to bring back" in again.stderr and "Traceback" not in again.stderr


def _section_drafts(settings, tmp_path, stem: str, brand: str) -> dict[str, dict]:
    """Every comment of one training section, drafted by `redreply batch` as a user runs it (note and threads
    joined, the section's evidence read), by comment text."""
    import json
    from pathlib import Path

    path = next(Path("evals/datasets/sections/train").glob(f"{stem}_comments_*.jsonl"))
    out = tmp_path / "drafts.jsonl"
    done = cli(settings, "batch", str(path), "--brand", brand, "--out", str(out))
    assert done.returncode == 0, done.stderr
    texts = {json.loads(line)["comment_id"]: json.loads(line)["content"] for line in path.open(encoding="utf-8")}
    return {texts[r["id"]]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_in_a_whole_section_spam_is_never_answered_and_a_customer_is_never_reported(settings, tmp_path):
    drafts = _section_drafts(settings, tmp_path, "xhs_note06", "glowskin")
    reported = [r for r in drafts.values() if r["plan"]["action"] == "report"]
    assert reported and all(r["reply"] is None for r in reported)
    spam = drafts["敏感肌修复找我，纯植物无激素，三天见效，滴滴"]
    assert spam["plan"]["action"] == "report" and spam["reply"] is None
    # Where she bought it is her story, not an advert: she is answered, and the platform is not told otherwise.
    customer = drafts["同款泛红 脖子都红了 我是在某宝代购店买的 便宜一百多"]
    assert customer["plan"]["action"] == "reply" and customer["appeal"] is None
    assert "spam_redirect" not in customer["triage"]["violations"]


def test_praise_of_a_result_and_a_wish_are_never_told_to_stop_using(desk_factory):
    desk = desk_factory()
    for i, text in enumerate(["用了快一瓶了 泛红真的好了很多 就是有点点黏 夏天估计不太行[捂脸R]",
                              "求求出个防晒吧！！敏感肌找防晒太难了"]):
        result = desk.submit(CommentIn(id=f"s{i}", text=text), "glowskin")
        reply = result.reply.text if result.reply else ""
        assert "停用" not in reply and "就医" not in reply
        assert all(c.passed for c in result.checks if c.hard), [c for c in result.checks if not c.passed]


def test_a_refund_is_not_a_reaction_receding(desk_factory):
    result = desk_factory().submit(CommentIn(id="r1", text="我也是旗舰店买的 也是刺痛 已经退款了 退款倒是挺快的"),
                                   "glowskin")
    assert "停用" in result.reply.text  # she tells of stinging: the reaction's pause-and-help line
    assert all(c.passed for c in result.checks if c.hard)


def test_questions_in_a_section_are_answered_and_praise_thanked_never_apologised_to(settings, tmp_path):
    """The train section xhs_note01's questions and praise, drafted as a user runs `redreply batch`: the draft
    follows the comment's action, not only the words' script."""
    import json
    from pathlib import Path

    brand = json.loads(Path("evals/datasets/sections/train/brands.json").read_text())["xhs_note01"]
    drafts = _section_drafts(settings, tmp_path, "xhs_note01", brand)
    apology = ("抱歉", "对不起", "让你不满意")
    answered = [d for d in drafts.values() if d["plan"]["action"] == "answer" and d.get("reply")]
    thanked = [d for d in drafts.values() if d["plan"]["action"] == "thank" and d.get("reply")]
    assert answered and thanked and any(d["plan"]["situation"] == "question" for d in answered)
    for d in answered:
        if d["plan"]["situation"] == "question":
            assert not any(w in d["reply"]["text"] for w in apology), d["reply"]["text"]
    for d in thanked:
        assert d["plan"]["situation"] in ("praise", "praise_thanks", "mixed_praise"), d["plan"]


def test_no_problem_at_all_is_never_apologised_for_as_a_drawback(desk_factory):
    result = desk_factory().submit(CommentIn(id="n1", text="我用珀莱雅红宝石 一点事没有 推荐给博主"), "glowskin")
    reply = result.reply.text if result.reply else ""
    assert "一点事没有" not in reply and "没做好" not in reply


def test_in_a_whole_section_each_comment_gets_the_answer_its_kind_needs(settings, tmp_path):
    """Read next to the labels of a training section: defenders, insults, rumours, questions and a purchase
    made elsewhere each get what a community manager would do, not the generic apology."""
    drafts = _section_drafts(settings, tmp_path, "xhs_note06", "glowskin")
    apology = "抱歉"
    # A user defending the product in a debate is neither thanked nor apologised to.
    defender = drafts["我用了三瓶都没事欸 每个人皮肤不一样吧"]
    assert defender["plan"]["action"] == "leave" and defender["reply"] is None
    # A political rant and an insult at the creator are reported, with no public reply.
    rant = drafts["天天就知道卖货 物价涨成这样 工资十年不涨 上面的人根本不管老百姓死活"]
    assert rant["plan"]["action"] == "report" and "political" in rant["triage"]["violations"] and rant["reply"] is None
    insult = drafts["博主长这样就别出来吓人了 丑八怪"]
    assert insult["plan"]["action"] == "report" and insult["reply"] is None
    assert insult["triage"]["violations"] == ["abuse"] and insult["appeal"]["reason"] == "abuse"
    # A rumour from an unnamed insider takes the rumour track, not the customer's apology.
    rumour = drafts["我朋友在他们代工厂上班 说生产环境很差 懂的都懂"]
    assert "rumor" in rumour["triage"]["violations"] and rumour["plan"]["strategy"] == "neutral_rebuttal"
    assert apology not in rumour["reply"]["text"]
    # A question is answered, not given the reaction script.
    question = drafts["所以到底适不适合敏感肌 我买了还没拆"]
    assert question["plan"]["action"] == "answer" and question["plan"]["situation"] != "allergy_reaction"
    assert "停用" not in question["reply"]["text"] and apology not in question["reply"]["text"]
    # A described reaction is at least severity 2.
    assert drafts["用的好好的 突然就红了 然后越用越红 停了三天才好 以后再也不乱买网红精华了"]["triage"]["severity"] >= 2
    # Bought from a reseller: not the brand's order. The channel answer and the care, never a refund.
    daigou = drafts["同款泛红 脖子都红了 我是在某宝代购店买的 便宜一百多"]
    assert daigou["triage"]["severity"] >= 2
    text = daigou["reply"]["text"]
    assert "退款" not in text and "官方" in text and "停用" in text


def test_debate_chatter_drafted_on_its_own_is_neither_apologised_to_nor_thanked(desk_factory):
    """A comment with no note that names neither the brand, its products nor any problem is left, with its reason;
    a complaint that names a problem is still answered."""
    desk = desk_factory()
    chatter = desk.submit(CommentIn(id="d1", text="南方人冬天没有暖气，全靠一身正气，北方朋友是体会不到的"), "glowskin")
    assert chatter.plan.action == "leave"
    assert any(w in chatter.plan.action_reason for w in ("names neither", "names nothing"))
    assert chatter.reply is None
    complaint = desk.submit(CommentIn(id="d2", text="精华用了三天脸就过敏了，又红又痒"), "glowskin")
    assert complaint.plan.action == "reply" and complaint.reply is not None
    # A customer's verdict that names nothing is still a customer's: the sentiment model is sure of it.
    verdict = desk.submit(CommentIn(id="d3", text="这是本人遇到过最糟糕的一次，建议大家慎重"), "glowskin")
    assert verdict.plan.action != "leave" and verdict.reply is not None


def test_a_question_the_words_read_as_a_defect_is_answered_not_apologised_to(desk_factory):
    """"会掉色吗" names a defect word, and the sentiment model hears a complaint: the comment only asks."""
    result = desk_factory().submit(CommentIn(id="q1", text="雾霾蓝第一次洗会掉色吗 想跟白衬衫一起洗"), "threadline")
    assert result.plan.action == "answer" and result.plan.situation == "question"
    assert not any(w in result.reply.text for w in ("抱歉", "对不起", "没把好关", "瑕疵"))


@pytest.mark.parametrize(("text", "fact"), [
    ("玫瑰精油可以泡水喝吗 看到有人说滴水里喝养颜", "不可内服"),  # a safety answer, not a misuse lesson
    ("GlowSkin精华开封以后能放多久", "开封后6个月内用完"),
    ("家里有3岁宝宝 玫瑰精油能放香薰机里扩香吗", "婴幼儿"),
])
def test_a_question_the_brand_file_answers_gets_that_fact(desk_factory, text, fact):
    result = desk_factory().submit(CommentIn(id="q2", text=text), "glowskin")
    assert result.plan.action == "answer" and fact in result.reply.text
    assert not any(w in result.reply.text for w in ("抱歉", "对不起", "停用"))


def test_where_to_buy_the_genuine_product_is_answered_from_the_brand_file_never_apologised_to(desk_factory):
    """The kind model hears "正品" as a complaint; the comment asks where to buy and states no fault."""
    result = desk_factory().submit(CommentIn(id="q3", text="GlowSkin在哪买才是正品啊"), "glowskin")
    assert result.plan.action == "answer" and result.plan.strategy == "educate"
    assert "官方旗舰店" in result.reply.text
    assert not any(w in result.reply.text for w in ("抱歉", "对不起", "瑕疵", "退款"))


@pytest.mark.parametrize(("text", "trade"), [
    ("外卖送了两个小时，饭都凉了，再也不点了", "外卖"),
    ("酒店房间隔音太差，一晚上没睡好", "酒店"),
])
def test_a_complaint_about_what_the_brand_does_not_sell_is_not_answered_as_its_order(desk_factory, text, trade):
    result = desk_factory().submit(CommentIn(id="t1", text=text), "glowskin")
    # The plan still says what the complaint is about; the script answering it is the other trade's.
    assert result.plan.action == "reply" and result.plan.template == "ar_not_ours"
    assert result.plan.situation in ("delivery", "quality_defect", "general")
    reply = result.reply.text
    assert trade in reply and "GlowSkin" in reply and "护肤品" in reply
    # None of the brand's after-sales policy, its warehouse or a problem taken up as its own.
    assert not any(w in reply for w in ("保税仓", "退款", "换货", "品控", "另外", "【待确认"))


def test_the_brands_own_trade_named_keeps_a_complaint_the_brands(desk_factory):
    """A colour named after a drink, or a skincare word beside a takeaway, is no other trade's complaint."""
    colour = desk_factory().submit(CommentIn(id="t2", text="奶茶色洗了一次就掉色了，好失望"), "threadline")
    assert colour.plan.action == "reply" and colour.plan.template != "ar_not_ours"
    mine = desk_factory().submit(CommentIn(id="t3", text="点外卖的时候顺手涂了精华，结果脸红了一片"), "glowskin")
    assert mine.plan.action == "reply" and mine.plan.situation == "allergy_reaction"


def test_praise_of_another_trades_goods_is_neither_thanked_nor_answered(desk_factory):
    result = desk_factory().submit(CommentIn(id="t4", text="华为手机真好用，电池很耐用"), "glowskin")
    assert result.plan.action == "leave" and "doesn't sell" in result.plan.action_reason
    assert result.reply is None


def test_a_quarrel_about_people_naming_nothing_of_the_brand_gets_no_public_no_order_found(desk_factory):
    """Heard as abuse by the offence model alone, with no word a report could quote: nothing to post."""
    result = desk_factory().submit(CommentIn(id="t5", text="这些人天天就知道抱怨，真是够了，一群没脑子的"), "glowskin")
    assert result.reply is None or "订单" not in result.reply.text
    assert result.plan.action in ("leave", "report")


def test_in_a_section_the_note_not_the_words_says_whose_goods_are_talked_about(desk_factory):
    from agent.schemas import Context

    comment = CommentIn(id="t6", text="收到的时候外包装压坏了，像被外卖骑手踩过一样",
                        context=Context(note_relation="own"))
    result = desk_factory().submit(comment, "glowskin")
    assert result.plan.action == "reply" and result.plan.template != "ar_not_ours"
