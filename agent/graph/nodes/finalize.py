"""finalize: apply the reviewer's decision to the drafts. Nothing is posted: export is a separate step."""

from __future__ import annotations

from typing import Any

from agent.graph.state import DraftState
from agent.schemas import Reply


def finalize(state: DraftState) -> dict[str, Any]:
    d = state.decision
    assert d is not None
    if d.action == "reject":
        return {"status": "rejected"}
    update: dict[str, Any] = {"status": "approved"}
    if d.reply_text is not None:
        update["reply"] = Reply(text=d.reply_text, script=state.reply.script if state.reply else state.script)
    if d.appeal_explanation is not None and state.appeal is not None:
        update["appeal"] = state.appeal.model_copy(update={"explanation": d.appeal_explanation})
    return update
