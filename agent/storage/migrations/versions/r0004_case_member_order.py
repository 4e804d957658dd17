"""The order a case's members joined it, on PostgreSQL: SQLite keeps it in every table's implicit rowid, and
the case book reads members `ORDER BY rowid`; PostgreSQL has no such column, so it gets a serial one of that
name (existing rows numbered in their stored order). Nothing changes on SQLite.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("ALTER TABLE case_members ADD COLUMN rowid BIGSERIAL"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("case_members", "rowid")
