"""The tables as the four earlier migration schemes left them (queue m001–m002, accounts acc001, cases
m001–m002, alerts m001), the suggestions table and the comment history: created where missing, and the
columns those schemes added by hand added where missing, so any older data directory upgrades in place.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

T, INT, F, B = sa.Text, sa.Integer, sa.Float, sa.LargeBinary
md = sa.MetaData()


def _c(name: str, kind: type, *args: object, **kw: object) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, kind(), *args, **kw)  # type: ignore[arg-type]


def _auto(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer, primary_key=True, autoincrement=True)


_nn = {"nullable": False}
sa.Table("items", md, _c("id", T, primary_key=True), _c("brand", T, **_nn), _c("comment_json", T, **_nn),
         _c("author", T), _c("note_title", T), _c("posted_at", T),
         _c("status", T, nullable=False, server_default="pending"), _c("version", INT, nullable=False, server_default="0"),
         _c("result_json", T), _c("severity", INT), _c("source", T), _c("violations", T), _c("final_reply", T),
         _c("final_appeal", T), _c("reject_reason", T), _c("error", T), _c("created_at", T, **_nn),
         _c("drafted_at", T), _c("decided_at", T), _c("decided_by", T), _c("exported_at", T), _c("facts_hash", T),
         sa.Index("items_status", "status"))
sa.Table("decisions", md, _auto("seq"), _c("item_id", T, sa.ForeignKey("items.id"), **_nn), _c("action", T, **_nn),
         _c("reviewer", T, **_nn), _c("at", T, **_nn), _c("draft_reply", T), _c("final_reply", T),
         _c("final_appeal", T), _c("reason", T), _c("instruction", T),
         _c("applied", INT, nullable=False, server_default="0"), sa.Index("decisions_item", "item_id"),
         sqlite_autoincrement=True)
sa.Table("accounts", md, _c("name", T, primary_key=True), _c("role", T, **_nn),
         _c("brands", T, nullable=False, server_default="[]"), _c("password_hash", T, **_nn),
         _c("disabled", INT, nullable=False, server_default="0"), _c("language", T),
         _c("failures", INT, nullable=False, server_default="0"), _c("locked_until", F, nullable=False, server_default="0"),
         _c("created_at", T, **_nn))
sa.Table("sessions", md, _c("token_sha", T, primary_key=True), _c("account", T, sa.ForeignKey("accounts.name"), **_nn),
         _c("created_at", F, **_nn), _c("expires_at", F, **_nn))
sa.Table("cases", md, _c("id", T, primary_key=True), *(_c(n, T, **_nn) for n in (
         "brand", "kind", "rung", "status", "reason", "tried", "violations", "source")), _c("severity", INT, **_nn),
         _c("hint", T), _c("opened_at", T, **_nn), *(_c(n, T) for n in (
         "first_submitted_at", "submitted_at", "due_at", "answered_at", "closed_at")),
         _c("version", INT, nullable=False, server_default="0"))
sa.Table("case_members", md, _c("item_id", T, primary_key=True), _c("case_id", T, sa.ForeignKey("cases.id"), **_nn),
         sa.Index("case_members_case", "case_id"))
sa.Table("case_drafts", md, _c("case_id", T, sa.ForeignKey("cases.id"), primary_key=True),
         _c("rung", T, primary_key=True), _c("kind", T, primary_key=True), _c("text", T, **_nn),
         _c("created_at", T, **_nn), _c("model", T), _c("fallback", T), _c("rejected", T))
sa.Table("case_checklist", md, _c("case_id", T, sa.ForeignKey("cases.id"), primary_key=True),
         _c("item", T, primary_key=True), _c("done_by", T, **_nn), _c("done_at", T, **_nn))
sa.Table("case_events", md, _auto("seq"), _c("case_id", T, sa.ForeignKey("cases.id"), **_nn), _c("at", T, **_nn),
         _c("who", T, **_nn), _c("action", T, **_nn), _c("from_state", T), _c("to_state", T, **_nn),
         _c("rung", T, **_nn), _c("reason", T), _c("note", T), sa.Index("case_events_case", "case_id"),
         sqlite_autoincrement=True)
sa.Table("alerts", md, _auto("id"), *(_c(n, T, **_nn) for n in (
         "key", "channel", "kind", "brand", "trigger", "subject", "item_id")), _c("window_start", T),
         *(_c(n, T, **_nn) for n in ("reason", "link", "message")),
         _c("status", T, nullable=False, server_default="pending"), _c("attempts", INT, nullable=False, server_default="0"),
         _c("last_error", T), _c("created_at", T, **_nn), _c("next_attempt_at", T, **_nn), _c("lease_until", T),
         _c("sent_at", T), sa.Index("alerts_key_channel", "key", "channel", unique=True),
         sa.Index("alerts_due", "status", "next_attempt_at"), sqlite_autoincrement=True)
sa.Table("alert_checks", md, _c("item_id", T, primary_key=True), _c("checked_at", T, **_nn))
sa.Table("suggestions", md, _auto("seq"), _c("item_id", T, **_nn), _c("account", T, **_nn), _c("at", T, **_nn),
         _c("item_version", INT, **_nn), _c("reply_text", T, **_nn), _c("appeal_explanation", T),
         sqlite_autoincrement=True)
sa.Table("comment_history", md, _c("brand", T, primary_key=True), _c("comment_id", T, primary_key=True),
         _c("author", T), _c("seen_at", T, **_nn), _c("shingles", B, **_nn), _c("note", T),
         sa.Index("comment_history_author", "brand", "author"))
sa.Table("comment_bands", md, _c("brand", T, **_nn), _c("band", T, **_nn), _c("comment_id", T, **_nn),
         sa.Index("comment_bands_lookup", "brand", "band"))


def upgrade() -> None:
    bind = op.get_bind()
    for table in md.sorted_tables:
        seen = sa.inspect(bind)
        if not seen.has_table(table.name):
            table.create(bind)
            continue
        have = {c["name"] for c in seen.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:  # a column an older scheme added by hand (facts_hash, note, …)
                op.add_column(table.name, column._copy())
        indexes = {i["name"] for i in seen.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)


def downgrade() -> None:
    for table in reversed(md.sorted_tables):
        op.drop_table(table.name)
