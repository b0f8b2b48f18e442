"""`alianza demo-feed [--interval 60] [--once] [--scale 1.0]`: keep the demo's simulated
positions up to now, so its live map shows units on patrol for as long as the demo runs.

Every round adds the fixes due since each unit's last one along the published patrol plans
(see `alianza.demo.live`); Ctrl-C stops it. With --once it runs one round, for cron:

    * * * * *  cd /srv/alianza-demo && .venv/bin/alianza demo-feed --once

Give the --scale the demo was loaded with, so the fixes keep its spacing.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from alianza.config.clock import display_zone
from alianza.demo.live import LiveFeed, demo_operation


class Command(BaseCommand):
    help = (
        "Add the demo's simulated position reports due up to now, every --interval seconds "
        "(once with --once), and derive the patrol effort of the days they fall on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=60, help="seconds between rounds (default 60)"
        )
        parser.add_argument("--once", action="store_true", help="run one round and stop")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="the --scale the demo was loaded with (fixes every minute at 1.0)",
        )

    def handle(self, *args, **options):
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second")
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive")
        if demo_operation() is None:
            raise CommandError("The demo is not loaded: run `alianza demo --no-serve` first.")
        feed = LiveFeed(scale=options["scale"])
        try:
            while True:
                now = timezone.now()
                result = feed.step(now)
                self.stdout.write(
                    f"{timezone.localtime(now, display_zone()):%H:%M:%S}: "
                    f"{result.accepted} position reports added ({result.units} units)."
                )
                if options["once"]:
                    break
                connection.close()
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
        finally:
            feed.flush()
