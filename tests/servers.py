"""What the tests and benchmarks that start real servers and browsers share: a free port, waiting for a
server to come up, stopping it, Chromium's flags."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(ready: Callable[[], bool], proc: subprocess.Popen, what: str,  # type: ignore[type-arg]
            timeout_s: float = 180, log: Path | None = None, poll_s: float = 0.3) -> None:
    """Poll `ready` until it holds; fail, with the server's log, if `proc` exits first or the time runs out."""
    def tail() -> str:
        return f":\n{log.read_text(errors='replace')}" if log is not None and log.exists() else ""

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited ({proc.returncode}){tail()}")
        if ready():
            return
        time.sleep(poll_s)
    raise AssertionError(f"{what} did not come up in {timeout_s:.0f}s{tail()}")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, group: bool = False,  # type: ignore[type-arg]
         timeout_s: float = 15) -> None:
    """Signal a server we started (with `group`, the process group it leads), then kill it if it has not
    exited within `timeout_s`."""
    def send(s: int) -> None:
        if not group:
            proc.send_signal(s)  # nothing, once it has exited
            return
        try:
            os.killpg(proc.pid, s)  # the process group we started, nothing else
        except ProcessLookupError:
            pass

    send(sig)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        proc.wait(timeout=5)


def chrome_options(binary: str, profile: Path, *extra: str) -> Any:
    """Headless Chromium with nothing phoning home, in its own profile dir."""
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, *extra, f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    return opts
