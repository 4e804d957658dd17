"""A batch's retrieval queries embedded a few comments ahead of the drafting workers.

Offline, the comment's embedding is about half of a draft. The engine runs outside the GIL, so one thread
embedding the next comments while a worker runs the graph for the current one keeps both cores busy
(`bench/drafting.py`: a batch went from 20.6–22 to 21–28.6 drafts/s on 2 cores). Nothing depends on it: a
search whose vector is not ready computes it (or waits for the one in flight), and a failure here only
means the workers embed for themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from types import TracebackType

from agent.graph.state import Retriever

log = logging.getLogger(__name__)

AHEAD = 16  # comments embedded before their drafts start, at most: bounded memory, little wasted if stopped
CHUNK = 4  # comments per engine call: fewer calls (its thread count follows the machine's load)


class QueryPrefetch:
    """Context manager: a daemon thread walks `queries` (lazily) and warms the store's query vectors, never
    more than AHEAD ahead of the drafts reported done with `done_one()`."""

    def __init__(self, store: Retriever, queries: Iterable[str], ahead: int = AHEAD, chunk: int = CHUNK) -> None:
        self._store = store
        self._queries = queries
        self._chunk = chunk
        self._slots = threading.Semaphore(ahead)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="redreply-prefetch", daemon=True)

    def __enter__(self) -> QueryPrefetch:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._slots.release(self._chunk)  # wake the thread if it waits for a slot
        self._thread.join(timeout=5)

    def done_one(self) -> None:
        """A draft finished: the thread may prepare one more."""
        self._slots.release()

    def _run(self) -> None:
        try:
            chunk: list[str] = []
            for query in self._queries:
                self._slots.acquire()
                if self._stop.is_set():
                    return
                chunk.append(query)
                if len(chunk) == self._chunk:
                    self._store.prefetch(chunk)
                    chunk = []
            if chunk and not self._stop.is_set():
                self._store.prefetch(chunk)
        except Exception as e:  # the workers embed for themselves and report any real failure
            log.debug("query prefetch stopped: %s", type(e).__name__)
