"""`alianza audit verify [--checkpoint FILE]`, `audit checkpoint`, `audit public-key`."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alianza.audit.checkpoint import (
    checkpoint_check_signature,
    checkpoint_create,
    load_or_create_signing_key,
    public_key_pem,
)
from alianza.audit.verify import entry_hash_at, verify_chain


class Command(BaseCommand):
    help = "Verify the audit chain, write a signed checkpoint, or print the checkpoint public key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="walk the hash chain; exit 1 at the first break")
        verify.add_argument("--checkpoint", type=Path, help="a checkpoint the log must extend")
        verify.add_argument(
            "--public-key", type=Path, help="PEM public key to check the checkpoint against"
        )
        checkpoint = sub.add_parser("checkpoint", help="write a signed checkpoint of the head")
        checkpoint.add_argument("--output", "-o", type=Path, help="file to write (default stdout)")
        sub.add_parser("public-key", help="print the checkpoint signing public key (PEM)")

    def handle(self, *args, **options):
        key_path = settings.ALIANZA_AUDIT_SIGNING_KEY
        match options["subcommand"]:
            case "verify":
                self._verify(options["checkpoint"], options["public_key"], key_path)
            case "checkpoint":
                result = verify_chain()
                if not result.ok:
                    raise CommandError(f"refusing to checkpoint a broken chain: {result.problem}")
                data = checkpoint_create(
                    key=load_or_create_signing_key(key_path),
                    seq=result.head_seq,
                    head_hash=result.head_hash,
                )
                text = json.dumps(data, indent=2) + "\n"
                if options["output"]:
                    options["output"].write_text(text)
                    self.stdout.write(
                        f"checkpoint at entry {data['seq']} written to {options['output']}"
                    )
                else:
                    self.stdout.write(text)
            case "public-key":
                self.stdout.write(public_key_pem(load_or_create_signing_key(key_path)))

    def _verify(self, checkpoint_path: Path | None, public_key_path: Path | None, key_path):
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"audit chain BROKEN at entry {result.broken_seq}: {result.problem}")
        if checkpoint_path is not None:
            try:
                checkpoint = json.loads(checkpoint_path.read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read checkpoint {checkpoint_path}: {exc}") from exc
            if public_key_path is not None:
                pem = public_key_path.read_text()
            else:
                pem = public_key_pem(load_or_create_signing_key(key_path))
            try:
                checkpoint_check_signature(checkpoint, public_key_pem_text=pem)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            seq = int(checkpoint["seq"])
            if seq > result.head_seq:
                raise CommandError(
                    f"the log ends at entry {result.head_seq} but the checkpoint witnessed "
                    f"entry {seq}: the log was truncated"
                )
            if seq > 0 and entry_hash_at(seq) != checkpoint["head_hash"]:
                raise CommandError(
                    f"entry {seq} differs from the checkpoint: history was rewritten"
                )
            self.stdout.write(f"checkpoint at entry {seq} is extended by the log")
        self.stdout.write(
            f"audit chain intact: {result.entries} entries, head {result.head_seq} "
            f"{result.head_hash}"
        )
