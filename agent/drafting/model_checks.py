"""The hard checks a model's draft must pass on top of the guardrails (agent.drafting.guardrails).

The offline drafter writes from the script library and the brand file, so these risks are the
model's own: it echoes the comment or an earlier reply, recites its prompt, spells a contact id
in disguise, invents a certification or an ingredient, or answers something other than the
question asked. Every check here is hard: a model draft failing one after its revision is replaced
by the offline draft, its attempt kept beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from agent.drafting.check_input import CheckInput
from agent.drafting.guardrails import CLAUSE_END
from agent.drafting.overlap import common_runs, squashed
from agent.schemas import CheckResult, Finding, checked, found
from agent.text import normalize_for_match

ECHO_RUN = 6  # characters of the comment or an earlier reply, punctuation ignored, that make an echo
PROMPT_RUN = 8  # characters of a prompt's own wording that make a leak

# 微信 spelled around the filters: homophones and look-alikes of 微, letters for 微信, a plus for 加.
_WEI = "微薇威徽v"  # not 维 or 围: 维C and 围巾 are words a reply may use
_CONTACT_WORD = re.compile(rf"(?:加|\+|➕|➕)\s*[{_WEI}]|[{_WEI}]\s*[信芯心星❤♥]|v\s*x|w\s*x|wei\s*xin|"
                           r"扣\s*扣|企\s*鹅|q\s*q|私\s*[戳聊]\s*[v薇威]|主\s*页\s*[有见]|看\s*主\s*页")
# Digits standing for letters (w3ix1n, v8), and Chinese numerals standing for digits (一三八…).
_LEET = str.maketrans("013457", "oieast")
_NUMERALS = str.maketrans("〇零幺一二三四五六七八九壹贰叁肆伍陆柒捌玖", "001123456789123456789")
_ID = re.compile(r"(?<![a-z0-9])(?=[a-z0-9_]*\d)(?=[a-z0-9_]*[a-z])[a-z0-9_]{5,}(?![a-z0-9])")
_PHONE_OR_QQ = re.compile(r"(?<!\d)\d{5,}(?!\d)")
# What a certification, test, ingredient or policy claim says; a model clause naming one must be
# held by the retrieved facts or the brand file.
_CLAIM = re.compile(r"认证|检测|测试|报告|备案|临床|实验|专利|有机|成分|含有|添加|提取物|配方|不含|无添加|"
                    r"退货|退款|换货|包邮|保修|质保|赔|发货|签收")
# Where the brand ships or sells: a clause naming a region beside a word of shipping or ordering states a
# policy ("无法提供台湾的订单"), and the region must be in the facts.
_REGION = re.compile(r"台湾|香港|澳门|港澳台|海外|国外|境外|新疆|西藏|内蒙古?|偏远地区|日本|韩国|美国|英国|澳洲|澳大利亚|"
                     r"加拿大|新加坡|马来西亚|泰国|越南|欧洲")
_SHIPPING = re.compile(r"寄|发货|配送|送|运|到货|订单|下单|邮|快递|物流|提供|购买|买")
# What a certificate, test, extract or patent is of: the Chinese words right before the claim word.
_CLAIMED_THING = re.compile(r"(?:[过了的已经通和及与]*)([\u4e00-\u9fff]{2,3}?)(?=认证|检测|测试|报告|提取物|专利|临床|配方|备案)")
_LATIN = re.compile(r"[a-z][a-z0-9-]{1,}")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")  # FDA, SGS, ECOCERT: named bodies
# A question, and the words that carry no topic of their own (asking words, pronouns, fillers).
_QUESTION = re.compile(r"[?？]|吗|怎么|怎样|如何|多久|多少|哪里|哪个|哪款|什么|能不能|可不可以|是不是|有没有|会不会|请问")
_FUNCTION = set("的了吗呢吧啊呀么是不有没可以能会要想请问怎样如何什么哪几多少你我他她们这那个一下起和跟与也都还就在用")


@dataclass
class ModelCheckInput:
    """What the model-only checks read: the draft, the comment, what the model was shown and may say."""

    reply: str
    comment: str
    base: CheckInput  # the guardrails' input: the brand, the retrieved facts, the lexicons
    thread: list[str] = field(default_factory=list)  # the earlier messages of the thread (any author)
    prompt_text: str = ""  # the fixed wording of the prompt the model answered

    @property
    def corpus(self) -> str:
        """What the brand may say in its own words: its file and the retrieved facts."""
        return self.base.corpus


def _result(name: str, problems: list[Finding]) -> CheckResult:
    return checked(name, problems, hard=True)


def _squash(text: str) -> str:
    return squashed(normalize_for_match(text))


def shared_runs(reply: str, other: str, n: int) -> list[str]:
    """Maximal runs of ≥ n characters of the reply also found in the other text (punctuation ignored)."""
    return common_runs(normalize_for_match(reply), normalize_for_match(other), n)


def no_echo(c: ModelCheckInput) -> CheckResult:
    """The brand's reply is its own: no run of the comment or of an earlier message (the brand's own
    earlier reply included) that the brand's facts do not also hold (a product's name may be shared)."""
    own = _squash(c.corpus)
    problems = [found("echoes the comment: {words}", words=r) for r in shared_runs(c.reply, c.comment, ECHO_RUN) if r not in own]
    for message in c.thread:
        problems += [found("repeats an earlier message of the thread: {words}", words=r)
                     for r in shared_runs(c.reply, message, ECHO_RUN) if r not in own]
    return _result("no_echo", problems)


def no_prompt_text(c: ModelCheckInput) -> CheckResult:
    own = _squash(c.corpus)
    runs = [r for r in shared_runs(c.reply, c.prompt_text, PROMPT_RUN) if r not in own]
    return _result("no_prompt_text", [found("recites the prompt: {words}", words=r) for r in runs])


def contact_ids(text: str, brand_text: str) -> list[str]:
    """Contact words and ids in any spelling: 薇信, +v, vx, w3ixin, 一三八… and ids like glx2026."""
    folded = re.sub(r"\s+", "", normalize_for_match(text))
    hits = [m.group(0) for m in _CONTACT_WORD.finditer(folded)]
    hits += [w for w in ("weixin", "wechat", "qq") if w in folded.translate(_LEET)]
    hits += [m.group(0) for m in _PHONE_OR_QQ.finditer(folded.translate(_NUMERALS)) if m.group(0) not in brand_text]
    hits += [m.group(0) for m in _ID.finditer(folded) if m.group(0) not in brand_text]
    return sorted(set(hits))


def no_contact_id(c: ModelCheckInput) -> CheckResult:
    hits = contact_ids(c.reply, c.base.brand_text)
    return _result("no_contact_id", [found("a contact id or its disguise: {words}", words=h) for h in hits])


def grounded_claims(c: ModelCheckInput) -> CheckResult:
    """Hard for a model: in a clause making a certification, test, ingredient or policy claim, the claim
    word, every number, every Latin name (FDA, ECOCERT, SGS) and what is certified or extracted (the
    words just before 认证, 提取物…) must be in the retrieved facts or the brand file; so must a region a
    clause about shipping or ordering names."""
    corpus = c.corpus
    problems: list[Finding] = []
    for raw in CLAUSE_END.split(c.reply):
        clause = normalize_for_match(raw)
        claims = [m.group(0) for m in _CLAIM.finditer(clause)]
        names = [w.lower() for w in _ACRONYM.findall(raw)]
        if claims:
            names += _LATIN.findall(clause) + re.findall(r"\d+(?:\.\d+)?", clause)
            names += [t for t in (m.group(1) for m in _CLAIMED_THING.finditer(clause)) if not _CLAIM.search(t)]
        if _SHIPPING.search(clause):
            names += _REGION.findall(clause)
        missing = [w for w in claims + names if w not in corpus]
        if missing:
            problems.append(found("claims what the facts do not hold ({missing}): {words}",
                                  missing="、".join(sorted(set(missing))), words=raw.strip()))
    return _result("grounded_claims_hard", problems)


def topic_words(question: str) -> set[str]:
    """The question's topic as character bigrams and Latin words, without asking words and fillers."""
    folded = normalize_for_match(question)
    grams = {folded[i:i + 2] for i in range(len(folded) - 1)
             if re.fullmatch(r"[\u4e00-\u9fff]{2}", folded[i:i + 2]) and not set(folded[i:i + 2]) <= _FUNCTION}
    return grams | set(_LATIN.findall(folded)) | set(re.findall(r"[a-z]+[\u4e00-\u9fff]", folded))


def answers_question(c: ModelCheckInput) -> CheckResult:
    """A question is answered on its topic: the reply names at least one of its topic words."""
    if not _QUESTION.search(c.comment):
        return _result("answers_question", [])
    topic = topic_words(c.comment)
    if not topic or any(t in normalize_for_match(c.reply) for t in topic):
        return _result("answers_question", [])
    return _result("answers_question", [found("does not answer the question asked (none of {words})",
                                                     words="、".join(sorted(topic)[:6]))])


MODEL_CHECKS: list[Callable[[ModelCheckInput], CheckResult]] = [
    no_echo, no_prompt_text, no_contact_id, grounded_claims, answers_question,
]


def run_model_checks(c: ModelCheckInput) -> list[CheckResult]:
    return [check(c) for check in MODEL_CHECKS]

