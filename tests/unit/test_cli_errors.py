"""Bad input through the CLI: a clear message and the right exit code, never a traceback."""

import json

import pytest

from agent.cli import main


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize("args, message", [
    (["draft", "   "], "the comment is empty"),
    (["draft", "x" * 20000], "20000 characters; the limit is 5000"),
    (["draft", "太慢", "--brand", "nosuch"], "unknown brand 'nosuch'; known brands: glowskin"),
    (["draft", "太慢", "--model", "nosuch/model"], "unknown model 'nosuch/model'"),
    (["review", "show", "nope"], "no item 'nope'"),
])
def test_bad_input_is_a_clear_error(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_batch_with_no_valid_line(tmp_path, capsys):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "a"}) + "\n", encoding="utf-8")
    assert main(["batch", str(p), "--out", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "not a comment export RedReply recognises (fields seen: id)" in err  # one line, exit 2


def test_batch_whose_every_line_is_broken(tmp_path, capsys):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "太慢"})[:-3] + "\n" + json.dumps({"id": "b"}) + "\n",
                 encoding="utf-8")
    assert main(["batch", str(p), "--out", str(tmp_path / "o.jsonl"), "--format", "redreply"]) == 2
    err = capsys.readouterr().err
    assert "in.jsonl:1: skipped: invalid JSON" in err and "in.jsonl:2: skipped: missing field 'text'" in err
    assert "no valid comments to draft" in err


def test_bad_setting_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_REPLY_MAX_CHARS", "lots")
    assert main(["review", "list"]) == 2
    assert "bad setting" in capsys.readouterr().err


def test_a_time_zone_no_zone_has_is_refused_in_one_line(monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_TEAM_TZ", "Mars/Olympus")
    assert main(["review", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "REDREPLY_TEAM_TZ" in err and "'Mars/Olympus'" in err
    assert "Traceback" not in err and "validation error" not in err


def test_the_command_map_names_every_command_its_module_registers():
    """`redreply draft` imports only the module the map names: a stale map would hide a command."""
    import argparse
    import importlib

    from agent.cli import COMMANDS

    for module, names in COMMANDS.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"agent.cli.{module}").register(sub)
        assert tuple(sub.choices) == names, module


def test_a_reader_that_closes_the_pipe_gets_no_traceback() -> None:
    """`redreply brands | head -0`: the command stops quietly with the shell's SIGPIPE status."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line is written
    proc = subprocess.run([sys.executable, "-m", "agent.cli", "brands"], stdout=write_end,
                          stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write_end)
    assert proc.returncode == 141
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
