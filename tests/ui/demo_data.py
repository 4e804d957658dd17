"""A demo data dir (ingested knowledge + the drafted demo queue) built once per test process, cloned per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "ui" / "app.py"
_TEMPLATE: dict[str, Path] = {}

_SEED = """
from agent.config import Settings, configure_offline_libraries
configure_offline_libraries()
from ui.demo import seed_demo
drafted, _ = seed_demo(Settings(data_dir={path!r}))
assert len(drafted) >= 20, drafted
"""


def demo_template(base: Path) -> Path:
    """Ingest and draft the demo queue in a child process (everything flushed when it exits); once per process."""
    if "demo" not in _TEMPLATE:
        path = base / "template"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("REDREPLY_DATA_DIR", None)
        subprocess.run([sys.executable, "-c", _SEED.format(path=str(path))], cwd=ROOT, env=env, check=True,
                       timeout=600)
        _TEMPLATE["demo"] = path
    return _TEMPLATE["demo"]


def clone(template: Path, dest: Path) -> Path:
    """A private copy of the template for one test (SQLite shared-memory files are rebuilt on open)."""
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("*-shm", "exports"))
    return dest
