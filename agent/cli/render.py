"""Human-readable views of a draft for the terminal (the review app has its own)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agent.schemas import DraftResult
from agent.triage.pii import redact


def draft_text(r: DraftResult, comment: str | None = None) -> str:
    t, p = r.triage, r.plan
    lines = []
    if comment is not None:
        lines += [f"comment  {redact(comment)}"]
    lines += [
        f"triage   {t.source.value} · severity {t.severity} · violations: {', '.join(v.value for v in t.violations) or 'none'}"
        f" · confidence {t.confidence:.2f}",
        f"         {t.rationale}",
        f"evidence order {'found' if r.evidence.order_found else 'not found'}"
        + (f" · duplicates: {', '.join(r.evidence.duplicate_cluster)}" if r.evidence.duplicate_cluster else ""),
        f"plan     {p.strategy.value} · appeal: {'yes' if p.appeal else 'no'} · escalation: {p.escalation.value}"
        f" · situation: {p.situation}",
        f"action   {p.action.value} · {p.action_reason}" if p.action_reason else f"action   {p.action.value}",
        "",
        *([f"reply ({r.reply.script})", f"  {r.reply.text}"] if r.reply else ["reply    none"]),
    ]
    if r.appeal:
        a = r.appeal
        lines += ["", f"appeal   reason: {a.reason.value} ({a.reason_label})", f"  {a.explanation}", "  evidence:"]
        lines += [f"   - {e}" for e in a.evidence_checklist]
        lines += ["  next steps:"] + [f"   - {s}" for s in a.next_steps]
    failed = r.failed_checks
    lines += ["", f"checks   {len(r.checks) - len(failed)}/{len(r.checks)} passed"]
    lines += [f"  ✗ {c.name}: {c.detail}" + ("  [blocks approval]" if c.blocks_approval else "") for c in failed]
    rejected = r.rejected_attempt
    if rejected:
        lines += ["", f"rejected {rejected.model}'s draft (failed {', '.join(c.name for c in rejected.failed_checks)}), "
                      "replaced by the offline draft above:", f"  {redact(rejected.reply)}"]
    lines += ["", "sources"] + [f"  [{s.kind}] {s.path} · {s.title}" for s in r.sources]
    model = r.model + (f" (fallback: {r.fallback})" if r.fallback else "")
    if r.steps:
        lines += ["steps    " + " · ".join(f"{s.step}: {s.model}" + (f" ({s.calls} calls, {s.prompt_tokens} tokens)"
                                                                      if s.calls else "") for s in r.steps)]
    lines += ["", f"model    {model} · {r.timings_ms.get('total', 0)} ms · status {r.status}"]
    return "\n".join(lines)


def table(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows, each column left-aligned to its width (0: the last, free column)."""
    def line(cells: Sequence[object]) -> str:
        return " ".join(f"{cell!s:<{width}}" if width else str(cell)
                        for cell, (_, width) in zip(cells, columns, strict=True))

    return "\n".join([line([name for name, _ in columns]), *(line(r) for r in rows)])
