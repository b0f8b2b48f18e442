"""A person logs in, switches to Spanish and sees their home page."""

from __future__ import annotations

import pytest

from world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_to_spanish_and_see_the_home_page(live_server, page, screenshot, world):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "mx.comp")
    page.fill("#id_password", PASSWORD)
    screenshot("01-login")
    page.click("button.primary")
    page.wait_for_selector("#report-count")
    screenshot("02-home-english")
    assert page.locator("h1").inner_text().startswith("Welcome")
    # mx.comp holds the joint compartment: the compartmented U.S. report is visible...
    assert world.reports["us_compartment"].title in page.content()
    # ...but nothing the U.S. kept to itself.
    assert world.reports["us_internal"].title not in page.content()

    page.select_option("#language-select", "es")
    page.click("#language-submit")
    page.wait_for_selector("html[lang=es]")
    screenshot("03-home-spanish")
    assert page.locator("h1").inner_text().startswith("Bienvenid")
    assert page.locator("text=Cerrar sesión").count() == 1

    # The choice is remembered on the account, not only in this browser.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "mx.comp")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("#report-count")
    assert page.locator("html").get_attribute("lang") == "es"


def test_page_loads_nothing_from_outside_hosts(live_server, page, world):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "us.analyst")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("#report-count")
    page.goto(f"{live_server.url}/intel/reports/")
    assert outside == []
    # htmx came from our own server and loaded without a CSP violation.
    assert page.evaluate("typeof window.htmx") == "object"
