"""A training coordinator enrols officers in a session and records their results."""

from __future__ import annotations

import pytest

from alianza.training.models import Certification

from world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_enrols_officers_and_records_results(live_server, page, screenshot, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "mx.training")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("#report-count")
    page.goto(f"{live_server.url}/training/")
    screenshot("10-training-schedule")
    page.click(f"a[href='/training/sessions/{world.sessions['hr'].pk}/']")
    page.wait_for_selector("#enrol-form")
    comp = world.user("mx_comp").officer
    unvetted = world.user("mx_unvetted").officer
    # The unvetted officer cannot be picked, and the page says why.
    assert page.locator(f"input[name=officer][value='{unvetted.pk}']").is_disabled()
    assert "vetted" in page.locator(f"tr:has(input[value='{unvetted.pk}'])").inner_text()
    page.check(f"input[name=officer][value='{comp.pk}']")
    screenshot("11-enrol-selection")
    page.click("#enrol-form button.primary")
    page.wait_for_selector(f"#roster >> text={comp.badge_number}")
    assert page.locator("#places").inner_text().startswith("3 /")
    row = page.locator(f"#roster tr:has-text('{comp.badge_number}')")
    row.locator("input[name=attended]").check()
    row.locator("input[name=score]").fill("91")
    row.locator("input[name=passed]").check()
    row.locator("button").click()
    page.wait_for_selector(".messages")
    screenshot("12-results-recorded")
    assert Certification.objects.unrestricted(reason="test").filter(officer=comp).exists()
    # The U.S. officer enrolled in the same joint session is not on this agency's roster.
    assert world.officers["us"].badge_number not in page.locator("#roster").inner_text()
