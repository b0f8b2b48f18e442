import datetime as dt

from ninja import Schema


class PlanIn(Schema):
    operation_id: int
    sector_id: int
    date: dt.date
    shift: str
    seed: int | None = None


class PlanOut(Schema):
    id: int
    operation_id: int
    operation_code: str
    sector_id: int
    date: dt.date
    shift: str
    status: str
    seed: int
    published_at: dt.datetime | None
    marking: str
    defender_utility: float
    attacker_utility: float
    solve_seconds: float


class CrewMemberOut(Schema):
    id: int
    name: str
    badge_number: str


class AssignmentOut(Schema):
    id: int
    agency_code: str
    unit_type: str
    side: str
    first_segment: str
    last_segment: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    vehicle: str
    mirror_id: int | None
    manually_edited: bool
    officers: list[CrewMemberOut]


class CoverageCellOut(Schema):
    segment_id: str
    slot: int
    risk: float
    solver: float
    generated: float
    edited: float


class OverlapOut(Schema):
    """Units on overlapping windows at the same time (an intact mirrored pair is one unit).
    reason: "called_for" (the solver sends more than one unit there on average), "chance"
    (drawn together, each window with its own probability) or "edited" (a hand edit)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    first_segment: str
    last_segment: str
    assignment_ids: list[int]
    units: int
    expected_units: float
    coverage: float
    reason: str


class PlanDetailOut(PlanOut):
    inputs: dict
    solver_result: dict
    assignments: list[AssignmentOut]
    edited_vs_solver: list[CoverageCellOut]
    overlaps: list[OverlapOut]


class AssignmentPatch(Schema):
    officer_ids: list[int] | None = None
    first_segment: str | None = None
    last_segment: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    vehicle: str | None = None


class ContactOut(Schema):
    name: str
    agency: str
    phone: str
    vehicle: str


class MyAssignmentOut(Schema):
    id: int
    plan_id: int
    operation_code: str
    first_segment: str
    last_segment: str
    km_start: float
    km_end: float
    starts_at: dt.datetime
    ends_at: dt.datetime
    vehicle: str
    mirror_partners: list[ContactOut]
