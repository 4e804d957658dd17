"""The safety invariants as checks, held whatever a model says (see ../shared/design.md).

Each is a hard check: a model draft still failing one after its revision is never offered as the
draft; the offline drafter's draft is, with the model's attempt shown beside it.
"""

from __future__ import annotations

import re

from agent.schemas import CheckResult, Finding, Source, Strategy, Violation, checked, found
from agent.text import SYMPTOM_IDIOMS, normalize_for_match

# A reaction the commenter describes on their body: it always gets "pause use" and an offer of help.
REACTION = re.compile(r"过敏|烂脸|红肿|刺痛|灼|疹|(?<![不没])痒|(?<!心)疼|闹肚子|拉稀|(?<![心悲哀])痛(?!快)|冒痘|爆痘|长痘|闷痘|闭口|起痘|红血丝|脱皮|"
                      r"发炎|毁容|发红|泛红|(?<!臃)肿|皮炎|拉肚子|腹泻|呕吐|吃坏|头晕|送医|医院|急诊|itch|rash|allerg|swell|"
                      r"长出[^，。,!！]{0,6}(?:红|豆豆|疙瘩|包)|起了?红点|红疙瘩|红疹|"
                      r"越[用擦抹涂敷]越(?:红|痒|疼|烫)|突然就?红了|[脸脖手][^，。,!！\s]{0,3}红了|"
                      # the skin ruined by what was used ("用它的玫瑰油烂的"), a dermatologist seen for it
                      r"(?:刺刺的?|扎脸)(?![^，。,!！？?]{0,10}(?:就好|就没|就消|就不))|[用抹涂擦敷](?![料心处途])[^，。,!！？?\s]{0,8}烂(?:的|了)|看皮肤科|皮肤科(?:看|就诊|开了)")
# A reaction told as gone or easing ("红肿消下去了", "痘痘都消了", "不再过敏"): praise of the result, not a
# reaction to care for. The filler between symptom and verb holds no negation ("红肿还没消", "没有缓解"), and a
# refund or a return is not the symptom receding ("也是刺痛 已经退款了").
_SYMPTOM = r"(?:过敏|烂脸|红肿|刺痛|痘痘?|闭口|红血丝|泛红|发红|红疹|疹子|痒|肿|脱皮|炎症|发炎|红点|疙瘩|爆皮|干痒)"
RESOLVED = re.compile(_SYMPTOM + r"[^，。,!！？?没不未无还]{0,3}?(?:消(?![费息])|退(?![款货钱单换])|好了|好多了|好转|没了|不见了|下去|淡了|少了|改善|缓解)"
                      r"|(?:不再|再也不|没再|没有再)[^，。,!！？?]{0,2}?" + _SYMPTOM
                      # None at all ("都没泛红", "一点都不过敏"), or another product's ("之前用别的精华会过敏").
                      + r"|(?:没有|没|都没|都不|一点都不|一点也不|从没|从不|不会)[^，。,!！？?]{0,2}?" + _SYMPTOM
                      + r"|(?<![比像跟和])(?:别的|别家|其他牌子|其它牌子|其他产品|以前用的)[^，。,!！？?比]{0,8}?" + _SYMPTOM)
# Asked before buying, a skin's habit or what sets it off ("一用香的就起疹子，这款有香味吗") is who is asking,
# not a reaction to the product.
_HABIT = re.compile(r"(?:容易|经常|动不动就?|一[^，。,!！？?]{1,6}就|对[^，。,!！？?\s]{1,8}?)[^，。,!！？?]{0,3}?" + _SYMPTOM)
_ASKS = re.compile(r"[吗?？]|适合|能用|可以用|想入|想买|求推荐|有没有|含不含|有无")
# A use feared or supposed, not made ("怕用了更刺激", "万一用了过敏"): no use told.
_FEARED_USE = re.compile(r"(?:怕|担心|害怕|会不会|万一|如果|要是)[^，。,!！？?]{0,3}?(?:用了|用后|用这|涂了|擦了|抹了|敷了|上脸)"
                         r"[^，。,!！？?\s]{0,4}")
# A reaction feared, not had ("一直不敢冲 怕烂脸", "担心过敏"): no reaction told, asked or not.
_FEARED_SYMPTOM = re.compile(r"(?:怕|担心|害怕|不敢|万一|生怕)[^，。,!！？?]{0,3}?" + _SYMPTOM)
# Someone else's reaction, read or heard of ("看到评论区有人过敏", "评论说有人刺痛"): not the commenter's own.
_OTHERS = re.compile(r"(?:有人|别人|人家|有姐妹|评论区|评论说|看评论|看到)[^，。,!！？?]{0,6}?" + _SYMPTOM)
# The commenter tells of not having used it yet ("还没用", "买了还没拆"): no reaction of theirs to the product.
_NOT_USED = re.compile(r"还没(?:用|拆|开封|试|上脸)|没用过|未开封|还没买")
_USED_IT = re.compile(r"用了|用完|用后|用这|涂了|擦了|抹了|敷了|敷完|上脸")  # then it is the product's doing
_PAUSE = re.compile(r"停用|暂停使用|先停|停止使用|停掉|别再用|不要再用|先不要用|先别用|暂时不要用|暂停|先不用|"
                    r"先别穿|别再穿|先不要穿|不要再穿|先别吃|别再吃|不要再吃|停止食用")
# A condition in the same sentence makes pausing advice general ("如有不适请停用"), not a diagnosis.
_CONDITION = re.compile(r"如果|如有|如确有|如出现|若|的话|出现|一旦|万一")
_SENTENCE_END = re.compile(r"[。！!？?；;]")
_HELP = re.compile(r"私信|联系|帮你|帮您|协助|跟进|处理|客服|就医|医生")
_KEEP_USING = re.compile(r"继续使用|坚持使用|持续使用|坚持用|继续用|多用几次|多用几天|用久了|耐受|适应期|过渡期|正常现象|"
                         r"好转反应|排毒|排异|见效|坚持一下")
# Conceding a rumor or counterfeit claim: a rumor topic stated as true, not denied.
_RUMOR_TOPIC = r"(?:激素|重金属|汞|铅|荧光剂|致癌|有毒|假货|假的|仿品|高仿|山寨|三无|不合格|超标)"
_CONCEDE = re.compile(r"(?:确实|的确|是有|确有|真的有|承认|会有|含有|含|添加了?|加了)[^，。！？!?,]{0,6}?" + _RUMOR_TOPIC)
_NEGATED = re.compile(r"(?:不|没|无|未|非|并非|绝非|从不|从未)[^，。！？!?,]{0,3}$")
# What a rebuttal says, which a real customer must never read.
_REBUTTAL = ["交由平台", "提交平台", "已举报", "举报", "不实", "恶意", "造谣", "水军", "竞品", "黑粉", "核实处理", "平台核实",
             "没有购买记录", "未查询到", "查无订单"]
# Internal vocabulary: enum names, template and prompt syntax. None of it belongs in a public reply.
_LABELS = sorted({*(s.value for s in Source), *(s.value for s in Strategy), *(v.value for v in Violation),
                  "platform_report", "brand_backend", "account_manager", "legal_letter", "regulator_12377",
                  "rationale", "triage", "severity", "confidence", "appeal_explanation", "offline"}, key=len, reverse=True)
_SYNTAX = re.compile(r"\{\{?\s*[a-z_]+\s*\}?\}|<\/?comment>|\"reply\"\s*:|话术库范例|品牌资料：|审核人的修改要求|上一版没通过|"
                     r"规则判断|分类器概率|\bjson\b|\[(?:brands|guidelines)/", re.I)


def _result(name: str, problems: list[Finding]) -> CheckResult:
    return checked(name, problems, hard=True)


# What a reaction told as gone says of the product, for the classifiers that read the comment: it worked.
RESOLVED_MEANS = "效果好"


def set_aside_resolved(folded: str, meaning: str = "，") -> str:
    """The comment with every reaction told as gone or easing set aside (see RESOLVED), or read as `meaning`."""
    return RESOLVED.sub(meaning, folded)


def describes_reaction(comment: str) -> bool:
    folded = _OTHERS.sub("，", set_aside_resolved(SYMPTOM_IDIOMS.sub("", normalize_for_match(comment))))
    folded = _FEARED_SYMPTOM.sub("，", folded)
    if _NOT_USED.search(folded) and not _USED_IT.search(folded):
        return False
    if _ASKS.search(folded):
        folded = _FEARED_USE.sub("，", folded)  # a question's feared use tells of no reaction
        if not _USED_IT.search(folded):
            folded = _HABIT.sub("，", folded)
    return bool(REACTION.search(folded))


def reaction_care(reply: str, comment: str) -> CheckResult:
    """A described reaction: advise pausing use, offer help, never "keep using". No reaction described (praise
    of a result, a question): never tell the commenter to stop, except as a condition ("如有不适请停用")."""
    folded = normalize_for_match(reply)
    if not describes_reaction(comment):
        told = [m.group(0) for m in _PAUSE.finditer(folded) if not _CONDITION.search(_sentence_before(folded, m.start()))]
        return _result("reaction_care", [found("tells someone who described no reaction to stop: {words}", words=w)
                                         for w in told])
    problems = [] if _PAUSE.search(folded) else [found("a reaction was described: the reply must advise pausing use")]
    problems += [] if _HELP.search(folded) else [found("a reaction was described: the reply must offer help")]
    problems += [found("tells someone with a reaction to keep using: {words}", words=m.group(0))
                 for m in _KEEP_USING.finditer(folded)]
    return _result("reaction_care", problems)


def _sentence_before(text: str, at: int) -> str:
    """The text from the start of the sentence holding position `at` up to it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
    return text[ends[-1] if ends else 0:at]


def no_rumor_concession(reply: str) -> CheckResult:
    folded = normalize_for_match(reply)
    problems: list[Finding] = []
    for m in _CONCEDE.finditer(folded):
        if not _NEGATED.search(folded[max(0, m.start() - 4):m.start()]) and not _NEGATED.search(m.group(0)[:-1]):
            problems.append(found("concedes a rumor or counterfeit claim: {words}", words=m.group(0)))
    return _result("no_rumor_concession", problems)


def no_rebuttal_of_customer(reply: str, source: Source, violations: list[Violation]) -> CheckResult:
    """A real customer (or someone misled) is answered, never rebutted or reported in public."""
    customer = source in (Source.genuine_experience, Source.misunderstanding) or (
        source == Source.not_negative and not violations)
    folded = normalize_for_match(reply)
    problems = [found("rebuts a customer: {words}", words=w) for w in _REBUTTAL if customer and w in folded]
    return _result("no_rebuttal_of_customer", problems)


def no_label_leak(text: str) -> CheckResult:
    """No internal label, enum name, prompt text or template syntax in what a person will read."""
    lowered = text.lower()
    problems = [found("internal label: {words}", words=w)
                for w in _LABELS if re.search(rf"(?<![a-z_]){re.escape(w)}(?![a-z_])", lowered)]
    problems += [found("prompt or template text: {words}", words=m.group(0)) for m in _SYNTAX.finditer(text)]
    return _result("no_label_leak", problems)


def internal_traces(text: str, ids: tuple[str, ...] | list[str], markers: list[str]) -> list[str]:
    """The queue's own ids ("h-022", a case id) and an internal note's markers ("第二次举报") in a text to paste:
    a platform, a mailbox or a regulator cannot look them up. A 【待确认：…】 blank may name an id (it tells
    the reviewer which link to fill in) and the comment quoted in “…” is its own text: neither is counted; an id shorter than three characters is too
    likely to be ordinary text to tell apart."""
    plain = re.sub(r"【待确认[:：][^】]*】|“[^”]*”", "", text)  # blanks and the comment quoted as evidence
    found = [m for m in markers if m in plain]
    found += [i for i in dict.fromkeys(ids)
              if len(i) >= 3 and re.search(rf"(?<![A-Za-z0-9_-]){re.escape(i)}(?![A-Za-z0-9_-])", plain)]
    return found
