"""Every phrasing of every script, and every swap of its openers, sign-offs and empathy lines, meets the bar the
script's own text meets: the guardrails pass, the strategy's rubric holds, and a phrasing keeps the script's slots."""

import pytest

from agent.config import Settings
from agent.drafting.check_input import CheckInput
from agent.drafting.guardrails import run_checks
from agent.drafting.offline import fill, slot_values
from agent.drafting.phrasing import word_variations
from agent.knowledge.brands import load_brand
from agent.knowledge.loading import KnowledgeError
from agent.knowledge.script_library import load_script_library
from agent.schemas import Evidence, Source, Strategy
from agent.triage.signals import lexicons_for
from evals.metrics.reply_text import rubric

SETTINGS = Settings()
LIBRARY = load_script_library(SETTINGS.knowledge_dir)
# The checks a reply's own words decide (the rest depend on the comment it answers).
WORDING_CHECKS = {"no_contact_redirect", "no_officialese", "no_blame", "within_policy", "no_concession",
                  "no_injection", "within_length", "no_rumor_concession", "no_label_leak"}


def _filled(brand_id: str, template, phrasing: str) -> str:
    brand = load_brand(SETTINGS.knowledge_dir, brand_id)
    product = brand.products[0] if brand.products else None
    values = slot_values(brand, product, Evidence(), template.issue or "这次的体验不好", template.situation,
                         title=template.title, template_text=phrasing)
    return fill(phrasing, values)


@pytest.mark.parametrize("brand_id", ["glowskin", "threadline"])
def test_every_phrasing_and_word_swap_passes_the_guardrails(brand_id):
    brand = load_brand(SETTINGS.knowledge_dir, brand_id)
    lexicons = lexicons_for(SETTINGS.knowledge_dir)
    failures = []
    for template in LIBRARY.replies:
        if template.categories and not any(c in brand.category for c in template.categories):
            continue
        for phrasing in template.phrasings:
            for text in word_variations(_filled(brand_id, template, phrasing), seed=0):
                checks = run_checks(CheckInput(reply=text, comment="东西不太满意", comment_script="zh-Hans",
                                               source=Source.genuine_experience, pii=[], brand=brand,
                                               lexicons=lexicons))
                failures += [f"{template.id}: {c.name}: {c.detail}: {text}" for c in checks
                             if c.name in WORDING_CHECKS and not c.passed]
    assert not failures, "\n".join(failures[:10])


def test_every_phrasing_meets_the_rubric_its_script_text_meets():
    worse = []
    for template in LIBRARY.replies:
        own = rubric(template.strategy, _filled("glowskin", template, template.text)).score
        for phrasing in template.variants:
            if rubric(template.strategy, _filled("glowskin", template, phrasing)).score < own:
                worse.append(f"{template.id}: {phrasing}")
    assert not worse, "\n".join(worse)


def test_scripts_answered_often_have_several_phrasings():
    few = [t.id for t in LIBRARY.replies if t.strategy != Strategy.neutral_rebuttal and len(t.phrasings) < 3]
    assert not few


def test_a_phrasing_that_drops_a_slot_stops_the_load_naming_the_file(tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "apologize_resolve.yaml").write_text(
        "replies:\n  - id: ar_x\n    strategy: apologize_resolve\n    situation: general\n    title: t\n"
        "    text: 抱歉，按政策{returns}。\n    variants:\n      - 抱歉，私信我们。\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"apologize_resolve.yaml.*variants.0 has the slots \[\]"):
        load_script_library(tmp_path)
