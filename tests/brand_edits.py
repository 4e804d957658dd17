"""A brand file edited in a copy of the knowledge folder, and what `redreply draft` says about it: how the tests
show that a brand file's bad field is one line naming the file and the field, and exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

from agent.cli import main
from agent.config import Settings


def draft_with_edited_brand(tmp_path: Path, monkeypatch, capsys, brand: str, old: str, new: str,
                            comment: str) -> tuple[int, str, Path]:
    """Drafts `comment` with `old` replaced by `new` (once) in a copy of the brand's file: the exit code, the
    error output and the edited file's path."""
    root = tmp_path / "knowledge"
    shutil.copytree(Settings().knowledge_dir, root)
    path = root / "brands" / brand / "brand.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {brand}'s brand file"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("REDREPLY_KNOWLEDGE_DIR", str(root))
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    code = main(["draft", comment, "--brand", brand])
    return code, capsys.readouterr().err.strip(), path
