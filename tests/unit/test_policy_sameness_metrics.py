"""The two reply-text figures: policies offered against the stated facts, and near-identical replies under
one note. Hand-made replies whose right counts are known."""

import json

from evals.metrics.policy import offers_against, policy_against_facts
from evals.metrics.sameness import near_identical_pairs, replies_by_note, sameness
from evals.sameness import main

SAME = "宝子久等了，真的抱歉🙏 跨境包裹要从保税仓出库再清关，麻烦私信我们订单号，我们马上帮你盯物流、催件～"
OTHER = "谢谢宝子的认可和分享💛 看到你满意我们真的超开心～ 之后有任何问题，随时私信我们！"


def test_an_offer_the_labels_rule_out_is_counted_in_either_script():
    reply = "按我们的售后政策，未拆封商品签收后7天内可無理由退貨。"
    assert offers_against(reply, ["无理由退货", "全额退款"]) == ["无理由退货"]
    assert offers_against("质量问题凭照片换货或退款", ["无理由退货"]) == []
    assert policy_against_facts([["无理由退货"], [], ["催件"]]) == 2


def test_near_identical_replies_under_one_note_are_pairs_and_other_notes_do_not_count():
    near = SAME.replace("宝子", "亲")
    assert near_identical_pairs([SAME, near, OTHER]) == [(0, 1)]
    assert sameness({"n1": [SAME, near, SAME], "n2": [SAME], "n3": [OTHER]}) == 3
    assert sameness({"n1": [SAME, OTHER]}) == 0


def test_batch_records_are_grouped_by_their_note(tmp_path, capsys):
    def record(i: str, note: str | None, text: str) -> dict:
        return {"id": i, "context": {"note": {"id": note}} if note else None, "reply": {"text": text}}

    rows = [record("a", "n1", SAME), record("b", "n1", SAME), record("c", "n2", SAME), record("d", None, SAME)]
    assert set(replies_by_note(rows)) == {"n1", "n2", "(no note) d"}
    path = tmp_path / "drafts.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert main([str(path)]) == 0
    assert "sameness: 1 near-identical pairs" in capsys.readouterr().out
    assert main([str(tmp_path / "missing.jsonl")]) == 2
