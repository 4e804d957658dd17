"""bench/write_docs.py: a bench script's --write-docs replaces its own section of docs/benchmarks.md, nothing else."""

import argparse
import sys

import pytest

from bench import write_docs

PAGE = """# Benchmarks

Prose before.

<!-- bench:drafting:start -->
old figures
<!-- bench:drafting:end -->

Prose between.

<!-- bench:evals:start -->
other figures
<!-- bench:evals:end -->
"""


def test_replace_section_touches_only_its_own_section():
    out = write_docs.replace_section(PAGE, "drafting", "new figures\nsecond line\n")
    assert "<!-- bench:drafting:start -->\nnew figures\nsecond line\n<!-- bench:drafting:end -->" in out
    assert "old figures" not in out
    assert "other figures" in out and "Prose before." in out and "Prose between." in out
    assert write_docs.replace_section(out, "drafting", "old figures") == PAGE


def test_replace_section_is_idempotent():
    once = write_docs.replace_section(PAGE, "evals", "x")
    assert write_docs.replace_section(once, "evals", "x") == once


@pytest.mark.parametrize("page", [
    PAGE.replace("<!-- bench:drafting:end -->", ""),                      # no end
    PAGE.replace("<!-- bench:drafting:start -->", ""),                    # no start
    PAGE + "<!-- bench:drafting:start -->\n<!-- bench:drafting:end -->\n",  # twice
    "<!-- bench:drafting:end -->\n<!-- bench:drafting:start -->\n",         # reversed
])
def test_a_missing_or_broken_section_is_an_error(page):
    with pytest.raises(ValueError, match="bench:drafting"):
        write_docs.replace_section(page, "drafting", "x")


def test_machine_names_cores_cpu_memory_and_python():
    line = write_docs.machine()
    assert "cores" in line and "Python " in line
    assert write_docs._cpu_model("processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n") == "Example CPU @ 2.0GHz"
    assert write_docs._memory_gib("MemTotal:        8388608 kB\n") == 8.0


def test_command_drops_the_flag():
    assert write_docs.command("/x/bench/drafting.py", ["--n", "50", "--write-docs"]) == \
        "python bench/drafting.py --n 50"


def test_publish_writes_what_the_block_printed(tmp_path, monkeypatch, capsys):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["bench/drafting.py", "--n", "5", "--write-docs"])
    with write_docs.publish("drafting", True, doc=doc):
        print("drafts/s  42.0")
    text = doc.read_text(encoding="utf-8")
    assert "Command: `python bench/drafting.py --n 5`" in text
    assert "Machine: " in text and "cores" in text
    assert "```text\ndrafts/s  42.0\n```" in text
    assert "other figures" in text and "old figures" not in text
    assert "drafts/s  42.0" in capsys.readouterr().out  # still printed


def test_publish_without_the_flag_or_after_a_failure_writes_nothing(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(PAGE, encoding="utf-8")
    with write_docs.publish("drafting", False, doc=doc):
        print("figures")
    with pytest.raises(RuntimeError), write_docs.publish("drafting", True, doc=doc):
        print("half")
        raise RuntimeError("the bench failed")
    assert doc.read_text(encoding="utf-8") == PAGE
    assert sys.stdout is not None and not isinstance(sys.stdout, write_docs._Tee)


def test_the_flag():
    parser = argparse.ArgumentParser()
    write_docs.add_flag(parser)
    assert parser.parse_args(["--write-docs"]).write_docs is True
    assert parser.parse_args([]).write_docs is False


def test_every_bench_section_is_on_the_page():
    text = write_docs.DOC.read_text(encoding="utf-8")
    for script in sorted(p.stem for p in write_docs.ROOT.joinpath("bench").glob("*.py")):
        if script in ("__init__", "write_docs"):
            continue
        start, end = write_docs.markers(script)
        assert text.count(start) == 1 and text.count(end) == 1, script
        assert "--write-docs" in write_docs.ROOT.joinpath("bench", f"{script}.py").read_text(encoding="utf-8") or \
            "add_flag" in write_docs.ROOT.joinpath("bench", f"{script}.py").read_text(encoding="utf-8"), script
