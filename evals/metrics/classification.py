"""Classification metrics: accuracy, confusion matrices, multi-label F1, the appeal decision, the guardrails'
pass rate and rank correlation. Pure functions of labels; 0–1, higher is better."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from agent.schemas import DraftResult


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
