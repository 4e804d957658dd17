"""The item page's note of the team's earlier approved reply a draft drew on (the brand's memory)."""

from __future__ import annotations

import streamlit as st

from agent.queue_item import Item
from agent.triage.pii import redact
from ui.i18n import t as tr


def memory_panel(item: Item) -> None:
    drew_on = item.result.drew_on if item.result is not None else None
    if drew_on is None:
        return
    with st.expander(tr("Drew on the team's reply to a similar comment ({similarity:.0%} alike)",
                        similarity=drew_on.similarity)):
        st.caption(tr("Earlier comment {id}", id=drew_on.id))
        st.text(redact(drew_on.comment))
        st.caption(tr("The reply the team approved"))
        st.text(redact(drew_on.reply))
