"""Generated plans: every crew eligible, mirrored pairs, reproducible from what is stored, and
right on average (sampled coverage matches the solver's marginals within sampling error)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from world_patrols import TODAY

from alianza.agencies.models import Officer
from alianza.audit.models import AuditEvent
from alianza.games.schedules import _kinds
from alianza.patrols import planning
from alianza.patrols.models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan
from alianza.patrols.risk import EventPoint, estimate_risk
from alianza.patrols.services import plan_generate, plan_regenerate
from alianza.training.eligibility import patrol_eligibility

pytestmark = pytest.mark.django_db
DATE = TODAY + dt.timedelta(days=2)


def _generate(pw, *, shift="night", seed=7, date=DATE, **kwargs):
    return plan_generate(
        actor=pw.user("us_supervisor"),
        operation=pw.operation,
        sector=pw.sector,
        date=date,
        shift=shift,
        seed=seed,
        **kwargs,
    )


def _assignments(plan):
    return list(
        PatrolAssignment.objects.unrestricted(reason="test")
        .filter(plan=plan)
        .select_related("first_segment", "last_segment", "mirror")
        .order_by("pk")
    )


def test_every_generated_assignment_is_crewed_by_eligible_officers(pw):
    plan = _generate(pw)
    rows = list(
        PatrolAssignmentOfficer.objects.unrestricted(reason="test")
        .filter(assignment__plan=plan)
        .select_related("assignment")
    )
    assert rows, "the plan assigns nobody"
    officers = {
        o.pk: o
        for o in Officer.objects.unrestricted(reason="test").filter(
            pk__in={r.officer_id for r in rows}
        )
    }
    for row in rows:
        code = row.assignment.unit_type.split(":")[1]
        required = ["joint_patrol"] + (["atv_operator"] if code == "atv" else [])
        officer = officers[row.officer_id]
        verdict = patrol_eligibility([officer], required_qualifications=required, today=plan.date)
        assert verdict[officer.pk].eligible, (officer, verdict[officer.pk].reasons)
        assert officer.agency_id == row.assignment.agency_id
        assert (row.starts_at, row.ends_at) == (row.assignment.starts_at, row.assignment.ends_at)
    start, end = plan.shift_bounds
    assert all(start <= r.starts_at < r.ends_at <= end for r in rows)
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="patrolplan.generate", object_id=str(plan.pk))
        .exists()
    )


def test_night_shift_runs_from_22_to_06_arizona_time(pw):
    plan = _generate(pw)
    start, end = plan.shift_bounds
    assert start == dt.datetime.combine(DATE, dt.time(22), tzinfo=dt.UTC) + dt.timedelta(hours=7)
    assert end - start == dt.timedelta(hours=8)


def test_mirrored_pairs_are_a_us_and_an_mx_crew_on_the_same_window_at_the_same_time(pw):
    plan = _generate(pw)
    mirrored = [a for a in _assignments(plan) if a.mirror_id]
    assert mirrored, "both agencies have crews, so the solver should pair some"
    for a in mirrored:
        b = a.mirror
        assert b.mirror_id == a.pk
        assert {a.side, b.side} == {"US", "MX"}
        assert (a.first_segment_id, a.last_segment_id) == (b.first_segment_id, b.last_segment_id)
        assert (a.starts_at, a.ends_at) == (b.starts_at, b.ends_at)
        assert a.agency_id != b.agency_id


def test_no_pairs_when_only_one_agency_has_eligible_crews(pw):
    for key in ("mx1", "mx2", "mx3", "mx4", "mx5", "mx6"):
        officer = pw.user(key).officer
        officer.active = False
        officer.save(update_fields=["active"])
    plan = _generate(pw)
    assert plan.inputs["pairs"] == []
    assignments = _assignments(plan)
    assert assignments and all(a.side == "US" and a.mirror_id is None for a in assignments)


def test_regenerating_from_the_stored_inputs_gives_the_identical_plan(pw):
    plan = _generate(pw, seed=12345)
    specs, result = plan_regenerate(PatrolPlan.objects.unrestricted(reason="test").get(pk=plan.pk))
    assert result["sampled"] == plan.solver_result["sampled"]
    assert result["coverage"] == plan.solver_result["coverage"]
    segments = plan.inputs["segments"]
    stored = sorted(
        (
            a.unit_type,
            a.first_segment.segment_id,
            a.last_segment.segment_id,
            a.starts_at,
            a.ends_at,
            a.vehicle,
            tuple(
                sorted(
                    PatrolAssignmentOfficer.objects.unrestricted(reason="test")
                    .filter(assignment=a)
                    .values_list("officer_id", flat=True)
                )
            ),
            a.mirror_id is not None,
        )
        for a in PatrolAssignment.objects.unrestricted(reason="test").filter(plan=plan)
    )
    replayed = sorted(
        (
            s.unit_type,
            segments[s.first],
            segments[s.last],
            s.starts_at,
            s.ends_at,
            s.vehicle,
            tuple(sorted(s.officers)),
            s.pair_key is not None,
        )
        for s in specs
    )
    assert stored == replayed


def test_another_seed_gives_another_draw_from_the_same_solution(pw):
    a = _generate(pw, seed=1)
    inputs = dict(a.inputs)
    _specs, other = planning.plan_compute(inputs, 2)
    assert other["coverage"] == a.solver_result["coverage"]
    assert other["sampled"] != a.solver_result["sampled"]


def _expected_and_samples(inputs, seeds):
    game, solution = planning.solve(inputs)
    kinds = {k.label: k for k in _kinds(game)}
    S, H = game.num_segments, game.num_shifts
    expected = np.zeros((S, H))
    for (label, h, start), x in zip(solution.schedules, solution.expected_units, strict=True):
        kind = kinds[label]
        expected[start : start + kind.window, h] += x * kind.effect[start : start + kind.window]
    draws = np.zeros((len(seeds), S, H))
    for n, seed in enumerate(seeds):
        for a in planning.sample(game, solution, seed):
            kind = kinds[a.kind]
            draws[n, a.start : a.end, a.shift] += kind.effect[a.start : a.end]
    return solution, expected, draws


def test_a_week_of_published_plans_covers_like_the_solver(pw):
    """Seven nights, each its own draw: the realised coverage summed over the week is close to
    the sum of the solver's marginals (same bound, over the week's total per slot)."""
    plans = [
        _generate(pw, date=DATE + dt.timedelta(days=d), seed=100 + d, shift="night")
        for d in range(7)
    ]
    expected_total = 0.0
    realised_total = 0.0
    variance = 0.0
    for plan in plans:
        solution, expected, draws = _expected_and_samples(plan.inputs, range(200))
        expected_total += expected.sum()
        variance += draws.sum(axis=(1, 2)).var(ddof=1)
        items = [
            planning.CoverageItem(
                unit_type=kind.split("+")[0],
                first=start,
                last=end - 1,
                starts_at=dt.datetime.fromisoformat(plan.inputs["slots"][slot]["start"]),
                ends_at=dt.datetime.fromisoformat(plan.inputs["slots"][slot]["end"]),
                paired_with=kind.split("+")[1] if "+" in kind else None,
            )
            for slot, kind, start, end in plan.solver_result["sampled"]
        ]
        realised_total += planning.concrete_coverage(plan.inputs, items, cap=False).sum()
    assert abs(realised_total - expected_total) <= 4 * np.sqrt(variance) + 1e-6


def test_risk_weights_recent_events_more_and_shrinks_to_the_sector_rate():
    as_of = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    yesterday = as_of - dt.timedelta(days=1)
    night = yesterday.replace(hour=6)  # 23:00 Arizona time (UTC-7 all year)
    params = dict(
        lookback_days=56,
        half_life_days=14.0,
        baseline_hours=8.0,
        prior_strength=2.0,
        slot_starts_local=[22.0, 0.0, 2.0, 4.0],
        slot_hours=2,
        as_of=as_of,
    )
    events = [EventPoint("a", night), EventPoint("b", night - dt.timedelta(days=28))]
    risk, details = estimate_risk(
        segment_ids=["a", "b", "c"], events=events, effort_hours={}, **params
    )
    assert details["events_used"] == 2
    assert risk[0, 0] > risk[1, 0] > risk[2, 0] > 0  # recent > old > none (but not zero)
    # Effort-adjusted: the same events seen under heavy patrol mean less risk.
    patrolled, _ = estimate_risk(
        segment_ids=["a", "b", "c"],
        events=events,
        effort_hours={("a", d): 16.0 for d in range(56)},
        **params,
    )
    assert patrolled[0, 0] < risk[0, 0]
    # An event outside the shift's slots counts for none of them.
    noon = yesterday.replace(hour=19)  # 12:00 Arizona time
    _r, details = estimate_risk(
        segment_ids=["a"], events=[EventPoint("a", noon)], effort_hours={}, **params
    )
    assert details["events_used"] == 0


def test_plan_generation_refuses_a_date_outside_the_operation(pw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _generate(pw, date=pw.operation.ends_on + dt.timedelta(days=1))
    assert "date" in error.value.message_dict
