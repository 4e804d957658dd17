"""Drafting as jobs (leases, retries, a dead-letter state), the crawler exports a watched folder has
imported (by content hash), and which RedReply version wrote each schema revision.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.Text, nullable=False), sa.Column("brand", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("available_at", sa.Float, nullable=False), sa.Column("lease_until", sa.Float),
        sa.Column("worker", sa.Text), sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False), sa.Column("finished_at", sa.Float),
        sqlite_autoincrement=True)
    op.create_index("jobs_due", "jobs", ["status", "available_at"])
    # One open job per item: enqueueing an item already waiting or running adds nothing.
    op.create_index("jobs_open_item", "jobs", ["item_id"], unique=True,
                    sqlite_where=sa.text("status IN ('queued', 'running')"),
                    postgresql_where=sa.text("status IN ('queued', 'running')"))
    op.create_table(
        "imports", sa.Column("brand", sa.Text, primary_key=True), sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False), sa.Column("comments", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.Text, nullable=False))
    op.create_table(
        "schema_writers", sa.Column("revision", sa.Text, primary_key=True),
        sa.Column("app_version", sa.Text, nullable=False), sa.Column("applied_at", sa.Text, nullable=False))


def downgrade() -> None:
    for name in ("schema_writers", "imports", "jobs"):
        op.drop_table(name)
