"""The knowledge files cut into retrievable chunks, each with a stable id and its citation metadata.

- Guidelines (`guidelines/**/*.md`): one chunk per `##` section; the document title is the `#` heading.
  Text before the first `##` becomes an "overview" chunk when there is any.
- Brand facts (`brands/<brand>/brand.yaml`): one chunk per product (what it is) and one for its usage
  and cautions, one per certification, one per policy, one for customer service, one about the brand.

A chunk id is `"{relpath}#{section-slug}"`, e.g. `guidelines/violations/rumor.md#申诉要点` or
`brands/glowskin/brand.yaml#product-rose-oil-usage`: it stays the same as long as the heading (or the
YAML id) does, so citations and the retrieval eval's labels survive edits of the text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel

from agent.knowledge.brands import Brand, load_brand
from agent.knowledge.loading import KnowledgeError, brands_dir
from agent.schemas import Kind, SourceRef

# Bump to re-embed everything after a change of what is embedded (not of the knowledge itself).
CHUNK_FORMAT = "2"


class Chunk(BaseModel):
    id: str
    kind: Kind
    brand: str = ""
    product: str = ""
    path: str  # relative to the knowledge dir, with forward slashes
    section: str
    title: str
    text: str
    aliases: str = ""  # product chunks: the product's name and what commenters call it, "、"-joined

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        for part in (CHUNK_FORMAT, self.kind, self.brand, self.product, self.path, self.section, self.title, self.text,
                     self.aliases):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:16]

    @property
    def search_text(self) -> str:
        """What is embedded and indexed: the headings carry much of the meaning of a short section."""
        return f"{self.title} · {self.section}\n{self.text}"

    def metadata(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "brand": self.brand,
            "product": self.product,
            "path": self.path,
            "section": self.section,
            "title": self.title,
            "aliases": self.aliases,
            "hash": self.content_hash,
        }

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict[str, object]) -> Chunk:
        return cls(
            id=chunk_id,
            kind=meta.get("kind", "guideline"),  # type: ignore[arg-type]
            brand=str(meta.get("brand", "")),
            product=str(meta.get("product", "")),
            path=str(meta.get("path", "")),
            section=str(meta.get("section", "")),
            title=str(meta.get("title", "")),
            text=text,
            aliases=str(meta.get("aliases", "")),
        )


def slugify(heading: str) -> str:
    """A stable id fragment: NFKC, lower case, letters/digits/Han kept, everything else one '-'."""
    s = unicodedata.normalize("NFKC", heading).lower()
    s = re.sub(r"[^\w\u3400-\u4dbf\u4e00-\u9fff]+", "-", s).strip("-_")
    return s or "section"


# ------------------------------------------------------------------ guidelines (Markdown)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def chunk_markdown(text: str, relpath: str) -> list[Chunk]:
    """One chunk per `##` section of a guideline file (deeper headings stay in their section)."""
    title = ""
    sections: list[tuple[str, list[str]]] = [("", [])]  # ("", …) holds the text before the first ##
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        m = None if in_fence else _HEADING.match(line)
        if m and len(m.group(1)) == 1 and not title:
            title = m.group(2).strip()
            continue
        if m and len(m.group(1)) == 2:
            sections.append((m.group(2).strip(), []))
            continue
        sections[-1][1].append(line)
    if not title:
        title = Path(relpath).stem
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for heading, lines in sections:
        body = "\n".join(lines).strip()
        if not body:
            continue
        section = heading or "概述"
        slug = slugify(heading) if heading else "overview"
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            slug = f"{slug}-{seen[slug]}"
        chunks.append(Chunk(id=f"{relpath}#{slug}", kind="guideline", path=relpath, section=section,
                            title=title, text=body))
    return chunks


def guideline_files(knowledge_dir: Path) -> list[Path]:
    root = knowledge_dir / "guidelines"
    return sorted(root.rglob("*.md")) if root.is_dir() else []


def guideline_chunks(knowledge_dir: Path) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in guideline_files(knowledge_dir):
        rel = path.relative_to(knowledge_dir).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise KnowledgeError(f"{path}: not UTF-8 text ({e})") from e
        chunks += chunk_markdown(text, rel)
    return chunks


# ------------------------------------------------------------------ brand facts (YAML)

def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p and p.strip())


def _joined(label: str, items: list[str], sep: str = "；") -> str:
    return f"{label}：{sep.join(items)}" if items else ""


def brand_chunks_from(brand: Brand, relpath: str) -> list[Chunk]:
    """The chunks of one brand's facts."""
    def chunk(slug: str, section: str, text: str, product: str = "", aliases: str = "") -> Chunk:
        return Chunk(id=f"{relpath}#{slug}", kind="brand_fact", brand=brand.id, product=product,
                     path=relpath, section=section, title=brand.name, text=text, aliases=aliases)

    names = {p.id: p.name for p in brand.products}
    brand_also = f"（也叫：{'、'.join(brand.aliases)}）" if brand.aliases else ""
    out = [chunk("about", "关于品牌", _lines(f"{brand.name}{brand_also}", f"品类：{brand.category}", brand.about))]
    for p in brand.products:
        other_names = [a for a in dict.fromkeys(p.aliases) if a != p.name]
        also = f"（也叫：{'、'.join(other_names)}）" if other_names else ""
        names_of = "、".join(dict.fromkeys([p.name, *p.aliases]))
        out.append(chunk(f"product-{slugify(p.id)}", f"产品：{p.name}", _lines(
            f"{p.name}{also}",
            f"类别：{p.category}",
            p.description,
            _joined("成分", p.ingredients, "、"),
            _joined("可以说的卖点", p.claims),
        ), product=p.id, aliases=names_of))
        if p.usage or p.cautions or p.common_misuses:
            out.append(chunk(f"product-{slugify(p.id)}-usage", f"{p.name} · 用法与注意事项", _lines(
                f"{p.name}{also}的正确用法：{p.usage}",
                _joined("注意事项", p.cautions),
                _joined("常见误用", p.common_misuses),
            ), product=p.id, aliases=names_of))
    for c in brand.certifications:
        covered = "、".join(names.get(pid, pid) for pid in c.products)
        out.append(chunk(f"cert-{slugify(c.id)}", f"认证：{c.title}", _lines(
            c.title,
            f"出具机构：{c.issuer}",
            f"适用产品：{covered}" if covered else "",
            c.summary,
            f"报告编号：{c.report_no}" if c.report_no else "",
        ), product=c.products[0] if len(c.products) == 1 else ""))
    for pol in brand.policies:
        out.append(chunk(f"policy-{slugify(pol.id)}", f"政策：{pol.title}", _lines(
            pol.title, pol.text, _joined("公开回复可以承诺", pol.promises),
        )))
    s = brand.service
    out.append(chunk("service", "客服与售后渠道", _lines(
        f"{brand.name}客服时间：{s.hours}",
        _joined("联系渠道", s.channels),
        f"响应时效：{s.response_time}",
    )))
    return out


def brand_sources(brand: Brand, slugs: list[str]) -> list[SourceRef]:
    """The citations of chunks of the brand file by their slugs ("product-oil-usage"), as retrieval gives them."""
    chunks = {c.id.partition("#")[2]: c for c in brand_chunks_from(brand, f"brands/{brand.id}/brand.yaml")}
    return [SourceRef(id=c.id, title=f"{c.title} · {c.section}", path=f"knowledge/{c.path}", kind=c.kind,
                      passage=c.text) for c in (chunks.get(s) for s in slugs) if c is not None]


def brand_files(knowledge_dir: Path) -> list[Path]:
    root = brands_dir(knowledge_dir)
    return sorted(root.glob("*/brand.yaml")) if root.is_dir() else []


def brand_chunks(knowledge_dir: Path) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in brand_files(knowledge_dir):
        brand = load_brand(knowledge_dir, path.parent.name)
        if brand.id != path.parent.name:
            raise KnowledgeError(f"{path}: field 'id': '{brand.id}' does not match its folder '{path.parent.name}'")
        chunks += brand_chunks_from(brand, path.relative_to(knowledge_dir).as_posix())
    return chunks


def all_chunks(knowledge_dir: Path) -> list[Chunk]:
    """Every chunk of the knowledge dir; a malformed file raises KnowledgeError naming it and the field."""
    chunks = guideline_chunks(knowledge_dir) + brand_chunks(knowledge_dir)
    ids: set[str] = set()
    for c in chunks:
        if c.id in ids:
            raise KnowledgeError(f"knowledge/{c.path}: two chunks share the id '{c.id}' (duplicate id or heading)")
        ids.add(c.id)
    return chunks
