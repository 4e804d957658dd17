"""`redreply eval rate`: a blind sheet sampled by action, and figures from the filled sheets."""

import csv
import json

import pytest

from agent.cli import main
from evals.rate import GRADE_COLUMN, REASON_COLUMN


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))


def _record(i: int, strategy: str, source: str, action: str | None = None) -> dict:
    plan = {"strategy": strategy, "appeal": False, "escalation": "none", **({"action": action} if action else {})}
    return {"id": f"c{i}", "brand": "glowskin", "triage": {"source": source}, "plan": plan,
            "reply": {"text": f"回复{i}"}, "model": "offline",
            "context": {"note": {"id": "n1", "title": "面膜测评"},
                        "thread": [{"id": "t0", "text": "前面的评论", "author": "小鹿", "brand": False}]}}


@pytest.fixture
def batch(tmp_path):
    records = ([_record(i, "apologize_resolve", "genuine_experience") for i in range(60)]
               + [_record(i, "educate", "misunderstanding") for i in range(60, 90)]
               + [_record(i, "neutral_rebuttal", "competitor_attack", action="report") for i in range(90, 100)])
    drafts, comments = tmp_path / "drafts.jsonl", tmp_path / "comments.jsonl"
    drafts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    comments.write_text("".join(json.dumps({"id": r["id"], "text": f"评论{r['id']}"}, ensure_ascii=False) + "\n"
                                for r in records), encoding="utf-8")
    return drafts, comments


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_sheet_samples_every_action_in_proportion_and_hides_the_labels(batch, tmp_path):
    drafts, comments = batch
    sheet = tmp_path / "sheet.csv"
    assert main(["eval", "rate", "sample", str(drafts), "--comments", str(comments), "--n", "20",
                 "--out", str(sheet)]) == 0
    rows = _rows(sheet)
    assert len(rows) == 20 and len({r["item"] for r in rows}) == 20
    assert rows[0]["comment"] == f"评论{rows[0]['item']}" and rows[0]["note"] == "面膜测评"
    assert "小鹿：前面的评论" in rows[0]["thread"] and not rows[0][GRADE_COLUMN]
    assert not any("apologize_resolve" in v for r in rows for v in r.values())  # the sheet is blind
    key = [json.loads(line) for line in sheet.with_suffix(".key.jsonl").read_text(encoding="utf-8").splitlines()]
    strata = {k["stratum"]: 0 for k in key}
    for k in key:
        strata[k["stratum"]] += 1
    # 60/30/10 of 100 drafts: 12, 6 and 2 of 20; the plan's action is used where a record has one.
    assert strata == {"apologize_resolve/genuine_experience": 12, "educate/misunderstanding": 6, "report": 2}


def _fill(sheet, out, grades):
    rows = _rows(sheet)
    for row, (grade, reason) in zip(rows, grades, strict=False):
        row[GRADE_COLUMN], row[REASON_COLUMN] = grade, reason
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_filled_sheets_give_the_share_of_each_grade_overall_and_for_complaints(batch, tmp_path, capsys):
    drafts, comments = batch
    sheet = tmp_path / "sheet.csv"
    main(["eval", "rate", "sample", str(drafts), "--comments", str(comments), "--n", "10", "--out", str(sheet)])
    _fill(sheet, tmp_path / "amy.csv", [("A", "")] * 6 + [("b", "语气生硬")] * 2 + [("D", "承认了假货")] * 2)
    capsys.readouterr()
    assert main(["eval", "rate", "aggregate", str(tmp_path / "amy.csv"), "--key",
                 str(sheet.with_suffix(".key.jsonl")), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["overall"] == {"rated": 10, "A": 0.6, "B": 0.2, "C": 0.0, "D": 0.2, "A+B": 0.8}
    assert 0 < result["complaints"]["rated"] < 10
    assert result["reasons"]["D"] == [["承认了假货", 2]]


@pytest.mark.parametrize("grade, reason, message", [("E", "x", "is not A, B, C or D"), ("C", "", "grade C needs a reason")])
def test_a_bad_grade_is_a_clear_error(batch, tmp_path, capsys, grade, reason, message):
    drafts, comments = batch
    sheet = tmp_path / "sheet.csv"
    main(["eval", "rate", "sample", str(drafts), "--comments", str(comments), "--n", "5", "--out", str(sheet)])
    _fill(sheet, tmp_path / "bad.csv", [("A", "")] * 3 + [(grade, reason)])
    assert main(["eval", "rate", "aggregate", str(tmp_path / "bad.csv")]) == 2
    err = capsys.readouterr().err
    assert "bad.csv:5: " in err and message in err and "Traceback" not in err


def test_a_rating_kept_as_ids_grades_and_reasons_aggregates_like_its_sheet(batch, tmp_path, capsys):
    """Real comments' ratings are kept without their text (JSONL of id, grade, reason): the same figures."""
    drafts, comments = batch
    sheet = tmp_path / "sheet.csv"
    main(["eval", "rate", "sample", str(drafts), "--comments", str(comments), "--n", "10", "--out", str(sheet)])
    _fill(sheet, tmp_path / "amy.csv", [("A", "")] * 7 + [("C", "答非所问")] * 3)
    kept = tmp_path / "amy.jsonl"
    kept.write_text("".join(json.dumps({"id": r["item"], "grade": r[GRADE_COLUMN], "reason": r[REASON_COLUMN]},
                                       ensure_ascii=False) + "\n" for r in _rows(tmp_path / "amy.csv")), "utf-8")
    key = str(sheet.with_suffix(".key.jsonl"))
    figures = []
    for graded in (tmp_path / "amy.csv", kept):
        capsys.readouterr()
        assert main(["eval", "rate", "aggregate", str(graded), "--key", key, "--json"]) == 0
        figures.append(json.loads(capsys.readouterr().out))
    assert figures[0] == figures[1] and figures[1]["overall"]["A+B"] == 0.7
    for text, message in (('{"id": "x", "grade": "C"}\n', "amy.jsonl:1: grade C needs a reason"),
                          ('{"id": "x", "grade": "A"}\nnot json\n', "amy.jsonl:2: not JSON")):
        kept.write_text(text, "utf-8")
        assert main(["eval", "rate", "aggregate", str(kept)]) == 2
        assert message in capsys.readouterr().err
