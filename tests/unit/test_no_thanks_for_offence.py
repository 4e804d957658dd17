"""A thank-you needs praise of the brand or its goods: text about violence, sexual violence or hate is never thanked
(a hard check on any draft), and drafted on its own such a comment is left, not thanked or answered."""

import pytest

from agent.config import Settings
from agent.drafting.guardrails import CheckInput, hard_failures, run_checks
from agent.knowledge.brands import load_brand
from agent.schemas import Action, Source
from tests.unit.test_offtopic_actions import action

GLOWSKIN = load_brand(Settings().knowledge_dir, "glowskin")
THANKS = "宝子被夸了好开心🥰 谢谢你的喜欢，我们会继续努力的～"
VIOLENT = ["战俘营里活埋了上千人，看完浑身发冷", "那帮人把邻村的姑娘轮奸了，真是畜生", "饥荒那几年村里有人吃人"]


def checks(reply: str, comment: str, act: Action | None = Action.thank):
    return run_checks(CheckInput(reply=reply, comment=comment, comment_script="zh-Hans",
                                 source=Source.not_negative, pii=[], brand=GLOWSKIN, action=act))


@pytest.mark.parametrize("comment", VIOLENT)
def test_a_thank_you_under_violence_fails_a_hard_check(comment):
    for act in (Action.thank, None):  # the thank action, or a draft that thanks for praise whatever its action
        assert any(c.name == "no_thanks_for_offence" for c in hard_failures(checks(THANKS, comment, act)))
    assert not hard_failures(checks(THANKS, "精华用了一个月，脸稳定多了，回购！"))  # praise of the brand is thanked


@pytest.mark.parametrize("comment", ["那帮人把邻村的姑娘轮奸了，真是畜生", "他们饿到吃人肉，真的太厉害了，佩服"])
def test_violence_naming_nothing_of_the_brands_is_left(comment):
    assert action(comment)[0] == Action.leave
