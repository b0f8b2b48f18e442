"""The rules every assignment obeys, generated or edited: eligible, not double-booked, rested;
a suspended officer is never assigned and leaves published plans at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from world_patrols import TODAY

from alianza.audit.models import AuditEvent
from alianza.border.models import Segment
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.selectors import coverage_comparison
from alianza.patrols.services import (
    assignment_edit,
    plan_generate,
    plan_publish,
    plan_withdraw,
)
from alianza.vetting.services import allegation_file

pytestmark = pytest.mark.django_db
DATE = TODAY + dt.timedelta(days=2)


def _generate(pw, *, shift="night", date=DATE, seed=7, **kwargs):
    return plan_generate(
        actor=pw.user("us_supervisor"),
        operation=pw.operation,
        sector=pw.sector,
        date=date,
        shift=shift,
        seed=seed,
        **kwargs,
    )


def _crew_ids(plan) -> set[int]:
    return set(
        PatrolAssignmentOfficer.objects.unrestricted(reason="test")
        .filter(assignment__plan=plan)
        .values_list("officer_id", flat=True)
    )


def _assignment(plan, side="US") -> PatrolAssignment:
    return (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, side=side)
        .select_related("plan", "first_segment", "last_segment")
        .order_by("pk")
        .first()
    )


def _crew(assignment):
    return list(
        PatrolAssignmentOfficer.objects.unrestricted(reason="test")
        .filter(assignment=assignment)
        .values_list("officer_id", flat=True)
    )


def test_a_suspended_officer_is_never_assigned(pw):
    suspended = pw.user("us1").officer
    allegation_file(actor=None, officer=suspended, summary="Tip line report.")
    for seed in range(5):
        plan = _generate(pw, seed=seed, date=DATE + dt.timedelta(days=seed))
        assert suspended.pk not in _crew_ids(plan)


def test_suspending_an_officer_removes_them_from_published_plans_audited(pw):
    plan = _generate(pw)
    plan_publish(actor=pw.user("us_supervisor"), plan=plan)
    officer_id = next(iter(_crew_ids(plan)))
    from alianza.agencies.models import Officer

    officer = Officer.objects.unrestricted(reason="test").get(pk=officer_id)
    allegation_file(actor=None, officer=officer, summary="Allegation.")
    assert officer_id not in _crew_ids(plan)
    event = AuditEvent.objects.unrestricted(reason="test").get(
        action="patrolplan.officer_removed", object_id=str(plan.pk)
    )
    assert event.details["officer"] == officer_id


def test_an_edit_that_double_books_an_officer_is_refused_naming_the_officer_and_rule(pw):
    night = _generate(pw, method={"max_crews": {"truck": 1, "atv": 0}})
    # A second plan of the same shift in another sector can only use the free officers.
    other = _generate(pw, seed=8, method={"max_crews": {"truck": 1, "atv": 0}})
    assert not _crew_ids(night) & _crew_ids(other)
    target = _assignment(other)
    taken = _crew(_assignment(night))[0]
    from alianza.agencies.models import Officer

    officer = Officer.objects.unrestricted(reason="test").get(pk=taken)
    with pytest.raises(ValidationError) as error:
        assignment_edit(
            actor=pw.user("us_supervisor"),
            assignment=target,
            officers=[officer]
            + [Officer.objects.unrestricted(reason="test").get(pk=i) for i in _crew(target)[1:]],
        )
    message = " ".join(error.value.message_dict["officers"])
    assert officer.full_name in message and "double-booked" in message


def test_generation_refuses_when_everyone_is_already_booked(pw):
    _generate(pw)
    with pytest.raises(ValidationError) as error:
        _generate(pw, seed=99)
    message = " ".join(error.value.message_dict["operation"])
    assert "No member of the operation is eligible and free for this shift" in message
    assert "are assigned elsewhere at that time" in message


def test_too_little_rest_between_shifts_is_refused(pw):
    day = _generate(
        pw,
        shift="day",
        date=DATE + dt.timedelta(days=1),
        method={"max_crews": {"truck": 1, "atv": 1}},
    )
    night = _generate(pw, shift="night", date=DATE)  # ends 06:00 when the day shift starts
    assert not _crew_ids(day) & _crew_ids(night), "the rest rule keeps them apart"
    from alianza.agencies.models import Officer

    rested = Officer.objects.unrestricted(reason="test").get(pk=_crew(_assignment(day))[0])
    target = _assignment(night)
    with pytest.raises(ValidationError) as error:
        assignment_edit(actor=pw.user("us_supervisor"), assignment=target, officers=[rested])
    message = " ".join(error.value.message_dict["officers"])
    assert rested.full_name in message and "would rest only" in message
    assert "(minimum 8 h)" in message


def test_an_ineligible_officer_cannot_be_put_on_an_assignment(pw):
    plan = _generate(pw)
    target = _assignment(plan)
    analyst = pw.user("us_analyst").officer  # vetted, in another compartment, no training
    with pytest.raises(ValidationError) as error:
        assignment_edit(actor=pw.user("us_supervisor"), assignment=target, officers=[analyst])
    message = " ".join(error.value.message_dict["officers"])
    assert "Missing qualifications:" in message and "joint_patrol" in message
    assert "not a member of the operation" in message
    mx = pw.user("mx6").officer
    with pytest.raises(ValidationError) as error:
        assignment_edit(actor=pw.user("us_supervisor"), assignment=target, officers=[mx])
    assert "another agency" in " ".join(error.value.message_dict["officers"])


def test_publishing_rechecks_and_refuses_a_crew_that_became_ineligible(pw):
    plan = _generate(pw)
    officer_id = next(iter(_crew_ids(plan)))
    from alianza.agencies.models import Officer

    officer = Officer.objects.unrestricted(reason="test").get(pk=officer_id)
    officer.active = False
    officer.save(update_fields=["active"])
    with pytest.raises(ValidationError) as error:
        plan_publish(actor=pw.user("us_supervisor"), plan=plan)
    assert officer.full_name in " ".join(error.value.message_dict["officers"])
    plan.refresh_from_db()
    assert plan.status == PatrolPlan.Status.DRAFT


def test_a_hand_edit_moves_the_window_and_shows_in_edited_vs_solver(pw):
    plan = _generate(pw)
    target = _assignment(plan)
    segments = plan.inputs["segments"]
    slot = next(
        i for i, s in enumerate(plan.inputs["slots"]) if s["start"] == target.starts_at.isoformat()
    )
    covered = {
        position
        for h, _kind, start, end in plan.solver_result["sampled"]
        if h == slot
        for position in range(start, end)
    }
    free = next(i for i in range(len(segments) - 3) if not covered & {i, i + 1, i + 2})
    first = Segment.objects.get(segment_id=segments[free])
    last = Segment.objects.get(segment_id=segments[free + 2])
    assert coverage_comparison(reader=pw.user("us_supervisor"), plan=plan).cells == []
    assignment_edit(
        actor=pw.user("us_supervisor"),
        assignment=target,
        first_segment=first,
        last_segment=last,
        vehicle="USBP Truck 42",
    )
    target.refresh_from_db()
    assert target.manually_edited and target.vehicle == "USBP Truck 42"
    comparison = coverage_comparison(reader=pw.user("us_supervisor"), plan=plan)
    moved_to = {c.segment_id for c in comparison.cells if c.edited > c.generated}
    assert moved_to == set(segments[free : free + 3])
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="patrolassignment.edit", object_id=str(plan.pk))
        .exists()
    )


def test_edit_errors_name_the_field(pw):
    plan = _generate(pw)
    target = _assignment(plan)
    start, end = plan.shift_bounds
    with pytest.raises(ValidationError) as error:
        assignment_edit(
            actor=pw.user("us_supervisor"), assignment=target, starts_at=end, ends_at=start
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        assignment_edit(
            actor=pw.user("us_supervisor"),
            assignment=target,
            starts_at=start - dt.timedelta(hours=1),
        )
    assert "starts_at" in error.value.message_dict
    outside = Segment.objects.exclude(segment_id__in=plan.inputs["segments"]).first()
    with pytest.raises(ValidationError) as error:
        assignment_edit(actor=pw.user("us_supervisor"), assignment=target, first_segment=outside)
    assert "first_segment" in error.value.message_dict


def test_a_withdrawn_plan_frees_its_officers_and_cannot_be_edited(pw):
    plan = _generate(pw)
    plan_withdraw(actor=pw.user("us_supervisor"), plan=plan)
    again = _generate(pw, seed=3)  # the same officers are free again
    assert _crew_ids(again)
    with pytest.raises(ValidationError):
        assignment_edit(actor=pw.user("us_supervisor"), assignment=_assignment(plan), vehicle="x")


def test_moving_one_half_of_a_mirrored_pair_shows_the_pair_broken(pw, client):
    from django.urls import reverse

    from conftest import login_verified

    plan = _generate(pw)
    target = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, side="US", mirror__isnull=False)
        .select_related("mirror")
        .order_by("pk")
        .first()
    )
    assert target is not None and target.mirror_intact and target.mirror.mirror_intact
    url = reverse("patrols:plan_detail", args=[plan.pk])
    login_verified(client, pw.user("us_supervisor"))
    assert "pair broken" not in client.get(url).content.decode()
    index = plan.inputs["segments"].index(target.first_segment.segment_id)
    segments = plan.inputs["segments"]
    moved = index + 5 if index + 5 < len(segments) else index - 5
    assignment_edit(
        actor=pw.user("us_supervisor"),
        assignment=target,
        first_segment=Segment.objects.get(segment_id=segments[moved]),
        last_segment=Segment.objects.get(segment_id=segments[moved]),
    )
    target = PatrolAssignment.objects.unrestricted(reason="test").get(pk=target.pk)
    assert not target.mirror_intact and not target.mirror.mirror_intact
    assert "pair broken" in client.get(url).content.decode()
