"""Readiness counts, who lapses next, and the forecast of when the target is reached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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
    today = timezone.localdate()
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

    _certify(world.user("us_analyst").officer, "JP-101", timezone.localdate())
    login_verified(client, world.user("mx_training"))
    body = client.get("/training/readiness/").content.decode()
    assert "USBP" in body and 'src="data:image/png;base64,' in body
    assert world.user("us_analyst").officer.badge_number not in body
    data = client.get("/api/training/readiness").json()
    assert {row["label"] for row in data["agencies"]} >= {"USBP", "MXFP"}
    assert all(not lapse["badge_number"].startswith("B-us") for lapse in data["next_lapses"])


def _vetting_pipeline(agency, approvers, *, per_week, weeks, today):
    """`per_week` officers of `agency` fully approved (two approvals) in each of the last
    `weeks` weeks; plus noise the throughput must ignore."""
    from alianza.agencies.models import Officer
    from alianza.vetting.models import CaseApproval, VettingCase, VettingProgramme

    programme = VettingProgramme.objects.create(
        code=f"P-{agency.code}",
        name_en="p",
        name_es="p",
        owner_agency=agency,
        subject_agency=agency,
        validity_days=365,
    )
    now = dt.datetime.combine(today, dt.time(18), tzinfo=dt.UTC)

    def case(n, approved_at, approvals=2):
        officer = Officer.objects.create(
            agency=agency, badge_number=f"P-{n}", given_name="P", family_name=str(n)
        )
        vetting_case = VettingCase.objects.create(
            officer=officer, programme=programme, opened_at=approved_at
        )
        for approver in approvers[:approvals]:
            CaseApproval.objects.create(
                case=vetting_case, approver=approver, approved_at=approved_at
            )

    n = 0
    for week in range(weeks):
        for _ in range(per_week):
            n += 1
            case(n, now - dt.timedelta(weeks=week, days=1))
    case("old", now - dt.timedelta(weeks=weeks, days=1))  # before the window
    case("half", now - dt.timedelta(days=2), approvals=1)  # one approval: not vetted yet


@pytest.mark.parametrize(
    ("seats_per_week", "target", "weeks_to_target", "training_rate"),
    [
        (8, 90, 5, 8.0),  # training is the bottleneck: 50 + 5 x 8 = 90
        (12, 100, 5, 12.0),  # vetting is the bottleneck: 50 + 5 x 10 = 100
    ],
)
def test_forecast_on_a_constructed_pipeline(
    world, monkeypatch, seats_per_week, target, weeks_to_target, training_rate
):
    """10 officers fully approved a week over 12 weeks; `seats_per_week` seats a week for 12
    weeks, no assessment yet (pass rate taken as 1); 50 ready now."""
    import time_machine

    from alianza.agencies.models import Agency

    with time_machine.travel(dt.datetime(2026, 11, 28, 15, tzinfo=dt.UTC), tick=False):
        today = dt.date(2026, 11, 28)
        agency = Agency.objects.create(code="TST", name_en="T", name_es="T", country="MX")
        approvers = [world.user("mx_vetting").officer, world.user("mx_admin").officer]
        _vetting_pipeline(agency, approvers, per_week=10, weeks=12, today=today)
        monkeypatch.setattr(
            readiness,
            "_ready_flags",
            lambda officers, qualification, day: ({i: (True, i < 50) for i in range(400)}, None),
        )
        monkeypatch.setattr(readiness, "_officers", lambda agency_id: [])
        TrainingSession.objects.filter(course__code="JP-101").delete()
        for week in range(12):
            TrainingSession.objects.create(
                course=Course.objects.get(code="JP-101"),
                starts_on=today + dt.timedelta(weeks=week),
                ends_on=today + dt.timedelta(weeks=week),
                place="x",
                language="es",
                capacity=seats_per_week,
            )
        result = readiness.forecast(agency=agency, target=target)
        assert result.ready_now == 50 and result.vetting_per_week == 10.0
        assert result.training_per_week == training_rate
        assert result.reached_on == today + dt.timedelta(weeks=weeks_to_target)
        assert result.projection[-1] == (result.reached_on, target)
        assert readiness.forecast(agency=agency, target=50).reached_on == today
        chart = readiness.forecast_chart(
            result, title="t", labels={"observed": "o", "projected": "p", "target": "x"}
        )
        assert chart.startswith("data:image/png;base64,iVBORw0KGgo")  # a PNG


def test_counts_per_unit_match_a_hand_count(world):
    tables = readiness.readiness_tables(reader=world.user("us_training"))
    units = {row.label: row for row in tables["units"]}
    # Only us.analyst was created in Nogales Station; every world user is vetted.
    assert (units["Nogales Station"].total, units["Nogales Station"].vetted) == (1, 1)
    roles = {row.label: row for row in tables["roles"]}
    # us.analyst, us.nocomp (us.inactive is not active): both vetted, none qualified.
    assert (roles["analyst"].total, roles["analyst"].vetted, roles["analyst"].ready) == (2, 2, 0)
    assert roles["training_coordinator"].total == 1


def test_no_throughput_means_no_date(world):
    assert readiness.forecast(agency=world.mx, target=500).reached_on is None
