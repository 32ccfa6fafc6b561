"""The one harness of the browser tests: the real app, Debian's Chromium, no internet.

:func:`streamlit_app` starts the dashboard as ``make run`` does, on a free port, and
stops it afterwards; :func:`chromium` launches Debian's chromium (no browser download)
through Playwright; :class:`Offline` is a browser context where every request to a host
other than this machine is aborted and recorded, with the page's uncaught errors and the
local answers that failed. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
STARTUP_TIMEOUT_S = 60
#: The markers of a module that drives the browser.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, server: subprocess.Popen) -> None:
    """Until Streamlit's health check answers; an error if the server exits or a minute
    passes first."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("streamlit did not answer within a minute")


@contextlib.contextmanager
def streamlit_server(
    db: Path, env: dict | None = None, script: str = "dashboard/app.py", host: str = "127.0.0.1"
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run SCRIPT`` on a free port with the database ``db`` and no basemap
    (``env`` adds to or overrides the environment, e.g. ``TRYGG_TILES``); yields its
    address and process, and stops it afterwards. Its output goes to a temporary log,
    removed on a clean exit; it is named in the error when the server did not start."""
    port = free_port()
    environment = {**os.environ, "TRYGG_DB": str(db), "TRYGG_TILES": "none", **(env or {})}
    command = [sys.executable, "-m", "streamlit", "run", script]
    options = ["--server.headless", "true", "--server.port", str(port)]
    handle, log_path = tempfile.mkstemp(prefix="trygg-streamlit-", suffix=".log")
    with os.fdopen(handle, "w") as log:
        server = subprocess.Popen(
            [*command, *options], cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        base_url = f"http://{host}:{port}"
        try:
            try:
                wait_for_health(base_url, server)
            except (RuntimeError, TimeoutError) as error:
                raise type(error)(f"{error} (its output: {log_path})") from error
            yield base_url, server
            Path(log_path).unlink(missing_ok=True)
        finally:
            server.terminate()
            server.wait(timeout=20)


@contextlib.contextmanager
def streamlit_app(
    db: Path, env: dict | None = None, script: str = "dashboard/app.py", host: str = "127.0.0.1"
) -> Iterator[str]:
    """As :func:`streamlit_server`, yielding only the address."""
    with streamlit_server(db, env, script, host) as (base_url, _server):
        yield base_url


def launch(playwright):
    """Debian's chromium, headless, through ``playwright`` (a started sync Playwright)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def chromium():
    """A launched Chromium for as long as the block lasts; skips without Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


def browser_fixture(name: str = "browser"):
    """A module-scoped fixture ``name`` giving :func:`chromium`'s browser; a test module
    takes it with ``browser = harness.browser_fixture()``."""

    @pytest.fixture(scope="module", name=name)
    def launched_browser():
        with chromium() as launched:
            yield launched

    return launched_browser


class Offline:
    """A browser context where only this machine answers; the rest is recorded."""

    def __init__(self, browser, viewport: tuple[int, int] = (1600, 1000)):
        width, height = viewport
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.external: list[tuple[str, str]] = []
        self.failed_local: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("response", self._response)

    def _route(self, route) -> None:
        request = route.request
        host = urlsplit(request.url).hostname or ""
        if (
            urlsplit(request.url).scheme in {"http", "https", "ws", "wss"}
            and host not in LOCAL_HOSTS
        ):
            self.external.append((request.resource_type, request.url))
            route.abort()
        else:
            route.continue_()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed_local.append(f"{response.status} {response.url}")


def screenshot(page, name: str, **options) -> Path:
    """``page`` as tests/artifacts/NAME (``options`` as Playwright's, e.g. ``full_page``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **options)
    return path
