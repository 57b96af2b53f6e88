"""Headless Chromium for the browser tests: Debian's chromium, driven by its command line or by selenium.

Flags: as root Chromium needs --no-sandbox; the background-networking flags stop it calling Google's hosts,
which a closed network refuses; a new empty profile per run keeps runs independent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = "apt-get install -y chromium chromium-driver"


def chromium() -> str:
    """The Chromium binary, or a skip that says how to install it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip(f"chromium is not installed ({INSTALL_HINT})")


def dump_dom(url: str, window: str = "1400,900", budget_ms: int = 5000, env: dict[str, str] | None = None) -> str:
    """The DOM after the page's scripts ran (Chromium's --dump-dom); `env` adds to Chromium's environment
    (FONTCONFIG_FILE: the fonts it may use)."""
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        done = subprocess.run(
            [
                chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={window}",
                f"--virtual-time-budget={budget_ms}", "--dump-dom", url,
            ],
            capture_output=True, text=True, timeout=120, check=False, env={**os.environ, **(env or {})},
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@contextmanager
def webdriver(window: tuple[int, int] = (1400, 900)) -> Iterator[Any]:
    """A selenium driver for clicks and typing; skips when selenium or chromedriver is missing."""
    binary = chromium()
    selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install selenium)")
    from selenium import webdriver as wd
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        pytest.skip(f"chromedriver is not installed ({INSTALL_HINT})")
    del selenium
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        options = wd.ChromeOptions()
        options.binary_location = binary
        for flag in [*FLAGS, f"--user-data-dir={profile}", f"--window-size={window[0]},{window[1]}"]:
            options.add_argument(flag)
        driver = wd.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            driver.set_window_size(*window)
            yield driver
        finally:
            driver.quit()


def save_screenshot(driver: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(path)), f"could not save {path}"
    return path
