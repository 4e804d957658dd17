"""The review desk's server: `streamlit run ui/server.py` (what `redreply ui` runs).

The pages (ui/app.py) plus the desk's one HTTP route of its own, which sets the session cookie from the
server, HttpOnly (ui/session_cookie.py). Streamlit finds `app` and serves it with uvicorn.
"""

import streamlit as st

from ui.session_cookie import ROUTES

app = st.App("app.py", routes=ROUTES)
