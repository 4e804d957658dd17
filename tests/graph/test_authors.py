"""Authors across imports: matched by user id, never by a masked nickname; repeat attackers listed to block."""

from __future__ import annotations

import json

from agent.review.views.authors import block_candidates
from agent.sources import read_any

ATTACK = "听说GlowSkin精华含激素还致癌，大家千万别买！"
EXTORTION = "给我转账500块，不然我天天来刷差评，说你们的面膜烂脸"


def _import(tmp_path, name, rows):
    p = tmp_path / name
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return read_any(p).comments_in()


def test_an_authors_comments_from_an_earlier_import_are_found_by_id_not_by_masked_nickname(desk_factory, tmp_path):
    desk = desk_factory()
    first = _import(tmp_path, "monday.jsonl", [
        {"id": "m1", "text": "物流太慢了，等了一周", "author": "小**鱼", "author_id": "u-fish", "note_id": "n1"},
        {"id": "m2", "text": "包装破了，精华漏了", "author": "小**鱼", "author_id": "u-other", "note_id": "n1"}])
    second = _import(tmp_path, "tuesday.jsonl", [
        {"id": "t1", "text": "还是没到货，太慢了", "author": "小*鱼", "author_id": "u-fish", "note_id": "n2"},
        {"id": "t2", "text": "面膜有点干", "author": "小**鱼", "note_id": "n2"}])  # masked, no id: nobody
    desk.accept(first, "glowskin")
    desk.accept(second, "glowskin")
    desk.draft_all(["t1", "t2"])
    assert desk.queue.get("t1").result.evidence.author_history == ["m1"]  # same id, other nickname
    assert desk.queue.get("t2").result.evidence.author_history == []  # a masked nickname is no identity


def test_authors_attacking_under_two_notes_are_candidates_to_block_with_their_comments(desk_factory, tmp_path):
    desk = desk_factory()
    rows = [
        {"id": "a1", "text": ATTACK, "author": "路**甲", "author_id": "u-troll", "note_id": "n1"},
        {"id": "a2", "text": EXTORTION, "author": "路*甲", "author_id": "u-troll", "note_id": "n2"},
        {"id": "a3", "text": ATTACK + "！", "author": "路**乙", "author_id": "u-once", "note_id": "n1"},  # one note
        {"id": "a4", "text": ATTACK + "!!", "author": "路**丙", "note_id": "n1"},  # masked, no id
        {"id": "a5", "text": EXTORTION + "！", "author": "路**丙", "note_id": "n3"},
        {"id": "a6", "text": "物流太慢了，等了一周", "author": "顾客", "author_id": "u-fine", "note_id": "n1"},
        {"id": "a7", "text": "还是没到，客服也不回", "author": "顾客", "author_id": "u-fine", "note_id": "n2"},
    ]
    comments = _import(tmp_path, "attacks.jsonl", rows)
    desk.accept(comments, "glowskin")
    desk.draft_all([c.id for c in comments])
    found = block_candidates(desk.queue.items())
    assert [(c.key, sorted(c.comment_ids), len(c.notes)) for c in found] == [("id:u-troll", ["a1", "a2"], 2)]
    row = found[0].row()
    assert row["comment ids (the reason)"] == "a1, a2" and "competitor_attack" in str(row["why"])
    assert "extortion" in str(row["why"]) and "u-troll" in str(row["author"])
