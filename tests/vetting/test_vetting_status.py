"""Vetting status is derived, never typed in: every transition, expiry edge and suspension."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from alianza.access.getters import RecordNotFound
from alianza.access.rules import forget_reader
from alianza.agencies.models import Officer
from alianza.audit.models import AuditEvent
from alianza.intel.models import Report
from alianza.vetting.models import CheckType, VettingPolicy, VettingProgramme
from alianza.vetting.services import (
    allegation_close,
    allegation_file,
    check_result_record,
    vetting_case_approve,
    vetting_case_open,
)
from alianza.vetting.status import CaseFacts, State, combine, derive_programme_state, vetting_status
from alianza.vetting.status import VettingStatus as S

from world import make_user

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2026, 1, 15)


@pytest.fixture
def pipeline(world):
    """Two vetting officers of MXFP and a fresh subject under the MX programmes."""
    vetters = [
        make_user(agency=world.mx, username=f"mx.vetter{n}", roles=["vetting_officer"])
        for n in (1, 2)
    ]
    subject = Officer.objects.unrestricted(reason="test").get(user__username="mx.unvetted")
    return vetters, subject


def _complete(programme, subject, vetters, *, examined_on, results=None):
    case = vetting_case_open(actor=vetters[0], officer=subject, programme=programme)
    for check in programme.check_types.all():
        check_result_record(
            actor=vetters[0],
            case=case,
            check_type=check,
            result=(results or {}).get(check.code, "pass"),
            examiner="Dr. X",
            examined_on=examined_on,
        )
    return case


def _all_programmes(subject, vetters, *, examined_on):
    cases = [
        _complete(p, subject, vetters, examined_on=examined_on)
        for p in VettingProgramme.objects.filter(subject_agency=subject.agency)
    ]
    for case in cases:
        for vetter in vetters:
            vetting_case_approve(actor=vetter, case=case)
    return cases


class TestDerivation:
    """The pure function, edge by edge."""

    facts = CaseFacts(
        required_checks=frozenset({1, 2}),
        results={1: ("pass", DAY0), 2: ("pass", DAY0 + dt.timedelta(days=100))},
        approvals=2,
    )

    def state(self, facts, today, window=90):
        return derive_programme_state(facts, today=today, expiring_window_days=window)

    def test_no_case_is_not_started(self):
        assert self.state(None, DAY0).state == State.NOT_STARTED

    def test_missing_check_or_approval_is_in_progress(self):
        partial = CaseFacts(frozenset({1, 2}), {1: ("pass", DAY0)}, 2)
        assert self.state(partial, DAY0).state == State.IN_PROGRESS
        one_approval = CaseFacts(self.facts.required_checks, self.facts.results, 1)
        assert self.state(one_approval, DAY0).state == State.IN_PROGRESS

    def test_inconclusive_is_in_progress_and_fail_is_denied(self):
        inconclusive = CaseFacts(frozenset({1}), {1: ("inconclusive", DAY0)}, 2)
        assert self.state(inconclusive, DAY0 - dt.timedelta(days=400)).state == State.IN_PROGRESS
        failed = CaseFacts(frozenset({1, 2}), {1: ("fail", DAY0)}, 0)
        assert self.state(failed, DAY0).state == State.DENIED

    def test_expiry_is_the_earliest_check_expiry_with_exact_edges(self):
        expiry = DAY0  # the earliest of the two
        assert self.state(self.facts, expiry - dt.timedelta(days=91)) == S(State.VETTED, expiry)
        assert self.state(self.facts, expiry - dt.timedelta(days=90)) == S(State.EXPIRING, expiry)
        assert self.state(self.facts, expiry) == S(State.EXPIRING, expiry)  # valid through the day
        assert self.state(self.facts, expiry + dt.timedelta(days=1)) == S(State.EXPIRED, expiry)

    def test_window_is_configurable(self):
        today = DAY0 - dt.timedelta(days=30)
        assert self.state(self.facts, today, window=10).state == State.VETTED
        assert self.state(self.facts, today, window=30).state == State.EXPIRING

    def test_combination_worst_wins_and_suspension_overrides(self):
        vetted, expiring = S(State.VETTED, DAY0), S(State.EXPIRING, DAY0 - dt.timedelta(days=1))
        assert combine([vetted, expiring], suspended=False) == S(
            State.EXPIRING, expiring.expires_on
        )
        assert combine([vetted, S(State.NOT_STARTED)], suspended=False).state == State.IN_PROGRESS
        assert combine([S(State.NOT_STARTED)] * 2, suspended=False).state == State.NOT_STARTED
        assert combine([vetted, S(State.DENIED)], suspended=False).state == State.DENIED
        assert combine([vetted], suspended=True).state == State.SUSPENDED
        assert combine([], suspended=False).state == State.NOT_STARTED


class TestPipelineOverTime:
    def test_every_transition_from_not_started_to_expired(self, world, pipeline):
        vetters, subject = pipeline
        with time_machine.travel(dt.datetime(2026, 1, 15, 18, tzinfo=dt.UTC), tick=False):
            assert vetting_status(subject.pk).state == State.NOT_STARTED
            cases = [
                _complete(p, subject, vetters, examined_on=DAY0)
                for p in VettingProgramme.objects.filter(subject_agency=world.mx)
            ]
            assert vetting_status(subject.pk).state == State.IN_PROGRESS
            for case in cases:
                vetting_case_approve(actor=vetters[0], case=case)
            assert vetting_status(subject.pk).state == State.IN_PROGRESS  # one approval
            for case in cases:
                vetting_case_approve(actor=vetters[1], case=case)
            status = vetting_status(subject.pk)
        # Leahy (365 days) expires before control de confianza (1095 days).
        leahy_expiry = DAY0 + dt.timedelta(days=365)
        assert status == S(State.VETTED, leahy_expiry)
        assert (
            vetting_status(subject.pk, today=leahy_expiry - dt.timedelta(days=91)).state
            == State.VETTED
        )
        assert (
            vetting_status(subject.pk, today=leahy_expiry - dt.timedelta(days=90)).state
            == State.EXPIRING
        )
        assert (
            vetting_status(subject.pk, today=leahy_expiry + dt.timedelta(days=1)).state
            == State.EXPIRED
        )

    def test_re_vetting_restores_an_expired_officer(self, world, pipeline):
        vetters, subject = pipeline
        _all_programmes(subject, vetters, examined_on=timezone.localdate() - dt.timedelta(days=400))
        assert vetting_status(subject.pk).state == State.EXPIRED
        _all_programmes(subject, vetters, examined_on=timezone.localdate() - dt.timedelta(days=1))
        assert vetting_status(subject.pk).state == State.VETTED

    def test_a_failed_check_denies(self, world, pipeline):
        vetters, subject = pipeline
        programme = VettingProgramme.objects.get(code="MX-C3")
        _complete(programme, subject, vetters, examined_on=DAY0, results={"polygraph": "fail"})
        assert vetting_status(subject.pk).state == State.DENIED

    def test_open_allegation_suspends_and_closing_restores(self, world, pipeline):
        vetters, subject = pipeline
        _all_programmes(subject, vetters, examined_on=timezone.localdate() - dt.timedelta(days=10))
        assert vetting_status(subject.pk).state == State.VETTED
        allegation = allegation_file(
            actor=world.user("mx_analyst"), officer=subject, summary="Seen with a smuggler."
        )
        assert vetting_status(subject.pk).state == State.SUSPENDED
        allegation_close(
            actor=world.user("mx_integrity"),
            allegation=allegation,
            substantiated=False,
            resolution="No evidence.",
        )
        assert vetting_status(subject.pk).state == State.VETTED
        actions = set(
            AuditEvent.objects.unrestricted(reason="test")
            .filter(object_id=str(subject.pk))
            .values_list("action", flat=True)
        )
        assert {
            "allegation.file",
            "officer.suspend",
            "allegation.close",
            "officer.reinstate",
        } <= actions

    def test_agency_can_choose_not_to_suspend_on_allegation(self, world, pipeline):
        vetters, subject = pipeline
        VettingPolicy.objects.filter(agency=world.mx).update(suspend_on_open_allegation=False)
        _all_programmes(subject, vetters, examined_on=timezone.localdate() - dt.timedelta(days=10))
        allegation_file(actor=None, officer=subject, summary="Anonymous tip.")
        assert vetting_status(subject.pk).state == State.VETTED


class TestTwoPersonRule:
    def _ready_case(self, world, pipeline):
        vetters, subject = pipeline
        return _complete(
            VettingProgramme.objects.get(code="US-LEAHY"),
            subject,
            vetters,
            examined_on=timezone.localdate(),
        )

    def test_one_approver_is_not_enough(self, world, pipeline):
        case = self._ready_case(world, pipeline)
        vetting_case_approve(actor=pipeline[0][0], case=case)
        assert vetting_status(case.officer_id).state == State.IN_PROGRESS

    def test_the_same_approver_twice_is_refused(self, world, pipeline):
        case = self._ready_case(world, pipeline)
        vetting_case_approve(actor=pipeline[0][0], case=case)
        with pytest.raises(ValidationError, match="different vetting officer"):
            vetting_case_approve(actor=pipeline[0][0], case=case)

    def test_the_subject_cannot_approve_themself(self, world, pipeline):
        vetters, subject = pipeline
        subject.user.groups.add(Group.objects.get(name="vetting_officer"))
        forget_reader(subject.user)
        case = self._ready_case(world, pipeline)
        with pytest.raises(ValidationError, match="own vetting"):
            vetting_case_approve(actor=subject.user, case=case)

    def test_a_vetting_officer_of_the_other_agency_cannot_approve(self, world, pipeline):
        case = self._ready_case(world, pipeline)
        us_vetter = make_user(agency=world.us, username="us.vetter", roles=["vetting_officer"])
        with pytest.raises(RecordNotFound):
            vetting_case_approve(actor=us_vetter, case=case)

    def test_a_non_vetting_officer_cannot_approve(self, world, pipeline):
        case = self._ready_case(world, pipeline)
        with pytest.raises(RecordNotFound):
            vetting_case_approve(actor=world.user("mx_analyst"), case=case)

    def test_approval_needs_every_check_passed(self, world, pipeline):
        vetters, subject = pipeline
        case = vetting_case_open(
            actor=vetters[0], officer=subject, programme=VettingProgramme.objects.get(code="MX-C3")
        )
        check = CheckType.objects.get(programme__code="MX-C3", code="toxicology")
        check_result_record(
            actor=vetters[0],
            case=case,
            check_type=check,
            result="pass",
            examiner="X",
            examined_on=timezone.localdate(),
        )
        with pytest.raises(ValidationError, match="Every required check"):
            vetting_case_approve(actor=vetters[1], case=case)


class TestStatusDrivesAccess:
    def test_suspension_removes_every_shared_record_at_once_and_restoring_returns_it(
        self, world, client
    ):
        user = world.user("mx_comp")
        officer = user.officer
        shared_titles = {world.reports["us_shared"].title, world.reports["us_compartment"].title}
        client.force_login(user)
        body = client.get("/intel/reports/").content.decode()
        assert all(title in body for title in shared_titles)
        allegation = allegation_file(actor=None, officer=officer, summary="Tip line report.")
        # Every route, at once: list, detail, API list, API detail, home counts.
        body = client.get("/intel/reports/").content.decode()
        assert not any(title in body for title in shared_titles)
        assert world.reports["mx_internal"].title in body  # own unrestricted records stay
        assert client.get(f"/intel/reports/{world.reports['us_shared'].pk}/").status_code == 404
        assert client.get(f"/api/intel/reports/{world.reports['us_shared'].pk}").status_code == 404
        api_titles = {r["title"] for r in client.get("/api/intel/reports").json()["items"]}
        assert api_titles == {world.reports["mx_internal"].title, world.reports["mx_shared"].title}
        allegation_close(
            actor=world.user("mx_integrity"),
            allegation=allegation,
            substantiated=False,
            resolution="Unfounded.",
        )
        body = client.get("/intel/reports/").content.decode()
        assert all(title in body for title in shared_titles)

    def test_expired_vetting_loses_shared_records(self, world):
        user = world.user("mx_analyst")
        shared = world.reports["us_shared"].title
        assert Report.objects.visible_to(user).filter(title=shared).exists()
        with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=400)):
            forget_reader(user)
            assert not Report.objects.visible_to(user).filter(title=shared).exists()
            # Own-agency uncompartmented records remain.
            assert (
                Report.objects.visible_to(user)
                .filter(title=world.reports["mx_internal"].title)
                .exists()
            )

    def test_unvetted_officer_loses_compartments_even_of_own_agency(self, world):
        from world import make_report

        own_compartmented = make_report(
            agency=world.mx, title="MX compartment ZORK", compartments=[world.compartment]
        )
        unvetted = world.user("mx_unvetted")  # holds the compartment, but is not vetted
        titles = set(Report.objects.visible_to(unvetted).values_list("title", flat=True))
        assert own_compartmented.title not in titles
        assert titles == {world.reports["mx_internal"].title, world.reports["mx_shared"].title}


class TestAllegationRouting:
    def test_partner_officer_files_and_only_the_subjects_integrity_officers_read_it(self, world):
        from alianza.vetting.models import IntegrityAllegation

        subject = world.officers["us"]
        allegation = allegation_file(
            actor=world.user("mx_analyst"),
            officer=subject,
            summary="Seen passing patrol times to a halcón.",
        )
        visible_us = IntegrityAllegation.objects.visible_to(world.user("us_integrity"))
        visible_mx = IntegrityAllegation.objects.visible_to(world.user("mx_integrity"))
        assert visible_us.filter(pk=allegation.pk).exists()
        assert not visible_mx.filter(pk=allegation.pk).exists()
        assert not IntegrityAllegation.objects.visible_to(world.user("mx_analyst")).exists()
        assert vetting_status(subject.pk).state == State.SUSPENDED

    def test_unvetted_officer_can_file_only_within_their_agency(self, world):
        with pytest.raises(RecordNotFound):
            allegation_file(
                actor=world.user("mx_unvetted"), officer=world.officers["us"], summary="x"
            )
        allegation_file(actor=world.user("mx_unvetted"), officer=world.officers["mx"], summary="x")
