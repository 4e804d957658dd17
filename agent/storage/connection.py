"""The stores' one connection: the queue, audit, cases, accounts, suggestions, alert outbox and comment
history write their SQL once, in SQLite's dialect (`?` placeholders), and it runs on the data directory's
SQLite file by default or on PostgreSQL when the database URL says so.

The few differences are handled here, and only here:
- placeholders (`?` → `%s`), `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE` → an upsert
  on the table's primary key, `json_extract(col, '$.a.b')` → `col::jsonb #>> '{a,b}'`;
- `lastrowid`: an INSERT into a table with a serial key gets `RETURNING` that key;
- a write transaction: SQLite's `BEGIN IMMEDIATE` (writers queue, one at a time) is, on PostgreSQL, a
  transaction that first takes one advisory lock shared by every RedReply process. Each check-then-write
  (the version-checked claim of an item, a case's transition, a sign-in's failure count) therefore sees
  what the previous writer committed, on any machine, as on SQLite; reads never wait for it.

Rows answer by name and by position (`row["status"]`, `row[0]`, `dict(row)`) on both.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from agent.config import Settings

Params = Sequence[Any]
_WRITE_LOCK_KEY = 26_0527  # the advisory lock of every write transaction (schema migrations use their own)
_POOL_MAX = int(os.environ.get("REDREPLY_DATABASE_POOL", "10"))


class Cursor(Protocol):
    rowcount: int
    lastrowid: int | None

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Sql(Protocol):
    """What a store writes through, inside a transaction or not."""

    def execute(self, sql: str, params: Params = ...) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Params]) -> Any: ...


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


# --- PostgreSQL -------------------------------------------------------------------------------------
class Row:
    """A row by name and by position, like sqlite3.Row."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values, self._index = tuple(values), index

    def __getitem__(self, key: int | str | slice) -> Any:
        return self._values[self._index[key]] if isinstance(key, str) else self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


class Fetched:
    """A statement's rows, read before its connection went back to the pool."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows, self.rowcount, self.lastrowid = rows, rowcount, lastrowid
        self._next = 0

    def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Row]:
        rest, self._next = self._rows[self._next:], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


def _row_factory(cursor: Any) -> Any:
    index = {c.name: i for i, c in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


class Catalog:
    """What the translation needs to know of the tables: primary keys, and serial keys."""

    def __init__(self, keys: dict[str, tuple[str, ...]], serial: dict[str, str]) -> None:
        self.keys, self.serial = keys, serial


_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)\s*(\(([^)]*)\))?", re.I)
_JSON = re.compile(r"json_extract\((\w+),\s*'\$\.([\w.]+)'\)")


def _placeholders(sql: str) -> str:
    """`?` → `%s` and a literal `%` doubled, outside quoted strings."""
    out, quoted = [], False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=2048)
def to_postgres(sql: str, catalog: Catalog, returning: bool) -> str:
    """The statement as PostgreSQL takes it (see the module's list)."""
    sql = _JSON.sub(lambda m: f"({m.group(1)}::jsonb #>> '{{{','.join(m.group(2).split('.'))}}}')", sql)
    m = _INSERT.match(sql)
    if m is None:
        return _placeholders(sql)
    conflict, table, columns = (m.group(1) or "").upper(), m.group(2), m.group(4)
    sql = re.sub(r"^\s*INSERT\s+OR\s+\w+\s+INTO", "INSERT INTO", sql, count=1, flags=re.I).rstrip().rstrip(";")
    if conflict == "IGNORE":
        sql += " ON CONFLICT DO NOTHING"
    elif conflict == "REPLACE":
        key = catalog.keys[table]
        cols = [c.strip() for c in (columns or "").split(",") if c.strip() and c.strip() not in key]
        sql += f" ON CONFLICT ({', '.join(key)}) DO " + (
            f"UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in cols)}" if cols else "NOTHING")
    if returning and table in catalog.serial and " RETURNING " not in sql.upper():
        sql += f" RETURNING {catalog.serial[table]}"
    return _placeholders(sql)


class _Tx:
    """Statements on the one connection of a PostgreSQL transaction."""

    dialect = "postgresql"

    def __init__(self, conn: Any, catalog: Catalog) -> None:
        self._conn, self._catalog = conn, catalog

    def execute(self, sql: str, params: Params = ()) -> Fetched:
        is_insert = _INSERT.match(sql) is not None
        cur = self._conn.execute(to_postgres(sql, self._catalog, is_insert), tuple(params))
        rows = cur.fetchall() if cur.description is not None else []
        if is_insert:  # the RETURNING row, if any, is the new key and not a result
            return Fetched([], cur.rowcount, int(rows[0][0]) if rows else None)
        return Fetched(rows, cur.rowcount, None)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Any:
        with self._conn.cursor() as cur:
            cur.executemany(to_postgres(sql, self._catalog, False), [tuple(r) for r in rows])
            return cur.rowcount


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:  # noqa: D107 (no SQLite connection: the pool is the process's)
        self.url = url
        self._pool = _pool(url)
        self._catalog = _catalog(url)
        self._local = threading.local()

    @contextmanager
    def _connection(self) -> Iterator[_Tx]:
        current = getattr(self._local, "tx", None)
        if current is not None:  # inside this thread's transaction: read what it wrote, as on SQLite
            yield current
            return
        with self._pool.connection() as conn:
            yield _Tx(conn, self._catalog)

    def execute(self, sql: str, params: Params = ()) -> Fetched:
        with self._connection() as c:
            return c.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Any:
        with self.tx() as c:
            return c.executemany(sql, rows)

    @contextmanager
    def tx(self) -> Iterator[Sql]:
        if getattr(self._local, "tx", None) is not None:
            raise RuntimeError("a write transaction inside another on one thread")  # SQLite refuses it too
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK_KEY,))
            self._local.tx = _Tx(conn, self._catalog)
            try:
                yield self._local.tx
            finally:
                self._local.tx = None

    def close(self) -> None:
        """The pool is the process's, shared by every store on the URL (dispose_all closes it)."""


_POOLS: dict[str, Any] = {}
_CATALOGS: dict[str, Catalog] = {}
_POOLS_LOCK = threading.Lock()


def libpq_url(url: str) -> str:
    """postgresql+psycopg://… (SQLAlchemy's form) as the plain URL psycopg takes."""
    return "postgresql://" + url.split("://", 1)[1]


def _pool(url: str) -> Any:
    import psycopg
    from psycopg_pool import ConnectionPool

    with _POOLS_LOCK:
        if url not in _POOLS:
            _POOLS[url] = ConnectionPool(
                libpq_url(url), min_size=1, max_size=_POOL_MAX, open=True,
                # Client-side binding: a parameter's type comes from its value, as on SQLite (`? IS NULL`).
                kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor, "row_factory": _row_factory,
                        "connect_timeout": 10})
        return _POOLS[url]


def _catalog(url: str) -> Catalog:
    with _POOLS_LOCK:
        if url in _CATALOGS:
            return _CATALOGS[url]
    with _pool(url).connection() as conn:
        keys: dict[str, list[str]] = {}
        for table, column in conn.execute(
                "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN LATERAL unnest(i.indkey) WITH ORDINALITY "
                "AS k(attnum, pos) ON true JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
                "WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY c.relname, k.pos"):
            keys.setdefault(table, []).append(column)
        serial = {t: c for t, c in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_default LIKE 'nextval(%%' AND is_identity = 'NO'")}
        serial.update({t: c for t, c in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND is_identity = 'YES'")})
    found = Catalog({t: tuple(c) for t, c in keys.items()}, {t: c for t, c in serial.items() if keys.get(t) == [c]})
    with _POOLS_LOCK:
        _CATALOGS[url] = found
    return found


def close_pools() -> None:
    """Every pool of this process (tests, between databases)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
        _CATALOGS.clear()
    for pool in pools:
        pool.close()


# --- opening ----------------------------------------------------------------------------------------
def open_database(target: Path | str) -> Database:
    """The database a store was given: a URL (`sqlite:///…`, `postgresql://…`), or the SQLite file of a data
    directory, brought to the code's schema first (an unreachable server is one line, exit 2)."""
    url = resolve_url(target)
    if url.startswith(("postgresql", "postgres:")):
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
