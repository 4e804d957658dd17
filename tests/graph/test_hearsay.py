"""A comment telling of nobody's own purchase or use (hearsay, a claim about a whole kind of goods) is answered calmly:
never a reaction conceded, a stop-use line, a refund or compensation, whoever drafts it."""

import pytest

from agent.schemas import CommentIn
from tests.fakes import FakeModel, by_prompt

NEVER = ("停用", "退款", "赔偿", "补偿", "就医", "过敏", "不适的情况", "订单号")

HEARD = [
    ("glowskin", "听说这家精华都加了激素 刚开始用皮肤特别好 一停就反弹爆痘"),
    ("glowskin", "网上说GlowSkin的面膜含荧光剂 敷完脸白都是假象 用久了会烂脸"),
    ("threadline", "有人说这种亚麻衬衫都是甲醛泡过的 穿了身上会起疹子"),
]


@pytest.mark.parametrize("brand, text", HEARD, ids=[t[:6] for _, t in HEARD])
def test_hearsay_never_gets_a_reaction_conceded_a_stop_use_line_or_a_refund(drafter, brand, text):
    r = drafter.draft(CommentIn(id="h1", text=text), brand)
    assert r.reply is not None
    assert not any(w in r.reply.text for w in NEVER), r.reply.text
    assert all(c.passed for c in r.checks if c.name in ("nothing_conceded_unused", "reaction_care"))


def test_a_first_hand_reaction_beside_hearsay_still_gets_its_care(drafter):
    r = drafter.draft(CommentIn(id="h2", text="听说这精华有激素 我用了三天脸就红肿刺痛了"), "glowskin")
    assert r.reply is not None and "停用" in r.reply.text


def test_a_model_conceding_a_reaction_to_hearsay_is_replaced_by_the_offline_draft(desk_factory):
    conceding = {"reply": "抱歉让你用后过敏了😣 请先停用，私信我们订单号，核实后全额退款。", "appeal_explanation": ""}
    fake = FakeModel(default=by_prompt({"draft": conceding, "triage": {}}))
    r = desk_factory(client=fake).submit(CommentIn(id="h3", text=HEARD[0][1]), "glowskin")
    assert r.rejected_attempt is not None and "全额退款" in r.rejected_attempt.reply
    assert not any(w in r.reply.text for w in NEVER), r.reply.text
    assert all(c.passed for c in r.checks if c.name == "nothing_conceded_unused")
