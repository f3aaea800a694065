"""Real-browser fixtures: one headless Chromium per test session, a fresh context per test.

Every page a test opens can be checked with axe-core (`axe`) and must load
nothing from any host but the live server.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop running in the test's thread, so Django would take
# the test's own ORM calls (factories, checks) for calls from async code. They are plain sync calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = {"serious", "critical"}
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Fixtures read this in teardown to decide whether to keep a screenshot.
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatcher:
    """Records what a page did that a test should never allow: foreign requests, CSP breaches, script errors."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign_requests: list[str] = []
        self.problems: list[str] = []

    def on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in LOCAL_SCHEMES:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(f"{request.method} {request.url}")

    def on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP: {message.text}")

    def on_page_error(self, error):
        self.problems.append(f"script error: {error}")

    def assert_clean(self):
        assert not self.foreign_requests, "Requests left the live server:\n" + "\n".join(self.foreign_requests)
        assert not self.problems, "The page reported problems:\n" + "\n".join(self.problems)


@pytest.fixture(scope="session")
def _no_https_redirect():
    # The live server speaks plain HTTP, and its SecurityMiddleware reads SECURE_SSL_REDIRECT once,
    # when the server starts: the per-test override in tests/conftest.py comes too late for it.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(_no_https_redirect, live_server):
    return live_server


@pytest.fixture(autouse=True)
def _migration_data(transactional_db):
    """The live server needs committed data, so the tables are emptied after each of these
    tests; put back what data migrations made (the Moderators group) before each one."""
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP

    Group.objects.get_or_create(name=MODERATORS_GROUP)


@pytest.fixture
def _cookies_over_http(settings):
    # Secure-only cookies would never come back over the live server's plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def context(browser, live_server, _cookies_over_http):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 800})
    context.set_default_timeout(5_000)
    yield context
    context.close()


@pytest.fixture
def page_watcher(live_server):
    parts = urlsplit(live_server.url)
    return PageWatcher(f"{parts.scheme}://{parts.netloc}")


@pytest.fixture
def page(context, page_watcher, request):
    page = context.new_page()
    page.on("request", page_watcher.on_request)
    page.on("console", page_watcher.on_console)
    page.on("pageerror", page_watcher.on_page_error)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    page_watcher.assert_clean()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}  {node['html'][:120]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"        {line.strip()}" for line in summary.splitlines()[1:] if line.strip())
    return "\n".join(lines)


# Resolves once every finite CSS transition and animation on the page has finished.
SETTLED = """() => Promise.all(
    document.getAnimations()
        .filter((animation) => animation.effect.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => null))
).then(() => null)"""


@pytest.fixture
def axe(page_watcher):
    """Return a check that runs axe-core on a page and fails on any serious or critical violation.

    The check also fails if the page has so far asked any other host for anything.
    """

    def check(page):
        page.wait_for_load_state("load")
        # Judge the page at rest: a colour caught halfway through a transition (a button
        # just pressed) can fail a contrast check that both of its ends pass.
        page.evaluate(SETTLED)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated through the DevTools protocol, so the page's CSP does not block it.
            page.evaluate(AXE_SCRIPT)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        blocking = [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]
        minor = [violation for violation in results["violations"] if violation["impact"] not in BLOCKING_IMPACTS]
        if minor:
            # Not failures, but worth reading: shown with -s, or beside a failing test's output.
            print(f"Minor accessibility findings on {page.url}:\n{format_violations(minor)}")
        assert not blocking, f"Accessibility violations on {page.url}:\n{format_violations(blocking)}"
        page_watcher.assert_clean()

    return check


@pytest.fixture
def sign_in(context, live_server):
    """Sign a user in by giving the browser a session cookie, for tests not about signing in."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return sign_in
