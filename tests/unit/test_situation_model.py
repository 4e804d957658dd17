"""The learned situation model: trained from blind labels by `redreply train`, read by the plan where it is sure."""

import json
from pathlib import Path

import numpy as np
import pytest

from agent.triage import situation_model
from agent.triage.learned import ArtifactError
from agent.triage.situation_model import SituationModel
from agent.triage.training_situation import train_situation

KINDS = {
    "delivery": ["等了三天还没送到", "物流太慢了一直不更新", "快递走了一个星期", "送餐超时一个多小时"],
    "smell_texture": ["味道太咸了吃不下", "口感很差又油又腻", "闻着有股怪味", "太辣了根本没法吃"],
    "customer_service_attitude": ["客服态度恶劣不理人", "前台服务很差爱答不理", "问了半天没人回复", "店员说话很冲"],
}


def _labelled(root: Path) -> tuple[Path, Path]:
    reviews, labels = root / "reviews_train.jsonl", root / "labels.jsonl"
    rows = [{"id": f"{kind}-{i}-{j}", "text": f"{t}，第{j}次了", "label": 0, "situation": kind}
            for kind, texts in KINDS.items() for i, t in enumerate(texts) for j in range(5)]
    reviews.write_text("\n".join(json.dumps({k: r[k] for k in ("id", "text", "label")}, ensure_ascii=False)
                                 for r in rows) + "\n", encoding="utf-8")
    lines = [json.dumps({"_meta": {"labeller": "test"}})]
    lines += [json.dumps({"id": r["id"], "situation": r["situation"]}) for r in rows]
    lines += ["{not json", json.dumps({"id": "nowhere", "situation": "delivery"})]
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return reviews, labels


def test_training_reports_bad_label_lines_and_writes_a_model_that_reads_new_comments(tmp_path: Path) -> None:
    reviews, labels = _labelled(tmp_path)
    warnings: list[str] = []
    figures = train_situation(reviews, tmp_path / "out", 13, warnings.append, lambda _: None, labels=labels)
    assert any(w.startswith(f"{labels}:62:") and "JSON" in w for w in warnings)
    assert any("1 labelled id(s) not in reviews_train.jsonl" in w for w in warnings)
    assert figures.rows == 60 and figures.parity_max_abs_diff < 1e-6
    model = situation_model.load(tmp_path / "out")
    from agent.knowledge.store import QUERY_VECTORS, query_vector_text

    text = "物流太慢了，等了一个星期还没送到"
    guess = model.guess(text, QUERY_VECTORS.get(query_vector_text(text)))
    assert guess.situation == "delivery" and set(guess.known) == set(KINDS)
    assert list(guess.top)[0] == "delivery" and 0.0 < guess.p <= 1.0


def test_a_missing_or_corrupt_situation_artifact_is_one_line_naming_it_and_the_rebuild(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError) as missing:
        SituationModel(tmp_path / "situation.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model" * 50)
    with pytest.raises(ArtifactError) as corrupt:
        SituationModel(bad)
    for e, name in ((missing, "situation.npz"), (corrupt, "bad.npz")):
        assert name in str(e.value) and "redreply train" in str(e.value) and "\n" not in str(e.value)


def test_the_shipped_model_knows_the_script_situations_and_reads_an_embedding() -> None:
    model = situation_model.load()
    assert {"delivery", "quality_defect", "general", "customer_service_attitude"} <= set(model.classes)
    p = model.proba("物流太慢", np.zeros(model.dims))
    assert p.shape == (len(model.classes),) and abs(float(p.sum()) - 1.0) < 1e-9
