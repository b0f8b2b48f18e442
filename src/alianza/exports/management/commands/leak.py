"""`alianza leak trace FILE`: name the recipient copy a leaked export (PDF or text) came from."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alianza.exports.fingerprint import MIN_POINTS
from alianza.exports.models import ExportRecord
from alianza.exports.render import extract_pdf_text
from alianza.exports.services import TRACE_TOO_SHORT, TRACE_UNDECIDED, leak_trace_records


class Command(BaseCommand):
    help = "Trace a leaked export (PDF, CSV or a pasted text fragment) to its recipient."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        trace = sub.add_parser("trace", help="score every export against FILE ('-' for stdin)")
        trace.add_argument("file")

    def handle(self, *args, **options):
        text = self._read(options["file"])
        records = ExportRecord.objects.unrestricted(
            reason="an operator traces a leak from the command line"
        ).select_related("actor")
        result = leak_trace_records(records, text)
        if result.record is None:
            raise CommandError(
                {
                    TRACE_TOO_SHORT: (
                        f"cannot be traced by text: {result.points} fingerprint point(s), at "
                        f"least {MIN_POINTS} needed, and no export id in the text"
                    ),
                    TRACE_UNDECIDED: "the text does not tell the copies apart (confidence 0)",
                }.get(result.outcome, "no export matches this text")
            )
        record = result.record
        self.stdout.write(
            f"export {record.export_id}\nrecipient {record.recipient}\n"
            f"exported by {record.actor.get_username()} at {record.created_at.isoformat()}\n"
            f"confidence {result.confidence}\n"
            f"fingerprint {result.matched}/{result.observed} points match"
            f"{' (export id present)' if result.by_export_id else ''}\n"
        )
        if result.runner_up is not None:
            self.stdout.write(
                f"runner-up {result.runner_up.export_id} ({result.runner_up.recipient})\n"
            )

    def _read(self, name: str) -> str:
        import sys

        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        if not path.exists():
            raise CommandError(f"no such file: {name}")
        data = path.read_bytes()
        if data[:5] == b"%PDF-":
            return extract_pdf_text(data)
        return data.decode("utf-8", errors="replace")
