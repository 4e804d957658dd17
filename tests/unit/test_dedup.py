import sqlite3

from agent.triage.dedup import CommentHistory, jaccard, shingles


def history() -> CommentHistory:
    return CommentHistory(sqlite3.connect(":memory:", check_same_thread=False))


BASE = "这个精华用了三天就烂脸了，大家千万别买，智商税！！"


def test_near_identical_comments_from_other_authors_form_a_cluster():
    h = history()
    h.add("b", "c1", BASE, "甲")
    h.add("b", "c2", BASE.replace("三天", "3天") + "😡", "乙")
    h.add("b", "c3", "这个精华用了三天就烂脸了，大家千万别买，智商税", "丙")
    h.add("b", "c4", "物流太慢了，等了半个月", "丁")
    assert sorted(h.cluster("b", "c1", BASE, "甲")) == ["c2", "c3"]


def test_one_author_repeating_is_not_a_cluster_of_accounts():
    h = history()
    for i in range(4):
        h.add("b", f"c{i}", BASE, "同一个人")
    assert h.cluster("b", "c0", BASE, "同一个人") == []


def test_traditional_and_simplified_copies_match():
    h = history()
    h.add("b", "c1", BASE, "甲")
    trad = "這個精華用了三天就爛臉了，大家千萬別買，智商稅！！"
    assert h.cluster("b", "c9", trad, "乙") == ["c1"]


def test_other_brands_and_short_texts_do_not_cluster():
    h = history()
    h.add("other", "c1", BASE, "甲")
    assert h.cluster("b", "c2", BASE, "乙") == []
    h.add("b", "c3", "差评", "甲")
    assert h.cluster("b", "c4", "差评", "乙") == []


def test_adding_twice_is_idempotent_and_author_history_is_kept():
    h = history()
    h.add("b", "c1", BASE, "甲")
    h.add("b", "c1", BASE, "甲")
    h.add("b", "c2", "另一条评论内容完全不同", "甲")
    assert h.by_author("b", "甲", exclude="c2") == ["c1"]


def test_jaccard_of_shingles():
    assert jaccard(shingles(BASE), shingles(BASE)) == 1.0
    assert jaccard(shingles(BASE), shingles("完全无关的一句话呢")) < 0.1
