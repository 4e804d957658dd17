"""Times a full offline eval of the labelled dataset and prints the seconds (target: at most 60 s).

    .venv/bin/python bench/evals.py [--concurrency N] [--dataset PATH]

Uses the configured data dir (the ingested store is reused; the first run also ingests) and writes
the run into a temporary directory. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# This file shares its name with the `evals` package: run as a script, its own folder comes first on
# sys.path and would shadow the package, so it is taken off before the package is imported.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from bench.write_docs import add_flag, publish  # noqa: E402

TARGET_S = 60.0


def main() -> None:
    from agent.config import Settings, configure_offline_libraries
    from evals.runner import DEFAULT_DATASET, run_eval

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--concurrency", type=int, default=4)
    add_flag(parser)
    args = parser.parse_args()
    with publish("evals", args.write_docs):
        configure_offline_libraries()
        settings = Settings().with_overrides(model="offline")
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            summary = run_eval(settings, args.dataset, Path(out), concurrency=args.concurrency, progress=False)
            seconds = time.perf_counter() - start
        t = summary.timings
        print(f"offline eval: {summary.cases} cases, concurrency {args.concurrency}")
        print(f"  total      {seconds:7.2f} s   (target ≤ {TARGET_S:.0f} s: {'ok' if seconds <= TARGET_S else 'SLOW'})")
        print(f"  set-up     {t['setup_s']:7.2f} s   (Drafter: store, graph)")
        print(f"  drafting   {t['drafting_s']:7.2f} s")
        print(f"  per case   {t['case_ms_mean']:7.1f} ms mean, {t['case_ms_p50']:.0f} ms p50, {t['case_ms_p95']:.0f} ms p95")


if __name__ == "__main__":
    main()
