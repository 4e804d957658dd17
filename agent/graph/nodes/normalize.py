"""normalize: validate the comment, detect its script, keep the original, find personal data."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.errors import UserError
from agent.graph.state import Deps, DraftState
from agent.text import detect_script, normalize_for_match
from agent.triage.pii import find_pii


def normalize(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    text = state.comment.text
    limit = runtime.context.settings.comment_max_chars
    if len(text) > limit:
        raise UserError(f"comment {state.comment.id} is {len(text)} characters; the limit is {limit}")
    return {
        "text_simplified": normalize_for_match(text),
        "script": detect_script(text),
        "pii": find_pii(text),
        "status": "pending",
    }
