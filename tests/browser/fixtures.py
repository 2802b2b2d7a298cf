"""Headless Chromium (Debian's package) driven by Playwright against Django's live server.

Playwright's own browser download does not work at border posts or here; the tests use the
system Chromium through ``executable_path``. Every request that does not go to the live server is
aborted and recorded, so a page that would load anything from the internet fails its test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = os.environ.get("HBM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("Debian's chromium is required for browser tests: apt-get install chromium")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run in it
    # unless told that this (test-only) mix is intended.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class OfflinePage:
    """A page whose requests outside the live server are aborted and remembered."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.external_requests: list[str] = []
        page.route("**/*", self._only_local)

    def _only_local(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external_requests.append(url)
            route.abort()


@pytest.fixture
def offline_page(browser: Any, live_server: Any) -> Iterator[OfflinePage]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    wrapped = OfflinePage(page, live_server.url)
    yield wrapped
    context.close()
    assert wrapped.external_requests == [], "pages must load nothing from the internet"


# The field app's fixtures (browser contexts with its service worker), for every browser test here.
from tests.browser.field_helpers import field_context, field_contexts  # noqa: E402, F401
