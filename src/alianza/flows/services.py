"""State changes of flow events: create, update, link two reports of one crossing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
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
from alianza.audit.services import AuditEntry, audit_record, audit_record_many
from alianza.border.locating import (
    DEFAULT_MAX_DISTANCE_M,
    FarFromBoundaryError,
    Location,
    default_locator,
)
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
from .normalise import RateTable, drug_quantity_normalise, usd_equivalent

# Who may report flows (a roles table entry `flows.add_flowevent` can replace this later).
WRITER_ROLES = frozenset({"analyst", "patrol_agent", "patrol_supervisor"})
# Two reports of one crossing happen close together; further apart they are two crossings.
LINK_MAX_GAP = dt.timedelta(hours=48)


def _writer(actor) -> Officer:
    reader = reader_for(actor)
    if not reader.may_read_anything or not reader.roles & WRITER_ROLES:
        raise RecordNotFound()
    return Officer._base_manager.select_related("agency").get(pk=reader.officer_id)


def _snap(event: FlowEvent, *, where: Location | None = None, segments=None) -> None:
    """Segment, km marker, side and distance from lon/lat; far points are refused.

    `where` is the point's location when the caller has already located it (bulk imports
    locate a whole file at once); `segments` maps segment ids to primary keys (bulk imports
    load it once)."""
    try:
        lon, lat = float(event.lon), float(event.lat)
    except (TypeError, ValueError) as error:
        raise ValidationError({"location": _("Longitude and latitude must be numbers.")}) from error
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"location": _("Longitude or latitude out of range.")})
    if where is None:
        try:
            where = default_locator().locate(lon, lat)
        except FarFromBoundaryError as error:
            raise ValidationError({"location": str(error)}) from error
    elif where.distance_m > DEFAULT_MAX_DISTANCE_M:
        error = FarFromBoundaryError(
            lon=lon, lat=lat, distance_m=where.distance_m, max_distance_m=DEFAULT_MAX_DISTANCE_M
        )
        raise ValidationError({"location": str(error)})
    if segments is None:
        segment = Segment.objects.filter(segment_id=where.segment_id).first()
        segment_pk = segment.pk if segment is not None else None
    else:
        segment, segment_pk = None, segments.get(where.segment_id)
    if segment_pk is None:
        raise ValidationError({"location": _("The border segments are not loaded.")})
    if segment is not None:
        event.segment = segment
    else:
        event.segment_id = segment_pk
    event.km_marker = round(where.km_marker, 3)
    event.side, event.distance_m = str(where.side), round(where.distance_m, 1)


def _validate_time(occurred_at: dt.datetime) -> None:
    if not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("Give a date and time with a time zone.")})
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The event cannot be in the future.")})


# Beyond any real seizure, and within every quantity and amount column (14 digits, 4 decimals).
MAX_QUANTITY = Decimal("1e10")


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("Not a number: %(value)s") % {"value": value}}) from error
    if not number.is_finite():
        raise ValidationError({field: _("Not a number: %(value)s") % {"value": value}})
    if abs(number) >= MAX_QUANTITY:
        raise ValidationError({field: _("Too large: %(value)s") % {"value": value}})
    return number


def _items_build(event: FlowEvent, items: dict, *, usd=usd_equivalent, check=None) -> list:
    """`items` = {"drugs": [{category, quantity, unit}], "currency": [{amount, currency}],
    "firearms": [...], "ammunition": [...], "persons": [...], "vehicles": [...]}.

    Returns the unsaved items, each checked by `check` as soon as it is built (so the first
    bad item is the one reported, as when they were saved one by one)."""
    check = check or _item_full_clean
    built: list = []

    def add(item) -> None:
        check(item)
        built.append(item)

    for drug in items.get("drugs", []):
        quantity = _decimal(drug.get("quantity"), "quantity")
        kg, pills = drug_quantity_normalise(quantity=quantity, unit=drug.get("unit", ""))
        add(
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
        usd_amount, rate_date = usd(
            amount=amount, currency=cash.get("currency", ""), on=event.occurred_at.date()
        )
        add(
            CurrencyItem(
                event=event,
                amount=amount,
                currency=cash.get("currency", ""),
                usd_amount=usd_amount,
                rate_date=rate_date,
            )
        )
    for gun in items.get("firearms", []):
        add(FirearmItem(event=event, **gun))
    for ammo in items.get("ammunition", []):
        add(AmmunitionItem(event=event, **ammo))
    for persons in items.get("persons", []):
        add(PersonsItem(event=event, **persons))
    for vehicle in items.get("vehicles", []):
        add(VehicleItem(event=event, **vehicle))
    return built


def _item_full_clean(item) -> None:
    with system_access(reason="model validation of a new flow item"):
        item.full_clean(exclude=["event"])


def _item_clean_fields(item) -> None:
    """Bulk imports: field checks only (items have no uniqueness rules to query)."""
    item.clean_fields(exclude=["event"])
    item.clean()


def _items_create(event: FlowEvent, items: dict) -> None:
    for item in _items_build(event, items):
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


@dataclass(frozen=True)
class EventImport:
    """One event for :func:`flow_events_import_create`: `key` (the caller's row or feature
    number) is echoed in errors; `values` are :func:`flow_event_create`'s keyword arguments
    (kind, occurred_at, lon, lat, direction, case_reference, narrative, external_id, items);
    `location` is the point already located (vectorised, by the caller), or None."""

    key: int
    values: dict
    location: Location | None = None


class _Rollback(Exception):
    pass


def _validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


def _event_build(row: EventImport, *, agency: Agency, marking: Marking, segments, rates):
    """The unsaved event and items of one row, checked as flow_event_create checks them."""
    values = dict(row.values)
    items = values.pop("items", None) or {}
    unit = values.pop("unit", None)
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("The unit belongs to another agency.")})
    _validate_time(values["occurred_at"])
    event = FlowEvent(agency=agency, marking=marking, unit=unit, **values)
    _snap(event, where=row.location, segments=segments)
    event.clean_fields(exclude=["segment", "agency", "unit", "marking"])
    event.clean()
    return event, _items_build(event, items, usd=rates.usd, check=_item_clean_fields)


def _events_write(batch: list, *, agency: Agency, summary: str) -> None:
    events = FlowEvent.objects.bulk_create([event for event, _ in batch])
    by_model: dict = defaultdict(list)
    for event, items in batch:
        for item in items:
            item.event = event  # now that the event has its primary key
            by_model[type(item)].append(item)
    for model, objects in by_model.items():
        model.objects.bulk_create(objects)
    audit_record_many(
        entries=(
            AuditEntry(
                action="flowevent.create",
                object_type=FlowEvent._meta.label_lower,
                object_id=str(event.pk),
                object_agency_code=agency.code,
                marking_summary=summary,
                details={"external_id": event.external_id} if event.external_id else None,
            )
            for event in events
        ),
        actor_username="system",
    )


def flow_events_import_create(
    *,
    agency: Agency,
    marking: Marking,
    rows: Iterable[EventImport],
    all_or_nothing: bool = True,
    chunk_size: int = 2_000,
) -> tuple[int, list[tuple[int, str]]]:
    """Record many events as the system for `agency` (imports): the bulk form of
    :func:`flow_event_create`, with the same checks, items and one `flowevent.create` audit
    entry per event, written in chunks (bulk inserts, audit entries appended in batches).

    Returns (events created, [(row key, reason), ...]). With `all_or_nothing` one bad row
    means nothing is written (every row is still checked, so every bad one is reported);
    otherwise the good rows are written and the bad ones reported. Either way in one
    transaction: never a half-written row.
    """
    if marking.originating_agency_id != agency.pk:
        raise ValidationError(
            {"marking": _("The marking's originating agency must be the reporting agency.")}
        )
    segments = dict(Segment.objects.values_list("segment_id", "pk"))
    rates = RateTable()
    summary = marking.summary
    created, errors = 0, []
    try:
        with transaction.atomic():
            batch: list = []
            for row in rows:
                try:
                    built = _event_build(
                        row, agency=agency, marking=marking, segments=segments, rates=rates
                    )
                except ValidationError as error:
                    errors.append((row.key, _validation_reason(error)))
                    continue
                if errors and all_or_nothing:
                    continue  # nothing more will be written; keep checking the rest
                batch.append(built)
                if len(batch) >= chunk_size:
                    _events_write(batch, agency=agency, summary=summary)
                    created, batch = created + len(batch), []
            if errors and all_or_nothing:
                raise _Rollback
            if batch:
                _events_write(batch, agency=agency, summary=summary)
                created += len(batch)
    except _Rollback:
        return 0, errors
    return created, errors


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
