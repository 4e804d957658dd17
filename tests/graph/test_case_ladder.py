"""Appeals as cases, end to end: drafts made by the real graph open their cases, a person walks the ladder
through the CLI, and a case process killed at random points leaves every case whole (old state or new)."""

import os
import random
import signal
import subprocess
import sys
import time

from agent.cli import main
from agent.review.casework.case_desk import CaseDesk
from agent.review.casework.cases import open_cases_for
from agent.schemas import CommentIn, Violation
from tests.factories import draft_result

WORKER = """
from agent.config import Settings
from agent.review.casework.case_desk import CaseDesk
desk = CaseDesk(Settings())
for case in desk.book.cases():
    while True:
        case = desk.book.get(case.id)
        if case.rung == "litigation" and case.status == "rejected":
            break
        if case.status == "drafted":
            desk.submit(case.id, "bot")
        elif case.status == "submitted":
            desk.outcome(case.id, "rejected", "bot")
        elif case.rung == "complaint_email" and case.checklist_missing:
            desk.tick(case.id, case.checklist_missing, "bot")
        else:
            desk.escalate(case.id, "bot")
        print(case.id, flush=True)
"""
# open, submit + outcome on each of the 8 rungs, 7 escalations, one checklist tick: 25 rows per case, no more.
EVENTS_PER_CASE = 1 + 8 * 2 + 7 + 1


def cli(*args: str) -> int:
    return main(["case", *args])


def test_a_drafted_appeal_opens_its_case_and_the_ladder_is_walked(desk_factory, settings, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(settings.data_dir))
    desk = desk_factory()
    result = desk.submit(CommentIn(id="g-1", text="这个精华含激素，用了烂脸，大家别买，客服都是傻逼", author="路人"), "glowskin")
    assert result.appeal is not None
    case_id = open_cases_for(result, desk.queue)  # the one line the desk adds after storing a draft
    assert case_id == "g-1" and open_cases_for(result, desk.queue) == "g-1"  # idempotent
    assert cli("submit", "g-1", "--by", "amy") == 0
    assert cli("outcome", "g-1", "--result", "rejected") == 0
    assert cli("escalate", "g-1") == 0
    out = capsys.readouterr().out
    # The text to paste carries no internal note ("上一次以…举报"): the reviewer reads it apart, below the text.
    text, _, notes = out.partition("--- for you, not to paste ---")
    assert "second_report" in text and "上一次以" not in text and "此前处理记录" not in text
    assert "上一次以「造谣、虚假信息」举报，结果是驳回" in notes
    for _ in range(4):  # second report, back office, account manager, complaint email: each rejected
        assert cli("submit", "g-1") == 0 and cli("outcome", "g-1", "--result", "rejected") == 0
        if cli("escalate", "g-1") != 0:
            break
    assert "legal brief blocked" in capsys.readouterr().err
    assert CaseDesk(settings).book.get("g-1").rung == "complaint_email"
    assert cli("checklist", "g-1", "--done", "screenshots", "recording", "notarisation", "order_check",
               "prior_reports") == 0
    assert cli("escalate", "g-1") == 0 and "【律师函要点" in capsys.readouterr().out
    assert cli("submit", "g-1") == 0 and cli("outcome", "g-1", "--result", "no_answer") == 0
    assert cli("escalate", "g-1", "--to", "regulator_12377") == 0
    events = CaseDesk(settings).book.events("g-1")
    assert [e.to_state for e in events if e.action == "escalate"] == [
        "second_report:drafted", "brand_backend:drafted", "account_manager:drafted", "complaint_email:drafted",
        "legal_brief:drafted", "regulator_12377:drafted"]


def test_a_flood_cluster_is_one_case(desk_factory):
    desk = desk_factory()
    comments = [CommentIn(id=f"fl{i}", text="垃圾产品，用了烂脸，大家千万别买！" + "！" * i, author=f"a{i}") for i in range(4)]
    desk.accept(comments, "glowskin")
    desk.draft_all([c.id for c in comments])
    cases = {open_cases_for(desk.queue.get(c.id).result, desk.queue) for c in comments}  # type: ignore[arg-type]
    assert cases == {"cluster:fl0"}
    case = CaseDesk(desk.settings, desk.queue).book.get("fl3")
    assert case.members == ["fl0", "fl1", "fl2", "fl3"] and Violation.flooding in case.violations


def test_case_process_killed_repeatedly_leaves_every_case_whole(settings):
    desk = CaseDesk(settings)
    n = 60  # 1,440 transitions; each run is killed after a random 100-300 of them, wherever it then is
    for i in range(n):
        desk.book.open_for(draft_result(f"k{i:02d}", violations=[Violation.rumor, Violation.abuse], severity=2,
                                        appeal_reason=Violation.rumor))
    env = {**os.environ, "REDREPLY_DATA_DIR": str(settings.data_dir)}
    rng = random.Random(7)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for _ in range(rng.randint(100, 300)):  # progress, not a clock: the kill lands mid-run on any machine
            proc.stdout.readline()
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        restarted = CaseDesk(settings)  # after each kill: every case is exactly where its audit says
        for case in restarted.book.cases():
            events = restarted.book.events(case.id)
            assert all(b.from_state == a.to_state for a, b in zip(events, events[1:], strict=False))
            assert events[-1].to_state == case.state
    assert {c.state for c in CaseDesk(settings).book.cases()} != {"litigation:rejected"}  # stopped part-way
    final = subprocess.run([sys.executable, "-c", WORKER], env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    restarted = CaseDesk(settings)
    assert {c.state for c in restarted.book.cases()} == {"litigation:rejected"}
    counts = [len(restarted.book.events(c.id)) for c in restarted.book.cases()]
    assert counts == [EVENTS_PER_CASE] * n  # nothing applied twice, nothing lost


def test_the_first_reports_upload_list_is_not_read_as_evidence_claimed(desk_factory, settings, monkeypatch, capsys):
    """The first report lists what to upload; a later rung copying that list would claim it attached."""
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(settings.data_dir))
    desk = desk_factory()
    result = desk.submit(CommentIn(id="g-2", text="加vx: abc123 兼职日结 有意私", author="路人"), "glowskin")
    assert open_cases_for(result, desk.queue) == "g-2"
    assert cli("show", "g-2") == 0
    assert "check evidence_as_ticked: ok" in capsys.readouterr().out
