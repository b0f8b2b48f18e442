"""`alianza send-reminders [--today YYYY-MM-DD]`: send the due expiry, RFI and review reminders.

Safe to run any number of times (each reminder has a dedupe key). Scheduling is cron's job,
for example once a day at 06:00 in Arizona:

    0 13 * * *  cd /srv/alianza && .venv/bin/alianza send-reminders
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alianza.config.clock import display_zone
from alianza.notifications.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send reminders of vetting and certifications expiring within 90, 30 and 7 days, and "
        "of open requests for information due within 2 days or overdue, and of intelligence "
        "reports due for review within 7 days or past it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to act as today (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: {error}") from error
        # Cron runs in UTC; due and expiry dates are local calendar days, as on the pages.
        with timezone.override(display_zone()):
            created = reminders_send(today=today)
        self.stdout.write(f"{created} reminders sent.")
