"""`redreply review list|show|approve|edit|reject|regenerate|export` over the checkpointed queue."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent.cli.render import draft_text
from agent.config import Settings
from agent.errors import UserError
from agent.review.store.exporting import export_approved
from agent.review.store.queue import ReviewQueue
from agent.schemas import ReviewDecision
from agent.storage.connection import desk_database
from agent.triage.pii import redact


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("review", help="work the review queue (the CLI side of the review app)")
    rs = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    ls = rs.add_parser("list", help="items in the queue")
    ls.add_argument("--status", help="needs_review, left, approved, rejected, exported, failed, pending")
    ls.add_argument("--brand")
    ls.set_defaults(func=cmd_list)

    show = rs.add_parser("show", help="one item: comment, triage, drafts, checks, sources, audit")
    show.add_argument("id")
    show.set_defaults(func=cmd_show)

    def decision_parser(name: str, help_text: str) -> argparse.ArgumentParser:
        d = rs.add_parser(name, help=help_text)
        d.add_argument("id")
        d.add_argument("--reviewer", help="your name for the audit trail (default: REDREPLY_REVIEWER or $USER)")
        d.add_argument("--version", type=int, help="fail if the item changed since this version")
        d.set_defaults(func=cmd_decide, action=name)
        return d

    decision_parser("approve", "approve the draft as it is")
    e = decision_parser("edit", "approve with your edited reply")
    e.add_argument("--text", required=True, help="the edited reply")
    e.add_argument("--appeal", help="the edited appeal explanation")
    r = decision_parser("reject", "reject the draft")
    r.add_argument("--reason", required=True)
    g = decision_parser("regenerate", "draft again with an instruction")
    g.add_argument("--instruction", default="", help="e.g. 更短 / 更温暖 / 更正式 / 更详细 or your own words")

    bb = rs.add_parser("bring-back", help="bring a comment the plan left alone back into the to-do queue")
    bb.add_argument("id")
    bb.set_defaults(func=cmd_bring_back)

    ex = rs.add_parser("export", help="export approved replies and appeals (.csv or .json); nothing is posted")
    ex.add_argument("--out", type=Path, required=True)
    ex.add_argument("--brand")
    ex.set_defaults(func=cmd_export)


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    items = ReviewQueue(desk_database(settings)).items(status=args.status, brand=args.brand)
    if not items:
        print("the queue is empty" if not args.status else f"no items with status {args.status}")
        return 0
    print(f"{'id':<14} {'status':<13} {'action':<7} {'sev':<3} {'source':<19} {'violations':<22} comment")
    for it in items:
        r = it.result
        sev = str(r.triage.severity) if r else "-"
        src = r.triage.source.value if r else "-"
        vio = ",".join(v.value for v in r.triage.violations) if r else ""
        text = redact(it.comment.text).replace("\n", " ")
        act = r.plan.action.value if r else "-"
        print(f"{it.id:<14} {it.status:<13} {act:<7} {sev:<3} {src:<19} {vio[:22]:<22} {text[:40]}")
        if r and r.plan.action_reason:
            print(f"{'':<14} {r.plan.action_reason}")
    return 0


def cmd_bring_back(args: argparse.Namespace, settings: Settings) -> int:
    from agent.review.store.marks import bring_back
    from agent.review.team.permissions import cli_account

    actor = cli_account(settings)  # REDREPLY_ACCOUNT, or the local admin while the desk has no accounts
    bring_back(ReviewQueue(desk_database(settings)), args.id, actor.name)  # no draft: the queue alone, not the graph
    print(f"{args.id} is back in the to-do queue (needs_review)")
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from agent.review.service import ReviewDesk  # LangGraph: imported only by the commands that run the graph

    desk = ReviewDesk(settings)
    item = desk.queue.get(args.id)
    print(f"{item.id} · {item.brand} · {item.status} · version {item.version}")
    stale = desk.stale_reason(item)
    if stale:
        print(f"STALE: {stale}")
    if item.error:
        print(f"error: {item.error}")
    if item.result:
        print(draft_text(item.result, item.comment.text))
    for d in desk.queue.decisions(item.id):
        print(f"audit    {d.at} {d.reviewer} {d.action}" + (f": {d.reason}" if d.reason else "")
              + (f" ({d.instruction})" if d.instruction else ""))
    return 0


def cmd_decide(args: argparse.Namespace, settings: Settings) -> int:
    from agent.review.service import ReviewDesk
    from agent.review.team.permissions import cli_account

    actor = cli_account(settings)  # REDREPLY_ACCOUNT, or the local admin while the desk has no accounts
    desk = ReviewDesk(settings)
    decision = ReviewDecision(
        action=args.action, reviewer=args.reviewer or actor.name,
        reply_text=getattr(args, "text", None), appeal_explanation=getattr(args, "appeal", None),
        reason=getattr(args, "reason", None), instruction=getattr(args, "instruction", None),
    )
    if not actor.local:
        decision = decision.model_copy(update={"reviewer": actor.name})  # the account, not a typed name
    result = desk.decide(args.id, decision, expected_version=args.version, actor=None if actor.local else actor)
    if args.action == "regenerate":
        print(draft_text(result))
    else:
        print(f"{args.id}: {result.status} by {decision.reviewer}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from agent.review.team.permissions import cli_account
    from agent.review.team.roles import EXPORT, require

    actor = cli_account(settings)
    require(actor, EXPORT, args.brand)
    if actor.brands and args.brand is None:
        raise UserError(f"{actor.name} works on {', '.join(actor.brands)} only: name one with --brand")
    n = export_approved(ReviewQueue(desk_database(settings)), args.out, args.brand)
    print(f"exported {n} approved item(s) to {args.out} (nothing was posted)")
    return 0
