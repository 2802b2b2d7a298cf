"""Take the documentation's screenshots from a running HBM with the demo data.

    HBM_DATA_DIR=/tmp/shots .venv/bin/hbm start --port 8123 &      # a demo server
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8123 docs/images

Uses Debian's chromium through Playwright, signs in as the demo users (their passwords are the
public demo ones in hbm.demo.users) and writes PNG files named after each page.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from hbm.accounts.enums import Role
from hbm.demo.users import demo_user

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(page: Any, role: Role, language: str = "en") -> None:
    user = demo_user(role)
    page.goto("/login/")
    if language != "en":
        page.click(f"#language-{language}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.password)
    page.click("#sign-in")
    page.wait_for_url(lambda url: "/login/" not in url)


def first_crossing_point(page: Any) -> str:
    href: str = page.get_attribute('[data-testid^="crossing-point-PAL"] a', "href")
    return href


def shoot(
    browser: Any,
    base: str,
    out: Path,
    name: str,
    role: Role,
    path: str | None,
    language: str = "en",
    width: int = 1280,
    height: int = 900,
    full_page: bool = True,
) -> None:
    context = browser.new_context(base_url=base, viewport={"width": width, "height": height})
    page = context.new_page()
    if path is None:
        page.goto("/login/")
        if language != "en":
            page.click(f"#language-{language}")
    else:
        sign_in(page, role, language)
        page.goto(path.replace("{cp}", first_crossing_point(page)) if "{cp}" in path else path)
    page.screenshot(path=str(out / f"{name}.png"), full_page=full_page)
    context.close()
    print(f"wrote {out / name}.png")


FIELD_PIN = "246810"


def field_sign_in(page: Any) -> None:
    """The field app's first sign-in (online) as the demo border officer, with a PIN."""
    user = demo_user(Role.BORDER_OFFICER)
    page.goto("/field/")
    page.wait_for_selector("#signin-username")
    page.fill("#signin-username", user.username)
    page.fill("#signin-password", user.password)
    page.fill("#signin-pin", FIELD_PIN)
    page.fill("#signin-pin_again", FIELD_PIN)
    page.click('[data-testid="signin"]')
    page.wait_for_selector('[data-screen="home"]')
    # The first sync pulls the crossing point's recent registrations for offline look-up.
    page.wait_for_selector('#status[data-running="false"]:not([data-syncs="0"])')


def shoot_field(browser: Any, base: str, out: Path) -> None:
    """The field app on a phone: home with its outbox, the registration form, and in Arabic."""
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
    page = context.new_page()
    field_sign_in(page)
    context.set_offline(True)
    page.wait_for_selector('[data-testid="tile-person"]')
    page.screenshot(path=str(out / "field-home.png"), full_page=True)
    page.click('[data-testid="tile-person"]')
    page.wait_for_selector('[data-screen="person"]')
    page.screenshot(path=str(out / "field-person.png"), full_page=True)
    page.goto("/field/#/")
    page.wait_for_selector("[data-screen]")
    page.click('[data-testid="language-ar"]')
    page.wait_for_selector('html[dir="rtl"]')
    page.screenshot(path=str(out / "field-home-ar.png"), full_page=True)
    context.close()
    print(f"wrote {out}/field-home.png, field-person.png, field-home-ar.png")


def shoot_duplicates(browser: Any, base: str, out: Path) -> None:
    """The adjudication queue, its first pair side by side and its first group of three records or
    more (run once the duplicate checker has seen the demo: `hbm dedup work --once --batch 5000` in
    the server's data folder)."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, Role.COORDINATOR)
    page.goto("/duplicates/")
    page.screenshot(path=str(out / "duplicates.png"), full_page=False)
    for link, name in (
        ('[data-testid="groups"] tbody a:not([href$="/group/"])', "duplicate-pair.png"),
        ('[data-testid="groups"] tbody a[href$="/group/"]', "duplicate-group.png"),
    ):
        page.goto("/duplicates/")
        first = page.locator(link).first
        if first.count():
            first.click()
            page.wait_for_selector('[data-testid="side-by-side"]')
            page.screenshot(path=str(out / name), full_page=True)
    context.close()
    print(f"wrote {out}/duplicates.png, duplicate-pair.png, duplicate-group.png")


def shoot_confirmation(browser: Any, base: str, out: Path) -> None:
    """A link of a child's records waiting for a second adjudicator (decision 0031), as the
    coordinator sees it: the first such pair of the list, or one a screening officer links now."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, Role.COORDINATOR)
    page.goto("/duplicates/?status=confirm")
    waiting = page.locator('[data-testid="duplicates"] tbody a').first
    if not waiting.count():
        linker = browser.new_context(base_url=base).new_page()
        sign_in(linker, Role.SCREENING_OFFICER)
        linker.goto("/duplicates/")
        linker.locator('[data-testid="groups"] tr:has(.badge--child) a:not([href$="/group/"])').first.click()
        linker.fill("#reason", "Same birth certificate number; the aunt travelling with her confirms.")
        linker.click('[data-testid="decide-same"]')
        linker.context.close()
        page.goto("/duplicates/?status=confirm")
    page.locator('[data-testid="duplicates"] tbody a').first.click()
    page.locator('[data-testid="to-confirm"]').scroll_into_view_if_needed()
    page.screenshot(path=str(out / "duplicate-confirm.png"), full_page=False)
    context.close()
    print(f"wrote {out}/duplicate-confirm.png")


def shoot_tracing(browser: Any, base: str, out: Path) -> None:
    """A possible match of a tracing request, as the screening officer checks it with the child (run
    once the duplicate checker has seen the demo: it searches for the open requests after)."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, Role.SCREENING_OFFICER)
    page.goto("/tracing/matches/")
    first = page.locator('[data-testid="tracing-matches"] tbody a').first
    if first.count():
        first.click()
        page.wait_for_selector('[data-testid="side-by-side"]')
        page.screenshot(path=str(out / "tracing-match.png"), full_page=True)
    context.close()
    print(f"wrote {out}/tracing-match.png")


def shoot_link(page: Any, out: Path, name: str, selector: str, ready: str) -> None:
    """Follow the first link matching ``selector`` on the current page and shoot what it opens."""
    page.locator(selector).first.click()
    page.wait_for_selector(ready)
    page.screenshot(path=str(out / f"{name}.png"))
    print(f"wrote {out}/{name}.png")


def shoot_protection_and_preparedness(browser: Any, base: str, out: Path) -> None:
    """The pages of issues 5 and 6: protection dashboard, follow-up overview, daily health report,
    a plan's scenario results, a roster comparison, and an assessment's gap report."""
    for name, path in (
        ("protection-dashboard", "/protection/dashboard"),
        ("followup-overview", "/followup/"),
    ):
        shoot(browser, base, out, name, Role.COORDINATOR, path, height=1100, full_page=False)
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    sign_in(page, Role.HEALTH_OFFICER)
    page.goto("/health/report/")  # straight to the report of the one crossing point they work at
    page.wait_for_selector("main svg")
    # The demo's screenings are on its first days; shortly after midnight the local day is empty.
    page.locator('xpath=//a[@aria-current="date"]/parent::li/preceding-sibling::li[1]/a').click()
    page.wait_for_selector("main svg")
    page.screenshot(path=str(out / "health-report.png"))
    print(f"wrote {out}/health-report.png")
    context.close()

    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    sign_in(page, Role.PLANNER)
    page.goto("/plans/")
    page.locator('main a[href*="/plans/"]:not([href$="/new"]):not([href*="alerts"])').first.click()
    page.wait_for_selector("main h1")
    shoot_link(page, out, "plan-results", 'main a[href$="/scenarios/most_likely/results"]', "main svg")
    page.click('[data-testid="compare-rosters"]')
    page.fill("#id_r1_name", "Two more at every desk")
    stages = page.locator('input[name^="r1_"]:not([name="r1_name"])')
    for index in range(stages.count()):
        field = stages.nth(index)
        field.fill(" ".join(str(int(value) + 2) for value in field.input_value().split()))
    page.fill("#id_r2_name", "")  # two rosters side by side
    page.click('[data-testid="rosters-compare"]')
    page.wait_for_selector('[data-testid="roster-results"]', timeout=60_000)
    page.screenshot(path=str(out / "plan-rosters.png"))
    print(f"wrote {out}/plan-rosters.png")
    page.goto("/assessments/")
    shoot_link(
        page, out, "assessment-report", 'main a[href*="/assessments/"]:not([href$="/new"])', "main svg"
    )
    context.close()


def main(argv: list[str]) -> int:
    base, out = argv[0].rstrip("/"), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("Debian's chromium is needed: apt-get install chromium", file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        shoot(browser, base, out, "login", Role.BORDER_OFFICER, None, height=800)
        shoot(browser, base, out, "home", Role.BORDER_OFFICER, "/", height=700)
        shoot(browser, base, out, "dashboard", Role.COORDINATOR, "{cp}")
        shoot(browser, base, out, "register-person", Role.BORDER_OFFICER, "{cp}register/person")
        shoot(
            browser,
            base,
            out,
            "register-person-ar",
            Role.BORDER_OFFICER,
            "{cp}register/person",
            language="ar",
        )
        shoot(
            browser,
            base,
            out,
            "register-group-mobile",
            Role.BORDER_OFFICER,
            "{cp}register/group",
            width=390,
            height=844,
        )
        shoot(browser, base, out, "person-search", Role.BORDER_OFFICER, "/persons/?q=hasan+alahmad")
        shoot(
            browser,
            base,
            out,
            "person-search-sounds",
            Role.BORDER_OFFICER,
            "/persons/?q=hassan+al-ahmed&sounds=on",
        )
        shoot(browser, base, out, "audit", Role.AUDITOR, "/audit/", full_page=False)
        shoot_field(browser, base, out)
        shoot_duplicates(browser, base, out)
        shoot_confirmation(browser, base, out)
        shoot_tracing(browser, base, out)
        shoot_protection_and_preparedness(browser, base, out)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
