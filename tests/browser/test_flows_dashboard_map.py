"""The flow dashboard and the flow map render in Chromium with the demo's data, and the map
draws the boundary, the segments, events and places from our own server only."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Nogales-Sonora-2026"


def _window(days: int) -> str:
    """The `days` up to today (display time zone): the demo's flows end at the day it loads."""
    from alianza.intel.models import display_today

    today = display_today()
    return f"since={(today - dt.timedelta(days=days)).isoformat()}&until={today.isoformat()}"


@pytest.fixture
def demo(db):
    call_command("demo", "--no-serve", "--scale", "0.25", verbosity=0)


def _watch(page, live_server):
    """Every request the page makes, and every console error (CSP violations show there)."""
    seen = {"outside": [], "errors": []}
    host = urlsplit(live_server.url).netloc

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != host:
            seen["outside"].append(request.url)

    page.on("request", on_request)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    return seen


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


def test_dashboard_and_map_render_with_the_demo(live_server, page, screenshot, demo):
    seen = _watch(page, live_server)
    _login(page, live_server, "us.analyst")

    year = _window(364)
    page.goto(f"{live_server.url}/flows/dashboard/?{year}")
    page.wait_for_selector("#table-counts")
    total = int(page.locator("#total-crossings").inner_text())
    assert total > 50
    for chart in ("kinds", "directions", "drugs", "other", "effectiveness", "segments"):
        image = page.locator(f"#chart-{chart}")
        assert image.evaluate("img => img.complete && img.naturalWidth > 300"), chart
        assert len(image.get_attribute("alt")) > 40
    # The table beside the chart adds up to the headline figure.
    totals = page.locator("#table-counts tbody tr td:last-child").all_inner_texts()
    assert sum(int(t) for t in totals) == total
    screenshot("40-flow-dashboard")

    page.goto(f"{live_server.url}/flows/dashboard/?{_window(183)}&period=week")
    page.wait_for_selector("#table-counts")
    assert "W" in page.locator("#table-counts tbody th").first.inner_text()
    screenshot("41-flow-dashboard-weekly")

    page.goto(f"{live_server.url}/flows/hotspots/?{year}")
    page.wait_for_selector("#table-hotspots")
    assert page.locator("#table-hotspots tbody tr").count() > 3
    screenshot("42-flow-hotspots")

    page.goto(f"{live_server.url}/flows/displacement/?{year}")
    page.wait_for_selector("#table-displacement")
    assert page.locator("#table-displacement tbody tr").count() == 3
    screenshot("43-flow-displacement")

    page.goto(f"{live_server.url}/flows/map/?{year}&layer=hotspots")
    page.wait_for_selector("#flow-map[data-ready]", timeout=30_000)
    element = page.locator("#flow-map")
    assert element.get_attribute("data-ready") == "1"
    assert element.get_attribute("data-boundary") == "1"
    segments = int(element.get_attribute("data-segments"))
    assert segments > 100
    assert int(element.get_attribute("data-events")) > 50
    assert int(element.get_attribute("data-places")) >= 8
    # Drawn: the boundary and every segment are SVG paths in the overlay pane, and the
    # events and places circle markers; no tile image anywhere.
    paths = page.locator(".leaflet-overlay-pane path").count()
    assert paths > segments + 50
    assert page.locator(".leaflet-tile").count() == 0
    assert "newest" in page.locator("#map-events-note").inner_text() or "all" in (
        page.locator("#map-events-note").inner_text()
    )
    screenshot("44-flow-map")
    # Colour by another measure: the legend follows.
    page.select_option("#map-measure", "effectiveness")
    assert "effectiveness" in page.locator(".map-legend").inner_text()
    page.locator(".leaflet-overlay-pane path").first.click(force=True)
    screenshot("45-flow-map-effectiveness")

    assert seen["outside"] == []
    assert not [e for e in seen["errors"] if "Content Security Policy" in e], seen["errors"]
