"""The RedReply review desk's pages; `redreply ui` (or `streamlit run ui/server.py`) serves them with the
desk's cookie route.

Pages are small scripts beside this file; what they show is computed in agent.review (table, item_view,
analytics, jobs) and every decision goes through agent.review.service.ReviewDesk, the same queue and audit
trail as the CLI.
"""

import streamlit as st

from ui import auth, shared
from ui.i18n import t

st.set_page_config(page_title=t("RedReply · review desk"), page_icon="📝", layout="wide")

account = auth.gate()  # nobody sees a page before signing in (or the local admin of a loopback-only desk)
pages = [
    st.Page("page_queue.py", title=t("Queue"), icon="📥", url_path="queue", default=True),
    st.Page("page_item.py", title=t("Item"), icon="📝", url_path="item"),
    st.Page("page_cases.py", title=t("Cases"), icon="⏳", url_path="cases"),
    st.Page("page_audit.py", title=t("Audit & export"), icon="🧾", url_path="audit"),
    st.Page("page_insight.py", title=t("Insight"), icon="📊", url_path="insight"),
    st.Page("page_knowledge.py", title=t("Knowledge"), icon="📚", url_path="knowledge"),
]
page = st.navigation(pages)
if page.url_path == pages[0].url_path and st.query_params.get("item"):
    # A link to an item (?item=…) opened before signing in lands on the queue (no page exists before the
    # sign-in): take the person on to the item they came for.
    st.switch_page(pages[1], query_params={"item": st.query_params["item"]})
auth.account_sidebar(account)
shared.sidebar()
shared.show_flash()
page.run()
