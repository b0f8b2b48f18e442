"""Access filter overhead: listing marked records through `visible_to(user)` against the same
indexed query without the filter, for a reader who may see about a third of the records.

    .venv/bin/python benchmarks/access_filter.py [--rows N] [--database sqlite|postgres] [--quick]

The world: two agencies (USBP, MXFP), two compartments (OP-ALPHA, OP-BRAVO) and 12 markings
(4 visible to the reader, 8 hidden, for a different reason each). The reader is a USBP analyst
holding OP-ALPHA. Reports get a marking uniformly at random (seeded), so about n/3 are visible;
the visible count is checked against the count computed by hand from the table below.

Every figure is the median of --repeat runs after one warm-up, with the reader already built
(a request builds it once: that cost is printed separately). The reader is taken as cleared
for shared records (vetting is not loaded; `cleared_for_shared=True` is set on the Reader).
Baselines:

  unfiltered  `Report.objects.unrestricted(...)`, the same query with no access filter; for
              the id listings cut to the same number of rows as the reader sees (LIMIT k);
              count() has no such cut and counts all n rows.
  pre-resolved  `marking_id IN (<the visible marking ids as literals>)`: the same rows as the
              filter, without evaluating the rules (isolates what the rule subquery costs).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import time

import _django

SEED = 20260101
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

# (key, originating agency, releasable to, compartments, ORCON, review, visible, why)
# Reader: agency "A" (USBP), holds compartment "C1" (OP-ALPHA) only.
MARKINGS = [
    ("A", "A", "", "", False, None, True, "own agency"),
    ("A>B [C1] past", "A", "B", "C1", False, "past", True, "own, held compartment; review date"
     " only hides shared copies"),
    ("B>A", "B", "A", "", False, None, True, "released by partner"),
    ("B>A [C1] future", "B", "A", "C1", False, "future", True, "released, held compartment"),
    ("A [C2]", "A", "", "C2", False, None, False, "own, compartment not held"),
    ("A>B [C1,C2]", "A", "B", "C1,C2", False, None, False, "one compartment not held"),
    ("B", "B", "", "", False, None, False, "partner internal"),
    ("B>A past", "B", "A", "", False, "past", False, "released, past review date"),
    ("B>A [C2]", "B", "A", "C2", False, None, False, "released, compartment not held"),
    ("B [C1]", "B", "", "C1", False, None, False, "not released (compartment held)"),
    ("B>A [C1,C2] ORCON", "B", "A", "C1,C2", True, None, False, "compartment not held"),
    ("A>B [C2] ORCON", "A", "B", "C2", True, None, False, "own, compartment not held"),
]  # fmt: skip


def build_world():
    from django.utils import timezone

    from alianza.access.models import Compartment, CompartmentMembership
    from alianza.access.services import marking_get_or_create
    from alianza.agencies.models import Agency
    from alianza.agencies.services import officer_create

    agencies = {
        "A": Agency.objects.create(
            code="USBP", name_en="U.S. Border Patrol", name_es="Patrulla Fronteriza", country="US"
        ),
        "B": Agency.objects.create(
            code="MXFP", name_en="Mexican Federal Police", name_es="Policía Federal", country="MX"
        ),
    }
    compartments = {
        "C1": Compartment.objects.create(code="OP-ALPHA", name="Operation Alpha"),
        "C2": Compartment.objects.create(code="OP-BRAVO", name="Operation Bravo"),
    }
    officer = officer_create(
        actor=None,
        agency=agencies["A"],
        badge_number="B-bench",
        given_name="Bench",
        family_name="Reader",
        username="bench.reader",
        password="bench-password-123",
        roles=["analyst"],
    )
    CompartmentMembership.objects.create(compartment=compartments["C1"], officer=officer)
    today = timezone.localdate()
    reviews = {None: None, "past": dt.date(2020, 1, 1), "future": today + dt.timedelta(days=365)}
    markings = []
    for key, orig, rel, comps, orcon, review, visible, _why in MARKINGS:
        marking = marking_get_or_create(
            originating_agency=agencies[orig],
            releasable_to=[agencies[x] for x in rel.split(",") if x],
            compartments=[compartments[x] for x in comps.split(",") if x],
            originator_control=orcon,
            review_date=reviews[review],
        )
        markings.append((key, marking, agencies[orig], visible))
    assert len({m.pk for _, m, _, _ in markings}) == len(MARKINGS), "markings must be distinct"
    return officer.user, markings


FIELDS = (
    "title", "body", "language", "agency_id", "author_id", "marking_id", "handling",
    "basis_for_entry", "source_reliability", "information_credibility", "created_at",
    "updated_at",
)  # fmt: skip


def report_rows(n: int, markings, choice: list[int]):
    rng = random.Random(SEED + 1)
    body = (
        "Observed vehicle movement near the line at dusk; two persons on foot, heading north. "
        "Vehículo observado cerca de la línea al anochecer. "
    )
    step = dt.timedelta(seconds=31_536_000 / max(n, 1))  # one year of reports
    for i in range(n):
        _key, marking, agency, _visible = markings[choice[i]]
        t = START + step * i + dt.timedelta(microseconds=rng.randrange(1000))
        yield (
            f"Report {i}: sighting at segment {rng.randrange(3200)}",
            body * (1 + i % 3),
            "en" if i % 2 else "es",
            agency.pk,
            None,
            marking.pk,
            "internal_only",
            "Reasonable suspicion: corroborated sighting.",
            "ABCDEF"[i % 6],
            "123456"[i % 6],
            t,
            t,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000, help="reports to load (default 10^5)")
    ap.add_argument("--quick", action="store_true", help="10^4 rows, 3 repeats (smoke run)")
    ap.add_argument("--explain", action="store_true", help="print the query plans")
    ap.add_argument("--sqlite-analyze", action="store_true", help="run ANALYZE on SQLite too")
    _django.add_common_arguments(ap)
    args = ap.parse_args()
    n = 10_000 if args.quick else args.rows
    repeat = args.repeat or (3 if args.quick else 7)

    with _django.throwaway_database(
        database=args.database, name="access", pg_server=args.pg_server, keep=args.keep
    ) as connection:
        run(connection, n=n, repeat=repeat, args=args)


def run(connection, *, n: int, repeat: int, args) -> None:
    from alianza.access.rules import forget_reader, reader_for, visible_markings
    from alianza.intel.models import Report

    user, markings = build_world()
    rng = random.Random(SEED)
    choice = [rng.randrange(len(markings)) for _ in range(n)]
    expected = sum(1 for c in choice if markings[c][3])  # counted by hand, from the table

    t0 = time.perf_counter()
    _django.bulk_load(Report, FIELDS, report_rows(n, markings, choice), total=n, label="reports")
    print(f"loaded {n:,} reports in {time.perf_counter() - t0:.1f}s")
    if connection.vendor == "postgresql" or args.sqlite_analyze:
        t0 = time.perf_counter()
        _django.analyze(Report)
        print(f"ANALYZE in {time.perf_counter() - t0:.1f}s")
    del choice

    # Vetting decides `cleared_for_shared` (the vetting app, when installed, reads the officer's
    # cases). The benchmark measures the filter for a cleared officer, so it states that here
    # rather than loading a vetting history; visible_to() accepts the Reader itself.
    reader = dataclasses.replace(reader_for(user), cleared_for_shared=True)
    visible_ids = set(visible_markings(reader).values_list("pk", flat=True))
    expected_ids = {m.pk for _, m, _, vis in markings if vis}
    assert visible_ids == expected_ids, (visible_ids, expected_ids)

    filtered = Report.objects.visible_to(reader)
    unfiltered = Report.objects.unrestricted(reason="benchmark baseline")
    resolved = unfiltered.filter(marking_id__in=sorted(expected_ids))
    k = filtered.count()
    assert k == expected, f"visible count {k} != hand-computed {expected}"
    print(f"reader sees {k:,} of {n:,} reports ({k / n:.1%}); hand-computed count {expected:,}")

    newest = filtered.order_by("-created_at")
    assert [r.pk for r in newest[:50]] == [r.pk for r in resolved.order_by("-created_at")[:50]], (
        "filtered page differs from the pre-resolved page"
    )

    ops = [
        (
            "page: 50 newest (objects)",
            lambda qs: list(qs.order_by("-created_at")[:50]),
            lambda qs: list(qs.order_by("-created_at")[:50]),
        ),
        ("count()", lambda qs: qs.count(), lambda qs: qs.count()),
        (
            "all visible ids (unordered)",
            lambda qs: list(qs.order_by().values_list("id", flat=True)),
            lambda qs: list(qs.order_by().values_list("id", flat=True)[:k]),
        ),
        (
            "all visible ids, newest first",
            lambda qs: list(qs.order_by("-created_at").values_list("id", flat=True)),
            lambda qs: list(qs.order_by("-created_at").values_list("id", flat=True)[:k]),
        ),
    ]
    # Each op: (filtered ms, unfiltered ms, pre-resolved ms)
    results = []
    for name, op, base_op in ops:
        t = _django.interleaved(
            {
                "filtered": lambda op=op: op(filtered),
                "baseline": lambda op=base_op: op(unfiltered),
                "resolved": lambda op=op: op(resolved),
            },
            repeat,
        )
        f, u, r = (_django.median(t[x]) for x in ("filtered", "baseline", "resolved"))
        results.append((name, f * 1000, u * 1000, r * 1000))
        print(f"  measured {name}", flush=True)

    def build_reader():
        forget_reader(user)
        reader_for(user)

    reader_ms = _django.median(_django.timings(build_reader, repeat)) * 1000

    print()
    print(
        f"Access filter, {connection.vendor}, n={n:,} reports, reader sees {k:,} "
        f"({k / n:.1%}); median of {repeat}, variants taking turns"
    )
    print(_django.load_note())
    print("baseline = the same query on Report.objects.unrestricted() (LIMIT k for id lists;")
    print("count() counts all n rows); pre-resolved = marking_id IN (visible ids as literals)")
    print()
    print(
        _django.table(
            ["operation", "filtered ms", "baseline ms", "ratio", "pre-resolved ms", "ratio"],
            [
                (
                    name,
                    f"{f:.2f}",
                    f"{u:.2f}",
                    f"{f / u:.2f}",
                    f"{r:.2f}",
                    f"{f / r:.2f}",
                )
                for name, f, u, r in results
            ],
        )
    )
    print()
    print(f"building the Reader (once per request; its queries): {reader_ms:.2f} ms")

    if args.explain:
        for title, qs in (
            ("filtered page", filtered.order_by("-created_at")[:50]),
            ("filtered count", filtered.order_by()),
            ("unfiltered page", unfiltered.order_by("-created_at")[:50]),
        ):
            print(f"\n-- plan: {title}\n{qs.explain()}")
        print(f"\n-- sql: filtered page\n{filtered.order_by('-created_at')[:50].query}")


if __name__ == "__main__":
    main()
