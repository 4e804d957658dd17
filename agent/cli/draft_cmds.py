"""`redreply draft` and `redreply batch`."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from agent.cli.import_cmds import add_source_args, comments_to_queue, read_export
from agent.cli.render import draft_text
from agent.comments_io import JsonlWriter, done_ids, repair_torn_tail
from agent.config import Settings
from agent.drafting.model_names import check_model_name
from agent.drafting.preflight import preflight
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.progress import Progress
from agent.review.store.intake import describe
from agent.schemas import CommentIn, DraftResult
from agent.triage.pii import redact


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("draft", help="triage one comment and draft its reply and appeal")
    p.add_argument("text", help="the comment text")
    p.add_argument("--brand", help="brand id (see `redreply brands`)")
    p.add_argument("--model", help="'offline' or a litellm model name")
    p.add_argument("--id", help="id for the review queue (default: generated)")
    p.add_argument("--author", help="the commenter's nickname, for the order lookup")
    p.add_argument("--order-id", help="an order id the commenter gave")
    p.add_argument("--json", action="store_true", help="print the JSON contract instead of text")
    p.add_argument("--queue", action="store_true", help="also put the comment and its draft in the team's review "
                                                        "queue (default: draft only, the queue is left alone)")
    p.set_defaults(func=cmd_draft)

    b = sub.add_parser("batch", help="draft a whole export of comments (RedReply's lines or a crawler's export); "
                                     "resumable")
    b.add_argument("input", type=Path, help="a .jsonl, .json, .csv, .xlsx or .db export (RedReply's fields: id, "
                                            "text, author?, …; crawler shapes are recognised by their fields)")
    b.add_argument("--brand", help="brand id")
    b.add_argument("--out", type=Path, required=True, help="drafts.jsonl; ids already in it are skipped")
    b.add_argument("--model", help="'offline' or a litellm model name")
    b.add_argument("--concurrency", type=int, default=4, help="comments drafted at once (default 4)")
    add_source_args(b)
    b.set_defaults(func=cmd_batch)


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    if not args.text.strip():
        raise UserError("the comment is empty: pass the comment text in quotes")
    comment = CommentIn(id=args.id or f"c-{uuid.uuid4().hex[:8]}", text=args.text, author=args.author,
                        order_id=args.order_id)
    if len(comment.text) > settings.comment_max_chars:
        raise UserError(f"the comment is {len(comment.text)} characters; the limit is {settings.comment_max_chars}")
    check_model_name(settings.model, settings.api_base)  # a typo fails here, before the store or graph loads
    from agent.review.service import Drafter, ReviewDesk  # LangGraph: only the commands that run it

    brand = args.brand or settings.brand
    if args.queue:
        result = ReviewDesk(settings).submit(comment, brand)
    else:
        preflight(settings)
        result = Drafter(settings).draft(comment, brand)
    print(result.model_dump_json(indent=2) if args.json else draft_text(result, comment.text))
    return 0


def cmd_batch(args: argparse.Namespace, settings: Settings) -> int:
    brand = args.brand or settings.brand
    if args.concurrency < 1 or args.concurrency > 64:
        raise UserError("--concurrency must be between 1 and 64")
    result = read_export(args.input, settings, brand, args.format, args.notes)
    errors = result.errors
    print(describe(result), file=sys.stderr)
    comments = comments_to_queue(result, args.input, "draft", load_brand(settings.knowledge_dir, brand))
    check_model_name(settings.model, settings.api_base)
    from agent.review.service import ReviewDesk

    desk = ReviewDesk(settings)
    repair_torn_tail(args.out)  # a crash mid-write: the next line must start on a line of its own
    written = done_ids(args.out)
    plan = desk.resume_batch(comments, brand, written)
    todo = plan.todo
    if plan.kept_drafts:
        print(f"{len(plan.kept_drafts)} id(s) already in the review queue keep their drafts "
              f"(`redreply review regenerate ID` drafts one again)", file=sys.stderr)
    if plan.undrafted:
        print(f"{len(plan.undrafted)} accepted earlier but never drafted: drafting them now", file=sys.stderr)
    if written:
        print(f"resuming: {plan.already_written} already in {args.out}", file=sys.stderr)
    writer = JsonlWriter(args.out)
    progress = Progress(len(todo), "draft")
    failures: list[str] = []

    def on_done(item_id: str, result: DraftResult | None, error: str | None) -> None:
        if result is not None:
            writer.write(result.model_dump_json())
        else:
            failures.append(item_id)
            print(f"\n{item_id}: failed: {redact(error or '')}", file=sys.stderr)
        progress.advance(failed=result is None)

    try:
        desk.draft_all(todo, concurrency=args.concurrency, on_done=on_done)
    finally:
        writer.close()
    print(f"drafted {len(todo) - len(failures)} · failed {len(failures)} · skipped lines {len(errors)} "
          f"· written to {args.out}; review with `redreply review list`", file=sys.stderr)
    return 1 if failures or errors else 0
