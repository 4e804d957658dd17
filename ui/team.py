"""Team-desk pieces the item and audit pages add: save a suggestion, download approved replies and appeals.

Downloads reach the person at the browser (CSV, JSON and a plain-text block to paste) besides the
server-side export (agent.review.store.exporting); they do not mark items exported.
"""

from __future__ import annotations

import streamlit as st

from agent.errors import UserError
from agent.queue_item import Item
from agent.review.desk import approved_rows, as_csv, as_json, as_text, latest, suggest
from ui import auth, shared
from ui.i18n import t
from ui.service_text import service_text


def save_suggestion(item_id: str) -> None:
    """Button callback: the reply (and appeal) in the boxes become the signed-in account's suggestion."""
    a = auth.account()
    if a is None:
        return
    try:
        suggest(shared.desk().queue, item_id, st.session_state.get(f"reply:{item_id}", ""),
                st.session_state.get(f"appeal:{item_id}"), a)
    except UserError as e:
        shared.flash("error", t("Not saved: {error}", error=service_text(str(e))))
    else:
        shared.flash("success", t("Suggestion saved for an approver"))


def suggest_button(item: Item) -> None:
    s = latest(shared.desk().queue, item.id)
    if s is not None:
        st.caption(t("Latest suggestion by {name} at {at}", name=s.account, at=s.at))
    st.button(t("💡 Save as a suggestion"), key="suggest", on_click=save_suggestion, args=(item.id,),
              width="stretch", disabled=not auth.may("suggest", item.brand),
              help=t("Keeps your edit for an approver without deciding the item"))


def downloads(brand: str | None = None) -> None:
    """Download buttons for the approved replies and appeals the account may export."""
    if not auth.may("export", brand):
        st.caption(t("Downloads need the approver role"))
        return
    rows = [r for r in approved_rows(shared.desk().queue, brand) if auth.may("export", r["brand"])]
    st.caption(t("{n} approved item(s) ready to download", n=len(rows)))
    c = st.columns(2)
    c[0].download_button(t("Download CSV"), as_csv(rows), file_name="approved.csv", mime="text/csv",
                         key="download_csv", disabled=not rows, on_click="ignore")
    c[1].download_button(t("Download JSON"), as_json(rows), file_name="approved.json", mime="application/json",
                         key="download_json", disabled=not rows, on_click="ignore")
    if rows:
        with st.expander(t("Plain text to paste")):
            st.code(as_text(rows), language=None, wrap_lines=True)
