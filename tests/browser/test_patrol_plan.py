"""A patrol supervisor generates, edits and publishes a plan; an officer on it sees only their
own assignment and their mirror partner's contact."""

from __future__ import annotations

import datetime as dt

import pytest
from world_patrols import TODAY, pw  # noqa: F401 - the fixture

from alianza.agencies.models import Officer
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan

from world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("#report-count")


def test_supervisor_generates_edits_and_publishes_and_officer_sees_own_patrol(
    live_server,
    page,
    screenshot,
    pw,  # noqa: F811
):
    date = TODAY + dt.timedelta(days=2)
    _login(page, live_server, "us.supervisor")
    page.goto(f"{live_server.url}/patrols/")
    page.click("#generate-plan")
    page.wait_for_selector("#plan-generate-form")
    page.select_option("#id_operation", value=str(pw.operation.pk))
    page.select_option("#id_sector", value=str(pw.sector.pk))
    page.fill("#id_date", date.isoformat())
    page.select_option("#id_shift", value="night")
    page.fill("#id_seed", "7")
    screenshot("50-patrol-generate")
    page.click("#plan-generate-form button[type=submit]")
    page.wait_for_selector("#plan-status")
    plan = PatrolPlan.objects.unrestricted(reason="test").get()
    assert page.locator("#plan-status").inner_text().lower() == "draft"
    screenshot("51-patrol-plan-draft")

    # Move one U.S. crew to a stretch nobody covers in its slot, and rename its vehicle.
    target = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, side="US")
        .order_by("pk")
        .first()
    )
    segments = plan.inputs["segments"]
    slot = next(
        i for i, s in enumerate(plan.inputs["slots"]) if s["start"] == target.starts_at.isoformat()
    )
    covered = {p for h, _k, a, b in plan.solver_result["sampled"] if h == slot for p in range(a, b)}
    free = next(i for i in range(len(segments) - 3) if not covered & {i, i + 1, i + 2})
    page.click(f"tr[data-assignment='{target.pk}'] a")
    page.wait_for_selector("#assignment-edit-form")
    page.select_option("#id_first_segment", value=segments[free])
    page.select_option("#id_last_segment", value=segments[free + 2])
    page.fill("#id_vehicle", "USBP Truck 77")
    screenshot("52-patrol-assignment-edit")
    page.click("#assignment-edit-form button[type=submit]")
    page.wait_for_selector("#coverage-diff")
    assert segments[free] in page.locator("#coverage-diff").inner_text()
    assert "USBP Truck 77" in page.content()
    screenshot("53-patrol-edited-vs-solver")

    page.click("#publish-plan")
    page.wait_for_selector(".messages")
    assert page.locator("#plan-status").inner_text().lower() == "published"
    screenshot("54-patrol-plan-published")
    page.click("button:has-text('Log out')")

    crew = list(
        PatrolAssignmentOfficer.objects.unrestricted(reason="test")
        .filter(assignment=target)
        .values_list("officer_id", flat=True)
    )
    officer = Officer.objects.unrestricted(reason="test").select_related("user").get(pk=crew[0])
    own = set(
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, crew__officer=officer)
        .values_list("vehicle", flat=True)
    )
    others = (
        set(
            PatrolAssignment.objects.unrestricted(reason="test")
            .filter(plan=plan, side="US")
            .values_list("vehicle", flat=True)
        )
        - own
    )
    _login(page, live_server, officer.user.username)
    page.goto(f"{live_server.url}/patrols/mine/")
    page.wait_for_selector("#my-patrols")
    text = page.locator("#my-patrols").inner_text()
    assert "USBP Truck 77" in text and segments[free] in text
    for vehicle in others:
        assert vehicle not in text
    screenshot("55-patrol-my-patrols")
    response = page.goto(f"{live_server.url}/patrols/{plan.pk}/")
    assert response.status == 404
