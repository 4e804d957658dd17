"""The review queue in SQLite and what reads or writes its items directly: queue, intake, staleness, exporting."""
