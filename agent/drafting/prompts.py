"""Loads prompt templates from prompts/<name>.md and fills their {{variables}}.

A template is a system part and a user part separated by a line `=== user ===`. Rendering fails
early when a variable the template names is not given (a silent blank would change the prompt).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

_VAR = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_SPLIT = re.compile(r"^=== user ===\s*$", re.M)


class PromptError(KeyError):
    pass


@lru_cache(maxsize=64)
def _load(path: Path, _mtime: float) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    parts = _SPLIT.split(text, maxsplit=1)
    if len(parts) != 2:
        raise PromptError(f"{path}: no '=== user ===' line separating the system and user parts")
    return parts[0].strip(), parts[1].strip()


def template_variables(prompts_dir: Path, name: str) -> set[str]:
    system, user = _load_named(prompts_dir, name)
    return set(_VAR.findall(system)) | set(_VAR.findall(user))


def _load_named(prompts_dir: Path, name: str) -> tuple[str, str]:
    path = prompts_dir / f"{name}.md"
    if not path.exists():
        raise PromptError(f"no prompt named '{name}' in {prompts_dir}")
    return _load(path, path.stat().st_mtime)


def render(prompts_dir: Path, name: str, variables: dict[str, Any]) -> list[dict[str, str]]:
    system, user = _load_named(prompts_dir, name)
    missing = template_variables(prompts_dir, name) - variables.keys()
    if missing:
        raise PromptError(f"prompt '{name}' needs {sorted(missing)}")

    def fill(text: str) -> str:
        return _VAR.sub(lambda m: str(variables[m.group(1)]), text)

    return [{"role": "system", "content": fill(system)}, {"role": "user", "content": fill(user)}]


def fixed_text(prompts_dir: Path, name: str) -> str:
    """The prompt's own wording with its variables left out: what a model's draft must never recite."""
    system, user = _load_named(prompts_dir, name)
    return _VAR.sub("\n", system + "\n" + user)
