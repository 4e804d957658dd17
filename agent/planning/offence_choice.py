"""Violence, sexual violence or hate in a comment that names nothing of the brand's ("…屠杀…", "…吃人肉…", "小日本
都该死"): nobody's praise to thank, nobody's complaint to apologise to. It is left (a lexicon insult in it is
reported before this is asked, agent/planning/action.py; its reason is `violent` in
agent/planning/action_input.py). The words are knowledge/wording/sections.yaml
(`violence`); the draft's hard check is agent/drafting/thanks_guard.py."""

from __future__ import annotations

from agent.knowledge.brands import Brand
from agent.knowledge.wording import sections
from agent.text import normalize_for_match
from agent.triage.section_evidence import names_offer


def violent_unrelated(text: str, brand: Brand) -> bool:
    folded = normalize_for_match(text)
    return bool(sections().violence.search(folded)) and not names_offer(folded, brand)
