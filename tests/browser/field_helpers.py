"""The field app in a real browser: contexts that load nothing from the internet, and an officer's
steps (sign in, unlock, register, sync) written once for every field app test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

# The PIN key is derived with the production PBKDF2 rounds (600,000): about 0.3 s per unlock.
PIN = "246810"
APP = "/field/"


@dataclass
class FieldContext:
    """A browser profile (its own IndexedDB and service worker) whose requests outside the live
    server are aborted and remembered."""

    context: Any
    base_url: str
    external_requests: list[str] = field(default_factory=list)

    def new_page(self) -> Any:
        page = self.context.new_page()
        page.set_default_timeout(15_000)
        return page

    def block_internet(self) -> None:
        def outside(url: str) -> bool:
            return not url.startswith(self.base_url)

        def refuse(route: Any) -> None:
            self.external_requests.append(route.request.url)
            route.abort()

        self.context.route(outside, refuse)


@pytest.fixture
def field_contexts(browser: Any, live_server: Any) -> Iterator[Callable[[], FieldContext]]:
    """Make browser profiles for the field app; each is checked to have loaded nothing from outside."""
    made: list[FieldContext] = []

    def make() -> FieldContext:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        wrapped = FieldContext(context=context, base_url=live_server.url)
        wrapped.block_internet()
        made.append(wrapped)
        return wrapped

    yield make
    for wrapped in made:
        wrapped.context.close()
    assert [url for wrapped in made for url in wrapped.external_requests] == [], (
        "the app must load nothing from the internet"
    )


@pytest.fixture
def field_context(field_contexts: Callable[[], FieldContext]) -> FieldContext:
    return field_contexts()


def open_app(page: Any) -> None:
    page.goto(APP)
    page.wait_for_selector("#main[data-screen]:not([data-screen=''])")


def sign_in(page: Any, username: str, pin: str = PIN, password: str | None = None) -> None:
    """First sign-in on a device (online), then wait until the app is ready to use and its
    service worker keeps the app for offline use."""
    from tests.factories import TEST_PASSWORD  # Django models: not at import (tests/engines run without)

    open_app(page)
    page.fill("#signin-username", username)
    page.fill("#signin-password", password or TEST_PASSWORD)
    page.fill("#signin-pin", pin)
    page.fill("#signin-pin_again", pin)
    page.click('[data-testid="signin"]')
    page.wait_for_selector('[data-screen="home"]')
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    wait_synced(page)


def unlock(page: Any, pin: str = PIN) -> None:
    open_app(page)
    page.fill('[data-testid="pin"]', pin)
    page.click('[data-testid="unlock"]')
    page.wait_for_selector('[data-screen="home"]')


def counts(page: Any) -> dict[str, int]:
    """The outbox counters of the sync strip."""
    return {
        name: int(page.get_attribute(f'[data-testid="count-{name}"]', "data-value") or "0")
        for name in ("pending", "rejected", "sent")
    }


def wait_pending(page: Any, count: int) -> None:
    """Wait until the sync strip counts ``count`` records waiting (it is redrawn after each save)."""
    page.wait_for_selector(f'[data-testid="count-pending"][data-value="{count}"]')


def syncs_done(page: Any) -> int:
    """How many syncs this page has finished (the sync strip counts them)."""
    return int(page.get_attribute("#status", "data-syncs") or "0")


def wait_synced(page: Any, after: int = 0) -> None:
    """Wait until more than ``after`` syncs have finished and none is running."""
    page.wait_for_function(
        "after => { const s = document.querySelector('#status');"
        " return Number(s.dataset.syncs || 0) > after && s.dataset.running === 'false'; }",
        arg=after,
    )


def sync_now(page: Any) -> None:
    """Press "Sync now" and wait for that sync to finish."""
    before = syncs_done(page)
    page.wait_for_selector('[data-testid="sync-now"]:not([disabled])')
    page.click('[data-testid="sync-now"]')
    wait_synced(page, before)


def sync_until_sent(page: Any, attempts: int = 10) -> None:
    """Press "Sync now" until nothing waits in the outbox."""
    for _ in range(attempts):
        if counts(page)["pending"] == 0:
            return
        sync_now(page)
    raise AssertionError(f"outbox not sent after {attempts} syncs: {counts(page)}")


def register_group(page: Any, *, size: int, head: str, nationality: str) -> str:
    """Pre-register a group; returns its token (canonical form, made on the device)."""
    page.goto(f"{APP}#/group")
    page.wait_for_selector('[data-screen="group"]')
    page.fill("#f-size", str(size))
    page.fill("#f-head_name", head)
    page.fill("#f-nationality", nationality)
    page.press("#f-nationality", "Enter")
    token: str = page.inner_text('[data-testid="saved-token"]')
    return token.replace("-", "")


FILL_AND_SAVE = """([values, sex, relationship, groupToken]) => {
  const form = document.querySelector("#person-form");
  for (const [name, value] of Object.entries(values)) {
    form.elements[name].value = value;
  }
  form.querySelector(`input[name="sex"][value="${sex}"]`).checked = true;
  if (relationship) {
    form.elements.relationship.value = relationship;
  }
  if (groupToken !== null) {
    form.elements.group_token.value = groupToken;
  }
  form.requestSubmit();
}"""


def register_person(
    page: Any,
    values: dict[str, str],
    *,
    sex: str = "F",
    relationship: str = "",
    group_token: str | None = None,
) -> None:
    """Fill the person form (fields by API name) in one step and save it, as the keyboard would."""
    page.wait_for_selector('[data-screen="person"]')
    page.evaluate(FILL_AND_SAVE, [values, sex, relationship, group_token])
    name = f"{values.get('surname_latin', '')}, {values.get('given_names_latin', '')}"
    page.wait_for_selector(f'[data-testid="saved"]:has-text("{name}")')


IDB_DUMP = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("hbm-field");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const text = (value) => {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value instanceof ArrayBuffer ? value : value.buffer);
      return Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");
    }
    if (value && typeof value === "object") {
      return Object.entries(value).map(([k, v]) => k + "=" + text(v)).join(";");
    }
    return String(value);
  };
  const dump = {};
  for (const name of db.objectStoreNames) {
    const rows = await new Promise((resolve) => {
      const request = db.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => resolve(request.result);
    });
    dump[name] = rows.map(text).join("\\n");
  }
  db.close();
  return dump;
}"""


def indexeddb_raw(page: Any) -> dict[str, str]:
    """Everything the app keeps in IndexedDB, store by store, as raw text (bytes as Latin-1)."""
    dump: dict[str, str] = page.evaluate(IDB_DUMP)
    return dump


def outbox_raw(page: Any) -> list[dict[str, Any]]:
    """The plain part of each outbox entry, and the byte size of its sealed photo if any."""
    rows: list[dict[str, Any]] = page.evaluate(
        """async () => {
          const { outboxEntries } = await import("/static/field/outbox.js");
          return (await outboxEntries()).map((e) => ({
            id: e.id, kind: e.kind, status: e.status, photoBytes: e.photo ? e.photo.data.byteLength : null,
          }));
        }"""
    )
    return rows


def go_offline(context: FieldContext, page: Any) -> None:
    context.context.set_offline(True)
    page.wait_for_selector('[data-testid="connection"][data-online="false"]')


def go_online(context: FieldContext, page: Any) -> None:
    context.context.set_offline(False)
    page.wait_for_selector('[data-testid="connection"][data-online="true"]')
