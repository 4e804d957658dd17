"""The model seam: structured output, repair, retries, and the litellm adapter itself (mock responses)."""

import pytest
from pydantic import BaseModel

from agent.config import Settings
from agent.drafting.llm import (
    LiteLLMClient,
    TransientModelError,
    call_with_retries,
    structured_call,
    validate_model_name,
)
from agent.drafting.prompts import PromptError, render
from agent.errors import ModelError, UserError
from tests.fakes import FakeModel


class Out(BaseModel):
    text: str


VARS = {"brand": "B", "strategy": "educate", "situation": "s", "triage": "{}", "evidence": "{}", "order_status": "x",
        "facts": "f", "allowed_promises": "p", "service_hours": "h", "script_example": "e", "script": "简体中文",
        "max_chars": 300, "instruction": "(none)", "failed_checks": "(none)", "comment": "评论"}


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, model_retries=2, retry_backoff_s=0.5)


def test_valid_answer_is_parsed(settings):
    fake = FakeModel(['{"text": "好的"}'])
    assert structured_call(fake, settings, "draft_reply", VARS, Out).text == "好的"
    assert "<comment>\n评论\n</comment>" in fake.calls[0][1]["content"]


def test_answer_in_code_fence_with_chatter_is_parsed(settings):
    fake = FakeModel(['Sure!\n```json\n{"text": "好的"}\n```'])
    assert structured_call(fake, settings, "draft_reply", VARS, Out).text == "好的"


def test_malformed_json_gets_one_repair_turn(settings):
    fake = FakeModel(['{"text": "好的"', '{"text": "修好了"}'])
    assert structured_call(fake, settings, "draft_reply", VARS, Out).text == "修好了"
    repair = fake.calls[1][-1]["content"]
    assert "不符合要求" in repair and "JSON" in repair


def test_two_bad_answers_raise_with_the_last_answer(settings):
    fake = FakeModel(['nope', '{"wrong": 1}'])
    with pytest.raises(ModelError) as e:
        structured_call(fake, settings, "draft_reply", VARS, Out)
    assert "after 2 attempts" in str(e.value) and "wrong" in str(e.value)


def test_empty_answer_is_repaired(settings):
    fake = FakeModel(["", '{"text": "ok"}'])
    assert structured_call(fake, settings, "draft_reply", VARS, Out).text == "ok"


def test_transient_errors_are_retried_with_backoff_and_retry_after(settings):
    sleeps: list[float] = []
    fake = FakeModel([TransientModelError("429", retry_after=3), TransientModelError("500"), '{"text": "ok"}'])
    out = structured_call(fake, settings, "draft_reply", VARS, Out, sleep=sleeps.append)
    assert out.text == "ok" and sleeps == [3, 1.0]  # Retry-After honoured, then 0.5 * 2**1


def test_retries_are_bounded(settings):
    sleeps: list[float] = []
    fake = FakeModel(default=TransientModelError("timeout"))
    with pytest.raises(ModelError, match="gave up after 3 attempts"):
        call_with_retries(fake, settings, [{"role": "user", "content": "x"}], None, sleep=sleeps.append)
    assert len(fake.calls) == 3 and len(sleeps) == 2


def test_unexpected_client_exception_becomes_model_error(settings):
    fake = FakeModel([RuntimeError("boom")])
    with pytest.raises(ModelError, match="RuntimeError"):
        call_with_retries(fake, settings, [{"role": "user", "content": "x"}], None, sleep=lambda s: None)


def test_prompt_with_missing_variable_fails_early(settings):
    with pytest.raises(PromptError, match="comment"):
        render(settings.prompts_dir, "draft_reply", {k: v for k, v in VARS.items() if k != "comment"})


def test_litellm_adapter_returns_the_content(settings):
    client = LiteLLMClient(settings.with_overrides(model="openai/gpt-4o-mini"), mock_response='{"text": "来自 mock"}')
    out = structured_call(client, settings, "draft_reply", VARS, Out)
    assert out.text == "来自 mock"


def test_litellm_adapter_maps_rate_limit_to_transient(settings):
    client = LiteLLMClient(settings.with_overrides(model="openai/gpt-4o-mini"), mock_response="litellm.RateLimitError")
    with pytest.raises(TransientModelError):
        client.complete([{"role": "user", "content": "x"}])


def test_litellm_adapter_error_never_carries_the_key(settings):
    s = settings.with_overrides(model="openai/gpt-4o-mini", api_key="sk-test-DO-NOT-LEAK")
    client = LiteLLMClient(s, mock_response="litellm.RateLimitError")
    with pytest.raises(ModelError) as e:
        call_with_retries(client, s, [{"role": "user", "content": "x"}], None, sleep=lambda _: None)
    assert "DO-NOT-LEAK" not in str(e.value)


@pytest.mark.parametrize("name", ["openai/gpt-4o-mini", "deepseek/deepseek-chat", "ollama/qwen2.5:7b", "offline"])
def test_known_model_names_pass(name):
    validate_model_name(name)


@pytest.mark.parametrize("name", ["nosuch/model", "blah"])
def test_unknown_model_name_is_a_user_error(name):
    with pytest.raises(UserError, match="unknown model"):
        validate_model_name(name)


def test_the_breaker_pauses_a_failing_provider_then_tries_again(settings):
    s = settings.with_overrides(breaker_failures=2, breaker_cooldown_s=0.2, model_retries=0)
    fake = FakeModel([TransientModelError("503"), TransientModelError("503"), '{"text": "back"}'])
    msgs = [{"role": "user", "content": "x"}]
    for _ in range(2):
        with pytest.raises(ModelError, match="gave up"):
            call_with_retries(fake, s, msgs, None, sleep=lambda _: None)
    with pytest.raises(ModelError, match="provider failing"):
        call_with_retries(fake, s, msgs, None, sleep=lambda _: None)
    assert len(fake.calls) == 2  # the paused call never reached the provider
    import time

    time.sleep(0.25)
    assert call_with_retries(fake, s, msgs, None, sleep=lambda _: None) == '{"text": "back"}'
