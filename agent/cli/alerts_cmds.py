"""`redreply alerts list|send`: the alerts the desk queued for the brands' chat channels (agent.review.alerts.outbox).

Alerts are queued and sent after each draft; `send` first queues an alert for each appeal case whose rung
became due or overdue, then delivers what is still pending (a receiver that was down, a process that died),
retrying with backoff. A channel that cannot be reached is one line on stderr and
exit 2; its alerts stay pending, and nothing already sent is sent again.
"""

from __future__ import annotations

import argparse

from agent.config import Settings
from agent.errors import UserError
from agent.review.alerts.outbox import AlertOutbox
from agent.review.alerts.records import AlertRecord
from agent.review.store.queue import ReviewQueue
from agent.storage.connection import desk_database

STATUSES = ("pending", "sent", "failed")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("alerts", help="webhook alerts (severity 3, extortion, flood, spike, due appeal cases): "
                                     "list and send")
    al = p.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    ls = al.add_parser("list", help="what was sent, what is pending or failed, with attempts")
    ls.add_argument("--status", help=f"only {' | '.join(STATUSES)}")
    ls.add_argument("--brand", help="only this brand")
    ls.set_defaults(func=cmd_list)
    send = al.add_parser("send", help="queue alerts for due appeal cases, deliver pending alerts now, "
                                          "retrying with backoff")
    send.add_argument("--retries", type=int, default=2, help="tries again per alert in this run (default 2)")
    send.add_argument("--retry-failed", action="store_true", help="also try the failed ones again")
    send.set_defaults(func=cmd_send)


def _outbox(settings: Settings) -> AlertOutbox:
    outbox = AlertOutbox(settings, ReviewQueue(desk_database(settings)))
    outbox.backfill()  # drafts a crash left unchecked
    return outbox


def _line(r: AlertRecord) -> str:
    when = {"sent": f"sent {r.sent_at}", "pending": f"next try {r.next_attempt_at}"}.get(r.status, "gave up")
    error = f" · last error: {r.last_error}" if r.last_error and r.status != "sent" else ""
    return (f"{r.id:>4} {r.status:<8} {r.attempts:>3}  {r.trigger:<10} {r.brand}/{r.channel:<10} "
            f"{r.item_id:<14} {when}{error}")


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    if args.status and args.status not in STATUSES:
        raise UserError(f"alerts list --status takes {' | '.join(STATUSES)}, not '{args.status}'")
    rows = _outbox(settings).records(status=args.status, brand=args.brand)
    if not rows:
        print("no alerts" + (f" {args.status}" if args.status else "") + " (a brand alerts once `alerts: "
              "{channels: …}` is set in its brand.yaml; see docs/alerts.md)")
        return 0
    print(f"{'id':>4} {'status':<8} {'try':>3}  {'trigger':<10} {'channel':<20} {'item':<14} when")
    for r in rows:
        print(_line(r))
        print(f"{'':>19}{r.reason}")
    return 0


def cmd_send(args: argparse.Namespace, settings: Settings) -> int:
    if args.retries < 0 or args.retries > 10:
        raise UserError("alerts send --retries takes 0 to 10")
    outbox = _outbox(settings)
    outbox.check_cases()  # rungs that became due since the last draft or send (drafts look once a minute)
    if args.retry_failed:
        outbox.retry_failed()
    report = outbox.deliver(force=True, retries=args.retries)
    for r in report.sent:
        print(f"sent   {r.id}: {r.trigger} {r.item_id} → {r.brand}/{r.channel}")
    for r in report.failed:
        print(f"failed {r.id}: {r.trigger} {r.item_id} → {r.brand}/{r.channel}: {r.last_error}")
    if not (report.sent or report.pending or report.failed):
        print("nothing pending")
    earlier = len(outbox.records(status="failed")) - len(report.failed)
    if earlier:
        print(f"{earlier} alert(s) failed earlier and were not resent: `redreply alerts list --status failed`; "
              "`redreply alerts send --retry-failed` tries them again")
    if report.pending or report.failed:
        parts = [f"{len(report.pending)} alert(s) not delivered and still pending"] if report.pending else []
        parts += [f"{len(report.failed)} failed for good (`alerts send --retry-failed` after fixing the channel)"
                  ] if report.failed else []
        why = "; ".join(f"{where}: {detail}" for where, detail in report.problems.items())
        raise UserError(", ".join(parts) + (f" — {why}" if why else "")
                        + ("; run `redreply alerts send` again once the channel is back or fixed" if report.pending else ""))
    return 0
