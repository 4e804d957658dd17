"""The lines of a brand file that may answer a question (agent/drafting/answers.py): each product's usage,
cautions, claims, ingredients and description, the brand's about and catalogue, its certifications (all, or
those its `evidence_documents` map to a kind of claim), a policy's sentences and promises; each with the chunk
of the brand file that cites it, and cut to the clauses that hold what is asked where a sentence runs long."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.knowledge.brands import Brand, Certification, Product
from agent.knowledge.chunking import slugify
from agent.knowledge.wording import questions
from agent.text import normalize_for_match

_SENTENCE = re.compile(r"(?<=[。！!；;])")
_CLAUSE = re.compile(r"(?<=[，,；;])")
_NOTE = re.compile(r"【[^】]*】|（演示数据[^）]*）")  # the brand file's notes to its reader, never said in a reply
_LONG = 48  # a sentence longer than this is cut to the clauses that hold what is asked…
_CLAUSES = 2  # …at most this many


@dataclass(frozen=True)
class Line:
    """One line of the brand file that may answer a question, and the chunk that cites it."""

    text: str
    cite: str  # the brand-file chunk's slug (agent/knowledge/chunking.py), e.g. "product-oil-usage"
    product: str = ""  # the product's name, where the line is one product's among several
    lead: str = ""  # said before the text whatever is cut from it (a certificate's title and issuer)

    def said(self, holds: re.Pattern[str] | None) -> str:
        """The line as the answer says it: a long text cut to its clauses holding what is asked."""
        head = f"{self.product}：" if self.product else ""
        return head + (f"{self.lead}：" if self.lead else "") + narrowed(self.text, holds)


def _plain(text: str) -> str:
    return _NOTE.sub("", text).strip().rstrip("。；;，,")


def _sentences(text: str) -> list[str]:
    return [s for s in (_plain(p) for p in _SENTENCE.split(_plain(text))) if s]


def _certification_line(c: Certification) -> Line:
    sentences = [s for s in (_plain(p) for p in re.split(r"(?<=。)", _plain(c.summary))) if s]
    return Line("，".join(sentences), f"cert-{slugify(c.id)}", lead=f"{c.title}（{c.issuer}）")


def _product_lines(product: Product, source: str) -> list[Line]:
    usage, own = f"product-{slugify(product.id)}-usage", f"product-{slugify(product.id)}"
    if source == "usage":
        return [Line(s, usage) for s in _sentences(product.usage)]
    if source == "cautions":
        return [Line(_plain(c), usage) for c in product.cautions]
    if source == "claims":
        return [Line(_plain(c), own) for c in product.claims]
    if source == "ingredients":
        return [Line("成分有" + "、".join(product.ingredients), own)] if product.ingredients else []
    if source == "description":
        return [Line(s, own) for s in _sentences(product.description)]
    return []


def _brand_lines(brand: Brand, products: list[Product], source: str, kinds: list[str]) -> list[Line]:
    covered = {p.id for p in products}
    certs = [c for c in brand.certifications if not covered or covered & set(c.products)]
    if source == "about":
        return [Line(s, "about") for s in _sentences(brand.about)]
    if source == "catalogue":
        names = "、".join(p.name for p in brand.products)
        return [Line(f"{brand.name}目前在售的有{names}", "about")] if names else []
    if source == "certifications":
        return [_certification_line(c) for c in certs]
    if source == "documents":  # the documents the brand file names for the kind of claim asked about
        ids = [i for k in kinds for i in brand.evidence_documents.get(k, [])]  # type: ignore[call-overload]
        return [_certification_line(c) for c in certs if c.id in ids]
    kind, _, policy_id = source.partition(":")
    policy = brand.policy(policy_id)
    if policy is None:
        return []
    cite = f"policy-{slugify(policy.id)}"
    if kind == "offers":
        return [Line(questions().answer_offer.format(offer=p), cite) for p in policy.promises]
    return [Line(s, cite) for s in _sentences(policy.text)]


def lines_of(brand: Brand, products: list[Product], source: str, kinds: list[str]) -> list[Line]:
    if source not in ("usage", "cautions", "claims", "ingredients", "description"):
        return _brand_lines(brand, products, source, kinds)
    several = len(products) != 1
    return [Line(line.text, line.cite, p.name if several else "")
            for p in (products or brand.products) for line in _product_lines(p, source)]


def narrowed(text: str, holds: re.Pattern[str] | None) -> str:
    """A long sentence cut to its clauses that hold what is asked (a description runs on over many topics)."""
    if holds is None or len(text) <= _LONG:
        return text
    clauses = [c.rstrip("，,；;") for c in _CLAUSE.split(text)]
    kept = [c for c in clauses if holds.search(normalize_for_match(c))][:_CLAUSES]
    return "，".join(kept) if kept else text


def _question_words(folded: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+|[\u4e00-\u9fff]{2,}", folded) if len(w) >= 2]
