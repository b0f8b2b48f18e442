"""Intelligence reports shared under enforced releasability."""


from django.db import models
from django.utils.translation import gettext_lazy as _

from alianza.access.fields import MarkingField
from alianza.access.querysets import MarkedQuerySet
from alianza.config.clock import display_today


class Report(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    class Handling(models.TextChoices):
        DISSEMINATE = "disseminate", _("may be disseminated")
        ORIGINATOR_APPROVAL = "originator_approval", _("only with originator approval")
        INTERNAL_ONLY = "internal_only", _("internal only")

    class Reliability(models.TextChoices):
        # Admiralty / NATO source reliability.
        A = "A", _("A: completely reliable")
        B = "B", _("B: usually reliable")
        C = "C", _("C: fairly reliable")
        D = "D", _("D: not usually reliable")
        E = "E", _("E: unreliable")
        F = "F", _("F: reliability cannot be judged")

    class TranslationStatus(models.TextChoices):
        NONE = "none", _("no translation")
        DRAFT = "draft", _("draft translation")
        REVIEWED = "reviewed", _("reviewed translation")

    class Credibility(models.TextChoices):
        C1 = "1", _("1: confirmed by other sources")
        C2 = "2", _("2: probably true")
        C3 = "3", _("3: possibly true")
        C4 = "4", _("4: doubtful")
        C5 = "5", _("5: improbable")
        C6 = "6", _("6: truth cannot be judged")

    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("originating agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # No index of its own: report_marking_recent (marking, -created_at) serves lookups by
    # marking, and a second index tempts SQLite's planner into sorting every visible row.
    marking = MarkingField(db_index=False)
    handling = models.CharField(
        _("handling"), max_length=32, choices=Handling.choices, default=Handling.INTERNAL_ONLY
    )
    basis_for_entry = models.TextField(
        _("basis for entry"),
        help_text=_(
            "The reasonable suspicion that justifies keeping this report (28 CFR Part 23)."
        ),
    )
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, default="F"
    )
    information_credibility = models.CharField(
        _("information credibility"), max_length=1, choices=Credibility.choices, default="6"
    )
    # Optional translation into the other language (English <-> Spanish), under the report's
    # own marking: whoever may read the report may read its translation, and no one else.
    # (Database defaults too, so bulk loads that name only the original columns still work.)
    translated_title = models.CharField(
        _("translated title"), max_length=300, blank=True, default="", db_default=""
    )
    translated_body = models.TextField(_("translation"), blank=True, default="", db_default="")
    translator = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("translator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    translation_status = models.CharField(
        _("translation status"),
        max_length=16,
        choices=TranslationStatus.choices,
        default=TranslationStatus.NONE,
        db_default=TranslationStatus.NONE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["marking", "-created_at"], name="report_marking_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        """The report's number as people quote it (in an RFI answer, on the phone): the
        originating agency's code and the id, e.g. USBP-42. See selectors.report_get_by_number."""
        return f"{self.agency.code}-{self.pk}"

    @classmethod
    def handling_default(cls, *, shared: bool) -> str:
        """The handling a new report gets unless its author chooses: internal only when it is
        not releasable to another agency, else only with the originator's approval."""
        return cls.Handling.ORIGINATOR_APPROVAL if shared else cls.Handling.INTERNAL_ONLY

    @classmethod
    def handling_contradicts(cls, handling: str, *, shared: bool) -> bool:
        """Whether `handling` is "internal only" on a report releasable to another agency:
        two opposite instructions."""
        return shared and handling == cls.Handling.INTERNAL_ONLY

    @property
    def grading(self) -> str:
        return f"{self.source_reliability}{self.information_credibility}"

    @property
    def translation_language(self) -> str:
        """The language of the translation: the other one of English and Spanish."""
        return (
            self.Language.SPANISH
            if self.language == self.Language.ENGLISH
            else self.Language.ENGLISH
        )

    @property
    def europol_grading(self) -> str:
        """The grading in Europol's 4x4 scheme (see intel/grading.py and docs/intel.md)."""
        from .grading import europol_grade

        return europol_grade(self.source_reliability, self.information_credibility).code


class Tearline(models.Model):
    """A sanitised version of a report, written by its author, under its own (wider) marking.

    A reader who may see only the tearline sees only the tearline: its pages and API never
    name or link the report it came from.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))
    marking = MarkingField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tearline")
        verbose_name_plural = _("tearlines")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReshareRequest(models.Model):
    """A request to share a report beyond its marking, decided by the originating agency."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    add_agencies = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("agencies to add"), blank=True, related_name="+"
    )
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Visible to the requester's and the originator's agencies (both sides of the decision).
    marking = MarkingField()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("re-share request")
        verbose_name_plural = _("re-share requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"


class RequestForInformation(models.Model):
    class Priority(models.TextChoices):
        ROUTINE = "routine", _("routine")
        PRIORITY = "priority", _("priority")
        IMMEDIATE = "immediate", _("immediate")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    requesting_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("requesting agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("requested agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"))
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.ROUTINE
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    answered_by = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    answer_report = models.ForeignKey(
        Report,
        verbose_name=_("answering report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marking = MarkingField()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"RFI-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        """Still open after its due date (a local calendar day, see display_today)."""
        return self.status == self.Status.OPEN and self.due_date < display_today()


from .entity_models import Entity, Mention, Relation  # noqa: E402,F401  (one app, two modules)
