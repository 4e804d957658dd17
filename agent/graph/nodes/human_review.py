"""human_review: wait for a person. Resumes with a ReviewDecision; regenerate goes back to drafting."""

from __future__ import annotations

from langgraph.types import Command, interrupt

from agent.graph.state import DraftState
from agent.schemas import ReviewDecision


def human_review(state: DraftState) -> Command:  # type: ignore[type-arg]
    # The interrupt carries the draft so a client can show it without reading the state.
    answer = interrupt(state.result().model_dump(mode="json"))
    decision = ReviewDecision.model_validate(answer)
    if decision.action == "regenerate":
        return Command(goto="draft", update={
            "decision": decision, "revisions": 0, "status": "pending", "rejected_attempt": None})
    return Command(goto="finalize", update={"decision": decision})
