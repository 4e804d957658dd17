"""The whole graph on the offline default, as `redreply draft` runs it: one test per kind of comment."""

import pytest

from agent.schemas import CommentIn, Context, Escalation, NoteRef, Source, Strategy, ThreadMessage, Violation
from agent.text import detect_script


def draft(drafter, text, brand="glowskin", **kw):
    return drafter.draft(CommentIn(id=kw.pop("id", "t1"), text=text, **kw), brand)


def test_genuine_customer_with_order_gets_apology_and_private_message(drafter):
    r = draft(drafter, "等了十天还没收到货，物流一直不更新，太失望了", author="小鹿爱护肤")
    assert r.evidence.order_found
    assert r.triage.source == Source.genuine_experience
    assert r.plan.strategy == Strategy.apologize_resolve and r.appeal is None
    assert "私信" in r.reply.text
    assert any(w in r.reply.text for w in ("抱歉", "对不起", "不好意思"))


def test_undiluted_essential_oil_gets_gentle_education_with_the_correct_usage(drafter):
    r = draft(drafter, "玫瑰精油直接涂脸上，刺痛发红，什么破东西")
    assert r.triage.source == Source.misunderstanding and r.triage.severity == 3
    assert r.plan.strategy == Strategy.educate and r.plan.product == "oil"
    assert "稀释" in r.reply.text


def test_unbacked_rumor_gets_neutral_rebuttal_and_a_rumor_appeal(drafter):
    r = draft(drafter, "听说GlowSkin精华含激素还致癌，大家千万别买！", author="路人甲")
    assert r.triage.source == Source.competitor_attack
    assert r.plan.strategy == Strategy.neutral_rebuttal
    assert r.appeal is not None and r.appeal.reason == Violation.rumor
    assert r.appeal.reason_label == "造谣、虚假信息"
    assert r.plan.escalation == Escalation.platform_report
    assert r.appeal.evidence_checklist and r.appeal.next_steps


def test_traditional_comment_gets_a_traditional_reply(drafter):
    r = draft(drafter, "等了兩個禮拜還沒收到貨，客服也不回，很失望")
    assert r.reply.script == "zh-Hant" and detect_script(r.reply.text) == "zh-Hant"


def test_every_draft_cites_its_sources_and_runs_every_check(drafter):
    r = draft(drafter, "面膜敷完脸好干，是不是质量有问题")
    assert any(s.kind == "brand_fact" for s in r.sources) and any(s.kind == "guideline" for s in r.sources)
    assert all(s.path.startswith("knowledge/") for s in r.sources)
    assert {c.name for c in r.checks} >= {"no_pii_echo", "no_contact_redirect", "no_officialese", "no_blame",
                                          "within_policy", "grounded_claims", "no_concession", "no_injection",
                                          "within_length", "script_match", "placeholders_filled"}


def test_flood_of_near_identical_comments_is_flooding(drafter):
    text = "这个精华用了三天就烂脸了，大家千万别买，智商税！"
    results = drafter.draft_many([CommentIn(id=f"f{i}", text=text + "!" * i, author=f"号{i}") for i in range(3)],
                                 "glowskin")
    assert all(Violation.flooding in r.triage.violations for r in results)
    assert sorted(results[0].evidence.duplicate_cluster) == ["f1", "f2"]


def test_personal_data_is_found_and_never_echoed(drafter):
    r = draft(drafter, "快递员把我电话13800138000和地址浙江省杭州市西湖区文三路90号贴出来了，差评")
    assert {h.kind for h in r.triage.pii} >= {"phone", "address"}
    assert "13800138000" not in r.reply.text
    assert next(c for c in r.checks if c.name == "no_pii_echo").passed


def test_extortion_goes_to_the_legal_route(drafter):
    r = draft(drafter, "给我转账500块，不然我天天来刷差评，说你们的面膜烂脸")
    assert r.triage.source == Source.extortion and r.plan.escalation == Escalation.legal_letter
    assert r.plan.strategy == Strategy.neutral_rebuttal


def test_unknown_brand_names_the_known_ones(drafter):
    with pytest.raises(Exception, match="known brands: glowskin"):
        draft(drafter, "太慢了", brand="nosuch")


# One realistic comment per situation of the script library, for the brands whose category it fits
# (the `storage` scripts are for food brands; the demo brands sell skincare and apparel).
SITUATIONS = [
    ("delivery", "glowskin", "下单十天了物流还没到，太慢了"),
    ("bought_elsewhere", "glowskin", "京东买的，退货退了半个月还没退成"),
    ("damaged_package", "glowskin", "收到的精华漏液了，盒子都湿了"),
    ("colour_difference", "threadline", "开衫实物颜色和图片不一样，色差好大，失望"),
    ("size_fit", "threadline", "衬衫尺码偏小，平时穿M这件M穿不上，失望"),
    ("quality_defect", "threadline", "穿了两次就起球还开线了，这质量太差"),
    ("smell_texture", "glowskin", "面膜有股怪味，难闻，敷不下去"),
    ("customer_service_attitude", "glowskin", "客服态度太差了，问了半天爱答不理"),
    ("no_effect", "glowskin", "精华用完一整瓶了，没效果，白买"),
    ("allergy_reaction", "glowskin", "用了精华两颊过敏，又红又痒还起疹子"),
    ("refund_request", "glowskin", "不想要了，怎么退款？申请退了没人管"),
    ("general", "glowskin", "体验不好，有点失望"),
    ("mixed_praise", "glowskin", "精华很好用，吸收也快，回购了。缺点是瓶子有点小，用得太快"),
    ("misuse_dilution", "glowskin", "玫瑰精油直接涂脸上了，刺痛发红"),
    ("usage_frequency", "glowskin", "面膜我天天敷，敷一晚，怎么脸更干了"),
    ("expectation_mismatch", "glowskin", "急救精华用了一次痘印还在，急救个寂寞"),
    ("washing_care", "threadline", "亚麻衬衫我直接丢洗衣机热水洗了，缩水了"),
    ("ingredient_worry", "glowskin", "请问这个精华成分里有酒精和香精吗？敏感肌有点担心"),
    ("counterfeit_worry", "glowskin", "代购买的便宜好多，会不会是假的，怎么辨别正品"),
    ("praise", "glowskin", "面膜太好用了，已经回购三盒了，谢谢推荐"),
    ("praise_thanks", "glowskin", "快递小哥辛苦啦，谢谢"),
    ("question", "glowskin", "礼盒多少钱 有满减吗"),  # answered, never apologised to
    ("unverified_safety_claim", "glowskin", "听说这精华含激素还致癌，大家千万别买"),
    ("counterfeit_claim", "glowskin", "这家卖假货，全是高仿，千万别买"),
    ("competitor_attack", "glowskin", "智商税，割韭菜的牌子，快跑，不如买隔壁那家"),  # pointing buyers at a rival
    ("extortion", "glowskin", "给我转账500块我就删评，不然天天来发差评"),
    ("abuse", "glowskin", "你们客服都是脑残吧，不得好死"),
    ("group_attack", "glowskin", "河南人都是骗子，没一个好东西"),
    ("allergy_reaction", "glowskin", "用了精華兩頰過敏，又紅又癢還起疹子"),
    ("misuse_dilution", "glowskin", "玫瑰精油直接塗臉上了，刺痛發紅"),
    ("missing_item", "glowskin", "上面明明写送化妆包的，结果没有收到"),
    ("price_value", "glowskin", "这个价格太贵了，感觉不值"),
    ("follow_up", "glowskin", "私信也没人回，都两天了，到底有没有人管"),  # with THREADS' brand reply before it
]
# The situations that depend on the comment's place in its thread, not only on its words.
THREADS = {"follow_up": Context(
    note=NoteRef(id="n1", title="换季泛红急救｜GlowSkin 急救焕肤精华30天实测"),
    thread=[ThreadMessage(id="t0", author="小**鱼", text="用了三天脸就开始泛红刺痛，现在下巴一片都是红的"),
            ThreadMessage(id="t1", author="GlowSkin官方旗舰店", brand=True,
                          text="抱歉给你带来不好的体验！建议先暂停使用，方便的话私信我们订单号，安排专人跟进～")])}


def test_the_script_library_covers_every_situation_it_has():
    from agent.config import Settings
    from agent.knowledge.script_library import load_script_library

    situations = {t.situation for t in load_script_library(Settings().knowledge_dir).replies}
    # `not_ours` answers a complaint about another trade's goods: the plan keeps what the complaint is about and
    # names the script by its template (tests/graph/test_actions.py). `other_brand` (another brand's goods) is
    # likewise chosen by the drafter by its template (tests/unit/test_script_fit.py).
    assert situations - {"storage", "not_ours", "other_brand"} == {s for s, _, _ in SITUATIONS}


@pytest.mark.parametrize("situation, brand, text", SITUATIONS, ids=[f"{s}-{t[:6]}" for s, _, t in SITUATIONS])
def test_each_situation_gets_its_script_in_the_comments_script_citing_sources(drafter, situation, brand, text):
    r = draft(drafter, text, brand, context=THREADS.get(situation))
    assert r.plan.situation == situation
    if r.plan.action == "report" and r.appeal is not None:  # the appeal with its checklist, no public reply
        assert r.reply is None and r.appeal.evidence_checklist
        return
    assert r.reply is not None and detect_script(r.reply.text) == detect_script(text)
    assert "{" not in r.reply.text and "}" not in r.reply.text  # every slot filled or shown as 【待确认：…】
    assert any(s.kind == "brand_fact" for s in r.sources) and any(s.kind == "guideline" for s in r.sources)
    # Only a blank the reviewer must fill (no order to look up here) may fail, and a rebuttal's "已提交平台核查"
    # where no appeal is drafted (the script says a report was made; the reviewer is shown it).
    failed = [c.name for c in r.checks if not c.passed and c.name != "report_claim_matches_plan"]
    assert failed in ([], ["placeholders_filled"])
    if any(c.name == "report_claim_matches_plan" and not c.passed for c in r.checks):
        assert r.appeal is None and r.plan.strategy == Strategy.neutral_rebuttal
    if r.plan.strategy == Strategy.neutral_rebuttal:
        assert r.triage.source != Source.genuine_experience  # a real customer is never rebutted


# Comments read under a note (an import): a takeaway's or a hotel's complaint there is answered by the scripts,
# so their restating and second problems are tested on those words.
UNDER_A_NOTE = Context(note_relation="tags")
# What a complaint is about, read clause by clause: praise is set aside, the turn decides.
APOLOGY = ("抱歉", "对不起", "不好意思")


@pytest.mark.parametrize("text", ["菜品味道好,配送员态度好", "实物相符，内外包装很仔细。快递很给力",
                                  "大冷天还按时送到,非常感谢，味道不错，就是里面的香肠如果再换换就好了"])
def test_praise_naming_a_topic_is_thanked_not_apologised_to(drafter, text):
    r = draft(drafter, text)
    assert r.triage.source == Source.not_negative, r.triage.signals
    if r.reply is None:  # praise of another trade's goods (a takeaway's, to a skincare brand) is left
        assert r.plan.action == "leave" and "doesn't sell" in r.plan.action_reason
        return
    assert not any(w in r.reply.text for w in APOLOGY)
    assert "【待确认" not in r.reply.text  # no usage tip nobody asked for, with a blank to fill


def test_praise_then_the_writers_own_slip_is_thanked(drafter):
    r = draft(drafter, "味道很好，就是我自己手滑点错了口味，哈哈")
    assert r.triage.source == Source.not_negative, r.triage.signals
    # A takeaway's praise to a skincare brand may be left as another trade's; never apologised to.
    assert r.reply is None or not any(w in r.reply.text for w in APOLOGY)
    # …but a problem named beside the slip is still answered (a takeaway's: the brand owns nothing of it).
    r = draft(drafter, "味道很好，就是我自己手滑点错了，而且送得太慢", id="t2")
    assert r.plan.situation == "delivery" and r.reply is not None and "订单号" not in r.reply.text


@pytest.mark.parametrize("text", ["整体很满意，服务也热情。缺点是床有点短，卫生间有些小",
                                  "就是隔音比较差，房间外人说话一清二楚。其他都可以，还有什么奢求呢",
                                  "酒店位置好，早餐也丰富，房间很干净。但不明白为什么卫生间里连纸巾都没有。"])
def test_a_glowing_review_naming_a_drawback_stays_a_complaint(drafter, text):
    r = draft(drafter, text)
    assert r.triage.source == Source.genuine_experience, r.triage.signals
    # A hotel's drawback is answered, lightly: the brand neither apologises for it nor asks for an order.
    assert "酒店住宿" in r.reply.text and not any(w in r.reply.text for w in APOLOGY)


def test_praise_of_the_price_is_not_read_as_a_price_complaint(drafter):
    r = draft(drafter, "条件完全对得起这个价格，服务也很棒。缺点是床有点短")
    assert r.triage.source == Source.genuine_experience and r.plan.situation != "price_value"
    assert "不值" not in r.reply.text


def test_the_summing_up_and_the_outcome_decide_what_the_complaint_is_about(drafter):
    # The summing-up wins over an earlier turn ("但床还挺舒服的"): it is the verdict.
    r = draft(drafter, "房间有点旧，但床还挺舒服的。总之，对不起这个价格")
    assert r.plan.situation == "price_value"
    # "结果" brings the outcome: the broken bottle, not the two days' wait.
    r = draft(drafter, "等了两天才发货，结果收到的时候瓶子碎了", id="t2")
    assert r.plan.situation == "damaged_package"


def test_a_quote_ends_at_an_ascii_full_stop_after_chinese(drafter):
    # Typed with ASCII punctuation: the quote stops at the full stop, before the sarcastic question.
    r = draft(drafter, "精华的泵头坏了...这是新设计吗?")
    assert "你说精华的泵头坏了，" in r.reply.text and "新设计" not in r.reply.text


def test_a_complaint_naming_two_problems_is_answered_on_both(drafter):
    r = draft(drafter, "等了十天才到货，打开发现瓶子漏液了，客服也不回复")
    assert r.plan.situation == "delivery" and "久等" in r.reply.text
    second = r.reply.text.split("另外，")[-1]
    assert "包装破损" in second and "客服服务" in second and "“" not in r.reply.text  # named, never quoted
    # A worry put as a question is never restated: "你提到的'是不是变质了'" reads as conceding it.
    r = draft(drafter, "这次的精华颜色比之前黄很多，味道也不一样，是不是变质了？", id="t2")
    assert "变质" not in r.reply.text
    # Named neutrally, never in the commenter's words: no exclamation, no sarcasm said back.
    r = draft(drafter, "面霜质地很黏，居然还让我等了十天才到", id="t4")
    assert "另外，" in r.reply.text and "居然" not in r.reply.text and "“" not in r.reply.text
    # One problem: nothing added.
    r = draft(drafter, "等了十天还没收到货，物流一直不更新", id="t3")
    assert "另外，" not in r.reply.text


def test_the_complaint_is_said_back_in_the_second_person(drafter):
    # Unquoted, "看到你说我要求里…" reads as the brand speaking of itself: the commenter's "我" is "你".
    r = draft(drafter, "我要求里写了要安静的房间，结果隔壁吵了一整晚", context=UNDER_A_NOTE)
    assert "你说你要求里写了要安静的房间" in r.reply.text or "你说结果隔壁吵了一整晚" in r.reply.text
    assert "你说我" not in r.reply.text


def test_praise_then_a_defect_answers_the_defect_and_quotes_it(drafter):
    r = draft(drafter, "物流到是挺快的…就是精华有坏的，而且还特别黏")
    assert r.plan.situation == "quality_defect"
    assert "久等" not in r.reply.text and "物流" not in r.reply.text
    assert "精华有坏的" in r.reply.text


def test_a_reply_never_quotes_the_praise_back_as_the_problem(drafter):
    r = draft(drafter, "东西非常不错，就是瓶子漏液了，盒子都湿了")
    assert r.plan.situation == "damaged_package"
    assert "非常不错" not in r.reply.text


def test_a_reaction_after_use_in_words_the_lexicon_lacks_is_a_safety_case(drafter):
    r = draft(drafter, "用这洗发水后头皮直痒")
    assert r.triage.severity == 3 and r.plan.situation == "allergy_reaction"
    assert "停用" in r.reply.text


def test_a_condition_the_buyer_had_before_buying_is_not_a_reaction_to_the_product(drafter):
    r = draft(drafter, "换季脸泛红急用才买的，等了十天还没到，物流一直不更新")
    assert r.triage.severity < 3


def test_a_quantity_complaint_to_a_skincare_brand_gets_a_quantity_answer(drafter):
    r = draft(drafter, "才这么一点点，分量太少了，用不了几次")
    assert r.plan.situation == "size_fit"
    assert "尺码" not in r.reply.text and "规格" in r.reply.text


def test_an_insult_at_a_group_is_not_answered_with_an_apology(drafter):
    r = draft(drafter, "男人这种事一半都处理不好")
    assert Violation.abuse in r.triage.violations
    assert r.plan.strategy != Strategy.apologize_resolve


def test_a_deal_offered_in_praise_words_is_still_extortion(drafter):
    r = draft(drafter, "删评可以，先发个两百块红包，你们自己看着办")
    assert r.triage.source == Source.extortion


# Read as a community manager on real comments (the drafts a person would never post).
def test_an_insult_at_a_group_gets_no_apology_and_no_order_lookup(drafter):
    r = draft(drafter, "亚裔还歧视黑人印度拉丁等少数族裔，哪来的自信和脸，这种态度")
    assert Violation.abuse in r.triage.violations and r.plan.strategy == Strategy.neutral_rebuttal
    # Reported with no public reply (or a neutral line): never an apology or an invitation to talk.
    assert r.reply is None or not any(w in r.reply.text for w in (*APOLOGY, "订单", "客服", "私信"))
    # the insult and the group sit in different clauses: a report never splices them into one quote
    assert r.appeal is None or "少数族裔，哪来的自信" not in r.appeal.explanation


def test_harsh_words_about_a_product_keep_a_customer_a_customer(drafter):
    r = draft(drafter, "预装vista太垃圾，分区太脑残了，希望早日全深圳派送")
    assert r.triage.source == Source.genuine_experience and r.appeal is None
    assert "多条内容相近" not in r.reply.text


def test_a_rebuttal_never_claims_look_alike_comments_the_evidence_does_not_hold(drafter):
    r = draft(drafter, "什么垃圾牌子，骗子，大家避雷别买，不如买隔壁那家", author="路人乙")  # a rival named: a rebuttal
    assert r.plan.strategy == Strategy.neutral_rebuttal and not r.evidence.duplicate_cluster
    assert "多条" not in r.reply.text and "相近" not in r.reply.text


@pytest.mark.parametrize("text", ["吃完晚上就拉肚子了", "晚上闹肚子，吃了以后肚子疼"])
def test_a_stomach_upset_gets_the_any_category_health_reply_not_the_skin_one(drafter, text):
    r = draft(drafter, text)
    assert r.triage.severity == 3 and r.plan.situation == "allergy_reaction"
    assert "皮肤" not in r.reply.text and "就医" in r.reply.text and "停" in r.reply.text


def test_an_idiom_naming_a_symptom_is_not_a_reaction(drafter):
    r = draft(drafter, "不痛不痒的，没什么意思")
    assert r.plan.situation != "allergy_reaction" and "停用" not in r.reply.text


def test_a_quote_is_never_a_fragment_cut_inside_brackets_or_a_connective(drafter):
    r = draft(drafter, "在汕尾的酒店不多(上档次的)，还有就是卫生间特别小，晚上太吵")
    assert "(" not in r.reply.text and "还有就是" not in r.reply.text


def test_an_apology_says_nothing_about_an_order_nobody_found(drafter):
    r = draft(drafter, "送的太慢了，等了两个多小时", author="没下过单的人")
    assert not r.evidence.order_found and r.plan.situation == "delivery"
    assert "【待确认" not in r.reply.text and "私信" in r.reply.text


def test_an_apology_with_an_order_reports_its_status(drafter):
    r = draft(drafter, "等了十天还没收到货，物流一直不更新，太失望了", author="小鹿爱护肤")
    assert r.evidence.order_found and r.evidence.order["status"] in r.reply.text


def test_a_detailed_complaint_ending_in_dont_buy_is_a_customer_not_an_attack(drafter):
    r = draft(drafter, "电池不怎么样，一天就要充一次，信号不太好，我这个死机好几次，去找售后没法解决，建议大家别买这个机子！")
    assert r.triage.source == Source.genuine_experience and r.appeal is None
    assert r.plan.strategy == Strategy.apologize_resolve and "过敏" not in r.reply.text


@pytest.mark.parametrize("text", ["加床要260元，不然孩子没地方睡，太坑了", "不给我退这500块，我就投诉到消协",
                                  "产品有问题，赔我200元，不然我就投诉到12315"])
def test_a_price_or_a_complaint_to_the_authorities_is_never_extortion(drafter, text):
    """Naming a price, asking for compensation or going to 12315/消协 is a customer's right, not a deal to delete."""
    r = draft(drafter, text)
    assert r.triage.source == Source.genuine_experience
    assert r.plan.strategy == Strategy.apologize_resolve and "删评" not in r.reply.text


def test_an_uncomfortable_stay_is_no_health_complaint(drafter):
    r = draft(drafter, "房间无窗，像住地下室，电梯里的人很杂，总的来说住宿环境很不舒服")
    assert r.plan.situation != "allergy_reaction" and "就医" not in r.reply.text


def test_a_bare_warning_with_no_evidence_is_not_rebutted(drafter):
    """"智商税，割韭菜的牌子，快跑" alone could be a disappointed customer: without a cluster, the author's record,
    a claim the facts answer or a rival named, it gets no rebuttal."""
    r = draft(drafter, "智商税，割韭菜的牌子，快跑")
    assert r.plan.strategy != Strategy.neutral_rebuttal


def test_a_refund_that_never_arrived_is_chased_not_answered_with_the_return_policy(drafter):
    r = draft(drafter, "退货寄回去一个月了，退款还没到账")
    assert r.plan.situation == "refund_request" and r.plan.template == "ar_refund_late"
    assert "退款" in r.reply.text and "7天" not in r.reply.text and "无理由" not in r.reply.text
    asked = draft(drafter, "精华不想要了，能退吗", id="t2")  # asking to return still gets the policy
    assert asked.plan.template == "ar_refund_request" and "7天" in asked.reply.text
