"""Readiness counts, who lapses next, and the forecast of when the target is reached."""

from __future__ import annotations

import datetime as dt

import pytest

from alianza.training import readiness
from alianza.training.models import Certification, Course, TrainingSession

pytestmark = pytest.mark.django_db


def _certify(officer, code, issued):
    course = Course.objects.get(code=code)
    Certification.objects.create(
        officer=officer,
        course=course,
        issued_on=issued,
        expires_on=issued + dt.timedelta(days=course.validity_days),
    )


def test_counts_match_a_hand_count(world):
    today = dt.date.today()
    mx_comp = world.user("mx_comp").officer
    _certify(mx_comp, "JP-101", today - dt.timedelta(days=10))
    _certify(world.user("mx_unvetted").officer, "JP-101", today - dt.timedelta(days=10))
    tables = readiness.readiness_tables(reader=world.user("mx_training"))
    mx = next(row for row in tables["agencies"] if row.label == "MXFP")
    assert (mx.qualified, mx.ready) == (2, 1)  # the unvetted one is qualified, not ready
    analysts = next(row for row in tables["roles"] if row.label == "analyst")
    assert analysts.total == 3 and analysts.ready == 1  # mx.analyst, mx.comp, mx.unvetted
    lapse = next(lapse for lapse in tables["next_lapses"] if lapse.what == "JP-101")
    assert lapse.badge_number == mx_comp.badge_number


def test_partner_agency_appears_as_totals_only(world, client):
    from conftest import login_verified

    _certify(world.user("us_analyst").officer, "JP-101", dt.date.today())
    login_verified(client, world.user("mx_training"))
    body = client.get("/training/readiness/").content.decode()
    assert "USBP" in body and "<svg" in body
    assert world.user("us_analyst").officer.badge_number not in body
    data = client.get("/api/training/readiness").json()
    assert {row["label"] for row in data["agencies"]} >= {"USBP", "MXFP"}
    assert all(not lapse["badge_number"].startswith("B-us") for lapse in data["next_lapses"])


def test_forecast_from_known_throughputs(world, monkeypatch):
    """10 vetted/week and 8 seats x 100% pass/week -> 8 ready/week from the current count."""
    today = dt.date.today()
    history = iter(range(0, 10_000))

    def fake_flags(officers, qualification, day):
        weeks_ago = (today - day).days // 7
        vetted_now = 200 - 10 * weeks_ago  # +10 vetted a week
        flags = {i: (i < vetted_now, i < 50) for i in range(400)}
        next(history)
        return flags, None

    monkeypatch.setattr(readiness, "_ready_flags", fake_flags)
    monkeypatch.setattr(readiness, "_officers", lambda agency_id: [])
    for week in range(12):  # 8 seats a week over the next 12 weeks
        TrainingSession.objects.create(
            course=Course.objects.get(code="JP-101"),
            starts_on=today + dt.timedelta(weeks=week),
            ends_on=today + dt.timedelta(weeks=week),
            place="x",
            language="es",
            capacity=8,
        )
    result = readiness.forecast(agency=world.mx, target=90)
    assert result.ready_now == 50 and result.vetting_per_week == 10.0
    assert result.training_per_week == 8.0  # no assessment yet: pass rate taken as 1
    assert result.reached_on == today + dt.timedelta(weeks=5)  # 50 + 5 x 8 = 90
    assert readiness.forecast(agency=world.mx, target=50).reached_on == today


def test_no_throughput_means_no_date(world):
    assert readiness.forecast(agency=world.mx, target=500).reached_on is None
