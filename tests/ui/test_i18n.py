"""Every visible string written through t()/tr() on the desk's pages has a 简体 and a 繁體 translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ui.i18n import LANGUAGES, catalog, translate

UI = Path(__file__).resolve().parents[2] / "ui"
PAGES = ["app.py", "auth.py", "team.py", "page_queue.py", "page_item.py"]
ROLES = ["viewer", "suggester", "approver", "admin"]  # translated through t(found.role)


def msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "tr")
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_visible_string_has_a_translation(language):
    used = set(ROLES).union(*(msgids(UI / p) for p in PAGES))
    assert len(used) > 60
    missing = sorted(used - set(catalog(language)))
    assert not missing, f"no {language} translation for: {missing}"


def test_the_queue_and_item_pages_put_their_labels_through_the_catalog():
    assert {"Review queue", "Status", "Severity", "Search", "Open item"} <= msgids(UI / "page_queue.py")
    assert {"✅ Approve", "Reject", "Regenerate", "Reply", "Comment"} <= msgids(UI / "page_item.py")


def test_translation_fills_placeholders_in_each_language():
    assert translate("Signed in as {name} ({role})", "zh_Hant", name="amy", role="x") == "已登入：amy（x）"
    assert translate("Signed in as {name} ({role})", "en", name="amy", role="x") == "Signed in as amy (x)"
    assert translate("Review queue", "zh_Hans") == "审核队列"
