"""Reading training files: JSON lines, a malformed one reported as `file:line: reason` and skipped."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np


def json_rows(path: Path, warn: Callable[[str], None]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed row) of every non-blank line that is valid JSON; the others are reported."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as e:
                warn(f"{path}:{lineno}: bad JSON ({e.msg}), skipped")


def write_npz(path: Path, **arrays: Any) -> None:
    """An artifact written aside, then renamed: never a half-written model where the runtime looks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial_path = path.with_suffix(".npz.partial")
    with partial_path.open("wb") as f:
        np.savez_compressed(f, **arrays)
    os.replace(partial_path, path)
