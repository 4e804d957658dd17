"""Replies under one note never read as one reply said twice: in a batch, at the desk, and from a model."""

import time
from itertools import combinations

from agent.drafting.variety import NEAR_IDENTICAL, similarity
from agent.review.store.queue import now
from agent.review.store.recent import recent_replies
from agent.schemas import CommentIn, Context, NoteRef, ReviewDecision
from tests.fakes import FakeModel, by_prompt

NOTE = Context(note=NoteRef(id="note-serum", title="急救精华上新"))
WAITING = ["等了十天还没收到货，物流一直不更新", "快递怎么这么慢，一周了还没到", "下单好久了还没收到，到底什么时候到",
           "物流好慢啊，等了半个月还没到货", "还没收到货，物流卡在那里不动了"]
CUSTOMER = {"source": "genuine_experience", "severity": 1, "violations": [], "confidence": 0.9, "rationale": "顾客"}


def _under_note(prefix: str, texts: list[str]) -> list[CommentIn]:
    return [CommentIn(id=f"{prefix}{i}", text=t, context=NOTE) for i, t in enumerate(texts)]


def _batch(desk, comments: list[CommentIn]) -> dict[str, str]:
    desk.accept(comments, "glowskin")
    replies: dict[str, str] = {}
    desk.draft_all([c.id for c in comments], concurrency=4,
                   on_done=lambda i, r, e: replies.__setitem__(i, r.reply.text) if r and r.reply else None)
    return replies


def test_parcel_waiters_under_one_note_get_replies_no_two_alike_the_same_on_a_rerun(desk_factory, tmp_path):
    replies = _batch(desk_factory(), _under_note("w", WAITING))
    assert len(replies) == len(WAITING)
    alike = [(a, b) for a, b in combinations(replies.values(), 2) if similarity(a, b) >= NEAR_IDENTICAL]
    assert not alike, alike
    # Seeded by the comment id and steered by the same earlier replies: a rerun drafts the same replies.
    assert _batch(desk_factory(data_dir=tmp_path / "again"), _under_note("w", WAITING)) == replies


def test_the_desk_sees_the_replies_already_given_under_the_note(desk_factory):
    desk = desk_factory()
    first = desk.submit(_under_note("d", WAITING[:1])[0], "glowskin")
    desk.decide(first.id, ReviewDecision(action="edit", reviewer="amy", reply_text="宝子久等啦，私信订单号我们帮你催～"))
    elsewhere = CommentIn(id="other-note", text="快递太慢了吧", context=Context(note=NoteRef(id="note-mask")))
    desk.submit(elsewhere, "glowskin")
    second = _under_note("e", WAITING[1:2])[0]
    desk.accept([second], "glowskin")
    seen = recent_replies(desk.queue, desk.queue.get(second.id))
    assert seen.under_note == ["宝子久等啦，私信订单号我们帮你催～"]  # the team's final text, not the draft
    assert len(seen.brand_today) == 1  # the brand's reply under another note today
    result = desk.draft_item(second.id)
    check = next(c for c in result.checks if c.name == "not_repeated")
    assert check.passed and check.detail == "2 earlier replies compared"


def test_a_model_repeating_an_earlier_reply_under_the_note_is_replaced(desk_factory):
    same = "宝子久等啦🙏 麻烦私信我们订单号，我们马上帮你催一下物流～"
    fake = FakeModel(default=by_prompt({"triage": CUSTOMER, "draft": {"reply": same, "appeal_explanation": ""}}))
    desk = desk_factory(client=fake, triage_model_below=1.01)
    first, second = _under_note("m", WAITING[:2])
    assert desk.submit(first, "glowskin").reply.text == same  # nothing to repeat yet: the model's draft stands
    r = desk.submit(second, "glowskin")
    assert r.model == "offline" and r.rejected_attempt is not None and r.rejected_attempt.reply == same
    assert "not_repeated" in {c.name for c in r.rejected_attempt.failed_checks}
    assert similarity(r.reply.text, same) < NEAR_IDENTICAL
    assert "<recent>\n- " + same in fake.prompts_text()  # the model was told what not to repeat


def test_a_desk_on_another_machine_sees_the_replies_the_first_gave(settings, shared_store, desk_database_url):
    """The replies to steer away from are read from the desk's database: on PostgreSQL, a desk with another
    data directory sees the replies the first desk gave under the note, as one desk does on SQLite."""
    from agent.review.service import ReviewDesk

    dirs = ("a", "b") if desk_database_url else ("a", "a")  # SQLite: one data directory's database, two processes
    a, b = (ReviewDesk(settings.with_overrides(data_dir=settings.data_dir / d, database_url=desk_database_url),
                       store=shared_store) for d in dirs)
    try:
        first = a.submit(_under_note("d", WAITING[:1])[0], "glowskin")
        second = _under_note("e", WAITING[1:2])[0]
        b.accept([second], "glowskin")
        seen = recent_replies(b.queue, b.queue.get(second.id))
        assert seen.under_note == [first.reply.text]
    finally:
        a.close()
        b.close()


SINGLES = ["快递怎么这么慢，一周了还没到", "收到的瓶子漏液了", "味道和上次买的不一样", "客服一直不回消息",
           "用了两周没什么效果", "包装压坏了", "少发了一个小样", "等了十天还没收到货"] * 3


def _singles(prefix: str) -> list[CommentIn]:
    return [CommentIn(id=f"{prefix}{i}", text=t) for i, t in enumerate(SINGLES)]


def test_a_batch_of_single_comments_drafted_side_by_side_gives_the_same_drafts_on_a_rerun(desk_factory, tmp_path):
    # Each comment drafted alone is its own chain: four at once, finishing in any order.
    first = _batch(desk_factory(), _singles("s"))
    assert len(first) == len(SINGLES)
    assert all(_batch(desk_factory(data_dir=tmp_path / f"again{n}"), _singles("s")) == first for n in range(2))


def test_side_by_side_drafts_steer_from_the_day_as_it_stood_when_the_batch_began(desk_factory):
    desk = desk_factory()
    before = desk.submit(CommentIn(id="early", text="快递太慢了吧"), "glowskin")
    time.sleep(0.01)  # the queue's clock counts milliseconds
    began = now()
    during = desk.submit(CommentIn(id="during", text="物流好慢啊"), "glowskin")
    later = CommentIn(id="later", text="还没收到货")
    desk.accept([later], "glowskin")
    assert recent_replies(desk.queue, desk.queue.get("later")).brand_today == [during.reply.text, before.reply.text]
    assert recent_replies(desk.queue, desk.queue.get("later"), day_before=began).brand_today == [before.reply.text]
