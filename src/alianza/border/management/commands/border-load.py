from django.core.management.base import BaseCommand, CommandError

from alianza.agencies.models import Agency
from alianza.border.services import border_nogales_load, border_segments_load


class Command(BaseCommand):
    help = "Load the border segments (idempotent) and, with --agency, the Nogales-area sectors."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="agency code owning the Tucson Sector corridors")

    def handle(self, *args, **options):
        created = border_segments_load()
        self.stdout.write(f"segments created: {created}")
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"unknown agency {options['agency']}")
            self.stdout.write(str(border_nogales_load(agency=agency)))
