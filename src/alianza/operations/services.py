"""State changes of joint operations and deconfliction, each audited in its transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.models import Compartment, CompartmentMembership
from alianza.access.rules import forget_reader, reader_for
from alianza.access.services import marking_default, marking_get_or_create
from alianza.agencies.models import Agency, Officer, Unit
from alianza.agencies.roles import PATROL_SUPERVISOR
from alianza.audit.services import audit_record

from . import overlap
from .models import (
    DeconflictionAlert,
    JointOperation,
    MembershipApproval,
    MembershipChange,
    PlannedActivity,
)


def _supervisor(actor) -> Officer | None:
    """The acting supervisor's officer record (None for the system)."""
    if actor is None:
        return None
    reader = reader_for(actor)
    if not reader.has_role(PATROL_SUPERVISOR):
        raise RecordNotFound()
    return (
        Officer.objects.unrestricted(reason="the actor's own record")
        .select_related("agency")
        .get(pk=reader.officer_id)
    )


def _audit(action, actor, obj=None, **details):
    audit_record(
        action=action,
        actor=actor,
        actor_username="" if actor else "system",
        obj=obj,
        details=details,
    )


@transaction.atomic
def operation_create(
    *,
    actor,
    code: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    lead_agencies: list[Agency],
    origin: Agency | None = None,
) -> JointOperation:
    officer = _supervisor(actor)
    origin = officer.agency if officer else origin
    if origin is None or origin not in lead_agencies:
        raise ValidationError({"lead_agencies": _("The creating agency must lead it.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The operation cannot end before it starts.")})
    compartment = Compartment.objects.create(code=code, name=name)
    operation = JointOperation.objects.create(
        code=code,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        compartment=compartment,
        marking=marking_get_or_create(
            originating_agency=origin, releasable_to=lead_agencies, compartments=[compartment]
        ),
    )
    operation.lead_agencies.set(lead_agencies)
    if officer is not None:  # the creator is its first member
        CompartmentMembership.objects.create(compartment=compartment, officer=officer)
        forget_reader(actor)
    _audit("operation.create", actor, operation)
    return operation


@transaction.atomic
def membership_change_request(
    *, actor, operation: JointOperation, officer: Officer, action: str
) -> MembershipChange:
    requester = _supervisor(actor)
    if action not in MembershipChange.Action.values:
        raise ValidationError({"action": _("Unknown action.")})
    change = MembershipChange.objects.create(
        operation=operation,
        officer=officer,
        action=action,
        requested_by=requester,
        marking=operation.marking,
    )
    _audit("operation.membership_request", actor, operation, officer=officer.pk, change=action)
    return change


@transaction.atomic
def membership_change_approve(*, actor, change: MembershipChange) -> MembershipChange:
    """Applies once a supervisor of EACH lead agency has approved (cross-agency rule)."""
    approver = _supervisor(actor)
    if approver is None:
        raise ValidationError({"approver": _("Approval needs a person, not the system.")})
    if change.status != MembershipChange.Status.PENDING:
        raise ValidationError({"status": _("This change was already decided.")})
    operation = change.operation
    lead_ids = set(operation.lead_agencies.values_list("pk", flat=True))
    if approver.agency_id not in lead_ids:
        raise RecordNotFound()
    if approver.pk == change.officer_id:
        raise ValidationError({"approver": _("Officers cannot approve their own membership.")})
    if MembershipApproval.objects.filter(
        change=change, approver__agency_id=approver.agency_id
    ).exists():
        raise ValidationError(
            {
                "approver": _(
                    "Your agency has already approved; the other agency's supervisor must approve."
                )
            }
        )
    MembershipApproval.objects.create(change=change, approver=approver)
    approved = set(
        MembershipApproval.objects.filter(change=change).values_list(
            "approver__agency_id", flat=True
        )
    )
    _audit("operation.membership_approve", actor, operation, change=change.pk)
    if approved >= lead_ids:
        if change.action == MembershipChange.Action.ADD:
            CompartmentMembership.objects.get_or_create(
                compartment=operation.compartment, officer=change.officer
            )
        else:
            CompartmentMembership.objects.filter(
                compartment=operation.compartment, officer=change.officer
            ).delete()
        change.status = MembershipChange.Status.APPLIED
        change.save(update_fields=["status"])
        _audit(f"operation.member_{change.action}", actor, operation, officer=change.officer_id)
    return change


@transaction.atomic
def activity_register(
    *,
    actor,
    kind: str,
    longitude: float,
    latitude: float,
    radius_m: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    contact_phone: str,
    description: str = "",
    unit: Unit | None = None,
    supervisor: Officer | None = None,
) -> tuple[PlannedActivity, list[DeconflictionAlert]]:
    """Register a planned activity under the agency's own marking and deconflict it against
    every other agency's (and other unit's) activities at once."""
    officer = _supervisor(actor)
    supervisor = officer or supervisor
    if supervisor is None:
        raise ValidationError({"supervisor": _("A responsible supervisor is required.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The window must end after it starts.")})
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValidationError({"longitude": _("Not a valid position.")})
    if not 0 < radius_m <= 50_000:
        raise ValidationError({"radius_m": _("The radius must be between 1 m and 50 km.")})
    activity = PlannedActivity.objects.create(
        agency=supervisor.agency,
        unit=unit,
        kind=kind,
        description=description,
        longitude=longitude,
        latitude=latitude,
        radius_m=radius_m,
        starts_at=starts_at,
        ends_at=ends_at,
        supervisor=supervisor,
        contact_phone=contact_phone,
        marking=marking_default(originating_agency=supervisor.agency),
    )
    _audit("activity.register", actor, activity)
    return activity, _deconflict(actor, activity)


def _contact(activity: PlannedActivity) -> str:
    return f"{activity.supervisor.full_name} ({activity.agency.code}), {activity.contact_phone}"


def _deconflict(actor, activity: PlannedActivity) -> list[DeconflictionAlert]:
    # A system read across agencies: deconfliction must see what no reader may.
    candidates = (
        PlannedActivity.objects.unrestricted(reason="deconfliction")
        .exclude(pk=activity.pk)
        .filter(starts_at__lt=activity.ends_at, ends_at__gt=activity.starts_at)
        .select_related("agency", "supervisor")
    )
    alerts = []
    mine = (activity.longitude, activity.latitude, activity.radius_m)
    for other in candidates:
        if other.agency_id == activity.agency_id and (
            other.unit_id is None or other.unit_id == activity.unit_id
        ):
            continue  # the same unit plans its own activities together
        theirs = (other.longitude, other.latitude, other.radius_m)
        window = overlap.window_overlap(
            activity.starts_at, activity.ends_at, other.starts_at, other.ends_at
        )
        if window is None or not overlap.circles_overlap(mine, theirs):
            continue
        lon, lat = overlap.meeting_point(mine, theirs)
        first, second = sorted([activity, other], key=lambda a: a.pk)
        alert = DeconflictionAlert.objects.create(
            activity_a=first,
            activity_b=second,
            contact_a=_contact(first),
            contact_b=_contact(second),
            agency_a=first.agency,
            agency_b=second.agency,
            longitude=round(lon, 4),
            latitude=round(lat, 4),
            window_start=window[0],
            window_end=window[1],
            marking=marking_get_or_create(
                originating_agency=None, releasable_to=[first.agency, second.agency]
            ),
        )
        _audit("deconfliction.match", actor, alert, activities=[first.pk, second.pk])
        alerts.append(alert)
    return alerts
