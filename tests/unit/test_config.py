"""One settings object: redreply.toml, overridden by REDREPLY_* variables, overridden by flags."""

import pytest

from agent.cli import main
from agent.config import Settings


def test_toml_then_environment_then_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redreply.toml").write_text('model = "deepseek/deepseek-chat"\nbrand = "threadline"\n'
                                           'reply_max_chars = 200\n', encoding="utf-8")
    s = Settings()
    assert (s.model, s.brand, s.reply_max_chars) == ("deepseek/deepseek-chat", "threadline", 200)
    monkeypatch.setenv("REDREPLY_MODEL", "offline")
    assert Settings().model == "offline" and Settings().brand == "threadline"
    assert Settings().with_overrides(brand="glowskin").brand == "glowskin"


def test_data_dir_moves_every_state_file(tmp_path):
    s = Settings(data_dir=tmp_path / "d")
    assert {p.parent for p in (s.chroma_path, s.queue_path, s.checkpoint_path)} == {tmp_path / "d"}


def test_a_bad_toml_value_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redreply.toml").write_text("reply_max_chars = 5\n", encoding="utf-8")
    assert main(["review", "list"]) == 2
    assert "reply_max_chars" in capsys.readouterr().err


def test_the_api_key_is_secret_in_reprs(monkeypatch):
    monkeypatch.setenv("REDREPLY_API_KEY", "sk-test-SECRET-999")
    s = Settings()
    assert "SECRET-999" not in repr(s) and "SECRET-999" not in str(s.model_dump())
    assert s.api_key is not None and s.api_key.get_secret_value() == "sk-test-SECRET-999"


@pytest.mark.parametrize("flag", ["--data-dir"])
def test_cli_flag_overrides(tmp_path, flag, capsys):
    assert main([flag, str(tmp_path / "x"), "review", "list"]) == 0
    assert (tmp_path / "x" / "queue.sqlite").exists()
