"""The model seam: structured output, repair, the Router's retries and fallbacks, provenance of tokens,
the preflight, the breaker — the litellm client tested against a scripted server on loopback."""

import time

import pytest

from agent.config import Settings
from agent.drafting.llm import (
    LiteLLMClient,
    TransientModelError,
    Usage,
    call_model,
    structured_call,
    validate_model_name,
)
from agent.drafting.preflight import preflight
from agent.drafting.prompts import PromptError, render
from agent.drafting.schema import DraftOut, TriageOut, inline_refs
from agent.errors import ModelError, UserError
from tests.fake_openai import FakeOpenAI
from tests.fakes import FakeModel
from tests.servers import free_port

VARS = {"brand": "B", "strategy": "educate", "situation": "s", "order_status": "x", "facts": "f",
        "allowed_promises": "p", "script": "简体中文", "max_chars": 300, "example_reply": "e", "appeal_task": "无",
        "instruction": "(none)", "failed_checks": "(none)", "thread": "(none)", "memory_examples": "(none)", "recent_replies": "(none)", "comment": "评论"}
OK = '{"reply": "ok", "appeal_explanation": ""}'


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, model_retries=2, retry_backoff_s=0.01)


def local(settings: Settings, server: FakeOpenAI, **kw) -> Settings:
    return settings.with_overrides(model="openai/local", api_base=server.base, api_key="sk-test", **kw)


def test_valid_answer_is_parsed(settings):
    assert structured_call(FakeModel([OK]), settings, "draft", VARS, DraftOut).reply == "ok"


def test_answer_in_code_fence_with_chatter_is_parsed(settings):
    fake = FakeModel(['好的：\n```json\n{"reply": "ok"}\n```'])
    assert structured_call(fake, settings, "draft", VARS, DraftOut).reply == "ok"


def test_malformed_json_gets_one_repair_turn(settings):
    fake = FakeModel(['{"reply": "ok"', OK])
    usage = Usage()
    assert structured_call(fake, settings, "draft", VARS, DraftOut, usage).reply == "ok"
    assert "JSON Schema" in fake.calls[1][-1]["content"] and usage.calls == 2


def test_two_bad_answers_raise_with_the_last_answer(settings):
    fake = FakeModel(["not json", "still not json"])
    with pytest.raises(ModelError, match="still not json"):
        structured_call(fake, settings, "draft", VARS, DraftOut)


def test_empty_answer_is_repaired(settings):
    assert structured_call(FakeModel(["", OK]), settings, "draft", VARS, DraftOut).reply == "ok"


def test_unexpected_client_exception_becomes_model_error(settings):
    with pytest.raises(ModelError, match="RuntimeError"):
        call_model(FakeModel([RuntimeError("boom")]), settings, [{"role": "user", "content": "x"}], None)


def test_prompt_with_missing_variable_fails_early(settings):
    with pytest.raises(PromptError, match="comment"):
        render(settings.prompts_dir, "draft", {k: v for k, v in VARS.items() if k != "comment"})


def test_the_schema_sent_is_closed_and_has_its_enums_inline():
    schema = inline_refs(TriageOut.model_json_schema())
    assert "$defs" not in str(schema) and schema["additionalProperties"] is False
    assert "competitor_attack" in schema["properties"]["source"]["enum"]
    assert set(schema["required"]) == {"source", "severity", "violations", "confidence", "rationale"}


def test_the_provider_is_sent_the_json_schema_and_its_token_counts_come_back(settings):
    with FakeOpenAI([(200, {}, OK)]) as server:
        usage = Usage()
        out = structured_call(LiteLLMClient(local(settings, server)), settings, "draft", VARS, DraftOut, usage)
    assert out.reply == "ok"
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["required"] == ["reply", "appeal_explanation"]
    assert (usage.prompt_tokens, usage.completion_tokens) == (11, 7)  # the server's own count


def test_a_provider_without_schemas_gets_json_object_and_the_repair_turn(settings):
    rejected = (400, {}, {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error"}})
    with FakeOpenAI([rejected, (200, {}, OK)]) as server:
        out = LiteLLMClient(local(settings, server, model_retries=0)).complete(
            [{"role": "user", "content": "x"}], json_schema=DraftOut.model_json_schema())
    assert "ok" in out and server.requests[-1]["response_format"] == {"type": "json_object"}


def test_rate_limits_are_retried_honouring_retry_after(settings):
    limited = (429, {"retry-after": "1"}, {"error": {"message": "slow down", "type": "rate_limit"}})
    with FakeOpenAI([limited, (200, {}, OK)]) as server:
        start = time.monotonic()
        out = LiteLLMClient(local(settings, server)).complete([{"role": "user", "content": "x"}])
    assert "ok" in out and len(server.requests) == 2 and time.monotonic() - start >= 0.9


def test_retries_are_bounded_then_a_transient_error(settings):
    down = (503, {}, {"error": {"message": "down"}})
    with FakeOpenAI(default=down) as server:
        with pytest.raises(TransientModelError):
            LiteLLMClient(local(settings, server, model_retries=1)).complete([{"role": "user", "content": "x"}])
    assert len(server.requests) == 2  # the first attempt and one retry


def test_a_second_provider_answers_when_the_first_is_down(settings, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-backup")
    down = (503, {}, {"error": {"message": "down"}})
    with FakeOpenAI(default=down) as primary, FakeOpenAI([(200, {}, OK)]) as backup:
        s = local(settings, primary, model_retries=0, fallback_models=[f"openai/local@{backup.base}"])
        out = LiteLLMClient(s).complete([{"role": "user", "content": "x"}])
    assert "ok" in out and primary.requests and backup.requests


def test_errors_never_carry_the_key(settings):
    with FakeOpenAI(default=(500, {}, {"error": {"message": "boom"}})) as server:
        s = local(settings, server, model_retries=0).with_overrides(api_key="sk-test-DO-NOT-LEAK")
        with pytest.raises(ModelError) as e:
            call_model(LiteLLMClient(s), s, [{"role": "user", "content": "x"}], None)
    assert "DO-NOT-LEAK" not in str(e.value)


def test_preflight_tells_a_dead_port_a_bad_key_and_an_unknown_model_apart(settings):
    dead = settings.with_overrides(model="openai/local", api_base=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(UserError, match="cannot reach the model server"):
        preflight(dead)
    with FakeOpenAI(key="sk-right", models=["local"]) as server:
        with pytest.raises(UserError, match="refused the key"):
            preflight(settings.with_overrides(model="openai/local", api_base=server.base, api_key="sk-wrong"))
        with pytest.raises(UserError, match="does not serve 'qwen-7b'; it serves: local"):
            preflight(settings.with_overrides(model="openai/qwen-7b", api_base=server.base, api_key="sk-right"))
        preflight(settings.with_overrides(model="openai/local", api_base=server.base, api_key="sk-right"))


def test_preflight_names_a_missing_provider_key(settings, monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    with pytest.raises(UserError, match="DEEPSEEK_API_KEY"):
        preflight(settings.with_overrides(model="deepseek/deepseek-chat"))


def test_timeout_is_minutes_for_a_local_server_and_seconds_for_a_hosted_one(settings):
    assert settings.with_overrides(api_base="http://127.0.0.1:8088/v1").timeout_for("openai/local") == 600
    assert settings.timeout_for("ollama/qwen2.5:7b") == 600
    assert settings.timeout_for("openai/gpt-4o-mini") == 60
    assert settings.with_overrides(model_timeout_s=5).timeout_for("openai/local") == 5


@pytest.mark.parametrize("name", ["openai/gpt-4o-mini", "deepseek/deepseek-chat", "ollama/qwen2.5:7b", "offline"])
def test_known_model_names_pass(name):
    validate_model_name(name)


@pytest.mark.parametrize("name", ["nosuch/model", "blah"])
def test_unknown_model_name_is_a_user_error(name):
    with pytest.raises(UserError, match="unknown model"):
        validate_model_name(name)


def test_the_breaker_pauses_a_failing_provider_then_tries_again(settings):
    s = settings.with_overrides(breaker_failures=2, breaker_cooldown_s=0.2)
    fake = FakeModel([TransientModelError("503"), TransientModelError("503"), OK])
    msgs = [{"role": "user", "content": "x"}]
    for _ in range(2):
        with pytest.raises(TransientModelError):
            call_model(fake, s, msgs, None)
    with pytest.raises(ModelError, match="provider failing"):
        call_model(fake, s, msgs, None)
    assert len(fake.calls) == 2  # the paused call never reached the provider
    time.sleep(0.25)
    assert call_model(fake, s, msgs, None) == OK


