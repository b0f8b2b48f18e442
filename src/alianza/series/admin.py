from django.contrib import admin

from .models import AggregateSeries


@admin.register(AggregateSeries)
class AggregateSeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "publisher", "unit", "source_file", "imported_at")
    list_filter = ("publisher", "kind")
    readonly_fields = [f.name for f in AggregateSeries._meta.fields]
