"""The action routes the workflow: a comment left alone is drafted nothing and waits outside the to-do queue
until a reviewer brings it back; a reported one gets its appeal and no public reply."""

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
