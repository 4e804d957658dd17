"""The drafting workflow as one LangGraph StateGraph, wired top to bottom.

normalize → gather_evidence → triage → retrieve → plan → draft → check → human_review (interrupt) → finalize.
`check` and `human_review` route with Command(goto=…): check back to draft once for a revision,
human_review back to draft for a regeneration.
"""

from __future__ import annotations

import contextlib
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

from agent import enums, schemas
from agent.config import Settings
from agent.graph.nodes.check import check
from agent.graph.nodes.draft import draft
from agent.graph.nodes.finalize import finalize
from agent.graph.nodes.gather_evidence import gather_evidence
from agent.graph.nodes.human_review import human_review
from agent.graph.nodes.normalize import normalize
from agent.graph.nodes.plan import plan
from agent.graph.nodes.retrieve import retrieve
from agent.graph.nodes.triage import triage
from agent.graph.state import Deps, DraftInput, DraftState


def timed(name: str, node: Callable[..., Any]) -> Callable[..., Any]:
    """Reports the node's wall time; the state's reducer adds it to timings_ms."""

    @wraps(node)
    def run(state: DraftState, runtime: Any) -> Any:
        start = time.perf_counter()
        out = node(state, runtime)
        elapsed = {name: int((time.perf_counter() - start) * 1000)}
        if isinstance(out, dict):
            return {**out, "timings_ms": elapsed}
        return type(out)(goto=out.goto, update={**(out.update or {}), "timings_ms": elapsed})

    return run


def build_graph() -> StateGraph[DraftState, Deps, DraftInput, DraftState]:
    g = StateGraph(DraftState, input_schema=DraftInput, context_schema=Deps)
    pipeline = [("normalize", normalize), ("gather_evidence", gather_evidence), ("triage", triage),
                ("retrieve", retrieve), ("plan", plan), ("draft", draft)]
    for name, node in pipeline:
        g.add_node(name, timed(name, node))
    g.add_node("check", timed("check", check), destinations=("draft", "human_review"))
    g.add_node("human_review", human_review, destinations=("draft", "finalize"))
    g.add_node("finalize", finalize)
    g.add_edge(START, "normalize")
    for (a, _), (b, _) in zip(pipeline[:-2], pipeline[1:-1], strict=False):
        g.add_edge(a, b)
    g.add_conditional_edges("plan", after_plan, {"draft": "draft", "human_review": "human_review"})
    g.add_edge("draft", "check")
    g.add_edge("finalize", END)
    return g


def after_plan(state: DraftState) -> str:
    """A comment left alone is drafted nothing: it goes straight to the reviewer with its reason."""
    assert state.plan is not None
    return "human_review" if state.plan.action == schemas.Action.leave else "draft"


def serializer() -> JsonPlusSerializer:
    """Checkpoints hold our pydantic models; name them so deserialising them stays allowed."""
    allowed = [(m.__name__, n) for m in (schemas, enums) for n in dir(m) if isinstance(getattr(m, n), type)]
    allowed += [("agent.graph.state", "DraftState"), ("agent.graph.state", "DraftInput"),
                ("agent.drafting.drafter", "Drafts")]
    return JsonPlusSerializer(allowed_msgpack_modules=allowed)


def sqlite_checkpointer(path: Path, resources: contextlib.ExitStack | None = None) -> BaseCheckpointSaver:  # type: ignore[type-arg]
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    if resources is not None:
        resources.callback(conn.close)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # as the queue: WAL survives a crash; no fsync per draft
    saver = SqliteSaver(conn, serde=serializer())
    saver.setup()
    return saver


def postgres_checkpoint_url(settings: Settings) -> str | None:
    """checkpoint_url, else the database_url when it is PostgreSQL (checkpoints in the same database), as
    the plain libpq URL psycopg takes."""
    url = settings.checkpoint_url or settings.database_url
    if not url or not url.startswith(("postgresql", "postgres:")):
        return None
    return "postgresql://" + url.split("://", 1)[1]


def postgres_checkpointer(url: str, resources: contextlib.ExitStack) -> BaseCheckpointSaver:  # type: ignore[type-arg]
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    # A pool, not one connection: a worker drafts several comments at once. These connection settings are
    # the ones PostgresSaver requires (autocommit, no server-side prepares, rows as dicts).
    pool = ConnectionPool(url, min_size=1, max_size=8, open=True,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    resources.callback(pool.close)
    saver = PostgresSaver(pool, serde=serializer())  # type: ignore[arg-type]
    saver.setup()
    return saver


def checkpointer_for(settings: Settings, resources: contextlib.ExitStack) -> BaseCheckpointSaver:  # type: ignore[type-arg]
    """SQLite under the data dir by default; PostgreSQL when checkpoint_url or database_url says so. What
    it opens is closed with `resources` (the owner's ExitStack)."""
    url = postgres_checkpoint_url(settings)
    return postgres_checkpointer(url, resources) if url else sqlite_checkpointer(settings.checkpoint_path, resources)


def compile_graph(checkpointer: BaseCheckpointSaver | None = None) -> Any:  # type: ignore[type-arg]
    return build_graph().compile(checkpointer=checkpointer or InMemorySaver(serde=serializer()))
