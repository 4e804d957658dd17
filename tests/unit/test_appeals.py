"""Appeals a compliance specialist would file: every factual line from recorded evidence, documents that
answer the claim, the right party, reasons that fit, one story with the reply; the case's outcome refusal."""

from __future__ import annotations

import pytest

from agent.cases.rules import Rung
from agent.cli import main
from agent.config import Settings
from agent.drafting.appeal_facts import gather
from agent.drafting.appeal_guard import appeal_checks, unsupported_statements
from agent.drafting.ladder import draft_rung
from agent.drafting.ladder_gates import proportionate
from agent.knowledge.brands import load_brand
from agent.review.casework.case_desk import CaseDesk
from agent.schemas import Appeal, Violation
from evals.appeals import AppealRow, draft_row
from tests.unit.test_cases import queued

SETTINGS = Settings()


def drafted(text: str, **record: object) -> tuple[str, Appeal | None]:
    key, appeal, _ = draft_row(AppealRow(id="t", brand="glowskin", text=text, reason="none", **record), SETTINGS)
    return key, appeal


@pytest.mark.parametrize("text", ["味道一般，价格偏贵，不会回购了", "博主收了多少钱啊，吹成这样",
                                  "用了两周没什么效果，有点失望"])
def test_civil_opinions_and_mild_jabs_are_never_reported(text):
    assert drafted(text) == ("none", None)


def test_a_redirect_without_a_contact_id_is_not_said_to_carry_one():
    key, appeal = drafted("看我主页，私我发链接")
    assert key == "spam_redirect" and appeal is not None
    assert "站外联系方式" not in appeal.explanation and "“私我发链接”" in appeal.explanation


def test_the_spread_is_stated_only_from_recorded_likes():
    _, none = drafted("这个精油汞超标，用了脸都黑了", likes=0)
    _, many = drafted("这个精油汞超标，用了脸都黑了", likes=320)
    assert none and "赞" not in none.explanation and "误解" not in none.explanation
    assert many and "该评论已有 320 个赞" in many.explanation


def test_the_order_check_names_its_key_and_is_left_out_without_one():
    _, keyless = drafted("这个精油汞超标，用了脸都黑了")
    _, by_name = drafted("这个精油汞超标，用了脸都黑了", author="路过的猫")
    assert keyless and "查询" not in keyless.explanation
    assert by_name and "按账号昵称「路过的猫」查询，未查到本品牌官方店铺的购买记录" in by_name.explanation


def test_a_heavy_metal_claim_asks_for_its_document_and_never_cites_the_patch_test():
    _, appeal = drafted("这个精油汞超标，用了脸都黑了")
    assert appeal is not None
    # glowskin maps heavy_metals to an id its file lacks: a blank, never an invented or unrelated report.
    assert "【待确认：重金属检测报告或监管部门抽检记录】" in appeal.explanation
    assert "斑贴" not in appeal.explanation and "斑贴" not in " ".join(appeal.evidence_checklist)


def test_an_allergy_rumor_cites_the_patch_test():
    _, appeal = drafted("听说这精华用了会过敏烂脸，三无小作坊灌装的，我朋友在厂里上班")
    assert appeal is not None and "人体皮肤斑贴试验" in appeal.explanation


def test_a_commenter_accusing_the_brand_of_infringing_goes_to_legal_review_not_a_report():
    assert drafted("这篇笔记的图片是我拍的，品牌方盗用我的图") == ("legal_review", None)


def test_an_ip_report_only_for_the_brands_own_marks():
    key, appeal = drafted("这个账号盗用GlowSkin官方图卖假货")
    assert key == "ip_infringement" and appeal is not None and "GlowSkin" in appeal.explanation


def test_extortion_gets_its_own_track_with_the_dm_evidence_and_the_police():
    key, appeal = drafted("转我两千块我就删，不然天天来你笔记下骂")
    assert key == "extortion" and appeal is not None and appeal.track == "extortion"
    assert any("私信" in c for c in appeal.evidence_checklist)
    assert any("公安" in s for s in appeal.next_steps)


@pytest.mark.parametrize("text, reason", [("义乌小作坊灌装的，我朋友在厂里上班", "rumor"),
                                          ("东北人都是骗子，他妈的别买", "abuse"),
                                          ("这个品牌支持台独，抵制", "rumor")])  # a stance made up about the brand
def test_reasons_that_fit(text, reason):
    assert drafted(text)[0] == reason


def test_the_posting_time_is_the_comments_own():
    _, appeal = drafted("这个精油汞超标，用了脸都黑了", posted_at="2026-10-02 21:14")
    assert appeal is not None and "评论发布于 2026-10-02 21:14" in appeal.explanation


def test_the_check_fails_statements_with_nothing_behind_them():
    from agent.schemas import Evidence, Source, Triage
    triage = Triage(source=Source.competitor_attack, severity=3, violations=[Violation.rumor], confidence=0.8)
    facts = gather(triage, Evidence(), "这个精油汞超标", None)
    bad = unsupported_statements("1. 经后台核实，未查询到该账号的购买记录。\n2. 已引起其他用户误解。", facts)
    assert len(bad) == 2
    checks = {c.name: c for c in appeal_checks("亲，已为你安排退款～", "品牌不在评论区作任何回应。", "汞超标", facts)}
    assert not checks["one_story"].passed and checks["one_story"].hard


def test_a_checklist_document_the_brand_file_lacks_is_a_blank():
    brand = load_brand(SETTINGS.knowledge_dir, "glowskin")
    assert "heavy_metals_2026" in brand.evidence_documents["heavy_metals"]
    assert brand.certification("heavy_metals_2026") is None  # the file names it but does not hold it


def test_an_outcome_on_a_rung_the_case_has_not_reached_is_refused(settings, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(settings.data_dir))
    desk = CaseDesk(settings)
    case_id = queued(desk, "rung-1", [Violation.rumor])
    assert main(["case", "submit", case_id, "--by", "amy"]) == 0
    capsys.readouterr()
    before = len(CaseDesk(settings).book.events())
    assert main(["case", "outcome", case_id, "--result", "rejected", "--rung", "legal_brief"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is at platform_report" in err and "Traceback" not in err
    assert len(CaseDesk(settings).book.events()) == before


def test_a_lone_unliked_comment_does_not_warrant_the_higher_rungs(desk):
    case = desk.book.get(queued(desk, "gate-1", [Violation.rumor]))
    data = desk.ladder_input(case)
    check = proportionate(Rung.complaint_email, data)
    assert not check.passed and check.blocks_approval and "点赞 0（需 ≥ 100）" in check.detail
    flood = desk.book.get(queued(desk, "gate-2", [Violation.flooding], cluster=[f"f-{i}" for i in range(6)]))
    assert proportionate(Rung.complaint_email, desk.ladder_input(flood)).passed  # 7 look-alikes ≥ 5


def test_a_rung_says_only_what_is_true_at_that_rung(desk):
    case = desk.book.get(queued(desk, "rung-2", [Violation.rumor]))
    text = draft_rung(Rung.account_manager, desk.ladder_input(case), SETTINGS.knowledge_dir)
    assert "均已备好" not in text and "还在准备、之后补发的证据" in text  # 0 of 5 ticked: nothing claimed attached
    assert "【待确认：随附的证据（证据清单还没有勾选任何一项：固定后再填）】" in text
    assert "【待确认：发布时间（rung-2）】" in text  # the import time is not when the comment was posted
    assert "扩散" not in text and "【待确认：传播情况" in text  # no likes recorded: no spread claimed


@pytest.mark.parametrize("text", ["出轨的男人最恶心，有一次就有第二次，早点离开吧",
                                  "只有男人才会这么想吧，我身边的女人都不这样",
                                  "天天骂傻逼的人，往往自己也好不到哪去",
                                  "那些人说“南方人都是劣等的”，这种地域歧视真该停了"])
def test_an_opinion_naming_a_group_or_mentioning_an_insult_is_not_reported_for_abuse(text):
    assert drafted(text) == ("none", None)


@pytest.mark.parametrize(("text", "quote"), [("河南人都是骗子，千万别信", "“河南人都是骗子”"),
                                             ("上海人恶心", "“上海人恶心”")])
def test_an_insult_at_a_group_is_reported_quoting_the_insult_not_the_groups_name(text, quote):
    key, appeal = drafted(text)
    assert key == "abuse" and appeal is not None and quote in appeal.explanation


def test_a_comment_that_does_not_concern_the_brand_goes_no_further_than_the_platform_report(desk):
    from agent.schemas import CommentIn
    from tests.factories import draft_result
    # "蠢货" holds "货" (goods) but speaks of no goods: still nothing of the brand's
    desk.queue.accept([CommentIn(id="offb", text="南方人就是比北方人小气，这是常识，不服的都是蠢货", author="路人戊",
                                 likes=8000)], "glowskin")
    result = draft_result("offb", violations=[Violation.abuse], appeal_reason=Violation.abuse,
                          cluster=[f"ob-{i}" for i in range(60)])
    desk.queue.store_draft(result)
    case_id = desk.book.open_for(result)
    assert case_id
    data = desk.ladder_input(desk.book.get(case_id))
    assert proportionate(Rung.platform_report, data).passed
    for rung in (Rung.second_report, Rung.account_manager, Rung.complaint_email, Rung.legal_brief,
                 Rung.regulator_12377, Rung.litigation):
        check = proportionate(rung, data)  # however many look-alikes: the brand is not the injured party
        assert not check.passed and check.blocks_approval and "评论与品牌无关" in check.detail, rung
    about = desk.book.get(queued(desk, "onb", [Violation.abuse]))
    assert proportionate(Rung.account_manager, desk.ladder_input(about)).passed


def test_posing_as_official_after_sales_with_a_qq_is_a_redirect_that_says_so_not_an_ip_report():
    key, appeal = drafted("退货找我就行，我是官方售后，加Q 918273645 马上给你退")
    assert key == "spam_redirect" and appeal is not None
    assert "冒充官方" in appeal.explanation and "GlowSkin官方旗舰店" in appeal.explanation
    assert "“加q 918273645”" in appeal.explanation.lower()


@pytest.mark.parametrize(("text", "quote", "not_quoted"), [
    ("手机就能做 兼职 日结 有意者加v abc12345", "“加v ab", "“兼职”"),  # the id as the excerpt masks it
    ("宝妈在家也能做 日结 主页有福利💰", "“主页有福利💰”", "“日结”"),
])
def test_a_redirect_report_quotes_the_contact_or_the_pointer_not_the_job_words(text, quote, not_quoted):
    key, appeal = drafted(text)
    assert key == "spam_redirect" and appeal is not None
    assert quote in appeal.explanation and not_quoted not in appeal.explanation


def test_a_marketplace_named_in_a_jab_is_no_redirect():
    assert drafted("闲鱼上的你也敢买来往脸上抹？") == ("none", None)


def test_a_rumor_report_quotes_the_false_claim_itself():
    key, appeal = drafted("这款精油汞超标，重金属严重超标，谁用谁中毒")
    assert key == "rumor" and appeal is not None and "“这款精油汞超标”" in appeal.explanation


def test_a_political_stance_made_up_about_the_brand_is_a_rumor_answered_by_its_statement():
    key, appeal = drafted("这家公司资助藏独，大家别买了")
    assert key == "rumor" and appeal is not None
    assert "“这家公司资助藏独”" in appeal.explanation and "【待确认：品牌就该说法的立场声明或澄清公告】" in appeal.explanation


def test_a_fibre_claim_is_answered_with_the_brands_fibre_report():
    _, appeal, _ = draft_row(AppealRow(id="t", brand="threadline", reason="rumor",
                                       text="号称亚麻其实就是涤纶混纺，我朋友在厂里上班，大家别被骗"), SETTINGS)
    assert appeal is not None and "纺织品纤维成分含量检测" in appeal.explanation
    assert "DEMO-GZXJ-2026-FC-0309" in appeal.explanation


def test_a_hormone_claim_is_never_answered_with_the_patch_test():
    key, appeal = drafted("据说这精华偷偷加了激素，停用就烂脸，姐妹们快停")
    assert key == "rumor" and appeal is not None
    assert "斑贴" not in appeal.explanation and "【待确认：激素类物质检测报告】" in appeal.explanation
    assert not any("斑贴" in c for c in appeal.evidence_checklist)


def test_the_platform_is_pointed_at_documents_only_when_some_are_listed():
    key, appeal = drafted("这牌子被罚了，老板已经跑路，别买了")
    assert key == "rumor" and appeal is not None
    assert "可核实的资料" not in appeal.explanation and "上述资料" not in appeal.explanation
    _, listed = drafted("这个精油汞超标，骗子公司")
    assert listed is not None and "可核实的资料" in listed.explanation and "上述资料" in listed.explanation


@pytest.mark.parametrize("text", ["这精油擦哪都行吧😏 想找人帮我按摩全身 特别是那里🍆 看我主页",
                                  "这模特衬衫里面是不是什么都没穿啊 嘿嘿 滴滴我"])
def test_lewd_remarks_are_reported_as_porn_even_with_a_redirect(text):
    assert drafted(text)[0] == "porn"


@pytest.mark.parametrize("text", ["用了你们面膜脸上直接起疹子，医药费和误工费赔我1000，不然我天天来发",
                                  "裤子我真买了（TL2026100001），穿一次就起球。赔我三倍价钱我就删差评，不然全网曝光"])
def test_a_customers_claim_for_compensation_is_not_reported_as_extortion(text):
    assert drafted(text) == ("none", None)


def test_money_for_deleting_is_still_extortion_and_a_demand_is_not_called_a_deal_to_delete():
    key, appeal = drafted("转我三百，我就删评论，不然继续发")
    assert key == "extortion" and appeal is not None and "删除评论的条件" in appeal.explanation
    key, appeal = drafted("不给我打一万块就把你们挂到网上，天天来刷")
    assert key == "extortion" and appeal is not None
    assert "删除评论" not in appeal.explanation and "索要钱款" in appeal.explanation


def test_a_rash_after_use_is_a_customers_report_not_a_rumor():
    assert drafted("甲醛超标了吧 穿了半天胳膊起了一片红疹 这种衣服别买") == ("none", None)


@pytest.mark.parametrize("text", ["你给你妈妈把把关，可千万别是杀猪盘",  # a kinship word, not profanity
                                  "为什么因为一个河南人去地域黑整个河南人？我作为河南人很不理解",  # the act named
                                  "前几天被提名全球最英俊男人，我真的是恶心到了",  # the commenter's own feeling
                                  "一看到是男人写的就感觉到恶心"])
def test_a_lexicon_word_that_insults_nobody_grounds_no_abuse_report(text):
    assert drafted(text)[0] == "none", text


@pytest.mark.parametrize("text", ["女人也是真的恶心，一口一个颠倒黑白", "你妈的，这都什么人"])
def test_an_insult_beside_those_words_is_still_reported(text):
    assert drafted(text)[0] == "abuse", text


def test_a_rung_past_the_report_for_a_comment_off_the_brand_is_a_note_not_a_complaint(desk):
    from agent.schemas import CommentIn
    from tests.factories import draft_result
    desk.queue.accept([CommentIn(id="offn", text="南方人就是比北方人小气，这是常识", author="路人戊")], "glowskin")
    result = draft_result("offn", violations=[Violation.abuse], appeal_reason=Violation.abuse)
    desk.queue.store_draft(result)
    data = desk.ladder_input(desk.book.get(desk.book.open_for(result)))
    for rung in (Rung.brand_backend, Rung.account_manager, Rung.complaint_email, Rung.legal_brief,
                 Rung.regulator_12377, Rung.litigation):
        text = draft_rung(rung, data, SETTINGS.knowledge_dir)
        assert text.startswith("【不建议升级") and "不是受害方" in text, rung
        assert "名誉权" not in text and "恳请" not in text and "南方人" not in text, rung
    about = desk.ladder_input(desk.book.get(queued(desk, "onn", [Violation.abuse])))  # names the brand's goods
    assert draft_rung(Rung.account_manager, about, SETTINGS.knowledge_dir).startswith("主题：【GlowSkin】")


@pytest.mark.parametrize("text", [
    "作为男的也觉得约炮很恶心",  # condemned
    "我觉得这种随便约炮的男女都挺让人反感的",
    "以前看过新闻，约炮变强奸的案子警方会反复盘问",  # a case told
    "酒店半夜总有色情电话打进房间，投诉了也没用",  # a kind of content named, in a complaint
    "不喜欢约炮这个词，听着就低俗",  # the word discussed
])
def test_sexual_content_talked_about_is_not_reported_as_porn(text):
    assert drafted(text) == ("none", None)


@pytest.mark.parametrize("text", ["胸这么大，约吗", "同城约，私我看裸照", "博主身材真骚，想睡"])
def test_sexual_content_offered_or_aimed_at_someone_is_still_porn(text):
    assert drafted(text)[0] == "porn"


@pytest.mark.parametrize("text", [
    "蓄意挑起民族问题辱骂新疆，我觉得你不仅卖国而且还乱给别人扣盆子",  # a label thrown in an argument
    "后来那个卖国的塘沽协定是谁签署的？历史课没学吗",  # a page of history
    "那边当局这些官老爷，有预谋地歧视大陆游客",
])
def test_a_political_label_in_talk_that_does_not_concern_the_brand_is_not_reported(text):
    assert drafted(text) == ("none", None)


@pytest.mark.parametrize("text", ["太他妈的慢了，等了一个半小时", "每次买他妈的东西都要排半天队",
                                  "这面膜真他妈难用，敷完还是干"])
def test_a_swear_word_grading_a_complaint_is_not_an_insult_at_anyone(text):
    assert drafted(text) == ("none", None)


def test_a_disgust_word_before_the_lewd_words_does_not_make_them_talk():
    assert drafted("发自内心恶心的老男人，就爱看少女裸体，懂了吧")[0] == "porn"


def test_a_site_named_in_a_complaint_grounds_no_redirect_report():
    assert drafted("客服电话一直打不通 官网 www.ctrip.com 上也查不到订单") == ("none", None)


def test_a_counterfeit_hoped_against_grounds_no_rumour_report():
    assert drafted("赠品都送完了，希望别买到假货") == ("none", None)
