"""The patrol world: the test world's joint operation with crews on both sides, and events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from world_flows import make_flow_event

from alianza.access.models import CompartmentMembership
from alianza.border.models import Sector
from alianza.training.models import Certification, Course

from world import make_user, vet_officer

TODAY = timezone.localdate()


def certify(officer, *codes, days_ago=10):
    for code in codes:
        course = Course.objects.get(code=code)
        issued = TODAY - dt.timedelta(days=days_ago)
        Certification.objects.create(
            officer=officer,
            course=course,
            issued_on=issued,
            expires_on=issued + dt.timedelta(days=course.validity_days)
            if course.validity_days
            else None,
        )


@dataclass
class PatrolWorld:
    w: object
    operation: object
    sector: object
    agents: dict = field(default_factory=dict)  # "us1".."us6", "mx1".."mx6" -> users

    def user(self, key):
        return self.agents.get(key) or self.w.user(key)


def make_patrol_world(w, *, per_agency=6, atv=2) -> PatrolWorld:
    operation = w.operation
    CompartmentMembership.objects.get_or_create(
        compartment=operation.compartment, officer=w.user("mx_supervisor").officer
    )
    agents = {}
    for prefix, agency in (("us", w.us), ("mx", w.mx)):
        for n in range(1, per_agency + 1):
            user = make_user(
                agency=agency,
                username=f"{prefix}.patrol{n}",
                roles=["patrol_agent"],
                compartments=[operation.compartment],
            )
            user.officer.phone = (
                f"+1 520 555 01{n:02d}" if prefix == "us" else f"+52 631 555 02{n:02d}"
            )
            user.officer.save(update_fields=["phone"])
            vet_officer(user.officer)
            certify(user.officer, "HR-100", "JP-101")
            if n <= atv:
                certify(user.officer, "ATV-200")
            agents[f"{prefix}{n}"] = user
    sector = Sector.objects.get(code="TCA")
    # Recent crossings near Nogales, releasable to both agencies (so they feed the plan).
    now = timezone.now()
    for i in range(30):
        make_flow_event(
            agency=w.us,
            case_reference=f"PATROL-RISK-{i}",
            releasable_to=[w.mx],
            when=now - dt.timedelta(days=i % 10, hours=(i * 5) % 24),
            lon=-110.95 + 0.01 * (i % 5),
            lat=31.335,
        )
    return PatrolWorld(w=w, operation=operation, sector=sector, agents=agents)


@pytest.fixture
def pw(world) -> PatrolWorld:
    return make_patrol_world(world)


def matrix_plan(w):
    """A draft plan of the test world's operation for the access matrix (made once per world):
    one U.S. and one Mexican crew, no other change to the world."""
    plan = getattr(w, "_patrol_plan", None)
    if plan is not None:
        return plan
    from alianza.patrols.services import plan_generate

    for prefix, agency in (("us", w.us), ("mx", w.mx)):
        for n in (1, 2):
            user = make_user(
                agency=agency,
                username=f"{prefix}.crew{n}",
                roles=["patrol_agent"],
                compartments=[w.operation.compartment],
            )
            vet_officer(user.officer)
            certify(user.officer, "HR-100", "JP-101")
    plan = plan_generate(
        actor=None,
        operation=w.operation,
        sector=Sector.objects.get(code="TCA"),
        date=TODAY + dt.timedelta(days=3),
        shift="night",
        seed=1,
    )
    w._patrol_plan = plan
    return plan


def matrix_assignment(w):
    from alianza.patrols.models import PatrolAssignment

    plan = matrix_plan(w)
    return (
        PatrolAssignment.objects.unrestricted(reason="test fixture")
        .filter(plan=plan, side="US")
        .order_by("pk")
        .first()
    )
