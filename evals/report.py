"""The eval run's report.html: one self-contained page (inline CSS and SVG, no scripts, no fonts).

It reads only what the run wrote (the summary dict and the masked case records), so a report can be
rebuilt from a run directory without drafting again.
"""

from __future__ import annotations

from html import escape
from typing import Any

WORST = 10

_CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
th{background:#f6f6f6}td.l,th.l{text-align:left}.meta{color:#666;font-size:.9rem}
.case{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.case p{margin:.3rem 0;white-space:pre-wrap}.fail{color:#b00020}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
"""


def _bar_chart(title: str, values: dict[str, float], width: int = 460) -> str:
    """A horizontal bar chart of 0–1 values as inline SVG."""
    if not values:
        return ""
    row, label_w = 20, 170
    height = row * len(values) + 26
    bars = []
    for i, (name, v) in enumerate(values.items()):
        y = 22 + i * row
        w = max(0.0, min(1.0, float(v))) * (width - label_w - 50)
        color = "#2e7d32" if v >= 0.8 else "#f9a825" if v >= 0.6 else "#c62828"
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(str(name))}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="11">{float(v):.2f}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="{escape(title)}"><text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>'
            + "".join(bars) + "</svg>")


def _confusion_table(name: str, matrix: dict[str, dict[str, int]]) -> str:
    labels = list(matrix)
    peak = max((c for row in matrix.values() for c in row.values()), default=0) or 1
    head = "".join(f"<th>{escape(g)}</th>" for g in labels)
    rows = []
    for e in labels:
        cells = []
        for g in labels:
            count = matrix[e].get(g, 0)
            hue = "46,125,50" if e == g else "198,40,40"
            alpha = 0.1 + 0.6 * count / peak if count else 0
            cells.append(f'<td style="background:rgba({hue},{alpha:.2f})">{count}</td>')
        rows.append(f'<tr><th class="l">{escape(e)}</th>{"".join(cells)}</tr>')
    return (f"<div><h3>{escape(name)} (rows: expected, columns: got)</h3>"
            f'<table><tr><th class="l"></th>{head}</tr>{"".join(rows)}</table></div>')


def _case_html(rec: dict[str, Any]) -> str:
    draft = rec.get("draft") or {}
    reply = (draft.get("reply") or {}).get("text", "")
    appeal = draft.get("appeal")
    scores = rec.get("scores", {})
    fails = "".join(f"<li>{escape(str(f))}</li>" for f in scores.get("failures", []))
    exp = rec["expected"]
    got = rec.get("got") or {}
    return (
        f'<div class="case"><b>{escape(rec["id"])}</b> · {escape(rec["brand"])} · overall '
        f'{scores.get("overall", 0):.2f} · tags: {escape(", ".join(rec.get("tags", [])))}'
        f"<p><b>Comment</b>: {escape(rec['comment'])}</p>"
        f"<p><b>Expected</b>: {escape(exp['source'])}, severity {exp['severity']}, "
        f"{escape(exp['strategy'])}, violations {escape(', '.join(exp['violations']) or '—')}, "
        f"appeal {escape(str(exp['appeal_reason']) if exp['appeal'] else 'no')}</p>"
        f"<p><b>Got</b>: {escape(str(got.get('source')))}, severity {got.get('severity')}, "
        f"{escape(str(got.get('strategy')))}, violations {escape(', '.join(got.get('violations') or []) or '—')}, "
        f"appeal {escape(str(got.get('appeal_reason')) if got.get('appeal') else 'no')}</p>"
        f"<p><b>Reply</b>: {escape(reply)}</p>"
        + (f"<p><b>Appeal</b>: {escape(appeal.get('explanation', ''))}</p>" if appeal else "")
        + (f'<ul class="fail">{fails}</ul>' if fails else "") + "</div>")


def render_report(summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    details = summary.get("details", {})
    metrics = summary["metrics"]
    metric_rows = "".join(f'<tr><td class="l">{escape(k)}</td><td>{v:.4f}</td></tr>' for k, v in metrics.items())
    charts = [_bar_chart("Metrics", metrics)]
    charts += [_bar_chart(f"Overall score by {name}", values)
               for name, values in details.get("per_category", {}).items()]
    charts.append(_bar_chart("Guardrail pass rate by check", details.get("guardrails_per_check", {})))
    charts.append(_bar_chart("Violation F1 by label", details.get("violations_per_label", {})))
    confusions = "".join(_confusion_table(k, m) for k, m in details.get("confusion", {}).items())
    worst = sorted(records, key=lambda r: (r.get("scores", {}).get("overall", 0.0), r["id"]))[:WORST]
    judge = summary.get("judge")
    judge_html = ""
    if judge:
        rows = "".join(f'<tr><td class="l">{escape(k)}</td><td>{escape(str(v))}</td></tr>' for k, v in judge.items())
        judge_html = f"<h2>LLM judge ({escape(str(details.get('judge_model')))}) vs rule metrics</h2><table>{rows}</table>"
    timings = ", ".join(f"{k} {v}" for k, v in summary.get("timings", {}).items())
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>RedReply eval · {escape(summary['model'])}</title>
<style>{_CSS}</style></head><body>
<h1>RedReply eval · model {escape(summary['model'])}</h1>
<p class="meta">{summary['cases']} cases, {summary['errors']} errors · dataset {escape(summary['dataset'])}
(sha256 {escape(summary['dataset_sha256'][:12])}) · {escape(str(details.get('started_at', '')))}<br>{escape(timings)}</p>
<h2>Metrics</h2><table><tr><th class="l">metric</th><th>value</th></tr>{metric_rows}</table>
<h2>Per-category scores</h2><div class="grid">{''.join(charts)}</div>
<h2>Confusion matrices</h2><div class="grid">{confusions}</div>
{judge_html}
<h2>The {WORST} worst cases</h2>{''.join(_case_html(r) for r in worst)}
</body></html>
"""
