"""The live map's "updated …" time is in the display time zone, as every other time in Alianza,
whatever time zone the browser is set to (it once followed the browser's own zone)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from world_positions import matrix_positions

from world import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROWSER_ZONE = "Asia/Tokyo"  # 16 hours from Arizona and Sonora: never the same clock time


def _clock(generated_at: str, zone: str) -> str:
    return (
        dt.datetime.fromisoformat(generated_at)
        .astimezone(zoneinfo.ZoneInfo(zone))
        .strftime("%H:%M:%S")
    )


def test_live_map_page_carries_the_display_time_zone(world):
    client = login_verified(Client(), world.user("mx_supervisor"))
    body = client.get(reverse("positions:live_map")).content.decode()
    assert f'data-time-zone="{settings.ALIANZA_DISPLAY_TIME_ZONE}"' in body


def test_updated_time_is_in_the_display_time_zone_not_the_browsers(live_server, browser, world):
    assert BROWSER_ZONE != settings.ALIANZA_DISPLAY_TIME_ZONE
    matrix_positions(world)
    client = login_verified(Client(), world.user("mx_supervisor"))
    context = browser.new_context(
        locale="en-US", timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 800}
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    generated = []
    page.on(
        "response",
        lambda r: (
            generated.append(r.json()["generated_at"])
            if r.url.split("?")[0].endswith(reverse("api:positions_latest"))
            else None
        ),
    )
    page.goto(f"{live_server.url}{reverse('positions:live_map')}?operation={world.operation.pk}")
    page.wait_for_selector("#live-map[data-ready='1']", timeout=30_000)
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE
    status = page.locator("#live-status").inner_text()
    context.close()
    assert generated
    assert any(_clock(g, settings.ALIANZA_DISPLAY_TIME_ZONE) in status for g in generated), status
    assert not any(_clock(g, BROWSER_ZONE) in status for g in generated), status
