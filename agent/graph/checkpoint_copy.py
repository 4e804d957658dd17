"""Moving the workflow's checkpoints between savers (SQLite to PostgreSQL with `redreply db copy`): a
review paused at the human step resumes on the new database where it stopped."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver


def copy_checkpoints(source: BaseCheckpointSaver, target: BaseCheckpointSaver) -> int:  # type: ignore[type-arg]
    """Every checkpoint and its pending writes, oldest first per thread (a parent before its child).
    Returns how many checkpoints were copied."""
    n = 0
    for tup in reversed(list(source.list(None))):
        config: RunnableConfig = {"configurable": {k: v for k, v in tup.config["configurable"].items() if k != "checkpoint_id"}}
        if tup.parent_config:
            config["configurable"]["checkpoint_id"] = tup.parent_config["configurable"]["checkpoint_id"]
        saved = target.put(config, tup.checkpoint, tup.metadata, tup.checkpoint.get("channel_versions", {}))
        for task_id, writes in _by_task(tup.pending_writes or []).items():
            target.put_writes(saved, writes, task_id)
        n += 1
    return n


def _by_task(writes: list[tuple[str, str, object]]) -> dict[str, list[tuple[str, object]]]:
    """A task's writes together and in order: a saver numbers them by their place in one call."""
    grouped: dict[str, list[tuple[str, object]]] = {}
    for task_id, channel, value in writes:
        grouped.setdefault(task_id, []).append((channel, value))
    return grouped
