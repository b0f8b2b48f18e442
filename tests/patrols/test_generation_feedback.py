"""What the plan generator tells a supervisor (issue 12): a shift that already has a published
plan is refused naming it; "nobody to assign" says how many members are kept off and why;
crews on overlapping windows are explained; shifts are listed in time order."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from world_patrols import TODAY

from alianza.access.models import CompartmentMembership
from alianza.access.rules import forget_reader
from alianza.agencies.models import Officer
from alianza.patrols import planning, selectors
from alianza.patrols.forms import PlanGenerateForm
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.services import assignment_edit, plan_generate, plan_publish, plan_withdraw
from alianza.training.models import Certification
from alianza.vetting.services import allegation_file

from world import login_verified

pytestmark = pytest.mark.django_db
DATE = TODAY + dt.timedelta(days=2)
ONE_TRUCK = {"max_crews": {"truck": 1, "atv": 0}}


def _generate(pw, *, actor="us_supervisor", shift="night", date=DATE, seed=7, **kwargs):
    return plan_generate(
        actor=pw.user(actor) if actor else None,
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


def _refusal(pw, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        _generate(pw, **kwargs)
    return error.value


# A shift that already has a published plan.


def test_generating_a_shift_that_is_already_published_is_refused_naming_the_plan(pw):
    forget_reader(pw.user("mx_supervisor"))  # the patrol world made them a member
    published = _generate(pw, **{"method": ONE_TRUCK})
    plan_publish(actor=pw.user("mx_supervisor"), plan=published)
    error = _refusal(pw, seed=8)
    message = " ".join(error.message_dict["shift"])
    assert f"already published: plan {published.pk}" in message
    assert error.error_dict["shift"][0].code == "shift_published"
    assert PatrolPlan.objects.unrestricted(reason="test").count() == 1  # nothing drawn
    # Another shift, date or sector of the same operation is not affected.
    assert _generate(pw, shift="day", date=DATE + dt.timedelta(days=3))


def test_a_withdrawn_plan_no_longer_blocks_its_shift(pw):
    published = _generate(pw, **{"method": ONE_TRUCK})
    plan_publish(actor=pw.user("us_supervisor"), plan=published)
    plan_withdraw(actor=pw.user("us_supervisor"), plan=published)
    assert _generate(pw, seed=8).status == PatrolPlan.Status.DRAFT


def test_drafts_of_one_shift_may_coexist_but_only_one_is_published(pw):
    first = _generate(pw, **{"method": ONE_TRUCK})
    second = _generate(pw, seed=8, **{"method": ONE_TRUCK})  # an alternative draw: allowed
    plan_publish(actor=pw.user("us_supervisor"), plan=first)
    with pytest.raises(ValidationError) as error:
        plan_publish(actor=pw.user("us_supervisor"), plan=second)
    assert f"already published: plan {first.pk}" in " ".join(error.value.message_dict["status"])
    second.refresh_from_db()
    assert second.status == PatrolPlan.Status.DRAFT


def test_the_generate_page_links_the_published_plan_of_the_shift(pw, client):
    published = _generate(pw, **{"method": ONE_TRUCK})
    plan_publish(actor=pw.user("us_supervisor"), plan=published)
    login_verified(client, pw.user("us_supervisor"))
    response = client.post(
        reverse("patrols:plan_generate"),
        {
            "operation": pw.operation.pk,
            "sector": pw.sector.pk,
            "date": DATE.isoformat(),
            "shift": "night",
            "seed": "3",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already published" in html
    assert reverse("patrols:plan_detail", args=[published.pk]) in html


# Why nobody can be assigned.


def _only_patrol_agents_and_supervisors(pw):
    """Keep the operation's membership to the patrol world's agents and the two supervisors,
    so the test knows every member."""
    keep = [pw.user(k).officer.pk for k in pw.agents] + [
        pw.user("us_supervisor").officer.pk,
        pw.user("mx_supervisor").officer.pk,
    ]
    CompartmentMembership.objects.filter(compartment=pw.operation.compartment).exclude(
        officer_id__in=keep
    ).delete()
    for key in ("us_supervisor", "mx_supervisor"):
        CompartmentMembership.objects.get_or_create(
            compartment=pw.operation.compartment, officer=pw.user(key).officer
        )
        forget_reader(pw.user(key))


def test_nobody_to_assign_counts_the_members_kept_off_per_reason(pw):
    _only_patrol_agents_and_supervisors(pw)
    night = _generate(pw, **{"method": ONE_TRUCK})  # the same shift: its crews are booked
    booked = _crew_ids(night)
    # The next day shift starts when the night ends: its crews are within the rest period.
    day = _generate(pw, shift="day", date=DATE + dt.timedelta(days=1), **{"method": ONE_TRUCK})
    resting = _crew_ids(day)
    assert booked and resting and not booked & resting
    others = [
        pw.user(k).officer
        for k in sorted(pw.agents)
        if pw.user(k).officer.pk not in booked | resting
    ]
    us_others = [o for o in others if o.agency_id == pw.w.us.pk]
    mx_others = [o for o in others if o.agency_id == pw.w.mx.pk]
    assert us_others and mx_others and len(others) >= 4
    # One inactive officer per agency: each supervisor counts only their own agency's.
    for officer in (us_others[0], mx_others[0]):
        Officer.objects.unrestricted(reason="test").filter(pk=officer.pk).update(active=False)
    suspended = [o for o in others if o not in (us_others[0], mx_others[0])][0]
    allegation_file(actor=None, officer=suspended, summary="Tip line report.")
    untrained = [o for o in others if o not in (us_others[0], mx_others[0], suspended)]
    Certification.objects.unrestricted(reason="test").filter(
        officer__in=untrained, course__code="JP-101"
    ).delete()

    message = " ".join(_refusal(pw, seed=99).message_dict["operation"])
    lacking = len(untrained) + 2  # the two supervisors hold no patrol qualification
    assert message.startswith("No member of the operation is eligible and free for this shift:")
    assert "1 is inactive;" in message
    assert "1 is not vetted;" in message
    assert f"{lacking} lack the qualification “Joint patrol member”;" in message
    assert f"{len(booked)} are assigned elsewhere at that time;" in message
    assert f"{len(resting)} are within the 8-hour rest period after another shift." in message
    assert f"The draft plan {night.pk} of this shift already holds some of them" in message
    # Counts only: no officer's name.
    for officer in Officer.objects.unrestricted(reason="test").filter(pk__in=booked | resting):
        assert officer.family_name not in message
    # The partner's supervisor counts their own inactive officer, not the other agency's.
    partner = " ".join(_refusal(pw, actor="mx_supervisor", seed=98).message_dict["operation"])
    assert "1 is inactive;" in partner

    with translation.override("es"):
        spanish = " ".join(_refusal(pw, seed=97).message_dict["operation"])
    assert spanish.startswith(
        "Ningún miembro de la operación es elegible y está libre para este turno:"
    )
    assert f"{lacking} carecen de la habilitación “Integrante de patrulla conjunta”" in spanish
    assert f"{len(booked)} están asignados en otro lugar a esa hora" in spanish


def test_one_eligible_officer_alone_is_too_few_for_a_crew(pw):
    _only_patrol_agents_and_supervisors(pw)
    keep = pw.user("us1").officer
    Certification.objects.unrestricted(reason="test").filter(
        officer__in=[pw.user(k).officer for k in pw.agents if k != "us1"],
        course__code="JP-101",
    ).delete()
    message = " ".join(_refusal(pw).message_dict["operation"])
    assert "1 is eligible and free, too few in one agency for a crew of 2." in message
    assert keep.family_name not in message


# Crews on overlapping windows at the same time.


def test_overlapping_windows_are_grouped_per_slot_with_the_shared_stretch():
    unit = planning.WindowUnit
    pair = unit(ids=(1, 2), slot=0, first=10, last=15)  # a mirrored pair: one unit
    solo = unit(ids=(3,), slot=0, first=12, last=17)
    far = unit(ids=(4,), slot=0, first=40, last=45)
    later = unit(ids=(5,), slot=1, first=10, last=15)  # same window, another slot
    chain = [unit(ids=(6,), slot=2, first=0, last=5), unit(ids=(7,), slot=2, first=5, last=10)]
    chain.append(unit(ids=(8,), slot=2, first=10, last=15))
    found = planning.overlapping_units([far, later, solo, pair, *chain])
    assert [(o.slot, [u.ids for u in o.units], o.first, o.last) for o in found] == [
        (0, [(1, 2), (3,)], 12, 15),
        (2, [(6,), (7,), (8,)], 5, 10),
    ]
    assert planning.overlapping_units([pair, far, later]) == []


def test_expected_units_add_the_solver_schedules_over_each_segment():
    inputs = {
        "segments": [f"s{i}" for i in range(20)],
        "slots": [{}, {}],
        "unit_types": [
            {"name": "US:truck", "window": 6},
            {"name": "MX:truck", "window": 6},
            {"name": "US:atv", "window": 4},
        ],
    }
    result = {
        "schedules": [
            ["US:truck", 0, 10, 1.6],
            ["US:truck+MX:truck", 0, 12, 0.3],
            ["US:atv", 1, 18, 0.5],  # a window cut at the last segment
        ]
    }
    expected = planning.expected_units(inputs, result)
    assert expected.shape == (20, 2)
    assert expected[9, 0] == 0 and expected[10, 0] == pytest.approx(1.6)
    assert expected[12, 0] == pytest.approx(1.9) and expected[17, 0] == pytest.approx(0.3)
    assert expected[18, 0] == 0
    assert expected[18, 1] == expected[19, 1] == pytest.approx(0.5)


def _slot_of(plan, assignment) -> int:
    return next(
        h
        for h, s in enumerate(plan.inputs["slots"])
        if dt.datetime.fromisoformat(s["start"]) == assignment.starts_at
    )


def test_the_plan_page_explains_two_crews_the_solver_calls_for_on_one_window(pw, client):
    plan = _generate(pw)
    solo = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan)
        .select_related("first_segment", "last_segment")
        .order_by("pk")
        .first()
    )
    # A solver that sent 1.6 units on this window in this slot: the draw may put two there.
    ids = plan.inputs["segments"]
    first, last = ids.index(solo.first_segment.segment_id), ids.index(solo.last_segment.segment_id)
    slot = _slot_of(plan, solo)
    plan.solver_result["schedules"] = [[solo.unit_type, slot, first, 1.6]]
    plan.save(update_fields=["solver_result"])
    twin = PatrolAssignment.objects.create(
        plan=plan,
        agency_id=solo.agency_id,
        unit_type=solo.unit_type,
        side=solo.side,
        first_segment=solo.first_segment,
        last_segment=solo.last_segment,
        starts_at=solo.starts_at,
        ends_at=solo.ends_at,
        vehicle="Twin 2",
    )
    assert last >= first
    login_verified(client, pw.user("us_supervisor"))
    html = client.get(reverse("patrols:plan_detail", args=[plan.pk])).content.decode()
    note = html.split('class="muted overlap-note">', 1)[1].split("</p>", 1)[0]
    assert (
        f"2 units overlap on {solo.first_segment.segment_id}–{solo.last_segment.segment_id}" in note
    )
    assert "the solver calls for 1.6 units here on average" in note
    api = client.get(f"/api/patrols/plans/{plan.pk}").json()
    [overlap] = api["overlaps"]
    assert overlap["reason"] == "called_for" and overlap["units"] == 2
    assert twin.pk in overlap["assignment_ids"] and overlap["expected_units"] == pytest.approx(1.6)


def test_a_hand_edit_onto_another_window_is_explained_as_such_and_pairs_are_not_overlaps(
    pw, client
):
    plan = _generate(pw)
    rows = list(
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan)
        .select_related("first_segment", "last_segment", "mirror")
        .order_by("pk")
    )
    # As drawn: a mirrored pair is one unit, never an overlap of its own two halves.
    assignments = selectors.plan_assignments(reader=pw.user("us_supervisor"), plan=plan)
    for overlap in selectors.plan_overlaps(plan, assignments):
        assert overlap.units >= 2 and not overlap.edited
        halves = {a.pk for a in overlap.assignments}
        assert any(a.mirror_id not in halves for a in overlap.assignments)

    # Move one crew onto another's window at that time: a crew working the same slot, or a
    # crew not out in that slot at all (a crew keeps its officers for the whole shift).
    def vehicles_at(when):
        return {a.vehicle for a in rows if a.starts_at == when}

    candidates = [
        (target, moved)
        for target in rows
        for moved in rows
        if moved.pk not in (target.pk, target.mirror_id)
        and moved.vehicle != target.vehicle
        and (
            moved.starts_at == target.starts_at
            or moved.vehicle not in vehicles_at(target.starts_at)
        )
    ]
    if not candidates:
        pytest.skip("the draw has no second crew to move")  # not with seed 7 on this world
    target, moved = candidates[0]
    assignment_edit(
        actor=pw.user("us_supervisor"),
        assignment=moved,
        first_segment=target.first_segment,
        last_segment=target.last_segment,
        starts_at=target.starts_at,
        ends_at=target.ends_at,
    )
    login_verified(client, pw.user("us_supervisor"))
    html = client.get(reverse("patrols:plan_detail", args=[plan.pk])).content.decode()
    assert "moved there by hand" in html
    if target.mirror_id:
        assert "mirrored pair" in html


# Shifts in time order.


def test_shifts_are_listed_in_time_order_not_alphabetically(pw, client):
    for shift in ("night", "swing", "day"):
        _generate(pw, shift=shift, date=DATE + dt.timedelta(days=5), **{"method": ONE_TRUCK})
    _generate(pw, shift="night", date=DATE + dt.timedelta(days=6), **{"method": ONE_TRUCK})
    wanted = ["night", "day", "swing", "night"]  # newest date first, then by start hour
    supervisor = pw.user("us_supervisor")
    assert [p.shift for p in selectors.plan_list(reader=supervisor)] == wanted
    assert [p.shift for p in PatrolPlan.objects.unrestricted(reason="test")] == wanted
    assert [c for c, _label in PlanGenerateForm.base_fields["shift"].choices] == [
        "day",
        "swing",
        "night",
    ]
    login_verified(client, supervisor)
    api = client.get("/api/patrols/plans").json()
    assert [p["shift"] for p in api["items"]] == wanted
    html = client.get(reverse("patrols:plan_list")).content.decode()
    labels = {str(PatrolPlan.Shift(s).label): s for s in ("day", "swing", "night")}
    shown = re.findall("|".join(re.escape(label) for label in labels), html)
    assert [labels[label] for label in shown] == wanted


def test_a_plan_without_crews_of_one_agency_says_why_on_its_page(pw, client):
    _only_patrol_agents_and_supervisors(pw)
    mx_agents = [pw.user(k).officer for k in sorted(pw.agents) if k.startswith("mx")]
    Certification.objects.unrestricted(reason="test").filter(
        officer__in=mx_agents[:-1], course__code="JP-101"
    ).delete()
    Officer.objects.unrestricted(reason="test").filter(pk=mx_agents[-1].pk).update(active=False)
    plan = _generate(pw)
    assert plan.inputs["crew_shortfall"]["MXFP"]["missing"] == [[["joint_patrol"], 6]]
    assert "USBP" not in plan.inputs["crew_shortfall"]
    login_verified(client, pw.user("us_supervisor"))
    html = client.get(reverse("patrols:plan_detail", args=[plan.pk])).content.decode()
    # Five agents and the supervisor lack the qualification; the inactive one is not counted.
    assert "No MXFP crew in this plan: 6 lack the qualification “Joint patrol member”." in html
    assert "inactive" not in html
