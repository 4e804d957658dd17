from tests.graph.conftest import settings, shared_store  # noqa: F401  (the same data dir per test)
