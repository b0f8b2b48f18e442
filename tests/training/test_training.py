"""Enrolment limited to eligible officers (with reasons), assessment and certification,
and the one eligibility function for joint patrols."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alianza.access.getters import RecordNotFound
from alianza.agencies.models import Officer
from alianza.training.eligibility import enrolment_eligibility, patrol_eligibility
from alianza.training.models import Certification, Course
from alianza.training.services import enrolment_assess, enrolment_create, training_session_create
from alianza.vetting.services import allegation_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _session(code, *, capacity=5, start=10, length=1):
    starts_on = TODAY + dt.timedelta(days=start)
    return training_session_create(
        actor=None,
        course=Course.objects.get(code=code),
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=length - 1),
        place="Nogales",
        language="es",
        capacity=capacity,
    )


def _officer(world, key):
    return world.user(key).officer


def test_unvetted_officer_is_refused_with_the_reason(world):
    verdict = enrolment_eligibility(_officer(world, "mx_unvetted"), _session("HR-100"))
    assert not verdict.eligible
    assert any("vetted status" in reason for reason in verdict.reasons)


def test_missing_prerequisite_is_named(world):
    verdict = enrolment_eligibility(_officer(world, "mx_comp"), _session("JP-101"))
    assert not verdict.eligible and any(
        "HR-100" in r or "human rights" in r.lower() for r in verdict.reasons
    )


def test_capacity_is_enforced(world):
    session = _session("EV-150", capacity=1)
    enrolment_create(actor=None, session=session, officer=_officer(world, "mx_comp"))
    with pytest.raises(ValidationError, match="full"):
        enrolment_create(actor=None, session=session, officer=_officer(world, "mx_analyst"))


def test_coordinator_enrols_only_their_own_agency(world):
    session = _session("EV-150")
    enrolment_create(
        actor=world.user("mx_training"), session=session, officer=_officer(world, "mx_comp")
    )
    with pytest.raises(RecordNotFound):
        enrolment_create(
            actor=world.user("mx_training"), session=session, officer=_officer(world, "us_analyst")
        )
    with pytest.raises(RecordNotFound):
        enrolment_create(
            actor=world.user("mx_analyst"), session=session, officer=_officer(world, "mx_analyst")
        )


def test_started_session_refuses_new_enrolments(world):
    session = _session("EV-150", start=-1)
    with pytest.raises(ValidationError, match="already started"):
        enrolment_create(
            actor=world.user("mx_training"), session=session, officer=_officer(world, "mx_comp")
        )


def test_passing_issues_a_certification_with_expiry_and_unlocks_the_next_course(world):
    officer = _officer(world, "mx_comp")
    hr = _session("HR-100", start=-5, length=2)
    enrolment = enrolment_create(actor=None, session=hr, officer=officer)
    with pytest.raises(ValidationError, match="did not attend"):
        enrolment_assess(
            actor=world.user("mx_training"),
            enrolment=enrolment,
            attended=False,
            score=None,
            passed=True,
        )
    enrolment_assess(
        actor=world.user("mx_training"),
        enrolment=enrolment,
        attended=True,
        score=decimal.Decimal("88.5"),
        passed=True,
    )
    certification = Certification.objects.unrestricted(reason="test").get(officer=officer)
    assert certification.issued_on == hr.ends_on
    assert certification.expires_on == hr.ends_on + dt.timedelta(days=730)
    assert enrolment_eligibility(officer, _session("JP-101")).eligible


def _certify(officer, *codes, days_ago=10):
    for code in codes:
        course = Course.objects.get(code=code)
        issued = TODAY - dt.timedelta(days=days_ago)
        Certification.objects.create(
            officer=officer,
            course=course,
            issued_on=issued,
            expires_on=issued + dt.timedelta(days=course.validity_days)
            if course.validity_days
            else None,
        )


def test_patrol_eligibility_is_active_vetted_and_qualified(world):
    keys = ["mx_comp", "mx_analyst", "mx_unvetted"]
    officers = [_officer(world, k) for k in keys]
    _certify(officers[0], "HR-100", "JP-101", "ATV-200")
    _certify(officers[1], "HR-100", "JP-101")
    _certify(officers[2], "HR-100", "JP-101", "ATV-200")
    verdicts = patrol_eligibility(
        officers, required_qualifications=["joint_patrol", "atv_operator"]
    )
    assert verdicts[officers[0].pk].eligible
    assert not verdicts[officers[1].pk].eligible
    assert "atv_operator" in verdicts[officers[1].pk].reasons[0]
    assert not verdicts[officers[2].pk].eligible  # qualified but never vetted


def test_suspension_or_expiry_makes_an_officer_ineligible_at_once(world):
    officer = _officer(world, "mx_comp")
    _certify(officer, "HR-100", "JP-101")
    assert patrol_eligibility([officer], required_qualifications=["joint_patrol"])[
        officer.pk
    ].eligible
    allegation_file(actor=None, officer=officer, summary="Tip.")
    verdict = patrol_eligibility([officer], required_qualifications=["joint_patrol"])[officer.pk]
    assert not verdict.eligible and "suspended" in verdict.reasons[0]


def test_expired_certification_no_longer_qualifies(world):
    officer = _officer(world, "mx_comp")
    _certify(officer, "HR-100", days_ago=800)  # valid 730 days
    verdict = patrol_eligibility([officer], required_qualifications=["use_of_force_hr"])
    assert not verdict[officer.pk].eligible


def test_inactive_officer_is_never_eligible(world):
    officer = Officer.objects.unrestricted(reason="test").get(user__username="us.inactive")
    assert not patrol_eligibility([officer], required_qualifications=[])[officer.pk].eligible
