"""The brand's order records (`knowledge/brands/<brand>/orders.csv`): the demo stand-in for its back end."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from agent.knowledge.loading import KnowledgeError, brand_file, file_version

ORDER_FIELDS = ("order_id", "author", "product", "status", "ordered_at", "tracking_status")


def load_orders(knowledge_dir: Path, brand: str) -> tuple[dict[str, str], ...]:
    """The brand's demo order records (a real deployment points this at an export of its back end)."""
    path = brand_file(knowledge_dir, brand, "orders.csv")
    return _load_orders_cached(path, file_version(path))


@lru_cache(maxsize=32)
def _load_orders_cached(path: Path, _version: tuple[int, int]) -> tuple[dict[str, str], ...]:
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ORDER_FIELDS if c not in (reader.fieldnames or [])]
        if missing:
            raise KnowledgeError(f"{path}: missing column(s) {', '.join(missing)}")
        return tuple(dict(row) for row in reader)
