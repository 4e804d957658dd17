"""Sign-in for the review desk: nobody sees a page before it (ui/app.py calls `gate()` first).

- No account yet and the server listens on loopback only: the desk opens as the local admin, with a banner.
- Otherwise a desk account signs in (name and password, agent.review.team.accounts), or, where `[auth]` is
  configured in `.streamlit/secrets.toml`, through the identity provider with Streamlit's `st.login()`;
  the provider's e-mail must name a desk account (`redreply users add EMAIL --role …`), which gives the role.
The session is a signed, expiring token (agent.review.team.session_tokens) kept in a cookie, so a reload or
an `?item=` link keeps it; the server verifies it on every run (tampered, foreign, expired or revoked: signed
out). The server sets the cookie, HttpOnly and SameSite=Lax, on its own route (ui/session_cookie.py): the
page only posts a one-time code to it, so no script on the page ever reads the token. It is read with
`st.context.cookies`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from agent.review.desk import (
    COOKIE,
    HANDOFFS,
    Account,
    Accounts,
    SignInError,
    allowed,
    desk_key,
    end,
    issue,
    local_admin,
    verify,
)
from ui import shared
from ui.i18n import LANGUAGES, N_, language, t
from ui.session_cookie import PATH as SESSION_ROUTE

# The sign-in refusals of agent.review.team.accounts, by their English text (one is matched with its number).
SIGN_IN_ERRORS = [N_("wrong name or password"), N_("this account is disabled: ask an admin"),
                  N_("your session ended: sign in again"), N_("your session expired: sign in again"),
                  N_("this sign-in is not valid here: sign in again")]
LOCKED = re.compile(r"too many failed sign-ins: try again in (\d+) s")

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@st.cache_resource(max_entries=16)
def _accounts(queue_path: str) -> Accounts:
    from pathlib import Path

    return Accounts(Path(queue_path))


def accounts() -> Accounts:
    return _accounts(str(shared.settings().queue_path))


def listens_on_loopback() -> bool:
    """Only an explicit loopback address counts: unset, Streamlit listens on every interface."""
    return (st.get_option("server.address") or "") in LOOPBACK


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def account() -> Account | None:
    found = st.session_state.get("account")
    return found if isinstance(found, Account) else None


def actor() -> Account | None:
    """The account decisions are made as; None for the local admin (the desk decides as before)."""
    a = account()
    return None if a is None or a.local else a


def may(action: str, brand: str | None = None) -> bool:
    return allowed(account(), action, brand)


def sign_in(name: str, password: str) -> None:
    """Form callback: a session on success, one clear message otherwise (never the password)."""
    try:
        found = accounts().authenticate(name.strip(), password)
    except SignInError as e:
        st.session_state["auth_error"] = str(e)
        return
    s = shared.settings()
    token = issue(accounts(), desk_key(accounts(), s.data_dir), found.name, s.session_hours * 3600)
    st.session_state["auth_token"] = token
    st.session_state["cookie_out"] = HANDOFFS.offer(token, int(s.session_hours * 3600))
    st.session_state.pop("auth_error", None)
    st.session_state.pop("sign_in_password", None)


def sign_out() -> None:
    token = st.session_state.pop("auth_token", None)
    if token:
        end(accounts(), token)
    st.session_state["cookie_out"] = ""
    st.session_state["signed_out"] = token or True  # the cookie this page load came with is no longer honoured
    st.session_state.pop("account", None)
    if oidc_configured():
        st.logout()


def _token() -> str | None:
    """This session's token, else the cookie's (a reload, a link), unless this session signed out."""
    token = st.session_state.get("auth_token")
    if token:
        return str(token)
    if st.session_state.get("signed_out"):
        return None
    cookie = st.context.cookies.get(COOKIE)
    return str(cookie) if cookie else None


def _signed_in() -> Account | None:
    token = _token()
    if not token:
        return None
    try:
        found = verify(accounts(), desk_key(accounts(), shared.settings().data_dir), token)
    except SignInError as e:
        st.session_state.pop("auth_token", None)
        st.session_state["signed_out"] = True
        st.session_state["cookie_out"] = ""
        st.session_state["auth_error"] = str(e)
        return None
    st.session_state["auth_token"] = token
    return found


def write_cookie() -> None:
    """Have the server set (or clear) the session cookie, once, after a sign-in or sign-out: the page posts the
    sign-in's one-time code (empty: clear) to the desk's cookie route, whose answer carries the cookie."""
    code = st.session_state.pop("cookie_out", None)
    if code is None:
        return
    # Only the code, never the token, is on the page; it is random, lives a minute and is taken once.
    st.html(f"<script>fetch('{SESSION_ROUTE}', {{method: 'POST', body: '{code}', credentials: 'same-origin'}});"
            "</script>", unsafe_allow_javascript=True)


def _oidc() -> Account | None:
    if not st.user.is_logged_in:
        st.button(t("Sign in with your organisation"), key="oidc_login", on_click=st.login, type="primary")
        return None
    email = str(st.user.get("email") or "")
    try:
        found = accounts().get(email)
    except Exception:
        st.error(t("{email} has no desk account: ask an admin to add it", email=email))
        return None
    if found.disabled:
        st.error(t("This account is disabled: ask an admin"))
        return None
    return found


def sign_in_form() -> None:
    st.title(t("RedReply · sign in"))
    # Its own key: after the sign-in, the account's language (then the sidebar's choice) wins.
    st.selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="sign_in_language",
                 index=list(LANGUAGES).index(shared.settings().language))
    if not accounts().any():
        st.warning(t("This desk listens beyond this computer and has no account yet. Add one with "
                     "`redreply users add NAME --role admin`, or start it with `redreply ui` (loopback only)."))
        return
    error = st.session_state.pop("auth_error", None)
    if error:
        st.error(sign_in_error(str(error)))
    with st.form("sign_in"):
        name = st.text_input(t("Name"), key="sign_in_name")
        password = st.text_input(t("Password"), type="password", key="sign_in_password")
        if st.form_submit_button(t("Sign in"), type="primary"):
            sign_in(name, password)
            st.rerun()


def sign_in_error(text: str) -> str:
    """A refusal from the accounts service in the desk's language (the service words it in English)."""
    locked = LOCKED.fullmatch(text)
    if locked:
        return t("too many failed sign-ins: try again in {n} s", n=locked.group(1))
    return t(text) if text in SIGN_IN_ERRORS else text


def gate() -> Account:
    """The signed-in account; renders the sign-in and stops the run when there is none."""
    if oidc_configured():
        found = _oidc()
    elif not accounts().any() and listens_on_loopback():
        found = local_admin(shared.settings().reviewer)
    else:
        found = _signed_in()
    if found is None:
        write_cookie()
        if not oidc_configured():
            sign_in_form()
        st.session_state.pop("account", None)
        st.stop()
    write_cookie()
    st.session_state["account"] = found
    return found


def account_sidebar(found: Account) -> None:
    with st.sidebar:
        if found.local:
            st.info(t("Local admin: no account exists and the desk listens on this computer only. "
                      "Add accounts with `redreply users add` to require sign-in."))
        else:
            st.caption(t("Signed in as {name} ({role})", name=found.name, role=t(found.role)))
            st.button(t("Sign out"), key="sign_out", on_click=sign_out)
        st.selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="language",
                     index=list(LANGUAGES).index(language()),  # the account's, or the one chosen at sign-in
                     on_change=_save_language, args=(found,))


def _save_language(found: Account) -> None:
    """The account keeps its choice for its next sign-in."""
    if not found.local:
        accounts().set_language(found.name, st.session_state["language"])


def covering() -> Callable[[str], bool]:
    """Whether the signed-in account works on a brand, bound once for a table of many rows."""
    found = account()
    return found.covers if found is not None else (lambda brand: False)


def visible(items: list) -> list:  # type: ignore[type-arg]
    """The items of the brands the signed-in account works on."""
    found = account()
    return [it for it in items if found is not None and found.covers(it.brand)]
