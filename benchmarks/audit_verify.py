"""Audit chain verification: `verify_chain()` over 10^6 valid entries against a bare SHA-256
loop over the same bytes (previous hash + canonical content of each entry, held in memory).

    .venv/bin/python benchmarks/audit_verify.py [--rows N] [--database sqlite|postgres] [--quick]

The entries are generated with alianza.audit.chain (the functions the writer and the verifier
share), bulk-inserted (inserts are allowed by the append-only triggers, so they stay in place)
and the AuditHead row is set to the last entry, so verify_chain() must return ok.

Besides the headline ratio it splits one verification pass into its parts (fetching rows
through the ORM, canonical_bytes, SHA-256), times a raw DB-API fetch of the same rows for
comparison, and with --profile prints a cProfile of one verify_chain() run.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import json
import pstats
import random
import time

import _django

SEED = 20260102
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

ACTIONS = [
    ("intel.report.view", "intel.report"),
    ("intel.report.list", ""),
    ("intel.report.create", "intel.report"),
    ("agencies.officer.update", "agencies.officer"),
    ("accounts.login", ""),
    ("access.denied", "intel.report"),
]
MARKINGS = ["USBP", "USBP REL MXFP", "MXFP REL USBP [OP-ALPHA]", "MXFP", "USBP [OP-BRAVO] ORCON"]
OUTCOMES = ["success"] * 8 + ["denied", "not_found"]


def entries(n: int):
    """(values in CANONICAL_FIELDS order) for seq 1..n, realistic in size and variety."""
    rng = random.Random(SEED)
    step = dt.timedelta(seconds=31_536_000 / max(n, 1))
    for seq in range(1, n + 1):
        actor = rng.randrange(1, 400)
        agency = "USBP" if actor % 2 else "MXFP"
        action, object_type = ACTIONS[rng.randrange(len(ACTIONS))]
        details = {}
        if action == "intel.report.list":
            details = {"filter": "segmento Nogales–Sásabe", "page": rng.randrange(1, 20)}
        elif action == "agencies.officer.update":
            details = {"changed": ["rank", "phone"], "before": {"rank": "agent"}}
        elif action == "access.denied":
            details = {"reason": "record not visible"}
        yield (
            seq,
            START + step * seq + dt.timedelta(microseconds=rng.randrange(1_000_000)),
            actor,
            f"{agency.lower()}.officer{actor:03d}",
            agency,
            action,
            object_type,
            str(rng.randrange(1, 10**6)) if object_type else "",
            rng.choice(("USBP", "MXFP")) if object_type else "",
            rng.choice(MARKINGS) if object_type else "",
            f"{rng.getrandbits(64):016x}",
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            rng.choice(OUTCOMES),
            json.loads(json.dumps(details)),
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="entries (default 10^6)")
    ap.add_argument("--quick", action="store_true", help="10^4 entries (smoke run)")
    ap.add_argument("--profile", action="store_true", help="cProfile one verify_chain() run")
    ap.add_argument(
        "--no-breakdown", action="store_true", help="skip splitting a pass into its parts"
    )
    _django.add_common_arguments(ap)
    args = ap.parse_args()
    n = 10_000 if args.quick else args.rows
    repeat = args.repeat or 3
    with _django.throwaway_database(
        database=args.database, name="audit", pg_server=args.pg_server, keep=args.keep
    ) as connection:
        run(connection, n=n, repeat=repeat, args=args)


def run(connection, *, n: int, repeat: int, args) -> None:
    from alianza.audit.chain import CANONICAL_FIELDS, GENESIS_HASH, canonical_bytes, entry_hash
    from alianza.audit.models import AuditEvent, AuditHead
    from alianza.audit.verify import verify_chain

    existing = AuditEvent.objects.unrestricted(reason="benchmark").count()
    assert existing == 0, f"a fresh database should have no audit entries, found {existing}"

    blobs: list[bytes] = []  # prev hash + canonical content, exactly what entry_hash hashes
    head = {"hash": GENESIS_HASH, "seq": 0}

    def rows():
        prev = GENESIS_HASH
        for values in entries(n):
            content = canonical_bytes(values)
            blobs.append(prev.encode("ascii") + content)
            h = entry_hash(prev, content)
            yield (*values, prev, h)
            prev = h
            head["hash"], head["seq"] = h, values[0]

    t0 = time.perf_counter()
    _django.bulk_load(
        AuditEvent,
        [*CANONICAL_FIELDS, "prev_hash", "entry_hash"],
        rows(),
        total=n,
        label="audit entries",
    )
    AuditHead.objects.update_or_create(
        id=1, defaults={"seq": head["seq"], "entry_hash": head["hash"]}
    )
    print(f"loaded {n:,} entries (chain computed and inserted) in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    _django.analyze(AuditEvent)
    print(f"ANALYZE in {time.perf_counter() - t0:.1f}s")
    mean_len = sum(map(len, blobs)) / len(blobs)
    print(f"hashed bytes per entry: {mean_len:.0f} on average ({sum(map(len, blobs)):,} in all)")

    result = verify_chain()
    assert result.ok and result.entries == n, result
    assert result.head_hash == head["hash"]

    def bare():
        for b in blobs:
            hashlib.sha256(b).hexdigest()

    t = _django.interleaved({"verify": verify_chain, "bare": bare}, repeat, warmup=0)
    verify_t, bare_t = t["verify"], t["bare"]
    v, s = _django.median(verify_t), _django.median(bare_t)
    print()
    print(f"Audit verify, {connection.vendor}, n={n:,} entries; median of {repeat}, taking turns")
    print(_django.load_note())
    print(
        _django.table(
            ["measure", "seconds", "µs/entry", "entries/s"],
            [
                ("verify_chain() (ok)", f"{v:.3f}", f"{v / n * 1e6:.2f}", f"{n / v:,.0f}"),
                (
                    "bare sha256().hexdigest() loop",
                    f"{s:.3f}",
                    f"{s / n * 1e6:.2f}",
                    f"{n / s:,.0f}",
                ),
            ],
        )
    )
    print(f"ratio verify / bare SHA-256: {v / s:.1f}")
    print(
        f"(all runs, s: verify {', '.join(f'{x:.3f}' for x in verify_t)}; "
        f"bare {', '.join(f'{x:.3f}' for x in bare_t)})"
    )

    if not args.no_breakdown:
        breakdown(connection, n=n, seconds_verify=v, seconds_bare=s)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        verify_chain()
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
        print("\ncProfile of one verify_chain() run (by own time):")
        print(out.getvalue())


def breakdown(connection, *, n: int, seconds_verify: float, seconds_bare: float) -> None:
    """One pass of verify_chain()'s loop, timed in parts, plus a raw DB-API fetch."""
    from django.db import transaction

    from alianza.audit.chain import CANONICAL_FIELDS, canonical_bytes, entry_hash
    from alianza.audit.models import AuditEvent

    chunk = 20_000
    qs = (
        AuditEvent.objects.unrestricted(reason="benchmark")
        .order_by("seq")
        .values_list(*CANONICAL_FIELDS, "prev_hash", "entry_hash")
    )
    fetch = canon = sha = 0.0
    it = qs.iterator(chunk_size=chunk)
    prev = None
    while True:
        t0 = time.perf_counter()
        rows = [r for _, r in zip(range(chunk), it, strict=False)]
        t1 = time.perf_counter()
        if not rows:
            break
        contents = [canonical_bytes(r[:-2]) for r in rows]
        t2 = time.perf_counter()
        for r, c in zip(rows, contents, strict=True):
            prev = entry_hash(r[-2], c)
        t3 = time.perf_counter()
        fetch, canon, sha = fetch + t1 - t0, canon + t2 - t1, sha + t3 - t2
    assert prev is not None

    # The same rows straight from the driver: no ORM, no per-value converters.
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    cols = ", ".join(
        connection.ops.quote_name(AuditEvent._meta.get_field(f).column)
        for f in (*CANONICAL_FIELDS, "prev_hash", "entry_hash")
    )
    t0 = time.perf_counter()
    got = 0
    raw = connection.connection  # the DB-API connection Django opened
    if connection.vendor == "postgresql":
        with transaction.atomic(), raw.cursor(name="bench_raw") as cur:  # server-side, like
            cur.itersize = chunk  # iterator()
            cur.execute(f"SELECT {cols} FROM {table} ORDER BY seq")
            while batch := cur.fetchmany(chunk):
                got += len(batch)
    else:
        cur = raw.execute(f"SELECT {cols} FROM {table} ORDER BY seq")
        while batch := cur.fetchmany(chunk):
            got += len(batch)
        cur.close()
    raw_fetch = time.perf_counter() - t0
    assert got == n

    total = fetch + canon + sha
    print(f"\nOne verify pass split into its parts (n={n:,}):")
    print(
        _django.table(
            ["part", "seconds", "share", "× bare SHA-256"],
            [
                (
                    "fetch rows (ORM values_list iterator)",
                    f"{fetch:.3f}",
                    f"{fetch / total:.0%}",
                    f"{fetch / seconds_bare:.1f}",
                ),
                (
                    "canonical_bytes (json.dumps + time format)",
                    f"{canon:.3f}",
                    f"{canon / total:.0%}",
                    f"{canon / seconds_bare:.1f}",
                ),
                (
                    "entry_hash (sha256 + concat + hexdigest)",
                    f"{sha:.3f}",
                    f"{sha / total:.0%}",
                    f"{sha / seconds_bare:.1f}",
                ),
                ("sum of parts", f"{total:.3f}", "100%", f"{total / seconds_bare:.1f}"),
                (
                    "for comparison: raw DB-API fetch, same rows",
                    f"{raw_fetch:.3f}",
                    "",
                    f"{raw_fetch / seconds_bare:.1f}",
                ),
            ],
        )
    )
    print(f"(verify_chain() median was {seconds_verify:.3f}s)")


if __name__ == "__main__":
    main()
