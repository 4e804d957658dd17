"""Knowledge: browse each brand's facts (products, usage, certifications, policies); re-index the store."""

import pandas as pd
import streamlit as st

from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.knowledge.loading import known_brands
from agent.review.desk import REINDEX
from agent.review.desk import reindex as reindex_as
from ui import auth, shared
from ui.i18n import label, t
from ui.labels import headers

settings = shared.settings()
desk = shared.desk()


def reindex() -> None:
    """Button callback: the service refuses a non-admin even if the button was reached some other way."""
    try:
        # The desk's own store, so its next search sees the new index.
        report = reindex_as(desk.store, auth.account())  # type: ignore[arg-type]
    except (UserError, OSError) as e:
        shared.flash("error", t("Re-indexing failed: {error}", error=e))
        return
    st.session_state["kb_report"] = t(
        "ingested in {seconds:.2f} s: {added} added, {updated} updated, {removed} removed, {unchanged} unchanged; "
        "{embedded} embedded", **report.model_dump())  # the words of IngestReport's str (the CLI prints it)


st.title(t("Knowledge"))
c = st.columns([3, 1])
c[0].caption(t("Files under {path}. Edit them, then re-index: only changed passages are embedded again. Drafts made "
               "before a brand's facts changed are marked stale in the queue.", path=settings.knowledge_dir))
admin = auth.may(REINDEX)
c[1].button(t("🔄 Re-index"), key="kb_reindex", on_click=reindex, width="stretch", disabled=not admin,
            help=None if admin else t("Re-indexing the knowledge needs the admin role"))
if st.session_state.get("kb_report"):
    st.success(st.session_state["kb_report"])

brands = known_brands(settings.knowledge_dir)
if not brands:
    st.warning(t("No brands under {path}.", path=settings.knowledge_dir / "brands"))
    st.stop()
brand_id = st.selectbox(t("Brand"), brands, key="kb_brand",
                        index=brands.index(settings.brand) if settings.brand in brands else 0)
try:
    brand = load_brand(settings.knowledge_dir, brand_id)
except UserError as e:
    st.error(str(e))
    st.stop()

st.subheader(f"{brand.name} · {brand.category}")
st.text(brand.about)
st.text(t("service: {hours} · {channels} · {response}", hours=brand.service.hours,
          channels=" / ".join(brand.service.channels), response=brand.service.response_time))

products, certs, policies, guidelines, search = st.tabs(
    [t("Products and usage"), t("Certifications"), t("Policies"), t("Platform guidelines"), t("Try a search")])
with products:
    for p in brand.products:
        with st.expander(f"{p.name} ({p.id}) · {p.category}"):
            st.text(p.description)
            st.text(t("usage: {usage}", usage=p.usage))
            for title, values in ((t("ingredients"), p.ingredients), (t("cautions"), p.cautions),
                                  (t("claims a reply may make"), p.claims), (t("common misuses"), p.common_misuses),
                                  (t("also called"), p.aliases)):
                if values:
                    st.text(f"{title}:\n" + "\n".join(f"  · {v}" for v in values))
with certs:
    if brand.certifications:
        rows = [{"title": c.title, "issuer": c.issuer, "products": ", ".join(c.products), "report": c.report_no or "",
                 "summary": c.summary} for c in brand.certifications]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="kb_certs", column_config=headers(rows[0]))
    else:
        st.caption(t("No certifications on file: replies must not claim any."))
with policies:
    for pol in brand.policies:
        with st.expander(pol.title):
            st.text(pol.text)
            if pol.promises:
                st.text(t("a public reply may promise:") + "\n" + "\n".join(f"  · {x}" for x in pol.promises))
with guidelines:
    root = settings.knowledge_dir / "guidelines"
    for path in sorted(root.rglob("*.md")) if root.is_dir() else []:
        with st.expander(str(path.relative_to(settings.knowledge_dir))):
            st.markdown(path.read_text(encoding="utf-8"))  # our own knowledge files, not user text
with search:
    query = st.text_input(t("Query"), key="kb_query", placeholder="精油可以直接涂吗")
    if query.strip():
        for hit in desk.store.search(query, brand=brand_id, k=5):
            ref = hit.to_source_ref()
            with st.expander(f"{label(ref.kind)} · {ref.title}"):
                st.text(ref.path)
                st.text(ref.passage)
