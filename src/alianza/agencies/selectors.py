"""Reads of agencies' people, always through the access layer."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Agency, Officer, Unit


def officer_list(
    *, reader, search: str = "", unit_id: int | None = None, active: bool | None = None
) -> QuerySet[Officer]:
    queryset = Officer.objects.visible_to(reader).select_related("agency", "unit")
    if search:
        queryset = queryset.filter(
            Q(given_name__icontains=search)
            | Q(family_name__icontains=search)
            | Q(badge_number__icontains=search)
        )
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if active is not None:
        queryset = queryset.filter(active=active)
    return queryset


def agency_list() -> QuerySet[Agency]:
    # Agencies are public reference data: every member of the task force knows its partners.
    return Agency.objects.all()


def unit_list(*, agency_id: int | None = None) -> QuerySet[Unit]:
    queryset = Unit.objects.select_related("agency", "parent")
    if agency_id:
        queryset = queryset.filter(agency_id=agency_id)
    return queryset
