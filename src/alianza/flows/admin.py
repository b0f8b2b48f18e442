from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Reference data only: events are marked and never edited outside their services."""

    list_display = ["date", "currency", "usd_per_unit"]
    list_filter = ["currency"]
