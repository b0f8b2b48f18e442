"""Joint training: courses, sessions, enrolments, certifications and the qualifications
they grant."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .querysets import TrainingRecordQuerySet


def _localised(obj, field: str) -> str:
    spanish = (get_language() or "en").startswith("es")
    return getattr(obj, f"{field}_es" if spanish else f"{field}_en")


class Qualification(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["code"]

    def __str__(self) -> str:
        return _localised(self, "name")


class Course(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    duration_hours = models.PositiveIntegerField(_("duration (hours)"))
    validity_days = models.PositiveIntegerField(
        _("validity (days)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )
    requires_vetted = models.BooleanField(_("requires a vetted status"), default=True)
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisite courses"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    grants = models.ManyToManyField(
        Qualification,
        verbose_name=_("qualifications granted"),
        blank=True,
        related_name="courses",
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def __str__(self) -> str:
        return _localised(self, "title")

    @property
    def title(self) -> str:
        return _localised(self, "title")

    @property
    def description(self) -> str:
        return _localised(self, "description")


class TrainingSession(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")
        BILINGUAL = "en-es", _("bilingual")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    instructors = models.ManyToManyField(
        "agencies.Officer",
        verbose_name=_("instructors"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.course.code} {self.starts_on:%Y-%m-%d}"


class Enrolment(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="one_enrolment_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} / {self.officer_id}"


class Certification(models.Model):
    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"{self.course.code} → {self.officer_id}"
