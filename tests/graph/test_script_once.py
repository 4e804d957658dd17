"""The script is chosen once, by the plan: the plan's JSON names the script the offline draft fills and the script
a model is shown as its example, so a reviewer reading `plan.template` reads what was drafted."""

import pytest
from rapidfuzz.fuzz import ratio

from agent.config import Settings
from agent.drafting.offline import fill
from agent.knowledge.brands import load_brand
from agent.knowledge.script_library import load_script_library
from agent.schemas import CommentIn
from tests.fakes import FakeModel, by_prompt

LIBRARY = load_script_library(Settings().knowledge_dir)

# Comments whose words' script gave way to a fitting one: another brand's goods praised, a call on the brand to
# explain with no case of the caller's own.
REFITTED = [
    ("glowskin", "完美日记那瓶粉底液也很服帖 混油皮放心冲", "ed_other_brand"),
    ("threadline", "优衣库的摇粒绒我穿了好几个冬天 还挺耐穿", "ed_other_brand"),
    ("glowskin", "@GlowSkin官方旗舰店 官方呢？出来说明一下", "ar_brief"),
    ("threadline", "@ThreadLine官方旗舰店 品牌方呢？给个交代", "ar_brief"),
]


def _drawn_from(text: str, lines: list[str]) -> bool:
    """`text` is one of `lines`, give or take the slot-level variation of its words."""
    return any(ratio(text, line) >= 80 for line in lines)


def _scripts_lines(template_id: str, brand: str) -> list[str]:
    entry = LIBRARY.reply(template_id)
    assert entry is not None
    return [fill(p, {"brand": load_brand(Settings().knowledge_dir, brand).name}) for p in entry.phrasings]


@pytest.mark.parametrize("brand, text, script", REFITTED, ids=[t[:8] for _, t, _ in REFITTED])
def test_the_plans_script_is_the_one_the_offline_draft_fills(drafter, brand, text, script):
    r = drafter.draft(CommentIn(id="s1", text=text), brand)
    assert r.plan.template == script
    assert r.reply is not None and _drawn_from(r.reply.text, _scripts_lines(script, brand))


@pytest.mark.parametrize("brand, text, script", REFITTED[::2], ids=[t[:8] for _, t, _ in REFITTED[::2]])
def test_the_plans_script_is_the_one_a_model_is_shown(desk_factory, brand, text, script):
    reply = {"reply": "谢谢你的留言，我们都看到了🙏 有想了解的欢迎私信我们～", "appeal_explanation": ""}
    fake = FakeModel(default=by_prompt({"draft": reply, "triage": {}}))
    r = desk_factory(client=fake).submit(CommentIn(id="s2", text=text), brand)
    assert r.plan.template == script and "DraftOut" in fake.schemas
    shown = fake.prompts_text().split("话术库范例（可以改写得更贴合评论）：")[1].splitlines()[0]
    assert _drawn_from(shown, _scripts_lines(script, brand)), shown
