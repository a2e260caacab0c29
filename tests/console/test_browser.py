"""End to end in a real browser: Chromium (Playwright) against a real ``embargo serve`` with
real SDN snapshots, on SQLite and on PostgreSQL.

An analyst signs in, filters the queue, opens an alert with the keyboard and clears it with a
reason; confirms another, cannot approve it; an approver approves it; re-importing an unchanged
list raises no new alert; a customer named ``<script>alert(1)</script>`` renders as text; a form
posted without its CSRF token is refused. Every page is saved as a screenshot under
``screenshots/<store>/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.browser import (
    HOSTILE,
    SCREENSHOTS,
    chromium,
    import_sdn,
    prepare_store,
    serve,
)
from console.conftest import PASSWORD
from embargo.monitoring.run import run_monitor
from embargo.store import Store

pytestmark = pytest.mark.shared


@pytest.fixture
def served(store_url: str, lists_dir: Path, shared: Path, tmp_path: Path) -> Iterator[str]:
    prepare_store(store_url, lists_dir, tmp_path / "home" / "index")  # serve's index cache
    with serve(store_url, tmp_path / "home", shared) as base:
        yield base


@pytest.fixture
def browser_page(served: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    try:
        from playwright import sync_api
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed (it is in the test extra)")
        pytest.skip("playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium()),
                                    args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(base_url=served, viewport={"width": 1366, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs
        yield page
        browser.close()


class Shots:
    def __init__(self, page: Any, folder: Path) -> None:
        self.page, self.folder = page, folder
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, full_page: bool = True) -> None:
        self.page.screenshot(path=str(self.folder / f"{name}.png"), full_page=full_page)


def sign_in(page: Any, name: str) -> None:
    page.goto("/ui/alerts")
    assert "/ui/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/ui/alerts")


def active_count(page: Any) -> int:
    text = page.locator(".counts a", has_text="active").first.inner_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def test_console_scenario(browser_page: Any, store_url: str, lists_dir: Path,
                          tmp_path: Path) -> None:
    page = browser_page
    shots = Shots(page, SCREENSHOTS / ("postgres" if "postgresql" in store_url else "sqlite"))
    page.goto("/ui/alerts")
    shots("01-sign-in")
    sign_in(page, "ann")
    shots("02-queue")
    before = active_count(page)
    assert before >= 6

    # the hostile customer's name is text, and nothing ran
    assert HOSTILE in page.inner_text("table.queue")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content()

    # filter: open alerts of the SDN, highest score first
    page.select_option("select[name=state]", "open")
    page.select_option("select[name=source]", "ofac-sdn")
    page.click("button:has-text('Filter')")
    page.wait_for_url(re.compile(r".*state=open.*source=ofac-sdn.*"))
    shots("03-queue-filtered")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() >= 6

    # keyboard: j, j, k, Enter opens the first row's alert
    first = rows.nth(0).get_attribute("data-href")
    page.locator("h1").click()
    for key in ("j", "j", "k", "Enter"):
        page.keyboard.press(key)
    page.wait_for_url(f"**{first}")
    shots("04-alert")
    assert page.locator("table.align mark").count() >= 1
    assert page.locator("table.features tbody tr").count() >= 1

    # clear it with a reason
    page.check("input[name=decision][value=cleared]")
    page.fill("input[name=reason]", "different_person")
    page.fill("textarea[name=comment]", "different date of birth on file")
    page.click("button:has-text('Record decision')")
    assert page.locator(".meta .state").inner_text() == "cleared"
    assert "different_person" in page.inner_text("table.events")
    shots("05-alert-cleared")

    # confirm the next one: it awaits approval, and ann cannot approve her own
    page.goto("/ui/alerts?state=open&source=ofac-sdn")
    second = page.locator("table.queue tbody tr").first.get_attribute("data-href")
    page.goto(second)
    page.check("input[name=decision][value=confirmed]")
    page.fill("input[name=reason]", "same_person")
    page.click("button:has-text('Record decision')")
    assert "You made this decision" in page.inner_text("main")
    token = page.get_attribute("input[name=csrf]", "value")
    own = page.request.post(f"{second}/approve", form={"csrf": token})
    assert own.status == 403 and "approver" in own.text()

    # a form posted without its CSRF token is refused
    bare = page.request.post(f"{second}/approve", form={})
    assert bare.status == 403 and "CSRF" in bare.text()
    forged = page.request.post(f"{second}/decision",
                               form={"csrf": "forged", "decision": "cleared", "reason": "x"})
    assert forged.status == 403

    page.goto("/ui/good-guys")
    assert "different_person" in page.inner_text("main")
    shots("06-good-guys")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/ui/login")

    # the approver approves the confirmed match
    sign_in(page, "bob")
    page.goto("/ui/approvals")
    shots("07-approvals")
    assert "same_person" in page.inner_text("table.queue")
    page.goto(second)
    page.click("button:has-text('Approve confirmed')")
    assert page.locator(".meta .state").inner_text() == "confirmed"
    assert "approve" in page.inner_text("table.events")
    shots("08-alert-confirmed")

    # the entity, lists and dashboard pages
    page.click("a:has-text('entity page')")
    page.wait_for_url("**/ui/entities/**")
    assert page.locator("svg.ownership, .svgbox svg").count() == 1
    shots("09-entity")
    page.goto("/ui/lists")
    shots("10-lists")
    page.click("button:has-text('Show the differences')")
    page.wait_for_url("**/ui/lists/diff?**")
    assert "added" in page.inner_text("main")
    shots("11-list-diff", full_page=False)  # the top: a diff of the SDN is long
    page.goto("/ui/dashboard")
    assert page.locator("main svg").count() >= 5
    shots("12-dashboard")

    # re-importing an unchanged list raises no new alert
    page.goto("/ui/alerts")
    active = active_count(page)
    with Store.open(store_url) as store:
        assert import_sdn(store, lists_dir, "2021-08-20") is False
        assert run_monitor(store, tmp_path / "home" / "index", False).raised == []
    page.reload()
    assert active_count(page) == active == before - 2
    assert page.dialogs == []
