from django.contrib import admin

from .models import Corridor, Place, Sector, Segment


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["segment_id", "km_start", "km_end", "terrain", "access"]
    list_editable = ["terrain", "access"]
    list_filter = ["terrain", "access"]
    search_fields = ["segment_id"]
    readonly_fields = ["segment_id", "index", "km_start", "km_end", "length_m", "geometry"]


@admin.register(Sector, Corridor)
class KmRangeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency", "km_start", "km_end"]
    list_filter = ["agency"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "lon", "lat", "segment", "side"]
    list_filter = ["kind"]
