"""Opening the database: the URL from the settings, an engine per URL, and a failure to connect told in
one line that names the host and never the password."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from agent.config import Settings
from agent.errors import UserError
from agent.storage.connection import desk_database
from agent.storage.postgres import close_pools

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


class DatabaseUnavailable(UserError):
    """The database refused the connection, or the credentials: exit 2, nothing accepted is touched."""

    exit_code = 2


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def database_url(settings: Settings) -> str:
    """`REDREPLY_DATABASE_URL` when set, else the SQLite file in the data directory (desk_database)."""
    return desk_database(settings)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def where(url: str | URL) -> str:
    """The URL as it may be shown: backend, host, port and database; never the password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return f"sqlite file {u.database}"
    return f"{u.get_backend_name()} at {u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def engine_for(url: str) -> Engine:
    """One pooled engine per URL and process; PostgreSQL URLs use psycopg 3."""
    with _LOCK:
        if url not in _ENGINES:
            u = make_url(url)
            if u.get_backend_name() == "postgresql" and u.drivername == "postgresql":
                u = u.set(drivername="postgresql+psycopg")
            if u.get_backend_name() == "sqlite" and u.database:
                Path(u.database).parent.mkdir(parents=True, exist_ok=True)
                _ENGINES[url] = sa.create_engine(u, connect_args={"timeout": 30})
                sa.event.listen(_ENGINES[url], "connect", _sqlite_pragmas)
            else:
                _ENGINES[url] = sa.create_engine(u, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                                 connect_args={"connect_timeout": 10})
        return _ENGINES[url]


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    # As the queue's own connections: WAL, and a writer waits for another instead of failing.
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def check_connection(url: str) -> Engine:
    """The engine, after one round trip; a refused connection or a wrong password becomes one line."""
    engine = engine_for(url)
    try:
        with engine.connect() as c:
            c.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as e:
        raise DatabaseUnavailable(f"cannot open the database ({where(url)}): {_reason(e)}") from None
    return engine


def _reason(e: sa.exc.OperationalError) -> str:
    text = str(e.orig).lower() if e.orig is not None else str(e).lower()
    if "password" in text or "authentication" in text:
        return "the user name or password was refused (check REDREPLY_DATABASE_URL)"
    if "refused" in text or "could not connect" in text or "timeout" in text or "timed out" in text:
        return "the server refused the connection or did not answer (is it running and reachable?)"
    if "does not exist" in text:
        return "the database or user does not exist on that server"
    return "the server did not accept the connection"


def dispose_all() -> None:
    close_pools()
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
