"""`alianza import-roster FILE.csv --agency CODE [--session ID] [--good-rows]`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from alianza.agencies.models import Agency
from alianza.agencies.roster_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, roster_import


class Command(BaseCommand):
    help = (
        f"Import officers from CSV. Columns: {', '.join(REQUIRED_COLUMNS)} (required), "
        f"{', '.join(OPTIONAL_COLUMNS)}. Every bad row is reported; by default nothing is "
        "written unless every row is good."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="agency code, e.g. MXFP")
        parser.add_argument(
            "--session",
            type=int,
            help="also enrol each officer in this "
            "training session (eligibility is checked per row)",
        )
        parser.add_argument(
            "--good-rows", action="store_true", help="write every good row and report the rest"
        )

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"no agency with code {options['agency']!r}")
        try:
            data = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        after_row = None
        if options["session"]:
            from alianza.training.models import TrainingSession
            from alianza.training.services import enrolment_create

            session = TrainingSession.objects.filter(pk=options["session"]).first()
            if session is None:
                raise CommandError(f"no training session {options['session']}")

            def after_row(officer, line):
                try:
                    enrolment_create(actor=None, session=session, officer=officer)
                except ValidationError as error:
                    messages = error.message_dict.get("officer", error.messages)
                    raise ValidationError({"enrolment": messages}) from error

        quiet = options["verbosity"] < 1
        report = roster_import(
            actor=None,
            agency=agency,
            data=data,
            all_or_nothing=not options["good_rows"],
            after_row=after_row,
            progress=lambda rows: tqdm(rows, desc="officers", disable=quiet, ncols=90),
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if report.written:
            self.stdout.write(
                f"{report.created} created, {report.updated} updated, "
                f"{len(report.errors)} rows with errors"
            )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} errors; "
                + ("good rows written" if report.written else "nothing written")
            )
