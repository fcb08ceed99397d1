"""Helpers for browser tests: a real ``streamlit run`` server and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT, unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> None:
    """Skip (or fail in CI) when Chromium or the playwright package is missing."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable("browser", f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("browser", "the playwright package is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    db_url: str,
    timeout_s: float = 60,
    *,
    demo: bool = True,
    env: dict | None = None,
    port: int | None = None,
    extra_args: list[str] | None = None,
    log_path: Path | None = None,
    script: str = "streamlit_app.py",
) -> Iterator[str]:
    """``streamlit run`` of ``script`` (the entry script, or ``deploy/app.py``: the ASGI app
    ``make run`` starts) on 127.0.0.1; yields the base URL. With ``demo`` the SQLite file at
    ``db_url`` is served as the embedded demo ledger (no sign-in); otherwise it is the
    configured service database (sign-in required). ``log_path`` receives the server's
    output (else it is kept in a pipe and shown when the server does not start)."""
    port = port or free_port()
    env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in ("SERVICE_DB_URL", "SERVICE_DEMO_DB")}
    if demo:
        env["SERVICE_DEMO_DB"] = db_url.removeprefix("sqlite:///")
    else:
        env["SERVICE_DB_URL"] = db_url
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *(extra_args or []),
    ]
    log = open(log_path, "wb") if log_path else None  # noqa: SIM115 - closed below
    out_to = log or subprocess.PIPE
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out_to, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else log_path.read_text()
                raise RuntimeError(f"streamlit did not start:\n{out[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            log.close()


@contextmanager
def browser_page(width: int = 1440, height: int = 900, *, color_scheme: str = "light", is_mobile: bool = False):
    """A page at ``width`` × ``height``; ``color_scheme`` is the system preference the
    dashboard's default theme ("System") follows."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": width, "height": height},
                locale="zh-CN",
                color_scheme=color_scheme,
                is_mobile=is_mobile,
                has_touch=is_mobile,
            )
            yield page
        finally:
            browser.close()


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished and no skeleton placeholder remains. On a cold
    server the app reports "notRunning" for a moment before the first run draws anything, so
    the main area must hold an element first."""
    page.wait_for_selector(
        "[data-testid='stMain'] [data-testid='stElementContainer']", state="attached", timeout=timeout_ms
    )
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_function("!document.querySelector(\"[data-testid='stSkeleton']\")", timeout=timeout_ms)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
