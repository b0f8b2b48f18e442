"""Reads: full-text matches, always intersected with what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear

from alianza.intel.models import Report, Tearline

from .index import FTS_TABLE, PG_TABLE, pg_query, sqlite_match


def _matching(queryset: QuerySet, *, kind: str, q: str) -> QuerySet:
    """`queryset` (already filtered by the access layer) narrowed to the rows matching `q`."""
    if connection.vendor == "postgresql":
        ids = RawSQL(  # noqa: S611 - constant SQL, the query text is a parameter
            f"SELECT obj_id FROM {PG_TABLE} WHERE kind = %s AND tsv @@ ({pg_query()})",  # noqa: S608
            [kind, q, q],
        )
        return queryset.filter(pk__in=ids)
    if connection.vendor == "sqlite":
        match = sqlite_match(q)
        if not match:
            return queryset.none()
        ids = RawSQL(  # noqa: S611 - constant SQL, the query text is a parameter
            f"SELECT obj_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND kind = %s",  # noqa: S608
            [match, kind],
        )
        return queryset.filter(pk__in=ids)
    return queryset.none()


def report_search(*, reader, q: str) -> QuerySet[Report]:
    """Reports the reader may see whose title or body matches `q` (newest first)."""
    visible = Report.objects.visible_to(reader).select_related("agency", "marking")
    if not q.strip():
        return visible.none()
    return _matching(visible, kind="report", q=q)


def tearline_search(*, reader, q: str) -> QuerySet[Tearline]:
    """Tearlines the reader may see matching `q`. Their report is never named."""
    visible = Tearline.objects.visible_to(reader).select_related("marking")
    if not q.strip():
        return visible.none()
    return _matching(visible, kind="tearline", q=q)


@dataclass(frozen=True)
class Facet:
    value: str
    count: int


def report_facets(results: QuerySet[Report]) -> dict[str, list[Facet]]:
    """Counts by agency, language and year, computed from the filtered results only."""
    base = results.order_by()
    agencies = base.values_list("agency__code").annotate(n=Count("id")).order_by("agency__code")
    languages = base.values_list("language").annotate(n=Count("id")).order_by("language")
    years = (
        base.annotate(year=ExtractYear("created_at"))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    )
    return {
        "agency": [Facet(str(v), n) for v, n in agencies],
        "language": [Facet(str(v), n) for v, n in languages],
        "year": [Facet(str(v), n) for v, n in years],
    }
