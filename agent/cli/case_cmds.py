"""`redreply case list|show|submit|outcome|escalate|checklist`: appeals followed up the escalation ladder.

A person does each step on the platform (or by mail, or through the lawyer) and records it here; RedReply
drafts the next rung and keeps the deadline. Bad input is one line on stderr and exit 2, with nothing recorded.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from agent.cases.model import Case
from agent.cases.rules import RESULTS, RUNGS, checklist_for, track_rungs
from agent.cli.render import table
from agent.config import Settings
from agent.drafting.ladder import checklist_text
from agent.errors import UserError
from agent.review.casework.case_desk import CaseDesk
from agent.review.casework.case_stats import desk_rows


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("case", help="appeals as cases: record what the platform answered, draft the next rung")
    cs = p.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    ls = cs.add_parser("list", help="open cases, due and overdue first (⏳)")
    ls.add_argument("--due", action="store_true", help="only cases whose rung is due or overdue")
    ls.add_argument("--all", action="store_true", help="closed cases too")
    ls.set_defaults(func=cmd_list)

    show = cs.add_parser("show", help="one case: rung, status, deadline, drafts, checklist, audit")
    show.add_argument("id", help="the case id, or the id of any item in it")
    show.set_defaults(func=cmd_show)

    def step(name: str, help_text: str) -> argparse.ArgumentParser:
        s = cs.add_parser(name, help=help_text)
        s.add_argument("id", help="the case id, or the id of any item in it")
        s.add_argument("--by", help="who did it, for the audit trail (default: REDREPLY_REVIEWER or $USER)")
        return s

    step("submit", "you submitted the current rung's text; its deadline starts now").set_defaults(func=cmd_submit)
    o = step("outcome", "what the platform (or channel) answered")
    o.add_argument("--result", help="accepted | rejected | no_answer")
    o.add_argument("--rung", help="the rung the answer is for; refused unless it is the case's current rung")
    o.set_defaults(func=cmd_outcome)
    e = step("escalate", "draft the next rung after a rejection or a missed deadline")
    e.add_argument("--reason", help="the report reason of a second report (default: the best true one left)")
    e.add_argument("--to", help="the rung you expect next (a safety check: a skipped rung is refused)")
    e.set_defaults(func=cmd_escalate)
    c = step("checklist", "tick evidence-fixing items (the lawyer's brief, or extortion's police report, waits "
                          "for all of them)")
    c.add_argument("--done", nargs="*", default=[], metavar="ITEM",
                   help=f"items done: {', '.join(checklist_for(cluster=True))}; extortion: "
                        f"{', '.join(checklist_for(cluster=False, track='extortion'))}")
    c.set_defaults(func=cmd_checklist)


def _who(args: argparse.Namespace, settings: Settings) -> str:
    return (args.by or settings.reviewer or "reviewer").strip()


def _line(case: Case) -> str:
    due = f", due {case.due_at}" if case.status == "submitted" and case.due_at else ""
    return f"{case.id}: {case.rung} ({RUNGS[case.rung].label}) {case.status}{due}" + (" · closed" if case.closed else "")


def _written_by(desk: CaseDesk, case: Case) -> str:
    """Who wrote the current rung's draft, why the offline template stood in, what the model's attempt failed."""
    record = desk.draft_record(case)
    if record is None or record.model is None:
        return ""
    line = f"written by {record.model}" + (f" (offline template: {record.fallback})" if record.fallback else "")
    if record.rejected is not None:
        line += "".join(f"\nrejected {record.rejected.model} draft: {c.name} {c.detail}"
                        for c in record.rejected.failed_checks)
    return line


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    desk = CaseDesk(settings)
    opened = desk.open_missing()
    if opened:
        print(f"opened {len(opened)} case(s) for appealed drafts that had none")
    rows = desk_rows(desk.book.cases(open_only=not args.all), datetime.now(UTC))
    if args.due:
        rows = [r for r in rows if r["due"]]
    if not rows:
        print("no cases due" if args.due else "no open cases")
        return 0
    print(table([("", 1), ("id", 24), ("kind", 9), ("rung", 18), ("status", 10), ("left", 16), ("reason", 16),
                 ("next", 0)],
                ([r["due"] or " ", *(r[k] for k in ("id", "kind", "rung", "status", "left", "reason", "next"))]
                 for r in rows)))
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    desk = CaseDesk(settings)
    case = desk.book.get(args.id)
    print(_line(case))
    print(f"brand {case.brand} · {case.kind} of {len(case.members)}: {', '.join(case.members)}")
    if case.track == "extortion":
        print(f"extortion track, not the ladder: {' → '.join(track_rungs(case.track))}")
    print(f"reason {case.reason} · tried {', '.join(case.tried) or '-'} · violations "
          f"{', '.join(case.violations) or '-'} · severity {case.severity}")
    missing = case.checklist_missing
    print(f"evidence checklist: {len(case.checklist)} done" + (f", missing {', '.join(missing)}" if missing else ""))
    text = desk.current_draft(case)
    print(f"\n--- draft for {case.rung} ---\n{text}")
    if written := _written_by(desk, case):
        print(written)
    _print_notes(desk, case)
    for check in desk.checks(text, case):
        print(f"check {check.name}: {'ok' if check.passed else 'FAILED ' + check.detail}")
    for d in desk.book.drafts(case.id):
        if d.kind == "recovery":
            print(f"\n--- recovery note (review before posting) ---\n{d.text}")
    print()
    for ev in desk.book.events(case.id):
        print(f"audit {ev.at} {ev.who} {ev.action}: {ev.from_state or '-'} -> {ev.to_state}"
              + (f" ({ev.note})" if ev.note else ""))
    return 0


def cmd_submit(args: argparse.Namespace, settings: Settings) -> int:
    print(_line(CaseDesk(settings).submit(args.id, _who(args, settings))))
    return 0


def cmd_outcome(args: argparse.Namespace, settings: Settings) -> int:
    if args.result not in RESULTS:
        raise UserError(f"case outcome needs --result {'|'.join(RESULTS)}"
                        + (f", not '{args.result}'" if args.result else ""))
    desk = CaseDesk(settings)
    case = desk.outcome(args.id, args.result, _who(args, settings), rung=args.rung)
    print(_line(case))
    if case.closed and any(d.kind == "recovery" for d in desk.book.drafts(case.id)):
        print("a recovery note was drafted: `redreply case show` shows it for review")
    elif case.status in ("rejected", "no_answer"):
        print(f"next: `redreply case escalate {case.id}` drafts the next rung")
    return 0


def cmd_escalate(args: argparse.Namespace, settings: Settings) -> int:
    desk = CaseDesk(settings)
    case = desk.escalate(args.id, _who(args, settings), reason=args.reason, to=args.to)
    print(_line(case))
    text = desk.current_draft(case)
    print(text)
    if written := _written_by(desk, case):
        print(written)
    _print_notes(desk, case)
    for check in desk.checks(text, case):  # a rung the case's reach does not warrant says so where it is drafted
        if not check.passed and check.name != "placeholders_filled":
            print(f"check {check.name}: FAILED {check.detail}")
    return 0


def _print_notes(desk: CaseDesk, case: Case) -> None:
    """The reviewer's notes, apart from the text to paste."""
    notes = desk.reviewer_notes(case)
    if notes:
        print("\n--- for you, not to paste ---\n" + "\n".join(f"· {n}" for n in notes))


def cmd_checklist(args: argparse.Namespace, settings: Settings) -> int:
    desk = CaseDesk(settings)
    case = desk.tick(args.id, args.done, _who(args, settings)) if args.done else desk.book.get(args.id)
    print(checklist_text(case))
    return 0
