"""`alianza positions-effort [--day YYYY-MM-DD] [--max-gap-minutes N]`: derive patrol effort
per segment from the stored position reports (every day with reports when --day is omitted)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from alianza.positions.effort import positions_effort_derive
from alianza.positions.tracks import DEFAULT_MAX_GAP


class Command(BaseCommand):
    help = "Derive patrol effort (hours, kilometres per segment and side) from position reports."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="local day YYYY-MM-DD (default: every day with reports)")
        parser.add_argument(
            "--max-gap-minutes",
            type=int,
            default=int(DEFAULT_MAX_GAP.total_seconds() // 60),
            help="longest silence between two fixes still counted as patrolling (default 15)",
        )

    def handle(self, *args, **options):
        days = None
        if options["day"]:
            try:
                days = [dt.date.fromisoformat(options["day"])]
            except ValueError as error:
                raise CommandError(f"--day: not a date YYYY-MM-DD: {options['day']}") from error
        if options["max_gap_minutes"] < 1:
            raise CommandError("--max-gap-minutes must be at least 1")
        summaries = positions_effort_derive(
            actor=None,
            days=days,
            max_gap=dt.timedelta(minutes=options["max_gap_minutes"]),
        )
        for s in summaries:
            self.stdout.write(
                f"{s.day} {s.agency}: {s.rows} segment rows, {s.hours:.2f} h, {s.kilometres:.2f} km"
            )
        self.stdout.write(f"{len(summaries)} agency-days derived.")
