"""Walking the chain: the proof that nobody edited, removed, reordered or cut the log."""

from __future__ import annotations

from dataclasses import dataclass

from .chain import CANONICAL_FIELDS, GENESIS_HASH, canonical_bytes, entry_hash
from .models import AuditEvent, AuditHead


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problem: str = ""
    broken_seq: int | None = None


def verify_chain(*, chunk_size: int = 20_000) -> VerifyResult:
    """Check every entry in sequence order; stop at the first break and name it."""
    expected_seq = 1
    prev = GENESIS_HASH
    count = 0
    rows = (
        AuditEvent.objects.unrestricted(reason="verify the chain")
        .order_by("seq")
        .values_list(*CANONICAL_FIELDS, "prev_hash", "entry_hash")
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        seq = row[0]
        if seq != expected_seq:
            kind = "missing (deleted)" if seq > expected_seq else "out of order"
            return VerifyResult(
                False,
                count,
                expected_seq - 1,
                prev,
                f"entry {expected_seq} is {kind}: found {seq} next",
                expected_seq,
            )
        if row[-2] != prev:
            return VerifyResult(
                False,
                count,
                seq - 1,
                prev,
                f"entry {seq} does not link to entry {seq - 1} (reordered or replaced)",
                seq,
            )
        computed = entry_hash(prev, canonical_bytes(row[:-2]))
        if computed != row[-1]:
            return VerifyResult(
                False, count, seq - 1, prev, f"entry {seq} was edited (hash mismatch)", seq
            )
        prev = computed
        count += 1
        expected_seq += 1
    head = AuditHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq, head.entry_hash) != (last_seq, prev):
        if head.seq > last_seq:
            return VerifyResult(
                False,
                count,
                last_seq,
                prev,
                f"the log was truncated: it ends at entry {last_seq}, the head records "
                f"entry {head.seq}",
                last_seq + 1,
            )
        return VerifyResult(
            False,
            count,
            last_seq,
            prev,
            f"the chain head does not match entry {last_seq}",
            last_seq,
        )
    return VerifyResult(True, count, last_seq, prev)


def entry_hash_at(seq: int) -> str | None:
    return (
        AuditEvent.objects.unrestricted(reason="compare with a checkpoint")
        .filter(seq=seq)
        .values_list("entry_hash", flat=True)
        .first()
    )
