"""Deconfliction finds overlaps exactly and tells each side only whom to call, where, when;
joint operation membership needs a supervisor of each lead agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from alianza.access.getters import RecordNotFound
from alianza.access.rules import forget_reader
from alianza.audit.models import AuditEvent
from alianza.operations import overlap
from alianza.operations.models import DeconflictionAlert, JointOperation
from alianza.operations.services import activity_register, membership_change_approve

from world import activity_start

T0 = dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


class TestOverlapGeometry:
    def test_touching_windows_do_not_overlap(self):
        assert overlap.window_overlap(T0, T0 + H, T0 + H, T0 + 2 * H) is None
        assert overlap.window_overlap(T0, T0 + H, T0 + H - dt.timedelta(seconds=1), T0 + 2 * H) == (
            T0 + H - dt.timedelta(seconds=1),
            T0 + H,
        )

    def test_contained_window_is_the_inner_one(self):
        assert overlap.window_overlap(T0, T0 + 5 * H, T0 + H, T0 + 2 * H) == (T0 + H, T0 + 2 * H)

    def test_circle_edges(self):
        d = overlap.distance_m(-110.95, 31.33, -110.94, 31.33)
        assert 940 < d < 960  # ~951 m per 0.01 deg of longitude at this latitude
        assert overlap.circles_overlap((-110.95, 31.33, d / 2), (-110.94, 31.33, d / 2 + 0.01))
        assert not overlap.circles_overlap((-110.95, 31.33, d / 2 - 1), (-110.94, 31.33, d / 2 - 1))

    @given(
        st.floats(-111.5, -110.5),
        st.floats(31.0, 31.6),
        st.floats(-111.5, -110.5),
        st.floats(31.0, 31.6),
        st.integers(1, 20_000),
        st.integers(1, 20_000),
    )
    def test_meeting_point_lies_in_both_areas(self, lon1, lat1, lon2, lat2, r1, r2):
        a, b = (lon1, lat1, r1), (lon2, lat2, r2)
        if overlap.circles_overlap(a, b):
            lon, lat = overlap.meeting_point(a, b)
            # Within both radii (tolerance: the straight-line interpolation in degrees).
            assert overlap.distance_m(lon1, lat1, lon, lat) <= r1 * 1.01 + 1
            assert overlap.distance_m(lon2, lat2, lon, lat) <= r2 * 1.01 + 1


@pytest.mark.django_db
class TestDeconfliction:
    def _register(self, world, key, *, lon, lat, radius, start, end, unit=None):
        return activity_register(
            actor=world.user(key),
            kind="surveillance",
            longitude=lon,
            latitude=lat,
            radius_m=radius,
            starts_at=start,
            ends_at=end,
            contact_phone="+52 631 000 0000",
            unit=unit,
        )

    def test_fixture_overlap_produced_one_alert_with_the_overlap_window(self, world):
        alert = world.alert
        # U.S. from 07:00 for 6 hours, Mexico from 11:00 for 5 hours (local time): 11:00-13:00
        start = activity_start()
        assert world.activities["us"].starts_at == start
        assert alert.window_start == start + 4 * H
        assert alert.window_end == start + 6 * H
        assert {alert.agency_a.code, alert.agency_b.code} == {"USBP", "MXFP"}
        assert (
            AuditEvent.objects.unrestricted(reason="test")
            .filter(action="deconfliction.match")
            .count()
            == 1
        )

    def test_adjacent_windows_and_distant_places_raise_no_alert(self, world):
        end = activity_start()  # ends as the U.S. one starts
        _, alerts = self._register(
            world, "mx_supervisor", lon=-110.95, lat=31.335, radius=800, start=end - 3 * H, end=end
        )
        assert alerts == []
        _, alerts = self._register(
            world, "mx_supervisor", lon=-110.80, lat=31.335, radius=800, start=end, end=end + 3 * H
        )  # ~14 km east
        assert alerts == []

    def test_same_unit_is_not_alerted_but_another_unit_is(self, world):
        from alianza.agencies.models import Unit

        ngl = Unit.objects.get(agency=world.us, code="NGL")
        other = Unit.objects.create(agency=world.us, code="DGL", name="Douglas", kind="station")
        start = activity_start() + dt.timedelta(days=1, hours=1)
        place = {"lon": -110.90, "lat": 31.34, "radius": 300}
        _, first = self._register(
            world, "us_supervisor", **place, start=start, end=start + H, unit=ngl
        )
        _, same_unit = self._register(
            world, "us_supervisor", **place, start=start, end=start + H, unit=ngl
        )
        _, other_unit = self._register(
            world, "us_supervisor", **place, start=start, end=start + H, unit=other
        )
        assert first == [] and same_unit == []
        assert len(other_unit) == 2  # both NGL activities, each from a different unit
        assert {(a.agency_a.code, a.agency_b.code) for a in other_unit} == {("USBP", "USBP")}

    def test_alert_reveals_only_contact_place_and_window(self, world, client):
        from conftest import login_verified

        login_verified(client, world.user("mx_supervisor"))
        body = client.get(f"/operations/alerts/{world.alert.pk}/").content.decode()
        assert "+1 520 555 0100" in body  # whom to call
        for secret in ("KRIKKIT", "stash house", "surveillance", "800"):
            assert secret not in body
        listing = client.get("/operations/activities/").content.decode()
        assert "KRIKKIT" not in listing and "MAGRATHEAN" in listing

    def test_bad_windows_and_positions_are_refused(self, world):
        with pytest.raises(ValidationError, match="end after"):
            self._register(
                world, "us_supervisor", lon=-110.9, lat=31.3, radius=10, start=T0, end=T0
            )
        with pytest.raises(ValidationError):
            self._register(
                world, "us_supervisor", lon=-200, lat=31.3, radius=10, start=T0, end=T0 + H
            )

    def test_analyst_cannot_register(self, world):
        with pytest.raises(RecordNotFound):
            self._register(
                world, "us_analyst", lon=-110.9, lat=31.3, radius=10, start=T0, end=T0 + H
            )
        assert DeconflictionAlert.objects.unrestricted(reason="test").count() == 1


@pytest.mark.django_db
class TestMembershipTwoAgencyRule:
    def test_one_agency_alone_cannot_add_a_member(self, world):
        change = world.membership_change
        officer_user = world.user("us_nocomp")
        membership_change_approve(actor=world.user("us_supervisor"), change=change)
        change.refresh_from_db()
        assert change.status == "pending"
        with pytest.raises(ValidationError, match="already approved"):
            membership_change_approve(actor=world.user("us_supervisor"), change=change)
        assert not JointOperation.objects.visible_to(officer_user).exists()
        membership_change_approve(actor=world.user("mx_supervisor"), change=change)
        change.refresh_from_db()
        assert change.status == "applied"
        forget_reader(officer_user)
        assert JointOperation.objects.visible_to(officer_user).filter(code="OP-JOINT").exists()
        actions = set(
            AuditEvent.objects.unrestricted(reason="test")
            .filter(action__startswith="operation.")
            .values_list("action", flat=True)
        )
        assert {
            "operation.membership_request",
            "operation.membership_approve",
            "operation.member_add",
        } <= actions

    def test_a_supervisor_of_a_non_lead_agency_cannot_approve(self, world):
        from world import make_user

        outsider = make_user(
            agency=world.third, username="gt.supervisor", roles=["patrol_supervisor"]
        )
        with pytest.raises(RecordNotFound):
            membership_change_approve(actor=outsider, change=world.membership_change)
