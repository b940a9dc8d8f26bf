"""Fixtures for the web interface: a TestClient on the whole app (API + web) for fast page
tests, and for browser tests a real uvicorn server on a free loopback port, against a temp
SQLite database with the demo workspace, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.demo.loader import load_demo
from accord.settings import Settings
from tests.world import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
READY_ATTEMPTS = 300  # 0.1 s apart: how long a fresh server may take to answer /health


# ---- fast tests: the whole app in a TestClient --------------------------------------------


@pytest.fixture
def web(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database=db)) as client:
        yield client


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def web_login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the login form; returns the session's CSRF token."""
    data = {"email": email, "password": password, "csrf_token": login_csrf(client)}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    inbox = client.get("/inbox")
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', inbox.text)
    assert token, inbox.text
    return token.group(1)


def portal_login_csrf(client: TestClient) -> str:
    page = client.get("/portal/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def portal_login(client: TestClient, code: str) -> str:
    """Sign a customer in to the portal with their access code; returns the CSRF token."""
    data = {"code": code, "csrf_token": portal_login_csrf(client)}
    response = client.post("/portal/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    home = client.get("/portal")
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert token, home.text
    return token.group(1)


@pytest.fixture
def login_as(web: TestClient, world: World) -> Callable[[str], str]:
    def login(who: str) -> str:
        web.cookies.clear()
        return web_login(web, world.emails[who])

    return login


# ---- browser tests: a real server and Chromium ---------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    database_url: str
    password: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def start_server(
    data_dir: Path, database_url: str, password: str, settings: dict[str, str] | None = None
) -> LiveServer:
    """`settings`: further ACCORD_* variables for this server (e.g. a feature switched on)."""
    port = free_port()
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": database_url,
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_JOBS_BACKEND": "immediate",
        "ACCORD_LOG_LEVEL": "warning",
        **(settings or {}),
    }
    command = [sys.executable, "-m", "uvicorn", "accord.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    command += ["--timeout-graceful-shutdown", "5"]
    process = subprocess.Popen(command, env=env)
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir, database_url, password, process)
    for _ in range(READY_ATTEMPTS):
        try:
            if httpx.get(f"{server.base_url}/api/v1/health").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the test server did not start (exit code {process.poll()})")


def demo_database(data_dir: Path) -> tuple[str, str]:
    """A migrated SQLite database with the demo workspace; returns (url, staff password)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{data_dir / 'accord.db'}"
    upgrade(url)
    db = Database(url)
    result = load_demo(db, data_dir)
    db.dispose()
    assert result.password is not None
    return url, result.password


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("demo")
    url, password = demo_database(data_dir)
    server = start_server(data_dir, url, password)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it with apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that it should not: dialogs, script errors, CSP violations."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


def open_page(browser: Any, base_url: str, **context_options: Any) -> tuple[Any, Watch]:
    context = browser.new_context(base_url=base_url, **context_options)
    page = context.new_page()
    watch = Watch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.on("console", lambda msg: watch.console.append(f"{msg.type}: {msg.text}"))
    return page, watch


@pytest.fixture
def page(browser: Any, demo_server: LiveServer) -> Iterator[tuple[Any, Watch]]:
    """A fresh page on the demo server; afterwards it must not have run into the CSP or thrown
    a script error."""
    page, watch = open_page(browser, demo_server.base_url)
    yield page, watch
    page.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.errors, watch.errors


def browser_login(page: Any, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/inbox"))


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # caret="initial": hiding the caret injects a <style>, which the page's CSP rightly refuses.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


# ---- the customer side: an admin on the API, a customer with an access code -----------------

ADMIN = "admin@northwind.example"
CUSTOMER_NAME = 'Widget <img src=x onerror="window.__xss=1"> Customer'


@pytest.fixture
def api(demo_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url) as client:
        body = {"email": ADMIN, "password": demo_server.password}
        session = client.post("/api/v1/auth/login", json=body).json()
        client.headers["X-CSRF-Token"] = session["csrf_token"]
        yield client


@pytest.fixture
def customer(api: httpx.Client) -> tuple[int, str, int]:
    """A customer with an open conversation and an access code: (customer, code, conversation)."""
    who = api.post("/api/v1/customers", json={"name": CUSTOMER_NAME}).json()["id"]
    opened = api.post(
        "/api/v1/conversations",
        json={"subject": "Widget: lamp flickers", "customer_id": who, "message": {"text": "Hi"}},
    )
    assert opened.status_code == 201, opened.text
    code = api.post(f"/api/v1/customers/{who}/tokens", json={"name": "widget"}).json()["token"]
    return who, code, opened.json()["id"]
