"""`redreply import`: queue an export of comments without drafting. Also the reading half of `batch`.

Both read through `agent.sources.read_any`, so any shape it recognises works (RedReply's own lines,
MediaCrawler's JSONL/JSON/CSV/SQLite, the web API, Spider_XHS): the brand's own replies are not queued
as comments to answer, but they stay in the threads of the comments that are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.brands import Brand, load_brand
from agent.review.store.intake import describe
from agent.schemas import CommentIn
from agent.sources import FORMATS, ImportResult, read_any
from agent.sources.models import THREAD_TOKENS
from agent.triage.section_evidence import section_inputs


def add_source_args(p: argparse.ArgumentParser) -> None:
    """`--format` and `--notes`, shared by `import` and `batch`."""
    p.add_argument("--format", choices=list(FORMATS),
                   help="the export's shape, when detecting it by its fields is not wanted")
    p.add_argument("--notes", type=Path, help="a notes (contents) file to join on note_id; a MediaCrawler "
                                              "comments file finds the contents file beside it by itself")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="queue an export of comments for review and enqueue their drafting jobs "
                                      "(crawler exports and RedReply's own lines); re-importing changes nothing")
    p.add_argument("input", type=Path, help="a .jsonl, .json, .csv, .xlsx or .db export")
    p.add_argument("--brand", help="brand id")
    add_source_args(p)
    p.set_defaults(func=cmd_import)


def read_export(path: Path, settings: Settings, brand: str, format: str | None = None,
                notes: Path | None = None) -> ImportResult:
    """The export read with the brand's own accounts known; each skipped line printed with its number."""
    accounts = load_brand(settings.knowledge_dir, brand).account_keys
    result = read_any(path, format=format, notes_path=notes, brand_accounts=accounts,
                      max_chars=settings.comment_max_chars)
    if result.partial:
        print(f"{path}: {result.partial}", file=sys.stderr)
    for e in result.errors:
        where = f"{path}:{e.line}" if e.line else str(path)
        print(f"{where}: skipped: {e.message}", file=sys.stderr)
    return result


def comments_to_queue(result: ImportResult, path: Path, what: str, brand: Brand) -> list[CommentIn]:
    """Every comment of the export, the brand's own included (they are left, with the reason), each with its
    thread and what its section says about it."""
    comments = section_inputs(result, brand, THREAD_TOKENS)
    if not comments:
        raise UserError(f"{path}: no valid comments to {what}")
    return comments


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    brand = args.brand or settings.brand
    result = read_export(args.input, settings, brand, args.format, args.notes)
    print(describe(result))
    comments = comments_to_queue(result, args.input, "queue", load_brand(settings.knowledge_dir, brand))
    from agent.review.store.intake import accept_comments

    new, known = accept_comments(settings, comments, brand)
    threaded = sum(bool(c.context and c.context.thread) for c in comments)
    print(f"accepted {len(new)} new comment(s) into the review queue for {brand} "
          f"({len(known)} already queued, unchanged; {threaded} with an earlier thread); "
          f"a drafting job each: draft them with `redreply worker --drain` or in the review desk")
    return 1 if result.errors else 0
