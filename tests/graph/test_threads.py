"""Drafting with the thread in view: a follow-up after the brand's own reply, the note in the retrieval, the prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.sources import read_any
from tests.fakes import FakeModel, by_prompt

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
A = "67c2a0010000000012004a"
FOLLOW_UP = A + "03"  # "私信也没人回，都两天了，到底有没有人管", after the brand's reply in its thread


@pytest.fixture(scope="module")
def imported():
    return {c.id: c for c in read_any(FIXTURES / "search_comments_2026-03-04.jsonl",
                                      brand_accounts=frozenset({"5f1a0c3e000000000100a001"})).comments_in()}


def test_a_follow_up_after_the_brands_reply_is_answered_as_a_follow_up(drafter, imported):
    comment = imported[FOLLOW_UP]
    assert comment.context is not None and comment.context.has_brand_reply
    first = drafter.draft(imported[A + "01"], "glowskin")  # the thread's first complaint
    follow = drafter.draft(comment, "glowskin")
    alone = drafter.draft(comment.model_copy(update={"id": "alone", "context": None}), "glowskin")
    assert follow.plan.situation == "follow_up" and alone.plan.situation != "follow_up"
    assert follow.reply.text not in (first.reply.text, alone.reply.text)  # no second identical apology
    assert "之前" in follow.reply.text and "跟进" in follow.reply.text  # it says the earlier promise was not kept
    assert "专人" in follow.reply.text and "私信" in follow.reply.text  # and how it is followed up now
    assert [c.name for c in follow.checks if not c.passed] == []
    assert follow.context == comment.context  # the output contract says what the draft took into account


def test_a_complaint_with_no_brand_reply_before_it_is_not_a_follow_up(drafter, imported):
    comment = imported[A + "01"]
    assert comment.context is not None and not comment.context.has_brand_reply
    assert drafter.draft(comment, "glowskin").plan.situation == "allergy_reaction"


def test_a_follow_up_describing_a_reaction_still_advises_pausing_use(drafter, imported):
    comment = imported[FOLLOW_UP].model_copy(update={"id": "fr", "text": "私信也没人回，脸还是又红又痒，起疹子了"})
    r = drafter.draft(comment, "glowskin")
    assert r.plan.situation == "follow_up" and "停用" in r.reply.text
    assert next(c for c in r.checks if c.name == "reaction_care").passed


def test_the_notes_title_joins_the_retrieval_query(drafter, imported):
    queries: list[str] = []
    store = drafter.deps.store
    real = store.search

    def spy(query, **kw):
        queries.append(query)
        return real(query, **kw)

    store.search = spy
    try:
        drafter.draft(imported[FOLLOW_UP], "glowskin")
    finally:
        del store.search
    title = imported[FOLLOW_UP].note_title
    assert title and queries and all(title in q and "私信也没人回" in q for q in queries)


def test_the_thread_is_in_the_models_prompt_with_the_brands_reply_marked(desk_factory, imported):
    reply = {"reply": "宝子，之前说好跟进却让你一直等，真的对不起🙏 今天会有专人私信联系你，进度也会在私信同步～",
             "appeal_explanation": ""}
    fake = FakeModel(default=by_prompt({"triage": {"source": "genuine_experience", "severity": 1, "violations": [],
                                                    "confidence": 0.9, "rationale": "追评"}, "draft": reply}))
    r = desk_factory(client=fake).submit(imported[FOLLOW_UP], "glowskin")
    assert r.reply.text == reply["reply"] and r.plan.situation == "follow_up"
    draft_prompt = fake.calls[-1][-1]["content"]
    assert "<thread>\n笔记：" in draft_prompt and imported[FOLLOW_UP].note_title in draft_prompt
    assert "小**鱼：用了三天脸就开始泛红刺痛" in draft_prompt
    assert "GlowSkin官方旗舰店（品牌）：抱歉给你带来不好的体验！" in draft_prompt
    assert "<comment>\n私信也没人回，都两天了，到底有没有人管\n</comment>" in draft_prompt


def test_the_appeal_lists_the_comments_pictures_as_evidence(drafter, imported):
    rumor = imported[A + "01"].model_copy(update={"id": "pic", "text": "听说GlowSkin精华含激素还致癌，大家千万别买！"})
    assert rumor.context is not None and len(rumor.context.pictures) == 2
    r = drafter.draft(rumor, "glowskin")
    assert r.appeal is not None and "评论附图（2 张）" in r.appeal.evidence_checklist
    bare = drafter.draft(rumor.model_copy(update={"id": "nopic", "context": None}), "glowskin")
    assert bare.appeal is not None and not any("附图" in c for c in bare.appeal.evidence_checklist)
