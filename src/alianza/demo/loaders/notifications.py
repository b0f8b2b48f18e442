"""Reminders: run today's expiry reminders once, so the demo users find notifications (the
vetting and training loaders leave some vetting and certifications expiring soon)."""

from __future__ import annotations

from alianza.notifications.services import reminders_send

from .base import DemoContext


def load(ctx: DemoContext) -> None:
    # Idempotent: a second `alianza demo` sends nothing twice.
    created = reminders_send(today=ctx.today)
    ctx.say(f"  {created} reminders sent")
