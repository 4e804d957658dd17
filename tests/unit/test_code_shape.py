"""Code shape: no module over 300 lines, no function or method over 50 (from `def` to its last line).

Long modules and functions hide what each piece owns; the limits keep every file readable in one sitting.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("agent", "ui", "evals", "bench")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def _modules() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def _module_offence(path: Path, source: str) -> str | None:
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        return f"{path.relative_to(ROOT)}: module has {lines} lines (max {MAX_MODULE_LINES})"
    return None


def _function_offences(path: Path, source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        # From the `def` line, not the first decorator: a decorator is not the function's body.
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > MAX_FUNCTION_LINES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: function {node.name} has {length} lines "
                         f"(max {MAX_FUNCTION_LINES})")
    return found


def shape_offences() -> list[str]:
    """Every module and function over its limit, one readable line each."""
    offences: list[str] = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        module = _module_offence(path, source)
        if module:
            offences.append(module)
        offences += _function_offences(path, source)
    return offences


def test_modules_and_functions_stay_short() -> None:
    offences = shape_offences()
    assert not offences, f"{len(offences)} over the code-shape limits:\n" + "\n".join(offences)


def test_the_walk_sees_the_code() -> None:
    # A wrong ROOT would pass the test above by finding nothing.
    assert len(_modules()) > 50
