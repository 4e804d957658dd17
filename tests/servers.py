"""What the tests and benchmarks that start real servers and browsers share: a free port, Chromium's flags."""

from __future__ import annotations

import socket
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


def chrome_options(binary: str, profile: Path, *extra: str) -> Any:
    """Headless Chromium with nothing phoning home, in its own profile dir."""
    from selenium import webdriver

    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, *extra, f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    return opts
