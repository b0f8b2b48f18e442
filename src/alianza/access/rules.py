"""THE visibility rules. Nothing else in Alianza decides who may see what.

A reader's attributes come from their officer record; each attribute that matters is one clause
in `visible_markings`. Vetting status joins as the `cleared_for_shared` clause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Marking


@dataclass(frozen=True)
class Reader:
    """Who is asking, reduced to the attributes the rules use."""

    user_id: int | None
    officer_id: int | None = None
    agency_id: int | None = None
    active: bool = False
    compartment_ids: frozenset[int] = field(default_factory=frozenset)
    # False for an officer whose vetting is missing, expired or suspended: they keep their own
    # agency's uncompartmented records and lose everything shared by the partner.
    cleared_for_shared: bool = True
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def may_read_anything(self) -> bool:
        return self.user_id is not None and self.officer_id is not None and self.active

    def has_role(self, role: str) -> bool:
        return self.may_read_anything and role in self.roles


ANONYMOUS = Reader(user_id=None)
_CACHE_ATTR = "_alianza_reader"


def reader_for(user_or_reader) -> Reader:
    """The Reader for a user (cached on the user object for the request)."""
    if isinstance(user_or_reader, Reader):
        return user_or_reader
    user = user_or_reader
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    reader = _build_reader(user)
    setattr(user, _CACHE_ATTR, reader)
    return reader


def forget_reader(user) -> None:
    """Drop the cached attributes (after a change of role, compartment or status)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _build_reader(user) -> Reader:
    from alianza.agencies.models import Officer

    from .models import CompartmentMembership

    officer = Officer._base_manager.filter(user_id=user.pk).first()
    roles = frozenset(user.groups.values_list("name", flat=True))
    if officer is None:
        return Reader(user_id=user.pk, roles=roles)
    compartments = frozenset(
        CompartmentMembership.objects.filter(
            officer_id=officer.pk, compartment__active=True
        ).values_list("compartment_id", flat=True)
    )
    return Reader(
        user_id=user.pk,
        officer_id=officer.pk,
        agency_id=officer.agency_id,
        active=officer.active and user.is_active,
        compartment_ids=compartments,
        cleared_for_shared=_cleared_for_shared(officer),
        roles=roles,
    )


def _cleared_for_shared(officer) -> bool:
    """Vetted (or vetted and expiring), not expired, denied or suspended."""
    from alianza.vetting.status import vetting_status

    return vetting_status(officer.pk).cleared


def visible_markings(reader: Reader, *, today: dt.date | None = None) -> QuerySet:
    """Markings whose records `reader` may see."""
    if not reader.may_read_anything:
        return Marking.objects.none()
    today = today or timezone.localdate()
    own = Q(originating_agency_id=reader.agency_id)
    released = Q(releasable_to__id=reader.agency_id)
    # A compartment the reader does not hold hides the record, whatever else is true.
    lacks_compartment = Exists(
        Marking.compartments.through.objects.filter(marking_id=OuterRef("pk")).exclude(
            compartment_id__in=reader.compartment_ids
        )
    )
    # Past its review date a record leaves every shared view until its owner revalidates it.
    current = Q(review_date__isnull=True) | Q(review_date__gte=today)
    if reader.cleared_for_shared:
        agency_ok = own | (released & current)
        rule = agency_ok & ~lacks_compartment
    else:
        has_compartment = Exists(
            Marking.compartments.through.objects.filter(marking_id=OuterRef("pk"))
        )
        rule = own & ~has_compartment
    return Marking.objects.filter(pk__in=Marking.objects.filter(rule).values("pk"))


def visible_marking_ids(reader: Reader) -> list[int]:
    """The ids of `visible_markings(reader)`, resolved now (markings are few: they are
    shared labels, not per-record rows)."""
    return list(visible_markings(reader).values_list("pk", flat=True))


def marking_visible_to(marking: Marking, reader: Reader) -> bool:
    return visible_markings(reader).filter(pk=marking.pk).exists()
