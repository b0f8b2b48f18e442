import re
import statistics
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.config.clock import display_today

from .entity_models import Entity, Mention
from .models import Report, RequestForInformation, ReshareRequest, Tearline


def report_list(*, reader, search: str = "") -> QuerySet[Report]:
    queryset = Report.objects.visible_to(reader).select_related("agency", "marking")
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return queryset


# An agency code and the id, separated by a dash or a space; or the id alone.
_REPORT_NUMBER = re.compile(r"#?\s*(?:(?P<code>[^\s#]+?)\s*(?:[-‐–—]|\s)\s*)?(?P<id>[0-9]{1,18})")


def report_get_by_number(*, user, number: str) -> Report:
    """The report whose number (Report.number, e.g. "USBP-42"; "usbp 42" and "#42" too) is
    `number`, if `user` may see it. Missing, malformed and not visible are the same
    RecordNotFound (access_get audits a denied look-up of an existing report)."""
    match = _REPORT_NUMBER.fullmatch(number.strip())
    if match is None:
        raise RecordNotFound()
    report = access_get(user, Report, pk=int(match["id"]))
    if match["code"] and report.agency.code.casefold() != match["code"].casefold():
        raise RecordNotFound()  # a number the reader typed wrong, not a denied look-up
    return report


def report_not_found_message(number: str) -> str:
    """What an RFI answer citing a missing, or unseen, report number is told."""
    return _("No report numbered %(number)s was found.") % {"number": number.strip()[:40]}


def tearline_list_only(*, reader) -> QuerySet[Tearline]:
    """Tearlines whose report the reader may NOT see: for them the tearline is all there is."""
    return (
        Tearline.objects.visible_to(reader)
        .exclude(report__in=Report.objects.visible_to(reader).values("pk"))
        .select_related("marking")
    )


def tearlines_of(*, reader, report: Report) -> QuerySet[Tearline]:
    return Tearline.objects.visible_to(reader).filter(report=report)


def reports_past_review(*, reader) -> QuerySet[Report]:
    """The reader's own agency's reports past their review date (flagged to their owners)."""
    reader = reader_for(reader)
    return (
        Report.objects.visible_to(reader)
        .filter(agency_id=reader.agency_id, marking__review_date__lt=display_today())
        .select_related("agency", "marking")
    )


def reshare_request_list(*, reader) -> QuerySet[ReshareRequest]:
    """Requests the reader may see, about reports the reader may read: a request refers to its
    report, so it is never shown (nor offered for a decision) past the report's own marking."""
    return (
        ReshareRequest.objects.visible_to(reader)
        .filter(report__in=Report.objects.visible_to(reader).values("pk"))
        .select_related("requested_by__agency")
    )


def rfi_list(*, reader, status: str = "") -> QuerySet[RequestForInformation]:
    queryset = RequestForInformation.objects.visible_to(reader).select_related(
        "requesting_agency", "requested_agency"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


@dataclass(frozen=True)
class Turnaround:
    agency_code: str
    asked: int
    answered: int
    median_days: float | None
    on_time_share: float | None
    overdue: int


def rfi_turnaround(*, reader) -> list[Turnaround]:
    """Partnership health: how fast each agency answers the other's requests, computed from
    the requests the reader may see."""
    today = display_today()
    per_agency: dict[str, list] = {}
    for rfi in rfi_list(reader=reader):
        per_agency.setdefault(rfi.requested_agency.code, []).append(rfi)
    rows = []
    for code, rfis in sorted(per_agency.items()):
        answered = [r for r in rfis if r.answered_at is not None]
        days = sorted((r.answered_at - r.created_at).total_seconds() / 86400 for r in answered)
        on_time = [r for r in answered if timezone.localtime(r.answered_at).date() <= r.due_date]
        rows.append(
            Turnaround(
                agency_code=code,
                asked=len(rfis),
                answered=len(answered),
                median_days=round(statistics.median(days), 1) if days else None,
                on_time_share=round(len(on_time) / len(answered), 3) if answered else None,
                overdue=sum(1 for r in rfis if r.status == "open" and r.due_date < today),
            )
        )
    return rows


def entities_labelled(queryset: QuerySet[Entity], *, reader) -> QuerySet[Entity]:
    """`queryset` (already visible to `reader`) with `display_label`: the label the earliest
    report the reader may see gives the entity, else the entity's own neutral label. A label
    from a report the reader may not see never reaches them."""
    labels = (
        Mention.objects.visible_to(reader)
        .filter(entity=OuterRef("pk"))
        .exclude(label="")
        .order_by("pk")
        .values("label")[:1]
    )
    return queryset.annotate(display_label=Coalesce(Subquery(labels), F("label")))


def entity_list(*, reader, search: str = "") -> QuerySet[Entity]:
    """Visible entities with their display label; `search` matches the entity's own label or
    selector, or the alias or label of a mention the reader may see."""
    queryset = Entity.objects.visible_to(reader)
    if search:
        mentions = Mention.objects.visible_to(reader).filter(
            Q(alias__icontains=search) | Q(label__icontains=search)
        )
        queryset = queryset.filter(
            Q(label__icontains=search)
            | Q(selector__icontains=search)
            | Q(pk__in=mentions.values("entity_id"))
        )
    return entities_labelled(queryset, reader=reader).order_by("kind", "display_label", "pk")
