"""Property tests: arbitrary Unicode, huge and empty inputs never crash the text path or the readers."""

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.comments_io import read_comments
from agent.config import Settings
from agent.drafting.check_input import CheckInput
from agent.drafting.guardrails import run_checks
from agent.schemas import Evidence, Source
from agent.text import detect_script, normalize_for_match, to_traditional
from agent.triage.pii import find_pii, redact
from agent.triage.rules import decide
from agent.triage.signals import load_lexicons, scan
from tests.brands import TEST_BRAND

KNOWLEDGE = Settings().knowledge_dir
LEX = load_lexicons(KNOWLEDGE / "lexicons.yaml")
han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
texts = st.one_of(st.text(max_size=400), st.text(alphabet=han, max_size=400),
                  st.text(alphabet=st.sampled_from(list("加v微信QQ138 0013-8000@.com烂脸过敏假货致癌傻逼！😡<>/")), max_size=200))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_text_helpers_never_crash(text):
    assert detect_script(text) in ("zh-Hans", "zh-Hant", "other")
    normalize_for_match(text)
    to_traditional(text)


@FAST
@given(texts)
def test_redact_hides_every_hit(text):
    hits = find_pii(text)
    out = redact(text, hits)
    for h in hits:
        raw = text[h.start:h.end]
        if len(raw) > 4:
            assert raw not in out
    assert all(0 <= h.start < h.end <= len(text) for h in hits)


@FAST
@given(texts, st.booleans(), st.lists(st.text(min_size=1, max_size=5), max_size=4))
def test_triage_always_gives_a_valid_answer(text, order_found, cluster):
    evidence = Evidence(order_found=order_found, duplicate_cluster=cluster)
    folded = normalize_for_match(text)
    t = decide(scan(folded, find_pii(text), evidence, LEX), evidence, folded)
    assert 1 <= t.severity <= 3 and 0 <= t.confidence <= 1
    if order_found:
        assert t.source != Source.competitor_attack


@FAST
@given(texts, texts)
def test_checks_always_return_every_named_result(reply, comment):
    results = run_checks(CheckInput(reply=reply, comment=comment, comment_script=detect_script(comment),
                                    source=Source.genuine_experience, pii=find_pii(comment),
                                    brand=TEST_BRAND))
    assert len({r.name for r in results}) == len(results) >= 11


# Four times the longest comment a user can submit. It takes well under a second on an idle 2-core machine;
# the bound leaves room for a busy one and still fails on quadratic work (a backtracking regex, a per-hit rescan).
HUGE_INPUT_BUDGET_S = 5.0


@pytest.mark.timeout(60)  # a hang fails the test instead of the suite
def test_huge_input_is_handled_quickly():
    text = ("这个精华用了过敏 加v abc12345 " * 2000)[:20000]
    start = time.perf_counter()
    hits = find_pii(text)
    folded = normalize_for_match(text)
    evidence = Evidence()
    t = decide(scan(folded, hits, evidence, LEX), evidence, folded)
    elapsed = time.perf_counter() - start
    assert elapsed < HUGE_INPUT_BUDGET_S, f"{len(text)} characters took {elapsed:.2f} s"
    assert len(hits) >= text.count("abc12345") and 1 <= t.severity <= 3


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600))
def test_readers_survive_broken_files(tmp_path_factory, blob):
    d = tmp_path_factory.mktemp("fuzz")
    for name in ("in.jsonl", "in.csv"):
        p = Path(d) / name
        p.write_bytes(blob)
        try:
            comments, errors = read_comments(p)
        except Exception as e:  # only our clear user errors are allowed out
            assert type(e).__name__ == "UserError", e
            continue
        for c in comments:
            assert c.text.strip()
        json.dumps([e.message for e in errors])
