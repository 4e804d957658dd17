"""What every page of the review app shares: settings, one ReviewDesk per data dir, the reviewer,
the background drafting job and one-shot messages. No logic about items lives here (it is in agent.review:
table, item_view, analytics, jobs).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from agent.config import Settings, configure_offline_libraries, setting_errors
from agent.review.desk import DraftJob, ReviewDesk, start_drafting
from ui.i18n import label, t

UI_DIR = Path(__file__).resolve().parent


def settings() -> Settings:
    """Settings from REDREPLY_* and redreply.toml as they are now, so tests can point elsewhere; read again only
    when one of them changed (a page asks several times a run). A bad value (a time zone no zone has, say) is
    one line on the page, and the page stops there."""
    configure_offline_libraries()
    toml = Path("redreply.toml")
    key = (tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("REDREPLY_"))),
           os.environ.get("USER"), os.getcwd(), toml.stat().st_mtime if toml.is_file() else None)
    try:
        return _settings(key)
    except ValidationError as e:
        st.error(setting_errors(e))
        st.stop()
        raise  # st.stop() raises; this keeps the type checker sure


@lru_cache(maxsize=8)
def _settings(_key: tuple[object, ...]) -> Settings:
    return Settings()


# No cache spinner: its text is fixed at import, in no one's language; desk() shows a translated one.
@st.cache_resource(show_spinner=False, max_entries=16)
def _desk(data_dir: str, model: str, _settings: Settings) -> ReviewDesk:
    desk = ReviewDesk(_settings)
    # Once per server process: if the last one died mid-way, finish its claimed decisions and go on
    # drafting what it had accepted (the import saved the comments before drafting them).
    desk.recover()
    undrafted = desk.queue.ids_with_status("pending")
    if undrafted:
        _jobs(data_dir)["current"] = start_drafting(desk, undrafted, concurrency=2)
    return desk


def desk() -> ReviewDesk:
    """The one ReviewDesk for this data dir (and model), shared by every session of this server."""
    s = settings()
    key = (str(s.data_dir), s.model)
    if key in _opened():
        return _desk(*key, s)
    with st.spinner(t("Opening the review desk…")):
        found = _desk(*key, s)
    _opened().add(key)
    return found


@st.cache_resource
def _opened() -> set[tuple[str, str]]:
    """The desks this server process has opened: only the first opening shows the spinner."""
    return set()


@st.cache_resource(max_entries=16)
def _jobs(data_dir: str) -> dict[str, DraftJob]:
    return {}


def jobs() -> dict[str, DraftJob]:
    """The background drafting job of this data dir (key "current"); it outlives a page reload."""
    return _jobs(str(settings().data_dir))


def reviewer() -> str:
    """The signed-in account's name; the typed name only for the local admin of a desk without accounts."""
    account = st.session_state.get("account")
    if account is not None and not account.local:
        return str(account.name)
    return (st.session_state.get("reviewer") or settings().reviewer or "reviewer").strip()


def now() -> datetime:
    return datetime.now(UTC)


def flash(kind: str, text: str) -> None:
    """A message shown once, at the top of the next run (callbacks run before the page renders)."""
    st.session_state.setdefault("_flash", []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop("_flash", []):
        getattr(st, kind, st.info)(text)


def sidebar() -> None:
    s = settings()
    with st.sidebar:
        account = st.session_state.get("account")
        if account is None or account.local:
            st.text_input(t("Reviewer"), value=s.reviewer, key="reviewer",
                          help=t("Your name in the audit trail (default: REDREPLY_REVIEWER or $USER)"))
        counts = desk().table.counts(now())  # kept between runs: not 5,000 items read per page
        st.caption(t("{review} to review · {s3} severity 3 · {overdue} overdue · {approved} approved, not exported",
                     review=counts.get("needs_review", 0), s3=counts.get("severity3_open", 0),
                     overdue=counts.get("overdue", 0), approved=counts.get("approved", 0)))
        st.caption(t("Model: {model} · data: {path}", model=label(s.model), path=s.data_dir))
        st.caption(t("RedReply drafts; a person approves. Nothing is ever posted."))
