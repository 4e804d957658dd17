"""The tables the storage layer's own code queries (jobs, imports, schema writers), as SQLAlchemy Core
objects. Their shape is made by the migrations; a new column is one migration and one line here."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

jobs = sa.Table(
    "jobs", metadata, sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.Text, nullable=False), sa.Column("brand", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False), sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("available_at", sa.Float, nullable=False), sa.Column("lease_until", sa.Float),
    sa.Column("worker", sa.Text), sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.Float, nullable=False), sa.Column("finished_at", sa.Float))

imports = sa.Table(
    "imports", metadata, sa.Column("brand", sa.Text, primary_key=True), sa.Column("sha256", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False), sa.Column("comments", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.Text, nullable=False))

schema_writers = sa.Table(
    "schema_writers", metadata, sa.Column("revision", sa.Text, primary_key=True),
    sa.Column("app_version", sa.Text, nullable=False), sa.Column("applied_at", sa.Text, nullable=False))
