"""Reads of notifications, always through the access layer (a user's own only)."""

from __future__ import annotations

from .models import Notification


def notification_list(*, reader, unread_only: bool = False):
    notifications = Notification.objects.visible_to(reader)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count(*, reader) -> int:
    return notification_list(reader=reader, unread_only=True).count()
