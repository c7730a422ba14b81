"""A real uvicorn server over the seeded embedded store, and headless Chromium (Debian's
``chromium`` driven by Playwright). Without Playwright or a launchable Chromium the browser
tests are skipped with the reason printed, never silently."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"


def _skip(reason: str) -> None:
    print(f"\nSKIP browser tests: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def explorer_url(seeded_falkordb: GraphStore) -> Iterator[str]:
    """Base URL of a real HTTP server (uvicorn, in a thread) over the seeded store."""
    app = create_app(Settings(), runtime=Runtime(seeded_falkordb, schema_applied=True))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the explorer's uvicorn server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _skip(f"Playwright is not installed ({exc})")
    executable = shutil.which("chromium") or CHROMIUM
    if not Path(executable).exists():
        _skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure means no usable browser
        manager.stop()
        _skip(f"Chromium could not be launched: {str(exc).splitlines()[0]}")
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture
def page(browser: Any, explorer_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=explorer_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
            and "Failed to load resource" not in msg.text else None)  # e.g. CSP violations
    yield page
    context.close()
    assert not problems, f"JavaScript or CSP errors on the page: {problems}"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def _axe_version_pinned() -> str:
    return str(json.loads((HERE / "package.json").read_text())["devDependencies"]["axe-core"])


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's browser bundle, the version pinned in ``tests/browser/package.json`` and
    its lock file, installed by ``npm ci`` into ``tests/browser/node_modules`` the first
    time (a fresh clone or CI). Without npm, the accessibility checks are skipped with the
    reason printed."""
    pinned = _axe_version_pinned()
    installed = AXE.parent / "package.json"
    if not AXE.exists() or json.loads(installed.read_text())["version"] != pinned:
        npm = shutil.which("npm")
        if npm is None:
            _skip("npm is not installed: cannot install axe-core (apt-get install npm)")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                              cwd=HERE, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not AXE.exists():
            pytest.fail(f"npm ci for axe-core {pinned} failed: {done.stderr[-2000:]}")
    return AXE.read_text(encoding="utf-8")
