"""What the plan generator tells a supervisor (issue 12): a shift that already has a published
plan is refused naming it; "nobody to assign" says how many members are kept off and why;
crews on overlapping windows are explained; shifts are listed in time order."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from world_patrols import TODAY

from alianza.access.models import CompartmentMembership
from alianza.access.rules import forget_reader
from alianza.agencies.models import Officer
from alianza.operations.services import operation_create
from alianza.patrols import planning, selectors, services
from alianza.patrols.forms import PlanGenerateForm
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.services import (
    assignment_edit,
    plan_generate,
    plan_publish,
    plan_withdraw,
    shortfall_reasons,
)
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
    # A chain (6 overlaps 7 on segment 5, 7 overlaps 8 on segment 10) is two stretches, not
    # one from 5 to 10 (segments 6 to 9 have one unit only).
    assert [(o.slot, [u.ids for u in o.units], o.first, o.last) for o in found] == [
        (0, [(1, 2), (3,)], 12, 15),
        (2, [(6,), (7,)], 5, 5),
        (2, [(7,), (8,)], 10, 10),
    ]
    assert planning.overlapping_units([pair, far, later]) == []
    # Three on one stretch where the third joins midway: one stretch, the three units.
    wide = [unit(ids=(9,), slot=3, first=0, last=10), unit(ids=(10,), slot=3, first=2, last=6)]
    wide.append(unit(ids=(11,), slot=3, first=5, last=8))
    assert [(o.first, o.last, len(o.units)) for o in planning.overlapping_units(wide)] == [
        (2, 8, 3)
    ]


def test_expected_units_add_the_solver_schedules_over_each_segment():
    inputs = {"segments": [f"s{i}" for i in range(20)], "slots": [{}, {}]}
    result = {
        "schedules": [
            ["US:truck", 0, 10, 1.6],
            ["US:truck+MX:truck", 0, 12, 0.3],
            ["US:atv", 1, 18, 0.5],  # a window cut at the last segment
        ],
        # The solver's windows (ScheduleSolution.windows), not re-derived here.
        "windows": {"US:truck": 6, "US:truck+MX:truck": 6, "US:atv": 4},
    }
    expected = planning.expected_units(inputs, result)
    assert expected.shape == (20, 2)
    assert expected[9, 0] == 0 and expected[10, 0] == pytest.approx(1.6)
    assert expected[12, 0] == pytest.approx(1.9) and expected[17, 0] == pytest.approx(0.3)
    assert expected[18, 0] == 0
    assert expected[18, 1] == expected[19, 1] == pytest.approx(0.5)


def test_a_plan_stores_the_solver_windows_and_older_results_derive_the_same(pw):
    plan = _generate(pw)
    windows = plan.solver_result["windows"]
    assert windows and any("+" in kind for kind in windows)  # mirrored pairs included
    assert all(label in windows for label, *_rest in plan.solver_result["schedules"])
    older = {k: v for k, v in plan.solver_result.items() if k != "windows"}
    assert planning.schedule_windows(plan.inputs, older) == windows
    assert (
        planning.expected_units(plan.inputs, older)
        == planning.expected_units(plan.inputs, plan.solver_result)
    ).all()


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
    PatrolAssignmentOfficer.objects.create(
        assignment=twin,
        officer_id=min(_crew_ids(plan)),
        starts_at=twin.starts_at,
        ends_at=twin.ends_at,
    )
    assert last >= first
    login_verified(client, pw.user("us_supervisor"))
    stretch = f"{solo.first_segment.segment_id}–{solo.last_segment.segment_id}"

    def notes() -> list[str]:
        # The drawn plan may stack other crews by itself: look at the twin's note only.
        html = client.get(reverse("patrols:plan_detail", args=[plan.pk])).content.decode()
        parts = html.split('class="muted overlap-note">')[1:]
        return [part.split("</p>", 1)[0] for part in parts if stretch in part.split("</p>", 1)[0]]

    def twin_overlaps() -> list[dict]:
        overlaps = client.get(f"/api/patrols/plans/{plan.pk}").json()["overlaps"]
        return [o for o in overlaps if twin.pk in o["assignment_ids"]]

    [note] = notes()
    assert f"2 units overlap on {stretch}" in note
    assert "the solver calls for 1.6 units here on average" in note
    [overlap] = twin_overlaps()
    assert overlap["reason"] == "called_for" and overlap["units"] == 2
    assert overlap["expected_units"] == pytest.approx(1.6)

    # With no officers left (as after a suspension) the twin covers nothing: no overlap, as in
    # the coverage comparison.
    PatrolAssignmentOfficer.objects.unrestricted(reason="test").filter(assignment=twin).delete()
    assert twin_overlaps() == []
    assert notes() == []


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
    # As drawn (seed 7): mirrored pairs, each one unit, never an overlap of its own two halves
    # on one window; the comb draw puts no two units on one stretch of this world.
    assert any(a.mirror_id for a in rows)
    assignments = selectors.plan_assignments(reader=pw.user("us_supervisor"), plan=plan)
    assert selectors.plan_overlaps(plan, assignments) == []

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
    assert candidates  # seed 7 has crews to move onto a mirrored pair's window
    target, moved = candidates[0]
    assert target.mirror_id
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
    assert "mirrored pair" in html
    [overlap] = client.get(f"/api/patrols/plans/{plan.pk}").json()["overlaps"]
    assert overlap["reason"] == "edited" and overlap["units"] == 2  # the pair and the crew
    assert {target.pk, target.mirror_id, moved.pk} <= set(overlap["assignment_ids"])


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


# One published plan per shift, decided by the database.


def test_the_database_refuses_a_second_published_plan_of_a_shift(pw):
    first = _generate(pw, **{"method": ONE_TRUCK})
    second = _generate(pw, seed=8, **{"method": ONE_TRUCK})
    plan_publish(actor=pw.user("us_supervisor"), plan=first)
    plans = PatrolPlan.objects.unrestricted(reason="test")
    with pytest.raises(IntegrityError), transaction.atomic():
        plans.filter(pk=second.pk).update(status=PatrolPlan.Status.PUBLISHED)
    # Another shift, and withdrawn or draft plans of this one, are not constrained.
    plans.filter(pk=second.pk).update(status=PatrolPlan.Status.WITHDRAWN)
    assert plans.filter(status=PatrolPlan.Status.PUBLISHED).count() == 1


def test_publishing_past_the_check_is_refused_by_the_database_with_the_same_message(
    pw, monkeypatch
):
    """Two publishes that both passed the check (a race): the constraint refuses the second,
    with the message of the check, and the transaction goes on."""
    first = _generate(pw, **{"method": ONE_TRUCK})
    second = _generate(pw, seed=8, **{"method": ONE_TRUCK})
    plan_publish(actor=pw.user("us_supervisor"), plan=first)
    monkeypatch.setattr(services, "_refuse_second_published", lambda **kwargs: None)
    with pytest.raises(ValidationError) as error:
        plan_publish(actor=pw.user("us_supervisor"), plan=second)
    assert error.value.error_dict["status"][0].code == "shift_published"
    assert f"already published: plan {first.pk}" in " ".join(error.value.message_dict["status"])
    second.refresh_from_db()  # the transaction is still usable
    assert second.status == PatrolPlan.Status.DRAFT


def test_a_published_plan_the_publisher_cannot_see_is_not_named(pw, monkeypatch):
    first = _generate(pw, **{"method": ONE_TRUCK})
    second = _generate(pw, seed=8, **{"method": ONE_TRUCK})
    plan_publish(actor=pw.user("us_supervisor"), plan=first)
    hidden = selectors.plan_list(reader=pw.user("us_supervisor")).exclude(pk=first.pk)
    monkeypatch.setattr(services, "plan_list", lambda *, reader: hidden)
    with pytest.raises(ValidationError) as error:
        plan_publish(actor=pw.user("us_supervisor"), plan=second)
    message = " ".join(error.value.message_dict["status"])
    assert message == "A plan for this shift is already published."
    assert str(first.pk) not in message


# Bookings in an operation the supervisor cannot see.


def _book_in_another_operation(pw, keys):
    """A compartmented operation of the same agencies that the patrol world's supervisors do
    not belong to, whose night plan books the given agents (one truck crew per agency)."""
    other = operation_create(
        actor=None,
        code="OP-ZARQUON",
        name="Compartmented op ZARQUON",
        starts_on=pw.operation.starts_on,
        ends_on=pw.operation.ends_on,
        lead_agencies=[pw.w.us, pw.w.mx],
        origin=pw.w.us,
    )
    for key in keys:
        CompartmentMembership.objects.create(
            compartment=other.compartment, officer=pw.user(key).officer
        )
    plan = plan_generate(
        actor=None,
        operation=other,
        sector=pw.sector,
        date=DATE,
        shift="night",
        seed=7,
        method=ONE_TRUCK,
    )
    assert not selectors.plan_list(reader=pw.user("us_supervisor")).filter(pk=plan.pk).exists()
    return plan, _crew_ids(plan)


def _untrain_all_but(pw, booked):
    Certification.objects.unrestricted(reason="test").filter(
        officer__in=[pw.user(k).officer for k in pw.agents if pw.user(k).officer.pk not in booked],
        course__code="JP-101",
    ).delete()


def _leaks(text: str, plan) -> bool:
    return any(word in text for word in ("OP-ZARQUON", "ZARQUON", str(plan)))


def test_members_booked_in_a_plan_the_supervisor_cannot_see_are_only_not_available(pw):
    _only_patrol_agents_and_supervisors(pw)
    hidden, booked = _book_in_another_operation(pw, ["us1", "us2", "mx1", "mx2"])
    assert len(booked) == 4
    _untrain_all_but(pw, booked)
    message = " ".join(_refusal(pw).message_dict["operation"])
    assert "4 are not available for this shift" in message
    assert "assigned elsewhere" not in message and "rest period" not in message
    assert "draft plan" not in message and not _leaks(message, hidden)
    with translation.override("es"):
        spanish = " ".join(_refusal(pw, seed=8).message_dict["operation"])
    assert "4 no están disponibles para este turno" in spanish


def test_counts_stored_on_a_plan_tell_bookings_apart_only_for_the_operations_plans(pw, client):
    _only_patrol_agents_and_supervisors(pw)
    hidden, booked = _book_in_another_operation(pw, ["mx1", "mx2"])
    trained = {pw.user(k).officer.pk for k in pw.agents if k[:2] == "us" or k in ("mx3", "mx4")}
    _untrain_all_but(pw, booked | trained)
    # A draft of the same operation and shift books mx3 and mx4: every reader of the next
    # plan may see that one.
    first = _generate(pw, **{"method": ONE_TRUCK})
    assert {pw.user("mx3").officer.pk, pw.user("mx4").officer.pk} <= _crew_ids(first)
    plan = _generate(pw, seed=8)
    counts = plan.inputs["crew_shortfall"]["MXFP"]
    assert counts["unavailable"] == 2 and counts["booked"] == 2 and counts["rest"] == 0
    assert counts["missing"] == [[["joint_patrol"], 3]]  # mx5, mx6 and the supervisor
    for reader in ("us_supervisor", "mx_supervisor"):
        client.logout()
        login_verified(client, pw.user(reader))
        html = client.get(reverse("patrols:plan_detail", args=[plan.pk])).content.decode()
        assert "2 are assigned elsewhere at that time; 2 are not available for this shift" in html
        assert not _leaks(html, hidden)
        api = client.get(f"/api/patrols/plans/{plan.pk}").json()
        assert api["inputs"]["crew_shortfall"]["MXFP"]["booked"] == 2
        assert api["inputs"]["crew_shortfall"]["MXFP"]["unavailable"] == 2


def test_counts_stored_before_the_rule_show_bookings_as_not_available(pw, client):
    plan = _generate(pw)
    plan.inputs["crew_shortfall"] = {
        "MXFP": {"booked": 2, "rest": 1, "missing": [], "members": 3}  # no "explained"
    }
    plan.save(update_fields=["inputs"])
    login_verified(client, pw.user("us_supervisor"))
    html = client.get(reverse("patrols:plan_detail", args=[plan.pk])).content.decode()
    assert "No MXFP crew in this plan: 3 are not available for this shift." in html
    assert "assigned elsewhere" not in html and "rest period" not in html
    api = client.get(f"/api/patrols/plans/{plan.pk}").json()["inputs"]["crew_shortfall"]
    assert api["MXFP"]["booked"] == api["MXFP"]["rest"] == 0 and api["MXFP"]["unavailable"] == 3


def test_an_edit_clashing_with_a_plan_the_supervisor_cannot_see_does_not_name_it(pw):
    plan = _generate(pw, **{"method": ONE_TRUCK})
    free = [
        k
        for k in sorted(pw.agents)
        if k[:2] == "us" and pw.user(k).officer.pk not in _crew_ids(plan)
    ]
    hidden, booked = _book_in_another_operation(pw, free[:2])
    target = (
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan, side="US")
        .order_by("pk")
        .first()
    )
    officers = list(Officer.objects.unrestricted(reason="test").filter(pk__in=booked))
    with pytest.raises(ValidationError) as error:
        assignment_edit(actor=pw.user("us_supervisor"), assignment=target, officers=officers)
    message = " ".join(error.value.message_dict["officers"])
    assert "another assignment you cannot see" in message and not _leaks(message, hidden)
    # The system, and anyone who sees the plan, gets it named.
    with pytest.raises(ValidationError) as error:
        assignment_edit(actor=None, assignment=target, officers=officers)
    assert str(hidden) in " ".join(error.value.message_dict["officers"])


# Reasons in the reader's language, with the qualification names looked up once.


def test_several_missing_qualifications_read_as_a_list_in_the_active_language(
    django_assert_num_queries,
):
    counts = {"missing": [[["atv", "joint_patrol"], 2]]}
    names = {"atv": "ATV operator", "joint_patrol": "Joint patrol member"}
    with django_assert_num_queries(0):
        text = shortfall_reasons(counts, rest_hours=8, names=names)
    assert text == "2 lack the qualifications “ATV operator” and “Joint patrol member”"
    with translation.override("es"):
        spanish = shortfall_reasons(counts, rest_hours=8, names=names)
    assert spanish == "2 carecen de las habilitaciones “ATV operator” y “Joint patrol member”"
