"""Moving a database: every table's rows from one URL to another (an existing SQLite data directory to
PostgreSQL), after both are at the code's schema; the counts are compared before it says done."""

from __future__ import annotations

import sqlalchemy as sa

from agent.errors import UserError
from agent.storage.engine import check_connection, is_postgres, where
from agent.storage.schema import ensure_schema

SKIP = {"alembic_version", "schema_writers", "migrations"}  # the target's own schema bookkeeping
CHUNK = 1000


def copy_database(source: str, target: str) -> dict[str, int]:
    """Rows copied per table. Refuses a target that already holds any row: a copy never merges."""
    for url in (source, target):
        ensure_schema(url)
    src, dst = check_connection(source), check_connection(target)
    have, want = sa.MetaData(), sa.MetaData()
    have.reflect(src)
    want.reflect(dst)
    tables = [t for t in want.sorted_tables if t.name not in SKIP and t.name in have.tables]
    with dst.connect() as c:
        busy = [t.name for t in tables if c.execute(sa.select(sa.func.count()).select_from(t)).scalar()]
    if busy:
        raise UserError(f"{where(target)} already holds rows in {', '.join(busy)}; copy into an empty database")
    copied = {}
    with src.connect() as read, dst.begin() as write:  # one transaction: a failed copy leaves the target empty
        for table in tables:
            copied[table.name] = _copy_table(read, write, have.tables[table.name], table)
        if is_postgres(target):
            _advance_sequences(write, tables)
    _verify(src, dst, have, tables, copied)
    return copied


def _copy_table(read: sa.Connection, write: sa.Connection, src: sa.Table, dst: sa.Table) -> int:
    columns = [c.name for c in dst.columns if c.name in src.columns]
    select = sa.select(*(src.c[n] for n in columns))
    if read.dialect.name == "sqlite":  # in the order they were written (a case's members are read in it)
        select = select.order_by(sa.text("rowid"))
    rows = read.execution_options(stream_results=True).execute(select)
    n = 0
    while chunk := rows.fetchmany(CHUNK):
        write.execute(sa.insert(dst), [dict(zip(columns, r, strict=True)) for r in chunk])
        n += len(chunk)
    return n


def _advance_sequences(write: sa.Connection, tables: list[sa.Table]) -> None:
    """Rows came with their ids: each serial column's sequence moves past the largest."""
    for table in tables:
        for col in table.primary_key.columns:
            if isinstance(col.type, sa.Integer) and len(table.primary_key.columns) == 1:
                seq = write.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": col.name}).scalar()
                if seq:
                    write.execute(sa.text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({col.name}) FROM "
                                          f"{table.name}), 0) + 1, false)"))


def _verify(src: sa.Engine, dst: sa.Engine, have: sa.MetaData, tables: list[sa.Table], copied: dict[str, int]) -> None:
    with src.connect() as a, dst.connect() as b:
        for t in tables:
            n_src = a.execute(sa.select(sa.func.count()).select_from(have.tables[t.name])).scalar()
            n_dst = b.execute(sa.select(sa.func.count()).select_from(t)).scalar()
            if n_src != n_dst or n_dst != copied[t.name]:
                raise UserError(f"copy check failed on {t.name}: {n_src} row(s) in the source, {n_dst} in the target")
