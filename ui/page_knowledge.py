"""Knowledge: browse each brand's facts (products, usage, certifications, policies); re-index the store."""

import pandas as pd
import streamlit as st

from agent.errors import UserError
from agent.knowledge.files import known_brands, load_brand
from ui import shared

settings = shared.settings()
desk = shared.desk()


def reindex() -> None:
    try:
        report = desk.store.ingest()  # the desk's own store, so its next search sees the new index
    except (UserError, OSError) as e:
        shared.flash("error", f"Re-indexing failed: {e}")
        return
    st.session_state["kb_report"] = str(report)


st.title("Knowledge")
c = st.columns([3, 1])
c[0].caption(f"Files under {settings.knowledge_dir}. Edit them, then re-index: only changed passages are embedded "
             "again. Drafts made before a brand's facts changed are marked stale in the queue.")
c[1].button("🔄 Re-index", key="kb_reindex", on_click=reindex, width="stretch")
if st.session_state.get("kb_report"):
    st.success(st.session_state["kb_report"])

brands = known_brands(settings.knowledge_dir)
if not brands:
    st.warning(f"No brands under {settings.knowledge_dir / 'brands'}.")
    st.stop()
brand_id = st.selectbox("Brand", brands, key="kb_brand",
                        index=brands.index(settings.brand) if settings.brand in brands else 0)
try:
    brand = load_brand(settings.knowledge_dir, brand_id)
except UserError as e:
    st.error(str(e))
    st.stop()

st.subheader(f"{brand.name} · {brand.category}")
st.text(brand.about)
st.text(f"service: {brand.service.hours} · {' / '.join(brand.service.channels)} · {brand.service.response_time}")

products, certs, policies, guidelines, search = st.tabs(
    ["Products and usage", "Certifications", "Policies", "Platform guidelines", "Try a search"])
with products:
    for p in brand.products:
        with st.expander(f"{p.name} ({p.id}) · {p.category}"):
            st.text(p.description)
            st.text(f"usage: {p.usage}")
            for title, values in (("ingredients", p.ingredients), ("cautions", p.cautions),
                                  ("claims a reply may make", p.claims), ("common misuses", p.common_misuses),
                                  ("also called", p.aliases)):
                if values:
                    st.text(f"{title}:\n" + "\n".join(f"  · {v}" for v in values))
with certs:
    if brand.certifications:
        st.dataframe(pd.DataFrame([{"title": c.title, "issuer": c.issuer, "products": ", ".join(c.products),
                                    "report": c.report_no or "", "summary": c.summary}
                                   for c in brand.certifications]), hide_index=True, key="kb_certs")
    else:
        st.caption("No certifications on file: replies must not claim any.")
with policies:
    for pol in brand.policies:
        with st.expander(pol.title):
            st.text(pol.text)
            if pol.promises:
                st.text("a public reply may promise:\n" + "\n".join(f"  · {x}" for x in pol.promises))
with guidelines:
    root = settings.knowledge_dir / "guidelines"
    for path in sorted(root.rglob("*.md")) if root.is_dir() else []:
        with st.expander(str(path.relative_to(settings.knowledge_dir))):
            st.markdown(path.read_text(encoding="utf-8"))  # our own knowledge files, not user text
with search:
    query = st.text_input("Query", key="kb_query", placeholder="精油可以直接涂吗")
    if query.strip():
        for hit in desk.store.search(query, brand=brand_id, k=5):
            ref = hit.to_source_ref()
            with st.expander(f"{ref.kind} · {ref.title}"):
                st.text(ref.path)
                st.text(ref.passage)
