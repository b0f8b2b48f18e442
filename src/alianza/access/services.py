"""Creating markings (value objects) and combining them for derived data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from .models import Compartment, Marking


def _signature(
    *,
    originating_agency_id: int | None,
    releasable_to_ids: Iterable[int],
    compartment_ids: Iterable[int],
    originator_control: bool,
    review_date: dt.date | None,
) -> str:
    releasable = sorted(set(releasable_to_ids) - {originating_agency_id})
    compartments = sorted(set(compartment_ids))
    return "|".join(
        [
            f"o={originating_agency_id or ''}",
            "r=" + ",".join(map(str, releasable)),
            "c=" + ",".join(map(str, compartments)),
            f"x={int(originator_control)}",
            f"d={review_date.isoformat() if review_date else ''}",
        ]
    )


def marking_get_or_create(
    *,
    originating_agency,
    releasable_to: Iterable = (),
    compartments: Iterable[Compartment] = (),
    originator_control: bool = False,
    review_date: dt.date | None = None,
) -> Marking:
    """The Marking with exactly these attributes (created once, then shared)."""
    agency_id = originating_agency.pk if originating_agency is not None else None
    releasable_ids = {a.pk for a in releasable_to} - {agency_id}
    compartment_ids = {c.pk for c in compartments}
    signature = _signature(
        originating_agency_id=agency_id,
        releasable_to_ids=releasable_ids,
        compartment_ids=compartment_ids,
        originator_control=originator_control,
        review_date=review_date,
    )
    existing = Marking.objects.filter(signature=signature).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            marking = Marking.objects.create(
                signature=signature,
                originating_agency_id=agency_id,
                originator_control=originator_control,
                review_date=review_date,
            )
            marking.releasable_to.set(releasable_ids)
            marking.compartments.set(compartment_ids)
            return marking
    except IntegrityError:  # another writer created the same label first
        return Marking.objects.get(signature=signature)


def marking_default(*, originating_agency) -> Marking:
    """The most restrictive label: the originating agency only."""
    return marking_get_or_create(originating_agency=originating_agency)


def marking_combine(markings: Iterable[Marking]) -> Marking:
    """The strictest marking of several inputs, for data derived from all of them.

    A reader may see the result only if they could see every input: agencies allowed is the
    intersection, compartments the union, ORCON if any is, the earliest review date.
    """
    markings = list(markings)
    if not markings:
        raise ValueError("marking_combine needs at least one marking")
    allowed: set[int] | None = None
    compartments: set[int] = set()
    originators: set[int | None] = set()
    review_dates = []
    for marking in markings:
        agencies = {marking.originating_agency_id} | set(
            marking.releasable_to.values_list("pk", flat=True)
        )
        agencies.discard(None)
        allowed = agencies if allowed is None else allowed & agencies
        compartments |= set(marking.compartments.values_list("pk", flat=True))
        originators.add(marking.originating_agency_id)
        if marking.review_date:
            review_dates.append(marking.review_date)
    from alianza.agencies.models import Agency

    originator_id = originators.pop() if len(originators) == 1 else None
    if originator_id is not None and originator_id not in allowed:
        originator_id = None
    return marking_get_or_create(
        originating_agency=Agency.objects.get(pk=originator_id) if originator_id else None,
        releasable_to=Agency.objects.filter(pk__in=allowed or set()),
        compartments=Compartment.objects.filter(pk__in=compartments),
        originator_control=any(m.originator_control for m in markings),
        review_date=min(review_dates) if review_dates else None,
    )


def marking_with(marking: Marking, *, add_agencies=(), review_date=None) -> Marking:
    """The same label with more agencies (re-sharing) and/or a new review date."""
    return marking_get_or_create(
        originating_agency=marking.originating_agency,
        releasable_to=list(marking.releasable_to.all()) + list(add_agencies),
        compartments=marking.compartments.all(),
        originator_control=marking.originator_control,
        review_date=review_date if review_date is not None else marking.review_date,
    )


def marking_at_least_as_wide(wide: Marking, narrow: Marking) -> bool:
    """True when everyone who may read `narrow` may also read `wide` (same originator, a
    superset of agencies, a subset of compartments, a review date no earlier)."""
    if wide.originating_agency_id != narrow.originating_agency_id:
        return False
    if not set(narrow.releasable_to.values_list("pk", flat=True)) <= set(
        wide.releasable_to.values_list("pk", flat=True)
    ):
        return False
    if not set(wide.compartments.values_list("pk", flat=True)) <= set(
        narrow.compartments.values_list("pk", flat=True)
    ):
        return False
    if narrow.review_date is None:
        return wide.review_date is None
    return wide.review_date is None or wide.review_date >= narrow.review_date
