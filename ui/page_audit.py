"""Audit and export: every decision, and the export of approved replies and appeals (nothing is posted)."""

from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from agent.errors import UserError
from agent.review.desk import EXPORT, approved_rows, audit_rows, export_approved, require, team_zone
from ui import auth, shared, team
from ui.i18n import label, labeler, t, translator
from ui.labels import headers, when
from ui.service_text import service_text

settings = shared.settings()
desk = shared.desk()
EXPORT_DIR = settings.data_dir / "exports"


def run_export(fmt: str, brand: str | None) -> None:
    try:
        require(auth.account(), EXPORT, brand)
    except UserError as e:
        shared.flash("error", t("Not exported: {error}", error=service_text(str(e))))
        return
    path = EXPORT_DIR / f"approved-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"
    n = export_approved(desk.queue, path, brand)
    st.session_state["last_export"] = str(path)
    shared.flash("success", t("Exported {n} approved item(s) to {path} and marked them exported. Nothing was posted.",
                              n=n, path=path))


st.title(t("Audit and export"))

st.subheader(t("Export approved replies and appeals"))
pending = approved_rows(desk.queue)
st.caption(t("{n} approved item(s) not exported yet. Export writes a file under {path} for a person to post by hand, "
             "and marks the items exported.", n=len(pending), path=EXPORT_DIR))
if pending:
    preview = [{"id": r["id"], "brand": r["brand"], "comment": r["comment"], "reply": r["reply"],
                "appeal": r["appeal_label"], "decided_by": r["decided_by"]} for r in pending]
    st.dataframe(pd.DataFrame(preview), hide_index=True, key="export_preview", column_config=headers(preview[0]))
c = st.columns([1, 2, 2])
fmt = c[0].radio(t("Format"), ["csv", "json"], key="export_format", horizontal=True)
brands = sorted({r["brand"] for r in pending})
ALL, every = "", t("all brands")  # the "all brands" option: a value no brand has, shown in the desk's language
brand = c[1].selectbox(t("Brand"), [ALL, *brands], key="export_brand", format_func=lambda b: b or every)
c[2].button(t("Export approved"), key="export_go", type="primary", disabled=not pending or not auth.may(EXPORT, None),
            on_click=run_export, args=(fmt, brand or None))

last = st.session_state.get("last_export")
if last and Path(last).exists():
    path = Path(last)
    st.download_button(t("Download {name}", name=path.name), data=path.read_bytes(), file_name=path.name, key="export_download",
                       mime="text/csv" if path.suffix == ".csv" else "application/json", on_click="ignore")
st.subheader(t("Download to this computer"))
team.downloads(brand or None)
earlier = sorted(EXPORT_DIR.glob("approved-*"), reverse=True) if EXPORT_DIR.is_dir() else []
if earlier:
    with st.expander(t("Earlier exports ({n})", n=len(earlier))):
        st.text("\n".join(str(p) for p in earlier))

st.subheader(t("Decisions"))
rows = audit_rows(desk.queue.decisions())
if not rows:
    st.info(t("No decisions yet."))
else:
    reviewers = sorted({r["reviewer"] for r in rows})
    actions = sorted({r["action"] for r in rows})
    filters = st.columns(2)  # a name of its own: st.columns(2) is typed a pair, the export row's a list
    who = filters[0].multiselect(t("Reviewer"), reviewers, key="audit_reviewer", placeholder=t("Choose options"))
    what = filters[1].multiselect(t("Action"), actions, key="audit_action", format_func=labeler(),
                                 placeholder=t("Choose options"))
    shown = [r for r in reversed(rows) if (not who or r["reviewer"] in who) and (not what or r["action"] in what)]
    frame = pd.DataFrame(shown, columns=list(rows[0]))
    frame["action"] = frame["action"].map(label)  # shown in the desk's language; the CSV below keeps the values
    tr, zone = translator(), team_zone(settings.team_tz)
    frame["at"] = [when(at, tr, zone) for at in frame["at"]]  # the team's time zone; the CSV keeps UTC
    st.dataframe(frame, hide_index=True, key="audit_table", column_config={
        **headers(rows[0]),
        "edit_distance": st.column_config.NumberColumn(
            t("edited"), format="%.2f", help=t("Normalised edit distance draft → final (0 = unchanged)")),
        "applied": st.column_config.CheckboxColumn(t("applied")),
    })
    st.download_button(t("Download the audit trail (CSV)"), key="audit_download", on_click="ignore",
                       data=pd.DataFrame(rows).to_csv(index=False).encode("utf-8-sig"),
                       file_name="audit.csv", mime="text/csv")
