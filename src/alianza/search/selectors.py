"""Reads: full-text matches, always intersected with what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear

from alianza.intel import normalise
from alianza.intel.entity_models import Entity, Mention
from alianza.intel.models import Report, Tearline
from alianza.intel.selectors import entities_labelled

from .index import FTS_TABLE, PG_TABLE, pg_query, sqlite_match


def _matching(queryset: QuerySet, *, kind: str, q: str) -> QuerySet:
    """`queryset` (already filtered by the access layer) narrowed to the rows matching `q`."""
    ids = _matching_ids(kind=kind, q=q)
    return queryset.none() if ids is None else queryset.filter(pk__in=ids)


def _matching_ids(*, kind: str, q: str):
    """A subquery of the ids of `kind` whose indexed text matches `q` (None: nothing can)."""
    if connection.vendor == "postgresql":
        ids = RawSQL(  # noqa: S611 - constant SQL, the query text is a parameter
            f"SELECT obj_id FROM {PG_TABLE} WHERE kind = %s AND tsv @@ ({pg_query()})",  # noqa: S608
            [kind, q, q],
        )
        return ids
    if connection.vendor == "sqlite":
        match = sqlite_match(q)
        if not match:
            return None
        return RawSQL(  # noqa: S611 - constant SQL, the query text is a parameter
            f"SELECT obj_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND kind = %s",  # noqa: S608
            [match, kind],
        )
    return None


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


def _selector_candidates(q: str) -> set[str]:
    """The normalised selectors `q` could be written for (a phone number in any format, a
    VIN), so that "(631) 123-4567" finds +526311234567 although the words differ."""
    candidates = set()
    for region in ("MX", "US"):
        try:
            candidates.add(normalise.phone_e164(q, default_region=region))
        except ValueError:
            pass
    try:
        candidates.add("VIN:" + normalise.vin(q))
    except ValueError:
        pass
    return candidates


def entity_search(*, reader, q: str) -> QuerySet[Entity]:
    """Entities the reader may see whose label, normalised selector, or an alias used by a
    report the reader may see, matches `q`. An entity known only from hidden reports is not
    visible at all, and an alias used only by a hidden report finds nothing."""
    visible = Entity.objects.visible_to(reader)
    if not q.strip():
        return visible.none()
    condition = Q(pk__in=[])
    candidates = _selector_candidates(q)
    if candidates:
        condition |= Q(selector__in=candidates)
    entity_ids = _matching_ids(kind="entity", q=q)
    if entity_ids is not None:
        condition |= Q(pk__in=entity_ids)
    alias_ids = _matching_ids(kind="alias", q=q)
    if alias_ids is not None:
        mentions = Mention.objects.visible_to(reader).filter(pk__in=alias_ids)
        condition |= Q(pk__in=mentions.values("entity_id"))
    return entities_labelled(visible.filter(condition), reader=reader)


def entity_facets(results: QuerySet[Entity]) -> list:
    """Counts by kind of the (already filtered) matching entities."""
    kinds = results.order_by().values_list("kind").annotate(n=Count("id")).order_by("kind")
    return [Facet(str(v), n) for v, n in kinds]


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
