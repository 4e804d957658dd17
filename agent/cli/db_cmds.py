"""`redreply db`: the schema's state, upgrading it, and copying a SQLite data directory to PostgreSQL."""

from __future__ import annotations

import argparse
import contextlib

from agent.config import Settings
from agent.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="the database: its schema version, upgrading it, copying it to PostgreSQL")
    s = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    s.add_parser("status", help="where the database is, its schema revision and the drafting jobs").set_defaults(
        func=cmd_status)
    s.add_parser("upgrade", help="bring the database to this version's schema (every start does it too)") \
        .set_defaults(func=cmd_upgrade)
    c = s.add_parser("copy", help="copy the data directory's SQLite database and checkpoints into an empty "
                                  "PostgreSQL database")
    c.add_argument("--to", required=True, help="the target postgresql://user:password@host:port/db")
    c.set_defaults(func=cmd_copy)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from agent.storage.engine import check_connection, database_url, where
    from agent.storage.jobs import JobQueue
    from agent.storage.schema import current, head

    url = database_url(settings)
    with check_connection(url).connect() as c:
        rev = current(c)
    print(f"database  {where(url)}")
    print(f"schema    {rev or 'empty'} (this version's: {head()})")
    if rev == head():
        counts = JobQueue(url).counts()
        print("jobs      " + (" · ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
    return 0


def cmd_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from agent.storage.engine import database_url, where
    from agent.storage.schema import ensure_schema, head

    url = database_url(settings)
    ensure_schema(url)
    print(f"{where(url)}: schema at {head()}")
    from agent.review.store.listing import fill_listing
    from agent.storage.connection import open_database

    filled = fill_listing(open_database(url))  # else the first desk to open the queue does it
    if filled:
        print(f"{filled} item(s) given the columns the queue page lists them by")
    return 0


def cmd_copy(args: argparse.Namespace, settings: Settings) -> int:
    from agent.graph.build import postgres_checkpointer, sqlite_checkpointer
    from agent.graph.checkpoint_copy import copy_checkpoints
    from agent.knowledge.memory import move_legacy
    from agent.storage.copy import copy_database
    from agent.storage.engine import is_postgres, sqlite_url, where

    if not is_postgres(args.to):
        raise UserError("--to must be a postgresql:// URL")
    if not settings.queue_path.exists():
        raise UserError(f"no database to copy in {settings.data_dir} (no {settings.queue_path.name})")
    move_legacy(sqlite_url(settings.queue_path), settings.memory_path)  # an old memory.sqlite travels with the rest
    copied = copy_database(sqlite_url(settings.queue_path), args.to)
    checkpoints = 0
    if settings.checkpoint_path.exists():
        with contextlib.ExitStack() as resources:
            source = sqlite_checkpointer(settings.checkpoint_path, resources)
            target = postgres_checkpointer("postgresql://" + args.to.split("://", 1)[1], resources)
            checkpoints = copy_checkpoints(source, target)
    rows = sum(copied.values())
    print(f"copied {rows} row(s) in {len(copied)} table(s) and {checkpoints} checkpoint(s) to {where(args.to)}; "
          f"every count checked. Set REDREPLY_DATABASE_URL to it to use it.")
    return 0
