"""Patrol plans drawn from a Stackelberg security game, and their concrete assignments.

A plan covers one sector, one date and one shift. Shifts are in Arizona time
(America/Phoenix, UTC-7 all year, like Sonora):

- ``day``   06:00-14:00
- ``swing`` 14:00-22:00
- ``night`` 22:00-06:00 (ends the next morning)

``inputs`` holds everything the solver saw (risk per segment and slot, method parameters,
units available, eligible officers) and ``seed`` the sampling seed, so
``plan_regenerate_assignments`` rebuilds the same assignments from them alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from alianza.access.fields import MarkingField

from .querysets import (
    PatrolAssignmentOfficerQuerySet,
    PatrolAssignmentQuerySet,
    PatrolPlanQuerySet,
)

# Local start hour and length (hours) of each shift, Arizona time.
SHIFT_HOURS: dict[str, tuple[int, int]] = {"day": (6, 8), "swing": (14, 8), "night": (22, 8)}

# Shifts in the order they start in a day (day, swing, night), not alphabetically: order plans
# with `SHIFT_ORDER.asc()` (an expression, so no column and no data migration). The conditions
# are lookups on F("shift"), not keyword filters, so that models ordered by "plan" can follow
# this ordering through the relation (Django prefixes F references, not Q objects).
SHIFT_ORDER = models.Case(
    *(
        models.When(Exact(models.F("shift"), code), then=models.Value(start))
        for code, (start, _hours) in SHIFT_HOURS.items()
    ),
    default=models.Value(24),
    output_field=models.IntegerField(),
)


class PatrolPlan(models.Model):
    class Shift(models.TextChoices):
        DAY = "day", _("day (06:00-14:00)")
        SWING = "swing", _("swing (14:00-22:00)")
        NIGHT = "night", _("night (22:00-06:00)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    operation = models.ForeignKey(
        "operations.JointOperation",
        verbose_name=_("joint operation"),
        on_delete=models.PROTECT,
        related_name="patrol_plans",
    )
    sector = models.ForeignKey(
        "border.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    seed = models.BigIntegerField(_("seed"))
    inputs = models.JSONField(
        _("solver inputs"),
        default=dict,
        help_text=_("Risk per segment and slot, method parameters and units available."),
    )
    solver_result = models.JSONField(
        _("solver result"),
        default=dict,
        help_text=_("Coverage, defender and attacker utilities, solve time."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The operation's compartment, releasable to both lead agencies.
    marking = MarkingField()

    objects = PatrolPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["-date", SHIFT_ORDER.asc(), "-created_at"]
        indexes = [models.Index(fields=["operation", "date"], name="patrolplan_op_date_idx")]
        constraints = [
            # At most one published plan per shift: the database decides, so two drafts
            # published at once cannot both succeed (services.plan_publish explains the refusal).
            models.UniqueConstraint(
                fields=["operation", "sector", "date", "shift"],
                condition=models.Q(status="published"),
                name="patrolplan_one_published_per_shift",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation.code} {self.date:%Y-%m-%d} {self.shift}"

    @property
    def shift_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end of the shift as aware UTC datetimes."""
        return shift_bounds(self.date, self.shift)


def shift_bounds(date: dt.date, shift: str) -> tuple[dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo

    start_hour, hours = SHIFT_HOURS[shift]
    local = dt.datetime.combine(date, dt.time(start_hour), tzinfo=ZoneInfo("America/Phoenix"))
    start = local.astimezone(dt.UTC)
    return start, start + dt.timedelta(hours=hours)


class PatrolAssignment(models.Model):
    class Side(models.TextChoices):
        US = "US", _("United States side")
        MX = "MX", _("Mexican side")

    plan = models.ForeignKey(
        PatrolPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assignments"
    )
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
    unit_type = models.CharField(_("unit type"), max_length=64)
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    first_segment = models.ForeignKey(
        "border.Segment",
        verbose_name=_("first segment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_segment = models.ForeignKey(
        "border.Segment",
        verbose_name=_("last segment"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The window runs from the first to the last segment, inclusive, by km."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    vehicle = models.CharField(_("vehicle"), max_length=64, blank=True)
    mirror = models.ForeignKey(
        "self",
        verbose_name=_("mirror assignment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The partner assignment on the other side of the line."),
    )
    officers = models.ManyToManyField(
        "agencies.Officer",
        verbose_name=_("officers"),
        through="PatrolAssignmentOfficer",
        related_name="+",
        blank=True,
    )
    manually_edited = models.BooleanField(_("manually edited"), default=False)

    objects = PatrolAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol assignment")
        verbose_name_plural = _("patrol assignments")
        ordering = ["plan", "starts_at", "first_segment__index", "side"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="patrol_assignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.unit_type} {self.first_segment_id}-{self.last_segment_id}"

    @property
    def mirror_intact(self) -> bool:
        """The mirror partner still patrols the same window at the same time (a hand edit of
        one half breaks the pair; the coverage then counts the two units separately)."""
        partner = self.mirror
        return partner is not None and (
            (partner.first_segment_id, partner.last_segment_id, partner.starts_at, partner.ends_at)
            == (self.first_segment_id, self.last_segment_id, self.starts_at, self.ends_at)
        )


class PatrolAssignmentOfficer(models.Model):
    assignment = models.ForeignKey(
        PatrolAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="crew",
    )
    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="patrol_assignments",
    )
    # Denormalised from the assignment so the double-booking check is one indexed query.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    objects = PatrolAssignmentOfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("assigned officer")
        verbose_name_plural = _("assigned officers")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "officer"], name="patrol_officer_once_per_assignment"
            )
        ]
        indexes = [
            models.Index(fields=["officer", "starts_at", "ends_at"], name="patrol_officer_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}@{self.assignment_id}"
