"""Pages of the published series: the list, and one series over time with the task force's
own figures beside it where they are comparable. Every read is audited."""

from __future__ import annotations

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from alianza.access.views import RoleRequiredMixin
from alianza.audit.services import audit_record
from alianza.flows import charts

from . import selectors
from .comparison import series_comparison, series_is_comparable
from .formats import area_key


class SeriesListView(RoleRequiredMixin, TemplateView):
    template_name = "series/series_list.html"

    def get_context_data(self, **kwargs):
        audit_record(
            action="aggregateseries.list",
            actor=self.request.user,
            object_type="series.aggregateseries",
        )
        return super().get_context_data(
            series_list=selectors.series_list(reader=self.request.user), **kwargs
        )


class SeriesDetailView(RoleRequiredMixin, TemplateView):
    template_name = "series/series_detail.html"

    def get_context_data(self, **kwargs):
        reader = self.request.user
        series = selectors.series_get(reader=reader, pk=self.kwargs["pk"])
        choices = selectors.series_choices(series=series)
        filters = selectors.series_filters_parse(self.request.GET, choices=choices)
        audit_record(
            action="aggregateseries.view",
            actor=reader,
            obj=series,
            details={"filters": self.request.GET.urlencode()[:300]},
        )
        points = selectors.series_points(
            reader=reader, series=series, filters=filters, choices=choices
        )
        level = selectors.series_level(series=series, filters=filters, choices=choices)
        unit = series.get_unit_display()
        where = filters.area or _("all areas (sum of the finest level published)")
        chart = charts.stacked_bars(
            labels=[p.label for p in points],
            series={series.measure: [p.value for p in points]},
            title=f"{series.name} — {where}",
            ylabel=unit,
            empty=_("Nothing published for these filters."),
        )
        comparison = series_comparison(
            reader=reader,
            series=series,
            filters=filters,
            area_level=level,
            area_key=area_key(filters.area) if filters.area else "",
            points=points,
        )
        comparison_chart = None
        if comparison is not None and comparison.comparable:
            comparison_chart = charts.small_multiples(
                labels=comparison.labels,
                panels=[
                    (_("published (%(unit)s)") % {"unit": unit}, comparison.published),
                    (_("task force (%(unit)s)") % {"unit": unit}, comparison.task_force),
                ],
                title=_("%(area)s: published figures and the task force's own") % {"area": where},
            )
        tucson = next(
            (a for a, lvl in choices.areas if area_key(a) == "tucson" and lvl == "sector"), ""
        )
        return super().get_context_data(
            series=series,
            choices=choices,
            filters=filters,
            points=points,
            total=sum(p.value for p in points),
            chart={
                "src": chart,
                "alt": _("%(name)s per period, %(area)s; the same numbers are in the table.")
                % {"name": series.name, "area": where},
            },
            comparison=comparison,
            comparison_chart=comparison_chart,
            comparable=series_is_comparable(series),
            tucson_query=urlencode({"area": tucson}) if tucson else "",
            **kwargs,
        )
