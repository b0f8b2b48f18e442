"""Patrol effort (flows.effort): replacing one agency's rows of one source and day is atomic,
validated and audited; reading it goes through the access layer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from alianza.access.exceptions import AccessLayerBypassed
from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.flows import effort as effort_module
from alianza.flows.effort import EffortRow, patrol_effort_by_segment, patrol_effort_replace
from alianza.flows.models import PatrolEffort

DAY = dt.date(2026, 6, 14)


def _rows(*pairs):
    return [EffortRow(segment_id=s, side="US", hours=h, kilometres=2 * h) for s, h in pairs]


def _replace(w, *, agency=None, day=DAY, source="manual", rows, marking=None, actor=None):
    agency = agency or w.us
    marking = marking or marking_get_or_create(
        originating_agency=agency, releasable_to=[w.mx if agency == w.us else w.us]
    )
    return patrol_effort_replace(
        actor=actor, agency=agency, day=day, source=source, rows=rows, marking=marking
    )


def _stored():
    return sorted(
        PatrolEffort.objects.unrestricted(reason="test").values_list(
            "agency__code", "day", "source", "segment__segment_id", "hours"
        )
    )


def test_replace_replaces_only_that_agency_source_and_day(world):
    assert _replace(world, rows=_rows(("km-0685", 3.0), ("km-0686", 1.5))) == 2
    _replace(world, source="positions", rows=_rows(("km-0685", 7.0)))
    _replace(world, day=DAY + dt.timedelta(days=1), rows=_rows(("km-0685", 2.0)))
    _replace(world, agency=world.mx, rows=_rows(("km-0685", 4.0)))
    _replace(world, rows=_rows(("km-0690", 9.0)))
    assert _stored() == [
        ("MXFP", DAY, "manual", "km-0685", 4.0),
        ("USBP", DAY, "manual", "km-0690", 9.0),
        ("USBP", DAY, "positions", "km-0685", 7.0),
        ("USBP", DAY + dt.timedelta(days=1), "manual", "km-0685", 2.0),
    ]
    # An empty replacement clears that day.
    assert _replace(world, rows=[]) == 0
    assert ("USBP", DAY, "manual", "km-0690", 9.0) not in _stored()


def test_replace_is_audited(world):
    _replace(world, rows=_rows(("km-0685", 3.0), ("km-0686", 1.25)))
    entry = AuditEvent.objects.unrestricted(reason="test").get(action="patroleffort.replace")
    assert entry.object_id == f"USBP/{DAY.isoformat()}/manual"
    assert entry.actor_username == "system"
    assert entry.details == {"rows": 2, "hours": 4.25, "markings": ["USBP REL MXFP"]}
    assert entry.marking_summary.startswith("USBP")
    _replace(world, rows=_rows(("km-0685", 1.0)), actor=world.user("us_supervisor"))
    last = (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="patroleffort.replace")
        .order_by("-seq")[0]
    )
    assert last.actor_username == "us.supervisor"


def test_a_failure_while_writing_leaves_the_previous_rows(world, monkeypatch):
    _replace(world, rows=_rows(("km-0685", 3.0)))
    before = _stored()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PatrolEffort.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        _replace(world, rows=_rows(("km-0686", 5.0)))
    monkeypatch.undo()
    assert _stored() == before


def test_a_failing_audit_undoes_the_replacement(world, monkeypatch):
    _replace(world, rows=_rows(("km-0685", 3.0)))
    before = _stored()

    def refuse(**kwargs):
        raise RuntimeError("audit chain unavailable")

    monkeypatch.setattr(effort_module, "audit_record", refuse)
    with pytest.raises(RuntimeError):
        _replace(world, rows=_rows(("km-0686", 5.0)))
    assert _stored() == before


@pytest.mark.parametrize(
    ("rows", "source", "field", "text"),
    [
        (_rows(("km-0685", 1.0), ("km-9999", 1.0)), "manual", "rows", "Row 2: unknown segment"),
        (_rows(("nowhere", 1.0)), "manual", "rows", "Row 1: unknown segment nowhere"),
        (_rows(("km-0685", -1.0)), "manual", "rows", "Row 1: effort cannot be negative"),
        (_rows(("km-0685", 1.0)), "guesswork", "source", "Unknown effort source"),
    ],
)
def test_bad_rows_are_refused_and_nothing_changes(world, rows, source, field, text):
    _replace(world, rows=_rows(("km-0685", 3.0)))
    before = _stored()
    with pytest.raises(ValidationError) as error:
        _replace(world, rows=rows, source=source)
    assert text in error.value.message_dict[field][0]
    assert _stored() == before


def test_reading_effort_goes_through_the_access_layer(world):
    with pytest.raises(AccessLayerBypassed):
        PatrolEffort.objects.filter(day=DAY).count()


def test_each_reader_sees_the_effort_they_may_see(world):
    us, mx = world.us, world.mx
    _replace(world, rows=_rows(("km-0685", 3.0)))  # US, shared with MX
    _replace(
        world,
        day=DAY + dt.timedelta(days=1),
        rows=_rows(("km-0685", 5.0)),
        marking=marking_get_or_create(originating_agency=us),  # US internal
    )
    _replace(
        world,
        day=DAY + dt.timedelta(days=2),
        rows=_rows(("km-0686", 2.0)),
        marking=marking_get_or_create(
            originating_agency=us, releasable_to=[mx], compartments=[world.compartment]
        ),
    )
    _replace(world, agency=mx, rows=_rows(("km-0685", 1.0), ("km-0686", 0.5)))  # MX shared

    def hours(user_key, since=DAY, until=DAY + dt.timedelta(days=5)):
        totals = patrol_effort_by_segment(reader=world.user(user_key), since=since, until=until)
        return {segment: t.hours for segment, t in totals.items()}

    assert hours("us_analyst") == {"km-0685": 9.0, "km-0686": 2.5}
    assert hours("us_nocomp") == {"km-0685": 9.0, "km-0686": 0.5}
    assert hours("mx_analyst") == {"km-0685": 4.0, "km-0686": 0.5}
    assert hours("us_inactive") == {}
    # Both ends of the range are included.
    assert hours("us_analyst", since=DAY, until=DAY) == {"km-0685": 4.0, "km-0686": 0.5}
    totals = patrol_effort_by_segment(reader=world.user("mx_analyst"), since=DAY, until=DAY)
    assert totals["km-0685"].kilometres == 8.0
