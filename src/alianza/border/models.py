"""The border as reference data: 1 km segments of the real line, sectors, corridors, places.

Not marked: the line, the sectors and the ports of entry are public. What happens on them
(flows.FlowEvent) is marked.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.Model):
    class Terrain(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")
        URBAN = "urban", _("urban")
        DESERT_FLAT = "desert_flat", _("flat desert")
        MOUNTAIN = "mountain", _("mountain")
        RIVER = "river", _("river")
        WETLAND = "wetland", _("wetland")
        COAST = "coast", _("coast")

    class Access(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")
        ROAD = "road", _("road")
        TRAIL = "trail", _("trail")
        NONE = "none", _("none")

    segment_id = models.CharField(_("segment id"), max_length=16, unique=True)
    index = models.PositiveIntegerField(_("index"), unique=True)
    km_start = models.FloatField(_("km start"))
    km_end = models.FloatField(_("km end"))
    length_m = models.FloatField(_("length (m)"))
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    # Edited by administrators; the loader never overwrites them once set.
    terrain = models.CharField(
        _("terrain"), max_length=16, choices=Terrain.choices, default=Terrain.UNKNOWN
    )
    access = models.CharField(
        _("access"), max_length=16, choices=Access.choices, default=Access.UNKNOWN
    )

    class Meta:
        verbose_name = _("border segment")
        verbose_name_plural = _("border segments")
        ordering = ["index"]

    def __str__(self) -> str:
        return self.segment_id


class KmRange(models.Model):
    """A named stretch of the line owned by one agency; another sector is configuration."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    km_start = models.FloatField(_("km start"))
    km_end = models.FloatField(_("km end"))

    class Meta:
        abstract = True
        ordering = ["agency__code", "km_start"]

    def __str__(self) -> str:
        return f"{self.code} ({self.km_start:.0f}–{self.km_end:.0f} km)"

    def contains_km(self, km: float) -> bool:
        return self.km_start <= km < self.km_end


class Sector(KmRange):
    class Meta(KmRange.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="sector_code_per_agency")
        ]


class Corridor(KmRange):
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corridors",
    )

    class Meta(KmRange.Meta):
        verbose_name = _("corridor")
        verbose_name_plural = _("corridors")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="corridor_code_per_agency")
        ]


class Place(models.Model):
    class Kind(models.TextChoices):
        PORT_OF_ENTRY = "port_of_entry", _("port of entry")
        STATION = "station", _("station")
        TOWN = "town", _("town")
        CHECKPOINT = "checkpoint", _("checkpoint")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("nearest segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    side = models.CharField(_("side"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
