"""The Alembic environment and the ordered revisions of every table (`versions/`, numbered 0001, 0002, …)."""
