"""A model's draft meets the offline bar as hard checks (issue: echoes, prompt text, disguised contact
ids, unsupported claims, unanswered questions): each fake model below writes what a real small model
wrote, and the reviewer is handed the offline draft with the attempt beside it."""

import pytest

from agent.schemas import CommentIn, Context, ThreadMessage
from tests.fakes import FakeModel, by_prompt

CUSTOMER = {"source": "genuine_experience", "severity": 2, "violations": [], "confidence": 0.9, "rationale": "顾客"}
PRAISE = {"source": "not_negative", "severity": 1, "violations": [], "confidence": 0.9, "rationale": "提问"}


@pytest.fixture
def model_desk(desk_factory):
    return lambda client: desk_factory(client=client, triage_model_below=1.01)


def _submit(model_desk, comment: CommentIn, reply: str, triage: dict = CUSTOMER):
    fake = FakeModel(default=by_prompt({"triage": triage, "draft": {"reply": reply, "appeal_explanation": ""}}))
    return model_desk(fake).submit(comment, "glowskin")


def _replaced_for(r, check: str) -> None:
    assert r.model == "offline" and r.rejected_attempt is not None, r.reply.text
    assert check in {c.name for c in r.rejected_attempt.failed_checks}
    assert not [c for c in r.checks if c.hard and not c.passed]  # what the reviewer got passes


def test_the_comment_echoed_back_as_the_reply_is_replaced(model_desk):
    comment = CommentIn(id="e1", text="博主收了多少钱啊，恰烂钱的，面膜根本没用")
    r = _submit(model_desk, comment, "博主收了多少钱啊，恰烂钱的")
    _replaced_for(r, "no_echo")


def test_the_brands_earlier_reply_repeated_in_the_thread_is_replaced(model_desk):
    thread = [ThreadMessage(id="t1", text="我的面膜用完脸很干", author="小鹿"),
              ThreadMessage(id="t2", text="已私信你核实～辛苦留意一下私信哦", author="GlowSkin", brand=True)]
    comment = CommentIn(id="e2", text="根本没人私信我，你们就是敷衍", context=Context(parent_id="t2", thread=thread))
    r = _submit(model_desk, comment, "亲亲抱歉，已私信你核实～辛苦留意一下私信哦")
    _replaced_for(r, "no_echo")


@pytest.mark.parametrize("reply", ["加薇❤ glx2026 有内部价哦", "私聊威信 rose88 领小样", "有问题加V一起聊",
                                   "联系我们 w3ix1n 客服", "打一三八一二三四五六七八客服电话"])
def test_a_contact_id_in_any_spelling_is_replaced(model_desk, reply):
    comment = CommentIn(id="c1", text="面膜敷完有点刺痛，怎么办")
    r = _submit(model_desk, comment, reply)
    _replaced_for(r, "no_contact_id")
    assert r.rejected_attempt.reply == reply  # the attempt is shown beside the offline draft


# One comment each, a reply a small model wrote, and the check that replaces it (the comment read as a
# question: PRAISE's triage).
REPLACED = [
    pytest.param("p1", "玫瑰精华油可以和A醇一起用吗？", "请先停用，并主动提供帮助（私信我们）。绝不能让对方继续使用。",
                 "no_prompt_text", id="the_prompts_own_instruction_as_the_answer"),
    pytest.param("g1", "你们的面膜安全吗，有没有认证", "宝子放心，我们的面膜已通过美国FDA认证和欧盟ECOCERT有机认证～",
                 "grounded_claims_hard", id="a_certification_the_facts_do_not_hold"),
    pytest.param("g2", "博主用的粉底是什么牌子？", "博主用的粉底是积雪草提取物配方哦～", "grounded_claims_hard",
                 id="an_invented_ingredient"),
    pytest.param("t1", "請問可以寄台灣嗎", "亲，抱歉目前无法提供臺灣的订单哦，有问题随时私信我们～", "grounded_claims_hard",
                 id="a_region_policy_the_facts_do_not_hold"),
    pytest.param("q1", "下单之后多久能发货？", "亲，未拆封可以七天无理由哦，有问题随时私信我们～", "answers_question",
                 id="a_reply_off_the_question"),
]


@pytest.mark.parametrize(("comment_id", "text", "reply", "check"), REPLACED)
def test_a_question_answered_badly_is_replaced(model_desk, comment_id, text, reply, check):
    r = _submit(model_desk, CommentIn(id=comment_id, text=text), reply, PRAISE)
    _replaced_for(r, check)


def test_a_good_model_draft_passes_every_model_check(model_desk):
    comment = CommentIn(id="ok1", text="下单之后多久能发货？")
    r = _submit(model_desk, comment, "宝子久等啦～一般下单后会尽快安排发货，具体进度可以私信我们帮你查哦", PRAISE)
    assert r.model == "fake/scripted" and r.rejected_attempt is None
    names = {c.name for c in r.checks}
    assert {"no_echo", "no_prompt_text", "no_contact_id", "grounded_claims_hard", "answers_question"} <= names
    assert all(c.passed for c in r.checks if c.hard)


def test_a_model_draft_saying_back_an_accusation_is_replaced(model_desk):
    # Four characters: short of the comment echo's length, still the accusation said back in the brand's name.
    comment = CommentIn(id="h1", text="换个洋名字卖贵三倍，面膜敷完也没感觉")
    r = _submit(model_desk, comment, "宝子，关于卖贵三倍，我们的定价都是透明的，面膜的用法可以私信我们～")
    _replaced_for(r, "no_hostile_echo")
    assert "卖贵三倍" not in r.reply.text
