"""`redreply eval real`: the figures a developer reads before trusting the triage on real comments."""

from __future__ import annotations

import json

import pytest

from agent.cli import main

pytestmark = pytest.mark.slow


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


@pytest.fixture
def data(tmp_path):
    _write(tmp_path / "real_reviews_dev.jsonl", [
        {"id": "r1", "text": "不好吃，送餐还慢了一个小时", "label": 0},
        {"id": "r2", "text": "快递小哥态度特别好，辛苦啦谢谢", "label": 1},
        {"id": "r3", "text": "房间干净位置也好，就是隔音太差了，半夜被吵醒好几次", "label": 1},
    ])
    _write(tmp_path / "cold_dev.jsonl", [
        {"id": "c1", "text": "你们这些人都是脑残吧", "offensive": 1},
        {"id": "c2", "text": "今天天气不错，出去走走", "offensive": 0},
    ])
    _write(tmp_path / "labels.jsonl", [{"_meta": {}}, {"id": "r1", "situation": "delivery"}])
    _write(tmp_path / "praise.jsonl", [{"_meta": {}}, {"id": "r3", "label": "complaint"}])
    return tmp_path


def test_prints_rebuttals_praise_abuse_and_situations(ingested_settings, data, monkeypatch, capsys):
    from evals.real import evaluate_real

    report = evaluate_real(ingested_settings, data, labels=data / "labels.jsonl", praise_labels=data / "praise.jsonl")
    m = report.metrics
    assert report.mistakes["complaint_rebutted"] == 0 and m["complaint_answered"] == 1 and m["praise_not_negative"] == 1
    # A "positive" review the blind reader found a complaint in is answered as one, not thanked.
    assert report.counts["praise_with_complaint"] == 1 and m["praise_with_complaint_answered"] == 1
    assert m["praise_all_not_negative"] == 0.5
    assert m["abuse_recall"] == 1 and m["abuse_precision"] == 1
    assert report.counts["situations_labelled"] == 1


def test_floors_fail_the_command_and_missing_data_is_a_clear_error(ingested_settings, data, tmp_path, capsys):
    floors = tmp_path / "floors.toml"
    floors.write_text("[min]\npraise_not_negative = 1.01\n", encoding="utf-8")
    args = ["--data-dir", str(ingested_settings.data_dir), "eval", "real", "--data", str(data), "--min-from", str(floors)]
    assert main(args) == 1
    assert "threshold missed: praise_not_negative" in capsys.readouterr().err
    assert main(["--data-dir", str(ingested_settings.data_dir), "eval", "real", "--data", str(tmp_path / "nope")]) == 2
    assert "not found" in capsys.readouterr().err


def test_a_holdout_whose_rows_are_absent_is_skipped_and_said_so(ingested_settings, data, capsys):
    # The unseen holdout's rows live in train/reviews_train.jsonl, which this data folder lacks: its floor is
    # known (no "unknown threshold key"), not checked, and the run says why.
    args = ["--data-dir", str(ingested_settings.data_dir), "eval", "real", "--data", str(data),
            "--min", "situation_unseen_accuracy=0.99"]
    assert main(args) == 0
    assert "SKIPPED situation_unseen_accuracy" in capsys.readouterr().err



def test_a_second_labeller_gives_the_agreement_and_the_either_figure(ingested_settings, data, capsys):
    # r1 names the food and the hour's wait: one labeller may say delivery, another the taste. The product
    # is read against both: `_either` counts a match with one of them, and the agreement is printed.
    _write(data / "labels.jsonl", [{"_meta": {}}, {"id": "r1", "situation": "smell_texture"}])
    _write(data / "labels_second.jsonl", [{"_meta": {}}, {"id": "r1", "situation": "delivery"}])
    from evals.real import evaluate_real

    report = evaluate_real(ingested_settings, data, labels=data / "labels.jsonl", praise_labels=data / "praise.jsonl",
                           holdouts=[])
    # The product answers the wait (delivery): wrong by the first labeller, right by the second.
    assert report.metrics["situation_accuracy"] == 0 and report.metrics["situation_accuracy_either"] == 1
    assert report.agreement == {"situation_accuracy": 0}
    # Without the second file there is no either figure and no agreement line.
    (data / "labels_second.jsonl").unlink()
    report = evaluate_real(ingested_settings, data, labels=data / "labels.jsonl", praise_labels=data / "praise.jsonl",
                           holdouts=[])
    assert "situation_accuracy_either" not in report.metrics and report.agreement == {}


def test_the_unseen_cold_sample_leaves_out_every_text_the_rules_or_the_model_saw(ingested_settings, data):
    # COLD's dev split holds the 150 the rules were tuned on (here c1) and texts of the training split (t1):
    # the unseen sample scores only the rest, the product beside the offence model alone.
    (data / "train").mkdir()
    _write(data / "train" / "cold_train.jsonl", [{"id": "t1", "text": "你们这种人就该滚出去", "label": 1}])
    _write(data / "train" / "cold_dev.jsonl", [
        {"id": "d1", "text": "你们这些人都是脑残吧", "label": 1},
        {"id": "d2", "text": "你们这种人就该滚出去", "label": 1},
        {"id": "d3", "text": "你们这帮傻逼赶紧去死吧", "label": 1},
        {"id": "d4", "text": "周末去公园散步，心情很好", "label": 0},
    ])
    from evals.real import evaluate_real

    report = evaluate_real(ingested_settings, data, labels=data / "labels.jsonl", praise_labels=data / "praise.jsonl",
                           holdouts=[])
    assert report.counts["cold_unseen"] == 2 and report.counts["cold_unseen_offensive"] == 1
    assert report.metrics["abuse_unseen_recall"] == 1 and report.metrics["abuse_unseen_precision"] == 1
    assert "offence_model_unseen_recall" in report.metrics
    # Complaints are never thanked, praise never told to stop: both printed and gated as complements.
    assert report.mistakes["complaint_thanked"] == 0 and report.metrics["praise_not_told_to_stop"] == 1


def test_without_the_training_split_the_unseen_cold_sample_is_skipped_and_said_so(ingested_settings, data, capsys):
    args = ["--data-dir", str(ingested_settings.data_dir), "eval", "real", "--data", str(data),
            "--min", "abuse_unseen_recall=0.99"]
    assert main(args) == 0
    assert "SKIPPED cold unseen sample" in capsys.readouterr().err
