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
