"""Reads of patrol plans. The full plan is for patrol supervisors of the operation's lead
agencies who hold its compartment; everyone else sees only their own assignments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Prefetch, QuerySet

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.agencies.models import Officer
from alianza.agencies.roles import PATROL_SUPERVISOR
from alianza.border.models import Segment

from . import planning
from .models import PatrolAssignment, PatrolAssignmentOfficer, PatrolPlan


def plan_list(*, reader, operation_id: int | None = None) -> QuerySet[PatrolPlan]:
    """Plans of the operations the reader supervises (empty for anyone else)."""
    reader = reader_for(reader)
    if not reader.has_role(PATROL_SUPERVISOR):
        return PatrolPlan.objects.visible_to(reader).none()
    plans = (
        PatrolPlan.objects.visible_to(reader)
        .filter(operation__lead_agencies__id=reader.agency_id)
        .select_related("operation", "sector", "marking")
    )
    if operation_id:
        plans = plans.filter(operation_id=operation_id)
    return plans


def plan_get(*, reader, pk) -> PatrolPlan:
    """One plan for a supervisor of its operation; the same 404 for anyone else."""
    plan = access_get(reader, PatrolPlan, pk=pk)
    if not plan_list(reader=reader).filter(pk=plan.pk).exists():
        raise RecordNotFound()
    return plan


def _crew_prefetch(reader):
    return Prefetch(
        "crew",
        queryset=PatrolAssignmentOfficer.objects.visible_to(reader).order_by("officer_id"),
        to_attr="crew_rows",
    )


def plan_assignments(*, reader, plan: PatrolPlan) -> list[PatrolAssignment]:
    rows = list(
        PatrolAssignment.objects.visible_to(reader)
        .filter(plan=plan)
        .select_related("agency", "first_segment", "last_segment", "unit", "mirror")
        .prefetch_related(_crew_prefetch(reader))
        .order_by("starts_at", "first_segment__index", "side")
    )
    directory = officer_directory(
        reader=reader, ids={r.officer_id for a in rows for r in a.crew_rows}
    )
    for assignment in rows:
        assignment.crew_officers = [directory.get(r.officer_id) for r in assignment.crew_rows]
    return rows


def officer_directory(*, reader, ids) -> dict[int, Officer]:
    """Directory records (name, badge, agency, unit) of task-force officers."""
    return {
        o.pk: o
        for o in Officer.objects.directory_for(reader)
        .filter(pk__in=set(ids))
        .select_related("agency", "unit")
    }


def crew_choices(*, reader, assignment: PatrolAssignment) -> QuerySet[Officer]:
    """Officers a supervisor may put on this assignment: active members of the operation from
    the assignment's agency (the service still checks eligibility, bookings and rest)."""
    return (
        Officer.objects.directory_for(reader)
        .filter(
            agency_id=assignment.agency_id,
            compartment_memberships__compartment_id=assignment.plan.operation.compartment_id,
        )
        .order_by("family_name", "given_name")
    )


def plan_segments(plan: PatrolPlan) -> list[Segment]:
    return list(Segment.objects.filter(segment_id__in=plan.inputs["segments"]).order_by("index"))


@dataclass(frozen=True)
class Contact:
    name: str
    agency: str
    phone: str
    vehicle: str


@dataclass(frozen=True)
class MyAssignment:
    assignment: PatrolAssignment
    partners: list[Contact]


def my_assignments(*, reader, upcoming_only: bool = False) -> list[MyAssignment]:
    """The reader's own assignments in published plans, each with their mirror partner's
    contact (name, agency, phone): nothing else of the plan."""
    reader = reader_for(reader)
    if reader.officer_id is None:
        return []
    rows = (
        PatrolAssignment.objects.visible_to(reader)
        .filter(plan__status=PatrolPlan.Status.PUBLISHED, crew__officer_id=reader.officer_id)
        .select_related("first_segment", "last_segment", "agency", "plan__operation", "mirror")
        .order_by("starts_at")
        .distinct()
    )
    if upcoming_only:
        rows = rows.filter(ends_at__gte=dt.datetime.now(dt.UTC))
    rows = list(rows)
    mirrors = [a.mirror for a in rows if a.mirror_id]
    partner_rows: dict[int, list[int]] = {}
    for row in PatrolAssignmentOfficer.objects.visible_to(reader).filter(
        assignment_id__in=[m.pk for m in mirrors]
    ):
        partner_rows.setdefault(row.assignment_id, []).append(row.officer_id)
    directory = officer_directory(
        reader=reader, ids={i for ids in partner_rows.values() for i in ids}
    )
    result = []
    for assignment in rows:
        partners = []
        if assignment.mirror_id:
            for officer_id in partner_rows.get(assignment.mirror_id, []):
                officer = directory.get(officer_id)
                if officer is not None:
                    partners.append(
                        Contact(
                            name=officer.full_name,
                            agency=officer.agency.name,
                            phone=officer.phone,
                            vehicle=assignment.mirror.vehicle,
                        )
                    )
        result.append(MyAssignment(assignment=assignment, partners=partners))
    return result


@dataclass(frozen=True)
class CoverageCell:
    segment_id: str
    slot: int
    risk: float
    solver: float
    generated: float
    edited: float

    @property
    def difference(self) -> float:
        return self.edited - self.solver


@dataclass(frozen=True)
class CoverageComparison:
    cells: list[CoverageCell]  # cells where the edited plan differs from the generated one
    solver_total: float  # risk-weighted coverage, sum(risk * coverage) / sum(risk)
    generated_total: float
    edited_total: float


def _items_from_assignments(assignments: list[PatrolAssignment], index: dict[str, int]):
    crewed = {a.pk for a in assignments}
    items = []
    for a in assignments:
        partner = a.mirror
        intact = (
            partner is not None
            and partner.pk in crewed
            and partner.first_segment_id == a.first_segment_id
            and partner.last_segment_id == a.last_segment_id
            and partner.starts_at == a.starts_at
            and partner.ends_at == a.ends_at
        )
        if intact and a.side != "US":
            continue  # the pair counts once, on its U.S. half
        items.append(
            planning.CoverageItem(
                unit_type=a.unit_type,
                first=index[a.first_segment.segment_id],
                last=index[a.last_segment.segment_id],
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                paired_with=partner.unit_type if intact else None,
            )
        )
    return items


def _items_from_sample(inputs: dict, sampled: list) -> list[planning.CoverageItem]:
    slots = [
        (dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"]))
        for s in inputs["slots"]
    ]
    items = []
    for slot, kind, start, end in sampled:
        names = kind.split("+")
        items.append(
            planning.CoverageItem(
                unit_type=names[0],
                first=start,
                last=end - 1,
                starts_at=slots[slot][0],
                ends_at=slots[slot][1],
                paired_with=names[1] if len(names) == 2 else None,
            )
        )
    return items


def coverage_comparison(*, reader, plan: PatrolPlan) -> CoverageComparison:
    """Edited vs solver: coverage per segment and slot of the plan as it stands, next to the
    solver's (expected) coverage and the plan as it was generated."""
    inputs = plan.inputs
    index = {sid: i for i, sid in enumerate(inputs["segments"])}
    assignments = list(
        PatrolAssignment.objects.visible_to(reader)
        .filter(plan=plan)
        .select_related("first_segment", "last_segment", "mirror")
    )
    crewed = set(
        PatrolAssignmentOfficer.objects.visible_to(reader)
        .filter(assignment__plan=plan)
        .values_list("assignment_id", flat=True)
    )
    assignments = [a for a in assignments if a.pk in crewed]  # an empty vehicle covers nothing
    edited = planning.concrete_coverage(inputs, _items_from_assignments(assignments, index))
    generated = planning.concrete_coverage(
        inputs, _items_from_sample(inputs, plan.solver_result.get("sampled", []))
    )
    solver = np.asarray(plan.solver_result["coverage"], dtype=float)
    risk = np.asarray(inputs["risk"], dtype=float)
    weight = float(risk.sum()) or 1.0
    cells = [
        CoverageCell(
            segment_id=inputs["segments"][s],
            slot=int(h),
            risk=float(risk[s, h]),
            solver=float(solver[s, h]),
            generated=float(generated[s, h]),
            edited=float(edited[s, h]),
        )
        for s, h in np.argwhere(np.abs(edited - generated) > 1e-9)
    ]
    return CoverageComparison(
        cells=cells,
        solver_total=float((risk * solver).sum()) / weight,
        generated_total=float((risk * generated).sum()) / weight,
        edited_total=float((risk * edited).sum()) / weight,
    )


@dataclass(frozen=True)
class Overlap:
    """Two or more units (an intact mirrored pair counts as one) on overlapping windows at the
    same time, and why: `expected_units` is what the solver sends on average over the shared
    stretch then (its busiest segment). Above 1 the solver calls for more than one unit there
    (coverage adds up); otherwise the windows were drawn together by chance, each with its
    own probability, unless a hand edit (`edited`) put them there."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    first_segment: Segment
    last_segment: Segment
    assignments: list[PatrolAssignment]
    units: int
    expected_units: float
    coverage: float
    edited: bool

    @property
    def called_for(self) -> bool:
        return self.expected_units > 1 + 1e-6


def plan_overlaps(plan: PatrolPlan, assignments: list[PatrolAssignment]) -> list[Overlap]:
    """Units of the plan (as `plan_assignments` gives them) that overlap in a slot. As in
    `coverage_comparison`, an assignment with no officers left (after a suspension) is no unit,
    and a mirrored pair with one empty half is the other half alone."""
    assignments = [a for a in assignments if a.crew_rows]
    inputs = plan.inputs
    index = {sid: i for i, sid in enumerate(inputs["segments"])}
    slots = {
        (dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"])): h
        for h, s in enumerate(inputs["slots"])
    }
    by_pk = {a.pk: a for a in assignments}
    units: list[planning.WindowUnit] = []
    seen: set[int] = set()
    for a in assignments:
        slot = slots.get((a.starts_at, a.ends_at))
        if a.pk in seen or slot is None:
            continue  # placed at another time by hand: not in a slot
        ids = (a.pk,)
        if a.mirror_id in by_pk and a.mirror_intact:
            ids = (a.pk, a.mirror_id)
        seen.update(ids)
        units.append(
            planning.WindowUnit(
                ids=ids,
                slot=slot,
                first=index[a.first_segment.segment_id],
                last=index[a.last_segment.segment_id],
            )
        )
    groups = planning.overlapping_units(units)
    if not groups:
        return []
    expected = planning.expected_units(inputs, plan.solver_result)
    coverage = np.asarray(plan.solver_result.get("coverage") or np.zeros_like(expected))
    segments = {s.segment_id: s for s in plan_segments(plan)}
    starts = sorted(slots, key=slots.get)
    overlaps = []
    for group in groups:
        members = [by_pk[i] for unit in group.units for i in unit.ids]
        stretch = slice(group.first, group.last + 1)
        overlaps.append(
            Overlap(
                starts_at=starts[group.slot][0],
                ends_at=starts[group.slot][1],
                first_segment=segments[inputs["segments"][group.first]],
                last_segment=segments[inputs["segments"][group.last]],
                assignments=members,
                units=len(group.units),
                expected_units=float(expected[stretch, group.slot].max()),
                coverage=float(coverage[stretch, group.slot].max()),
                edited=any(a.manually_edited for a in members),
            )
        )
    return overlaps


def assignment_get(*, reader, pk) -> PatrolAssignment:
    """One assignment of a plan the reader supervises, with its crew rows; else 404."""
    assignment = access_get(reader, PatrolAssignment, pk=pk)
    plan_get(reader=reader, pk=assignment.plan_id)
    return (
        PatrolAssignment.objects.visible_to(reader)
        .select_related("plan__operation", "first_segment", "last_segment", "agency")
        .prefetch_related(_crew_prefetch(reader))
        .get(pk=assignment.pk)
    )
