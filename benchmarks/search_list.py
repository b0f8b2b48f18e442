"""Full-text search and listing through the access layer, against the same queries without it,
for a reader who may see about a third of the reports.

    .venv/bin/python benchmarks/search_list.py [--rows N] [--database postgres|sqlite] [--quick]

The world and the markings are those of benchmarks/access_filter.py (12 markings, 4 visible to
the reader, reports marked uniformly at random, seeded). Each report body carries, besides a
common bilingual sentence, one of 100 rare words (`claveNN`, ~1% of reports) and one of 10
medium words (`rutaN`, ~10%), so the searches below hit about 1%, 10% and 100% of the table.
The full-text index (GIN on PostgreSQL, FTS5 on SQLite) is built after the bulk load.

filtered = `alianza.search.selectors.report_search(reader=..., q=...)` (visible_to + match);
baseline = the same match on `Report.objects.unrestricted(...)`. p50 / p95 over --repeat runs,
variants taking turns after one warm-up.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import time

import _django
from access_filter import FIELDS, START, build_world

SEED = 20260102
QUERIES = [("clave7", "rare word (~1%)"), ("ruta3", "medium word (~10%)"),
           ("vehiculo", "common word, no accent (100%)")]  # fmt: skip


def report_rows(n: int, markings, choice: list[int]):
    rng = random.Random(SEED + 1)
    body = "Observed vehicle movement near the line at dusk. Vehículo observado cerca de la línea."
    step = dt.timedelta(seconds=31_536_000 / max(n, 1))
    for i in range(n):
        _key, marking, agency, _visible = markings[choice[i]]
        t = START + step * i
        yield (
            f"Report {i}: sighting at segment {rng.randrange(3200)}",
            f"{body} clave{rng.randrange(100)} ruta{rng.randrange(10)}.",
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


def _pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="reports (default 10^6)")
    ap.add_argument("--quick", action="store_true", help="10^4 rows, 5 repeats (smoke run)")
    _django.add_common_arguments(ap)
    ap.set_defaults(database="postgres")
    args = ap.parse_args()
    n = 10_000 if args.quick else args.rows
    repeat = args.repeat or (5 if args.quick else 21)
    with _django.throwaway_database(
        database=args.database, name="search", pg_server=args.pg_server, keep=args.keep
    ) as connection:
        run(connection, n=n, repeat=repeat)


def run(connection, *, n: int, repeat: int) -> None:
    from alianza.access.rules import reader_for
    from alianza.intel.models import Report
    from alianza.search import index
    from alianza.search.selectors import _matching, report_search

    user, markings = build_world()
    rng = random.Random(SEED)
    choice = [rng.randrange(len(markings)) for _ in range(n)]
    expected = sum(1 for c in choice if markings[c][3])
    index.drop_fts(connection)  # load first, index after (as a restore would)
    t0 = time.perf_counter()
    _django.bulk_load(Report, FIELDS, report_rows(n, markings, choice), total=n, label="reports")
    print(f"loaded {n:,} reports in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    index.create_fts(connection)
    print(f"full-text index built in {time.perf_counter() - t0:.1f}s")
    _django.analyze(Report)
    reader = dataclasses.replace(reader_for(user), cleared_for_shared=True)
    filtered_all = Report.objects.visible_to(reader)
    unfiltered_all = Report.objects.unrestricted(reason="benchmark baseline")
    k = filtered_all.count()
    assert k == expected, (k, expected)
    print(f"reader sees {k:,} of {n:,} reports ({k / n:.1%})")

    cases = [("list", "no query (plain list)", filtered_all, unfiltered_all)]
    for q, label in QUERIES:
        filtered = report_search(reader=reader, q=q)
        baseline = _matching(unfiltered_all, kind="report", q=q)
        cases.append((q, label, filtered, baseline))
    rows = []
    for _q, label, filtered, baseline in cases:
        for op_name, op in (
            ("page of 50 newest", lambda qs: list(qs.order_by("-created_at")[:50])),
            ("count", lambda qs: qs.count()),
        ):
            t = _django.interleaved(
                {"filtered": lambda qs=filtered, op=op: op(qs),
                 "baseline": lambda qs=baseline, op=op: op(qs)},
                repeat,
            )  # fmt: skip
            f, b = [x * 1000 for x in t["filtered"]], [x * 1000 for x in t["baseline"]]
            rows.append(
                (
                    f"{label}: {op_name}",
                    f"{_pct(f, 0.5):.2f}",
                    f"{_pct(f, 0.95):.2f}",
                    f"{_pct(b, 0.5):.2f}",
                    f"{_pct(b, 0.95):.2f}",
                    f"{_pct(f, 0.5) / _pct(b, 0.5):.2f}",
                    f"{_pct(f, 0.95) / _pct(b, 0.95):.2f}",
                )
            )
            print(f"  measured {label}: {op_name}", flush=True)
        hits = filtered.count()
        print(f"  {label}: {hits:,} visible hits of {baseline.count():,}", flush=True)
    print()
    print(f"Search and list, {connection.vendor}, n={n:,}, reader sees {k:,} ({k / n:.1%}); "
          f"{repeat} runs each, p50/p95 in ms")  # fmt: skip
    print(_django.load_note())
    print(
        _django.table(
            ["operation", "filtered p50", "p95", "baseline p50", "p95", "ratio p50", "ratio p95"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
