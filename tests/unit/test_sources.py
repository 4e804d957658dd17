"""agent.sources: every export shape recognised by its fields and read with the exact expected values."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from agent.errors import UserError
from agent.sources import FORMATS, ImportedComment, LineError, Note, read_any
from agent.sources.detect import detect

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
MC = FIXTURES / "search_comments_2026-03-04.jsonl"
BRAND = "5f1a0c3e000000000100a001"
N1, N2 = "6650a1b2000000001e03c4d1", "6650a1b2000000001e03c4d2"
PIC = "https://sns-img-qc.xhscdn.com/comment/"
A = "67c2a0010000000012004a"


def _build():
    spec = importlib.util.spec_from_file_location("sources_fixture_build", FIXTURES / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The binary fixtures (SQLite database, Excel workbook), built from the text ones."""
    out = tmp_path_factory.mktemp("sources-built")
    build = _build()
    return {"db": build.build_sqlite(out / "sqlite_tables.db"), "xlsx": build.build_xlsx(out / "spider_xhs.xlsx")}


def _ids(result):
    return [c.id for c in result.comments]


# ------------------------------------------------------------------ MediaCrawler JSON Lines + contents

def test_mediacrawler_jsonl_reads_every_field_and_joins_the_contents_file():
    r = read_any(MC)
    assert r.format == "mediacrawler_comments"
    assert r.errors == []
    assert r.notes_source == str(FIXTURES / "search_contents_2026-03-04.jsonl")
    assert _ids(r) == [A + s for s in ("01", "02", "05", "03", "04", "06", "07", "11")] + [
        "67c2a0010000000012004b08", "67c2a0010000000012004b09", "67c2a0010000000012004b10"]
    by = {c.id: c for c in r.comments}
    assert by[A + "01"] == ImportedComment(
        id=A + "01", text="用了三天脸就开始泛红刺痛，这个精华到底适不适合敏感肌啊？现在下巴一片都是红的😭",
        author="小**鱼", author_id="5e8f11aa0000000001009a11", note_id=N1, note_title="急救焕肤精华液｜敏感肌一个月实测",
        posted_at="2026-03-01T01:00:00Z", likes=25, reply_count=3, pictures=[PIC + "a01-1.jpg", PIC + "a01-2.jpg"],
        parent_id=None, root_id=None, is_brand=False, orphan=False, source_format="mediacrawler_comments")
    assert by[A + "02"].model_dump(include={"author", "author_id", "parent_id", "root_id", "is_brand", "likes"}) == {
        "author": "GlowSkin官方旗舰店", "author_id": BRAND, "parent_id": A + "01", "root_id": A + "01",
        "is_brand": True, "likes": 4}  # the note is the brand's own: its author's reply is the brand's
    assert by[A + "06"].author_id == "c7f3a9e2b81d4f60"  # a newer row: creator_hash, no user_id


def test_mediacrawler_values_seconds_or_ms_counts_pictures_and_top_level_markers():
    by = {c.id: c for c in read_any(MC).comments}
    assert by[A + "05"].posted_at == "2026-03-01T05:45:00Z"  # create_time in seconds (an older row)
    assert by[A + "01"].posted_at == "2026-03-01T01:00:00Z"  # in milliseconds
    assert by[A + "11"].likes == 12000 and by[A + "11"].parent_id is None  # "1.2万", parent_comment_id 0
    assert by["67c2a0010000000012004b08"].likes == 10 and by["67c2a0010000000012004b08"].parent_id is None  # "10+", "0"
    picture_only = by["67c2a0010000000012004b09"]
    assert (picture_only.text, picture_only.pictures) == ("[图片]", [PIC + "b09-1.jpg"])


def test_a_comment_crawled_twice_keeps_its_place_and_takes_the_later_row():
    lines = MC.read_text(encoding="utf-8").splitlines()
    assert sum(json.loads(line)["comment_id"] == A + "01" for line in lines) == 2
    first = read_any(MC).comments[0]
    assert (first.id, first.likes) == (A + "01", 25)  # like_count "23" on the first crawl, "25" on the second


def test_notes_are_joined_and_a_note_without_title_is_named_by_its_text():
    r = read_any(MC)
    assert r.notes[N1] == Note(
        id=N1, title="急救焕肤精华液｜敏感肌一个月实测",
        desc="换季皮肤一直泛红，坚持用了一个月急救焕肤精华液，记录一下每周的变化和用法 #敏感肌 #精华推荐",
        url="https://www.xiaohongshu.com/explore/" + N1, liked_count=34000, comment_count=862,
        tags=["敏感肌", "精华推荐", "换季护肤"], author_id=BRAND, author="GlowSkin官方旗舰店")
    title = r.notes[N2].display_title
    assert len(title) == 60 and title.endswith("…") and title.startswith("换季泛红怎么办？分享我最近在用的舒缓修护面膜")
    assert {c.note_title for c in r.comments if c.note_id == N2} == {title}


def test_the_contents_file_alone_reads_as_notes():
    r = read_any(FIXTURES / "search_contents_2026-03-04.jsonl")
    assert (r.format, r.comments, sorted(r.notes)) == ("mediacrawler_notes", [], [N1, N2])


def test_notes_path_names_the_notes_file_explicitly(tmp_path):
    lone = tmp_path / "export.jsonl"
    shutil.copy(MC, lone)
    assert read_any(lone).notes == {} and read_any(lone).comments[0].note_title is None
    r = read_any(lone, notes_path=FIXTURES / "search_contents_2026-03-04.jsonl")
    assert r.comments[0].note_title == "急救焕肤精华液｜敏感肌一个月实测"
    with pytest.raises(UserError, match="not a notes file"):
        read_any(lone, notes_path=FIXTURES / "redreply_comments.jsonl")


# ------------------------------------------------------------------ other MediaCrawler containers

def test_mediacrawler_indented_json_array():
    r = read_any(FIXTURES / "creator_comments_2026-03-05.json")
    assert (r.format, r.errors, r.notes_source) == ("mediacrawler_comments", [], None)
    assert [(c.id[-4:], c.parent_id, c.root_id, c.posted_at) for c in r.comments] == [
        ("5c01", None, None, "2026-03-05T01:50:00Z"),
        ("5c02", "67c3b0020000000012005c01", "67c3b0020000000012005c01", "2026-03-05T02:50:00Z"),
        ("5c03", "67c3b0020000000012005c02", "67c3b0020000000012005c01", "2026-03-05T03:50:00Z")]


def test_a_broken_element_of_a_json_array_is_reported_on_its_line_and_the_rest_imports(tmp_path):
    text = (FIXTURES / "creator_comments_2026-03-05.json").read_text(encoding="utf-8")
    broken = text.replace('"content": "油皮建议', '"content": 油皮建议', 1)
    p = tmp_path / "creator_comments_broken.json"
    p.write_text(broken, encoding="utf-8")
    r = read_any(p)
    bad_line = next(i for i, line in enumerate(broken.splitlines(), start=1) if '"content": 油皮建议' in line)
    assert [e.line for e in r.errors] == [bad_line] and "invalid JSON" in r.errors[0].message
    assert [c.id[-4:] for c in r.comments] == ["5c01", "5c03"]
    assert r.comments[1].orphan  # its parent was the broken element


def test_mediacrawler_csv_with_bom_multiline_content_and_its_contents_csv():
    r = read_any(FIXTURES / "detail_comments_2026-03-06.csv")
    assert (r.format, r.errors) == ("mediacrawler_comments", [])
    assert r.fields_seen[0] == "comment_id"  # the BOM is not part of the first header
    first = r.comments[0]
    assert first.text == "收到的面膜包装是破的，精华都漏了一半，\n客服说要拍视频才给处理，这也太麻烦了吧"
    assert (first.likes, len(first.pictures), first.note_title) == (1024, 3, "开箱｜GlowSkin 舒缓修护面膜真的适合熬夜党吗")
    last = r.comments[-1]
    assert (last.posted_at, last.likes, last.parent_id) == ("2026-03-06T04:00:00Z", 3000, None)  # seconds, "3千"
    assert r.notes_source.endswith("detail_contents_2026-03-06.csv")


def test_csv_rows_with_extra_cells_are_reported_by_line(tmp_path):
    p = tmp_path / "comments.csv"
    p.write_text("comment_id,content,note_id,create_time\n"
                 "a1,\"第一条，\n跨两行\",n1,1772762400\n"
                 "a2,多了一列,n1,1772762400,oops\n"
                 "a3,第三条,n1,1772762400\n", encoding="utf-8")
    r = read_any(p)
    assert [c.id for c in r.comments] == ["a1", "a3"]
    assert r.errors == [LineError(4, "this row has 1 more cells than the header")]


def test_sqlite_database_reads_like_the_jsonl_it_holds(built):
    r = read_any(built["db"])
    jsonl = read_any(MC)
    assert (r.format, r.errors, r.notes_source) == ("mediacrawler_comments", [], "sqlite:xhs_note")
    assert r.comments == jsonl.comments  # pictures JSON-encoded there, comma-joined in the JSONL
    assert r.notes == jsonl.notes


def test_sqlite_without_the_tables_names_what_it_has(tmp_path):
    p = tmp_path / "other.db"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE douyin_aweme_comment (comment_id TEXT)")
    conn.close()
    with pytest.raises(UserError, match="tables seen: douyin_aweme_comment"):
        read_any(p)


# ------------------------------------------------------------------ web API, Spider_XHS

def test_web_api_response_with_nested_sub_comments():
    r = read_any(FIXTURES / "xhs_web_api_comments.json")
    assert (r.format, r.errors) == ("xhs_web_api", [])
    assert [c.id[-4:] for c in r.comments] == ["ae01", "ae02", "ae03", "ae04", "ae05", "ae06", "ae07"]
    top = r.comments[0]
    assert top == ImportedComment(
        id="67c5d004000000001200ae01", text="用完下巴爆了好多闭口，是不是我不适合这个玫瑰精华油", author="敏感肌小***",
        author_id="5e8f11aa000000000100e101", note_id="6652e0bb000000001e0499c5", posted_at="2026-03-07T00:00:00Z",
        likes=56, reply_count=3, pictures=[PIC + "e01-1.jpg"], source_format="xhs_web_api")
    assert r.comments[5].likes == 15000  # "1.5w"


def test_spider_xhs_rows():
    r = read_any(FIXTURES / "spider_xhs_comments.json")
    assert (r.format, r.errors) == ("spider_xhs", [])
    assert [(c.posted_at, c.likes, c.is_brand, c.pictures) for c in r.comments] == [
        ("2026-03-07T13:30:05Z", 12000, False, [PIC + "f01-1.jpg"]),  # "2026-03-07 21:30:05" Beijing time
        ("2026-03-07T14:02:00Z", 10, True, []),  # show_tags ["is_author"], "10+"
        ("2026-03-08T00:15:40Z", 0, False, []),  # like_count ""
    ]
    assert r.comments[0].note_id == "6653f0cc000000001e05aad6" and r.comments[0].author == "十**月"


def test_spider_xhs_excel_with_chinese_headers(built):
    r = read_any(built["xlsx"])
    assert r.format == "spider_xhs_excel"
    assert r.errors == []  # row 4 of the sheet has no text: imported, marked, and left by the plan
    assert [(c.id[-4:], c.author, c.author_id[-4:], c.likes, c.posted_at, c.pictures) for c in r.comments][:2] == [
        ("7f11", "晴**", "f111", 35, "2026-03-08T02:00:00Z", [PIC + "f11-1.jpg"]),
        ("7f12", "不**吃香菜", "f112", 23000, "2026-03-08T04:30:00Z", [])]
    assert [c.text for c in r.comments][2:] == ["[无文字]"]
    assert "评论内容" in r.fields_seen


def test_excel_date_cells_and_numbers(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["评论id", "评论内容", "点赞数量", "上传时间"])
    book.active.append(["x1", "面膜很好用", 12.0, datetime(2026, 3, 8, 10, 0, 0)])
    book.save(tmp_path / "c.xlsx")
    c = read_any(tmp_path / "c.xlsx").comments[0]
    assert (c.likes, c.posted_at) == (12, "2026-03-08T02:00:00Z")


# ------------------------------------------------------------------ RedReply's own shape

def test_redreply_shape_still_reads_through_the_same_entry_point():
    r = read_any(FIXTURES / "redreply_comments.jsonl")
    assert r.format == "redreply"
    assert r.comments[0] == ImportedComment(
        id="c-001", text="用了你们的精华脸又红又痒，怎么回事？", author="小**鱼", note_title="急救焕肤精华液实测",
        posted_at="2026-03-01 09:00", order_id="GS20260228001", source_format="redreply")
    assert r.comments[0].as_comment_in().order_id == "GS20260228001"


def test_redreply_errors_read_as_they_always_have(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "a", "text": "物流太慢"}, ensure_ascii=False), "{not json", json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "   "}), json.dumps({"id": "d", "text": "x" * 6000}),
        json.dumps({"id": "a", "text": "重复的 id"}, ensure_ascii=False), json.dumps(["not", "an", "object"]), "",
        json.dumps({"id": 7, "text": "数字 id 也可以"}, ensure_ascii=False)]), encoding="utf-8")
    r = read_any(p)
    assert [c.id for c in r.comments] == ["a", "7"]
    by_line = {e.line: e.message for e in r.errors}
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7]
    assert "invalid JSON" in by_line[2] and by_line[3] == "missing field 'text'" and "empty" in by_line[4]
    assert "limit is 5000" in by_line[5] and "duplicate id" in by_line[6] and "JSON object" in by_line[7]


def test_redreply_csv_with_bom(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("\ufeffid,text,author\n1,质量太差了,小鹿\n2,,空\n", encoding="utf-8")
    r = read_any(p)
    assert [(c.id, c.author) for c in r.comments] == [("1", "小鹿")]
    assert r.errors == [LineError(3, "missing field 'text'")]


# ------------------------------------------------------------------ bad input

def test_broken_line_is_reported_with_its_number_and_the_rest_imports():
    r = read_any(FIXTURES / "mediacrawler_broken_line.jsonl")
    assert [(e.line, e.message.split(" (")[0]) for e in r.errors] == [(3, "invalid JSON"), (5, "missing field 'content'")]
    assert [c.id[-2:] for c in r.comments] == ["01", "02", "04", "06"]


def test_unrecognised_file_names_the_fields_it_saw_in_one_line():
    with pytest.raises(UserError) as info:
        read_any(FIXTURES / "unrecognised.jsonl")
    message = str(info.value)
    assert "\n" not in message
    assert "fields seen: mid, text_raw, screen_name, created_at, attitudes_count" in message
    for shape in FORMATS.values():
        assert shape in message


def test_not_utf8_is_a_clear_user_error(tmp_path):
    p = tmp_path / "comments.csv"
    p.write_bytes("comment_id,content\nx,质量太差\n".encode("gbk"))
    with pytest.raises(UserError, match="not UTF-8"):
        read_any(p)


def test_missing_file_and_empty_file(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_any(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(UserError, match="no records"):
        read_any(tmp_path / "empty.jsonl")


def test_every_line_broken_returns_the_errors(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text("{oops\n{again\n", encoding="utf-8")
    r = read_any(p)
    assert (r.format, [e.line for e in r.errors], r.comments) == ("unknown", [1, 2], [])


def test_overlong_comment_is_a_line_error():
    r = read_any(FIXTURES / "spider_xhs_comments.json", max_chars=14)
    assert r.errors == [LineError(19, "comment is 18 characters; the limit is 14")]  # the line its object starts on
    assert [c.id[-2:] for c in r.comments] == ["01", "03"]


def test_format_override(tmp_path):
    p = tmp_path / "dump.txt"
    shutil.copy(FIXTURES / "spider_xhs_comments.json", p)
    assert read_any(p).format == "spider_xhs"
    assert read_any(p, format="mediacrawler").format == "mediacrawler_comments"
    forced = read_any(p, format="redreply")
    assert forced.comments == [] and {e.message for e in forced.errors} == {"missing field 'text'"}
    with pytest.raises(UserError, match="unknown format 'weibo'"):
        read_any(p, format="weibo")


@pytest.mark.parametrize(("fields", "expected"), [
    (["id", "text", "author"], "redreply"),
    (["comment_id", "create_time", "note_id", "content", "parent_comment_id", "like_count"], "mediacrawler_comments"),
    (["note_id", "type", "title", "desc", "liked_count"], "mediacrawler_notes"),
    (["id", "note_id", "content", "create_time", "user_info", "sub_comments", "show_tags"], "xhs_web_api"),
    (["note_id", "comment_id", "content", "upload_time", "like_count", "ip_location", "nickname"], "spider_xhs"),
    (["评论id", "评论内容", "点赞数量", "上传时间", "ip归属地", "用户昵称"], "spider_xhs_excel"),
    (["笔记id", "标题", "描述", "点赞数量"], "spider_xhs_excel_notes"),
])
def test_detect_by_fields(fields, expected):
    assert detect(fields, Path("x.jsonl")) == expected


@pytest.mark.parametrize("name", ["search_comments_2026-03-04.jsonl", "creator_comments_2026-03-05.json",
                                  "detail_comments_2026-03-06.csv", "xhs_web_api_comments.json",
                                  "spider_xhs_comments.json", "mediacrawler_broken_line.jsonl"])
def test_reading_the_same_file_twice_gives_identical_results(name):
    first, second = read_any(FIXTURES / name), read_any(FIXTURES / name)
    first.thread_for(first.comments[-1].id)  # a built thread index is not part of the value
    assert first == second
    assert first.model_dump_json() == second.model_dump_json()


def test_reading_the_built_files_twice_gives_identical_results(built):
    for path in built.values():
        assert read_any(path).model_dump() == read_any(path).model_dump()


def test_chinese_headers_in_a_csv_with_bom(tmp_path):
    p = tmp_path / "评论.csv"
    p.write_text("\ufeff笔记url,评论id,用户昵称,评论内容,点赞数量,上传时间,ip归属地\n"
                 "https://www.xiaohongshu.com/explore/6653f0cc000000001e05aad6?xsec_token=AB,c1,晴**,"
                 "敷完面膜脸上起了小红疹,1.1万,2026-03-08 10:00:00,陕西\n", encoding="utf-8")
    r = read_any(p)
    c = r.comments[0]
    assert (r.format, c.note_id, c.likes, c.posted_at) == (
        "spider_xhs_excel", "6653f0cc000000001e05aad6", 11000, "2026-03-08T02:00:00Z")  # note id from its address


def test_html_character_references_a_scraped_page_left_are_decoded_in_both_shapes(tmp_path):
    """A review export held "房&#38388;" for 房间: the reply must not quote the escape back to the customer."""
    mine = tmp_path / "in.jsonl"
    mine.write_text(json.dumps({"id": "a", "text": "房&#38388;很吵&amp;不干净，AT&T a&notb"}, ensure_ascii=False),
                    encoding="utf-8")
    assert read_any(mine).comments[0].text == "房间很吵&不干净，AT&T a&notb"  # a bare '&' is the commenter's
    crawled = tmp_path / "search_comments.jsonl"
    crawled.write_text(json.dumps({"comment_id": "c1", "note_id": N1, "content": "&#x623F;&#38388;有股霉味&nbsp;差评",
                                   "create_time": 1772326800000}, ensure_ascii=False), encoding="utf-8")
    got = read_any(crawled)
    assert got.format == "mediacrawler_comments" and got.comments[0].text == "房间有股霉味 差评"
