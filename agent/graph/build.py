"""The drafting workflow as one LangGraph StateGraph, wired top to bottom.

normalize → gather_evidence → triage → retrieve → plan → draft_reply → draft_appeal → check
→ (revise → draft_reply, once) → human_review (interrupt) → finalize | back to draft_reply
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.graph import END, START, StateGraph

from agent import schemas
from agent.config import Settings
from agent.graph.nodes.check import check, revise, route_after_check
from agent.graph.nodes.draft_appeal import draft_appeal
from agent.graph.nodes.draft_reply import draft_reply
from agent.graph.nodes.finalize import finalize
from agent.graph.nodes.gather_evidence import gather_evidence
from agent.graph.nodes.human_review import human_review
from agent.graph.nodes.normalize import normalize
from agent.graph.nodes.plan import plan
from agent.graph.nodes.retrieve import retrieve
from agent.graph.nodes.triage import triage
from agent.graph.state import Deps, DraftInput, DraftState


def timed(name: str, node: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the node's wall time to state.timings_ms (shown in the output contract)."""

    @wraps(node)
    def run(state: DraftState, runtime: Any) -> Any:
        start = time.perf_counter()
        out = node(state, runtime)
        elapsed = int((time.perf_counter() - start) * 1000)
        if isinstance(out, dict):
            out = {**out, "timings_ms": {**state.timings_ms, name: state.timings_ms.get(name, 0) + elapsed}}
        return out

    return run


def build_graph() -> StateGraph[DraftState, Deps, DraftInput, DraftState]:
    g = StateGraph(DraftState, input_schema=DraftInput, context_schema=Deps)
    for name, node in [("normalize", normalize), ("gather_evidence", gather_evidence), ("triage", triage),
                       ("retrieve", retrieve), ("plan", plan), ("draft_reply", draft_reply),
                       ("draft_appeal", draft_appeal), ("check", check)]:
        g.add_node(name, timed(name, node))
    g.add_node("revise", revise)
    g.add_node("human_review", human_review, destinations=("draft_reply", "finalize"))
    g.add_node("finalize", finalize)

    g.add_edge(START, "normalize")
    g.add_edge("normalize", "gather_evidence")
    g.add_edge("gather_evidence", "triage")
    g.add_edge("triage", "retrieve")
    g.add_edge("retrieve", "plan")
    g.add_edge("plan", "draft_reply")
    g.add_edge("draft_reply", "draft_appeal")
    g.add_edge("draft_appeal", "check")
    g.add_conditional_edges("check", route_after_check, {"revise": "revise", "human_review": "human_review"})
    g.add_edge("revise", "draft_reply")
    g.add_edge("finalize", END)
    return g


def serializer() -> JsonPlusSerializer:
    """Checkpoints hold our pydantic models; name them so deserialising them stays allowed."""
    allowed = [(schemas.__name__, n) for n in dir(schemas) if isinstance(getattr(schemas, n), type)]
    allowed += [("agent.graph.state", "DraftState"), ("agent.graph.state", "DraftInput")]
    return JsonPlusSerializer(allowed_msgpack_modules=allowed)


def sqlite_checkpointer(path: Path) -> BaseCheckpointSaver:  # type: ignore[type-arg]
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    saver = SqliteSaver(conn, serde=serializer())
    saver.setup()
    return saver


def checkpointer_for(settings: Settings) -> BaseCheckpointSaver:  # type: ignore[type-arg]
    """SQLite under the data dir by default; PostgreSQL when checkpoint_url says so."""
    if settings.checkpoint_url:
        from langgraph.checkpoint.postgres import (
            PostgresSaver,  # optional extra: langgraph-checkpoint-postgres
        )

        saver = PostgresSaver.from_conn_string(settings.checkpoint_url).__enter__()
        saver.setup()
        return saver
    return sqlite_checkpointer(settings.checkpoint_path)


def compile_graph(checkpointer: BaseCheckpointSaver | None = None) -> Any:  # type: ignore[type-arg]
    return build_graph().compile(checkpointer=checkpointer or InMemorySaver(serde=serializer()))
