"""Whether the review desk's Streamlit server answers: its health endpoint, for `redreply ui`, the first-run
bench and the tests (here, not in agent.cli, so benches never import the command line)."""

from __future__ import annotations

import urllib.request


def health_url(host: str, port: int) -> str:
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/_stcore/health"


def is_healthy(url: str) -> bool:
    """Streamlit answers its health endpoint (`health_url`)."""
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False
