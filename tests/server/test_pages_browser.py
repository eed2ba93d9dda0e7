"""A tester clicks through harness serve's pages in a real browser (`tests.browser`: the system Chromium):
Amazon's checkout page -> the shop's result page -> Seller Central -> capture, refund, a refusal.
The screenshots are kept in the session's temporary directory and their paths printed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.server import RunningServer
from tests.browser import chromium, screenshot
from tests.server.pages import Shop, running_shop


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    yield page
    page.close()


@pytest.fixture
def shop(server: RunningServer) -> Iterator[Shop]:
    with running_shop(server) as shop:
        yield shop


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def test_checkout_then_seller_central_capture_and_refund(server: RunningServer, shop: Shop, page: Page,
                                                        shots: Path) -> None:
    page.goto(shop.start_checkout(server))
    expect(page.locator("#amount")).to_have_text("¥5,000")
    page.check("input[name=card][value='0005']")
    screenshot(page, shots, "checkout", full_page=True)
    page.click("#approve")

    session_id = page.url.rsplit("=", 1)[1]
    assert page.url == f"{shop.base_url}/result?amazonCheckoutSessionId={session_id}"
    expect(page.locator("#result")).to_contain_text("thank you")
    reference_id = shop.completed[session_id]

    page.goto(f"{server.base_url}/seller-central")
    row = page.locator("table.view tbody tr", has_text=reference_id)
    expect(row.locator("td.sc-status")).to_have_text("Open")
    expect(row).to_contain_text("2026-01-05 09:00:00 JST")
    screenshot(page, shots, "seller-central-open", full_page=True)

    row.locator("form.refund input[name=amount]").fill("1,000円")  # nothing is captured yet
    row.locator("form.refund button").click()
    expect(page.locator(".refusal")).to_contain_text("InvalidChargeStatus")
    screenshot(page, shots, "seller-central-refused", full_page=True)

    row = page.locator("table.view tbody tr", has_text=reference_id)
    row.locator("form.capture input[name=amount]").fill("5,000円")
    row.locator("form.capture button").click()
    expect(page.locator(".done")).to_contain_text("capture")
    expect(row.locator("td.sc-status")).to_have_text("Closed")
    expect(row.locator("td").nth(3)).to_have_text("¥5,000")

    row.locator("form.refund input[name=amount]").fill("2,000 JPY")
    row.locator("form.refund button").click()
    page.fill("#advance", "1 day")
    page.click("#clock button")
    expect(page.locator("#now-jst")).to_have_text("2026-01-06 09:00:00 JST")
    expect(row.locator("td").nth(4)).to_have_text("¥2,000")

    page.select_option("#status-filter", "Open")
    expect(page.locator("#shown")).to_have_text("0")
    page.click("#language")
    expect(page.locator("h1")).to_contain_text("取引管理")
    page.select_option("#status-filter", "Closed")
    expect(page.locator("table.view tbody tr", has_text=reference_id)).to_be_visible()
    screenshot(page, shots, "seller-central-closed-ja", full_page=True)


def test_drop_off_and_cancel_on_the_checkout_page(server: RunningServer, shop: Shop, page: Page,
                                                  shots: Path) -> None:
    page.goto(shop.start_checkout(server))
    page.click("#drop-off")
    expect(page.locator("#left")).to_contain_text("The buyer left")
    assert re.fullmatch(rf"{re.escape(server.base_url)}/checkout/[-0-9a-f]+", page.url)
    screenshot(page, shots, "checkout-dropped-off", full_page=True)

    page.goto(shop.start_checkout(server))
    page.click("#cancel")
    expect(page.locator("#result")).to_contain_text("InvalidCheckoutSessionStatus")
    assert shop.completed == {}
