"""The reply guardrails (the `check` node): every draft, every model, each rule a named check.

A failed check is shown to the reviewer, never dropped. `blocks_approval` marks the ones a person
must fix before the draft can be approved (an unfilled 【待确认】 slot). `hard` marks the safety
checks (here and in agent.triage.safety): a model draft failing one after its revision is replaced
by the offline draft. Which lexicon words count as forbidden is decided here, from the lexicons.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.drafting.check_input import CheckInput
from agent.drafting.elsewhere import care_not_owed
from agent.drafting.first_hand import concessions, tells_no_use
from agent.drafting.overlap import common_runs, squashed
from agent.drafting.phrasing import closest_to
from agent.drafting.quoting import hostile_clauses
from agent.drafting.thanks_guard import no_thanks_for_offence
from agent.drafting.variety import NEAR_IDENTICAL
from agent.knowledge.wording import appeals, sections
from agent.placeholders import PLACEHOLDER_RE, placeholder_slots
from agent.schemas import Action, CheckResult, Finding, checked, found
from agent.text import LINK_TLDS, detect_script, normalize_for_match
from agent.triage import safety
from agent.triage.pii import echoed, find_pii

_CONTACT = re.compile(
    rf"(?:https?://|www\.)|\b[a-z0-9-]+\.(?:{LINK_TLDS})\b|二维码|扫码|微信|weixin|wechat|\bvx\b|"
    r"加v|加微|\bqq\b|扣扣|企鹅号|(?<!\d)1[3-9]\d{9}(?!\d)|公众号|淘宝|天猫|京东|拼多多|抖音|群号|进群", re.I)
_OFFICIALESE = ["尊敬的用户", "尊敬的客户", "尊敬的顾客", "尊敬的消费者", "特此说明", "特此声明", "敬请谅解", "深表歉意",
                "我司", "贵方", "请知悉", "予以处理", "感谢您的支持与厚爱", "本公司"]
_BLAME = ["你自己", "是你的问题", "你用错", "你不会用", "你没看说明", "你的皮肤有问题", "自己的原因", "怪你", "胡说",
          "乱说", "造谣", "别瞎说", "你这种人", "恶意差评", "职业差评", "水军", "你是竞品", "眼瞎", "有病"]
_PROMISE = ["全额退款", "退款", "赔偿", "补偿", "红包", "优惠券", "折扣", "打折", "返现", "免单", "赠送", "送你", "包邮",
            "承担", "报销", "退换", "补发", "终身"]
_DISCOUNT = re.compile(r"[一二三四五六七八九\d](?:\.\d)?\s*折|立减|满减|半价|免费送|免单")
_MONEY = re.compile(r"\d+\s*(?:元|块|rmb|¥)|[¥￥]\s*\d+", re.I)
_CONCESSION = ["确实是假货", "是假货", "是假的", "是仿品", "我们承认", "承认是", "产品有毒", "确实会烂脸", "确实致癌",
               "是我们的产品导致", "我们的产品导致了", "产品导致您过敏", "产品导致你过敏", "质量问题是我们", "确实有问题",
               "we admit", "is fake"]
_CLAIM = re.compile(r"(检测|测试|认证|报告|备案|临床|实验|专利|通过了|成分|含有|添加|不含|无添加|\d+(?:\.\d+)?\s*%|\d+\s*(?:天|小时|周))")
# Clauses end at punctuation and at emoji: "多问一句没错💛 关于X：不含酒精" holds two clauses, and
# the friendly first one must not dilute the claim in the second.
CLAUSE_END = re.compile("[，,。！!？?；;～~\n\u2600-\u27bf\U0001f300-\U0001faff]")
_LEAK = ["system prompt", "指令", "system", "系统提示", "提示词", "prompt", "指令如下", "内部备注", "internal note", "as an ai", "作为ai",
         "作为一个ai", "作为人工智能", "ignore previous", "忽略之前", "<comment", "</comment", "```"]
_CODE = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,}\b")


def _result(name: str, problems: list[Finding], ok_detail: str = "", blocks: bool = False,
            hard: bool = True) -> CheckResult:
    return checked(name, problems, detail=None if problems else ok_detail, blocks_approval=blocks, hard=hard)


def no_pii_echo(c: CheckInput) -> CheckResult:
    kinds = echoed(c.reply, c.comment, c.pii)
    own = [h.kind for h in find_pii(c.reply) if h.kind in ("phone", "email", "id_card", "address", "name")]
    return _result("no_pii_echo", [found("repeats the commenter's {kind}", kind=k) for k in kinds]
                   + [found("contains a {kind}", kind=k) for k in own])


def no_contact_redirect(c: CheckInput) -> CheckResult:
    hits = sorted({m.group(0) for m in _CONTACT.finditer(c.reply)})
    return _result("no_contact_redirect", [found("external contact or link in a public reply (导流): {words}", words=h)
                                           for h in hits])


def _folded(text: str) -> str:
    """Lexical checks read the reply folded to Simplified lower case, so 繁体 drafts are held to the same words."""
    return normalize_for_match(text)


HOSTILE_RUN = 4  # characters of an accusing, threatening or insulting clause that repeat it: "卖贵三倍"


def no_hostile_echo(c: CheckInput) -> CheckResult:
    """Whoever drafted it, a public reply never says back an accusation, a threat or an insult of the comment
    ("你说换个洋名字卖贵三倍"): the brand would seem to concede it. Words of the brand's own file may be shared."""
    reply, own = _folded(c.reply), squashed(c.brand_text)
    problems = [found("repeats the comment's {kind}: {words}", kind=kind, words=run)
                for kind, clause in hostile_clauses(c.comment)
                for run in common_runs(reply, clause, HOSTILE_RUN) if run not in own]
    return _result("no_hostile_echo", problems)


def no_officialese(c: CheckInput) -> CheckResult:
    reply = _folded(c.reply)
    return _result("no_officialese", [found("cold officialese: {words}", words=w) for w in _OFFICIALESE if w in reply], hard=False)


def no_blame(c: CheckInput) -> CheckResult:
    reply = _folded(c.reply)
    problems = [found("argues with or blames the commenter: {words}", words=w) for w in _BLAME if w in reply]
    problems += [found("insulting or sensitive word: {words}", words=w) for w in c.forbidden_words if w in reply]
    return _result("no_blame", problems)


def within_policy(c: CheckInput) -> CheckResult:
    allowed = " ".join(c.brand.allowed_promises)
    reply = _folded(c.reply)
    problems = [found("promises '{words}', which the brand's written policy does not offer", words=w)
                for w in _PROMISE if w in reply and w not in allowed]
    problems += [found("names an amount of money: {words}", words=m.group(0)) for m in _MONEY.finditer(reply)]
    problems += [found("offers a discount: {words}", words=m.group(0)) for m in _DISCOUNT.finditer(reply)]
    return _result("within_policy", problems)


def grounded_claims(c: CheckInput) -> CheckResult:
    """Each clause that makes a factual claim must share its specific words with a brand fact."""
    corpus = c.corpus
    problems: list[Finding] = []
    for clause in CLAUSE_END.split(c.reply):
        if not _CLAIM.search(clause) or PLACEHOLDER_RE.search(clause):
            continue
        folded = normalize_for_match(clause)
        numbers = re.findall(r"\d+(?:\.\d+)?", folded)
        if any(n not in corpus for n in numbers):
            problems.append(found("number not in the brand facts: {words}", words=clause.strip()))
            continue
        grams = {folded[i:i + 2] for i in range(len(folded) - 1) if re.match(r"[\u4e00-\u9fff]{2}", folded[i:i + 2])}
        if grams and sum(g in corpus for g in grams) / len(grams) < 0.6:
            problems.append(found("claim not found in the brand facts: {words}", words=clause.strip()))
    # Soft: a heuristic over clauses, shown to the reviewer; not a reason to discard a model's draft.
    return _result("grounded_claims", problems, hard=False)


def no_concession(c: CheckInput) -> CheckResult:
    # Even with an order, a public reply does not concede fault before the case is looked into. A blank naming
    # what the reviewer must look up (【待确认：…荧光剂检测结果】) states nothing.
    reply = _folded(PLACEHOLDER_RE.sub("", c.reply))
    problems = [found("concedes an unproven counterfeit or safety claim: {words}", words=w)
                for w in _CONCESSION if w in reply]
    # A rumor's own words stated without a negation before them ("不含激素" is fine, "含汞超标" is not).
    problems += [found("states a rumor as fact: {words}", words=w) for w in c.rumor_words
                 if any(not _quotes_brand_file(reply, m, c.brand_text)
                        for m in re.finditer(rf"(?<![不没无未非])(?<!并不)(?<!从不){re.escape(w)}", reply))]
    return _result("no_concession", problems)


def _quotes_brand_file(reply: str, m: re.Match[str], brand_text: str) -> bool:
    """The word sits in the brand file's own words, quoted (a test report's "甲醛…符合…要求" names what it tested)."""
    return reply[max(0, m.start() - 4):m.end() + 4] in brand_text


def no_injection(c: CheckInput) -> CheckResult:
    """The comment is data: nothing it asks for (links, codes, prompt text, its own words) enters the reply."""
    reply = _folded(c.reply)
    problems = [found("leaks or follows prompt text: {words}", words=w) for w in _LEAK if w in reply]
    problems += [found("contains a code the brand did not issue: {words}", words=m.group(0)) for m in _CODE.finditer(c.reply)
                 if m.group(0) not in c.brand.model_dump_json()]
    comment = _folded(c.comment)
    if any(m in comment for m in c.injection_markers):
        # Words the comment wanted said: any run of 5+ characters shared with it that the brand's own
        # facts do not also contain (product names and policy phrases are fine to share).
        own = c.brand_text
        problems += [found("repeats the comment's own words: {words}", words=run) for run in common_runs(reply, comment)
                     if run not in own]
    return _result("no_injection", problems)


def within_length(c: CheckInput) -> CheckResult:
    n = len(c.reply)
    problems = [found("{n} characters; the limit is {limit}", n=n, limit=c.max_chars)] if n > c.max_chars else []
    problems += [found("the reply is empty")] if not c.reply.strip() else []
    return _result("within_length", problems, ok_detail=f"{n}/{c.max_chars}", hard=not c.reply.strip())


def script_match(c: CheckInput) -> CheckResult:
    got = detect_script(c.reply)
    expected = c.comment_script if c.comment_script != "other" else "zh-Hans"
    bad = got not in (expected, "other") and not (expected == "zh-Hans" and got == "zh-Hans")
    return _result("script_match", [found("reply is {got}, comment is {expected}", got=got, expected=expected)] if bad else [], hard=False)


def placeholders_filled(c: CheckInput) -> CheckResult:
    slots = placeholder_slots(c.reply)
    return _result("placeholders_filled", [found("fill {words} before approving", words=s) for s in slots], blocks=True, hard=False)


def not_repeated(c: CheckInput) -> CheckResult:
    """Onlookers read two near-identical replies under one note as a bot: hard, so a model's draft repeating one is
    replaced by the offline draft, phrased away from them. One repeating a reply the brand gave today elsewhere
    is shown (soft): the team's own approved wording may fairly be used twice in a day."""
    note, note_reply = closest_to(c.reply, c.recent_under_note)
    day, day_reply = closest_to(c.reply, c.recent_today)
    problems = [found("near-identical ({score}) to a reply already given under this note: {words}…",
                      score=f"{note:.2f}", words=note_reply[:40])] if note >= NEAR_IDENTICAL else []
    problems += [found("near-identical ({score}) to a reply the brand gave today: {words}…",
                       score=f"{day:.2f}", words=day_reply[:40])] if day >= NEAR_IDENTICAL else []
    compared = len(c.recent_under_note) + len(c.recent_today)
    return _result("not_repeated", problems, ok_detail=f"{compared} earlier replies compared" if compared else "",
                   hard=note >= NEAR_IDENTICAL)


def reaction_care(c: CheckInput) -> CheckResult:
    if care_not_owed(c.comment, c.brand):
        # Hearsay (`nothing_conceded_unused` holds the line) or another trade's service: no reaction to our goods.
        return _result("reaction_care", [])
    return safety.reaction_care(c.reply, c.comment)


def nothing_conceded_unused(c: CheckInput) -> CheckResult:
    """A comment telling of nobody's own purchase or use (hearsay, a claim about a kind of goods) is never conceded a
    reaction, told to stop using, or offered a refund or compensation: onlookers would read that the rumor is true."""
    words = concessions(c.reply) if tells_no_use(c.comment) else []
    return _result("nothing_conceded_unused",
                   [found("concedes a reaction or offers a remedy to someone who used nothing: {words}", words=w)
                    for w in words])


def no_rumor_concession(c: CheckInput) -> CheckResult:
    return safety.no_rumor_concession(c.reply)


def no_rebuttal_of_customer(c: CheckInput) -> CheckResult:
    return safety.no_rebuttal_of_customer(c.reply, c.source, c.violations)


def no_label_leak(c: CheckInput) -> CheckResult:
    return safety.no_label_leak(c.reply)


def appeal_clean(c: CheckInput) -> CheckResult:
    """The appeal note goes to the platform: no leaked labels, nothing the comment asked to be said
    (the comment itself may be quoted as evidence, inside “…”)."""
    if not c.appeal:
        return _result("appeal_clean", [])
    unquoted = re.sub(r"“[^”]*”", "", c.appeal)
    problems = list(safety.no_label_leak(unquoted).findings)
    problems += [found("internal note: {words}", words=w)
                 for w in safety.internal_traces(unquoted, c.internal_ids, appeals().internal_markers)]
    if any(m in _folded(c.comment) for m in c.injection_markers):
        own = c.brand_text
        problems += [found("repeats the comment's own words: {words}", words=run)
                     for run in common_runs(_folded(unquoted), _folded(c.comment)) if run not in own]
    return _result("appeal_clean", problems)


# The actions whose draft answers no complaint: it never apologises or carries a complaint's script.
_NOT_A_COMPLAINT = frozenset({Action.answer, Action.thank, Action.leave})


def fits_action(c: CheckInput) -> CheckResult:
    """A question answered, praise thanked or a comment left never reads an apology for a defect nobody named, an
    after-sales remedy or an order lookup: onlookers would read that the brand concedes a complaint. A thank-you
    may say sorry for a drawback the praise names, after its thanks (the mixed-praise script)."""
    if c.action not in _NOT_A_COMPLAINT:
        return _result("fits_action", [])
    words = sections()
    reply = _folded(c.reply)
    problems = [found("a complaint's script in a draft whose action is {action}: {words}", action=c.action.value,
                      words=m.group(0)) for m in words.complaint_script.finditer(reply)]
    apology = words.apology.search(reply)
    if apology and not (c.action == Action.thank and words.thanks_first.search(reply[:apology.start()])):
        problems.append(found("an apology in a draft whose action is {action}: {words}", action=c.action.value,
                              words=apology.group(0)))
    return _result("fits_action", problems)


def thanks_fit(c: CheckInput) -> CheckResult:
    return no_thanks_for_offence(c.reply, c.comment, c.action, c.forbidden_words, c.offensive)


CHECKS: list[Callable[[CheckInput], CheckResult]] = [
    no_pii_echo, no_contact_redirect, no_hostile_echo, no_officialese, no_blame, within_policy, grounded_claims, no_concession,
    no_injection, within_length, script_match, placeholders_filled, reaction_care, no_rumor_concession,
    no_rebuttal_of_customer, no_label_leak, appeal_clean, not_repeated, fits_action, thanks_fit, nothing_conceded_unused,
]


def run_checks(c: CheckInput) -> list[CheckResult]:
    return [check(c) for check in CHECKS]


def hard_failures(checks: list[CheckResult]) -> list[CheckResult]:
    return [c for c in checks if c.hard and not c.passed]
