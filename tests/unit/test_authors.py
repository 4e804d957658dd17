"""Who an author is, across imports: an id when the export has one, never a masked nickname."""

import sqlite3

from agent.triage.dedup import CommentHistory, author_key

BASE = "这个精华用了三天就烂脸了，大家千万别买，智商税！！"


def test_an_id_is_the_author_and_a_masked_nickname_is_nobody():
    assert author_key("小**鱼", "5e8f11aa") == "id:5e8f11aa"
    assert author_key("小**鱼") is None and author_key("  ") is None and author_key(None, " ") is None
    assert author_key("小鹿爱护肤") == "小鹿爱护肤"  # RedReply's own lines: an unmasked name is kept


def test_comments_sharing_only_a_masked_nickname_are_not_linked_or_clustered():
    h = CommentHistory(sqlite3.connect(":memory:", check_same_thread=False))
    h.add_many("b", [("c1", BASE, author_key("小**鱼", "u1"), "n"), ("c2", BASE + "!", author_key("小**鱼", "u2"), "n"),
                     ("c3", BASE + "!!", author_key("小**鱼"), "n")])
    assert h.by_author("b", author_key("小*鱼", "u1"), exclude="c9") == ["c1"]
    assert h.by_author("b", author_key("小**鱼"), exclude="c9") == []
    assert h.cluster("b", "c9", BASE, author_key("小**鱼"), note="n") == []  # an unknown author proves nothing
    assert sorted(h.cluster("b", "c1", BASE, author_key("小**鱼", "u1"), note="n")) == ["c2"]  # c3 has no author


def test_recording_the_same_comments_again_adds_nothing():
    h = CommentHistory(sqlite3.connect(":memory:", check_same_thread=False))
    rows = [("c1", BASE, "id:u1", "n"), ("c2", "物流太慢了，等了半个月", "id:u2", "n")]
    assert h.add_many("b", rows) == 2 and h.add_many("b", rows) == 0
