"""The desk's interface language: 简体 (zh_Hans), 繁體 (zh_Hant) or English, from gettext catalogs.

Every visible string of a page is written as `t("English text {name}", name=…)`; the English text is the
msgid of `ui/locales/<lang>/LC_MESSAGES/desk.po` (read with Babel, cached per file version). A missing
translation shows the English text; tests/ui/test_i18n.py fails on any `t("…")` without one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "desk.po"


@lru_cache(maxsize=8)
def _catalog(path: Path, _mtime: float) -> dict[str, str]:
    with path.open("rb") as f:
        catalog = read_po(f)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def catalog(language: str) -> dict[str, str]:
    path = po_path(language)
    return _catalog(path, path.stat().st_mtime) if path.is_file() else {}


def language() -> str:
    """The signed-in account's language, else the one chosen in this session, else REDREPLY_LANGUAGE."""
    chosen = st.session_state.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    from ui import shared

    account = st.session_state.get("account")
    if account is not None and getattr(account, "language", None) in LANGUAGES:
        return str(account.language)
    return shared.settings().language


def translate(msgid: str, lang: str, **kw: Any) -> str:
    text = catalog(lang).get(msgid, msgid) if lang != "en" else msgid
    return text.format(**kw) if kw else text


def t(msgid: str, **kw: Any) -> str:
    """The visible text of msgid in the current language, with {placeholders} filled."""
    return translate(msgid, language(), **kw)
