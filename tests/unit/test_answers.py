"""Answers to questions from the brand file: each fact from the file and cited, the product a note is about, a
blank naming the exact fact the file lacks (never 【正确用法】 for a question about something else), the cautions
for pregnancy, children and the sun, and no answer where it answers nothing. Then the whole draft as a
reviewer reads it: questions before buying, about the brand's origin or heard from others are answered,
never apologised to, rebutted or reported."""

import pytest

from agent.config import Settings
from agent.drafting.answers import asks, draft_answer
from agent.knowledge.brands import Brand, load_brand
from agent.placeholders import placeholder_slots
from agent.schemas import CommentIn, Context, NoteRef

OIL_NOTE = "🌹玫瑰精华油千万别直接上脸！稀释比例看这一篇就够"
MASK_NOTE = "晒伤急救｜连敷5天面膜，泛红终于退了"
CARDIGAN_NOTE = "初冬叠穿｜一件棉麻针织开衫的5种穿法"


@pytest.fixture(scope="module")
def glowskin():
    return load_brand(Settings().knowledge_dir, "glowskin")


@pytest.fixture(scope="module")
def threadline():
    return load_brand(Settings().knowledge_dir, "threadline")


def test_a_combining_question_gets_the_caution_that_names_it(glowskin):
    answer = draft_answer("精华可以和A醇一起用吗", glowskin, glowskin.product("serum"))
    assert answer is not None and "A醇" in answer.text and "待确认" not in answer.text
    assert answer.facts and all(f in answer.text for f in answer.facts)
    assert any("A醇" in c for c in glowskin.product("serum").cautions if c in answer.facts)


@pytest.mark.parametrize("question, product, fact", [
    ("精油怎么用？", "oil", "先用基础油"),
    ("在哪里买是正品？", "serum", "官方旗舰店"),
    ("下单后几天能到货？", "mask", "48小时内发出"),
])
def test_usage_genuine_and_shipping_are_answered_from_the_file(glowskin, question, product, fact):
    answer = draft_answer(question, glowskin, glowskin.product(product))
    assert answer is not None and fact in answer.text and "待确认" not in answer.text


def test_what_the_file_lacks_is_a_blank_beside_what_it_holds(glowskin):
    answer = draft_answer("面膜怎么用？现在有优惠活动吗", glowskin, glowskin.product("mask"))
    assert answer is not None and "洁面后敷10–15分钟" in answer.text and "【待确认：当前优惠活动】" in answer.text


def test_a_question_the_file_answers_nothing_of_gets_no_answer(glowskin):
    assert draft_answer("有优惠活动吗", glowskin, glowskin.product("mask")) is None
    assert draft_answer("今天天气真好", glowskin, None) is None
    assert asks("能和A醇一起用吗") and asks("几天到？") and not asks("面膜很好用")


@pytest.mark.parametrize("question", ["哺乳期可以用来按摩吗", "备孕能不能用这个油", "宝宝两岁 房间里能扩香吗？"])
def test_pregnancy_and_children_under_the_oils_note_get_the_files_ask_a_doctor_caution(glowskin, question):
    answer = draft_answer(question, glowskin, None, OIL_NOTE, blanks_only=True)
    assert answer is not None and "孕期、哺乳期、婴幼儿及严重敏感肌使用前请咨询医生" in answer.text
    assert "product-oil-usage" in answer.cites and not placeholder_slots(answer.text)


def test_where_the_file_says_nothing_of_pregnancy_a_doctor_is_advised_and_the_team_will_find_out(glowskin):
    answer = draft_answer("备孕期间能用这个精华吗", glowskin, None, blanks_only=True)
    assert answer is not None and not placeholder_slots(answer.text)  # a reply of blanks answers nobody
    assert answer.text.index("问问医生") < answer.text.index("急救焕肤精华液孕期、哺乳期能否使用")
    assert "确认" in answer.text and "正确用法" not in answer.text and not answer.facts


def test_an_effect_the_file_never_claims_is_left_to_the_reviewer_not_promised(glowskin):
    answer = draft_answer("孕妇能用吗 想按摩肚子防妊娠纹", glowskin, None, OIL_NOTE, blanks_only=True)
    assert answer is not None and "咨询医生" in answer.text
    assert "【待确认：玫瑰精华油有没有防妊娠纹方面的作用】" in answer.text


def test_the_sun_is_answered_from_the_usage_or_named_as_the_missing_fact(glowskin):
    serum = draft_answer("白天能用精华吗 出门晒会不会黑", glowskin, None, blanks_only=True)
    assert serum is not None and "白天使用后要做好防晒" in serum.text and not placeholder_slots(serum.text)
    oil = draft_answer("涂完出门晒太阳会不会变黑", glowskin, None, OIL_NOTE, blanks_only=True)
    assert oil is not None and not placeholder_slots(oil.text) and "玫瑰精华油用后日晒会不会变黑（光敏）" in oil.text


@pytest.mark.parametrize("question, note, fact", [
    ("面膜有没有香味 我对香精过敏", MASK_NOTE, "不添加香精"),
    ("精华含不含酒精啊 我对酒精过敏", "", "不含酒精（乙醇）"),
    ("这个精油加香精了吗", OIL_NOTE, "未检出添加的合成香精"),
])
def test_a_question_before_buying_about_fragrance_gets_the_ingredients_and_the_patch_test(glowskin, question, note, fact):
    answer = draft_answer(question, glowskin, None, note, blanks_only=True)
    assert answer is not None and fact in answer.text and "耳后" in answer.text
    assert not placeholder_slots(answer.text)


def test_the_brands_origin_is_answered_from_its_file_and_the_country_it_lacks_is_a_named_blank(glowskin, threadline):
    answer = draft_answer("GlowSkin是哪个国家的牌子啊 第一次听说", glowskin, None, blanks_only=True)
    assert answer is not None and "跨境护肤品牌" in answer.text and "保税仓" in answer.text
    assert "about" in answer.cites and placeholder_slots(answer.text) == ["【待确认：GlowSkin的原产国和生产地】"]
    clothes = draft_answer("Threadline是国货吗 衣服在哪生产的", threadline, None, blanks_only=True)
    assert clothes is not None and "广州南沙保税仓" in clothes.text


def test_a_worry_about_a_substance_gets_the_tests_the_brand_file_maps_to_it(threadline, glowskin):
    answer = draft_answer("听说这种跨境衣服甲醛都超标 拆开一股味 小孩子穿没事吧", threadline, None, CARDIGAN_NOTE,
                          blanks_only=True)
    assert answer is not None and "OEKO-TEX" in answer.text and "GB 18401" in answer.text and "甲醛" in answer.text
    assert {"cert-oekotex_2025", "cert-gb18401_2026"} <= set(answer.cites)
    assert "【待确认：棉麻针织开衫是否适合儿童】" in answer.text  # the file says nothing of children's wear
    # A substance no document of the file covers is named as what the team will find out, never answered with
    # another test, and never a blank: no reviewer can fill in a report the brand does not hold.
    metals = draft_answer("听说精油都有重金属 真的假的", glowskin, None, OIL_NOTE, blanks_only=True)
    assert metals is not None and not placeholder_slots(metals.text) and "玫瑰精华油的重金属检测结果" in metals.text
    assert "斑贴" not in metals.text and "GC-MS" not in metals.text


def test_an_active_the_caution_does_not_name_is_named_in_the_blank(glowskin):
    answer = draft_answer("GlowSkin那个精华含酸吗？我现在在刷水杨酸 能一起用吗", glowskin, None, blanks_only=True)
    assert answer is not None and "PHA" in answer.text and "A醇" in answer.text
    assert "【待确认：急救焕肤精华液能否和水杨酸一起用】" in answer.text


def test_sizes_and_a_product_the_brand_does_not_sell_are_answered_from_the_catalogue(glowskin, threadline):
    trousers = draft_answer("阔腿裤有没有短款啊 我155 怕拖地", threadline, None, blanks_only=True)
    assert trousers is not None and "165cm" in trousers.text and "修改裤长" in trousers.text
    hydrosol = draft_answer("有没有玫瑰纯露啊", glowskin, None, OIL_NOTE, blanks_only=True)
    assert hydrosol is not None and "目前在售的有急救焕肤精华液、舒缓修护面膜、玫瑰精华油" in hydrosol.text


@pytest.mark.parametrize("question, note, product", [
    ("外甥女才上小学 脸上干得起皮 能给她抹一点吗", MASK_NOTE, "mask"),
    ("儿子青春期满脸痘 这个精华他能用吗", "", "serum"),
])
def test_a_child_asked_about_gets_a_doctor_first_never_an_implied_yes(glowskin, question, note, product):
    answer = draft_answer(question, glowskin, glowskin.product(product), note, blanks_only=True)
    assert answer is not None and "问问医生" in answer.text and not placeholder_slots(answer.text)
    assert "适合泛红" not in answer.text and "推荐这样用" not in answer.text


@pytest.mark.parametrize("question", ["皮炎还没好 医生开了药膏 这期间能用精华吗", "做完光子后恢复期可以用吗"])
def test_skin_under_a_doctors_care_hears_the_doctor_first_and_no_test_it_cannot_get(glowskin, question):
    answer = draft_answer(question + " 里面有激素吗", glowskin, glowskin.product("serum"), blanks_only=True)
    assert answer is not None and answer.body.startswith("皮肤在治疗或恢复期")
    assert "耳后" in answer.text and "适合泛红" not in answer.text
    assert not placeholder_slots(answer.text)  # the file holds no hormone test: no blank nobody can fill


@pytest.mark.parametrize("brand, question, says", [
    ("glowskin", "香港能买到吗", "香港"),
    ("threadline", "能到店自提吗 我在南沙", ""),
    ("threadline", "你们和别家亚麻比到底区别在哪", ""),
])
def test_a_question_the_file_has_no_fact_for_gets_an_honest_line_not_another_topics_facts(brand, question, says):
    b = load_brand(Settings().knowledge_dir, brand)
    answer = draft_answer(question, b, None, blanks_only=True)
    if answer is None:  # no topic at all: the drafter's honest line (tests/unit/test_offline.py)
        return
    assert says in answer.text and all(says in b for b in placeholder_slots(answer.text))  # a fact to fill, named
    assert not any(w in answer.text for w in ("洗", "敷", "用法"))


def test_a_pregnancy_question_about_clothes_gets_the_skin_contact_tests_not_skincare_advice(threadline):
    answer = draft_answer("怀孕了贴身穿这件开衫有问题吗 有检测报告吗", threadline, None, CARDIGAN_NOTE, blanks_only=True)
    assert answer is not None and "GB 18401" in answer.text
    assert "护肤品" not in answer.text and not placeholder_slots(answer.text)


def test_a_return_asked_about_gets_the_files_conditions(threadline):
    answer = draft_answer("拆了吊牌但是一次没穿 还可以退吗", threadline, None, blanks_only=True)
    assert answer is not None and "吊牌完好" in answer.text and "正确用法" not in answer.text


def test_the_brand_file_decides_not_the_code(glowskin):
    """A caution added to the brand file is what a question is answered with, whatever the product."""
    data = glowskin.model_dump()
    serum = next(p for p in data["products"] if p["id"] == "serum")
    serum["cautions"].append("孕期可正常使用，如有顾虑请先咨询医生")
    edited = Brand.model_validate(data)
    answer = draft_answer("孕期能用这个精华吗", edited, None, blanks_only=True)
    assert answer is not None and "孕期可正常使用" in answer.text and not placeholder_slots(answer.text)


# ------------------------------------------------------------------ the whole draft, as the reviewer reads it

@pytest.fixture(scope="module")
def drafter(ingested_store):
    from agent.review.service import Drafter

    return Drafter(ingested_store.settings, store=ingested_store)


def _draft(drafter, brand: str, text: str, note: str = ""):
    context = Context(note_relation="tags", note=NoteRef(id="n1", title=note) if note else None)
    return drafter.draft(CommentIn(id=f"c{abs(hash(text)) % 10**8}", text=text, context=context), brand)


@pytest.mark.parametrize("brand, text, note, says", [
    ("glowskin", "孕妇可以用吗 想按摩肚子防妊娠纹", OIL_NOTE, "咨询医生"),
    ("glowskin", "面膜有没有香味 我对香精过敏", MASK_NOTE, "不添加香精"),
    ("glowskin", "GlowSkin是哪个国家的牌子啊 第一次听说", "", "跨境护肤品牌"),
    ("threadline", "听说这种跨境衣服甲醛都超标 拆开一股味 小孩子穿没事吧", CARDIGAN_NOTE, "GB 18401"),
    ("threadline", "据说亚麻衣服都有荧光剂 给孩子穿安全吗", CARDIGAN_NOTE, "OEKO-TEX"),
])
def test_questions_are_answered_with_the_files_facts_never_apologised_to_rebutted_or_reported(
        drafter, brand, text, note, says):
    result = _draft(drafter, brand, text, note)
    reply = result.reply.text
    assert result.plan.action == "answer" and says in reply
    assert not any(w in reply for w in ("抱歉", "对不起", "停用", "订单", "提交平台", "同步平台", "正确用法"))
    assert result.appeal is None and not result.plan.appeal
    cited = {s.id.partition("#")[2] for s in result.sources}
    assert any(c.startswith(("product-", "cert-", "about")) for c in cited)
    assert all(c.passed for c in result.checks if c.hard), [c for c in result.checks if not c.passed]


def test_a_doubt_of_the_filing_beside_a_reaction_is_answered_with_the_filing_the_file_holds(drafter):
    result = _draft(drafter, "glowskin", "别信 我用了烂脸 这牌子根本没备案 三无产品", MASK_NOTE)
    reply = result.reply.text
    assert reply.index("停用") < reply.index("进口普通化妆品备案")  # her skin first, then the filing
    assert "三款产品均已完成进口普通化妆品备案" in reply and not placeholder_slots(reply)
    assert "brands/glowskin/brand.yaml#cert-nmpa_filing" in {s.id for s in result.sources}
    # A doubt the file holds no proof of adds nothing: no blank is appended to a rebuttal.
    other = _draft(drafter, "glowskin", "GlowSkin的精华含激素，用了停掉就烂脸，大家千万别买")
    assert not placeholder_slots(other.reply.text) and "另外说明一下" not in other.reply.text
