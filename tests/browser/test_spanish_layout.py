"""No page is wider than a 1280-pixel window, in Spanish or English, for people of either agency
(the Spanish navigation once made every page 1,336 px wide)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from alianza.accounts.models import UserPreference
from alianza.agencies.roles import ROLE_LABELS

from world import login_verified, make_user, vet_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# Pages reached from somewhere other than the navigation.
EXTRA_PAGES = ["/training/readiness/"]


def _every_role_user(world, agency, username):
    """Someone holding every role: the longest navigation there is."""
    user = make_user(agency=agency, username=username, roles=list(ROLE_LABELS))
    vet_officer(user.officer)
    return user


def _log_in(browser, live_server, user, language):
    """A browser session for `user` (two-factor verified, as login_verified does), with their
    language remembered on the account."""
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    client = login_verified(Client(), user)
    context = browser.new_context(locale="en-US", viewport={"width": WIDTH, "height": 800})
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _too_wide(page, live_server, paths):
    wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[path] = width
    return wide


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_page_is_wider_than_a_1280_pixel_window(live_server, browser, world, language):
    users = [
        world.user("mx_analyst"),
        world.user("us_supervisor"),
        _every_role_user(world, world.mx, "mx.todo"),
        _every_role_user(world, world.us, "us.everything"),
    ]
    wide = {}
    for user in users:
        context = _log_in(browser, live_server, user, language)
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == language
        paths = [
            urlsplit(href).path
            for href in page.eval_on_selector_all(
                "nav.nav a", "links => links.map(a => a.getAttribute('href'))"
            )
        ]
        assert len(paths) >= 10, paths
        if user.has_perm("vetting.view_vetting_status"):
            paths += EXTRA_PAGES
        for path, width in _too_wide(page, live_server, paths).items():
            wide[f"{user.username} {path}"] = width
        page.goto(f"{live_server.url}/")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"05-home-{language}-{user.username}.png"))
        context.close()
    assert not wide, wide
