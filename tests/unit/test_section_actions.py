"""A whole comment section imported as a crawler exports it: every comment gets an action and the reason for it,
decided from the comment and what the section proves (the note, the thread, the author, the platform status)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main
from agent.config import Settings
from agent.sources import read_any
from evals.sections import decide_set

BRAND_ACCOUNT = "5f1a0c3e000000000100a001"  # GlowSkin's official account in its brand file
CREATOR = "60b2d4f1000000000101b7c2"
BRAND_NOTE, CREATOR_NOTE, OTHER_NOTE, BARE_NOTE = "n" * 23 + "1", "n" * 23 + "2", "n" * 23 + "3", "n" * 23 + "4"


def _comment(cid: str, note: str, text: str, user: str = "5e8f11aa0000000001009a11", nickname: str = "小**鱼",
             parent: str = "", **extra: object) -> dict[str, object]:
    return {"comment_id": cid, "note_id": note, "content": text, "user_id": user, "nickname": nickname,
            "create_time": 1794318900000 + len(cid), "parent_comment_id": parent, "like_count": "1",
            "sub_comment_count": "0", "pictures": "", **extra}


NOTES = [
    {"note_id": BRAND_NOTE, "title": "急救焕肤精华液这样用才对", "desc": "换季泛红急救", "user_id": BRAND_ACCOUNT,
     "nickname": "GlowSkin官方旗舰店"},
    {"note_id": CREATOR_NOTE, "title": "GlowSkin精华一个月实测", "desc": "敏感肌真实测评", "user_id": CREATOR,
     "nickname": "小鹿爱护肤"},
    {"note_id": OTHER_NOTE, "title": "周末去杭州探店", "desc": "吃了三家咖啡店", "user_id": CREATOR,
     "nickname": "小鹿爱护肤"},
    {"note_id": BARE_NOTE, "title": "", "desc": "", "user_id": CREATOR, "nickname": "小鹿爱护肤"},
]
COMMENTS = [
    _comment("c01", BRAND_NOTE, "油痘肌能用吗？会不会闷痘啊"),
    _comment("c02", BRAND_NOTE, "可以的，先在耳后试用", user=BRAND_ACCOUNT, nickname="GlowSkin官方旗舰店", parent="c01"),
    _comment("c03", BRAND_NOTE, "私[偷笑R]", user="5e8f11aa0000000001009b22", nickname="资源**"),
    _comment("c04", BRAND_NOTE, "[赞R][赞R]"),
    _comment("c05", BRAND_NOTE, "用了三天脸就烂了，什么垃圾", status="deleted"),
    _comment("c06", OTHER_NOTE, "这家店在哪里呀 想去"),
    _comment("c07", OTHER_NOTE, "GlowSkin精华我用了一次就过敏，满脸通红"),
    _comment("c08", CREATOR_NOTE, "别买，GlowSkin精华我用了一次就过敏，满脸通红", user=CREATOR, nickname="小鹿爱护肤",
             show_tags=["is_author"]),
    _comment("c09", BARE_NOTE, "用了三天脸就开始泛红刺痛"),
]


@pytest.fixture
def section(tmp_path: Path) -> Path:
    folder = tmp_path / "sections"
    folder.mkdir()
    (folder / "brands.json").write_text(json.dumps({"mixed": "glowskin"}), encoding="utf-8")
    for name, rows in (("mixed_comments_2026-12-01.jsonl", COMMENTS), ("mixed_contents_2026-12-01.jsonl", NOTES)):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_every_comment_of_a_section_gets_an_action_and_its_reason(section):
    decided = {d.id: d for d in decide_set(section, Settings())}
    assert set(decided) == {c["comment_id"] for c in COMMENTS}  # nothing dropped, the brand's reply included
    assert all(d.reason for d in decided.values())
    assert (decided["c02"].action, decided["c02"].reason) == ("leave", "written by the brand's own account")
    assert decided["c03"].action == "report" and "lead generation" in decided["c03"].reason
    assert decided["c04"].action == "leave" and "stickers" in decided["c04"].reason
    assert (decided["c05"].action, decided["c05"].reason) == ("leave", "deleted on the platform")
    assert decided["c06"].action == "leave" and "doesn't concern the brand" in decided["c06"].reason
    # Under a note about something else, a comment that names the brand is still the brand's business.
    assert decided["c07"].action == "reply"
    # The creator is the note's author, not the brand: her claim is answered like anyone's.
    assert decided["c08"].action == "reply"
    # A note with no title or text is unknown, never guessed to be someone else's.
    assert decided["c09"].action == "reply"


def test_the_section_evidence_travels_in_the_context(section):
    from agent.knowledge.brands import load_brand
    from agent.triage.section_evidence import section_inputs

    brand = load_brand(Settings().knowledge_dir, "glowskin")
    result = read_any(next(section.glob("*_comments_*")), brand_accounts=brand.account_keys)
    ctx = {c.id: c.context for c in section_inputs(result, brand, 300)}
    assert [ctx[i].note_relation for i in ("c01", "c08", "c06", "c09")] == ["own", "tags", "unrelated", "unknown"]
    assert ctx["c02"].by_brand and not ctx["c08"].by_brand
    assert ctx["c05"].status == "deleted"
    assert "nickname" not in ctx["c01"].author_signs


def test_a_page_of_a_longer_section_says_so_and_imports_what_it_has(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    page = {"code": 0, "data": {"cursor": "6650a1b2000000001e03c4e9", "has_more": True, "comments": [
        {"id": "p1", "content": "下单后多久发货呀", "note_id": BRAND_NOTE, "user_info": {"user_id": "u1", "nickname": "a"}},
        {"id": "p2", "content": "", "note_id": BRAND_NOTE, "user_info": {"user_id": "u2", "nickname": "b"}}]}}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(path), "--brand", "glowskin"]) == 0
    out = capsys.readouterr()
    assert "one page of a longer comment section (next cursor 6650a1b2000000001e03c4e9)" in out.err
    # The comment with no text is imported (to be left with its reason), not rejected.
    assert "accepted 2 new comment(s)" in out.out


def test_a_reply_says_a_report_was_made_only_where_an_appeal_is_drafted():
    from agent.planning.report_claims import report_claim_check

    claim = "收到你的评价。相关情况也已提交平台核查，结果以平台判定为准。"
    assert report_claim_check(claim, appeal_drafted=True).passed
    failed = report_claim_check(claim, appeal_drafted=False)
    assert not failed.passed and "提交平台" in failed.detail
    assert report_claim_check("抱歉让你久等了，私信我们订单号，马上帮你查", appeal_drafted=False).passed
