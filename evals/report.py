"""The eval run's report.html: one self-contained page (inline CSS and SVG, no scripts, no fonts).

It reads only what the run wrote (the summary dict and the masked case records), so a report can be
rebuilt from a run directory without drafting again. The page is `templates/report.html.j2`, rendered by
Jinja2 with autoescape: this module only shapes the data, the template escapes every value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

WORST = 10
TEMPLATES = Path(__file__).resolve().parent / "templates"

_CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
th{background:#f6f6f6}td.l,th.l{text-align:left}.meta{color:#666;font-size:.9rem}
.case{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.case p{margin:.3rem 0;white-space:pre-wrap}.fail{color:#b00020}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
"""

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                   undefined=StrictUndefined, keep_trailing_newline=True)


def _bar_chart(title: str, values: dict[str, float], width: int = 460) -> dict[str, Any]:
    """A horizontal bar chart of 0–1 values, laid out for the template's inline SVG."""
    row, label_w = 20, 170
    bars = []
    for i, (name, v) in enumerate(values.items()):
        w = max(0.0, min(1.0, float(v))) * (width - label_w - 50)
        color = "#2e7d32" if v >= 0.8 else "#f9a825" if v >= 0.6 else "#c62828"
        bars.append({"name": str(name), "y": 22 + i * row, "w": w, "color": color, "value": float(v)})
    return {"title": title, "width": width, "height": row * len(values) + 26, "row": row, "label_w": label_w,
            "bars": bars}


def _confusion_table(name: str, matrix: dict[str, dict[str, int]]) -> dict[str, Any]:
    labels = list(matrix)
    peak = max((c for row in matrix.values() for c in row.values()), default=0) or 1
    rows = []
    for e in labels:
        cells = []
        for g in labels:
            count = matrix[e].get(g, 0)
            cells.append({"count": count, "hue": "46,125,50" if e == g else "198,40,40",
                          "alpha": 0.1 + 0.6 * count / peak if count else 0})
        rows.append({"label": e, "cells": cells})
    return {"name": name, "labels": labels, "rows": rows}


def _case(rec: dict[str, Any]) -> dict[str, Any]:
    draft = rec.get("draft") or {}
    appeal = draft.get("appeal")
    scores = rec.get("scores", {})
    exp = rec["expected"]
    got = rec.get("got") or {}
    return {
        "id": rec["id"], "brand": rec["brand"], "overall": scores.get("overall", 0), "tags": rec.get("tags", []),
        "comment": rec["comment"],
        "expected": {"source": exp["source"], "severity": exp["severity"], "strategy": exp["strategy"],
                     "violations": exp["violations"],
                     "appeal": str(exp["appeal_reason"]) if exp["appeal"] else "no"},
        "got": {"source": str(got.get("source")), "severity": got.get("severity"), "strategy": str(got.get("strategy")),
                "violations": got.get("violations") or [],
                "appeal": str(got.get("appeal_reason")) if got.get("appeal") else "no"},
        "reply": (draft.get("reply") or {}).get("text", ""),
        "appeal": appeal.get("explanation", "") if appeal else None,
        "failures": [str(f) for f in scores.get("failures", [])],
    }


def render_report(summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    details = summary.get("details", {})
    metrics = summary["metrics"]
    charts = [_bar_chart("Metrics", metrics)]
    charts += [_bar_chart(f"Overall score by {name}", values)
               for name, values in details.get("per_category", {}).items()]
    charts.append(_bar_chart("Guardrail pass rate by check", details.get("guardrails_per_check", {})))
    charts.append(_bar_chart("Violation F1 by label", details.get("violations_per_label", {})))
    worst = sorted(records, key=lambda r: (r.get("scores", {}).get("overall", 0.0), r["id"]))[:WORST]
    return _env.get_template("report.html.j2").render(
        css=_CSS, model=summary["model"], cases=summary["cases"], errors=summary["errors"],
        dataset=summary["dataset"], dataset_sha256=summary["dataset_sha256"][:12],
        started_at=str(details.get("started_at", "")),
        timings=", ".join(f"{k} {v}" for k, v in summary.get("timings", {}).items()),
        metrics=metrics, charts=charts,
        confusions=[_confusion_table(k, m) for k, m in details.get("confusion", {}).items()],
        judge=summary.get("judge"), judge_model=str(details.get("judge_model")),
        worst_n=WORST, worst=[_case(r) for r in worst])
