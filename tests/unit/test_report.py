"""evals.report: the HTML report is rendered with autoescape, so nothing from a run becomes markup."""

from __future__ import annotations

from typing import Any

from evals.report import render_report

HOSTILE = '<script>alert("x")</script>'


def summary(**details: Any) -> dict[str, Any]:
    return {"model": "offline", "cases": 1, "errors": 0, "dataset": "evals/datasets/eval.jsonl",
            "dataset_sha256": "0123456789abcdef", "metrics": {"source_accuracy": 1.0, "overall_mean": 0.5},
            "timings": {"total_s": 1.0}, "details": details}


def record(comment: str, **kw: Any) -> dict[str, Any]:
    return {"id": "c1", "brand": "glowskin", "tags": ["t"], "comment": comment,
            "expected": {"source": "genuine_experience", "severity": 2, "strategy": "educate", "violations": [],
                         "appeal": False, "appeal_reason": None},
            "got": {"source": "genuine_experience", "severity": 2, "strategy": "educate", "violations": [],
                    "appeal": False, "appeal_reason": None},
            "scores": {"overall": 0.5, "failures": kw.get("failures", [])},
            "draft": {"reply": {"text": kw.get("reply", "亲，抱歉")}, "appeal": None}}


def test_a_comment_holding_a_script_tag_is_escaped_in_the_report():
    html = render_report(summary(), [record(f"差评 {HOSTILE} 退钱")])
    assert "<script" not in html
    assert "差评 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 退钱" in html


def test_every_field_from_the_run_is_escaped():
    html = render_report(summary(per_category={"group": {"<b>bold</b>": 0.9}},
                                 confusion={"source": {"<i>e</i>": {"<i>e</i>": 1}}}),
                         [record("ok", reply="<img src=x onerror=alert(1)>", failures=["<u>fail</u>"])])
    for raw in ("<b>bold</b>", "<i>e</i>", "<img", "<u>fail</u>"):
        assert raw not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;u&gt;fail&lt;/u&gt;" in html


def test_the_report_shows_metrics_charts_and_the_worst_cases():
    html = render_report(summary(confusion={"source": {"a": {"a": 2, "b": 1}, "b": {"a": 0, "b": 3}}}),
                         [record("一条评论")])
    assert '<td class="l">source_accuracy</td><td>1.0000</td>' in html
    assert html.count("<svg") == 1 and "<h3>source (rows: expected, columns: got)</h3>" in html
    assert "The 10 worst cases" in html and "<b>Comment</b>: 一条评论" in html
