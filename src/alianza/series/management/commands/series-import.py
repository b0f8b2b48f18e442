from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alianza.series.formats import KINDS
from alianza.series.services import series_import


class Command(BaseCommand):
    help = (
        "Import published aggregate statistics (CBP drug seizures, Border Patrol tables) from a "
        "CSV file or every CSV in a folder; the format is recognised from the header. "
        "Re-importing a file replaces its series."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", choices=KINDS, help="format (default: from the header)")
        parser.add_argument("--source-url", default="", help="where the file was published")
        parser.add_argument("--description", default="")

    def handle(self, *args, **options):
        path: Path = options["path"]
        if path.is_dir():
            files = sorted(path.glob("*.csv"))
        elif path.is_file():
            files = [path]
        else:
            raise CommandError(f"not found: {path}")
        failed = 0
        for file in files:
            result = series_import(
                actor=None,
                data=file.read_bytes(),
                source_file=file.name,
                kind=options["kind"],
                source_url=options["source_url"],
                description=options["description"],
            )
            for error in result.errors:
                self.stderr.write(f"{file.name}: {error}")
            if result.errors:
                failed += 1
                self.stdout.write(f"{file.name}: {len(result.errors)} bad rows — nothing written")
                continue
            self.stdout.write(
                f"{file.name} ({result.kind}): {len(result.series)} series, "
                f"{result.observations} observations ({result.replaced} replaced), "
                f"{result.not_available} cells not available"
            )
        if failed:
            raise CommandError(f"{failed} file(s) not imported")
