import pytest

from agent.config import Settings
from agent.service import Drafter, ReviewDesk


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory):
    """One ingested knowledge store for the graph tests (ingesting takes seconds)."""
    from agent.store import KnowledgeStore

    store = KnowledgeStore(Settings(data_dir=tmp_path_factory.mktemp("graph-store")))
    store.ingest()
    return store


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", retry_backoff_s=0.0, model_retries=1)


@pytest.fixture
def desk_factory(settings, shared_store):
    def make(client=None, **overrides):
        s = settings.with_overrides(**overrides) if overrides else settings
        return ReviewDesk(s, client=client, store=shared_store)

    return make


@pytest.fixture
def drafter(settings, shared_store):
    return Drafter(settings, store=shared_store)
