import json

import pytest

from agent.comments_io import JsonlWriter, done_ids, read_comments, repair_torn_tail
from agent.errors import UserError


def test_jsonl_reports_each_bad_line_with_its_number(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "a", "text": "物流太慢"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "d", "text": "x" * 6000}),
        json.dumps({"id": "a", "text": "重复的 id"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": 7, "text": "数字 id 也可以"}, ensure_ascii=False),
    ]), encoding="utf-8")
    comments, errors = read_comments(p, max_chars=5000)
    assert [c.id for c in comments] == ["a", "7"]
    by_line = {e.line: e.message for e in errors}
    assert "invalid JSON" in by_line[2]
    assert "missing field 'text'" in by_line[3]
    assert "empty" in by_line[4]
    assert "limit is 5000" in by_line[5]
    assert "duplicate id" in by_line[6]
    assert "JSON object" in by_line[7]


def test_csv_with_bom_and_header(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("\ufeffid,text,author\n1,质量太差了,小鹿\n2,,空\n", encoding="utf-8")
    comments, errors = read_comments(p)
    assert [(c.id, c.author) for c in comments] == [("1", "小鹿")]
    assert errors[0].line == 3


def test_a_duplicate_id_is_reported_on_its_own_line_of_the_file(tmp_path):
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("id,text\n1,物流太慢\n2,质量差\n1,又是物流\n", encoding="utf-8")
    assert [(e.line, e.message[:12]) for e in read_comments(csv_file)[1]] == [(4, "duplicate id")]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"id": "a", "text": "慢"}\n\n\n{"id": "a", "text": "还是慢"}\n', encoding="utf-8")
    assert [e.line for e in read_comments(jsonl)[1]] == [4]


def test_csv_without_text_column_is_a_clear_error(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,comment\n1,hi\n", encoding="utf-8")
    with pytest.raises(UserError, match="'text'"):
        read_comments(p)


def test_missing_and_binary_files_are_clear_errors(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_comments(tmp_path / "nope.jsonl")
    bad = tmp_path / "bin.jsonl"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UserError, match="not UTF-8"):
        read_comments(bad)


def torn_output(tmp_path):
    out = tmp_path / "out.jsonl"
    w = JsonlWriter(out)
    w.write(json.dumps({"id": "a"}))
    w.write(json.dumps({"id": "b"}))
    w.close()
    with out.open("a") as f:
        f.write('{"id": "c", "tri')  # killed mid-write
    return out


def test_done_ids_only_reads(tmp_path):
    out = torn_output(tmp_path)
    before = out.read_bytes()
    assert done_ids(out) == {"a", "b"}
    assert out.read_bytes() == before
    assert done_ids(tmp_path / "missing.jsonl") == set()


def test_repair_torn_tail_cuts_only_a_torn_last_line(tmp_path):
    out = torn_output(tmp_path)
    assert repair_torn_tail(out) == len('{"id": "c", "tri')
    assert out.read_text().endswith('{"id": "b"}\n') and done_ids(out) == {"a", "b"}
    assert repair_torn_tail(out) == 0  # whole now: nothing more is cut
    w = JsonlWriter(out)
    w.write(json.dumps({"id": "c"}))
    w.close()
    assert out.read_text().splitlines() == ['{"id": "a"}', '{"id": "b"}', '{"id": "c"}']
    assert repair_torn_tail(tmp_path / "missing.jsonl") == 0


def test_repair_torn_tail_keeps_a_broken_line_before_the_last(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a"}\n{broken\n{"id": "b"}\n', encoding="utf-8")
    assert repair_torn_tail(out) == 0 and "{broken" in out.read_text()
    assert done_ids(out) == {"a", "b"}
