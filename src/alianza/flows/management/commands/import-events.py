import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency
from alianza.flows.importing import MODES, events_import


class Command(BaseCommand):
    help = "Import an agency's flow events from CSV (idempotent by external id)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="reporting agency code")
        parser.add_argument("--mapping", type=Path, help='JSON {"kind": "source column", ...}')
        parser.add_argument("--mode", choices=MODES, default="all-or-nothing")
        parser.add_argument(
            "--releasable-to", default="", help="comma-separated agency codes to share with"
        )

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"unknown agency {options['agency']}")
        codes = [c for c in options["releasable_to"].split(",") if c]
        partners = list(Agency.objects.filter(code__in=codes))
        if len(partners) != len(codes):
            raise CommandError("unknown agency in --releasable-to")
        mapping = json.loads(options["mapping"].read_text()) if options["mapping"] else None
        result = events_import(
            options["file"].read_bytes(),
            agency=agency,
            marking=marking_get_or_create(originating_agency=agency, releasable_to=partners),
            mode=options["mode"],
            mapping=mapping,
            progress=lambda rows: tqdm(rows, desc="import", unit="row", ncols=90),
        )
        for error in result.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"created {result.created}, unchanged {result.unchanged}, "
            f"bad rows {len(result.errors)}" + ("" if result.written else " — nothing written")
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} bad rows")
