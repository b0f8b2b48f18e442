"""Pages of the flow analytics: dashboard, hotspots, displacement and the interactive map.
Thin: numbers from dashboard/hotspots/displacement (visible events only), pictures from charts,
every read audited."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from alianza.access.views import RoleRequiredMixin
from alianza.audit.services import audit_record
from alianza.border.models import Corridor

from . import charts
from .analytics_filters import FlowFilters, flow_filters_parse, period_label
from .dashboard import DIRECTION_ORDER, KIND_ORDER, Dashboard, flow_dashboard
from .displacement import APPREHENSIONS, flow_displacement
from .geo import boundary_geojson
from .hotspots import PER_HOUR, hotspot_cells, resolution_parse
from .models import DrugItem, FlowEvent

KIND_LABELS = dict(FlowEvent.Kind.choices)
DIRECTION_LABELS = dict(FlowEvent.Direction.choices)
DRUG_LABELS = dict(DrugItem.Category.choices)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f} %"


class AnalyticsPage(RoleRequiredMixin, TemplateView):
    """Parses the shared filters (bad values are shown, defaults used) and audits the read."""

    audit_action = ""

    def dispatch(self, request, *args, **kwargs):
        self.errors: dict[str, list[str]] = {}
        return super().dispatch(request, *args, **kwargs)

    def filters(self) -> FlowFilters:
        try:
            return flow_filters_parse(self.request.GET)
        except ValidationError as error:
            self.errors.update(error.message_dict)
            valid = {k: v for k, v in self.request.GET.items() if k not in error.message_dict}
            try:
                return flow_filters_parse(valid)
            except ValidationError:
                return flow_filters_parse({})

    def base_context(self, filters: FlowFilters, **extra) -> dict:
        audit_record(
            action=self.audit_action,
            actor=self.request.user,
            object_type="flows.flowevent",
            details={"filters": filters.summary(), **extra},
        )
        return {
            "filters": filters,
            "query": urlencode(filters.as_query()),
            "errors": self.errors,
            "corridors": Corridor.objects.select_related("agency").order_by(
                "agency__code", "km_start"
            ),
            "kinds": FlowEvent.Kind.choices,
            "directions": FlowEvent.Direction.choices,
            "period_word": _("week") if filters.period == "week" else _("month"),
        }


def _peak(labels, values) -> tuple[str, float]:
    if not values or not any(values):
        return "—", 0
    i = max(range(len(values)), key=lambda j: values[j])
    return labels[i], values[i]


def _dashboard_charts(board: Dashboard, period_word: str) -> dict:
    labels = board.labels
    span = {
        "start": labels[0] if labels else "",
        "end": labels[-1] if labels else "",
        "period": period_word,
    }
    empty = _("Nothing to show for these filters.")
    totals = [row.total for row in board.counts]
    peak_label, peak_value = _peak(labels, totals)
    by_kind = {
        str(KIND_LABELS[k]): [row.by_kind.get(k, 0) for row in board.counts] for k in KIND_ORDER
    }
    by_direction = {
        str(DIRECTION_LABELS[d]): [row.by_direction.get(d, 0) for row in board.counts]
        for d in DIRECTION_ORDER
    }
    drugs = {
        str(DRUG_LABELS[c]): [row.drugs_kg.get(c, 0.0) for row in board.quantities]
        for c in board.drug_categories
    }
    kg_total = sum(row.drugs_total_kg for row in board.quantities)
    persons = [row.persons for row in board.quantities]
    firearms = [row.firearms for row in board.quantities]
    usd = [row.currency_usd for row in board.quantities]
    corridor_names = [f"{c.name} ({c.agency_code})" for c in board.corridors]
    rates = {
        name: [o.rate for o in c.by_period]
        for name, c in zip(corridor_names, board.corridors, strict=True)
    }
    overall = ", ".join(
        f"{n}: {_percent(c.outcome.rate)}"
        for n, c in zip(corridor_names, board.corridors, strict=True)
    )
    segment_labels = [f"{s.segment_id} (km {s.km_start:.0f})" for s in board.segments]
    top = board.segments[0] if board.segments else None
    return {
        "kinds": {
            "src": charts.stacked_bars(
                labels=labels,
                series=by_kind,
                title=_("Crossings per %(period)s by kind") % span,
                ylabel=_("crossings"),
                empty=empty,
            ),
            "alt": _(
                "Stacked bar chart of crossings per %(period)s by kind, %(start)s to %(end)s: "
                "%(total)s in all, most in %(peak)s (%(peak_count)s). The table beside it has "
                "the numbers."
            )
            % {**span, "total": sum(totals), "peak": peak_label, "peak_count": int(peak_value)},
        },
        "directions": {
            "src": charts.stacked_bars(
                labels=labels,
                series=by_direction,
                title=_("Crossings per %(period)s by direction") % span,
                ylabel=_("crossings"),
                empty=empty,
            ),
            "alt": _(
                "Stacked bar chart of crossings per %(period)s by direction, %(start)s to "
                "%(end)s: %(summary)s. The table beside it has the numbers."
            )
            % {
                **span,
                "summary": ", ".join(f"{name} {sum(v)}" for name, v in by_direction.items()),
            },
        },
        "drugs": {
            "src": charts.stacked_bars(
                labels=labels,
                series=drugs,
                title=_("Drugs seized per %(period)s (kg) by category") % span,
                ylabel=_("kg"),
                empty=empty,
            ),
            "alt": _(
                "Stacked bar chart of drugs seized per %(period)s in kilograms by CBP category, "
                "%(start)s to %(end)s: %(kg)s kg in all (%(summary)s). The table beside it has "
                "the numbers."
            )
            % {
                **span,
                "kg": f"{kg_total:,.1f}",
                "summary": ", ".join(f"{name} {sum(v):,.1f} kg" for name, v in drugs.items())
                or "—",
            },
        },
        "other": {
            "src": charts.small_multiples(
                labels=labels,
                panels=[
                    (_("persons"), persons),
                    (_("firearms"), firearms),
                    (_("currency (USD)"), usd),
                ],
                title=_("Persons, firearms and currency per %(period)s") % span,
            ),
            "alt": _(
                "Three bar charts per %(period)s, %(start)s to %(end)s: persons (%(persons)s in "
                "all), firearms (%(firearms)s) and currency seized (%(usd)s USD). The table "
                "beside them has the numbers."
            )
            % {
                **span,
                "persons": sum(persons),
                "firearms": sum(firearms),
                "usd": f"{sum(usd):,.0f}",
            },
        },
        "effectiveness": {
            "src": charts.rate_lines(
                labels=labels,
                series=rates,
                title=_("Border effectiveness per %(period)s and corridor") % span,
                ylabel=_("effectiveness (per cent)"),
                empty=empty,
            ),
            "alt": _(
                "Line chart of the border effectiveness rate per %(period)s for each corridor, "
                "%(start)s to %(end)s; over the whole period: %(summary)s. The table below has "
                "the numbers."
            )
            % {**span, "summary": overall or "—"},
        },
        "segments": {
            "src": charts.horizontal_bars(
                labels=segment_labels,
                values=[s.crossings for s in board.segments],
                title=_("Segments with the most crossings"),
                xlabel=_("crossings"),
                empty=empty,
            ),
            "alt": (
                _(
                    "Horizontal bar chart of the %(count)s segments with the most crossings; "
                    "first %(segment)s with %(crossings)s. The table beside it has the numbers."
                )
                % {
                    "count": len(segment_labels),
                    "segment": top.segment_id,
                    "crossings": top.crossings,
                }
                if top
                else empty
            ),
        },
    }


class FlowDashboardView(AnalyticsPage):
    template_name = "flows/dashboard.html"
    audit_action = "flowevent.dashboard"

    def get_context_data(self, **kwargs):
        filters = self.filters()
        board = flow_dashboard(reader=self.request.user, filters=filters)
        context = self.base_context(filters)
        # Columns for the kinds and directions that occur (nine empty columns help no one).
        kinds = [k for k in KIND_ORDER if any(row.by_kind.get(k) for row in board.counts)]
        directions = [
            d for d in DIRECTION_ORDER if any(row.by_direction.get(d) for row in board.counts)
        ]
        count_rows = [
            {
                "label": row.label,
                "kinds": [row.by_kind.get(k, 0) for k in kinds],
                "directions": [row.by_direction.get(d, 0) for d in directions],
                "total": row.total,
            }
            for row in board.counts
        ]
        quantity_rows = [
            {
                "label": row.label,
                "drugs": [row.drugs_kg.get(c, 0.0) for c in board.drug_categories],
                "pills": row.pills,
                "usd": row.currency_usd,
                "firearms": row.firearms,
                "persons": row.persons,
            }
            for row in board.quantities
        ]
        effectiveness_rows = [
            {
                "name": f"{c.name} ({c.agency_code})",
                "rates": [_percent(o.rate) for o in c.by_period],
                "overall": _percent(c.outcome.rate),
            }
            for c in board.corridors
        ]
        return super().get_context_data(
            board=board,
            charts=_dashboard_charts(board, context["period_word"]),
            kind_headers=[KIND_LABELS[k] for k in kinds],
            direction_headers=[DIRECTION_LABELS[d] for d in directions],
            all_direction_headers=[DIRECTION_LABELS[d] for d in DIRECTION_ORDER],
            drug_headers=[DRUG_LABELS[c] for c in board.drug_categories],
            count_rows=count_rows,
            quantity_rows=quantity_rows,
            effectiveness_rows=effectiveness_rows,
            corridor_rows=[
                {
                    "corridor": c,
                    "directions": [c.by_direction.get(d, 0) for d in DIRECTION_ORDER],
                    "rate": _percent(c.outcome.rate),
                }
                for c in board.corridors
            ],
            segment_rows=[{"segment": s, "rate": _percent(s.outcome.rate)} for s in board.segments],
            **context,
            **kwargs,
        )


class FlowHotspotsView(AnalyticsPage):
    template_name = "flows/hotspots.html"
    audit_action = "flowevent.hotspots"
    shown = 50

    def get_context_data(self, **kwargs):
        filters = self.filters()
        try:
            resolution = resolution_parse(self.request.GET.get("resolution"))
        except ValidationError as error:
            self.errors.update(error.message_dict)
            resolution = resolution_parse("")
        order = self.request.GET.get("order", "events")
        order = order if order in ("events", "rate") else "events"
        result = hotspot_cells(
            reader=self.request.user, filters=filters, resolution=resolution, order=order
        )
        context = self.base_context(filters, resolution=resolution)
        adjusted = [c for c in result.cells if c.rate is not None]
        values = [c.rate if adjusted and c.rate is not None else c.events for c in result.cells]
        shaded = [c for c in result.cells if not adjusted or c.rate is not None]
        line = _line_near(shaded)
        colour_label = _("crossings per patrol hour") if adjusted else _("crossings")
        top = result.cells[0] if result.cells else None
        chart = charts.cells_map(
            polygons=[_ring(c.cell) for c in shaded],
            values=[v for c, v in zip(result.cells, values, strict=True) if c in shaded],
            line=line,
            title=_("Hotspots (H3 resolution %(resolution)s)") % {"resolution": resolution},
            colour_label=colour_label,
            empty=_("Nothing to show for these filters."),
        )
        alt = (
            _(
                "Map of %(cells)s hexagonal cells along the boundary line, shaded by "
                "%(measure)s; %(adjusted)s of them effort-adjusted. Busiest cell: %(cell)s with "
                "%(events)s crossings. The ranked table below has the numbers."
            )
            % {
                "cells": len(result.cells),
                "measure": colour_label,
                "adjusted": len(adjusted),
                "cell": top.cell,
                "events": top.events,
            }
            if top
            else _("Nothing to show for these filters.")
        )
        return super().get_context_data(
            result=result,
            rows=result.cells[: self.shown],
            shown=self.shown,
            resolution=resolution,
            resolutions=range(5, 10),
            order=order,
            chart={"src": chart, "alt": alt},
            per_hour=PER_HOUR,
            map_query=urlencode({**filters.as_query(), "layer": "hotspots"}),
            **context,
            **kwargs,
        )


def _ring(cell: str) -> list[tuple[float, float]]:
    import h3

    return [(lng, lat) for lat, lng in h3.cell_to_boundary(cell)]


def _line_near(cells) -> list[tuple[float, float]]:
    """The boundary vertices near the cells (for the static hotspot picture)."""
    if not cells:
        return []
    rings = [_ring(c.cell) for c in cells]
    lons = [x for ring in rings for x, _ in ring]
    lats = [y for ring in rings for _, y in ring]
    west, east = min(lons) - 0.3, max(lons) + 0.3
    south, north = min(lats) - 0.3, max(lats) + 0.3
    points = []
    for feature in boundary_geojson()["features"]:
        geometry = feature["geometry"]
        lines = geometry["coordinates"]
        if geometry["type"] == "LineString":
            lines = [lines]
        for line in lines:
            points += [(x, y) for x, y in line if west <= x <= east and south <= y <= north]
    return points


class FlowDisplacementView(AnalyticsPage):
    template_name = "flows/displacement.html"
    audit_action = "flowevent.displacement"

    def get_context_data(self, **kwargs):
        filters = self.filters()
        rows = flow_displacement(reader=self.request.user, filters=filters)
        context = self.base_context(filters)
        labels = [w.label for w in rows[0].weeks] if rows else []
        panels = [
            {
                "title": _("%(corridor)s — neighbours: %(neighbours)s")
                % {
                    "corridor": f"{r.name} ({r.agency_code})",
                    "neighbours": ", ".join(r.neighbours) or "—",
                },
                "pressure": [w.pressure for w in r.weeks],
                "pressure_unit": _("apprehensions") if r.basis == APPREHENSIONS else _("hours"),
                "share": [w.share for w in r.weeks],
                "raised": [i for i, w in enumerate(r.weeks) if w.raised],
            }
            for r in rows
        ]
        chart = charts.displacement_panels(
            labels=labels,
            panels=panels,
            pressure_label=_("pressure"),
            share_label=_("neighbours' share of flows (per cent)"),
            raised_label=_("raised pressure"),
            empty=_("Nothing to show for these filters."),
        )
        summary = "; ".join(
            _("%(corridor)s: %(raised)s weeks of raised pressure, displacement %(value)s")
            % {
                "corridor": r.code,
                "raised": r.raised_weeks,
                "value": "—" if r.displacement is None else f"{r.displacement:+.1f} pp",
            }
            for r in rows
        )
        alt = _(
            "Weekly panels, one per corridor: pressure as bars, the neighbouring corridors' "
            "share of flows as a line, weeks of raised pressure shaded. %(summary)s. The tables "
            "below have the numbers."
        ) % {"summary": summary or "—"}
        return super().get_context_data(
            rows=rows,
            chart={"src": chart, "alt": alt},
            apprehensions=APPREHENSIONS,
            week_label=period_label,
            **context,
            **kwargs,
        )


class FlowMapView(AnalyticsPage):
    template_name = "flows/map.html"
    audit_action = "flowevent.map_page"

    def get_context_data(self, **kwargs):
        filters = self.filters()
        context = self.base_context(filters)
        query = filters.as_query()
        labels = {
            "boundary": _("Boundary"),
            "segments": _("Segments"),
            "events": _("Events"),
            "places": _("Places"),
            "hotspots": _("Hotspot cells"),
            "events_shown": _("Showing the %(shown)s newest of %(total)s events."),
            "events_all": _("Showing all %(total)s events."),
            "no_value": _("no data"),
            "crossings": _("crossings"),
            "per_hour": _("crossings per patrol hour"),
            "raw": _("raw count"),
            "patrol_hours": _("patrol hours"),
            "effectiveness": _("effectiveness"),
            "apprehensions": _("apprehensions"),
            "open": _("Open the event"),
            "legend": _("Legend"),
            "loading_failed": _("A map layer could not be loaded."),
        }
        api = {
            name: reverse(f"api:map_{name}")
            for name in ("boundary", "segments", "events", "places", "hotspots")
        }
        return super().get_context_data(
            measures=[
                ("events", _("events")),
                ("apprehensions", _("apprehensions")),
                ("effectiveness", _("effectiveness")),
                ("events_per_hour", _("events per patrol hour")),
            ],
            map_config=json.dumps(
                {
                    "api": api,
                    "query": urlencode(query),
                    "tileUrl": settings.ALIANZA_MAP_TILE_URL,
                    "tileAttribution": settings.ALIANZA_MAP_TILE_ATTRIBUTION,
                    "labels": labels,
                    "layer": self.request.GET.get("layer", ""),
                }
            ),
            **context,
            **kwargs,
        )
