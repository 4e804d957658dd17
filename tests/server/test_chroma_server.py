"""A real Chroma server on loopback: the store ingests into it over HTTP (HttpClient) and answers the
same queries with the same top hits as the embedded store. Run with `pytest -m server` (or `-m ""`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from agent.config import Settings
from agent.knowledge.store import KnowledgeStore
from tests.servers import free_port, stop, wait_up

pytestmark = pytest.mark.server

QUERIES = [
    ("玫瑰精油直接涂脸上，刺痛发红", "glowskin"),
    ("精華液用了一次就爛臉，大家千萬別買！！", "glowskin"),
    ("等了十天还没收到货", "glowskin"),
    ("给我转500块我就把差评删了", "glowskin"),
    ("亚麻衬衫洗了一次缩水", "threadline"),
    ("同款某宝工厂店只要69，复制口令", "threadline"),
]


def _chroma_cli() -> str:
    exe = Path(sys.executable).with_name("chroma")
    found = str(exe) if exe.exists() else shutil.which("chroma")
    if not found:
        pytest.skip("the chroma CLI is not installed")
    return found


def _heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as r:
            return bool(r.status == 200 and "nanosecond heartbeat" in json.loads(r.read()))
    except OSError:
        return False


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [_chroma_cli(), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_up(lambda: _heartbeat(port), proc, "the Chroma server", timeout_s=60, log=path / "server.log",
                poll_s=0.25)
        yield port
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def server_store(chroma_server, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("server-client"), chroma_host="127.0.0.1",
                        chroma_port=chroma_server)
    store = KnowledgeStore(settings)
    report = store.ingest()
    assert report.added > 100 and report.updated == report.removed == 0
    assert report.embedded == 0  # the bundled vectors, over HTTP too
    return store


def test_the_server_store_is_a_chroma_http_client(server_store):
    assert type(server_store._client).__name__ != "PersistentClient"
    assert not server_store.settings.chroma_path.exists()  # nothing embedded on disk
    again = server_store.ingest()
    assert (again.added, again.updated, again.removed) == (0, 0, 0)


@pytest.mark.parametrize("query, brand", QUERIES)
def test_same_top_hits_as_the_embedded_store(server_store, ingested_store, query, brand):
    remote = [h.chunk_id for h in server_store.search(query, brand=brand, k=3)]
    local = [h.chunk_id for h in ingested_store.search(query, brand=brand, k=3)]
    assert remote == local


def test_a_second_client_finds_the_ingested_store(server_store, chroma_server, tmp_path):
    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=chroma_server)
    store = KnowledgeStore(settings)
    assert store.ensure_ingested() is None
    assert store.search("客服几点上班", brand="glowskin", k=1)[0].chunk_id == "brands/glowskin/brand.yaml#service"


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    from agent.errors import UserError

    settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(UserError, match="cannot reach the Chroma server at 127.0.0.1"):
        KnowledgeStore(settings)
