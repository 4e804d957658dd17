"""The one storage layer: every table of the desk's database, SQLite by default and PostgreSQL by
`REDREPLY_DATABASE_URL`, with one ordered Alembic migration history (`migrations/versions/`)."""
