"""The slot values of the ladder's templates: the case's items, history and evidence, the brand's facts and
the legal basis. Every value is built from something on record; what is not on record is a 【待确认：…】.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import cast

from agent.cases.model import Case, CaseEvent
from agent.cases.rules import RUNGS, Rung, checklist_for
from agent.drafting.appeal import draft_appeal
from agent.drafting.appeal_facts import AppealFacts, gather, order_key, posted_text
from agent.drafting.appeal_facts import claim_kinds as kinds_of_claim
from agent.drafting.appeal_reason import EXTORTION_SIGNALS, ReasonChoice, Track, grounds_for
from agent.enums import VIOLATION_LABELS
from agent.knowledge.brands import Brand
from agent.knowledge.script_library import load_script_library
from agent.knowledge.wording import appeals
from agent.placeholders import placeholder
from agent.queue_item import Item
from agent.schemas import Appeal, Violation
from agent.text import normalize_for_match
from agent.triage.pii import redact

CST = timezone(timedelta(hours=8), "CST")
MAX_LISTED = 20  # items listed one by one; a bigger flood is summarised after them
NOT_QUOTED = {Violation.porn, Violation.political}  # lewd or political words are not repeated in our texts
NOT_CHANNELS = {Rung.legal_brief, Rung.litigation}  # the brand's own lawyer's work, not a channel that answers
RESULT_LABELS = {"accepted": "已处理（内容删除）", "rejected": "驳回", "no_answer": "期限内未答复"}
# Extortion's own steps answer otherwise: the evidence is fixed or not, the police take the report or not.
STEP_LABELS = {
    Rung.evidence_preserved: {"accepted": "已完成保全", "rejected": "未能完成保全", "no_answer": "期限内未完成"},
    Rung.police_report: {"accepted": "已受理", "rejected": "未予受理", "no_answer": "期限内未见回复"},
}
# 12377 takes a report and passes it on; it does not "reject" a request to delete (none is made to it).
REPORT_CENTRE_LABELS = {"accepted": "已转办处理", "rejected": "未见处理结果", "no_answer": "期限内未见处理结果"}
CAUSES = {
    Violation.rumor: "名誉权纠纷", Violation.abuse: "名誉权纠纷", Violation.privacy: "隐私权纠纷（由被曝光的当事人主张）",
    Violation.flooding: "名誉权纠纷；能证明为竞争对手组织的，不正当竞争纠纷（商业诋毁）",
    Violation.ip_infringement: "侵害商标权纠纷或著作权权属、侵权纠纷",
}


@dataclass
class LadderInput:
    """What a rung's draft is made from: the case, the brand's facts, the queued items, the case's audit."""

    case: Case
    brand: Brand
    items: list[Item]
    events: list[CaseEvent]


class _Slots(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return placeholder(key)


def fill(template: str, values: dict[str, str]) -> str:
    return template.format_map(_Slots(values))


def _date(value: str | None) -> str:
    return datetime.fromisoformat(value).astimezone(CST).strftime("%Y-%m-%d %H:%M") if value else "—"


def excerpt(item: Item, reason: Violation, limit: int = 60) -> str:
    """The comment as evidence: in “…”, personal data masked; never the words of a lewd or political one."""
    if reason in NOT_QUOTED:
        return "（原文含低俗或敏感内容，不在此复述，见截图）"
    text = re.sub(r"[“”\"]", "'", redact(item.comment.text)).replace("\n", " ")
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"


def items_text(data: LadderInput) -> str:
    known = {i.id: i for i in data.items}
    lines = []
    for member in data.case.members[:MAX_LISTED]:
        link = placeholder(f"评论链接（{member}）")
        item = known.get(member)
        if item is None:
            lines.append(f"· 链接：{link}")
            continue
        note = f"笔记「{item.comment.note_title}」｜" if item.comment.note_title else ""
        # The account only when the export named it; the comment's own posting time, never the import's.
        account = f"账号「{item.comment.author}」｜" if item.comment.author else ""
        posted = posted_text(item.comment.posted_at) if item.comment.posted_at else placeholder(f"发布时间（{member}）")
        # The queue's id is ours, not the platform's: only inside the link's blank, to tell which to fill.
        lines.append(f"· {note}{account}发布于 {posted}｜{excerpt(item, data.case.reason)}｜链接：{link}")
    if len(data.case.members) > MAX_LISTED:
        lines.append(f"· 另有 {len(data.case.members) - MAX_LISTED} 条同类内容，见随附清单")
    return "\n".join(lines)


def history_text(events: list[CaseEvent]) -> str:
    lines = []
    for e in events:
        steps_own = Rung(e.rung) in STEP_LABELS  # extortion's evidence and police steps report no reason
        label = f"{RUNGS[Rung(e.rung)].label}（{VIOLATION_LABELS[Violation(e.reason)]}）" if e.reason and not steps_own \
            else RUNGS[Rung(e.rung)].label
        if e.action == "submit":
            lines.append(f"· {_date(e.at)} {label}：已提交")
        elif e.action == "outcome" and Rung(e.rung) not in NOT_CHANNELS:  # a lawyer does not "reject" a case
            labels = REPORT_CENTRE_LABELS if Rung(e.rung) == Rung.regulator_12377 else \
                STEP_LABELS.get(Rung(e.rung), RESULT_LABELS)
            lines.append(f"· {_date(e.at)} {label}：{labels.get(e.to_state.split(':')[1], e.to_state)}")
    return "\n".join(lines) or "· （尚无处理记录）"


def _first_sentence(text: str) -> str:
    return text.split("。")[0].strip()


def claim_kinds(data: LadderInput) -> list[str]:
    """The kinds of claim the case's comments make (heavy metals, counterfeit…), as the appeal reads them."""
    texts = [normalize_for_match(i.comment.text) for i in data.items if i.id in data.case.members]
    return list(dict.fromkeys(k for t in texts for k in kinds_of_claim(t)))


def brand_facts(data: LadderInput) -> list[str]:
    """The checkable facts that answer the case's claims: the brand's tests and filings mapped to those kinds
    of claim (title, issuer, report number), and its sales channels against a counterfeit claim. Never a
    document that answers another claim (a patch test against mercury), never a summary's wording."""
    kinds = claim_kinds(data)
    wanted = {i for k in kinds for i in data.brand.evidence_documents.get(k, [])}  # type: ignore[call-overload]
    facts = [f"{c.title}（{c.issuer}{'，报告编号 ' + c.report_no if c.report_no else ''}）"
             for c in data.brand.certifications if c.id in wanted]
    authenticity = data.brand.policy("authenticity")
    if authenticity and "counterfeit" in kinds:
        facts.append(_first_sentence(authenticity.text))
    return facts


def order_facts(data: LadderInput) -> list[str]:
    results = [i.result for i in data.items if i.result]
    found = [r.evidence.order for r in results if r.evidence.order_found and r.evidence.order]
    facts = [f"后台可查到相关订单（{o.get('order_id', '')}，{o.get('status', '')}）" for o in found[:3]]
    keys = [k for k in (order_key(i.comment) for i in data.items) if k]
    if results and not found and keys:  # a lookup that had something to look up by
        facts.append(appeals().no_order.format(key="、".join(keys[:3])))
    if data.case.cluster:
        facts.append(f"共 {len(data.case.members)} 条内容高度相似的评论由不同账号发布，集中出现")
    return facts


def comment_facts(data: LadderInput, item: Item) -> AppealFacts:
    """What the appeal reads of one of the case's comments; a flood's look-alikes are the case's other members."""
    assert item.result is not None
    facts = gather(item.result.triage, item.result.evidence, normalize_for_match(item.comment.text), item.comment)
    return replace(facts, cluster=[m for m in data.case.members if m != item.id]) if data.case.cluster else facts


def appeal_for(data: LadderInput, reason: Violation, knowledge_dir: Path) -> Appeal:
    """The report note for `reason`, drafted as the first report is (agent.drafting.appeal): every factual
    line from the case's first comment's record, its look-alikes the case's members."""
    first = next((i for i in data.items if i.id in data.case.members and i.result), None)
    if first is None or first.result is None:
        return Appeal(reason=reason, reason_label=VIOLATION_LABELS[reason],
                      explanation=placeholder("评论内容与核实情况"), evidence_checklist=[])
    facts = comment_facts(data, first)
    grounds = tuple(grounds_for(reason, facts, data.brand))
    if reason == Violation.spam_redirect and not grounds and facts.cluster:
        # A flood reported under the platform's other box for repetition (垃圾广告营销): its note says what is
        # true, the repetition, never the redirect to a private contact the comments do not make.
        flood = ReasonChoice(Violation.flooding, "ladder", tuple(grounds_for(Violation.flooding, facts, data.brand)))
        note = draft_appeal(load_script_library(knowledge_dir), data.brand, flood, facts, excerpt(first, reason))
        assert note is not None
        return note.model_copy(update={"reason": reason, "reason_label": VIOLATION_LABELS[reason]})
    if data.case.track == "extortion":  # the report for threats and illegal content, the DM evidence, the police
        grounds = tuple(facts.words(*EXTORTION_SIGNALS))
    choice = ReasonChoice(reason, cast(Track, data.case.track), grounds)
    appeal = draft_appeal(load_script_library(knowledge_dir), data.brand, choice, facts, excerpt(first, reason))
    assert appeal is not None  # a choice with a reason always drafts
    return appeal


def case_facts(explanation: str) -> str:
    """The report note's numbered facts, without its platform-facing opening and request, for the other rungs."""
    return "\n".join(line for line in explanation.splitlines() if re.match(r"\d+\. ", line))


def evidence_state(case: Case, ticked: bool, sentences: dict[str, str] | None = None) -> str:
    """The evidence-fixing items ticked (attached) or still open: a rung says only what is really attached.
    Nothing ticked is a blank to fill once something is fixed; an open item is marked as still to prepare."""
    words = sentences or {}
    items = [label for key, label in checklist_for(case.cluster, case.track).items()
             if (key in case.checklist) == ticked]
    if ticked:
        return "\n".join(f"· {label}" for label in items) or f"· {placeholder(words.get('nothing_ticked', '随附的证据'))}"
    return "\n".join(f"· {label}{words.get('pending_item', '')}" for label in items) or "· 无"


def failed_outcomes(events: list[CaseEvent]) -> list[CaseEvent]:
    return [e for e in events if e.action == "outcome" and e.to_state.split(":")[-1] in ("rejected", "no_answer")]


def step_outcome(events: list[CaseEvent], rung: Rung) -> CaseEvent | None:
    """The last outcome recorded on `rung`, or None while it has none."""
    found = [e for e in events if e.action == "outcome" and e.rung == rung.value]
    return found[-1] if found else None


def extortion_values(events: list[CaseEvent], sentences: dict[str, str]) -> dict[str, str]:
    """What extortion's later steps may say of the evidence and the police: only what the record holds. Ticked
    items are not "fixed" when the preservation step failed, and a police receipt is asked for only when the
    police took the report (after a refusal, the refusal is what there is to attach)."""
    kept = step_outcome(events, Rung.evidence_preserved)
    failed = kept is not None and kept.to_state.split(":")[-1] != "accepted"
    heading = sentences.get("evidence_not_fixed", "") if failed else sentences.get("evidence_fixed", "")
    police = step_outcome(events, Rung.police_report)
    state = police.to_state.split(":")[-1] if police else "none"
    return {"evidence_heading": heading.format(date=_date(kept.at) if kept else ""),
            "police_status": sentences.get(f"police_{state}", "").format(date=_date(police.at) if police else "")}


def reader_values(data: LadderInput, sentences: dict[str, str],
                  categories: dict[Violation, str]) -> dict[str, str]:
    """The slots that depend on the case's record: evidence as ticked, the earlier reports only when they were
    made, "not solved" only after a rung failed, and 12377's own category for the reason."""
    submitted = any(e.action == "submit" for e in data.events)
    return {
        "evidence_ready": evidence_state(data.case, True, sentences),
        "evidence_pending": evidence_state(data.case, False, sentences),
        "earlier_reports": f"{sentences.get('earlier_reports', '')}\n{history_text(data.events)}" if submitted else "",
        "unresolved": sentences.get("unresolved", "") if failed_outcomes(data.events) else "",
        "regulator_category": categories.get(data.case.reason, VIOLATION_LABELS[data.case.reason]),
    } | extortion_values(data.events, sentences)


def reach_text(data: LadderInput) -> str:
    """The case's spread as recorded (likes, look-alikes), or a blank: never an assumed spread."""
    likes = max((i.comment.likes for i in data.items if i.comment.likes is not None), default=None)
    parts = ([f"点赞最多的一条 {likes} 个赞"] if likes else []) + (
        [f"{len(data.case.members)} 条同类内容"] if data.case.cluster else [])
    return "、".join(parts) if parts else placeholder("传播情况：点赞、跟帖与转发数")


def case_reasons(case: Case) -> list[Violation]:
    """The rules the case's law is read for: its report's reason and its violations; extortion's besides."""
    extra = [Violation.illegal] if case.track == "extortion" else []
    return list(dict.fromkeys([case.reason, *case.violations, *extra]))


def legal_text(case: Case, basis: dict[Violation, list[str]], sections: dict[str, str],
               reasons: list[Violation] | None = None) -> str:
    """The legal basis of the case's reasons (or of `reasons`), worded as the knowledge base words it."""
    headings = [h for v in (case_reasons(case) if reasons is None else reasons) for h in basis.get(v, [])]
    return "\n".join(f"· {_first_sentence(sections[h])}。" for h in dict.fromkeys(headings))


def values(data: LadderInput, knowledge_dir: Path, basis: dict[Violation, list[str]],
           sections: dict[str, str]) -> dict[str, str]:
    """Every slot of the ladder's templates for this case."""
    case, brand = data.case, data.brand
    appeal = appeal_for(data, case.reason, knowledge_dir)
    authors = sorted({i.comment.author for i in data.items if i.comment.author})
    quoted = case.reason not in NOT_QUOTED
    return {
        "brand": brand.name, "case_id": case.id, "reason_label": VIOLATION_LABELS[case.reason],
        "reasons_tried": "、".join(VIOLATION_LABELS[v] for v in case.tried) or "无",
        "history": history_text(data.events), "items": items_text(data),
        "explanation": appeal.explanation, "case_facts": case_facts(appeal.explanation),
        "evidence": "\n".join(f"· {e}" for e in appeal.evidence_checklist),
        "facts": "\n".join(f"· {f}" for f in order_facts(data) + brand_facts(data)) or "· 无",
        "reach": reach_text(data),
        "legal_basis": legal_text(case, basis, sections) or placeholder("法律依据（知识库暂无适用条文，请律师补充）"),
        # The police read the demand's own offence and the platform's rule on it, not the civil claims beside it.
        "crime_basis": legal_text(case, basis, sections, [Violation.illegal])
                       or placeholder("涉嫌的罪名与依据（知识库暂无适用条文，请律师补充）"),
        # The brand file holds its test reports; its licence and registrations are blanks until attached.
        "qualifications": "\n".join([
            f"· 营业执照：{placeholder('营业执照扫描件（境外主体附注册文件及中文译本）')}",
            f"· 商标注册证：{placeholder('商标注册号与核定类别')}",
            f"· 授权委托书：{placeholder('由代理机构或律师提交时附上；品牌自行提交时删去本行')}",
            *(f"· {f}" for f in brand_facts(data)[:3])]),
        "publishers": "；".join(f"账号「{a}」（小红书号：{placeholder(f'{a} 的小红书号')}）" for a in authors)
                      or placeholder("发布者账号昵称与小红书号"),
        "company": placeholder("品牌经营主体全称（与营业执照一致）"), "contact": placeholder("联系人姓名、电话与邮箱"),
        "recipient": placeholder("小红书帮助中心当前公布的侵权投诉邮箱"),
        "date": datetime.now(CST).strftime("%Y年%m月%d日"),
        "demand_apology": "在原内容所在位置公开澄清并赔礼道歉" if quoted and case.reason in CAUSES
                          else placeholder("是否要求公开致歉，由律师与品牌确认"),
        "damages": placeholder("是否主张赔偿及金额，由律师与品牌确认"),
        "causes": CAUSES.get(case.reason, placeholder("案由，由律师确定")),
        "channels": "、".join(brand.service.channels),
        "issue": placeholder("顾客反映的问题，一句话概括，不点名"),
        "improvement": placeholder("这次具体改进了什么，只写已经做到的"),
        "recovery_facts": "\n".join(f"· {f}" for f in brand_facts(data)) or placeholder("可核实的产品事实"),
    }
