"""Each item's action and its reason (a comment left alone waits as 'left', outside the to-do queue), and a
team's day: who an item is assigned to, who has it open, which bulk action a decision belongs to (with the
status it had before, so the bulk action can be undone), and which suggestion an approval used.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ITEM_COLUMNS = ("action", "action_reason", "assignee")
DECISION_COLUMNS = (("bulk_id", sa.Text), ("prior", sa.Text), ("suggestion_seq", sa.Integer))


def upgrade() -> None:
    for name in ITEM_COLUMNS:
        op.add_column("items", sa.Column(name, sa.Text))
    for name, kind in DECISION_COLUMNS:
        op.add_column("decisions", sa.Column(name, kind))
    op.create_table("presence", sa.Column("item_id", sa.Text, primary_key=True),
                    sa.Column("account", sa.Text, primary_key=True), sa.Column("seen_at", sa.Float, nullable=False))
    op.create_table("bulk_actions", sa.Column("id", sa.Text, primary_key=True),
                    *(sa.Column(n, sa.Text, nullable=False) for n in ("action", "actor", "at", "done", "skipped")),
                    sa.Column("undone_at", sa.Text))


def downgrade() -> None:
    op.drop_table("bulk_actions")
    op.drop_table("presence")
    with op.batch_alter_table("decisions") as batch:
        for name, _ in DECISION_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("items") as batch:
        for name in ITEM_COLUMNS:
            batch.drop_column(name)
