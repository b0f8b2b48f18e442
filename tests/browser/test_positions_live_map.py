"""The live patrol map renders in Chromium from our own server only, and refreshes on its own:
a unit that reports after the page was opened appears without a reload."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from world_positions import matrix_positions, report

from alianza.positions.services import positions_ingest, tracked_unit_register

from world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_map_draws_visible_units_and_refreshes_itself(live_server, page, screenshot, world):
    matrix_positions(world)
    outside, errors = [], []
    host = urlsplit(live_server.url).netloc
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host
            else None
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "mx.supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/positions/live/?operation={world.operation.pk}")
    page.wait_for_selector("#live-map[data-ready='1']", timeout=30_000)
    element = page.locator("#live-map")
    # The shared U.S. unit and the Mexican one; never the unit USBP does not share.
    assert element.get_attribute("data-units") == "2"
    assert page.locator(".leaflet-interactive").count() >= 2
    screenshot("60-positions-live-map")

    tracked_unit_register(actor=None, agency=world.mx, code="MX-NUEVO", kind="vehicle")
    positions_ingest(
        actor=world.user("mx_supervisor"),
        reports=[report("MX-NUEVO", timezone.now() - dt.timedelta(seconds=5), (-110.94, 31.32))],
    )
    page.wait_for_selector("#live-map[data-units='3']", timeout=40_000)
    assert not outside, outside
    assert not errors, errors
