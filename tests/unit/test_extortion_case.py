"""Extortion walks its own track, apart from the ladder: the report for threats and illegal content, the
DM evidence preserved, the police report (110 / 网络违法犯罪举报), the lawyer. Driven as a user does: the
comment drafted into the queue, then `redreply case …`."""

from __future__ import annotations

import json

import pytest

from agent.cases.rules import Rung
from agent.cli import main
from agent.config import Settings
from agent.drafting.ladder_gates import proportionate
from agent.drafting.ladder_notes import reader_checks
from agent.review.casework.case_desk import CaseDesk
from agent.schemas import Violation

# A demand with no product complaint at all: money, or the comment stays and more come.
DEMAND = "给我转五百块钱，我就把这条删了，不转的话我换号天天来你们笔记下面发"
EVIDENCE = ["screenshots", "dm_records", "payment_account", "recording", "notarisation"]


@pytest.fixture
def cli(run_cli):
    run_cli("draft", "--queue", "--id", "x-1", DEMAND)
    return run_cli


def to_the_police(cli) -> None:
    """Evidence all gathered, the report and the evidence step accepted: the case is at the police step."""
    cli("case", "checklist", "x-1", "--done", *EVIDENCE)
    for _ in range(2):  # the report, then the evidence
        cli("case", "submit", "x-1")
        cli("case", "outcome", "x-1", "--result", "accepted")
        cli("case", "escalate", "x-1")


def desk() -> CaseDesk:
    return CaseDesk(Settings())


def test_extortion_opens_a_case_of_its_own_kind_on_its_own_track(cli):
    case = desk().book.get("x-1")
    assert (case.kind, case.track, case.rung, case.reason) == ("extortion", "extortion", Rung.platform_report, "illegal")
    shown = cli("case", "show", "x-1")
    assert "evidence_preserved → police_report → legal_brief" in shown
    assert "举报理由：违法违规（敲诈勒索、威胁恐吓）" in shown and "私信" in shown
    assert "dm_records" in shown and "order_check" not in shown  # the demand's evidence, not the ladder's
    assert "extortion" in cli("case", "list")


def test_the_platform_taking_it_down_does_not_end_it(cli):
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "accepted")
    case = desk().book.get("x-1")
    assert not case.closed and case.status == "accepted"
    assert "evidence_preserved" in cli("case", "escalate", "x-1")
    assert desk().book.get("x-1").rung == Rung.evidence_preserved


def test_the_police_report_waits_for_the_evidence_and_says_only_what_is_on_record(cli):
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "rejected")
    preserve = cli("case", "escalate", "x-1")
    assert "【证据保全要点" in preserve and "☐ 私信及站外联系记录截图" in preserve and "恳请平台" not in preserve
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "accepted")
    assert "police report blocked" in cli("case", "escalate", "x-1", code=2)
    cli("case", "checklist", "x-1", "--done", *EVIDENCE[:2])
    assert "payment_account, recording, notarisation" in cli("case", "escalate", "x-1", code=2)
    cli("case", "checklist", "x-1", "--done", *EVIDENCE[2:])
    assert "police_report" in cli("case", "escalate", "x-1")
    d = desk()
    case = d.book.get("x-1")
    police = d.current_draft(case)  # the text to paste
    assert "【报案材料摘要 · 敲诈勒索" in police and "110" in police and "网络违法犯罪举报" in police
    assert "· 私信及站外联系记录截图" in police  # attached as ticked
    assert "平台举报（违法违规）：驳回" in police and "固定私信与评论证据：已完成保全" in police  # earlier outcomes
    assert "【待确认：是否付过款" in police  # never asserted: nobody recorded it
    assert "恳请平台" not in police and "依规处理" not in police  # the police are not asked to delete a comment
    data = d.ladder_input(case)
    assert all(c.passed for c in reader_checks(Rung.police_report, police, data, d.settings.knowledge_dir))
    gate = proportionate(Rung.police_report, data)  # 0 likes: the demand warrants the police, not its reach
    assert gate.passed and "敲诈勒索" in gate.detail


def test_the_lawyer_comes_after_the_police_and_closes_it_without_a_public_note(cli):
    to_the_police(cli)
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "rejected")
    brief = cli("case", "escalate", "x-1")
    assert "【敲诈勒索线索 · 律师要点" in brief and "不是律师函" in brief and "向公安机关报案（110／网络违法犯罪举报）：未予受理" in brief
    assert "驳回" not in brief.split("--- for you")[0].replace("平台举报（违法违规）：", "")
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "accepted")
    d = desk()
    case = d.book.get("x-1")
    assert case.closed and not any(x.kind == "recovery" for x in d.book.drafts(case.id))
    assert "is closed: closed at legal_brief" in cli("case", "escalate", "x-1", code=2)


def test_a_step_not_reached_or_off_the_track_is_refused_in_one_line(cli):
    before = len(desk().book.events("x-1"))
    err = cli("case", "outcome", "x-1", "--result", "accepted", "--rung", "police_report", code=2)
    assert "a rung it is not at" in err
    err = cli("case", "outcome", "x-1", "--result", "accepted", "--rung", "second_report", code=2)
    assert "not a step of its extortion track" in err
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "rejected")
    assert "not second_report" in cli("case", "escalate", "x-1", "--to", "second_report", code=2)
    assert "--reason is for the ladder" in cli("case", "escalate", "x-1", "--reason", "abuse", code=2)
    assert len(desk().book.events("x-1")) == before + 2  # the submit and the answer, nothing else


def test_escalating_to_a_rung_the_reach_does_not_warrant_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REDREPLY_DATABASE_URL", raising=False)
    from tests.unit.test_cases import ALL_ITEMS, T0, queued  # a lone rumor, 0 likes, severity 1, walked up
    d = CaseDesk(Settings())
    case_id = queued(d, "g-1", [Violation.rumor], severity=1)
    for at in range(4):  # the report, the back office, the account manager, the complaint email
        d.submit(case_id, "amy", at=T0.replace(day=2 + at))
        d.outcome(case_id, "rejected", "amy", at=T0.replace(day=2 + at, hour=20))
        if at < 3:
            d.escalate(case_id, "amy", at=T0.replace(day=2 + at, hour=21))
    d.tick(case_id, ALL_ITEMS, "amy")
    capsys.readouterr()
    assert main(["case", "escalate", case_id]) == 0
    out = capsys.readouterr().out
    assert "legal_brief" in out and "check proportionate: FAILED 未达到品牌设定的这一级升级门槛" in out
    assert "点赞 0（需 ≥ 500）" in out


def test_eval_appeals_walks_extortion_up_its_own_track_to_the_police(tmp_path):
    from evals.appeals import evaluate
    rows = tmp_path / "rows.jsonl"
    row = {"id": "e-1", "brand": "glowskin", "text": DEMAND, "reason": "extortion"}
    rows.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    metrics, misses, _ = evaluate(rows, Settings())
    assert metrics["extortion_complete"] == 1.0 and metrics["rung_drafts"] == 3 and not misses


def test_the_rating_sheet_walks_extortion_up_its_own_track(tmp_path):
    import csv

    from agent.schemas import CommentIn
    from evals.appeal_sheet import write
    comments = [CommentIn(id="s-x", text=DEMAND, author="路人丙")]
    settings = Settings(data_dir=tmp_path / "data")
    appeals_n, rungs_n, key = write(tmp_path / "sheet.csv", settings, sources=[("t", "glowskin", comments)])
    with (tmp_path / "sheet.csv").open(encoding="utf-8-sig") as f:
        readers = [r["reader"] for r in csv.DictReader(f)]
    assert (appeals_n, rungs_n) == (1, 3) and "向公安机关报案（110／网络违法犯罪举报）" in readers
    assert "rung:legal_brief_extortion" in key.read_text(encoding="utf-8")


def test_a_sheet_of_only_the_named_files_needs_one(tmp_path, capsys):
    assert main(["eval", "rate", "appeals", "--only-also", "--out", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--only-also needs at least one --also" in err


STATUTE = "《中华人民共和国刑法》第二百七十四条（敲诈勒索罪）"


def test_the_police_and_the_lawyer_read_the_statute_and_the_platform_rule(cli):
    to_the_police(cli)
    d = desk()
    police = d.current_draft(d.book.get("x-1"))
    basis = police.split("涉嫌的违法犯罪（由公安机关认定）：")[1]
    assert STATUTE in basis and "平台社区规范" in basis and "威胁" in basis
    assert "名誉权" not in police and "【待确认：涉嫌的罪名" not in police  # the offence, not a civil claim or a blank
    cli("case", "submit", "x-1")
    cli("case", "outcome", "x-1", "--result", "rejected")  # the police declined: the lawyer is next
    brief = cli("case", "escalate", "x-1").split("--- for you")[0]
    law = brief.split("三、法律依据")[1]
    assert STATUTE in law and "平台社区规范" in law and "知识库暂无适用条文" not in law
    assert "citations_in_knowledge: FAILED" not in cli("case", "show", "x-1")
