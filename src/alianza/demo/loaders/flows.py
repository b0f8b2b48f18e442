"""Border flows in the Nogales, Sasabe and Naco corridors over two years, for both agencies.

Magnitudes follow Tucson Sector's published profile (latest fiscal year in
/work/shared/data/usbp/sector_profile_2011_2019.csv is bundled below as constants, so the demo
needs no outside file): apprehended persons per year × the corridors' share of the sector's
line (~80 of ~420 km) × a 1-in-10 sample so the demo stays a few thousand events, × ctx.scale.
Seeded and keyed by external id, so a second run adds nothing.
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
CORRIDOR_SHARE = 80 / 420
SAMPLE = 0.1
MEAN_GROUP = 3.0
# Outcome mix of a northbound crossing attempt (effectiveness ≈ 0.8, as USBP reported then).
OUTCOMES = {"apprehension": 0.55, "turn_back": 0.25, "got_away": 0.20}
END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
START = END - dt.timedelta(days=730)
DEGREES_PER_KM = 1 / 111.0


def _rates() -> None:
    """Monthly MXN rates (USD per peso, rounded Banxico FIX levels of the period)."""
    month = START.date().replace(day=1)
    level = Decimal("0.0560")
    while month <= END.date():
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


def _when(rng: random.Random) -> dt.datetime:
    seconds = rng.uniform(0, (END - START).total_seconds())
    return (START + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def load(ctx: DemoContext) -> None:
    rng = random.Random(f"flows-{ctx.seed}")
    border_segments_load()
    us, mx = Agency.objects.get(code="USBP"), Agency.objects.get(code="MXFP")
    border_nogales_load(agency=us)
    _rates()
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
    seizures = int(TUCSON_MARIJUANA_LB_FY2019 * 2 * CORRIDOR_SHARE * SAMPLE * ctx.scale / 150)
    plan = [("us", "attempt", n) for n in range(attempts)]
    plan += [("us", "seizure", n) for n in range(seizures)]
    plan += [("mx", "seizure", n) for n in range(seizures // 2)]
    plan += [("mx", "sighting", n) for n in range(attempts // 4)]
    plan += [("us", "sensor_alert", n) for n in range(attempts // 3)]
    existing = set(
        FlowEvent.objects.unrestricted(reason="demo idempotence: existing external ids")
        .filter(external_id__startswith="DEMO-")
        .values_list("external_id", flat=True)
    )
    for who, what, n in ctx.progress(plan, description="flow events"):
        # Every draw happens whether or not the event exists, so reruns stay aligned.
        corridor = rng.choices(corridors, weights=[5, 2, 3])[0]
        when, roll = _when(rng), rng.random()
        kind = what
        if what == "attempt":
            kind = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        side = "MX" if who == "mx" or kind == "turn_back" else "US"
        lon, lat = _point(rng, segments, corridor, side=side)
        group = max(1, int(rng.expovariate(1 / MEAN_GROUP)) + 1)
        pounds = Decimal(int(rng.lognormvariate(4.6, 0.8)))
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
        if kind == "seizure":
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
            direction="northbound" if kind != "sighting" or roll < 0.7 else "southbound",
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
