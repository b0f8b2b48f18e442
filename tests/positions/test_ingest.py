"""Ingesting batches of position reports: validation by row, all or nothing, duplicates, the
latest-position cache and the one audit entry per batch."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from django.utils import timezone
from world_positions import MX_POINT, MX_UNIT, PRIVATE, SHARED, US_POINT, register_units, report

from alianza.access.getters import RecordNotFound
from alianza.audit.models import AuditEvent
from alianza.positions.models import LatestPosition, PositionReport
from alianza.positions.services import PositionBatchInvalid, positions_ingest

pytestmark = pytest.mark.django_db


def _reports():
    return PositionReport.objects.unrestricted(reason="test")


def _latest():
    return LatestPosition.objects.unrestricted(reason="test")


@pytest.fixture
def units(world):
    return register_units(world)


def test_a_good_batch_is_stored_located_and_marked(world, units):
    now = timezone.now()
    result = positions_ingest(
        actor=world.user("us_supervisor"),
        reports=[
            report(SHARED, now - dt.timedelta(minutes=2), speed_kmh=22.4, heading=90),
            report(SHARED, now - dt.timedelta(minutes=1)),
            report(PRIVATE, now - dt.timedelta(minutes=1)),
        ],
    )
    assert (result.accepted, result.duplicates, result.units) == (3, 0, [SHARED, PRIVATE])
    stored = list(_reports().select_related("segment", "marking").order_by("time", "unit__code"))
    assert len(stored) == 3
    first = stored[0]
    assert first.side == "US" and first.segment.segment_id.startswith("km-")
    assert (first.speed_kmh, first.heading) == (22, 90)
    assert first.marking.summary == "USBP REL MXFP [OP-JOINT]"
    private = next(r for r in stored if r.unit.code == PRIVATE)
    assert private.marking.summary == "USBP [OP-JOINT]"  # not shared: own agency only


def test_without_an_operation_a_position_stays_with_its_agency(world, units):
    row = report(SHARED, timezone.now() - dt.timedelta(minutes=1))
    row.pop("operation")
    positions_ingest(actor=world.user("us_supervisor"), reports=[row])
    assert _reports().get().marking.summary == "USBP"


def _errors(actor, rows):
    with pytest.raises(PositionBatchInvalid) as caught:
        positions_ingest(actor=actor, reports=rows)
    return {(e.index, e.field) for e in caught.value.rows}, caught.value


def test_every_bad_row_is_named_by_index_and_field_and_nothing_is_stored(world, units):
    now = timezone.now()
    good = report(SHARED, now - dt.timedelta(minutes=3))
    rows = [
        good,
        report(SHARED, now - dt.timedelta(minutes=2), point=(-110.95, 95.0)),  # lat out of range
        report(SHARED, now - dt.timedelta(minutes=2), point=(math.nan, 31.34)),  # NaN
        report(SHARED, now + dt.timedelta(hours=1)),  # future
        report(SHARED, now - dt.timedelta(minutes=2), point=(-110.95, 35.0)),  # ~400 km north
        report("NO-SUCH-UNIT", now - dt.timedelta(minutes=2)),
        report(MX_UNIT, now - dt.timedelta(minutes=2)),  # another agency's unit
        report(SHARED, (now - dt.timedelta(minutes=2)).replace(tzinfo=None)),  # naive
        report(SHARED, now - dt.timedelta(minutes=2), operation="OP-NOPE"),
        report(SHARED, now - dt.timedelta(minutes=2), heading=400),
        {**good, "lat": "north"},
    ]
    errors, error = _errors(world.user("us_supervisor"), rows)
    assert errors == {
        (1, "lat"),
        (2, "lon"),
        (3, "time"),
        (4, "location"),
        (5, "unit"),
        (6, "unit"),
        (7, "time"),
        (8, "operation"),
        (9, "heading"),
        (10, "lat"),
    }
    assert "11" not in error.messages[0] and "10 bad reports" in error.messages[0]
    assert not _reports().exists() and not _latest().exists()
    assert (
        not AuditEvent.objects.unrestricted(reason="test")
        .filter(action="positionreport.ingest")
        .exists()
    )


def test_a_failure_while_writing_leaves_nothing_behind(world, units, monkeypatch):
    import alianza.positions.services as services

    def broken(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        positions_ingest(
            actor=world.user("us_supervisor"),
            reports=[report(SHARED, timezone.now() - dt.timedelta(minutes=1))],
        )
    assert not _reports().exists() and not _latest().exists()


def test_a_resent_batch_is_counted_as_duplicates(world, units):
    rows = [report(SHARED, timezone.now() - dt.timedelta(minutes=m)) for m in (3, 2, 1)]
    actor = world.user("us_supervisor")
    assert positions_ingest(actor=actor, reports=rows).accepted == 3
    again = positions_ingest(actor=actor, reports=rows + [rows[0]])
    assert (again.accepted, again.duplicates) == (0, 4)
    assert _reports().count() == 3


def test_the_latest_position_only_moves_forward(world, units):
    actor = world.user("us_supervisor")
    now = timezone.now()
    t1, t2, t0 = (now - dt.timedelta(minutes=m) for m in (10, 5, 30))
    positions_ingest(actor=actor, reports=[report(SHARED, t1), report(SHARED, t2)])
    assert _latest().get().time == t2
    moved = (US_POINT[0] + 0.01, US_POINT[1])
    positions_ingest(actor=actor, reports=[report(SHARED, t0, point=moved)])  # late arrival
    latest = _latest().get()
    assert (latest.time, latest.lon) == (t2, US_POINT[0])
    positions_ingest(actor=actor, reports=[report(SHARED, now, point=moved)])
    latest = _latest().get()
    assert (latest.time, latest.lon) == (now, moved[0])
    assert _latest().count() == 1 and _reports().count() == 4


def test_one_audit_entry_per_batch_names_the_count_and_units(world, units):
    now = timezone.now()
    positions_ingest(
        actor=world.user("us_supervisor"),
        reports=[report(SHARED, now - dt.timedelta(seconds=s)) for s in range(30, 0, -1)]
        + [report(PRIVATE, now)],
    )
    entries = list(
        AuditEvent.objects.unrestricted(reason="test").filter(action="positionreport.ingest")
    )
    assert len(entries) == 1
    assert entries[0].details["count"] == 31
    assert entries[0].details["units"] == [SHARED, PRIVATE]
    assert entries[0].actor_username == "us.supervisor"


@pytest.mark.parametrize("user_key", ["us_analyst", "us_inactive", "no_officer"])
def test_only_patrol_officers_may_report(world, units, user_key):
    with pytest.raises(RecordNotFound):
        positions_ingest(actor=world.user(user_key), reports=[report(SHARED, timezone.now())])
    assert not _reports().exists()


def test_a_patrol_agent_may_report(world, units):
    from world import make_user, vet_officer

    agent = make_user(
        agency=world.us,
        username="us.agent.pos",
        roles=["patrol_agent"],
        compartments=[world.operation.compartment],
    )
    vet_officer(agent.officer)
    assert positions_ingest(actor=agent, reports=[report(SHARED, timezone.now())]).accepted == 1


def test_batch_api_answers_counts_and_row_errors(world, units, client):
    client.force_login(world.user("mx_supervisor"))
    when = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    body = {"reports": [{"unit": MX_UNIT, "time": when, "lon": MX_POINT[0], "lat": MX_POINT[1]}]}
    response = client.post(
        "/api/positions/batch", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 1 and response.json()["units"] == [MX_UNIT]
    body["reports"].append({**body["reports"][0], "lat": 12.0, "time": "yesterday"})
    response = client.post(
        "/api/positions/batch", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    data = response.json()
    assert data["field"] in ("reports.1.time", "reports.1.lat")
    assert response.status_code == 422


def test_batch_api_reports_a_bad_row_of_the_service(world, units, client):
    client.force_login(world.user("mx_supervisor"))
    when = timezone.now() - dt.timedelta(minutes=1)
    body = {
        "reports": [
            {"unit": MX_UNIT, "time": when.isoformat(), "lon": MX_POINT[0], "lat": MX_POINT[1]},
            {"unit": MX_UNIT, "time": when.isoformat(), "lon": -110.95, "lat": 33.5},
        ]
    }
    response = client.post(
        "/api/positions/batch", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    data = response.json()
    assert data["field"] == "reports.1.location"
    assert data["errors"] == [
        {"index": 1, "field": "location", "message": data["errors"][0]["message"]}
    ]
    assert "km from the border" in data["errors"][0]["message"]
    assert not _reports().exists()
