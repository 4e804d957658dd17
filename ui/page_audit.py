"""Audit and export: every decision, and the export of approved replies and appeals (nothing is posted)."""

from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from agent.errors import UserError
from agent.review.analytics import audit_rows
from agent.review.exporting import approved_rows, export_approved
from agent.review.permissions import EXPORT, require
from ui import auth, shared, team

settings = shared.settings()
desk = shared.desk()
EXPORT_DIR = settings.data_dir / "exports"


def run_export(fmt: str, brand: str | None) -> None:
    try:
        require(auth.account(), EXPORT, brand)
    except UserError as e:
        shared.flash("error", f"Not exported: {e}")
        return
    path = EXPORT_DIR / f"approved-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"
    n = export_approved(desk.queue, path, brand)
    st.session_state["last_export"] = str(path)
    shared.flash("success", f"Exported {n} approved item(s) to {path} and marked them exported. Nothing was posted.")


st.title("Audit and export")

st.subheader("Export approved replies and appeals")
pending = approved_rows(desk.queue)
st.caption(f"{len(pending)} approved item(s) not exported yet. Export writes a file under {EXPORT_DIR} for a "
           "person to post by hand, and marks the items exported.")
if pending:
    st.dataframe(pd.DataFrame([{"id": r["id"], "brand": r["brand"], "comment": r["comment"],
                                "reply": r["reply"], "appeal": r["appeal_label"], "decided_by": r["decided_by"]}
                               for r in pending]), hide_index=True, key="export_preview")
c = st.columns([1, 2, 2])
fmt = c[0].radio("Format", ["csv", "json"], key="export_format", horizontal=True)
brands = sorted({r["brand"] for r in pending})
brand = c[1].selectbox("Brand", ["all brands", *brands], key="export_brand")
c[2].button("Export approved", key="export_go", type="primary", disabled=not pending or not auth.may(EXPORT, None),
            on_click=run_export, args=(fmt, None if brand == "all brands" else brand))

last = st.session_state.get("last_export")
if last and Path(last).exists():
    path = Path(last)
    st.download_button(f"Download {path.name}", data=path.read_bytes(), file_name=path.name, key="export_download",
                       mime="text/csv" if path.suffix == ".csv" else "application/json", on_click="ignore")
st.subheader("Download to this computer")
team.downloads(None if brand == "all brands" else brand)
earlier = sorted(EXPORT_DIR.glob("approved-*"), reverse=True) if EXPORT_DIR.is_dir() else []
if earlier:
    with st.expander(f"Earlier exports ({len(earlier)})"):
        st.text("\n".join(str(p) for p in earlier))

st.subheader("Decisions")
rows = audit_rows(desk.queue.decisions())
if not rows:
    st.info("No decisions yet.")
else:
    reviewers = sorted({r["reviewer"] for r in rows})
    actions = sorted({r["action"] for r in rows})
    c = st.columns(2)
    who = c[0].multiselect("Reviewer", reviewers, key="audit_reviewer")
    what = c[1].multiselect("Action", actions, key="audit_action")
    shown = [r for r in reversed(rows) if (not who or r["reviewer"] in who) and (not what or r["action"] in what)]
    st.dataframe(pd.DataFrame(shown), hide_index=True, key="audit_table", column_config={
        "edit_distance": st.column_config.NumberColumn("edited", format="%.2f",
                                                       help="Normalised edit distance draft → final (0 = unchanged)"),
        "applied": st.column_config.CheckboxColumn("applied"),
    })
    st.download_button("Download the audit trail (CSV)", key="audit_download", on_click="ignore",
                       data=pd.DataFrame(rows).to_csv(index=False).encode("utf-8-sig"),
                       file_name="audit.csv", mime="text/csv")
