"""The review desk's back end, shared by the CLI and the Streamlit app. Its subpackages import one way
(store, team, casework, views, alerts, then the modules here; tests/unit/test_layers.py holds the order):

- `store/`: the SQLite review queue and what reads or writes its items directly:
  - `queue`: the queue, its audit trail and migrations (a row is `agent.queue_item.Item`);
  - `intake`: comments queued without the graph (imports, uploads) and recorded in the comment history;
  - `staleness`: drafts made before the brand's facts or a newer comment under the same note;
  - `exporting`: approved replies and appeals out to CSV/JSON (nothing is ever posted);
- `team/`: who works the desk:
  - `accounts`: accounts, roles, brands and sessions; `roles`: who may do what (`require`);
  - `suggestions`: a suggester's edits, kept until an approver decides;
  - `permissions`: the decision rules (four eyes on severity 3) and the account the CLI acts as;
  - `knowledge_admin`: the knowledge re-index, admin only;
- `casework/`: appeal cases on the escalation ladder (the case model and rules are `agent.cases`):
  - `cases`: the case book in SQLite; `case_desk`: recording steps and drafting the next rung;
  - `case_stats`: the work list and the manager's figures;
- `views/`: what the desk's pages show, computed from the queue (comment text leaves these masked; only the
  item view shows a comment as written):
  - `desk_time`: comment times, time left in the response window, the demo queue's clock;
  - `table`: the queue table's rows, badges, filters, sorting and counts;
  - `item_view`: one item's text, related comments, navigation, and the decision a reviewer's action makes;
  - `analytics`: the audit trail with edit distance, and the insight figures;
  - `authors`: authors posting attacks under several notes (candidates to block);
  - `downloads`: approved rows as a browser download or a block to paste;
- `alerts/`: the team's chat alerts: `triggers` (when a draft or a due case calls for attention),
  `outbox` (stored before sending, delivered with retries), `records` (its table and rows), `webhooks`;
- `service`: `Drafter` (stateless) and `ReviewDesk` (queue + checkpointed graph);
- `prefetch`: a batch's query embeddings computed a few comments ahead of the drafting workers;
- `jobs`: background drafting the review app polls;
- `desk`: the one module ui/ imports: what the pages need from all of the above.
"""
