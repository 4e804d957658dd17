"""The drafting workflow as one LangGraph StateGraph.

- `state`: what is checkpointed (`DraftState`) and the run-scoped dependencies (`Deps`);
- `nodes/`: one module per node (normalize → gather_evidence → triage → retrieve → plan → draft_reply →
  draft_appeal → check → human_review → finalize);
- `build`: wires the nodes and picks the checkpointer (SQLite by default, PostgreSQL by setting).
"""
