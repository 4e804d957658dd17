"""`redreply eval`: run the labelled evals, gate them on floors, compare runs, evaluate retrieval."""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.config import PROJECT_ROOT, Settings
from agent.errors import UserError

DEFAULT_DATASET = PROJECT_ROOT / "evals" / "datasets" / "cases.jsonl"
RETRIEVAL_DATASET = PROJECT_ROOT / "evals" / "datasets" / "retrieval.jsonl"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("eval", help="Run the labelled evals (and compare runs, evaluate retrieval)",
                              description="Draft every case of a labelled dataset, score it and write "
                                          "summary.json, cases.jsonl and report.html.")
    p.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="JSONL of labelled cases")
    p.add_argument("--model", help="The drafting model (default: the configured one, 'offline')")
    p.add_argument("--judge", metavar="MODEL", help="A litellm model that grades the replies (optional)")
    p.add_argument("--out", type=Path, help="Run directory (default .redreply/evals/<time>-<model>)")
    p.add_argument("--concurrency", type=int, default=4, help="Cases drafted in parallel (default 4)")
    _add_min_options(p)
    p.add_argument("--no-progress", action="store_true", help="No progress bar on stderr")
    p.add_argument("--set-floors", type=Path, metavar="FILE.toml",
                   help="After the run, write its values minus --margin as the floors for CI")
    p.add_argument("--margin", type=float, default=0.03, help="How far under this run the floors sit (0.03)")
    p.set_defaults(func=cmd_eval)

    sub = p.add_subparsers(dest="eval_command", metavar="SUBCOMMAND")
    c = sub.add_parser("compare", help="Metric deltas and per-case changes between two runs")
    c.add_argument("run_a", type=Path, help="The older run directory")
    c.add_argument("run_b", type=Path, help="The newer run directory")
    c.add_argument("--limit", type=int, default=20, help="Cases listed per direction (default 20)")
    c.set_defaults(func=cmd_compare)

    _register_real(sub)
    _register_sections(sub)

    r = sub.add_parser("retrieval", help="Hit rate of the knowledge store on its labelled queries")
    r.add_argument("--dataset", type=Path, default=RETRIEVAL_DATASET, help="JSONL of labelled queries")
    _add_min_options(r)
    r.set_defaults(func=cmd_retrieval)

    # `eval ladder`: the case ladder's eval; `eval rate`: blind rating sheets; `eval cv`: the situation's CV
    from evals import ladder, rate, situation_cv
    for module in (ladder, rate, situation_cv):
        module.register(sub)
    appeals_p = sub.add_parser("appeals", help="Report reasons, unsupported statements and wrong-party reports "
                                               "on labelled comments")
    appeals_p.add_argument("--split", choices=["tuned", "holdout"], default="tuned")
    appeals_p.add_argument("--sheet", type=Path, help="Write the appeals as a rating sheet (JSONL, a grade per row)")
    _add_min_options(appeals_p)
    appeals_p.set_defaults(func=cmd_appeals)


def _register_real(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`redreply eval real`: the product on real public comments."""
    real = sub.add_parser("real", help="The product on real public comments (a folder of labelled real reviews): rebuttals, "
                                      "praise, abuse, situations")
    real.add_argument("--data", type=Path, help="Folder with real_reviews_dev.jsonl and cold_dev.jsonl "
                                                "(default ../shared/data)")
    real.add_argument("--brand", default="glowskin")
    real.add_argument("--misses", type=int, default=10, help="Situation misses listed (default 10)")
    _add_min_options(real)
    real.add_argument("--set-floors", type=Path, metavar="FILE.toml", help="Write this run minus --margin as floors")
    real.add_argument("--margin", type=float, default=0.02)
    real.set_defaults(func=cmd_real)


def _add_min_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min", action="append", default=[], metavar="KEY=VALUE",
                   help="Fail (exit 1) when a metric is below VALUE; repeatable")
    p.add_argument("--min-from", type=Path, metavar="FILE.toml", help="Floors from the [min] table of a TOML file")


# ---------------------------------------------------------------- floors

def parse_floors(items: list[str], path: Path | None, known: set[str] | None) -> dict[str, float]:
    """Floors from --min-from (its [min] table) then --min (which wins); unknown keys are errors."""
    floors: dict[str, float] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise UserError(f"threshold file not found: {path}") from e
        except tomllib.TOMLDecodeError as e:
            raise UserError(f"{path}: not valid TOML ({e})") from e
        table = data.get("min", data)
        for key, value in table.items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise UserError(f"{path}: threshold '{key}' must be a number, not {value!r}")
            floors[key] = float(value)
    for item in items:
        key, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            floors[key.strip()] = float(value)
        except ValueError as e:
            raise UserError(f"--min {item!r}: expected KEY=VALUE with a number, e.g. source_accuracy=0.8") from e
    if known is not None:
        unknown = sorted(set(floors) - known)
        if unknown:
            raise UserError(f"unknown threshold key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return floors


def missed_floors(metrics: dict[str, Any], floors: dict[str, float]) -> list[str]:
    return [f"{k} {float(metrics[k]):.4f} < {v:.4f}" for k, v in floors.items()
            if k in metrics and float(metrics[k]) < v - 1e-12]


def print_table(metrics: dict[str, Any], floors: dict[str, float]) -> None:
    print(f"{'metric':<34}{'value':>9}{'floor':>9}  status")
    for key, value in metrics.items():
        floor = floors.get(key)
        status = "" if floor is None else ("ok" if float(value) >= floor - 1e-12 else "MISSED")
        print(f"{key:<34}{float(value):>9.4f}{'' if floor is None else f'{floor:.4f}':>9}  {status}")


def _gate(metrics: dict[str, Any], floors: dict[str, float]) -> int:
    missed = missed_floors(metrics, floors)
    for m in missed:
        print(f"threshold missed: {m}", file=sys.stderr)
    return 1 if missed else 0


# ---------------------------------------------------------------- commands

def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.metrics.scoring import METRIC_KEYS
    from evals.runner import run_eval

    floors = parse_floors(args.min, args.min_from, set(METRIC_KEYS))
    if args.concurrency < 1:
        raise UserError("--concurrency must be at least 1")
    judge = _judge_client(settings, args.judge) if args.judge else None
    out = args.out or settings.data_dir / "evals" / (
        f"{datetime.now():%Y%m%d-%H%M%S}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', settings.model)}")
    summary = run_eval(settings, args.dataset, out, judge=judge, concurrency=args.concurrency,
                       progress=not args.no_progress)
    print(f"model {summary.model} · {summary.cases} cases · {summary.errors} errors · "
          f"{summary.timings.get('total_s', 0):.1f}s")
    print_table(summary.metrics, floors)
    mistakes = summary.details.get("mistakes", {})
    if mistakes:
        print("mistakes (lower is better): " + " · ".join(f"{k} {v}" for k, v in mistakes.items()))
    if summary.judge:
        print("judge: " + ", ".join(f"{k}={v}" for k, v in summary.judge.items()))
    print(f"report: {out / 'report.html'}")
    if args.set_floors:
        write_floors(args.set_floors, summary.metrics, args.margin,
                     f"{summary.cases} cases of {args.dataset.name}, model {summary.model}, run {out}",
                     dataset=args.dataset)
        print(f"floors written to {args.set_floors} (this run minus {args.margin})")
    return _gate(summary.metrics, floors)


def write_floors(path: Path, metrics: dict[str, Any], margin: float, provenance: str,
                 dataset: Path | None = None, command: str = "eval") -> None:
    """Floors a little under a real run, so a regression fails CI and nobody types a score by hand."""
    import math

    which = "" if dataset is None or dataset.resolve() == DEFAULT_DATASET.resolve() else f" --dataset {_shown(dataset)}"
    lines = [
        f"# CI floors for `redreply {command}{which} --min-from {_shown(path)}` (make eval-gate).",
        f"# Written by `redreply {command} --set-floors` on {datetime.now():%Y-%m-%d %H:%M}: {provenance};",
        f"# each floor is that run's value minus {margin}, rounded down. Re-run it when a change moves a metric",
        "# for a good reason; never edit the numbers by hand.",
        "[min]",
    ]
    lines += [f"{k} = {max(0.0, math.floor((float(v) - margin) * 100) / 100):.2f}" for k, v in metrics.items()]
    if ceilings := parse_ceilings(path):  # targets set by hand, kept as they are
        lines += ["", "# Ceilings: targets, not a run minus a margin; a figure above one fails the gate.", "[max]",
                  *(f"{k} = {v:g}" for k, v in ceilings.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _judge_client(settings: Settings, model: str) -> Any:
    from agent.drafting.llm import make_client

    client = make_client(settings.with_overrides(model=model))
    if client is None:
        raise UserError("--judge needs a real model (a litellm name such as openai/gpt-4o-mini), not 'offline'")
    return client


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    from evals.compare import compare, format_comparison

    print(format_comparison(compare(args.run_a, args.run_b), limit=args.limit))
    return 0


def cmd_appeals(args: argparse.Namespace, settings: Settings) -> int:
    from evals.appeals import TARGETS, report
    floors = parse_floors(args.min, args.min_from, set(TARGETS))
    return report(args.split, floors, args.sheet, settings)


def cmd_retrieval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.retrieval import evaluate_retrieval

    if not args.dataset.is_file():
        raise UserError(f"dataset not found: {args.dataset}")
    report = evaluate_retrieval(settings, args.dataset)
    metrics = report.metrics
    floors = parse_floors(args.min, args.min_from, set(metrics))
    print_table(metrics, floors)
    for c in report.misses:  # what to look at when the number drops
        print(f"not in the top 3: {c.id} [{c.brand}] {c.where}: {c.query[:40]} (expected {', '.join(c.expected)})")
    return _gate(metrics, floors)


def cmd_real(args: argparse.Namespace, settings: Settings) -> int:
    from evals.real import DEFAULT_DATA, evaluate_real, holdout_metrics

    report = evaluate_real(settings, args.data or DEFAULT_DATA, args.brand)
    # A holdout whose rows are absent is skipped and said so; its floor is known, and not checked.
    floors = parse_floors(args.min, args.min_from, set(report.metrics) | holdout_metrics())
    for line in report.skipped:
        print(f"SKIPPED {line}", file=sys.stderr)
    print(f"model {settings.model} · " + " · ".join(f"{k} {v}" for k, v in report.counts.items()))
    print_table(report.metrics, floors)
    print("mistakes (lower is better): " + " · ".join(f"{k} {v}" for k, v in report.mistakes.items()))
    for name, share in report.agreement.items():
        print(f"two blind labellers agree on {share:.0%} of the {name.removesuffix('_accuracy')} set: "
              f"{name} is read against that ceiling")
    for miss in report.misses[:args.misses]:
        print(f"situation miss: {miss}")
    if args.set_floors:
        write_floors(args.set_floors, report.metrics, args.margin, f"model {settings.model}", command="eval real")
        print(f"floors written to {args.set_floors} (this run minus {args.margin})")
    return _gate(report.metrics, floors)


def _register_sections(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sec = sub.add_parser("sections", help="Whole comment sections: every comment's action against two blind "
                                          "labellers (dev and holdout)")
    sec.add_argument("--misses", type=int, default=0, help="Misses of the dev set listed (default 0)")
    _add_min_options(sec)
    sec.add_argument("--set-floors", type=Path, metavar="FILE.toml", help="Write this run minus --margin as floors")
    sec.add_argument("--margin", type=float, default=0.03)
    sec.add_argument("--no-drafts", dest="drafts", action="store_false",
                     help="Actions only: skip drafting the sections for the sameness figures")
    sec.set_defaults(func=cmd_sections)


# The targets hold on the sets nobody tuned on: the holdout, and the fresh sets written and labelled after it.
SECTION_TARGETS = {f"{s}_{k}": v for s in ("holdout", "fresh", "fresh2", "fresh3", "fresh4") for k, v in
                   {"action_accuracy": 0.90, "unwelcome_not_apologised_or_thanked": 1.0, "spam_reported": 0.95}.items()}


def cmd_sections(args: argparse.Namespace, settings: Settings) -> int:
    from evals.sections import evaluate_sections
    from evals.sections_sameness import sameness_gate

    reports = evaluate_sections(settings)
    metrics = {f"{r.name}_{k}": v for r in reports for k, v in r.metrics.items()}
    floors = parse_floors(args.min, args.min_from, set(metrics))
    print(" · ".join(f"{r.name} {r.comments} comments" for r in reports))
    print_table(metrics, floors)
    missed = sameness_gate(settings, parse_ceilings(args.min_from)) if args.drafts else []
    for key, target in SECTION_TARGETS.items():
        print(f"target {key} ≥ {target:.2f}: {'met' if metrics[key] >= target else 'NOT met'} ({metrics[key]:.4f})")
    for r in reports:
        print(f"two blind labellers agree on {r.metrics['labellers_agree']:.0%} of the {r.name} actions: the ceiling")
        print(f"{r.name}: action accuracy each hand rule adds (with it − without it): "
              + " · ".join(f"{k} {v:+.3f}" for k, v in r.rule_effects.items()))
    for miss in next((r.misses for r in reports if r.name == "dev"), [])[:args.misses]:
        print(f"dev miss: {miss}")
    if args.set_floors:
        write_floors(args.set_floors, metrics, args.margin, f"model {settings.model}", command="eval sections")
        print(f"floors written to {args.set_floors} (this run minus {args.margin})")
    for m in missed:
        print(f"threshold missed: {m}", file=sys.stderr)
    return _gate(metrics, floors) or (1 if missed else 0)


def parse_ceilings(path: Path | None) -> dict[str, float]:
    """The [max] table of a threshold file: figures that must not rise above these (targets, set by hand)."""
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("max", {}) if path and path.is_file() else {}
    if bad := [k for k, v in table.items() if not isinstance(v, int | float) or isinstance(v, bool)]:
        raise UserError(f"{path}: ceiling '{bad[0]}' must be a number")
    return {k: float(v) for k, v in table.items()}


def _shown(path: Path) -> str:
    """A path as the README and Makefile spell it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
