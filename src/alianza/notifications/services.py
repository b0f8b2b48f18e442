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
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from alianza.access.querysets import system_access
from alianza.agencies.models import Officer
from alianza.agencies.roles import TRAINING_COORDINATOR, VETTING_OFFICER
from alianza.audit.services import audit_record

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
    """Send the due expiry reminders (see the module docstring); returns how many were new."""
    today = today or timezone.localdate()
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
