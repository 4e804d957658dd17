"""The review desk's back end, shared by the CLI and the Streamlit app.

- `queue`: the SQLite review queue and its audit trail;
- `service`: `Drafter` (stateless) and `ReviewDesk` (queue + checkpointed graph);
- `prefetch`: a batch's query embeddings computed a few comments ahead of the drafting workers;
- `exporting`: approved replies and appeals out to CSV/JSON (nothing is ever posted);
- what the desk's pages show, computed from the queue (comment text leaves these masked; only the item view
  shows a comment as written):
  - `desk_time`: comment times, time left in the response window, the demo queue's clock;
  - `table`: the queue table's rows, badges, filters, sorting and counts;
  - `item_view`: one item's text, related comments, navigation, and the decision a reviewer's action makes;
  - `analytics`: the audit trail with edit distance, and the insight figures;
  - `jobs`: background drafting the review app polls.
"""
