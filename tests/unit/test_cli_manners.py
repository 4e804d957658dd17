"""The CLI's manners: no traceback without a terminal, `draft` leaves the queue alone, a model typo is fast."""

from __future__ import annotations

import io
import time

import pytest

from agent.cli import main
from agent.drafting.model_names import check_model_name
from agent.errors import UserError
from agent.review.store.queue import ReviewQueue


def test_users_add_without_a_terminal_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a tty: getpass would raise EOFError
    assert main(["--data-dir", str(tmp_path), "users", "add", "ada", "--role", "admin"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--password-stdin" in err


def test_users_add_with_password_stdin_still_works(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    assert main(["--data-dir", str(tmp_path), "users", "add", "ada", "--role", "admin", "--password-stdin"]) == 0
    assert "added ada" in capsys.readouterr().out


def test_draft_leaves_the_queue_alone_unless_asked(ingested_settings, monkeypatch, capsys):
    data = str(ingested_settings.data_dir)
    assert main(["--data-dir", data, "draft", "玫瑰精油直接涂脸上，刺痛发红", "--id", "solo-1"]) == 0
    assert "solo-1" not in ReviewQueue(ingested_settings.queue_path).ids_with_status("needs_review")
    assert main(["--data-dir", data, "draft", "玫瑰精油直接涂脸上，刺痛发红", "--id", "queued-1", "--queue"]) == 0
    assert "queued-1" in ReviewQueue(ingested_settings.queue_path).ids_with_status("needs_review")


def test_an_unknown_model_fails_fast_naming_the_nearest_names(tmp_path, capsys):
    start = time.perf_counter()
    assert main(["--data-dir", str(tmp_path), "draft", "太贵了", "--model", "openai/gpt-4o-mimi"]) == 2
    assert time.perf_counter() - start < 3  # before the knowledge store, the graph or litellm load
    assert "openai/gpt-4o-mini" in capsys.readouterr().err
    assert not (tmp_path / "chroma").exists()


@pytest.mark.parametrize("name", ["gpt-4o-mimi", "deepseek/deepseek-chatt", "nosuch/model"])
def test_typos_are_user_errors(name):
    with pytest.raises(UserError, match="unknown model"):
        check_model_name(name)


@pytest.mark.parametrize("name", ["ollama/anything:7b", "openai/gpt-4o-mini", "deepseek/deepseek-chat"])
def test_real_names_pass(name):
    check_model_name(name)
    check_model_name("openai/my-local-model", api_base="http://127.0.0.1:8088/v1")
