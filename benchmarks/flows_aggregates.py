"""Flow analytics through the access layer (the product's selectors) against hand-written SQL
computing the same numbers with the same visibility filter, for a reader who sees about a third
of the events. PostgreSQL only.

    .venv/bin/python benchmarks/flows_aggregates.py [--rows N] [--pg-database NAME] [--explain]

The world: the 12 markings of benchmarks/access_filter.py (4 visible to the reader, a USBP
analyst holding OP-ALPHA, cleared for shared records), the bundled border with the Tucson
Sector and the Nogales, Sasabe and Naco corridors. n events (default 10^6; 10^7 takes about
15 minutes to generate and index) are written with COPY from a generator: kinds, directions,
times and places as in benchmarks/flows_import.py (two years, most within a few km of the line
near the three ports), snapped with the vectorised locator; each event gets one of the 12
markings uniformly at random (its agency is the marking's originating agency), and about 8% of
events are reported twice (two rows sharing a crossing key, same kind and direction, up to two
hours apart, each under its own marking), so counting crossings is not counting rows.
For speed the load disables triggers (foreign-key checks) and builds the indexes afterwards;
the rows are valid all the same (the script checks the foreign keys once after the load).

Selectors timed (alianza.flows.selectors), each against hand-written SQL:

  flow_counts_by_month   crossings per month x direction x kind
  border_effectiveness   apprehensions, turn-backs, got-aways (crossings) per corridor

  hand SQL        one statement, the same expressions (count(DISTINCT coalesce(crossing,
                  id::text))), `marking_id = ANY(visible ids)`; the visible ids are resolved
                  in the timed call with the product's own `visible_marking_ids(reader)`, as
                  `visible_to` does. For effectiveness: one scan joined to the corridors.
  hand SQL, lean  the same numbers counted as count(*) FILTER (WHERE crossing IS NULL) +
                  count(DISTINCT crossing): unlinked events are one crossing each, so only the
                  linked ones need a DISTINCT (crossing keys start with 'X-', never an id).

Both hand-written variants are checked to give exactly the selector's numbers. p50/p95 over
--repeat runs (default 7; 5 at 10^7 rows, where p95 is then the slowest run), variants taking
turns after one warm-up. The script's database is emptied at the end (see flows_import.py for
--pg-database).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time

import _django
import numpy as np
from flows_import import (
    KINDS,
    NARRATIVES,
    add_arguments,
    build_border,
    event_columns,
    own_database,  # fmt: skip
)

SEED = 20260302
PAIR_SHARE = 0.08  # events that are one of two reports of the same crossing
OUTCOMES = ("apprehension", "turn_back", "got_away")


def load_events(connection, *, n: int, markings, anchors, end: dt.datetime) -> int:
    """COPY n events from a generator, triggers off and secondary indexes dropped meanwhile."""
    from alianza.border.locating import default_locator
    from alianza.border.models import Segment
    from alianza.flows.models import FlowEvent

    table = FlowEvent._meta.db_table
    locator = default_locator()
    pk_by_index = np.zeros(len(locator.segmentation.segments), dtype=np.int64)
    for index, pk in Segment.objects.values_list("index", "pk"):
        pk_by_index[index] = pk
    marking_ids = np.array([m.pk for _, m, _, _ in markings])
    agency_ids = np.array([a.pk for _, _, a, _ in markings])
    kinds = np.array([k[0] for k in KINDS])
    directions = np.array(["northbound", "southbound", "unknown"])
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S+00")
    columns = ("kind", "direction", "occurred_at", "lon", "lat", "segment_id", "km_marker",
               "side", "distance_m", "agency_id", "unit_id", "case_reference", "narrative",
               "external_id", "crossing", "marking_id", "created_at", "updated_at")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT LIKE '%%_pkey'",
            [table],
        )
        indexes = cursor.fetchall()
    t0 = time.perf_counter()
    done = 0
    chunk = 200_000
    rng = np.random.default_rng(SEED)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers during COPY
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for first in range(0, n, chunk):
                m = min(chunk, n - first)
                kind, direction, epoch, lon, lat = event_columns(
                    m, anchors=anchors, end=end, seed=SEED, first=first
                )
                # Pairs: event i+1 repeats event i's crossing (other agency's report).
                pair = np.flatnonzero(rng.random(m // 2) < PAIR_SHARE) * 2
                pair = pair[pair + 1 < m]
                kind[pair + 1], direction[pair + 1] = kind[pair], direction[pair]
                epoch[pair + 1] = epoch[pair] + rng.integers(0, 7200, len(pair))
                lon[pair + 1] = np.round(lon[pair] + rng.normal(0, 0.002, len(pair)), 6)
                lat[pair + 1] = np.round(lat[pair] + rng.normal(0, 0.002, len(pair)), 6)
                crossing = np.full(m, "\\N", dtype=object)
                keys = np.array([f"X-{first + i:019d}" for i in pair], dtype=object)
                crossing[pair], crossing[pair + 1] = keys, keys
                where = locator.locate_many(lon, lat)
                mark = rng.integers(0, len(marking_ids), m)
                when = np.datetime_as_string(np.floor(epoch).astype("datetime64[s]"), unit="s")
                narrative = rng.integers(0, len(NARRATIVES), m)
                cols = [
                    kinds[kind].tolist(),
                    directions[direction].tolist(),
                    [f"{w}+00" for w in when.tolist()],
                    [f"{v:.6f}" for v in lon.tolist()],
                    [f"{v:.6f}" for v in lat.tolist()],
                    [str(v) for v in pk_by_index[where.segment_index].tolist()],
                    [f"{v:.3f}" for v in where.km_marker.tolist()],
                    where.side.tolist(),
                    [f"{v:.1f}" for v in where.distance_m.tolist()],
                    [str(v) for v in agency_ids[mark].tolist()],
                    ["\\N"] * m,
                    [""] * m,
                    [NARRATIVES[k].format(n=2) for k in narrative.tolist()],
                    [f"E{first + i}" for i in range(m)],
                    crossing.tolist(),
                    [str(v) for v in marking_ids[mark].tolist()],
                    [now] * m,
                    [now] * m,
                ]
                copy.write("\n".join(map("\t".join, zip(*cols, strict=True))) + "\n")
                done += m
                rate = done / (time.perf_counter() - t0)
                print(f"  flow events: {done:,}/{n:,} rows ({rate:,.0f}/s)", flush=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"  COPY done in {time.perf_counter() - t0:.0f}s; building {len(indexes)} indexes")
        t1 = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        print(f"  indexes built in {time.perf_counter() - t1:.0f}s")
        # The foreign keys were not checked during the load: check them once now.
        cursor.execute(
            f"SELECT count(*) FROM {table} e LEFT JOIN border_segment s ON s.id = e.segment_id "
            "LEFT JOIN access_marking m ON m.id = e.marking_id "
            "LEFT JOIN agencies_agency a ON a.id = e.agency_id "
            "WHERE s.id IS NULL OR m.id IS NULL OR a.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0, "dangling foreign keys after the load"
    return done


MONTHS_SQL = {
    "hand SQL": """
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC') AS month, direction, kind,
               count(DISTINCT coalesce(crossing, id::text))
        FROM flows_flowevent WHERE marking_id = ANY(%s)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
    "hand SQL, lean": """
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC') AS month, direction, kind,
               count(*) FILTER (WHERE crossing IS NULL) + count(DISTINCT crossing)
        FROM flows_flowevent WHERE marking_id = ANY(%s)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
}
EFFECTIVENESS_SQL = {
    "hand SQL": """
        SELECT c.id, e.kind, count(DISTINCT coalesce(e.crossing, e.id::text))
        FROM flows_flowevent e
        JOIN border_corridor c ON e.km_marker >= c.km_start AND e.km_marker < c.km_end
        WHERE e.marking_id = ANY(%s) AND e.kind IN ('apprehension', 'turn_back', 'got_away')
        GROUP BY c.id, e.kind""",
    "hand SQL, lean": """
        SELECT c.id, e.kind,
               count(*) FILTER (WHERE e.crossing IS NULL) + count(DISTINCT e.crossing)
        FROM flows_flowevent e
        JOIN border_corridor c ON e.km_marker >= c.km_start AND e.km_marker < c.km_end
        WHERE e.marking_id = ANY(%s) AND e.kind IN ('apprehension', 'turn_back', 'got_away')
        GROUP BY c.id, e.kind""",
}


def hand_months(connection, reader, sql: str):
    from alianza.access.rules import visible_marking_ids

    with connection.cursor() as cursor:
        cursor.execute(sql, [visible_marking_ids(reader)])
        return [(m.date(), d, k, c) for m, d, k, c in cursor.fetchall()]


def hand_effectiveness(connection, reader, sql: str):
    from alianza.access.rules import visible_marking_ids
    from alianza.border.models import Corridor

    with connection.cursor() as cursor:
        cursor.execute(sql, [visible_marking_ids(reader)])
        counts = {(c, k): v for c, k, v in cursor.fetchall()}
    out = []
    for corridor in Corridor.objects.select_related("agency").order_by("agency__code", "km_start"):
        a, t, g = (counts.get((corridor.pk, k), 0) for k in OUTCOMES)
        total = a + t + g
        out.append((corridor.code, a, t, g, round((a + t) / total, 4) if total else None))
    return out


def _pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="flow events (default 10^6)")
    ap.add_argument("--quick", action="store_true", help="10^5 rows, 3 repeats (smoke run)")
    ap.add_argument("--explain", action="store_true", help="print the query plans")
    add_arguments(ap)
    ap.set_defaults(database="postgres")
    args = ap.parse_args()
    if args.database != "postgres":
        ap.error("this benchmark runs on PostgreSQL only")
    n = 100_000 if args.quick else args.rows
    repeat = args.repeat or (3 if args.quick else 5 if n >= 5_000_000 else 7)
    with own_database(
        database="postgres",
        name="flows_aggregates",
        pg_server=args.pg_server,
        pg_database=args.pg_database,
        keep=args.keep,
    ) as connection:
        run(connection, n=n, repeat=repeat, args=args)


def run(connection, *, n: int, repeat: int, args) -> None:
    from access_filter import build_world

    from alianza.access.rules import reader_for
    from alianza.agencies.models import Agency
    from alianza.flows import selectors
    from alianza.flows.models import FlowEvent

    print(_django.load_note())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size before the load: {cursor.fetchone()[0]}")
    user, markings = build_world()
    anchors = build_border(Agency.objects.get(code="USBP"))
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=30)
    t0 = time.perf_counter()
    load_events(connection, n=n, markings=markings, anchors=anchors, end=end)
    t1 = time.perf_counter()
    _django.analyze(FlowEvent)
    print(f"loaded {n:,} events in {t1 - t0:.0f}s, VACUUM ANALYZE {time.perf_counter() - t1:.0f}s")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('flows_flowevent')), "
            "pg_size_pretty(pg_database_size(current_database()))"
        )
        print("flows_flowevent with indexes: {}; database: {}".format(*cursor.fetchone()))
        cursor.execute("SELECT count(*), count(crossing) FROM flows_flowevent")
        total, linked = cursor.fetchone()
    assert total == n

    reader = dataclasses.replace(reader_for(user), cleared_for_shared=True)
    visible = FlowEvent.objects.visible_to(reader)
    k = visible.count()
    visible_ids = {m.pk for _, m, _, vis in markings if vis}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM flows_flowevent WHERE marking_id = ANY(%s)", [list(visible_ids)]
        )
        assert cursor.fetchone()[0] == k
    print(f"reader sees {k:,} of {n:,} events ({k / n:.1%}); {linked:,} events share a "
          f"crossing key with another")  # fmt: skip

    def sel_months():
        return [(r.month, r.direction, r.kind, r.crossings)
                for r in selectors.flow_counts_by_month(reader=reader)]  # fmt: skip

    def sel_effectiveness():
        return [(e.corridor_code, e.apprehensions, e.turn_backs, e.got_aways, e.rate)
                for e in selectors.border_effectiveness(reader=reader)]  # fmt: skip

    cases = [
        ("flow_counts_by_month", sel_months, MONTHS_SQL, hand_months),
        ("border_effectiveness", sel_effectiveness, EFFECTIVENESS_SQL, hand_effectiveness),
    ]
    rows = []
    for name, selector, sqls, hand in cases:
        expected = selector()
        for label, sql in sqls.items():
            got = hand(connection, reader, sql)
            assert got == expected, f"{name}: {label} differs from the selector"
        print(f"  {name}: {len(expected)} result rows, identical from the selector and both "
              "hand-written statements", flush=True)  # fmt: skip
        fns = {"selector": selector}
        fns.update({label: (lambda sql=sql, hand=hand: hand(connection, reader, sql))
                    for label, sql in sqls.items()})  # fmt: skip
        t = _django.interleaved(fns, repeat)
        ms = {label: [x * 1000 for x in xs] for label, xs in t.items()}
        s50, s95 = _pct(ms["selector"], 0.5), _pct(ms["selector"], 0.95)
        for label in sqls:
            h50, h95 = _pct(ms[label], 0.5), _pct(ms[label], 0.95)
            rows.append((name, label, f"{s50:,.0f}", f"{s95:,.0f}", f"{h50:,.0f}", f"{h95:,.0f}",
                         f"{s50 / h50:.2f}", f"{s95 / h95:.2f}"))  # fmt: skip
        print(f"  measured {name}; {_django.load_note()}", flush=True)
        if name == "border_effectiveness":
            for row in expected:
                print(f"    {row}")

    print()
    print(f"Flow analytics, postgresql, n={n:,} events, reader sees {k:,} ({k / n:.1%}); "
          f"{repeat} runs each, p50/p95 in ms, variants taking turns")  # fmt: skip
    print(_django.load_note())
    print(
        _django.table(
            ["selector", "against", "selector p50", "p95", "hand p50", "p95", "ratio p50",
             "ratio p95"],
            rows,
        )
    )  # fmt: skip

    if args.explain:
        from alianza.access.rules import visible_marking_ids

        ids = visible_marking_ids(reader)
        with connection.cursor() as cursor:
            plans = (
                ("hand SQL months", MONTHS_SQL["hand SQL"]),
                ("hand SQL effectiveness", EFFECTIVENESS_SQL["hand SQL"]),
            )
            for label, sql in plans:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, [ids])
                print(f"\n-- plan: {label}\n" + "\n".join(r[0] for r in cursor.fetchall()))
        qs = (
            selectors.flow_event_list(reader=reader)
            .filter(kind__in=selectors.OUTCOME_KINDS, km_marker__gte=0, km_marker__lt=99999)
            .order_by()
            .values("kind")
            .annotate(n=selectors.Count(selectors._crossing_key(), distinct=True))
        )
        print("\n-- plan: one corridor of border_effectiveness\n" + qs.explain(analyze=True))


if __name__ == "__main__":
    main()
