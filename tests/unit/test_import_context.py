"""An imported comment as the drafting pipeline's input: its note, its place and its thread, within the budget."""

from __future__ import annotations

from pathlib import Path

from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn, Context, DraftResult
from agent.sources import ImportedComment, estimate_tokens, read_any
from agent.sources.models import THREAD_TOKENS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
A = "67c2a0010000000012004a"


def _mc():
    return read_any(FIXTURES / "search_comments_2026-03-04.jsonl")


def test_a_follow_up_carries_its_note_its_place_and_the_brands_earlier_reply():
    r = _mc()
    c = next(c for c in r.comments_in() if c.id == A + "03")
    assert (c.author_id, c.note_id, c.likes, c.reply_count) == ("5e8f11aa0000000001009a11",
                                                                "6650a1b2000000001e03c4d1", 15, 1)
    ctx = c.context
    assert ctx is not None and ctx.note is not None and ctx.note.id == "6650a1b2000000001e03c4d1"
    assert ctx.note.title and ctx.parent_id == A + "02" and ctx.root_id == A + "01"
    assert [(m.id[-4:], m.brand) for m in ctx.thread] == [("4a01", False), ("4a02", True)]
    assert ctx.has_brand_reply and "（品牌）：" in ctx.prompt_text()


def test_the_brands_replies_are_not_answered_but_pictures_and_likes_travel():
    r = _mc()
    ids = [c.id for c in r.comments_in()]
    assert A + "02" not in ids and len(ids) == len(r.to_answer())
    first = next(c for c in r.comments_in() if c.id == A + "01")
    assert first.context is not None and len(first.context.pictures) == 2 and first.context.likes == 25  # its later crawl
    assert first.context.thread == [] and first.context.parent_id is None


def test_a_long_thread_is_fitted_to_the_token_budget_keeping_its_root():
    msgs = [ImportedComment(id=f"m{i}", text="这瓶精华用了以后脸一直泛红刺痛，私信也没人回" * 3, author=f"用户{i}",
                            note_id="n1", note_title="急救焕肤精华液实测", is_brand=i % 4 == 1) for i in range(40)]
    c = msgs[-1].as_comment_in(msgs[:-1])
    assert c.context is not None
    kept = [m.id for m in c.context.thread]
    assert kept[0] == "m0" and kept[-1] == "m38" and len(kept) < 39
    assert estimate_tokens(c.context.prompt_text()) <= THREAD_TOKENS
    assert c.context.prompt_text().startswith("笔记：急救焕肤精华液实测\n")


def test_the_context_survives_the_queue_and_a_redreply_line_still_reads(tmp_path):
    c = next(c for c in _mc().comments_in() if c.id == A + "04")
    q = ReviewQueue(tmp_path / "queue.db")
    q.accept([c], "glowskin")
    stored = q.get(c.id).comment
    assert stored == c and stored.context is not None and len(stored.context.thread) == 3
    assert CommentIn(id="x", text="太慢了").context is None
    assert DraftResult.model_fields["context"].annotation == Context | None


def test_a_redreply_line_with_counts_and_ids_imports(tmp_path):
    p = tmp_path / "mine.jsonl"
    p.write_text('{"id": "r1", "text": "太慢了", "likes": "1.2万", "author_id": "u9", "note_id": "n1"}\n',
                 encoding="utf-8")
    c = read_any(p).comments_in()[0]
    assert (c.likes, c.author_id, c.note_id) == (12000, "u9", "n1")


def test_the_item_view_shows_the_note_the_thread_and_an_answered_message_left_out():
    from agent.review.views.item_view import reach_meta, thread_view

    r = _mc()
    orphan_reply = next(c for c in r.comments_in() if c.id == A + "07")  # under an orphan whose parent is missing
    view = thread_view(orphan_reply)
    assert view is not None and view.note and [m.parent for m in view.messages] == [True]
    orphan = next(c for c in r.comments_in() if c.id == A + "06")
    view = thread_view(orphan)
    assert view is not None and view.messages == [] and view.missing_parent == A + "ff"
    assert thread_view(CommentIn(id="x", text="太慢了")) is None
    assert reach_meta(orphan)[0].startswith("likes: ")
