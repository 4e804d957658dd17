"""The review desk's back end, shared by the CLI and the Streamlit app.

- `queue`: the SQLite review queue and its audit trail;
- `service`: `Drafter` (stateless) and `ReviewDesk` (queue + checkpointed graph);
- `exporting`: approved replies and appeals out to CSV/JSON (nothing is ever posted);
- `desk_views`: the data the desk's pages show (queue table, analytics, background jobs, staleness).
"""
