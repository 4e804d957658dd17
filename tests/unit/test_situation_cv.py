"""`redreply eval cv`: the product's situation cross-validated on labelled complaints, each fold planned with a
situation model that never saw it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main

pytestmark = pytest.mark.slow

# Our own complaints, three situations the triggers read differently from the labels' wording.
KINDS = {
    "delivery": ["等到花儿都谢了也没见着东西", "下单三天了还在路上", "送了俩小时才到", "一直不发货问了也没用"],
    "customer_service_attitude": ["前台小姐姐爱答不理", "问客服半天没人理", "店员说话特别冲", "投诉了也没人管"],
    "general": ["反正不会再来了", "非常失望的一次", "就这样吧不推荐", "很一般，对不起这个价"],
}


def _data(root: Path) -> tuple[Path, Path]:
    rows = [{"id": f"{kind}-{i}-{j}", "text": f"{t}{'！' * (j + 1)}", "label": 0, "situation": kind}
            for kind, texts in KINDS.items() for i, t in enumerate(texts) for j in range(2)]
    (root / "reviews_train.jsonl").write_text(
        "\n".join(json.dumps({k: r[k] for k in ("id", "text", "label")}, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8")
    labels = root / "labels.jsonl"
    labels.write_text("\n".join([json.dumps({"_meta": {"labeller": "test"}}),
                                 *(json.dumps({"id": r["id"], "situation": r["situation"]}) for r in rows)]) + "\n",
                      encoding="utf-8")
    return root, labels


def test_every_labelled_complaint_is_planned_once_by_a_model_that_never_saw_it(ingested_settings, tmp_path):
    from evals.situation_cv import cross_validate, prepare, render

    data, labels = _data(tmp_path)
    labelled = prepare(ingested_settings, data, labels_files=[labels])
    seen: list[set[str]] = []

    def fit(raw, vectors, y, seed, out_dir):
        from agent.triage.training_situation import fit_model

        seen.append(set(raw))
        return fit_model(raw, vectors, y, seed, out_dir)

    report = cross_validate(labelled, folds=3, fit=fit)
    assert report.count == 24 and len(report.fold_accuracy) == 3 and len(seen) == 3
    # Each comment is held out by exactly one fold, whose model was trained without it.
    assert all(sum(t not in s for s in seen) == 1 for t in labelled.texts)
    assert 0 <= report.accuracy <= 1 and 0 <= report.model_alone <= 1
    wrong = sum(k for _, _, k in report.confusions)
    assert wrong == round((1 - report.accuracy) * 24)
    text = render(report)
    assert "per fold:" in text and "mean accuracy (the product)" in text


def test_limit_samples_and_bad_options_are_one_clear_line(ingested_settings, tmp_path, capsys):
    from evals.situation_cv import prepare

    data, labels = _data(tmp_path)
    assert len(prepare(ingested_settings, data, limit=9, labels_files=[labels]).texts) == 9
    base = ["--data-dir", str(ingested_settings.data_dir), "eval", "cv"]
    assert main([*base, "--data", str(tmp_path / "nope")]) == 2
    assert "reviews_train.jsonl" in capsys.readouterr().err
    assert main([*base, "--data", str(data), "--folds", "1"]) == 2
    assert "--folds" in capsys.readouterr().err
