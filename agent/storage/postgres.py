"""PostgreSQL under the stores' one connection (agent.storage.connection): the SQL the stores write in
SQLite's dialect translated once per statement, rows by name and position, a pool per URL and process, and
write transactions that take turns across every process through one advisory lock."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from agent.storage.connection import Database, Params, Sql

_WRITE_LOCK_KEY = 26_0527  # the advisory lock of every write transaction (schema migrations use their own)
_POOL_MAX = 10  # per process and URL: a desk's sessions and a worker's drafting threads share them


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
_BINARY = re.compile(r"\bCOLLATE\s+BINARY\b", re.I)


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
    sql = _BINARY.sub('COLLATE "C"', sql)
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
        with _told(self.url), self._pool.connection() as conn:
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
        with _told(self.url), self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK_KEY,))
            self._local.tx = _Tx(conn, self._catalog)
            try:
                yield self._local.tx
            finally:
                self._local.tx = None

    def close(self) -> None:
        """The pool is the process's, shared by every store on the URL (dispose_all closes it)."""


@contextmanager
def _told(url: str) -> Iterator[None]:
    """The server gone mid-run (stopped, unreachable, out of connections): one line naming the host, never the
    password (exit 2); the transaction it interrupted is rolled back, so nothing is half written."""
    import psycopg
    from psycopg_pool import PoolTimeout

    try:
        yield
    except (psycopg.OperationalError, PoolTimeout):
        from agent.storage.engine import DatabaseUnavailable, where

        raise DatabaseUnavailable(f"lost the database ({where(url)}): the server did not answer or closed the "
                                  "connection (is it running and reachable?)") from None


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
                # A connection the server dropped (a restart, a failover) is replaced before it is handed out.
                libpq_url(url), min_size=1, max_size=_POOL_MAX, open=True, timeout=30,
                check=ConnectionPool.check_connection,
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
