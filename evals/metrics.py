"""Eval metrics: pure functions from (expected labels, a DraftResult, the brand facts) to scores.

Nothing here runs a model or reads a file. Scores are in 0–1, higher is better. Text is compared in
its Simplified, NFKC, lower-case form (`normalize_for_match`), so a Traditional reply scores like
its Simplified twin.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.knowledge.files import Brand
from agent.schemas import DraftResult, Source, Strategy, Violation
from agent.text import detect_script, normalize_for_match


class Expected(BaseModel):
    """The labels of one eval case (the `expected` object of a dataset line)."""

    model_config = ConfigDict(extra="forbid")

    source: Source
    severity: int = Field(ge=1, le=3)
    violations: list[Violation] = Field(default_factory=list)
    strategy: Strategy
    appeal: bool
    appeal_reason: Violation | None = None
    must_use: list[str] = Field(default_factory=list)
    must_not_say: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- classification

def accuracy(pairs: Iterable[tuple[Any, Any]]) -> float:
    """Share of (expected, got) pairs that are equal; 0 for no pairs."""
    pairs = list(pairs)
    return sum(e == g for e, g in pairs) / len(pairs) if pairs else 0.0


def confusion(pairs: Iterable[tuple[Any, Any]], labels: Sequence[Any]) -> dict[str, dict[str, int]]:
    """matrix[expected][got] = count, over the given labels (rows and columns in that order)."""
    matrix = {str(e): {str(g): 0 for g in labels} for e in labels}
    for e, g in pairs:
        matrix.setdefault(str(e), {str(x): 0 for x in labels}).setdefault(str(g), 0)
        matrix[str(e)][str(g)] += 1
    return matrix


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


@dataclass(frozen=True)
class MultiLabelScores:
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    per_label: dict[str, float]


def multilabel_f1(pairs: Iterable[tuple[Iterable[str], Iterable[str]]],
                  labels: Sequence[str] | None = None) -> MultiLabelScores:
    """Micro and macro F1 of multi-label predictions; (expected set, predicted set) per case.

    Macro averages over the labels that occur in the expectations or the predictions; a case with
    nothing expected and nothing predicted is a true negative and counts nowhere. Empty input (no
    labels anywhere) scores 1.0: there was nothing to find and nothing was invented.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for expected, got in pairs:
        e, g = set(map(str, expected)), set(map(str, got))
        for lab in e & g:
            tp[lab] += 1
        for lab in g - e:
            fp[lab] += 1
        for lab in e - g:
            fn[lab] += 1
    seen = set(tp) | set(fp) | set(fn)
    names = [str(x) for x in labels if str(x) in seen] if labels is not None else sorted(seen)
    per_label = {lab: _f1(tp[lab], fp[lab], fn[lab]) for lab in names}
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return MultiLabelScores(
        micro_precision=t / (t + f_p) if t + f_p else 1.0,
        micro_recall=t / (t + f_n) if t + f_n else 1.0,
        micro_f1=_f1(t, f_p, f_n),
        macro_f1=sum(per_label.values()) / len(per_label) if per_label else 1.0,
        per_label=per_label,
    )


@dataclass(frozen=True)
class AppealScores:
    precision: float
    recall: float
    reason_accuracy: float
    support: int


def appeal_scores(rows: Iterable[tuple[bool, str | None, bool, str | None]]) -> AppealScores:
    """(expected appeal, expected reason, got appeal, got reason) per case.

    Precision and recall of the appeal decision; reason accuracy over the cases where both sides
    appeal. No predicted appeals → precision 1.0 (nothing wrong was filed); none expected → recall 1.0.
    """
    tp = fp = fn = reason_ok = both = 0
    for exp, exp_reason, got, got_reason in rows:
        tp += exp and got
        fp += got and not exp
        fn += exp and not got
        if exp and got:
            both += 1
            reason_ok += str(exp_reason) == str(got_reason)
    return AppealScores(
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        reason_accuracy=reason_ok / both if both else 1.0,
        support=tp + fn,
    )


def guardrail_pass_rate(results: Iterable[DraftResult]) -> tuple[float, dict[str, float]]:
    """Share of all checks that passed, and the pass rate of each check by name (1.0 with no checks)."""
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for r in results:
        for c in r.checks:
            total[c.name] += 1
            passed[c.name] += c.passed
    overall = sum(passed.values()) / sum(total.values()) if total else 1.0
    return overall, {name: passed[name] / total[name] for name in sorted(total)}


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None when undefined."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx and vy else None


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


# ---------------------------------------------------------------- reply text

_PUNCT = re.compile(r"[\s，,。．.！!？?；;：:、~～…“”\"'‘’（）()\[\]【】《》<>·\-—_/|#@*]+")


_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "~": "-", "～": "-"})


def norm(text: str) -> str:
    """Simplified, NFKC, lower case, every dash and tilde as '-' (2–3滴 = 2-3滴 = 2~3滴)."""
    return normalize_for_match(text).translate(_DASHES)


def _bigrams(text: str) -> set[str]:
    t = _PUNCT.sub("", norm(text))
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def coverage(needle: str, haystack: str) -> float:
    """Share of the needle's character bigrams (punctuation ignored) found in the haystack."""
    need = _bigrams(needle)
    return len(need & _bigrams(haystack)) / len(need) if need else 0.0


def _has_any(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


APOLOGY = ("抱歉", "对不起", "不好意思", "歉意", "致歉", "添麻烦", "sorry")
EMPATHY = ("理解", "心情", "着急", "困扰", "难受", "担心", "糟心", "委屈", "心疼", "感受", "不愉快",
           "失望", "辛苦", "舒服", "影响了你", "影响了您", "换作", "换谁", "闹心", "久等", "期待", "折腾", "崩溃", "心累")
RESOLUTION = ("跟进", "处理", "安排", "解决", "退换", "补发", "核实", "协助", "售后", "换货", "退货", "对接",
              "帮你", "帮您", "给你一个", "给您一个")
PRIVATE = ("私信", "私聊", "私讯", "后台消息", "站内信")
VERIFIED = ("核实", "核查", "查询", "查证", "查看了", "查到", "确认", "记录")
PLATFORM = ("平台", "官方核查", "小红书")
BLAME = ("你自己", "您自己", "怪你", "怪您", "是你的问题", "是您的问题", "你用错", "您用错", "没看说明", "不看说明",
         "不会用", "胡说", "造谣", "水军", "黑子", "骗子", "碰瓷", "别乱说", "有病", "恶意抹黑", "居心", "可笑",
         "心里没数", "拿钱办事", "同行", "演员")
INVITE = ("私信", "随时", "有问题", "有疑问", "欢迎", "可以问", "找我们")


@dataclass(frozen=True)
class RubricScore:
    score: float
    items: dict[str, float]

    @property
    def failed(self) -> list[str]:
        return [k for k, v in self.items.items() if v < 1.0]


def _weighted(items: dict[str, float], weights: dict[str, float]) -> RubricScore:
    total = sum(weights.values())
    return RubricScore(round(sum(items[k] * w for k, w in weights.items()) / total, 4), items)


def rubric(strategy: Strategy | str, reply: str, brand: Brand | None = None, product: str | None = None,
           comment: str = "") -> RubricScore:
    """Score a reply 0–1 against what its strategy asks for (the playbook's three scripts).

    apologize_resolve: apology, empathy, a concrete resolution, the details moved to 私信.
    educate: the product's correct usage (or a caution) from the brand facts, graded by how much of it is stated,
      the product named, no blame, an open door for questions.
    neutral_rebuttal: says what was verified, never argues or blames, hands it to the platform.
    """
    text = norm(reply)
    strategy = Strategy(strategy)
    if not text.strip():
        return RubricScore(0.0, {"empty_reply": 0.0})
    no_blame = 0.0 if _has_any(text, BLAME) else 1.0
    if strategy is Strategy.apologize_resolve:
        items = {"apology": _has_any(text, APOLOGY), "empathy": _has_any(text, EMPATHY),
                 "resolution": _has_any(text, RESOLUTION), "private_message": _has_any(text, PRIVATE),
                 "no_blame": no_blame}
        return _weighted({k: float(v) for k, v in items.items()},
                         {"apology": 1, "empathy": 1, "resolution": 1, "private_message": 1, "no_blame": 1})
    if strategy is Strategy.educate:
        usage, named = _usage_stated(text, brand, product, comment)
        items = {"usage": usage, "product_named": named, "no_blame": no_blame,
                 "invites_questions": float(_has_any(text, INVITE))}
        return _weighted(items, {"usage": 3, "product_named": 1, "no_blame": 1, "invites_questions": 1})
    items = {"states_verified": float(_has_any(text, VERIFIED)), "no_blame": no_blame,
             "hands_to_platform": float(_has_any(text, PLATFORM))}
    return _weighted(items, {"states_verified": 1, "no_blame": 1, "hands_to_platform": 1})


def product_candidates(brand: Brand, comment: str, product: str | None = None) -> list[Any]:
    """The products a comment is about: named in the comment, else the given id, else all of them."""
    text = norm(comment)
    named = [p for p in brand.products if any(norm(n) in text for n in [p.name, *p.aliases] if n)]
    if named:
        return named
    given = brand.product(product)
    return [given] if given else list(brand.products)


def _usage_stated(text: str, brand: Brand | None, product: str | None, comment: str) -> tuple[float, float]:
    """(how much of the product's usage — or one of its cautions — the reply states, scaled so that half
    of it is full marks; whether the product is named)."""
    if brand is None:
        return 0.0, 0.0
    best_usage, named = 0.0, 0.0
    for p in product_candidates(brand, comment, product):
        usage = max(coverage(how, text) for how in [p.usage, *p.cautions])
        best_usage = max(best_usage, min(1.0, usage / 0.5))
        if any(norm(n) in text for n in [p.name, *p.aliases] if n):
            named = 1.0
    return round(best_usage, 4), named


# ---------------------------------------------------------------- groundedness

# Claims a reply can invent: amounts and durations, percentages, ingredients, certifications and tests.
_AMOUNT = re.compile(
    r"(?<![\d.])\d{1,3}(?:\.\d+)?\s*(?:%|％|个小时|小时|分钟|天|周|个月|年|滴|毫升|ml|g|克|倍|h)(?![a-z])"
    r"|[一二两三四五六七八九十百]+(?:个小时|小时|分钟|天|周|个月|年)",
    re.I)
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9\-]{1,}(?![A-Za-z])")
_CERT_WORDS = ("认证", "检测", "测试", "报告", "临床", "实验", "专利", "备案", "资质", "质检", "权威", "无添加", "零添加")
INGREDIENTS = ("烟酰胺", "玻尿酸", "透明质酸", "视黄醇", "a醇", "水杨酸", "果酸", "神经酰胺", "积雪草", "维c",
               "维生素c", "维生素e", "角鲨烷", "酒精", "乙醇", "香精", "防腐剂", "激素", "荧光剂", "重金属", "汞",
               "铅", "甲醛", "胜肽", "多肽", "玫瑰", "荷荷巴", "角质", "纯棉", "亚麻", "羊毛", "羊绒", "涤纶",
               "聚酯", "莫代尔", "桑蚕丝", "真丝", "氨纶", "全棉", "棉质")
_CLAUSE = re.compile(r"[，,。！!？?；;\n]+")
_PLACEHOLDER = re.compile(r"【[^】]*】")
_NOT_CLAIMS = {"OK", "APP", "DM", "ID", "QQ"}
# Function words dropped from a certification clause before it is matched to the facts.
_FILLER = set("这款我们你您已经过通的都是了该本品个也有和与及并且还均哦呢啦吧呀～~ ")


@dataclass(frozen=True)
class Groundedness:
    score: float
    claims: list[str]
    unsupported: list[str]


def brand_fact_texts(brand: Brand) -> list[str]:
    """What a reply may cite: every string in the brand facts, and each record (a product, a
    certification, a policy) as one line of its own strings, so a claim joining two of its fields
    (a test's title and its issuer) still matches."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            leaves = [v for v in value.values() if isinstance(v, str)]
            leaves += [x for v in value.values() if isinstance(v, list) for x in v if isinstance(x, str)]
            if len(leaves) > 1:
                out.append(" ".join(leaves))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(brand.model_dump())
    return out


def groundedness(reply: str, facts: Sequence[str], ignore: Iterable[str] = (), comment: str = "") -> Groundedness:
    """Every product claim in the reply must be supported by the facts (brand facts + retrieved sources).

    Claims: amounts and durations (数字+单位), ingredient names, acronyms (SGS, FDA…) and clauses about
    certifications or tests. An atom is supported when it occurs in the facts; a certification clause
    when half of its bigrams occur in one fact sentence. Not claims: placeholders 【…】, `ignore` (the
    brand's and products' names) and atoms the comment itself contains (restating the customer); a
    clause holding a placeholder is an honest unknown, not a claim. No claims → 1.0.
    """
    text = _PLACEHOLDER.sub("【】", norm(reply))
    corpus = re.sub(r"\s+", "", norm("\n".join(facts)))
    said = re.sub(r"\s+", "", norm(comment))
    fact_sents = [s for f in facts for s in re.split(r"[。；;\n]+", norm(f)) if s.strip()]
    ignored = {norm(w) for w in ignore if w}
    claims: list[str] = []
    unsupported: list[str] = []

    def claim(atom: str, ok: bool) -> None:
        if atom in claims or (atom in said and not ok):
            return
        claims.append(atom)
        if not ok:
            unsupported.append(atom)

    for m in _AMOUNT.finditer(text):
        atom = re.sub(r"\s+", "", m.group(0))
        claim(atom, atom in corpus)
    for word in INGREDIENTS:
        if word in text and not any(word in longer and longer in text for longer in INGREDIENTS if longer != word):
            claim(word, word in corpus)
    for m in _ACRONYM.finditer(_PLACEHOLDER.sub("", reply)):
        atom = norm(m.group(0))
        if atom.upper() in _NOT_CLAIMS or any(atom in w for w in ignored):
            continue
        claim(atom, atom in corpus)
    for clause in _CLAUSE.split(text):
        if "【】" in clause or not _has_any(clause, _CERT_WORDS):
            continue
        core = clause
        for name in sorted(ignored, key=len, reverse=True):
            core = core.replace(name, "")
        core = "".join(ch for ch in core if ch not in _FILLER)
        best = max((coverage(core, s) for s in fact_sents), default=0.0)
        claim(clause.strip(), best >= 0.5)
    score = 1.0 - len(unsupported) / len(claims) if claims else 1.0
    return Groundedness(round(score, 4), claims, unsupported)


# ---------------------------------------------------------------- phrases and script

def must_use_coverage(reply: str, must_use: Sequence[str]) -> tuple[float, list[str]]:
    """Share of the required facts the reply contains, and the missing ones (1.0 when none required)."""
    text = norm(reply)
    missing = [m for m in must_use if norm(m) not in text]
    return (1.0 - len(missing) / len(must_use) if must_use else 1.0), missing


def must_not_say_hits(reply: str, must_not_say: Sequence[str]) -> list[str]:
    text = norm(reply)
    return [m for m in must_not_say if norm(m) in text]


def script_match(comment: str, reply: str) -> bool:
    """The reply is in the comment's script; a comment without Chinese may be answered in Simplified."""
    want = detect_script(comment)
    got = detect_script(reply)
    return got == want or (want == "other" and got == "zh-Hans")


# ---------------------------------------------------------------- one case, and all of them

@dataclass
class CaseScore:
    """Every metric of one case; `overall` is their mean, used to rank the worst cases."""

    id: str
    source_ok: bool
    severity_ok: bool
    violations_expected: list[str]
    violations_got: list[str]
    strategy_ok: bool
    appeal_expected: bool
    appeal_got: bool
    appeal_reason_ok: bool | None
    checks_passed: int
    checks_total: int
    rubric: RubricScore
    grounded: Groundedness
    must_use: float
    must_use_missing: list[str]
    must_not_say: list[str]
    script_ok: bool
    failures: list[str] = field(default_factory=list)

    @property
    def violations_jaccard(self) -> float:
        e, g = set(self.violations_expected), set(self.violations_got)
        return len(e & g) / len(e | g) if e | g else 1.0

    @property
    def overall(self) -> float:
        parts = [self.source_ok, self.severity_ok, self.violations_jaccard, self.strategy_ok,
                 self.appeal_expected == self.appeal_got,
                 self.checks_passed / self.checks_total if self.checks_total else 1.0,
                 self.rubric.score, self.grounded.score, self.must_use, not self.must_not_say, self.script_ok]
        return round(sum(float(p) for p in parts) / len(parts), 4)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall, "source_ok": self.source_ok, "severity_ok": self.severity_ok,
            "violations_jaccard": round(self.violations_jaccard, 4), "strategy_ok": self.strategy_ok,
            "appeal_ok": self.appeal_expected == self.appeal_got, "appeal_reason_ok": self.appeal_reason_ok,
            "guardrails": f"{self.checks_passed}/{self.checks_total}",
            "rubric": self.rubric.score, "rubric_items": self.rubric.items,
            "groundedness": self.grounded.score, "unsupported_claims": self.grounded.unsupported,
            "must_use": round(self.must_use, 4), "must_use_missing": self.must_use_missing,
            "must_not_say_hits": self.must_not_say, "script_ok": self.script_ok, "failures": self.failures,
        }


def score_case(case_id: str, comment: str, expected: Expected, got: DraftResult, brand: Brand | None) -> CaseScore:
    facts = [*(brand_fact_texts(brand) if brand else []), *(s.passage for s in got.sources if s.passage)]
    brand_names = [brand.name, brand.id, *brand.aliases,
                   *(n for p in brand.products for n in (p.name, *p.aliases))] if brand else []
    reply = got.reply.text
    exp_v = sorted(str(v) for v in expected.violations)
    got_v = sorted(str(v) for v in got.triage.violations)
    got_reason = str(got.appeal.reason) if got.appeal else None
    rub = rubric(expected.strategy, reply, brand, got.plan.product, comment)
    grounded = groundedness(reply, facts, ignore=brand_names, comment=comment)
    use, missing = must_use_coverage(reply, expected.must_use)
    score = CaseScore(
        id=case_id,
        source_ok=got.triage.source == expected.source,
        severity_ok=got.triage.severity == expected.severity,
        violations_expected=exp_v, violations_got=got_v,
        strategy_ok=got.plan.strategy == expected.strategy,
        appeal_expected=expected.appeal, appeal_got=got.plan.appeal,
        appeal_reason_ok=(str(expected.appeal_reason) == got_reason) if expected.appeal and got.plan.appeal else None,
        checks_passed=sum(c.passed for c in got.checks), checks_total=len(got.checks),
        rubric=rub, grounded=grounded, must_use=use, must_use_missing=missing,
        must_not_say=must_not_say_hits(reply, expected.must_not_say),
        script_ok=script_match(comment, reply),
    )
    score.failures = _failures(score, expected, got)
    return score


def _failures(s: CaseScore, expected: Expected, got: DraftResult) -> list[str]:
    out = []
    if not s.source_ok:
        out.append(f"source {got.triage.source} ≠ {expected.source}")
    if not s.severity_ok:
        out.append(f"severity {got.triage.severity} ≠ {expected.severity}")
    if s.violations_expected != s.violations_got:
        out.append(f"violations {s.violations_got} ≠ {s.violations_expected}")
    if not s.strategy_ok:
        out.append(f"strategy {got.plan.strategy} ≠ {expected.strategy}")
    if s.appeal_expected != s.appeal_got:
        out.append(f"appeal {s.appeal_got} ≠ {s.appeal_expected}")
    elif s.appeal_reason_ok is False:
        out.append(f"appeal reason {got.appeal.reason if got.appeal else None} ≠ {expected.appeal_reason}")
    out += [f"check {c.name}: {c.detail}".rstrip(": ") for c in got.failed_checks]
    if s.rubric.failed:
        out.append(f"rubric ({expected.strategy}) misses {', '.join(s.rubric.failed)}")
    if s.grounded.unsupported:
        out.append(f"unsupported claims: {', '.join(s.grounded.unsupported)}")
    if s.must_use_missing:
        out.append(f"missing facts: {', '.join(s.must_use_missing)}")
    if s.must_not_say:
        out.append(f"says: {', '.join(s.must_not_say)}")
    if not s.script_ok:
        out.append(f"reply script {detect_script(got.reply.text)} ≠ comment script")
    return out


# The keys of `summarize` (the CI floors in thresholds.toml name these).
METRIC_KEYS = (
    "source_accuracy", "severity_accuracy", "violation_micro_f1", "violation_macro_f1", "strategy_accuracy",
    "appeal_precision", "appeal_recall", "appeal_reason_accuracy", "guardrail_pass_rate",
    "guardrail_case_pass_rate", "rubric_mean", "groundedness_mean", "must_use_coverage",
    "must_not_say_clean_rate", "script_match_rate", "overall_mean",
)


def summarize(scores: Sequence[CaseScore], results: Sequence[DraftResult], expected: Sequence[Expected],
              errors: int = 0) -> dict[str, Any]:
    """All dataset-level metrics. `scores`, `results` and `expected` are aligned; `errors` counts the
    cases that produced no draft (they score zero on every per-case mean)."""
    n = len(scores) + errors

    def mean(values: Iterable[float]) -> float:
        return round(sum(values) / n, 4) if n else 0.0

    violations = multilabel_f1(((e.violations, r.triage.violations) for e, r in zip(expected, results, strict=True)),
                               labels=list(Violation))
    appeals = appeal_scores((e.appeal, e.appeal_reason, r.plan.appeal, r.appeal.reason if r.appeal else None)
                            for e, r in zip(expected, results, strict=True))
    guard, per_check = guardrail_pass_rate(results)
    metrics = {
        "source_accuracy": mean(s.source_ok for s in scores),
        "severity_accuracy": mean(s.severity_ok for s in scores),
        "violation_micro_f1": round(violations.micro_f1, 4),
        "violation_macro_f1": round(violations.macro_f1, 4),
        "strategy_accuracy": mean(s.strategy_ok for s in scores),
        "appeal_precision": round(appeals.precision, 4),
        "appeal_recall": round(appeals.recall, 4),
        "appeal_reason_accuracy": round(appeals.reason_accuracy, 4),
        "guardrail_pass_rate": round(guard, 4),
        "guardrail_case_pass_rate": mean(s.checks_passed == s.checks_total for s in scores),
        "rubric_mean": mean(s.rubric.score for s in scores),
        "groundedness_mean": mean(s.grounded.score for s in scores),
        "must_use_coverage": mean(s.must_use for s in scores),
        "must_not_say_clean_rate": mean(not s.must_not_say for s in scores),
        "script_match_rate": mean(s.script_ok for s in scores),
        "overall_mean": mean(s.overall for s in scores),
    }
    return {
        "metrics": metrics,
        "cases": n,
        "errors": errors,
        "violations_per_label": {k: round(v, 4) for k, v in violations.per_label.items()},
        "guardrails_per_check": {k: round(v, 4) for k, v in per_check.items()},
        "confusion": {
            "source": confusion(((e.source, r.triage.source) for e, r in zip(expected, results, strict=True)),
                                list(Source)),
            "severity": confusion(((e.severity, r.triage.severity) for e, r in zip(expected, results, strict=True)),
                                  [1, 2, 3]),
            "strategy": confusion(((e.strategy, r.plan.strategy) for e, r in zip(expected, results, strict=True)),
                                  list(Strategy)),
        },
    }
