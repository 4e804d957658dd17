"""The retrieval eval: the labelled dataset is sound, and the store meets its floor (hit@3 ≥ 0.9)."""

import json

import pytest

from agent.cli import main
from agent.errors import UserError
from agent.text import detect_script
from evals.retrieval import DEFAULT_DATASET, evaluate_retrieval, format_report, load_cases

HIT_AT_3_FLOOR = 0.9


@pytest.fixture(scope="module")
def report(ingested_settings, ingested_store):
    return evaluate_retrieval(ingested_settings, DEFAULT_DATASET, store=ingested_store)


def test_the_dataset_is_varied_and_labelled_with_real_chunks(ingested_store):
    cases = load_cases(DEFAULT_DATASET)
    assert len(cases) >= 60
    assert {c.brand for c in cases} == {"glowskin", "threadline"}
    scripts = [detect_script(c.query) for c in cases]
    assert scripts.count("zh-Hant") >= 10 and scripts.count("zh-Hans") >= 40
    for case in cases:
        for chunk_id in case.expected:
            chunk = ingested_store.chunk(chunk_id)
            assert chunk is not None, f"{case.id}: no chunk {chunk_id}"
            assert chunk.brand in ("", case.brand), f"{case.id}: {chunk_id} belongs to another brand"


def test_hit_at_3_meets_the_floor(report):
    assert report.n >= 60
    assert report.hit_at_3 >= HIT_AT_3_FLOOR, format_report(report)
    assert report.hit_at_1 <= report.hit_at_3 <= report.hit_at_5
    assert 0 < report.mrr <= 1
    assert report.metrics == {"hit@1": report.hit_at_1, "hit@3": report.hit_at_3, "hit@5": report.hit_at_5,
                              "mrr": report.mrr}
    assert all(c.rank is None or 1 <= c.rank <= 10 for c in report.cases)


def test_the_report_prints_a_table_and_the_misses(report):
    text = format_report(report)
    assert "hit@3" in text and "mrr" in text and f"{report.n} queries" in text


def test_labels_of_missing_chunks_are_an_error(ingested_settings, ingested_store, tmp_path):
    dataset = tmp_path / "r.jsonl"
    dataset.write_text(json.dumps({"id": "x", "query": "精油", "brand": "glowskin",
                                   "expected": ["guidelines/nope.md#gone"]}) + "\n", encoding="utf-8")
    with pytest.raises(UserError, match="guidelines/nope.md#gone"):
        evaluate_retrieval(ingested_settings, dataset, store=ingested_store)


def test_a_bad_line_names_its_line_number(ingested_settings, tmp_path):
    dataset = tmp_path / "r.jsonl"
    dataset.write_text('{"id": "a", "query": "q", "brand": "glowskin", "expected": ["x"]}\n{"id": "b"}\n',
                       encoding="utf-8")
    with pytest.raises(UserError, match=r"r\.jsonl:2: not a retrieval case"):
        load_cases(dataset)


def test_redreply_eval_retrieval_gates_on_the_floor(ingested_settings, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(ingested_settings.data_dir))
    assert main(["eval", "retrieval", "--min", "hit@3=0.9"]) == 0
    out = capsys.readouterr().out
    assert "hit@3" in out and "mrr" in out
