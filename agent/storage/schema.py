"""Bringing a database to the code's schema: Alembic's ordered revisions, applied once per process and
URL under a lock (several desks and workers may start together), and a refusal when the database is
newer than the code."""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from agent.errors import UserError
from agent.storage.engine import check_connection, is_postgres
from agent.storage.tables import schema_writers

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_READY: set[str] = set()
_LOCK = threading.Lock()
_PG_LOCK_KEY = 26_0526  # any constant: the advisory lock every RedReply process takes to migrate


class SchemaTooNew(UserError):
    """The database was migrated by a newer RedReply: starting would misread its tables."""

    exit_code = 2


def app_version() -> str:
    try:
        return version("redreply")
    except PackageNotFoundError:
        return "unknown"


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def revisions() -> list[str]:
    """Every revision of the code, oldest first."""
    return [r.revision for r in reversed(list(ScriptDirectory.from_config(_config()).walk_revisions()))]


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(url: str) -> None:
    """Upgrade the database at `url` to the code's head (once per process); refuse one that is newer."""
    if url in _READY:
        return
    engine = check_connection(url)
    with _LOCK, _file_lock(url), engine.begin() as conn:
        if is_postgres(url):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        _refuse_newer(conn, current(conn))
        if current(conn) != head():
            command.upgrade(_config(conn), "head")
            _record_writer(conn)
    if is_postgres(url):
        _READY.add(url)


def _refuse_newer(conn: Connection, rev: str | None) -> None:
    if rev is None or rev in revisions():
        return
    row = conn.execute(sa.select(schema_writers.c.app_version).where(schema_writers.c.revision == rev)).first()
    writer = f"RedReply {row[0]} or newer" if row else "the RedReply that wrote it"
    raise SchemaTooNew(f"the database's schema is at revision {rev}, newer than this RedReply {app_version()} knows "
                       f"(up to {head()}); run {writer}")


def _record_writer(conn: Connection) -> None:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(sa.delete(schema_writers).where(schema_writers.c.revision == head()))
    conn.execute(sa.insert(schema_writers).values(revision=head(), app_version=app_version(), applied_at=at))


@contextlib.contextmanager
def _file_lock(url: str) -> Iterator[None]:
    """SQLite: processes starting together on one data directory migrate one after the other."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        yield
        return
    with open(u.database + ".migrate.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def forget(url: str | None = None) -> None:
    """Tests: the next ensure_schema looks at the database again."""
    if url is None:
        _READY.clear()
    else:
        _READY.discard(url)


def upgrade_connection(dbapi_conn: sqlite3.Connection) -> None:
    """Alembic on a SQLite connection the caller already holds (see sqlite_schema)."""
    engine = sa.create_engine("sqlite://", creator=lambda: dbapi_conn, poolclass=StaticPool)
    with engine.begin() as conn:
        _refuse_newer(conn, current(conn))
        command.upgrade(_config(conn), "head")
        _record_writer(conn)
