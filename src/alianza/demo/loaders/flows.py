"""Border flows in the Nogales, Sasabe and Naco corridors over the two years up to `ctx.now`,
for both agencies.

Magnitudes follow Tucson Sector's published profile (latest fiscal year in
/work/shared/data/usbp/sector_profile_2011_2019.csv is bundled below as constants, so the demo
needs no outside file): apprehended persons per year × the corridors' share of the sector's
line (~80 of ~420 km) × a 1-in-10 sample so the demo stays a few thousand events, × ctx.scale.

Southbound, the guns and the money: U.S. outbound inspections near the ports and Mexican
checkpoints south of the line seize firearms, ammunition and bulk U.S. dollars. The mix follows
the southwest border's FY2019 Border Patrol figures
(/work/shared/data/usbp/apprehensions_seizures_stats_2011_2019.csv: 299 firearms, 8,882
rounds and $5,862,399 in currency, i.e. about 30 rounds and $19,600 per firearm seized): about
half of the southbound seizures are bulk cash, a third firearms (with some rounds), the rest
ammunition alone. Their number is a demo choice, not a published one: one southbound seizure
for every five northbound seizures of each agency, at least three each, so they show at every
scale (northbound seizures: the sector's marijuana pounds at the southwest border's FY2019
average of 51 lb per seizure, at least eight).

Event times are spread uniformly over the two years before `ctx.now` (the latest a few minutes
before it), so the last weeks always have data. Seeded and keyed by external id, so a second
run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from alianza.access.models import Compartment
from alianza.access.services import marking_get_or_create
from alianza.agencies.models import Agency
from alianza.border.models import Corridor, Segment
from alianza.border.services import border_nogales_load, border_segments_load
from alianza.flows.models import ExchangeRate, FlowEvent
from alianza.flows.services import flow_event_create, flow_events_link

from .base import DemoContext

TUCSON_APPREHENSIONS_FY2019 = 63_490
TUCSON_MARIJUANA_LB_FY2019 = 59_480
# Southwest border FY2019 (apprehensions_seizures_stats_2011_2019.csv): 262,903 lb of marijuana
# in 5,176 seizures, about 51 lb each.
SW_MARIJUANA_LB_PER_SEIZURE_FY2019 = 262_903 / 5_176
# U.S. northbound seizures at least (Mexican: half), so a small --scale still shows each kind.
MINIMUM_SEIZURES = 8
CORRIDOR_SHARE = 80 / 420
SAMPLE = 0.1
MEAN_GROUP = 3.0
# Outcome mix of a northbound crossing attempt (effectiveness ≈ 0.8, as USBP reported then).
OUTCOMES = {"apprehension": 0.55, "turn_back": 0.25, "got_away": 0.20}
SPAN = dt.timedelta(days=730)
# The latest event this long before now (a partner's twin report follows 20 minutes later).
LATEST = dt.timedelta(minutes=30)
DEGREES_PER_KM = 1 / 111.0
# Southbound seizures: one per this many northbound seizures of an agency, at least MINIMUM.
SOUTHBOUND_PER_NORTHBOUND = 5
SOUTHBOUND_MINIMUM = 3
# What a southbound seizure holds (shares of the events), after the FY2019 southwest border mix.
SOUTHBOUND_MIX = {"cash": 0.5, "firearms": 0.35, "ammunition": 0.15}
FIREARM_TYPES = {"rifle": 0.5, "handgun": 0.45, "shotgun": 0.05}
CALIBRES = {"rifle": ["7.62x39mm", ".223 Rem", ".50 BMG"], "handgun": ["9mm", ".38 Super"]}
CALIBRES["shotgun"] = ["12 gauge"]


def _rates(start: dt.date, end: dt.date) -> None:
    """Monthly MXN rates (USD per peso, rounded Banxico FIX levels of the period)."""
    month = start.replace(day=1)
    level = Decimal("0.0560")
    while month <= end:
        ExchangeRate.objects.get_or_create(
            date=month, currency="MXN", defaults={"usd_per_unit": level}
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
        level = (level * Decimal("0.995")).quantize(Decimal("0.0001"))


def _point(rng: random.Random, segments: dict, corridor, *, side: str) -> tuple[float, float]:
    km = rng.uniform(corridor.km_start, corridor.km_end)
    segment = segments.get(f"km-{int(km):04d}")
    lon, lat = segment.geometry["coordinates"][0]
    # The line runs roughly east–west here: north is the United States.
    offset = rng.uniform(0.1, 4.0) * DEGREES_PER_KM
    return lon, lat + offset if side == "US" else lat - offset


def _when(rng: random.Random, end: dt.datetime) -> dt.datetime:
    seconds = rng.uniform(0, SPAN.total_seconds())
    return (end - SPAN + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def _southbound_items(rng: random.Random, *, roll: float) -> dict:
    """One southbound seizure: bulk cash, firearms with a few rounds, or ammunition alone."""
    what = (
        "cash"
        if roll < SOUTHBOUND_MIX["cash"]
        else "firearms"
        if roll < SOUTHBOUND_MIX["cash"] + SOUTHBOUND_MIX["firearms"]
        else "ammunition"
    )
    # Draws below happen for every event, whatever it holds, so reruns stay aligned.
    dollars = Decimal(int(rng.lognormvariate(9.9, 0.8)) // 100 * 100)  # median ≈ $20,000
    guns = [
        rng.choices(list(FIREARM_TYPES), weights=list(FIREARM_TYPES.values()))[0]
        for _ in range(rng.randint(1, 3))
    ]
    calibres = [rng.choice(CALIBRES[gun]) for gun in guns]
    rounds = rng.randint(20, 60)
    if what == "cash":
        return {"currency": [{"amount": dollars, "currency": "USD"}]}
    if what == "ammunition":
        return {"ammunition": [{"rounds": rounds * 5, "calibre": calibres[0]}]}
    return {
        "firearms": [
            {"type": gun, "calibre": calibre} for gun, calibre in zip(guns, calibres, strict=True)
        ],
        "ammunition": [{"rounds": rounds, "calibre": calibres[0]}],
    }


def load(ctx: DemoContext) -> None:
    rng = random.Random(f"flows-{ctx.seed}")
    border_segments_load()
    us, mx = Agency.objects.get(code="USBP"), Agency.objects.get(code="MXFP")
    border_nogales_load(agency=us)
    end = ctx.now - LATEST
    _rates((end - SPAN).date(), ctx.today)
    corridors = list(Corridor.objects.filter(agency=us).order_by("km_start"))
    segments = {
        s.segment_id: s
        for s in Segment.objects.filter(
            km_end__gt=min(c.km_start for c in corridors),
            km_start__lt=max(c.km_end for c in corridors),
        )
    }
    joint = Compartment.objects.filter(code="OP-SONORA-GATE").first()
    markings = {
        "us_shared": marking_get_or_create(originating_agency=us, releasable_to=[mx]),
        "us_internal": marking_get_or_create(originating_agency=us),
        "mx_shared": marking_get_or_create(originating_agency=mx, releasable_to=[us]),
        "mx_internal": marking_get_or_create(originating_agency=mx),
        "us_joint": marking_get_or_create(
            originating_agency=us, releasable_to=[mx], compartments=[joint] if joint else []
        ),
    }
    persons = TUCSON_APPREHENSIONS_FY2019 * 2 * CORRIDOR_SHARE * SAMPLE * ctx.scale
    attempts = int(persons / MEAN_GROUP / OUTCOMES["apprehension"])
    seizures = max(
        MINIMUM_SEIZURES,
        int(
            TUCSON_MARIJUANA_LB_FY2019
            * 2
            * CORRIDOR_SHARE
            * SAMPLE
            * ctx.scale
            / SW_MARIJUANA_LB_PER_SEIZURE_FY2019
        ),
    )
    plan = [("us", "attempt", n) for n in range(attempts)]
    plan += [("us", "seizure", n) for n in range(seizures)]
    plan += [("mx", "seizure", n) for n in range(seizures // 2)]
    plan += [("mx", "sighting", n) for n in range(attempts // 4)]
    plan += [("us", "sensor_alert", n) for n in range(attempts // 3)]
    for who, northbound in (("us", seizures), ("mx", seizures // 2)):
        southbound = max(SOUTHBOUND_MINIMUM, northbound // SOUTHBOUND_PER_NORTHBOUND)
        plan += [(who, "southbound", n) for n in range(southbound)]
    existing = set(
        FlowEvent.objects.unrestricted(reason="demo idempotence: existing external ids")
        .filter(external_id__startswith="DEMO-")
        .values_list("external_id", flat=True)
    )
    for who, what, n in ctx.progress(plan, description="flow events"):
        # Every draw happens whether or not the event exists, so reruns stay aligned.
        corridor = rng.choices(corridors, weights=[5, 2, 3])[0]
        when, roll = _when(rng, end), rng.random()
        kind = "seizure" if what == "southbound" else what
        if what == "attempt":
            kind = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        # Outbound inspections stay on the U.S. side, Mexican checkpoints on theirs.
        side = "MX" if who == "mx" or kind == "turn_back" else "US"
        lon, lat = _point(rng, segments, corridor, side=side)
        group = max(1, int(rng.expovariate(1 / MEAN_GROUP)) + 1)
        pounds = Decimal(max(1, int(rng.lognormvariate(3.5, 0.9))))  # median 33 lb, mean 50
        southbound = _southbound_items(rng, roll=roll) if what == "southbound" else None
        external_id = f"DEMO-{who.upper()}-{what}-{n:05d}"
        if external_id in existing:
            continue
        agency = us if who == "us" else mx
        marking_key = f"{who}_{'internal' if roll < 0.1 else 'shared'}"
        if who == "us" and 0.1 <= roll < 0.15:
            marking_key = "us_joint"
        items = {}
        if kind in ("apprehension", "got_away", "turn_back"):
            items["persons"] = [{"count": group, "nationality": "MX" if roll < 0.6 else ""}]
        if southbound is not None:
            items = southbound
        elif kind == "seizure":
            items["drugs"] = [{"category": "marijuana", "quantity": pounds, "unit": "lb"}]
            if roll < 0.2:
                items["drugs"].append(
                    {"category": "fentanyl", "quantity": int(pounds) * 10, "unit": "pills"}
                )
            if roll > 0.9:
                items["currency"] = [{"amount": pounds * 100, "currency": "MXN"}]
        event = flow_event_create(
            actor=None,
            agency=agency,
            kind=kind,
            direction="southbound"
            if what == "southbound" or (kind == "sighting" and roll >= 0.7)
            else "northbound",
            occurred_at=when,
            lon=lon,
            lat=lat,
            case_reference=f"{agency.code}-{when:%y%m}-{n:05d}",
            narrative="",
            external_id=external_id,
            marking=markings[marking_key],
            items=items,
        )
        # One turn-back in three was also seen from the south: the partner reports it too.
        if kind == "turn_back" and roll < 0.33:
            twin = flow_event_create(
                actor=None,
                agency=mx,
                kind="turn_back",
                direction="northbound",
                occurred_at=when + dt.timedelta(minutes=20),
                lon=lon,
                lat=lat - 0.002,
                case_reference=f"MXFP-{when:%y%m}-T{n:05d}",
                external_id=f"DEMO-MX-twin-{n:05d}",
                marking=markings["mx_shared"],
            )
            flow_events_link(actor=None, first=event, second=twin)
