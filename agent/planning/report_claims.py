"""The plan's word on reports, held to the reply: a reply says a comment went to the platform only where its
appeal is drafted."""

from __future__ import annotations

from agent.knowledge.wording import sections
from agent.schemas import CheckResult, checked, found
from agent.text import normalize_for_match


def report_claim_check(reply: str, appeal_drafted: bool) -> CheckResult:
    """A reply says a report was made only where its appeal is drafted (hard: a model's draft claiming one goes)."""
    claim = sections().report_claims.search(normalize_for_match(reply))
    ok = appeal_drafted or claim is None
    return checked("report_claim_matches_plan",
                   [] if ok else [found("says “{claim}” but no appeal is drafted", claim=claim.group(0) if claim else "")],
                   hard=True)
