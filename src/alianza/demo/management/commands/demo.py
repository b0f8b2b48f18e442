"""`alianza demo`: migrate, load the Nogales corridor demo (idempotent), print logins, serve."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from alianza.demo.live import start_live_feed
from alianza.demo.loaders import (
    flows,
    intel,
    notifications,
    operations,
    patrols,
    people,
    positions,
    series,
    training,
    vetting,
)
from alianza.demo.loaders.base import DEMO_PASSWORD, DemoContext

LIVE_FEED_SECONDS = 60

# Each app's demo loader, in dependency order. A new app adds one line here.
LOADERS = [
    ("people", people.load),
    ("flows", flows.load),
    ("published series", series.load),
    ("vetting", vetting.load),
    ("training", training.load),
    ("intelligence", intel.load),
    ("operations", operations.load),
    ("patrols", patrols.load),
    ("positions", positions.load),
    ("notifications", notifications.load),
]


class Command(BaseCommand):
    help = "Load the Nogales corridor demo (safe to run again) and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="fraction of the full demo size (tests use a small one)",
        )

    def handle(self, *args, **options):
        quiet = options["verbosity"] < 1
        call_command("migrate", interactive=False, verbosity=0)
        ctx = DemoContext(seed=options["seed"], quiet=quiet, scale=options["scale"])
        # One "now" for every loader (ctx.now, ctx.today), and the services' own "today"
        # (timezone.localdate()) in the display time zone, as in a web request.
        with timezone.override(ctx.zone):
            for name, load in LOADERS:
                ctx.say(f"loading {name}…")
                with transaction.atomic():
                    load(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded. Logins (password: {DEMO_PASSWORD}):"))
        for username in ctx.state.get("logins", []):
            self.stdout.write(f"  {username}")
        self.stdout.write(
            "Integrity officers and agency administrators set up TOTP at first login."
        )
        if not options["no_serve"]:
            self.stdout.write(f"Serving on http://{options['addr']}/ (Ctrl-C to stop)")
            # Patrol units keep reporting along the published plans while the demo serves, so
            # the live map is never empty (`alianza demo-feed` does the same beside a server).
            feed = start_live_feed(LIVE_FEED_SECONDS, scale=options["scale"])
            try:
                call_command("runserver", options["addr"], use_reloader=False)
            finally:
                feed.stop(timeout=5)
