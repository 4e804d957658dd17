"""The stores' one connection: the queue, audit, cases, accounts, suggestions, alert outbox and comment
history write their SQL once, in SQLite's dialect (`?` placeholders), and it runs on the data directory's
SQLite file by default or on PostgreSQL when the database URL says so.

The few differences are handled in one place, agent.storage.postgres:
- placeholders (`?` → `%s`), `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE` → an upsert
  on the table's primary key, `json_extract(col, '$.a.b')` → `col::jsonb #>> '{a,b}'`, `COLLATE BINARY` (text
  ordered by code point, as Python sorts it) → `COLLATE "C"`;
- `lastrowid`: an INSERT into a table with a serial key gets `RETURNING` that key;
- a write transaction: SQLite's `BEGIN IMMEDIATE` (writers queue, one at a time) is, on PostgreSQL, a
  transaction that first takes one advisory lock shared by every RedReply process. Each check-then-write
  (the version-checked claim of an item, a case's transition, a sign-in's failure count) therefore sees
  what the previous writer committed, on any machine, as on SQLite; reads never wait for it.

Rows answer by name and by position (`row["status"]`, `row[0]`, `dict(row)`) on both.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from agent.config import Settings

Params = Sequence[Any]


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...
    @property
    def lastrowid(self) -> int | None: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Sql(Protocol):
    """What a store writes through, inside a transaction or not (a sqlite3 connection is one)."""

    def execute(self, sql: str, params: Any = ..., /) -> Cursor: ...
    def executemany(self, sql: str, rows: Any, /) -> Any: ...


# --- SQLite -----------------------------------------------------------------------------------------
def sqlite_connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit): WAL, and a writer waits for another."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.row_factory = sqlite3.Row
    return conn


@contextmanager
def sqlite_transaction(conn: sqlite3.Connection, lock: threading.RLock) -> Iterator[sqlite3.Connection]:
    """One write transaction; IMMEDIATE so concurrent writers queue instead of failing mid-way."""
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


class Database:
    """One store's handle on the desk's database. SQLite: its own connection (reads run on it, writes in
    `tx()`); PostgreSQL: the process's pool for that URL."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, url: str) -> None:
        self.url = url
        self._conn = conn
        self._lock = threading.RLock()

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Any:
        return self._conn.executemany(sql, rows)

    @contextmanager
    def tx(self) -> Iterator[Sql]:
        with sqlite_transaction(self._conn, self._lock) as c:
            yield c

    def close(self) -> None:
        self._conn.close()


# --- opening ----------------------------------------------------------------------------------------
def open_database(target: Path | str) -> Database:
    """The database a store was given: a URL (`sqlite:///…`, `postgresql://…`), or the SQLite file of a data
    directory, brought to the code's schema first (an unreachable server is one line, exit 2)."""
    url = resolve_url(target)
    if url.startswith(("postgresql", "postgres:")):
        from agent.storage.postgres import PostgresDatabase
        from agent.storage.schema import ensure_schema

        ensure_schema(url)
        return PostgresDatabase(url)
    path = Path(url.split("///", 1)[1]) if url.startswith("sqlite:") else Path(url)
    from agent.storage.sqlite_schema import ensure_sqlite

    ensure_sqlite(path)
    return Database(sqlite_connect(path), url)


def desk_database(settings: Settings) -> str:
    """The desk's database: `REDREPLY_DATABASE_URL`, else the data directory's SQLite file (where the queue has
    always been, so an existing data directory upgrades in place)."""
    return settings.database_url or f"sqlite:///{settings.queue_path}"


def resolve_url(target: Path | str) -> str:
    """A URL as it is; a path: the database of the data directory whose queue file it is. That is the
    SQLite file itself, unless the environment's settings name that data directory and a database URL
    (so a page that holds only the queue's path, the desk's sign-in, opens the shared database)."""
    if isinstance(target, str) and "://" in target:
        return target
    path = Path(target)
    try:
        env = Settings()
    except Exception:  # noqa: BLE001 (settings the environment cannot make: the path is all there is)
        return f"sqlite:///{path}"
    if env.database_url and path.resolve() == env.queue_path.resolve():
        return env.database_url
    return f"sqlite:///{path}"
