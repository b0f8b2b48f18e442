"""State changes of flow events: create, update, link two reports of one crossing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.models import Marking
from alianza.access.querysets import system_access
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer, Unit
from alianza.audit.services import audit_record
from alianza.border.locating import FarFromBoundaryError, default_locator
from alianza.border.models import Segment

from .models import (
    AmmunitionItem,
    CurrencyItem,
    DrugItem,
    FirearmItem,
    FlowEvent,
    PersonsItem,
    VehicleItem,
)
from .normalise import drug_quantity_normalise, usd_equivalent

# Who may report flows (a roles table entry `flows.add_flowevent` can replace this later).
WRITER_ROLES = frozenset({"analyst", "patrol_agent", "patrol_supervisor"})
# Two reports of one crossing happen close together; further apart they are two crossings.
LINK_MAX_GAP = dt.timedelta(hours=48)


def _writer(actor) -> Officer:
    reader = reader_for(actor)
    if not reader.may_read_anything or not reader.roles & WRITER_ROLES:
        raise RecordNotFound()
    return Officer._base_manager.select_related("agency").get(pk=reader.officer_id)


def _snap(event: FlowEvent) -> None:
    """Segment, km marker, side and distance from lon/lat; far points are refused."""
    try:
        lon, lat = float(event.lon), float(event.lat)
    except (TypeError, ValueError) as error:
        raise ValidationError({"location": _("Longitude and latitude must be numbers.")}) from error
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"location": _("Longitude or latitude out of range.")})
    try:
        where = default_locator().locate(lon, lat)
    except FarFromBoundaryError as error:
        raise ValidationError({"location": str(error)}) from error
    segment = Segment.objects.filter(segment_id=where.segment_id).first()
    if segment is None:
        raise ValidationError({"location": _("The border segments are not loaded.")})
    event.segment, event.km_marker = segment, round(where.km_marker, 3)
    event.side, event.distance_m = str(where.side), round(where.distance_m, 1)


def _validate_time(occurred_at: dt.datetime) -> None:
    if not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("Give a date and time with a time zone.")})
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The event cannot be in the future.")})


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("Not a number: %(value)s") % {"value": value}}) from error


def _items_create(event: FlowEvent, items: dict) -> None:
    """`items` = {"drugs": [{category, quantity, unit}], "currency": [{amount, currency}],
    "firearms": [...], "ammunition": [...], "persons": [...], "vehicles": [...]}."""
    for drug in items.get("drugs", []):
        quantity = _decimal(drug.get("quantity"), "quantity")
        kg, pills = drug_quantity_normalise(quantity=quantity, unit=drug.get("unit", ""))
        _item_save(
            DrugItem(
                event=event,
                category=drug.get("category", ""),
                quantity=quantity,
                unit=drug.get("unit", ""),
                weight_kg=kg,
                pills=pills,
            )
        )
    for cash in items.get("currency", []):
        amount = _decimal(cash.get("amount"), "amount")
        usd, rate_date = usd_equivalent(
            amount=amount, currency=cash.get("currency", ""), on=event.occurred_at.date()
        )
        _item_save(
            CurrencyItem(
                event=event,
                amount=amount,
                currency=cash.get("currency", ""),
                usd_amount=usd,
                rate_date=rate_date,
            )
        )
    for gun in items.get("firearms", []):
        _item_save(FirearmItem(event=event, **gun))
    for ammo in items.get("ammunition", []):
        _item_save(AmmunitionItem(event=event, **ammo))
    for persons in items.get("persons", []):
        _item_save(PersonsItem(event=event, **persons))
    for vehicle in items.get("vehicles", []):
        _item_save(VehicleItem(event=event, **vehicle))


def _item_save(item) -> None:
    with system_access(reason="model validation of a new flow item"):
        item.full_clean(exclude=["event"])
    item.save()


@transaction.atomic
def flow_event_create(
    *,
    actor,
    kind: str,
    occurred_at: dt.datetime,
    lon: float,
    lat: float,
    marking: Marking,
    direction: str = FlowEvent.Direction.UNKNOWN,
    unit: Unit | None = None,
    case_reference: str = "",
    narrative: str = "",
    external_id: str = "",
    items: dict | None = None,
    agency: Agency | None = None,
) -> FlowEvent:
    """Record one event as `actor`, or as the system for `agency` (imports, demo)."""
    if actor is not None:
        agency = _writer(actor).agency
    if agency is None:
        raise ValidationError({"agency": _("An event needs a reporting agency.")})
    if marking.originating_agency_id != agency.pk:
        raise ValidationError(
            {"marking": _("The marking's originating agency must be the reporting agency.")}
        )
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("The unit belongs to another agency.")})
    _validate_time(occurred_at)
    event = FlowEvent(
        kind=kind,
        direction=direction,
        occurred_at=occurred_at,
        lon=lon,
        lat=lat,
        agency=agency,
        unit=unit,
        case_reference=case_reference,
        narrative=narrative,
        external_id=external_id,
        marking=marking,
    )
    _snap(event)
    with system_access(reason="model validation (uniqueness) of a new flow event"):
        event.full_clean()
    event.save()
    _items_create(event, items or {})
    if actor is not None and not FlowEvent.objects.visible_to(actor).filter(pk=event.pk).exists():
        raise ValidationError({"marking": _("You would not be able to see this event.")})
    audit_record(
        action="flowevent.create",
        actor=actor,
        actor_username="" if actor else "system",
        obj=event,
        details={"external_id": external_id} if external_id else None,
    )
    return event


UPDATABLE = ("kind", "direction", "occurred_at", "lon", "lat", "case_reference", "narrative")


@transaction.atomic
def flow_event_update(*, actor, event: FlowEvent, **changes) -> FlowEvent:
    """Change some fields of an event of the actor's own agency (None actor: the system)."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: _("This field cannot be changed.")})
    if actor is not None:
        officer = _writer(actor)
        visible = FlowEvent.objects.visible_to(actor).filter(pk=event.pk).exists()
        if not visible or officer.agency_id != event.agency_id:
            raise RecordNotFound()
    before = {name: str(getattr(event, name)) for name in changes}
    for name, value in changes.items():
        setattr(event, name, value)
    if "occurred_at" in changes:
        _validate_time(event.occurred_at)
    if {"lon", "lat"} & set(changes):
        _snap(event)
    with system_access(reason="model validation of a changed flow event"):
        event.full_clean()
    event.save()
    audit_record(
        action="flowevent.update",
        actor=actor,
        actor_username="" if actor else "system",
        obj=event,
        details={"before": before, "after": {n: str(getattr(event, n)) for n in changes}},
    )
    return event


@transaction.atomic
def flow_events_link(*, actor, first: FlowEvent, second: FlowEvent) -> str:
    """Mark two reports (typically one per agency) as one crossing; returns the crossing key.

    The actor must see both. Kind and direction must agree and the times be close, or the
    analytics would merge two different crossings.
    """
    if actor is not None:
        _writer(actor)
        visible = FlowEvent.objects.visible_to(actor).filter(pk__in=[first.pk, second.pk])
        if visible.count() != 2:
            raise RecordNotFound()
    if first.pk == second.pk:
        raise ValidationError({"second": _("An event cannot be linked to itself.")})
    if first.kind != second.kind:
        raise ValidationError({"kind": _("Only events of the same kind can be one crossing.")})
    if first.direction != second.direction:
        raise ValidationError({"direction": _("The events go in different directions.")})
    if abs(first.occurred_at - second.occurred_at) > LINK_MAX_GAP:
        raise ValidationError(
            {
                "occurred_at": _("The events are more than %(hours)s hours apart.")
                % {"hours": int(LINK_MAX_GAP.total_seconds() // 3600)}
            }
        )
    crossing = first.crossing or second.crossing or f"X-{uuid.uuid4().hex[:20]}"
    olds = {first.crossing, second.crossing} - {None, "", crossing}
    # Merging two existing crossings: every event of the other key joins this one.
    touched = FlowEvent.objects.unrestricted(reason="re-key a merged crossing").filter(
        pk__in=[first.pk, second.pk]
    )
    if olds:
        touched = (
            FlowEvent.objects.unrestricted(reason="re-key a merged crossing").filter(
                crossing__in=olds
            )
            | touched
        )
    touched.update(crossing=crossing)
    first.crossing = second.crossing = crossing
    audit_record(
        action="flowevent.link",
        actor=actor,
        actor_username="" if actor else "system",
        obj=first,
        details={"events": [first.pk, second.pk], "crossing": crossing},
    )
    return crossing
