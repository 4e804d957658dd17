"""agent.sources threads: parent and root links, orphans, loops, brand replies, thread_for and fit_thread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.sources import (
    ImportedComment,
    Note,
    context_of,
    estimate_tokens,
    fit_thread,
    message_tokens,
    read_any,
)
from agent.sources.models import MESSAGE_OVERHEAD, ThreadIndex
from agent.sources.threads import link

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
A = "67c2a0010000000012004a"
E = "67c5d004000000001200ae"
D = "67c4c0030000000012006d"
BRAND = "5f1a0c3e000000000100a001"


def _links(result, prefix_len=-4):
    def short(x):
        return x[prefix_len:] if x else None
    return {c.id[prefix_len:]: (short(c.parent_id), short(c.root_id), c.orphan, c.is_brand) for c in result.comments}


def _thread(result, cid):
    return [c.id[-4:] for c in result.thread_for(cid)]


@pytest.fixture(scope="module")
def mc():
    return read_any(FIXTURES / "search_comments_2026-03-04.jsonl")


@pytest.fixture(scope="module")
def api():
    return read_any(FIXTURES / "xhs_web_api_comments.json")


def test_three_deep_orphan_and_brand_reply_in_the_middle(mc):
    assert _links(mc) == {
        "4a01": (None, None, False, False),
        "4a02": ("4a01", "4a01", False, True),  # the brand's reply, in the middle of the thread
        "4a05": (None, None, False, False),
        "4a03": ("4a02", "4a01", False, False),
        "4a04": ("4a03", "4a01", False, False),  # three deep
        "4a06": ("4aff", "4aff", True, False),  # its parent is not in the file: kept, orphan
        "4a07": ("4a06", "4aff", False, False),  # under the orphan: same thread, not an orphan itself
        "4a11": (None, None, False, False),
        "4b08": (None, None, False, False),
        "4b09": (None, None, False, False),
        "4b10": ("4b08", "4b08", False, True),  # the note's author replied
    }


def test_thread_for_gives_the_earlier_messages_root_first(mc):
    assert _thread(mc, A + "04") == ["4a01", "4a02", "4a03"]
    assert _thread(mc, A + "03") == ["4a01", "4a02"]
    assert _thread(mc, A + "01") == []  # a thread's first comment has nothing before it
    assert _thread(mc, A + "05") == []  # a comment under the same note is not the same thread
    assert _thread(mc, A + "07") == ["4a06"]  # the orphan's thread starts at what is in the file
    assert [c.is_brand for c in mc.thread_for(A + "03")] == [False, True]
    with pytest.raises(KeyError):
        mc.thread_for("nope")


def test_to_answer_leaves_out_the_brands_replies(mc):
    assert [c.id[-4:] for c in mc.to_answer() if c.note_id and c.parent_id] == ["4a03", "4a04", "4a06", "4a07"]


def test_earlier_replies_on_another_branch_of_the_same_thread_are_included():
    r = read_any(FIXTURES / "detail_comments_2026-03-06.csv")
    assert _thread(r, D + "04") == ["6d01", "6d02", "6d03"]  # siblings answering the same root, in time order


def test_nested_sub_comments_are_flattened_with_their_links(api):
    assert _links(api) == {
        "ae01": (None, None, False, False),
        "ae02": ("ae01", "ae01", False, True),  # nested, no target_comment: answers the comment it is nested in
        "ae03": ("ae02", "ae01", False, False),  # target_comment names the brand's reply
        "ae04": ("ae03", "ae01", False, True),  # three deep, show_tags is_author
        "ae05": (None, None, False, False),
        "ae06": (None, None, False, False),
        "ae07": ("aeff", "ae06", True, False),  # target not in the file: orphan, root from its nesting
    }
    assert _thread(api, E + "04") == ["ae01", "ae02", "ae03"]
    assert _thread(api, E + "07") == ["ae06"]


def test_brand_accounts_match_by_id_and_by_nickname_only_without_an_id():
    path = FIXTURES / "detail_comments_2026-03-06.csv"
    plain = {c.id[-4:]: c.is_brand for c in read_any(path).comments}
    assert plain == {"6d01": False, "6d02": False, "6d03": False, "6d04": False, "6d05": False}
    named = {c.id[-4:]: c.is_brand for c in
             read_any(path, brand_accounts=frozenset({BRAND, "GlowSkin官方旗舰店"})).comments}
    # 6d02: the brand's user id; 6d03: the brand's nickname on another user's id (impersonation) is not the brand;
    # 6d04: the brand's nickname and no author id at all
    assert named == {"6d01": False, "6d02": True, "6d03": False, "6d04": True, "6d05": False}
    by_name_only = {c.id[-4:]: c.is_brand for c in
                    read_any(path, brand_accounts=frozenset({"GlowSkin官方旗舰店"})).comments}
    assert by_name_only == {"6d01": False, "6d02": False, "6d03": False, "6d04": True, "6d05": False}


def _c(cid, parent=None, t=None, **kw):
    return ImportedComment(id=cid, text=f"评论{cid}", parent_id=parent, posted_at=t, **kw)


@pytest.mark.timeout(10)
def test_loops_of_reply_links_end_and_are_broken_at_the_earliest_comment():
    comments = [_c("a", "b", "2026-03-01T00:00:02Z"), _c("b", "a", "2026-03-01T00:00:01Z"),
                _c("c", "a", "2026-03-01T00:00:03Z"), _c("s", "s"), _c("t", "missing")]
    linked = {c.id: (c.parent_id, c.root_id, c.orphan) for c in link(comments, {})}
    assert linked == {"b": ("a", None, True), "a": ("b", "b", False), "c": ("a", "b", False),
                      "s": ("s", None, True), "t": ("missing", "missing", True)}
    index = ThreadIndex(link(comments, {}))
    assert [m.id for m in index.thread_for("c")] == ["b", "a"]


@pytest.mark.timeout(10)
def test_a_loop_in_a_file_imports(tmp_path):
    p = tmp_path / "loop_comments.jsonl"
    rows = [{"comment_id": "x", "content": "循环一", "note_id": "n", "create_time": 1772326800000, "parent_comment_id": "y"},
            {"comment_id": "y", "content": "循环二", "note_id": "n", "create_time": 1772326801000, "parent_comment_id": "x"}]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    r = read_any(p)
    assert [(c.id, c.root_id, c.orphan) for c in r.comments] == [("x", None, True), ("y", "x", False)]


def test_a_long_chain_does_not_recurse():
    comments = [_c("n0")] + [_c(f"n{i}", f"n{i - 1}") for i in range(1, 5000)]
    linked = link(comments, {})
    assert linked[-1].root_id == "n0" and not any(c.orphan for c in linked)
    assert len(ThreadIndex(linked).thread_for("n4999")) == 4999


def test_note_author_is_the_brand_only_by_user_id():
    note = Note(id="n", title="t", author_id="u-kol", author="小鹿")
    comments = [_c("a", note_id="n", author_id="u-kol"), _c("b", note_id="n", author="小鹿"),
                _c("c", note_id="n", author_id="u-other", author="小鹿")]
    assert [c.is_brand for c in link(comments, {"n": note})] == [True, False, False]


def test_ties_in_time_keep_file_order():
    comments = link([_c("r", t="2026-03-01T00:00:00Z"), _c("x", "r", "2026-03-01T00:00:05Z"),
                     _c("y", "r", "2026-03-01T00:00:05Z"), _c("z", "r", "2026-03-01T00:00:05Z")], {})
    assert [m.id for m in ThreadIndex(comments).thread_for("z")] == ["r", "x", "y"]


# ------------------------------------------------------------------ token budget

def test_estimate_tokens():
    assert estimate_tokens("") == 0
    assert estimate_tokens("私信也没人回") == 6
    assert estimate_tokens("hello world again") == 4  # 3 words / 0.75
    assert estimate_tokens("用了SK-II神仙水，脸红了") == 9 + 2  # 9 CJK incl. the full-width comma; 1 word → 2


def test_fit_thread_keeps_the_root_and_the_latest_messages():
    thread = [_c(str(i), t=f"2026-03-01T00:00:0{i}Z") for i in range(6)]
    each = message_tokens(thread[0])
    assert each == estimate_tokens("评论0") + MESSAGE_OVERHEAD
    assert fit_thread(thread, each * 6) == thread
    assert [m.id for m in fit_thread(thread, each * 3)] == ["0", "4", "5"]
    assert [m.id for m in fit_thread(thread, each * 3 + each - 1)] == ["0", "4", "5"]
    assert [m.id for m in fit_thread(thread, each)] == ["0"]
    assert fit_thread([], 100) == [] and fit_thread(thread, 0) == []


def test_fit_thread_cuts_a_root_too_long_for_the_budget():
    root = ImportedComment(id="r", text="用了三天脸就开始泛红刺痛" * 20, author="小**鱼")
    fitted = fit_thread([root, _c("x")], 40)
    assert len(fitted) == 1 and fitted[0].text.endswith("…")
    assert message_tokens(fitted[0]) <= 40 < message_tokens(root)
    assert root.text.startswith(fitted[0].text[:-1])


def test_context_object_matches_the_output_contract(mc):
    comment = next(c for c in mc.comments if c.id == A + "03")
    ctx = context_of(comment, fit_thread(mc.thread_for(comment.id), 500))
    assert ctx == {
        "note": {"id": "6650a1b2000000001e03c4d1", "title": "急救焕肤精华液｜敏感肌一个月实测"},
        "parent_id": A + "02", "root_id": A + "01", "likes": 15, "pictures": [],
        "thread": [{"id": A + "01", "author": "小**鱼", "brand": False,
                    "text": "用了三天脸就开始泛红刺痛，这个精华到底适不适合敏感肌啊？现在下巴一片都是红的😭"},
                   {"id": A + "02", "author": "GlowSkin官方旗舰店", "brand": True,
                    "text": "抱歉给你带来不好的体验！建议先暂停使用，用清水洗净后观察，如果持续刺痛请及时就医。方便的话私信我们订单号，安排专人跟进～"}],
    }


def test_replies_to_a_skipped_comment_still_import_in_its_thread():
    r = read_any(FIXTURES / "xhs_web_api_comments.json", max_chars=20)  # ae01, ae02 and ae04 are longer
    assert [(e.line, e.message.split(":")[0]) for e in r.errors] == [
        (11, "comment is 25 characters; the limit is 20"), (11, f"reply {E}02"), (11, f"reply {E}04")]
    assert _links(r)["ae03"] == ("ae02", "ae01", True, False)  # root known from the nesting, though not imported
