"""The appeal (举报补充说明): the report note, its evidence checklist and next steps, for a comment that
breaks a platform rule. Only the appeal lives here; the reply is agent.drafting.offline's.

Each line of the note that states a fact is one slot filled from `AppealFacts`, and the line is left out
when nobody recorded that fact; the template's own words state none.
"""

from __future__ import annotations

from agent.drafting.appeal_facts import AppealFacts, posted_text
from agent.drafting.appeal_reason import ReasonChoice
from agent.drafting.offline import _first_sentence, fill
from agent.enums import VIOLATION_LABELS
from agent.knowledge.brands import Brand, Certification
from agent.knowledge.script_library import ScriptLibrary
from agent.knowledge.wording import appeals
from agent.placeholders import placeholder
from agent.schemas import Appeal, Violation

# The reasons whose note states the order lookup, and those that answer a claim with documents.
ORDER_REASONS = frozenset({Violation.rumor, Violation.flooding})
DOCUMENT_REASONS = frozenset({Violation.rumor, Violation.ip_infringement})


def order_fact(facts: AppealFacts) -> str:
    words = appeals()
    if facts.order:
        return words.order_found.format(key=facts.order_key or "", order_id=facts.order.get("order_id", ""),
                                        status=facts.order.get("status", ""))
    return words.no_order.format(key=facts.order_key) if facts.order_key else ""


def _cert_line(c: Certification) -> str:
    words = appeals()
    return words.fact.format(title=c.title, issuer=c.issuer, summary=_first_sentence(c.summary),
                             report_no=words.report_no.format(report_no=c.report_no) if c.report_no else "")


def documents(brand: Brand, facts: AppealFacts) -> list[str]:
    """The documents that answer the comment's kinds of claim: each the brand file's certification, or a
    blank asking for it (a kind the file maps to nothing, or an id it lacks). Never an unrelated one."""
    out: list[str] = []
    for kind in facts.claims:
        ids = brand.evidence_documents.get(kind, [])  # type: ignore[call-overload]
        certs = [brand.certification(i) for i in ids]
        # What the file holds, and a blank for the rest: a document it names but lacks is never invented.
        out += [_cert_line(c) for c in certs if c]
        if not ids or None in certs:
            out.append(placeholder(appeals().claims[kind].document))
    return list(dict.fromkeys(out))


def _as_written(ground: str, folded: str, excerpt: str) -> str:
    """A quoted ground as the comment wrote it (traditional script, capitals), where the folding kept the
    comment's length; as folded otherwise."""
    written = excerpt.removeprefix("“").removesuffix("”")
    at = folded.find(ground)
    return written[at:at + len(ground)] if len(written) == len(folded) and at >= 0 else ground


def _values(brand: Brand, choice: ReasonChoice, facts: AppealFacts, excerpt: str) -> dict[str, str]:
    words = appeals()
    reason = choice.reason
    grounds = [_as_written(g, facts.text, excerpt) for g in choice.grounds if g in facts.text]
    docs = documents(brand, facts) if reason in DOCUMENT_REASONS else []
    if reason == Violation.ip_infringement:
        docs = [placeholder(words.rights_document)]
    return {
        "brand": brand.name, "excerpt": excerpt,
        "grounds": words.grounds.format(words="”“".join(grounds)) if grounds else "",
        "posted": words.posted.format(posted_at=posted_text(facts.posted_at)) if facts.posted_at else "",
        "order_fact": order_fact(facts) if reason in ORDER_REASONS else "",
        "documents": words.documents.format(documents="；".join(docs)) if docs else "",
        "documents_request": words.documents_request if docs else "",
        "cluster_fact": words.cluster.format(count=len(facts.cluster), authors="、".join(facts.cluster[:8]))
        if facts.cluster else "",
        "spread_fact": words.spread.format(likes=facts.likes) if facts.likes else "",
        "history_fact": words.history.format(count=len(facts.history)) if facts.history else "",
        # The marks the comment reuses, as the brand file names them; a blank where it names none of them.
        "marks": "、".join(f"「{m}」" for m in facts.marks_used(brand)) or placeholder(words.marks_blank),
        "impersonation_fact": _impersonation(brand, facts) if reason == Violation.spam_redirect else "",
        "sales_fact": _sales(brand) if reason == Violation.spam_redirect and facts.words("competing_sale") else "",
    }


def _impersonation(brand: Brand, facts: AppealFacts) -> str:
    """Posing as the brand's after-sales ("官方售后专员…加Q"): said with the brand's own accounts from its file."""
    words = appeals()
    named = bool(facts.marks_used(brand)) or brand.name.lower() in facts.text.lower()
    if not facts.words("impersonation") and not (named and words.poses_as.search(facts.text)):
        return ""  # a contact id under the brand's name and "官方客服" poses as the brand all the same
    accounts = "、".join(f"「{a.nickname}」" for a in brand.accounts if a.nickname)
    return words.impersonation.format(brand=brand.name, accounts=accounts or placeholder("品牌官方账号名称"))


def _sales(brand: Brand) -> str:
    """A cheaper "same item" sold off the brand's channels: the brand's own word on where it sells."""
    policy = brand.policy("authenticity")
    return _first_sentence(policy.text) if policy else ""


def numbered(text: str) -> str:
    """The filled note: empty lines (a fact nobody recorded) go; the lines between the first and the last
    are numbered."""
    lines = [ln.rstrip("。") + "。" if i else ln for i, ln in enumerate(x.strip() for x in text.splitlines())
             if ln.strip("。")]
    if len(lines) < 3:
        return "\n".join(lines)
    middle = [f"{i}. {ln}" for i, ln in enumerate(lines[1:-1], 1)]
    return "\n".join([lines[0], *middle, lines[-1]])


def draft_appeal(library: ScriptLibrary, brand: Brand, choice: ReasonChoice, facts: AppealFacts, excerpt: str,
                 pictures: int = 0) -> Appeal | None:
    """The report note of `choice`; None when the choice files no report. `pictures`: how many pictures
    the comment carries (each is evidence to save before the comment is taken down)."""
    words = appeals()
    if choice.reason is None:
        return None
    values = _values(brand, choice, facts, excerpt)
    if choice.track == "extortion":
        # Money for deleting the comment, or money or else more posts: the note says which the comment says.
        content = words.extortion_content if words.extortion_deletes.search(facts.text) else words.extortion_demand
        values["content"] = fill(content, values)
        text = words.extortion_explanation
        checklist, steps, label = list(words.extortion_checklist), list(words.extortion_steps), words.extortion_label
    else:
        template = library.appeal(choice.reason)
        assert template is not None, f"the script library has no appeal template for {choice.reason}"
        values["content"] = fill(template.content, values)
        text, label = template.explanation, VIOLATION_LABELS[choice.reason]
        checklist, steps = list(template.evidence_checklist), list(template.next_steps)
    checklist += [d for d in documents(brand, facts) if choice.reason in DOCUMENT_REASONS and d not in checklist]
    if facts.cluster and not any(w in c for c in checklist for w in words.cluster_listed):
        checklist.append(words.cluster_item)
    if pictures:
        checklist.append(words.pictures_item.format(count=pictures))
    return Appeal(reason=choice.reason, reason_label=label, explanation=numbered(fill(text, values)),
                  evidence_checklist=checklist, next_steps=steps,
                  track="extortion" if choice.track == "extortion" else "ladder")
