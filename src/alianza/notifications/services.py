"""Writes of notifications: one function per state change, each audited in its transaction.

Reminders (`reminders_send`) are meant to run once a day from cron (`alianza send-reminders`).
For each expiry date (an officer's vetting, or the latest certification they hold for a
course) it computes the days left and the tightest threshold reached among 90, 30 and 7 days:

    days left:   > 90   91..31 → none/90   30..8 → 30   7..0 → 7   < 0 (already expired) → none

(exactly: 31..90 → the 90-day reminder, 8..30 → the 30-day one, 0..7 → the 7-day one). One
notification per (recipient, subject, expiry date, threshold): the dedupe key makes a second
run the same day, or a missed day followed by a catch-up run, send nothing twice, and a run
that first sees an expiry 5 days away sends only the 7-day reminder, not all three.
Recipients: the officer (when they have an active user account) and their agency's vetting
officers (for vetting) or training coordinators (for certifications).

Requests for information (`rfi_reminders_send`, run by the same command): an RFI still open
`RFI_DUE_SOON_DAYS` (2) days or less before its due date gets one "due soon" reminder, and one
"overdue" reminder once the due date has passed (a run that first sees it overdue sends only
that one). Recipients: the analysts of the requested (answering) agency and the officer who
asked, each only if the RFI is visible to them today through the access layer (a compartmented
RFI reaches only the analysts who hold the compartment; an unvetted or inactive officer gets
nothing). The notification carries the RFI's number, the agencies and the due date, never the
question: the page it links to checks access again when it is opened.

When an RFI is answered (`rfi_answered_notify`, called by intel's `rfi_answer` in its
transaction) the officer who asked gets one "answered" notification, if the RFI is visible to
them through the access layer; it names the RFI's number and the answering agency, never the
answer or the report it cites. The due-date reminders about an RFI that is answered or
cancelled (`rfi_reminders_settle`) are marked read for everyone: there is nothing left to do.

Review dates (`review_reminders_send`): the author of an intelligence report gets one "due for
review" reminder from `REVIEW_DUE_DAYS` (7) days before the marking's review date, and one
"past review" reminder once it has passed (the report has then left shared views until it is
revalidated; a new review date gives new reminders). Only an author who may still see the
report is reminded; the text names the report's number and the date, never its title.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from alianza.access.querysets import system_access
from alianza.agencies.models import Officer
from alianza.agencies.roles import ANALYST, TRAINING_COORDINATOR, VETTING_OFFICER
from alianza.audit.services import audit_record
from alianza.config.clock import display_today

from .models import Notification

THRESHOLDS = (90, 30, 7)
REASON = "send expiry reminders (system job)"


def threshold_for(days_left: int) -> int | None:
    """The tightest reminder threshold reached `days_left` days before an expiry."""
    if days_left < 0:
        return None
    for threshold in sorted(THRESHOLDS):
        if days_left <= threshold:
            return threshold
    return None


def notification_create(
    *, user_id: int, kind: str, params: dict, due_on: dt.date | None, dedupe_key: str
) -> Notification | None:
    """Create one notification unless its dedupe key exists (then None). Audited."""
    try:
        with transaction.atomic():
            notification = Notification(
                user_id=user_id,
                kind=kind,
                params=params,
                due_on=due_on,
                created_at=timezone.now(),
                dedupe_key=dedupe_key,
            )
            notification.save(force_insert=True)
            audit_record(
                action="notification.create",
                obj=notification,
                details={"kind": kind, "user": user_id, "due_on": due_on, "key": dedupe_key},
            )
    except IntegrityError:  # sent already (a concurrent run): idempotent
        return None
    return notification


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications as read (a no-op when read already)."""
    with transaction.atomic():
        own = Notification.objects.visible_to(actor).filter(pk=notification.pk)
        notification = own.select_for_update().get()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            audit_record(action="notification.read", actor=actor, obj=notification)
    return notification


def _staff_by_agency(role: str) -> dict[int, list[int]]:
    staff: dict[int, list[int]] = defaultdict(list)
    for agency_id, user_id in (
        Officer.objects.unrestricted(reason=REASON)
        .filter(active=True, user__is_active=True, user__groups__name=role)
        .values_list("agency_id", "user_id")
        .distinct()
    ):
        staff[agency_id].append(user_id)
    return staff


def _expiries(officers: list[Officer], today: dt.date):
    """(officer, what, course code or "", expiry date) for every expiry within 90 days."""
    from alianza.training.models import Certification
    from alianza.vetting.status import vetting_statuses

    horizon = today + dt.timedelta(days=max(THRESHOLDS))
    by_id = {o.pk: o for o in officers}
    statuses = vetting_statuses(list(by_id), today=today)
    for officer in officers:
        status = statuses[officer.pk]
        if status.cleared and status.expires_on and today <= status.expires_on <= horizon:
            yield officer, "vetting", "", status.expires_on
    latest = (
        Certification.objects.unrestricted(reason=REASON)
        .filter(officer_id__in=list(by_id), issued_on__lte=today, expires_on__isnull=False)
        .values("officer_id", "course__code")
        .annotate(last=Max("expires_on"))
        .order_by("officer_id", "course__code")
    )
    for row in latest:  # the latest per course: a renewed certification does not remind
        if today <= row["last"] <= horizon:
            yield by_id[row["officer_id"]], "certification", row["course__code"], row["last"]


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send the due expiry and RFI reminders (see the module docstring); returns how many
    were new."""
    today = today or display_today()
    return (
        expiry_reminders_send(today=today)
        + rfi_reminders_send(today=today)
        + review_reminders_send(today=today)
    )


def expiry_reminders_send(*, today: dt.date) -> int:
    """Reminders of expiring vetting and certifications."""
    with system_access(reason=REASON):
        officers = list(
            Officer.objects.unrestricted(reason=REASON)
            .filter(active=True)
            .select_related("user")
            .order_by("pk")
        )
        existing = set(
            Notification.objects.unrestricted(reason=REASON)
            .filter(created_at__gte=timezone.now() - dt.timedelta(days=400))
            .values_list("dedupe_key", flat=True)
        )
        staff = {
            "vetting": _staff_by_agency(VETTING_OFFICER),
            "certification": _staff_by_agency(TRAINING_COORDINATOR),
        }
        expiries = list(_expiries(officers, today))
    created = 0
    for officer, what, course, expires_on in expiries:
        threshold = threshold_for((expires_on - today).days)
        if threshold is None:
            continue
        params = {
            "date": expires_on.isoformat(),
            "days": (expires_on - today).days,
            "course": course,
            "name": officer.full_name,
            "badge": officer.badge_number,
        }
        subject = f"{officer.pk}:{course}" if course else str(officer.pk)
        own_kind = "vetting_expiring" if what == "vetting" else "certification_expiring"
        recipients = []
        if officer.user_id and officer.user.is_active:
            recipients.append((officer.user_id, own_kind))
        recipients += [
            (user_id, f"staff_{own_kind}") for user_id in staff[what].get(officer.agency_id, [])
        ]
        for user_id, kind in recipients:
            key = f"{kind}:{user_id}:{subject}:{expires_on.isoformat()}:{threshold}"
            if key in existing:
                continue
            if notification_create(
                user_id=user_id, kind=kind, params=params, due_on=expires_on, dedupe_key=key
            ):
                created += 1
            existing.add(key)
    return created


RFI_DUE_SOON_DAYS = 2
RFI_REASON = "send RFI due-date reminders (system job)"


def rfi_threshold_for(days_left: int) -> str | None:
    """ "overdue" past the due date, "due_soon" from RFI_DUE_SOON_DAYS days before it."""
    if days_left < 0:
        return "overdue"
    if days_left <= RFI_DUE_SOON_DAYS:
        return "due_soon"
    return None


def rfi_reminders_send(*, today: dt.date) -> int:
    """Remind the answering agency's analysts and the requester of open RFIs due soon or
    overdue (see the module docstring); returns how many notifications were new."""
    from django.contrib.auth import get_user_model

    from alianza.access.rules import reader_for
    from alianza.intel.models import RequestForInformation

    horizon = today + dt.timedelta(days=RFI_DUE_SOON_DAYS)
    with system_access(reason=RFI_REASON):
        due = list(
            RequestForInformation.objects.unrestricted(reason=RFI_REASON)
            .filter(status=RequestForInformation.Status.OPEN, due_date__lte=horizon)
            .select_related("requesting_agency", "requested_agency", "created_by")
            .order_by("pk")
        )
        if not due:
            return 0
        analysts = set(
            Officer.objects.unrestricted(reason=RFI_REASON)
            .filter(
                active=True,
                user__is_active=True,
                user__groups__name=ANALYST,
                agency_id__in={r.requested_agency_id for r in due},
            )
            .values_list("user_id", flat=True)
        )
    requesters = {r.created_by.user_id for r in due if r.created_by.user_id}
    users = get_user_model().objects.filter(pk__in=analysts | requesters).order_by("pk")
    created = 0
    for user in users:
        reader = reader_for(user)
        # What this user may see today, through the same door as every page.
        visible = set(
            RequestForInformation.objects.visible_to(reader)
            .filter(pk__in=[r.pk for r in due])
            .values_list("pk", flat=True)
        )
        for rfi in due:
            if rfi.pk not in visible:
                continue
            threshold = rfi_threshold_for((rfi.due_date - today).days)
            roles = []
            if user.pk in analysts and reader.agency_id == rfi.requested_agency_id:
                roles.append(("rfi", rfi.requesting_agency.code))
            if user.pk == rfi.created_by.user_id:
                roles.append(("rfi_request", rfi.requested_agency.code))
            for prefix, agency_code in roles:
                kind = f"{prefix}_{threshold}"
                key = f"{kind}:{user.pk}:{rfi.pk}:{rfi.due_date.isoformat()}"
                params = {
                    "rfi": rfi.pk,
                    "agency": agency_code,
                    "date": rfi.due_date.isoformat(),
                }
                if notification_create(
                    user_id=user.pk, kind=kind, params=params, due_on=rfi.due_date, dedupe_key=key
                ):
                    created += 1
    return created


REVIEW_DUE_DAYS = 7
REVIEW_REASON = "send report review-date reminders (system job)"


def review_threshold_for(days_left: int) -> str | None:
    """ "past" after the review date, "due" from REVIEW_DUE_DAYS days before it."""
    if days_left < 0:
        return "past"
    if days_left <= REVIEW_DUE_DAYS:
        return "due"
    return None


def review_reminders_send(*, today: dt.date) -> int:
    """Remind authors of reports due for review or past it (see the module docstring)."""
    from alianza.access.rules import reader_for
    from alianza.intel.models import Report

    horizon = today + dt.timedelta(days=REVIEW_DUE_DAYS)
    with system_access(reason=REVIEW_REASON):
        due = list(
            Report.objects.unrestricted(reason=REVIEW_REASON)
            .filter(marking__review_date__lte=horizon, author__user__is_active=True)
            .select_related("marking", "author__user")
            .order_by("pk")
        )
    by_user = defaultdict(list)
    for report in due:
        by_user[report.author.user].append(report)
    created = 0
    for user, reports in by_user.items():
        # Whether the author may still see each report, through the same door as every page.
        visible = set(
            Report.objects.visible_to(reader_for(user))
            .filter(pk__in=[r.pk for r in reports])
            .values_list("pk", flat=True)
        )
        for report in reports:
            if report.pk not in visible:
                continue
            review_date = report.marking.review_date
            threshold = review_threshold_for((review_date - today).days)
            kind = f"report_review_{threshold}"
            key = f"{kind}:{user.pk}:{report.pk}:{review_date.isoformat()}"
            params = {"report": report.pk, "date": review_date.isoformat()}
            if notification_create(
                user_id=user.pk, kind=kind, params=params, due_on=review_date, dedupe_key=key
            ):
                created += 1
    return created


RFI_REMINDER_KINDS = (
    Notification.Kind.RFI_DUE_SOON,
    Notification.Kind.RFI_OVERDUE,
    Notification.Kind.RFI_REQUEST_DUE_SOON,
    Notification.Kind.RFI_REQUEST_OVERDUE,
)


def rfi_answered_notify(*, rfi) -> Notification | None:
    """Tell the officer who asked `rfi` that it was answered (see the module docstring).
    Returns the notification, or None when the asker has no active account, may no longer
    see the RFI, or was told already."""
    from alianza.access.rules import reader_for
    from alianza.intel.models import RequestForInformation

    asker = Officer.objects.unrestricted(reason="notify the asker of an RFI").get(
        pk=rfi.created_by_id
    )
    user = asker.user if asker.user_id else None
    if user is None or not user.is_active:
        return None
    reader = reader_for(user)  # what they may see now, through the same door as every page
    if not RequestForInformation.objects.visible_to(reader).filter(pk=rfi.pk).exists():
        return None
    kind = Notification.Kind.RFI_REQUEST_ANSWERED
    return notification_create(
        user_id=user.pk,
        kind=kind,
        params={"rfi": rfi.pk, "agency": rfi.requested_agency.code},
        due_on=None,
        dedupe_key=f"{kind}:{user.pk}:{rfi.pk}",
    )


def rfi_reminders_settle(*, rfi, reason: str) -> int:
    """Mark read every unread due-date reminder about `rfi` (it was answered or cancelled);
    audited per notification. Returns how many were marked."""
    now = timezone.now()
    settled = 0
    unread = (
        Notification.objects.unrestricted(reason="settle the reminders of a settled RFI")
        .filter(kind__in=RFI_REMINDER_KINDS, params__rfi=rfi.pk, read_at__isnull=True)
        .select_for_update()
        .order_by("pk")
    )
    with transaction.atomic():
        for notification in unread:
            notification.read_at = now
            notification.save(update_fields=["read_at"])
            audit_record(
                action="notification.settle",
                obj=notification,
                details={"rfi": rfi.pk, "reason": reason, "user": notification.user_id},
            )
            settled += 1
    return settled
