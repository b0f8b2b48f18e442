"""Tearlines, originator control, review dates and requests for information."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alianza.access.getters import RecordNotFound
from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.intel.models import Report, ReshareRequest, Tearline
from alianza.intel.selectors import rfi_turnaround, tearline_list_only
from alianza.intel.services import (
    report_reshare,
    report_revalidate,
    reshare_decide,
    rfi_answer,
    rfi_set_status,
    tearline_create,
)

pytestmark = pytest.mark.django_db


def _visible(user, report) -> bool:
    return Report.objects.visible_to(user).filter(pk=report.pk).exists()


class TestTearlines:
    def test_tearline_only_reader_sees_only_the_tearline(self, world, client):
        client.force_login(world.user("mx_analyst"))
        body = client.get("/intel/reports/").content.decode()
        assert "MAGRATHEA" in body and "XYZZY" not in body
        detail = client.get(f"/intel/tearlines/{world.tearlines['us_internal'].pk}/")
        assert "MAGRATHEA" in detail.content.decode()
        assert client.get(f"/intel/reports/{world.reports['us_internal'].pk}/").status_code == 404

    def test_full_report_reader_finds_the_tearline_on_the_report(self, world, client):
        assert not tearline_list_only(reader=world.user("us_analyst")).exists()
        client.force_login(world.user("us_analyst"))
        body = client.get(f"/intel/reports/{world.reports['us_internal'].pk}/").content.decode()
        assert "MAGRATHEA" in body

    def test_tearline_marking_must_be_at_least_as_wide(self, world):
        narrower = marking_get_or_create(
            originating_agency=world.us, compartments=[world.compartment]
        )
        with pytest.raises(ValidationError, match="at least as wide"):
            tearline_create(
                actor=None, report=world.reports["us_shared"], title="t", body="b", marking=narrower
            )

    def test_only_the_originating_agency_writes_tearlines(self, world):
        with pytest.raises(RecordNotFound):
            tearline_create(
                actor=world.user("mx_analyst"),
                report=world.reports["us_shared"],
                title="t",
                body="b",
                marking=world.reports["us_shared"].marking,
            )

    def test_unvetted_reader_loses_the_partner_tearline(self, world):
        assert not Tearline.objects.visible_to(world.user("mx_unvetted")).exists()


class TestOriginatorControl:
    def test_orcon_reshare_needs_the_originators_approval(self, world):
        report = world.reports["us_orcon"]
        request = world.reshares["orcon"]
        assert isinstance(request, ReshareRequest) and request.status == "pending"
        report.refresh_from_db()
        assert world.third.pk not in set(report.marking.releasable_to.values_list("pk", flat=True))
        with pytest.raises(RecordNotFound):  # the requester cannot approve its own request
            reshare_decide(actor=world.user("mx_analyst"), request=request, approve=True)
        reshare_decide(actor=world.user("us_analyst"), request=request, approve=True)
        report.refresh_from_db()
        assert "GTPN" in report.marking.summary
        actions = list(
            AuditEvent.objects.unrestricted(reason="test")
            .filter(object_id=str(report.pk), object_type="intel.report")
            .values_list("action", flat=True)
        )
        assert {"report.reshare_request", "report.reshare_approve", "report.reshare"} <= set(
            actions
        )

    def test_refusal_changes_nothing(self, world):
        reshare_decide(
            actor=world.user("us_analyst"), request=world.reshares["orcon"], approve=False
        )
        report = Report.objects.unrestricted(reason="test").get(pk=world.reports["us_orcon"].pk)
        assert "GTPN" not in report.marking.summary

    def test_internal_only_cannot_be_reshared_by_the_partner(self, world):
        with pytest.raises(ValidationError, match="internal use"):
            report_reshare(
                actor=world.user("mx_analyst"),
                report=world.reports["us_shared"],
                add_agencies=[world.third],
            )

    def test_originator_reshares_directly(self, world):
        report = report_reshare(
            actor=world.user("us_analyst"),
            report=world.reports["us_shared"],
            add_agencies=[world.third],
        )
        assert "GTPN" in report.marking.summary

    def test_partner_cannot_reshare_what_it_cannot_see(self, world):
        with pytest.raises(RecordNotFound):
            report_reshare(
                actor=world.user("mx_analyst"),
                report=world.reports["us_internal"],
                add_agencies=[world.third],
            )


class TestReview:
    def test_revalidation_returns_the_report_to_shared_views(self, world):
        report = world.reports["us_expired"]
        assert not _visible(world.user("mx_analyst"), report)
        with pytest.raises(ValidationError):
            report_revalidate(
                actor=world.user("us_analyst"), report=report, review_date=dt.date(2020, 1, 1)
            )
        report_revalidate(
            actor=world.user("us_analyst"),
            report=report,
            review_date=timezone.localdate() + dt.timedelta(days=90),
        )
        assert _visible(world.user("mx_analyst"), report)

    def test_past_review_reports_are_flagged_to_their_owners_only(self, world, client):
        client.force_login(world.user("us_nocomp"))
        assert "past their review date" in client.get("/intel/reports/").content.decode()
        client.force_login(world.user("mx_analyst"))
        assert "GRUE" not in client.get("/intel/reports/").content.decode()


class TestRequestsForInformation:
    def test_answer_with_a_report_the_requester_cannot_read_is_refused(self, world):
        rfi = world.rfis["mx_to_us"]
        with pytest.raises(ValidationError, match="re-share it first"):
            rfi_answer(
                actor=world.user("us_analyst"), rfi=rfi, answer_report=world.reports["us_internal"]
            )
        rfi_answer(
            actor=world.user("us_analyst"), rfi=rfi, answer_report=world.reports["us_shared"]
        )
        rfi.refresh_from_db()
        assert rfi.status == "answered" and rfi.answer_report_id == world.reports["us_shared"].pk

    def test_only_the_requested_agency_answers_and_only_the_requester_closes(self, world):
        rfi = world.rfis["mx_to_us"]
        with pytest.raises(RecordNotFound):
            rfi_answer(actor=world.user("mx_analyst"), rfi=rfi, answer_text="self-answer")
        rfi_answer(actor=world.user("us_nocomp"), rfi=rfi, answer_text="Seen on Ruby Road.")
        with pytest.raises(RecordNotFound):
            rfi_set_status(actor=world.user("us_analyst"), rfi=rfi, status="closed")
        rfi_set_status(actor=world.user("mx_analyst"), rfi=rfi, status="closed")

    def test_turnaround_counts_only_visible_requests(self, world):
        rfi_answer(actor=world.user("us_analyst"), rfi=world.rfis["mx_to_us"], answer_text="A.")
        us_view = {row.agency_code: row for row in rfi_turnaround(reader=world.user("us_analyst"))}
        assert us_view["USBP"].answered == 1 and us_view["USBP"].on_time_share == 1.0
        assert us_view["MXFP"].asked == 1  # the compartmented request, visible to its author
        mx_view = {row.agency_code for row in rfi_turnaround(reader=world.user("mx_analyst"))}
        assert mx_view == {"USBP"}  # mx.analyst lacks the compartment
