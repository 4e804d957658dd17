"""The queue page reads from the database only what it shows: each item keeps what the page lists, filters
and sorts it by in plain columns (the comment on one line with personal data masked, when it was posted and
accepted, its reach; filled by agent.review.store.listing, for older items when a queue first opens), an
index of them, an index for the drafts a newer comment under the same note made stale, and the action of
items drafted before the action had its own column.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (("comment_text", sa.Text), ("posted_ts", sa.Float), ("accepted_ts", sa.Float), ("reach", sa.Integer))
LISTED = ("status", "brand", "severity", "source", "action", "violations", "posted_ts", "accepted_ts", "reach",
          "version", "id")


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("items", sa.Column(name, kind))
    # The items still to fill: found at once, and none once every item is filled.
    op.create_index("items_unlisted", "items", ["id"], sqlite_where=sa.text("comment_text IS NULL"),
                    postgresql_where=sa.text("comment_text IS NULL"))
    op.create_index("items_note", "items", ["brand", "note_title", "created_at"])
    # What the page filters, counts and sorts by, in one index: its scans read this, not the rows (a row holds
    # its whole draft).
    op.create_index("items_listing", "items", list(LISTED))
    if op.get_bind().dialect.name == "postgresql":
        action, reason = "(result_json::jsonb #>> '{plan,action}')", "(result_json::jsonb #>> '{plan,action_reason}')"
    else:
        action, reason = "json_extract(result_json, '$.plan.action')", "json_extract(result_json, '$.plan.action_reason')"
    op.execute(sa.text(f"UPDATE items SET action = {action}, action_reason = COALESCE(action_reason, {reason}) "
                       "WHERE action IS NULL AND result_json IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("items_listing", "items")
    op.drop_index("items_note", "items")
    op.drop_index("items_unlisted", "items")
    with op.batch_alter_table("items") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
