"""Query embeddings, cached process-wide and computable ahead of the searches that need them.

Embedding the comment is most of an offline draft's time. A batch knows its comments in advance, so
`warm()` embeds the next few in one engine call, on its own thread, while the graph works on earlier
ones (the engine runs outside the GIL). A search asking for a vector that is being computed waits for
that computation instead of starting a second one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future

import numpy as np

Embed = Callable[[list[str]], list[np.ndarray]]


class QueryVectors:
    """A bounded LRU of query vectors (keyed by the prepared text) with in-flight sharing."""

    def __init__(self, embed: Embed, capacity: int = 1024) -> None:
        self._embed = embed
        self._capacity = capacity
        self._done: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pending: dict[str, Future[np.ndarray]] = {}
        self._lock = threading.Lock()

    def get(self, prepared: str) -> np.ndarray:
        """The vector of one prepared query: cached, awaited if another thread is computing it, or computed."""
        with self._lock:
            if (vec := self._done.get(prepared)) is not None:
                self._done.move_to_end(prepared)
                return vec
            pending = self._pending.get(prepared)
            mine = self._claim([prepared]) if pending is None else []
        if pending is not None:
            return pending.result()
        self._compute(mine)
        return mine[0][1].result()

    def warm(self, prepared: Sequence[str]) -> int:
        """Embeds, in one engine call, those of the queries not cached or in flight; returns how many."""
        with self._lock:
            todo = self._claim([p for p in dict.fromkeys(prepared) if p not in self._done and p not in self._pending])
        if todo:
            self._compute(todo)
        return len(todo)

    def embed(self, prepared: list[str]) -> list[np.ndarray]:
        """Embeds without caching (a training set: the same vectors a search would use)."""
        return self._embed(prepared)

    def clear(self) -> None:
        with self._lock:
            self._done.clear()

    def __len__(self) -> int:
        return len(self._done)

    def _claim(self, texts: list[str]) -> list[tuple[str, Future[np.ndarray]]]:
        claimed = [(t, Future[np.ndarray]()) for t in texts]
        self._pending.update(claimed)
        return claimed

    def _compute(self, claimed: list[tuple[str, Future[np.ndarray]]]) -> None:
        try:
            vectors = self._embed([t for t, _ in claimed])
        except BaseException as e:
            with self._lock:
                for t, fut in claimed:
                    self._pending.pop(t, None)
                    fut.set_exception(e)
            raise
        with self._lock:
            for (t, fut), vec in zip(claimed, vectors, strict=True):
                self._pending.pop(t, None)
                self._done[t] = vec
                fut.set_result(vec)
            while len(self._done) > self._capacity:
                self._done.popitem(last=False)
