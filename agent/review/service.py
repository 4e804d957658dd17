"""What the CLI, the review app and the evals call: draft comments, review them, export approved ones.

`Drafter` keeps nothing (evals, quick tries). `ReviewDesk` persists: each comment is queued before any work,
each draft and decision runs through the checkpointed graph (begun in one process, finished in another).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

import numpy as np
from langgraph.types import Command
from pydantic import BaseModel

from agent.config import Settings
from agent.drafting.drafter import Drafting
from agent.drafting.llm import ModelClient, make_client
from agent.drafting.preflight import preflight
from agent.errors import ModelError, UserError
from agent.graph.build import checkpointer_for, compile_graph
from agent.graph.nodes.retrieve import retrieval_query
from agent.graph.state import Deps, DraftInput, DraftState, Retriever
from agent.knowledge.brands import load_brand
from agent.knowledge.memory import ReplyMemory, note_of
from agent.placeholders import placeholder_slots
from agent.queue_item import Item
from agent.review.alerts.outbox import AlertOutbox
from agent.review.casework.cases import open_cases_for
from agent.review.note_order import draft_in_note_order, note_chains
from agent.review.prefetch import QueryPrefetch
from agent.review.store.intake import open_history, record_comments
from agent.review.store.queue import ReviewQueue, now
from agent.review.store.recent import recent_replies
from agent.review.store.staleness import facts_fingerprint, stale_reasons
from agent.review.team.accounts import Account
from agent.review.views.desk_time import team_zone
from agent.review.views.queue_table import QueueTable
from agent.schemas import CommentIn, DraftResult, RecentReplies, ReviewDecision
from agent.storage.connection import desk_database
from agent.triage.dedup import CommentHistory


def open_store(settings: Settings) -> Retriever:
    from agent.knowledge.store import KnowledgeStore

    store = KnowledgeStore(settings)
    store.ensure_ingested()
    return store


def _config(thread_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id}}


def _state(graph: Any, thread_id: str) -> DraftState:
    return DraftState.model_validate(graph.get_state(_config(thread_id)).values)


def _run_to_review(graph: Any, comment: CommentIn, brand: str, thread_id: str, deps: Deps,
                   recent: RecentReplies | None = None) -> DraftResult:
    """Runs a fresh thread up to the human review: one checkpoint, at the interrupt (a run restarts from its
    input; per-step writes halved the batch rate). `recent`: replies not to repeat."""
    out = graph.invoke(DraftInput(comment=comment, brand=brand, recent_replies=recent or RecentReplies()), _config(thread_id),
                       context=deps, durability="exit")
    return DraftState.model_validate({k: v for k, v in out.items() if k != "__interrupt__"}).result()


class Drafter:
    """Runs the graph up to human review and returns the draft; keeps nothing."""

    def __init__(self, settings: Settings, client: ModelClient | None = None, store: Retriever | None = None) -> None:
        self.settings = settings
        self.client = client if client is not None else make_client(settings)
        self.store = store or open_store(settings)
        self.graph = compile_graph()
        self.deps = Deps(settings=settings, store=self.store, drafting=Drafting(settings, self.client),
                         history=CommentHistory(sqlite3.connect(":memory:", check_same_thread=False),
                                                settings.duplicate_window_days))

    def draft(self, comment: CommentIn, brand: str, recent: RecentReplies | None = None) -> DraftResult:
        load_brand(self.settings.knowledge_dir, brand)  # unknown brand → a clear error before any work
        record_comments(self.deps.history, brand, [comment])
        thread = f"draft-{uuid.uuid4().hex}"
        try:
            return _run_to_review(self.graph, comment, brand, thread, self.deps, recent)
        finally:
            self.graph.checkpointer.delete_thread(thread)

    def draft_many(self, comments: list[CommentIn], brand: str) -> list[DraftResult]:
        """Comments seen together (a batch, a flood group): each knows the others, and the replies before it."""
        record_comments(self.deps.history, brand, comments)
        results: list[DraftResult] = []
        notes = [note_of(c) for c in comments]
        with QueryPrefetch(self.store, (retrieval_query(c) for c in comments)) as prefetch:
            for c, note in zip(comments, notes, strict=True):
                earlier = [r.reply.text for r, n in zip(results, notes, strict=False) if note and n == note and r.reply]
                results.append(self.draft(c, brand, RecentReplies(under_note=earlier[::-1])))
                prefetch.done_one()
        return results


class _LazyStore:
    def __init__(self, desk: ReviewDesk) -> None:
        self._desk = desk

    def search(self, query: str, brand: str | None = None, k: int = 5, kind: str | None = None) -> list[Any]:
        return self._desk.store.search(query, brand=brand, k=k, kind=kind)

    def prefetch(self, queries: Sequence[str]) -> int:
        return self._desk.store.prefetch(queries)

    def query_vector(self, query: str) -> np.ndarray:
        return self._desk.store.query_vector(query)


ProgressFn = Callable[[str, DraftResult | None, str | None], None]


class BatchResume(BaseModel):
    """What a batch run does after accepting its comments: which ids to draft now, and why others are not."""

    todo: list[str]  # in input order: drafted now, or written with the draft the queue already holds
    already_written: int  # input ids the output file already holds: skipped
    kept_drafts: list[str]  # queued earlier with a draft: that draft (and its review) is kept, not redone
    undrafted: list[str]  # accepted earlier but never drafted (or their drafting failed): drafted now
    recovered: int  # decisions claimed but not applied before a crash, finished now


class ReviewDesk:
    """The persistent queue plus the checkpointed graph: shared by the CLI and the review app."""

    def __init__(self, settings: Settings, client: ModelClient | None = None, store: Retriever | None = None) -> None:
        self.settings = settings
        self.client = client if client is not None else make_client(settings)
        self._store = store
        self._store_lock = threading.Lock()
        self.queue = ReviewQueue(desk_database(settings))
        self._resources = contextlib.ExitStack()  # what close() releases: the checkpointer's connection
        self.graph = compile_graph(checkpointer_for(settings, self._resources))
        self._drafting = Drafting(settings, self.client)
        self._preflight_done = False
        self.history = open_history(settings)
        self.alerts = AlertOutbox(settings, self.queue)
        self.memory = ReplyMemory(desk_database(settings), settings.knowledge_dir, legacy=settings.memory_path)
        self._resources.callback(self.memory.close)
        self.table = QueueTable(self.queue, settings, team_zone(settings.team_tz))  # the queue page's rows, kept

    @property
    def store(self) -> Retriever:
        # Opened on first need (listing the queue should not load the embedder), once: two Chroma
        # clients on one path in one process corrupt each other's writes.
        with self._store_lock:
            if self._store is None:
                self._store = open_store(self.settings)
            return self._store

    def deps(self) -> Deps:
        # The store is opened only if a node searches: approve, edit and reject never wait for an index.
        return Deps(settings=self.settings, store=_LazyStore(self), drafting=self._drafting, history=self.history,
                    memory=self.memory)

    def preflight(self) -> None:
        """Once, before the first model draft: a dead server or a missing key is one line, not silent fallbacks."""
        if not self._preflight_done:
            preflight(self.settings)
            self._preflight_done = True

    def close(self) -> None:
        self._resources.close()

    @staticmethod
    def thread_id(brand: str, item_id: str) -> str:
        return f"{brand}:{item_id}"

    # --- accepting and drafting -----------------------------------------------------------------
    def accept(self, comments: list[CommentIn], brand: str) -> tuple[list[str], list[str]]:
        load_brand(self.settings.knowledge_dir, brand)
        new, known = self.queue.accept(comments, brand)
        record_comments(self.history, brand, comments)  # before drafting: siblings see each other in any order
        return new, known

    def draft_item(self, item_id: str, day_before: str | None = None) -> DraftResult:
        """Draft one accepted item (not twice: a re-run after a crash); `day_before`: see recent_replies."""
        item = self.queue.get(item_id)
        if item.result is not None and item.status != "pending":
            return item.result
        thread = self.thread_id(item.brand, item.id)
        snapshot = self.graph.get_state(_config(thread))
        try:
            if snapshot.interrupts:  # drafted before a crash, not yet stored: that draft is the one
                result = _state(self.graph, thread).result()
            else:  # new, or a crash before the interrupt: run (again) from the start
                result = _run_to_review(self.graph, item.comment, item.brand, thread, self.deps(),
                                        recent_replies(self.queue, item, day_before=day_before))
        except Exception as e:  # a bug must not take the batch down either: the item is marked failed with why
            known = isinstance(e, (UserError, ModelError))
            self.queue.mark_failed(item_id, str(e) if known else f"{type(e).__name__}: {e}")
            raise
        self.queue.store_draft(result, facts_fingerprint(self.settings, item.brand))
        open_cases_for(result, self.queue)  # appeals become cases (idempotent; `case list` backfills after a crash)
        self.alerts.after_draft(result)  # queued durably, sent in the background: a dead webhook never fails a draft
        return result

    def draft_all(self, ids: Iterable[str], concurrency: int = 1, on_done: ProgressFn | None = None) -> None:
        """`concurrency` notes at a time, a note's items in order; side by side, from the day as the batch began."""
        ids = list(ids)
        if ids:
            self.preflight()
            _ = self.store  # open it before the workers start
        queries = (retrieval_query(self.queue.get(i).comment) for i in ids)  # read lazily by the prefetch thread
        chains = note_chains([self.queue.get(i) for i in ids])
        began = now() if concurrency > 1 and len(chains) > 1 else None
        with QueryPrefetch(_LazyStore(self), queries) as prefetch:
            for item_id, result, error in draft_in_note_order(chains, partial(self.draft_item, day_before=began),
                                                              concurrency):
                prefetch.done_one()
                if on_done:
                    on_done(item_id, result, error)

    def submit(self, comment: CommentIn, brand: str) -> DraftResult:
        self.preflight()
        self.accept([comment], brand)
        return self.draft_item(comment.id)

    # --- deciding -------------------------------------------------------------------------------
    def decide(self, item_id: str, decision: ReviewDecision, expected_version: int | None = None,
               actor: Account | None = None) -> DraftResult:
        item = self.queue.get(item_id)
        if actor is not None:  # the team desk: the role decides, the audit trail names the account
            from agent.review.team.permissions import authorize_decision

            decision = authorize_decision(self.queue, self.settings, item, decision, actor)
        if decision.action == "edit" and decision.reply_text is None:
            raise UserError("edit needs the edited reply text")
        if decision.action in ("approve", "edit"):
            text = decision.reply_text if decision.reply_text is not None else (item.result.reply_text
                                                                                 if item.result else "")
            slots = placeholder_slots(text)
            if slots:
                raise UserError(f"approval blocked: fill {', '.join(slots)} in the reply first")
            if not text.strip():
                raise UserError("approval blocked: the reply is empty")
        if decision.action == "reject" and not (decision.reason or "").strip():
            raise UserError("a rejection needs a reason")
        if decision.action == "regenerate" and not (decision.instruction or "").strip():
            decision = decision.model_copy(update={"instruction": "重新写一版"})
        seq = self.queue.claim(item_id, decision, expected_version)
        return self._apply(item_id, seq, decision)

    def _apply(self, item_id: str, seq: int, decision: ReviewDecision) -> DraftResult:
        item = self.queue.get(item_id)
        thread = self.thread_id(item.brand, item.id)
        self.graph.invoke(Command(resume=decision.model_dump(mode="json")), _config(thread), context=self.deps())
        result = _state(self.graph, thread).result()
        if decision.action == "regenerate":
            self.queue.store_draft(result, facts_fingerprint(self.settings, item.brand))
            self.queue.mark_regenerated(seq)
        else:
            self.queue.store_decision(seq, result, decision.reason)
        if result.status == "approved":  # the reply as the team approved it, edits included, joins the memory
            self.memory.remember(item.brand, item.id, retrieval_query(item.comment), result.reply_text,
                                 result.plan.situation, note_of(item.comment))
        return result

    def recover(self) -> int:
        """After a crash: finish decisions that were claimed but not applied, draft what was accepted."""
        fixed = 0
        for item_id in self.queue.ids_with_status("deciding"):
            pending = self.queue.pending_decision(item_id)
            if pending:
                self._apply(item_id, *pending)
                fixed += 1
        return fixed

    def resume_batch(self, comments: list[CommentIn], brand: str, written: set[str]) -> BatchResume:
        """Accept a batch (persisted before any drafting: a crash loses nothing accepted), finish what a crash
        left half-done, and say which ids to draft given the ids the output file already holds."""
        _, known = self.accept(comments, brand)
        recovered = self.recover()
        queued = [i for i in known if i not in written]
        never_drafted = set(self.queue.ids_with_status("pending", "failed"))
        # The queue is keyed by id: a queued item with a draft keeps it and its review; it is not drafted anew.
        return BatchResume(todo=[c.id for c in comments if c.id not in written],
                           already_written=sum(c.id in written for c in comments),
                           kept_drafts=[i for i in queued if i not in never_drafted],
                           undrafted=[i for i in queued if i in never_drafted], recovered=recovered)

    def stale_reason(self, item: Item) -> str | None:
        """Why a draft may be out of date (brand facts changed, a newer comment under the note); None if not."""
        return self.stale_reasons([item]).get(item.id)

    def stale_reasons(self, items: Iterable[Item]) -> dict[str, str]:
        """`stale_reason` for a whole queue page: item id -> reason, for the stale ones only."""
        return stale_reasons(self.queue, self.settings, items)
