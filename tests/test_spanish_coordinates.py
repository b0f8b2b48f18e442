"""Coordinates print with a decimal point in Spanish too ("31.3330, -110.9450"): Django's
localisation once printed "31,333, -110,945", which reads as four numbers."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from alianza.accounts.models import UserPreference

from world import login_verified

pytestmark = pytest.mark.django_db

DECIMAL_COMMA_PAIR = re.compile(r"-?\d+,\d+, -?\d+,\d+")


@pytest.fixture(autouse=True)
def _language_restored():
    """A request activates the user's language for the whole thread (the middleware does not
    put it back): restore the suite's language, so later tests do not run in Spanish."""
    with translation.override(translation.get_language()):
        yield


def _spanish_client(client, user):
    UserPreference.objects.update_or_create(user=user, defaults={"language": "es"})
    return login_verified(client, user)


def _body(client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="es">' in body
    return body


def test_activity_and_alert_coordinates_have_a_decimal_point_in_spanish(client, world):
    client = _spanish_client(client, world.user("mx_supervisor"))
    activities = _body(client, reverse("operations:activity_list"))
    # The Mexican arrest was registered at latitude 31.333, longitude -110.945.
    assert "31.3330, -110.9450" in activities
    alert = _body(client, reverse("operations:alert_detail", args=[world.alert.pk]))
    assert re.search(r"<dd>-?\d+\.\d{4}, -?\d+\.\d{4}</dd>", alert)
    for body in (activities, alert):
        assert not DECIMAL_COMMA_PAIR.search(body)


def test_flow_event_coordinates_have_a_decimal_point_in_spanish(client, world):
    client = _spanish_client(client, world.user("mx_analyst"))
    event = world.flow_events["mx_shared"]  # reported at Nogales: 31.34, -110.95
    body = _body(client, reverse("flows:event_detail", args=[event.pk]))
    assert "31.34000, -110.95000" in body
    assert not DECIMAL_COMMA_PAIR.search(body)


class _Point:
    def __init__(self, latitude, longitude):
        self.latitude, self.longitude = latitude, longitude


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_coordinates_filter_ignores_the_language(language):
    template = Template(
        "{% load geo %}{{ p|coordinates }} / {{ q|coordinates:2 }} / {{ r|coordinates }}"
    )
    with translation.override(language):
        text = template.render(
            Context({"p": _Point(31.33184, -110.95786), "q": _Point(-0.5, 0), "r": _Point(None, 1)})
        )
    assert text == "31.3318, -110.9579 / -0.50, 0.00 / —"
