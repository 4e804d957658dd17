"""The eval runner end to end on a small dataset (the real offline Drafter), `compare`, and the CLI gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main
from agent.config import Settings
from agent.errors import UserError
from evals.compare import compare, format_comparison
from evals.metrics.scoring import METRIC_KEYS
from evals.runner import DEFAULT_DATASET, load_dataset, run_eval
from tests.fakes import FakeModel

pytestmark = pytest.mark.slow

# A genuine customer who posts a courier's phone number, a misunderstanding, an attack in Traditional,
# a prompt injection, and a flood group of four near-identical comments from different authors.
FLOOD = {"e-120", "e-121", "e-122", "e-123"}
SMALL = ["e-020", "e-046", "e-069", "e-119", *sorted(FLOOD)]


@pytest.fixture(scope="module")
def data_dir(ingested_settings) -> Path:
    """The session's data dir, which holds the ingested knowledge store (tests/conftest.py)."""
    return ingested_settings.data_dir


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory) -> Path:
    lines = [line for line in DEFAULT_DATASET.read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] in SMALL]
    path = tmp_path_factory.mktemp("ds") / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run_a(data_dir, small_dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("run-a")
    judge = FakeModel(default={"tone": 4, "helpfulness": 4, "risk": 1, "reason": "ok"}, name="fake/judge")
    summary = run_eval(Settings(data_dir=data_dir), small_dataset, out, judge=judge, concurrency=2, progress=False)
    return out, summary, judge


def records(run_dir: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, (run_dir / "cases.jsonl").read_text(encoding="utf-8").splitlines())}


def test_the_dataset_is_well_formed():
    cases = load_dataset(DEFAULT_DATASET)
    assert len(cases) >= 120
    assert sum("traditional" in c.tags for c in cases) >= 20
    groups: dict[str, set[str]] = {}
    for c in cases:
        if c.group:
            groups.setdefault(c.group, set()).add(c.comment.author or "")
    assert groups and all(len(authors) >= 3 for authors in groups.values())


def test_run_writes_summary_cases_and_report(run_a, small_dataset):
    out, summary, _ = run_a
    assert summary.cases == len(SMALL) and summary.errors == 0 and summary.model == "offline"
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(METRIC_KEYS) <= set(data["metrics"])
    assert len(data["dataset_sha256"]) == 64 and data["timings"]["total_s"] > 0
    assert set(data["details"]["confusion"]) == {"source", "severity", "strategy"}
    recs = records(out)
    assert set(recs) == set(SMALL)
    assert all(r["draft"]["reply"]["text"] and "overall" in r["scores"] for r in recs.values())
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<table>" in html and "worst cases" in html
    assert "<script" not in html and "src=" not in html and "@import" not in html


def test_personal_data_is_masked_in_the_run_files(run_a):
    out, _, _ = run_a
    for name in ("cases.jsonl", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "188 1234 5678" not in text and "12345678" not in text


def test_flood_group_members_see_each_other(run_a):
    out, _, _ = run_a
    recs = records(out)
    clustered = [cid for cid in FLOOD if recs[cid]["draft"]["evidence"]["duplicate_cluster"]]
    assert clustered, "no member of the flood group saw its near-duplicates"
    # The first comment of the group is drafted knowing the later ones (they were all seen first).
    first = recs["e-120"]["draft"]["evidence"]["duplicate_cluster"]
    assert set(first) <= FLOOD and first


def test_judge_runs_on_every_case_and_reports_agreement(run_a):
    out, summary, judge = run_a
    assert len(judge.calls) == len(SMALL)
    assert summary.judge and summary.judge["n"] == len(SMALL) and "pass_agreement" in summary.judge
    assert all(r["judge"]["helpfulness"] == 4 for r in records(out).values())
    assert "<comment>" in judge.calls[0][1]["content"]


def test_compare_lists_metric_deltas_and_regressions(run_a, data_dir, small_dataset, tmp_path):
    out_a, _, _ = run_a
    # The same comments with one label changed: that case must show up as a regression in B.
    lines = small_dataset.read_text(encoding="utf-8").splitlines()
    changed = []
    for line in lines:
        case = json.loads(line)
        if case["id"] == "e-046":
            case["expected"]["strategy"] = "neutral_rebuttal"
        changed.append(json.dumps(case, ensure_ascii=False))
    other = tmp_path / "changed.jsonl"
    other.write_text("\n".join(changed) + "\n", encoding="utf-8")
    out_b = tmp_path / "run-b"
    run_eval(Settings(data_dir=data_dir), other, out_b, concurrency=2, progress=False)

    c = compare(out_a, out_b)
    assert not c.same_dataset
    assert [ch.id for ch in c.regressed] == ["e-046"]
    assert any("strategy" in b for b in c.regressed[0].broke)
    delta = {m.key: m.delta for m in c.metrics}
    assert delta["strategy_accuracy"] < 0
    text = format_comparison(c)
    assert "e-046" in text and "regressed" in text and "different datasets" in text
    assert compare(out_a, out_a).regressed == [] and compare(out_a, out_a).improved == []


def test_cli_gate_exit_codes(data_dir, small_dataset, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(data_dir))
    base = ["eval", "--dataset", str(small_dataset), "--no-progress", "--concurrency", "2"]
    assert main([*base, "--out", str(tmp_path / "ok"), "--min", "script_match_rate=0.5"]) == 0
    out = capsys.readouterr().out
    assert "script_match_rate" in out and "ok" in out
    assert main([*base, "--out", str(tmp_path / "gate"), "--min", "source_accuracy=1.01"]) == 1
    captured = capsys.readouterr()
    assert "threshold missed: source_accuracy" in captured.err and "MISSED" in captured.out
    assert main(["eval", "compare", str(tmp_path / "ok"), str(tmp_path / "gate")]) == 0
    assert "metric" in capsys.readouterr().out


def test_set_floors_writes_a_gate_the_same_run_passes(data_dir, small_dataset, tmp_path, monkeypatch, capsys):
    import tomllib

    monkeypatch.setenv("REDREPLY_DATA_DIR", str(data_dir))
    floors = tmp_path / "floors.toml"
    base = ["eval", "--dataset", str(small_dataset), "--no-progress", "--concurrency", "2"]
    assert main([*base, "--out", str(tmp_path / "a"), "--set-floors", str(floors)]) == 0
    text = floors.read_text(encoding="utf-8")
    assert f"--dataset {small_dataset}" in text and f"--min-from {floors}" in text  # says how to use it
    written = tomllib.loads(text)["min"]
    run = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))["metrics"]
    assert all(abs(written[k] - max(0.0, int((run[k] - 0.03) * 100) / 100)) < 1e-9 for k in written)
    capsys.readouterr()
    assert main([*base, "--out", str(tmp_path / "b"), "--min-from", str(floors)]) == 0


def test_cli_bad_input_is_a_user_error(tmp_path, capsys):
    assert main(["eval", "--dataset", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "dataset not found" in capsys.readouterr().err
    assert main(["eval", "--min", "bogus=0.5"]) == 2
    assert "unknown threshold key(s) bogus" in capsys.readouterr().err
    assert main(["eval", "--min", "source_accuracy"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    good = DEFAULT_DATASET.read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(good + "\n" + '{"id": "x", "brand": "glowskin"}\n', encoding="utf-8")
    assert main(["eval", "--dataset", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert f"{bad}:2:" in capsys.readouterr().err
    assert main(["eval", "compare", str(tmp_path), str(tmp_path)]) == 2
    assert "not an eval run" in capsys.readouterr().err


def test_threshold_file_names_only_known_metrics():
    from agent.cli.eval_cmds import parse_floors

    floors = parse_floors([], Path(__file__).parents[2] / "evals" / "thresholds.toml", set(METRIC_KEYS))
    assert floors and all(0 < v <= 1 for v in floors.values())
    with pytest.raises(UserError, match="unknown threshold"):
        parse_floors(["nope=1"], None, set(METRIC_KEYS))
