"""The docs page in a real headless Chromium (devtools/browser.py: CHROMIUM, the npm package's Chromium on Linux x64,
or an installed Chrome/Chromium/Edge), driven by Playwright.

- Offline from disk (api/index.html, every request but file:// refused): every operation is listed, no error.
- Served by `make serve` (`GET /docs`): the serving URL is the first server, "Authorize" signs the demo user in at
  the local pool's managed login (authorization code + PKCE), and "Try it out" calls an operation that needs a scope:
  it answers 200. Screenshots: build/localapi/docs-page.png, build/localapi/docs-page-signed-in.png.

No browser found: the test fails naming the fix (`make test` never installs system packages, never skips).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import pytest

from devtools import browser as browsers
from localapi.backends.stack import DEMO_PASSWORD, DEMO_USER
from localapi.process import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow
PAGE = ROOT / "api" / "index.html"
SHOTS = ROOT / "build" / "localapi"
PUBLIC = json.loads((ROOT / "api" / "openapi.json").read_text(encoding="utf-8"))
ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    try:
        found = browsers.find()
    except browsers.BrowserNotFoundError as error:
        pytest.fail(str(error))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=found.executable, args=list(ARGS), env={**os.environ, **found.env}
        )
        yield launched
        launched.close()


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, spec) for path, item in PUBLIC["paths"].items() for method, spec in item.items()]


def test_docs_page_lists_every_operation_offline(chromium: Browser) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 1800})
    requested: list[str] = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.on("request", lambda request: requested.append(request.url))
    page.goto(PAGE.as_uri())
    page.wait_for_selector(".opblock")

    for method, path, spec in _operations():
        block = page.locator(f"#operations-{spec['tags'][0]}-{spec['operationId']}")
        assert block.count() == 1, f"the docs page does not list {method.upper()} {path}"
        assert block.locator(".opblock-summary-method").inner_text() == method.upper()
        assert block.locator(f"[data-path='{path}']").count() == 1
    assert page.locator(".errors-wrapper").count() == 0, "Swagger UI shows an error (the document did not load)"
    assert PUBLIC["info"]["title"] in page.locator(".info .title").inner_text()
    assert [url for url in requested if not url.startswith("file:")] == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "docs-page.png", full_page=False)


def _scoped_operation(granted: tuple[str, ...]) -> tuple[str, str, dict[str, Any]]:
    """A GET needing a scope the app client grants, with no required input: what a newcomer tries first."""
    candidates = [
        (method, path, spec)
        for method, path, spec in _operations()
        if method == "get"
        and set(spec.get("x-required-scopes", [])) & set(granted)
        and not any(p["required"] for p in spec.get("parameters", []))
    ]
    if not candidates:
        pytest.fail("the contract has no GET operation with a scope and no required input to try from the page")
    return candidates[0]


def _sign_in(page: Page) -> None:
    page.locator(".auth-wrapper .authorize").click()
    modal = page.locator(".modal-ux")
    oauth = modal.locator(".auth-container").filter(has_text="authorizationCode")
    with page.expect_popup() as popup_info:
        oauth.locator("button.authorize").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("input[name=username]", DEMO_USER)
    popup.fill("input[name=password]", DEMO_PASSWORD)
    popup.click("button[type=submit]")
    popup.wait_for_event("close", timeout=30_000)
    oauth.locator("button", has_text="Logout").wait_for(timeout=30_000)
    modal.locator(".close-modal").click()


def test_docs_page_signs_in_and_tries_an_operation(chromium: Browser, single_region: LocalApi) -> None:
    assert single_region.cognito is not None
    method, path, spec = _scoped_operation(single_region.cognito.app_client().allowed_scopes)
    page = chromium.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(f"{single_region.url}/docs")
    page.wait_for_selector(".opblock")
    # The server that served the page is the one "Try it out" calls.
    assert page.locator(".servers select").input_value() == single_region.url

    _sign_in(page)
    block = page.locator(f"#operations-{spec['tags'][0]}-{spec['operationId']}")
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip() == "200", f"{method.upper()} {path}: {block.inner_text()[-2000:]}"
    block.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "docs-page-signed-in.png", full_page=False)
