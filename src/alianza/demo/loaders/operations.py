"""A joint operation in the Nogales corridor and two overlapping planned activities that
trigger a deconfliction alert. Dates are relative to `ctx.today` (local, display time zone)."""

from __future__ import annotations

import datetime as dt

from alianza.access.models import CompartmentMembership
from alianza.agencies.models import Agency, Officer
from alianza.operations.models import JointOperation
from alianza.operations.services import activity_register, operation_create

from .base import DemoContext


def _user(username):
    return (
        Officer.objects.unrestricted(reason="demo")
        .select_related("user")
        .get(user__username=username)
        .user
    )


def load(ctx: DemoContext) -> None:
    if JointOperation.objects.unrestricted(reason="demo idempotence check").exists():
        return
    us, mx = Agency.objects.get(code="USBP"), Agency.objects.get(code="MXFP")
    today = ctx.today
    operation = operation_create(
        actor=_user("us.supervisor"),
        code="OP-NOGALES-WEST",
        name="Operación Nogales Oeste / Operation Nogales West",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        lead_agencies=[us, mx],
    )
    for username in ("mx.supervisor", "us.analyst", "mx.analyst", "us.agent", "mx.agent"):
        CompartmentMembership.objects.get_or_create(
            compartment=operation.compartment, officer=_user(username).officer
        )
    start = ctx.local(today + dt.timedelta(days=2), dt.time(20))
    activity_register(
        actor=_user("us.supervisor"),
        kind="surveillance",
        longitude=-110.9608,
        latitude=31.3350,
        radius_m=700,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        contact_phone="+1 520 555 0134",
        description="Surveillance of a suspected stash house off Mariposa Road.",
    )
    activity_register(
        actor=_user("mx.supervisor"),
        kind="arrest",
        longitude=-110.9555,
        latitude=31.3290,
        radius_m=600,
        starts_at=start + dt.timedelta(hours=5),
        ends_at=start + dt.timedelta(hours=10),
        contact_phone="+52 631 555 0177",
        description="Cumplimiento de orden de aprehensión en la colonia Buenos Aires.",
    )
