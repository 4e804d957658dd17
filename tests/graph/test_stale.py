"""Stale drafts: the reviewer is warned when the brand facts or the conversation moved on after a draft."""

import shutil

from agent.schemas import CommentIn


def test_a_newer_comment_under_the_same_note_makes_the_older_draft_stale(desk_factory):
    desk = desk_factory()
    desk.submit(CommentIn(id="a", text="物流太慢了", note_title="精华笔记"), "glowskin")
    desk.submit(CommentIn(id="other", text="面膜好干", note_title="面膜笔记"), "glowskin")
    assert desk.stale_reasons(desk.queue.items()) == {}
    desk.accept([CommentIn(id="b", text="楼上说得对，我的也一样慢", note_title="精华笔记")], "glowskin")
    items = desk.queue.items()
    assert desk.stale_reasons(items) == {"a": "a newer comment (b) arrived under the same note after this draft"}
    assert desk.stale_reason(desk.queue.get("a")) == desk.stale_reasons(items)["a"]
    assert desk.stale_reason(desk.queue.get("other")) is None


def test_changed_brand_facts_make_every_draft_of_that_brand_stale(desk_factory, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(desk_factory().settings.knowledge_dir, knowledge)
    desk = desk_factory(knowledge_dir=knowledge)
    desk.submit(CommentIn(id="g1", text="物流太慢了"), "glowskin")
    desk.submit(CommentIn(id="t1", text="衣服起球了"), "threadline")
    facts = knowledge / "brands" / "glowskin" / "brand.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# 客服时间已更新\n", encoding="utf-8")
    assert desk.stale_reasons(desk.queue.items()) == {"g1": "the brand facts changed after this draft was made"}
