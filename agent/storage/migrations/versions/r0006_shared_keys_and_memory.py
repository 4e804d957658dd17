"""What each data directory kept to itself moves into the desk's database, so desks and workers on several
machines sharing one PostgreSQL database share it too: the desk's sign-in signing key (one row, made once by
whichever process needs it first), and the brand's memory, the replies its team approved (one row per brand
and comment, with the vector of the comment it answered; before, LangGraph's SQLite Store in memory.sqlite).

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("desk_keys", sa.Column("name", sa.Text, primary_key=True), sa.Column("secret", sa.Text, nullable=False),
                    sa.Column("created_at", sa.Text, nullable=False))
    op.create_table(
        "reply_memory", sa.Column("brand", sa.Text, primary_key=True), sa.Column("item_id", sa.Text, primary_key=True),
        *(sa.Column(n, sa.Text, nullable=False) for n in ("comment", "reply", "situation", "vector", "updated_at")),
        sa.Column("note", sa.Text))


def downgrade() -> None:
    op.drop_table("reply_memory")
    op.drop_table("desk_keys")
