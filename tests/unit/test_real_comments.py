"""`python -m evals.real_comments`: the figures a developer reads before trusting the triage on real comments."""

from __future__ import annotations

import json

import pytest

from evals import real_comments

pytestmark = pytest.mark.slow


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


def test_prints_strategies_rebuttals_and_flags(ingested_settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(ingested_settings.data_dir))
    _write(tmp_path / "real_reviews_dev.jsonl", [
        {"id": "r1", "text": "不好吃，送餐还慢了一个小时", "label": 0},
        {"id": "r2", "text": "快递小哥态度特别好，辛苦啦谢谢", "label": 1},
    ])
    _write(tmp_path / "cold_dev.jsonl", [
        {"id": "c1", "text": "你们这些人都是脑残吧", "offensive": 1},
        {"id": "c2", "text": "今天天气不错，出去走走", "offensive": 0},
    ])
    monkeypatch.setattr("sys.argv", ["real_comments", "--data", str(tmp_path)])
    assert real_comments.main() == 0
    out = capsys.readouterr().out
    assert "negative reviews    1: apologize_resolve 1 · rebutted 0 · appealed 0" in out
    assert "positive reviews    1: educate 1 · rebutted 0" in out
    assert "offensive COLD    1: flagged 1" in out and "harmless  COLD    1: flagged 0" in out


def test_missing_data_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["real_comments", "--data", str(tmp_path)])
    assert real_comments.main() == 2
    assert "not found" in capsys.readouterr().err
