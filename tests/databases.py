"""Tests that run against both backends: a SQLite file, and a fresh database on the PostgreSQL server named
by REDREPLY_TEST_DATABASE_URL (tests/storage/pg_cluster.sh starts a throwaway one; CI sets it). Without that
variable the PostgreSQL cases are skipped, and CI fails if they are (REDREPLY_TEST_REQUIRE_PG).

- `db_url`: a database URL, `sqlite:///…` or `postgresql+psycopg://…`, for a store or the job queue;
- `desk_database_url`: what `REDREPLY_DATABASE_URL` is for a desk's Settings: None (the data directory's
  SQLite file, the default) or the PostgreSQL URL;
- `pg_url`: PostgreSQL only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from agent.storage.engine import dispose_all
from agent.storage.schema import forget

PG_ENV = "REDREPLY_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]


def pg_server() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("REDREPLY_TEST_REQUIRE_PG"):
        pytest.fail(f"{PG_ENV} is not set: CI runs the storage tests against PostgreSQL too")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped after it."""
    server = pg_server()
    if not server:
        pytest.skip(f"{PG_ENV} not set (tests/storage/pg_cluster.sh starts a server)")
    admin = sa.create_engine(sa.make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    dispose_all()
    forget()
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=BACKENDS)
def desk_database_url(request: pytest.FixtureRequest, monkeypatch) -> str | None:
    """The same desk test on the default SQLite file and on PostgreSQL (also in the environment, for the CLI
    runs and the pages a test drives)."""
    if request.param == "sqlite":
        monkeypatch.delenv("REDREPLY_DATABASE_URL", raising=False)
        return None
    url = str(request.getfixturevalue("pg_url"))
    monkeypatch.setenv("REDREPLY_DATABASE_URL", url)
    return url
