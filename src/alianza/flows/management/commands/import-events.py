import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency
from alianza.flows.importing import FORMATS, MODES, events_import, format_detect


class Command(BaseCommand):
    help = (
        "Import an agency's flow events from CSV or GeoJSON (a FeatureCollection of Points; "
        "idempotent by external id)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="reporting agency code")
        parser.add_argument("--mapping", type=Path, help='JSON {"kind": "source column", ...}')
        parser.add_argument("--mode", choices=MODES, default="all-or-nothing")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or geojson (default: from the file name, *.geojson and *.json are GeoJSON)",
        )
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
        try:
            data = options["file"].read_bytes()
            mapping = json.loads(options["mapping"].read_text()) if options["mapping"] else None
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if mapping is not None and (
            not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values())
        ):
            raise CommandError('the mapping must be a JSON object {"column": "source column"}')
        result = events_import(
            data,
            agency=agency,
            marking=marking_get_or_create(originating_agency=agency, releasable_to=partners),
            mode=options["mode"],
            mapping=mapping,
            format=options["format"] or format_detect(options["file"].name),
            progress=lambda rows, desc, total: tqdm(
                rows, desc=desc, total=total, unit="row", ncols=90, mininterval=0.5
            ),
        )
        for error in result.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"created {result.created}, unchanged {result.unchanged}, "
            f"bad rows {len(result.errors)}" + ("" if result.written else " — nothing written")
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} bad rows")
