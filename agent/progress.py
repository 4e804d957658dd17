"""One progress bar on stderr for batch drafting and eval runs: redrawn in place on a terminal, a line
per 10% in a log (CI), silent when disabled. In the contract layer, not agent.cli: the evals report with it too."""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, total: int, label: str = "", enabled: bool = True) -> None:
        self.total, self.label, self.enabled = total, label, enabled
        self.done = 0
        self.failed = 0
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self._drawn = 0.0
        self._decile = -1
        self._lock = threading.Lock()

    def advance(self, n: int = 1, failed: bool = False) -> None:
        with self._lock:
            self.done += n
            self.failed += failed
            if self.enabled:
                self._draw()

    def _draw(self) -> None:
        now = time.perf_counter()
        finished = self.done >= self.total
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        elapsed = now - self.start
        line = (f"{self.label + ' ' if self.label else ''}[{'#' * filled}{'.' * (width - filled)}] "
                f"{self.done}/{self.total}{f' · failed {self.failed}' if self.failed else ''}"
                f" · {self.done / max(elapsed, 1e-6):.1f}/s · {elapsed:.1f}s")
        if self.tty:
            if finished or now - self._drawn >= 0.2:
                self._drawn = now
                sys.stderr.write("\r" + line + ("\n" if finished else ""))
                sys.stderr.flush()
            return
        decile = self.done * 10 // max(self.total, 1)
        if decile != self._decile:
            self._decile = decile
            print(line, file=sys.stderr, flush=True)
