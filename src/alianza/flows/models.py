"""What crosses the border, as reported by each agency: events under markings and their items."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alianza.access.fields import MarkingField
from alianza.access.querysets import MarkedQuerySet

from .querysets import ItemQuerySet


class FlowEvent(models.Model):
    class Kind(models.TextChoices):
        SEIZURE = "seizure", _("seizure")
        APPREHENSION = "apprehension", _("apprehension")
        TURN_BACK = "turn_back", _("turn-back")
        GOT_AWAY = "got_away", _("got-away")
        SIGHTING = "sighting", _("sighting")
        SENSOR_ALERT = "sensor_alert", _("sensor alert")
        TUNNEL = "tunnel", _("tunnel")
        VEHICLE_STOP = "vehicle_stop", _("vehicle stop")
        ASSAULT = "assault", _("assault on officers")

    class Direction(models.TextChoices):
        NORTHBOUND = "northbound", _("northbound")
        SOUTHBOUND = "southbound", _("southbound")
        UNKNOWN = "unknown", _("unknown")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.UNKNOWN
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    # Snapped by the locator when the event is saved, never typed in.
    segment = models.ForeignKey(
        "border.Segment", verbose_name=_("segment"), on_delete=models.PROTECT, related_name="+"
    )
    km_marker = models.FloatField(_("km marker"))
    side = models.CharField(_("side"), max_length=2)
    distance_m = models.FloatField(_("distance to the line (m)"))
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("reporting agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case_reference = models.CharField(_("case reference"), max_length=64, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    external_id = models.CharField(
        _("external id"), max_length=64, blank=True, help_text=_("The id in the agency's system.")
    )
    # Events that are one physical crossing share a key, so analytics count it once.
    crossing = models.CharField(_("crossing"), max_length=40, null=True, blank=True)
    marking = MarkingField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("flow event")
        verbose_name_plural = _("flow events")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "external_id"],
                condition=~Q(external_id=""),
                name="flowevent_external_id_per_agency",
            )
        ]
        indexes = [
            models.Index(fields=["marking", "-occurred_at"], name="flowevent_marking_recent"),
            models.Index(fields=["crossing"], name="flowevent_crossing"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d} km {self.km_marker:.0f}"


class Item(models.Model):
    event = models.ForeignKey(
        FlowEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        abstract = True


class DrugItem(Item):
    class Category(models.TextChoices):
        # CBP drug seizure categories.
        COCAINE = "cocaine", _("cocaine")
        FENTANYL = "fentanyl", _("fentanyl")
        HEROIN = "heroin", _("heroin")
        MARIJUANA = "marijuana", _("marijuana")
        METHAMPHETAMINE = "methamphetamine", _("methamphetamine")
        OTHER = "other", _("other drugs")

    class Unit(models.TextChoices):
        KG = "kg", _("kilograms")
        G = "g", _("grams")
        LB = "lb", _("pounds")
        OZ = "oz", _("ounces")
        PILLS = "pills", _("pills")

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    # Normalised: weight in kg, pills counted apart (a pill has no reliable weight).
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=14, decimal_places=4, default=0)
    pills = models.PositiveIntegerField(_("pills"), default=0)

    class Meta:
        verbose_name = _("drug item")
        verbose_name_plural = _("drug items")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


KG_PER_UNIT = {
    "kg": Decimal("1"),
    "g": Decimal("0.001"),
    "lb": Decimal("0.45359237"),
    "oz": Decimal("0.028349523125"),
}


class FirearmItem(Item):
    class Type(models.TextChoices):
        HANDGUN = "handgun", _("handgun")
        RIFLE = "rifle", _("rifle")
        SHOTGUN = "shotgun", _("shotgun")
        OTHER = "other", _("other firearm")

    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    make = models.CharField(_("make"), max_length=64, blank=True)
    model = models.CharField(_("model"), max_length=64, blank=True)
    calibre = models.CharField(_("calibre"), max_length=32, blank=True)
    serial = models.CharField(_("serial number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("firearm item")
        verbose_name_plural = _("firearm items")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class AmmunitionItem(Item):
    rounds = models.PositiveIntegerField(_("rounds"))
    calibre = models.CharField(_("calibre"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("ammunition item")
        verbose_name_plural = _("ammunition items")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ExchangeRate(models.Model):
    """Reference data: US dollars per unit of a currency on a date (e.g. Banxico FIX)."""

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3)
    usd_per_unit = models.DecimalField(_("USD per unit"), max_digits=14, decimal_places=8)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["date", "currency"], name="exchangerate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date}: {self.usd_per_unit}"


class CurrencyItem(Item):
    class Currency(models.TextChoices):
        USD = "USD", _("US dollar")
        MXN = "MXN", _("Mexican peso")

    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    usd_amount = models.DecimalField(_("USD equivalent"), max_digits=16, decimal_places=2)
    rate_date = models.DateField(_("rate date"), null=True, blank=True)

    class Meta:
        verbose_name = _("currency item")
        verbose_name_plural = _("currency items")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class PersonsItem(Item):
    count = models.PositiveIntegerField(_("count"))
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("persons item")
        verbose_name_plural = _("persons items")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class VehicleItem(Item):
    plate = models.CharField(_("plate"), max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=32, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)

    class Meta:
        verbose_name = _("vehicle item")
        verbose_name_plural = _("vehicle items")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class PatrolEffort(models.Model):
    """Patrol effort on one segment, one side, one day, by one agency's unit: the denominator of
    effort-adjusted rates (events per patrol hour). Derived from position reports by the
    positions app, or entered by hand where no positions exist; each source replaces its own rows.
    """

    class Source(models.TextChoices):
        POSITIONS = "positions", _("position reports")
        MANUAL = "manual", _("entered by hand")

    segment = models.ForeignKey(
        "border.Segment", verbose_name=_("segment"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    side = models.CharField(_("side"), max_length=2)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hours = models.FloatField(_("patrol hours"))
    kilometres = models.FloatField(_("kilometres patrolled"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    marking = MarkingField()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol effort")
        verbose_name_plural = _("patrol effort")
        ordering = ["-day", "segment_id"]
        indexes = [models.Index(fields=["marking", "day"], name="patroleffort_marking_day")]

    def __str__(self) -> str:
        return f"{self.segment_id} {self.day} {self.hours:.1f} h"
