"""The desk's interface language: 简体 (zh_Hans), 繁體 (zh_Hant) or English, from gettext catalogs.

Every visible string of a page is written as `t("English text {name}", name=…)`; the English text is the
msgid of `ui/locales/<lang>/LC_MESSAGES/desk.po` (read with Babel, cached per file version). A missing
translation shows the English text; tests/ui/test_i18n.py fails on any `t("…")` or `N_("…")` without one,
and on a visible string literal that bypasses t().

Enum values (status, source, violation, situation, rung, action…) are shown through `label(value)`: their
msgid is the value itself, so English shows the identifiers the CLI and the exports use, and the other
languages a word (the values are listed with `N_` in ui/labels.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st
from babel.messages.pofile import read_po

from agent.config import Settings, configure_offline_libraries

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
    account = st.session_state.get("account")
    if account is not None and getattr(account, "language", None) in LANGUAGES:
        return str(account.language)
    before = st.session_state.get("sign_in_language")  # chosen on the sign-in page
    if before in LANGUAGES:
        return str(before)
    return _default_language(os.environ.get("REDREPLY_LANGUAGE"), os.getcwd())


@lru_cache(maxsize=8)
def _default_language(_env: str | None, _cwd: str) -> str:
    """REDREPLY_LANGUAGE (or redreply.toml's), read once per value: a table of 5,000 rows asks for it per cell."""
    # What ui.shared.settings() reads, read here: shared shows translated text, so i18n must not import it.
    configure_offline_libraries()
    try:
        return Settings().language
    except ValueError:  # a bad setting: ui.shared.settings() says which, in English, on the page
        return "en"


def translate(msgid: str, lang: str, **kw: Any) -> str:
    text = catalog(lang).get(msgid, msgid) if lang != "en" else msgid
    return text.format(**kw) if kw else text


def t(msgid: str, **kw: Any) -> str:
    """The visible text of msgid in the current language, with {placeholders} filled."""
    return translate(msgid, language(), **kw)


def translator() -> Callable[..., str]:
    """`t` bound to this run's language: a table of 5,000 rows words its cells without asking the session for
    the language per cell."""
    lang = language()

    def tr(msgid: str, **kw: Any) -> str:
        return translate(msgid, lang, **kw)

    return tr


def N_(msgid: str) -> str:  # noqa: N802 - gettext's name for "a msgid, translated later where it is shown"
    """Marks msgid for the catalog (and the test) without translating it here."""
    return msgid


def label(value: object) -> str:
    """The visible label of an enum value (its msgid is the value); an unknown value shows as it is."""
    return labeler()(value)


def labeler() -> Callable[[object], str]:
    """`label` bound to this run's language, for a widget's format_func: Streamlit may call that outside the
    run (AppTest does), where the session's language is not at hand."""
    lang = language()

    def show(value: object) -> str:
        text = str(getattr(value, "value", value))
        return translate(text, lang) if text else text

    return show
